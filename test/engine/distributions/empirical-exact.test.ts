/**
 * `empirical(...)` without the parser: the interpolated inverse CDF on hand-made sample sets, its mean
 * (Σx − (x₀ + xₙ₋₁)/2)/(n − 1), the canonical string's quoting of the source, and `readSamples`' reading of
 * a file (header, comments, blank lines, units, the line number of each problem).
 */
import { describe, expect, it } from 'vitest';
import { Empirical, readSamples, SampleFileError } from '../../../src/engine/distributions/index.js';
import { drawWith } from './scripted.js';

describe('Empirical', () => {
  it('interpolates linearly between order statistics: u maps to position u·(n − 1)', () => {
    const d = new Empirical([10, 1, 2], 'x'); // sorted 1, 2, 10
    expect(d.quantile(0)).toBe(1);
    expect(d.quantile(0.25)).toBe(1.5);
    expect(d.quantile(0.5)).toBe(2);
    expect(d.quantile(0.75)).toBe(6);
    expect(d.quantile(1)).toBe(10);
    expect(drawWith((rng) => d.sample(rng), 0.75)).toEqual({ value: 6, used: 1 });
    expect(d.size).toBe(3);
  });

  it('has mean (Σx − (min + max)/2)/(n − 1), the mean of its interpolated CDF', () => {
    expect(new Empirical([10, 1, 2], 'x').mean).toBe((13 - 11 / 2) / 2);
    expect(new Empirical([4, 0], 'x').mean).toBe(2);
  });

  it('with one sample, always gives it', () => {
    const d = new Empirical([5], 'x');
    expect(d.mean).toBe(5);
    expect([d.quantile(0), d.quantile(0.7), d.quantile(1)]).toEqual([5, 5, 5]);
  });

  it('needs at least one finite sample, none negative', () => {
    expect(new Empirical([0, 1], 'x').quantile(0)).toBe(0);
    expect(() => new Empirical([], 'x')).toThrow(new RangeError('empirical needs at least one sample'));
    expect(() => new Empirical([2, -1], 'x')).toThrow(new RangeError('empirical samples must be finite and >= 0'));
    expect(() => new Empirical([1, Infinity], 'x')).toThrow(new RangeError('empirical samples must be finite and >= 0'));
  });

  it('prints its source bare when it is one word, in double quotes otherwise, in single quotes if it has a "', () => {
    const written = (source: string) => new Empirical([1], source).toString();
    expect(written('data/p99.csv')).toBe('empirical(data/p99.csv)');
    for (const c of [' ', '\t', '(', ')', ',', '=', ':', "'"]) expect(written(`a${c}b`)).toBe(`empirical("a${c}b")`);
    expect(written('a"b')).toBe(`empirical('a"b')`);
    expect(written('')).toBe('empirical("")');
    expect(new Empirical([1], 'x', 'duration').source).toBe('x');
  });
});

describe('readSamples', () => {
  const failure = (contents: string, expected?: 'duration' | 'bytes' | 'number') => {
    try {
      readSamples(contents, expected);
    } catch (error) {
      expect(error).toBeInstanceOf(SampleFileError);
      const e = error as SampleFileError;
      return { line: e.line, message: e.message };
    }
    throw new Error('expected readSamples to fail');
  };

  it('reads one value per line, skipping a header, # comments, blank lines and surrounding space', () => {
    const file = readSamples('latency\n# a comment\n\n  3ms  \r\n1ms\n', undefined);
    expect(Array.from(file.values)).toEqual([0.003, 0.001]);
    expect(file.dimension).toBe('duration');
  });

  it('takes plain numbers as numbers, and bare zeros as fitting anything', () => {
    expect(readSamples('1\n2.5\n', undefined)).toEqual({ values: Float64Array.from([1, 2.5]), dimension: 'number' });
    expect(readSamples('0\n0\n', undefined).dimension).toBeUndefined();
    expect(readSamples('0\n0\n', 'duration').dimension).toBe('duration');
    expect(readSamples('0\n2ms\n', undefined).dimension).toBe('duration');
  });

  it('reads bare numbers as bytes once the values are sizes', () => {
    expect(readSamples('1KiB\n512\n', undefined)).toEqual({ values: Float64Array.from([1024, 512]), dimension: 'bytes' });
    expect(readSamples('512\n', 'bytes').dimension).toBe('bytes');
  });

  it('takes only a first line that does not start like a number as a header', () => {
    expect(Array.from(readSamples('p50\n2\n', undefined).values)).toEqual([2]);
    expect(Array.from(readSamples('.5\n', undefined).values)).toEqual([0.5]);
    expect(failure('3ms\nlatency\n')).toEqual({ line: 2, message: "expected a duration such as 250us, 1.5ms or 2s, found 'latency' (not a number)" });
    expect(failure('-2ms\n')).toEqual({ line: 1, message: "expected a value >= 0, found '-2ms'" });
  });

  it('names what it expected, the line and what it found', () => {
    expect(failure('x\nabc\n')).toEqual({ line: 2, message: "expected a duration such as 250us, 1.5ms or 2s or a plain number, found 'abc' (not a number)" });
    expect(failure('1ms\n2\n')).toEqual({ line: 2, message: "expected a duration such as 250us, 1.5ms or 2s, found a plain number '2'" });
    expect(failure('1\n2ms\n')).toEqual({ line: 2, message: "expected a plain number such as 2 or 0.5, found a duration '2ms'" });
    expect(failure('5/s\n')).toEqual({ line: 1, message: "expected a duration such as 250us, 1.5ms or 2s or a plain number, found a rate '5/s'" });
    expect(failure('1\n', 'duration')).toEqual({ line: 1, message: "expected a duration such as 250us, 1.5ms or 2s, found a plain number '1'" });
    expect(failure('# nothing\n\n3xs\n')).toEqual({ line: 3, message: "expected a duration such as 250us, 1.5ms or 2s or a plain number, found '3xs' (unknown unit 'xs')" });
  });

  it('fails with line 0 when there is no sample at all', () => {
    expect(failure('')).toEqual({ line: 0, message: 'expected at least one sample, found none' });
    expect(failure('latency\n\n# none\n')).toEqual({ line: 0, message: 'expected at least one sample, found none' });
  });
});
