/**
 * The end-to-end L4 shares of an instance-target load balancer in front of kube-proxy, against the
 * analytic values of KUBERNETES.md §3: the LB spreads evenly over healthy nodes, kube-proxy evenly over the
 * endpoints the receiving node may use.
 */
import { describe, expect, it } from 'vitest';
import { createLoadBalancer } from '../../../src/model/loadbalancer/index.js';
import { createServiceProxy } from '../../../src/model/proxy/index.js';
import type { ServiceSpec } from '../../../src/model/spec.js';
import { cluster, loadBalancer, streams } from '../fixtures.js';
import { binomialTolerance, histogram } from '../statistics.js';

const N = 60_000;

/** Pods 1/2/0 on three nodes; returns per-pod and per-node connection counts. */
function shares(service: Partial<ServiceSpec>): { pods: number[]; nodes: number[] } {
  const c = cluster({ podsPerNode: [1, 2, 0], zones: ['a', 'b', 'c'], service });
  const s = streams(5);
  const proxy = createServiceProxy(c.service, c.service.ports[0]!, c.index, s);
  const lb = createLoadBalancer(c.service, proxy.endpoints, c.index, s);
  const pods: number[] = [];
  const nodes: number[] = [];
  for (let flow = 0; flow < N; flow++) {
    const node = lb.choose(-1, flow);
    nodes.push(node);
    const ep = proxy.choose(node, 'external', flow, flow * 1e-4);
    if (ep >= 0) pods.push(proxy.endpoints[ep]!.pod);
  }
  return { pods: histogram(pods, 3), nodes: histogram(nodes, 3) };
}

function expectShares(counts: number[], expected: number[]): void {
  counts.forEach((count, i) => {
    const p = expected[i]!;
    expect(Math.abs(count - N * p)).toBeLessThanOrEqual(binomialTolerance(N, p));
  });
}

describe('instance-target LB + kube-proxy: pod shares', () => {
  const crossZone = { loadBalancer: loadBalancer({ crossZone: true }) };

  it('eTP Local: 50 / 25 / 25 % (even per node, then per pod), the node without pods gets nothing', () => {
    const { pods, nodes } = shares({ externalTrafficPolicy: 'Local', ...crossZone });
    expect(nodes[2]).toBe(0);
    expectShares(pods, [0.5, 0.25, 0.25]);
    expect(pods.reduce((a, b) => a + b)).toBe(N); // nothing dropped
  });

  it('eTP Cluster: every node receives, every pod gets 1/3 overall', () => {
    const { pods, nodes } = shares({ externalTrafficPolicy: 'Cluster', ...crossZone });
    expectShares(nodes, [1 / 3, 1 / 3, 1 / 3]);
    expectShares(pods, [1 / 3, 1 / 3, 1 / 3]);
  });
});
