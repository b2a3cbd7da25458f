/**
 * Dense integer indices for the cluster's entities. The hot path works on indices into typed arrays,
 * never on names; names are for input and output only.
 */
import type { ModelSpec, NodeName, PodKey, ServiceKey } from './spec.js';

export type NodeIndex = number;
export type PodIndex = number;
export type ZoneIndex = number;

export function podKey(namespace: string, name: string): PodKey {
  return `${namespace}/${name}`;
}

export function serviceKey(namespace: string, name: string): ServiceKey {
  return `${namespace}/${name}`;
}

export class ClusterIndex {
  readonly nodeNames: readonly NodeName[];
  readonly zoneNames: readonly string[];
  /** Zone of each node. */
  readonly nodeZone: Int32Array;
  /** Node of each pod, -1 when the pod is Pending (no node). */
  readonly podNode: Int32Array;
  readonly podKeys: readonly PodKey[];
  private readonly nodeByName = new Map<NodeName, NodeIndex>();
  private readonly zoneByName = new Map<string, ZoneIndex>();
  private readonly podByKey = new Map<PodKey, PodIndex>();

  constructor(readonly spec: ModelSpec) {
    this.nodeNames = spec.nodes.map((n) => n.name);
    const zones: string[] = [];
    for (const n of spec.nodes) {
      if (!this.zoneByName.has(n.zone)) {
        this.zoneByName.set(n.zone, zones.length);
        zones.push(n.zone);
      }
    }
    this.zoneNames = zones;
    this.nodeZone = new Int32Array(spec.nodes.length);
    spec.nodes.forEach((n, i) => {
      this.nodeByName.set(n.name, i);
      this.nodeZone[i] = this.zoneByName.get(n.zone)!;
    });
    this.podKeys = spec.pods.map((p) => podKey(p.namespace, p.name));
    this.podNode = new Int32Array(spec.pods.length);
    spec.pods.forEach((p, i) => {
      this.podByKey.set(this.podKeys[i]!, i);
      this.podNode[i] = p.nodeName === null ? -1 : this.node(p.nodeName);
    });
  }

  get nodeCount(): number {
    return this.nodeNames.length;
  }

  get zoneCount(): number {
    return this.zoneNames.length;
  }

  get podCount(): number {
    return this.podKeys.length;
  }

  /** Index of a node by name; throws on an unknown name (the scenario layer has validated names). */
  node(name: NodeName): NodeIndex {
    const i = this.nodeByName.get(name);
    if (i === undefined) throw new Error(`unknown node '${name}'`);
    return i;
  }

  zone(name: string): ZoneIndex {
    const i = this.zoneByName.get(name);
    if (i === undefined) throw new Error(`unknown zone '${name}'`);
    return i;
  }

  pod(key: PodKey): PodIndex {
    const i = this.podByKey.get(key);
    if (i === undefined) throw new Error(`unknown pod '${key}'`);
    return i;
  }

  podZone(pod: PodIndex): ZoneIndex {
    const node = this.podNode[pod]!;
    return node < 0 ? -1 : this.nodeZone[node]!;
  }
}
