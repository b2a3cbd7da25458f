/**
 * Helpers for the data-path tests (simulate() end to end): scenario shortcuts on top of fixtures.ts, the
 * accounting identity, and a copy of a RunResult without its wall-clock fields.
 */
import { expect } from 'vitest';
import { simulate } from '../../src/model/simulation.js';
import type { RequestCounts, RunResult } from '../../src/model/result.js';
import type { ClientSpec, ModelSpec, SimulationSpec } from '../../src/model/spec.js';
import { behaviour, client, cluster, dist, type ClusterOptions } from './fixtures.js';

export { dist };

/** An external client with Poisson arrivals at `rate` per second, addressing the NodePort of every node. */
export function poissonClient(rate: number, overrides: Partial<ClientSpec> = {}): ClientSpec {
  return client({
    arrival: { kind: 'open', interarrival: dist(`exp(rate=${rate}/s)`) },
    target: { service: 'default/web', port: 80, via: 'nodePort', nodes: [] },
    ...overrides,
  });
}

/** Pods with exponential service of mean `mean` (seconds), `servers` each, unbounded queue. */
export function expPods(mean: number, servers = 1): ClusterOptions['pod'] {
  return () => ({ behaviour: behaviour({ serviceTime: dist(`exp(mean=${mean}s)`), concurrency: servers, queueCapacity: 1e9 }) });
}

/** Zero proxy cost: the data path adds nothing but what a test sets. */
export const FREE_PROXY = { connectionCost: dist('const(0)') } as const;

export function run(spec: ModelSpec, simulation: Partial<SimulationSpec>, drainLimit?: number): RunResult {
  const sim: SimulationSpec = { seed: 1, duration: null, requests: null, warmup: 0, ...simulation };
  const result = simulate({ ...spec, simulation: sim }, drainLimit === undefined ? {} : { drainLimit });
  expectAccounting(result);
  return result;
}

export function clusterSpec(options: ClusterOptions): ModelSpec {
  return cluster(options).spec;
}

function expectCounts(c: RequestCounts, label: string): void {
  expect(c.generated, `${label}: generated = completed + dropped + in flight`).toBe(c.completed + c.droppedTotal + c.inFlight);
  const byReason = Object.values(c.dropped).reduce((a, b) => a + b, 0);
  expect(byReason, `${label}: dropped by reason`).toBe(c.droppedTotal);
}

/** The accounting identity, exactly, on every part; and the parts add up to the total. */
export function expectAccounting(r: RunResult): void {
  const { total, warmup, measured } = r.accounting;
  expectCounts(total, 'total');
  expectCounts(warmup, 'warmup');
  expectCounts(measured, 'measured');
  for (const k of ['generated', 'completed', 'droppedTotal', 'inFlight', 'retries'] as const) {
    expect(warmup[k] + measured[k], `warmup + measured = total (${k})`).toBe(total[k]);
  }
  expect(r.latency.count, 'one latency per measured completion').toBe(measured.completed);
}

/** The result without the fields that depend on the wall clock. */
export function deterministicPart(r: RunResult): unknown {
  const { wallSeconds: _w, eventsPerWallSecond: _e, requestsPerWallSecond: _r, ...engine } = r.engine;
  return { ...r, engine };
}

/** Relative difference check with a readable message. */
export function expectWithin(actual: number | null, expected: number, relTol: number, what = ''): void {
  expect(actual, what).not.toBeNull();
  const rel = Math.abs(actual! - expected) / Math.abs(expected);
  expect(rel, `${what}: got ${actual}, expected ${expected} (±${relTol * 100}%)`).toBeLessThan(relTol);
}

/** Coefficient of variation of pod request counts (0 for perfect balance). */
export function shareCv(r: RunResult): number {
  const xs = r.pods.map((p) => p.requests);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  return sd / mean;
}
