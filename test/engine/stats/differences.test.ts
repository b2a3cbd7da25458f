import { describe, expect, it } from 'vitest';
import { tCritical } from '../../../src/engine/stats/confidence-interval.js';
import { pairedDifference } from '../../../src/engine/stats/paired-difference.js';
import { welchDifference } from '../../../src/engine/stats/welch-difference.js';
import { mulberry32, normal } from './helpers/prng.js';

describe('pairedDifference', () => {
  /**
   * Two configurations under common random numbers: replication i shares a large common component
   * (the seed's workload), so a[i] and b[i] are strongly positively correlated. True difference: 1.
   */
  const z = normal(mulberry32(2024));
  const n = 20;
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n; i++) {
    const common = 10 * z();
    a.push(100 + common + z());
    b.push(99 + common + z());
  }

  it('is the t interval of a[i] − b[i], n counting pairs', () => {
    const ci = pairedDifference(a, b);
    const mean = a.reduce((s, x) => s + x, 0) / n - b.reduce((s, x) => s + x, 0) / n;
    expect(ci.n).toBe(n);
    expect(ci.mean).toBeCloseTo(mean, 10);
    expect(ci.lower).toBeLessThan(1);
    expect(ci.upper).toBeGreaterThan(1);
  });

  it('is much tighter than the unpaired (Welch) interval when pairs are positively correlated', () => {
    const paired = pairedDifference(a, b);
    const unpaired = welchDifference(a, b);
    expect(paired.mean).toBeCloseTo(unpaired.mean, 10); // same point estimate
    expect(paired.halfWidth).toBeLessThan(unpaired.halfWidth / 4);
    expect(paired.lower).toBeGreaterThan(0); // pairing detects the difference…
    expect(unpaired.lower).toBeLessThan(0); // …that independent comparison cannot
  });

  it('requires the same number of observations on both sides', () => {
    expect(() => pairedDifference([1, 2, 3], [1, 2])).toThrow(RangeError);
  });
});

describe('welchDifference', () => {
  it('matches a hand computation (unequal variances and sizes)', () => {
    // a: mean 3, var 2.5, n 5; b: mean 7, var 14, n 6.
    const ci = welchDifference([1, 2, 3, 4, 5], [2, 4, 6, 8, 10, 12]);
    const va = 2.5 / 5;
    const vb = 14 / 6;
    const se = Math.sqrt(va + vb);
    const df = (va + vb) ** 2 / (va ** 2 / 4 + vb ** 2 / 5);
    expect(ci.mean).toBe(-4);
    expect(ci.standardError).toBeCloseTo(se, 12);
    expect(ci.df).toBeCloseTo(6.97226, 4);
    expect(ci.df).toBeCloseTo(df, 12);
    expect(ci.halfWidth).toBeCloseTo(tCritical(0.95, df) * se, 12);
    expect(ci.nA).toBe(5);
    expect(ci.nB).toBe(6);
  });

  it('has an infinite half-width when a side has a single value', () => {
    expect(welchDifference([1], [2, 3]).halfWidth).toBe(Infinity);
    expect(welchDifference([], [2, 3]).halfWidth).toBeNaN();
  });
});
