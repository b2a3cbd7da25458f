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
import { TopologyViews } from './topology-views.js';

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
  // Stryker disable next-line StringLiteral: any mode other than 'node' and 'zone' filters nothing, as 'none' does
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
  // Stryker disable next-line EqualityOperator: every reader and writer of the per-node arrays goes through this function, so swapping the two slots changes no lookup
  return origin === 'internal' ? 0 : 1;
}

/** Nodes per zone of a cluster, counted once per index. */
const zoneSizes = new WeakMap<ClusterIndex, Int32Array>();

function nodesPerZone(index: ClusterIndex): Int32Array {
  let sizes = zoneSizes.get(index);
  if (sizes === undefined) {
    sizes = new Int32Array(index.zoneCount);
    for (let n = 0; n < index.nodeCount; n++) sizes[index.nodeZone[n]!]!++;
    zoneSizes.set(index, sizes);
  }
  return sizes;
}

/**
 * The candidate endpoints of every (node, origin), precomputed. Identical lists share one array (without
 * hints all nodes share the cluster list), so memory grows with distinct lists, not with nodes.
 *
 * Storage grows with zones and endpoints, not nodes (issue 15, item 7: a per-node table per Service port
 * was O(nodes × Services) of memory): a node with no endpoint and named by no node hint has its zone's
 * lists; the few others (*special* nodes) have their own. A timeline's first `applyView` turns this into a
 * table per node, since syncs then give each node a view of its own.
 */
export class EndpointTopology {
  /** Distinct candidate lists, endpoint indices in endpoint order. */
  private readonly lists: Int32Array[] = [];
  /** `masks[l][e]` is 1 when endpoint e is in list l: O(1) membership for session affinity. */
  private readonly masks: Uint8Array[] = [];
  /** List and drop code of each (node, origin) at `node * 2 + originSlot`: from a timeline's first sync on. */
  private listOf: Int32Array | null = null;
  private emptyDrop: Int8Array | null = null;
  /** Before that: list and drop code of each zone's ordinary nodes, at `zone * 2 + originSlot`... */
  private readonly zoneListOf: Int32Array;
  private readonly zoneDrop: Int8Array;
  /** ...and of each special node, at `special.get(node) * 2 + originSlot`. */
  private readonly special = new Map<NodeIndex, number>();
  private readonly specialListOf: Int32Array;
  private readonly specialDrop: Int8Array;
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
    this.internalLocal = service.internalTrafficPolicy === 'Local';
    this.externalPolicyLocal = service.externalTrafficPolicy === 'Local';
    // Every node's lists at once (topology-views.ts), interned by identity: O(endpoints + zones).
    const views = new TopologyViews(endpoints, hints);
    const seen = new Map<readonly number[], number>();
    const specials = views.specialNodes(index.nodeCount);
    this.specialListOf = new Int32Array(specials.length * 2);
    this.specialDrop = new Int8Array(specials.length * 2);
    const ordinary = Int32Array.from(nodesPerZone(index));
    specials.forEach((node, k) => {
      this.special.set(node, k);
      ordinary[index.nodeZone[node]!]!--;
      this.fill(this.specialListOf, this.specialDrop, k * 2, views.cluster(node, index.nodeZone[node]!), views.local(node), views.hasAnyEndpoints, seen);
    });
    this.zoneListOf = new Int32Array(index.zoneCount * 2);
    this.zoneDrop = new Int8Array(index.zoneCount * 2);
    for (let z = 0; z < index.zoneCount; z++) {
      // Only zones that have an ordinary node: no list is made that no node uses.
      if (ordinary[z]! > 0) this.fill(this.zoneListOf, this.zoneDrop, z * 2, views.cluster(-1, z), [], views.hasAnyEndpoints, seen);
    }
  }

  /**
   * Rewrites the candidate lists of one node from what its kube-proxy knows of the endpoints (`view`, in
   * endpoint order): at each of that node's syncs during a timeline. Costs the Service's endpoint count
   * (and, the first time, a table per node).
   */
  applyView(node: NodeIndex, view: readonly Endpoint[], hints: EndpointHints): void {
    // Stryker disable next-line LogicalOperator: the two tables are made together, so both are null or neither is
    if (this.listOf === null || this.emptyDrop === null) {
      const n = this.index.nodeCount;
      this.listOf = new Int32Array(n * 2);
      this.emptyDrop = new Int8Array(n * 2);
      for (let i = 0; i < n * 2; i++) {
        this.listOf[i] = this.sparseList(i >> 1, i & 1);
        this.emptyDrop[i] = this.sparseDrop(i >> 1, i & 1);
      }
    }
    const { cluster, local, hasAnyEndpoints } = categorizeEndpoints(view, hints, node, this.index.nodeZone[node]!);
    this.fill(this.listOf, this.emptyDrop, node * 2, cluster, local, hasAnyEndpoints);
  }

  /**
   * Writes the list and drop code of both origins at `at + originSlot`. `seen`: lists already interned, by
   * identity (construction only: applyView's lists are fresh arrays).
   */
  private fill(
    listOf: Int32Array,
    drops: Int8Array,
    at: number,
    cluster: readonly number[],
    local: readonly number[],
    hasAnyEndpoints: boolean,
    seen?: Map<readonly number[], number>,
  ): void {
    for (const origin of ['internal', 'external'] as const) {
      const slot = at + originSlot(origin);
      let isLocal = origin === 'internal' ? this.internalLocal : this.externalPolicyLocal;
      if (isLocal && origin === 'internal' && this.internalLocalFallback && local.length === 0) isLocal = false;
      const list = isLocal ? local : cluster;
      let id = seen?.get(list);
      if (id === undefined) {
        id = this.intern(list);
        seen?.set(list, id);
      }
      listOf[slot] = id;
      drops[slot] = isLocal && hasAnyEndpoints ? Drop.NoLocalEndpoint : Drop.NoEndpoints;
    }
  }

  private sparseList(node: NodeIndex, slot: number): number {
    const k = this.special.get(node);
    return k === undefined ? this.zoneListOf[this.index.nodeZone[node]! * 2 + slot]! : this.specialListOf[k * 2 + slot]!;
  }

  private sparseDrop(node: NodeIndex, slot: number): number {
    const k = this.special.get(node);
    return k === undefined ? this.zoneDrop[this.index.nodeZone[node]! * 2 + slot]! : this.specialDrop[k * 2 + slot]!;
  }

  /** The list id of a (node, origin). */
  private listId(node: NodeIndex, origin: TrafficOrigin): number {
    const slot = originSlot(origin);
    const dense = this.listOf;
    return dense !== null ? dense[node * 2 + slot]! : this.sparseList(node, slot);
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

  private intern(list: readonly number[]): number {
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
    return this.lists[this.listId(node, origin)]!;
  }

  /** REJECT (no usable endpoint anywhere) or DROP (Local policy, none on this node). */
  dropWhenEmpty(node: NodeIndex, origin: TrafficOrigin): DropCode {
    const slot = originSlot(origin);
    const dense = this.emptyDrop;
    return (dense !== null ? dense[node * 2 + slot]! : this.sparseDrop(node, slot)) as DropCode;
  }

  /** Whether `endpoint` is among this (node, origin)'s candidates. */
  contains(node: NodeIndex, origin: TrafficOrigin, endpoint: number): boolean {
    return this.masks[this.listId(node, origin)]![endpoint] === 1;
  }

  /** How many distinct candidate lists exist (for tests and memory accounting). */
  get distinctLists(): number {
    return this.lists.length;
  }
}
