import { describe, expect, it } from 'vitest';
import {
  erlangB,
  erlangC,
  md1MeanWait,
  mg1MeanWait,
  mm1MeanSojourn,
  mm1SojournQuantile,
  mmcMeanWait,
} from '../../../src/engine/reference/queueing-theory.js';

// Published table values the formulas must reproduce before they are trusted as a yardstick.
describe('queueing theory closed forms', () => {
  it('M/M/1: mean sojourn 1/(μ−λ) and exponential quantiles', () => {
    expect(mm1MeanSojourn(0.5, 1)).toBeCloseTo(2, 12);
    expect(mm1SojournQuantile(0.9, 1, 0.5)).toBeCloseTo(10 * Math.LN2, 12);
    expect(() => mm1MeanSojourn(1, 1)).toThrow(RangeError);
  });

  it('Erlang B matches textbook tables', () => {
    expect(erlangB(1, 1)).toBeCloseTo(0.5, 12);
    expect(erlangB(2, 1)).toBeCloseTo(0.2, 12);
    // Standard Erlang B table: 10 servers at 5 Erlangs block 1.84 %.
    expect(erlangB(10, 5)).toBeCloseTo(0.018385, 5);
  });

  it('Erlang C reduces to ρ for one server and matches the c=4, ρ=0.8 value', () => {
    expect(erlangC(1, 0.7)).toBeCloseTo(0.7, 12);
    // c = 4, a = 3.2: P(wait) = 0.5964 (computed from the Erlang C definition).
    expect(erlangC(4, 3.2)).toBeCloseTo(0.59643, 4);
    expect(mmcMeanWait(3.2, 1, 4)).toBeCloseTo(0.59643 / 0.8, 4);
  });

  it('M/D/1 is half the M/M/1 wait; M/G/1 with exponential service is M/M/1', () => {
    const lambda = 0.8;
    const mmWait = mm1MeanSojourn(lambda, 1) - 1;
    expect(md1MeanWait(lambda, 1)).toBeCloseTo(mmWait / 2, 12);
    expect(mg1MeanWait(lambda, 1, 2)).toBeCloseTo(mmWait, 12);
  });
});
