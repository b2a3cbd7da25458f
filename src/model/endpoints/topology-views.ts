/**
 * `categorizeEndpoints` (topology.ts) for every node at once, in O(endpoints + nodes) rather than
 * O(endpoints × nodes) (issue 15, item 7). A node's lists depend on the node only through the endpoints
 * on it and the node hints naming it; every other node of a zone gets the zone's lists. Lists are shared
 * arrays: equal answers are the same array, so the caller can intern them by identity.
 */
import type { NodeIndex, ZoneIndex } from '../cluster-index.js';
import type { Endpoint } from '../routing.js';
import type { EndpointHints } from './hints.js';

const EMPTY: readonly number[] = [];

function push(map: Map<number, number[]>, key: number, value: number): void {
  let list = map.get(key);
  if (list === undefined) map.set(key, (list = []));
  list.push(value);
}

export class TopologyViews {
  /** Some endpoint anywhere is ready, or serving and terminating. */
  readonly hasAnyEndpoints: boolean;
  /** Every ready endpoint has a node hint (resp. a zone hint). */
  private readonly allHaveNode: boolean;
  private readonly allHaveZone: boolean;
  private readonly ready: number[] = [];
  /** Serving and terminating endpoints: the cluster set when none is ready. */
  private readonly fallback: number[] = [];
  private readonly readyForNode = new Map<NodeIndex, number[]>();
  private readonly readyForZone = new Map<ZoneIndex, number[]>();
  private readonly readyOnNode = new Map<NodeIndex, number[]>();
  private readonly fallbackOnNode = new Map<NodeIndex, number[]>();

  constructor(endpoints: readonly Endpoint[], hints: EndpointHints) {
    let allHaveNode = true;
    let allHaveZone = true;
    endpoints.forEach((ep, i) => {
      if (ep.ready) {
        this.ready.push(i);
        push(this.readyOnNode, ep.node, i);
        const z = hints.forZone[i]!;
        if (z < 0) allHaveZone = false;
        else push(this.readyForZone, z, i);
        const n = hints.forNode[i]!;
        if (n < 0) allHaveNode = false;
        else push(this.readyForNode, n, i);
      }
      if (ep.serving && ep.terminating) {
        this.fallback.push(i);
        push(this.fallbackOnNode, ep.node, i);
      }
    });
    this.allHaveNode = allHaveNode;
    this.allHaveZone = allHaveZone;
    this.hasAnyEndpoints = this.ready.length > 0 || this.fallback.length > 0;
  }

  /** The cluster set of a node: node hints, else zone hints, else every ready endpoint; else the fallback. */
  cluster(node: NodeIndex, zone: ZoneIndex): readonly number[] {
    let list: readonly number[] = this.ready;
    if (this.allHaveNode && this.readyForNode.has(node)) list = this.readyForNode.get(node)!;
    else if (this.allHaveZone && this.readyForZone.has(zone)) list = this.readyForZone.get(zone)!;
    return list.length > 0 ? list : this.fallback;
  }

  /**
   * Nodes (ascending, below `nodeCount`) whose lists may differ from their zone's: those with an endpoint,
   * and those a node hint names. Every other node has `cluster(-1, zone)` and an empty local set.
   */
  specialNodes(nodeCount: number): number[] {
    const set = new Set<number>();
    for (const map of [this.readyOnNode, this.fallbackOnNode, this.readyForNode]) for (const n of map.keys()) if (n >= 0 && n < nodeCount) set.add(n);
    return [...set].sort((a, b) => a - b);
  }

  /** The local set of a node: its ready endpoints, else its serving and terminating ones. */
  local(node: NodeIndex): readonly number[] {
    return this.readyOnNode.get(node) ?? this.fallbackOnNode.get(node) ?? EMPTY;
  }
}
