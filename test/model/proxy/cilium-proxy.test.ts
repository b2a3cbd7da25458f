/**
 * Cilium's kube-proxy replacement, one Service port at a time: socket-level balancing for east-west
 * traffic, random or Maglev for north-south, SNAT / DSR / hybrid, affinity, hints, and table rebuilds.
 */
import { describe, expect, it } from 'vitest';
import { computeHints, noHints } from '../../../src/model/endpoints/hints.js';
import { CiliumServiceProxy, createServiceProxy } from '../../../src/model/proxy/index.js';
import { Drop } from '../../../src/model/routing.js';
import type { CiliumSpec, ServiceSpec } from '../../../src/model/spec.js';
import { cilium, cluster, streams, type ClusterOptions } from '../fixtures.js';
import { chiSquare, chiSquareCritical, histogram } from '../statistics.js';

function proxyFor(options: ClusterOptions, spec: Partial<CiliumSpec> = {}, seed: number | string = 1): CiliumServiceProxy {
  const { index, service } = cluster({ ...options, kubeProxy: { ...options.kubeProxy, cilium: cilium(spec) } });
  const proxy = createServiceProxy(service, service.ports[0]!, index, streams(seed));
  expect(proxy).toBeInstanceOf(CiliumServiceProxy);
  return proxy as CiliumServiceProxy;
}

const FIVE_PODS: ClusterOptions = { podsPerNode: [2, 2, 1], zones: ['a', 'b', 'c'] };
const N = 50_000;

describe('east-west: socket-level balancing at connect() on the client node', () => {
  it('keeps no conntrack entry and no NAT for in-cluster connections; north-south flows do take one', () => {
    const proxy = proxyFor(FIVE_PODS);
    expect(proxy.keepsConntrack('internal')).toBe(false);
    expect(proxy.keepsConntrack('external')).toBe(true);
    for (let e = 0; e < 5; e++) expect(proxy.masquerades(0, 'internal', e)).toBe(false);
  });

  it('is uniform over the endpoints on every node (chi-square, df 4, level 1e-4), Maglev or not', () => {
    for (const algorithm of ['random', 'maglev'] as const) {
      const proxy = proxyFor(FIVE_PODS, { algorithm });
      for (let node = 0; node < 3; node++) {
        // One client address: Maglev would pin it to one backend if it applied to east-west traffic.
        const c = histogram(Array.from({ length: N }, (_, i) => proxy.choose(node, 'internal', 1, i * 1e-3)), 5);
        expect(chiSquare(c, Array(5).fill(0.2))).toBeLessThan(chiSquareCritical(4));
      }
      expect(proxy.tablesBuilt).toBe(0);
    }
  });

  it('honours internalTrafficPolicy Local: node-local backends only, DROP on a node without one', () => {
    const proxy = proxyFor({ podsPerNode: [1, 0], service: { internalTrafficPolicy: 'Local' } });
    expect(proxy.choose(0, 'internal', 1, 0)).toBe(0);
    expect(proxy.choose(1, 'internal', 1, 0)).toBe(Drop.NoLocalEndpoint);
  });

  it('ignores topology hints unless loadBalancer.serviceTopology is set', () => {
    const options: ClusterOptions = { podsPerNode: [1, 1], zones: ['a', 'b'], service: { trafficDistribution: 'PreferSameZone' } };
    const off = proxyFor(options);
    const on = proxyFor(options, { serviceTopology: true });
    const seen = (p: CiliumServiceProxy): Set<number> => new Set(Array.from({ length: 200 }, (_, i) => p.choose(0, 'internal', i, 0)));
    expect(seen(off)).toEqual(new Set([0, 1]));
    expect(seen(on)).toEqual(new Set([0]));
    const { index, service } = cluster({ ...options, kubeProxy: { cilium: cilium() } });
    expect(Array.from(computeHints(service, off.endpoints, index).forZone)).toEqual([-1, -1]);
  });
});

describe('north-south: random or Maglev on the entry node', () => {
  it('random: uniform per node over the cluster-wide backends under eTP Cluster', () => {
    const proxy = proxyFor(FIVE_PODS);
    const c = histogram(Array.from({ length: N }, (_, i) => proxy.choose(2, 'external', i, 0)), 5);
    expect(chiSquare(c, Array(5).fill(0.2))).toBeLessThan(chiSquareCritical(4));
  });

  it('maglev: the same flow gets the same backend on every node, from one shared table', () => {
    const proxy = proxyFor(FIVE_PODS, { algorithm: 'maglev' });
    for (let flow = 0; flow < 2000; flow++) {
      const ip = flow % 37;
      const port = 32768 + flow;
      const first = proxy.chooseFlow(0, 'external', ip, port, 0);
      expect(proxy.chooseFlow(1, 'external', ip, port, 0)).toBe(first);
      expect(proxy.chooseFlow(2, 'external', ip, port, 0)).toBe(first);
    }
    expect(proxy.tablesBuilt).toBe(1);
    expect(proxy.maglevTable(0)).toBe(proxy.maglevTable(2));
    expect(proxy.maglevTable(0).length).toBe(16381);
  });

  it('maglev: flows of many clients spread evenly (the table shares are within one slot; chi-square on flows)', () => {
    const proxy = proxyFor(FIVE_PODS, { algorithm: 'maglev' });
    const c = histogram(Array.from({ length: N }, (_, i) => proxy.choose(0, 'external', i % 1000, 0)), 5);
    expect(chiSquare(c, Array(5).fill(0.2))).toBeLessThan(chiSquareCritical(4));
  });

  it('maglev: a node rebuilds its table when its backends change (an agent update); nodes not yet updated keep theirs', () => {
    const proxy = proxyFor(FIVE_PODS, { algorithm: 'maglev' });
    const flows = (node: number): number[] => Array.from({ length: 5000 }, (_, i) => proxy.chooseFlow(node, 'external', i, 40000, 0));
    const before = flows(0);
    // Node 0's agent learns that endpoint 2 is gone (not ready, not serving).
    const view = proxy.endpoints.map((ep, e) => (e === 2 ? { ...ep, ready: false, serving: false } : ep));
    proxy.topology.applyView(0, view, noHints(view.length));
    proxy.viewChanged(0);
    const after = flows(0);
    expect(after.includes(2)).toBe(false);
    let others = 0;
    before.forEach((b, i) => {
      if (b !== 2 && after[i] !== b) others++;
    });
    // Every flow of the removed backend moves; of the rest, a few (Maglev is nearly minimal-disruption).
    expect(others / before.length).toBeLessThan(0.03);
    expect(flows(1)).toEqual(before);
    expect(proxy.tablesBuilt).toBe(2);
  });

  it('maglev under eTP Local: each node hashes over its own backends', () => {
    const proxy = proxyFor({ podsPerNode: [2, 1, 0], service: { externalTrafficPolicy: 'Local' } }, { algorithm: 'maglev' });
    const onNode0 = new Set(Array.from({ length: 500 }, (_, i) => proxy.chooseFlow(0, 'external', i, 40000, 0)));
    expect(onNode0).toEqual(new Set([0, 1]));
    expect(proxy.chooseFlow(1, 'external', 5, 40000, 0)).toBe(2);
    expect(proxy.chooseFlow(2, 'external', 5, 40000, 0)).toBe(Drop.NoLocalEndpoint);
    expect(proxy.tablesBuilt).toBe(2);
  });

  it('maglev with session affinity hashes the client address only: one backend per client', () => {
    const proxy = proxyFor(FIVE_PODS, { algorithm: 'maglev' });
    const sticky = proxyFor({ ...FIVE_PODS, service: { sessionAffinity: 'ClientIP', sessionAffinityTimeout: 10800 } }, { algorithm: 'maglev' });
    const ports = Array.from({ length: 200 }, (_, i) => 32768 + 97 * i);
    expect(new Set(ports.map((p) => proxy.chooseFlow(0, 'external', 3, p, 0))).size).toBeGreaterThan(1);
    for (const node of [0, 1, 2]) {
      expect(new Set(Array.from({ length: 200 }, (_, i) => sticky.choose(node, 'external', 3, i))).size).toBe(1);
    }
    // Every node picks the same backend for the client, without sharing its affinity map.
    const b = sticky.choose(0, 'external', 11, 0);
    expect(sticky.choose(1, 'external', 11, 0)).toBe(b);
  });

  it('session affinity (random) pins a client for the timeout, per node and frontend', () => {
    const proxy = proxyFor({ ...FIVE_PODS, service: { sessionAffinity: 'ClientIP', sessionAffinityTimeout: 10 } });
    const first = proxy.choose(0, 'internal', 4, 0);
    for (let t = 1; t < 50; t++) expect(proxy.choose(0, 'internal', 4, t * 0.1)).toBe(first);
    const later = new Set(Array.from({ length: 50 }, (_, i) => proxy.choose(0, 'internal', 100 + i, 20)));
    expect(later.size).toBeGreaterThan(1);
  });
});

describe('SNAT, DSR and hybrid', () => {
  const remote = (proxy: CiliumServiceProxy, node: number): number => proxy.endpoints.findIndex((ep) => ep.node !== node);
  const local = (proxy: CiliumServiceProxy, node: number): number => proxy.endpoints.findIndex((ep) => ep.node === node);
  const udp = (options: ClusterOptions): ClusterOptions => ({
    ...options,
    service: { ports: [{ protocol: 'UDP', port: 53, targetPort: 53 }] } as Partial<ServiceSpec>,
  });

  it('snat: a remote backend is masqueraded and replies through the entry node; a local one keeps the client address', () => {
    const proxy = proxyFor(FIVE_PODS);
    expect(proxy.masquerades(0, 'external', remote(proxy, 0))).toBe(true);
    expect(proxy.repliesDirect(0, 'external', remote(proxy, 0))).toBe(false);
    expect(proxy.masquerades(0, 'external', local(proxy, 0))).toBe(false);
  });

  it('dsr: no SNAT, the reply leaves from the backend node (remote backends only)', () => {
    const proxy = proxyFor(FIVE_PODS, { mode: 'dsr' });
    expect(proxy.masquerades(0, 'external', remote(proxy, 0))).toBe(false);
    expect(proxy.repliesDirect(0, 'external', remote(proxy, 0))).toBe(true);
    expect(proxy.repliesDirect(0, 'external', local(proxy, 0))).toBe(false);
    expect(proxy.repliesDirect(0, 'internal', remote(proxy, 0))).toBe(false);
  });

  it('hybrid: DSR for TCP, SNAT for UDP', () => {
    const tcp = proxyFor(FIVE_PODS, { mode: 'hybrid' });
    expect(tcp.repliesDirect(0, 'external', remote(tcp, 0))).toBe(true);
    expect(tcp.masquerades(0, 'external', remote(tcp, 0))).toBe(false);
    const u = proxyFor(udp(FIVE_PODS), { mode: 'hybrid' });
    expect(u.port.protocol).toBe('UDP');
    expect(u.repliesDirect(0, 'external', remote(u, 0))).toBe(false);
    expect(u.masquerades(0, 'external', remote(u, 0))).toBe(true);
  });
});

describe('determinism', () => {
  it('the same seed gives the same choices; another seed other random ones; Maglev does not depend on the seed', () => {
    const draw = (p: CiliumServiceProxy): number[] => Array.from({ length: 300 }, (_, i) => p.choose(i % 3, i % 2 ? 'internal' : 'external', i, 0));
    expect(draw(proxyFor(FIVE_PODS, {}, 7))).toEqual(draw(proxyFor(FIVE_PODS, {}, 7)));
    expect(draw(proxyFor(FIVE_PODS, {}, 8))).not.toEqual(draw(proxyFor(FIVE_PODS, {}, 7)));
    const flows = (p: CiliumServiceProxy): number[] => Array.from({ length: 300 }, (_, i) => p.chooseFlow(0, 'external', i, 40000 + i, 0));
    expect(flows(proxyFor(FIVE_PODS, { algorithm: 'maglev' }, 7))).toEqual(flows(proxyFor(FIVE_PODS, { algorithm: 'maglev' }, 8)));
  });
});
