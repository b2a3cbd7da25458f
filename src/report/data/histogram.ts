/**
 * Empirical distribution functions and quantiles from stored latency histograms
 * (`RunResult.latency.histogram`). Values are in seconds here; charts convert to milliseconds.
 */
import { LatencyHistogram } from '../../engine/stats/latency-histogram.js';
import type { LatencyHistogramJSON } from '../../engine/stats/latency-histogram-json.js';
import type { Seconds } from '../../engine/time.js';

export interface CdfPoint {
  readonly latency: Seconds;
  /** Share of requests with latency ≤ `latency` (the last point of a series is exactly 1). */
  readonly cumulative: number;
}

/**
 * The empirical CDF at the histogram's bucket edges: a first point (min, 0), then each non-empty bucket's
 * upper edge (clamped to [min, max]) with the running share of requests, ending at (max, 1). The
 * cumulative share is computed here, per histogram, from integer counts, so it reaches exactly 1.
 * Latencies below the histogram's lowest trackable value (e.g. 0) are drawn at that value, so the series
 * stays on a log axis. Empty histogram: no points.
 */
export function ecdf(histogram: LatencyHistogram | LatencyHistogramJSON): CdfPoint[] {
  const h = histogram instanceof LatencyHistogram ? histogram : LatencyHistogram.fromJSON(histogram);
  const total = h.count;
  if (total === 0) return [];
  const floor = h.layout.lowestTrackable;
  const min = Math.max(h.min, floor);
  const max = Math.max(h.max, min);
  const points: CdfPoint[] = [{ latency: min, cumulative: 0 }];
  let running = 0;
  for (const bucket of h.buckets()) {
    running += bucket.count;
    const x = Math.min(Math.max(bucket.upper, min), max);
    const cumulative = running === total ? 1 : running / total;
    const last = points[points.length - 1]!;
    if (x === last.latency) points[points.length - 1] = { latency: x, cumulative };
    else points.push({ latency: x, cumulative });
  }
  const last = points[points.length - 1]!;
  if (last.latency < max) points.push({ latency: max, cumulative: 1 });
  return points;
}

/** The quantiles a report lists, with the label it uses. */
export const REPORTED_QUANTILES: readonly { readonly label: string; readonly q: number }[] = [
  { label: 'p50', q: 0.5 },
  { label: 'p90', q: 0.9 },
  { label: 'p99', q: 0.99 },
  { label: 'p99.9', q: 0.999 },
  { label: 'p99.99', q: 0.9999 },
];

/**
 * Quantiles of a histogram by the histogram's own convention (nearest rank, bucket midpoint clamped to
 * [min, max]), so they match the percentiles written in result.json. NaN-free: null when empty.
 */
export function quantiles(histogram: LatencyHistogram, qs: readonly number[]): (Seconds | null)[] {
  return qs.map((q) => (histogram.count === 0 ? null : histogram.quantile(q)));
}
