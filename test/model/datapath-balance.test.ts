/**
 * Where requests land: traffic policies behind an instance-target load balancer, the second-hop fraction,
 * connection reuse (keep-alive, multiplexed pools) and ClientIP session affinity.
 *
 * Counts are binomial when every request opens its own connection (the LB and kube-proxy choices are then
 * independent per request): bounds are `binomialTolerance` (z = 3.89, two-sided 1e-4).
 */
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/model/result.js';
import type { ConnectionSpec } from '../../src/model/spec.js';
import { clusterSpec, dist, FREE_PROXY, run, shareCv } from './datapath-helpers.js';
import { behaviour, client } from './fixtures.js';
import { binomialTolerance } from './statistics.js';

const N = 60_000;

function lbCluster(podsPerNode: number[], externalTrafficPolicy: 'Cluster' | 'Local', clientOverrides = {}) {
  return clusterSpec({
    podsPerNode,
    service: { externalTrafficPolicy },
    kubeProxy: FREE_PROXY,
    clients: [client({ arrival: { kind: 'open', interarrival: dist('exp(mean=1ms)') }, ...clientOverrides })],
  });
}

function expectShare(r: RunResult, pod: number, p: number): void {
  const n = r.paths.requests;
  expect(Math.abs(r.pods[pod]!.requests - n * p), `${r.pods[pod]!.pod}: ${r.pods[pod]!.requests} of ${n}, expected share ${p}`).toBeLessThan(
    binomialTolerance(n, p),
  );
}

describe('instance-target LB over 3 nodes with 1 / 2 / 0 pods', () => {
  it('externalTrafficPolicy Local: shares 50 / 25 / 25, node-3 gets nothing, no second hop, client IP kept', () => {
    const r = run(lbCluster([1, 2, 0], 'Local'), { requests: N });
    expectShare(r, 0, 0.5);
    expectShare(r, 1, 0.25);
    expectShare(r, 2, 0.25);
    expect(r.nodes[2]!.entryRequests).toBe(0);
    expect(r.paths.secondHop).toBe(0);
    expect(r.accounting.total.completed).toBe(N);
    for (const p of r.pods) expect(p.sources).toEqual({ clientIp: p.requests, nodeIp: 0, loadBalancer: 0 });
  });

  it('externalTrafficPolicy Cluster: shares 1/3 each, second-hop fraction 2/3, pods see node IPs (SNAT)', () => {
    const r = run(lbCluster([1, 2, 0], 'Cluster'), { requests: N });
    for (let p = 0; p < 3; p++) expectShare(r, p, 1 / 3);
    for (let n = 0; n < 3; n++) {
      expect(Math.abs(r.nodes[n]!.entryRequests - N / 3)).toBeLessThan(binomialTolerance(N, 1 / 3));
    }
    expect(Math.abs(r.paths.secondHop - (2 / 3) * N)).toBeLessThan(binomialTolerance(N, 2 / 3));
    // node-3 has no pod: everything it receives is forwarded.
    expect(r.nodes[2]!.forwarded).toBe(r.nodes[2]!.entryRequests);
    for (const p of r.pods) expect(p.sources.nodeIp).toBe(p.requests);
  });

  it.each([2, 4, 5])('Cluster policy, %i nodes with one pod each: second-hop fraction (N−1)/N', (nodes) => {
    const r = run(lbCluster(new Array<number>(nodes).fill(1), 'Cluster'), { requests: N });
    const p = (nodes - 1) / nodes;
    expect(Math.abs(r.paths.secondHop - p * N)).toBeLessThan(binomialTolerance(N, p));
    expect(r.paths.secondHopFraction).toBeCloseTo(p, 1);
  });
});

describe('connection reuse concentrates load', () => {
  // 12 pods on 3 nodes, service 1 ms; at 100 requests/s a reused connection is nearly always idle when the
  // next request comes, so a handful of connections carry everything.
  const PODS = 12;
  const spec = (connection: ConnectionSpec, gap = 'exp(mean=10ms)') =>
    clusterSpec({
      podsPerNode: [4, 4, 4],
      service: { type: 'NodePort' },
      kubeProxy: FREE_PROXY,
      pod: () => ({ behaviour: behaviour({ serviceTime: dist('exp(mean=1ms)') }) }),
      clients: [
        client({
          arrival: { kind: 'open', interarrival: dist(gap) },
          target: { service: 'default/web', port: 80, via: 'nodePort', nodes: [] },
          connection,
        }),
      ],
    });
  /** With k of n pods loaded (equally at best), the CV of pod counts is at least sqrt(n/k − 1). */
  const cvFloor = (k: number) => Math.sqrt(PODS / k - 1);

  it('keep-alive with long-lived connections: a few pods take everything; one connection per request balances', () => {
    const keepAlive = run(spec({ kind: 'keep-alive', requestsPerConnection: 1_000_000 }), { requests: 40_000 });
    const perRequest = run(spec({ kind: 'per-request' }), { requests: 40_000 });
    const conns = keepAlive.engine.connectionsOpened;
    expect(conns).toBeLessThan(10);
    const loaded = keepAlive.pods.filter((p) => p.requests > 0).length;
    expect(loaded).toBeLessThanOrEqual(conns);
    expect(shareCv(keepAlive)).toBeGreaterThanOrEqual(cvFloor(loaded) - 1e-9);
    expect(shareCv(keepAlive)).toBeGreaterThan(0.5);
    // One connection per request: multinomial noise only, CV ≈ sqrt((n−1)/N) ≈ 1.7 %.
    expect(perRequest.engine.connectionsOpened).toBe(40_000);
    expect(perRequest.pods.every((p) => p.requests > 0)).toBe(true);
    expect(shareCv(perRequest)).toBeLessThan(0.05);
  });

  it('a multiplexed pool of 2 connections reaches at most 2 pods; more requests per connection, more imbalance', () => {
    const pool = run(spec({ kind: 'pool', connections: 2 }, 'exp(mean=1ms)'), { requests: 20_000 });
    expect(pool.pods.filter((p) => p.requests > 0).length).toBeLessThanOrEqual(2);
    expect(pool.engine.connectionsOpened).toBe(2);
    expect(shareCv(pool)).toBeGreaterThanOrEqual(cvFloor(2) - 1e-9);
    // 4,000 connections of 10 requests average out (CV ≈ 1/sqrt(333) ≈ 5.5 %); a few of 10,000 cannot.
    const short = run(spec({ kind: 'keep-alive', requestsPerConnection: 10 }), { requests: 40_000 });
    const long = run(spec({ kind: 'keep-alive', requestsPerConnection: 10_000 }), { requests: 40_000 });
    expect(shareCv(short)).toBeLessThan(0.15);
    expect(long.engine.connectionsOpened).toBeLessThan(10);
    expect(shareCv(long)).toBeGreaterThan(0.5);
  });
});

describe('sessionAffinity: ClientIP (timeout 10 s)', () => {
  const spec = (gap: string, sourceIPs = 1) =>
    clusterSpec({
      podsPerNode: [6],
      service: { type: 'NodePort', sessionAffinity: 'ClientIP', sessionAffinityTimeout: 10 },
      kubeProxy: FREE_PROXY,
      clients: [
        client({
          arrival: { kind: 'open', interarrival: dist(gap) },
          target: { service: 'default/web', port: 80, via: 'nodePort', nodes: [] },
          sourceIPs,
        }),
      ],
    });

  it('one client IP sticks to one pod while new connections come within the timeout (every 9 s)', () => {
    const r = run(spec('const(9s)'), { requests: 200 });
    expect(r.pods.filter((p) => p.requests > 0)).toHaveLength(1);
    expect(r.pods.find((p) => p.requests > 0)!.requests).toBe(200);
  });

  it('after the timeout passes (every 11 s) each connection is balanced afresh', () => {
    const r = run(spec('const(11s)'), { requests: 600 });
    // Uniform over 6 pods: each gets 100 ± binomial tolerance.
    for (const p of r.pods) expect(Math.abs(p.requests - 100)).toBeLessThan(binomialTolerance(600, 1 / 6));
  });

  it('three source IPs reach at most three pods, each IP pinned to its pod', () => {
    const r = run(spec('exp(mean=100ms)', 3), { requests: 3000 });
    const used = r.pods.filter((p) => p.requests > 0);
    expect(used.length).toBeLessThanOrEqual(3);
    // Source IPs are used round-robin per connection: each holds a third of the requests.
    for (const p of used) expect(p.requests % 1000).toBe(0);
  });
});
