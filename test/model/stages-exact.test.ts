/**
 * `latencyByStage` with constant latencies: every stage's time is a number the test can write down, so
 * each stage's mean is asserted exactly (to 1e-12 s) and the shares add up to 1 (to 1e-9).
 *
 * Arrivals are 10 ms apart and service is 1 ms: no request ever waits. Network used throughout (as in
 * datapath-latency.test.ts): sameNode 20 µs, sameZone 100 µs, external 1 ms, LB→backend 50 µs,
 * forwarding 10 µs; kube-proxy connection cost 50 µs; LB processing 30 µs; service 1 ms.
 */
import { describe, expect, it } from 'vitest';
import type { LatencyByStage, RunResult, StageSummary } from '../../src/model/result.js';
import { run } from './datapath-helpers.js';
import { SAME_NODE, SAME_ZONE, EXTERNAL, LB, FORWARDING, COST, PROCESSING, SERVICE, constantSpec as spec } from './constant-latencies.js';

const UNUSED = ['dns', 'ingressQueue', 'ingressProcessing', 'external'] as const;

/** Every request's path includes `retries`; without a retry its time is exactly 0. */
function expectNoRetries(s: StageSummary, requests: number): void {
  expect(s).toEqual({ requests, mean: 0, p50: 0, p90: 0, p99: 0, max: 0, share: 0 });
}

/** A stage no request went through: requests 0, null figures, share 0. */
function expectUnused(s: StageSummary): void {
  expect(s).toEqual({ requests: 0, mean: null, p50: null, p90: null, p99: null, max: null, share: 0 });
}

/** Shares add to 1, and each share is the stage's time over all latency. */
function expectShares(r: RunResult): void {
  const stages = Object.values(r.latencyByStage) as StageSummary[];
  const sum = stages.reduce((s, x) => s + (x.share ?? 0), 0);
  expect(Math.abs(sum - 1)).toBeLessThan(1e-9);
  const totalLatency = r.latency.mean! * r.latency.count;
  for (const s of stages) {
    const time = s.requests > 0 ? s.mean! * s.requests : 0;
    expect(s.share!).toBeCloseTo(time / totalLatency, 9);
  }
}

/** Every stage's time summed over requests equals the latency summed over requests (to rounding). */
function expectStagesAddUp(st: LatencyByStage, r: RunResult): void {
  const time = (Object.values(st) as StageSummary[]).reduce((s, x) => s + (x.requests > 0 ? x.mean! * x.requests : 0), 0);
  expect(time / r.latency.count).toBeCloseTo(r.latency.mean!, 12);
}

describe('latency by stage with constant latencies (NodePort, externalTrafficPolicy Cluster, new connection per request)', () => {
  it('local and second-hop requests: network, proxy (connection cost + forwarding both ways), podQueue 0, podService', () => {
    // One pod on node-2; the client addresses node-1 and node-2 in turn: half the requests take a second hop.
    const r = run(spec({ podsPerNode: [0, 1] }), { requests: 1000 });
    const st = r.latencyByStage;
    expect(r.accounting.measured.completed).toBe(1000);
    expect(r.latencyByPath.local.count).toBe(500);
    expect(r.latencyByPath.secondHop.count).toBe(500);
    for (const k of ['network', 'proxy', 'podQueue', 'podService'] as const) expect(st[k].requests, k).toBe(1000);
    for (const k of UNUSED) expectUnused(st[k]);
    expectNoRetries(st.retries, 1000);

    const localNetwork = 2 * (EXTERNAL + SAME_NODE);
    const remoteNetwork = 2 * (EXTERNAL + SAME_ZONE + SAME_NODE);
    expect(st.network.mean!).toBeCloseTo((localNetwork + remoteNetwork) / 2, 12);
    expect(st.network.max!).toBeCloseTo(remoteNetwork, 12);
    // proxy: kube-proxy's connection cost on every request; the forwarding link both ways on the second hop.
    expect(st.proxy.mean!).toBeCloseTo(COST + (2 * FORWARDING) / 2, 12);
    expect(st.proxy.max!).toBeCloseTo(COST + 2 * FORWARDING, 12);
    expect(st.podQueue.mean).toBe(0);
    expect(st.podQueue.max).toBe(0);
    expect(st.podQueue.p99).toBe(0);
    expect(st.podService.mean!).toBeCloseTo(SERVICE, 12);
    expect(st.podService.max!).toBeCloseTo(SERVICE, 12);

    // The stages add up to the latency, request by request.
    const local = localNetwork + COST + SERVICE;
    const remote = remoteNetwork + COST + 2 * FORWARDING + SERVICE;
    expect(r.latency.mean!).toBeCloseTo((local + remote) / 2, 12);
    expectStagesAddUp(st, r);
    expectShares(r);
    expect(st.podService.share!).toBeCloseTo(SERVICE / ((local + remote) / 2), 9);
    expect(st.proxy.share!).toBeCloseTo((COST + FORWARDING) / ((local + remote) / 2), 9);
  });

  it('a pod on every node: proxy is the connection cost, plus forwarding both ways for the requests that hopped', () => {
    const r = run(spec({ podsPerNode: [1, 1] }), { requests: 400 });
    const st = r.latencyByStage;
    // Some requests still hop (kube-proxy picks among both pods); the hop adds forwarding both ways.
    const hops = r.latencyByPath.secondHop.count;
    expect(st.proxy.mean!).toBeCloseTo(COST + (hops / 400) * 2 * FORWARDING, 12);
    expect(st.podService.mean!).toBeCloseTo(SERVICE, 12);
    expectStagesAddUp(st, r);
    expectShares(r);
  });
});

describe('latency by stage through a cloud load balancer with keep-alive', () => {
  it('proxy (LB processing + kube-proxy cost) is paid by the first request of each connection only', () => {
    // One node, one pod: no second hop. 5 requests per connection, one at a time.
    const r = run(
      spec({
        podsPerNode: [1],
        type: 'LoadBalancer',
        connection: { kind: 'keep-alive', requestsPerConnection: 5 },
        client: { target: { service: 'default/web', port: 80, via: 'loadBalancer', nodes: [] } },
      }),
      { requests: 1000 },
    );
    const st = r.latencyByStage;
    expect(r.engine.connectionsOpened).toBe(200);
    expect(r.accounting.measured.completed).toBe(1000);
    const setup = PROCESSING + COST;
    expect(st.proxy.requests).toBe(1000);
    expect(st.proxy.mean!).toBeCloseTo(setup / 5, 12);
    expect(st.proxy.max!).toBeCloseTo(setup, 12);
    // 4 requests in 5 pay nothing: the median is exactly 0, the p90 is the setup (within the histogram's 3 %).
    expect(st.proxy.p50).toBe(0);
    expect(st.proxy.p90!).toBeGreaterThan(setup * 0.97);
    expect(st.proxy.p90!).toBeLessThanOrEqual(setup + 1e-15);

    const network = 2 * (EXTERNAL + LB + SAME_NODE);
    expect(st.network.mean!).toBeCloseTo(network, 12);
    expect(st.network.max!).toBeCloseTo(network, 12);
    expect(st.podQueue.mean).toBe(0);
    expect(st.podService.mean!).toBeCloseTo(SERVICE, 12);
    for (const k of UNUSED) expectUnused(st[k]);
    expectNoRetries(st.retries, 1000);

    const mean = network + SERVICE + setup / 5;
    expect(r.latency.mean!).toBeCloseTo(mean, 12);
    expectStagesAddUp(st, r);
    expectShares(r);
    expect(st.proxy.share!).toBeCloseTo(setup / 5 / mean, 9);
    expect(st.network.share!).toBeCloseTo(network / mean, 9);
  });
});
