import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/**
 * A two-sided confidence interval `mean ± halfWidth` at confidence `level` (e.g. 0.95).
 *
 * Conventions for degenerate input, chosen so that "is it precise enough?" checks fail rather than pass:
 * with no data every field but `level` is NaN; with one observation the mean is known but the spread is
 * not, so `halfWidth` is +Infinity and the interval is (−∞, +∞).
 */
export interface ConfidenceInterval {
  /** Point estimate (a mean, or a difference of means). */
  readonly mean: number;
  readonly halfWidth: number;
  readonly lower: number;
  readonly upper: number;
  /** Nominal coverage probability in (0, 1). */
  readonly level: number;
}

/** An interval from the Student t distribution on `n` (approximately) i.i.d. normal observations. */
export interface StudentTInterval extends ConfidenceInterval {
  /** Sample standard deviation of the observations the interval is built on. */
  readonly sd: number;
  /** Number of observations (replications, pairs, or batches). */
  readonly n: number;
  /** Degrees of freedom, n − 1. */
  readonly df: number;
  /** sd / √n. */
  readonly standardError: number;
}

/** @throws RangeError unless 0 < level < 1 */
export function assertLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1), found ${level}`);
}

/**
 * Two-sided critical value t_{1−α/2, df}: `mean ± t·se` covers with probability `level`. `df` may be
 * fractional (Welch–Satterthwaite). E.g. `tCritical(0.95, 9) ≈ 2.2622`.
 */
export function tCritical(level: number, df: number): number {
  assertLevel(level);
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive, found ${df}`);
  return tQuantile(1 - (1 - level) / 2, df);
}

/**
 * Half-width relative to the magnitude of the estimate: the usual stopping rule for sequential
 * replication ("stop when the 95 % CI is within ±5 % of the mean"). +Infinity when the mean is 0 and the
 * half-width positive, NaN when either is NaN.
 */
export function relativePrecision(ci: Pick<ConfidenceInterval, 'mean' | 'halfWidth'>): number {
  const m = Math.abs(ci.mean);
  if (m === 0) return ci.halfWidth === 0 ? 0 : ci.halfWidth > 0 ? Infinity : NaN;
  return ci.halfWidth / m;
}
