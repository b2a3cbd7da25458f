/**
 * Figures derived from runs that several charts share: offered load, histograms merged over
 * replications, and intervals over replications.
 */
import { LatencyHistogram } from '../../engine/stats/latency-histogram.js';
import type { LatencyHistogramJSON } from '../../engine/stats/latency-histogram-json.js';
import { studentT } from '../../engine/stats/student-t.js';
import type { ReportInput, ReportPoint, RunSample, RunView } from '../inputs.js';

/** Requests per second offered during the measurement window (generated, whatever became of them). */
export function offeredLoad(run: RunView): number | null {
  const s = run.measuredSeconds;
  return s > 0 ? run.accounting.measured.generated / s : null;
}

/** Mean offered load of a point's runs, or null when no run has a measurement window. */
export function pointLoad(point: ReportPoint): number | null {
  const loads = point.runs.map((r) => (r.result ? offeredLoad(r.result) : null)).filter((x): x is number => x !== null);
  return loads.length === 0 ? null : loads.reduce((a, b) => a + b, 0) / loads.length;
}

/** The latency histograms of the runs merged into one (pooled over replications). Null when there are none. */
export function mergedHistogram(histograms: readonly LatencyHistogramJSON[]): LatencyHistogram | null {
  let merged: LatencyHistogram | null = null;
  for (const json of histograms) {
    const h = LatencyHistogram.fromJSON(json);
    merged = merged === null ? h : merged.merge(h);
  }
  return merged;
}

/** Mean of the non-null values; null when there are none. */
export function meanOf(values: readonly (number | null | undefined)[]): number | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}

export interface Interval {
  readonly mean: number;
  /** Equal to the mean when there is a single value (no interval can be given). */
  readonly lower: number;
  readonly upper: number;
  readonly n: number;
}

/**
 * Mean and Student t interval at `level` of the non-null values (one per replication). With one value the
 * bounds equal the mean (n = 1 tells the chart there is no band); null when there is no value.
 */
export function replicationInterval(values: readonly (number | null | undefined)[], level: number): Interval | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (xs.length === 0) return null;
  if (xs.length === 1) return { mean: xs[0]!, lower: xs[0]!, upper: xs[0]!, n: 1 };
  const ci = studentT(xs, level);
  return { mean: ci.mean, lower: ci.lower, upper: ci.upper, n: xs.length };
}

/** The full results of a point's runs (those the sweep kept). */
export function resultsOf(point: ReportPoint): RunView[] {
  return point.runs.flatMap((r) => (r.result ? [r.result] : []));
}

/**
 * One point per configuration, for the charts that show a single situation per configuration (latency
 * distribution, load distribution, where the time goes): among the points with full results, the one
 * with the highest offered load, where imbalance and queueing show most (in a sweep over load, the
 * highest load level, the same for every configuration). Configurations come in display order; those
 * without full results are left out.
 */
export function busiestPointPerConfiguration(input: ReportInput): ReportPoint[] {
  const out: ReportPoint[] = [];
  for (const configuration of input.configurations) {
    let best: ReportPoint | null = null;
    let bestLoad = -Infinity;
    for (const point of input.points) {
      if (point.configuration !== configuration || resultsOf(point).length === 0) continue;
      const load = pointLoad(point) ?? 0;
      if (load > bestLoad) {
        best = point;
        bestLoad = load;
      }
    }
    if (best) out.push(best);
  }
  return out;
}

/**
 * For a sweep whose points differ in load: a sentence naming the load the single-situation charts show
 * (`At the highest load of the sweep, load=3k/s.`); empty otherwise.
 */
export function situationNote(input: ReportInput, points: readonly ReportPoint[]): string {
  const name = input.loadParameter;
  if (name === null || points.length === 0) return '';
  const values = distinctValues(points.map((p) => p.parameters.find((v) => v.name === name)?.value ?? null));
  if (values.length !== 1) return 'Each configuration at its highest load.';
  return `At the highest load of the sweep, ${name}=${String(values[0])}.`;
}

function distinctValues<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/** Confidence level for intervals: the input's, or 0.95 when it does not say (a single run has none). */
export function levelOf(input: ReportInput): number {
  return input.provenance.confidenceLevel ?? 0.95;
}

/** The share of a run's measured requests that never finished (dropped, or in flight at the end). */
export function droppedShare(run: RunSample): number | null {
  if (run.result) {
    const m = run.result.accounting.measured;
    const sent = run.result.latency.count + m.droppedTotal + m.inFlight;
    return sent > 0 ? (m.droppedTotal + m.inFlight) / sent : null;
  }
  const d = run.metrics['dropFraction'];
  return typeof d === 'number' ? d : null;
}
