/**
 * Thinning dense series so charts stay light: at most `max` points per series, always keeping the first
 * and the last point and, as far as the budget allows, every point the caller marks as essential (the tail
 * of a latency distribution, the peaks of a time series). The remaining budget is spread evenly over the
 * other points.
 */

/**
 * Indices (increasing) of the points of an `n`-point series to keep.
 *
 * - `n ≤ max`: every index.
 * - Otherwise: 0 and n − 1, then the indices for which `essential(i)` holds (evenly sampled, always keeping
 *   the last of them, when there are more than the budget), then evenly spaced indices among the rest.
 *   A third of the budget stays reserved for the rest: a long tail must not crowd out the body of a
 *   distribution (a CDF drawn from its tail alone is a straight line from 0 to p90).
 *
 * @throws RangeError when `max < 2` (the endpoints alone need two points)
 */
export function thinIndices(n: number, max: number, essential?: (index: number) => boolean): number[] {
  if (!(Number.isInteger(max) && max >= 2)) throw new RangeError(`max must be an integer ≥ 2, found ${max}`);
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const keep = new Set<number>([0, n - 1]);
  const must: number[] = [];
  const rest: number[] = [];
  for (let i = 1; i < n - 1; i++) (essential?.(i) ? must : rest).push(i);
  const reserved = Math.min(rest.length, Math.floor(max / 3));
  for (const i of evenly(must, max - keep.size - reserved)) keep.add(i);
  for (const i of evenly(rest, max - keep.size)) keep.add(i);
  return [...keep].sort((a, b) => a - b);
}

/** The points of `series` to keep (see {@link thinIndices}). */
export function thin<T>(series: readonly T[], max: number, essential?: (point: T, index: number) => boolean): T[] {
  const pick = thinIndices(series.length, max, essential ? (i) => essential(series[i]!, i) : undefined);
  return pick.map((i) => series[i]!);
}

/** `k` elements of `items` spread evenly, the last one included; all of them when `k ≥ length`. */
function evenly(items: readonly number[], k: number): number[] {
  if (k <= 0 || items.length === 0) return [];
  if (k >= items.length) return [...items];
  if (k === 1) return [items[items.length - 1]!];
  const out: number[] = [];
  for (let j = 0; j < k; j++) out.push(items[Math.round((j * (items.length - 1)) / (k - 1))]!);
  return out;
}
