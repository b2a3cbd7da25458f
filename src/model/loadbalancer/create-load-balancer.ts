/**
 * Builds the load balancer in front of one Service port from its `LoadBalancerSpec`: instance targets,
 * IP targets (both zone-aware, zonal-balancer.ts) or MetalLB L2.
 */
import type { RandomStreams } from '../../engine/random.js';
import type { ClusterIndex } from '../cluster-index.js';
import type { Endpoint, LoadBalancerChoice } from '../routing.js';
import type { ServiceSpec } from '../spec.js';
import { MetalLbL2 } from './metallb-l2.js';
import { instanceTargets, ipTargets } from './targets.js';
import { ZonalLoadBalancer } from './zonal-balancer.js';

/** Zone of each LB node: the spec's zones, or every zone that has cluster nodes. -1: no cluster node there. */
export function loadBalancerZones(service: ServiceSpec, index: ClusterIndex): Int32Array {
  const names = service.loadBalancer.zones.length > 0 ? service.loadBalancer.zones : index.zoneNames;
  const known = new Set(index.zoneNames);
  return Int32Array.from(names, (name) => (known.has(name) ? index.zone(name) : -1));
}

export function createLoadBalancer(
  service: ServiceSpec,
  endpoints: readonly Endpoint[],
  index: ClusterIndex,
  streams: RandomStreams,
): LoadBalancerChoice {
  const spec = service.loadBalancer;
  if (spec.kind === 'metallb-l2') return new MetalLbL2(service, endpoints, index);
  // Stryker disable next-line StringLiteral: the name only selects which seeded stream salts the flow hash; any fixed name is as good
  const salt = Math.floor(streams.stream(`load-balancer/${service.namespace}/${service.name}/flow-hash`)() * 2 ** 32);
  const zones = loadBalancerZones(service, index);
  const ip = spec.kind === 'ip';
  const targets = ip ? ipTargets(endpoints) : instanceTargets(service, endpoints, index);
  return new ZonalLoadBalancer(ip, targets, zones, spec.crossZone, index.zoneCount, salt, spec.clientRouting ?? 'any-zone');
}
