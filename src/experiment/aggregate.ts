/**
 * results.jsonl -> summary.json, summary.csv, differences.csv.
 *
 * Per point and metric: n (runs with a value), mean, sample sd, and the Student t confidence interval at
 * the experiment's level. Per pair of points that differ in exactly one parameter: the paired difference
 * (to − from) over the replications both have, with its own t interval — tight, because replication r of
 * both used the same seed (common random numbers) — and, for comparison, the half-width an unpaired
 * (Welch) interval would have had. With more than {@link ALL_PAIRS_MAX_LEVELS} levels a parameter is
 * compared between neighbouring levels only.
 *
 * Determinism: everything here depends on the set of result lines, never on their order in the file
 * (lines are sorted by plan index first), and nothing from the clock, the machine, the worker count or
 * the output directory is written. The same runs give the same bytes.
 */
import { pairedDifference, studentT, welchDifference } from '../engine/stats/index.js';
import { parseMetric, type MetricUnit } from './metrics.js';
import { expandPoints, type PlanData, type Point } from './plan.js';
import { csvCell } from './result-csv.js';
import type { ResultLine } from './store.js';

export const SUMMARY_SCHEMA = 'netsim.sweep-summary/v1';
export const ALL_PAIRS_MAX_LEVELS = 8;

type Label = string | number | boolean;

export interface MetricStats {
  /** Runs with a value. */
  readonly n: number;
  readonly mean: number | null;
  readonly sd: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly halfWidth: number | null;
  /** halfWidth / |mean|. */
  readonly relativeHalfWidth: number | null;
  /** Successful runs without a value (e.g. a p99 of no request). */
  readonly missing: number;
}

export interface PointSummary {
  readonly point: number;
  readonly params: Readonly<Record<string, Label>>;
  /** Runs that finished ok / failed. */
  readonly ok: number;
  readonly failed: number;
  /** With a precision target: whether the metric's CI reached it (false: the cap was hit first). */
  readonly precisionMet?: boolean;
  readonly metrics: Readonly<Record<string, MetricStats>>;
  /** What the configuration costs (result.json's `cost`), over the runs that report it; absent when none does. */
  readonly cost?: { readonly perHour: MetricStats; readonly perMonth: MetricStats };
}

export interface DifferenceStats {
  /** Pairs: replications where both points have a value. */
  readonly n: number;
  readonly mean: number | null;
  readonly sd: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly halfWidth: number | null;
  /** Half-width of the Welch interval on the same runs, as if they had independent seeds. */
  readonly unpairedHalfWidth: number | null;
  /** The paired interval excludes zero. */
  readonly significant: boolean;
}

export interface Difference {
  /** The parameter that differs. */
  readonly factor: string;
  readonly from: { readonly point: number; readonly level: Label };
  readonly to: { readonly point: number; readonly level: Label };
  /** The other parameters' values (the same at both points). */
  readonly fixed: Readonly<Record<string, Label>>;
  /** to − from. */
  readonly metrics: Readonly<Record<string, DifferenceStats>>;
}

export interface SloRow {
  readonly level: Label;
  readonly point: number;
  readonly mean: number | null;
  /** The CI bound on the wrong side of the target (upper for max, lower for min). */
  readonly bound: number | null;
  /** The mean meets the target. */
  readonly meets: boolean;
  /** The whole CI meets the target. */
  readonly confident: boolean;
}

export interface SloGroup {
  readonly fixed: Readonly<Record<string, Label>>;
  /** The smallest level whose mean meets the target (null: none). */
  readonly fewest: Label | null;
  /** The smallest level whose CI lies entirely on the right side of the target (null: none). */
  readonly fewestConfident: Label | null;
  readonly levels: readonly SloRow[];
}

export interface SloSummary {
  readonly metric: string;
  readonly max: number | null;
  readonly min: number | null;
  readonly bound: string;
  readonly fewest: string;
  readonly groups: readonly SloGroup[];
}

/** Which experiment a stored summary or plan belongs to. */
export interface ExperimentIdentity {
  readonly name: string;
  readonly hash: string;
  readonly scenario: readonly string[];
  readonly masterSeed: number | string;
  readonly confidence: number;
  readonly replications: number;
}

export interface Summary {
  readonly schema: typeof SUMMARY_SCHEMA;
  readonly experiment: ExperimentIdentity & { readonly precision: PlanData['precision'] };
  readonly factors: readonly { readonly name: string; readonly paths: readonly string[]; readonly levels: readonly Label[] }[];
  readonly metrics: readonly { readonly name: string; readonly unit: MetricUnit }[];
  readonly runs: { readonly ok: number; readonly failed: number; readonly failedRuns: readonly { readonly run: string; readonly error: string }[] };
  readonly points: readonly PointSummary[];
  readonly differences: readonly Difference[];
  readonly slo?: SloSummary;
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function stats(values: readonly number[], level: number, missing: number): MetricStats {
  if (values.length === 0) return { n: 0, mean: null, sd: null, lower: null, upper: null, halfWidth: null, relativeHalfWidth: null, missing };
  const ci = studentT(values, level);
  const rel = ci.mean === 0 ? (ci.halfWidth === 0 ? 0 : null) : ci.halfWidth / Math.abs(ci.mean);
  return {
    n: ci.n,
    mean: finite(ci.mean),
    sd: finite(ci.sd),
    lower: finite(ci.lower),
    upper: finite(ci.upper),
    halfWidth: finite(ci.halfWidth),
    relativeHalfWidth: rel === null ? null : finite(rel),
    missing,
  };
}

/** Per point: replication -> ok line, in replication order. */
function byPoint(points: readonly Point[], lines: readonly ResultLine[]): { ok: Map<number, ResultLine>[]; failed: ResultLine[][] } {
  const ok = points.map(() => new Map<number, ResultLine>());
  const failed: ResultLine[][] = points.map(() => []);
  // The same run reported twice with different contents (a hand-edited or merged file): the line's own
  // text decides which counts, so the result never depends on the order of the file's lines.
  const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  const sorted = [...lines].sort((a, b) => a.index - b.index || cmp(a.run, b.run) || cmp(JSON.stringify(a), JSON.stringify(b)));
  for (const l of sorted) {
    if (l.point < 0 || l.point >= points.length) continue;
    if (l.status === 'ok') ok[l.point]!.set(l.replication, l);
    else failed[l.point]!.push(l);
  }
  return { ok, failed };
}

function valuesOf(runs: Map<number, ResultLine>, metric: string): { values: number[]; reps: number[]; missing: number } {
  const values: number[] = [];
  const reps: number[] = [];
  let missing = 0;
  // Stryker disable next-line MethodExpression,ArrowFunction,ArithmeticOperator: byPoint fills the map in plan-index order, which within a point is replication order
  for (const r of [...runs.keys()].sort((a, b) => a - b)) {
    const v = runs.get(r)!.metrics[metric];
    if (typeof v === 'number' && Number.isFinite(v)) {
      values.push(v);
      reps.push(r);
    } else missing++;
  }
  return { values, reps, missing };
}

function difference(a: Map<number, ResultLine>, b: Map<number, ResultLine>, metric: string, level: number): DifferenceStats {
  const va = valuesOf(a, metric);
  const vb = valuesOf(b, metric);
  const inB = new Map(vb.reps.map((r, i) => [r, vb.values[i]!]));
  const x: number[] = [];
  const y: number[] = [];
  va.reps.forEach((r, i) => {
    const other = inB.get(r);
    if (other !== undefined) {
      x.push(va.values[i]!);
      y.push(other);
    }
  });
  const empty: DifferenceStats = { n: 0, mean: null, sd: null, lower: null, upper: null, halfWidth: null, unpairedHalfWidth: null, significant: false };
  if (x.length === 0) return empty;
  const ci = pairedDifference(y, x, level);
  const welch = va.values.length > 0 && vb.values.length > 0 ? welchDifference(vb.values, va.values, level) : null;
  const lower = finite(ci.lower);
  const upper = finite(ci.upper);
  return {
    n: ci.n,
    mean: finite(ci.mean),
    sd: finite(ci.sd),
    lower,
    upper,
    halfWidth: finite(ci.halfWidth),
    unpairedHalfWidth: welch ? finite(welch.halfWidth) : null,
    significant: lower !== null && upper !== null && (lower > 0 || upper < 0),
  };
}

/** The pairs of level indices compared for a factor with `n` levels. */
function levelPairs(n: number): [number, number][] {
  // Stryker disable next-line ArrayDeclaration: a stray first element is not a pair of level indices; summarize skips it (`if (!a || !b)`)
  const out: [number, number][] = [];
  if (n <= ALL_PAIRS_MAX_LEVELS) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push([i, j]);
  } else {
    for (let i = 0; i + 1 < n; i++) out.push([i, i + 1]);
  }
  return out;
}

function others(point: Point, plan: PlanData, f: number): Record<string, Label> {
  const out: Record<string, Label> = {};
  plan.factors.forEach((factor, i) => {
    if (i !== f) out[factor.name] = point.params[factor.name]!;
  });
  return out;
}

/** Points grouped by the levels of every factor but `f`, in point order; each group indexed by f's level. */
function groupsWithout(points: readonly Point[], f: number): Point[][] {
  const groups = new Map<string, Point[]>();
  for (const p of points) {
    const key = p.levels.filter((_, i) => i !== f).join(',');
    let g = groups.get(key);
    // Stryker disable next-line ArrayDeclaration: every level of f has a point (full factorial), so a stray g[0] is always overwritten
    if (!g) groups.set(key, (g = []));
    g[p.levels[f]!] = p;
  }
  return [...groups.values()];
}

/** Cost per hour and per month of a point, when its runs report it (runs of older versions do not). */
function costStats(runs: Map<number, ResultLine>, level: number): PointSummary['cost'] | undefined {
  if (![...runs.values()].some((l) => typeof l.metrics['cost.perHour'] === 'number')) return undefined;
  const of = (m: string): MetricStats => {
    const v = valuesOf(runs, m);
    return stats(v.values, level, v.missing);
  };
  return { perHour: of('cost.perHour'), perMonth: of('cost.perMonth') };
}

function precisionMet(plan: PlanData, runs: Map<number, ResultLine>): boolean | undefined {
  const p = plan.precision;
  if (!p) return undefined;
  const { values } = valuesOf(runs, p.metric);
  if (values.length < 2) return false;
  const ci = studentT(values, plan.confidence);
  return Number.isFinite(ci.halfWidth) && ci.halfWidth <= p.relative * Math.abs(ci.mean);
}

function sloSummary(plan: PlanData, points: readonly Point[], summaries: readonly PointSummary[]): SloSummary | undefined {
  const slo = plan.slo;
  if (!slo) return undefined;
  const f = plan.factors.findIndex((x) => x.name === slo.fewest);
  if (f < 0) return undefined;
  const factor = plan.factors[f]!;
  const order = factor.levels.map((_, i) => i);
  if (factor.levels.every((l) => typeof l.label === 'number')) order.sort((a, b) => (factor.levels[a]!.label as number) - (factor.levels[b]!.label as number));
  const groups: SloGroup[] = groupsWithout(points, f).map((g) => {
    const rows: SloRow[] = order.map((li) => {
      const p = g[li]!;
      const s = summaries[p.index]!.metrics[slo.metric]!;
      const mean = s.mean;
      const bound = slo.max !== null ? s.upper : s.lower;
      const ok = (v: number | null): boolean => v !== null && (slo.max !== null ? v <= slo.max : v >= (slo.min as number));
      return { level: factor.levels[li]!.label, point: p.index, mean, bound, meets: ok(mean), confident: ok(bound) };
    });
    return {
      fixed: others(g.find((p) => p !== undefined)!, plan, f),
      fewest: rows.find((r) => r.meets)?.level ?? null,
      fewestConfident: rows.find((r) => r.confident)?.level ?? null,
      levels: rows,
    };
  });
  return { metric: slo.metric, max: slo.max, min: slo.min, bound: slo.bound, fewest: slo.fewest, groups };
}

/** Builds the summary of a sweep from its result lines (any order). */
export function summarize(plan: PlanData, hash: string, lines: readonly ResultLine[]): Summary {
  const points = expandPoints(plan);
  const { ok, failed } = byPoint(points, lines);
  const level = plan.confidence;
  const summaries: PointSummary[] = points.map((p) => {
    const metrics: Record<string, MetricStats> = {};
    for (const m of plan.metrics) {
      const v = valuesOf(ok[p.index]!, m);
      metrics[m] = stats(v.values, level, v.missing);
    }
    const met = precisionMet(plan, ok[p.index]!);
    const cost = costStats(ok[p.index]!, level);
    return {
      point: p.index,
      params: p.params,
      ok: ok[p.index]!.size,
      failed: failed[p.index]!.length,
      ...(met !== undefined ? { precisionMet: met } : {}),
      metrics,
      ...(cost ? { cost } : {}),
    };
  });

  const differences: Difference[] = [];
  plan.factors.forEach((factor, f) => {
    for (const g of groupsWithout(points, f)) {
      for (const [i, j] of levelPairs(factor.levels.length)) {
        const a = g[i];
        const b = g[j];
        // Stryker disable next-line LogicalOperator: every level of a group has a point (full factorial), so both are always present
        if (!a || !b) continue;
        const metrics: Record<string, DifferenceStats> = {};
        for (const m of plan.metrics) metrics[m] = difference(ok[a.index]!, ok[b.index]!, m, level);
        differences.push({
          factor: factor.name,
          from: { point: a.index, level: factor.levels[i]!.label },
          to: { point: b.index, level: factor.levels[j]!.label },
          fixed: others(a, plan, f),
          metrics,
        });
      }
    }
  });

  const failedRuns = lines
    .filter((l) => l.status === 'failed')
    .sort((a, b) => a.index - b.index)
    .map((l) => ({ run: l.run, error: l.error ?? '' }));
  const slo = sloSummary(plan, points, summaries);
  return {
    schema: SUMMARY_SCHEMA,
    experiment: {
      name: plan.name,
      hash,
      scenario: plan.scenario,
      masterSeed: plan.masterSeed,
      confidence: plan.confidence,
      replications: plan.replications,
      precision: plan.precision,
    },
    factors: plan.factors.map((f) => ({ name: f.name, paths: f.paths, levels: f.levels.map((l) => l.label) })),
    metrics: plan.metrics.map((m) => ({ name: m, unit: parseMetric(m).unit })),
    runs: { ok: summaries.reduce((n, s) => n + s.ok, 0), failed: failedRuns.length, failedRuns },
    points: summaries,
    differences,
    ...(slo ? { slo } : {}),
  };
}

export function serializeSummary(summary: Summary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}

function csv(rows: readonly (readonly unknown[])[]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

/** summary.csv: one row per point and metric. */
export function summaryCsv(summary: Summary): string {
  const names = summary.factors.map((f) => f.name);
  const rows: unknown[][] = [['point', ...names, 'metric', 'unit', 'n', 'mean', 'sd', 'lower', 'upper', 'halfWidth', 'relativeHalfWidth', 'missing', 'failed']];
  for (const p of summary.points) {
    for (const m of summary.metrics) {
      const s = p.metrics[m.name]!;
      rows.push([p.point, ...names.map((n) => p.params[n]), m.name, m.unit, s.n, s.mean, s.sd, s.lower, s.upper, s.halfWidth, s.relativeHalfWidth, s.missing, p.failed]);
    }
    const named = new Set(summary.metrics.map((m) => m.name));
    for (const [k, s] of Object.entries(p.cost ?? {})) {
      const name = `cost.${k}`;
      if (!named.has(name)) rows.push([p.point, ...names.map((n) => p.params[n]), name, 'cost', s.n, s.mean, s.sd, s.lower, s.upper, s.halfWidth, s.relativeHalfWidth, s.missing, p.failed]);
    }
  }
  return csv(rows);
}

/** differences.csv: one row per compared pair and metric; the varying parameter's column is empty. */
export function differencesCsv(summary: Summary): string {
  const names = summary.factors.map((f) => f.name);
  const rows: unknown[][] = [['factor', 'from', 'to', 'fromPoint', 'toPoint', ...names, 'metric', 'n', 'mean', 'sd', 'lower', 'upper', 'halfWidth', 'unpairedHalfWidth', 'significant']];
  for (const d of summary.differences) {
    for (const m of summary.metrics) {
      const s = d.metrics[m.name]!;
      rows.push([d.factor, d.from.level, d.to.level, d.from.point, d.to.point, ...names.map((n) => (n === d.factor ? null : d.fixed[n])), m.name, s.n, s.mean, s.sd, s.lower, s.upper, s.halfWidth, s.unpairedHalfWidth, s.significant]);
    }
  }
  return csv(rows);
}
