import { describe, expect, it } from 'vitest';
import { gammaFunction, normalCdf, normalPdf, normalQuantile } from '../../src/engine/distributions/special.js';

describe('special functions', () => {
  // Reference values: Abramowitz & Stegun table 26.1 and standard 17-digit tabulations.
  it.each([
    [0, 0.5],
    [-0.5, 0.3085375387259869],
    [-1, 0.15865525393145707],
    [-2, 0.022750131948179195],
    [-2.5, 0.0062096653257761331],
    [-3, 0.0013498980316300946],
    [-5, 2.866515718791939e-7],
    [-10, 7.619853024160527e-24],
    [1.959963984540054, 0.975],
  ])('Φ(%f) = %f to 1e-13 relative', (x, p) => {
    expect(Math.abs(normalCdf(x) - p) / p).toBeLessThan(1e-13);
  });

  it.each([
    [0.5, 0],
    [0.975, 1.959963984540054],
    [0.99, 2.3263478740408408],
    [0.001, -3.090232306167813],
    [1e-10, -6.361340902404056],
  ])('Φ⁻¹(%f) = %f to 1e-13', (p, z) => {
    expect(Math.abs(normalQuantile(p) - z)).toBeLessThan(1e-13 * Math.max(1, Math.abs(z)));
  });

  it('Φ⁻¹ inverts Φ across the whole range, tails included', () => {
    for (const p of [1e-300, 1e-20, 1e-5, 0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.98, 1 - 1e-9]) {
      const tail = p < 0.5 ? normalCdf(normalQuantile(p)) : 1 - normalCdf(normalQuantile(p));
      expect(Math.abs(tail - Math.min(p, 1 - p)) / Math.min(p, 1 - p)).toBeLessThan(1e-9);
    }
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
  });

  it('φ integrates Φ: the density is the slope of the CDF', () => {
    for (const x of [-3, -1, 0, 0.7, 2]) {
      const slope = (normalCdf(x + 1e-6) - normalCdf(x - 1e-6)) / 2e-6;
      expect(slope).toBeCloseTo(normalPdf(x), 8);
    }
  });

  it.each([
    [1, 1, 1e-14],
    [5, 24, 1e-14],
    [0.5, Math.sqrt(Math.PI), 1e-14],
    [1.5, Math.sqrt(Math.PI) / 2, 1e-14],
    [1 + 1 / 1.5, 0.9027452929509336, 1e-14],
    [10.5, 1133278.3889487855, 1e-14],
    [171, 7.257415615307994e306, 1e-12], // t^(x+1/2) magnifies rounding for large x
  ])('Γ(%f) = %f to %f relative', (x, value, tolerance) => {
    expect(Math.abs(gammaFunction(x) - value) / value).toBeLessThan(tolerance);
  });
});
