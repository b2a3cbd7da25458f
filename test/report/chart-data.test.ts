/**
 * The charts' data transforms, on results made by the real pipeline: quantiles and CDFs from histograms,
 * thinning, even shares, paired differences, log ticks.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LatencyHistogram } from '../../src/engine/stats/latency-histogram.js';
import { latencyWithDrops } from '../../src/experiment/metrics.js';
import { comparisonData, displayUnit } from '../../src/report/charts/comparison.js';
import { LATENCY_CDF_ID, latencyCdfChart, latencyCdfData, MAX_POINTS_PER_SERIES, seriesRows } from '../../src/report/charts/latency-cdf.js';
import { evenNodeShares, guessedServingPods, loadDistributionChart, loadDistributionData, servingPods } from '../../src/report/charts/load-distribution.js';
import { overTimeChart, overTimeData } from '../../src/report/charts/over-time.js';
import { pathLatencyData } from '../../src/report/charts/path-latency.js';
import { percentilesLoadChart, percentilesLoadData } from '../../src/report/charts/percentiles-load.js';
import { STAGE_BREAKDOWN_ID, stageBreakdownChart, stageBreakdownData } from '../../src/report/charts/stage-breakdown.js';
import { isChart } from '../../src/report/charts/chart.js';
import { ecdf, quantiles } from '../../src/report/data/histogram.js';
import { ceil125, floor125, logAxis, logTicks } from '../../src/report/data/log-scale.js';
import { mergedHistogram, replicationInterval } from '../../src/report/data/runs.js';
import { thin, thinIndices } from '../../src/report/data/thin.js';
import type { ReportInput, RunView } from '../../src/report/inputs.js';
import { loadReportInput } from '../../src/report/load-input.js';
import { storyOf } from '../../src/report/story.js';
import { configurationFactors, DASHES, layoutLegend, layoutOf } from '../../src/report/data/layout.js';
import { PALETTE } from '../../src/report/render/theme.js';
import { LOCAL, SHORT, tempDir, UNEVEN, writeRun, writeSweep } from './fixtures.js';

let tmp: { dir: string; cleanup: () => void };
let runs: ReportInput;
let single: ReportInput;
let clusterip: ReportInput;
let ingress: ReportInput;
let sweep: ReportInput;
let uneven: ReportInput;
let dropping: ReportInput;

beforeAll(async () => {
  tmp = tempDir();
  writeRun(`${tmp.dir}/runs/cluster`, 'production-3zones.yaml', SHORT);
  writeRun(`${tmp.dir}/runs/local`, 'production-3zones.yaml', [...SHORT, LOCAL]);
  writeRun(`${tmp.dir}/clusterip`, 'clusterip-web.yaml', ['Simulation.spec.duration=5s']);
  writeRun(`${tmp.dir}/ingress`, 'ingress-paths.yaml', ['Simulation.spec.duration=5s']);
  runs = loadReportInput(`${tmp.dir}/runs`);
  ingress = loadReportInput(`${tmp.dir}/ingress`);
  single = loadReportInput(`${tmp.dir}/runs/cluster`);
  clusterip = loadReportInput(`${tmp.dir}/clusterip`);
  sweep = loadReportInput(await writeSweep(`${tmp.dir}/sweep`));
  const unevenSet = ['Simulation.spec.duration=3s', 'Simulation.spec.warmup=1s'];
  writeRun(`${tmp.dir}/uneven/cluster`, UNEVEN, unevenSet);
  writeRun(`${tmp.dir}/uneven/local`, UNEVEN, [...unevenSet, 'Service/web.spec.externalTrafficPolicy=Local']);
  uneven = loadReportInput(`${tmp.dir}/uneven`);
  // At 3k/s under Local the lone pod on node-2 gets 1.5k/s and serves about 1k/s: about 16 % dropped.
  writeRun(`${tmp.dir}/dropping/local-3k`, UNEVEN, [...unevenSet, 'Service/web.spec.externalTrafficPolicy=Local', 'Workload.spec.clients[0].rate=3k/s']);
  dropping = loadReportInput(`${tmp.dir}/dropping`);
});

afterAll(() => tmp.cleanup());

describe('inputs', () => {
  test('a run directory is one configuration named after its scenario', () => {
    expect(single.kind).toBe('run');
    expect(single.configurations).toEqual(['production-3zones']);
    expect(single.provenance.seeds).toEqual([42]);
    expect(single.provenance.overrides).toEqual(SHORT);
    expect(single.provenance.confidenceLevel).toBeNull();
  });

  test('a directory of run directories: one configuration per subdirectory', () => {
    expect(runs.configurations).toEqual(['cluster', 'local']);
    expect(runs.points.map((p) => p.runs.length)).toEqual([1, 1]);
  });

  test('a sweep: configurations without the load parameter, replications per point, level from the plan', () => {
    expect(sweep.kind).toBe('sweep');
    expect(sweep.loadParameter).toBe('load');
    expect(sweep.configurations).toEqual(['policy=Cluster', 'policy=Local']);
    expect(sweep.points).toHaveLength(6);
    expect(sweep.points.every((p) => p.runs.length === 3 && p.runs.every((r) => r.result !== null))).toBe(true);
    expect(sweep.provenance.replications).toBe(3);
    expect(sweep.provenance.confidenceLevel).toBe(0.95);
    expect(sweep.provenance.seeds).toHaveLength(3);
    // Differences between configurations only (none along the load), one per load level and metric.
    expect(sweep.differences.every((d) => d.factor === 'policy' && d.from === 'Cluster' && d.to === 'Local')).toBe(true);
    expect(sweep.differences).toHaveLength(3 * 4);
  });
});

describe('latency distribution', () => {
  test('the CDF of every series ends at exactly 1 and never decreases', () => {
    const data = latencyCdfData(runs);
    expect(data.summaries.map((s) => s.configuration)).toEqual(['cluster', 'local']);
    for (const configuration of ['cluster', 'local']) {
      const series = data.rows.filter((r) => r.configuration === configuration);
      expect(series.length).toBeGreaterThan(10);
      expect(series[0]!.cumulative).toBe(0);
      expect(series[series.length - 1]!.cumulative).toBe(1);
      for (let i = 1; i < series.length; i++) {
        expect(series[i]!.cumulative).toBeGreaterThanOrEqual(series[i - 1]!.cumulative);
        expect(series[i]!.latency).toBeGreaterThanOrEqual(series[i - 1]!.latency);
      }
    }
  });

  test('pooled replications: each configuration of a sweep still ends at exactly 1', () => {
    const data = latencyCdfData(sweep);
    expect(data.summaries).toHaveLength(2);
    for (const s of data.summaries) {
      const series = data.rows.filter((r) => r.configuration === s.configuration);
      expect(series[series.length - 1]!.cumulative).toBe(1);
      expect(s.runs).toBe(3);
    }
  });

  test('the CDF spans the exact min and max, and its first point is at 0', () => {
    const r = single.points[0]!.runs[0]!.result!;
    const points = ecdf(r.latency.histogram);
    expect(points[0]).toEqual({ latency: r.latency.min, cumulative: 0 });
    expect(points[points.length - 1]).toEqual({ latency: r.latency.max, cumulative: 1 });
  });

  test('quantiles from the stored histogram are the ones result.json reports', () => {
    const r = single.points[0]!.runs[0]!.result!;
    const h = LatencyHistogram.fromJSON(r.latency.histogram);
    expect(quantiles(h, [0.5, 0.9, 0.99, 0.999])).toEqual([r.latency.p50, r.latency.p90, r.latency.p99, r.latency.p999]);
    const data = latencyCdfData(single);
    expect(data.summaries[0]!.quantiles.slice(0, 4)).toEqual([r.latency.p50, r.latency.p90, r.latency.p99, r.latency.p999]);
    expect(data.summaries[0]!.requests).toBe(r.latency.count);
  });

  test('the CDF at a quantile is at least that quantile (bucket edges bound the midpoints)', () => {
    const r = single.points[0]!.runs[0]!.result!;
    const points = ecdf(r.latency.histogram);
    for (const [q, v] of [
      [0.5, r.latency.p50!],
      [0.99, r.latency.p99!],
    ] as const) {
      const at = points.filter((p) => p.latency <= v * (1 + 1 / 256)).pop()!;
      expect(at.cumulative).toBeGreaterThanOrEqual(q - 0.01);
    }
  });

  test('merging replications adds the counts', () => {
    const point = sweep.points[0]!;
    const merged = mergedHistogram(point.runs.map((r) => r.result!.latency.histogram))!;
    expect(merged.count).toBe(point.runs.reduce((s, r) => s + r.result!.latency.count, 0));
  });

  test('dense series are thinned to the cap, keeping both ends and the whole tail when it fits', () => {
    const r = sweep.points[5]!.runs[0]!.result!;
    const h = LatencyHistogram.fromJSON(r.latency.histogram);
    const full = ecdf(h);
    expect(full.length).toBeGreaterThan(60);
    const thinned = seriesRows('x', h, 60);
    expect(thinned.length).toBeLessThanOrEqual(60);
    expect(thinned[0]!.cumulative).toBe(0);
    expect(thinned[thinned.length - 1]!.cumulative).toBe(1);
    const tailFull = full.filter((p) => 1 - p.cumulative <= 0.1 && p.cumulative < 1).length;
    const tailKept = thinned.filter((p) => p.exceedance <= 0.1 && p.cumulative < 1).length;
    // The tail gets the budget left after the endpoints and the third reserved for the body.
    expect(tailKept).toBe(Math.min(tailFull, 60 - 2 - 20));
    // The body is drawn too: every decile of the distribution has a point near it.
    for (const q of [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]) {
      expect(thinned.some((p) => Math.abs(p.cumulative - q) < 0.1), `a point near the ${q} quantile`).toBe(true);
    }
    expect(latencyCdfData(sweep).rows.filter((row) => row.configuration === 'policy=Local').length).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
  });

  test('a run with drops: the CDF ends at the completed share, percentiles in the dropped share are not reached', () => {
    const run = dropping.points[0]!.runs[0]!.result!;
    const m = run.accounting.measured;
    expect(m.droppedTotal).toBeGreaterThan(0.05 * m.generated);
    const data = latencyCdfData(dropping);
    const rows = data.rows;
    const completedShare = run.latency.count / (run.latency.count + m.droppedTotal + m.inFlight);
    expect(rows[rows.length - 1]!.cumulative).toBe(completedShare);
    expect(rows[rows.length - 1]!.cumulative).toBeLessThan(0.95);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.cumulative).toBeGreaterThanOrEqual(rows[i - 1]!.cumulative);
    const s = data.summaries[0]!;
    expect(s.dropped).toBe(m.droppedTotal + m.inFlight);
    expect(s.completedShare).toBe(completedShare);
    // p50 is reached (finite, equal to latencyWithDrops); p90 and above fall among the dropped requests.
    expect(s.quantiles[0]).toBe(latencyWithDrops(run, 0.5));
    expect(Number.isFinite(s.quantiles[0]!)).toBe(true);
    expect(s.quantiles.slice(1)).toEqual([Infinity, Infinity, Infinity, Infinity]);
    // The completed-only quantiles (result.json's) are still there for the CSV, and finite.
    expect(s.completedQuantiles[2]).toBe(run.latency.p99);
    const chart = latencyCdfChart(data, layoutOf(dropping));
    if (!isChart(chart)) expect.fail(chart.reason);
    expect(chart.table!.header).toEqual(['configuration', 'requests', 'dropped', 'p50', 'p90', 'p99', 'p99.9', 'p99.99', 'max completed']);
    expect(chart.table!.rows[0]!.slice(3)).toEqual([expect.stringMatching(/ms$/), 'not reached', 'not reached', 'not reached', 'not reached', expect.stringMatching(/ms$/)]);
    expect(chart.table!.rows[0]![2]).toMatch(/^1\d(\.\d+)?\u00a0%$/);
    expect(chart.notes.join(' ')).toMatch(/Dropped requests never finished: local-3k 1\d(\.\d+)?\u00a0%/);
    expect(chart.legend.map((l) => l.label)).toContain('percentile not reached');
  });

  test('the story of a run with drops says so first, and never gives a finite p99 among the drops', () => {
    expect(storyOf(dropping)[0]).toMatch(/^The run loses 1\d(\.\d+)?\u00a0% of requests; its p99 is not reached/);
    expect(storyOf(runs).join(' ')).toMatch(/^No configuration drops requests\./);
  });

  test('no completed request: the chart is skipped with a reason', () => {
    const outcome = latencyCdfChart({ rows: [], summaries: [], situation: '' }, layoutOf(runs));
    expect(isChart(outcome)).toBe(false);
    expect(outcome.id).toBe(LATENCY_CDF_ID);
  });
});

describe('thinning', () => {
  test('short series are kept whole', () => {
    expect(thinIndices(5, 10)).toEqual([0, 1, 2, 3, 4]);
  });

  test('at most max points, first and last always, essential points first', () => {
    const n = 1000;
    const keep = thinIndices(n, 50, (i) => i >= 980);
    expect(keep.length).toBe(50);
    expect(keep[0]).toBe(0);
    expect(keep[keep.length - 1]).toBe(n - 1);
    for (let i = 980; i < n - 1; i++) expect(keep).toContain(i);
    expect([...keep].sort((a, b) => a - b)).toEqual(keep);
  });

  test('too many essential points: they are sampled evenly, the last of them kept, a third left for the rest', () => {
    const keep = thinIndices(1000, 20, (i) => i >= 500);
    expect(keep.length).toBe(20);
    expect(keep).toContain(998);
    expect(keep.filter((i) => i > 0 && i < 500)).toHaveLength(6);
  });

  test('thin() returns the kept elements in order', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i * 2);
    const t = thin(xs, 10, (x) => x === 150);
    expect(t).toHaveLength(10);
    expect(t[0]).toBe(0);
    expect(t[9]).toBe(198);
    expect(t).toContain(150);
  });

  test('max below 2 is refused', () => {
    expect(() => thinIndices(10, 1)).toThrow(RangeError);
  });
});

describe('load distribution', () => {
  test('a pod’s even share is 1/n; a node’s is pods on the node / pods; shares add up to 1', () => {
    const data = loadDistributionData(runs);
    for (const configuration of ['cluster', 'local']) {
      const pods = data.rows.filter((r) => r.configuration === configuration && r.kind === 'pod');
      const nodes = data.rows.filter((r) => r.configuration === configuration && r.kind === 'node');
      expect(pods).toHaveLength(12);
      expect(nodes).toHaveLength(9);
      const even = data.even.filter((e) => e.configuration === configuration);
      expect(even.find((e) => e.kind === 'pod')).toMatchObject({ n: 12, share: 1 / 12 });
      for (const p of pods) expect(p.even).toBe(1 / 12);
      for (const n of nodes) {
        expect(n.pods).toBe(pods.filter((p) => p.zone === n.zone && runs.points.find((x) => x.configuration === configuration)!.runs[0]!.result!.pods.find((q) => q.pod === p.name)!.node === n.name).length);
        expect(n.even).toBeCloseTo(n.pods! / 12, 6);
      }
      expect(nodes.reduce((s, r) => s + r.even, 0)).toBeCloseTo(1, 6);
      expect(pods.reduce((s, r) => s + r.share, 0)).toBeCloseTo(1, 4);
      expect(nodes.reduce((s, r) => s + r.requests, 0)).toBe(pods.reduce((s, r) => s + r.requests, 0));
    }
  });

  test('uneven placement (3 pods on node-1, 1 on node-2, none on node-3): node even shares 75 %, 25 % and 0, the empty node drawn at 0', () => {
    const data = loadDistributionData(uneven);
    const node = (c: string, n: string) => data.rows.find((r) => r.configuration === c && r.kind === 'node' && r.name === n)!;
    for (const c of ['cluster', 'local']) {
      expect(node(c, 'node-1')).toMatchObject({ pods: 3, even: 0.75 });
      expect(node(c, 'node-2')).toMatchObject({ pods: 1, even: 0.25 });
      expect(node(c, 'node-3')).toMatchObject({ pods: 0, even: 0, share: 0, requests: 0 });
    }
    // Cluster spreads over pods: node-1 serves about 75 %, its even share (balanced, not "imbalanced at 75 % vs 50 %").
    expect(Math.abs(node('cluster', 'node-1').share - 0.75)).toBeLessThan(0.05);
    // Local: the load balancer splits by node, so node-1 serves about half, well under its 75 %.
    expect(Math.abs(node('local', 'node-1').share - 0.5)).toBeLessThan(0.05);
    const chart = loadDistributionChart(data);
    if (!isChart(chart)) expect.fail(chart.reason);
    expect(chart.notes.join(' ')).toContain('Nodes without a serving pod are shown at 0');
    const csv = chart.data.rows.filter((r) => r[0] === 'local' && r[1] === 'node').map((r) => [r[2], r[6], r[7]]);
    expect(csv).toEqual([['node-1', 0.75, 3], ['node-2', 0.25, 1], ['node-3', 0, 0]]);
  });

  test('node even shares with several groups: each group’s pods weighted by the group’s requests', () => {
    const even = evenNodeShares(
      [
        { node: 'a', group: 'ctl' },
        { node: 'b', group: 'ctl' },
        { node: 'a', group: 'app' },
        { node: 'a', group: 'app' },
        { node: 'b', group: 'app' },
        { node: 'c', group: 'app' },
      ],
      [
        { group: 'ctl', requests: 100 },
        { group: 'app', requests: 100 },
      ],
    );
    // a: ctl 1/2 × 1/2 + app 2/4 × 1/2 = 0.5; b: 1/4 + 1/8 = 0.375; c: 1/8.
    expect(even.get('a')).toBeCloseTo(0.5, 12);
    expect(even.get('b')).toBeCloseTo(0.375, 12);
    expect(even.get('c')).toBeCloseTo(0.125, 12);
    expect(even.get('d')).toBeUndefined();
  });

  test('a client pod that serves nothing is not counted in the even share', () => {
    const r = clusterip.points[0]!.runs[0]!.result!;
    const client = r.pods.find((p) => p.pod === 'default/nginx01');
    expect(client?.requests).toBe(0);
    expect(servingPods([r]).has('default/nginx01')).toBe(false);
    const data = loadDistributionData(clusterip);
    expect(data.even.find((e) => e.kind === 'pod')).toMatchObject({ n: 3, share: 1 / 3 });
    expect(data.excludedPods).toBe(1);
  });

  test('the even share counts the pods backing a Service requests went to (pods[].services), reached or not', () => {
    const r = clusterip.points[0]!.runs[0]!.result!;
    const backends = r.pods.filter((p) => p.services.includes('default/web-service')).map((p) => p.pod);
    expect(backends).toHaveLength(3);
    expect(r.pods.find((p) => p.pod === 'default/nginx01')!.services).toEqual([]);
    // A backend that received nothing still counts (its 0 is the imbalance); the client pod does not.
    const idle: RunView = { ...r, pods: r.pods.map((p) => (p.pod === backends[0] ? { ...p, requests: 0, served: 0, share: 0 } : p)) };
    expect([...servingPods([idle])].sort()).toEqual([...backends].sort());
    // A pod of another workload that backs the same Service counts too (the old name-based guess missed it).
    const renamed: RunView = { ...idle, pods: idle.pods.map((p) => (p.pod === backends[0] ? { ...p, pod: 'default/canary-0' } : p)) };
    expect(servingPods([renamed]).has('default/canary-0')).toBe(true);
    expect(guessedServingPods([renamed]).has('default/canary-0')).toBe(false);
  });

  test('behind an Ingress, pods share load within the Service they back: controllers and each backend apart', () => {
    const data = loadDistributionData(ingress);
    const pods = data.rows.filter((r) => r.kind === 'pod');
    const groups = [...new Set(pods.map((r) => r.group))];
    expect(groups).toEqual(['default/app1-service', 'default/app2-service', 'ingress-nginx/ingress-nginx-controller']);
    const even = (g: string) => data.even.find((e) => e.kind === 'pod' && e.group === g);
    expect(even('default/app1-service')).toMatchObject({ n: 4, share: 1 / 4 });
    expect(even('default/app2-service')).toMatchObject({ n: 2, share: 1 / 2 });
    expect(even('ingress-nginx/ingress-nginx-controller')).toMatchObject({ n: 2, share: 1 / 2 });
    for (const g of groups) {
      const rows = pods.filter((r) => r.group === g);
      expect(rows.reduce((s, r) => s + r.share, 0)).toBeCloseTo(1, 4);
      // Round robin over each group: every pod near its group's even share.
      for (const r of rows) expect(Math.abs(r.share - even(g)!.share)).toBeLessThan(0.05);
    }
    // Nodes still count every request their pods served, all tiers together.
    const nodes = data.rows.filter((r) => r.kind === 'node');
    expect(nodes.reduce((s, r) => s + r.requests, 0)).toBe(pods.reduce((s, r) => s + r.requests, 0));
    const chart = loadDistributionChart(data);
    if (!isChart(chart)) expect.fail(chart.reason);
    expect(chart.legend.at(-1)!.label).toBe('even share: pod 1/n of its Service’s pods; node: its pods’ shares');
    expect(chart.description).toContain('4 pods of default/app1-service: 25');
    const csvEven = chart.data.rows.filter((r) => r[1] === 'pod').map((r) => [r[9], r[6]]);
    expect(new Set(csvEven.map((x) => JSON.stringify(x)))).toEqual(
      new Set([JSON.stringify(['default/app1-service', 0.25]), JSON.stringify(['default/app2-service', 0.5]), JSON.stringify(['ingress-nginx/ingress-nginx-controller', 0.5])]),
    );
  });

  test('one group (no Ingress): one even share over all serving pods, drawn as one line', () => {
    const data = loadDistributionData(clusterip);
    expect(data.even.filter((e) => e.kind === 'pod')).toHaveLength(1);
    const chart = loadDistributionChart(data);
    if (!isChart(chart)) expect.fail(chart.reason);
    expect(chart.legend.at(-1)!.label).toBe('even share: pod 1/n; node: pods on it / pods');
  });

  test('results without pods[].services (older files): the name-based guess', () => {
    const r = clusterip.points[0]!.runs[0]!.result!;
    const old = { ...r, pods: r.pods.map(({ services: _services, ...p }) => p) } as unknown as RunView;
    expect(servingPods([old])).toEqual(guessedServingPods([old]));
    expect(servingPods([old]).has('default/nginx01')).toBe(false);
    expect(servingPods([old]).size).toBe(3);
  });
});

describe('stage breakdown', () => {
  test('per configuration, the segments add up to the mean latency; shares to 1', () => {
    const data = stageBreakdownData(runs);
    expect(data.configurations).toEqual(['cluster', 'local']);
    for (const configuration of data.configurations) {
      const rows = data.rows.filter((r) => r.configuration === configuration);
      const run = runs.points.find((p) => p.configuration === configuration)!.runs[0]!.result!;
      const total = data.totals.find((t) => t.configuration === configuration)!.mean;
      expect(total).toBeCloseTo(run.latency.mean! * 1000, 9);
      expect(rows.reduce((s, r) => s + r.ms, 0)).toBeCloseTo(total, 6);
      expect(rows.reduce((s, r) => s + (r.share ?? 0), 0)).toBeCloseTo(1, 9);
      // Each segment is the run's share of the mean latency.
      for (const r of rows) expect(r.ms).toBeCloseTo(run.latencyByStage![r.stage].share! * total, 6);
    }
    const chart = stageBreakdownChart(data);
    expect(isChart(chart)).toBe(true);
    if (!isChart(chart)) return;
    expect(chart.id).toBe(STAGE_BREAKDOWN_ID);
    // The CSV rows add up to the mean too (within rounding to 6 significant digits).
    for (const configuration of data.configurations) {
      const csv = chart.data.rows.filter((r) => r[0] === configuration).reduce((s, r) => s + (r[2] as number), 0);
      expect(csv).toBeCloseTo(data.totals.find((t) => t.configuration === configuration)!.mean, 4);
    }
  });

  test('stages with no time in any configuration are left out of the data, the bars and the legend', () => {
    const data = stageBreakdownData(runs);
    // The L4 example has no DNS, no Ingress, no external host and no retries.
    for (const stage of ['dns', 'retries', 'ingressQueue', 'ingressProcessing', 'external'] as const) {
      expect(data.stages).not.toContain(stage);
      expect(data.rows.some((r) => r.stage === stage)).toBe(false);
    }
    expect(data.stages).toEqual(expect.arrayContaining(['network', 'proxy', 'podService']));
    const chart = stageBreakdownChart(data);
    if (!isChart(chart)) throw new Error('not drawn');
    expect(chart.legend.map((l) => l.label)).not.toContain('DNS lookup');
    expect(chart.legend.map((l) => l.label)).toContain('pod service');
    expect(chart.notes.join(' ')).toMatch(/No time in: DNS lookup/);
  });

  test('a sweep: the busiest point, replications pooled', () => {
    const data = stageBreakdownData(sweep);
    expect(data.configurations).toEqual(sweep.configurations);
    for (const configuration of data.configurations) {
      const rows = data.rows.filter((r) => r.configuration === configuration);
      const total = data.totals.find((t) => t.configuration === configuration)!.mean;
      expect(rows.reduce((s, r) => s + r.ms, 0)).toBeCloseTo(total, 6);
    }
    expect(data.situation).toMatch(/highest load/);
  });

  test('results without latencyByStage (older files): skipped with the reason', () => {
    const old: ReportInput = {
      ...runs,
      points: runs.points.map((p) => ({
        ...p,
        runs: p.runs.map((r) => ({ ...r, result: r.result === null ? null : { ...r.result, latencyByStage: undefined as never } })),
      })),
    };
    const outcome = stageBreakdownChart(stageBreakdownData(old));
    expect(isChart(outcome)).toBe(false);
    expect(!isChart(outcome) && outcome.reason).toMatch(/latencyByStage/);
  });
});

describe('percentiles against load', () => {
  test('a sweep: one row per configuration × load × percentile, loads increasing, bands around the mean', () => {
    const data = percentilesLoadData(sweep);
    expect(data.rows).toHaveLength(2 * 3 * 3);
    // x: the load parameter's values (900/s, 1800/s, 2400/s), so the ticks sit where the points are.
    expect(data.loadSource).toBe('parameter');
    expect(data.loads).toEqual([900, 1800, 2400]);
    for (const configuration of sweep.configurations) {
      const p99 = data.rows.filter((r) => r.configuration === configuration && r.percentile === 'p99');
      expect(p99.map((r) => r.load)).toEqual([...p99.map((r) => r.load)].sort((a, b) => a - b));
      for (const r of p99) {
        expect(r.n + r.unreached).toBe(3);
        if (r.unreached > 0) continue;
        expect(r.lower!).toBeLessThanOrEqual(r.mean!);
        expect(r.upper!).toBeGreaterThanOrEqual(r.mean!);
      }
    }
    // The mean of the three replications' p99, in ms.
    const point = sweep.points.find((p) => p.configuration === 'policy=Cluster')!;
    const expected = (point.runs.reduce((s, r) => s + r.result!.latency.p99!, 0) / 3) * 1000;
    const row = data.rows.find((r) => r.configuration === 'policy=Cluster' && r.percentile === 'p99')!;
    expect(row.mean).toBeCloseTo(expected, 3);
    expect(isChart(percentilesLoadChart(data, layoutOf(sweep)))).toBe(true);
  });

  test('runs at one load each: skipped, saying a sweep over load is needed', () => {
    const outcome = percentilesLoadChart(percentilesLoadData(runs), layoutOf(runs));
    expect(isChart(outcome)).toBe(false);
    expect(!isChart(outcome) && outcome.reason).toMatch(/sweep over load/);
  });

  test('replication intervals: one value has no band, several a t interval', () => {
    expect(replicationInterval([2], 0.95)).toEqual({ mean: 2, lower: 2, upper: 2, n: 1 });
    const ci = replicationInterval([1, 2, 3, null], 0.95)!;
    expect(ci.n).toBe(3);
    expect(ci.mean).toBe(2);
    expect(ci.upper - ci.mean).toBeCloseTo(4.302652729911275 * (1 / Math.sqrt(3)), 9);
    expect(replicationInterval([null], 0.95)).toBeNull();
  });
});

describe('where the time goes', () => {
  test('one row per configuration and path kind; shares of completed requests add up to 1', () => {
    const data = pathLatencyData(runs);
    expect(data.rows).toHaveLength(2 * 3);
    for (const configuration of ['cluster', 'local']) {
      const rows = data.rows.filter((r) => r.configuration === configuration);
      expect(rows.map((r) => r.path)).toEqual(['local', 'second hop', 'cross zone']);
      expect(rows.reduce((s, r) => s + (r.share ?? 0), 0)).toBeCloseTo(1, 4);
    }
    const r = runs.points[0]!.runs[0]!.result!;
    const crossZone = data.rows.find((x) => x.configuration === 'cluster' && x.path === 'cross zone')!;
    expect(crossZone.p99).toBeCloseTo(r.latencyByPath.crossZone.p99! * 1000, 3);
  });
});

describe('over time', () => {
  test('results without a time series (files written before it existed): skipped with the reason', () => {
    const old: ReportInput = {
      ...sweep,
      points: sweep.points.map((p) => ({
        ...p,
        runs: p.runs.map((r) => ({ ...r, result: r.result === null ? null : { ...r.result, timeSeries: undefined as never } })),
      })),
    };
    const outcome = overTimeChart(overTimeData(old), layoutOf(old));
    expect(isChart(outcome)).toBe(false);
    expect(!isChart(outcome) && outcome.reason).toMatch(/time series/);
  });

  test('with a series (attached to a real result): rows per window, thinned, peaks kept', () => {
    const base = single.points[0]!;
    const windows = 1000;
    const start = Array.from({ length: windows }, (_, i) => i * 0.01);
    const completed = start.map(() => 30);
    const p99 = start.map((_, i) => (i === 500 ? 0.5 : 0.02));
    const input: ReportInput = {
      ...single,
      points: [{ ...base, runs: [{ ...base.runs[0]!, result: { ...base.runs[0]!.result!, timeSeries: { window: 0.01, start, completed, p99 } } }] }],
    };
    const data = overTimeData(input, 100);
    expect(data.rows.length).toBeLessThanOrEqual(100);
    expect(data.rows[0]!.time).toBe(0);
    expect(data.rows[data.rows.length - 1]!.time).toBeCloseTo(9.99, 9);
    expect(data.rows.some((r) => r.p99 === 500)).toBe(true);
    expect(data.rows[0]!.throughput).toBe(3000);
    expect(isChart(overTimeChart(data, layoutOf(input)))).toBe(true);
  });
});

describe('comparison', () => {
  test('the sweep’s paired differences in display units (ms, percentage points)', () => {
    const data = comparisonData(sweep);
    expect(data.metrics).toEqual(['latency.p50', 'latency.p99', 'podShare.max', 'paths.crossZoneFraction']);
    const p99 = sweep.differences.find((d) => d.metric === 'latency.p99')!;
    const row = data.rows.find((r) => r.metric === 'latency.p99')!;
    expect(row.unit).toBe('ms');
    expect(row.mean / (p99.mean! * 1000)).toBeCloseTo(1, 5);
    expect(row.comparison).toBe('policy: Local − Cluster');
    expect(row.context).toMatch(/^load=/);
    expect(data.rows.find((r) => r.metric === 'paths.crossZoneFraction')!.unit).toBe('percentage points');
    // externalTrafficPolicy Local keeps LB traffic in its zone: far fewer zone crossings, clearly.
    const crossZone = data.rows.filter((r) => r.metric === 'paths.crossZoneFraction');
    expect(crossZone.every((r) => r.significant && r.upper! < 0)).toBe(true);
  });

  test('units', () => {
    expect(displayUnit('s')).toEqual({ factor: 1000, label: 'ms' });
    expect(displayUnit('fraction')).toEqual({ factor: 100, label: 'percentage points' });
  });

  test('runs have no paired differences', () => {
    expect(comparisonData(runs).rows).toEqual([]);
  });
});

describe('layout: colours, dashes and facets by factor', () => {
  const point = (configuration: string, params: Record<string, string>) => ({
    id: configuration,
    configuration,
    parameters: Object.entries(params).map(([name, value]) => ({ name, value })),
    runs: [],
  });

  test('up to eight configurations: one panel, one colour each', () => {
    const layout = layoutOf(sweep);
    expect(layout.mode).toBe('single');
    expect(layout.facets).toEqual(['']);
    expect(new Set(sweep.configurations.map((c) => layout.style(c).colour)).size).toBe(sweep.configurations.length);
  });

  test('one factor with more than eight levels: eight colours, then the same colours with distinct dashes', () => {
    const configurations = Array.from({ length: 12 }, (_, i) => `replicas=${i + 1}`);
    const layout = layoutOf({ loadParameter: null, configurations, points: configurations.map((c, i) => point(c, { replicas: String(i + 1) })) });
    expect(layout.mode).toBe('single');
    const styles = configurations.map((c) => layout.style(c));
    expect(new Set(styles.map((s) => s.colour)).size).toBe(PALETTE.length);
    expect(PALETTE.length).toBeLessThanOrEqual(8);
    expect(styles.slice(0, 8).every((s) => s.dash === null)).toBe(true);
    expect(styles.slice(8).every((s) => s.dash === DASHES[1])).toBe(true);
    expect(new Set(styles.map((s) => `${s.colour} ${s.dash}`)).size).toBe(12);
    expect(layoutLegend(layout).map((l) => l.mark)).toEqual([...Array<string>(8).fill('line'), ...Array<string>(4).fill('dash')]);
  });

  test('replicas × policy (20 configurations): colour by policy, one facet per replicas level, in plan order', () => {
    const replicas = Array.from({ length: 10 }, (_, i) => String(i + 1));
    const points = replicas.flatMap((r) => ['Cluster', 'Local'].flatMap((etp) => ['1k/s', '3k/s'].map((load) => point(`replicas=${r}, etp=${etp}`, { load, replicas: r, etp }))));
    const configurations = [...new Set(points.map((p) => p.configuration))];
    const input = { loadParameter: 'load', configurations, points };
    expect(configurationFactors(input).map((f) => [f.name, f.levels.length])).toEqual([
      ['replicas', 10],
      ['etp', 2],
    ]);
    const layout = layoutOf(input);
    expect(layout.mode).toBe('factors');
    expect(layout.colourFactor).toBe('etp');
    expect(layout.facetFactors).toEqual(['replicas']);
    expect(layout.facets).toEqual(replicas.map((r) => `replicas=${r}`));
    expect(layout.colourKeys.map((k) => k.label)).toEqual(['etp=Cluster', 'etp=Local']);
    // Every configuration has its own (facet, colour) and all are laid out.
    expect(new Set(configurations.map((c) => `${layout.style(c).facet}|${layout.style(c).colourLabel}`)).size).toBe(20);
    expect([...layout.configurations].sort()).toEqual([...configurations].sort());
    expect(layout.style('replicas=3, etp=Local')).toMatchObject({ facet: 'replicas=3', colourLabel: 'etp=Local', colour: PALETTE[1] });
  });
});

describe('log axes', () => {
  test('1-2-5 bounds and ticks', () => {
    expect(floor125(0.8)).toBe(0.5);
    expect(ceil125(910)).toBe(1000);
    expect(ceil125(2)).toBe(2);
    expect(floor125(20)).toBe(20);
    expect(logTicks(0.5, 1000)).toEqual([0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]);
    expect(logTicks(1e-3, 1e4)).toEqual([1e-3, 1e-2, 0.1, 1, 10, 100, 1000, 1e4]);
    const axis = logAxis(0.8, 910);
    expect(axis.domain).toEqual([Math.log10(0.5), 3]);
    expect(axis.tickFormat(axis.ticks[0]!)).toBe('0.5');
    expect(axis.tickFormat(3)).toBe('1,000');
  });
});
