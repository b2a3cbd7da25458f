/** The plan charts' data transforms, on their own (a hand-made plan.json), and what the charts make of them. */
import { describe, expect, test } from 'vitest';
import type { LevelReport, PlanFile, SearchAnswer } from '../../src/experiment/search/plan-file.js';
import type { TermStats } from '../../src/experiment/search/objective.js';
import type { SearchSpec } from '../../src/experiment/search/types.js';
import { isChart } from '../../src/report/charts/chart.js';
import { planChart } from '../../src/report/charts/plan-chart.js';
import { planTimeChart, planTimeData } from '../../src/report/charts/plan-over-time.js';
import { planChartData } from '../../src/report/data/plan.js';
import { input, run, series } from './timeline-fixtures.js';

const SEARCH: SearchSpec = {
  mode: 'bisect',
  parameter: 'replicas',
  find: 'smallest',
  objective: [
    { text: 'latency.p99 <= 100ms', metric: 'latency.p99', evaluate: 'latencyWithDrops.p99', op: '<=', bound: 0.1, boundText: '100ms', unit: 's' },
    { text: 'dropped <= 0.1%', metric: 'dropped', evaluate: 'dropFraction', op: '<=', bound: 0.001, boundText: '0.1%', unit: 'fraction' },
  ],
  maxReplications: 8,
  step: 4,
  per: ['load'],
  cost: 'cost.perHour',
  maxRuns: null,
  headroom: 'none',
  settleWithin: 900,
};

const term = (t: string, mean: number | null, hw: number | null, decision: TermStats['decision'], unbounded = 0): TermStats => ({
  term: t,
  n: 4,
  unbounded,
  mean,
  lower: mean === null || hw === null ? null : mean - hw,
  upper: mean === null || hw === null ? null : mean + hw,
  halfWidth: hw,
  decision,
});

function level(point: number, replicas: number, p99: number | null, decision: TermStats['decision'], unbounded = 0): LevelReport {
  const terms = [term('latency.p99 <= 100ms', p99, p99 === null ? null : 0.01, decision, unbounded), term('dropped <= 0.1%', unbounded ? 0.2 : 0, 0, unbounded ? 'fails' : 'meets')];
  return {
    point,
    params: { load: '1k/s', replicas },
    level: replicas,
    decision,
    replications: 4,
    failedRuns: 0,
    terms,
    cost: { perHour: replicas * 0.1, perMonth: replicas * 73, halfWidth: 0.001 },
    costMetric: null,
    headroom: null,
    combined: decision,
  };
}

function plan(levels: LevelReport[], answer: number, below: number): PlanFile {
  const ref = (l: LevelReport) => ({ point: l.point, level: l.level, params: l.params });
  const a: SearchAnswer = {
    fixed: { load: '1k/s' },
    kind: 'decided',
    answer: ref(levels.find((l) => l.point === answer)!),
    below: ref(levels.find((l) => l.point === below)!),
    undecided: [],
    contradiction: null,
    withoutHeadroom: null,
    pruned: 0,
    levels,
    runs: 4 * levels.length,
  };
  return {
    schema: 'netsim.plan/v1',
    experiment: { name: 'x', hash: 'h', scenario: ['s.yaml'], masterSeed: 1, confidence: 0.95, replications: 4 },
    search: SEARCH,
    runs: { used: 16, failed: 0, headroom: 0, grid: { points: 10, replications: 4, runs: 40 } },
    answers: [a],
  };
}

const LEVELS = [level(0, 1, null, 'fails', 4), level(1, 2, 0.25, 'fails'), level(2, 3, 0.06, 'meets'), level(3, 4, 0.055, 'meets')];

describe('plan chart data', () => {
  test('per term and level, the mean and CI in display units, the bound, the answer, +∞ kept apart', () => {
    const d = planChartData(plan(LEVELS, 2, 1));
    expect(d.mode).toBe('bisect');
    expect(d.numericX).toBe(true);
    expect(d.terms).toEqual([
      { term: 'p99 ≤ 100ms', unit: 'ms', bound: 100 },
      { term: 'dropped ≤ 0.1%', unit: '%', bound: 0.1 },
    ]);
    const p99 = d.rows.filter((r) => r.term === 'p99 ≤ 100ms');
    expect(p99.map((r) => [r.x, r.mean, r.lower, r.upper, r.unbounded, r.answer])).toEqual([
      [1, null, null, null, true, false],
      [2, 250, 240, 260, false, false],
      [3, 60, 50, 70, false, true],
      [4, 55, 45, 65, false, false],
    ]);
    expect(d.rows.filter((r) => r.term === 'dropped ≤ 0.1%')[0]).toMatchObject({ mean: 20, decision: 'fails' });
    // Cost per month with the CI of perHour × 730.
    expect(d.cost[2]).toEqual({ search: 'load=1k/s', x: 3, label: '3', mean: 219, lower: 219 - 0.73, upper: 219 + 0.73, answer: true });
    expect(d.searches).toEqual(['load=1k/s']);
  });

  test('levels that are not all numbers: a categorical axis in search order', () => {
    const named = LEVELS.map((l, i) => ({ ...l, level: ['xs', 's', 'm', 'l'][i]! }));
    const d = planChartData(plan(named, 2, 1));
    expect(d.numericX).toBe(false);
    expect(d.xOrder).toEqual(['xs', 's', 'm', 'l']);
  });

  test('the chart: a panel per term and one for cost, the CSVs; without a plan, no chart', () => {
    const c = planChart(planChartData(plan(LEVELS, 2, 1)));
    if (!isChart(c)) expect.fail('expected a chart');
    expect(c.panels.map((p) => p.title)).toEqual(['p99 ≤ 100ms (ms)', 'dropped ≤ 0.1% (%)', 'Cost per month']);
    expect(c.data.header).toContain('ci_upper');
    expect(c.data.rows).toHaveLength(8);
    expect(c.moreData![0]!.id).toBe('plan-cost');
    // The sentence is rendered from the data, with the report's formatters (units on the half-widths, pp for fractions).
    expect(c.notes[0]).toBe('load=1k/s: 3 replicas meet p99 ≤ 100ms and dropped ≤ 0.1%: p99 60 ms ± 10 ms, dropped 0 % ± 0 pp (95 % CI, 4 replications); 2 replicas fail: p99 250 ms ± 10 ms.');
    expect(c.notes.some((n) => n.startsWith('∞'))).toBe(true);
    expect(isChart(planChart(null))).toBe(false);
  });
});

describe('plan over time (a timeline: replicas and p99 per window)', () => {
  test('the answer and the level below, window by window, with the p99 bound', () => {
    const ts = (pods: number) => series({ windows: 5, replicas: [{ name: 'shop/web', value: (i) => pods + (i >= 3 ? 1 : 0) }] });
    const base = input('sweep', [
      { name: 'a', runs: [run('s', ts(2), []), run('s', ts(2), [])] },
      { name: 'b', runs: [run('s', ts(3), [])] },
    ]);
    const withPlan = { ...base, plan: plan([level(0, 2, 0.2, 'fails'), level(1, 3, 0.05, 'meets')], 1, 0) };
    const d = planTimeData(withPlan)!;
    expect(d.series).toEqual(['replicas=3 (answer)', 'replicas=2 (fails)']);
    expect(d.bound).toBe(100);
    expect(d.rows.filter((r) => r.series === 'replicas=3 (answer)').map((r) => r.replicas)).toEqual([3, 3, 3, 4, 4]);
    expect(d.rows[0]!.p99).toBe(20);
    expect(isChart(planTimeChart(d))).toBe(true);
    // Runs without replicas over time: nothing to draw.
    const flat = { ...input('sweep', [{ name: 'a', runs: [run('s', series({ windows: 3 }), [])] }]), plan: plan([level(0, 2, 0.2, 'fails'), level(1, 3, 0.05, 'meets')], 0, 1) };
    expect(planTimeData(flat)).toBeNull();
  });
});
