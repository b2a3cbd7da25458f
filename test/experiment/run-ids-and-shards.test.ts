/**
 * The names and numbers that tie a sweep's runs together: run ids (`p<point>-r<replication>`), shard
 * specifications (`K/N`, 1-based), which shard owns a run, the grid's size, and when sequential
 * replication stops.
 */
import { describe, expect, test } from 'vitest';
import { inShard, parseRunId, parseShard, pendingReplications, pointCount, runId, type PlanData } from '../../src/experiment/plan.js';

describe('run ids', () => {
  test('p<point>-r<replication>, read back', () => {
    expect(runId(3, 7)).toBe('p3-r7');
    expect(parseRunId('p3-r7')).toEqual({ point: 3, replication: 7 });
    expect(parseRunId('p12-r105')).toEqual({ point: 12, replication: 105 });
    expect(parseRunId(runId(0, 0))).toEqual({ point: 0, replication: 0 });
  });

  test.each(['xp3-r7', 'p3-r7x', 'p-r1', 'pa-r1', 'p1-rb', 'p1r1', ''])('%j is not a run id', (text) => {
    expect(parseRunId(text)).toBeUndefined();
  });
});

describe('shards: K/N', () => {
  test('spaces allowed around the numbers; several digits', () => {
    expect(parseShard(' 12 / 20 ')).toEqual({ index: 12, count: 20 });
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
    expect(parseShard('20/20')).toEqual({ index: 20, count: 20 });
  });

  test.each([
    ['3/20x', "expected K/N such as 3/20 (shard K of N, 1-based), found '3/20x'"],
    ['x3/20', "expected K/N such as 3/20 (shard K of N, 1-based), found 'x3/20'"],
    ['3 4/20', "expected K/N such as 3/20 (shard K of N, 1-based), found '3 4/20'"],
    ['3/2 0', "expected K/N such as 3/20 (shard K of N, 1-based), found '3/2 0'"],
    ['0/0', 'expected at least one shard, found 0/0'],
    ['0/3', 'expected a shard number from 1 to 3, found 0'],
    ['4/3', 'expected a shard number from 1 to 3, found 4'],
  ])('%j: %s', (text, message) => {
    expect(() => parseShard(text)).toThrow(message);
  });

  test('run index mod N = K − 1; without shards, or with one, every run is in', () => {
    const plain = { precision: null };
    const owners = (index: number) => [1, 2, 3].filter((k) => inShard(plain, { index, point: 0 }, { index: k, count: 3 }));
    expect([0, 1, 2, 3, 4, 5].map(owners)).toEqual([[1], [2], [3], [1], [2], [3]]);
    expect(inShard(plain, { index: 5, point: 0 }, null)).toBe(true);
    expect(inShard(plain, { index: 5, point: 0 }, { index: 1, count: 1 })).toBe(true);
  });
});

describe('grid size', () => {
  test('the product of the factors\' level counts; one point without factors', () => {
    const factor = (n: number) => ({ levels: Array.from({ length: n }, () => ({})) }) as unknown as PlanData['factors'][number];
    expect(pointCount({ factors: [] })).toBe(1);
    expect(pointCount({ factors: [factor(3), factor(4), factor(2)] })).toBe(24);
  });
});

describe('sequential replication stops when the interval is narrow enough', () => {
  const plan = { replications: 2, confidence: 0.95, precision: { metric: 'latency.p99', relative: 0.1, maxReplications: 6, step: 2 } } as const;
  /** A stand-in interval: half-width = the spread of the values, so the test controls it exactly. */
  const spread = (values: readonly number[]) => ({ mean: values.reduce((a, b) => a + b, 0) / values.length, halfWidth: Math.max(...values) - Math.min(...values) });

  test('two values can be enough; a half-width exactly at relative × |mean| is enough', () => {
    expect(pendingReplications(plan, new Map([[0, 10], [1, 10]]), spread)).toEqual([]);
    // Mean 10, half-width 1 = 0.1 × 10: met.
    expect(pendingReplications(plan, new Map([[0, 9.5], [1, 10.5]]), spread)).toEqual([]);
    // Half-width 1.2 > 1: two more.
    expect(pendingReplications(plan, new Map([[0, 9.4], [1, 10.6]]), spread)).toEqual([2, 3]);
  });

  test('failed runs give no value: fewer than two values never stop early; the cap does', () => {
    expect(pendingReplications(plan, new Map<number, number | null>([[0, 10], [1, null]]), spread)).toEqual([2, 3]);
    const capped = new Map<number, number | null>([[0, 1], [1, null], [2, null], [3, null], [4, null], [5, null]]);
    expect(pendingReplications(plan, capped, spread)).toEqual([]);
  });

  test('a negative mean: the target is relative to |mean|', () => {
    expect(pendingReplications(plan, new Map([[0, -9.5], [1, -10.5]]), spread)).toEqual([]);
  });
});
