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

/** Hand-computed paired and Welch intervals; t quantiles from a printed table (two-sided 95 %). */
describe('pairedDifference (exact)', () => {
  it('is the t interval of the differences: d = (1, 2, 3, 3), t(3) = 3.182446', () => {
    const ci = pairedDifference([5, 7, 9, 11], [4, 5, 6, 8]);
    // mean 2.25; deviations −1.25, −0.25, 0.75, 0.75: Σd² = 2.75, sd² = 2.75/3, se = sd/2.
    const se = Math.sqrt(2.75 / 3) / 2;
    expect(ci.n).toBe(4);
    expect(ci.df).toBe(3);
    expect(ci.mean).toBe(2.25);
    expect(ci.standardError).toBeCloseTo(se, 14);
    expect(ci.lower).toBeCloseTo(2.25 - 3.182446 * se, 5);
    expect(ci.upper).toBeCloseTo(2.25 + 3.182446 * se, 5);
  });

  it('refuses unequal lengths either way round, naming both', () => {
    expect(() => pairedDifference([1, 2], [1, 2, 3])).toThrow('paired samples need equal lengths, found 2 and 3');
    expect(() => pairedDifference([1, 2, 3], [1, 2])).toThrow('paired samples need equal lengths, found 3 and 2');
  });
});

describe('welchDifference (exact)', () => {
  it('equal variances and sizes: df = 2(n − 1) = 8, t(8) = 2.306004', () => {
    // Both variances 2.5 with n = 5: se = √(0.5 + 0.5) = 1, df = 1² / (2 · 0.5²/4) = 8.
    const ci = welchDifference([1, 2, 3, 4, 5], [3, 4, 5, 6, 7]);
    expect(ci.mean).toBe(-2);
    expect(ci.standardError).toBe(1);
    expect(ci.df).toBeCloseTo(8, 12);
    expect(ci.halfWidth).toBeCloseTo(2.306004, 5);
    expect(ci.lower).toBeCloseTo(-4.306004, 5);
    expect(ci.upper).toBeCloseTo(0.306004, 5);
    expect(ci.level).toBe(0.95);
  });

  it('two values on each side are enough: df = 2, t(2) = 4.302653', () => {
    // Variances 2 and 8: se = √(1 + 4), df = 25 / (1/1 + 16/1) = 25/17.
    const ci = welchDifference([1, 3], [0, 4]);
    expect(ci.mean).toBe(0);
    expect(ci.standardError).toBeCloseTo(Math.sqrt(5), 14);
    expect(ci.df).toBeCloseTo(25 / 17, 12);
    const equal = welchDifference([1, 3], [2, 4]); // va = vb = 1: df = 4 / 2 = 2
    expect(equal.df).toBeCloseTo(2, 12);
    expect(equal.halfWidth).toBeCloseTo(4.302653 * Math.sqrt(2), 5);
  });

  it('a single value on either side: known mean, unbounded interval', () => {
    for (const ci of [welchDifference([1], [2, 4]), welchDifference([2, 4], [1])]) {
      expect(Math.abs(ci.mean)).toBe(2);
      expect(ci.halfWidth).toBe(Infinity);
      expect(ci.lower).toBe(-Infinity);
      expect(ci.upper).toBe(Infinity);
      expect(ci.standardError).toBeNaN();
      expect(ci.df).toBeNaN();
    }
  });

  it('an empty side: everything NaN', () => {
    for (const ci of [welchDifference([], [2, 3]), welchDifference([2, 3], [])]) {
      expect(ci.mean).toBeNaN();
      expect(ci.halfWidth).toBeNaN();
      expect(ci.lower).toBeNaN();
      expect(ci.upper).toBeNaN();
    }
  });

  it('no spread on either side: a zero-width interval with df = nA + nB − 2', () => {
    const ci = welchDifference([2, 2], [1, 1, 1]);
    expect(ci).toEqual({ mean: 1, halfWidth: 0, lower: 1, upper: 1, level: 0.95, nA: 2, nB: 3, standardError: 0, df: 3 });
  });

  it('rejects a level outside (0, 1)', () => {
    expect(() => welchDifference([1, 2], [3, 4], 1)).toThrow('confidence level must be in (0, 1), found 1');
  });
});
