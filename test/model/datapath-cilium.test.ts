/**
 * Cilium's kube-proxy replacement through the whole data path, with constant links (constant-latencies.ts)
 * so latencies are sums the test writes down: DSR against SNAT on the second hop, socket-level balancing
 * (no conntrack entry, the choice on the client's node), and determinism.
 */
import { describe, expect, it } from 'vitest';
import type { CiliumSpec, ClientSpec, KubeProxySpec } from '../../src/model/spec.js';
import { clusterSpec, deterministicPart, dist, run } from './datapath-helpers.js';
import { COST, CROSS_ZONE, EXTERNAL, FORWARDING, LB, PROCESSING, SAME_NODE, SAME_ZONE, SERVICE, constantSpec, exactly, type ConstantOptions } from './constant-latencies.js';
import { withTimeline } from '../../src/model/helpers/timeline-builders.js';
import { cilium, client } from './fixtures.js';

/** Cilium with a constant 50 µs per new connection (COST), or kube-proxy iptables with the same cost. */
function proxy(spec: Partial<CiliumSpec> | null): Partial<KubeProxySpec> {
  return spec === null ? { connectionCost: dist('const(50us)') } : { cilium: cilium({ connectionCost: dist('const(50us)'), ...spec }) };
}

/** constantSpec with Cilium (`cilium` its settings) or, with `cilium: null`, kube-proxy at the same cost. */
function spec({ cilium: settings, ...options }: Omit<ConstantOptions, 'kubeProxy' | 'lb' | 'policy'> & { cilium: Partial<CiliumSpec> | null }) {
  return constantSpec({ ...options, kubeProxy: proxy(settings) });
}

describe('DSR against SNAT (NodePort, eTP Cluster, one pod on node-2, the client addresses both nodes)', () => {
  const local = 2 * (EXTERNAL + SAME_NODE) + COST + SERVICE;

  it('the second hop falls by exactly one node-to-node traversal (and the entry node forwarding the reply)', () => {
    const snat = run(spec({ podsPerNode: [0, 1], cilium: { mode: 'snat' } }), { requests: 1000 });
    const dsr = run(spec({ podsPerNode: [0, 1], cilium: { mode: 'dsr' } }), { requests: 1000 });
    const snatRemote = 2 * (EXTERNAL + FORWARDING + SAME_ZONE + SAME_NODE) + COST + SERVICE;
    // Request: client → node-1 → forwarded → node-2 → pod. Reply: pod → node-2 → client.
    const dsrRemote = EXTERNAL + FORWARDING + SAME_ZONE + SAME_NODE + SAME_NODE + EXTERNAL + COST + SERVICE;
    exactly(snat.latencyByPath.secondHop, snatRemote, 500);
    exactly(dsr.latencyByPath.secondHop, dsrRemote, 500);
    expect(snatRemote - dsrRemote).toBeCloseTo(SAME_ZONE + FORWARDING, 12);
    // Local backends: identical; no SNAT either way in Cilium (kube-proxy masquerades them under eTP Cluster).
    exactly(snat.latencyByPath.local, local, 500);
    exactly(dsr.latencyByPath.local, local, 500);
    const pod = (r: typeof snat) => r.pods.find((p) => p.requests > 0)!;
    expect(pod(snat).sources).toEqual({ clientIp: 500, nodeIp: 500, loadBalancer: 0 });
    expect(pod(dsr).sources).toEqual({ clientIp: 1000, nodeIp: 0, loadBalancer: 0 });
  });

  it('kube-proxy iptables on the same topology matches Cilium SNAT on the second hop and masquerades local traffic too', () => {
    const kp = run(spec({ podsPerNode: [0, 1], cilium: null }), { requests: 1000 });
    exactly(kp.latencyByPath.secondHop, 2 * (EXTERNAL + FORWARDING + SAME_ZONE + SAME_NODE) + COST + SERVICE, 500);
    expect(kp.pods.find((p) => p.requests > 0)!.sources.nodeIp).toBe(1000);
  });

  it('across zones: DSR saves a crossZone traversal, and the response bytes no longer cross', () => {
    const options = { podsPerNode: [0, 1], zones: ['zone-a', 'zone-b'] };
    const snat = run(spec({ ...options, cilium: {} }), { requests: 1000 });
    const dsr = run(spec({ ...options, cilium: { mode: 'dsr' } }), { requests: 1000 });
    const snatRemote = 2 * (EXTERNAL + FORWARDING + CROSS_ZONE + SAME_NODE) + COST + SERVICE;
    exactly(snat.latencyByPath.crossZone, snatRemote, 500);
    exactly(dsr.latencyByPath.crossZone, snatRemote - CROSS_ZONE - FORWARDING, 500);
    expect(snat.paths.crossZoneBytes).toBe(500 * 1000 * 2);
    expect(dsr.paths.crossZoneBytes).toBe(500 * 1000);
  });

  it('hybrid behaves as DSR for a TCP port', () => {
    const dsr = run(spec({ podsPerNode: [0, 1], cilium: { mode: 'dsr' } }), { requests: 400 });
    const hybrid = run(spec({ podsPerNode: [0, 1], cilium: { mode: 'hybrid' } }), { requests: 400 });
    expect(deterministicPart(hybrid)).toEqual(deterministicPart(dsr));
  });

  it('through an instance-target load balancer the reply leaves node-2 for the LB: one node-to-node traversal less', () => {
    const lbClient = { target: { service: 'default/web', port: 80, via: 'loadBalancer' as const, nodes: [] } };
    const snat = run(spec({ podsPerNode: [1, 1], type: 'LoadBalancer', cilium: {}, client: lbClient }), { requests: 2000 });
    const dsr = run(spec({ podsPerNode: [1, 1], type: 'LoadBalancer', cilium: { mode: 'dsr' }, client: lbClient }), { requests: 2000 });
    const base = PROCESSING + COST + SERVICE;
    const snatRemote = 2 * (EXTERNAL + LB + FORWARDING + SAME_ZONE + SAME_NODE) + base;
    exactly(snat.latencyByPath.secondHop, snatRemote);
    exactly(dsr.latencyByPath.secondHop, snatRemote - SAME_ZONE - FORWARDING);
    exactly(dsr.latencyByPath.local, 2 * (EXTERNAL + LB + SAME_NODE) + base);
    expect(dsr.latencyByPath.secondHop.count).toBeGreaterThan(0);
  });
});

describe('socket-level balancing for in-cluster clients', () => {
  const inCluster = (via: 'clusterIP' | 'nodePort'): Partial<ClientSpec> => ({
    location: { kind: 'pod', node: 'node-1' },
    target: { service: 'default/web', port: 80, via, nodes: via === 'nodePort' ? ['node-2'] : [] },
    connection: { kind: 'keep-alive', requestsPerConnection: 4 },
  });

  it('keeps no conntrack entry on any node, where kube-proxy keeps one per open connection', () => {
    const c = run(spec({ podsPerNode: [1, 1], cilium: {}, client: inCluster('clusterIP') }), { requests: 2000 });
    const k = run(spec({ podsPerNode: [1, 1], cilium: null, client: inCluster('clusterIP') }), { requests: 2000 });
    expect(c.nodes.map((n) => n.conntrackPeak)).toEqual([0, 0]);
    expect(k.nodes[0]!.conntrackPeak).toBeGreaterThan(0);
    // Choices on the client's node, per connection: both pods get connections.
    expect(c.nodes[0]!.newConnections).toBe(500);
    expect(c.pods.every((p) => p.requests > 0)).toBe(true);
  });

  it('a NodePort addressed from a pod is balanced at connect() on the client node: no stop at the addressed node', () => {
    const r = run(spec({ podsPerNode: [1, 1], cilium: {}, client: inCluster('nodePort') }), { requests: 2000 });
    expect(r.nodes[1]!.entryRequests).toBe(0);
    expect(r.nodes[0]!.entryRequests).toBe(2000);
    expect(r.nodes.map((n) => n.conntrackPeak)).toEqual([0, 0]);
    // pod → pod on node-1 (leave, enter) or via node-2 (plus one node-to-node traversal): no forwarding.
    // A connection's first request pays the connect-time cost once.
    expect(r.latency.min!).toBeCloseTo(4 * SAME_NODE + SERVICE, 12);
    expect(r.latency.max!).toBeCloseTo(4 * SAME_NODE + 2 * SAME_ZONE + SERVICE + COST, 12);
  });
});

describe('during a rolling update (the agents rebuild their Maglev tables as endpoints change)', () => {
  it('serves through the rollout: new pods get north-south flows, none is lost with a preStop sleep', () => {
    const base = clusterSpec({
      podsPerNode: [2, 2, 2],
      zones: ['zone-a', 'zone-b', 'zone-c'],
      kubeProxy: { cilium: cilium({ algorithm: 'maglev', mode: 'dsr' }) },
      clients: [
        client({
          arrival: { kind: 'open', interarrival: dist('exp(rate=500/s)') },
          target: { service: 'default/web', port: 80, via: 'nodePort', nodes: [] },
          connection: { kind: 'keep-alive', requestsPerConnection: 20 },
        }),
      ],
    });
    const sim = { ...base, simulation: { seed: 1, duration: 90, requests: null, warmup: 0 } };
    const template = withTimeline(sim, { events: [], lifecycle: { preStop: 5 } }).time!.deployments[0]!.template;
    const spec = withTimeline(sim, { events: [{ at: 20, kind: 'rollout', deployment: 'default/web', template }], lifecycle: { preStop: 5 } });
    const r = run(spec, spec.simulation);
    expect(r.accounting.total.droppedTotal).toBe(0);
    // The pods the rollout created served what came after it (70 of 90 s): the tables moved to them.
    const first = r.pods.filter((p) => /^default\/web-[0-5]$/.test(p.pod));
    const fresh = r.pods.filter((p) => !first.includes(p));
    expect(first).toHaveLength(6);
    expect(fresh.length).toBeGreaterThanOrEqual(6);
    expect(fresh.reduce((n, p) => n + p.requests, 0)).toBeGreaterThan(0.6 * r.accounting.total.completed);
  });
});

describe('determinism', () => {
  it('the same scenario and seed give identical results (Maglev, DSR, Poisson arrivals and random links)', () => {
    const make = () =>
      clusterSpec({
        podsPerNode: [1, 2, 1],
        zones: ['zone-a', 'zone-b'],
        kubeProxy: { cilium: cilium({ algorithm: 'maglev', mode: 'dsr' }) },
        clients: [client({ arrival: { kind: 'open', interarrival: dist('exp(rate=2000/s)') }, target: { service: 'default/web', port: 80, via: 'nodePort', nodes: [] } })],
      });
    const a = run(make(), { requests: 5000, seed: 3 });
    const b = run(make(), { requests: 5000, seed: 3 });
    expect(JSON.stringify(deterministicPart(a))).toBe(JSON.stringify(deterministicPart(b)));
    const c = run(make(), { requests: 5000, seed: 4 });
    expect(JSON.stringify(deterministicPart(c))).not.toBe(JSON.stringify(deterministicPart(a)));
  });
});
