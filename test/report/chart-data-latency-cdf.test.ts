/**
 * The latency distribution's data rules on hand-built histograms: percentiles over every measured request
 * (nearest rank over `sent`, +∞ among the dropped), the thinning rule that keeps the tail (the points with
 * at most 10 % of requests above them), the default point budget (fewer for small multiples), and the
 * tail panel's percentile scale (y = −log10(share slower): p90 = 1, p99 = 2, ...).
 */
import { describe, expect, test } from 'vitest';
import { LatencyHistogram } from '../../src/engine/stats/latency-histogram.js';
import { isChart, type Chart } from '../../src/report/charts/chart.js';
import { LATENCY_CDF_ID, latencyCdfChart, latencyCdfData, quantilesWithDrops, seriesRows } from '../../src/report/charts/latency-cdf.js';
import { layoutOf } from '../../src/report/data/layout.js';
import type { ReportInput, RunSample, RunView } from '../../src/report/inputs.js';
import { run } from './timeline-fixtures.js';

function histogramOf(samples: readonly [latency: number, count: number][]): LatencyHistogram {
  const h = new LatencyHistogram();
  for (const [latency, count] of samples) h.recordN(latency, count);
  return h;
}

/** 1000 latencies 1 % apart from 1 ms: each in its own bucket (buckets are at most 1/128 wide), so the CDF has 1001 points, the j-th at j/1000. */
function spread(): LatencyHistogram {
  const h = new LatencyHistogram();
  for (let i = 0; i < 1000; i++) h.record(0.001 * 1.01 ** i);
  return h;
}

function sample(histogram: LatencyHistogram, dropped: number, inFlight: number, replication = 0): RunSample {
  const base = run('s', undefined, undefined);
  const measured = { ...base.accounting.measured, droppedTotal: dropped, inFlight };
  const result: RunView = { ...base, accounting: { ...base.accounting, measured }, latency: { ...base.latency, count: histogram.count, histogram: histogram.toJSON() } };
  return { replication, seed: replication + 1, result, metrics: {} };
}

/** A sweep over `factors` (name → levels), every combination a configuration with the same runs. */
function sweepOf(factors: readonly [string, readonly string[]][], runs: readonly RunSample[]): ReportInput {
  let combos: { name: string; value: string }[][] = [[]];
  for (const [name, levels] of factors) combos = combos.flatMap((c) => levels.map((value) => [...c, { name, value }]));
  const label = (c: readonly { name: string; value: string }[]) => c.map((p) => `${p.name}=${p.value}`).join(', ');
  return {
    kind: 'sweep',
    name: 'cdf',
    provenance: { confidenceLevel: 0.95 } as ReportInput['provenance'],
    configurations: combos.map(label),
    loadParameter: null,
    points: combos.map((c, i) => ({ id: `p${i}`, configuration: label(c), parameters: c, runs })),
    differences: [],
  };
}

describe('percentiles with drops', () => {
  // 90 requests of 1 ms and 90 of 2 ms completed, 20 never finished: 200 sent.
  const h = histogramOf([
    [0.001, 90],
    [0.002, 90],
  ]);

  test('nearest rank over every measured request: rank ⌈q·200⌉ of the completed, +∞ past the 180th', () => {
    const [p45, p46, p90, p905] = quantilesWithDrops(h, 200, [0.45, 0.455, 0.9, 0.905]);
    // Rank 90: the last 1 ms request; rank 91: the first 2 ms one.
    expect(p45!).toBeCloseTo(0.001, 5);
    expect(p46!).toBeCloseTo(0.002, 5);
    // Rank 180 is the slowest completed request: reached. Rank 181 is a dropped one: not reached.
    expect(p90!).toBeCloseTo(0.002, 5);
    expect(p905).toBe(Infinity);
  });

  test('nothing sent: no quantile', () => {
    expect(quantilesWithDrops(new LatencyHistogram(), 0, [0.5, 0.99])).toEqual([null, null]);
  });

  test('dropped and in-flight requests both count as never finishing', () => {
    const data = latencyCdfData(sweepOf([], [sample(h, 12, 8)]), 400);
    expect(data.summaries[0]).toMatchObject({ requests: 180, sent: 200, dropped: 20, completedShare: 0.9 });
    expect(data.summaries[0]!.quantiles[1]!).toBeCloseTo(0.002, 5);
    expect(data.summaries[0]!.quantiles[2]).toBe(Infinity);
    expect(data.rows[data.rows.length - 1]).toMatchObject({ cumulative: 0.9 });
    expect(data.rows[data.rows.length - 1]!.exceedance).toBeCloseTo(0.1, 12);
  });
});

describe('thinning keeps the tail', () => {
  test('1001 points to 60: both ends, 38 tail points (60 − 2 − the 20 reserved for the body), 20 body points', () => {
    const rows = seriesRows('x', spread(), 60);
    expect(rows).toHaveLength(60);
    expect(rows[0]!.cumulative).toBe(0);
    expect(rows[59]!.cumulative).toBe(1);
    const tail = rows.filter((r) => r.exceedance > 0 && r.exceedance <= 0.1);
    const body = rows.slice(1, -1).filter((r) => r.exceedance > 0.1);
    expect(tail).toHaveLength(38);
    expect(body).toHaveLength(20);
    // The tail's first point is the 900th (share above it 10 %), its last the 999th.
    expect(tail[0]!.cumulative).toBeCloseTo(0.9, 12);
    expect(tail[37]!.cumulative).toBeCloseTo(0.999, 12);
  });

  test('the tail is judged on the completed requests; with drops the shares are scaled to the completed share', () => {
    const rows = seriesRows('x', spread(), 60, 2000);
    expect(rows.filter((r) => r.cumulative > 0.45 - 1e-12 && r.cumulative < 0.5)).toHaveLength(38);
    expect(rows[59]).toEqual({ configuration: 'x', latency: rows[59]!.latency, cumulative: 0.5, exceedance: 0.5 });
    expect(rows[1]!.cumulative).toBeCloseTo(0.0005, 12);
  });
});

describe('the point budget', () => {
  test('400 points per line by default; an explicit budget is kept', () => {
    const one = sweepOf([['policy', ['Cluster']]], [sample(spread(), 0, 0)]);
    expect(latencyCdfData(one).rows).toHaveLength(400);
    expect(latencyCdfData(one, 50).rows).toHaveLength(50);
  });

  test('small multiples (more configurations than colours, two factors): 160 points per line', () => {
    const many = sweepOf(
      [
        ['policy', ['Cluster', 'Local', 'Mixed']],
        ['replicas', ['1', '2', '3']],
      ],
      [sample(spread(), 0, 0)],
    );
    expect(layoutOf(many).mode).toBe('factors');
    const data = latencyCdfData(many);
    expect(data.summaries).toHaveLength(9);
    expect(data.rows).toHaveLength(9 * 160);
    expect(latencyCdfData(many, 30).rows).toHaveLength(9 * 30);
  });
});

describe('the tail panel’s percentile scale', () => {
  function chartOf(h: LatencyHistogram): Chart {
    const input = sweepOf([['policy', ['Cluster']]], [sample(h, 0, 0)]);
    const outcome = latencyCdfChart(latencyCdfData(input), layoutOf(input));
    if (!isChart(outcome)) throw new Error(outcome.reason);
    return outcome;
  }
  const ticksOf = (chart: Chart) => {
    const y = chart.panels[1]!.plot.y as { ticks: number[]; tickFormat: (v: number) => string; domain: number[] };
    return { ticks: y.ticks, labels: y.ticks.map(y.tickFormat), domain: y.domain };
  };

  test('p50 at −log10(0.5), then one tick per nine; at least up to p99.9', () => {
    const chart = chartOf(spread());
    expect(chart.id).toBe(LATENCY_CDF_ID);
    expect(chart.id).toBe('latency-cdf');
    expect(chart.title).toBe('Latency distribution');
    const { ticks, labels, domain } = ticksOf(chart);
    expect(labels).toEqual(['p50', 'p90', 'p99', 'p99.9']);
    expect(ticks[0]).toBeCloseTo(0.30103, 5);
    expect(ticks.slice(1)).toEqual([1, 2, 3]);
    expect(domain).toEqual([0, 3]);
  });

  test('a tail of one request in ten million: every tick to p99.99999', () => {
    const { ticks, labels, domain } = ticksOf(
      chartOf(
        histogramOf([
          [0.001, 9_999_999],
          [1, 1],
        ]),
      ),
    );
    expect(labels).toEqual(['p50', 'p90', 'p99', 'p99.9', 'p99.99', 'p99.999', 'p99.9999', 'p99.99999']);
    expect(ticks.slice(1)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(domain).toEqual([0, 7]);
  });

  test('a tail of one request in a hundred thousand: ticks to p99.999', () => {
    const { labels } = ticksOf(
      chartOf(
        histogramOf([
          [0.001, 99_999],
          [1, 1],
        ]),
      ),
    );
    expect(labels).toEqual(['p50', 'p90', 'p99', 'p99.9', 'p99.99', 'p99.999']);
  });

  test('no completed request: no chart, with the reason', () => {
    const outcome = latencyCdfChart({ rows: [], summaries: [], situation: '' }, layoutOf(sweepOf([], [])));
    expect(outcome).toMatchObject({ id: 'latency-cdf', title: 'Latency distribution', reason: 'no completed requests: the results hold no latency to draw' });
  });
});
