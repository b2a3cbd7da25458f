/**
 * The latency distribution of a configuration pools every replication: its CDF is the CDF of one
 * histogram holding all their requests, and its denominator is every request they measured.
 *
 * The inputs are built by hand (two replications with known latencies) so the expected shares are plain
 * fractions: replication 0 completes 300 requests in 1 ms; replication 1 completes 100 in 10 ms and drops 50.
 */
import { describe, expect, test } from 'vitest';
import { LatencyHistogram } from '../../src/engine/stats/latency-histogram.js';
import { latencyCdfData, seriesRows } from '../../src/report/charts/latency-cdf.js';
import type { ReportInput, RunSample, RunView } from '../../src/report/inputs.js';

const FAST = 0.001;
const SLOW = 0.01;

function histogramOf(samples: readonly [latency: number, count: number][]): LatencyHistogram {
  const h = new LatencyHistogram();
  for (const [latency, count] of samples) h.recordN(latency, count);
  return h;
}

/** Only what the latency chart reads of a run: its histogram and its measured drops. */
function replication(replication: number, histogram: LatencyHistogram, dropped: number): RunSample {
  const result = { latency: { histogram: histogram.toJSON() }, accounting: { measured: { droppedTotal: dropped, inFlight: 0 } } } as unknown as RunView;
  return { replication, seed: replication + 1, result, metrics: {} };
}

function input(runs: readonly RunSample[]): ReportInput {
  return {
    kind: 'sweep',
    name: 'pooled',
    provenance: {} as ReportInput['provenance'],
    configurations: ['a'],
    loadParameter: null,
    points: [{ id: '0', configuration: 'a', parameters: [], runs }],
    differences: [],
  };
}

const TWO = input([replication(0, histogramOf([[FAST, 300]]), 0), replication(1, histogramOf([[SLOW, 100]]), 50)]);

describe('latency distribution: replications pooled', () => {
  test('the rows are the CDF of one histogram holding all 400 completed requests, over all 450 measured', () => {
    const all = histogramOf([
      [FAST, 300],
      [SLOW, 100],
    ]);
    expect(latencyCdfData(TWO, 400).rows).toEqual(seriesRows('a', all, 400, 450));
  });

  test('the shares are the pooled fractions: 300/450 by 1 ms, 400/450 by 10 ms, where the line ends', () => {
    const rows = latencyCdfData(TWO, 400).rows;
    const at = (ms: number): number => Math.max(...rows.filter((r) => r.latency <= ms * 1.05).map((r) => r.cumulative));
    expect(at(1)).toBeCloseTo(300 / 450, 12);
    expect(at(10)).toBeCloseTo(400 / 450, 12);
    expect(rows[rows.length - 1]!.cumulative).toBe(400 / 450);
    expect(rows[rows.length - 1]!.exceedance).toBeCloseTo(50 / 450, 12);
  });

  test('the summary counts both replications: 400 completed, 450 sent, 50 dropped', () => {
    const [s] = latencyCdfData(TWO, 400).summaries;
    expect(s).toMatchObject({ configuration: 'a', requests: 400, sent: 450, dropped: 50, runs: 2, completedShare: 400 / 450 });
    // Quantiles of every measured request: p50 (rank 225 of 450) is among the 300 fast ones; p90 (rank 405)
    // falls among the 50 that never finished: not reached. Of the completed only, p90 (rank 360 of 400) is slow.
    const [p50, p90] = s!.quantiles;
    expect(p50!).toBeCloseTo(FAST, 4);
    expect(p90).toBe(Infinity);
    expect(s!.completedQuantiles[1]!).toBeCloseTo(SLOW, 3);
    expect(s!.max!).toBeCloseTo(SLOW, 4);
  });

  test('the order of the replications does not matter', () => {
    const swapped = input([replication(0, histogramOf([[SLOW, 100]]), 50), replication(1, histogramOf([[FAST, 300]]), 0)]);
    expect(latencyCdfData(swapped, 400)).toEqual(latencyCdfData(TWO, 400));
  });

  test('a configuration whose runs completed nothing has no line', () => {
    const empty = input([replication(0, new LatencyHistogram(), 10)]);
    expect(latencyCdfData(empty, 400)).toMatchObject({ rows: [], summaries: [] });
  });
});
