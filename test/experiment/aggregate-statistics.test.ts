/**
 * The sweep summary's statistics against numbers worked out by hand, not against the engine's own
 * functions (a bug shared by both would otherwise pass). Two points, five replications each, of a metric
 * with small integer values:
 *
 *   point 0 (mode=a): 10 12  9 11 13   mean 11, Σ(x − x̄)² = 10, s² = 2.5
 *   point 1 (mode=b):  8 11  7  9 10   mean  9, Σ(y − ȳ)² = 10, s² = 2.5
 *   b − a, paired:    −2 −1 −2 −2 −3   mean −2, Σ(d − d̄)² = 2,  s² = 0.5
 *
 * Student t quantiles from the tables: t(0.975; 4) = 2.776445, t(0.975; 8) = 2.306004, t(0.95; 4) = 2.131847.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { differencesCsv, summarize, summaryCsv } from '../../src/experiment/aggregate.js';
import type { PlanData } from '../../src/experiment/plan.js';
import { TINY_SCENARIO, TWO_MODES, TWO_MODES_A as A, TWO_MODES_B as B, TWO_MODES_LINES as LINES, tinyPlan, twoModesLine as line, workspace } from './helpers.js';

const T_975_4 = 2.7764451051977934;
const T_975_8 = 2.306004135204166;
const T_95_4 = 2.1318467863266495;

const ws = workspace({ 'tiny.yaml': TINY_SCENARIO });
afterAll(() => ws.cleanup());

const plan = (...specLines: string[]): PlanData => tinyPlan(ws, ...specLines);

describe('per point: mean, sample standard deviation, Student t interval', () => {
  test('95 %: 11 ± t(0.975; 4)·√2.5/√5 = 11 ± 1.963', () => {
    const s = summarize(plan(...TWO_MODES), 'h', LINES);
    const m = s.points[0]!.metrics['latency.mean']!;
    const half = T_975_4 * Math.sqrt(2.5) / Math.sqrt(5);
    expect(half).toBeCloseTo(1.9632, 4);
    expect(m.n).toBe(5);
    expect(m.mean).toBe(11);
    expect(m.sd!).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(m.halfWidth!).toBeCloseTo(half, 10);
    expect(m.lower!).toBeCloseTo(11 - half, 10);
    expect(m.upper!).toBeCloseTo(11 + half, 10);
    expect(m.relativeHalfWidth!).toBeCloseTo(half / 11, 10);
    expect(m.missing).toBe(0);
    expect(s.points[1]!.metrics['latency.mean']).toMatchObject({ n: 5, mean: 9 });
  });

  test('the experiment\'s confidence level sets the quantile: 90 % uses t(0.95; 4)', () => {
    const s = summarize(plan(...TWO_MODES, '  confidence: 0.9'), 'h', LINES);
    expect(s.points[0]!.metrics['latency.mean']!.halfWidth!).toBeCloseTo(T_95_4 * Math.sqrt(2.5 / 5), 10);
  });

  test('a run without the value counts as missing; failed runs are counted, not averaged', () => {
    const lines = [...LINES];
    lines[4] = line(0, 4, null);
    lines[9] = { ...line(1, 4, null), status: 'failed', error: 'boom', metrics: {} };
    const s = summarize(plan(...TWO_MODES), 'h', lines);
    // Point 0 without 13: 10 12 9 11, mean 10.5, Σ(x − x̄)² = 5, s² = 5/3.
    expect(s.points[0]!.metrics['latency.mean']).toMatchObject({ n: 4, mean: 10.5, missing: 1 });
    expect(s.points[0]!.metrics['latency.mean']!.sd!).toBeCloseTo(Math.sqrt(5 / 3), 12);
    // A run without the value still finished ok.
    expect(s.points[0]).toMatchObject({ ok: 5, failed: 0 });
    expect(s.points[1]).toMatchObject({ ok: 4, failed: 1 });
    expect(s.runs).toEqual({ ok: 9, failed: 1, failedRuns: [{ run: 'p1-r4', error: 'boom' }] });
  });

  test('one value: the mean, and no interval', () => {
    const s = summarize(plan(...TWO_MODES), 'h', [line(0, 0, 7)]);
    const m = s.points[0]!.metrics['latency.mean']!;
    expect(m).toMatchObject({ n: 1, mean: 7, sd: null, halfWidth: null, lower: null, upper: null });
    expect(s.points[1]!.metrics['latency.mean']).toEqual({ n: 0, mean: null, sd: null, lower: null, upper: null, halfWidth: null, relativeHalfWidth: null, missing: 0 });
  });
});

describe('between points: the paired difference (common random numbers) and the Welch half-width', () => {
  test('Local − Cluster = −2 ± t(0.975; 4)·√0.5/√5 = −2 ± 0.878: significant', () => {
    const [d] = summarize(plan(...TWO_MODES), 'h', LINES).differences;
    expect(d).toMatchObject({ factor: 'mode', from: { point: 0, level: 'Cluster' }, to: { point: 1, level: 'Local' }, fixed: {} });
    const m = d!.metrics['latency.mean']!;
    const half = T_975_4 * Math.sqrt(0.5 / 5);
    expect(half).toBeCloseTo(0.8780, 4);
    expect(m.n).toBe(5);
    expect(m.mean).toBe(-2);
    expect(m.sd!).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(m.halfWidth!).toBeCloseTo(half, 10);
    expect(m.lower!).toBeCloseTo(-2 - half, 10);
    expect(m.upper!).toBeCloseTo(-2 + half, 10);
    expect(m.significant).toBe(true);
  });

  test('unpaired (Welch): standard error √(2.5/5 + 2.5/5) = 1 on 8 degrees of freedom: ± 2.306', () => {
    // Welch–Satterthwaite: ν = (0.5 + 0.5)² / (0.5²/4 + 0.5²/4) = 8.
    const m = summarize(plan(...TWO_MODES), 'h', LINES).differences[0]!.metrics['latency.mean']!;
    expect(m.unpairedHalfWidth!).toBeCloseTo(T_975_8 * 1, 10);
  });

  test('only replications present at both points are paired; an interval that straddles 0 is not significant', () => {
    // Replication 0 lost at point 1: the pairs are −1 −2 −2 −3 (mean −2, Σ(d − d̄)² = 2, s² = 2/3).
    const lines = LINES.filter((l) => l.run !== 'p1-r0');
    const m = summarize(plan(...TWO_MODES), 'h', lines).differences[0]!.metrics['latency.mean']!;
    expect(m.n).toBe(4);
    expect(m.mean).toBe(-2);
    expect(m.sd!).toBeCloseTo(Math.sqrt(2 / 3), 12);
    // Pairs with no systematic difference: +1 −1 +2 −2 +0 (mean 0).
    const flat = [...A.map((v, r) => line(0, r, v)), ...A.map((v, r) => line(1, r, v + [1, -1, 2, -2, 0][r]!))];
    const f = summarize(plan(...TWO_MODES), 'h', flat).differences[0]!.metrics['latency.mean']!;
    expect(f.mean).toBe(0);
    expect(f.significant).toBe(false);
  });
});

describe('differences at the edges', () => {
  test('a positive difference whose interval is above zero is significant too', () => {
    const up = [...A.map((v, r) => line(0, r, v)), ...A.map((v, r) => line(1, r, v + [2, 1, 2, 2, 3][r]!))];
    const m = summarize(plan(...TWO_MODES), 'h', up).differences[0]!.metrics['latency.mean']!;
    expect(m.mean).toBe(2);
    expect(m.lower!).toBeCloseTo(2 - T_975_4 * Math.sqrt(0.5 / 5), 10);
    expect(m.significant).toBe(true);
  });

  test('no replication at both points: nothing to pair, every field empty', () => {
    const apart = [...A.slice(0, 3).map((v, r) => line(0, r, v)), ...B.slice(3).map((v, k) => line(1, k + 3, v))];
    expect(summarize(plan(...TWO_MODES), 'h', apart).differences[0]!.metrics['latency.mean']).toEqual({
      n: 0,
      mean: null,
      sd: null,
      lower: null,
      upper: null,
      halfWidth: null,
      unpairedHalfWidth: null,
      significant: false,
    });
  });

  test('one pair: a mean but no interval, not significant', () => {
    const one = [line(0, 0, 10), line(1, 0, 14)];
    expect(summarize(plan(...TWO_MODES), 'h', one).differences[0]!.metrics['latency.mean']).toMatchObject({ n: 1, mean: 4, lower: null, upper: null, significant: false });
  });

  test('a mean of zero: relative half-width 0 when every value is 0, none (null) otherwise', () => {
    const zeros = [0, 0, 0].map((v, r) => line(0, r, v));
    const around = [-1, 1, 0].map((v, r) => line(1, r, v));
    const s = summarize(plan(...TWO_MODES), 'h', [...zeros, ...around]);
    expect(s.points[0]!.metrics['latency.mean']).toMatchObject({ mean: 0, halfWidth: 0, relativeHalfWidth: 0 });
    expect(s.points[1]!.metrics['latency.mean']).toMatchObject({ mean: 0, relativeHalfWidth: null });
    // −1 1 0: s² = 1, t(0.975; 2) = 4.302653: ± 4.302653/√3.
    expect(s.points[1]!.metrics['latency.mean']!.halfWidth!).toBeCloseTo(4.302652729749464 / Math.sqrt(3), 10);
  });
});

describe('which pairs are compared', () => {
  test('up to 8 levels every pair; above 8, neighbours only', () => {
    const levels = (n: number) => ['  parameters:', `    - {name: r, path: Deployment/web-a.spec.replicas, from: 1, to: ${n}, step: 1}`, '  replications: 1', '  metrics: [latency.mean]'];
    const pairs = (n: number) =>
      summarize(plan(...levels(n)), 'h', []).differences.map((d) => [d.from.level, d.to.level]);
    expect(pairs(3)).toEqual([
      [1, 2],
      [1, 3],
      [2, 3],
    ]);
    expect(pairs(8)).toHaveLength((8 * 7) / 2);
    expect(pairs(9)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((l) => [l, l + 1]));
  });

  test('with two factors, a pair differs in one and names the other as fixed', () => {
    const p = plan(
      '  parameters:',
      '    - {name: mode, path: Service/web.spec.externalTrafficPolicy, values: [Cluster, Local]}',
      '    - {name: r, path: Deployment/web-a.spec.replicas, values: [1, 2]}',
      '  replications: 1',
      '  metrics: [latency.mean]',
    );
    const d = summarize(p, 'h', []).differences.map((x) => `${x.factor} ${x.from.level}->${x.to.level} ${JSON.stringify(x.fixed)}`);
    expect(d).toEqual(['mode Cluster->Local {"r":1}', 'mode Cluster->Local {"r":2}', 'r 1->2 {"mode":"Cluster"}', 'r 1->2 {"mode":"Local"}']);
  });
});

describe('the CSV files carry the same numbers', () => {
  test('summary.csv: one row per point and metric; differences.csv: one per pair and metric', () => {
    const s = summarize(plan(...TWO_MODES), 'h', LINES);
    const rows = summaryCsv(s).trimEnd().split('\n').map((r) => r.split(','));
    expect(rows[0]).toEqual(['point', 'mode', 'metric', 'unit', 'n', 'mean', 'sd', 'lower', 'upper', 'halfWidth', 'relativeHalfWidth', 'missing', 'failed']);
    expect(rows.slice(1).map((r) => r.slice(0, 6))).toEqual([
      ['0', 'Cluster', 'latency.mean', 's', '5', '11'],
      ['1', 'Local', 'latency.mean', 's', '5', '9'],
    ]);
    const diff = differencesCsv(s).trimEnd().split('\n').map((r) => r.split(','));
    expect(diff[0]).toEqual(['factor', 'from', 'to', 'fromPoint', 'toPoint', 'mode', 'metric', 'n', 'mean', 'sd', 'lower', 'upper', 'halfWidth', 'unpairedHalfWidth', 'significant']);
    expect(diff[1]!.slice(0, 9)).toEqual(['mode', 'Cluster', 'Local', '0', '1', '', 'latency.mean', '5', '-2']);
    expect(diff[1]![14]).toBe('true');
  });
});
