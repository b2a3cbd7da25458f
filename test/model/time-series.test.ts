/**
 * The result's `timeSeries`: whole windows over the measurement window, counts that add up, throughput =
 * completed / window, the window length from `Simulation.spec.window` (through the scenario loader), and
 * the same series for the same seed.
 *
 * Exact sums: a request counts in the window where it completed (or was given up), and completions after
 * generation stopped (the drain) are in no window. With constant latencies (~2.2 ms) and arrivals at
 * 10 ms, 20 ms, ..., `duration` (the arrival at exactly `duration` is still generated and measured), every
 * measured request completes inside the windows except the last one, which completes at duration + 2.2 ms:
 * the windows' counts add up to `accounting.measured.completed − 1` exactly. No warm-up request completes
 * after the warm-up ends.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/experiment/run-scenario.js';
import type { RunResult, TimeSeries } from '../../src/model/result.js';
import { niceWindow } from '../../src/model/time-series.js';
import { clusterSpec, deterministicPart, dist, poissonClient, run } from './datapath-helpers.js';
import { behaviour, client } from './fixtures.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function constSpec() {
  return clusterSpec({
    podsPerNode: [1, 1],
    zones: ['zone-a'],
    network: {
      sameNode: dist('const(20us)'),
      sameZone: dist('const(100us)'),
      crossZone: dist('const(700us)'),
      external: dist('const(1ms)'),
      loadBalancerToBackend: dist('const(50us)'),
      forwarding: dist('const(10us)'),
    },
    kubeProxy: { connectionCost: dist('const(50us)') },
    pod: () => ({ behaviour: behaviour({ serviceTime: dist('const(1ms)') }) }),
    clients: [
      client({
        arrival: { kind: 'open', interarrival: dist('const(10ms)') },
        target: { service: 'default/web', port: 80, via: 'nodePort', nodes: [] },
      }),
    ],
  });
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** Shape: parallel arrays, contiguous windows, throughput = completed / window, percentiles null iff empty. */
function expectWellFormed(ts: TimeSeries): void {
  const n = ts.start.length;
  for (const column of [ts.completed, ts.throughput, ts.dropped, ts.p50, ts.p99]) expect(column).toHaveLength(n);
  for (let i = 1; i < n; i++) expect(ts.start[i]! - ts.start[i - 1]!).toBeCloseTo(ts.window, 9);
  ts.completed.forEach((c, i) => {
    expect(Number.isInteger(c)).toBe(true);
    expect(ts.throughput[i]).toBeCloseTo(c / ts.window, 9);
    expect(ts.p50[i] === null).toBe(c === 0);
    expect(ts.p99[i] === null).toBe(c === 0);
    if (c > 0) expect(ts.p99[i]!).toBeGreaterThanOrEqual(ts.p50[i]!);
  });
}

/** The windows cover [warm-up end, generation end) in whole windows: less than one window is left over. */
function expectCoversMeasurement(r: RunResult): void {
  const ts = r.timeSeries;
  const from = r.warmup.end;
  const to = r.stop.generationEnd;
  expect(ts.start[0]!).toBeCloseTo(from, 9);
  const last = ts.start[ts.start.length - 1]! + ts.window;
  expect(last).toBeLessThanOrEqual(to + 1e-9);
  expect(to - last).toBeLessThan(ts.window - 1e-9);
}

describe('time series', () => {
  it('default window: the measured time / 60 rounded to 1-2-5; 60 windows covering the measurement exactly', () => {
    const r = run(constSpec(), { duration: 6 });
    const ts = r.timeSeries;
    expect(r.measuredSeconds).toBeCloseTo(6, 9);
    expect(ts.window).toBe(0.1);
    expect(ts.window).toBe(niceWindow(r.measuredSeconds / 60));
    expect(ts.start).toHaveLength(60);
    expectWellFormed(ts);
    expectCoversMeasurement(r);
    // Every request completes ~2.2 ms after being sent; only the one sent at exactly 6 s completes in the drain.
    expect(r.accounting.measured.completed).toBe(600);
    expect(sum(ts.completed)).toBe(r.accounting.measured.completed - 1);
    expect(sum(ts.dropped)).toBe(0);
    // 10 completions per 100 ms window (100 requests/s), but 9 in the first: the first arrival is at 10 ms.
    expect(ts.completed[0]).toBe(9);
    expect(new Set(ts.completed.slice(1))).toEqual(new Set([10]));
    expect(ts.throughput[1]).toBeCloseTo(100, 9);
  });

  it('a fixed warm-up: the series starts at its end, and counts add up to the measured completions', () => {
    const r = run(constSpec(), { duration: 6, warmup: 1 });
    const ts = r.timeSeries;
    expect(r.warmup.end).toBe(1);
    expect(ts.window).toBe(niceWindow(5 / 60));
    expectWellFormed(ts);
    expectCoversMeasurement(r);
    // Measured: sent at 1 s, 1.01 s, ..., 6 s (501); the last completes in the drain.
    expect(r.accounting.measured.completed).toBe(501);
    expect(sum(ts.completed)).toBe(r.accounting.measured.completed - 1);
  });

  it('Poisson load: counts add up to the completions in the measurement window (no more than all completions)', () => {
    const spec = clusterSpec({
      podsPerNode: [1, 1, 1],
      zones: ['zone-a'],
      pod: () => ({ behaviour: behaviour({ serviceTime: dist('exp(mean=2ms)'), concurrency: 1, queueCapacity: 1e9 }) }),
      clients: [poissonClient(600)],
    });
    const r = run(spec, { duration: 4, warmup: 0.5 });
    const ts = r.timeSeries;
    expectWellFormed(ts);
    expectCoversMeasurement(r);
    // Completions after generation stopped (the drain) are in no window; warm-up requests that finish
    // after the warm-up are in one. Both are a handful at this load.
    const counted = sum(ts.completed);
    expect(counted).toBeLessThanOrEqual(r.accounting.total.completed);
    expect(Math.abs(counted - r.accounting.measured.completed)).toBeLessThan(0.01 * r.accounting.measured.completed);
  });

  it('the same seed gives the same series; the series is part of the deterministic result', () => {
    const a = run(constSpec(), { duration: 3, seed: 5 });
    const b = run(constSpec(), { duration: 3, seed: 5 });
    expect(b.timeSeries).toEqual(a.timeSeries);
    expect(deterministicPart(b)).toEqual(deterministicPart(a));
  });
});

describe('Simulation.spec.window through the loader', () => {
  const scenario = join(ROOT, 'models', 'production-3zones.yaml');
  const base = ['Simulation.spec.duration=2s', 'Simulation.spec.warmup=0'];

  function series(set: readonly string[]): RunResult {
    const outcome = runScenario({ files: [scenario], set: [...base, ...set] });
    if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join('; '));
    return outcome.result;
  }

  it('a given window is used as is: 250ms over 2 s is 8 windows', () => {
    const r = series(['Simulation.spec.window=250ms']);
    expect(r.timeSeries.window).toBe(0.25);
    expect(r.timeSeries.start).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75]);
    expectWellFormed(r.timeSeries);
    expectCoversMeasurement(r);
  });

  it('a window that does not divide the measured time: only whole windows (300ms over 2 s: 6)', () => {
    const r = series(['Simulation.spec.window=300ms']);
    expect(r.timeSeries.window).toBe(0.3);
    expect(r.timeSeries.start).toHaveLength(6);
    expectCoversMeasurement(r);
  });

  it('without it: 2 s / 60 rounds to 50 ms, 40 windows', () => {
    const r = series([]);
    expect(r.timeSeries.window).toBe(0.05);
    expect(r.timeSeries.start).toHaveLength(40);
    expectWellFormed(r.timeSeries);
  });
});
