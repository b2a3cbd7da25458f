/**
 * Parser rules not covered by distributions-parse.test.ts: argument names, positional limits, clashes
 * between forms, rates and the dimension they set, mixture weights, nesting depth, and the "did you mean"
 * hint (a family name that starts or is started by the word, or within edit distance 2, for words of 2+
 * letters). Every error is checked by its exact message and its offset and length in the text, counted by hand.
 */
import { describe, expect, it } from 'vitest';
import { parseDistribution, type ParseDistributionOptions } from '../../../src/engine/distributions/index.js';
import { ParseError } from '../../../src/engine/parse-error.js';

function failure(text: string, options: ParseDistributionOptions = {}): { offset: number; length: number; message: string } {
  try {
    parseDistribution(text, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    const e = error as ParseError;
    return { offset: e.offset, length: e.length, message: e.message };
  }
  throw new Error(`expected '${text}' to fail`);
}

const FAMILIES = 'const, uniform, exp, erlang, gamma, normal, lognormal, pareto, weibull, empirical, mixture';

describe('arguments', () => {
  it('takes a name before = only if it is a letter or _ followed by letters, digits or _', () => {
    expect(failure('exp(2x=1)')).toEqual({ offset: 4, length: 2, message: "expected an argument name before '=', found '2x'" });
    expect(failure('exp(me-an=2)')).toEqual({ offset: 4, length: 5, message: "expected an argument name before '=', found 'me-an'" });
    expect(failure('exp("mean"=2)')).toEqual({ offset: 4, length: 6, message: `expected an argument name before '=', found '"mean"'` });
    expect(failure('exp(_m=2)')).toEqual({ offset: 4, length: 2, message: "expected an argument of exp (one of mean, rate), found '_m'" });
    expect(failure('exp(m1=2)')).toEqual({ offset: 4, length: 2, message: "expected an argument of exp (one of mean, rate), found 'm1'" });
  });

  it('lists aliases among the names a family accepts', () => {
    expect(failure('pareto(x=1)')).toEqual({ offset: 7, length: 1, message: "expected an argument of pareto (one of scale, shape, min, alpha), found 'x'" });
  });

  it('counts positional arguments in the singular and the plural', () => {
    expect(failure('uniform(1, 2, 3)')).toEqual({ offset: 14, length: 1, message: "expected at most 2 positional arguments as in uniform(1ms, 3ms), found '3'" });
    expect(failure('exp(2ms foo)')).toEqual({ offset: 8, length: 3, message: "expected ',' or ')' after '2ms', found 'foo'" });
    expect(failure('exp(mean=2ms foo=1)')).toEqual({ offset: 13, length: 3, message: "expected ',' or ')' after 'mean=2ms', found 'foo'" });
  });

  it('names every earlier argument a later one cannot go with, and only those', () => {
    expect(failure('lognormal(median=3ms, p99=40ms, sd=1ms)')).toEqual({
      offset: 32,
      length: 2,
      message: "expected lognormal(median=3ms, p99=40ms) or lognormal(mean=2ms, sd=1ms), found 'sd' together with 'median' and 'p99'",
    });
    expect(failure('lognormal(median=3ms, p99=40ms, sigma=1)')).toEqual({
      offset: 32,
      length: 5,
      message: "expected lognormal(median=3ms, p99=40ms) or lognormal(mean=2ms, sd=1ms), found 'sigma' together with 'p99'",
    });
  });

  it('reports the first missing argument of the first form that fits, at the closing parenthesis', () => {
    const usage = 'gamma(shape=2, mean=2ms) or gamma(shape=2, scale=1ms)';
    expect(failure('gamma(shape=2)')).toEqual({ offset: 13, length: 1, message: `missing argument 'mean': expected ${usage}, found 'gamma(shape=2)'` });
    expect(failure('gamma(scale=1)')).toEqual({ offset: 13, length: 1, message: `missing argument 'shape': expected ${usage}, found 'gamma(scale=1)'` });
  });

  it('builds each form of each family', () => {
    expect(parseDistribution('gamma(2, mean=2ms)').toString()).toBe('gamma(shape=2, mean=2ms)');
    expect(parseDistribution('gamma(2, 2ms)').mean).toBe(0.004);
    expect(parseDistribution('lognormal(mean=2ms, sd=1ms)').mean).toBe(0.002);
    expect(parseDistribution('weibull(2, 3)').toString()).toBe('weibull(shape=2, scale=3)');
  });
});

describe('values', () => {
  it("requires max above min and p99 above the median, equal included", () => {
    expect(failure('uniform(1ms, 1ms)')).toEqual({ offset: 13, length: 3, message: "expected 'max' greater than 'min' 1ms, found '1ms'" });
  });

  it('requires whole counts and positive shapes, as plain numbers', () => {
    expect(failure('erlang(k=0, mean=1)')).toEqual({ offset: 9, length: 1, message: "expected a positive 'k', found '0'" });
    expect(failure('lognormal(median=3ms, sigma=0.5ms)')).toEqual({
      offset: 28,
      length: 5,
      message: "expected a plain number such as 2 or 0.5 for 'sigma', found a duration '0.5ms'",
    });
  });

  it('reads a written −0 as 0, and numbers starting with + or . as constants', () => {
    expect(Object.is(parseDistribution('const(-0)').mean, 0)).toBe(true);
    expect(parseDistribution('.5').toString()).toBe('const(0.5)');
    expect(parseDistribution('+2ms').toString()).toBe('const(2ms)');
  });
});

describe('rates', () => {
  it('are positive, per second for durations, plain for plain numbers', () => {
    expect(failure('exp(rate=0)')).toEqual({ offset: 9, length: 1, message: "expected a positive 'rate', found '0'" });
    expect(failure('exp(rate=2)', { expect: 'duration' })).toEqual({
      offset: 9,
      length: 1,
      message: "expected a rate such as 3000/s, 5k/s or 120/m for 'rate', found a plain number '2'",
    });
    expect(failure('exp(rate=5/s)', { expect: 'number' })).toEqual({
      offset: 9,
      length: 3,
      message: "expected a plain number such as 2 or 0.5 for 'rate', found a rate '5/s'",
    });
    const bytes = parseDistribution('exp(rate=2)', { expect: 'bytes' });
    expect([bytes.mean, bytes.toString()]).toEqual([0.5, 'exp(rate=2)']);
  });

  it('fit values already known to be durations, and a bare 0 fits anything before the positivity check', () => {
    expect(parseDistribution('mixture(0.5: const(1ms), 0.5: exp(rate=500/s))').mean).toBeCloseTo(0.0015, 15);
    expect(failure('exp(rate=0)', { expect: 'duration' })).toEqual({ offset: 9, length: 1, message: "expected a positive 'rate', found '0'" });
    expect(failure('exp(rate=5/s)', { expect: 'bytes' })).toEqual({
      offset: 9,
      length: 3,
      message: "expected a plain number such as 2 or 0.5 for 'rate', found a rate '5/s'",
    });
  });

  it('make the values durations (per second) or plain numbers for what follows', () => {
    expect(failure('mixture(0.5: exp(rate=500/s), 0.5: const(1))')).toEqual({
      offset: 41,
      length: 1,
      message: "expected a duration such as 250us, 1.5ms or 2s for 'value' like the other values, found a plain number '1'",
    });
    expect(failure('mixture(0.5: exp(rate=2), 0.5: const(1ms))')).toEqual({
      offset: 37,
      length: 3,
      message: "expected a plain number such as 2 or 0.5 for 'value' like the other values, found a duration '1ms'",
    });
  });
});

describe('mixtures', () => {
  const usage = 'mixture(0.95: exp(mean=2ms), 0.05: const(200ms))';

  it('take positive plain-number weights', () => {
    expect(failure('mixture(1ms: const(1))')).toEqual({ offset: 8, length: 3, message: `expected a weight such as 0.95 followed by ':' as in ${usage}, found '1ms'` });
    expect(failure('mixture("0.5": const(1))')).toEqual({ offset: 8, length: 5, message: `expected a weight such as 0.95 followed by ':' as in ${usage}, found '"0.5"'` });
    expect(failure('mixture(-0.5: const(1), 1.5: const(2))')).toEqual({ offset: 8, length: 4, message: "expected a positive weight, found '-0.5'" });
  });

  it('nest up to 32 distributions deep, counting depth and not the number of calls', () => {
    const nested = (levels: number) => 'mixture(1: '.repeat(levels) + 'const(1)' + ')'.repeat(levels);
    expect(parseDistribution(nested(31)).mean).toBe(1);
    expect(failure(nested(32))).toEqual({ offset: 32 * 11, length: 5, message: 'expected at most 32 nested distributions, found more' });
    const wide = `mixture(${Array.from({ length: 40 }, () => '0.025: const(1)').join(', ')})`;
    expect(parseDistribution(wide).mean).toBeCloseTo(1, 12);
  });
});

describe('sample files', () => {
  it('quote what a failing readFile threw, Error or not', () => {
    const options: ParseDistributionOptions = {
      readFile: () => {
        throw 'permission denied';
      },
    };
    expect(failure('empirical(x.csv)', options)).toEqual({
      offset: 10,
      length: 5,
      message: "expected a readable sample file, found that 'x.csv' cannot be read: permission denied",
    });
  });
});

describe('unknown families', () => {
  it.each([
    ['expo', 'exp'], // starts with a family name
    ['exponential', 'exp'],
    ['EXP', 'exp'], // letter case aside
    ['lognorm', 'lognormal'], // a family name starts with it
    ['mixtur', 'mixture'],
    ['ex', 'exp'],
    ['ax', 'exp'], // edit distance 2, two letters
    ['gama', 'gamma'], // distance 1
    ['cnost', 'const'], // distance 2: a swap
    ['unifrom', 'uniform'],
    ['lgonormal', 'lognormal'],
    ['pretao', 'pareto'],
  ])('%s gets the hint %s', (word, family) => {
    expect(failure(`${word}(1)`)).toEqual({
      offset: 0,
      length: word.length,
      message: `expected a distribution family (one of ${FAMILIES}), found '${word}'; did you mean '${family}'?`,
    });
  });

  it('takes a quoted name as a name, never as a number or as mixture, and shows it with its quotes', () => {
    expect(failure('"2"')).toEqual({ offset: 0, length: 3, message: `expected a distribution family (one of ${FAMILIES}), found '"2"'` });
    expect(failure('""(1)')).toEqual({ offset: 0, length: 2, message: `expected a distribution family (one of ${FAMILIES}), found '""'` });
    expect(failure('"mixture"(1: const(1))')).toEqual({
      offset: 0,
      length: 9,
      message: `expected a distribution family (one of ${FAMILIES}), found '"mixture"'; did you mean 'mixture'?`,
    });
  });

  it.each([['e'], ['xyz'], ['gauss'], ['log2']])('%s gets no hint (one letter, or distance 3 or more from every family)', (word) => {
    expect(failure(`${word}(1)`).message).toBe(`expected a distribution family (one of ${FAMILIES}), found '${word}'`);
  });
});

describe('end of input', () => {
  it("calls a stray ')' unbalanced, and nothing else", () => {
    expect(failure('exp(mean=2ms) )')).toEqual({ offset: 14, length: 1, message: "expected end of input after the distribution, found ')' (unbalanced ')')" });
    expect(failure('exp(mean=2ms)(')).toEqual({ offset: 13, length: 1, message: "expected end of input after the distribution, found '('" });
  });
});
