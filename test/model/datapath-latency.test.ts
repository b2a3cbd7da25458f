/**
 * With constant link latencies, constant service times and no queueing (arrivals 10 ms apart, service
 * 1 ms), every request's latency is a sum the test can write down: these tests assert it exactly (to
 * 1e-12 s), path kind by path kind. Min and max of a latency summary are exact (not bucketed).
 *
 * Network used throughout: sameNode 20 µs, sameZone 100 µs, crossZone 700 µs, external 1 ms,
 * LB→backend 50 µs, forwarding 10 µs; kube-proxy connection cost 50 µs; LB processing 30 µs.
 */
import { describe, expect, it } from 'vitest';
import { run } from './datapath-helpers.js';
import { SAME_NODE, SAME_ZONE, CROSS_ZONE, EXTERNAL, LB, FORWARDING, COST, PROCESSING, SERVICE, constantSpec as spec, exactly } from './constant-latencies.js';

describe('exact latencies with constant links (NodePort, externalTrafficPolicy Cluster, new connection per request)', () => {
  it('second hop in the zone adds exactly 2 × (node↔node + forwarding) to the local path', () => {
    // One pod on node-2; the client addresses node-1 and node-2 in turn.
    const r = run(spec({ podsPerNode: [0, 1] }), { requests: 1000 });
    const local = 2 * (EXTERNAL + SAME_NODE) + COST + SERVICE;
    const remote = 2 * (EXTERNAL + FORWARDING + SAME_ZONE + SAME_NODE) + COST + SERVICE;
    exactly(r.latencyByPath.local, local, 500);
    exactly(r.latencyByPath.secondHop, remote, 500);
    expect(remote - local).toBeCloseTo(2 * (SAME_ZONE + FORWARDING), 12);
    expect(r.latencyByPath.crossZone.count).toBe(0);
    expect(r.latency.mean!).toBeCloseTo((local + remote) / 2, 12);
    expect(r.nodes.map((n) => [n.entryRequests, n.forwarded])).toEqual([
      [500, 500],
      [500, 0],
    ]);
    // arrival, at node, at pod, service end, response at client.
    expect(r.engine.events).toBe(5 * 1000);
  });

  it('across zones: 2 × (crossZone + forwarding), and the bytes crossing are counted and priced', () => {
    const r = run(spec({ podsPerNode: [0, 1], zones: ['zone-a', 'zone-b'] }), { requests: 1000 });
    const remote = 2 * (EXTERNAL + FORWARDING + CROSS_ZONE + SAME_NODE) + COST + SERVICE;
    exactly(r.latencyByPath.crossZone, remote, 500);
    exactly(r.latencyByPath.local, 2 * (EXTERNAL + SAME_NODE) + COST + SERVICE, 500);
    expect(r.paths.crossZone).toBe(500);
    expect(r.paths.crossZoneFraction).toBe(0.5);
    // 1000-byte requests from zone-a to zone-b, 1000-byte responses back.
    expect(r.zones).toEqual([
      { zone: 'zone-a', requestsServed: 0, crossZoneBytesSent: 500 * 1000 },
      { zone: 'zone-b', requestsServed: 1000, crossZoneBytesSent: 500 * 1000 },
    ]);
    expect(r.paths.crossZoneBytes).toBe(1e6);
    expect(r.paths.crossZoneCost).toBeCloseTo((1e6 / 1e9) * 0.02, 15);
  });

  it('externalTrafficPolicy Local on a node without a pod: no second hop, the request is dropped', () => {
    const r = run(spec({ podsPerNode: [0, 1], policy: 'Local' }), { requests: 1000 });
    exactly(r.latencyByPath.local, 2 * (EXTERNAL + SAME_NODE) + COST + SERVICE, 500);
    expect(r.latencyByPath.secondHop.count).toBe(0);
    expect(r.accounting.total.dropped['no-local-endpoint']).toBe(500);
    expect(r.nodes[0]!.dropped).toBe(500);
  });
});

describe('exact latencies through a cloud load balancer', () => {
  it('instance target with keep-alive: LB processing and kube-proxy cost only on a connection’s first request', () => {
    // 2 nodes, pod on node-1; 5 requests per connection, one at a time.
    const r = run(
      spec({ podsPerNode: [1, 0], type: 'LoadBalancer', connection: { kind: 'keep-alive', requestsPerConnection: 5 }, client: { target: { service: 'default/web', port: 80, via: 'loadBalancer', nodes: [] } } }),
      { requests: 5000 },
    );
    const local = 2 * (EXTERNAL + LB + SAME_NODE) + SERVICE;
    const remote = 2 * (EXTERNAL + LB + FORWARDING + SAME_ZONE + SAME_NODE) + SERVICE;
    const setup = PROCESSING + COST;
    for (const [s, base] of [
      [r.latencyByPath.local, local],
      [r.latencyByPath.secondHop, remote],
    ] as const) {
      expect(s.count % 5).toBe(0);
      expect(s.min!).toBeCloseTo(base, 12);
      expect(s.max!).toBeCloseTo(base + setup, 12);
      expect(s.mean!).toBeCloseTo(base + setup / 5, 12);
    }
    expect(r.engine.connectionsOpened).toBe(1000);
  });

  it('IP target: LB straight to the pod, no kube-proxy, no second hop; the pod sees the LB address', () => {
    const r = run(
      spec({ podsPerNode: [1, 1], type: 'LoadBalancer', lb: 'ip', client: { target: { service: 'default/web', port: 80, via: 'loadBalancer', nodes: [] } } }),
      { requests: 1000 },
    );
    exactly(r.latencyByPath.local, 2 * (EXTERNAL + LB + SAME_NODE) + PROCESSING + SERVICE, 1000);
    expect(r.paths.secondHop).toBe(0);
    for (const n of r.nodes) expect(n.entryRequests).toBe(0);
    for (const p of r.pods) expect(p.sources.loadBalancer).toBe(p.requests);
  });
});

describe('exact latencies of pod → ClusterIP traffic (no forwarding cost, no SNAT)', () => {
  it('same node: leave the pod and enter the other; other node: plus one node↔node traversal each way', () => {
    const r = run(
      spec({
        podsPerNode: [1, 1],
        client: { location: { kind: 'pod', node: 'node-1' }, target: { service: 'default/web', port: 80, via: 'clusterIP', nodes: [] } },
      }),
      { requests: 20_000 },
    );
    exactly(r.latencyByPath.local, 2 * (2 * SAME_NODE) + COST + SERVICE);
    exactly(r.latencyByPath.secondHop, 2 * (SAME_NODE + SAME_ZONE + SAME_NODE) + COST + SERVICE);
    for (const p of r.pods) expect(p.sources.clientIp).toBe(p.requests);
    expect(r.nodes[0]!.entryRequests).toBe(20_000);
  });
});

describe('in-cluster clients addressing the load balancer', () => {
  const viaLb = { service: 'default/web', port: 80, via: 'loadBalancer', nodes: [] } as const;
  const fromPod = { location: { kind: 'pod', node: 'node-1' }, target: viaLb } as const;

  it('an LB with an IP is intercepted by kube-proxy on the client’s node: the clusterIP path, no LB', () => {
    const r = run(spec({ podsPerNode: [1, 0], type: 'LoadBalancer', client: fromPod }), { requests: 1000 });
    exactly(r.latencyByPath.local, 2 * (2 * SAME_NODE) + COST + SERVICE, 1000);
    expect(r.nodes[0]!.entryRequests).toBe(1000);
  });

  it('an LB known only by hostname (no IP) is reached through the edge, like an external client', () => {
    const s = spec({ podsPerNode: [1, 0], type: 'LoadBalancer', client: fromPod });
    const hostnameOnly = { ...s, services: s.services.map((x) => ({ ...x, loadBalancerIP: null })) };
    const r = run(hostnameOnly, { requests: 1000 });
    const local = 2 * (SAME_NODE + EXTERNAL + LB + SAME_NODE) + PROCESSING + COST + SERVICE;
    exactly(r.latencyByPath.local, local);
    expect(r.latencyByPath.local.count + r.latencyByPath.secondHop.count).toBe(1000);
  });
});
