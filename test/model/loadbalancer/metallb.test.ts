import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeEndpoints } from '../../../src/model/endpoints/index.js';
import { createLoadBalancer } from '../../../src/model/loadbalancer/index.js';
import { Drop, type LoadBalancerChoice } from '../../../src/model/routing.js';
import type { ServiceSpec } from '../../../src/model/spec.js';
import { cluster, loadBalancer, streams } from '../fixtures.js';

function metallb(podsPerNode: number[], service: Partial<ServiceSpec> = {}): LoadBalancerChoice {
  const c = cluster({
    podsPerNode,
    zones: ['a', 'b', 'c'],
    service: { ...service, loadBalancer: loadBalancer({ kind: 'metallb-l2' }) },
  });
  return createLoadBalancer(c.service, computeEndpoints(c.service, c.service.ports[0]!, c.index), c.index, streams(1));
}

/** The node MetalLB's speakers agree on: lowest SHA-256 of `<node>#<ip>`. */
function expectedOwner(nodes: number[], vip: string): number {
  const key = (n: number) => createHash('sha256').update(`node-${n + 1}#${vip}`).digest('hex');
  return [...nodes].sort((x, y) => key(x).localeCompare(key(y)))[0]!;
}

describe('MetalLB L2', () => {
  it('sends all traffic for the VIP to one node, the lowest hash of node name and VIP', () => {
    const lb = metallb([1, 1, 1, 1, 1, 1]);
    const chosen = new Set(Array.from({ length: 500 }, (_, flow) => lb.choose(flow % 3, flow)));
    expect(chosen).toEqual(new Set([expectedOwner([0, 1, 2, 3, 4, 5], '203.0.113.10')]));
    expect(lb.targetsPods).toBe(false);
  });

  it('chooses among nodes with a ready local endpoint under eTP Local', () => {
    const podsPerNode = [0, 1, 0, 1, 0, 0];
    const lb = metallb(podsPerNode, { externalTrafficPolicy: 'Local' });
    const owner = lb.choose(-1, 1);
    expect([1, 3]).toContain(owner);
    expect(owner).toBe(expectedOwner([1, 3], '203.0.113.10'));
    expect(lb.lastLbZone).toBe(owner % 3);
  });

  it('is not announced while the Service has no ready endpoint', () => {
    expect(metallb([0, 0, 0]).choose(-1, 1)).toBe(Drop.NoHealthyTarget);
  });
});
