/** The plan charts' data transforms, on their own (a hand-made plan.json), and what the charts make of them. */
import { describe, expect, test, vi } from 'vitest';
import type { LevelReport, PlanFile, SearchAnswer } from '../../src/experiment/search/plan-file.js';
import type { TermStats } from '../../src/experiment/search/objective.js';
import type { SearchSpec } from '../../src/experiment/search/types.js';
import { isChart } from '../../src/report/charts/chart.js';
import { planChart, planData } from '../../src/report/charts/plan-chart.js';
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

describe('plan over time: which points, which labels, which bound', () => {
  const ts = (pods: number, windows = 4) =>
    series({ windows, replicas: [{ name: 'shop/web', value: () => pods }, { name: 'shop/api', value: (i) => (i < 2 ? 1 : 2) }] });
  const withP99 = (t: ReturnType<typeof series>, p99: number): ReturnType<typeof series> => ({ ...t, p99: t.p99.map(() => p99) });
  const levels = [level(0, 2, 0.2, 'fails'), level(1, 3, 0.05, 'meets')];

  test('replicas: every Deployment summed, mean over replications; p99 the mean in ms; windows of the shortest run', () => {
    const base = input('sweep', [
      { name: 'a', runs: [run('s', ts(2), [])] },
      // Answer: two replications, 3 and 5 web pods (plus api), p99 20 and 40 ms; the second is a window longer.
      { name: 'b', runs: [run('s', withP99(ts(3), 0.02), []), run('s', withP99(ts(5, 5), 0.04), [])] },
    ]);
    const d = planTimeData({ ...base, plan: plan(levels, 1, 0) })!;
    const answer = d.rows.filter((r) => r.series === 'replicas=3 (answer)');
    expect(answer.map((r) => [r.time, r.replicas, r.p99])).toEqual([
      [0, 5, 30],
      [1, 5, 30],
      [2, 6, 30],
      [3, 6, 30],
    ]);
    expect(d.rows.filter((r) => r.series === 'replicas=2 (fails)').map((r) => r.replicas)).toEqual([3, 3, 4, 4]);
    expect(d.search).toBe('load=1k/s');
  });

  test('a window where nothing completed has no p99; several fixed parameters are comma-joined', () => {
    const t = ts(2, 2);
    const base = input('sweep', [{ name: 'a', runs: [run('s', { ...t, p99: [null, 0.01] }, [])] }]);
    const p = plan([level(0, 2, 0.05, 'meets'), level(1, 3, 0.05, 'meets')], 0, 1);
    const d = planTimeData({ ...base, plan: { ...p, answers: [{ ...p.answers[0]!, fixed: { load: '1k/s', zone: 'a' } }] } })!;
    expect(d.rows.map((r) => r.p99)).toEqual([null, 10]);
    expect(d.search).toBe('load=1k/s, zone=a');
  });

  test('a Deployment whose line is shorter counts 0 past its end', () => {
    const short = { ...ts(2, 3), replicas: [{ name: 'shop/web', values: [2, 2, 2] }, { name: 'shop/api', values: [1] }] };
    const base = input('sweep', [{ name: 'a', runs: [run('s', short, [])] }]);
    const d = planTimeData({ ...base, plan: plan([level(0, 2, 0.05, 'meets'), level(1, 3, 0.05, 'meets')], 0, 1) })!;
    expect(d.rows.map((r) => r.replicas)).toEqual([3, 2, 2]);
    // The level below (point p1) is not among the points: only the answer's series.
    expect(d.series).toEqual(['replicas=2 (answer)']);
  });

  test('the first search with an answer; no level below, one series; no p99 term, no bound; one search, no name', () => {
    const base = input('sweep', [{ name: 'a', runs: [run('s', ts(2), [])] }]);
    const p = plan(levels, 0, 1);
    const undecided = { ...p.answers[0]!, answer: null };
    const only = { ...p.answers[0]!, below: null, fixed: {} };
    const search = { ...p.search, objective: p.search.objective.filter((t) => t.metric !== 'latency.p99') };
    const d = planTimeData({ ...base, plan: { ...p, search, answers: [undecided, only] } })!;
    expect(d.series).toEqual(['replicas=2 (answer)']);
    expect(d.bound).toBeNull();
    expect(d.search).toBeNull();
  });

  test('a grid (no searched parameter): the series are named by the point’s parameters', () => {
    const base = input('sweep', [
      { name: 'a', runs: [run('s', ts(2), [])] },
      { name: 'b', runs: [run('s', ts(3), [])] },
    ]);
    const p = plan(levels, 1, 0);
    const d = planTimeData({ ...base, plan: { ...p, search: { ...p.search, parameter: null } } })!;
    expect(d.series).toEqual(['load=1k/s, replicas=3 (answer)', 'load=1k/s, replicas=2 (fails)']);
  });

  test('no plan, no answer, or no point with replicas over time: nothing', () => {
    const base = input('sweep', [{ name: 'a', runs: [run('s', ts(2), [])] }]);
    expect(planTimeData(base)).toBeNull();
    const p = plan(levels, 0, 1);
    expect(planTimeData({ ...base, plan: { ...p, answers: [{ ...p.answers[0]!, answer: null }] } })).toBeNull();
    expect(planTimeData({ ...base, plan: { ...p, answers: [] } })).toBeNull();
    // A run without a time series and one whose series has an empty replicas list.
    const none = input('sweep', [{ name: 'a', runs: [run('s', undefined, []), run('s', { ...ts(2), replicas: [] }, [])] }]);
    expect(planTimeData({ ...none, plan: p })).toBeNull();
  });

  test('planData: the plan chart’s data when the input has a plan, else null', () => {
    const base = input('sweep', [{ name: 'a', runs: [run('s', ts(2), [])] }]);
    const p = plan(LEVELS, 2, 1);
    expect(planData({ ...base, plan: p })).toEqual(planChartData(p));
    expect(planData(base)).toBeNull();
  });
});

describe('the plan chart’s bound', () => {
  test('drawn in a colour of its own, named in the legend', async () => {
    // Loaded afresh: the colour is set when the module loads (see chart-data-identity.test.ts).
    vi.resetModules();
    const { planChart: fresh } = await import('../../src/report/charts/plan-chart.js');
    const c = fresh(planChartData(plan(LEVELS, 2, 1)));
    if (!isChart(c)) expect.fail('expected a chart');
    expect(c.legend.find((l) => l.label === 'the bound')?.colour).toMatch(/^#[0-9a-f]{6}$/);
  });
});

