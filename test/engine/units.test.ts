import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/engine/parse-error.js';
import {
  formatDuration,
  formatQuantity,
  parseBytes,
  parseDuration,
  parseRate,
  scanQuantity,
  type Dimension,
} from '../../src/engine/units.js';

/** Runs `parse(text)` expecting a ParseError; returns it for inspection. */
function parseErrorOf(parse: (text: string) => number, text: string): ParseError {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error(`expected '${text}' to be rejected`);
}

describe('parseDuration', () => {
  it.each([
    ['250us', 250e-6],
    ['250µs', 250e-6], // U+00B5 micro sign
    ['250μs', 250e-6], // U+03BC Greek mu
    ['1.5ms', 1.5e-3],
    ['2ms', 0.002],
    ['2s', 2],
    ['1m', 60],
    ['1.5m', 90],
    ['1h', 3600],
    ['100ns', 100e-9],
    ['0', 0],
    ['0s', 0],
    ['1e-3s', 1e-3],
    ['.5s', 0.5],
    [' 3ms ', 0.003],
  ])('reads %j as %f seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each([
    ['abc', 0, 3, "found 'abc'"],
    ['', 0, 1, 'found nothing'],
    ['5', 0, 1, 'a number without a unit'],
    ['-1ms', 0, 1, 'cannot be negative'],
    ['2xs', 1, 2, "unknown unit 'xs'"],
    ['2 ms', 1, 3, 'no space is allowed'],
    ['500/s', 0, 5, 'a rate'],
    ['4KiB', 0, 4, 'a size'],
    ['1e999s', 0, 6, 'too large'],
    ['  ms', 2, 2, "found 'ms'"],
  ])('rejects %j at offset %i (length %i): %s', (text, offset, length, hint) => {
    const error = parseErrorOf(parseDuration, text);
    expect(error.message).toMatch(/^expected a duration such as 250us, 1\.5ms or 2s, found /);
    expect(error.message).toContain(hint);
    expect([error.offset, error.length]).toEqual([offset, length]);
  });
});

describe('parseRate', () => {
  it.each([
    ['3000/s', 3000],
    ['5k/s', 5000],
    ['120/m', 2],
    ['2.5M/s', 2.5e6],
    ['10/ms', 10_000],
    ['100/h', 100 / 3600],
    ['1G/s', 1e9],
    ['0', 0],
  ])('reads %j as %f per second', (text, perSecond) => {
    expect(parseRate(text)).toBe(perSecond);
  });

  it.each([
    ['2ms', 0, 3, 'a duration'],
    ['5k', 1, 1, "unknown unit 'k'"],
    ['5/day', 1, 4, "unknown unit '/day'"],
    ['-3/s', 0, 1, 'cannot be negative'],
    ['100', 0, 3, 'a number without a unit'],
  ])('rejects %j at offset %i (length %i): %s', (text, offset, length, hint) => {
    const error = parseErrorOf(parseRate, text);
    expect(error.message).toMatch(/^expected a rate such as 3000\/s, 5k\/s or 120\/m, found /);
    expect(error.message).toContain(hint);
    expect([error.offset, error.length]).toEqual([offset, length]);
  });
});

describe('parseBytes', () => {
  it.each([
    ['512', 512],
    ['512B', 512],
    ['1KiB', 1024],
    ['4KB', 4000],
    ['4kB', 4000],
    ['1.5MiB', 1.5 * 2 ** 20],
    ['2MB', 2e6],
    ['1GiB', 2 ** 30],
  ])('reads %j as %i bytes', (text, bytes) => {
    expect(parseBytes(text)).toBe(bytes);
  });

  it('rejects sizes that are not whole bytes, durations and unknown units', () => {
    expect(parseErrorOf(parseBytes, '1.5B').message).toBe("expected a whole number of bytes, found '1.5B' (1.5 bytes)");
    expect(parseErrorOf(parseBytes, '3ms').message).toContain('found \'3ms\' (a duration)');
    const unknown = parseErrorOf(parseBytes, '4Kb');
    expect([unknown.offset, unknown.length]).toEqual([1, 2]);
  });
});

describe('formatDuration', () => {
  it.each([
    [0.00152, '1.52ms'],
    [0.00025, '250us'],
    [2, '2.0s'],
    [0.001, '1.0ms'],
    [0.0155, '15.5ms'],
    [0.0009996, '1.0ms'], // rounds up into the next unit rather than printing 1000us
    [1.2e-7, '120ns'],
    [90, '1.5m'],
    [7200, '2.0h'],
    [0, '0s'],
    [-0.003, '-3.0ms'],
    [Infinity, 'inf'],
  ])('prints %f s as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('prints strings that parse back to the value within the 3-digit rounding', () => {
    for (const seconds of [0.00152, 0.00025, 2, 0.0009996, 90, 1.234e-8]) {
      expect(parseDuration(formatDuration(seconds)) / seconds).toBeCloseTo(1, 2);
    }
  });
});

describe('formatQuantity', () => {
  it.each<[number, Dimension, string]>([
    [0.002, 'duration', '2ms'],
    [0.2, 'duration', '200ms'],
    [0.0005, 'duration', '500us'],
    [2, 'duration', '2s'],
    [1e-7, 'duration', '100ns'],
    [1 / 3000, 'duration', '333.3333333333333us'],
    [0, 'duration', '0'],
    [500, 'rate', '500/s'],
    [5000, 'rate', '5k/s'],
    [1 / 60, 'rate', '1/m'],
    [4096, 'bytes', '4KiB'],
    [2e6, 'bytes', '2MB'],
    [512, 'bytes', '512B'],
    [2.5, 'number', '2.5'],
  ])('spells %f %s as %s', (value, dimension, text) => {
    expect(formatQuantity(value, dimension)).toBe(text);
  });

  it('always reads back as the identical double (property, 2000 random values per dimension)', () => {
    for (const dimension of ['duration', 'rate', 'bytes', 'number'] as const) {
      fc.assert(
        fc.property(fc.double({ min: 1e-12, max: 1e9, noNaN: true }), (value) => {
          const text = formatQuantity(value, dimension);
          const scan = scanQuantity(text, 0, text.length);
          return scan.ok && scan.value === value && scan.dimension === dimension;
        }),
        { numRuns: 2000, seed: 1 },
      );
    }
  });
});
