/**
 * A sweep plan: factors (parameters) and their levels, the points of the grid, and the runs (point ×
 * replication) with their seeds. Pure data and pure functions: the plan is stored in every output's
 * manifest, so `merge` can rebuild it without the experiment file.
 *
 * Points: the cartesian product of the factors, the first factor varying slowest (nested loops in the
 * order written). A zipped factor is one factor whose levels set several paths at once.
 *
 * Seeds (common random numbers): replication r of EVERY point runs with the same seed, derived from the
 * master seed and r only. Two points compared at replication r therefore see the same arrivals and the
 * same service-time draws wherever their scenarios agree, and their difference has far less noise.
 */
import { createHash } from 'node:crypto';
import type { SearchSpec } from './search/types.js';

/** One value of a factor: what it is called in results, and the overrides that set it. */
export interface Level {
  /** As in results and summaries: the value as written (`1000/s`, `4`, `Local`) or its label. */
  readonly label: string | number | boolean;
  /** `PATH=VALUE`, one per path of the factor. */
  readonly set: readonly string[];
}

export interface Factor {
  readonly name: string;
  /** Override paths (several for a zipped factor). */
  readonly paths: readonly string[];
  readonly levels: readonly Level[];
}

export interface PrecisionTarget {
  /** The metric whose CI must be narrow enough. */
  readonly metric: string;
  /** Target half-width relative to the mean (0.05 = ±5 %). */
  readonly relative: number;
  /** Cap on replications per point. */
  readonly maxReplications: number;
  /** Replications added each time a point misses the target. */
  readonly step: number;
}

export interface SloSpec {
  readonly metric: string;
  /** The metric must stay at or below `max` (or at or above `min`). */
  readonly max: number | null;
  readonly min: number | null;
  /** As written (`50ms`), for display. */
  readonly bound: string;
  /** The factor whose smallest level meeting the target is reported for each combination of the others. */
  readonly fewest: string;
}

/** Everything that decides which runs a sweep makes and how they are summarised. JSON-safe. */
export interface PlanData {
  readonly name: string;
  /** Scenario files, relative to the experiment file. */
  readonly scenario: readonly string[];
  /** Overrides applied to every point, before the factors'. */
  readonly set: readonly string[];
  readonly factors: readonly Factor[];
  /** Replications per point (the first round, with a precision target). */
  readonly replications: number;
  readonly masterSeed: number | string;
  readonly metrics: readonly string[];
  readonly confidence: number;
  readonly precision: PrecisionTarget | null;
  readonly slo: SloSpec | null;
  /** `netsim plan`'s search (absent when the experiment has none; `netsim sweep` runs the whole grid). */
  readonly search?: SearchSpec;
}

export interface Point {
  readonly index: number;
  /** Level index per factor. */
  readonly levels: readonly number[];
  readonly params: Readonly<Record<string, string | number | boolean>>;
  /** The overrides of this point: the plan's `set`, then each factor's. */
  readonly set: readonly string[];
}

export interface RunRef {
  /** `p<point>-r<replication>`: stable across resumes, shards and merges. */
  readonly id: string;
  /** Position in the plan: point × (replications per point, or the cap) + replication. */
  readonly index: number;
  readonly point: number;
  readonly replication: number;
  readonly seed: number;
}

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

/** Points of the grid, first factor slowest. With no factor there is one point (the base scenario). */
export function expandPoints(plan: Pick<PlanData, 'factors' | 'set'>): Point[] {
  const sizes = plan.factors.map((f) => f.levels.length);
  const total = sizes.reduce((a, b) => a * b, 1);
  const points: Point[] = [];
  for (let index = 0; index < total; index++) {
    // Stryker disable next-line ArrayDeclaration: the length only pre-sizes the array; every level is written below
    const levels: number[] = new Array<number>(sizes.length);
    let rest = index;
    for (let f = sizes.length - 1; f >= 0; f--) {
      levels[f] = rest % sizes[f]!;
      rest = Math.floor(rest / sizes[f]!);
    }
    const params: Record<string, string | number | boolean> = {};
    const set = [...plan.set];
    plan.factors.forEach((factor, f) => {
      const level = factor.levels[levels[f]!]!;
      params[factor.name] = level.label;
      set.push(...level.set);
    });
    points.push({ index, levels, params, set });
  }
  return points;
}

export function pointCount(plan: Pick<PlanData, 'factors'>): number {
  return plan.factors.reduce((n, f) => n * f.levels.length, 1);
}

/**
 * The seed of replication `r`: SHA-256 of the master seed and r, cut to 48 bits (a whole number, so a run
 * can be reproduced with `netsim run --seed N`). The same for every point: common random numbers.
 */
export function replicationSeed(masterSeed: number | string, replication: number): number {
  const master = String(masterSeed);
  const hex = createHash('sha256').update(`kube-netsim/experiment/v1\n${master.length}:${master}\n${replication}`).digest('hex');
  return parseInt(hex.slice(0, 12), 16);
}

export function runId(point: number, replication: number): string {
  return `p${point}-r${replication}`;
}

/** Reads `p3-r7`; undefined when the text is not a run id. */
export function parseRunId(id: string): { point: number; replication: number } | undefined {
  const m = /^p(\d+)-r(\d+)$/.exec(id);
  return m ? { point: Number(m[1]), replication: Number(m[2]) } : undefined;
}

/** Replications a point may have at most. */
export function replicationCap(plan: Pick<PlanData, 'replications' | 'precision'>): number {
  return plan.precision ? Math.max(plan.precision.maxReplications, plan.replications) : plan.replications;
}

export function runRef(plan: Pick<PlanData, 'replications' | 'precision' | 'masterSeed'>, point: number, replication: number): RunRef {
  return {
    id: runId(point, replication),
    index: point * replicationCap(plan) + replication,
    point,
    replication,
    seed: replicationSeed(plan.masterSeed, replication),
  };
}

/** `3/20` -> {index: 3, count: 20}. Throws Error with a one-line reason. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new Error(`expected K/N such as 3/20 (shard K of N, 1-based), found '${text}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new Error(`expected at least one shard, found ${text}`);
  if (index < 1 || index > count) throw new Error(`expected a shard number from 1 to ${count}, found ${index}`);
  return { index, count };
}

/**
 * Whether a run belongs to a shard: run index mod N = K − 1. With a precision target a point's
 * replications are decided one after the other from its own results, so a whole point goes to one shard
 * (point index mod N = K − 1).
 */
export function inShard(plan: Pick<PlanData, 'precision'>, run: Pick<RunRef, 'index' | 'point'>, shard: Shard | null): boolean {
  if (!shard || shard.count === 1) return true;
  const key = plan.precision ? run.point : run.index;
  return key % shard.count === shard.index - 1;
}

/** What is known of a point's finished runs: replication -> the precision metric (null if none / failed). */
export type PointProgress = ReadonlyMap<number, number | null>;

/**
 * The replications a point still needs, given the finished ones (ok or failed). Without a precision target:
 * 0..R−1 minus the finished. With one: the first R; then, while the CI half-width of the metric is wider
 * than `relative` × |mean| and the cap is not reached, `step` more. The answer depends on the point's own
 * results only, never on timing: that is what keeps a sweep deterministic whatever the worker count.
 */
export function pendingReplications(
  plan: Pick<PlanData, 'replications' | 'precision' | 'confidence'>,
  done: PointProgress,
  halfWidthOf: (values: readonly number[], level: number) => { mean: number; halfWidth: number },
): number[] {
  const missing = (upTo: number): number[] => {
    const out: number[] = [];
    for (let r = 0; r < upTo; r++) if (!done.has(r)) out.push(r);
    return out;
  };
  const first = missing(plan.replications);
  const p = plan.precision;
  if (!p || first.length > 0) return first;
  const cap = replicationCap(plan);
  let have = plan.replications;
  for (;;) {
    const gap = missing(have);
    if (gap.length > 0) return gap;
    if (have >= cap) return [];
    const values: number[] = [];
    for (let r = 0; r < have; r++) {
      const v = done.get(r);
      if (v !== null && v !== undefined) values.push(v);
    }
    if (values.length >= 2) {
      const ci = halfWidthOf(values, plan.confidence);
      if (Number.isFinite(ci.halfWidth) && ci.halfWidth <= p.relative * Math.abs(ci.mean)) return [];
    }
    have = Math.min(cap, have + p.step);
  }
}
