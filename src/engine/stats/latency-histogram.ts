import type { Seconds } from '../time.js';
import { HistogramLayout, type HistogramLayoutSpec } from './histogram-layout.js';
import { assertHistogramJSON, type LatencyHistogramJSON } from './latency-histogram-json.js';
import { quantileRank } from './quantile-rank.js';

/** One bucket of a histogram, for charts: values in `[lower, upper)` were counted `count` times. */
export interface HistogramBucket {
  readonly lower: Seconds;
  readonly upper: Seconds;
  readonly count: number;
}

function rejectValue(value: number): never {
  throw new RangeError(`latency must be finite and non-negative, found ${value}`);
}

function rejectCount(count: number): never {
  throw new RangeError(`count must be a non-negative safe integer, found ${count}`);
}

/**
 * Latency distribution of simulated requests, recorded once per request (the simulator's hot path).
 *
 * Log-linear buckets (see {@link HistogramLayout}) over a `Float64Array` of counts: by default 32 octaves ×
 * 128 sub-buckets = 4096 buckets (32 KiB) covering [2^-20 s ≈ 0.95 µs, 2^12 s ≈ 68 min), with every
 * reported quantile within 0.39 % of the true order statistic. Counts are doubles so they stay exact up
 * to 2^53 and `recordN`/`merge` never overflow.
 *
 * Outside the covered range:
 * - values below `lowestTrackable` (including 0) are counted in bucket 0 and in {@link underflow};
 * - values at or above `overflowThreshold` are counted in the last bucket and in {@link overflow};
 * - {@link min}, {@link max}, {@link mean} stay exact whatever the range, and quantiles are clamped to
 *   `[min, max]`, so the extremes are always right.
 *
 * Quantile convention: nearest rank (see {@link quantileRank}); the reported value is the midpoint of the
 * bucket holding that rank, clamped to `[min, max]`; ranks 1 and n return the exact min and max.
 */
export class LatencyHistogram implements Iterable<HistogramBucket> {
  readonly layout: HistogramLayout;
  private readonly counts: Float64Array;
  private total = 0;
  private sum = 0;
  private lo = Infinity;
  private hi = -Infinity;
  private under = 0;
  private over = 0;

  constructor(layout: HistogramLayoutSpec | HistogramLayout = {}) {
    this.layout = layout instanceof HistogramLayout ? layout : HistogramLayout.fromSpec(layout);
    this.counts = new Float64Array(this.layout.bucketCount);
  }

  /**
   * Records one value. Allocation-free: one bounds check, a bit-level bucket index, five field updates.
   * @throws RangeError for negative, NaN or infinite values (a model bug, not a latency)
   */
  record(value: Seconds): void {
    if (!(value >= 0 && value - value === 0)) rejectValue(value);
    const i = this.layout.rawIndexOf(value);
    const counts = this.counts;
    // Out-of-range values are counted out of line, which keeps this small enough for V8 to inline.
    if (i >= 0 && i < counts.length) counts[i]++;
    else this.countOutside(i, 1);
    this.total++;
    this.sum += value;
    if (value < this.lo) this.lo = value;
    if (value > this.hi) this.hi = value;
  }

  /** Records `count` occurrences of `value` (e.g. replaying pre-aggregated data). `count = 0` is a no-op. */
  recordN(value: Seconds, count: number): void {
    if (!(value >= 0 && value <= Number.MAX_VALUE)) rejectValue(value);
    if (!(Number.isSafeInteger(count) && count >= 0)) rejectCount(count);
    if (count === 0) return;
    const i = this.layout.rawIndexOf(value);
    if (i >= 0 && i < this.counts.length) this.counts[i] += count;
    else this.countOutside(i, count);
    this.total += count;
    this.sum += value * count;
    if (value < this.lo) this.lo = value;
    if (value > this.hi) this.hi = value;
  }

  /** Counts values whose raw index lies outside the covered range into the first or last bucket. */
  private countOutside(i: number, count: number): void {
    if (i < 0) {
      this.counts[0] += count;
      this.under += count;
    } else {
      this.counts[this.counts.length - 1] += count;
      this.over += count;
    }
  }

  /** Number of recorded values. */
  get count(): number {
    return this.total;
  }

  /** Exact smallest recorded value; NaN when empty. */
  get min(): Seconds {
    return this.total === 0 ? NaN : this.lo;
  }

  /** Exact largest recorded value; NaN when empty. */
  get max(): Seconds {
    return this.total === 0 ? NaN : this.hi;
  }

  /**
   * Exact arithmetic mean (running double sum, not bucket midpoints); NaN when empty. The sum's relative
   * rounding error grows at worst like n·2^-53, i.e. < 1e-8 for 10^8 requests.
   */
  get mean(): Seconds {
    return this.total === 0 ? NaN : this.sum / this.total;
  }

  /** Values that fell below `layout.lowestTrackable` (counted in bucket 0, outside the error bound). */
  get underflow(): number {
    return this.under;
  }

  /** Values at or above `layout.overflowThreshold` (counted in the last bucket, outside the error bound). */
  get overflow(): number {
    return this.over;
  }

  /**
   * The q-quantile, q ∈ [0, 1], by nearest rank: the midpoint of the bucket holding the ⌈q·n⌉-th smallest
   * value, clamped to [min, max]. Within `layout.relativeError` of the exact order statistic when that
   * value lies in the covered range. NaN when empty. O(buckets): meant for reporting, not the hot path.
   */
  quantile(q: number): Seconds {
    if (this.total === 0) {
      quantileRank(q, 1); // still reject an invalid q
      return NaN;
    }
    const rank = quantileRank(q, this.total);
    if (rank === 1) return this.lo;
    if (rank === this.total) return this.hi;
    const counts = this.counts;
    let cumulative = 0;
    for (let i = 0; i < counts.length; i++) {
      cumulative += counts[i]!;
      if (cumulative >= rank) {
        const mid = this.layout.midpoint(i);
        return mid < this.lo ? this.lo : mid > this.hi ? this.hi : mid;
      }
    }
    return this.hi; // unreachable: the counts sum to total
  }

  /**
   * Adds `other`'s counts into this histogram (e.g. aggregating replications or worker shards).
   * @throws RangeError when the layouts differ: re-bucketing would silently break the error bound
   */
  merge(other: LatencyHistogram): this {
    if (!this.layout.equals(other.layout)) {
      throw new RangeError(
        `cannot merge histograms with different layouts: ${JSON.stringify(this.layout)} vs ${JSON.stringify(other.layout)}`,
      );
    }
    const mine = this.counts;
    const theirs = other.counts;
    for (let i = 0; i < mine.length; i++) mine[i]! += theirs[i]!;
    this.total += other.total;
    this.sum += other.sum;
    this.under += other.under;
    this.over += other.over;
    if (other.lo < this.lo) this.lo = other.lo;
    if (other.hi > this.hi) this.hi = other.hi;
    return this;
  }

  /** Forgets everything recorded (e.g. at the end of the warm-up period); keeps the layout and memory. */
  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.sum = 0;
    this.lo = Infinity;
    this.hi = -Infinity;
    this.under = 0;
    this.over = 0;
  }

  /** Non-empty buckets in increasing value order. Under/overflow are folded into the first/last bucket. */
  *buckets(): Generator<HistogramBucket, void, undefined> {
    const counts = this.counts;
    for (let i = 0; i < counts.length; i++) {
      const count = counts[i]!;
      if (count !== 0) yield { lower: this.layout.lowerBound(i), upper: this.layout.upperBound(i), count };
    }
  }

  [Symbol.iterator](): Iterator<HistogramBucket> {
    return this.buckets();
  }

  /** Compact plain data: layout, exact summary, and only the non-empty buckets as parallel arrays. */
  toJSON(): LatencyHistogramJSON {
    const indices: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < this.counts.length; i++) {
      const c = this.counts[i]!;
      if (c !== 0) {
        indices.push(i);
        counts.push(c);
      }
    }
    const empty = this.total === 0;
    return {
      layout: this.layout.toJSON(),
      count: this.total,
      sum: this.sum,
      min: empty ? null : this.lo,
      max: empty ? null : this.hi,
      underflow: this.under,
      overflow: this.over,
      indices,
      counts,
    };
  }

  /**
   * Rebuilds a histogram from {@link toJSON} output (possibly after `JSON.parse` or a worker message).
   * @throws TypeError or RangeError when the data is inconsistent
   */
  static fromJSON(data: LatencyHistogramJSON): LatencyHistogram {
    const layout = new HistogramLayout(data.layout);
    assertHistogramJSON(data, layout.bucketCount);
    const h = new LatencyHistogram(layout);
    for (let k = 0; k < data.indices.length; k++) h.counts[data.indices[k]!] = data.counts[k]!;
    h.total = data.count;
    h.sum = data.sum;
    h.lo = data.min ?? Infinity;
    h.hi = data.max ?? -Infinity;
    h.under = data.underflow;
    h.over = data.overflow;
    return h;
  }
}
