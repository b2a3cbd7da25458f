import { describe, expect, it } from 'vitest';
import { batchMeans } from '../../../src/engine/stats/batch-means.js';

/**
 * Exact batch-means arithmetic on short series worked out by hand. t quantiles from a printed table
 * (two-sided 95 %: t(3) = 3.182446; 90 %: t(3) = 2.353363); tolerance 1e-6 from the table's 7 digits.
 */
describe('batchMeans on hand-computed series', () => {
  // 1..8 in 4 batches of 2: means 1.5, 3.5, 5.5, 7.5 (deviations −3, −1, 1, 3 from 4.5).
  const ramp = [1, 2, 3, 4, 5, 6, 7, 8];

  it('takes the t interval of the batch means (n, df and sd refer to the batches)', () => {
    const ci = batchMeans(ramp, { batches: 4 });
    expect(ci.batches).toBe(4);
    expect(ci.batchSize).toBe(2);
    expect(ci.discarded).toBe(0);
    expect(ci.n).toBe(4);
    expect(ci.df).toBe(3);
    expect(ci.mean).toBe(4.5);
    // Σd² = 9 + 1 + 1 + 9 = 20, sd = √(20/3), se = sd/√4.
    expect(ci.sd).toBeCloseTo(Math.sqrt(20 / 3), 14);
    expect(ci.standardError).toBeCloseTo(Math.sqrt(20 / 3) / 2, 14);
    expect(ci.halfWidth).toBeCloseTo((3.182446 * Math.sqrt(20 / 3)) / 2, 5);
    expect(ci.lower).toBeCloseTo(4.5 - (3.182446 * Math.sqrt(20 / 3)) / 2, 5);
    expect(ci.upper).toBeCloseTo(4.5 + (3.182446 * Math.sqrt(20 / 3)) / 2, 5);
    expect(ci.level).toBe(0.95);
  });

  it('passes the confidence level through', () => {
    const ci = batchMeans(ramp, { batches: 4 }, 0.9);
    expect(ci.level).toBe(0.9);
    expect(ci.halfWidth).toBeCloseTo((2.353363 * Math.sqrt(20 / 3)) / 2, 5);
  });

  it('lag-1 autocorrelation of the batch means: Σ d_j d_{j+1} / Σ d_j²', () => {
    // (−3)(−1) + (−1)(1) + (1)(3) = 5, over 20.
    const ci = batchMeans(ramp, { batches: 4 });
    expect(ci.lag1Autocorrelation).toBe(0.25);
    expect(ci.autocorrelated).toBe(false); // 0.25 ≤ 2/√4 = 1
    // Alternating batch means 0, 2, 0, 2: deviations ∓1, every product −1: r₁ = −3/4.
    const alternating = batchMeans([0, 0, 2, 2, 0, 0, 2, 2], { batchSize: 2 });
    expect(alternating.lag1Autocorrelation).toBe(-0.75);
    expect(alternating.autocorrelated).toBe(false);
  });

  it('flags r₁ strictly above 2/√b, not at it', () => {
    // 16 batches of one observation, mean 2: Σd² = 36, Σ d_j d_{j+1} = 18, so r₁ = 0.5 = 2/√16 exactly.
    const atLimit = [4, 3, 2, 1, 0, 1, 2, 4, 3, 4, 2, 0, 0, 0, 2, 4];
    const tie = batchMeans(atLimit, { batchSize: 1 });
    expect(tie.batches).toBe(16);
    expect(tie.lag1Autocorrelation).toBe(0.5);
    expect(tie.autocorrelated).toBe(false);
    // A linear trend 0..15: r₁ = 1 − (d² + d)/Σd² with d = 7.5, Σd² = 340, i.e. 0.8125 > 0.5.
    const trend = batchMeans(Array.from({ length: 16 }, (_, j) => j), { batches: 16 });
    expect(trend.lag1Autocorrelation).toBe(0.8125);
    expect(trend.autocorrelated).toBe(true);
  });

  it('equal batch means: zero-width interval and an undefined (NaN) autocorrelation, not flagged', () => {
    const ci = batchMeans([1, 3, 2, 2, 3, 1], { batches: 3 });
    expect(ci.mean).toBe(2);
    expect(ci.sd).toBe(0);
    expect(ci.halfWidth).toBe(0);
    expect(ci.lag1Autocorrelation).toBeNaN();
    expect(ci.autocorrelated).toBe(false);
  });

  it('drops the remainder from the front: 10 values in 3 batches of 3 lose the first', () => {
    const x = [1000, 1, 2, 3, 4, 5, 6, 7, 8, 9]; // batches (1,2,3), (4,5,6), (7,8,9): means 2, 5, 8
    for (const spec of [{ batches: 3 }, { batchSize: 3 }]) {
      const ci = batchMeans(x, spec);
      expect(ci.batches).toBe(3);
      expect(ci.batchSize).toBe(3);
      expect(ci.discarded).toBe(1);
      expect(ci.mean).toBe(5);
      expect(ci.sd).toBe(3); // deviations −3, 0, 3: Σd² = 18, /2 = 9
      expect(ci.lag1Autocorrelation).toBe(0); // (−3)(0) + (0)(3) = 0
    }
  });

  it('defaults to 20 batches', () => {
    const x = Array.from({ length: 41 }, (_, i) => i); // 20 batches of 2, the first value dropped
    const ci = batchMeans(x);
    expect(ci.batches).toBe(20);
    expect(ci.batchSize).toBe(2);
    expect(ci.discarded).toBe(1);
    expect(ci.mean).toBe(20.5); // mean of 1..40
  });

  it('accepts the smallest batchings: 2 batches, batches of 1', () => {
    const two = batchMeans([1, 3, 5, 7], { batches: 2 }); // means 2 and 6
    expect(two.n).toBe(2);
    expect(two.mean).toBe(4);
    expect(two.sd).toBeCloseTo(Math.sqrt(8), 14);
    const ones = batchMeans([1, 2, 3], { batchSize: 1 });
    expect(ones.batches).toBe(3);
    expect(ones.mean).toBe(2);
    const asMany = batchMeans([1, 2, 3], { batches: 3 });
    expect(asMany.batchSize).toBe(1);
    expect(asMany.sd).toBe(1);
  });

  it('says what is wrong with an impossible batching', () => {
    expect(() => batchMeans([1, 2, 3], { batches: 1 })).toThrow('need an integer ≥ 2 batches, found 1');
    expect(() => batchMeans([1, 2, 3, 4], { batches: 2.5 })).toThrow('need an integer ≥ 2 batches, found 2.5');
    expect(() => batchMeans([1, 2, 3, 4], { batchSize: 0 })).toThrow('batch size must be a positive integer, found 0');
    expect(() => batchMeans([1, 2, 3, 4], { batchSize: 1.5 })).toThrow('batch size must be a positive integer, found 1.5');
    expect(() => batchMeans([1, 2, 3], { batches: 4 })).toThrow('series of 3 observations is too short for 4 batches of 0');
    expect(() => batchMeans([1, 2, 3], { batchSize: 2 })).toThrow('series of 3 observations is too short for 1 batches of 2');
  });

  it('rejects non-finite values, naming the batch', () => {
    expect(() => batchMeans([1, 2, 3, NaN], { batches: 2 })).toThrow('series must be finite (batch 1 sums to NaN)');
    expect(() => batchMeans([Infinity, 2, 3, 4], { batches: 2 })).toThrow('series must be finite (batch 0 sums to Infinity)');
    // A non-finite value in the discarded remainder is never read.
    expect(batchMeans([NaN, 1, 3], { batches: 2 }).mean).toBe(2);
  });
});
