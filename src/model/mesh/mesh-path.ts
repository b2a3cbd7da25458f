/**
 * The trip of a meshed client's request: app → its sidecar (in the pod: no link) → the sidecar picks an
 * endpoint for this request → straight to the pod's IP (no kube-proxy, no Service NAT: the sidecar has its
 * own long-lived upstream connections) → [the pod's own sidecar, when it has one] → pod → back the same way.
 *
 * This is what removes keep-alive and gRPC pinning: the app's connection ends at its sidecar, and every
 * request is balanced anew. Each proxy a request passes adds a draw of that mesh's hop latency, counted in
 * the `proxy` stage. A refused try (queue full, pod shutting down or gone) is retried by the sidecar up to
 * the policy's retries, after Envoy's jittered back-off, on another host when the policy says so; passive
 * health (host-health.ts) hears of every outcome.
 *
 * The data path calls `send` (instead of its own kube-proxy way) when a meshed client's request leaves,
 * `served` when a pod has served one, and `abandon` when a pod is killed with one queued. Handlers are
 * created once; nothing is allocated per request.
 */
import type { Distribution } from '../../engine/distributions/distribution.js';
import type { Rng } from '../../engine/random.js';
import type { Simulator } from '../../engine/simulator.js';
import type { Seconds } from '../../engine/time.js';
import { SourceSeen } from '../connections.js';
import { PodState, type DataPlaneView } from '../control/views.js';
import { type Links, podToPodKey } from '../links.js';
import type { Metrics } from '../metrics.js';
import type { PodStations } from '../pods.js';
import { RequestFlag, type RequestTable } from '../requests.js';
import { Drop } from '../routing.js';
import { createBalancer, type MeshBalancer } from './balancers.js';
import { FailureAccrual, type HostHealth } from './host-health.js';
import { HopLatencies } from './hop-latency.js';
import { MeshHosts } from './hosts.js';
import type { MeshKind, MeshPolicySpec } from './spec.js';


/** One sidecar (a meshed client's) and its destination. */
export interface SidecarConfig {
  readonly client: number;
  readonly mesh: MeshKind;
  readonly policy: MeshPolicySpec;
  /** Pod of each endpoint of the destination Service port, in endpoint order. */
  readonly endpointPods: ArrayLike<number>;
  /** Whether each endpoint starts pickable. */
  readonly initial: (e: number) => boolean;
  /** Picks, back-off and health jitter; hop latency draws. */
  readonly rng: Rng;
  readonly latencyRng: Rng;
}

export interface MeshConfig {
  readonly clients: number;
  readonly sidecars: readonly SidecarConfig[];
  /** Hop latency per mesh kind. */
  readonly hopLatency: Readonly<Record<MeshKind, Distribution>>;
  /** Per pod: its sidecar's mesh, or null. */
  readonly podMesh: readonly (MeshKind | null)[];
  /** Per client: node, and the network stream the data path draws its links from. */
  readonly clientNode: Int32Array;
  readonly networkRng: readonly Rng[];
  readonly requestBytes: Float64Array;
  readonly responseBytes: Float64Array;
}

/** What the mesh asks of the data path (DataPath gives these once, in `bind`). */
export interface MeshEndings {
  /** The response is back in the client's pod. */
  readonly deliver: (req: number) => void;
  /** The sidecar answers the app with an error: the attempt fails with `code`. */
  readonly fail: (req: number, code: number) => void;
  /** A ghost's last event. */
  readonly vanish: (req: number) => void;
}

const MESH_KINDS: readonly MeshKind[] = ['istio', 'linkerd'];

export class MeshPath {
  /** Per client: its sidecar, −1 for none. */
  readonly clientSidecar: Int32Array;
  readonly hosts: MeshHosts[];
  readonly balancers: MeshBalancer[];
  readonly health: (HostHealth | null)[];
  /** Tries sent and tries retried, per sidecar. */
  readonly tries: Float64Array;
  readonly retries: Float64Array;
  private readonly sRetries: Int32Array;
  private readonly sBackoff: Float64Array;
  private readonly sOtherHost: Uint8Array;
  private readonly sRng: Rng[];
  private readonly sLatRng: Rng[];
  /** Per sidecar, and per pod (−1: no sidecar): the index of its mesh's hop latency in `hops`. */
  private readonly sHop: Int8Array;
  private readonly podHop: Int8Array;
  private readonly hops: HopLatencies;
  private endings: MeshEndings | null = null;
  /** Health timers: sidecar × endpoint (+1 for the sweep) packed into one event argument. */
  private readonly stride: number;

  constructor(
    private readonly sim: Simulator,
    private readonly links: Links,
    private readonly reqs: RequestTable,
    private readonly pods: PodStations,
    private readonly metrics: Metrics,
    private readonly view: DataPlaneView,
    private readonly nodeZone: Int32Array,
    private readonly podNode: Int32Array,
    private readonly cfg: MeshConfig,
  ) {
    const n = cfg.sidecars.length;
    this.clientSidecar = new Int32Array(cfg.clients).fill(-1);
    cfg.sidecars.forEach((s, i) => (this.clientSidecar[s.client] = i));
    this.stride = 1 + cfg.sidecars.reduce((m, s) => Math.max(m, s.endpointPods.length), 0);
    this.hosts = cfg.sidecars.map((s) => new MeshHosts(s.endpointPods, view.podState, s.initial));
    this.balancers = cfg.sidecars.map((s, i) => createBalancer(s.policy, this.hosts[i]!, sim.now, s.rng));
    this.health = cfg.sidecars.map((s, i) => this.healthOf(s, i));
    this.tries = new Float64Array(n);
    this.retries = new Float64Array(n);
    this.sRetries = Int32Array.from(cfg.sidecars, (s) => s.policy.retries);
    this.sBackoff = Float64Array.from(cfg.sidecars, (s) => s.policy.retryBackoff);
    this.sOtherHost = Uint8Array.from(cfg.sidecars, (s) => (s.policy.retryOtherHost ? 1 : 0));
    this.sRng = cfg.sidecars.map((s) => s.rng);
    this.sLatRng = cfg.sidecars.map((s) => s.latencyRng);
    this.sHop = Int8Array.from(cfg.sidecars, (s) => MESH_KINDS.indexOf(s.mesh));
    this.hops = new HopLatencies(MESH_KINDS.map((k) => cfg.hopLatency[k]));
    this.podHop = Int8Array.from(cfg.podMesh, (m) => (m === null ? -1 : MESH_KINDS.indexOf(m)));
  }

  bind(endings: MeshEndings): void {
    this.endings = endings;
  }

  /** Whether client `c` has a sidecar. */
  meshed(c: number): boolean {
    return this.clientSidecar[c]! >= 0;
  }

  private healthOf(s: SidecarConfig, i: number): HostHealth | null {
    const timer = (delay: Seconds, e: number): void => {
      this.sim.schedule(delay, this.onHealthTimer, i * this.stride + e + 1);
    };
    // Istio's outlier detection lives in its Envoy (balancers.ts); Linkerd's failure accrual here.
    if (s.policy.failureAccrual !== null) return new FailureAccrual(this.hosts[i]!, s.policy.failureAccrual, s.rng, timer);
    return null;
  }

  private readonly onHealthTimer = (arg: number): void => {
    const i = Math.floor(arg / this.stride);
    this.health[i]!.wake((arg % this.stride) - 1, this.sim.now);
  };

  // ------------------------------------------------------------------ the trip

  /** The app has sent request `req` to its sidecar (its timeout is armed): the first try. */
  send(req: number): void {
    this.reqs.tries[req] = 0;
    this.attempt(req, this.clientSidecar[this.reqs.client[req]!]!, -1);
  }

  /** One try: pick, then off to the pod through the proxies. */
  private attempt(req: number, s: number, avoid: number): void {
    const reqs = this.reqs;
    const now = this.sim.now;
    const e = this.balancers[s]!.pick(this.sRng[s]!, now, avoid);
    if (e < 0) return this.endings!.fail(req, Drop.NoEndpoints); // Envoy / linkerd: 503, no healthy upstream
    const hosts = this.hosts[s]!;
    hosts.pending[e]!++;
    this.balancers[s]!.sent(e);
    this.health[s]?.sent(e);
    this.tries[s]!++;
    const pod = hosts.pod[e]!;
    const c = reqs.client[req]!;
    reqs.endpoint[req] = e;
    reqs.pod[req] = pod;
    reqs.tries[req]!++;
    reqs.upstreamSend[req] = now;
    const from = this.cfg.clientNode[c]!;
    const to = this.podNode[pod]!;
    reqs.upCross[req] = this.nodeZone[from] !== this.nodeZone[to] ? 1 : 0;
    this.hops.draw(this.sHop[s]!, this.podHop[pod]!, this.sLatRng[s]!);
    const hop = this.hops.drawn;
    reqs.proxy[req]! += hop;
    // The hops ride on the way to the pod, one event (no decision in between); a heap event, since a random
    // delay cannot go on a constant-delay FIFO lane.
    this.links.scheduleOnce(this.routeKey(from, to), hop, this.cfg.networkRng[c]!, this.onArrive, req);
  }

  /** Out of the client's pod, across to the pod's node when it is another, into the pod. */
  private routeKey(from: number, to: number): number {
    return podToPodKey(from, to, this.nodeZone[from]!, this.nodeZone[to]!);
  }

  private readonly onArrive = (req: number): void => {
    const reqs = this.reqs;
    const pod = reqs.pod[req]!;
    reqs.atPod[req] = this.sim.now;
    const accepting = this.view.podState[pod] === PodState.Accepting;
    if ((reqs.flags[req]! & RequestFlag.Ghost) !== 0) {
      if (!accepting || !this.pods.admit(pod, req)) {
        this.tryEnded(req, false);
        this.endings!.vanish(req);
      }
      return;
    }
    if (this.view.downNodes !== 0 && this.view.nodeDown[this.podNode[pod]!] === 1) {
      // Packets to a dead node vanish: the app learns by its timeout (a silent drop).
      this.tryEnded(req, false);
      return this.endings!.fail(req, Drop.NodeDown);
    }
    const seg = reqs.segment[req]!;
    const c = reqs.client[req]!;
    const cross = reqs.upCross[req] === 1;
    this.metrics.atPod(seg, pod, -1, false, cross, SourceSeen.ClientIp);
    if (cross) this.metrics.crossZoneBytes(seg, this.nodeZone[this.cfg.clientNode[c]!]!, this.cfg.requestBytes[c]!);
    if (accepting && this.pods.admit(pod, req)) return;
    // Refused: 503 (queue full) or a reset (pod shutting down or gone), which the sidecar may retry.
    this.metrics.refused(seg, pod);
    this.tryEnded(req, false);
    this.retryOrFail(req, accepting ? Drop.QueueFull : Drop.ConnectionRefused);
  };

  private retryOrFail(req: number, code: number): void {
    const reqs = this.reqs;
    const s = this.clientSidecar[reqs.client[req]!]!;
    if (reqs.tries[req]! > this.sRetries[s]!) return this.endings!.fail(req, code);
    this.retries[s]!++;
    const base = this.sBackoff[s]!;
    if (base > 0) {
      // Envoy: retry n waits U(0, (2^n − 1) × base), at most 10 × base (router filter, "Retry back-off").
      const cap = Math.min((2 ** reqs.tries[req]! - 1) * base, 10 * base);
      this.sim.schedule(this.sRng[s]!() * cap, this.onRetry, req);
    } else this.retryNow(req, s);
  }

  private readonly onRetry = (req: number): void => {
    const reqs = this.reqs;
    if ((reqs.flags[req]! & RequestFlag.Ghost) !== 0) return this.endings!.vanish(req);
    this.retryNow(req, this.clientSidecar[reqs.client[req]!]!);
  };

  private retryNow(req: number, s: number): void {
    // The time lost to failed tries shows as the `retries` stage.
    this.reqs.send[req] = this.sim.now;
    this.attempt(req, s, this.sOtherHost[s] === 1 ? this.reqs.endpoint[req]! : -1);
  }

  /** A try has come to an end at its pod or on its way back: the balancer and passive health hear of it. */
  private tryEnded(req: number, ok: boolean): void {
    const reqs = this.reqs;
    const s = this.clientSidecar[reqs.client[req]!]!;
    const e = reqs.endpoint[req]!;
    const now = this.sim.now;
    this.hosts[s]!.pending[e]!--;
    this.balancers[s]!.observe(e, now, now - reqs.upstreamSend[req]!, ok);
    this.health[s]?.result(e, ok, now);
  }

  /** The pod has served `req`: the response goes back through the proxies to the client's pod. */
  served(req: number): void {
    const reqs = this.reqs;
    const c = reqs.client[req]!;
    this.links.schedule(this.routeKey(this.cfg.clientNode[c]!, this.podNode[reqs.pod[req]!]!), this.cfg.networkRng[c]!, this.onResponse, req);
  }

  private readonly onResponse = (req: number): void => {
    const reqs = this.reqs;
    this.tryEnded(req, true);
    if ((reqs.flags[req]! & RequestFlag.Ghost) === 0 && reqs.upCross[req] === 1) {
      this.metrics.crossZoneBytes(reqs.segment[req]!, this.nodeZone[this.podNode[reqs.pod[req]!]!]!, this.cfg.responseBytes[reqs.client[req]!]!);
    }
    this.endings!.deliver(req);
  };

  /** A pod was killed with `req` queued (the data path ends the attempt): the try is over for the sidecar. */
  abandon(req: number): void {
    if (this.clientSidecar[this.reqs.client[req]!]! >= 0) this.tryEnded(req, false);
  }
}
