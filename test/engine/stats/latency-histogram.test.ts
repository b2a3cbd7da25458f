import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../../src/engine/stats/latency-histogram.js';
import type { LatencyHistogramJSON } from '../../../src/engine/stats/latency-histogram-json.js';
import { exponential, mulberry32, orderStatistic } from './helpers/prng.js';

const QUANTILES = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9999, 1];
const N = 100_000;

function sample(n: number, draw: () => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = draw();
  return out;
}

function histogramOf(values: ArrayLike<number>): LatencyHistogram {
  const h = new LatencyHistogram();
  for (let i = 0; i < values.length; i++) h.record(values[i]!);
  return h;
}

describe('LatencyHistogram quantiles', () => {
  const rnd = mulberry32(20240601);
  const cases: Array<[string, Float64Array]> = [
    ['exponential, mean 1 ms (+1 µs)', sample(N, ((e) => () => 1e-6 + e())(exponential(rnd, 1e-3)))],
    ['exponential, mean 100 s', sample(N, exponential(rnd, 100))],
    ['uniform 1 µs .. 1 ms', sample(N, () => 1e-6 + (1e-3 - 1e-6) * rnd())],
    ['uniform 1 s .. 1 h', sample(N, () => 1 + 3599 * rnd())],
    ['log-uniform 1 µs .. 1 h', sample(N, () => 1e-6 * 3.6e9 ** rnd())],
  ];

  // The name must not interpolate the sample: Stryker keys coverage by test name.
  it.each(cases)('%s: every quantile within 1 percent (in fact ≤ 0.39 percent) of the exact order statistic', (_, values) => {
    const h = histogramOf(values);
    const sorted = Float64Array.from(values).sort();
    expect(h.count).toBe(N);
    for (const q of QUANTILES) {
      const exact = orderStatistic(sorted, q);
      const err = Math.abs(h.quantile(q) - exact) / exact;
      expect(err, `q=${q}: ${h.quantile(q)} vs exact ${exact}`).toBeLessThanOrEqual(h.layout.relativeError);
      expect(err).toBeLessThan(0.01);
    }
  });

  it('returns exact min and max at q = 0 and q = 1 (ranks 1 and n)', () => {
    const values = cases[4]![1];
    const h = histogramOf(values);
    const sorted = Float64Array.from(values).sort();
    expect(h.quantile(0)).toBe(sorted[0]);
    expect(h.quantile(1)).toBe(sorted[N - 1]);
  });

  it('uses nearest rank: the median of {1,2,3,4} ms is 2 ms (± bucket error)', () => {
    const h = histogramOf([4e-3, 1e-3, 3e-3, 2e-3]);
    expect(h.quantile(0.5)).toBeCloseTo(2e-3, 4);
    expect(h.quantile(0.75)).toBeCloseTo(3e-3, 4);
    expect(h.quantile(0.76)).toBe(4e-3); // rank 4 = n: exact max
  });

  it('is NaN when empty and rejects q outside [0, 1]', () => {
    const h = new LatencyHistogram();
    expect(h.quantile(0.5)).toBeNaN();
    expect(h.mean).toBeNaN();
    expect(h.min).toBeNaN();
    expect(h.max).toBeNaN();
    expect(() => h.quantile(1.5)).toThrow(RangeError);
    h.record(1e-3);
    expect(() => h.quantile(-0.1)).toThrow(RangeError);
    expect(() => h.quantile(NaN)).toThrow(RangeError);
  });
});

describe('LatencyHistogram exact summaries', () => {
  it('keeps min, max and mean exact, including out-of-range values', () => {
    const h = new LatencyHistogram();
    const values = [3.3e-3, 1e-9, 0, 7.25e-4, 1e5, 42];
    for (const v of values) h.record(v);
    expect(h.min).toBe(0);
    expect(h.max).toBe(1e5);
    expect(h.mean).toBe(values.reduce((a, b) => a + b, 0) / values.length);
    expect(h.underflow).toBe(2);
    expect(h.overflow).toBe(1);
    expect(h.quantile(1)).toBe(1e5);
    expect(h.quantile(0)).toBe(0);
  });

  it('recordN(v, k) equals k calls to record(v)', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    a.recordN(1.5e-3, 1000);
    a.recordN(2e-2, 0);
    for (let i = 0; i < 1000; i++) b.record(1.5e-3);
    expect(a.toJSON().indices).toEqual(b.toJSON().indices);
    expect(a.toJSON().counts).toEqual(b.toJSON().counts);
    expect(a.count).toBe(1000);
    expect(a.max).toBe(1.5e-3);
    expect(a.mean).toBeCloseTo(b.mean, 15);
  });

  it('rejects negative, NaN and infinite values and bad counts', () => {
    const h = new LatencyHistogram();
    for (const bad of [-1e-6, NaN, Infinity, -Infinity]) expect(() => h.record(bad)).toThrow(RangeError);
    expect(() => h.recordN(1, -1)).toThrow(RangeError);
    expect(() => h.recordN(1, 1.5)).toThrow(RangeError);
    expect(h.count).toBe(0);
  });

  it('reset() forgets everything', () => {
    const h = histogramOf([1e-3, 2e-3, 1e9]);
    h.reset();
    expect(h.count).toBe(0);
    expect(h.overflow).toBe(0);
    expect([...h]).toEqual([]);
    h.record(5e-3);
    expect(h.min).toBe(5e-3);
    expect(h.max).toBe(5e-3);
  });
});

describe('LatencyHistogram merge', () => {
  const rnd = mulberry32(7);
  const values = sample(30_000, () => 1e-6 * 3.6e9 ** rnd());

  it('equals recording everything into one histogram', () => {
    const whole = histogramOf(values);
    const parts = [new LatencyHistogram(), new LatencyHistogram(), new LatencyHistogram()];
    values.forEach((v, i) => parts[i % 3]!.record(v));
    const merged = parts[0]!.merge(parts[1]!).merge(parts[2]!);
    const { sum: mergedSum, ...mergedRest } = merged.toJSON();
    const { sum: wholeSum, ...wholeRest } = whole.toJSON();
    expect(mergedRest).toEqual(wholeRest); // counts, min, max, under/overflow: identical
    expect(mergedSum).toBeCloseTo(wholeSum, 6); // summation order differs: equal up to rounding
    for (const q of QUANTILES) expect(merged.quantile(q)).toBe(whole.quantile(q));
  });

  it('merging an empty histogram changes nothing; into an empty one copies', () => {
    const h = histogramOf(values);
    const before = h.toJSON();
    h.merge(new LatencyHistogram());
    expect(h.toJSON()).toEqual(before);
    expect(new LatencyHistogram().merge(h).toJSON()).toEqual(before);
  });

  it('refuses different layouts', () => {
    const a = new LatencyHistogram();
    expect(() => a.merge(new LatencyHistogram({ subBucketBits: 8 }))).toThrow(RangeError);
    expect(() => a.merge(new LatencyHistogram({ highest: 1e5 }))).toThrow(RangeError);
  });
});

describe('LatencyHistogram JSON', () => {
  it('round-trips through JSON text exactly', () => {
    const rnd = mulberry32(99);
    const h = histogramOf(sample(10_000, exponential(rnd, 2e-3)));
    h.record(0);
    h.record(1e6);
    const json = h.toJSON();
    const back = LatencyHistogram.fromJSON(JSON.parse(JSON.stringify(json)) as LatencyHistogramJSON);
    expect(back.toJSON()).toEqual(json);
    expect(back.mean).toBe(h.mean);
    expect(back.min).toBe(h.min);
    expect(back.max).toBe(h.max);
    for (const q of QUANTILES) expect(back.quantile(q)).toBe(h.quantile(q));
  });

  it('is sparse: only non-empty buckets, as parallel arrays', () => {
    const h = histogramOf([1e-3, 1e-3, 1e-3, 2e-1]);
    const json = h.toJSON();
    expect(json.indices).toHaveLength(2);
    expect(json.counts).toEqual([3, 1]);
    expect(json.indices[0]!).toBeLessThan(json.indices[1]!);
  });

  it('round-trips an empty histogram (min/max null)', () => {
    const json = new LatencyHistogram().toJSON();
    expect(json.min).toBeNull();
    const back = LatencyHistogram.fromJSON(JSON.parse(JSON.stringify(json)) as LatencyHistogramJSON);
    expect(back.count).toBe(0);
    expect(back.min).toBeNaN();
  });

  it('rejects inconsistent data', () => {
    const good = histogramOf([1e-3, 2e-3]).toJSON();
    const bad: LatencyHistogramJSON[] = [
      { ...good, count: 3 },
      { ...good, counts: [1] },
      { ...good, indices: [good.indices[1]!, good.indices[0]!] },
      { ...good, indices: [good.indices[0]!, 1e6] },
      { ...good, counts: [0, 2] },
      { ...good, min: null },
      { ...good, layout: { ...good.layout, subBucketBits: 0 } },
    ];
    for (const data of bad) expect(() => LatencyHistogram.fromJSON(data)).toThrow();
  });
});

describe('LatencyHistogram buckets', () => {
  it('iterates non-empty buckets in order, each containing its values, counts summing to n', () => {
    const values = [1e-5, 1.00001e-5, 3e-3, 3e-3, 9.9, 1200];
    const h = histogramOf(values);
    const buckets = [...h];
    expect(buckets.map((b) => b.count)).toEqual([2, 2, 1, 1]);
    for (let k = 1; k < buckets.length; k++) expect(buckets[k]!.lower).toBeGreaterThanOrEqual(buckets[k - 1]!.upper);
    for (const v of values) {
      expect(buckets.some((b) => b.lower <= v && v < b.upper)).toBe(true);
    }
  });
});
