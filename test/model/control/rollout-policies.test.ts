/**
 * The #85643 story: a rolling update behind a cloud LB. Under `externalTrafficPolicy: Local` the LB keeps
 * sending to a node whose last local pod is terminating until its health check has failed
 * `unhealthyThreshold` times; a `preStop` sleep longer than that lag keeps the pod serving (kube-proxy's
 * terminating-endpoint fallback) until the LB has moved away. Under `Cluster` the LB is not involved, and
 * only the endpoint propagation window matters.
 */
import { describe, expect, it } from 'vitest';
import { dist } from '../fixtures.js';
import { lbCluster, onlyEvent, restart, runTimeline, withinPoisson } from './helpers.js';

const RATE = 1000;
const S = 10; // start-up: longer than the LB's health-check lag, so the LB takes the node out first
const T0 = 10;
const deployment = {
  strategy: { kind: 'RollingUpdate', maxSurge: { kind: 'count', value: 1 }, maxUnavailable: { kind: 'count', value: 0 } },
} as const;
// Probes at 0.5, 2.5, 4.5, ...: every 2 s, two failures to go unhealthy, one success to come back.
const healthCheck = { interval: 2, unhealthyThreshold: 2, healthyThreshold: 1, phase: 0.5 };

function rollout(policy: 'Local' | 'Cluster', preStop: number) {
  const spec = lbCluster({ podsPerNode: [1, 1], rate: RATE, policy, healthCheck });
  const lifecycle = { startup: dist(`const(${S}s)`), preStop };
  return runTimeline(spec, [restart(spec, T0, lifecycle)], 60, { lifecycle, deployment });
}

describe('eTP Local, rolling update behind an instance-target LB', () => {
  it('without preStop, loses rate × node share × health-check lag', () => {
    // Wave 1: a new pod on node-1 (the spread puts it first), Ready at T0 + S = 20; then the old pod on
    // node-2 is deleted at 20. node-2's kube-proxy has no ready local endpoint from its sync at 20.112
    // (0.1 s propagation, a 12 ms sync); its health check fails at 20.5 and 22.5: unhealthy at 22.5.
    const lag = 22.5 - (T0 + S);
    const r = rollout('Local', 0);
    const e = onlyEvent(r);
    const expected = RATE * 0.5 * lag;
    expect(withinPoisson(e.requestsLost, expected), `lost ${e.requestsLost}, expected ≈ ${expected}`).toBe(true);
    expect(e.requestsLost).toBe(r.accounting.total.droppedTotal);
  });

  it('with preStop longer than the lag, loses nothing', () => {
    const r = rollout('Local', 5);
    expect(onlyEvent(r).requestsLost).toBe(0);
    expect(r.accounting.total.droppedTotal).toBe(0);
  });
});

describe('eTP Cluster, the same rolling update', () => {
  it('without preStop, loses only what reaches the old pods in the propagation window', () => {
    const r = rollout('Cluster', 0);
    const lost = r.accounting.total.droppedTotal;
    // Every node sends half its new connections to the deleted pod until its own sync at +0.112 s: at most
    // about rate × 0.5 × 0.112 per deleted pod, two pods.
    expect(lost).toBeGreaterThan(0);
    expect(lost).toBeLessThan(2 * RATE * 0.5 * 0.112 + 4 * Math.sqrt(RATE * 0.112));
    const reasons = Object.keys(onlyEvent(r).lostByReason);
    for (const reason of reasons) expect(['connection-refused', 'pod-gone']).toContain(reason);
  });

  it('with terminating endpoints and a preStop longer than the propagation, loses nothing', () => {
    const r = rollout('Cluster', 2);
    expect(r.accounting.total.droppedTotal).toBe(0);
  });
});
