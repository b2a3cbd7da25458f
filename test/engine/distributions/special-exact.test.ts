/**
 * The special functions against 30-digit reference values (mpmath 1.3: ncdf, npdf, erfinv, gamma), in
 * every branch of each: Φ by its series (|x| < 2.5) and by its continued fraction (beyond), Φ⁻¹ in AS 241's
 * central region (|p − 1/2| <= 0.425) and both tail regions (r = √(−ln p) at most 5, and beyond), Γ with
 * and without the reflection below 1/2. Relative tolerance 1e-13 unless stated; invalid input gives NaN.
 */
import { describe, expect, it } from 'vitest';
import { gammaFunction, normalCdf, normalPdf, normalQuantile } from '../../../src/engine/distributions/special.js';

const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe('normalPdf', () => {
  it.each([
    [0, 0.398942280401432677939946059934],
    [2, 0.0539909665131880519505642004107],
    [-1.5, 0.129517595665891727614099557955],
  ])('φ(%f) = %f', (x, value) => {
    expect(relative(normalPdf(x), value)).toBeLessThan(1e-15);
  });
});

describe('normalCdf', () => {
  it.each([
    [-0.3, 0.382088577811047362693471036879], // series
    [-1.7, 0.044565462758543039487433004708],
    [-2.4999, 0.00621141837494458604666558008863], // last stretch of the series
    [-2.6, 0.00466118802371875025099340922906], // continued fraction
    [-4, 3.16712418331199212537707567222e-5],
    [-7, 1.27981254388583500438362369078e-12],
    [-20, 2.75362411860623369507562278086e-89],
    [0.8, 0.788144601416603314424468228228], // 1 − Φ(−x)
    [3.1, 0.999032396786781643107884328075],
  ])('Φ(%f) = %f', (x, p) => {
    expect(relative(normalCdf(x), p)).toBeLessThan(1e-13);
  });

  it('is 1/2 at 0 and NaN for NaN', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(-0)).toBe(0.5);
    expect(normalCdf(NaN)).toBeNaN();
  });
});

describe('normalQuantile', () => {
  it.each([
    [0.3, -0.524400512708040784038289325025], // central region
    [0.9, 1.28155156554460046696510332945],
    [0.075, -1.43953147093845591534223308015], // |p − 1/2| = 0.425: the edge of the central region
    [0.925, 1.43953147093845591534223308015],
    [0.02425, -1.97296105131188485026979885948], // tail, r <= 5
    [1 - 0.02425, 1.97296105131188485026979885948],
    [1e-12, -7.03448382530113192980915241853], // far tail, r > 5
    [1e-15, -7.94134532617099678355892555338],
  ])('Φ⁻¹(%f) = %f', (p, z) => {
    expect(relative(normalQuantile(p), z)).toBeLessThan(1e-13);
  });

  it('is ∓∞ at 0 and 1 and NaN outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(-0.5)).toBeNaN();
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalQuantile(NaN)).toBeNaN();
  });
});

describe('gammaFunction', () => {
  it.each([
    [3, 2],
    [2.5, 1.32934038817913702047362561251],
    [20.5, 540624298233507504.473687364781],
    [0.25, 3.62560990822190831193068515587], // reflection: π / (sin(πx)·Γ(1 − x))
    [0.1, 9.51350769866873183629248717727],
    [-0.5, -3.54490770181103205459633496668],
    [-1.5, 2.36327180120735470306422331112],
  ])('Γ(%f) = %f', (x, value) => {
    expect(relative(gammaFunction(x), value)).toBeLessThan(1e-13);
  });
});
