import { describe, expect, it } from 'vitest';
import { HistogramLayout } from '../../../src/engine/stats/histogram-layout.js';

/**
 * A layout small enough to enumerate by hand: octaves 2^-2 .. 2^1 (values 0.25 .. 4), 2 sub-bucket bits, so
 * each octave [2^e, 2^(e+1)) is cut into 4 equal buckets of width 2^e / 4. Every bound below is a dyadic
 * rational, hence exact in binary floating point.
 */
// Built inside each test, not once per file: Stryker attributes code run while collecting tests to no test.
function smallLayout(): HistogramLayout {
  return new HistogramLayout({ minExponent: -2, maxExponent: 1, subBucketBits: 2 });
}

describe('HistogramLayout on a hand-enumerated layout (0.25 .. 4, 4 buckets per octave)', () => {

  it('derives its geometry from the exponents and sub-bucket bits', () => {
    const small = smallLayout();
    expect(small.bucketCount).toBe(16); // 4 octaves × 4
    expect(small.relativeError).toBe(0.125); // 2^-(2+1)
    expect(small.lowestTrackable).toBe(0.25);
    expect(small.overflowThreshold).toBe(4);
    expect(small.shift).toBe(18); // 20 high-word mantissa bits − 2
    expect(small.base).toBe((-2 + 1023) * 4);
    expect(small.toJSON()).toEqual({ minExponent: -2, maxExponent: 1, subBucketBits: 2 });
  });

  it('bucket bounds: octave × (1 + sub/4)', () => {
    const small = smallLayout();
    const expected: Array<[number, number, number]> = [
      [0, 0.25, 0.3125],
      [1, 0.3125, 0.375],
      [3, 0.4375, 0.5],
      [4, 0.5, 0.625],
      [5, 0.625, 0.75],
      [8, 1, 1.25],
      [14, 3, 3.5],
      [15, 3.5, 4],
    ];
    for (const [i, lower, upper] of expected) {
      expect(small.lowerBound(i), `lower ${i}`).toBe(lower);
      expect(small.upperBound(i), `upper ${i}`).toBe(upper);
      expect(small.midpoint(i), `midpoint ${i}`).toBe((lower + upper) / 2);
    }
  });

  it('maps values to buckets: lower bounds inclusive, upper bounds exclusive', () => {
    const small = smallLayout();
    const cases: Array<[number, number]> = [
      [0.25, 0],
      [0.3, 0],
      [0.3125, 1],
      [0.49, 3],
      [0.5, 4],
      [0.6, 4],
      [0.625, 5],
      [0.875, 7],
      [1, 8],
      [1.1, 8],
      [3, 14],
      [3.75, 15],
      [4 - 2 ** -50, 15],
    ];
    for (const [value, index] of cases) {
      expect(small.indexOf(value), `indexOf(${value})`).toBe(index);
      expect(small.rawIndexOf(value), `rawIndexOf(${value})`).toBe(index);
    }
  });

  it('raw indices run past both ends; indexOf clamps them to the first and last bucket', () => {
    const small = smallLayout();
    expect(small.rawIndexOf(0.2499)).toBe(-1); // last bucket of octave 2^-3
    expect(small.rawIndexOf(0.125)).toBe(-4);
    expect(small.rawIndexOf(4)).toBe(16);
    expect(small.rawIndexOf(8)).toBe(20);
    expect(small.indexOf(0.2499)).toBe(0);
    expect(small.indexOf(0)).toBe(0);
    expect(small.indexOf(4)).toBe(15);
    expect(small.indexOf(1e300)).toBe(15);
  });

  it('is equal exactly when all three parameters are', () => {
    const small = smallLayout();
    const same = new HistogramLayout({ minExponent: -2, maxExponent: 1, subBucketBits: 2 });
    expect(small.equals(same)).toBe(true);
    expect(small.equals(new HistogramLayout({ minExponent: -3, maxExponent: 1, subBucketBits: 2 }))).toBe(false);
    expect(small.equals(new HistogramLayout({ minExponent: -2, maxExponent: 2, subBucketBits: 2 }))).toBe(false);
    expect(small.equals(new HistogramLayout({ minExponent: -2, maxExponent: 1, subBucketBits: 3 }))).toBe(false);
  });
});

describe('HistogramLayout limits', () => {
  it('accepts sub-bucket bits 1 ..20 (the mantissa bits in the high word) and nothing else', () => {
    const layout = (subBucketBits: number) => new HistogramLayout({ minExponent: 0, maxExponent: 0, subBucketBits });
    expect(layout(1).bucketCount).toBe(2);
    expect(layout(1).upperBound(0)).toBe(1.5);
    expect(layout(20).bucketCount).toBe(2 ** 20);
    expect(layout(20).indexOf(1 + 2 ** -20)).toBe(1); // the last mantissa bit of the high word
    expect(() => layout(0)).toThrow('subBucketBits must be an integer in [1, 20], found 0');
    expect(() => layout(21)).toThrow('subBucketBits must be an integer in [1, 20], found 21');
    expect(() => layout(1.5)).toThrow('subBucketBits must be an integer in [1, 20], found 1.5');
  });

  it('accepts exponents within the normal doubles, lowest ≤ highest', () => {
    // 2^-1022 is the smallest normal double; 2^1023 the largest octave, whose upper end 2^1024 overflows.
    const tiny = new HistogramLayout({ minExponent: -1022, maxExponent: -1022, subBucketBits: 1 });
    expect(tiny.lowestTrackable).toBe(2 ** -1022);
    expect(tiny.indexOf(2 ** -1022 * 1.5)).toBe(1);
    const huge = new HistogramLayout({ minExponent: 1022, maxExponent: 1022, subBucketBits: 1 });
    expect(huge.indexOf(2 ** 1022)).toBe(0);
    expect(huge.indexOf(2 ** 1022 * 1.5)).toBe(1);
    const one = new HistogramLayout({ minExponent: 5, maxExponent: 5, subBucketBits: 3 });
    expect(one.bucketCount).toBe(8);
    const bad: Array<[number, number]> = [
      [-1023, 0],
      [0, 1023],
      [3, 2],
      [0.5, 2],
      [0, 2.5],
    ];
    for (const [minExponent, maxExponent] of bad) {
      expect(() => new HistogramLayout({ minExponent, maxExponent, subBucketBits: 2 })).toThrow(
        `invalid exponent range [${minExponent}, ${maxExponent}]`,
      );
    }
  });

  it('fromSpec: the whole octaves holding lowest and highest', () => {
    const layout = HistogramLayout.fromSpec({ lowest: 0.3, highest: 8, subBucketBits: 3 });
    expect(layout.toJSON()).toEqual({ minExponent: -2, maxExponent: 3, subBucketBits: 3 }); // 8 = 2^3 starts an octave
    expect(HistogramLayout.fromSpec({ lowest: 1, highest: 7.9 }).toJSON()).toEqual({
      minExponent: 0,
      maxExponent: 2,
      subBucketBits: 7,
    });
    expect(HistogramLayout.fromSpec({ highest: 1 }).minExponent).toBe(-20); // default lowest 1 µs
    expect(HistogramLayout.fromSpec({ lowest: 1 }).maxExponent).toBe(11); // default highest 1 h
  });

  it('fromSpec rejects an empty or unbounded range', () => {
    const message = (lo: number, hi: number) => `histogram range must satisfy 0 < lowest < highest < ∞, found [${lo}, ${hi}]`;
    expect(() => HistogramLayout.fromSpec({ lowest: 0, highest: 1 })).toThrow(message(0, 1));
    expect(() => HistogramLayout.fromSpec({ lowest: 2, highest: 2 })).toThrow(message(2, 2));
    expect(() => HistogramLayout.fromSpec({ lowest: 1, highest: Infinity })).toThrow(message(1, Infinity));
    expect(() => HistogramLayout.fromSpec({ lowest: NaN, highest: 1 })).toThrow(message(NaN, 1));
  });
});
