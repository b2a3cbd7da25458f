/**
 * Which backends a load balancer sends to, at steady state (health checks settled, no time dynamics).
 *
 * - Instance targets (NodePort): every node is registered, except nodes labelled
 *   `node.kubernetes.io/exclude-from-external-load-balancers` (the service controller skips them). With
 *   `externalTrafficPolicy: Cluster` every registered node passes kube-proxy's `/healthz`. With `Local` a
 *   node passes the health-check NodePort iff it has at least one *ready* local endpoint
 *   (`localEndpoints > 0`, docs/references.md#traffic-policies): a node whose local pods are all terminating fails, which is
 *   how the LB drains it while kube-proxy still serves them.
 * - IP targets: ready endpoints, each registered directly.
 */
import type { ClusterIndex, NodeIndex } from '../cluster-index.js';
import type { Endpoint } from '../routing.js';
import type { ServiceSpec } from '../spec.js';

export const EXCLUDE_FROM_LB_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';

/** A set of targets with the zone of each: the unit the LB balances over. */
export interface TargetSet {
  /** Node indices (instance targets) or endpoint indices (IP targets). */
  readonly ids: Int32Array;
  readonly zones: Int32Array;
}

/** Ready endpoints per node: what kube-proxy's health-check NodePort reports as `localEndpoints`. */
export function readyEndpointsPerNode(endpoints: readonly Endpoint[], nodeCount: number): Int32Array {
  const counts = new Int32Array(nodeCount);
  for (const ep of endpoints) if (ep.ready) counts[ep.node]!++;
  return counts;
}

/** Nodes the LB may send to: registered and passing the health check for this Service's policy. */
export function healthyNodes(service: ServiceSpec, endpoints: readonly Endpoint[], index: ClusterIndex): NodeIndex[] {
  const ready = readyEndpointsPerNode(endpoints, index.nodeCount);
  const local = service.externalTrafficPolicy === 'Local';
  const nodes: NodeIndex[] = [];
  index.spec.nodes.forEach((node, i) => {
    if (EXCLUDE_FROM_LB_LABEL in node.labels) return;
    if (local && ready[i] === 0) return;
    nodes.push(i);
  });
  return nodes;
}

export function instanceTargets(service: ServiceSpec, endpoints: readonly Endpoint[], index: ClusterIndex): TargetSet {
  const ids = Int32Array.from(healthyNodes(service, endpoints, index));
  return { ids, zones: ids.map((n) => index.nodeZone[n]!) };
}

export function ipTargets(endpoints: readonly Endpoint[]): TargetSet {
  const ids = Int32Array.from(endpoints.flatMap((ep, i) => (ep.ready ? [i] : [])));
  return { ids, zones: ids.map((e) => endpoints[e]!.zone) };
}
