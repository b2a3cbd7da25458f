/**
 * The ziggurat's draws are standard normal: against Φ at fixed points and in the Kolmogorov–Smirnov
 * distance, mean and variance, and in the tail beyond R = 3.4426, which it draws by a separate method.
 * Tolerances are 5 standard errors (5·√(p(1−p)/n) for a fraction); the KS bound is the 1 % critical value
 * 1.63/√n. Fixed streams, so every figure is the same on every run.
 */
import { describe, expect, it } from 'vitest';
import { normalCdf } from '../../src/engine/distributions/special.js';
import { normalZiggurat } from '../../src/engine/distributions/ziggurat.js';
import { RandomStreams, type Rng } from '../../src/engine/random.js';

const N = 200_000;
const R = 3.442619855899;

function draws(n: number, name: string): Float64Array {
  const rng = new RandomStreams(20240601).stream(name);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = normalZiggurat(rng);
  return xs;
}

const within = (observed: number, p: number, n: number) => expect(Math.abs(observed - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));

describe('normalZiggurat', () => {
  // Drawn inside each test (not in the describe body) so mutation testing ties the code to the tests that run it.
  it('has mean 0 and variance 1', () => {
    const xs = draws(N, 'ziggurat');
    let s = 0;
    let s2 = 0;
    for (const x of xs) {
      s += x;
      s2 += x * x;
    }
    const mean = s / N;
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(s2 / N - mean * mean - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
  });

  it('puts Φ(x) of its draws below x, at every point checked, and is within the KS bound of Φ', () => {
    const xs = draws(N, 'ziggurat');
    for (const x of [-3, -2, -1, -0.5, 0, 0.25, 1, 2, 3]) {
      let below = 0;
      for (const v of xs) if (v <= x) below++;
      within(below / N, normalCdf(x), N);
    }
    const sorted = Float64Array.from(xs).sort();
    let d = 0;
    for (let i = 0; i < N; i++) {
      const f = normalCdf(sorted[i]!);
      d = Math.max(d, Math.abs(f - i / N), Math.abs((i + 1) / N - f));
    }
    expect(d).toBeLessThan(1.63 / Math.sqrt(N));
  });

  it('draws the tails beyond R as often, and as far, as the normal has them', () => {
    const n = 2_000_000;
    const big = draws(n, 'ziggurat-tail');
    let beyondR = 0;
    let beyond4 = 0;
    let negative = 0;
    for (const x of big) {
      if (Math.abs(x) > R) {
        beyondR++;
        if (x < 0) negative++;
        if (Math.abs(x) > 4) beyond4++;
      }
    }
    within(beyondR / n, 2 * normalCdf(-R), n);
    within(beyond4 / n, 2 * normalCdf(-4), n);
    within(negative / beyondR, 0.5, beyondR);
  });

  it('takes one uniform for ~99 % of draws', () => {
    const inner = new RandomStreams(7).stream('count');
    let calls = 0;
    const counting: Rng = () => {
      calls++;
      return inner();
    };
    for (let i = 0; i < 100_000; i++) normalZiggurat(counting);
    // Marsaglia and Tsang: 98.8 % of draws fall in a layer's rectangle; the rest take two or three more.
    expect(calls / 100_000).toBeGreaterThan(1.01);
    expect(calls / 100_000).toBeLessThan(1.05);
  });

  it('takes the tail method when a draw falls in the base layer past its rectangle', () => {
    // First uniform: layer 0 (low 7 bits 0) at the far positive edge of its strip; then the tail's two
    // uniforms (x = −ln(1 − u)/R, accepted when −2 ln(1 − v) ≥ x²).
    const seq = [(2 ** 31 - 128) / 2 ** 31, 0.5, 0.999];
    let k = 0;
    const scripted: Rng = () => seq[k++]!;
    const x = normalZiggurat(scripted);
    expect(k).toBe(3);
    expect(x).toBeCloseTo(R - Math.log(0.5) / R, 12);
  });
});
