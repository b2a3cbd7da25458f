import type { StudentTInterval } from './confidence-interval.js';
import { studentTFromSummary, summarize } from './student-t.js';

/** How to cut a series into batches: a number of batches, or a batch size. */
export type BatchSpec = { readonly batches: number } | { readonly batchSize: number };

/** A batch-means confidence interval; `n`, `sd`, `df` refer to the batch means. */
export interface BatchMeansInterval extends StudentTInterval {
  readonly batches: number;
  readonly batchSize: number;
  /** Leading observations left out so that the batches are equal (fewer than one batch). */
  readonly discarded: number;
  /** Lag-1 sample autocorrelation of the batch means; NaN when they are all equal. */
  readonly lag1Autocorrelation: number;
  /**
   * True when `lag1Autocorrelation > 2/√batches`: the batches are probably too short to be independent,
   * so the interval is likely too narrow. Use fewer, larger batches (or a longer run).
   */
  readonly autocorrelated: boolean;
}

/**
 * Confidence interval for the steady-state mean from one long (already warm-up-truncated) run.
 *
 * Consecutive observations of a queue are strongly correlated, so a t interval on them is far too
 * narrow. Means of long enough batches are nearly independent and normal; a t interval on the batch
 * means is then valid. 20 batches (default) trade degrees of freedom against batch length, following
 * the usual 10–30 advice.
 *
 * When the length is not a multiple of the batch size, the remainder is dropped from the *front* of the
 * series (the part closest to any residual transient).
 *
 * Independence check: under independent batch means the lag-1 autocorrelation r₁ is approximately
 * N(−1/b, 1/b), so r₁ > 2/√b is roughly a 2σ signal that the batches are too short; it is reported, not
 * enforced.
 *
 * @throws RangeError for fewer than 2 batches, a non-positive batch size, a series too short, or
 *   non-finite values
 */
export function batchMeans(
  series: ArrayLike<number>,
  spec: BatchSpec = { batches: 20 },
  level = 0.95,
): BatchMeansInterval {
  const n = series.length;
  let batches: number;
  let batchSize: number;
  if ('batches' in spec) {
    batches = spec.batches;
    if (!(Number.isInteger(batches) && batches >= 2)) throw new RangeError(`need an integer ≥ 2 batches, found ${batches}`);
    batchSize = Math.floor(n / batches);
  } else {
    batchSize = spec.batchSize;
    if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
      throw new RangeError(`batch size must be a positive integer, found ${batchSize}`);
    }
    batches = Math.floor(n / batchSize);
  }
  if (batchSize < 1 || batches < 2) {
    throw new RangeError(`series of ${n} observations is too short for ${batches} batches of ${batchSize}`);
  }
  const discarded = n - batches * batchSize;
  const z = new Float64Array(batches);
  for (let j = 0; j < batches; j++) {
    let s = 0;
    for (let i = discarded + j * batchSize, end = i + batchSize; i < end; i++) s += series[i]!;
    if (!Number.isFinite(s)) throw new RangeError(`series must be finite (batch ${j} sums to ${s})`);
    z[j] = s / batchSize;
  }
  const summary = summarize(z);
  let num = 0;
  let den = 0;
  for (let j = 0; j < batches; j++) {
    const d = z[j]! - summary.mean;
    den += d * d;
    if (j + 1 < batches) num += d * (z[j + 1]! - summary.mean);
  }
  const lag1Autocorrelation = den > 0 ? num / den : NaN;
  return {
    ...studentTFromSummary(summary, level),
    batches,
    batchSize,
    discarded,
    lag1Autocorrelation,
    autocorrelated: lag1Autocorrelation > 2 / Math.sqrt(batches),
  };
}
