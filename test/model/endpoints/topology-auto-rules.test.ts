/**
 * topology-mode: Auto, rule by rule, against k/k `staging/src/k8s.io/endpointslice/topologycache`:
 * `SetNodes` (CPU shares), `getAllocations` (desired and minimum per zone), `getGivingAndReceivingZones`
 * (whole endpoints moved while a zone is over and another under its share) and `redistributeHints` (which
 * endpoints move, in endpoint order). Every expected hint is worked out by hand in the comment above it.
 *
 * One node per zone (zones a, b, c, d = 0, 1, 2, 3); endpoints are the pods in node order.
 */
import { describe, expect, it } from 'vitest';
import { ClusterIndex } from '../../../src/model/cluster-index.js';
import { allocateZoneHints, computeEndpoints, cpuRatiosByZone, zoneAllocations } from '../../../src/model/endpoints/index.js';
import { cluster, modelSpec, node, type ClusterOptions } from '../fixtures.js';

const ZONES = ['a', 'b', 'c', 'd'];

/** The zone hint of each endpoint with `pods[z]` pods in zone z, whose node has `cpu[z]` cores. */
function hintsFor(cpu: readonly number[], pods: readonly number[], extra: Partial<ClusterOptions> = {}): number[] | null {
  const { index, service } = cluster({
    podsPerNode: pods,
    zones: ZONES.slice(0, pods.length),
    node: (i) => ({ cpu: cpu[i]! }),
    service: { topologyModeAuto: true },
    ...extra,
  });
  const hints = allocateZoneHints(computeEndpoints(service, service.ports[0]!, index), index);
  return hints === null ? null : [...hints];
}

describe('getGivingAndReceivingZones: when whole endpoints move', () => {
  it('stops once both sides are less than one endpoint away', () => {
    // CPU 1:1, 7 endpoints all in b: desired 3.5 each (minimum ceil(3.5 / 1.2) = 3). b is 3.5 over, a 3.5
    // under: moves at 3.5/3.5, 2.5/2.5, 1.5/1.5, then 0.5/0.5 is under one on both sides: 3 move, not 4.
    expect(hintsFor([1, 1], [0, 7])).toEqual([0, 0, 0, 1, 1, 1, 1]);
  });

  it('moves one when the giver is less than one over but the receiver a whole one under', () => {
    // CPU 2:3, 2 endpoints in b: desired 0.8 and 1.2; minimums ceil(0.67) = 1 and ceil(1) = 1, so a's desired
    // is lifted to 1. b is 0.8 over, a 1 under: not both under one, both at least half: one moves.
    expect(hintsFor([2, 3], [0, 2])).toEqual([0, 1]);
  });

  it('stops when the giver has less than half an endpoint left', () => {
    // CPU 2:5, 5 endpoints in b: desired 10/7 = 1.43 lifted to its minimum 2, and 25/7 = 3.57 (minimum 3).
    // b is 1.43 over, a 2 under: one moves; then b 0.43 over (< 0.5) while a is still 1 under: stop.
    expect(hintsFor([2, 5], [0, 5])).toEqual([0, 1, 1, 1, 1]);
  });

  it('half an endpoint over is enough to give', () => {
    // CPU 1:3, 6 endpoints in b: desired 1.5 (lifted to 2) and 4.5. b 1.5 over, a 2 under: moves; then
    // b exactly 0.5 over, a 1 under: moves again (0.5 is not below half); then b is under: stop.
    expect(hintsFor([1, 3], [0, 6])).toEqual([0, 0, 1, 1, 1, 1]);
  });

  it('half an endpoint under is enough to receive', () => {
    // CPU 2:3:3, 4 endpoints per zone: desired 3, 4.5, 4.5. a is 1 over, b and c 0.5 under each. a gives
    // its first endpoint to b (the first of the tie), then has nothing left to give.
    expect(hintsFor([2, 3, 3], [4, 4, 4])).toEqual([1, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
  });

  it('a zone exactly one over gives to a zone less than one under', () => {
    // CPU 1:3:6, endpoints 2/2/4: desired 0.8 (lifted to 1), 2.4, 4.8. a is 1 over; b 0.4 and c 0.8 under.
    // a (1, not below one) gives to c (the most under); then a has 0 left: stop.
    expect(hintsFor([1, 3, 6], [2, 2, 4])).toEqual([2, 0, 1, 1, 2, 2, 2, 2]);
  });

  it('zones under by less than half get nothing, even from a zone a whole endpoint over', () => {
    // CPU 1:3:3:3, 2 endpoints per zone: desired 0.8 (lifted to 1) and 2.4 three times. a is 1 over, b, c
    // and d 0.4 under each: the most under is below half, nothing moves.
    expect(hintsFor([1, 3, 3, 3], [2, 2, 2, 2])).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });

  it('on a tie, the zone listed first receives (getMost takes a strictly greater value)', () => {
    // CPU 1:1:5, 5 endpoints in c: desired 0.71 (lifted to 1), 0.71 (lifted to 1), 3.57. c is 1.43 over;
    // a and b 1 under each: a receives; then c 0.43 over: stop.
    expect(hintsFor([1, 1, 5], [0, 0, 5])).toEqual([0, 2, 2, 2, 2]);
  });

  it('each giver gives only its own surplus', () => {
    // Equal CPU, endpoints 3/3/0: desired 2 each. a and b 1 over, c 2 under: a gives one (first of the
    // tie), then b gives one. Each giver's first endpoint moves, the rest stay.
    expect(hintsFor([1, 1, 1], [3, 3, 0])).toEqual([2, 0, 0, 2, 1, 1]);
  });

  it('a giver of two gives exactly two', () => {
    // CPU 1:1:3, endpoints 3/2/0: desired 1, 1, 3. a 2 over, b 1 over, c 3 under. Moves: a (2 > 1), then a
    // and b tie at 1, a first, then b: a gives 2, b gives 1, c receives 3.
    expect(hintsFor([1, 1, 3], [3, 2, 0])).toEqual([2, 2, 0, 2, 1]);
  });
});

describe('redistributeHints: which endpoints move', () => {
  it('receivers are served in zone order, whatever order they were found in', () => {
    // Equal CPU, endpoints 5/1/0: desired 2 each. a 3 over; c 2 under is served first by the loop, then b
    // (1 under). Redistribution goes through the receivers b then c: a's first endpoint to b, next two to c.
    expect(hintsFor([1, 1, 1], [5, 1, 0])).toEqual([1, 2, 2, 0, 0, 1]);
  });

  it('endpoints of zones that give nothing keep their own zone, even listed before the givers', () => {
    // Equal CPU, endpoints 1/4/1: desired 2 each. b 2 over, a and c 1 under. a's endpoint (first) stays.
    expect(hintsFor([1, 1, 1], [1, 4, 1])).toEqual([0, 0, 2, 1, 1, 2]);
  });

  it('endpoints that are not ready get no hint and count nowhere', () => {
    // Equal CPU. a: 4 pods, the first not ready; b: 3 ready; c: 2 not ready. 6 ready endpoints: desired 2
    // each, a and b 1 over, c 2 under. a's first READY endpoint moves to c, then b's first.
    const notReady = new Set([0, 7, 8]);
    const hints = hintsFor([1, 1, 1], [4, 3, 2], { pod: (k) => ({ ready: !notReady.has(k) }) });
    expect(hints).toEqual([-1, 2, 0, 0, 2, 1, 1, -1, -1]);
  });
});

describe('getAllocations: desired endpoints per zone', () => {
  it('the desired share is lifted to its minimum, share / (1 + 0.2) rounded up', () => {
    // Shares 2/7 and 5/7 of 5 endpoints: 1.43 (minimum ceil(1.19) = 2) and 3.57 (minimum ceil(2.98) = 3).
    const desired = zoneAllocations(Float64Array.from([2 / 7, 5 / 7]), 5)!;
    expect(desired.get(0)).toBe(2);
    expect(desired.get(1)).toBeCloseTo(25 / 7, 12);
  });

  it('as many zones as ready endpoints is enough; one more zone, or no endpoint, is not', () => {
    // Two equal zones, 2 endpoints: desired 1 each (minimum ceil(0.83) = 1).
    expect([...zoneAllocations(Float64Array.from([0.5, 0.5]), 2)!]).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(zoneAllocations(Float64Array.from([0.5, 0.5]), 1)).toBeNull();
    expect(zoneAllocations(Float64Array.from([0.5, 0.5]), 0)).toBeNull();
    expect(zoneAllocations(Float64Array.from([1]), 5)).toBeNull(); // one zone
  });

  it('zones without a counted node (NaN share) are not zones of the allocation', () => {
    // Zone 2 only has a control-plane node: two zones, two endpoints is enough.
    expect([...zoneAllocations(Float64Array.from([0.5, 0.5, Number.NaN]), 2)!.keys()]).toEqual([0, 1]);
  });
});

describe('SetNodes: CPU shares by zone', () => {
  const index = (nodes: Parameters<typeof node>[]): ClusterIndex => new ClusterIndex(modelSpec({ nodes: nodes.map((n) => node(...n)) }));

  it('divides each zone’s allocatable CPU by the total', () => {
    const ratios = cpuRatiosByZone(index([['node-1', 'a', { cpu: 6 }], ['node-2', 'b', { cpu: 2 }], ['node-3', 'a', { cpu: 8 }]]))!;
    expect([...ratios]).toEqual([14 / 16, 2 / 16]);
  });

  it('leaves out control-plane and master nodes, and a node group’s absent nodes', () => {
    const ratios = cpuRatiosByZone(
      index([
        ['node-1', 'a', { cpu: 4 }],
        ['node-2', 'b', { cpu: 4, labels: { 'node-role.kubernetes.io/master': '' } }],
        ['node-3', 'b', { cpu: 12 }],
        ['node-4', 'c', { cpu: 4, absent: true }],
      ]),
    )!;
    expect([...ratios]).toEqual([0.25, 0.75, Number.NaN]);
  });

  it('gives up on a node without a zone, or when no node counts', () => {
    expect(cpuRatiosByZone(index([['node-1', 'a'], ['node-2', '']]))).toBeNull();
    expect(cpuRatiosByZone(index([['node-1', 'a', { labels: { 'node-role.kubernetes.io/control-plane': '' } }]]))).toBeNull();
  });
});
