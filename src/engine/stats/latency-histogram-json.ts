import type { HistogramLayoutJSON } from './histogram-layout.js';

/**
 * Serialized {@link LatencyHistogram}: plain data (JSON- and structured-clone-safe) so histograms can cross
 * worker threads and be written into reports, then merged across replications.
 *
 * Sparse: only non-empty buckets, as two parallel arrays in increasing bucket order. A typical latency
 * distribution touches a few hundred of the 4096 buckets.
 */
export interface LatencyHistogramJSON {
  readonly layout: HistogramLayoutJSON;
  /** Number of recorded values (equals the sum of `counts`). */
  readonly count: number;
  /** Exact sum of recorded values, so the mean survives the round trip exactly. */
  readonly sum: number;
  /** Exact extremes; `null` when empty (JSON has no ±Infinity). */
  readonly min: number | null;
  readonly max: number | null;
  /** Values recorded below the lowest trackable value (folded into bucket 0). */
  readonly underflow: number;
  /** Values recorded at or above the overflow threshold (clamped into the last bucket). */
  readonly overflow: number;
  /** Bucket indices of non-empty buckets, strictly increasing. */
  readonly indices: readonly number[];
  /** Count of each bucket in `indices`, all positive integers. */
  readonly counts: readonly number[];
}

function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

/**
 * Checks the invariants {@link LatencyHistogram.fromJSON} relies on. Data arriving from a file or another
 * process is untrusted: a malformed histogram should fail loudly here, not yield wrong percentiles later.
 *
 * @throws TypeError describing the first violated invariant
 */
export function assertHistogramJSON(data: LatencyHistogramJSON, bucketCount: number): void {
  const fail = (why: string): never => {
    throw new TypeError(`invalid histogram JSON: ${why}`);
  };
  if (!isCount(data.count)) fail(`count must be a non-negative integer, found ${String(data.count)}`);
  if (!isCount(data.underflow) || !isCount(data.overflow)) fail('underflow/overflow must be non-negative integers');
  if (!Array.isArray(data.indices) || !Array.isArray(data.counts)) fail('indices and counts must be arrays');
  if (data.indices.length !== data.counts.length) fail('indices and counts must have the same length');
  let total = 0;
  let previous = -1;
  for (let k = 0; k < data.indices.length; k++) {
    const i = data.indices[k];
    const c = data.counts[k];
    if (!Number.isInteger(i) || i! <= previous || i! >= bucketCount) {
      fail(`indices must be strictly increasing integers in [0, ${bucketCount}), found ${String(i)} at ${k}`);
    }
    if (!isCount(c) || c === 0) fail(`counts must be positive integers, found ${String(c)} at ${k}`);
    previous = i!;
    total += c!;
  }
  if (total !== data.count) fail(`count ${data.count} differs from the sum of bucket counts ${total}`);
  if (data.count === 0) {
    if (data.min !== null || data.max !== null || data.sum !== 0) fail('an empty histogram has min = max = null, sum = 0');
  } else {
    const { min, max, sum } = data;
    if (typeof min !== 'number' || typeof max !== 'number' || !(min >= 0 && min <= max && Number.isFinite(max))) {
      fail('a non-empty histogram needs finite 0 ≤ min ≤ max');
    }
    if (typeof sum !== 'number' || !Number.isFinite(sum) || sum < 0) fail('sum must be finite and non-negative');
  }
}
