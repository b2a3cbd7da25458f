/**
 * Each family built directly (as code does, without the parser), drawn with scripted uniforms, and checked
 * against values worked out by hand from the family's definition: the inverse-CDF draw, the quantile, the
 * analytic mean, the canonical string, how many uniforms a draw takes, and the RangeError a bad parameter
 * gives, at both ends of each parameter's range. Exact or within a stated relative tolerance; no sampling.
 * Reference values of Φ, Φ⁻¹ and Γ were computed to 30 digits with mpmath.
 */
import { describe, expect, it } from 'vitest';
import {
  Constant,
  Erlang,
  Exponential,
  Gamma,
  LogNormal,
  Mixture,
  Pareto,
  TruncatedNormal,
  Uniform,
  Weibull,
  type Distribution,
} from '../../../src/engine/distributions/index.js';
import { drawWith } from './scripted.js';

/** |actual − expected| <= tolerance·|expected|. */
function close(actual: number, expected: number, tolerance = 1e-13): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}

const draw = (d: Distribution, ...uniforms: number[]) => drawWith((rng) => d.sample(rng), ...uniforms);

const PHI_1 = 0.841344746068542948585232545632; // Φ(1)
const PHI_2 = 0.977249868051820792799717362833; // Φ(2)
const PHI_MINUS_4 = 3.16712418331199212537707567222e-5; // Φ(−4)

describe('const', () => {
  it('gives its value for every draw and quantile, taking no uniform', () => {
    const d = new Constant(2);
    expect(draw(d)).toEqual({ value: 2, used: 0 });
    expect(d.quantile(0.3)).toBe(2);
    expect(d.mean).toBe(2);
  });

  it('prints plain numbers by default and durations with a unit', () => {
    expect(new Constant(2).toString()).toBe('const(2)');
    expect(new Constant(0.002, 'duration').toString()).toBe('const(2ms)');
    expect(new Constant(0).toString()).toBe('const(0)');
  });

  it('accepts 0 and rejects a negative, infinite or NaN value', () => {
    expect(new Constant(0).mean).toBe(0);
    expect(() => new Constant(-1e-300)).toThrow(new RangeError('const value must be finite and >= 0, got -1e-300'));
    expect(() => new Constant(Infinity)).toThrow(new RangeError('const value must be finite and >= 0, got Infinity'));
    expect(() => new Constant(NaN)).toThrow(RangeError);
  });
});

describe('uniform', () => {
  it('maps a uniform u to min + (max − min)·u, and so does the quantile', () => {
    const d = new Uniform(1, 3);
    expect(draw(d, 0.25)).toEqual({ value: 1.5, used: 1 });
    expect(d.quantile(0.75)).toBe(2.5);
    expect(d.quantile(0)).toBe(1);
    expect(d.mean).toBe(2);
    expect(d.toString()).toBe('uniform(1, 3)');
  });

  it('needs 0 <= min < max < ∞', () => {
    expect(new Uniform(0, 1e-300).mean).toBe(5e-301);
    const message = (min: number, max: number) => new RangeError(`uniform needs 0 <= min < max, got ${min}, ${max}`);
    expect(() => new Uniform(-1, 1)).toThrow(message(-1, 1));
    expect(() => new Uniform(1, 1)).toThrow(message(1, 1));
    expect(() => new Uniform(2, 1)).toThrow(message(2, 1));
    expect(() => new Uniform(0, Infinity)).toThrow(message(0, Infinity));
  });
});

describe('exp', () => {
  it('draws −mean·ln(1 − u): u = 1/2 gives mean·ln 2, u = 0 gives 0', () => {
    const d = Exponential.withMean(3);
    expect(draw(d, 0.5)).toEqual({ value: 3 * Math.LN2, used: 1 });
    expect(draw(d, 0).value === 0).toBe(true); // −0 or +0: −mean·ln 1
    expect(d.quantile(0.75)).toBe(3 * Math.log(4));
  });

  it('takes a rate as 1/mean', () => {
    const d = Exponential.withRate(4);
    expect(d.mean).toBe(0.25);
    close(draw(d, 0.75).value, Math.log(4) / 4);
  });

  it('prints the form it was written in: rates per second for durations, plain otherwise', () => {
    expect(Exponential.withMean(2).toString()).toBe('exp(mean=2)');
    expect(Exponential.withMean(0.002, 'duration').toString()).toBe('exp(mean=2ms)');
    expect(Exponential.withRate(500, 'duration').toString()).toBe('exp(rate=500/s)');
    expect(Exponential.withRate(2).toString()).toBe('exp(rate=2)');
    expect(Exponential.withRate(2, 'bytes').toString()).toBe('exp(rate=2)');
  });

  it('needs a finite mean or rate > 0', () => {
    expect(() => Exponential.withMean(0)).toThrow(new RangeError('exp mean must be finite and > 0, got 0'));
    expect(() => Exponential.withMean(Infinity)).toThrow(new RangeError('exp mean must be finite and > 0, got Infinity'));
    expect(() => Exponential.withRate(0)).toThrow(new RangeError('exp rate must be finite and > 0, got 0'));
    expect(() => Exponential.withRate(Infinity)).toThrow(new RangeError('exp rate must be finite and > 0, got Infinity'));
    expect(Exponential.withMean(1e-300).mean).toBe(1e-300);
  });
});

describe('erlang', () => {
  it('up to 4 phases, draws −(mean/k)·ln of a product of k uniforms, one per phase', () => {
    // k = 4, mean 2: −(1/2)·ln(1/16) = 2 ln 2.
    const four = drawWith((rng) => new Erlang(4, 2).sample(rng), 0.5, 0.5, 0.5, 0.5);
    expect(four.used).toBe(4);
    close(four.value, 2 * Math.LN2);
    // k = 1 is the exponential: −3·ln(1/4).
    const one = drawWith((rng) => new Erlang(1, 3).sample(rng), 0.75);
    expect(one.used).toBe(1);
    close(one.value, 3 * Math.log(4));
  });

  it('from 5 phases on, draws as gamma(shape=k, scale=mean/k): u₁ = 1/2 (a normal of 0) gives (k − 1/3)·mean/k', () => {
    // Marsaglia–Tsang with d = 5 − 1/3: a normal of 0 and any u₂ < 1 is accepted at d·scale = (14/3)·(2/5).
    const five = drawWith((rng) => new Erlang(5, 2).sample(rng), 0.5, 0.3);
    expect(five.used).toBe(2);
    close(five.value, 28 / 15);
  });

  it('reports its mean and canonical string', () => {
    const d = new Erlang(4, 2, 'duration');
    expect(d.mean).toBe(2);
    expect(d.toString()).toBe('erlang(k=4, mean=2s)');
    expect(new Erlang(3, 0.5).toString()).toBe('erlang(k=3, mean=0.5)');
  });

  it('needs a whole k >= 1 and a finite mean > 0', () => {
    expect(new Erlang(1, 1).mean).toBe(1);
    expect(() => new Erlang(0, 1)).toThrow(new RangeError('erlang k must be a whole number >= 1, got 0'));
    expect(() => new Erlang(2.5, 1)).toThrow(new RangeError('erlang k must be a whole number >= 1, got 2.5'));
    expect(() => new Erlang(2, 0)).toThrow(new RangeError('erlang mean must be finite and > 0, got 0'));
    expect(() => new Erlang(2, Infinity)).toThrow(new RangeError('erlang mean must be finite and > 0, got Infinity'));
  });
});

describe('gamma (Marsaglia & Tsang 2000)', () => {
  // shape 2: d = 2 − 1/3 = 5/3, c = 1/√(9d) = 1/√15; a normal x and uniform u give d·(1 + c·x)³ when accepted.
  const shape2 = Gamma.withScale(2, 1);

  it('accepts a normal of 0 at d = shape − 1/3, taking one uniform for the normal and one for the test', () => {
    expect(draw(shape2, 0.5, 0.3)).toEqual({ value: 5 / 3, used: 2 });
    close(draw(Gamma.withScale(2, 3), 0.5, 0.3).value, 5);
  });

  it('accepts x = 1 by the squeeze u < 1 − 0.0331·x⁴ at d·(1 + c)³', () => {
    const r = draw(shape2, PHI_1, 0.5);
    expect(r.used).toBe(2);
    close(r.value, 3.31968321426326797569071265474, 1e-12);
  });

  it('at x = 2 (squeeze 0.4704) decides by ln u < x²/2 + d·(1 − v + ln v), whose right side is −0.06314', () => {
    // u = 0.6: ln u = −0.51 is below, accepted at d·(1 + 2c)³.
    const accepted = draw(shape2, PHI_2, 0.6);
    expect(accepted.used).toBe(2);
    close(accepted.value, 5.81149902169131003516717043836, 1e-12);
    // u = 0.95: ln u = −0.051 is above, rejected; the next pair (x = 0) is accepted.
    expect(draw(shape2, PHI_2, 0.95, 0.5, 0.3)).toEqual({ value: 5 / 3, used: 4 });
  });

  it('redraws the normal, without a uniform for the test, while 1 + c·x <= 0 (x = −4 < −√15)', () => {
    expect(draw(shape2, PHI_MINUS_4, 0.5, 0.3)).toEqual({ value: 5 / 3, used: 3 });
  });

  it('below shape 1, draws with shape + 1 and multiplies by U^(1/shape)', () => {
    // shape 1/2, scale 2: d = 3/2 − 1/3 = 7/6, then (7/6)·(1/4)² · 2 = 7/48.
    const r = draw(Gamma.withScale(0.5, 2), 0.5, 0.3, 0.25);
    expect(r.used).toBe(3);
    close(r.value, 7 / 48);
    // shape exactly 1 is not boosted: d = 2/3 and no third uniform.
    const unboosted = draw(Gamma.withScale(1, 1), 0.5, 0.3);
    expect(unboosted.used).toBe(2);
    close(unboosted.value, 2 / 3);
  });

  it('has mean shape·scale, given either way, and prints the form it was written in', () => {
    expect(Gamma.withScale(2, 3).mean).toBe(6);
    expect(Gamma.withMean(2, 3).mean).toBe(3);
    expect(Gamma.withMean(2, 3).scale).toBe(1.5);
    expect(Gamma.withScale(2, 3).toString()).toBe('gamma(shape=2, scale=3)');
    expect(Gamma.withMean(2, 0.003, 'duration').toString()).toBe('gamma(shape=2, mean=3ms)');
    expect(Gamma.withMean(2.5, 3).toString()).toBe('gamma(shape=2.5, mean=3)');
  });

  it('needs a finite shape and scale > 0', () => {
    expect(() => Gamma.withScale(0, 1)).toThrow(new RangeError('gamma shape must be finite and > 0, got 0'));
    expect(() => Gamma.withScale(Infinity, 1)).toThrow(new RangeError('gamma shape must be finite and > 0, got Infinity'));
    expect(() => Gamma.withScale(2, 0)).toThrow(new RangeError('gamma scale must be finite and > 0, got 0'));
    expect(() => Gamma.withScale(2, Infinity)).toThrow(new RangeError('gamma scale must be finite and > 0, got Infinity'));
    expect(() => Gamma.withMean(2, 0)).toThrow(new RangeError('gamma scale must be finite and > 0, got 0'));
  });
});

describe('lognormal', () => {
  it('median and σ: a draw is median·e^(σ·Φ⁻¹(u)), the mean median·e^(σ²/2)', () => {
    const d = LogNormal.fromMedianSigma(2, 0.5);
    expect(d.mu).toBe(Math.log(2));
    expect(d.sigma).toBe(0.5);
    expect(draw(d, 0.5)).toEqual({ value: 2, used: 1 });
    close(d.quantile(PHI_1), 2 * Math.exp(0.5), 1e-14);
    close(d.mean, 2 * Math.exp(0.125), 1e-15);
    expect(d.toString()).toBe('lognormal(median=2, sigma=0.5)');
  });

  it('mean and sd: σ² = ln(1 + (sd/mean)²), median = mean/√(1 + cv²), and the mean is kept as written', () => {
    const d = LogNormal.fromMeanSd(2, 1);
    close(d.sigma, Math.sqrt(Math.log(1.25)), 1e-15);
    close(d.quantile(0.5), 2 / Math.sqrt(1.25), 1e-15);
    expect(d.mean).toBe(2);
    expect(d.toString()).toBe('lognormal(mean=2, sd=1)');
  });

  it('median and p99: σ = ln(p99/median)/Φ⁻¹(0.99)', () => {
    const d = LogNormal.fromMedianP99(3, 40, 'duration');
    close(d.sigma, Math.log(40 / 3) / 2.32634787404084110089, 1e-14);
    close(d.quantile(0.99), 40, 1e-14);
    close(draw(d, 0.5).value, 3, 1e-15);
    expect(d.toString()).toBe('lognormal(median=3s, p99=40s)');
  });

  it('rejects parameters outside 0 < median < p99, mean and sd > 0, finite μ and σ > 0', () => {
    expect(() => LogNormal.fromMedianP99(3, 2)).toThrow(new RangeError('lognormal needs 0 < median < p99, got 3, 2'));
    expect(() => LogNormal.fromMedianP99(3, 3)).toThrow(new RangeError('lognormal needs 0 < median < p99, got 3, 3'));
    expect(() => LogNormal.fromMedianP99(0, 1)).toThrow(new RangeError('lognormal needs 0 < median < p99, got 0, 1'));
    expect(() => LogNormal.fromMeanSd(0, 1)).toThrow(new RangeError('lognormal needs mean > 0 and sd > 0, got 0, 1'));
    expect(() => LogNormal.fromMeanSd(1, 0)).toThrow(new RangeError('lognormal needs mean > 0 and sd > 0, got 1, 0'));
    expect(() => LogNormal.fromMedianSigma(0, 1)).toThrow(new RangeError('lognormal needs median > 0, got 0'));
    expect(() => LogNormal.fromMedianSigma(1, 0)).toThrow(new RangeError('lognormal needs finite mu and sigma > 0, got 0, 0'));
    expect(() => LogNormal.fromMedianSigma(1, Infinity)).toThrow(new RangeError('lognormal needs finite mu and sigma > 0, got 0, Infinity'));
    expect(() => LogNormal.fromMedianSigma(Infinity, 1)).toThrow(new RangeError('lognormal needs finite mu and sigma > 0, got Infinity, 1'));
  });
});

describe('normal (truncated at 0)', () => {
  it('at mean 0 is the half-normal: mean √(2/π), acceptance 1/2, median Φ⁻¹(3/4)', () => {
    const d = new TruncatedNormal(0, 1);
    close(d.mean, 0.797884560802865355879892119869, 1e-14);
    expect(d.acceptance).toBe(0.5);
    close(d.quantile(0.5), 0.674489750196081743202227014541, 1e-14);
    expect(d.quantile(0)).toBe(0);
  });

  it('at mean 1, sd 1: mean 1 + φ(1)/Φ(1), median 1 + Φ⁻¹(Φ(−1) + Φ(1)/2)', () => {
    const d = new TruncatedNormal(1, 1);
    close(d.mean, 1.28759997093917836122867012739, 1e-14);
    close(d.acceptance, PHI_1, 1e-15);
    close(d.quantile(0.5), 1.20017368616689092589533662811, 1e-14);
  });

  it('keeps a draw of exactly 0 and redraws negative ones, one uniform each', () => {
    const d = new TruncatedNormal(0, 1);
    expect(draw(d, 0.5)).toEqual({ value: 0, used: 1 });
    const r = draw(d, 0.2, 0.7);
    expect(r.used).toBe(2);
    close(r.value, 0.524400512708040784038289325025, 1e-14);
    expect(draw(new TruncatedNormal(2, 0.5), 0.5)).toEqual({ value: 2, used: 1 });
  });

  it('prints mean and sd as written', () => {
    expect(new TruncatedNormal(2, 0.5).toString()).toBe('normal(mean=2, sd=0.5)');
    expect(new TruncatedNormal(0.002, 0.0005, 'duration').toString()).toBe('normal(mean=2ms, sd=500us)');
  });

  it('needs a finite mean >= 0 and a finite sd > 0', () => {
    expect(() => new TruncatedNormal(-1, 1)).toThrow(new RangeError('normal mean must be finite and >= 0, got -1'));
    expect(() => new TruncatedNormal(Infinity, 1)).toThrow(new RangeError('normal mean must be finite and >= 0, got Infinity'));
    expect(() => new TruncatedNormal(0, 0)).toThrow(new RangeError('normal sd must be finite and > 0, got 0'));
    expect(() => new TruncatedNormal(0, Infinity)).toThrow(new RangeError('normal sd must be finite and > 0, got Infinity'));
  });
});

describe('pareto', () => {
  it('draws scale·(1 − u)^(−1/shape): u = 3/4 at shape 2 gives twice the scale', () => {
    const d = new Pareto(3, 2);
    close(draw(d, 0.75).value, 6, 1e-15);
    close(d.quantile(0.75), 6, 1e-15);
    expect(draw(d, 0).value).toBe(3);
    expect(d.toString()).toBe('pareto(scale=3, shape=2)');
  });

  it('has mean shape·scale/(shape − 1) above shape 1, infinite at and below it', () => {
    expect(new Pareto(1, 2).mean).toBe(2);
    expect(new Pareto(3, 1.5).mean).toBe(9);
    expect(new Pareto(1, 1).mean).toBe(Infinity);
    expect(new Pareto(1, 0.5).mean).toBe(Infinity);
  });

  it('needs a finite scale and shape > 0', () => {
    expect(() => new Pareto(0, 2)).toThrow(new RangeError('pareto scale must be finite and > 0, got 0'));
    expect(() => new Pareto(Infinity, 2)).toThrow(new RangeError('pareto scale must be finite and > 0, got Infinity'));
    expect(() => new Pareto(1, 0)).toThrow(new RangeError('pareto shape must be finite and > 0, got 0'));
    expect(() => new Pareto(1, Infinity)).toThrow(new RangeError('pareto shape must be finite and > 0, got Infinity'));
  });
});

describe('weibull', () => {
  it('draws scale·(−ln(1 − u))^(1/shape): u = 1 − e^(−4) at shape 2 gives twice the scale', () => {
    const d = new Weibull(2, 3);
    close(draw(d, 1 - Math.exp(-4)).value, 6, 1e-12);
    close(d.quantile(1 - Math.exp(-4)), 6, 1e-12);
    expect(draw(d, 0).value).toBe(0);
    expect(d.toString()).toBe('weibull(shape=2, scale=3)');
  });

  it('has mean scale·Γ(1 + 1/shape)', () => {
    close(new Weibull(1, 3).mean, 3, 1e-14);
    close(new Weibull(2, 2).mean, Math.sqrt(Math.PI), 1e-14);
    close(new Weibull(0.5, 1).mean, 2, 1e-14);
  });

  it('needs a finite shape and scale > 0', () => {
    expect(() => new Weibull(0, 1)).toThrow(new RangeError('weibull shape must be finite and > 0, got 0'));
    expect(() => new Weibull(Infinity, 1)).toThrow(new RangeError('weibull shape must be finite and > 0, got Infinity'));
    expect(() => new Weibull(1, 0)).toThrow(new RangeError('weibull scale must be finite and > 0, got 0'));
    expect(() => new Weibull(1, Infinity)).toThrow(new RangeError('weibull scale must be finite and > 0, got Infinity'));
  });
});

describe('mixture', () => {
  const one = new Constant(1);
  const two = new Constant(2);
  const three = new Constant(3);

  it('picks component i when u falls in [w₀ + … + wᵢ₋₁, w₀ + … + wᵢ), then lets it draw', () => {
    const d = new Mixture([
      { weight: 0.25, distribution: one },
      { weight: 0.25, distribution: two },
      { weight: 0.5, distribution: three },
    ]);
    expect(draw(d, 0).value).toBe(1);
    expect(draw(d, 0.2499).value).toBe(1);
    expect(draw(d, 0.25).value).toBe(2);
    expect(draw(d, 0.4999).value).toBe(2);
    expect(draw(d, 0.5).value).toBe(3);
    expect(draw(d, 0.9999).value).toBe(3);
    const withExp = new Mixture([
      { weight: 0.5, distribution: Exponential.withMean(1) },
      { weight: 0.5, distribution: one },
    ]);
    expect(draw(withExp, 0.1, 0.5)).toEqual({ value: Math.LN2, used: 2 });
  });

  it('gives the last component any u beyond the weights when they sum to a little under 1', () => {
    const d = new Mixture([
      { weight: 0.5, distribution: one },
      { weight: 0.5 - 1e-10, distribution: two },
    ]);
    expect(draw(d, 0.99999999995).value).toBe(2);
  });

  it('has the weighted mean of its components and prints each weight before its component', () => {
    const d = new Mixture([
      { weight: 0.25, distribution: one },
      { weight: 0.75, distribution: two },
    ]);
    expect(d.mean).toBe(1.75);
    expect(d.toString()).toBe('mixture(0.25: const(1), 0.75: const(2))');
  });

  it('needs at least one component, positive weights and a total of 1', () => {
    expect(new Mixture([{ weight: 1, distribution: one }]).mean).toBe(1);
    expect(() => new Mixture([])).toThrow(new RangeError('a mixture needs at least one component'));
    expect(() =>
      new Mixture([
        { weight: 1, distribution: one },
        { weight: 0, distribution: two },
      ]),
    ).toThrow(new RangeError('mixture weights must be > 0, got 0'));
    expect(() => new Mixture([{ weight: 0.9, distribution: one }])).toThrow(new RangeError('mixture weights must sum to 1, got 0.9'));
    expect(() => new Mixture([{ weight: 1.1, distribution: one }])).toThrow(new RangeError('mixture weights must sum to 1, got 1.1'));
  });
});
