/**
 * kube-scheduler for the pods a timeline creates, in the order the scenario layer places the manifests'
 * pods (scenario/placement.ts): among nodes that are in the cluster, schedulable (not cordoned, no taint
 * the workload does not tolerate), that the API believes Ready and where the pod's resource requests fit
 * beside those of the pods there (NodeResourcesFit), the default spreading over the pods of the same
 * Deployment (zone first, then node), then the node with the fewest pods, then node order.
 *
 * A node that has died but is not yet NotReady (within the node-monitor grace period) still looks Ready,
 * so pods can be placed on it and stay there, not starting, as in a real cluster. Node selectors,
 * affinity and resources of the new pods are not re-checked: a timeline's pods go where their Deployment's
 * pods may go (simplification, docs/model.md).
 */
import { ClusterState, Phase } from './cluster-state.js';

export class Scheduler {
  constructor(
    private readonly state: ClusterState,
    /** Deployment of each pod (−1 none). */
    private readonly deploymentOf: Int32Array,
  ) {}

  /** The node for `pod`, or −1 when none fits (the pod stays Pending). */
  pick(pod: number): number {
    const st = this.state;
    const nodes = st.nodeDown.length;
    const zones = st.index.zoneCount;
    const d = this.deploymentOf[pod]!;
    const sameOnNode = new Int32Array(nodes);
    const allOnNode = new Int32Array(nodes);
    const sameInZone = new Int32Array(zones);
    for (let p = 0; p < st.phase.length; p++) {
      const n = st.podNode[p]!;
      if (n < 0 || p === pod || st.phase[p] === Phase.Slot || st.phase[p] === Phase.Gone) continue;
      allOnNode[n]!++;
      if (d >= 0 && this.deploymentOf[p] === d && st.terminating[p] === 0) {
        sameOnNode[n]!++;
        sameInZone[st.index.nodeZone[n]!]!++;
      }
    }
    let best = -1;
    for (let n = 0; n < nodes; n++) {
      if (st.nodeAbsent[n] === 1 || st.nodeUnschedulable[n] === 1 || st.nodeNotReady[n] === 1 || !st.fits(pod, n)) continue;
      if (best < 0) {
        best = n;
        continue;
      }
      const zn = st.index.nodeZone[n]!;
      const zb = st.index.nodeZone[best]!;
      const key = [sameInZone[zn]! - sameInZone[zb]!, sameOnNode[n]! - sameOnNode[best]!, allOnNode[n]! - allOnNode[best]!];
      const better = key.find((x) => x !== 0);
      if (better !== undefined && better < 0) best = n;
    }
    return best;
  }
}
