import { describe, expect, it } from 'vitest';
import { mser, mser5 } from '../../../src/engine/stats/mser.js';
import { ar1 } from './helpers/ar1.js';

const N = 20_000;
const TAU = 500;
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** Steady-state mean 10 plus a decaying initial offset of 20 σ: 20·exp(−t/τ). */
function withTransient(phi: number, seed: number): Float64Array {
  const x = ar1(N, phi, 10, seed);
  for (let t = 0; t < N; t++) x[t]! += 20 * Math.exp(-t / TAU);
  return x;
}

function mean(x: ArrayLike<number>, from = 0): number {
  let s = 0;
  for (let i = from; i < x.length; i++) s += x[i]!;
  return s / (x.length - from);
}

describe('mser5', () => {
  it.each([
    ['independent noise', 0],
    ['autocorrelated noise (AR(1), φ = 0.9)', 0.9],
  ])('finds a decaying initial transient between 2τ and 5τ (%s)', (_, phi) => {
    // Tolerance: at 2τ the offset is still 2.7 σ (must be cut); past 5τ it is 0.13 σ (cutting more only
    // wastes data). The truncated mean must also be closer to the truth than the raw mean.
    for (const seed of SEEDS) {
      const x = withTransient(phi, seed);
      const r = mser5(x);
      expect(r.truncateObservations, `seed ${seed}`).toBeGreaterThanOrEqual(2 * TAU);
      expect(r.truncateObservations, `seed ${seed}`).toBeLessThanOrEqual(5 * TAU);
      expect(r.hitSearchLimit).toBe(false);
      expect(Math.abs(mean(x, r.truncateObservations) - 10)).toBeLessThan(Math.abs(mean(x) - 10) / 5);
    }
  });

  it.each([
    ['independent noise', 0],
    ['autocorrelated noise (AR(1), φ = 0.9)', 0.9],
  ])('truncates (almost) nothing from a stationary series (%s): ≤ 1 %% of the run', (_, phi) => {
    const cuts = SEEDS.map((seed) => mser5(ar1(N, phi, 10, seed)).truncateObservations);
    for (const cut of cuts) expect(cut).toBeLessThanOrEqual(N / 100);
    expect(cuts.filter((c) => c === 0).length).toBeGreaterThanOrEqual(SEEDS.length / 2);
  });

  it('works on batch means of 5 and reports the geometry', () => {
    // One batch of outliers, then batches with means 0.4 / 0.6 alternating.
    const x = [100, 100, 100, 100, 100];
    for (let i = 0; i < 100; i++) x.push(i % 2);
    x.push(1, 1, 1); // incomplete trailing batch: ignored
    const r = mser5(x);
    expect(r.batchSize).toBe(5);
    expect(r.batches).toBe(21);
    expect(r.searchLimit).toBe(10);
    expect(r.truncateBatches).toBe(1);
    expect(r.truncateObservations).toBe(5);
    expect(r.truncatedMean).toBeCloseTo(0.5, 12);
  });

  it('flags a transient longer than half the run (hitSearchLimit): the run is too short', () => {
    const x = Array.from({ length: 1000 }, (_, t) => 1000 - t); // still drifting at the end
    const r = mser5(x);
    expect(r.truncateBatches).toBe(r.searchLimit);
    expect(r.hitSearchLimit).toBe(true);
  });

  it('supports other batch sizes and rejects series too short or non-finite', () => {
    expect(mser([5, 5, 1, 1, 1, 1, 1, 1], 2).truncateObservations).toBe(2);
    expect(() => mser5([1, 2, 3, 4, 5, 6, 7, 8, 9])).toThrow(RangeError);
    expect(() => mser([1, 2, 3, 4], 0)).toThrow(RangeError);
    expect(() => mser5([1, 2, 3, 4, 5, 6, 7, 8, 9, NaN])).toThrow(RangeError);
  });
});
