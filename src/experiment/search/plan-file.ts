/**
 * `plan.json`: what `netsim plan` found, in a plan's output directory beside the sweep files
 * (manifest.json, results.jsonl, runs/, summary.json). One answer per search (per combination of the
 * parameters that are not searched), each with every level or point it evaluated. Nothing in it depends on
 * the clock, the machine or the worker count: the same experiment gives the same bytes.
 */
import type { ExperimentIdentity } from '../aggregate.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Decision, TermStats } from './objective.js';
import type { BisectKind } from './bisect.js';
import type { GridKind } from './grid.js';
import type { SearchSpec } from './types.js';

export const PLAN_SCHEMA = 'netsim.plan/v1';
export const PLAN_FILE = 'plan.json';
export const HEADROOM_RESULTS_FILE = 'headroom.jsonl';

type Label = string | number | boolean;

export interface HeadroomReport {
  /** `node zone-a-node-1`, `zone zone-b`; null when nothing could fail (no serving pod). */
  readonly target: string | null;
  /** When the failure happens (simulated seconds). */
  readonly failAt: number | null;
  /** When the probe run saw the failure settle (its event's `end`); null: not within settleWithin. */
  readonly settledAt: number | null;
  /** Where the headroom runs' measurement starts. */
  readonly warmup: number | null;
  readonly decision: Decision;
  readonly replications: number;
  readonly failedRuns: number;
  /** Headroom runs whose own failure had not settled when their measurement started. */
  readonly unsettledRuns: number;
  readonly terms: readonly TermStats[];
  /** Why the check could not be made, if so. */
  readonly note: string | null;
}

export interface CostFigures {
  /** Mean over the point's runs (null: the runs report no cost). */
  readonly perHour: number | null;
  readonly perMonth: number | null;
  /** The half-width of perHour's confidence interval (at the experiment's level). */
  readonly halfWidth: number | null;
}

export interface LevelReport {
  readonly point: number;
  readonly params: Readonly<Record<string, Label>>;
  /** The searched parameter's value (bisect); null in the grid mode. */
  readonly level: Label | null;
  /** The objective without failure. */
  readonly decision: Decision;
  readonly replications: number;
  readonly failedRuns: number;
  readonly terms: readonly TermStats[];
  readonly cost: CostFigures;
  /** The grid's cost metric: mean over the runs. */
  readonly costMetric: number | null;
  readonly headroom: HeadroomReport | null;
  /** The decision the search used: the objective, and with headroom the objective under the failure too. */
  readonly combined: Decision;
}

export interface LevelRef {
  readonly point: number;
  readonly level: Label | null;
  readonly params: Readonly<Record<string, Label>>;
}

export interface SearchAnswer {
  /** The parameters this search holds fixed (empty: one search). */
  readonly fixed: Readonly<Record<string, Label>>;
  readonly kind: BisectKind | GridKind;
  /** The smallest level (cheapest point) that meets the objective, with headroom when asked for. */
  readonly answer: LevelRef | null;
  /** Bisect: the level below the answer that fails. */
  readonly below: LevelRef | null;
  /** Levels (points) that stayed undecided where they matter. */
  readonly undecided: readonly LevelRef[];
  /** Bisect: a level that meets below one that fails. */
  readonly contradiction: { readonly meets: LevelRef; readonly fails: LevelRef } | null;
  /** With headroom: the answer without it (the objective alone). */
  readonly withoutHeadroom: { readonly kind: BisectKind | GridKind; readonly answer: LevelRef | null; readonly below: LevelRef | null } | null;
  /** Grid: points not run because they could not be cheaper. */
  readonly pruned: number;
  /** Every level (point) evaluated: bisect in the parameter's order, grid in the order tried. */
  readonly levels: readonly LevelReport[];
  /** Runs this search made (headroom runs included). */
  readonly runs: number;
}

export interface PlanFile {
  readonly schema: typeof PLAN_SCHEMA;
  readonly experiment: ExperimentIdentity;
  readonly search: SearchSpec;
  readonly runs: {
    /** Runs made (base and headroom), and of them failed and headroom (probes included). */
    readonly used: number;
    readonly failed: number;
    readonly headroom: number;
    /** What `netsim sweep` would run for the same experiment: every point × replications. */
    readonly grid: { readonly points: number; readonly replications: number; readonly runs: number };
  };
  readonly answers: readonly SearchAnswer[];
}

export function serializePlan(plan: PlanFile): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** Reads `DIR/plan.json`; null when there is none or it is not a plan. */
export function readPlanFile(dir: string): PlanFile | null {
  try {
    const data = JSON.parse(readFileSync(join(dir, PLAN_FILE), 'utf8')) as PlanFile;
    return data && data.schema === PLAN_SCHEMA && Array.isArray(data.answers) ? data : null;
  } catch {
    return null;
  }
}
