/**
 * MSER's statistic and its search limit, on series small enough to check by hand.
 * MSER(d) = Σ_{j>d} (Z_j − Z̄(d))² / (k − d)² over the k batch means Z_j, minimised over d ≤ ⌊(k − 1)/2⌋
 * (White, Cobb & Spratt 2000: truncation is only searched in the first half of the run).
 */
import { describe, expect, test } from 'vitest';
import { mser, mser5 } from '../../../src/engine/stats/mser.js';

describe('the search limit is ⌊(k − 1)/2⌋ batches', () => {
  test.each([
    [2, 0],
    [3, 1],
    [4, 1],
    [5, 2],
    [20, 9],
    [21, 10],
  ])('%i batches: d ≤ %i', (k, limit) => {
    const r = mser(Array.from({ length: k }, (_, i) => i % 2), 1);
    expect(r.batches).toBe(k);
    expect(r.searchLimit).toBe(limit);
  });

  test('MSER-5 on 100 observations: 20 batches, limit 9; a run still drifting stops at d = 9 and says so', () => {
    const drifting = Array.from({ length: 100 }, (_, t) => 100 - t);
    const r = mser5(drifting);
    expect([r.batches, r.searchLimit]).toEqual([20, 9]);
    // MSER(d) falls all the way along a straight line, so the minimum sits on the limit: d = 9 exactly,
    // 45 observations, and the run is flagged as too short.
    expect(r.truncateBatches).toBe(9);
    expect(r.truncateObservations).toBe(45);
    expect(r.hitSearchLimit).toBe(true);
  });

  test('a minimum inside the limit is not flagged; with 2 batches (limit 0) nothing is flagged', () => {
    expect(mser([50, 0, 1, 0, 1, 0, 1, 0, 1, 0], 1)).toMatchObject({ truncateBatches: 1, searchLimit: 4, hitSearchLimit: false });
    expect(mser([5, 1], 1)).toMatchObject({ truncateBatches: 0, searchLimit: 0, hitSearchLimit: false });
  });
});

describe('the statistic, by hand', () => {
  test('[4, 0, 1, 0, 1, 0] in batches of 1: MSER = 12/36, 1.2/25, 1/16 for d = 0, 1, 2; d* = 1', () => {
    // d = 0: mean 1, squares 9 + 1 + 0 + 1 + 0 + 1 = 12, over 6² → 0.3333
    // d = 1: mean 0.4, squares 0.16 + 0.36 + 0.16 + 0.36 + 0.16 = 1.2, over 5² → 0.048
    // d = 2: mean 0.5, squares 4 × 0.25 = 1, over 4² → 0.0625
    const r = mser([4, 0, 1, 0, 1, 0], 1);
    expect(r.truncateBatches).toBe(1);
    expect(r.statistic).toBeCloseTo(0.048, 14);
    expect(r.truncatedMean).toBeCloseTo(0.4, 14);
    expect(r.searchLimit).toBe(2);
  });

  test('batching first: [8, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0] in batches of 2 is the series above', () => {
    const r = mser([8, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0], 2);
    expect(r).toMatchObject({ batches: 6, batchSize: 2, truncateBatches: 1, truncateObservations: 2 });
    expect(r.statistic).toBeCloseTo(0.048 / 1, 14);
    expect(r.truncatedMean).toBeCloseTo(0.4, 14);
  });

  test('ties pick the smallest d: a constant series truncates nothing', () => {
    expect(mser([3, 3, 3, 3, 3, 3], 1)).toMatchObject({ truncateBatches: 0, statistic: 0, truncatedMean: 3 });
  });

  test('rejects a batch size that is not a positive integer, fewer than 2 batches, and infinities', () => {
    expect(() => mser([1, 2, 3, 4], 1.5)).toThrow(/batch size must be a positive integer, found 1.5/);
    expect(() => mser([1, 2, 3, 4], 0)).toThrow(/batch size must be a positive integer, found 0/);
    expect(() => mser([1, 2, 3], 2)).toThrow(/at least 2 complete batches \(4 observations\), found 3/);
    expect(() => mser([1, Infinity, 3, 4], 1)).toThrow(/series must be finite \(batch 1 is Infinity\)/);
  });
});
