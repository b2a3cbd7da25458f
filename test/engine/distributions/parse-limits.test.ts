/**
 * Where the parser draws its lines, for the cases the other parse tests leave open: a zero where a family
 * needs a positive value is a parse error at the value (not a failure inside the family's constructor); a
 * zero with a unit still has that unit's dimension; the text an error quotes is the call it is in; a clash
 * is reported at the later of the two arguments; the "did you mean" hint also offers a family the word begins.
 * And a lognormal draw is exp(μ + σ·Φ⁻¹(u)), increasing in u. Offsets and lengths are counted by hand.
 */
import { describe, expect, it } from 'vitest';
import { parseDistribution } from '../../../src/engine/distributions/index.js';
import { LogNormal } from '../../../src/engine/distributions/lognormal.js';
import { ParseError } from '../../../src/engine/parse-error.js';

function failure(text: string): { offset: number; length: number; message: string } {
  try {
    parseDistribution(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    const e = error as ParseError;
    return { offset: e.offset, length: e.length, message: e.message };
  }
  throw new Error(`expected '${text}' to fail`);
}

describe('values that must be positive', () => {
  it.each([
    ['erlang(k=2, mean=0ms)', 17, 'mean'],
    ['gamma(shape=2, mean=0ms)', 20, 'mean'],
    ['gamma(shape=2, scale=0ms)', 21, 'scale'],
    ['normal(mean=1ms, sd=0ms)', 20, 'sd'],
    ['lognormal(mean=0ms, sd=1ms)', 15, 'mean'],
    ['lognormal(mean=1ms, sd=0ms)', 23, 'sd'],
    ['lognormal(median=0ms, p99=2ms)', 17, 'median'],
    ['lognormal(median=1ms, p99=0ms)', 26, 'p99'],
    ['pareto(scale=0ms, shape=2)', 13, 'scale'],
    ['weibull(shape=2, scale=0ms)', 23, 'scale'],
    ['exp(mean=0ms)', 9, 'mean'],
    ['uniform(0ms, 0ms)', 13, 'max'],
  ])('%s is refused at the zero', (text, offset, name) => {
    expect(failure(text)).toEqual({ offset, length: 3, message: `expected a positive '${name}', found '0ms'` });
  });

  it('a uniform may start at 0 but not below', () => {
    expect(parseDistribution('uniform(0ms, 2ms)').toString()).toBe('uniform(0, 2ms)');
    expect(failure('uniform(-1ms, 2ms)')).toEqual({ offset: 8, length: 4, message: "expected a non-negative 'min', found '-1ms'" });
  });
});

describe('dimensions', () => {
  it('a zero with a unit is of that unit: 0ms does not fit among sizes', () => {
    expect(failure('mixture(0.5: const(1KiB), 0.5: const(0ms))')).toEqual({
      offset: 37,
      length: 3,
      message: "expected a size such as 512, 4KB or 1.5MiB for 'value' like the other values, found a duration '0ms'",
    });
  });
});

describe('errors name the call they are in', () => {
  it('a missing argument inside a mixture quotes the inner call, and points at its closing parenthesis', () => {
    expect(failure('mixture(0.5: lognormal(sd=1ms), 0.5: const(1ms))')).toEqual({
      offset: 29,
      length: 1,
      message: "missing argument 'mean': expected lognormal(median=3ms, p99=40ms) or lognormal(mean=2ms, sd=1ms), found 'lognormal(sd=1ms)'",
    });
  });

  it('the missing argument is the one of the form the given ones belong to (sd → mean, not median)', () => {
    expect(failure('lognormal(sd=1ms)').message).toMatch(/^missing argument 'mean'/);
    expect(failure('lognormal(p99=1ms)').message).toMatch(/^missing argument 'median'/);
  });

  it('two forms mixed: the later argument is reported, with the earlier one named', () => {
    expect(failure('lognormal(mean=2ms, median=1ms, p99=3ms)')).toEqual({
      offset: 20,
      length: 6,
      message: "expected lognormal(median=3ms, p99=40ms) or lognormal(mean=2ms, sd=1ms), found 'median' together with 'mean'",
    });
  });

  it('a word that begins a family name is offered that family, however far in edits', () => {
    expect(failure('logn(1ms)').message).toMatch(/found 'logn'; did you mean 'lognormal'\?$/);
  });
});

describe('lognormal draws', () => {
  // median 2, p99 5: σ = ln 2.5 / 2.326348 = 0.393880; Φ⁻¹(0.9) = 1.281552, so the draw at u = 0.9 is
  // 2·e^(0.393880·1.281552) = 2·1.656605 = 3.313210, and at u = 0.1 it is 2 / 1.656605 = 1.207289.
  it('draws exp(μ + σ·Φ⁻¹(u)): larger uniforms give larger values', () => {
    const d = LogNormal.fromMedianP99(2, 5);
    expect(d.sample(() => 0.9)).toBeCloseTo(3.31321, 4);
    expect(d.sample(() => 0.1)).toBeCloseTo(1.20729, 4);
  });
});
