import { describe, expect, it } from 'vitest';
import { HistogramLayout } from '../../../src/engine/stats/histogram-layout.js';

describe('HistogramLayout (default: 1 µs .. 1 h, 7 sub-bucket bits)', () => {
  const layout = HistogramLayout.fromSpec();

  it('covers 1 µs .. 1 h with whole octaves in 4096 buckets', () => {
    expect(layout.minExponent).toBe(-20);
    expect(layout.maxExponent).toBe(11);
    expect(layout.bucketCount).toBe(32 * 128);
    expect(layout.lowestTrackable).toBeLessThanOrEqual(1e-6);
    expect(layout.overflowThreshold).toBeGreaterThan(3600);
  });

  it('bounds the midpoint error by 0.39 %, under the 0.5 % half-width budget', () => {
    expect(layout.relativeError).toBe(1 / 256);
    expect(layout.relativeError).toBeLessThanOrEqual(0.005);
  });

  it('puts every value in a bucket whose midpoint is within relativeError of it (1 µs .. 1 h)', () => {
    const steps = 50_000;
    const lo = Math.log(1e-6);
    const hi = Math.log(3600);
    let worst = 0;
    const outside: number[] = [];
    const check = (v: number): void => {
      const i = layout.indexOf(v);
      if (!(layout.lowerBound(i) <= v && v < layout.upperBound(i))) outside.push(v);
      worst = Math.max(worst, Math.abs(layout.midpoint(i) - v) / v);
    };
    for (let k = 0; k <= steps; k++) check(Math.exp(lo + ((hi - lo) * k) / steps));
    for (let e = -20; e <= 11; e++) {
      check(2 ** e); // bucket edges: the worst case for relative error
      check(2 ** e * (1 + 1 / 128));
      check(2 ** (e + 1) * (1 - Number.EPSILON));
    }
    expect(outside).toEqual([]);
    expect(worst).toBeLessThanOrEqual(layout.relativeError);
  });

  it('tiles the range: bucket i ends where bucket i+1 starts', () => {
    const gaps: number[] = [];
    for (let i = 0; i + 1 < layout.bucketCount; i++) {
      if (layout.upperBound(i) !== layout.lowerBound(i + 1)) gaps.push(i);
    }
    expect(gaps).toEqual([]);
    expect(layout.lowerBound(0)).toBe(layout.lowestTrackable);
    expect(layout.upperBound(layout.bucketCount - 1)).toBe(layout.overflowThreshold);
  });

  it('clamps out-of-range values to the first and last bucket', () => {
    expect(layout.indexOf(0)).toBe(0);
    expect(layout.indexOf(1e-12)).toBe(0);
    expect(layout.indexOf(Number.MIN_VALUE)).toBe(0);
    expect(layout.indexOf(1e6)).toBe(layout.bucketCount - 1);
    expect(layout.rawIndexOf(1e-12)).toBeLessThan(0);
    expect(layout.rawIndexOf(1e6)).toBeGreaterThanOrEqual(layout.bucketCount);
  });

  it('rejects impossible specs', () => {
    expect(() => HistogramLayout.fromSpec({ lowest: 0 })).toThrow(RangeError);
    expect(() => HistogramLayout.fromSpec({ lowest: 2, highest: 1 })).toThrow(RangeError);
    expect(() => HistogramLayout.fromSpec({ subBucketBits: 0 })).toThrow(RangeError);
    expect(() => HistogramLayout.fromSpec({ subBucketBits: 2.5 })).toThrow(RangeError);
  });

  it('finer sub-buckets tighten the bound', () => {
    expect(HistogramLayout.fromSpec({ subBucketBits: 10 }).relativeError).toBe(2 ** -11);
  });
});
