/**
 * Nodes that fail and come back, and the node lifecycle controller (docs/references.md#node-failure; k/k
 * `pkg/controller/nodelifecycle/node_lifecycle_controller.go`):
 *
 * - A node fails at once: its pods stop (what they hold is lost, `node-down`), its kube-proxy stops
 *   syncing, packets to it vanish. The API does not know yet.
 * - The kubelet renewed its Lease last at a uniform point of the 10 s renewal interval before the failure.
 *   The controller looks every `nodeMonitorPeriod` (its phase drawn once) and marks the node NotReady at the
 *   first look after `lastRenewal + nodeMonitorGracePeriod`; it then marks the node's pods not Ready
 *   (`MarkPodsNotReady`), which the EndpointSlice controller turns into not-ready endpoints.
 * - The NotReady node is tainted NoExecute (at most one node per zone every 10 s, `--node-eviction-rate`
 *   0.1; none in a zone that is partly (≥ 55 %) but not fully down when it has ≤ 50 nodes; none at all
 *   when every zone is fully down). Its pods are deleted `podEvictionTimeout` (300 s) after the taint and
 *   stay Terminating while the node is down; their ReplicaSets replace them at once.
 * - When the node comes back its kubelet restarts the pods that were not deleted (start-up, probes) and
 *   finishes the deleted ones; kube-proxy resyncs; the next look marks the node Ready and lifts the taint.
 */
import type { Rng, RandomStreams } from '../../engine/random.js';
import type { Simulator } from '../../engine/simulator.js';
import type { Seconds } from '../../engine/time.js';
import { ClusterState, Phase } from './cluster-state.js';
import type { EndpointPropagation } from './endpoint-propagation.js';
import type { PodLifecycle } from './pod-lifecycle.js';
import type { ControlPlaneSpec } from './spec.js';
import type { DataPlaneView } from './views.js';

/** The kubelet renews its Lease every 10 s (`nodeLeaseDurationSeconds` 40 s, renew interval 1/4 of it). */
export const LEASE_RENEW_INTERVAL: Seconds = 10;
/** `--node-eviction-rate` 0.1 nodes/s: one taint per zone every 10 s. */
export const EVICTION_INTERVAL: Seconds = 10;
/** `--unhealthy-zone-threshold` and `--large-cluster-size-threshold`. */
export const UNHEALTHY_ZONE_THRESHOLD = 0.55;
export const LARGE_CLUSTER_SIZE = 50;

export class NodeLifecycle {
  private readonly lastRenewal: Float64Array;
  private readonly taintedAt: Float64Array;
  private readonly lastTaintInZone: Float64Array;
  private readonly rng: Rng;
  private monitoring = false;

  constructor(
    private readonly sim: Simulator,
    private readonly state: ClusterState,
    private readonly view: DataPlaneView,
    private readonly lifecycle: PodLifecycle,
    private readonly endpoints: EndpointPropagation,
    private readonly control: ControlPlaneSpec,
    streams: RandomStreams,
  ) {
    const nodes = state.index.nodeCount;
    this.lastRenewal = new Float64Array(nodes);
    this.taintedAt = new Float64Array(nodes).fill(NaN);
    this.lastTaintInZone = new Float64Array(state.index.zoneCount).fill(-Infinity);
    this.rng = streams.stream('control/node-lifecycle');
  }

  /** When the node was tainted NoExecute (NaN: not tainted). */
  taintTime(node: number): Seconds {
    return this.taintedAt[node]!;
  }

  fail(node: number): void {
    const st = this.state;
    if (st.nodeDown[node] === 1) return;
    st.nodeDown[node] = 1;
    this.view.nodeDown[node] = 1;
    this.view.downNodes++;
    this.lastRenewal[node] = this.sim.now - this.rng() * LEASE_RENEW_INTERVAL;
    for (const p of st.podsOn(node)) this.lifecycle.frozen(p);
    st.nodeChanged(node);
    this.startMonitor();
  }

  recover(node: number): void {
    const st = this.state;
    if (st.nodeDown[node] === 0) return;
    st.nodeDown[node] = 0;
    this.view.nodeDown[node] = 0;
    this.view.downNodes--;
    this.lastRenewal[node] = this.sim.now;
    for (const p of st.podsOn(node)) if (st.phase[p] !== Phase.Gone) this.lifecycle.restart(p);
    this.endpoints.nodeUp(node);
    st.nodeChanged(node);
  }

  private startMonitor(): void {
    if (this.monitoring) return;
    this.monitoring = true;
    this.sim.schedule(this.rng() * this.control.nodeMonitorPeriod, this.onMonitor, 0);
  }

  private readonly onMonitor = (): void => {
    const st = this.state;
    const now = this.sim.now;
    const index = st.index;
    for (let n = 0; n < index.nodeCount; n++) {
      if (st.nodeAbsent[n] === 1) continue;
      if (st.nodeDown[n] === 1 && st.nodeNotReady[n] === 0 && now >= this.lastRenewal[n]! + this.control.nodeMonitorGracePeriod) {
        st.nodeNotReady[n] = 1;
        for (const p of st.podsOn(n)) st.setReady(p, false, now);
        st.nodeChanged(n);
      } else if (st.nodeDown[n] === 0 && st.nodeNotReady[n] === 1) {
        st.nodeNotReady[n] = 0;
        this.taintedAt[n] = NaN;
        st.nodeChanged(n);
      }
    }
    this.taint(now);
    this.sim.schedule(this.control.nodeMonitorPeriod, this.onMonitor, 0);
  };

  /** NoExecute taints on NotReady nodes, within the zone rules and the eviction rate. */
  private taint(now: Seconds): void {
    const st = this.state;
    const index = st.index;
    const Z = index.zoneCount;
    const total = new Int32Array(Z);
    const notReady = new Int32Array(Z);
    for (let n = 0; n < index.nodeCount; n++) {
      if (st.nodeAbsent[n] === 1) continue;
      total[index.nodeZone[n]!]!++;
      if (st.nodeNotReady[n] === 1) notReady[index.nodeZone[n]!]!++;
    }
    let allDown = true;
    for (let z = 0; z < Z; z++) if (total[z]! > 0 && notReady[z]! < total[z]!) allDown = false;
    if (allDown) return;
    for (let n = 0; n < index.nodeCount; n++) {
      if (st.nodeNotReady[n] === 0 || this.taintedAt[n] === this.taintedAt[n]) continue;
      const z = index.nodeZone[n]!;
      const share = notReady[z]! / total[z]!;
      if (share >= UNHEALTHY_ZONE_THRESHOLD && share < 1 && total[z]! <= LARGE_CLUSTER_SIZE) continue;
      if (now < this.lastTaintInZone[z]! + EVICTION_INTERVAL) continue;
      this.lastTaintInZone[z] = now;
      this.taintedAt[n] = now;
      this.sim.schedule(this.control.podEvictionTimeout, this.onEvict, n);
    }
  }

  /** The toleration ran out: the taint-eviction controller deletes the node's pods (PDBs do not apply). */
  private readonly onEvict = (node: number): void => {
    const at = this.taintedAt[node]!;
    if (!(at === at) || this.sim.now < at + this.control.podEvictionTimeout - 1e-9) return; // untainted, or a newer taint
    for (const p of this.state.podsOn(node)) this.lifecycle.delete(p);
  };
}
