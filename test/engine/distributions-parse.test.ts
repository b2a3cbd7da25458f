import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Empirical,
  Exponential,
  FAMILY_NAMES,
  LogNormal,
  Mixture,
  parseDistribution,
  type Distribution,
  type ParseDistributionOptions,
} from '../../src/engine/distributions/index.js';
import { ParseError } from '../../src/engine/parse-error.js';
import { RandomStreams } from '../../src/engine/random.js';

const FILES: Readonly<Record<string, string>> = {
  'samples.csv': 'latency\n3ms\n1ms\n2ms\n10ms\n',
  'my samples.csv': '1ms\n2ms\n',
  'plain.csv': '# unit-less\n1\n2.5\n4\n',
  'zeros.csv': '0\n0\n',
  'bad-line.csv': '1ms\n2ms\nabc\n',
  'mixed.csv': '1ms\n2\n',
  'negative.csv': '1ms\n-2ms\n',
  'empty.csv': 'latency\n\n',
};

const OPTIONS: ParseDistributionOptions = {
  readFile: (path) => {
    const contents = FILES[path];
    if (contents === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
    return contents;
  },
};

const parse = (text: string, options: ParseDistributionOptions = OPTIONS): Distribution => parseDistribution(text, options);

function firstDraws(d: Distribution, n = 20): number[] {
  const rng = new RandomStreams(11).stream('round-trip');
  return Array.from({ length: n }, () => d.sample(rng));
}

describe('canonical strings', () => {
  it.each([
    ['const(1ms)', 'const(1ms)'],
    [' const( 0.001s ) ', 'const(1ms)'],
    ['2ms', 'const(2ms)'],
    ['const(0)', 'const(0)'],
    ['uniform(1ms,3ms)', 'uniform(1ms, 3ms)'],
    ['uniform(min=1000us, max=3ms)', 'uniform(1ms, 3ms)'],
    ['exp(2ms)', 'exp(mean=2ms)'],
    ['exp(mean=0.002s)', 'exp(mean=2ms)'],
    ['exp(rate=500/s)', 'exp(rate=500/s)'],
    ['exp(rate=5000/s)', 'exp(rate=5k/s)'],
    ['exp(rate=120/m)', 'exp(rate=2/s)'],
    ['exp(mean=2)', 'exp(mean=2)'],
    ['exp(rate=0.5)', 'exp(rate=0.5)'],
    ['erlang(4, 2ms)', 'erlang(k=4, mean=2ms)'],
    ['gamma(2, 1ms)', 'gamma(shape=2, scale=1ms)'],
    ['gamma(shape=2, mean=2ms)', 'gamma(shape=2, mean=2ms)'],
    ['normal(2ms, 0.5ms)', 'normal(mean=2ms, sd=500us)'],
    ['lognormal(median=3ms, p99=40ms)', 'lognormal(median=3ms, p99=40ms)'],
    ['lognormal(p99=40ms, median=3ms)', 'lognormal(median=3ms, p99=40ms)'],
    ['lognormal(mean=2ms, sd=1ms)', 'lognormal(mean=2ms, sd=1ms)'],
    ['lognormal(median=3ms, sigma=1.2)', 'lognormal(median=3ms, sigma=1.2)'],
    ['pareto(1ms, 2.5)', 'pareto(scale=1ms, shape=2.5)'],
    ['pareto(min=1ms, alpha=2.5)', 'pareto(scale=1ms, shape=2.5)'],
    ['weibull(1.5, 2ms)', 'weibull(shape=1.5, scale=2ms)'],
    ['mixture(0.95:exp(mean=2ms),0.05:const(200ms))', 'mixture(0.95: exp(mean=2ms), 0.05: const(200ms))'],
    ['mixture(0.5: mixture(0.5: const(1ms), 0.5: const(2ms)), 0.5: exp(1ms))', 'mixture(0.5: mixture(0.5: const(1ms), 0.5: const(2ms)), 0.5: exp(mean=1ms))'],
    ['empirical(samples.csv)', 'empirical(samples.csv)'],
    ['empirical(file="samples.csv")', 'empirical(samples.csv)'],
    ["empirical('my samples.csv')", 'empirical("my samples.csv")'],
  ])('%s is written %s, which parses back to the same distribution', (text, canonical) => {
    const d = parse(text);
    expect(d.toString()).toBe(canonical);
    const again = parse(canonical);
    expect(again.toString()).toBe(canonical);
    expect(again.mean).toBe(d.mean);
    expect(firstDraws(again)).toEqual(firstDraws(d));
  });

  it('round-trips any mean exactly, in every parametrisation (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-9, max: 1e4, noNaN: true }), fc.double({ min: 1.01, max: 50, noNaN: true }), (value, ratio) => {
        const made: Distribution[] = [
          Exponential.withMean(value, 'duration'),
          Exponential.withRate(1 / value, 'duration'),
          LogNormal.fromMedianP99(value, value * ratio, 'duration'),
          LogNormal.fromMeanSd(value, value / ratio, 'bytes'),
        ];
        return made.every((d) => {
          const again = parseDistribution(d.toString());
          return again.toString() === d.toString() && again.mean === d.mean;
        });
      }),
      { numRuns: 500, seed: 3 },
    );
  });
});

describe('values and dimensions', () => {
  it('reads values with time units in seconds and plain numbers as they are', () => {
    expect(parse('uniform(1ms, 3ms)').mean).toBe(0.002);
    expect(parse('uniform(1, 3)').mean).toBe(2);
    expect(parse('exp(rate=500/s)').mean).toBe(0.002);
    expect(parse('exp(rate=10/ms)').mean).toBe(1e-4);
  });

  it('accepts a bare 0 alongside any unit', () => {
    expect(parse('uniform(0, 2ms)').toString()).toBe('uniform(0, 2ms)');
    expect(parse('normal(0, 1ms)').mean).toBeCloseTo(0.001 * Math.sqrt(2 / Math.PI), 15);
  });

  it('with expect: bytes, reads bare numbers as bytes and prints sizes', () => {
    const d = parse('lognormal(median=512, p99=1MiB)', { expect: 'bytes' });
    expect(d.toString()).toBe('lognormal(median=512B, p99=1MiB)');
    expect(parse(d.toString(), { expect: 'bytes' }).toString()).toBe(d.toString());
    expect(parse('const(4KiB)').mean).toBe(4096);
  });

  it('with expect: duration, accepts time units only', () => {
    expect(parse('exp(mean=2ms)', { expect: 'duration' }).mean).toBe(0.002);
    expect(() => parse('exp(mean=2)', { expect: 'duration' })).toThrow(
      "expected a duration such as 250us, 1.5ms or 2s for 'mean', found a plain number '2'",
    );
  });

  it('reads empirical files: header, comments, blank lines, units or plain numbers', () => {
    expect(parse('empirical(samples.csv)')).toBeInstanceOf(Empirical);
    expect(parse('empirical(samples.csv)').mean).toBeCloseTo((16 - 11 / 2) / 3 / 1000, 15);
    expect(parse('empirical(plain.csv)').mean).toBe((7.5 - 2.5) / 2);
    expect(parse('empirical(zeros.csv)', { ...OPTIONS, expect: 'duration' }).mean).toBe(0);
  });

  it('accepts mixture weights that sum to 1 up to decimal rounding', () => {
    const d = parse('mixture(0.1: const(1), 0.2: const(2), 0.7: const(3))');
    expect(d).toBeInstanceOf(Mixture);
    expect(d.mean).toBeCloseTo(2.6, 12);
  });

  it('lists every family when the family is unknown', () => {
    expect(FAMILY_NAMES).toEqual(['const', 'uniform', 'exp', 'erlang', 'gamma', 'normal', 'lognormal', 'pareto', 'weibull', 'empirical', 'mixture']);
  });
});

/** [text, offset, length, message (exact, or a pattern)], options default to OPTIONS. */
type ErrorCase = readonly [string, number, number, string | RegExp, ParseDistributionOptions?];

const ERRORS: readonly ErrorCase[] = [
  // unknown family
  ['expo(mean=2ms)', 0, 4, /^expected a distribution family \(one of const, uniform, exp, erlang, gamma, normal, lognormal, pareto, weibull, empirical, mixture\), found 'expo'; did you mean 'exp'\?$/],
  ['gauss(1ms)', 0, 5, /found 'gauss'$/],
  ['"exp"(1ms)', 0, 5, /^expected a distribution family/],
  // missing, unknown, duplicate, clashing arguments
  ['erlang(k=4)', 10, 1, "missing argument 'mean': expected erlang(k=4, mean=2ms), found 'erlang(k=4)'"],
  ['exp()', 4, 1, "missing argument 'mean': expected exp(mean=2ms) or exp(rate=500/s), found 'exp()'"],
  ['lognormal(median=3ms)', 20, 1, /^missing argument 'p99': expected lognormal\(median=3ms, p99=40ms\) or lognormal\(mean=2ms, sd=1ms\)/],
  ['exp(mu=2ms)', 4, 2, "expected an argument of exp (one of mean, rate), found 'mu'"],
  ['exp(mean=2ms, mean=3ms)', 14, 4, "expected 'mean' once, found it again"],
  ['exp(2ms, mean=3ms)', 9, 4, "expected 'mean' once, found it again"],
  ['pareto(scale=1ms, min=1ms, shape=2)', 18, 3, "expected 'scale' once, found it again"],
  ['exp(mean=2ms, rate=500/s)', 14, 4, "expected exp(mean=2ms) or exp(rate=500/s), found 'rate' together with 'mean'"],
  ['lognormal(median=3ms, sd=1ms)', 22, 2, /found 'sd' together with 'median'$/],
  // positional arguments
  ['exp(2ms, 3ms)', 9, 3, "expected at most 1 positional argument as in exp(mean=2ms) or exp(rate=500/s), found '3ms'"],
  ['exp(mean=2ms, 3ms)', 14, 3, "expected name=value after named arguments, found '3ms'"],
  ['lognormal(3ms, 40ms)', 10, 3, /^expected named arguments as in lognormal\(median=3ms, p99=40ms\)/],
  // wrong units
  ['exp(mean=500/s)', 9, 5, "expected a duration such as 250us, 1.5ms or 2s, or a plain number for 'mean', found a rate '500/s'"],
  ['exp(rate=2ms)', 9, 3, "expected a rate such as 3000/s, 5k/s or 120/m, or a plain number for 'rate', found a duration '2ms'"],
  ['uniform(1ms, 3)', 13, 1, "expected a duration such as 250us, 1.5ms or 2s for 'max' like the other values, found a plain number '3'"],
  ['uniform(1, 3ms)', 11, 3, "expected a plain number such as 2 or 0.5 for 'max' like the other values, found a duration '3ms'"],
  ['mixture(0.5: const(1), 0.5: const(1ms))', 34, 3, /for 'value' like the other values, found a duration '1ms'$/],
  ['exp(mean=2xs)', 10, 2, /found '2xs' \(unknown unit 'xs'\)$/],
  ['weibull(shape=1ms, scale=2ms)', 14, 3, "expected a plain number such as 2 or 0.5 for 'shape', found a duration '1ms'"],
  ['erlang(k=2.5, mean=2ms)', 9, 3, "expected a whole number such as 4 for 'k', found '2.5'"],
  ['exp("2ms")', 4, 5, /found a quoted string$/],
  ['const(1ms)', 6, 3, /for 'value', found a duration '1ms'$/, { expect: 'number' }],
  // non-positive parameters and ordering
  ['exp(mean=0)', 9, 1, "expected a positive 'mean', found '0'"],
  ['exp(mean=-2ms)', 9, 4, "expected a positive 'mean', found '-2ms'"],
  ['gamma(shape=0, mean=2ms)', 12, 1, "expected a positive 'shape', found '0'"],
  ['normal(mean=-1ms, sd=1ms)', 12, 4, "expected a non-negative 'mean', found '-1ms'"],
  ['const(-1ms)', 6, 4, "expected a non-negative 'value', found '-1ms'"],
  ['-1ms', 0, 4, "expected a non-negative 'value', found '-1ms'"],
  ['lognormal(median=3ms, p99=2ms)', 26, 3, "expected 'p99' greater than the median 3ms, found '2ms'"],
  ['lognormal(median=3ms, p99=3ms)', 26, 3, "expected 'p99' greater than the median 3ms, found '3ms'"],
  ['uniform(3ms, 1ms)', 13, 3, "expected 'max' greater than 'min' 3ms, found '1ms'"],
  // mixtures
  ['mixture(0.9: exp(mean=2ms), 0.05: const(200ms))', 8, 39, 'expected mixture weights summing to 1, found 0.95'],
  ['mixture(0.95: exp(mean=2ms), 0.05: const(200ms), 1e-8: const(1ms))', 8, 58, 'expected mixture weights summing to 1, found 1.00000001'],
  ['mixture(exp(mean=2ms))', 8, 3, /^expected a weight such as 0\.95 followed by ':' as in mixture\(0\.95: exp\(mean=2ms\), 0\.05: const\(200ms\)\), found 'exp'$/],
  ['mixture(0.5 exp(mean=2ms))', 12, 3, "expected ':' after the weight 0.5, found 'exp'"],
  ['mixture(0: const(1), 1: const(2))', 8, 1, "expected a positive weight, found '0'"],
  ['mixture()', 8, 1, /^expected a weight such as 0\.95 .*, found '\)'$/],
  // parentheses, punctuation and trailing junk
  ['exp(mean=2ms', 12, 1, "expected ')' to close 'exp(', found end of input"],
  ['mixture(0.5: const(1ms), 0.5: exp(mean=2ms)', 43, 1, "expected ')' to close 'mixture(', found end of input"],
  ['exp(mean=2ms))', 13, 1, "expected end of input after the distribution, found ')' (unbalanced ')')"],
  ['exp(mean=2ms) extra', 14, 5, "expected end of input after the distribution, found 'extra'"],
  ['exp mean=2ms', 4, 4, "expected '(' after 'exp', found 'mean'"],
  ['exp', 3, 1, "expected '(' after 'exp', found end of input"],
  ['exp(mean=2ms foo)', 13, 3, "expected ',' or ')' after 'mean=2ms', found 'foo'"],
  ['exp(mean=)', 9, 1, "expected a value for 'mean', found ')'"],
  ['exp(=2ms)', 4, 1, "expected an argument name before '=', found '='"],
  ['exp(mean=2ms,)', 13, 1, "expected an argument, found ')'"],
  ['', 0, 1, 'expected a distribution such as exp(mean=2ms), found end of input'],
  ['   ', 3, 1, 'expected a distribution such as exp(mean=2ms), found end of input'],
  ['(2ms)', 0, 1, "expected a distribution such as exp(mean=2ms), found '('"],
  // empirical files
  ['empirical(samples.csv)', 10, 11, /^expected a readFile option to read 'samples\.csv', found none/, {}],
  ['empirical(nope.csv)', 10, 8, "expected a readable sample file, found that 'nope.csv' cannot be read: ENOENT: no such file or directory, open 'nope.csv'"],
  ['empirical(bad-line.csv)', 10, 12, "in bad-line.csv:3: expected a duration such as 250us, 1.5ms or 2s, found 'abc' (not a number)"],
  ['empirical(mixed.csv)', 10, 9, "in mixed.csv:2: expected a duration such as 250us, 1.5ms or 2s, found a plain number '2'"],
  ['empirical(negative.csv)', 10, 12, "in negative.csv:2: expected a value >= 0, found '-2ms'"],
  ['empirical(empty.csv)', 10, 9, 'in empty.csv: expected at least one sample, found none'],
  ['empirical(plain.csv)', 10, 9, /^in plain\.csv:2: expected a duration such as 250us, 1\.5ms or 2s, found a plain number '1'$/, { ...OPTIONS, expect: 'duration' }],
  ['empirical("unterminated', 10, 13, 'expected a closing ", found end of input'],
];

describe('errors', () => {
  const cases = ERRORS.map(([text, offset, length, message, options]) => ({ text, offset, length, message, options }));
  it.each(cases)('$text fails at offset $offset, length $length', ({ text, offset, length, message, options }) => {
    let caught: unknown;
    try {
      parse(text, options ?? OPTIONS);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ParseError);
    const error = caught as ParseError;
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
    expect([error.offset, error.length]).toEqual([offset, length]);
  });

  it('stops nesting at a sane depth instead of overflowing the stack', () => {
    const deep = 'mixture(1: '.repeat(100) + 'const(1)' + ')'.repeat(100);
    expect(() => parse(deep)).toThrow(ParseError);
  });
});
