import { mulberry32, normal } from './prng.js';

/**
 * Stationary AR(1) series `mean + e_t`, `e_t = φ e_{t−1} + √(1−φ²) z_t`, unit marginal variance, started in
 * its stationary distribution. A stand-in for the autocorrelated output of a queue (waiting times of
 * successive customers), with a known mean and known correlation.
 */
export function ar1(n: number, phi: number, mean: number, seed: number): Float64Array {
  const z = normal(mulberry32(seed));
  const scale = Math.sqrt(1 - phi * phi);
  const out = new Float64Array(n);
  let e = z();
  for (let t = 0; t < n; t++) {
    e = phi * e + scale * z();
    out[t] = mean + e;
  }
  return out;
}
