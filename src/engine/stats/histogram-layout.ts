import type { Seconds } from '../time.js';

/**
 * Bucket geometry of a {@link LatencyHistogram}: log-linear, HdrHistogram style.
 *
 * Each power-of-two octave `[2^e, 2^(e+1))` is split into `2^subBucketBits` equal-width sub-buckets. The
 * width of a sub-bucket relative to the smallest value it holds is at most `2^-subBucketBits`, so reporting
 * a bucket's midpoint is off by at most `2^-(subBucketBits+1)` relative to any value in it. With the
 * default 7 bits that is 1/256 ≈ 0.39 % (the brief asks for ≤ 0.5 %).
 *
 * Why octaves of the IEEE-754 exponent: the bucket index of a positive double is then simply its top bits
 * (11 exponent bits followed by the first `subBucketBits` mantissa bits), read through an `Int32Array`
 * view of a `Float64Array`. No `Math.log`, no loop, no allocation: that is what keeps `record` cheap.
 */
export interface HistogramLayoutSpec {
  /** Lowest value (seconds) that must be resolved with the relative error bound. Default 1 µs. */
  readonly lowest?: Seconds;
  /** Highest value (seconds) that must be resolved with the relative error bound. Default 1 h. */
  readonly highest?: Seconds;
  /** log2 of the number of sub-buckets per octave; relative error ≤ 2^-(bits+1). Default 7. */
  readonly subBucketBits?: number;
}

/** Plain-data identity of a layout, as stored in histogram JSON. Two histograms merge iff these are equal. */
export interface HistogramLayoutJSON {
  /** Exponent of the lowest octave: the first bucket starts at `2^minExponent`. */
  readonly minExponent: number;
  /** Exponent of the highest octave: the last bucket ends at `2^(maxExponent+1)`. */
  readonly maxExponent: number;
  readonly subBucketBits: number;
}

/** Number of mantissa bits held in the high 32-bit word of a double. */
const HIGH_WORD_MANTISSA_BITS = 20;
const EXPONENT_BIAS = 1023;
/** Smallest and largest normal-double exponents: the bit trick below only holds for normal numbers. */
const MIN_NORMAL_EXPONENT = -1022;
const MAX_NORMAL_EXPONENT = 1023;

/**
 * Scratch space shared by every histogram of this isolate (JS is single-threaded per isolate; worker
 * threads get their own module instance). Writing a double and reading its high word back is how the
 * bucket index is computed without allocating.
 */
const SCRATCH_F64 = new Float64Array(1);
const SCRATCH_I32 = new Int32Array(SCRATCH_F64.buffer);
/** Index of the high (sign/exponent) word in {@link SCRATCH_I32}: 1 on little-endian hosts. */
const HIGH_WORD = (() => {
  SCRATCH_F64[0] = 1; // 0x3FF00000_00000000
  return SCRATCH_I32[1] === 0x3ff00000 ? 1 : 0;
})();

export class HistogramLayout {
  readonly minExponent: number;
  readonly maxExponent: number;
  readonly subBucketBits: number;
  /** Total number of buckets: octaves × sub-buckets per octave. */
  readonly bucketCount: number;
  /** Upper bound on |midpoint − value| / value for any value inside the covered range. */
  readonly relativeError: number;
  /** Smallest value resolved within {@link relativeError}; below it values fold into bucket 0. */
  readonly lowestTrackable: Seconds;
  /** Values at or above this are clamped into the last bucket and counted as overflow. */
  readonly overflowThreshold: Seconds;
  /** Right shift turning a double's high word into `(biased exponent << bits) | top mantissa bits`. */
  readonly shift: number;
  /** `(biased minExponent) << bits`: subtracting it makes the first bucket index 0. */
  readonly base: number;

  constructor(layout: HistogramLayoutJSON) {
    const { minExponent, maxExponent, subBucketBits } = layout;
    if (!Number.isInteger(subBucketBits) || subBucketBits < 1 || subBucketBits > HIGH_WORD_MANTISSA_BITS) {
      throw new RangeError(`subBucketBits must be an integer in [1, ${HIGH_WORD_MANTISSA_BITS}], found ${subBucketBits}`);
    }
    if (
      !Number.isInteger(minExponent) ||
      !Number.isInteger(maxExponent) ||
      minExponent < MIN_NORMAL_EXPONENT ||
      maxExponent > MAX_NORMAL_EXPONENT - 1 ||
      minExponent > maxExponent
    ) {
      throw new RangeError(`invalid exponent range [${minExponent}, ${maxExponent}]`);
    }
    this.minExponent = minExponent;
    this.maxExponent = maxExponent;
    this.subBucketBits = subBucketBits;
    this.bucketCount = (maxExponent - minExponent + 1) << subBucketBits;
    this.relativeError = 2 ** -(subBucketBits + 1);
    this.lowestTrackable = 2 ** minExponent;
    this.overflowThreshold = 2 ** (maxExponent + 1);
    this.shift = HIGH_WORD_MANTISSA_BITS - subBucketBits;
    this.base = (minExponent + EXPONENT_BIAS) << subBucketBits;
  }

  /** The smallest layout covering `[lowest, highest]` with whole octaves. */
  static fromSpec(spec: HistogramLayoutSpec = {}): HistogramLayout {
    const lowest = spec.lowest ?? 1e-6;
    const highest = spec.highest ?? 3600;
    const subBucketBits = spec.subBucketBits ?? 7;
    if (!(lowest > 0 && Number.isFinite(highest) && highest > lowest)) {
      throw new RangeError(`histogram range must satisfy 0 < lowest < highest < ∞, found [${lowest}, ${highest}]`);
    }
    return new HistogramLayout({
      minExponent: Math.floor(Math.log2(lowest)),
      maxExponent: Math.floor(Math.log2(highest)),
      subBucketBits,
    });
  }

  /**
   * Bucket index of a non-negative finite value, clamped to `[0, bucketCount)`. Not used by the
   * histogram's hot path (which inlines the same arithmetic to also count under/overflow), but the
   * single reference for anyone else mapping values to buckets.
   */
  indexOf(value: Seconds): number {
    SCRATCH_F64[0] = value;
    const i = (SCRATCH_I32[HIGH_WORD]! >>> this.shift) - this.base;
    return i < 0 ? 0 : i >= this.bucketCount ? this.bucketCount - 1 : i;
  }

  /** Raw (unclamped) bucket index; negative below the range, ≥ bucketCount above it. Hot-path helper. */
  rawIndexOf(value: Seconds): number {
    SCRATCH_F64[0] = value;
    return (SCRATCH_I32[HIGH_WORD]! >>> this.shift) - this.base;
  }

  /** Inclusive lower bound of bucket `index`. */
  lowerBound(index: number): Seconds {
    const octave = index >>> this.subBucketBits;
    const sub = index & ((1 << this.subBucketBits) - 1);
    return 2 ** (this.minExponent + octave) * (1 + sub / (1 << this.subBucketBits));
  }

  /** Exclusive upper bound of bucket `index`. */
  upperBound(index: number): Seconds {
    const octave = index >>> this.subBucketBits;
    const sub = index & ((1 << this.subBucketBits) - 1);
    return 2 ** (this.minExponent + octave) * (1 + (sub + 1) / (1 << this.subBucketBits));
  }

  /** Value reported for bucket `index`: the midpoint, which bounds the relative error on both sides. */
  midpoint(index: number): Seconds {
    return (this.lowerBound(index) + this.upperBound(index)) / 2;
  }

  equals(other: HistogramLayout): boolean {
    return (
      this.minExponent === other.minExponent &&
      this.maxExponent === other.maxExponent &&
      this.subBucketBits === other.subBucketBits
    );
  }

  toJSON(): HistogramLayoutJSON {
    return { minExponent: this.minExponent, maxExponent: this.maxExponent, subBucketBits: this.subBucketBits };
  }
}
