/**
 * The deployment and ReplicaSet controllers (k/k `pkg/controller/deployment/rolling.go`, `recreate.go`,
 * `util/deployment_util.go`; `pkg/controller/replicaset`), one revision of the pod template per
 * ReplicaSet:
 *
 * RollingUpdate, each sync (`rolloutRolling`):
 *   1. scale the new ReplicaSet up to at most `replicas + maxSurge` pods in all ReplicaSets (their
 *      `spec.replicas`), never above `replicas`; if it scaled, the sync ends;
 *   2. otherwise scale old ReplicaSets down by at most `all − (replicas − maxUnavailable) − (new RS's
 *      replicas not yet available)`: first their unavailable pods (`cleanupUnhealthyReplicas`, oldest
 *      ReplicaSet first), then available ones while more than `replicas − maxUnavailable` are available
 *      (`scaleDownOldReplicaSetsForRollingUpdate`).
 *   `maxSurge` rounds up and `maxUnavailable` down, from `spec.replicas`; both 0 makes unavailable 1
 *   (`ResolveFenceposts`). Available: Ready for `minReadySeconds` without a break.
 * Recreate: old ReplicaSets to 0; the new one scales up once no old pod is left (terminating ones included).
 *
 * A ReplicaSet creates pods until its active (not deleted) pods reach `spec.replicas`, and deletes the
 * surplus in `ActivePodsWithRanks` order, simplified: unscheduled, then not started, then not Ready, then
 * the most recently Ready, then the youngest. Terminating pods are not counted, so a deleted pod is
 * replaced at once (as in Kubernetes, the pod count may exceed `replicas + maxSurge` meanwhile).
 *
 * Simplifications (docs/model.md): a `scale` during a rollout sets `replicas` and lets the rolling logic
 * converge (Kubernetes scales the ReplicaSets proportionally first); `progressDeadlineSeconds` is not
 * tracked (it changes nothing but a condition); syncs happen at the instant a pod changes.
 */
import type { Simulator } from '../../engine/simulator.js';
import type { Seconds } from '../../engine/time.js';
import { ClusterState, Phase } from './cluster-state.js';
import type { PodLifecycle } from './pod-lifecycle.js';
import type { Scheduler } from './scheduler.js';
import type { DeploymentSpec, IntOrPercent } from './spec.js';

/** `IntOrPercent` of a total, rounded up or down as Kubernetes' `GetScaledValueFromIntOrPercent`. */
export function scaledValue(v: IntOrPercent, total: number, roundUp: boolean): number {
  if (v.kind === 'count') return v.value;
  const x = (v.value * total) / 100;
  return roundUp ? Math.ceil(x - 1e-9) : Math.floor(x + 1e-9);
}

/** `ResolveFenceposts`: [maxSurge, maxUnavailable] for `replicas`. */
export function resolveFenceposts(surge: IntOrPercent, unavailable: IntOrPercent, replicas: number): [number, number] {
  const s = scaledValue(surge, replicas, true);
  let u = scaledValue(unavailable, replicas, false);
  if (s === 0 && u === 0) u = 1;
  return [s, u];
}

interface DeploymentRuntime {
  readonly spec: DeploymentSpec;
  replicas: number;
  /** `spec.replicas` of each revision's ReplicaSet; the last revision is the current one. */
  readonly rs: number[];
  /** Revision count so far (revisions beyond it exist in the slot plan but not yet in the cluster). */
  revisions: number;
  queued: boolean;
}

export class DeploymentController {
  private readonly deployments: DeploymentRuntime[];
  /** Pods created that no node could take: tried again when a node changes. */
  private readonly pending = new Set<number>();

  constructor(
    private readonly sim: Simulator,
    private readonly state: ClusterState,
    specs: readonly DeploymentSpec[],
    /** Per deployment and revision, the slots not yet taken (pod-slots.ts). */
    private readonly free: number[][][],
    private readonly deploymentOf: Int32Array,
    private readonly revisionOf: Int32Array,
    private readonly lifecycle: PodLifecycle,
    private readonly scheduler: Scheduler,
  ) {
    // Revision 0's ReplicaSet owns the manifests' pods; those no node took are Pending from the start.
    this.deployments = specs.map((spec) => ({ spec, replicas: spec.replicas, rs: [spec.replicas], revisions: 1, queued: false }));
    for (let p = 0; p < deploymentOf.length; p++) {
      if (state.phase[p] === Phase.Starting && state.podNode[p]! < 0 && state.terminating[p] === 0) this.pending.add(p);
    }
    state.onPod((p) => {
      const d = this.deploymentOf[p]!;
      if (d < 0) return;
      this.request(d);
      const min = this.deployments[d]!.spec.minReadySeconds;
      if (min > 0 && state.ready[p] === 1 && state.readySince[p] === sim.now) sim.schedule(min, this.onSync, d);
    });
    state.onNode(() => this.retryPending());
  }

  /** Pods the controller could not place yet (Pending). */
  get pendingPods(): number {
    return this.pending.size;
  }

  /** A new revision of the pod template (the timeline's `rollout`). */
  rollout(d: number): void {
    const dep = this.deployments[d]!;
    dep.revisions++;
    dep.rs.push(0);
    this.request(d);
  }

  scale(d: number, replicas: number): void {
    const dep = this.deployments[d]!;
    dep.replicas = replicas;
    this.request(d);
  }

  /** Whether the Deployment is complete: only the current revision has pods, all of them available. */
  isComplete(d: number): boolean {
    const dep = this.deployments[d]!;
    const cur = dep.revisions - 1;
    for (let p = 0; p < this.deploymentOf.length; p++) {
      if (this.deploymentOf[p] !== d) continue;
      const ph = this.state.phase[p]!;
      if (ph === Phase.Slot || ph === Phase.Gone) continue;
      if (this.revisionOf[p] !== cur || this.state.terminating[p] === 1) return false;
    }
    return dep.rs[cur] === dep.replicas && this.available(d, cur) === dep.replicas && dep.rs.every((n, r) => r === cur || n === 0);
  }

  /** `spec.replicas` now. */
  replicasOf(d: number): number {
    return this.deployments[d]!.replicas;
  }

  /**
   * Converged: only the current revision's ReplicaSet wants pods, and `replicas` of them are available.
   * (Terminating stragglers, e.g. on a node that is down, do not count against it.)
   */
  settled(d: number): boolean {
    const dep = this.deployments[d]!;
    const cur = dep.revisions - 1;
    return dep.rs.every((n, r) => (r === cur ? n === dep.replicas : n === 0)) && this.available(d, cur) === dep.replicas;
  }

  /** Pods of the Deployment created and not placed: no node takes them (the result's `pending`). */
  pendingOf(d: number): number {
    let n = 0;
    for (const p of this.pending) if (this.deploymentOf[p] === d) n++;
    return n;
  }

  /** Pods of the Deployment that exist and are not terminating (the result's `replicas`). */
  activePods(d: number): number {
    let n = 0;
    for (let p = 0; p < this.deploymentOf.length; p++) if (this.deploymentOf[p] === d && this.state.isActive(p)) n++;
    return n;
  }

  request(d: number): void {
    const dep = this.deployments[d]!;
    if (dep.queued) return;
    dep.queued = true;
    this.sim.schedule(0, this.onSync, d);
  }

  private readonly onSync = (d: number): void => {
    const dep = this.deployments[d]!;
    dep.queued = false;
    if (dep.spec.strategy.kind === 'Recreate') this.recreate(dep, d);
    else this.rolling(dep, d);
    for (let r = 0; r < dep.revisions; r++) this.syncReplicaSet(d, r, dep.rs[r]!);
  };

  private rolling(dep: DeploymentRuntime, d: number): void {
    const strategy = dep.spec.strategy;
    if (strategy.kind !== 'RollingUpdate') return;
    const cur = dep.revisions - 1;
    const replicas = dep.replicas;
    const [maxSurge, maxUnavailable] = resolveFenceposts(strategy.maxSurge, strategy.maxUnavailable, replicas);
    const all = (): number => dep.rs.reduce((a, b) => a + b, 0);
    // reconcileNewReplicaSet
    if (dep.rs[cur]! > replicas) {
      dep.rs[cur] = replicas;
      return;
    }
    if (dep.rs[cur]! < replicas) {
      const room = replicas + maxSurge - all();
      if (room > 0) {
        dep.rs[cur]! += Math.min(room, replicas - dep.rs[cur]!);
        return;
      }
    }
    // reconcileOldReplicaSets
    const oldCount = all() - dep.rs[cur]!;
    if (oldCount === 0) return;
    const minAvailable = replicas - maxUnavailable;
    const newUnavailable = dep.rs[cur]! - this.available(d, cur);
    const maxScaledDown = all() - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return;
    // cleanupUnhealthyReplicas: old ReplicaSets' unavailable pods first, oldest first.
    let cleaned = 0;
    for (let r = 0; r < cur && cleaned < maxScaledDown; r++) {
      const unhealthy = dep.rs[r]! - this.available(d, r);
      if (dep.rs[r] === 0 || unhealthy <= 0) continue;
      const n = Math.min(maxScaledDown - cleaned, unhealthy);
      dep.rs[r]! -= n;
      cleaned += n;
    }
    // scaleDownOldReplicaSetsForRollingUpdate
    let available = 0;
    for (let r = 0; r < dep.revisions; r++) available += this.available(d, r);
    let budget = available - minAvailable;
    for (let r = 0; r < cur && budget > 0; r++) {
      const n = Math.min(dep.rs[r]!, budget);
      dep.rs[r]! -= n;
      budget -= n;
    }
  }

  private recreate(dep: DeploymentRuntime, d: number): void {
    const cur = dep.revisions - 1;
    for (let r = 0; r < cur; r++) dep.rs[r] = 0;
    for (let p = 0; p < this.deploymentOf.length; p++) {
      if (this.deploymentOf[p] !== d || this.revisionOf[p] === cur) continue;
      const ph = this.state.phase[p]!;
      if (ph !== Phase.Slot && ph !== Phase.Gone) return; // old pods still there (terminating included)
    }
    dep.rs[cur] = dep.replicas;
  }

  /** Pods of revision r that are available (Ready for minReadySeconds, not terminating). */
  private available(d: number, r: number): number {
    const st = this.state;
    const min = this.deployments[d]!.spec.minReadySeconds;
    const now = this.sim.now;
    let n = 0;
    for (let p = 0; p < this.deploymentOf.length; p++) {
      if (this.deploymentOf[p] !== d || this.revisionOf[p] !== r || !st.isActive(p) || st.ready[p] === 0) continue;
      if (now - st.readySince[p]! >= min) n++;
    }
    return n;
  }

  private syncReplicaSet(d: number, r: number, want: number): void {
    const st = this.state;
    const active: number[] = [];
    for (let p = 0; p < this.deploymentOf.length; p++) {
      if (this.deploymentOf[p] === d && this.revisionOf[p] === r && st.isActive(p)) active.push(p);
    }
    if (active.length < want) {
      for (let k = active.length; k < want; k++) {
        const slot = this.free[d]![r]!.shift() ?? this.reusableSlot(d, r);
        // Nothing to take: the run would be wrong, so it stops (pod-slots.ts bounds what a timeline needs).
        if (slot === undefined) throw new Error(`Deployment ${this.deployments[d]!.spec.name}: no room left for a new pod of revision ${r} (pod-slots.ts bound)`);
        this.createPod(slot);
      }
    } else if (active.length > want) {
      active.sort((a, b) => this.deletionRank(a) - this.deletionRank(b) || b - a);
      for (let k = 0; k < active.length - want; k++) this.lifecycle.delete(active[k]!);
    }
  }

  /** Lower goes first (`ActivePodsWithRanks`, simplified; ties: the younger pod, i.e. the higher index). */
  private deletionRank(p: number): number {
    const st = this.state;
    if (st.podNode[p]! < 0) return -3e9;
    if (st.phase[p] === Phase.Starting) return -2e9;
    if (st.ready[p] === 0) return -1e9;
    const since: Seconds = st.readySince[p]!;
    return since === -Infinity ? 0 : -since;
  }

  /**
   * Once the slots laid out are used up (an autoscaler's churn), a gone pod's slot of the same revision
   * takes the new pod (docs/model.md: its result row then covers both).
   */
  private reusableSlot(d: number, r: number): number | undefined {
    for (let p = 0; p < this.deploymentOf.length; p++) {
      if (this.deploymentOf[p] !== d || this.revisionOf[p] !== r || !this.lifecycle.reusable(p)) continue;
      this.lifecycle.reuse(p);
      return p;
    }
    return undefined;
  }

  private createPod(slot: number): void {
    const node = this.scheduler.pick(slot);
    this.state.podNode[slot] = node;
    if (node < 0) this.pending.add(slot);
    this.lifecycle.create(slot);
  }

  private retryPending(): void {
    for (const pod of [...this.pending]) {
      if (this.state.terminating[pod] === 1 || this.state.phase[pod] === Phase.Gone) {
        this.pending.delete(pod);
        continue;
      }
      const node = this.scheduler.pick(pod);
      if (node < 0) continue;
      this.pending.delete(pod);
      this.state.podNode[pod] = node;
      this.lifecycle.placed(pod);
    }
  }
}
