/**
 * A node fails behind a cloud LB under `externalTrafficPolicy: Cluster`: the LB keeps sending it new
 * connections until its health check has failed `unhealthyThreshold` times in a row, and those are lost.
 */
import { describe, expect, it } from 'vitest';
import { lbCluster, onlyEvent, runTimeline, withinPoisson } from './helpers.js';

// Pods on nodes 1-3 only: kube-proxy never sends to node 4, so only the LB's connections to it are lost.
const PODS = [1, 1, 1, 0];
const RATE = 400;
const FAIL_AT = 30.3;

describe('LB health checks when a node fails (eTP Cluster)', () => {
  it('loses exactly the connections the LB sends to the node before k probes have failed', () => {
    const interval = 2;
    const k = 3;
    const phase = 0.7; // probes at 0.7, 2.7, 4.7, ...
    const spec = lbCluster({ podsPerNode: PODS, rate: RATE, healthCheck: { interval, unhealthyThreshold: k, phase } });
    const r = runTimeline(spec, [{ at: FAIL_AT, kind: 'fail-node', node: 'node-4' }], 60, {}, 1, 0.1);
    // The first probe after the failure is at 30.7; the k-th failed one at 30.7 + (k − 1) × 2 = 34.7.
    const window = phase + Math.ceil((FAIL_AT - phase) / interval) * interval + (k - 1) * interval - FAIL_AT;
    expect(window).toBeCloseTo(4.4, 9);
    const lost = r.accounting.total.dropped['node-down'];
    expect(r.accounting.total.droppedTotal).toBe(lost);
    expect(withinPoisson(lost, (RATE / PODS.length) * window), `lost ${lost}, expected ${(RATE / 4) * window}`).toBe(true);
    // Drops are counted when the client's 1 s timeout fires: in [fail + 1, fail + window + 1] and nowhere else.
    const ts = r.timeSeries;
    ts.start.forEach((start, i) => {
      const n = ts.droppedByReason?.['node-down']?.[i] ?? 0;
      if (n > 0) {
        expect(start + ts.window).toBeGreaterThan(FAIL_AT + 1);
        expect(start).toBeLessThan(FAIL_AT + window + 1);
      }
    });
    // The LB has three healthy targets from the k-th failed probe on.
    const healthy = ts.healthyTargets![0]!.values;
    ts.start.forEach((start, i) => {
      const end = start + ts.window;
      if (end < FAIL_AT + window - 1e-9) expect(healthy[i]).toBe(4);
      else expect(healthy[i]).toBe(3);
    });
    const e = onlyEvent(r);
    expect(e.kind).toBe('fail-node');
    expect(e.requestsLost).toBe(lost);
  });

  it('with the probe phase random, the mean window is (k − ½) × interval', () => {
    const interval = 2;
    const k = 3;
    const spec = lbCluster({ podsPerNode: PODS, rate: 2, healthCheck: { interval, unhealthyThreshold: k } });
    const windows: number[] = [];
    for (let seed = 1; seed <= 200; seed++) {
      const r = runTimeline(spec, [{ at: 10, kind: 'fail-node', node: 'node-4' }], 20, {}, seed, 0.01);
      const ts = r.timeSeries;
      const i = ts.healthyTargets![0]!.values.findIndex((v, j) => v === 3 && ts.start[j]! >= 10 - 1e-9);
      windows.push(ts.start[i]! + ts.window - 10);
    }
    const mean = windows.reduce((a, b) => a + b, 0) / windows.length;
    // W = (k − 1)·I + U·I with U uniform: sd I/√12 per run; ±4 standard errors, plus the 0.01 s sampling.
    const se = interval / Math.sqrt(12) / Math.sqrt(windows.length);
    expect(Math.abs(mean - (k - 0.5) * interval)).toBeLessThan(4 * se + 0.01);
    for (const w of windows) {
      expect(w).toBeGreaterThan((k - 1) * interval - 1e-9);
      expect(w).toBeLessThanOrEqual(k * interval + 0.01);
    }
  });
});

describe('established flows through a target that goes out of service', () => {
  // HTTP/2-style clients: a pool of 40 long-lived connections (about a quarter through node-4), never
  // closed on a timeout. node-4 fails at 10 s; the LB takes it out at 12.5 s (probes at 0.5 + 2k s).
  const pooled = { connection: { kind: 'pool', connections: 40 }, sourceIPs: 40 } as const;
  /** Seconds of the last window with a node-down drop, and the drops. */
  const run = (deregistrationDelay: number | null): { last: number; lost: number } => {
    const spec = lbCluster({ podsPerNode: PODS, rate: 200, healthCheck: { interval: 2, unhealthyThreshold: 2, phase: 0.5 }, client: pooled });
    const withDelay = { ...spec, services: spec.services.map((s) => ({ ...s, loadBalancer: { ...s.loadBalancer, deregistrationDelay } })) };
    const r = runTimeline(withDelay, [{ at: 10, kind: 'fail-node', node: 'node-4' }], 60);
    const ts = r.timeSeries;
    const drops = ts.droppedByReason?.['node-down'] ?? [];
    let last = -1;
    drops.forEach((n, i) => {
      if (n > 0) last = ts.start[i]! + ts.window;
    });
    return { last, lost: r.accounting.total.dropped['node-down'] };
  };

  it('carry on without a deregistration delay: connections pinned to the dead node lose requests to the end', () => {
    const { last, lost } = run(null);
    expect(lost).toBeGreaterThan(0);
    expect(last).toBe(60);
  });

  it('are reset when the delay runs out, and clients reconnect to healthy targets', () => {
    // Drops are counted at the client's 1 s timeout: the last ones by 12.5 + delay + 1 s (window 0.5 s).
    for (const delay of [0, 5]) {
      const { last, lost } = run(delay);
      expect(lost).toBeGreaterThan(0);
      expect(last).toBeLessThanOrEqual(12.5 + delay + 1 + 0.5);
    }
    expect(run(0).lost).toBeLessThan(run(5).lost);
  });
});
