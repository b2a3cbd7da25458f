/**
 * What the distribution modules build when they load: the families' argument tables and usage strings,
 * the special functions' coefficient tables, and the ziggurat's layer tables.
 *
 * Each test loads the modules afresh (`vi.resetModules()` and a dynamic import) inside the test itself.
 * That is deliberate: values computed at module load are otherwise fixed before a mutation test switches a
 * mutant on (stryker-js#6144), so a table could be wrong without any test noticing; see docs/testing.md.
 *
 * The ziggurat's tables are read back through scripted uniforms (one uniform = 31 bits: the low 7 pick the
 * layer, the high 24 the signed position hz) and checked against Marsaglia & Tsang's definition: layer edges
 * x₁₂₇ = R = 3.442619855899 and xᵢ₊₁·(f(xᵢ) − f(xᵢ₊₁)) = V = 9.91256303526217e-3 with f(x) = e^(−x²/2), the
 * base strip V/f(R) wide, and a position inside the inner rectangle |hz| < ⌊xᵢ₋₁/xᵢ·2²³⌋ returned at once.
 */
import { describe, expect, it, vi } from 'vitest';
import { drawWith } from './scripted.js';

async function load() {
  vi.resetModules();
  const distributions = await import('../../../src/engine/distributions/index.js');
  const ziggurat = await import('../../../src/engine/distributions/ziggurat.js');
  const errors = await import('../../../src/engine/parse-error.js');
  return { ...distributions, ...ziggurat, ParseError: errors.ParseError };
}

type Loaded = Awaited<ReturnType<typeof load>>;

function message(m: Loaded, text: string): string {
  try {
    m.parseDistribution(text, { readFile: () => '1\n' });
  } catch (error) {
    expect(error).toBeInstanceOf(m.ParseError);
    return (error as Error).message;
  }
  throw new Error(`expected '${text}' to fail`);
}

describe('the family tables', () => {
  it('list the families, then mixture', async () => {
    const m = await load();
    expect(m.FAMILY_NAMES).toEqual(['const', 'uniform', 'exp', 'erlang', 'gamma', 'normal', 'lognormal', 'pareto', 'weibull', 'empirical', 'mixture']);
    expect(message(m, 'mixture(x)')).toBe("expected a weight such as 0.95 followed by ':' as in mixture(0.95: exp(mean=2ms), 0.05: const(200ms)), found 'x'");
  });

  it.each([
    ['const', 'value'],
    ['uniform', 'min, max'],
    ['exp', 'mean, rate'],
    ['erlang', 'k, mean'],
    ['gamma', 'shape, mean, scale'],
    ['normal', 'mean, sd'],
    ['lognormal', 'median, p99, mean, sd, sigma'],
    ['pareto', 'scale, shape, min, alpha'],
    ['weibull', 'shape, scale'],
    ['empirical', 'file'],
  ])('%s takes the arguments %s', async (family, names) => {
    const m = await load();
    expect(message(m, `${family}(zz=1)`)).toBe(`expected an argument of ${family} (one of ${names}), found 'zz'`);
  });

  it.each([
    ['const', 'value', 'const(1ms)'],
    ['uniform', 'min', 'uniform(1ms, 3ms)'],
    ['exp', 'mean', 'exp(mean=2ms) or exp(rate=500/s)'],
    ['erlang', 'k', 'erlang(k=4, mean=2ms)'],
    ['gamma', 'shape', 'gamma(shape=2, mean=2ms) or gamma(shape=2, scale=1ms)'],
    ['normal', 'mean', 'normal(mean=2ms, sd=0.5ms)'],
    ['lognormal', 'median', 'lognormal(median=3ms, p99=40ms) or lognormal(mean=2ms, sd=1ms)'],
    ['pareto', 'scale', 'pareto(scale=1ms, shape=2.5)'],
    ['weibull', 'shape', 'weibull(shape=1.5, scale=2ms)'],
    ['empirical', 'file', 'empirical(samples.csv)'],
  ])('%s() misses %s and quotes the usage %s', async (family, missing, usage) => {
    const m = await load();
    expect(message(m, `${family}()`)).toBe(`missing argument '${missing}': expected ${usage}, found '${family}()'`);
  });

  it.each([
    ['const(2)', 'const(2)'],
    ['uniform(1, 2)', 'uniform(1, 2)'],
    ['exp(2)', 'exp(mean=2)'],
    ['erlang(2, 1)', 'erlang(k=2, mean=1)'],
    ['gamma(2, 1)', 'gamma(shape=2, scale=1)'],
    ['normal(1, 2)', 'normal(mean=1, sd=2)'],
    ['pareto(1, 2)', 'pareto(scale=1, shape=2)'],
    ['weibull(2, 3)', 'weibull(shape=2, scale=3)'],
    ['empirical(f)', 'empirical(f)'],
  ])('binds positional arguments in order: %s is %s', async (text, canonical) => {
    const m = await load();
    expect(m.parseDistribution(text, { readFile: () => '1\n' }).toString()).toBe(canonical);
  });

  it('counts positional arguments per family: one for const and exp, none for lognormal', async () => {
    const m = await load();
    expect(message(m, 'const(1, 2)')).toBe("expected at most 1 positional argument as in const(1ms), found '2'");
    expect(message(m, 'exp(1, 2)')).toBe("expected at most 1 positional argument as in exp(mean=2ms) or exp(rate=500/s), found '2'");
    expect(message(m, 'erlang(1, 2, 3)')).toBe("expected at most 2 positional arguments as in erlang(k=4, mean=2ms), found '3'");
    expect(message(m, 'lognormal(1)')).toBe(
      "expected named arguments as in lognormal(median=3ms, p99=40ms) or lognormal(mean=2ms, sd=1ms), found '1'",
    );
  });

  it('accepts every form of every family, and the aliases min and alpha', async () => {
    const m = await load();
    const parse = (text: string) => m.parseDistribution(text).toString();
    expect(parse('exp(rate=2)')).toBe('exp(rate=2)');
    expect(parse('gamma(shape=2, mean=1)')).toBe('gamma(shape=2, mean=1)');
    expect(parse('lognormal(median=1, p99=2)')).toBe('lognormal(median=1, p99=2)');
    expect(parse('lognormal(mean=1, sd=2)')).toBe('lognormal(mean=1, sd=2)');
    expect(parse('lognormal(median=1, sigma=2)')).toBe('lognormal(median=1, sigma=2)');
    expect(parse('pareto(min=1, alpha=2)')).toBe('pareto(scale=1, shape=2)');
    expect(message(m, 'exp(mean=1, rate=2)')).toBe("expected exp(mean=2ms) or exp(rate=500/s), found 'rate' together with 'mean'");
    expect(message(m, 'uniform(min=1, mean=2)')).toBe("expected an argument of uniform (one of min, max), found 'mean'");
  });
});

describe('the special-function tables', () => {
  it('give Φ⁻¹ in the central region and both tail regions of AS 241 (30-digit references)', async () => {
    const { normalQuantile } = await load();
    for (const [p, z] of [
      [0.3, -0.524400512708040784038289325025],
      [0.9, 1.28155156554460046696510332945],
      [0.02425, -1.97296105131188485026979885948],
      [1e-12, -7.03448382530113192980915241853],
    ] as const) {
      expect(Math.abs(normalQuantile(p) - z) / Math.abs(z)).toBeLessThan(1e-13);
    }
  });

  it('give φ, Φ and Γ (Lanczos, both sides of the reflection)', async () => {
    const { normalPdf, normalCdf, gammaFunction } = await load();
    expect(Math.abs(normalPdf(0) - 0.398942280401432677939946059934)).toBeLessThan(1e-16);
    expect(Math.abs(normalCdf(-1.7) / 0.044565462758543039487433004708 - 1)).toBeLessThan(1e-13);
    for (const [x, g] of [
      [2.5, 1.32934038817913702047362561251],
      [20.5, 540624298233507504.473687364781],
      [0.25, 3.62560990822190831193068515587],
    ] as const) {
      expect(Math.abs(gammaFunction(x) / g - 1)).toBeLessThan(1e-13);
    }
  });
});

describe('the ziggurat tables', () => {
  const R = 3.442619855899;
  const V = 9.91256303526217e-3;
  const SCALE = 2 ** 23;
  const f = (x: number) => Math.exp(-0.5 * x * x);
  /** The uniform whose 31 bits select layer `layer` and position `hz`. */
  const at = (layer: number, hz: number) => (((hz + SCALE) * 128 + layer) / 2 ** 31);
  /** Layer edges from the equal-area definition, x₁₂₇ = R down to x₁. */
  const edges = (() => {
    const x = new Float64Array(128);
    x[127] = R;
    for (let i = 126; i >= 1; i--) x[i] = Math.sqrt(-2 * Math.log(V / x[i + 1]! + f(x[i + 1]!)));
    return x;
  })();

  it('have layers of equal area V, the top one closing at the peak', () => {
    expect(Math.abs(edges[1]! * (1 - f(edges[1]!)) - V) / V).toBeLessThan(1e-8);
  });

  it('give position 1 of layer i the value xᵢ/2²³, and of the base strip (V/f(R))/2²³, in one uniform', async () => {
    const { normalZiggurat } = await load();
    for (let i = 2; i < 128; i++) {
      const r = drawWith(normalZiggurat, at(i, 1));
      expect(r.used).toBe(1);
      expect(Math.abs(r.value * SCALE - edges[i]!)).toBeLessThan(1e-12 * edges[i]!);
      expect(drawWith(normalZiggurat, at(i, -1)).value).toBe(-r.value);
    }
    const base = drawWith(normalZiggurat, at(0, 1));
    expect(base.used).toBe(1);
    expect(Math.abs((base.value * SCALE) / (V / f(R)) - 1)).toBeLessThan(1e-12);
  });

  it('return at once exactly the positions inside each inner rectangle, |hz| < ⌊xᵢ₋₁/xᵢ·2²³⌋', async () => {
    const { normalZiggurat } = await load();
    const limits = [Math.floor((R / (V / f(R))) * SCALE)];
    for (let i = 2; i < 128; i++) limits[i] = Math.floor((edges[i - 1]! / edges[i]!) * SCALE);
    for (const i of [0, 2, 3, 64, 126, 127]) {
      const k = limits[i]!;
      expect(drawWith(normalZiggurat, at(i, k - 1)).used).toBe(1);
      expect(drawWith(normalZiggurat, at(i, -(k - 1))).used).toBe(1);
      // Outside: the wedge or tail test takes more uniforms (0.5 each, then position 1 of layer 127).
      expect(drawWith(normalZiggurat, at(i, k), 0.5, 0.5, 0.5, 0.5, at(127, 1)).used).toBeGreaterThan(1);
    }
    // Layer 1, the top, has no inner rectangle: every position goes to the wedge test.
    expect(drawWith(normalZiggurat, at(1, 1), 0, at(127, 1)).used).toBe(2);
  });

  it('accept a wedge point x when f(xᵢ) + u·(f(xᵢ₋₁) − f(xᵢ)) < f(x), else draw again', async () => {
    const { normalZiggurat } = await load();
    // Layer 1 at half its width: f(x₁/2) lies strictly between f(x₁) and f(x₀) = 1.
    const half = at(1, SCALE / 2);
    const x = edges[1]! / 2;
    const threshold = (f(x) - f(edges[1]!)) / (1 - f(edges[1]!));
    const accepted = drawWith(normalZiggurat, half, threshold * 0.999);
    expect(accepted.used).toBe(2);
    expect(Math.abs(accepted.value - x)).toBeLessThan(1e-12);
    const rejected = drawWith(normalZiggurat, half, threshold * 1.001, at(127, 1));
    expect(rejected.used).toBe(3);
    expect(Math.abs(rejected.value * SCALE - R)).toBeLessThan(1e-12);
    // Layer 127, just outside its rectangle: between f(R) and f(x₁₂₆).
    const k = Math.floor((edges[126]! / R) * SCALE);
    const y = (k * R) / SCALE;
    const t127 = (f(y) - f(R)) / (f(edges[126]!) - f(R));
    expect(drawWith(normalZiggurat, at(127, k), t127 * 0.99).used).toBe(2);
    expect(drawWith(normalZiggurat, at(127, k), t127 * 1.01, at(127, 1)).used).toBe(3);
  });

  it('draw the tail beyond R on either side, by x = −ln(1 − u)/R accepted when −2 ln(1 − v) >= x²', async () => {
    const { normalZiggurat } = await load();
    const positive = drawWith(normalZiggurat, at(0, SCALE - 1), 0.5, 0.999);
    expect(positive.used).toBe(3);
    expect(Math.abs(positive.value - (R + Math.LN2 / R))).toBeLessThan(1e-12);
    const negative = drawWith(normalZiggurat, at(0, -SCALE), 0.5, 0.999);
    expect(Math.abs(negative.value + (R + Math.LN2 / R))).toBeLessThan(1e-12);
    // v = 0.01: −2 ln 0.99 = 0.0201 < (ln 2/R)² = 0.0405, so the pair is rejected and another drawn.
    expect(drawWith(normalZiggurat, at(0, SCALE - 1), 0.5, 0.01, 0.5, 0.999).used).toBe(5);
  });
});
