import { describe, expect, it } from 'vitest';
import { relativePrecision, tCritical } from '../../../src/engine/stats/confidence-interval.js';
import { studentT, studentTFromSummary, summarize } from '../../../src/engine/stats/student-t.js';
import { mulberry32, normal } from './helpers/prng.js';

describe('tCritical', () => {
  it('matches table values', () => {
    expect(tCritical(0.95, 9)).toBeCloseTo(2.262157, 5);
    expect(tCritical(0.99, 4)).toBeCloseTo(4.604095, 5);
    expect(tCritical(0.9, 29)).toBeCloseTo(1.699127, 5);
    expect(tCritical(0.95, 1e7)).toBeCloseTo(1.959964, 5); // → normal
  });

  it('rejects levels outside (0, 1) and non-positive df', () => {
    expect(() => tCritical(1, 5)).toThrow(RangeError);
    expect(() => tCritical(0, 5)).toThrow(RangeError);
    expect(() => tCritical(95, 5)).toThrow(RangeError);
    expect(() => tCritical(0.95, 0)).toThrow(RangeError);
  });
});

describe('studentT', () => {
  it('computes the textbook interval for 1..10 (n = 10, t = 2.262)', () => {
    const ci = studentT([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const sd = Math.sqrt(55 / 6); // Σ(x−5.5)² = 82.5, / 9
    expect(ci.n).toBe(10);
    expect(ci.df).toBe(9);
    expect(ci.level).toBe(0.95);
    expect(ci.mean).toBe(5.5);
    expect(ci.sd).toBeCloseTo(sd, 14);
    expect(ci.halfWidth).toBeCloseTo((2.262157 * sd) / Math.sqrt(10), 5);
    expect(ci.lower).toBeCloseTo(5.5 - ci.halfWidth, 14);
    expect(ci.upper).toBeCloseTo(5.5 + ci.halfWidth, 14);
  });

  it('covers the true mean 93.5–96.5 % of the time (2000 normal samples of n = 5)', () => {
    const z = normal(mulberry32(12345));
    const trueMean = 10;
    let covered = 0;
    const trials = 2000;
    for (let k = 0; k < trials; k++) {
      const sample = Array.from({ length: 5 }, () => trueMean + 2 * z());
      const ci = studentT(sample);
      if (ci.lower <= trueMean && trueMean <= ci.upper) covered++;
    }
    expect(covered / trials).toBeGreaterThanOrEqual(0.935);
    expect(covered / trials).toBeLessThanOrEqual(0.965);
  });

  it('is wider at higher confidence', () => {
    const data = [3.1, 2.7, 3.4, 2.9, 3.3, 3.0];
    expect(studentT(data, 0.99).halfWidth).toBeGreaterThan(studentT(data, 0.95).halfWidth);
    expect(studentT(data, 0.95).halfWidth).toBeGreaterThan(studentT(data, 0.8).halfWidth);
  });

  it('n < 2: NaN with no data, infinite half-width with one value', () => {
    const none = studentT([]);
    expect(none.mean).toBeNaN();
    expect(none.halfWidth).toBeNaN();
    const one = studentT([4.2]);
    expect(one.mean).toBe(4.2);
    expect(one.sd).toBeNaN();
    expect(one.halfWidth).toBe(Infinity);
    expect(one.lower).toBe(-Infinity);
    expect(one.upper).toBe(Infinity);
  });

  it('zero spread gives a zero-width interval', () => {
    const ci = studentT([7, 7, 7]);
    expect(ci.halfWidth).toBe(0);
    expect(ci.lower).toBe(7);
  });

  it('rejects non-finite observations', () => {
    expect(() => studentT([1, NaN, 3])).toThrow(RangeError);
  });

  it('agrees with the summary form (e.g. from RunningStats)', () => {
    const data = [12.5, 11.9, 13.2, 12.8, 12.1, 12.6, 13.0];
    expect(studentTFromSummary(summarize(data), 0.9)).toEqual(studentT(data, 0.9));
  });

  it('summarize is accurate with a large offset', () => {
    const s = summarize([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]);
    expect(s.mean).toBe(1e9 + 10);
    expect(s.sd).toBe(Math.sqrt(30));
  });
});

describe('relativePrecision', () => {
  it('is half-width over |mean|', () => {
    expect(relativePrecision({ mean: 10, halfWidth: 0.5 })).toBe(0.05);
    expect(relativePrecision({ mean: -10, halfWidth: 0.5 })).toBe(0.05);
    expect(relativePrecision(studentT([1, 2, 3]))).toBeCloseTo(tCritical(0.95, 2) / Math.sqrt(3) / 2, 12);
  });

  it('is +∞ around a zero mean and NaN when undefined', () => {
    expect(relativePrecision({ mean: 0, halfWidth: 1 })).toBe(Infinity);
    expect(relativePrecision({ mean: 0, halfWidth: 0 })).toBe(0);
    expect(relativePrecision(studentT([]))).toBeNaN();
    expect(relativePrecision(studentT([3]))).toBe(Infinity);
  });
});

describe('summarize and studentTFromSummary (exact edges)', () => {
  it('two values are enough for a spread', () => {
    expect(summarize([1, 3])).toEqual({ n: 2, mean: 2, sd: Math.sqrt(2) });
    expect(summarize([5])).toEqual({ n: 1, mean: 5, sd: NaN });
  });

  it('removes the rounding error left in the mean (corrected two-pass)', () => {
    // {1, 2, 2} has variance 1/3. Offset by 1e15 (where doubles step by 0.125) the computed mean is
    // 1e15 + 1.625, not + 5/3: deviations −0.625, 0.375, 0.375 sum to s = 0.125 and Σd² = 0.671875;
    // Σd² − s²/n = 2/3 restores the exact variance.
    expect(summarize([1e15 + 1, 1e15 + 2, 1e15 + 2]).sd).toBeCloseTo(Math.sqrt(1 / 3), 12);
  });

  it('names the first non-finite value and its index', () => {
    expect(() => summarize([1, 2, Infinity])).toThrow('values must be finite, found Infinity at index 2');
  });

  it('refuses a count that is not a non-negative integer', () => {
    expect(() => studentTFromSummary({ n: 2.5, mean: 1, sd: 1 })).toThrow('n must be a non-negative integer, found 2.5');
    expect(() => studentTFromSummary({ n: -1, mean: 1, sd: 1 })).toThrow('n must be a non-negative integer, found -1');
  });

  it('n = 2: df 1, t(1) = 12.706205', () => {
    const ci = studentTFromSummary({ n: 2, mean: 10, sd: Math.SQRT2 });
    expect(ci.df).toBe(1);
    expect(ci.standardError).toBeCloseTo(1, 14);
    expect(ci.halfWidth).toBeCloseTo(12.706205, 5);
  });

  it('messages for a bad level or df', () => {
    expect(() => tCritical(1, 5)).toThrow('confidence level must be in (0, 1), found 1');
    expect(() => tCritical(0.95, 0)).toThrow('degrees of freedom must be positive, found 0');
  });

  it('relativePrecision with a zero mean and an undefined half-width is NaN', () => {
    expect(relativePrecision({ mean: 0, halfWidth: NaN })).toBeNaN();
  });
});
