/**
 * From a pod's change to every node's rules: the EndpointSlice controller, the watch that carries its
 * writes to each node, and each node's kube-proxy sync (docs/references.md#endpoint-propagation).
 *
 * - EndpointSlice controller: a pod change updates its endpoints' conditions at once (the default
 *   `--endpointslice-updates-batch-period` is 0): `serving` = Ready, `terminating` = being deleted,
 *   `ready` = `publishNotReadyAddresses || (serving && !terminating)`; a pod is listed from its placement
 *   (it has an IP) until it is gone. Each change is appended to a log.
 * - Watch: each node receives the log in order, each entry after its own propagation delay (a draw per
 *   node and entry, never earlier than the entry before it on that node).
 * - kube-proxy: a sync starts at most once per `minSyncPeriod` (start to start, the bounded-frequency
 *   runner) once something new has arrived; it takes what has arrived by its start and writes it at its
 *   end, `syncTime` later. Only then do that node's connections see the change, and each node does this on
 *   its own clock, so nodes disagree for a while, as in production. A node that is down does not sync; it
 *   catches up when it comes back.
 *
 * The cost of a change is one event per node, and at each node's sync, the endpoint count of the
 * Services whose endpoints changed: never all requests or all Services.
 */
import type { Distribution } from '../../engine/distributions/distribution.js';
import type { Rng, RandomStreams } from '../../engine/random.js';
import type { Simulator } from '../../engine/simulator.js';
import type { Seconds } from '../../engine/time.js';
import { computeHints } from '../endpoints/hints.js';
import type { EndpointTopology } from '../endpoints/topology.js';
import type { Endpoint, ServiceProxy } from '../routing.js';
import type { KubeProxySpec, ServiceSpec } from '../spec.js';
import { ClusterState, Phase } from './cluster-state.js';
import type { ControlPlaneSpec } from './spec.js';

/** Endpoint condition bits, as kept in the truth and in each node's view. */
export const Cond = { Present: 1, Ready: 2, Serving: 4, Terminating: 8 } as const;

/** One Service port kube-proxy programs, with the endpoints and per-node lists the data path reads. */
export interface ProgrammedService {
  readonly service: ServiceSpec;
  /** The Service port's number. */
  readonly port: number;
  readonly proxy: ServiceProxy;
  readonly topology: EndpointTopology;
}

/**
 * How long one kube-proxy sync takes when the scenario does not say [EST]: iptables-restore's input is
 * still O(rules) after partial syncs (docs/references.md#kube-proxy-iptables), so 10 ms plus 20 µs per Service port programmed on the node;
 * nftables and IPVS write only what changed: a flat 10 ms. Calibrated so that a small cluster's pod Ready
 * -> rules on every node is about 1-2 s with the 1 s minSyncPeriod (docs/references.md#endpoint-propagation).
 */
export function derivedSyncTime(kubeProxy: KubeProxySpec): Seconds {
  // Cilium's agent updates BPF map entries in place: flat, as nftables and IPVS [EST].
  return kubeProxy.mode === 'iptables' && !kubeProxy.cilium ? 0.01 + 20e-6 * kubeProxy.servicePorts : 0.01;
}

export class EndpointPropagation {
  /** Per service, its conditions as the API has them, and each node's view (`node × E + e`). */
  private readonly truth: Uint8Array[];
  private readonly views: Uint8Array[];
  /** Per pod, the (service, endpoint) pairs it backs, as `service × 2^20 + endpoint`. */
  private readonly podEndpoints: number[][];
  private readonly logService: number[] = [];
  private readonly logEndpoint: number[] = [];
  private readonly logFlags: number[] = [];
  /** Per node: log entries delivered, applied; when the last delivery is due; sync state. */
  private readonly delivered: Int32Array;
  private readonly applied: Int32Array;
  private readonly lastDue: Float64Array;
  private readonly lastStart: Float64Array;
  private readonly snapshot: Int32Array;
  /** 0 idle, 1 queued, 2 running. */
  private readonly syncState: Uint8Array;
  private readonly rngs: Rng[];
  private readonly propagation: Distribution;
  private readonly syncTime: Distribution | null;
  private readonly flatSyncTime: Seconds;
  private readonly minSync: Seconds;
  /** Called after a node's sync has written its rules (the LB health checks read local endpoints). */
  readonly synced: ((node: number) => void)[] = [];
  /** Called when an endpoint's conditions change in the API (samplers): service, endpoint, before, after. */
  readonly changed: ((service: number, endpoint: number, before: number, after: number) => void)[] = [];

  constructor(
    private readonly sim: Simulator,
    private readonly state: ClusterState,
    readonly services: readonly ProgrammedService[],
    control: ControlPlaneSpec,
    kubeProxy: KubeProxySpec,
    streams: RandomStreams,
  ) {
    const nodes = state.index.nodeCount;
    const pods = state.phase.length;
    this.propagation = control.endpointPropagation;
    this.syncTime = control.syncTime;
    this.flatSyncTime = derivedSyncTime(kubeProxy);
    this.minSync = control.minSyncPeriod;
    this.podEndpoints = Array.from({ length: pods }, () => []);
    this.truth = services.map((s, si) => {
      const eps = s.proxy.endpoints;
      const flags = new Uint8Array(eps.length);
      eps.forEach((ep, e) => {
        flags[e] = this.conditions(s.service, ep.pod);
        this.podEndpoints[ep.pod]!.push(si * 2 ** 20 + e);
      });
      return flags;
    });
    this.views = this.truth.map((flags) => {
      const view = new Uint8Array(nodes * flags.length);
      for (let n = 0; n < nodes; n++) view.set(flags, n * flags.length);
      return view;
    });
    this.delivered = new Int32Array(nodes);
    this.applied = new Int32Array(nodes);
    this.lastDue = new Float64Array(nodes);
    this.lastStart = new Float64Array(nodes).fill(-Infinity);
    this.snapshot = new Int32Array(nodes);
    this.syncState = new Uint8Array(nodes);
    this.rngs = state.index.nodeNames.map((n) => streams.stream(`control/${n}/endpoint-propagation`));
    state.onPod((p) => this.podChanged(p));
  }

  /** Every live node's kube-proxy has written every change so far. */
  get caughtUp(): boolean {
    const total = this.logFlags.length;
    for (let n = 0; n < this.applied.length; n++) if (this.state.nodeDown[n] === 0 && this.applied[n] !== total) return false;
    return true;
  }

  /** Conditions of an endpoint in the API now. */
  truthOf(service: number, e: number): number {
    return this.truth[service]![e]!;
  }

  /** Conditions of an endpoint as node `node`'s kube-proxy has programmed them. */
  viewOf(service: number, node: number, e: number): number {
    return this.views[service]![node * this.truth[service]!.length + e]!;
  }

  /** A node's kube-proxy restarts (the node came back): it syncs once everything has reached it. */
  nodeUp(node: number): void {
    this.syncState[node] = 0;
    this.requestSync(node);
  }

  private conditions(service: ServiceSpec, pod: number): number {
    const st = this.state;
    const ph = st.phase[pod]!;
    if (st.podNode[pod]! < 0 || ph === Phase.Slot || ph === Phase.Gone) return 0;
    const serving = ph === Phase.Running && st.ready[pod] === 1;
    const terminating = st.terminating[pod] === 1;
    const ready = service.publishNotReadyAddresses || (serving && !terminating);
    return Cond.Present | (ready ? Cond.Ready : 0) | (serving ? Cond.Serving : 0) | (terminating ? Cond.Terminating : 0);
  }

  private podChanged(pod: number): void {
    const node = this.state.podNode[pod]!;
    for (const key of this.podEndpoints[pod]!) {
      const si = Math.floor(key / 2 ** 20);
      const e = key - si * 2 ** 20;
      const s = this.services[si]!;
      const ep = s.proxy.endpoints[e]! as { node: number; zone: number };
      if (node >= 0 && ep.node !== node) {
        // A slot got its node: the endpoint's address is known from now on.
        ep.node = node;
        ep.zone = this.state.index.nodeZone[node]!;
      }
      const flags = this.conditions(s.service, pod);
      const before = this.truth[si]![e]!;
      if (flags === before) continue;
      this.truth[si]![e] = flags;
      this.append(si, e, flags);
      for (const l of this.changed) l(si, e, before, flags);
    }
  }

  private append(service: number, e: number, flags: number): void {
    this.logService.push(service);
    this.logEndpoint.push(e);
    this.logFlags.push(flags);
    const now = this.sim.now;
    for (let n = 0; n < this.delivered.length; n++) {
      const due = Math.max(this.lastDue[n]!, now + this.propagation.sample(this.rngs[n]!));
      this.lastDue[n] = due;
      this.sim.scheduleAt(due, this.onDelivered, n);
    }
  }

  private readonly onDelivered = (node: number): void => {
    this.delivered[node]!++;
    this.requestSync(node);
  };

  private requestSync(node: number): void {
    if (this.syncState[node] !== 0 || this.state.nodeDown[node] === 1) return;
    if (this.delivered[node] === this.applied[node]) return;
    this.syncState[node] = 1;
    this.sim.scheduleAt(Math.max(this.sim.now, this.lastStart[node]! + this.minSync), this.onSyncStart, node);
  }

  private readonly onSyncStart = (node: number): void => {
    if (this.state.nodeDown[node] === 1) {
      this.syncState[node] = 0;
      return;
    }
    this.syncState[node] = 2;
    this.lastStart[node] = this.sim.now;
    this.snapshot[node] = this.delivered[node]!;
    const took = this.syncTime !== null ? this.syncTime.sample(this.rngs[node]!) : this.flatSyncTime;
    this.sim.schedule(took, this.onSyncEnd, node);
  };

  private readonly onSyncEnd = (node: number): void => {
    this.syncState[node] = 0;
    if (this.state.nodeDown[node] === 1) return;
    const dirty = new Set<number>();
    for (let i = this.applied[node]!; i < this.snapshot[node]!; i++) {
      const si = this.logService[i]!;
      const E = this.truth[si]!.length;
      this.views[si]![node * E + this.logEndpoint[i]!] = this.logFlags[i]!;
      dirty.add(si);
    }
    this.applied[node] = this.snapshot[node]!;
    for (const si of dirty) this.program(si, node);
    for (const l of this.synced) l(node);
    this.requestSync(node);
  };

  /** Writes node `node`'s candidate lists of service `si` from its view. */
  private program(si: number, node: number): void {
    const s = this.services[si]!;
    const eps = s.proxy.endpoints;
    const E = eps.length;
    const view = this.views[si]!;
    const current: Endpoint[] = eps.map((ep, e) => {
      const f = view[node * E + e]!;
      return {
        pod: ep.pod,
        port: ep.port,
        node: (f & Cond.Present) !== 0 ? ep.node : -1,
        zone: (f & Cond.Present) !== 0 ? ep.zone : -1,
        ready: (f & Cond.Ready) !== 0,
        serving: (f & Cond.Serving) !== 0,
        terminating: (f & Cond.Terminating) !== 0,
      };
    });
    s.topology.applyView(node, current, computeHints(s.service, current, this.state.index));
    s.proxy.viewChanged(node);
  }

  /** Re-programs every node's lists of one service (its traffic policy changed), as each node's next sync would. */
  reprogram(si: number): void {
    for (let n = 0; n < this.delivered.length; n++) if (this.state.nodeDown[n] === 0) this.program(si, n);
  }
}
