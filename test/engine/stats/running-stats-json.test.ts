/**
 * RunningStats read back from a file or another thread: only what `toJSON` can produce is accepted, with
 * the data in the message otherwise; and empty accumulators stay neutral in merges and after a reset.
 */
import { describe, expect, test } from 'vitest';
import { RunningStats, type RunningStatsJSON } from '../../../src/engine/stats/running-stats.js';

const GOOD: RunningStatsJSON = { count: 3, mean: 2, m2: 2, min: 1, max: 3 };

describe('RunningStats.fromJSON', () => {
  test('accepts what toJSON writes, including one value (min = max) and the empty accumulator', () => {
    expect(RunningStats.fromJSON(GOOD).toJSON()).toEqual(GOOD);
    expect(RunningStats.fromJSON({ count: 1, mean: 5, m2: 0, min: 5, max: 5 }).toJSON()).toEqual({ count: 1, mean: 5, m2: 0, min: 5, max: 5 });
    const empty = RunningStats.fromJSON({ count: 0, mean: 0, m2: 0, min: null, max: null });
    expect([empty.count, empty.min, empty.max]).toEqual([0, NaN, NaN]);
  });

  test.each<[string, RunningStatsJSON]>([
    ['a fractional count', { ...GOOD, count: 2.5 }],
    ['a negative count', { ...GOOD, count: -1 }],
    ['a non-finite mean', { ...GOOD, mean: Infinity }],
    ['a non-finite m2', { ...GOOD, m2: NaN }],
    ['a negative m2', { ...GOOD, m2: -1 }],
    ['min above max', { ...GOOD, min: 4 }],
    ['no min', { ...GOOD, min: null }],
    ['no max', { ...GOOD, max: null }],
    ['no max, with a min below 0 (null compares as 0)', { count: 1, mean: -1, m2: 0, min: -1, max: null }],
    ['an empty accumulator with a min', { count: 0, mean: 0, m2: 0, min: 1, max: null }],
    ['an empty accumulator with a max', { count: 0, mean: 0, m2: 0, min: null, max: 1 }],
    ['an empty accumulator with a mean', { count: 0, mean: 2, m2: 0, min: null, max: null }],
    ['an empty accumulator with a spread', { count: 0, mean: 0, m2: 3, min: null, max: null }],
    ['one value with a spread', { count: 1, mean: 5, m2: 1, min: 5, max: 5 }],
    ['one value whose mean is not the value', { count: 1, mean: 4, m2: 0, min: 5, max: 5 }],
    ['one value with min below max', { count: 1, mean: 5, m2: 0, min: 4, max: 5 }],
    ['one value, its mean the min but not the max', { count: 1, mean: 4, m2: 0, min: 4, max: 5 }],
    ['no max, with a min below 0 (null compares as 0), three values', { count: 3, mean: 0, m2: 2, min: -1, max: null }],
  ])('rejects %s, quoting the data', (_, data) => {
    expect(() => RunningStats.fromJSON(data)).toThrow(RangeError);
    expect(() => RunningStats.fromJSON(data)).toThrow(`invalid RunningStats JSON: ${JSON.stringify(data)}`);
  });

  test('a read-back accumulator keeps its extremes when more values come', () => {
    const s = RunningStats.fromJSON(GOOD);
    s.add(2);
    expect([s.min, s.max, s.count]).toEqual([1, 3, 4]);
    const fresh = RunningStats.fromJSON({ count: 0, mean: 0, m2: 0, min: null, max: null });
    fresh.add(-7);
    expect([fresh.min, fresh.max]).toEqual([-7, -7]);
  });
});

describe('empty accumulators', () => {
  test('merging into an empty one copies; merging an empty one changes nothing', () => {
    const data = RunningStats.of([1, 2, 6]);
    const into = new RunningStats().merge(data);
    expect(into.toJSON()).toEqual(data.toJSON());
    expect(RunningStats.of([1, 2, 6]).merge(new RunningStats()).toJSON()).toEqual(data.toJSON());
  });

  test('after a reset, negative values set both extremes; population variance and sum of nothing', () => {
    const s = RunningStats.of([5, 9]);
    s.reset();
    expect(s.populationVariance).toBeNaN();
    expect(s.sum).toBe(0);
    s.add(-3);
    s.add(-1);
    expect([s.min, s.max, s.sum, s.variance]).toEqual([-3, -1, -4, 2]);
  });

  test('two values give a variance; the error message names the value', () => {
    expect(RunningStats.of([1, 3]).variance).toBe(2);
    expect(() => new RunningStats().add(-Infinity)).toThrow('RunningStats accepts finite numbers only, found -Infinity');
  });
});
