/**
 * Peak EWMA's decay factor exp(−elapsed/τ): a polynomial where the argument is tiny, Math.exp elsewhere;
 * either way within an ulp of exp, so the balancer's arithmetic is that of linkerd2-proxy's `exp()`.
 */
import { describe, expect, it } from 'vitest';
import { decayFactor } from '../../../src/model/mesh/balancers.js';

describe('decayFactor', () => {
  it('is exp(x) to within one ulp over the polynomial range and beyond it', () => {
    for (let i = 0; i <= 4000; i++) {
      // From 0 down to −2⁻⁹ (twice the polynomial's range) in fine steps, and a few decades below.
      for (const x of [-(i / 4000) * 2 ** -9, -(i / 4000) * 1e-6, -(i / 40) * 5]) {
        const e = Math.exp(x);
        expect(Math.abs(decayFactor(x) - e)).toBeLessThanOrEqual(e * 2 ** -52);
      }
    }
  });

  it('is exactly 1 with nothing elapsed, and Math.exp itself past the polynomial range', () => {
    expect(decayFactor(0)).toBe(1);
    expect(decayFactor(-0.01)).toBe(Math.exp(-0.01));
    expect(decayFactor(-50)).toBe(Math.exp(-50));
  });
});
