import { describe, expect, it } from 'vitest';
import { quantileRank } from '../../../src/engine/stats/quantile-rank.js';

describe('quantileRank (nearest rank, Hyndman–Fan type 1)', () => {
  it('maps q to max(1, ceil(q·n))', () => {
    expect(quantileRank(0, 10)).toBe(1);
    expect(quantileRank(0.5, 10)).toBe(5);
    expect(quantileRank(0.51, 10)).toBe(6);
    expect(quantileRank(1, 10)).toBe(10);
    expect(quantileRank(0.99, 1000)).toBe(990);
  });

  it('is not fooled by floating-point products just above an integer', () => {
    expect(0.07 * 100).toBeGreaterThan(7); // the trap
    expect(quantileRank(0.07, 100)).toBe(7);
  });

  it('rejects q outside [0, 1]', () => {
    expect(() => quantileRank(-0.01, 10)).toThrow(RangeError);
    expect(() => quantileRank(1.01, 10)).toThrow(RangeError);
    expect(() => quantileRank(NaN, 10)).toThrow(RangeError);
  });
});

describe('quantileRank (exact edges)', () => {
  it('clamps to [1, n] and says what is out of range', () => {
    expect(quantileRank(0.001, 10)).toBe(1); // ⌈0.01⌉
    expect(quantileRank(0.1, 10)).toBe(1);
    expect(quantileRank(0.11, 10)).toBe(2);
    expect(quantileRank(0.9, 10)).toBe(9);
    expect(quantileRank(0.91, 10)).toBe(10);
    expect(quantileRank(1, 1)).toBe(1);
    expect(quantileRank(0, 1)).toBe(1);
    expect(() => quantileRank(1.5, 10)).toThrow('quantile must be in [0, 1], found 1.5');
  });
});
