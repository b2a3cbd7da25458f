/**
 * `service.kubernetes.io/topology-mode: Auto`: the EndpointSlice controller's proportional allocation of
 * ready endpoints to zones, a port of k/k `staging/src/k8s.io/endpointslice/topologycache` (`SetNodes`,
 * `getAllocations`, `AddHints`, `getGivingAndReceivingZones`, `redistributeHints`).
 *
 * Each zone should receive endpoints in proportion to its share of allocatable CPU. Every ready endpoint
 * first gets its own zone; zones holding more than their share then donate endpoints (in endpoint order)
 * to zones holding less, one at a time from the zone furthest over to the zone furthest under, until both
 * are less than one endpoint away or either is less than half of one.
 *
 * No hints at all (the caller falls back to cluster-wide routing) when: a node lacks a zone or CPU, fewer
 * than two zones have nodes, there are fewer ready endpoints than zones, or the zones' minimum allocations
 * (share / (1 + overloadThreshold), rounded up) add up to more endpoints than exist.
 *
 * Where the controller iterates a Go map (random order), this port iterates zones in index order, so ties
 * are broken towards the zone listed first. Nodes are taken as Ready; control-plane nodes are left out of
 * the CPU totals as the controller does.
 */
import type { ClusterIndex, ZoneIndex } from '../cluster-index.js';
import type { Endpoint } from '../routing.js';

/** k/k topologycache `overloadThreshold`. */
export const OVERLOAD_THRESHOLD = 0.2;

/** Node labels that keep a node out of the CPU totals (topologycache `hasExcludedLabels`). */
export const EXCLUDED_NODE_LABELS: readonly string[] = [
  'node-role.kubernetes.io/control-plane',
  'node-role.kubernetes.io/master',
];

/** Share of allocatable CPU per zone (NaN for a zone with no counted node), or null without enough node info. */
export function cpuRatiosByZone(index: ClusterIndex): Float64Array | null {
  const cpu = new Float64Array(index.zoneCount).fill(Number.NaN);
  let total = 0;
  for (const node of index.spec.nodes) {
    if (EXCLUDED_NODE_LABELS.some((label) => label in node.labels)) continue;
    // A node group's room to grow is not in the cluster (simplification: the shares are those at the start).
    if (node.absent === true) continue;
    if (node.zone === '' || !(node.cpu > 0)) return null;
    const z = index.zone(node.zone);
    cpu[z] = (Number.isNaN(cpu[z]!) ? 0 : cpu[z]!) + node.cpu;
    total += node.cpu;
  }
  if (total === 0) return null;
  for (let z = 0; z < cpu.length; z++) cpu[z] = cpu[z]! / total;
  return cpu;
}

/** Target endpoints per zone (`allocation.desired`), or null when the controller writes no hints. */
export function zoneAllocations(ratios: Float64Array, readyEndpoints: number): Map<ZoneIndex, number> | null {
  const zones: ZoneIndex[] = [];
  ratios.forEach((r, z) => {
    if (!Number.isNaN(r)) zones.push(z);
  });
  if (zones.length < 2 || zones.length > readyEndpoints) return null;
  let remainingMinEndpoints = readyEndpoints;
  const desiredByZone = new Map<ZoneIndex, number>();
  for (const z of zones) {
    const desired = ratios[z]! * readyEndpoints;
    const minimum = Math.ceil(desired * (1 / (1 + OVERLOAD_THRESHOLD)));
    desiredByZone.set(z, Math.max(desired, minimum));
    remainingMinEndpoints -= minimum;
    if (remainingMinEndpoints < 0) return null;
  }
  return desiredByZone;
}

/**
 * The zone with the largest value above 0; ties go to the first in iteration order (topologycache
 * `getMost`, which starts from 0.0 and takes a strictly greater value: -1 when no value is above 0).
 */
function most(values: Map<ZoneIndex, number>): [ZoneIndex, number] {
  // Stryker disable next-line UnaryOperator: with no value above 0 the zone comes with 0, which the caller's `< 0.5` test stops on, whichever zone it names
  let zone = -1;
  let num = 0;
  for (const [z, n] of values) {
    if (n > num) {
      zone = z;
      num = n;
    }
  }
  return [zone, num];
}

/** Whole endpoints each zone gives away and receives (topologycache `getGivingAndReceivingZones`). */
function givingAndReceiving(
  desiredByZone: Map<ZoneIndex, number>,
  hintedByZone: Map<ZoneIndex, number>,
): { giving: Map<ZoneIndex, number>; receiving: Map<ZoneIndex, number> } {
  const givingDesired = new Map<ZoneIndex, number>();
  const receivingDesired = new Map<ZoneIndex, number>();
  for (const [z, target] of desiredByZone) {
    const hinted = hintedByZone.get(z) ?? 0;
    if (hinted > target) givingDesired.set(z, hinted - target);
    else if (hinted < target) receivingDesired.set(z, target - hinted);
  }
  const giving = new Map<ZoneIndex, number>();
  const receiving = new Map<ZoneIndex, number>();
  for (;;) {
    const [givingZone, numToGive] = most(givingDesired);
    const [receivingZone, numToReceive] = most(receivingDesired);
    // As the controller: stop when either side is unspecified, when both have less than one endpoint
    // left, or when either has less than half of one. So a zone 0.67 over its share still gives an
    // endpoint to a zone 1.33 under it (5/4/1 in three equal zones becomes 3/4/3, not 4/4/2).
    if (givingZone === -1 || receivingZone === -1 || (numToGive < 1 && numToReceive < 1) || numToGive < 0.5 || numToReceive < 0.5) break;
    giving.set(givingZone, (giving.get(givingZone) ?? 0) + 1);
    givingDesired.set(givingZone, numToGive - 1);
    receiving.set(receivingZone, (receiving.get(receivingZone) ?? 0) + 1);
    receivingDesired.set(receivingZone, numToReceive - 1);
  }
  // Iterate receivers in zone order when redistributing (the Go code ranges over a map).
  return { giving, receiving: new Map([...receiving].sort((a, b) => a[0] - b[0])) };
}

/**
 * The zone hint of each endpoint (-1 for endpoints that are not ready), or null when the controller would
 * write no hints for this Service.
 */
export function allocateZoneHints(endpoints: readonly Endpoint[], index: ClusterIndex): Int32Array | null {
  const ratios = cpuRatiosByZone(index);
  if (ratios === null) return null;
  const ready = endpoints.filter((ep) => ep.ready).length;
  const desiredByZone = zoneAllocations(ratios, ready);
  if (desiredByZone === null) return null;

  // Step 1: every ready endpoint starts hinted for its own zone.
  const hints = new Int32Array(endpoints.length).fill(-1);
  const hintedByZone = new Map<ZoneIndex, number>();
  endpoints.forEach((ep, i) => {
    if (!ep.ready) return;
    hints[i] = ep.zone;
    hintedByZone.set(ep.zone, (hintedByZone.get(ep.zone) ?? 0) + 1);
  });

  // Steps 2 and 3: move whole endpoints from over-served zones to under-served ones, in endpoint order.
  const { giving, receiving } = givingAndReceiving(desiredByZone, hintedByZone);
  endpoints.forEach((ep, i) => {
    if (!ep.ready || giving.size === 0 || receiving.size === 0) return;
    const numToGive = giving.get(ep.zone) ?? 0;
    if (numToGive <= 0) return;
    for (const [receivingZone, numToReceive] of receiving) {
      if (numToReceive <= 0) continue;
      hints[i] = receivingZone;
      if (numToGive === 1) giving.delete(ep.zone);
      else giving.set(ep.zone, numToGive - 1);
      if (numToReceive === 1) receiving.delete(receivingZone);
      else receiving.set(receivingZone, numToReceive - 1);
      break;
    }
  });
  return hints;
}
