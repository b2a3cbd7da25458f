import { describe, expect, it } from 'vitest';
import { RunningStats } from '../../../src/engine/stats/running-stats.js';
import { mulberry32, normal } from './helpers/prng.js';

/** Reference: exact-mean two-pass variance. */
function twoPass(values: readonly number[]): { mean: number; variance: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const ss = values.reduce((a, x) => a + (x - mean) ** 2, 0);
  return { mean, variance: ss / (values.length - 1) };
}

describe('RunningStats', () => {
  it('handles a large offset with a small variance (where Σx² − (Σx)²/n fails)', () => {
    const rnd = normal(mulberry32(1));
    const values = Array.from({ length: 10_000 }, () => 1e9 + 0.01 * rnd());
    const s = RunningStats.of(values);
    const ref = twoPass(values);
    expect(Math.abs(s.mean - ref.mean) / ref.mean).toBeLessThan(4 * Number.EPSILON); // a few ulps
    // Condition number mean/sd = 1e11: Welford keeps ~6 significant digits of the variance here,
    // where the one-pass sum-of-squares keeps none.
    expect(Math.abs(s.variance - ref.variance) / ref.variance).toBeLessThan(1e-5);
    // The textbook one-pass formula on the same data is wildly wrong: this is why Welford.
    const sum = values.reduce((a, b) => a + b, 0);
    const sumSq = values.reduce((a, b) => a + b * b, 0);
    const naive = (sumSq - (sum * sum) / values.length) / (values.length - 1);
    expect(Math.abs(naive - ref.variance) / ref.variance).toBeGreaterThan(1);
  });

  it('gets the classic 1e9 + {4, 7, 13, 16} example exactly (variance 30)', () => {
    const s = RunningStats.of([4, 7, 13, 16].map((x) => 1e9 + x));
    expect(s.mean).toBe(1e9 + 10);
    expect(s.variance).toBe(30);
    expect(s.populationVariance).toBe(22.5);
    expect(s.min).toBe(1e9 + 4);
    expect(s.max).toBe(1e9 + 16);
    expect(s.count).toBe(4);
    expect(s.sum).toBe(4e9 + 40);
    expect(s.standardError).toBeCloseTo(Math.sqrt(30 / 4), 12);
  });

  it('merge (Chan) equals a single pass, whatever the split', () => {
    const rnd = normal(mulberry32(2));
    const values = Array.from({ length: 5_000 }, (_, i) => 1e6 + (i < 1000 ? 50 : 0) + rnd());
    const whole = RunningStats.of(values);
    for (const cut of [0, 1, 999, 2500, 4999, 5000]) {
      const merged = RunningStats.of(values.slice(0, cut)).merge(RunningStats.of(values.slice(cut)));
      expect(merged.count).toBe(whole.count);
      expect(merged.mean).toBeCloseTo(whole.mean, 8);
      expect(Math.abs(merged.variance - whole.variance) / whole.variance).toBeLessThan(1e-9);
      expect(merged.min).toBe(whole.min);
      expect(merged.max).toBe(whole.max);
    }
  });

  it('reports NaN for undefined quantities instead of inventing numbers', () => {
    const s = new RunningStats();
    expect(s.mean).toBeNaN();
    expect(s.variance).toBeNaN();
    expect(s.min).toBeNaN();
    expect(s.sum).toBe(0);
    s.add(3);
    expect(s.mean).toBe(3);
    expect(s.variance).toBeNaN();
    expect(s.populationVariance).toBe(0);
  });

  it('rejects NaN and infinities', () => {
    const s = new RunningStats();
    expect(() => s.add(NaN)).toThrow(RangeError);
    expect(() => s.add(Infinity)).toThrow(RangeError);
    expect(s.count).toBe(0);
  });

  it('round-trips through JSON and resets', () => {
    const s = RunningStats.of([1, 2, 3, 10]);
    const back = RunningStats.fromJSON(JSON.parse(JSON.stringify(s)) as ReturnType<RunningStats['toJSON']>);
    expect(back.toJSON()).toEqual(s.toJSON());
    expect(RunningStats.fromJSON(new RunningStats().toJSON()).count).toBe(0);
    expect(() => RunningStats.fromJSON({ count: 2, mean: 0, m2: -1, min: 0, max: 0 })).toThrow(RangeError);
    s.reset();
    expect(s.count).toBe(0);
    expect(s.max).toBeNaN();
  });
});

describe('RunningStats (exact)', () => {
  it('sd and standard error of 2, 4, 4, 4, 5, 5, 7, 9 (mean 5, Σd² = 32)', () => {
    const s = RunningStats.of([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(s.mean).toBe(5);
    expect(s.sum).toBe(40);
    expect(s.variance).toBeCloseTo(32 / 7, 14);
    expect(s.sd).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(s.populationVariance).toBe(4);
    expect(s.standardError).toBeCloseTo(Math.sqrt(32 / 7 / 8), 14);
  });

  it('merging into an empty accumulator copies the other exactly', () => {
    // Through Chan's formula the mean would become (0.1 · 3) / 3 = 0.10000000000000002.
    const other = RunningStats.of([0.1, 0.1, 0.1]);
    const merged = new RunningStats().merge(other);
    expect(merged.toJSON()).toEqual(other.toJSON());
    expect(merged.mean).toBe(0.1);
  });

  it('merging an empty accumulator changes nothing, even for huge values', () => {
    // Through Chan's formula, δ² = (0 − 1e200)² overflows and ∞ · 0 would make M2 NaN.
    const s = RunningStats.of([1e200, 1e200]).merge(new RunningStats());
    expect(s.toJSON()).toEqual({ count: 2, mean: 1e200, m2: 0, min: 1e200, max: 1e200 });
    expect(s.variance).toBe(0);
  });
});
