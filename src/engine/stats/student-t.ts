import { assertLevel, tCritical, type StudentTInterval } from './confidence-interval.js';

/** The sufficient statistics of a t interval: count, mean, sample standard deviation. */
export interface SampleSummary {
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
}

/**
 * Student t interval from summary statistics (e.g. a `RunningStats` over replications, or batch
 * means). Degenerate cases follow `ConfidenceInterval`: n = 0 → all NaN; n = 1 → half-width +∞.
 */
export function studentTFromSummary(summary: SampleSummary, level = 0.95): StudentTInterval {
  assertLevel(level);
  const { n, mean, sd } = summary;
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be a non-negative integer, found ${n}`);
  if (n === 0) {
    return { mean: NaN, sd: NaN, n, df: NaN, standardError: NaN, halfWidth: NaN, lower: NaN, upper: NaN, level };
  }
  if (n === 1) {
    return { mean, sd: NaN, n, df: 0, standardError: NaN, halfWidth: Infinity, lower: -Infinity, upper: Infinity, level };
  }
  const df = n - 1;
  const standardError = sd / Math.sqrt(n);
  const halfWidth = tCritical(level, df) * standardError;
  return { mean, sd, n, df, standardError, halfWidth, lower: mean - halfWidth, upper: mean + halfWidth, level };
}

/**
 * Mean and sample standard deviation by two passes (exact mean first, then squared deviations), the most
 * accurate choice when the data are already in memory.
 * @throws RangeError for non-finite values
 */
export function summarize(values: ArrayLike<number>): SampleSummary {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (!Number.isFinite(x)) throw new RangeError(`values must be finite, found ${x} at index ${i}`);
    sum += x;
  }
  const mean = n === 0 ? NaN : sum / n;
  let ss = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    ss += d * d;
    // Stryker disable next-line AssignmentOperator: `s -= d` accumulates exactly −s (rounding is sign-symmetric) and s enters only as s²
    s += d;
  }
  // Corrected two-pass (Björck): subtracting s²/n removes the rounding error left in the mean.
  const sd = n < 2 ? NaN : Math.sqrt(Math.max(0, ss - (s * s) / n) / (n - 1));
  return { n, mean, sd };
}

/**
 * Confidence interval for the mean of independent, approximately normal observations — typically one
 * summary value per independent replication. Observations within a single run are autocorrelated: use
 * `batchMeans` for those.
 *
 * n < 2: see `ConfidenceInterval` (n = 0 → NaN everywhere, n = 1 → half-width +∞).
 */
export function studentT(values: ArrayLike<number>, level = 0.95): StudentTInterval {
  return studentTFromSummary(summarize(values), level);
}
