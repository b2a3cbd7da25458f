/**
 * The zonal load balancer's rules, on the class itself with hand-made target sets: which LB node a client
 * lands on for each DNS client routing policy (AWS NLB `dns_record.client_routing_policy`), which targets
 * each LB node sends to, and which zone a connection's LB -> backend stretch is booked from.
 *
 * Three zones 0, 1, 2; targets 10, 11 in zone 0, 20 in zone 1, none in zone 2. Shares over 60,000 flows
 * are checked to ±0.016 (binomial: 4 σ is under 0.01 at any share with 60,000 flows).
 */
import { describe, expect, test } from 'vitest';
import { PARTIAL_ZONAL_AFFINITY, ZonalLoadBalancer } from '../../../src/model/loadbalancer/zonal-balancer.js';
import type { TargetSet } from '../../../src/model/loadbalancer/targets.js';
import { Drop } from '../../../src/model/routing.js';
import type { LoadBalancerClientRouting } from '../../../src/model/spec.js';

const TARGETS: TargetSet = { ids: Int32Array.from([10, 11, 20]), zones: Int32Array.from([0, 0, 1]) };
const LB_ZONES = Int32Array.from([0, 1, 2]);
const FLOWS = 60_000;

function balancer(routing: LoadBalancerClientRouting, crossZone = false, targets = TARGETS, lbZones = LB_ZONES): ZonalLoadBalancer {
  return new ZonalLoadBalancer(false, targets, lbZones, crossZone, 3, 12345, routing);
}

/** Share of flows per target id (and per drop code). */
function shares(lb: ZonalLoadBalancer, clientZone: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (let flow = 0; flow < FLOWS; flow++) {
    const t = lb.choose(clientZone, flow);
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return new Map([...counts].map(([t, n]) => [t, n / FLOWS]));
}

function expectShares(actual: Map<number, number>, expected: Record<number, number>): void {
  expect(new Set(actual.keys())).toEqual(new Set(Object.keys(expected).map(Number)));
  for (const [t, share] of Object.entries(expected)) expect(actual.get(Number(t))!, `target ${t}`).toBeCloseTo(share, 1.5);
}

describe('which LB node: DNS client routing', () => {
  test('any-zone: the LB nodes with targets (zones 0 and 1) take half each, whatever the client\'s zone', () => {
    // Zone 2's LB node has no target (cross-zone off): withdrawn from DNS.
    for (const zone of [0, 2, -1]) expectShares(shares(balancer('any-zone'), zone), { 10: 0.25, 11: 0.25, 20: 0.5 });
  });

  test('zonal-affinity: a client in a zone with a published LB node always uses it; others spread evenly', () => {
    expectShares(shares(balancer('zonal-affinity'), 0), { 10: 0.5, 11: 0.5 });
    expectShares(shares(balancer('zonal-affinity'), 1), { 20: 1 });
    expectShares(shares(balancer('zonal-affinity'), 2), { 10: 0.25, 11: 0.25, 20: 0.5 });
    expectShares(shares(balancer('zonal-affinity'), -1), { 10: 0.25, 11: 0.25, 20: 0.5 });
  });

  test('partial-zonal-affinity: 85 % to the own zone\'s LB node, the other 15 % spread over both published ones', () => {
    expect(PARTIAL_ZONAL_AFFINITY).toBe(0.85);
    // Zone 1: 0.85 + 0.15 / 2 = 0.925 to target 20; 0.075 to zone 0's LB node, split over 10 and 11.
    expectShares(shares(balancer('partial-zonal-affinity'), 1), { 10: 0.0375, 11: 0.0375, 20: 0.925 });
    expectShares(shares(balancer('partial-zonal-affinity'), 2), { 10: 0.25, 11: 0.25, 20: 0.5 });
  });

  test('passthrough: no LB node; every healthy target an even share, cross-zone or not', () => {
    for (const crossZone of [false, true]) {
      expectShares(shares(balancer('passthrough', crossZone), 0), { 10: 1 / 3, 11: 1 / 3, 20: 1 / 3 });
    }
  });
});

describe('which targets: cross-zone', () => {
  test('cross-zone on: every LB node sends to every target, so zone 2\'s LB node is published too', () => {
    expectShares(shares(balancer('zonal-affinity', true), 2), { 10: 1 / 3, 11: 1 / 3, 20: 1 / 3 });
    expectShares(shares(balancer('zonal-affinity', true), 1), { 10: 1 / 3, 11: 1 / 3, 20: 1 / 3 });
  });

  test('an LB node in a zone with no cluster node (-1) has no targets without cross-zone', () => {
    const lb = balancer('any-zone', false, TARGETS, Int32Array.from([-1, 1]));
    expectShares(shares(lb, 0), { 20: 1 });
  });

  test('no healthy target: the connection is dropped, for every policy', () => {
    const none: TargetSet = { ids: new Int32Array(0), zones: new Int32Array(0) };
    for (const routing of ['any-zone', 'zonal-affinity', 'partial-zonal-affinity', 'passthrough'] as const) {
      const lb = balancer(routing, false, none);
      lb.choose(0, 1);
      expect(lb.choose(0, 7), routing).toBe(Drop.NoHealthyTarget);
      expect(lb.lastLbZone, routing).toBe(-1);
    }
  });

  test('the targets follow a health change at once (setTargets)', () => {
    const lb = balancer('zonal-affinity');
    lb.setTargets({ ids: Int32Array.from([12]), zones: Int32Array.from([2]) });
    expectShares(shares(lb, 0), { 12: 1 });
  });
});

describe('the same flow, the same target', () => {
  test('a flow number always gets the same target; another salt spreads flows differently', () => {
    const a = balancer('any-zone');
    const first = Array.from({ length: 200 }, (_, f) => a.choose(0, f));
    expect(Array.from({ length: 200 }, (_, f) => a.choose(0, f))).toEqual(first);
    const b = new ZonalLoadBalancer(false, TARGETS, LB_ZONES, false, 3, 999, 'any-zone');
    expect(Array.from({ length: 200 }, (_, f) => b.choose(0, f))).not.toEqual(first);
  });
});

describe('which zone the LB -> backend stretch is booked from', () => {
  const bookedZone = (lb: ZonalLoadBalancer, clientZone: number, target: number): number => {
    for (let flow = 0; flow < 1000; flow++) if (lb.choose(clientZone, flow) === target) return lb.lastLbZone;
    throw new Error(`no flow reached target ${target}`);
  };

  test('cross-zone off: the client\'s zone (the client -> LB node leg is the one that crosses)', () => {
    expect(bookedZone(balancer('any-zone'), 2, 20)).toBe(2);
    expect(bookedZone(balancer('any-zone'), 0, 20)).toBe(0);
  });

  test('cross-zone on: the LB node\'s zone', () => {
    const lb = balancer('zonal-affinity', true);
    expect(bookedZone(lb, 2, 10)).toBe(2); // zone 2's own LB node
    expect(bookedZone(lb, 1, 10)).toBe(1);
  });

  test('a client without a zone: the LB node\'s zone', () => {
    expect(bookedZone(balancer('any-zone'), -1, 20)).toBe(1);
    expect(bookedZone(balancer('any-zone'), -1, 10)).toBe(0);
  });

  test('passthrough: the client\'s zone', () => {
    expect(bookedZone(balancer('passthrough'), 2, 10)).toBe(2);
  });
});
