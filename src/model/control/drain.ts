/**
 * `kubectl drain` and the Eviction API with PodDisruptionBudgets (docs/references.md#drain-pdb; k/k
 * `staging/src/k8s.io/kubectl/pkg/drain/drain.go`, `pkg/controller/disruption/disruption.go`,
 * `pkg/registry/core/pod/storage/eviction.go`):
 *
 * - drain cordons the node, then asks to evict every pod on it at once; a refused eviction (429) is asked
 *   again every 5 s; the drain is over when every pod has gone. (DaemonSet pods are not in the model.)
 * - An eviction is granted when every PDB that selects the pod allows a disruption:
 *   `currentHealthy − desiredHealthy > 0`, where healthy pods are Ready, not being deleted and not already
 *   granted an eviction (`disruptedPods`, until they have gone); `desiredHealthy` is `minAvailable`, or
 *   the expected count less `maxUnavailable`; percentages are of the expected count (the owning
 *   Deployment's `replicas`) and round up. A pod that is not Ready may be evicted whenever the budget is
 *   met (`unhealthyPodEvictionPolicy: IfHealthyBudget`, the default). More than one PDB: refused (500).
 * - A granted eviction deletes the pod with its own grace period.
 */
import type { Simulator } from '../../engine/simulator.js';
import type { Seconds } from '../../engine/time.js';
import { matchesSelector } from '../endpoints/compute-endpoints.js';
import type { ModelSpec } from '../spec.js';
import { ClusterState, Phase } from './cluster-state.js';
import { scaledValue } from './deployment-controller.js';
import type { PodLifecycle } from './pod-lifecycle.js';
import type { DisruptionBudgetSpec } from './spec.js';

/** kubectl drain retries a refused eviction after this long. */
export const EVICTION_RETRY: Seconds = 5;

export class Drainer {
  /** Pods granted an eviction and not gone yet. */
  private readonly disrupted = new Set<number>();
  private readonly budgetsOf: number[][];
  /** Notes for the event's result (e.g. an eviction held back by a PDB), per node being drained. */
  readonly notes = new Map<number, string[]>();
  private readonly blockedSince = new Map<number, Seconds>();

  constructor(
    private readonly sim: Simulator,
    spec: ModelSpec,
    private readonly state: ClusterState,
    private readonly lifecycle: PodLifecycle,
    private readonly budgets: readonly DisruptionBudgetSpec[],
    /** Expected pod count for a pod's budgets: its Deployment's `replicas` now, or −1 for a pod of its own. */
    private readonly expectedFor: (pod: number) => number,
  ) {
    this.budgetsOf = spec.pods.map((p) =>
      budgets.flatMap((b, i) => (b.namespace === p.namespace && matchesSelector(p, b.selector) ? [i] : [])),
    );
    state.onPod((p) => {
      if (state.phase[p] === Phase.Gone) this.disrupted.delete(p);
    });
  }

  /** Cordon, then evict everything on the node. */
  drain(node: number): void {
    this.state.nodeUnschedulable[node] = 1;
    this.state.nodeChanged(node);
    for (const p of this.state.podsOn(node)) this.evict(p);
  }

  cordon(node: number, on: boolean): void {
    this.state.nodeUnschedulable[node] = on ? 1 : 0;
    this.state.nodeChanged(node);
  }

  /** Whether every pod that was on the node has gone. */
  drained(node: number): boolean {
    return this.state.podsOn(node).length === 0;
  }

  private evict(pod: number): void {
    const st = this.state;
    if (st.phase[pod] === Phase.Gone || st.terminating[pod] === 1) return;
    const refusal = this.refusal(pod);
    if (refusal === null) {
      this.disrupted.add(pod);
      this.lifecycle.delete(pod);
      return;
    }
    const node = st.podNode[pod]!;
    if (!this.blockedSince.has(pod)) {
      this.blockedSince.set(pod, this.sim.now);
      const list = this.notes.get(node) ?? [];
      list.push(`eviction of ${st.spec.pods[pod]!.namespace}/${st.spec.pods[pod]!.name} refused at ${this.sim.now} s: ${refusal}`);
      this.notes.set(node, list);
    }
    this.sim.schedule(EVICTION_RETRY, this.onRetry, pod);
  }

  private readonly onRetry = (pod: number): void => this.evict(pod);

  /** Why the eviction is refused now, or null when it is granted. */
  private refusal(pod: number): string | null {
    const list = this.budgetsOf[pod]!;
    if (list.length > 1) return 'the pod matches more than one PodDisruptionBudget (500)';
    if (list.length === 0) return null;
    const b = this.budgets[list[0]!]!;
    const st = this.state;
    let matching = 0;
    let healthy = 0;
    for (let p = 0; p < st.phase.length; p++) {
      if (!this.budgetsOf[p]!.includes(list[0]!)) continue;
      const ph = st.phase[p]!;
      if (ph === Phase.Slot || ph === Phase.Gone) continue;
      matching++;
      if (st.ready[p] === 1 && st.terminating[p] === 0 && !this.disrupted.has(p)) healthy++;
    }
    const owned = this.expectedFor(pod);
    const expected = owned >= 0 ? owned : matching;
    let desired: number;
    if (b.minAvailable !== null) {
      desired = b.minAvailable.kind === 'count' ? b.minAvailable.value : scaledValue(b.minAvailable, expected, true);
    } else {
      desired = expected - scaledValue(b.maxUnavailable!, expected, true);
    }
    if (st.ready[pod] === 0) return healthy >= desired ? null : `PodDisruptionBudget ${b.namespace}/${b.name}: ${healthy} healthy, ${desired} needed`;
    return healthy - desired > 0 ? null : `PodDisruptionBudget ${b.namespace}/${b.name} allows no disruption (${healthy} healthy, ${desired} needed) (429)`;
  }
}
