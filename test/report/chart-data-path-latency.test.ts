/**
 * Latency by path kind: per configuration (its busiest point) and path kind, the requests that took the
 * path summed over replications, their share of the completed requests, and each statistic as the mean
 * over replications of the run's figure, in ms. Hand-built runs (timeline-fixtures.ts' `run`, patched).
 */
import { describe, expect, test } from 'vitest';
import type { LatencySummary } from '../../src/model/result.js';
import { pathLatencyData } from '../../src/report/charts/path-latency.js';
import type { RunView } from '../../src/report/inputs.js';
import { input, run } from './timeline-fixtures.js';

const NONE: LatencySummary = { count: 0, mean: null, min: null, p50: null, p90: null, p99: null, p999: null, max: null };

function path(count: number, p50: number, p90: number, p99: number, mean: number): LatencySummary {
  return { count, mean, min: p50 / 2, p50, p90, p99, p999: p99, max: p99 };
}

/** A run with `completed` requests, `dropped` and `inFlight` never finished, and the given paths. */
function runWith(completed: number, dropped: number, inFlight: number, paths: Partial<RunView['latencyByPath']>): RunView {
  const base = run('s', undefined, undefined);
  const measured = { ...base.accounting.measured, generated: completed + dropped + inFlight, completed, droppedTotal: dropped, inFlight };
  return {
    ...base,
    accounting: { ...base.accounting, measured },
    latency: { ...base.latency, count: completed },
    latencyByPath: { local: NONE, secondHop: NONE, crossZone: NONE, ...paths },
  };
}

describe('latency by path', () => {
  // Replication 0: 100 completed (60 local, 40 second hop), 10 dropped. Replication 1: 100 completed
  // (50 local, 50 second hop), 10 in flight at the end. No request crossed a zone.
  const a = runWith(100, 10, 0, { local: path(60, 0.001, 0.002, 0.004, 0.0015), secondHop: path(40, 0.005, 0.006, 0.01, 0.0055) });
  const b = runWith(100, 0, 10, { local: path(50, 0.003, 0.004, 0.006, 0.0025), secondHop: path(50, 0.007, 0.008, 0.02, 0.0065) });
  const dataOf = () => pathLatencyData(input('sweep', [{ name: 'policy=Cluster', runs: [a, b] }]));

  test('requests summed, share of the completed, statistics the mean of the replications’ figures in ms', () => {
    const data = dataOf();
    expect(data.rows).toEqual([
      { configuration: 'policy=Cluster', path: 'local', requests: 110, share: 0.55, p50: 2, p90: 3, p99: 5, mean: 2 },
      { configuration: 'policy=Cluster', path: 'second hop', requests: 90, share: 0.45, p50: 6, p90: 7, p99: 15, mean: 6 },
      { configuration: 'policy=Cluster', path: 'cross zone', requests: 0, share: 0, p50: null, p90: null, p99: null, mean: null },
    ]);
  });

  test('dropped: the share of every measured request that never finished (dropped or in flight)', () => {
    const data = dataOf();
    // 20 of 220.
    expect([...data.dropped]).toEqual([['policy=Cluster', 20 / 220]]);
    expect(data.configurations).toEqual(['policy=Cluster']);
    expect(data.situation).toBe('At the highest load of the sweep, load=100/s.');
  });

  test('a replication without the path does not pull the mean to zero: the mean is over those that have it', () => {
    const c = runWith(100, 0, 0, { crossZone: path(10, 0.02, 0.03, 0.05, 0.025) });
    const d = runWith(100, 0, 0, {});
    const rows = pathLatencyData(input('run', [{ name: 'x', runs: [c, d] }])).rows;
    expect(rows.find((r) => r.path === 'cross zone')).toEqual({ configuration: 'x', path: 'cross zone', requests: 10, share: 0.05, p50: 20, p90: 30, p99: 50, mean: 25 });
  });

  test('nothing measured: no share, no dropped entry; a run has no situation note', () => {
    const empty = pathLatencyData(input('run', [{ name: 'idle', runs: [runWith(0, 0, 0, {})] }]));
    expect(empty.rows.map((r) => [r.path, r.requests, r.share])).toEqual([
      ['local', 0, null],
      ['second hop', 0, null],
      ['cross zone', 0, null],
    ]);
    expect(empty.dropped.size).toBe(0);
    expect(empty.situation).toBe('');
    // Everything dropped: the share is 1, the rows have no share.
    const lost = pathLatencyData(input('run', [{ name: 'lost', runs: [runWith(0, 5, 0, {})] }]));
    expect([...lost.dropped]).toEqual([['lost', 1]]);
    expect(lost.rows[0]!.share).toBeNull();
  });

  test('each configuration at its busiest point, in display order', () => {
    const two = input('sweep', [
      { name: 'b', runs: [runWith(100, 0, 0, { local: path(100, 0.001, 0.001, 0.001, 0.001) })] },
      { name: 'a', runs: [runWith(100, 0, 0, { secondHop: path(100, 0.002, 0.002, 0.002, 0.002) })] },
    ]);
    const d = pathLatencyData(two);
    expect(d.configurations).toEqual(['b', 'a']);
    expect(d.rows.filter((r) => r.requests > 0).map((r) => [r.configuration, r.path])).toEqual([
      ['b', 'local'],
      ['a', 'second hop'],
    ]);
  });
});
