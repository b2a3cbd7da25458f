/**
 * Percentiles against offered load: one row per configuration × load point × percentile, in load order;
 * a percentile is taken over every measured request (a dropped one never finishes), and one that falls
 * among the dropped requests is "not reached" (+∞), counted apart from the mean. Hand-built runs; the
 * intervals use Student's t with the textbook critical value t(0.975, 1) = 12.7062.
 */
import { describe, expect, test } from 'vitest';
import { LatencyHistogram } from '../../src/engine/stats/latency-histogram.js';
import { isChart } from '../../src/report/charts/chart.js';
import { percentileOf, percentilesLoadChart, percentilesLoadData } from '../../src/report/charts/percentiles-load.js';
import { layoutOf } from '../../src/report/data/layout.js';
import type { ReportInput, ReportPoint, RunSample, RunView } from '../../src/report/inputs.js';
import { run } from './timeline-fixtures.js';

const T_975_1 = 12.706204736;

const metricsOnly = (metrics: Record<string, number | null>): RunSample => ({ replication: 0, seed: 1, result: null, metrics });

/** A full result: 100 requests of 4 ms and 100 of 8 ms completed, `dropped` never finished, over `seconds`. */
function full(dropped: number, seconds: number): RunSample {
  const base = run('s', undefined, undefined);
  const h = new LatencyHistogram();
  h.recordN(0.004, 100);
  h.recordN(0.008, 100);
  const measured = { ...base.accounting.measured, generated: 200 + dropped, completed: 200, droppedTotal: dropped, inFlight: 0 };
  const result: RunView = { ...base, measuredSeconds: seconds, accounting: { ...base.accounting, measured }, latency: { ...base.latency, count: 200, histogram: h.toJSON() } };
  return { replication: 0, seed: 1, result, metrics: {} };
}

const point = (id: string, configuration: string, load: string | number | boolean | null, runs: readonly RunSample[]): ReportPoint => ({
  id,
  configuration,
  parameters: load === null ? [] : [{ name: 'load', value: load }],
  runs: runs.map((r, i) => ({ ...r, replication: i })),
});

function sweep(points: readonly ReportPoint[], loadParameter: string | null = 'load'): ReportInput {
  return {
    kind: 'sweep',
    name: 'p',
    provenance: { confidenceLevel: 0.95 } as ReportInput['provenance'],
    configurations: [...new Set(points.map((p) => p.configuration))],
    loadParameter,
    points,
    differences: [],
  };
}

// Replication 0 has the sweep's latencyWithDrops metrics; replication 1 only latency.pXX and dropFraction 2 %.
const M1 = metricsOnly({ 'latencyWithDrops.p50': 0.01, 'latencyWithDrops.p90': 0.02, 'latencyWithDrops.p99': 0.05, dropFraction: 0 });
const M2 = metricsOnly({ 'latencyWithDrops.p50': null, 'latency.p50': 0.014, 'latency.p90': 0.026, 'latency.p99': 0.06, dropFraction: 0.02 });

describe('one run’s percentile', () => {
  test('from the full result: nearest rank over every measured request, +∞ among the dropped', () => {
    // 300 measured: p50 is rank 150, the 150th smallest completed (8 ms); p90 is rank 270 > 200 completed.
    expect(percentileOf(full(100, 1), 'p50')!).toBeCloseTo(0.008, 4);
    expect(percentileOf(full(100, 1), 'p90')).toBe(Infinity);
    // Without drops p50 is rank 100 of 200: 4 ms.
    expect(percentileOf(full(0, 1), 'p50')!).toBeCloseTo(0.004, 4);
  });

  test('from the metrics: latencyWithDrops when finite, else +∞ when the drops reach the rank, else latency', () => {
    expect(percentileOf(M1, 'p99')).toBe(0.05);
    expect(percentileOf(M2, 'p50')).toBe(0.014);
    expect(percentileOf(M2, 'p99')).toBe(Infinity);
    // A +∞ latencyWithDrops is not taken as it is: the drops decide (here none, so the completed p99).
    expect(percentileOf(metricsOnly({ 'latencyWithDrops.p99': Infinity, 'latency.p99': 0.07 }), 'p99')).toBe(0.07);
    expect(percentileOf(metricsOnly({}), 'p50')).toBeNull();
    expect(percentileOf(metricsOnly({ dropFraction: null, 'latency.p90': 0.03 }), 'p90')).toBe(0.03);
  });

  test('exactly 1 − q dropped leaves the rank among the completed; a little more does not', () => {
    const at = (dropFraction: number, p: 'p50' | 'p90' | 'p99') => percentileOf(metricsOnly({ dropFraction, 'latency.p50': 1, 'latency.p90': 2, 'latency.p99': 3 }), p);
    expect(at(0.5, 'p50')).toBe(1);
    expect(at(0.5000001, 'p50')).toBe(Infinity);
    expect(at(0.1, 'p90')).toBe(2);
    expect(at(0.1000001, 'p90')).toBe(Infinity);
    expect(at(0.01, 'p99')).toBe(3);
    expect(at(0.0100001, 'p99')).toBe(Infinity);
  });
});

describe('rows against load', () => {
  // a at 2k/s (a full result, 1/3 dropped) and at 1k/s (two replications, metrics only); b has nothing.
  const input = sweep([point('p0', 'a', '2k/s', [full(100, 0.15)]), point('p1', 'a', '1k/s', [M1, M2]), point('p2', 'b', 1500, [metricsOnly({})])]);
  const dataOf = () => percentilesLoadData(input);

  test('in load order, per percentile; the mean and t interval over the replications that reached it', () => {
    const data = dataOf();
    const at1k = data.rows.filter((r) => r.load === 1000);
    expect(at1k.map((r) => r.percentile)).toEqual(['p50', 'p90', 'p99']);
    const [p50, p90, p99] = at1k;
    // p50: 10 and 14 ms: mean 12, standard error 2, half-width 2 × 12.7062.
    expect(p50).toMatchObject({ configuration: 'a', measured: null, mean: 12, n: 2, unreached: 0 });
    expect(p50!.lower!).toBeCloseTo(12 - 2 * T_975_1, 3);
    expect(p50!.upper!).toBeCloseTo(12 + 2 * T_975_1, 3);
    expect(p90).toMatchObject({ mean: 23, n: 2, unreached: 0 });
    expect(p90!.upper!).toBeCloseTo(23 + 3 * T_975_1, 3);
    // p99: replication 1 did not reach it; the mean is replication 0's alone, bounds = mean.
    expect(p99).toMatchObject({ mean: 50, lower: 50, upper: 50, n: 1, unreached: 1 });
    for (const r of at1k) expect(r.dropped).toBeCloseTo(0.01, 12);
  });

  test('a percentile no replication reached has no mean; the load is the parameter’s, the measured load beside it', () => {
    const data = dataOf();
    const at2k = data.rows.filter((r) => r.load === 2000);
    expect(at2k.map((r) => [r.percentile, r.measured, r.n, r.unreached, r.mean === null, r.lower, r.upper])).toEqual([
      ['p50', 2000, 1, 0, false, r50(at2k), r50(at2k)],
      ['p90', 2000, 0, 1, true, null, null],
      ['p99', 2000, 0, 1, true, null, null],
    ]);
    expect(at2k[0]!.mean!).toBeCloseTo(8, 1);
    for (const r of at2k) expect(r.dropped).toBeCloseTo(1 / 3, 12);
    // Rows are only where a percentile has a value: b's point has none, and its load is not a level.
    expect(data.rows.some((r) => r.configuration === 'b')).toBe(false);
    expect(data.loads).toEqual([1000, 2000]);
    expect(data.loadSource).toBe('parameter');
    expect(data.level).toBe(0.95);
  });

  test('drops per point: the mean share and its interval, clipped at 0; none where no run says', () => {
    const data = dataOf();
    expect(data.drops).toHaveLength(2);
    const [d1k, d2k] = data.drops;
    expect(d1k).toMatchObject({ configuration: 'a', load: 1000, n: 2, lower: 0 });
    expect(d1k!.mean).toBeCloseTo(0.01, 12);
    expect(d1k!.upper).toBeCloseTo(0.01 + 0.01 * T_975_1, 6);
    expect(d2k).toEqual({ configuration: 'a', load: 2000, mean: 1 / 3, lower: 1 / 3, upper: 1 / 3, n: 1 });
  });
});

function r50(rows: readonly { percentile: string; mean: number | null }[]): number | null {
  return rows.find((r) => r.percentile === 'p50')!.mean;
}

describe('where the load axis comes from', () => {
  test('a number or a rate as the load parameter: its value', () => {
    const d = percentilesLoadData(sweep([point('p0', 'a', 1500, [M1]), point('p1', 'a', '500/s', [M1])]));
    expect(d.loadSource).toBe('parameter');
    expect(d.loads).toEqual([500, 1500]);
    expect(d.drops.map((r) => r.load)).toEqual([500, 1500]);
  });

  test('a point whose load is not a rate, has no load parameter, or no load parameter at all: the measured load', () => {
    // Measured: 300 requests over 0.5 s = 600/s, over 0.25 s = 1200/s; the metrics-only point has none and is left out.
    const points = (load: string | boolean | null) => [point('p0', 'a', load, [full(100, 0.25)]), point('p1', 'a', '2k/s', [full(100, 0.5)]), point('p2', 'a', '3k/s', [M1])];
    for (const load of ['fast', true, null] as const) {
      const d = percentilesLoadData(sweep(points(load)));
      expect(d.loadSource).toBe('measured');
      expect(d.loads).toEqual([600, 1200]);
      expect(d.rows.map((r) => r.load)).toEqual([600, 600, 600, 1200, 1200, 1200]);
      expect(d.rows.map((r) => r.measured)).toEqual([600, 600, 600, 1200, 1200, 1200]);
    }
    const none = percentilesLoadData(sweep(points('1k/s'), null));
    expect(none.loadSource).toBe('measured');
    expect(none.loads).toEqual([600, 1200]);
  });

  test('the load parameter is found by name, wherever it is among the parameters', () => {
    const withPolicy = (id: string, load: string): ReportPoint => ({ ...point(id, 'a', load, [M1]), parameters: [{ name: 'policy', value: 'Local' }, { name: 'load', value: load }] });
    const d = percentilesLoadData(sweep([withPolicy('p0', '2k/s'), withPolicy('p1', '1k/s')]));
    expect(d.loadSource).toBe('parameter');
    expect(d.loads).toEqual([1000, 2000]);
  });

  test('a replication without the percentile does not hide the others’; no drop share at all: 0 dropped', () => {
    const d = percentilesLoadData(sweep([point('p0', 'a', '1k/s', [metricsOnly({ 'latency.p50': 0.01 }), metricsOnly({})])]));
    expect(d.rows.map((r) => [r.percentile, r.mean, r.n, r.dropped])).toEqual([['p50', 10, 1, 0]]);
    expect(d.drops).toEqual([]);
  });

  test('the loads of the sweep are sorted over configurations', () => {
    const d = percentilesLoadData(sweep([point('p0', 'z', '2k/s', [M1]), point('p1', 'y', '1k/s', [M1])]));
    expect(d.loads).toEqual([1000, 2000]);
  });

  test('a percentile some replication did not reach is drawn as not reached, even with a mean', () => {
    const row = (load: number, unreached: number) => ({ configuration: 'c', percentile: 'p50' as const, load, measured: load, mean: 5, lower: 5, upper: 5, n: 1, unreached, dropped: 0 });
    const chart = percentilesLoadChart({ rows: [row(100, 0), row(200, 1)], drops: [], level: 0.95, loadSource: 'parameter', loads: [100, 200] }, layoutOf(sweep([point('p0', 'c', 100, [M1])])));
    if (!isChart(chart)) throw new Error(chart.reason);
    const y = chart.panels[0]!.plot.y as { ticks: number[]; tickFormat: (v: number) => string };
    expect(y.ticks.map(y.tickFormat)).toContain('not reached');
  });

  test('configurations in input order, each in its own load order', () => {
    const d = percentilesLoadData(sweep([point('p0', 'z', '2k/s', [M1]), point('p1', 'y', '3k/s', [M1]), point('p2', 'z', '1k/s', [M1])]));
    expect(d.rows.filter((r) => r.percentile === 'p50').map((r) => `${r.configuration}@${r.load}`)).toEqual(['z@1000', 'z@2000', 'y@3000']);
    expect(d.loads).toEqual([1000, 2000, 3000]);
  });
});
