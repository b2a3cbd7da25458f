/**
 * Every family against its analytic mean and CDF. Each check uses 200,000 draws from a fixed stream and a
 * tolerance of 5 standard errors: 5·sd/√n for the mean, 5·√(p(1-p)/n) for the fraction of draws below a
 * point. The CDFs and moments here are written out independently of the implementation.
 */
import { describe, expect, it } from 'vitest';
import { parseDistribution, type Distribution } from '../../src/engine/distributions/index.js';
import { normalCdf, normalPdf, gammaFunction } from '../../src/engine/distributions/special.js';
import { RandomStreams } from '../../src/engine/random.js';

const N = 200_000;
const K = 5; // standard errors of tolerance
const ms = 1e-3;

const SAMPLES_CSV = ['latency', '# measured on a quiet node', '1.2ms', '0.8ms', '3ms', '2.5ms', '', '1ms', '7ms', '1.9ms'].join('\n');
const EMPIRICAL_SORTED = [0.8, 1, 1.2, 1.9, 2.5, 3, 7].map((v) => v * ms);

function draws(distribution: Distribution, name: string): Float64Array {
  const rng = new RandomStreams(20240601).stream(name);
  const xs = new Float64Array(N);
  for (let i = 0; i < N; i++) xs[i] = distribution.sample(rng);
  return xs;
}

function meanOf(xs: Float64Array): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

function fractionAtMost(xs: Float64Array, bound: number): number {
  let count = 0;
  for (const x of xs) if (x <= bound) count++;
  return count / xs.length;
}

const erlangCdf = (k: number, scale: number) => (x: number) => {
  let term = 1;
  let sum = 1;
  for (let i = 1; i < k; i++) {
    term *= x / scale / i;
    sum += term;
  }
  return 1 - Math.exp(-x / scale) * sum;
};

/** Lower-truncated normal: moments and CDF from the textbook formulas. */
function truncatedNormal(mu: number, sigma: number) {
  const alpha = -mu / sigma;
  const lambda = normalPdf(alpha) / (1 - normalCdf(alpha));
  return {
    mean: mu + sigma * lambda,
    sd: sigma * Math.sqrt(1 + alpha * lambda - lambda * lambda),
    cdf: (x: number) => (normalCdf((x - mu) / sigma) - normalCdf(alpha)) / (1 - normalCdf(alpha)),
  };
}

function lognormal(mu: number, sigma: number) {
  const mean = Math.exp(mu + (sigma * sigma) / 2);
  return { mean, sd: mean * Math.sqrt(Math.expm1(sigma * sigma)), cdf: (x: number) => normalCdf((Math.log(x) - mu) / sigma) };
}

function empiricalModel(xs: readonly number[]) {
  const n = xs.length;
  let m1 = 0;
  let m2 = 0;
  for (let i = 0; i + 1 < n; i++) {
    const [a, b] = [xs[i], xs[i + 1]];
    m1 += (a + b) / 2 / (n - 1);
    m2 += (a * a + a * b + b * b) / 3 / (n - 1);
  }
  const cdf = (x: number): number => {
    if (x < xs[0]) return 0;
    if (x >= xs[n - 1]) return 1;
    let i = 0;
    while (xs[i + 1] < x) i++;
    return (i + (x - xs[i]) / (xs[i + 1] - xs[i])) / (n - 1);
  };
  return { mean: m1, sd: Math.sqrt(m2 - m1 * m1), cdf };
}

interface Model {
  /** The analytic mean, computed here independently of the implementation. */
  readonly mean: number;
  readonly sd: number;
  /** Closed-form CDF, checked at the given points. */
  readonly cdf: (x: number) => number;
}

interface Case {
  readonly text: string;
  /** Built when a test runs (it calls the special functions, which are under test too). */
  readonly model: () => Model;
  readonly at: readonly number[];
  /** Whether the family has a closed-form quantile function. */
  readonly quantile: boolean;
}

const weibullSd = (): number => 2 * ms * Math.sqrt(gammaFunction(1 + 2 / 1.5) - gammaFunction(1 + 1 / 1.5) ** 2);
const mixtureSecond = 0.95 * 2 * (2 * ms) ** 2 + 0.05 * (200 * ms) ** 2;
const points = (...values: number[]): number[] => values.map((v) => v * ms);

const CASES: readonly Case[] = [
  { text: 'uniform(1ms, 3ms)', model: () => ({ mean: 2 * ms, sd: (2 * ms) / Math.sqrt(12), cdf: (x) => (x - ms) / (2 * ms) }), at: points(1.2, 2, 2.9), quantile: true },
  { text: 'exp(mean=2ms)', model: () => ({ mean: 2 * ms, sd: 2 * ms, cdf: (x) => 1 - Math.exp(-x / (2 * ms)) }), at: points(0.1, 2 * Math.LN2, 9), quantile: true },
  { text: 'exp(rate=500/s)', model: () => ({ mean: 2 * ms, sd: 2 * ms, cdf: (x) => 1 - Math.exp(-500 * x) }), at: points(1, 4), quantile: true },
  { text: 'erlang(k=4, mean=2ms)', model: () => ({ mean: 2 * ms, sd: ms, cdf: erlangCdf(4, 0.5 * ms) }), at: points(0.8, 2, 4), quantile: false },
  { text: 'erlang(k=20, mean=2ms)', model: () => ({ mean: 2 * ms, sd: (2 * ms) / Math.sqrt(20), cdf: erlangCdf(20, 0.1 * ms) }), at: points(1.5, 2, 2.6), quantile: false },
  { text: 'gamma(shape=2, mean=2ms)', model: () => ({ mean: 2 * ms, sd: Math.SQRT2 * ms, cdf: erlangCdf(2, ms) }), at: points(0.5, 1.7, 5), quantile: false },
  // Gamma(1/2, θ) is θ·Z²/2 for a standard normal Z.
  { text: 'gamma(shape=0.5, scale=1ms)', model: () => ({ mean: 0.5 * ms, sd: Math.SQRT1_2 * ms, cdf: (x) => 2 * normalCdf(Math.sqrt((2 * x) / ms)) - 1 }), at: points(0.01, 0.3, 2), quantile: false },
  { text: 'normal(mean=2ms, sd=0.5ms)', model: () => truncatedNormal(2 * ms, 0.5 * ms), at: points(1.5, 2, 2.9), quantile: true },
  { text: 'normal(mean=2ms, sd=1.5ms)', model: () => truncatedNormal(2 * ms, 1.5 * ms), at: points(0.3, 2, 4), quantile: true },
  { text: 'lognormal(median=3ms, p99=40ms)', model: () => lognormal(Math.log(3 * ms), Math.log(40 / 3) / 2.3263478740408408), at: points(1, 3, 40), quantile: true },
  { text: 'lognormal(mean=2ms, sd=1ms)', model: () => lognormal(Math.log(2 * ms) - Math.log(1.25) / 2, Math.sqrt(Math.log(1.25))), at: points(1, 2, 4), quantile: true },
  { text: 'pareto(scale=1ms, shape=2.5)', model: () => ({ mean: (2.5 * ms) / 1.5, sd: ms * Math.sqrt(2.5 / (1.5 ** 2 * 0.5)), cdf: (x) => 1 - (ms / x) ** 2.5 }), at: points(1.1, 2, 6), quantile: true },
  { text: 'weibull(shape=1.5, scale=2ms)', model: () => ({ mean: 2 * ms * gammaFunction(1 + 1 / 1.5), sd: weibullSd(), cdf: (x) => 1 - Math.exp(-((x / (2 * ms)) ** 1.5)) }), at: points(0.5, 2, 5), quantile: true },
  {
    text: 'mixture(0.95: exp(mean=2ms), 0.05: const(200ms))',
    model: () => ({
      mean: 0.95 * 2 * ms + 0.05 * 200 * ms,
      sd: Math.sqrt(mixtureSecond - (0.95 * 2 * ms + 0.05 * 200 * ms) ** 2),
      cdf: (x) => 0.95 * (1 - Math.exp(-x / (2 * ms))) + (x >= 200 * ms ? 0.05 : 0),
    }),
    at: points(1, 10, 199, 200),
    quantile: false,
  },
  { text: 'empirical(samples.csv)', model: () => empiricalModel(EMPIRICAL_SORTED), at: points(0.9, 1.5, 2.7, 6), quantile: true },
];

const parse = (text: string): Distribution => parseDistribution(text, { readFile: () => SAMPLES_CSV });

describe.each(CASES)('$text', ({ text, model, at, quantile }) => {
  // Parsed and drawn inside each test, not in the describe body, so that mutation testing (perTest coverage)
  // ties each line of a family to the tests that run it instead of to every test of the folder.
  it('reports the analytic mean', () => {
    const distribution = parse(text);
    const { mean } = model();
    expect(Math.abs(distribution.mean - mean)).toBeLessThanOrEqual(1e-12 * mean);
  });

  it(`has a sample mean within ${K} standard errors of it`, () => {
    const xs = draws(parse(text), text);
    const { mean, sd } = model();
    expect(Math.abs(meanOf(xs) - mean)).toBeLessThanOrEqual((K * sd) / Math.sqrt(N));
  });

  it(`puts the right fraction of draws below each point (${K} binomial standard errors)`, () => {
    const xs = draws(parse(text), text);
    const { cdf } = model();
    for (const x of at) {
      const p = cdf(x);
      expect(Math.abs(fractionAtMost(xs, x) - p)).toBeLessThanOrEqual(K * Math.sqrt((p * (1 - p)) / N) + 1e-12);
    }
  });

  it(quantile ? 'has a quantile function that inverts the CDF' : 'has no closed-form quantile function', () => {
    const distribution = parse(text);
    const { cdf } = model();
    expect(distribution.quantile !== undefined).toBe(quantile);
    if (distribution.quantile === undefined) return;
    for (const p of [0.01, 0.25, 0.5, 0.9, 0.999]) expect(cdf(distribution.quantile(p))).toBeCloseTo(p, 9);
  });

  it('never draws a negative value', () => {
    const xs = draws(parse(text), text);
    expect(xs.every((x) => x >= 0)).toBe(true);
  });
});

describe('distribution properties users rely on', () => {
  it('const always gives its value and consumes no randomness', () => {
    const rng = new RandomStreams(1).stream('c');
    const before = new RandomStreams(1).stream('c')();
    expect(parse('const(1ms)').sample(rng)).toBe(0.001);
    expect(rng()).toBe(before);
  });

  it('lognormal(median=3ms, p99=40ms) really has its p99 at 40ms and its median at 3ms', () => {
    const d = parse('lognormal(median=3ms, p99=40ms)');
    expect(d.quantile?.(0.99)).toBeCloseTo(0.04, 15);
    expect(d.quantile?.(0.5)).toBeCloseTo(0.003, 15);
    const xs = draws(d, 'p99');
    expect(Math.abs(fractionAtMost(xs, 0.04) - 0.99)).toBeLessThanOrEqual(K * Math.sqrt((0.99 * 0.01) / N));
  });

  it('exp has its median at mean·ln 2', () => {
    const d = parse('exp(mean=2ms)');
    expect(d.quantile?.(0.5)).toBeCloseTo(0.002 * Math.LN2, 15);
    expect(Math.abs(fractionAtMost(draws(d, 'median'), 0.002 * Math.LN2) - 0.5)).toBeLessThanOrEqual(K * Math.sqrt(0.25 / N));
  });

  it('normal reports the truncated mean, above the written one once the sd is large', () => {
    const d = parse('normal(mean=2ms, sd=1.5ms)');
    expect(d.mean).toBeGreaterThan(0.00227);
    expect(d.mean).toBeLessThan(0.00228);
  });

  it('pareto with shape <= 1 has an infinite mean', () => {
    expect(parse('pareto(scale=1ms, shape=1)').mean).toBe(Infinity);
    expect(parse('mixture(0.5: pareto(scale=1ms, shape=0.8), 0.5: const(1ms))').mean).toBe(Infinity);
  });

  it('empirical stays within the sample range and hits both ends at p = 0 and p = 1', () => {
    const d = parse('empirical(samples.csv)');
    expect(d.quantile?.(0)).toBe(0.0008);
    expect(d.quantile?.(1)).toBe(0.007);
    expect(d.quantile?.(1 / 6)).toBeCloseTo(0.001, 15); // the second order statistic of seven
  });

  it('keeps no state between draws: streams sharing one distribution object draw as if alone', () => {
    for (const { text } of CASES) {
      const d = parse(text);
      const streams = new RandomStreams(5);
      const alone = Array.from({ length: 500 }, ((rng) => () => d.sample(rng))(streams.stream('a')));
      const [a, b] = [streams.stream('a'), streams.stream('b')];
      const shared: number[] = [];
      for (let i = 0; i < 500; i++) {
        shared.push(d.sample(a));
        d.sample(b);
      }
      expect(shared, text).toEqual(alone);
    }
  });
});
