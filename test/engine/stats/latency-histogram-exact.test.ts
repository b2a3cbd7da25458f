import { describe, expect, it } from 'vitest';
import { HistogramLayout } from '../../../src/engine/stats/histogram-layout.js';
import { LatencyHistogram } from '../../../src/engine/stats/latency-histogram.js';

/**
 * Exact histogram bookkeeping on the hand-enumerated layout of histogram-layout-exact.test.ts: octaves
 * 0.25 .. 4, four buckets per octave. Buckets used below (index: [lower, upper) midpoint):
 *   0: [0.25, 0.3125) 0.28125    4: [0.5, 0.625) 0.5625    8: [1, 1.25) 1.125
 *   14: [3, 3.5) 3.25            15: [3.5, 4) 3.75
 */
function layout(): HistogramLayout {
  return new HistogramLayout({ minExponent: -2, maxExponent: 1, subBucketBits: 2 });
}

/** Built inside each test, not once per file: Stryker attributes code run while collecting tests to no test. */
function small(...values: number[]): LatencyHistogram {
  const h = new LatencyHistogram(layout());
  for (const v of values) h.record(v);
  return h;
}

describe('LatencyHistogram bookkeeping (exact)', () => {
  it('uses a given layout as is, and builds one from a spec', () => {
    const given = layout();
    expect(new LatencyHistogram(given).layout).toBe(given);
    expect(new LatencyHistogram({ lowest: 0.3, highest: 3.9, subBucketBits: 2 }).layout.equals(given)).toBe(true);
    expect(new LatencyHistogram().layout.toJSON()).toEqual({ minExponent: -20, maxExponent: 11, subBucketBits: 7 });
  });

  it('counts each value in its bucket, with exact count, sum, min, max and mean', () => {
    const h = small(0.6, 3, 0.3, 1.1, 0.6);
    expect([...h.buckets()]).toEqual([
      { lower: 0.25, upper: 0.3125, count: 1 },
      { lower: 0.5, upper: 0.625, count: 2 },
      { lower: 1, upper: 1.25, count: 1 },
      { lower: 3, upper: 3.5, count: 1 },
    ]);
    expect([...h]).toEqual([...h.buckets()]);
    expect(h.count).toBe(5);
    expect(h.min).toBe(0.3);
    expect(h.max).toBe(3);
    expect(h.mean).toBeCloseTo(5.6 / 5, 15);
    expect(h.underflow).toBe(0);
    expect(h.overflow).toBe(0);
    expect(h.toJSON()).toEqual({
      layout: { minExponent: -2, maxExponent: 1, subBucketBits: 2 },
      count: 5,
      sum: 0.6 + 3 + 0.3 + 1.1 + 0.6,
      min: 0.3,
      max: 3,
      underflow: 0,
      overflow: 0,
      indices: [0, 4, 8, 14],
      counts: [1, 2, 1, 1],
    });
  });

  it('range ends: lowestTrackable is in range, overflowThreshold is overflow', () => {
    const h = small(0.25, 4 - 2 ** -50);
    expect(h.underflow).toBe(0);
    expect(h.overflow).toBe(0);
    expect(h.toJSON().indices).toEqual([0, 15]);
    h.record(0.2499);
    h.record(0);
    h.record(4);
    h.record(1e9);
    expect(h.underflow).toBe(2);
    expect(h.overflow).toBe(2);
    expect(h.toJSON().indices).toEqual([0, 15]);
    expect(h.toJSON().counts).toEqual([3, 3]); // folded into the first and last bucket
    expect(h.min).toBe(0);
    expect(h.max).toBe(1e9);
  });

  it('recordN adds k at once, including outside the range', () => {
    const h = small();
    h.recordN(0.6, 3);
    h.recordN(0.1, 2);
    h.recordN(10, 4);
    expect(h.count).toBe(9);
    expect(h.underflow).toBe(2);
    expect(h.overflow).toBe(4);
    expect(h.toJSON().indices).toEqual([0, 4, 15]);
    expect(h.toJSON().counts).toEqual([2, 3, 4]);
    expect(h.toJSON().sum).toBeCloseTo(0.6 * 3 + 0.1 * 2 + 10 * 4, 12);
    expect(h.min).toBe(0.1);
    expect(h.max).toBe(10);
    expect(h.quantile(0.5)).toBe(0.5625); // rank 5 falls in bucket 4
  });

  it('recordN range ends: lowestTrackable is in range, overflowThreshold is overflow', () => {
    const h = small();
    h.recordN(0.25, 2); // bucket 0, no underflow
    h.recordN(4, 3); // raw index 16: overflow, counted in bucket 15
    h.recordN(1, 1); // smaller than the max so far
    expect(h.underflow).toBe(0);
    expect(h.overflow).toBe(3);
    expect(h.toJSON().indices).toEqual([0, 8, 15]);
    expect(h.toJSON().counts).toEqual([2, 1, 3]);
    expect(h.min).toBe(0.25);
    expect(h.max).toBe(4);
  });

  it('recordN with count 0 records nothing, not even the extremes', () => {
    const h = small();
    h.recordN(0.3, 0);
    h.recordN(3, 0);
    expect(h.toJSON()).toEqual(small().toJSON());
    h.record(1);
    expect(h.min).toBe(1);
    expect(h.max).toBe(1);
  });

  it('recordN accepts 0 and the largest double, rejects the rest with a message', () => {
    const h = small();
    h.recordN(0, 1);
    h.recordN(Number.MAX_VALUE, 1);
    expect(h.count).toBe(2);
    expect(h.overflow).toBe(1);
    expect(() => h.recordN(-1, 1)).toThrow('latency must be finite and non-negative, found -1');
    expect(() => h.recordN(Infinity, 1)).toThrow('latency must be finite and non-negative, found Infinity');
    expect(() => h.recordN(NaN, 1)).toThrow('latency must be finite and non-negative, found NaN');
    expect(() => h.recordN(1, -1)).toThrow('count must be a non-negative safe integer, found -1');
    expect(() => h.recordN(1, 2 ** 53)).toThrow('count must be a non-negative safe integer, found 9007199254740992');
    expect(() => h.record(-2)).toThrow('latency must be finite and non-negative, found -2');
    expect(() => h.record(Infinity)).toThrow('latency must be finite and non-negative, found Infinity');
    expect(h.count).toBe(2);
  });

  it('record accepts 0 (an underflow)', () => {
    const h = small(0);
    expect(h.count).toBe(1);
    expect(h.underflow).toBe(1);
    expect(h.min).toBe(0);
    expect(h.max).toBe(0);
  });

  it('reset forgets counts, sum, extremes and under/overflow', () => {
    const h = small(0.1, 0.6, 9);
    h.reset();
    expect(h.toJSON()).toEqual(small().toJSON());
    h.record(0.6);
    expect(h.toJSON()).toEqual(small(0.6).toJSON());
  });
});

describe('LatencyHistogram quantiles (exact, nearest rank)', () => {
  // Sorted: 0.3 (bucket 0), 0.6, 0.6 (bucket 4), 1.1 (bucket 8), 3 (bucket 14).
  const five = () => small(0.6, 3, 0.3, 1.1, 0.6);

  it('ranks 1 and n are the exact min and max', () => {
    const h = five();
    expect(h.quantile(0)).toBe(0.3);
    expect(h.quantile(0.2)).toBe(0.3); // rank ⌈1⌉ = 1
    expect(h.quantile(0.81)).toBe(3); // rank ⌈4.05⌉ = 5
    expect(h.quantile(1)).toBe(3);
  });

  it('ranks 1 and n are exact even where the bucket midpoint lies inside [min, max]', () => {
    // 0.26 sits in bucket 0 (midpoint 0.28125), 3.4 in bucket 14 (midpoint 3.25).
    const spread = small(0.26, 1, 3.4);
    expect(spread.quantile(0)).toBe(0.26);
    expect(spread.quantile(1)).toBe(3.4);
    expect(spread.quantile(0.5)).toBe(1.125);
  });

  it('other ranks report the midpoint of the bucket holding them', () => {
    const h = five();
    expect(h.quantile(0.21)).toBe(0.5625); // rank 2
    expect(h.quantile(0.4)).toBe(0.5625); // rank 2
    expect(h.quantile(0.6)).toBe(0.5625); // rank 3
    expect(h.quantile(0.61)).toBe(1.125); // rank 4
    expect(h.quantile(0.8)).toBe(1.125); // rank 4
  });

  it('clamps a midpoint outside [min, max] to the extreme', () => {
    // Rank 2 of (0.3, 0.3, 0.3, 1): bucket 0, midpoint 0.28125 < min 0.3.
    expect(small(0.3, 0.3, 0.3, 1).quantile(0.5)).toBe(0.3);
    // Rank 2 of (0.5, 0.51, 0.52): bucket 4, midpoint 0.5625 > max 0.52.
    expect(small(0.5, 0.51, 0.52).quantile(0.5)).toBe(0.52);
  });

  it('a single value is every quantile', () => {
    const one = small(1.1);
    for (const q of [0, 0.5, 1]) expect(one.quantile(q)).toBe(1.1);
  });

  it('rejects q outside [0, 1], empty or not', () => {
    const h = five();
    expect(() => small().quantile(-0.5)).toThrow('quantile must be in [0, 1], found -0.5');
    expect(small().quantile(1)).toBeNaN();
    expect(() => h.quantile(2)).toThrow('quantile must be in [0, 1], found 2');
  });
});

describe('LatencyHistogram merge and JSON (exact)', () => {
  it('adds counts, sums and under/overflow; takes the outer extremes', () => {
    const a = small(0.6, 0.1);
    const b = small(0.6, 1.1, 5, 0.05);
    const merged = a.merge(b);
    expect(merged).toBe(a);
    expect(merged.toJSON()).toEqual({
      layout: { minExponent: -2, maxExponent: 1, subBucketBits: 2 },
      count: 6,
      sum: 0.6 + 0.1 + (0.6 + 1.1 + 5 + 0.05),
      min: 0.05,
      max: 5,
      underflow: 2,
      overflow: 1,
      indices: [0, 4, 8, 15],
      counts: [2, 2, 1, 1],
    });
    // The other way round: extremes come from the receiver.
    const c = small(0.05, 5).merge(small(0.6));
    expect(c.min).toBe(0.05);
    expect(c.max).toBe(5);
  });

  it('names both layouts when refusing to merge', () => {
    const other = new HistogramLayout({ minExponent: -2, maxExponent: 1, subBucketBits: 3 });
    expect(() => small(1).merge(new LatencyHistogram(other))).toThrow(
      'cannot merge histograms with different layouts: {"minExponent":-2,"maxExponent":1,"subBucketBits":2} vs {"minExponent":-2,"maxExponent":1,"subBucketBits":3}',
    );
  });

  it('fromJSON restores every field', () => {
    const h = LatencyHistogram.fromJSON({
      layout: { minExponent: -2, maxExponent: 1, subBucketBits: 2 },
      count: 4,
      sum: 7,
      min: 0.1,
      max: 5,
      underflow: 1,
      overflow: 1,
      indices: [0, 8, 15],
      counts: [1, 2, 1],
    });
    expect(h.layout.equals(layout())).toBe(true);
    expect(h.count).toBe(4);
    expect(h.mean).toBe(7 / 4);
    expect(h.min).toBe(0.1);
    expect(h.max).toBe(5);
    expect(h.underflow).toBe(1);
    expect(h.overflow).toBe(1);
    expect([...h]).toEqual([
      { lower: 0.25, upper: 0.3125, count: 1 },
      { lower: 1, upper: 1.25, count: 2 },
      { lower: 3.5, upper: 4, count: 1 },
    ]);
    expect(h.quantile(0.5)).toBe(1.125); // rank 2: bucket 8
    // An empty one keeps min/max undefined, so the first value sets both.
    const empty = LatencyHistogram.fromJSON(small().toJSON());
    empty.record(2);
    expect(empty.min).toBe(2);
    expect(empty.max).toBe(2);
  });

  it('fromJSON refuses counts that do not match the layout', () => {
    const data = small(1).toJSON();
    expect(() => LatencyHistogram.fromJSON({ ...data, indices: [16] })).toThrow(
      'indices must be strictly increasing integers in [0, 16), found 16 at 0',
    );
  });
});
