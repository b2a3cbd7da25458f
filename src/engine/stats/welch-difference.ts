import { assertLevel, tCritical, type ConfidenceInterval } from './confidence-interval.js';
import { summarize } from './student-t.js';

/** Welch interval for a difference of means of two independent samples. */
export interface WelchInterval extends ConfidenceInterval {
  readonly nA: number;
  readonly nB: number;
  /** √(sA²/nA + sB²/nB). */
  readonly standardError: number;
  /** Welch–Satterthwaite degrees of freedom (fractional). */
  readonly df: number;
}

/**
 * Confidence interval for mean(a) − mean(b) when the samples are independent (different seeds) and may
 * have unequal variances and sizes. Use `pairedDifference` instead when replications share random
 * numbers. With fewer than 2 values on either side the spread is unknown: half-width +∞ (NaN if a side is
 * empty), as in `ConfidenceInterval`.
 */
export function welchDifference(a: ArrayLike<number>, b: ArrayLike<number>, level = 0.95): WelchInterval {
  assertLevel(level);
  const sa = summarize(a);
  const sb = summarize(b);
  const mean = sa.mean - sb.mean;
  const nA = sa.n;
  const nB = sb.n;
  if (nA === 0 || nB === 0) {
    return { mean: NaN, halfWidth: NaN, lower: NaN, upper: NaN, level, nA, nB, standardError: NaN, df: NaN };
  }
  if (nA < 2 || nB < 2) {
    return { mean, halfWidth: Infinity, lower: -Infinity, upper: Infinity, level, nA, nB, standardError: NaN, df: NaN };
  }
  const va = (sa.sd * sa.sd) / nA;
  const vb = (sb.sd * sb.sd) / nB;
  const standardError = Math.sqrt(va + vb);
  if (standardError === 0) {
    return { mean, halfWidth: 0, lower: mean, upper: mean, level, nA, nB, standardError, df: nA + nB - 2 };
  }
  const df = ((va + vb) * (va + vb)) / ((va * va) / (nA - 1) + (vb * vb) / (nB - 1));
  const halfWidth = tCritical(level, df) * standardError;
  return { mean, halfWidth, lower: mean - halfWidth, upper: mean + halfWidth, level, nA, nB, standardError, df };
}
