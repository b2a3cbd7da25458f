/**
 * The kubelet's part, for every pod: start, readiness probe, and the termination sequence
 * (docs/references.md#probes-termination, the "Pod Termination Flow" of pod-lifecycle.md):
 *
 *   create ──start-up──> started (the app answers) ──probe × successThreshold──> Ready
 *   delete: deletionTimestamp (endpoint terminating, at once) and, at the same time, preStop; when it ends
 *     (or the grace period does), SIGTERM: a `graceful` app closes its listener (new connections refused,
 *     probes fail from then on) and finishes what it holds, then exits; an `immediate` app exits at once.
 *     At `terminationGracePeriodSeconds` from the deletion whatever is left is killed (SIGKILL).
 *
 * Probes follow the kubelet's probe worker (k/k `pkg/kubelet/prober/worker.go`, `run`, `doProbe`): the
 * worker starts when the pod reaches its node and ticks every `periodSeconds` from then (the first tick at
 * once); a tick probes only once the container has run `initialDelaySeconds`. So a new pod's first probe is
 * at the first tick at or after start + initialDelay. After a kubelet restart (the node came back) the
 * worker first waits a random part of a period; pods running before the run probe at a random phase. A
 * probe's timeout is not modelled: the app answers at once or, after SIGTERM, refuses at once. The 2 s the
 * kubelet adds when preStop overruns the grace period is not modelled.
 *
 * Timers carry `pod + pods × epoch`; a pod's epoch moves on at each restart and deletion, so a timer of
 * an earlier life is recognised and ignored (no cancellation bookkeeping).
 */
import type { Rng, RandomStreams } from '../../engine/random.js';
import type { Simulator } from '../../engine/simulator.js';
import type { Seconds } from '../../engine/time.js';
import type { PodStations } from '../pods.js';
import { Drop } from '../routing.js';
import type { ModelSpec } from '../spec.js';
import { ClusterState, Phase } from './cluster-state.js';
import { DEFAULT_LIFECYCLE } from './defaults.js';
import type { PodLifecycleSpec } from './spec.js';
import { PodState, type DataPathHooks, type DataPlaneView } from './views.js';

/** How often a draining app is checked for having finished its requests. */
export const DRAIN_POLL: Seconds = 0.05;
/**
 * A gone pod's slot may hold a new pod of the same revision after this long, when the slots laid out are
 * used up (autoscalers): long enough for every packet still on its way to the old pod to have arrived.
 */
export const SLOT_REUSE_AFTER: Seconds = 60;

export class PodLifecycle {
  private readonly lifecycle: PodLifecycleSpec[];
  private readonly epoch: Int32Array;
  /** Consecutive probe successes and failures. */
  private readonly successes: Int32Array;
  private readonly failures: Int32Array;
  /** SIGTERM received (the app no longer answers probes). */
  private readonly sigterm: Uint8Array;
  private readonly rngs: (Rng | undefined)[];
  /** When each pod's probe worker started ticking (NaN: a random phase, drawn when it starts). */
  private readonly tickOrigin: Float64Array;
  /** When each pod went (NaN: not gone). */
  private readonly goneAt: Float64Array;
  private readonly P: number;
  /** Called when a pod has gone (the deployment controller's cue). */
  onGone: (pod: number) => void = () => {};

  constructor(
    private readonly sim: Simulator,
    private readonly spec: ModelSpec,
    private readonly state: ClusterState,
    private readonly view: DataPlaneView,
    private readonly stations: PodStations,
    private readonly aborter: DataPathHooks,
    private readonly streams: RandomStreams,
  ) {
    const n = (this.P = spec.pods.length);
    this.lifecycle = spec.pods.map((p) => p.lifecycle ?? DEFAULT_LIFECYCLE);
    this.epoch = new Int32Array(n);
    this.successes = new Int32Array(n);
    this.failures = new Int32Array(n);
    this.sigterm = new Uint8Array(n);
    this.rngs = new Array<Rng | undefined>(n);
    this.tickOrigin = new Float64Array(n).fill(NaN);
    this.goneAt = new Float64Array(n).fill(NaN);
  }

  /** Whether a gone pod's slot can take a new pod: gone long enough, nothing of it left at the station. */
  reusable(pod: number): boolean {
    return this.state.phase[pod] === Phase.Gone && this.sim.now - this.goneAt[pod]! >= SLOT_REUSE_AFTER && this.stations.load(pod) === 0;
  }

  /** A new pod takes a gone pod's slot: it starts from scratch. */
  reuse(pod: number): void {
    const st = this.state;
    st.phase[pod] = Phase.Slot;
    st.terminating[pod] = 0;
    st.ready[pod] = 0;
    st.readySince[pod] = NaN;
    this.goneAt[pod] = NaN;
    this.sigterm[pod] = 0;
    this.successes[pod] = 0;
    this.failures[pod] = 0;
    this.view.podState[pod] = PodState.Absent;
  }

  /** Pods of the manifests that are running at time 0 start probing now (their readiness is as given). */
  startExisting(firstSlot: number): void {
    for (let p = 0; p < firstSlot; p++) {
      if (this.state.phase[p] !== Phase.Running) continue;
      const probe = this.lifecycle[p]!.readiness;
      if (probe === null) continue;
      if (this.state.ready[p] === 1) this.successes[p] = probe.successThreshold;
      // Running since before the run: a probe phase anywhere in the period.
      this.sim.schedule(this.rng(p)() * probe.period, this.onProbe, this.tag(p));
    }
  }

  /** The pod has a node (or is Pending): its containers start after the start-up time. */
  create(pod: number): void {
    this.state.phase[pod] = Phase.Starting;
    this.state.podChanged(pod);
    if (this.state.podNode[pod]! >= 0) this.scheduleStart(pod);
  }

  /** A Pending pod was placed later: start it now. */
  placed(pod: number): void {
    this.state.podChanged(pod);
    this.scheduleStart(pod);
  }

  /** The node came back: its pods' containers start again (a reboot), unless they were being deleted. */
  restart(pod: number): void {
    this.epoch[pod]!++;
    this.sigterm[pod] = 0;
    this.successes[pod] = 0;
    this.failures[pod] = 0;
    if (this.state.terminating[pod] === 1) return this.gone(pod);
    this.state.phase[pod] = Phase.Starting;
    this.state.setReady(pod, false, this.sim.now);
    this.view.podState[pod] = PodState.Absent;
    this.state.podChanged(pod);
    // The kubelet restarted: its probe workers begin after a random part of a period.
    const probe = this.lifecycle[pod]!.readiness;
    this.scheduleStart(pod, probe === null ? this.sim.now : this.sim.now + this.rng(pod)() * probe.period);
  }

  /** The node died: the pod's processes stop where they are (the API does not know yet). */
  frozen(pod: number): void {
    this.epoch[pod]!++;
    this.aborter.abortAt(pod, Drop.NodeDown);
  }

  /**
   * DELETE or eviction with the pod's grace period: the endpoint turns terminating now, preStop runs, then
   * SIGTERM; SIGKILL at the deadline. On a node that is down nothing runs: the pod stays terminating until
   * the node comes back (the kubelet cannot confirm).
   */
  delete(pod: number): void {
    const st = this.state;
    if (st.phase[pod] === Phase.Slot || st.phase[pod] === Phase.Gone || st.terminating[pod] === 1) return;
    st.terminating[pod] = 1;
    const node = st.podNode[pod]!;
    if (node < 0 || st.phase[pod] === Phase.Starting) {
      // Never started (or Pending): nothing to stop.
      if (node < 0 || st.nodeDown[node] === 0) return this.gone(pod);
      st.podChanged(pod);
      return;
    }
    st.podChanged(pod);
    if (st.nodeDown[node] === 1) return;
    const lc = this.lifecycle[pod]!;
    const tag = this.tag(pod);
    this.sim.schedule(Math.min(lc.preStop, lc.terminationGracePeriod), this.onSigterm, tag);
    this.sim.schedule(lc.terminationGracePeriod, this.onKill, tag);
  }

  private scheduleStart(pod: number, origin: Seconds = this.sim.now): void {
    this.tickOrigin[pod] = origin;
    const lc = this.lifecycle[pod]!;
    this.sim.schedule(lc.startup.sample(this.rng(pod)), this.onStarted, this.tag(pod));
  }

  private rng(pod: number): Rng {
    let r = this.rngs[pod];
    if (r === undefined) {
      const p = this.spec.pods[pod]!;
      r = this.streams.stream(`pod/${p.namespace}/${p.name}/lifecycle`);
      this.rngs[pod] = r;
    }
    return r;
  }

  private tag(pod: number): number {
    return pod + this.P * this.epoch[pod]!;
  }

  /** The pod of a timer's tag, or −1 when the timer is from an earlier life. */
  private live(tag: number): number {
    const pod = tag % this.P;
    return (tag - pod) / this.P === this.epoch[pod] ? pod : -1;
  }

  private readonly onStarted = (tag: number): void => {
    const pod = this.live(tag);
    if (pod < 0) return;
    const st = this.state;
    st.phase[pod] = Phase.Running;
    this.view.podState[pod] = PodState.Accepting;
    const probe = this.lifecycle[pod]!.readiness;
    if (probe === null) return st.setReady(pod, true, this.sim.now);
    st.podChanged(pod);
    // The first tick of the worker (ticking from `tickOrigin`) at or after start + initialDelay.
    const due = this.sim.now + probe.initialDelay;
    const origin = this.tickOrigin[pod]!;
    const ticks = Math.max(0, Math.ceil((due - origin) / probe.period - 1e-9));
    this.sim.scheduleAt(Math.max(due, origin + ticks * probe.period), this.onProbe, tag);
  };

  private readonly onProbe = (tag: number): void => {
    const pod = this.live(tag);
    if (pod < 0) return;
    const probe = this.lifecycle[pod]!.readiness!;
    const st = this.state;
    if (this.sigterm[pod] === 0) {
      this.failures[pod] = 0;
      if (++this.successes[pod]! >= probe.successThreshold) st.setReady(pod, true, this.sim.now);
    } else {
      this.successes[pod] = 0;
      if (++this.failures[pod]! >= probe.failureThreshold) st.setReady(pod, false, this.sim.now);
    }
    this.sim.schedule(probe.period, this.onProbe, tag);
  };

  private readonly onSigterm = (tag: number): void => {
    const pod = this.live(tag);
    if (pod < 0) return;
    this.sigterm[pod] = 1;
    if (this.lifecycle[pod]!.shutdown === 'immediate') return this.kill(pod);
    this.view.podState[pod] = PodState.Draining;
    this.aborter.closeConnections(pod);
    this.onDrainCheck(tag);
  };

  private readonly onDrainCheck = (tag: number): void => {
    const pod = this.live(tag);
    if (pod < 0) return;
    if (this.stations.load(pod) === 0) return this.gone(pod);
    this.sim.schedule(DRAIN_POLL, this.onDrainCheck, tag);
  };

  private readonly onKill = (tag: number): void => {
    const pod = this.live(tag);
    if (pod >= 0) this.kill(pod);
  };

  private kill(pod: number): void {
    this.aborter.abortAt(pod, Drop.PodKilled);
    this.gone(pod);
  }

  private gone(pod: number): void {
    this.epoch[pod]!++;
    this.goneAt[pod] = this.sim.now;
    const st = this.state;
    st.phase[pod] = Phase.Gone;
    st.ready[pod] = 0;
    st.readySince[pod] = NaN;
    this.view.podState[pod] = PodState.Gone;
    // An exiting process's sockets are closed (FIN) if its node is up; a dead node sends nothing.
    const node = st.podNode[pod]!;
    if (node >= 0 && st.nodeDown[node] === 0) this.aborter.closeConnections(pod);
    st.podChanged(pod);
    this.onGone(pod);
  }
}
