/**
 * The truth the API server holds, as the controllers write it: each pod's phase, readiness condition and
 * deletion, each node's health and schedulability. Controllers change it through these methods and the
 * listeners (the EndpointSlice controller, the deployment controller, the result's samplers) hear of
 * every change. The data path never reads this: it reads `DataPlaneView`.
 */
import type { Seconds } from '../../engine/time.js';
import type { ClusterIndex } from '../cluster-index.js';
import type { ModelSpec } from '../spec.js';

export const Phase = {
  /** A slot no pod occupies yet. */
  Slot: 0,
  /** Created and placed (or Pending, no node), containers not started yet. */
  Starting: 1,
  /** Containers started (the app answers); Ready or not by its readiness condition. */
  Running: 2,
  /** Gone from the API: exited or killed, and deleted. */
  Gone: 3,
} as const;
export type PhaseCode = (typeof Phase)[keyof typeof Phase];

/** Something about a pod changed that the EndpointSlice controller may care about. */
export type PodListener = (pod: number) => void;
/** Something about a node changed (health, schedulability). */
export type NodeListener = (node: number) => void;

export class ClusterState {
  readonly phase: Uint8Array;
  /** The pod's Ready condition (the kubelet's probes, or the node controller's MarkPodsNotReady). */
  readonly ready: Uint8Array;
  /** `deletionTimestamp` set. */
  readonly terminating: Uint8Array;
  /** When the pod last became Ready (NaN while not Ready): for `minReadySeconds`. */
  readonly readySince: Float64Array;
  /** Node of each pod (−1: none), shared with `ClusterIndex.podNode` so the data path sees placements. */
  readonly podNode: Int32Array;
  /** The node is down (its processes stopped); what the API believes is `nodeNotReady`. */
  readonly nodeDown: Uint8Array;
  readonly nodeNotReady: Uint8Array;
  /** Cordoned (`spec.unschedulable`), or tainted so that workloads are not placed (control plane). */
  readonly nodeUnschedulable: Uint8Array;
  /** Not in the cluster (a node group's room to grow, or a node the autoscaler removed). */
  readonly nodeAbsent: Uint8Array;
  private readonly podListeners: PodListener[] = [];
  private readonly nodeListeners: NodeListener[] = [];

  constructor(
    readonly spec: ModelSpec,
    readonly index: ClusterIndex,
    firstSlot: number,
  ) {
    const pods = spec.pods.length;
    const nodes = index.nodeCount;
    this.phase = new Uint8Array(pods);
    this.ready = new Uint8Array(pods);
    this.terminating = new Uint8Array(pods);
    this.readySince = new Float64Array(pods).fill(NaN);
    this.podNode = index.podNode;
    for (let p = 0; p < firstSlot; p++) {
      const pod = spec.pods[p]!;
      this.phase[p] = Phase.Running;
      if (pod.ready && this.podNode[p]! >= 0) {
        this.ready[p] = 1;
        this.readySince[p] = -Infinity;
      }
      if (pod.terminating) this.terminating[p] = 1;
      // A Pending pod of the manifests waits to be scheduled like any other.
      if (this.podNode[p]! < 0) this.phase[p] = Phase.Starting;
    }
    this.nodeDown = new Uint8Array(nodes);
    this.nodeNotReady = new Uint8Array(nodes);
    this.nodeUnschedulable = Uint8Array.from(spec.nodes, (n) => (n.schedulable === false ? 1 : 0));
    this.nodeAbsent = Uint8Array.from(spec.nodes, (n) => (n.absent === true ? 1 : 0));
    // An absent node is down as far as anything that reaches it can tell.
    this.nodeAbsent.forEach((a, n) => {
      if (a === 1) this.nodeDown[n] = 1;
    });
  }

  onPod(listener: PodListener): void {
    this.podListeners.push(listener);
  }

  onNode(listener: NodeListener): void {
    this.nodeListeners.push(listener);
  }

  podChanged(pod: number): void {
    for (const l of this.podListeners) l(pod);
  }

  nodeChanged(node: number): void {
    for (const l of this.nodeListeners) l(node);
  }

  setReady(pod: number, ready: boolean, now: Seconds): void {
    const v = ready ? 1 : 0;
    if (this.ready[pod] === v) return;
    this.ready[pod] = v;
    this.readySince[pod] = ready ? now : NaN;
    this.podChanged(pod);
  }

  /** Requests (CPU cores, memory bytes) of the pods that hold a place on `node` (terminating ones too). */
  requestedOn(node: number): { cpu: number; memory: number } {
    let cpu = 0;
    let memory = 0;
    for (const p of this.podsOn(node)) {
      const r = this.spec.pods[p]!.requests;
      if (r === undefined) continue;
      cpu += r.cpu;
      memory += r.memory;
    }
    return { cpu, memory };
  }

  /** Whether pod `pod`'s requests fit on `node` beside what is there. */
  fits(pod: number, node: number): boolean {
    const r = this.spec.pods[pod]!.requests;
    if (r === undefined) return true;
    const n = this.spec.nodes[node]!;
    const used = this.requestedOn(node);
    return used.cpu + r.cpu <= n.cpu + 1e-9 && (n.memory === undefined || used.memory + r.memory <= n.memory);
  }

  /** Pods that exist (not slots, not gone) on `node`, in index order. */
  podsOn(node: number): number[] {
    const out: number[] = [];
    for (let p = 0; p < this.phase.length; p++) {
      if (this.podNode[p] === node && this.phase[p] !== Phase.Slot && this.phase[p] !== Phase.Gone) out.push(p);
    }
    return out;
  }

  /** A pod that exists and is not being deleted: it counts as one of its ReplicaSet's replicas. */
  isActive(pod: number): boolean {
    const ph = this.phase[pod]!;
    return ph !== Phase.Slot && ph !== Phase.Gone && this.terminating[pod] === 0;
  }
}
