import { describe, expect, it } from 'vitest';
import { computeEndpoints } from '../../../src/model/endpoints/index.js';
import { createLoadBalancer, EXCLUDE_FROM_LB_LABEL } from '../../../src/model/loadbalancer/index.js';
import { Drop, type LoadBalancerChoice } from '../../../src/model/routing.js';
import type { LoadBalancerSpec, ServiceSpec } from '../../../src/model/spec.js';
import { cluster, loadBalancer, streams, type ClusterOptions } from '../fixtures.js';
import { binomialTolerance, histogram } from '../statistics.js';

/** Zones a, b, c with pods 1 / 1 / 0. */
function lbFor(
  lb: Partial<LoadBalancerSpec>,
  service: Partial<ServiceSpec> = {},
  options: Partial<ClusterOptions> = {},
  seed = 1,
): LoadBalancerChoice {
  const c = cluster({
    podsPerNode: [1, 1, 0],
    zones: ['a', 'b', 'c'],
    ...options,
    // These tests are about zones: clients go to their own zone's LB node unless a test says otherwise.
    service: { ...service, loadBalancer: loadBalancer({ clientRouting: 'zonal-affinity', ...lb }) },
  });
  const endpoints = computeEndpoints(c.service, c.service.ports[0]!, c.index);
  return createLoadBalancer(c.service, endpoints, c.index, streams(seed));
}

function targets(lb: LoadBalancerChoice, clientZone: number, n: number): number[] {
  return Array.from({ length: n }, (_, flow) => lb.choose(clientZone, flow));
}

const A = 0;
const B = 1;
const C = 2;

describe('cloud LB, instance targets', () => {
  it('cross-zone off: an LB node sends only to targets in its own zone', () => {
    const lb = lbFor({ crossZone: false });
    expect(new Set(targets(lb, A, 1000))).toEqual(new Set([0]));
    expect(lb.lastLbZone).toBe(A);
    expect(new Set(targets(lb, C, 1000))).toEqual(new Set([2])); // eTP Cluster: node-3 is healthy
  });

  it('cross-zone off, eTP Local: a zone without healthy target is withdrawn from DNS', () => {
    const lb = lbFor({ crossZone: false }, { externalTrafficPolicy: 'Local' });
    const n = 20_000;
    for (const zone of [C, -1]) {
      const counts = histogram(targets(lb, zone, n), 3);
      expect(counts[2]).toBe(0);
      expect(Math.abs(counts[0]! - n / 2)).toBeLessThanOrEqual(binomialTolerance(n, 0.5));
    }
    lb.choose(C, 0);
    // Cross-zone off: the one crossing is client (C) -> LB node (A or B), booked from the client's zone.
    expect(lb.lastLbZone).toBe(C);
  });

  it('cross-zone on: every LB node balances evenly over every healthy node', () => {
    const n = 30_000;
    const counts = histogram(targets(lbFor({ crossZone: true }), A, n), 3);
    for (const count of counts) expect(Math.abs(count - n / 3)).toBeLessThanOrEqual(binomialTolerance(n, 1 / 3));
  });

  it('clients reach the LB node of their zone only where the LB has one', () => {
    const lb = lbFor({ crossZone: false, zones: ['a'] });
    expect(new Set(targets(lb, B, 500))).toEqual(new Set([0]));
    expect(lb.lastLbZone).toBe(B); // the crossing B -> A is booked from the client's zone
  });

  it('drops when no target is healthy', () => {
    const lb = lbFor({ crossZone: true }, { externalTrafficPolicy: 'Local' }, { podsPerNode: [0, 0, 0] });
    expect(lb.choose(A, 1)).toBe(Drop.NoHealthyTarget);
  });

  it('never targets nodes excluded from external load balancers', () => {
    const lb = lbFor({ crossZone: true }, {}, { node: (i) => (i === 1 ? { labels: { [EXCLUDE_FROM_LB_LABEL]: '' } } : {}) });
    expect(new Set(targets(lb, A, 2000))).toEqual(new Set([0, 2]));
  });

  it('pins a flow: the same flow hash always gets the same target; another seed hashes differently', () => {
    const lb = lbFor({ crossZone: true });
    const first = targets(lb, A, 200);
    expect(targets(lb, A, 200)).toEqual(first);
    expect(targets(lbFor({ crossZone: true }, {}, {}, 2), A, 200)).not.toEqual(first);
  });
});

describe('cloud LB, IP targets', () => {
  it('targets ready pods directly and evenly, not nodes', () => {
    const lb = lbFor({ kind: 'ip', crossZone: true }, {}, { podsPerNode: [2, 1, 1], pod: (k) => ({ ready: k !== 3 }) });
    expect(lb.targetsPods).toBe(true);
    const n = 30_000;
    const counts = histogram(targets(lb, -1, n), 4);
    expect(counts[3]).toBe(0); // not ready
    for (const count of counts.slice(0, 3)) {
      expect(Math.abs(count - n / 3)).toBeLessThanOrEqual(binomialTolerance(n, 1 / 3));
    }
  });

  it('with cross-zone off keeps to the pods of the LB node zone', () => {
    const lb = lbFor({ kind: 'ip', crossZone: false }, {}, { podsPerNode: [2, 1, 1] });
    expect(new Set(targets(lb, A, 1000))).toEqual(new Set([0, 1]));
    expect(new Set(targets(lb, C, 1000))).toEqual(new Set([3]));
  });
});
