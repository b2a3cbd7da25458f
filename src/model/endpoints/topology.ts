/**
 * Which endpoints kube-proxy on each node may send a new connection to: a port of k/k
 * `pkg/proxy/topology.go` (`CategorizeEndpoints`, `topologyModeFromHints`, `availableForTopology`),
 * evaluated once per node at construction so the hot path is a typed-array lookup.
 *
 * Cluster set (policy `Cluster`): ready endpoints, narrowed by hints:
 *   node hints are used only if every ready endpoint has one and at least one names this node; otherwise
 *   zone hints, only if every ready endpoint has one and at least one names this node's zone; otherwise all
 *   ready endpoints. So the fallback order is node -> zone -> cluster.
 *   With no ready endpoint anywhere, every serving-and-terminating endpoint (topology ignored).
 * Local set (policy `Local`): ready endpoints on this node; if none, serving-and-terminating ones on this
 *   node. Hints play no part: a Local policy overrides trafficDistribution and topology-mode.
 *
 * Internal traffic (clusterIP) uses the set its internalTrafficPolicy names, external traffic (NodePort,
 * LB, externalIP) the one its externalTrafficPolicy names. An empty set is a REJECT (`Drop.NoEndpoints`)
 * when the Service has no usable endpoint anywhere, else a DROP (`Drop.NoLocalEndpoint`).
 *
 * IPVS mode differs for internal traffic: with `internalTrafficPolicy: Local` and no local endpoint, the
 * IPVS proxier programs the cluster set instead (`pkg/proxy/ipvs/proxier.go`, `syncService`: "Allow access
 * from local PODs even if no local endpoints exist", kubernetes/kubernetes#97081), where the iptables and
 * nftables proxiers write a DROP. `internalLocalFallback` selects that behaviour.
 */
import type { ClusterIndex, NodeIndex, ZoneIndex } from '../cluster-index.js';
import { Drop, type DropCode, type Endpoint, type TrafficOrigin } from '../routing.js';
import type { ServiceSpec } from '../spec.js';
import type { EndpointHints } from './hints.js';

/** The per-node result of `CategorizeEndpoints`, as endpoint indices in endpoint order. */
export interface CategorizedEndpoints {
  readonly cluster: number[];
  readonly local: number[];
  /** Some endpoint anywhere is ready, or serving and terminating. */
  readonly hasAnyEndpoints: boolean;
}

type TopologyMode = 'none' | 'node' | 'zone';

function topologyMode(endpoints: readonly Endpoint[], hints: EndpointHints, node: NodeIndex, zone: ZoneIndex): TopologyMode {
  let allHaveNode = true;
  let forNode = false;
  let allHaveZone = true;
  let forZone = false;
  for (let i = 0; i < endpoints.length; i++) {
    if (!endpoints[i]!.ready) continue;
    const z = hints.forZone[i]!;
    if (z < 0) allHaveZone = false;
    else if (z === zone) forZone = true;
    const n = hints.forNode[i]!;
    if (n < 0) allHaveNode = false;
    else if (n === node) forNode = true;
  }
  if (allHaveNode && forNode) return 'node';
  if (allHaveZone && forZone) return 'zone';
  return 'none';
}

export function categorizeEndpoints(
  endpoints: readonly Endpoint[],
  hints: EndpointHints,
  node: NodeIndex,
  zone: ZoneIndex,
): CategorizedEndpoints {
  const mode = topologyMode(endpoints, hints, node, zone);
  const cluster: number[] = [];
  endpoints.forEach((ep, i) => {
    if (!ep.ready) return;
    if (mode === 'node' && hints.forNode[i] !== node) return;
    if (mode === 'zone' && hints.forZone[i] !== zone) return;
    cluster.push(i);
  });
  if (cluster.length === 0) {
    endpoints.forEach((ep, i) => {
      if (ep.serving && ep.terminating) cluster.push(i);
    });
  }
  const hasAnyEndpoints = endpoints.some((ep) => ep.ready || (ep.serving && ep.terminating));
  const local: number[] = [];
  endpoints.forEach((ep, i) => {
    if (ep.node === node && ep.ready) local.push(i);
  });
  if (local.length === 0) {
    endpoints.forEach((ep, i) => {
      if (ep.node === node && ep.serving && ep.terminating) local.push(i);
    });
  }
  return { cluster, local, hasAnyEndpoints };
}

/** Slot of an origin in per-node arrays laid out as `[node * 2 + slot]`. */
export function originSlot(origin: TrafficOrigin): number {
  return origin === 'internal' ? 0 : 1;
}

/**
 * The candidate endpoints of every (node, origin), precomputed. Identical lists share one array (without
 * hints all nodes share the cluster list), so memory grows with distinct lists, not with nodes.
 */
export class EndpointTopology {
  /** Distinct candidate lists, endpoint indices in endpoint order. */
  private readonly lists: Int32Array[] = [];
  /** `masks[l][e]` is 1 when endpoint e is in list l: O(1) membership for session affinity. */
  private readonly masks: Uint8Array[] = [];
  /** List of each (node, origin) at `node * 2 + originSlot`. */
  private readonly listOf: Int32Array;
  /** Drop code of each (node, origin) when its list is empty. */
  private readonly emptyDrop: Int8Array;
  private readonly byKey = new Map<string, number>();
  /** The traffic policies in force (a timeline may change them: `setPolicies`). */
  private internalLocal: boolean;
  private externalPolicyLocal: boolean;

  constructor(
    readonly service: ServiceSpec,
    readonly endpoints: readonly Endpoint[],
    hints: EndpointHints,
    private readonly index: ClusterIndex,
    /** IPVS: an empty Local set for internal traffic falls back to the cluster set. */
    readonly internalLocalFallback = false,
  ) {
    const nodes = index.nodeCount;
    this.listOf = new Int32Array(nodes * 2);
    this.emptyDrop = new Int8Array(nodes * 2);
    this.internalLocal = service.internalTrafficPolicy === 'Local';
    this.externalPolicyLocal = service.externalTrafficPolicy === 'Local';
    for (let node = 0; node < nodes; node++) this.applyView(node, endpoints, hints);
  }

  /**
   * Rewrites the candidate lists of one node from what its kube-proxy knows of the endpoints (`view`, in
   * endpoint order): at construction, and at each of that node's syncs during a timeline. Costs the
   * Service's endpoint count, nothing else.
   */
  applyView(node: NodeIndex, view: readonly Endpoint[], hints: EndpointHints): void {
    const { cluster, local, hasAnyEndpoints } = categorizeEndpoints(view, hints, node, this.index.nodeZone[node]!);
    for (const origin of ['internal', 'external'] as const) {
      const slot = node * 2 + originSlot(origin);
      let isLocal = origin === 'internal' ? this.internalLocal : this.externalPolicyLocal;
      if (isLocal && origin === 'internal' && this.internalLocalFallback && local.length === 0) isLocal = false;
      this.listOf[slot] = this.intern(isLocal ? local : cluster);
      this.emptyDrop[slot] = isLocal && hasAnyEndpoints ? Drop.NoLocalEndpoint : Drop.NoEndpoints;
    }
  }

  /** Whether external traffic is under `externalTrafficPolicy: Local` now. */
  get externalLocal(): boolean {
    return this.externalPolicyLocal;
  }

  /** The Service's traffic policies changed (a timeline's `set`); each node's lists follow at its next `applyView`. */
  setPolicies(internalLocal: boolean, externalLocal: boolean): void {
    this.internalLocal = internalLocal;
    this.externalPolicyLocal = externalLocal;
  }

  private intern(list: number[]): number {
    const key = list.join(',');
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.lists.length;
      this.byKey.set(key, id);
      this.lists.push(Int32Array.from(list));
      const mask = new Uint8Array(this.endpoints.length);
      for (const e of list) mask[e] = 1;
      this.masks.push(mask);
    }
    return id;
  }

  /** Endpoint indices a new connection of this origin may use on this node (empty: see `dropWhenEmpty`). */
  candidates(node: NodeIndex, origin: TrafficOrigin): Int32Array {
    return this.lists[this.listOf[node * 2 + originSlot(origin)]!]!;
  }

  /** REJECT (no usable endpoint anywhere) or DROP (Local policy, none on this node). */
  dropWhenEmpty(node: NodeIndex, origin: TrafficOrigin): DropCode {
    return this.emptyDrop[node * 2 + originSlot(origin)]! as DropCode;
  }

  /** Whether `endpoint` is among this (node, origin)'s candidates. */
  contains(node: NodeIndex, origin: TrafficOrigin, endpoint: number): boolean {
    return this.masks[this.listOf[node * 2 + originSlot(origin)]!]![endpoint] === 1;
  }

  /** How many distinct candidate lists exist (for tests and memory accounting). */
  get distinctLists(): number {
    return this.lists.length;
  }
}
