/**
 * The hop latencies a meshed try pays: a lognormal hop follows its lognormal (drawn through the ziggurat,
 * not `LogNormal.sample`'s inversion, so the same distribution but not the same numbers); a constant is its
 * value and draws nothing; any other family is its own `sample`, in order, client hop first. 200,000
 * draws from fixed streams; tolerances of 5 standard errors.
 */
import { describe, expect, it } from 'vitest';
import { parseDistribution as dist } from '../../../src/engine/distributions/index.js';
import { normalCdf } from '../../../src/engine/distributions/special.js';
import { RandomStreams, type Rng } from '../../../src/engine/random.js';
import { DEFAULT_HOP_LATENCY } from '../../../src/model/mesh/defaults.js';
import { HopLatencies } from '../../../src/model/mesh/hop-latency.js';

const N = 200_000;
const ISTIO = 0;
const LINKERD = 1;

/** μ and σ of the logarithm, from a median and a p99 (Φ⁻¹(0.99) = 2.326348). */
function logParams(median: number, p99: number) {
  return { mu: Math.log(median), sigma: Math.log(p99 / median) / 2.3263478740408408 };
}

function sums(h: HopLatencies, first: number, second: number, name: string): Float64Array {
  const rng = new RandomStreams(20240601).stream(name);
  const xs = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    h.draw(first, second, rng);
    xs[i] = h.drawn;
  }
  return xs;
}

describe('HopLatencies', () => {
  const hops = new HopLatencies([dist(DEFAULT_HOP_LATENCY.istio), dist(DEFAULT_HOP_LATENCY.linkerd)]);
  const istio = logParams(0.78e-3, 1.03e-3);
  const linkerd = logParams(0.28e-3, 0.37e-3);
  const mean = (p: { mu: number; sigma: number }) => Math.exp(p.mu + (p.sigma * p.sigma) / 2);
  const variance = (p: { mu: number; sigma: number }) => mean(p) ** 2 * Math.expm1(p.sigma * p.sigma);

  it('one lognormal hop: its median, its p99 and its mean', () => {
    const xs = sums(hops, ISTIO, -1, 'one');
    const fraction = (bound: number) => xs.reduce((n, x) => n + (x <= bound ? 1 : 0), 0) / N;
    for (const [bound, p] of [
      [0.78e-3, 0.5],
      [1.03e-3, 0.99],
      [0.7e-3, normalCdf((Math.log(0.7e-3) - istio.mu) / istio.sigma)],
    ] as const) {
      expect(Math.abs(fraction(bound) - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
    }
    const m = xs.reduce((a, x) => a + x, 0) / N;
    expect(Math.abs(m - mean(istio))).toBeLessThan(5 * Math.sqrt(variance(istio) / N));
  });

  it('a client hop and a server hop: the sum of two independent draws', () => {
    const xs = sums(hops, ISTIO, LINKERD, 'two');
    const m = xs.reduce((a, x) => a + x, 0) / N;
    const v = xs.reduce((a, x) => a + (x - m) ** 2, 0) / N;
    expect(Math.abs(m - (mean(istio) + mean(linkerd)))).toBeLessThan(5 * Math.sqrt((variance(istio) + variance(linkerd)) / N));
    // Independent: the variances add (5 standard errors of a variance estimate, ≈ σ²·√(2/N) for near-normal sums).
    expect(Math.abs(v - (variance(istio) + variance(linkerd)))).toBeLessThan(5 * (variance(istio) + variance(linkerd)) * Math.sqrt(2 / N));
  });

  it('a constant hop is its value and consumes no randomness', () => {
    const h = new HopLatencies([dist('const(700us)'), dist('const(300us)')]);
    let calls = 0;
    const rng: Rng = () => {
      calls++;
      return 0.5;
    };
    h.draw(0, 1, rng);
    expect(h.drawn).toBeCloseTo(1e-3, 15);
    h.draw(1, -1, rng);
    expect(h.drawn).toBe(300e-6);
    expect(calls).toBe(0);
  });

  it('any other family is drawn by its own sample, the client hop first, from the one stream', () => {
    const a = dist('exp(mean=1ms)');
    const b = dist('uniform(min=0.1ms, max=0.2ms)');
    const h = new HopLatencies([a, b]);
    const mine = new RandomStreams(3).stream('hops');
    const ref = new RandomStreams(3).stream('hops');
    for (let i = 0; i < 100; i++) {
      h.draw(0, 1, mine);
      const first = a.sample(ref);
      expect(h.drawn).toBe(first + b.sample(ref));
    }
  });
});
