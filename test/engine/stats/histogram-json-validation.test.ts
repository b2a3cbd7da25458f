/**
 * A stored histogram is untrusted input: each broken invariant is named in the error (so a damaged result
 * file says what is wrong), and every well-formed histogram, empty or not, is accepted.
 */
import { describe, expect, test } from 'vitest';
import { LatencyHistogram } from '../../../src/engine/stats/latency-histogram.js';
import { assertHistogramJSON, type LatencyHistogramJSON } from '../../../src/engine/stats/latency-histogram-json.js';

const BUCKETS = 100;
/** Two values in buckets 3 and 7 (the layout is not read by the check). */
const GOOD: LatencyHistogramJSON = {
  layout: new LatencyHistogram().toJSON().layout,
  count: 3,
  sum: 0.006,
  min: 0.001,
  max: 0.003,
  underflow: 0,
  overflow: 0,
  indices: [3, 7],
  counts: [1, 2],
};
const EMPTY: LatencyHistogramJSON = { ...GOOD, count: 0, sum: 0, min: null, max: null, indices: [], counts: [] };

const check = (data: Partial<LatencyHistogramJSON>) => () => assertHistogramJSON({ ...GOOD, ...data } as LatencyHistogramJSON, BUCKETS);

describe('well-formed histograms pass', () => {
  test('non-empty, empty, one value (min = max), values at 0, the first and the last bucket', () => {
    expect(check({})).not.toThrow();
    expect(() => assertHistogramJSON(EMPTY, BUCKETS)).not.toThrow();
    expect(check({ count: 1, indices: [5], counts: [1], min: 0.002, max: 0.002, sum: 0.002 })).not.toThrow();
    expect(check({ min: 0, sum: 0 })).not.toThrow();
    expect(check({ indices: [0, BUCKETS - 1] })).not.toThrow();
    expect(check({ underflow: 2, overflow: 1 })).not.toThrow();
  });

  test('what the histogram itself writes passes', () => {
    const h = new LatencyHistogram();
    for (const v of [1e-6, 1e-3, 1e-3, 2.5, 4000]) h.record(v);
    const json = h.toJSON();
    expect(() => assertHistogramJSON(json, h.layout.bucketCount)).not.toThrow();
  });
});

describe('each broken invariant is named', () => {
  test.each<[string, Partial<LatencyHistogramJSON>, RegExp]>([
    ['a negative count', { count: -1 }, /count must be a non-negative integer, found -1/],
    ['a fractional count', { count: 2.5 }, /count must be a non-negative integer, found 2\.5/],
    ['negative underflow', { underflow: -1 }, /underflow\/overflow must be non-negative integers/],
    ['fractional overflow', { overflow: 0.5 }, /underflow\/overflow must be non-negative integers/],
    ['indices not an array', { indices: 'x' as unknown as number[] }, /indices and counts must be arrays/],
    ['counts not an array', { counts: null as unknown as number[] }, /indices and counts must be arrays/],
    ['arrays of different lengths', { counts: [3] }, /indices and counts must have the same length/],
    ['indices out of order', { indices: [7, 3] }, /strictly increasing integers in \[0, 100\), found 3 at 1/],
    ['a repeated index', { indices: [3, 3] }, /strictly increasing integers in \[0, 100\), found 3 at 1/],
    ['an index past the last bucket', { indices: [3, BUCKETS] }, /found 100 at 1/],
    ['a negative index', { indices: [-1, 3] }, /found -1 at 0/],
    ['a fractional index', { indices: [3, 4.5] }, /found 4\.5 at 1/],
    ['an empty bucket listed', { counts: [0, 3] }, /counts must be positive integers, found 0 at 0/],
    ['a fractional bucket count', { counts: [1.5, 1.5] }, /counts must be positive integers, found 1\.5 at 0/],
    ['a count that is not the sum of the buckets', { count: 4 }, /count 4 differs from the sum of bucket counts 3/],
    ['min above max', { min: 0.004 }, /a non-empty histogram needs finite 0 ≤ min ≤ max/],
    ['a negative min', { min: -0.001 }, /a non-empty histogram needs finite 0 ≤ min ≤ max/],
    ['no max', { max: null }, /a non-empty histogram needs finite 0 ≤ min ≤ max/],
    ['no min', { min: null }, /a non-empty histogram needs finite 0 ≤ min ≤ max/],
    ['a negative sum', { sum: -1 }, /sum must be finite and non-negative/],
    ['an infinite sum', { sum: Infinity }, /sum must be finite and non-negative/],
  ])('%s', (_, data, message) => {
    expect(check(data)).toThrow(TypeError);
    expect(check(data)).toThrow(message);
  });

  test('an empty histogram has min = max = null and sum 0', () => {
    for (const broken of [{ min: 0 }, { max: 0 }, { sum: 1 }]) {
      expect(() => assertHistogramJSON({ ...EMPTY, ...broken }, BUCKETS)).toThrow(/an empty histogram has min = max = null, sum = 0/);
    }
  });
});
