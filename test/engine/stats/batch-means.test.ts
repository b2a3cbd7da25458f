import { describe, expect, it } from 'vitest';
import { batchMeans } from '../../../src/engine/stats/batch-means.js';
import { studentT } from '../../../src/engine/stats/student-t.js';
import { ar1 } from './helpers/ar1.js';

describe('batchMeans', () => {
  it('covers the mean of an autocorrelated series where a naive t interval fails', () => {
    // AR(1) with φ = 0.9: integrated autocorrelation time ≈ 19, so the naive interval is ~4.4× too narrow.
    const trials = 300;
    let batched = 0;
    let naive = 0;
    for (let seed = 1; seed <= trials; seed++) {
      const x = ar1(20_000, 0.9, 10, seed);
      const ci = batchMeans(x); // 20 batches of 1000
      if (ci.lower <= 10 && 10 <= ci.upper) batched++;
      const wrong = studentT(x);
      if (wrong.lower <= 10 && 10 <= wrong.upper) naive++;
    }
    expect(batched / trials).toBeGreaterThanOrEqual(0.9);
    expect(batched / trials).toBeLessThanOrEqual(0.99);
    expect(naive / trials).toBeLessThan(0.6);
  });

  it('reports the batching and drops the remainder from the front', () => {
    const x = Array.from({ length: 105 }, (_, i) => (i < 5 ? 1000 : i % 7));
    const ci = batchMeans(x, { batches: 10 });
    expect(ci.batches).toBe(10);
    expect(ci.batchSize).toBe(10);
    expect(ci.discarded).toBe(5);
    expect(ci.n).toBe(10);
    expect(ci.mean).toBeCloseTo(x.slice(5).reduce((a, b) => a + b, 0) / 100, 12);
    const bySize = batchMeans(x, { batchSize: 10 });
    expect(bySize).toEqual(ci);
  });

  it('flags batches too short to be independent (lag-1 autocorrelation > 2/√b)', () => {
    const x = ar1(20_000, 0.99, 0, 77); // correlation time ≈ 200
    const tooShort = batchMeans(x, { batchSize: 10 });
    expect(tooShort.lag1Autocorrelation).toBeGreaterThan(0.5);
    expect(tooShort.autocorrelated).toBe(true);
    const y = ar1(200_000, 0.9, 0, 78);
    const longEnough = batchMeans(y, { batches: 20 });
    expect(longEnough.autocorrelated).toBe(false);
  });

  it('rejects impossible batchings', () => {
    expect(() => batchMeans([1, 2, 3], { batches: 1 })).toThrow(RangeError);
    expect(() => batchMeans([1, 2, 3], { batches: 4 })).toThrow(RangeError);
    expect(() => batchMeans([1, 2, 3], { batchSize: 2 })).toThrow(RangeError);
    expect(() => batchMeans([1, 2, 3, 4], { batchSize: 0 })).toThrow(RangeError);
  });
});
