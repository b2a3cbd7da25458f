/** Outcome of an MSER warm-up analysis. Observation counts refer to the raw series. */
export interface MserResult {
  /** Number of leading batches to discard (d*). */
  readonly truncateBatches: number;
  /** Number of leading raw observations to discard: `truncateBatches × batchSize`. */
  readonly truncateObservations: number;
  readonly batchSize: number;
  /** Number of complete batches formed (a trailing partial batch is ignored). */
  readonly batches: number;
  /** Largest d examined: the search stops before the second half (see {@link mser}). */
  readonly searchLimit: number;
  /**
   * True when the minimum sits on the search limit: the transient may extend beyond half the run, so the
   * run is too short to trust the truncation point. Lengthen the run rather than use the answer.
   */
  readonly hitSearchLimit: boolean;
  /** MSER(d*) = Σ_{j>d*} (Z_j − Z̄(d*))² / (k − d*)², the minimised statistic. */
  readonly statistic: number;
  /** Mean of the batch means kept after truncation, Z̄(d*). */
  readonly truncatedMean: number;
}

/**
 * MSER warm-up detection (Marginal Standard Error Rule, White 1997; White, Cobb & Spratt 2000) on batch
 * means of `batchSize` consecutive observations.
 *
 * For each candidate truncation d it computes MSER(d) = S²(d) / (k − d), i.e. the squared standard error
 * of the mean of the batches that remain, and picks the d that minimises it: truncating removes bias but
 * also data, and MSER balances the two. Batching (5 is the classic MSER-5) smooths noise that otherwise
 * makes the statistic jumpy.
 *
 * Only d < k/2 is searched: near the end of the series so few batches remain that MSER(d) collapses
 * toward 0 by chance (and is exactly 0 at d = k − 1). This is the standard remedy; a minimum found at the
 * limit is reported through {@link MserResult.hitSearchLimit}. Ties pick the smallest d.
 *
 * O(n) time (one reverse Welford pass over batch means), O(n / batchSize) memory.
 *
 * @throws RangeError with fewer than 2 complete batches or non-finite values
 */
export function mser(series: ArrayLike<number>, batchSize: number): MserResult {
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new RangeError(`batch size must be a positive integer, found ${batchSize}`);
  }
  const k = Math.floor(series.length / batchSize);
  if (k < 2) {
    throw new RangeError(`MSER needs at least 2 complete batches (${2 * batchSize} observations), found ${series.length}`);
  }
  const z = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = j * batchSize, end = i + batchSize; i < end; i++) s += series[i]!;
    if (!Number.isFinite(s)) throw new RangeError(`series must be finite (batch ${j} is ${s})`);
    z[j] = s / batchSize;
  }
  const searchLimit = Math.floor((k - 1) / 2);
  // Reverse Welford: after adding z[j], (mean, m2) describe z[j..k-1], i.e. truncation d = j.
  let mean = 0;
  let m2 = 0;
  let best = Infinity;
  let bestD = 0;
  let bestMean = NaN;
  for (let j = k - 1; j >= 0; j--) {
    const m = k - j;
    const delta = z[j]! - mean;
    mean += delta / m;
    m2 += delta * (z[j]! - mean);
    if (j <= searchLimit) {
      const statistic = m2 / (m * m);
      if (statistic <= best) {
        best = statistic;
        bestD = j;
        bestMean = mean;
      }
    }
  }
  return {
    truncateBatches: bestD,
    truncateObservations: bestD * batchSize,
    batchSize,
    batches: k,
    searchLimit,
    hitSearchLimit: searchLimit > 0 && bestD === searchLimit,
    statistic: best,
    truncatedMean: bestMean,
  };
}

/** MSER-5: {@link mser} with the batch size of 5 recommended by White et al. */
export function mser5(series: ArrayLike<number>): MserResult {
  return mser(series, 5);
}
