/**
 * Rules of the sweep summary at its edges: which line counts when a replication appears twice, which
 * values count as missing, where the precision target's boundary lies, the failed-run list, and that
 * points are grouped by their level indices (not by a string that could make two groups look alike).
 * Every expected number is worked out by hand in the test's name or comment.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { summarize } from '../../src/experiment/aggregate.js';
import type { PlanData } from '../../src/experiment/plan.js';
import type { ResultLine } from '../../src/experiment/store.js';
import { TINY_SCENARIO, TWO_MODES, TWO_MODES_LINES as LINES, tinyPlan, twoModesLine as line, workspace } from './helpers.js';

const ws = workspace({ 'tiny.yaml': TINY_SCENARIO });
afterAll(() => ws.cleanup());

const plan = (...specLines: string[]): PlanData => tinyPlan(ws, ...specLines);

describe('a replication reported twice', () => {
  // Point 1, replication 2 (plan index 7) appears as run "p1-r2" (7) and run "p1-r2b" (99). Lines of the
  // same plan index are ordered by run id and the last one counts: "p1-r2b" sorts after "p1-r2".
  // Point 1 is then 8 11 99 9 10: mean 137/5 = 27.4.
  const dup = line(1, 2, 99, 'p1-r2b');

  test('the line with the later run id counts, wherever it stands in the file', () => {
    for (const lines of [[...LINES, dup], [dup, ...LINES], [...LINES, dup].reverse()]) {
      const m = summarize(plan(...TWO_MODES), 'h', lines).points[1]!.metrics['latency.mean']!;
      expect(m.n).toBe(5);
      expect(m.mean).toBeCloseTo(27.4, 12);
    }
  });

  test('the same run id twice with different contents: the same summary in either file order', () => {
    // Run "p1-r2" reported again (e.g. a hand-edited shard) with another value: the lines' own text decides.
    const again = line(1, 2, 50);
    const first = summarize(plan(...TWO_MODES), 'h', [...LINES, again]);
    const second = summarize(plan(...TWO_MODES), 'h', [again, ...LINES]);
    expect(second).toEqual(first);
    expect(first.points[1]!.metrics['latency.mean']!.n).toBe(5);
  });

  test('it counts once: the point has five ok runs, not six', () => {
    const s = summarize(plan(...TWO_MODES), 'h', [dup, ...LINES]);
    expect(s.points[1]!.ok).toBe(5);
    expect(s.runs.ok).toBe(10);
  });
});

describe('lines the summary skips', () => {
  test('a line whose point is one past the last point (2 of points 0 and 1) is ignored', () => {
    const past: ResultLine = { ...line(1, 0, 1000), run: 'p2-r0', point: 2, index: 10 };
    const s = summarize(plan(...TWO_MODES), 'h', [...LINES, past]);
    expect(s.points.map((p) => p.ok)).toEqual([5, 5]);
    expect(s.points[1]!.metrics['latency.mean']!.mean).toBe(9);
  });

  test('+∞ and null are missing values, not averaged: 10 12 9 (∞, null) has n 3, mean 31/3, missing 2', () => {
    const lines = [...LINES];
    lines[3] = line(0, 3, Number.POSITIVE_INFINITY);
    lines[4] = line(0, 4, null);
    const m = summarize(plan(...TWO_MODES), 'h', lines).points[0]!.metrics['latency.mean']!;
    expect(m).toMatchObject({ n: 3, missing: 2 });
    expect(m.mean).toBeCloseTo(31 / 3, 12);
    // 10 12 9: Σ(x − x̄)² = (−1/3)² + (5/3)² + (−4/3)² = 42/9, s² = 7/3.
    expect(m.sd!).toBeCloseTo(Math.sqrt(7 / 3), 12);
  });
});

describe('the failed-run list', () => {
  test('a failed line without an error message is listed with an empty message', () => {
    const lines = [...LINES];
    lines[6] = { ...line(1, 1, null), status: 'failed', metrics: {} };
    expect(summarize(plan(...TWO_MODES), 'h', lines).runs.failedRuns).toEqual([{ run: 'p1-r1', error: '' }]);
  });
});

describe('precision target boundaries', () => {
  test('two values are enough: 100 and 101 give ±t(0.975; 1)·0.5 = ±6.353, within 10 % of 100.5', () => {
    const two = [line(0, 0, 100), line(0, 1, 101), line(1, 0, 100), line(1, 1, 101)];
    const s = summarize(plan(...TWO_MODES, '  precision: {metric: latency.mean, relative: 10%, maxReplications: 5}'), 'h', two);
    expect(s.points.map((p) => p.precisionMet)).toEqual([true, true]);
  });

  test('a half-width exactly at the target meets it: identical values at mean 0 give 0 ≤ 10 %·0', () => {
    const zeros = [0, 1, 2].flatMap((r) => [line(0, r, 0), line(1, r, 0)]);
    const s = summarize(plan(...TWO_MODES, '  precision: {metric: latency.mean, relative: 10%, maxReplications: 5}'), 'h', zeros);
    expect(s.points.map((p) => p.precisionMet)).toEqual([true, true]);
  });
});

describe('the slo table needs its factor', () => {
  test('an slo naming no factor of the plan gives no slo table', () => {
    const p = plan(
      '  parameters:',
      '    - {name: replicas, path: Deployment/web-a.spec.replicas, values: [1, 2]}',
      '  replications: 5',
      '  metrics: [latency.mean]',
      '  slo: {metric: latency.mean, max: 5ms, fewest: replicas}',
    );
    expect(p.slo).toBeDefined();
    const renamed: PlanData = { ...p, slo: { ...p.slo!, fewest: 'not-a-factor' } };
    expect(summarize(renamed, 'h', [])).not.toHaveProperty('slo');
  });
});

describe('grouping points that differ in one factor', () => {
  test('12 × 11 × 2 levels: the last factor is compared in 12·11 = 132 distinct groups', () => {
    // Level indices (1, 10) and (11, 0) of the first two factors would both read "110" if written
    // side by side: each must still be its own group.
    const p = plan(
      '  parameters:',
      '    - {name: a, path: Deployment/web-a.spec.replicas, from: 1, to: 12, step: 1}',
      '    - {name: b, path: Deployment/web-b.spec.replicas, from: 1, to: 11, step: 1}',
      '    - {name: mode, path: Service/web.spec.externalTrafficPolicy, values: [Cluster, Local]}',
      '  replications: 1',
      '  metrics: [latency.mean]',
    );
    const modes = summarize(p, 'h', []).differences.filter((d) => d.factor === 'mode');
    expect(modes).toHaveLength(132);
    expect(new Set(modes.map((d) => `${d.fixed['a']}/${d.fixed['b']}`)).size).toBe(132);
  });
});

describe('the file format', () => {
  test('a summary names its format and version: netsim.sweep-summary/v1', () => {
    expect(summarize(plan(...TWO_MODES), 'h', LINES).schema).toBe('netsim.sweep-summary/v1');
  });
});

describe('the order of the slo table', () => {
  test('levels that are not all numbers keep their written order: [many, 2, 1] stays many, 2, 1', () => {
    const p = plan(
      '  parameters:',
      '    - {name: replicas, path: Deployment/web-a.spec.replicas, values: [3, 2, 1]}',
      '  replications: 1',
      '  metrics: [latency.mean]',
      '  slo: {metric: latency.mean, max: 5ms, fewest: replicas}',
    );
    // A text first level (as a parameter over names would have): no numeric order exists, so none is imposed.
    const f = p.factors[0]!;
    const mixed: PlanData = { ...p, factors: [{ ...f, levels: f.levels.map((l, i) => (i === 0 ? { ...l, label: 'many' } : l)) }] };
    const rows = summarize(mixed, 'h', []).slo!.groups[0]!.levels;
    expect(rows.map((r) => r.level)).toEqual(['many', 2, 1]);
    expect(rows.map((r) => r.point)).toEqual([0, 1, 2]);
  });
});
