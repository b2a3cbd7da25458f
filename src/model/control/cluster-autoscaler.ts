/**
 * The cluster autoscaler, simply (kubernetes/autoscaler `cluster-autoscaler/FAQ.md`, docs/references.md#cluster-autoscaler),
 * over node groups laid out by node-slots.ts:
 *
 * - Every `scanInterval` it looks at the pods no node can take (Pending). For each, the first node group
 *   (in the order written) whose node would fit it and that is below `maxSize` gets nodes: enough, packed
 *   first-fit in decreasing CPU order, for all such pods. A node joins after its `provisionTime` draw; the
 *   scheduler then places the pods. (The real default expander picks at random among groups that help;
 *   the model takes the first for reproducibility, so list the groups in the order you prefer.)
 * - A present node of a group above `minSize` whose requests are under `scaleDownUtilizationThreshold` of
 *   its allocatable (the larger of CPU and memory), and whose pods all fit on the other nodes, is
 *   *unneeded*; after `scaleDownUnneededTime` unneeded, and `scaleDownDelayAfterAdd` after the last scale-up,
 *   it is drained (cordon, evictions honouring PodDisruptionBudgets, as `kubectl drain`) and, once empty,
 *   removed: it leaves the cluster and the load balancers at once. One node at a time.
 * - Not modelled: DaemonSet pods, `max-node-provision-time` (a node that never comes), priority
 *   expanders, pods' node selectors and affinity when choosing a group (the pods of the manifests carry
 *   them; new pods are placed by the model's scheduler, scheduler.ts), the taint's effect on kube-proxy's
 *   `/healthz` before the node goes (the node leaves the LB when removed).
 */
import type { Rng, RandomStreams } from '../../engine/random.js';
import type { Simulator } from '../../engine/simulator.js';
import type { ModelSpec } from '../spec.js';
import { ClusterState, Phase } from './cluster-state.js';
import type { Drainer } from './drain.js';
import type { EndpointPropagation } from './endpoint-propagation.js';
import type { ClusterAutoscalerSpec, NodeGroupSpec } from './spec.js';
import type { DataPlaneView } from './views.js';

/** The autoscaler's defaults (FAQ parameter table). */
export const DEFAULT_CLUSTER_AUTOSCALER: ClusterAutoscalerSpec = {
  scanInterval: 10,
  scaleDownUnneededTime: 600,
  scaleDownDelayAfterAdd: 600,
  scaleDownUtilizationThreshold: 0.5,
};

export class ClusterAutoscaler {
  /** Node indices of each group, in order. */
  private readonly members: number[][];
  /** Nodes being provisioned (decided, not joined yet). */
  private readonly provisioning = new Set<number>();
  /** When each node became unneeded (NaN: it is needed). */
  private readonly unneededSince: Float64Array;
  private readonly rng: Rng;
  private lastScaleUp = -Infinity;
  /** The node being drained for removal, or −1. */
  private removing = -1;
  /** Called when a node joins or leaves (samplers). */
  readonly changed: ((node: number) => void)[] = [];

  constructor(
    private readonly sim: Simulator,
    spec: ModelSpec,
    private readonly state: ClusterState,
    private readonly view: DataPlaneView,
    private readonly endpoints: EndpointPropagation,
    private readonly drainer: Drainer,
    private readonly groups: readonly NodeGroupSpec[],
    private readonly settings: ClusterAutoscalerSpec,
    streams: RandomStreams,
  ) {
    this.members = groups.map((g) => spec.nodes.flatMap((n, i) => (n.group === g.name ? [i] : [])));
    this.unneededSince = new Float64Array(spec.nodes.length).fill(NaN);
    this.rng = streams.stream('control/cluster-autoscaler');
  }

  start(): void {
    this.sim.schedule(this.rng() * this.settings.scanInterval, this.onScan, 0);
  }

  /** Nodes of group g in the cluster (provisioning ones not counted). */
  present(g: number): number {
    return this.members[g]!.filter((n) => this.state.nodeAbsent[n] === 0).length;
  }

  /** Whether the autoscaler has nothing under way (no node coming or going). */
  get idle(): boolean {
    return this.provisioning.size === 0 && this.removing < 0;
  }

  private readonly onScan = (): void => {
    this.scaleUp();
    this.scaleDown();
    this.sim.schedule(this.settings.scanInterval, this.onScan, 0);
  };

  /** Pods created that no node takes (Pending), largest CPU request first. */
  private pendingPods(): number[] {
    const st = this.state;
    const out: number[] = [];
    for (let p = 0; p < st.phase.length; p++) {
      if (st.phase[p] === Phase.Starting && st.podNode[p]! < 0 && st.terminating[p] === 0) out.push(p);
    }
    const cpu = (p: number) => st.spec.pods[p]!.requests?.cpu ?? 0;
    return out.sort((a, b) => cpu(b) - cpu(a) || a - b);
  }

  private scaleUp(): void {
    const pending = this.pendingPods();
    if (pending.length === 0) return;
    // Nodes on their way count as capacity already: pack the pending pods into them first, then new ones.
    const bins: { group: number; cpu: number; memory: number }[] = [];
    for (const n of this.provisioning) {
      const g = this.groupOf(n);
      bins.push({ group: g, cpu: this.groups[g]!.cpu, memory: this.groups[g]!.memory });
    }
    const added = new Int32Array(this.groups.length);
    for (const p of pending) {
      const r = this.state.spec.pods[p]!.requests ?? { cpu: 0, memory: 0 };
      const bin = bins.find((b) => b.cpu >= r.cpu && b.memory >= r.memory);
      if (bin !== undefined) {
        bin.cpu -= r.cpu;
        bin.memory -= r.memory;
        continue;
      }
      const g = this.groups.findIndex(
        (grp, i) => grp.cpu >= r.cpu && grp.memory >= r.memory && this.present(i) + this.coming(i) + added[i]! < grp.maxSize,
      );
      if (g < 0) continue; // no group can take it: it stays Pending
      added[g]!++;
      bins.push({ group: g, cpu: this.groups[g]!.cpu - r.cpu, memory: this.groups[g]!.memory - r.memory });
    }
    added.forEach((k, g) => {
      for (let i = 0; i < k; i++) {
        const n = this.members[g]!.find((m) => this.state.nodeAbsent[m] === 1 && !this.provisioning.has(m));
        if (n === undefined) return;
        this.provisioning.add(n);
        this.lastScaleUp = this.sim.now;
        this.sim.schedule(this.groups[g]!.provisionTime.sample(this.rng), this.onJoined, n);
      }
    });
  }

  private coming(g: number): number {
    let k = 0;
    for (const n of this.provisioning) if (this.groupOf(n) === g) k++;
    return k;
  }

  private groupOf(node: number): number {
    return this.members.findIndex((m) => m.includes(node));
  }

  private readonly onJoined = (node: number): void => {
    this.provisioning.delete(node);
    const st = this.state;
    st.nodeAbsent[node] = 0;
    st.nodeDown[node] = 0;
    st.nodeNotReady[node] = 0;
    st.nodeUnschedulable[node] = 0;
    this.view.nodeDown[node] = 0;
    this.view.downNodes--;
    this.endpoints.nodeUp(node);
    st.nodeChanged(node);
    for (const l of this.changed) l(node);
  };

  private scaleDown(): void {
    const st = this.state;
    const now = this.sim.now;
    if (this.removing >= 0) {
      if (this.drainer.drained(this.removing)) this.remove(this.removing);
      return;
    }
    if (this.pendingPods().length > 0 || this.provisioning.size > 0) return;
    this.groups.forEach((g, gi) => {
      for (const n of this.members[gi]!) {
        if (st.nodeAbsent[n] === 1) continue;
        if (this.present(gi) <= g.minSize || !this.unneeded(n)) this.unneededSince[n] = NaN;
        else if (!(this.unneededSince[n]! <= now)) this.unneededSince[n] = now;
      }
    });
    if (now < this.lastScaleUp + this.settings.scaleDownDelayAfterAdd) return;
    for (const members of this.members) {
      for (const n of members) {
        const since = this.unneededSince[n]!;
        if (since === since && now - since >= this.settings.scaleDownUnneededTime) {
          this.removing = n;
          this.unneededSince[n] = NaN;
          this.drainer.drain(n);
          return;
        }
      }
    }
  }

  /** Under the utilisation threshold, and every pod on it would fit on another node. */
  private unneeded(node: number): boolean {
    const st = this.state;
    const spec = st.spec.nodes[node]!;
    const used = st.requestedOn(node);
    const utilisation = Math.max(used.cpu / spec.cpu, spec.memory ? used.memory / spec.memory : 0);
    if (utilisation >= this.settings.scaleDownUtilizationThreshold) return false;
    // Room elsewhere, packed greedily in node order.
    const free = st.spec.nodes.map((n, i) => {
      if (i === node || st.nodeAbsent[i] === 1 || st.nodeDown[i] === 1 || st.nodeUnschedulable[i] === 1) return null;
      const u = st.requestedOn(i);
      return { cpu: n.cpu - u.cpu, memory: (n.memory ?? Infinity) - u.memory };
    });
    for (const p of st.podsOn(node)) {
      const r = st.spec.pods[p]!.requests ?? { cpu: 0, memory: 0 };
      const room = free.find((f) => f !== null && f.cpu >= r.cpu && f.memory >= r.memory);
      if (room === undefined || room === null) return false;
      room.cpu -= r.cpu;
      room.memory -= r.memory;
    }
    return true;
  }

  /** The drained node leaves the cluster (and its load balancers) at once. */
  private remove(node: number): void {
    this.removing = -1;
    const st = this.state;
    st.nodeAbsent[node] = 1;
    st.nodeDown[node] = 1;
    this.view.nodeDown[node] = 1;
    this.view.downNodes++;
    st.nodeChanged(node);
    for (const l of this.changed) l(node);
  }
}
