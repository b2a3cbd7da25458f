/**
 * The quantile convention used throughout the engine: the nearest-rank (inverse empirical CDF,
 * Hyndman–Fan type 1) definition. The q-quantile of n observations is the k-th smallest, with
 * `k = max(1, ceil(q·n))`. So q = 0 is the minimum, q = 1 the maximum, and every reported quantile is a
 * value that was actually observed (or, for a histogram, the bucket that holds one).
 *
 * `q·n` is computed in floating point, where e.g. `0.07 * 100 = 7.000000000000001` would round up to rank
 * 8. A relative nudge of a few ulps absorbs that noise without moving any genuinely fractional product.
 *
 * @param q quantile in [0, 1]
 * @param n number of observations (≥ 1)
 * @returns 1-based rank in [1, n]
 */
export function quantileRank(q: number, n: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], found ${q}`);
  const rank = Math.ceil(q * n * (1 - 4 * Number.EPSILON));
  return rank < 1 ? 1 : rank > n ? n : rank;
}
