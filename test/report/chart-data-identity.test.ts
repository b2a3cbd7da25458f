/**
 * The chart modules' tables: each chart's id and title, the drop reasons and their colours, the stages and
 * their labels, the state-lane kinds, the tail panel's percentile ticks, the percentiles' quantiles.
 *
 * Each test loads the chart module afresh (`vi.resetModules()` and a dynamic import) instead of importing
 * it at the top: a table is built when its module loads, and Stryker's vitest runner switches a mutant on
 * only after the test file's own imports have run (stryker-js#6144), so a table read from a top-level
 * import would never show the mutant. Loaded inside the test, the module is built with it.
 *
 * Ids: docs/reports.md documents every chart under a heading `### Title (`id`)`; the ids are read from it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test, vi } from 'vitest';
import { LatencyHistogram } from '../../src/engine/stats/latency-histogram.js';
import { DROP_REASONS as MODEL_DROP_REASONS } from '../../src/model/routing.js';
import { isChart } from '../../src/report/charts/chart.js';
import { layoutOf } from '../../src/report/data/layout.js';
import type { ReportInput, RunSample, TimeSeries } from '../../src/report/inputs.js';
import { input, run } from './timeline-fixtures.js';

/** `### Latency distribution (`latency-cdf`)` → id → heading title. */
function documented(): Map<string, string> {
  const text = readFileSync(new URL('../../docs/reports.md', import.meta.url), 'utf8');
  return new Map([...text.matchAll(/^### (.+) \(`([a-z-]+)`\)$/gm)].map((m) => [m[2]!, m[1]!]));
}

async function fresh<T>(load: () => Promise<T>): Promise<T> {
  vi.resetModules();
  return load();
}

const COLOUR = /^#[0-9a-f]{6}$/;
const layout = () => layoutOf(input('run', [{ name: 'x', runs: [run('x', undefined, undefined)] }]));

describe('chart ids and titles', () => {
  test('each chart’s outcome carries its id, one docs/reports.md documents, and its title', async () => {
    const cdf = await fresh(() => import('../../src/report/charts/latency-cdf.js'));
    const pct = await fresh(() => import('../../src/report/charts/percentiles-load.js'));
    const load = await fresh(() => import('../../src/report/charts/load-distribution.js'));
    const stage = await fresh(() => import('../../src/report/charts/stage-breakdown.js'));
    const path = await fresh(() => import('../../src/report/charts/path-latency.js'));
    const over = await fresh(() => import('../../src/report/charts/over-time.js'));
    const cmp = await fresh(() => import('../../src/report/charts/comparison.js'));
    const plan = await fresh(() => import('../../src/report/charts/plan-chart.js'));
    const planTime = await fresh(() => import('../../src/report/charts/plan-over-time.js'));
    const outcomes = [
      cdf.latencyCdfChart({ rows: [], summaries: [], situation: '' }, layout()),
      pct.percentilesLoadChart({ rows: [], drops: [], level: 0.95, loadSource: 'parameter', loads: [] }, layout()),
      load.loadDistributionChart({ rows: [], even: [], configurations: [], excludedPods: 0, situation: '' }),
      stage.stageBreakdownChart({ rows: [], totals: [], stages: [], configurations: [], missing: ['x'], situation: '' }),
      path.pathLatencyChart({ rows: [], configurations: [], dropped: new Map(), situation: '' }),
      over.overTimeChart({ rows: [], warmupEnds: [], timeline: null }, layout()),
      cmp.comparisonChart({ rows: [], metrics: [], level: 0.95 }, { kind: 'run' }),
      plan.planChart(null),
      planTime.planTimeChart(null),
    ];
    expect(outcomes.map((o) => [o.id, o.title])).toEqual([
      ['latency-cdf', 'Latency distribution'],
      ['percentiles-vs-load', 'Latency percentiles and drops against offered load'],
      ['load-distribution', 'Load distribution over pods and nodes'],
      ['stage-breakdown', 'Where the time goes: mean latency by stage'],
      ['path-latency', 'Latency by path: local, second hop, cross zone'],
      ['over-time', 'Over time: throughput and p99 per window'],
      ['comparison', 'Paired comparison of configurations'],
      ['plan', 'Plan: the objective against the searched parameter'],
      ['plan-over-time', 'Plan over time: p99 and replicas of the answer and the level below'],
    ]);
    const ids = documented();
    expect(ids.size).toBe(10);
    // The titles begin as docs/reports.md's headings do.
    for (const o of outcomes) expect(o.title.startsWith(ids.get(o.id)!), o.id).toBe(true);
    expect([cdf.LATENCY_CDF_ID, pct.PERCENTILES_LOAD_ID, load.LOAD_DISTRIBUTION_ID, stage.STAGE_BREAKDOWN_ID, path.PATH_LATENCY_ID, over.OVER_TIME_ID, cmp.COMPARISON_ID, plan.PLAN_ID, planTime.PLAN_TIME_ID]).toEqual(outcomes.map((o) => o.id));
  });

  test('the Events table: id `events`, title `Events`', async () => {
    const { aggregate, eventsTable, EVENTS_ID } = await fresh(() => import('../../src/report/charts/events-table.js'));
    const row = aggregate('c', 1, [{ kind: 'k', target: 't', at: 1, end: 2, duration: 1, lastedAtLeast: null, requestsLost: 0, reasons: [], longestGap: 0, recovery: null, recoveryState: 'never', notes: [] }], 0.95);
    const section = eventsTable({ rows: [row], kind: 'run', level: 0.95, configurations: ['c'], firstOnly: [], situation: '' })!;
    expect([section.id, section.title, EVENTS_ID]).toEqual(['events', 'Events', 'events']);
    expect(documented().get('events')).toBe('Events');
  });
});

describe('the Events table’s CSV', () => {
  test('a figure that is missing is null, one that is there is rounded', async () => {
    const { aggregate, eventsTable } = await fresh(() => import('../../src/report/charts/events-table.js'));
    const row = aggregate('c', 1, [{ kind: 'k', target: 't', at: 1 / 3, end: null, duration: null, lastedAtLeast: 2, requestsLost: 0, reasons: [], longestGap: 0, recovery: 1 / 7, recoveryState: 'recovered', notes: [] }], 0.95);
    const data = eventsTable({ rows: [row], kind: 'run', level: 0.95, configurations: ['c'], firstOnly: [], situation: '' })!.data;
    const at = (name: string) => data.rows[0]![data.header.indexOf(name)];
    expect([at('at_s'), at('end_s'), at('duration_s'), at('recovery_s')]).toEqual([0.333333, null, null, 0.142857]);
  });
});

describe('drop reasons', () => {
  test('every reason the model can give, each with its own colour; unknown reasons cycle through five others', async () => {
    const { DROP_REASONS, reasonColour, UNSPLIT } = await fresh(() => import('../../src/report/charts/timeline-data.js'));
    expect(DROP_REASONS.map((r) => r.reason).sort()).toEqual(Object.values(MODEL_DROP_REASONS).sort());
    const colours = DROP_REASONS.map((r) => reasonColour(r.reason));
    for (const c of colours) expect(c).toMatch(COLOUR);
    expect(new Set(colours).size).toBe(DROP_REASONS.length);
    const others = [0, 1, 2, 3, 4].map((i) => reasonColour('not-a-reason', i));
    for (const c of others) expect(c).toMatch(COLOUR);
    expect(new Set([...colours, ...others]).size).toBe(DROP_REASONS.length + 5);
    expect(reasonColour('not-a-reason', 5)).toBe(others[0]);
    // docs/reports.md: drops no reason accounts for are grey, "not split by reason".
    expect(UNSPLIT).toBe('not split by reason');
    expect(readFileSync(new URL('../../docs/reports.md', import.meta.url), 'utf8')).toContain(`"${UNSPLIT}"`);
  });

  test('stacked from the bottom in a fixed order: pods killed and gone first, then refused, then node down', async () => {
    const { dropRows } = await fresh(() => import('../../src/report/charts/timeline-data.js'));
    const reasons = ['timeout', 'node-down', 'connection-refused', 'pod-gone', 'pod-killed'];
    const ts = { window: 1, start: [0], completed: [0], p99: [null], dropped: [5], droppedByReason: Object.fromEntries(reasons.map((r) => [r, [1]])) } as unknown as TimeSeries;
    expect(dropRows('c', [ts]).map((r) => r.reason)).toEqual(['pod-killed', 'pod-gone', 'connection-refused', 'node-down', 'timeout']);
  });
});

describe('state lanes', () => {
  test('kinds: ready endpoints, healthy targets, replicas drawn (in that order); node endpoints to the CSV only', async () => {
    const { DRAWN_LANES, drawnLanes, laneRows } = await fresh(() => import('../../src/report/charts/timeline-data.js'));
    expect(DRAWN_LANES).toEqual(['ready endpoints', 'healthy targets', 'replicas']);
    const line = (name: string) => [{ name, values: [1] }];
    const ts = { window: 1, start: [0], completed: [0], p99: [null], replicas: line('d'), nodeEndpoints: line('n'), healthyTargets: line('lb'), readyEndpoints: line('s') } as unknown as TimeSeries;
    expect(drawnLanes(ts)).toEqual({ drawn: ['ready endpoints: s', 'healthy targets: lb', 'replicas: d'], omitted: [] });
    expect(laneRows('c', ts).map((r) => [r.kind, r.name])).toEqual([
      ['ready endpoints', 's'],
      ['healthy targets', 'lb'],
      ['replicas', 'd'],
      ['node endpoints', 'n'],
    ]);
  });
});

describe('stages', () => {
  test('every stage of latencyByStage once, in the order a request meets them, with docs/reports.md’s names', async () => {
    const { STAGES } = await fresh(() => import('../../src/report/charts/stage-breakdown.js'));
    expect(STAGES.map((s) => s.key)).toEqual(['dns', 'retries', 'network', 'proxy', 'ingressQueue', 'ingressProcessing', 'podQueue', 'podService', 'external']);
    expect(STAGES.map((s) => s.label)).toEqual(['DNS lookup', 'earlier attempts (retries)', 'network (links)', 'LB, kube-proxy, forwarding', 'ingress queue', 'ingress processing', 'pod queue', 'pod service', 'external host']);
    for (const s of STAGES) expect(s.colour).toMatch(COLOUR);
    expect(new Set(STAGES.map((s) => s.colour)).size).toBe(STAGES.length);
  });
});

describe('percentiles', () => {
  test('p50, p90 and p99 are the quantiles 0.5, 0.9 and 0.99: the drop share that puts each out of reach', async () => {
    const { PERCENTILES, percentileOf } = await fresh(() => import('../../src/report/charts/percentiles-load.js'));
    expect(PERCENTILES).toEqual(['p50', 'p90', 'p99']);
    const at = (dropFraction: number, p: 'p50' | 'p90' | 'p99') => percentileOf({ replication: 0, seed: 1, result: null, metrics: { dropFraction, [`latency.${p}`]: 1 } }, p);
    expect([at(0.5, 'p50'), at(0.51, 'p50'), at(0.1, 'p90'), at(0.11, 'p90'), at(0.01, 'p99'), at(0.011, 'p99')]).toEqual([1, Infinity, 1, Infinity, 1, Infinity]);
    // From a full result: 100 completed, 1 dropped: p99 is rank 100 of 101, reached; p99 with 2 dropped is not.
    const full = (dropped: number): RunSample => {
      const base = run('s', undefined, undefined);
      const h = new LatencyHistogram();
      h.recordN(0.002, 100);
      const measured = { ...base.accounting.measured, droppedTotal: dropped, inFlight: 0 };
      return { replication: 0, seed: 1, metrics: {}, result: { ...base, accounting: { ...base.accounting, measured }, latency: { ...base.latency, count: 100, histogram: h.toJSON() } } };
    };
    expect(percentileOf(full(1), 'p99')!).toBeCloseTo(0.002, 4);
    expect(percentileOf(full(2), 'p99')).toBe(Infinity);
  });
});

describe('the tail panel’s percentile ticks', () => {
  test('p50 at −log10(0.5), then p90, p99, ... one per nine, to p99.99999', async () => {
    const { latencyCdfChart, latencyCdfData } = await fresh(() => import('../../src/report/charts/latency-cdf.js'));
    const h = new LatencyHistogram();
    h.recordN(0.001, 9_999_999);
    h.record(1);
    const base = run('s', undefined, undefined);
    const i: ReportInput = input('run', [{ name: 'x', runs: [{ ...base, latency: { ...base.latency, count: h.count, histogram: h.toJSON() } }] }]);
    const chart = latencyCdfChart(latencyCdfData(i), layoutOf(i));
    if (!isChart(chart)) throw new Error(chart.reason);
    const y = chart.panels[1]!.plot.y as { ticks: number[]; tickFormat: (v: number) => string; domain: number[] };
    expect(y.ticks.map(y.tickFormat)).toEqual(['p50', 'p90', 'p99', 'p99.9', 'p99.99', 'p99.999', 'p99.9999', 'p99.99999']);
    expect(y.ticks[0]).toBeCloseTo(0.30103, 5);
    expect(y.ticks.slice(1)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(y.domain).toEqual([0, 7]);
  });
});

describe('colours in the legends', () => {
  const valid = (colours: readonly (string | undefined)[]) => {
    for (const c of colours) expect(c).toMatch(COLOUR);
    expect(new Set(colours).size).toBe(colours.length);
  };
  const legendOf = (o: { legend?: readonly { label: string; colour?: string }[] } | object) => ('legend' in o ? (o.legend ?? []) : []);

  test('comparison: a real difference and no clear difference in two colours', async () => {
    const { comparisonChart } = await fresh(() => import('../../src/report/charts/comparison.js'));
    const row = { metric: 'm', unit: 'ms', metricUnit: 's', factor: 'f', comparison: 'f: b − a', context: '', label: 'f: b − a', fromConfiguration: 'a', toConfiguration: 'b', mean: 4, lower: 1, upper: 7, n: 5, significant: true };
    const legend = legendOf(comparisonChart({ rows: [row], metrics: ['m'], level: 0.95 }, { kind: 'sweep' }));
    expect(legend.map((l) => l.label)).toEqual(['95\u00a0% CI excludes 0 (a real difference)', 'CI includes 0 (no clear difference)']);
    valid(legend.map((l) => l.colour));
  });

  test('latency by path: p50, p90, p99 and the mean in four colours', async () => {
    const { pathLatencyChart } = await fresh(() => import('../../src/report/charts/path-latency.js'));
    const row = { configuration: 'c', path: 'local', requests: 10, share: 1, p50: 1, p90: 2, p99: 3, mean: 1.5 };
    const legend = legendOf(pathLatencyChart({ rows: [row], configurations: ['c'], dropped: new Map(), situation: '' }));
    expect(legend.map((l) => l.label)).toEqual(['p50', 'p90', 'p99', 'mean']);
    valid(legend.map((l) => l.colour));
  });

  test('percentiles: the ring of points with drops; “not reached” above the axis', async () => {
    const { percentilesLoadChart } = await fresh(() => import('../../src/report/charts/percentiles-load.js'));
    const row = (percentile: 'p50' | 'p90' | 'p99', load: number, mean: number | null, unreached: number, dropped: number) => ({ configuration: 'c', percentile, load, measured: load, mean, lower: mean, upper: mean, n: mean === null ? 0 : 1, unreached, dropped });
    const rows = [row('p50', 100, 1, 0, 0), row('p90', 100, 2, 0, 0), row('p99', 100, 3, 0, 0), row('p50', 200, 2, 0, 0.05), row('p90', 200, 4, 0, 0.05), row('p99', 200, null, 1, 0.05)];
    const chart = percentilesLoadChart({ rows, drops: [], level: 0.95, loadSource: 'parameter', loads: [100, 200] }, layout());
    if (!isChart(chart)) throw new Error(chart.reason);
    const ring = chart.legend.find((l) => l.label === 'requests dropped at this point');
    expect(ring?.colour).toMatch(COLOUR);
    const y = chart.panels[0]!.plot.y as { ticks: number[]; tickFormat: (v: number) => string };
    expect(y.ticks.map(y.tickFormat)).toContain('not reached');
  });

  test('plans: the bound in a colour of its own', async () => {
    const { planTimeChart } = await fresh(() => import('../../src/report/charts/plan-over-time.js'));
    const legend = legendOf(planTimeChart({ rows: [{ series: 's (answer)', time: 0, p99: 10, replicas: 2 }], series: ['s (answer)'], bound: 100, search: null }));
    expect(legend.find((l) => l.label === 'the p99 bound')?.colour).toMatch(COLOUR);
  });

  test('load distribution: a colour per zone, eight before they repeat', async () => {
    const { loadDistributionChart } = await fresh(() => import('../../src/report/charts/load-distribution.js'));
    const zones = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    const rows = zones.map((zone, i) => ({ configuration: 'x', kind: 'node' as const, name: `n${i}`, zone, group: '', requests: 1, share: 1 / 9, even: 1 / 9, pods: 1, entryRequests: 1 }));
    const chart = loadDistributionChart({ rows, even: [], configurations: ['x'], excludedPods: 0, situation: '' });
    if (!isChart(chart)) throw new Error(chart.reason);
    const color = chart.panels.map((p) => p.plot.color as { domain?: string[]; range?: string[] } | undefined).find((c) => c?.range)!;
    expect(color.domain).toEqual(zones);
    valid(color.range!.slice(0, 8));
    expect(color.range![8]).toBe(color.range![0]);
  });
});

