/**
 * Cloud L4 load balancers and zones (issue 17, item 7): AWS NLB's default DNS client routing policy
 * (`any_availability_zone`) spreads clients over the LB nodes of every zone; GCP's passthrough NLB has no
 * LB node and ignores zones.
 */
import { describe, expect, it } from 'vitest';
import { computeEndpoints } from '../../../src/model/endpoints/index.js';
import { createLoadBalancer } from '../../../src/model/loadbalancer/index.js';
import type { LoadBalancerChoice } from '../../../src/model/routing.js';
import type { LoadBalancerSpec } from '../../../src/model/spec.js';
import { simulate } from '../../../src/model/simulation.js';
import { client, cluster, dist, loadBalancer, modelSpec, node, pod, service, streams } from '../fixtures.js';
import { binomialTolerance, histogram } from '../statistics.js';

function lbFor(lb: Partial<LoadBalancerSpec>): LoadBalancerChoice {
  const c = cluster({ podsPerNode: [1, 1, 1], zones: ['a', 'b', 'c'], service: { loadBalancer: loadBalancer(lb) } });
  return createLoadBalancer(c.service, computeEndpoints(c.service, c.service.ports[0]!, c.index), c.index, streams(1));
}

describe('AWS NLB client routing', () => {
  it('default (any zone): a client in zone a lands on every zone\'s LB node evenly, not only its own', () => {
    const lb = lbFor({ crossZone: false });
    const n = 30_000;
    const counts = histogram(Array.from({ length: n }, (_, f) => lb.choose(0, f)), 3);
    for (const c of counts) expect(Math.abs(c - n / 3)).toBeLessThanOrEqual(binomialTolerance(n, 1 / 3));
  });

  it('partial zonal affinity: 85 % own zone, the rest spread over all published LB nodes', () => {
    const lb = lbFor({ crossZone: false, clientRouting: 'partial-zonal-affinity' });
    const n = 30_000;
    const counts = histogram(Array.from({ length: n }, (_, f) => lb.choose(0, f)), 3);
    const own = 0.85 + 0.15 / 3;
    expect(Math.abs(counts[0]! - n * own)).toBeLessThanOrEqual(binomialTolerance(n, own));
  });

  it('end to end, cross-zone off: two thirds of a zonal client\'s requests cross zones (0 with the old pinning)', () => {
    const spec = modelSpec({
      nodes: [node('node-1', 'a'), node('node-2', 'b'), node('node-3', 'c')],
      pods: [pod('web-0', 'node-1'), pod('web-1', 'node-2'), pod('web-2', 'node-3')],
      services: [service({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', loadBalancer: loadBalancer({ crossZone: false }) })],
      clients: [client({ location: { kind: 'external', zone: 'a' }, arrival: { kind: 'open', interarrival: dist('exp(rate=1000/s)') }, sourceIPs: 1000 })],
      simulation: { duration: 10, warmup: 0, seed: 1, requests: null },
    });
    const r = simulate(spec);
    const n = r.accounting.measured.completed;
    expect(Math.abs(r.paths.crossZoneFraction! - 2 / 3)).toBeLessThanOrEqual(binomialTolerance(n, 2 / 3) / n);
    expect(r.paths.crossZoneBytes).toBeGreaterThan(0);
  });
});

describe('GCP passthrough NLB', () => {
  it('ignores zones: every healthy node evenly, and the crossing is booked from the client\'s zone', () => {
    const lb = lbFor({ crossZone: false, clientRouting: 'passthrough' });
    const n = 30_000;
    const counts = histogram(Array.from({ length: n }, (_, f) => lb.choose(1, f)), 3);
    for (const c of counts) expect(Math.abs(c - n / 3)).toBeLessThanOrEqual(binomialTolerance(n, 1 / 3));
    lb.choose(1, 5);
    expect(lb.lastLbZone).toBe(1);
  });
});
