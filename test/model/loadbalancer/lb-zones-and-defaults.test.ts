/**
 * Small rules of the load balancers that the share tests do not pin down: the zone of each LB node when
 * the spec names a zone without cluster nodes, the default DNS client routing, the key MetalLB hashes when
 * the Service has no `loadBalancerIP`, the zone MetalLB books (none while it announces nothing), and the
 * Kubernetes label that takes a node out of every cloud LB's targets.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeEndpoints } from '../../../src/model/endpoints/index.js';
import { createLoadBalancer, loadBalancerZones } from '../../../src/model/loadbalancer/create-load-balancer.js';
import { ZonalLoadBalancer } from '../../../src/model/loadbalancer/zonal-balancer.js';
import { Drop, type LoadBalancerChoice } from '../../../src/model/routing.js';
import type { LoadBalancerSpec, ServiceSpec } from '../../../src/model/spec.js';
import { cluster, loadBalancer, streams, type ClusterOptions } from '../fixtures.js';

function build(lb: Partial<LoadBalancerSpec>, service: Partial<ServiceSpec> = {}, options: Partial<ClusterOptions> = {}): LoadBalancerChoice {
  const c = cluster({ podsPerNode: [1, 1, 1], zones: ['a', 'b', 'c'], ...options, service: { ...service, loadBalancer: loadBalancer(lb) } });
  return createLoadBalancer(c.service, computeEndpoints(c.service, c.service.ports[0]!, c.index), c.index, streams(1));
}

describe('LB node zones', () => {
  it('a zone the spec names but the cluster has no node in is zone −1; the others keep their index', () => {
    const c = cluster({ podsPerNode: [1, 1, 1], zones: ['a', 'b', 'c'], service: { loadBalancer: loadBalancer({ zones: ['a', 'x', 'c'] }) } });
    expect(Array.from(loadBalancerZones(c.service, c.index))).toEqual([0, -1, 2]);
  });

  it('without zones in the spec, one LB node per cluster zone, in zone order', () => {
    const c = cluster({ podsPerNode: [1, 1, 1], zones: ['a', 'b', 'c'] });
    expect(Array.from(loadBalancerZones(c.service, c.index))).toEqual([0, 1, 2]);
  });
});

describe('DNS client routing by default', () => {
  it('a cloud LB whose spec sets no client routing resolves clients to any zone', () => {
    const lb = build({ crossZone: true });
    expect(lb).toBeInstanceOf(ZonalLoadBalancer);
    expect((lb as ZonalLoadBalancer).clientRouting).toBe('any-zone');
  });

  it('the balancer built without a routing argument is any-zone too', () => {
    const targets = { ids: Int32Array.from([7]), zones: Int32Array.from([0]) };
    expect(new ZonalLoadBalancer(false, targets, Int32Array.from([0]), true, 1, 1).clientRouting).toBe('any-zone');
  });
});

describe('MetalLB L2', () => {
  /** The lowest SHA-256 of `<node name>#<key>` over the nodes (MetalLB's speakers agree on it). */
  function owner(nodes: number, key: string): number {
    const hash = (n: number) => createHash('sha256').update(`node-${n + 1}#${key}`).digest('hex');
    return Array.from({ length: nodes }, (_, n) => n).sort((x, y) => hash(x).localeCompare(hash(y)))[0]!;
  }

  it('without a loadBalancerIP the key is <namespace>/<name> of the Service', () => {
    // Eight nodes: the owner for "default/web" differs from the owner for an empty key, so the key matters.
    expect(owner(8, 'default/web')).not.toBe(owner(8, ''));
    const lb = build({ kind: 'metallb-l2' }, { loadBalancerIP: null }, { podsPerNode: [1, 1, 1, 1, 1, 1, 1, 1] });
    expect(lb.choose(-1, 1)).toBe(owner(8, 'default/web'));
  });

  it('books the announcing node\'s zone, also when that is the first node (zone a = 0)', () => {
    const lb = build({ kind: 'metallb-l2' }, { externalTrafficPolicy: 'Local' }, { podsPerNode: [1, 0, 0] });
    expect(lb.choose(-1, 1)).toBe(0);
    expect(lb.lastLbZone).toBe(0);
    const third = build({ kind: 'metallb-l2' }, { externalTrafficPolicy: 'Local' }, { podsPerNode: [0, 0, 1] });
    expect(third.lastLbZone).toBe(2);
  });

  it('announcing nothing (no ready endpoint), it books no zone: −1', () => {
    const lb = build({ kind: 'metallb-l2' }, {}, { podsPerNode: [0, 0, 0] });
    expect(lb.choose(1, 1)).toBe(Drop.NoHealthyTarget);
    expect(lb.lastLbZone).toBe(-1);
  });
});

describe('nodes excluded from external load balancers', () => {
  it('the label node.kubernetes.io/exclude-from-external-load-balancers takes a node out of the targets', () => {
    const label = { 'node.kubernetes.io/exclude-from-external-load-balancers': 'true' };
    const lb = build({ crossZone: true }, {}, { node: (i) => (i === 0 ? { labels: label } : {}) });
    const chosen = new Set(Array.from({ length: 2000 }, (_, flow) => lb.choose(1, flow)));
    expect(chosen).toEqual(new Set([1, 2]));
  });
});
