/**
 * Topology hints as the EndpointSlice controller writes them, one zone hint and one node hint per endpoint
 * (-1: none). kube-proxy reads them in topology.ts.
 *
 * - `service.kubernetes.io/topology-mode: Auto` takes precedence over `trafficDistribution`; its hints come
 *   from the proportional allocation in topology-auto.ts, and may be none at all.
 * - `trafficDistribution: PreferSameZone` (and its deprecated alias `PreferClose`): every *ready* endpoint
 *   gets its own zone (k/k `staging/src/k8s.io/endpointslice/trafficdist/trafficdist.go`). Nothing is
 *   balanced by proportion.
 * - `PreferSameNode`: its own node on top of the zone hint.
 */
import type { ClusterIndex } from '../cluster-index.js';
import type { Endpoint } from '../routing.js';
import type { ServiceSpec } from '../spec.js';
import { allocateZoneHints } from './topology-auto.js';

export interface EndpointHints {
  /** The zone each endpoint is hinted for (`hints.forZones[0]`), -1 for no hint. */
  readonly forZone: Int32Array;
  /** The node each endpoint is hinted for (`hints.forNodes[0]`), -1 for no hint. */
  readonly forNode: Int32Array;
}

export function noHints(count: number): EndpointHints {
  return { forZone: new Int32Array(count).fill(-1), forNode: new Int32Array(count).fill(-1) };
}

export function computeHints(
  service: ServiceSpec,
  endpoints: readonly Endpoint[],
  index: ClusterIndex,
): EndpointHints {
  const hints = noHints(endpoints.length);
  // Cilium reads hints only with `loadBalancer.serviceTopology` (off by default).
  const cilium = index.spec.kubeProxy.cilium;
  if (cilium && !cilium.serviceTopology) return hints;
  if (service.topologyModeAuto) {
    const zones = allocateZoneHints(endpoints, index);
    if (zones !== null) hints.forZone.set(zones);
    return hints;
  }
  const distribution = service.trafficDistribution;
  if (distribution === null) return hints;
  const sameNode = distribution === 'PreferSameNode';
  endpoints.forEach((ep, i) => {
    if (!ep.ready) return;
    hints.forZone[i] = ep.zone;
    if (sameNode) hints.forNode[i] = ep.node;
  });
  return hints;
}
