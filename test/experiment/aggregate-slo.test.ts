/**
 * The summary's answers to "how few is enough?" (slo), "was the precision target met?" and "what does it
 * cost?", on replication values chosen so the intervals can be checked by hand (t(0.975; 4) = 2.776445):
 *
 *   replicas 1: 12 13 11 12 12   mean 12,  s² = 0.5, half-width 2.776445·√(0.5/5) = 0.878
 *   replicas 2:  9 10 11  9 11   mean 10,  s² = 1,   half-width 2.776445·√(1/5)   = 1.242
 *   replicas 3:  5  6  5  6  5   mean 5.4, s² = 0.3, half-width 2.776445·√(0.3/5) = 0.680
 */
import { afterAll, describe, expect, test } from 'vitest';
import { summarize, summaryCsv } from '../../src/experiment/aggregate.js';
import type { PlanData } from '../../src/experiment/plan.js';
import type { ResultLine } from '../../src/experiment/store.js';
import { TINY_SCENARIO, tinyPlan, workspace } from './helpers.js';

const T = 2.7764451051977934;
const half = (variance: number) => T * Math.sqrt(variance / 5);

const ws = workspace({ 'tiny.yaml': TINY_SCENARIO });
afterAll(() => ws.cleanup());

const plan = (...specLines: string[]): PlanData => tinyPlan(ws, ...specLines);

// Levels written out of order: the SLO table sorts numeric levels (1, 2, 3); points keep the written order.
const REPLICAS = ['  parameters:', '    - {name: replicas, path: Deployment/web-a.spec.replicas, values: [3, 1, 2]}', '  replications: 5', '  metrics: [latency.mean]'];
const VALUES: Record<number, number[]> = { 1: [12, 13, 11, 12, 12], 2: [9, 10, 11, 9, 11], 3: [5, 6, 5, 6, 5] };
const POINT_OF: Record<number, number> = { 3: 0, 1: 1, 2: 2 };

function lines(extra: (replicas: number, r: number) => Record<string, number | null> = () => ({})): ResultLine[] {
  return [3, 1, 2].flatMap((replicas) =>
    VALUES[replicas]!.map((v, r) => ({
      run: `p${POINT_OF[replicas]}-r${r}`,
      index: POINT_OF[replicas]! * 5 + r,
      point: POINT_OF[replicas]!,
      params: { replicas },
      replication: r,
      seed: r,
      status: 'ok' as const,
      metrics: { 'latency.mean': v, ...extra(replicas, r) },
      result: null,
      wallSeconds: 0,
    })),
  );
}

describe('slo: the fewest replicas that meet a target', () => {
  test('max 10: the mean meets it from 2 replicas (10 ≤ 10), the whole interval from 3 (upper 6.08)', () => {
    const s = summarize(plan(...REPLICAS, '  slo: {metric: latency.mean, max: 10, fewest: replicas}'), 'h', lines());
    expect(s.slo).toMatchObject({ metric: 'latency.mean', max: 10, min: null, bound: '10', fewest: 'replicas' });
    const [group] = s.slo!.groups;
    expect(group!.fixed).toEqual({});
    expect(group!.fewest).toBe(2);
    expect(group!.fewestConfident).toBe(3);
    // For a maximum, the bound that must stay under the target is the upper end of the interval.
    const rows = group!.levels.map((r) => [r.level, r.point, r.mean, r.meets, r.confident]);
    expect(rows).toEqual([
      [1, 1, 12, false, false],
      [2, 2, 10, true, false],
      [3, 0, 5.4, true, true],
    ]);
    expect(group!.levels[1]!.bound!).toBeCloseTo(10 + half(1), 10);
    expect(group!.levels[2]!.bound!).toBeCloseTo(5.4 + half(0.3), 10);
  });

  test('min 10: the bound is the lower end; 1 replica meets it with its whole interval (lower 11.12), 2 only by its mean', () => {
    const s = summarize(plan(...REPLICAS, '  slo: {metric: latency.mean, min: 10, fewest: replicas}'), 'h', lines());
    const [group] = s.slo!.groups;
    expect(group!.levels.map((r) => [r.level, r.meets, r.confident])).toEqual([
      [1, true, true],
      [2, true, false],
      [3, false, false],
    ]);
    expect(group!.levels[0]!.bound!).toBeCloseTo(12 - half(0.5), 10);
    expect([group!.fewest, group!.fewestConfident]).toEqual([1, 1]);
  });

  test('no level meets it: fewest is null; no slo, no slo section', () => {
    const s = summarize(plan(...REPLICAS, '  slo: {metric: latency.mean, max: 1, fewest: replicas}'), 'h', lines());
    expect([s.slo!.groups[0]!.fewest, s.slo!.groups[0]!.fewestConfident]).toEqual([null, null]);
    expect(summarize(plan(...REPLICAS), 'h', lines())).not.toHaveProperty('slo');
  });

  test('a level without values (every run failed) neither meets the target nor is confident', () => {
    const ls = lines().map((l) => (l.params['replicas'] === 3 ? { ...l, status: 'failed' as const, metrics: {} } : l));
    const group = summarize(plan(...REPLICAS, '  slo: {metric: latency.mean, max: 10, fewest: replicas}'), 'h', ls).slo!.groups[0]!;
    expect(group.levels[2]).toMatchObject({ level: 3, mean: null, bound: null, meets: false, confident: false });
    expect([group.fewest, group.fewestConfident]).toEqual([2, null]);
  });

  test('text levels keep their written order', () => {
    const p = plan('  parameters:', '    - {name: mode, path: Service/web.spec.externalTrafficPolicy, values: [Local, Cluster]}', '  replications: 5', '  metrics: [latency.mean]', '  slo: {metric: latency.mean, max: 11, fewest: mode}');
    const ls = lines().filter((l) => l.point < 2).map((l) => ({ ...l, params: { mode: l.point === 0 ? 'Local' : 'Cluster' } }));
    const group = summarize(p, 'h', ls).slo!.groups[0]!;
    expect(group.levels.map((r) => [r.level, r.mean])).toEqual([
      ['Local', 5.4],
      ['Cluster', 12],
    ]);
    expect(group.fewest).toBe('Local');
  });

  test('with a second factor, one group per level of it', () => {
    const p = plan(
      '  parameters:',
      '    - {name: mode, path: Service/web.spec.externalTrafficPolicy, values: [Cluster, Local]}',
      '    - {name: replicas, path: Deployment/web-a.spec.replicas, values: [1, 2]}',
      '  replications: 1',
      '  metrics: [latency.mean]',
      '  slo: {metric: latency.mean, max: 10, fewest: replicas}',
    );
    // Points: (Cluster,1) (Cluster,2) (Local,1) (Local,2); one run each.
    const means = [20, 8, 9, 30];
    const ls: ResultLine[] = means.map((v, point) => ({ run: `p${point}-r0`, index: point, point, params: {}, replication: 0, seed: 0, status: 'ok', metrics: { 'latency.mean': v }, result: null, wallSeconds: 0 }));
    const groups = summarize(p, 'h', ls).slo!.groups;
    expect(groups.map((g) => [g.fixed, g.fewest])).toEqual([
      [{ mode: 'Cluster' }, 2],
      [{ mode: 'Local' }, 1],
    ]);
  });
});

describe('precision target: met when the half-width is within ±relative of the mean', () => {
  test('±10 %: met with 1 replica (0.878/12 = 7.3 %), not with 2 (1.242/10 = 12.4 %) nor 3 (0.680/5.4 = 12.6 %)', () => {
    const s = summarize(plan(...REPLICAS, '  precision: {metric: latency.mean, relative: 10%, maxReplications: 5}'), 'h', lines());
    const met = Object.fromEntries(s.points.map((p) => [p.params['replicas'], p.precisionMet]));
    expect(met).toEqual({ 1: true, 2: false, 3: false });
    expect(summarize(plan(...REPLICAS), 'h', lines()).points[0]).not.toHaveProperty('precisionMet');
  });

  test('fewer than two values cannot meet it', () => {
    const one = lines().filter((l) => l.replication === 0);
    const s = summarize(plan(...REPLICAS, '  precision: {metric: latency.mean, relative: 50%, maxReplications: 5}'), 'h', one);
    expect(s.points.map((p) => p.precisionMet)).toEqual([false, false, false]);
  });
});

describe('cost per point', () => {
  test('from the runs that report it: mean and interval per hour and per month; a CSV row each', () => {
    const s = summarize(plan(...REPLICAS), 'h', lines((replicas, r) => ({ 'cost.perHour': replicas * (r % 2 ? 0.3 : 0.1), 'cost.perMonth': replicas * 100 })));
    const one = s.points.find((p) => p.params['replicas'] === 1)!;
    // 0.1 0.3 0.1 0.3 0.1: mean 0.18, Σ(x − x̄)² = 3·0.0064 + 2·0.0144 = 0.048, s² = 0.012.
    expect(one.cost!.perHour.mean!).toBeCloseTo(0.18, 12);
    expect(one.cost!.perHour.halfWidth!).toBeCloseTo(half(0.012), 10);
    expect(one.cost!.perMonth).toMatchObject({ n: 5, mean: 100, sd: 0 });
    const csv = summaryCsv(s).trimEnd().split('\n').map((r) => r.split(','));
    const costRows = csv.filter((r) => r[2]!.startsWith('cost.'));
    expect(costRows.map((r) => [r[0], r[2], r[3], r[4]])).toEqual([
      ['0', 'cost.perHour', 'cost', '5'],
      ['0', 'cost.perMonth', 'cost', '5'],
      ['1', 'cost.perHour', 'cost', '5'],
      ['1', 'cost.perMonth', 'cost', '5'],
      ['2', 'cost.perHour', 'cost', '5'],
      ['2', 'cost.perMonth', 'cost', '5'],
    ]);
  });

  test('no run reports it: no cost; a cost metric named by the experiment is not repeated in the CSV', () => {
    expect(summarize(plan(...REPLICAS), 'h', lines()).points[0]).not.toHaveProperty('cost');
    const named = plan('  parameters:', '    - {name: replicas, path: Deployment/web-a.spec.replicas, values: [3, 1, 2]}', '  replications: 5', '  metrics: [latency.mean, cost.perHour]');
    const s = summarize(named, 'h', lines(() => ({ 'cost.perHour': 1, 'cost.perMonth': 730 })));
    const names = summaryCsv(s).trimEnd().split('\n').slice(1).map((r) => r.split(',')[2]);
    expect(names.filter((n) => n === 'cost.perHour')).toHaveLength(3);
    expect(names.filter((n) => n === 'cost.perMonth')).toHaveLength(3);
  });
});

describe('the order of the lines does not matter', () => {
  test('reversed lines, the same summary; failed runs listed in plan order; lines of unknown points ignored', () => {
    const p = plan(...REPLICAS);
    const ls = lines();
    // ls[12] (replicas 2, point 2) comes later in the list than ls[3] (replicas 3, point 0), and so in the plan.
    ls[12] = { ...ls[12]!, status: 'failed', error: 'second', metrics: {} };
    ls[3] = { ...ls[3]!, status: 'failed', error: 'first', metrics: {} };
    const forward = summarize(p, 'h', ls);
    expect(summarize(p, 'h', [...ls].reverse())).toEqual(forward);
    expect(forward.runs.failedRuns).toEqual([
      { run: 'p0-r3', error: 'first' },
      { run: 'p2-r2', error: 'second' },
    ]);
    const stray: ResultLine = { ...ls[0]!, run: 'p7-r0', point: 7, index: 35 };
    const negative: ResultLine = { ...ls[0]!, run: 'p-1-r0', point: -1, index: 36 };
    expect(summarize(p, 'h', [...ls, stray, negative]).points).toEqual(forward.points);
  });
});
