import { describe, expect, it } from 'vitest';
import { createServiceProxy } from '../../../src/model/proxy/index.js';
import { Drop, type ServiceProxy } from '../../../src/model/routing.js';
import type { ProxyMode } from '../../../src/model/spec.js';
import { cluster, streams, type ClusterOptions } from '../fixtures.js';
import { chiSquare, chiSquareCritical, histogram } from '../statistics.js';

function proxyFor(options: ClusterOptions, seed: number | string = 1): ServiceProxy {
  const { index, service } = cluster(options);
  return createServiceProxy(service, service.ports[0]!, index, streams(seed));
}

function choices(proxy: ServiceProxy, node: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => proxy.choose(node, 'internal', i, i * 1e-3));
}

const FIVE_PODS: ClusterOptions = { podsPerNode: [2, 2, 1], zones: ['a', 'b', 'c'] };
const N = 50_000;

describe.each<ProxyMode>(['iptables', 'nftables'])('%s endpoint choice', (mode) => {
  const options = { ...FIVE_PODS, kubeProxy: { mode } };

  it('is uniform over the endpoints on every node (chi-square, df 4, level 1e-4)', () => {
    const proxy = proxyFor(options);
    for (let node = 0; node < 3; node++) {
      const counts = histogram(choices(proxy, node, N), 5);
      expect(chiSquare(counts, Array(5).fill(0.2))).toBeLessThan(chiSquareCritical(4));
    }
  });

  it('draws independently on each node (pairs of choices uniform over 25 cells)', () => {
    const proxy = proxyFor(options);
    const a = choices(proxy, 0, N);
    const b = choices(proxy, 1, N);
    const pairs = histogram(a.map((x, i) => x * 5 + b[i]!), 25);
    expect(chiSquare(pairs, Array(25).fill(1 / 25))).toBeLessThan(chiSquareCritical(24));
  });

  it('is reproducible for a seed, and a node draws the same whatever other nodes do', () => {
    const first = proxyFor(options, 7);
    const second = proxyFor(options, 7);
    choices(second, 0, 1000); // node-1 traffic must not shift node-2's stream
    expect(choices(second, 1, 200)).toEqual(choices(first, 1, 200));
    expect(choices(proxyFor(options, 8), 1, 200)).not.toEqual(choices(first, 1, 200));
  });
});

describe('drop codes', () => {
  it('REJECTs with no endpoint anywhere, including a Service without selector', () => {
    expect(proxyFor({ podsPerNode: [0, 0] }).choose(0, 'internal', 1, 0)).toBe(Drop.NoEndpoints);
    expect(proxyFor({ podsPerNode: [1, 1], service: { selector: null } }).choose(0, 'external', 1, 0)).toBe(
      Drop.NoEndpoints,
    );
  });

  it('DROPs under internalTrafficPolicy Local on a node without a local endpoint', () => {
    const proxy = proxyFor({ podsPerNode: [1, 0], service: { internalTrafficPolicy: 'Local' } });
    expect(proxy.choose(0, 'internal', 1, 0)).toBe(0);
    expect(proxy.choose(1, 'internal', 1, 0)).toBe(Drop.NoLocalEndpoint);
  });

  it('does not proxy headless or ExternalName Services', () => {
    for (const svc of [{ clusterIP: null }, { type: 'ExternalName' as const, clusterIP: null }]) {
      const proxy = proxyFor({ podsPerNode: [1], service: svc });
      expect(proxy.endpoints).toEqual([]);
      expect(proxy.choose(0, 'internal', 1, 0)).toBe(Drop.NotProxied);
    }
  });
});

describe('SNAT (masquerade)', () => {
  it('masquerades external traffic under eTP Cluster only, never pod -> clusterIP traffic', () => {
    const clusterPolicy = proxyFor({ podsPerNode: [1] });
    const localPolicy = proxyFor({ podsPerNode: [1], service: { externalTrafficPolicy: 'Local' } });
    expect(clusterPolicy.masquerades(0, 'external', 0)).toBe(true);
    expect(clusterPolicy.masquerades(0, 'internal', 0)).toBe(false);
    expect(localPolicy.masquerades(0, 'external', 0)).toBe(false);
    expect(localPolicy.masquerades(0, 'internal', 0)).toBe(false);
  });
});
