/**
 * The event-driven data path: what happens to one request, step by step, from the client's send to the
 * response it receives. See docs/model.md ("Requests, connections and pods", "Links and latency") for the
 * modelling choices; in short:
 *
 *   client ──> [cloud LB: choose target, processing] ──> node: kube-proxy chooses an endpoint (new connections
 *   only: conntrack keeps the choice), pays its per-connection cost ──> [forwarding + node↔node when the pod
 *   is elsewhere] ──> pod: queue, service ──> the response retraces the same links ──> client.
 *
 * Events are decision points, not links: a request on an established connection travels to its pod in one
 * event (the sum of its link traversals, sampled independently) and back in one more; a request on a
 * connection that is still opening stops at each decision point (the LB, then kube-proxy's node) so choices
 * happen at the time and place they happen in the cluster. Every handler is created once (an arrow-function
 * field) and takes a request id; no per-request closure or object exists.
 *
 * Failures. REJECT-like outcomes (no endpoints, queue full, not proxied) reach the client at once; DROP-like
 * ones (no local endpoint, no healthy LB target, conntrack full) are silent: a client with a timeout learns
 * of them only when it fires, a client without one gives up at once. A timed-out attempt that is still in
 * the system becomes a *ghost*: servers keep working on it (wasted work, as in real retry storms), and it is
 * freed when it reaches the client, which ignores it. A retry is sent immediately (no back-off).
 */
import type { Distribution } from '../engine/distributions/distribution.js';
import type { Rng } from '../engine/random.js';
import type { Simulator } from '../engine/simulator.js';
import type { Seconds } from '../engine/time.js';
import { Clients, type RequestSink } from './clients.js';
import { ConnState, ConnectionTable, SourceSeen } from './connections.js';
import type { ClusterDns } from './dns/cluster-dns.js';
import type { GatewayUpstreams } from './gateway/upstreams.js';
import type { IngressRuntime } from './ingress/controller.js';
import type { PodErrors } from './pod-errors.js';
import { Link, LINK_UNIT, Links, ROUTE_KEYS, hostLink, linkCount, podToPodKey } from './links.js';
import type { MeshPath } from './mesh/mesh-path.js';
import { Metrics, PathKind } from './metrics.js';
import { PodStations } from './pods.js';
import { RequestFlag, RequestTable } from './requests.js';
import { Deadlines } from './timeouts.js';
import { Drop, type Endpoint, type LoadBalancerChoice, type ServiceProxy, type TrafficOrigin } from './routing.js';
import type { LoadBalancerKind } from './spec.js';
import { Stage, TOTAL, type StageStats } from './stages.js';
import type { TimeSeriesRecorder } from './time-series.js';
import { DataPlaneView, PodState, type DataPathHooks } from './control/views.js';

export const Via = { LoadBalancer: 0, NodePort: 1, ClusterIP: 2, ExternalIP: 3, PodIP: 4, External: 5 } as const;

/** One Service port as clients reach it. */
export interface ServiceTarget {
  readonly endpoints: readonly Endpoint[];
  readonly proxy: ServiceProxy;
  /** The cloud load balancer in front (LoadBalancer Services), else null. */
  readonly lb: LoadBalancerChoice | null;
  readonly lbKind: LoadBalancerKind | null;
  readonly lbProcessing: Distribution | null;
  readonly lbRng: Rng | null;
}

/** How one client reaches its target: resolved from its spec by simulation.ts. */
export interface ClientWiring {
  readonly target: number;
  readonly via: number;
  /** Node the client runs on, −1 for external clients. */
  readonly node: number;
  /** Zone index, −1 when unknown (external without a zone). */
  readonly zone: number;
  /** Runs in a pod (pays `sameNode` to leave it), as opposed to an external client or a host process. */
  readonly inPod: boolean;
  /** Nodes addressed for NodePort/externalIP entry (round robin per connection). */
  readonly targetNodes: Int32Array;
  /** Seconds, or −1 for none. */
  readonly timeout: number;
  readonly retries: number;
  readonly requestBytes: number;
  readonly responseBytes: number;
  readonly networkRng: Rng;
  /** Resolves a name (ClusterDns) before each new connection. */
  readonly resolves: boolean;
  /** Sends HTTP requests through an ingress controller (IngressRuntime has its mix). */
  readonly http: boolean;
  /** Via PodIP: the pods of the headless Service's answer, in endpoint order. */
  readonly addresses: Int32Array | null;
  /** Via External: the external host. */
  readonly externalHost: number;
}

/** What lies beyond L4: cluster DNS, ingress controllers, external hosts, the stage breakdown. */
export interface DataPathExtras {
  readonly dns: ClusterDns | null;
  readonly ingress: IngressRuntime | null;
  /** External hosts as stations (request rows), and each one's one-way latency. */
  readonly externals: PodStations | null;
  readonly externalLatency: readonly Distribution[];
  readonly stages: StageStats | null;
  /** Completions and drops per time window. */
  readonly series?: TimeSeriesRecorder | null;
  /** Pods' and nodes' state as the control plane writes it (a timeline); absent: every pod accepts, no node fails. */
  readonly view?: DataPlaneView | null;
  /** Sidecars of meshed clients (mesh/mesh-path.ts): their requests are balanced per request, past kube-proxy. */
  readonly mesh?: MeshPath | null;
  /** Pods that answer some requests with a 500 (`netsim/error-rate`); absent: none. */
  readonly podErrors?: PodErrors | null;
}

const NO_EXTRAS: DataPathExtras = { dns: null, ingress: null, externals: null, externalLatency: [], stages: null };

const LB = LINK_UNIT[Link.LbBackend]!;
const SAME_NODE = LINK_UNIT[Link.SameNode]!;
const FORWARDING = LINK_UNIT[Link.Forwarding]!;
const EXTERNAL = LINK_UNIT[Link.External]!;
const CROSS_ZONE = LINK_UNIT[Link.CrossZone]!;

function isSilent(code: number): boolean {
  return code === Drop.NoLocalEndpoint || code === Drop.ConntrackFull || code === Drop.NoHealthyTarget || code === Drop.NodeDown;
}

export class DataPath implements RequestSink, DataPathHooks {
  generating = true;
  /** Logical requests generated so far. */
  generatedCount = 0;
  /** Why generation stopped ('' while running). */
  stopReason: '' | 'duration' | 'requests' = '';
  stopTime = NaN;
  /** Conntrack entries per node, and their peak. */
  readonly conntrack: Int32Array;
  readonly conntrackPeak: Int32Array;

  private readonly cTarget: Int32Array;
  private readonly cVia: Uint8Array;
  private readonly cNode: Int32Array;
  private readonly cZone: Int32Array;
  private readonly cInPod: Uint8Array;
  /** Timeout queue per client with a timeout (timeouts.ts), else null. */
  private readonly cDeadlines: (Deadlines | null)[];
  private readonly cRetries: Int32Array;
  private readonly cReqBytes: Float64Array;
  private readonly cRespBytes: Float64Array;
  private readonly cOrigin: TrafficOrigin[];
  /** 1 when the client's new connections take a conntrack entry where they are balanced (0: Cilium's socket LB). */
  private readonly cTracked: Uint8Array;
  private readonly cNetRng: Rng[];
  private readonly cTargetNodes: Int32Array[];
  private readonly cNodeCursor: Int32Array;
  /** Route key from the client to the LB / edge (external entry). */
  private readonly cEdgeKey: Int32Array;
  private readonly tIsMetal: Uint8Array;
  private readonly tLbPods: Uint8Array;
  private readonly cResolves: Uint8Array;
  private readonly cHttp: Uint8Array;
  private readonly cAddresses: (Int32Array | null)[];
  private readonly cExternal: Int32Array;
  private readonly dns: ClusterDns | null;
  private readonly ingress: IngressRuntime | null;
  /** Gateway API upstreams (retry policies, deadlines) and their rules' deadline queues, else null. */
  private readonly gateway: GatewayUpstreams | null;
  private readonly gwDeadlines: (Deadlines | null)[] | null;
  private readonly podErrors: PodErrors | null;
  /** Controller slot of each pod (ingress), or null when there is no ingress controller. */
  private readonly podCtrl: Int32Array | null;
  private readonly externals: PodStations | null;
  private readonly externalLatency: readonly Distribution[];
  private readonly stages: StageStats | null;
  private readonly series: TimeSeriesRecorder | null;
  /** Whether completions are recorded (stages or time series), and the latency handed to `recordCompletion`. */
  private readonly recording: boolean;
  private readonly latencyScratch = new Float64Array(1);
  /** The forwarding link's constant value (NaN when random), and 1 when random (sampled per traversal). */
  private readonly fwdConst: number;
  private readonly fwdRandom: number;
  /** Per route key, the constant forwarding link's part of a round trip (null unless it is constant and > 0). */
  private readonly fwdByRoute: Float64Array | null;
  /** What packets find at pods and nodes (control/views.ts); `podState` is its per-pod array. */
  readonly view: DataPlaneView;
  private readonly podState: Uint8Array;
  /** Whether the time series counts offered requests per window (timelines and varying load). */
  private readonly countOffered: boolean;
  private readonly mesh: MeshPath | null;
  /** 1 for clients whose requests go through their sidecar (mesh). */
  private readonly cMesh: Uint8Array;

  constructor(
    private readonly sim: Simulator,
    private readonly links: Links,
    private readonly reqs: RequestTable,
    private readonly conns: ConnectionTable,
    private readonly pods: PodStations,
    private readonly metrics: Metrics,
    private readonly clients: Clients,
    private readonly targets: readonly ServiceTarget[],
    wiring: readonly ClientWiring[],
    private readonly nodeZone: Int32Array,
    private readonly podNode: Int32Array,
    private readonly conntrackMax: number,
    private readonly requestLimit: number,
    private readonly drainLimit: Seconds,
    extras: DataPathExtras = NO_EXTRAS,
  ) {
    const n = wiring.length;
    this.cTarget = Int32Array.from(wiring, (w) => w.target);
    this.cVia = Uint8Array.from(wiring, (w) => w.via);
    this.cNode = Int32Array.from(wiring, (w) => w.node);
    this.cZone = Int32Array.from(wiring, (w) => w.zone);
    this.cInPod = Uint8Array.from(wiring, (w) => (w.inPod ? 1 : 0));
    this.cDeadlines = wiring.map((w) => (w.timeout >= 0 ? new Deadlines(sim, w.timeout, reqs, this.onTimeout) : null));
    this.cRetries = Int32Array.from(wiring, (w) => w.retries);
    this.cReqBytes = Float64Array.from(wiring, (w) => w.requestBytes);
    this.cRespBytes = Float64Array.from(wiring, (w) => w.responseBytes);
    this.cOrigin = wiring.map((w) => (w.via === Via.ClusterIP ? 'internal' : 'external'));
    this.cTracked = Uint8Array.from(wiring, (w, i) => (targets[w.target]?.proxy.keepsConntrack?.(this.cOrigin[i]!) === false ? 0 : 1));
    this.cNetRng = wiring.map((w) => w.networkRng);
    this.cTargetNodes = wiring.map((w) => w.targetNodes);
    this.cNodeCursor = new Int32Array(n);
    this.cEdgeKey = Int32Array.from(wiring, (w) => (w.inPod ? SAME_NODE : 0) + EXTERNAL);
    this.tIsMetal = Uint8Array.from(targets, (t) => (t.lbKind === 'metallb-l2' ? 1 : 0));
    this.tLbPods = Uint8Array.from(targets, (t) => (t.lb !== null && t.lb.targetsPods ? 1 : 0));
    const nodes = nodeZone.length;
    this.conntrack = new Int32Array(nodes);
    this.conntrackPeak = new Int32Array(nodes);
    this.cResolves = Uint8Array.from(wiring, (w) => (w.resolves ? 1 : 0));
    this.cHttp = Uint8Array.from(wiring, (w) => (w.http ? 1 : 0));
    this.cAddresses = wiring.map((w) => w.addresses);
    this.cExternal = Int32Array.from(wiring, (w) => w.externalHost);
    this.dns = extras.dns;
    this.ingress = extras.ingress;
    this.podCtrl = extras.ingress !== null && extras.ingress.controllerCount > 0 ? extras.ingress.podCtrl : null;
    this.externals = extras.externals;
    this.externalLatency = extras.externalLatency;
    this.stages = extras.stages;
    this.series = extras.series ?? null;
    this.recording = this.stages !== null || this.series !== null;
    this.fwdConst = links.forwardingConstant;
    this.fwdRandom = this.fwdConst === this.fwdConst ? 0 : 1;
    if (this.fwdRandom === 0 && this.fwdConst > 0) {
      this.fwdByRoute = new Float64Array(ROUTE_KEYS);
      for (let key = 0; key < ROUTE_KEYS; key++) this.fwdByRoute[key] = 2 * linkCount(key, Link.Forwarding) * this.fwdConst;
    } else this.fwdByRoute = null;
    this.view = extras.view ?? new DataPlaneView(podNode.length, nodes, (p) => (podNode[p]! >= 0 ? PodState.Accepting : PodState.Absent));
    this.podState = this.view.podState;
    this.countOffered = this.series !== null && this.series.detailed;
    this.gateway = extras.ingress?.gateway ?? null;
    const gw = this.gateway;
    this.gwDeadlines = gw === null ? null : Array.from(gw.timeout, (t) => (t > 0 ? new Deadlines(sim, t, reqs, this.onGatewayTimeout, RequestFlag.GatewayArmed) : null));
    this.podErrors = extras.podErrors ?? null;
    if (this.dns !== null) this.dns.bind(this.onResolved);
    if (this.externals !== null) this.externals.bind(this.onExternalDone);
    this.mesh = extras.mesh ?? null;
    this.cMesh = Uint8Array.from(wiring, (_, c) => (this.mesh !== null && this.mesh.meshed(c) ? 1 : 0));
    if (this.mesh !== null) {
      this.mesh.bind({ deliver: this.onAtClient, fail: (req, code) => this.failAttempt(req, code), vanish: (req) => this.vanish(req) });
    }
  }

  // ------------------------------------------------------------------ generation and stop

  generate(c: number, user: number): void {
    const now = this.sim.now;
    const ordinal = this.generatedCount++;
    const seg = this.metrics.segmentOf(now, ordinal);
    this.metrics.generated(seg, c);
    const req = this.reqs.allocate(c, user, now, now, seg, 0);
    if (this.countOffered) this.series!.offered(now);
    if (this.cHttp[c] === 1) {
      const h = this.ingress!.clients[c]!;
      this.reqs.path[req] = this.ingress!.drawPath(h);
      this.reqs.session[req] = this.ingress!.drawSession(h);
    }
    this.startAttempt(req);
    if (this.generatedCount >= this.requestLimit) this.stopGeneration('requests');
  }

  /** Stops generating; in-flight requests may finish within the drain limit. */
  stopGeneration(reason: 'duration' | 'requests'): void {
    if (!this.generating) return;
    this.generating = false;
    this.stopReason = reason;
    this.stopTime = this.sim.now;
    this.metrics.end(this.sim.now);
    if (this.reqs.rowsInUse === 0) this.sim.stop();
    else this.sim.schedule(this.drainLimit, this.onDrainEnd, 0);
  }

  /** Set when the drain limit cut the run. */
  drainCut = false;

  readonly onStopTime = (): void => {
    this.stopGeneration('duration');
  };

  private readonly onDrainEnd = (): void => {
    this.drainCut = true;
    this.sim.stop();
  };

  // ------------------------------------------------------------------ the trip

  private startAttempt(req: number): void {
    const reqs = this.reqs;
    const conns = this.conns;
    const c = reqs.client[req]!;
    const conn = this.clients.acquire(c, this.sim.now);
    reqs.conn[req] = conn;
    conns.refs[conn]!++;
    conns.inFlight[conn]!++;
    conns.served[conn]!++;
    if (this.clients.acquiredNew) {
      if (this.cResolves[c] === 1) {
        // The client needs an address before it can connect.
        const answer = this.dns!.resolve(c, conn, reqs.segment[req]!);
        if (answer < 0) {
          this.setupFailed(conn, Drop.DnsFailure);
          return this.failAttempt(req, Drop.DnsFailure);
        }
        if (answer === 0) {
          conns.state[conn] = ConnState.Resolving;
          return this.park(req, conn);
        }
      }
      this.initConnection(conn, c, reqs.segment[req]!);
    } else if (conns.state[conn] === ConnState.Resolving) {
      return this.park(req, conn);
    }
    this.proceed(req);
  }

  /** The attempt waits for its connection's DNS lookup. */
  private park(req: number, conn: number): void {
    const conns = this.conns;
    const tail = conns.waitTail[conn]!;
    if (tail < 0) conns.waitHead[conn] = req;
    else this.reqs.waitNext[tail] = req;
    conns.waitTail[conn] = req;
  }

  /** ClusterDns calls this when the lookup of connection `conn` ends: the waiting attempts go on, or fail. */
  private readonly onResolved = (conn: number, ok: boolean): void => {
    const conns = this.conns;
    const reqs = this.reqs;
    let req = conns.waitHead[conn]!;
    conns.waitHead[conn] = -1;
    conns.waitTail[conn] = -1;
    if (!ok) {
      this.setupFailed(conn, Drop.DnsFailure);
      while (req >= 0) {
        const next = reqs.waitNext[req]!;
        reqs.waitNext[req] = -1;
        this.failAttempt(req, Drop.DnsFailure);
        req = next;
      }
      return;
    }
    conns.state[conn] = ConnState.Opening;
    if (req >= 0) this.initConnection(conn, conns.client[conn]!, reqs.segment[req]!);
    const now = this.sim.now;
    while (req >= 0) {
      const next = reqs.waitNext[req]!;
      reqs.waitNext[req] = -1;
      reqs.dnsCur[req] = now - reqs.send[req]!;
      this.proceed(req);
      req = next;
    }
  };

  /** The attempt's way to its first decision point (or, established, straight to the pod). */
  private proceed(req: number): void {
    const reqs = this.reqs;
    const conns = this.conns;
    const c = reqs.client[req]!;
    const conn = reqs.conn[req]!;
    const deadlines = this.cDeadlines[c]!;
    if (deadlines !== null) deadlines.arm(req);
    if (conns.state[conn] === ConnState.Established) {
      if (this.cMesh[c] === 1) return this.mesh!.send(req);
      if (this.cVia[c] === Via.External) return this.sendExternal(req, c, conn);
      const route = conns.route[conn]!;
      this.links.schedule(route, this.cNetRng[c]!, this.onArrivePod, req);
      if (this.fwdRandom === 1) this.addForwarding(req, route);
      return;
    }
    // Opening: stop at the first decision point.
    const via = this.cVia[c]!;
    if (via === Via.LoadBalancer) {
      const t = this.cTarget[c]!;
      if (this.tIsMetal[t] === 1) {
        // MetalLB L2: the VIP is owned by one node; the packet goes straight there.
        if (conns.lbChosen[conn] === 0) {
          const node = this.targets[t]!.lb!.choose(this.cZone[c]!, this.flow(c));
          if (node < 0) {
            this.setupFailed(conn, node);
            this.failAttempt(req, node);
            return;
          }
          conns.entryNode[conn] = node;
          conns.lbChosen[conn] = 1;
        }
        this.links.scheduleOnce(this.cEdgeKey[c]!, 0, this.cNetRng[c]!, this.onAtNode, req);
      } else {
        this.links.scheduleOnce(this.cEdgeKey[c]!, 0, this.cNetRng[c]!, this.onAtLb, req);
      }
    } else {
      this.links.scheduleOnce(this.toEntryKey(c, conn), 0, this.cNetRng[c]!, this.onAtNode, req);
    }
  }

  /** A new connection (its address known): where it enters the cluster. */
  private initConnection(conn: number, c: number, seg: number): void {
    const conns = this.conns;
    const via = this.cVia[c]!;
    if (via === Via.PodIP) {
      // A headless Service's answer: straight to the pod's own address, no kube-proxy, no NAT.
      const pod = this.cAddresses[c]![this.dns!.answerOf(c)]!;
      const from = this.cNode[c]!;
      const to = this.podNode[pod]!;
      let key = this.cInPod[c] === 1 ? SAME_NODE : 0;
      if (from === to) key += SAME_NODE;
      else {
        key += LINK_UNIT[hostLink(this.nodeZone[from]!, this.nodeZone[to]!)]! + SAME_NODE;
        if (this.nodeZone[from] !== this.nodeZone[to]) conns.addCrossing(conn, this.nodeZone[from]!, this.nodeZone[to]!);
      }
      conns.pod[conn] = pod;
      conns.lbChosen[conn] = 1;
      conns.route[conn] = key;
      conns.replyRoute[conn] = key;
      conns.state[conn] = ConnState.Established;
      this.metrics.connection(seg, pod, -1);
    } else if (via === Via.External) {
      // An address outside the cluster: out through the client's node (its SNAT is not modelled).
      conns.endpoint[conn] = this.cExternal[c]!;
      conns.lbChosen[conn] = 1;
      conns.route[conn] = this.cInPod[c] === 1 ? SAME_NODE : 0;
      conns.replyRoute[conn] = conns.route[conn]!;
      conns.state[conn] = ConnState.Established;
    } else if (via === Via.NodePort || via === Via.ExternalIP) {
      const nodes = this.cTargetNodes[c]!;
      const k = this.cNodeCursor[c]!;
      this.cNodeCursor[c] = k + 1 === nodes.length ? 0 : k + 1;
      const node = nodes[k]!;
      conns.entryNode[conn] = node;
      conns.lbChosen[conn] = 1;
      const from = this.cNode[c]!;
      if (from >= 0 && from !== node && this.nodeZone[from] !== this.nodeZone[node]) {
        conns.addCrossing(conn, this.nodeZone[from]!, this.nodeZone[node]!);
      }
    } else if (via === Via.ClusterIP) {
      conns.entryNode[conn] = this.cNode[c]!;
      conns.lbChosen[conn] = 1;
      if (this.cMesh[c] === 1) {
        // The app's connection ends at its sidecar, in its own pod: no kube-proxy, nothing pinned.
        conns.route[conn] = 0;
        conns.replyRoute[conn] = 0;
        conns.state[conn] = ConnState.Established;
      }
    }
  }

  /** Route key from the client to the node where kube-proxy decides (NodePort, externalIP, ClusterIP). */
  private toEntryKey(c: number, conn: number): number {
    const via = this.cVia[c]!;
    const inPod = this.cInPod[c]! === 1 ? SAME_NODE : 0;
    if (via === Via.ClusterIP) return inPod;
    if (via === Via.LoadBalancer) return this.cEdgeKey[c]!; // MetalLB: straight to the VIP owner
    const from = this.cNode[c]!;
    if (from < 0) return EXTERNAL;
    const to = this.conns.entryNode[conn]!;
    if (from === to) return inPod;
    return inPod + LINK_UNIT[hostLink(this.nodeZone[from]!, this.nodeZone[to]!)]!;
  }

  /** Route key from the LB to its target (node, or pod for IP targets). */
  private lbStretchKey(conn: number, t: number): number {
    const conns = this.conns;
    const lbZone = conns.lbZone[conn]!;
    if (this.tLbPods[t] === 1) {
      const podZone = this.nodeZone[this.podNode[conns.pod[conn]!]!]!;
      return LB + SAME_NODE + (lbZone >= 0 && lbZone !== podZone ? CROSS_ZONE : 0);
    }
    const nodeZone = this.nodeZone[conns.entryNode[conn]!]!;
    return LB + (lbZone >= 0 && lbZone !== nodeZone ? CROSS_ZONE : 0);
  }

  /** Route key from kube-proxy's node to the pod. */
  private nodeStretchKey(conn: number, c: number): number {
    const conns = this.conns;
    const n = conns.entryNode[conn]!;
    const podNode = this.podNode[conns.pod[conn]!]!;
    if (podNode === n) return SAME_NODE;
    const fwd = this.cVia[c] === Via.ClusterIP ? 0 : FORWARDING;
    return fwd + LINK_UNIT[hostLink(this.nodeZone[n]!, this.nodeZone[podNode]!)]! + SAME_NODE;
  }

  /** All choices made: the whole way client → pod becomes the connection's route. */
  private establish(conn: number, c: number): void {
    const conns = this.conns;
    const via = this.cVia[c]!;
    const t = this.cTarget[c]!;
    let key: number;
    if (via === Via.LoadBalancer && this.tIsMetal[t] === 0) {
      key = this.cEdgeKey[c]! + this.lbStretchKey(conn, t);
      if (this.tLbPods[t] === 0) key += this.nodeStretchKey(conn, c);
    } else {
      key = this.toEntryKey(c, conn) + this.nodeStretchKey(conn, c);
    }
    conns.route[conn] = key;
    conns.replyRoute[conn] = key;
    conns.state[conn] = ConnState.Established;
  }

  /**
   * DSR (proxy/cilium-proxy.ts): the reply leaves the pod's node for the client by the way the request came
   * in, without the entry node: pod → its node → (the LB, crossing zones if the LB node's zone differs from
   * the pod's) → the client. The second hop's node-to-node link and forwarding are not retraced.
   */
  private replyDirect(conn: number, c: number): void {
    const conns = this.conns;
    let key = SAME_NODE + this.cEdgeKey[c]!;
    if (this.cVia[c] === Via.LoadBalancer && this.tIsMetal[this.cTarget[c]!] === 0) {
      const lbZone = conns.lbZone[conn]!;
      key += LB + (lbZone >= 0 && lbZone !== this.nodeZone[this.podNode[conns.pod[conn]!]!] ? CROSS_ZONE : 0);
    }
    conns.replyRoute[conn] = key;
  }

  /** A direct reply's bytes cross zones only from the pod's zone to the LB node's, when they differ. */
  private directReplyBytes(conn: number, seg: number, bytes: number): void {
    const lbZone = this.conns.lbZone[conn]!;
    const podZone = this.nodeZone[this.podNode[this.conns.pod[conn]!]!]!;
    if (lbZone >= 0 && lbZone !== podZone) this.metrics.crossZoneBytes(seg, podZone, bytes);
  }

  private flow(c: number): number {
    return (this.cNetRng[c]!() * 4294967296) >>> 0;
  }

  /** At the cloud load balancer (instance or IP targets). */
  private readonly onAtLb = (req: number): void => {
    // The ghost / closed-connection guard is written out here and in onAtNode on purpose: moved into a
    // shared method, the full-path bench measured lower in every run (0.65-1.08 M requests/s against
    // 1.02-1.11 M, on a noisy 2-vCPU machine), so the repetition stays until a quieter measurement says
    // otherwise.
    const reqs = this.reqs;
    const conns = this.conns;
    if ((reqs.flags[req]! & RequestFlag.Ghost) !== 0) return this.vanish(req);
    const conn = reqs.conn[req]!;
    if (conns.state[conn] === ConnState.Closed) return this.failAttempt(req, conns.failCode[conn]!);
    const c = reqs.client[req]!;
    const t = this.cTarget[c]!;
    const target = this.targets[t]!;
    const lb = target.lb!;
    let extra = 0;
    if (conns.lbChosen[conn] === 0) {
      const choice = lb.choose(this.cZone[c]!, this.flow(c));
      if (choice < 0) {
        this.setupFailed(conn, choice);
        return this.failAttempt(req, choice);
      }
      const lbZone = lb.lastLbZone;
      conns.lbZone[conn] = lbZone;
      conns.lbChosen[conn] = 1;
      if (target.lbProcessing !== null) extra = target.lbProcessing.sample(target.lbRng!);
      if (lb.targetsPods) {
        const ep = target.endpoints[choice]!;
        conns.endpoint[conn] = choice;
        conns.pod[conn] = ep.pod;
        conns.source[conn] = SourceSeen.LoadBalancer;
        if (lbZone >= 0 && lbZone !== ep.zone) conns.addCrossing(conn, lbZone, ep.zone);
        this.establish(conn, c);
        this.metrics.connection(reqs.segment[req]!, ep.pod, -1);
      } else {
        conns.entryNode[conn] = choice;
        const z = this.nodeZone[choice]!;
        if (lbZone >= 0 && lbZone !== z) conns.addCrossing(conn, lbZone, z);
      }
    }
    const handler = lb.targetsPods ? this.onArrivePod : this.onAtNode;
    reqs.proxy[req]! += extra;
    this.links.scheduleOnce(this.lbStretchKey(conn, t), extra, this.cNetRng[c]!, handler, req);
  };

  /** At the node whose kube-proxy chooses (NodePort, LB instance target, externalIP, ClusterIP). */
  private readonly onAtNode = (req: number): void => {
    const reqs = this.reqs;
    const conns = this.conns;
    if ((reqs.flags[req]! & RequestFlag.Ghost) !== 0) return this.vanish(req);
    const conn = reqs.conn[req]!;
    if (conns.state[conn] === ConnState.Closed) return this.failAttempt(req, conns.failCode[conn]!);
    const c = reqs.client[req]!;
    const n = conns.entryNode[conn]!;
    if (this.view.downNodes !== 0 && this.view.nodeDown[n] === 1) {
      this.setupFailed(conn, Drop.NodeDown);
      return this.failAttempt(req, Drop.NodeDown);
    }
    let extra = 0;
    if (conns.endpoint[conn]! < 0) {
      const seg = reqs.segment[req]!;
      const tracked = this.cTracked[c] === 1;
      if (tracked && this.conntrack[n]! >= this.conntrackMax) {
        this.setupFailed(conn, Drop.ConntrackFull);
        this.metrics.nodeDrop(seg, n);
        return this.failAttempt(req, Drop.ConntrackFull);
      }
      const proxy = this.targets[this.cTarget[c]!]!.proxy;
      const origin = this.cOrigin[c]!;
      const e = proxy.choose(n, origin, conns.srcIp[conn]!, this.sim.now);
      if (e < 0) {
        this.setupFailed(conn, e);
        this.metrics.nodeDrop(seg, n);
        return this.failAttempt(req, e);
      }
      const ep = proxy.endpoints[e]!;
      conns.endpoint[conn] = e;
      conns.pod[conn] = ep.pod;
      if (tracked) {
        conns.proxyNode[conn] = n;
        const ct = ++this.conntrack[n]!;
        if (ct > this.conntrackPeak[n]!) this.conntrackPeak[n] = ct;
      }
      proxy.connectionOpened(n, origin, e);
      conns.source[conn] = proxy.masquerades(n, origin, e) ? SourceSeen.NodeIp : SourceSeen.ClientIp;
      extra = proxy.connectionCost(n, origin);
      if (ep.node !== n) {
        conns.secondHop[conn] = 1;
        const z = this.nodeZone[n]!;
        if (ep.zone !== z) conns.addCrossing(conn, z, ep.zone);
      }
      this.establish(conn, c);
      if (ep.node !== n && proxy.repliesDirect?.(n, origin, e) === true) this.replyDirect(conn, c);
      this.metrics.connection(seg, ep.pod, n);
    }
    reqs.proxy[req]! += extra;
    const key = this.nodeStretchKey(conn, c);
    this.links.scheduleOnce(key, extra, this.cNetRng[c]!, this.onArrivePod, req);
    if (this.fwdRandom === 1) this.addForwarding(req, key);
  };

  /** Random forwarding link: adds the forwarding part of the route just sampled to the proxy stage. */
  private addForwarding(req: number, key: number): void {
    if (linkCount(key, Link.Forwarding) > 0) this.reqs.proxy[req]! += this.links.lastForwarding;
  }

  private readonly onArrivePod = (req: number): void => {
    const reqs = this.reqs;
    const conns = this.conns;
    const conn = reqs.conn[req]!;
    const pod = conns.pod[conn]!;
    if ((this.podState[pod] !== PodState.Accepting || this.view.downNodes !== 0) && this.turnedAway(req, conn, pod)) return;
    conns.accepted[conn] = 1;
    reqs.pod[req] = pod;
    reqs.atPod[req] = this.sim.now;
    if ((reqs.flags[req]! & RequestFlag.Ghost) !== 0) {
      if (!this.pods.admit(pod, req)) this.vanish(req);
      return;
    }
    const seg = reqs.segment[req]!;
    const crosses = conns.crossFromA[conn]! >= 0;
    this.metrics.atPod(seg, pod, conns.entryNode[conn]!, conns.secondHop[conn] === 1, crosses, conns.source[conn]!);
    if (crosses) {
      const bytes = this.cReqBytes[reqs.client[req]!]!;
      this.metrics.crossZoneBytes(seg, conns.crossFromA[conn]!, bytes);
      if (conns.crossFromB[conn]! >= 0) this.metrics.crossZoneBytes(seg, conns.crossFromB[conn]!, bytes);
    }
    if (this.podCtrl !== null && this.podCtrl[pod]! >= 0 && this.cHttp[reqs.client[req]!] === 1) {
      // At an ingress controller pod: a worker process took the connection when it was accepted.
      reqs.atIngress[req] = this.sim.now;
      // A timeline may have placed this controller pod after the start (a Gateway's rollout).
      this.ingress!.ctrlNode[this.podCtrl[pod]!] = this.podNode[pod]!;
      if (conns.worker[conn]! < 0) {
        const k = this.podCtrl[pod]!;
        conns.worker[conn] = Math.floor(this.ingress!.ctrlRng[k]!() * this.ingress!.ctrlWorkers[k]!);
      }
    }
    if (!this.pods.admit(pod, req)) {
      this.metrics.refused(seg, pod);
      this.failAttempt(req, Drop.QueueFull);
    }
  };

  readonly onServiceDone = (req: number): void => {
    const reqs = this.reqs;
    const pod = reqs.pod[req]!;
    reqs.serviceEnd[req] = this.sim.now;
    this.pods.complete(pod);
    if ((reqs.flags[req]! & RequestFlag.Ghost) === 0) this.metrics.served(reqs.segment[req]!, pod);
    const c = reqs.client[req]!;
    // A failing pod answers with a 500 (not an L7 proxy pod's own hop).
    if (this.podErrors !== null && !(this.podCtrl !== null && this.podCtrl[pod]! >= 0 && this.cHttp[c] === 1) && this.podErrors.fails(pod)) {
      reqs.flags[req]! |= RequestFlag.ServerError;
    }
    if (this.cMesh[c] === 1) return this.mesh!.served(req);
    if (this.podCtrl !== null) {
      if (this.podCtrl[pod]! >= 0 && this.cHttp[c] === 1) return this.ingressDone(req, c);
      if (reqs.upstream[req]! >= 0) {
        // The upstream's response goes back to the controller pod.
        this.links.schedule(this.upstreamKey(req), this.cNetRng[c]!, this.onUpstreamResponse, req);
        return;
      }
    }
    const route = this.conns.replyRoute[reqs.conn[req]!]!;
    this.links.schedule(route, this.cNetRng[c]!, this.onAtClient, req);
    if (this.fwdRandom === 1) this.addForwarding(req, route);
  };

  // ------------------------------------------------------------------ ingress controller

  /** The controller pod has processed the request: route it, pick the upstream endpoint, send it. */
  private ingressDone(req: number, c: number): void {
    const reqs = this.reqs;
    reqs.ingressStart[req] = reqs.serviceStart[req]!;
    reqs.ingressEnd[req] = this.sim.now;
    if ((reqs.flags[req]! & RequestFlag.Ghost) !== 0) return this.vanish(req); // the client has gone: nginx drops it
    const u = this.ingress!.upstreamOf(this.ingress!.clients[c]!, reqs.path[req]!);
    this.metrics.ingressRouted(reqs.segment[req]!, u);
    if (u < 0) return this.failAttempt(req, Drop.NoRoute);
    reqs.upstream[req] = u;
    if (this.gwDeadlines !== null) this.gwDeadlines[u]?.arm(req);
    this.tryUpstream(req, c, u, -1);
  }

  /** One upstream try: the balancer (or, with service-upstream, a keep-alive connection) picks the endpoint. */
  private tryUpstream(req: number, c: number, u: number, avoid: number): void {
    const reqs = this.reqs;
    const conns = this.conns;
    const ing = this.ingress!;
    const up = ing.upstreams[u]!;
    const conn = reqs.conn[req]!;
    const k = this.podCtrl![conns.pod[conn]!]!;
    const w = conns.worker[conn]!;
    const now = this.sim.now;
    const node = ing.ctrlNode[k]!;
    let pod: number;
    let extra = 0;
    if (up.proxy !== null) {
      const id = ing.acquire(u, k, w, now);
      if (id < 0) return this.failAttempt(req, id);
      reqs.upConn[req] = id;
      const e = ing.connectionEndpoint(id);
      reqs.endpoint[req] = e;
      pod = up.proxy.endpoints[e]!.pod;
      if (ing.opened) {
        extra = up.proxy.connectionCost(node, 'internal');
        if (up.proxy.keepsConntrack?.('internal') !== false) {
          const ct = ++this.conntrack[node]!;
          if (ct > this.conntrackPeak[node]!) this.conntrackPeak[node] = ct;
        }
        this.metrics.connection(reqs.segment[req]!, pod, node);
      }
    } else {
      const h = ing.clients[c]!;
      const remote = conns.source[conn] === SourceSeen.NodeIp ? 0x40000000 + conns.entryNode[conn]! : conns.srcIp[conn]!;
      const cls = reqs.path[req]!;
      const e = up.balancer.pick(k, w, ing.ctrlRng[k]!, now, avoid, h.uriHash[cls]!, remote, reqs.session[req]!, h.hashMode[cls]!);
      if (e < 0) return this.failAttempt(req, Drop.NoEndpoints);
      up.balancer.sent(k, e, w);
      reqs.endpoint[req] = e;
      pod = up.endpoints[e]!.pod;
    }
    reqs.tries[req]!++;
    reqs.upstreamSend[req] = now;
    reqs.upProxy[req] = extra;
    reqs.pod[req] = pod;
    const zc = this.nodeZone[node]!;
    const zp = this.nodeZone[this.podNode[pod]!]!;
    reqs.upCross[req] = zc !== zp ? 1 : 0;
    const key = this.upstreamKey(req);
    if (extra > 0) this.links.scheduleOnce(key, extra, this.cNetRng[c]!, this.onArriveUpstream, req);
    else this.links.schedule(key, this.cNetRng[c]!, this.onArriveUpstream, req);
  }

  /** Route key between the request's controller pod and its upstream pod (pod to pod, no NAT on the way). */
  private upstreamKey(req: number): number {
    const conns = this.conns;
    const k = this.podCtrl![conns.pod[this.reqs.conn[req]!]!]!;
    const from = this.ingress!.ctrlNode[k]!;
    const to = this.podNode[this.reqs.pod[req]!]!;
    return podToPodKey(from, to, this.nodeZone[from]!, this.nodeZone[to]!);
  }

  private readonly onArriveUpstream = (req: number): void => {
    const reqs = this.reqs;
    const pod = reqs.pod[req]!;
    reqs.atPod[req] = this.sim.now;
    if ((reqs.flags[req]! & RequestFlag.Ghost) !== 0) {
      if (this.podState[pod] !== PodState.Accepting || !this.pods.admit(pod, req)) {
        this.upstreamDone(req, -1);
        this.vanish(req);
      }
      return;
    }
    const seg = reqs.segment[req]!;
    const cross = reqs.upCross[req] === 1;
    this.metrics.atPod(seg, pod, -1, false, cross, SourceSeen.LoadBalancer);
    if (cross) {
      const k = this.podCtrl![this.conns.pod[reqs.conn[req]!]!]!;
      this.metrics.crossZoneBytes(seg, this.nodeZone[this.ingress!.ctrlNode[k]!]!, this.cReqBytes[reqs.client[req]!]!);
    }
    if (this.podState[pod] === PodState.Accepting && this.pods.admit(pod, req)) return;
    // Refused (connection refused / 503, or no pod there any more): an "error" for proxy-next-upstream.
    this.metrics.refused(seg, pod);
    this.upstreamDone(req, -1);
    if (this.retryUpstream(req, false)) return;
    this.failAttempt(req, Drop.QueueFull);
  };

  /**
   * A try failed (refused, or `is5xx`: a 500 from the pod): whether the proxy tries again. Ingress
   * controllers retry a refusal at once, up to their tries; an Envoy Gateway route as its retry policy
   * says, after its back-off (gateway/upstreams.ts).
   */
  private retryUpstream(req: number, is5xx: boolean): boolean {
    const reqs = this.reqs;
    const u = reqs.upstream[req]!;
    const tries = reqs.tries[req]!;
    if (tries >= this.ingress!.upstreams[u]!.tries) return false;
    const gw = this.gateway;
    let delay = 0;
    if (gw !== null && gw.isEnvoy[u] === 1) {
      delay = gw.retryDelay(u, tries, is5xx, this.ingress!.ctrlRng[this.podCtrl![this.conns.pod[reqs.conn[req]!]!]!]!);
      if (delay < 0) return false;
    } else if (is5xx) return false;
    this.metrics.upstreamRetry(reqs.segment[req]!, u);
    reqs.flags[req]! &= ~RequestFlag.ServerError;
    if (delay > 0) this.sim.schedule(delay, this.onUpstreamRetry, req);
    else this.onUpstreamRetry(req);
    return true;
  }

  /** The back-off is over: the next try (unless the client or the gateway gave up meanwhile). */
  private readonly onUpstreamRetry = (req: number): void => {
    const reqs = this.reqs;
    if ((reqs.flags[req]! & RequestFlag.Ghost) !== 0) return this.vanish(req);
    const u = reqs.upstream[req]!;
    const avoid = this.gateway === null || this.gateway.avoidsPrevious(u) ? reqs.endpoint[req]! : -1;
    this.tryUpstream(req, reqs.client[req]!, u, avoid);
  };

  /** A Gateway route's deadline passed: it answers 504; the try goes on as a ghost (Envoy resets it). */
  private readonly onGatewayTimeout = (req: number): void => {
    const reqs = this.reqs;
    if ((reqs.flags[req]! & RequestFlag.Ghost) !== 0) return; // the client gave up first: nobody waits for the 504
    reqs.flags[req] = (reqs.flags[req]! & ~(RequestFlag.Live | RequestFlag.Armed)) | RequestFlag.Ghost;
    this.conns.inFlight[reqs.conn[req]!]!--;
    this.endAttempt(req, Drop.GatewayTimeout, false);
  };

  /** The upstream's response is back at the controller pod. */
  private readonly onUpstreamResponse = (req: number): void => {
    const reqs = this.reqs;
    // A 500 counts as a failed try for Envoy (outlier detection, retry); nginx passes it through.
    const envoy5xx = (reqs.flags[req]! & RequestFlag.ServerError) !== 0 && this.gateway !== null && this.gateway.isEnvoy[reqs.upstream[req]!] === 1;
    this.upstreamDone(req, envoy5xx ? -1 : this.sim.now - reqs.upstreamSend[req]!);
    if ((reqs.flags[req]! & RequestFlag.Ghost) !== 0) return this.vanish(req);
    if (envoy5xx && this.retryUpstream(req, true)) return;
    reqs.flags[req]! &= ~RequestFlag.GatewayArmed;
    const c = reqs.client[req]!;
    if (reqs.upCross[req] === 1) {
      this.metrics.crossZoneBytes(reqs.segment[req]!, this.nodeZone[this.podNode[reqs.pod[req]!]!]!, this.cRespBytes[c]!);
    }
    const route = this.conns.replyRoute[reqs.conn[req]!]!;
    this.links.schedule(route, this.cNetRng[c]!, this.onAtClient, req);
    if (this.fwdRandom === 1) this.addForwarding(req, route);
  };

  /** The current upstream try is over (response after `rtt` seconds, or refused: rtt < 0). */
  private upstreamDone(req: number, rtt: number): void {
    const reqs = this.reqs;
    const conns = this.conns;
    const ing = this.ingress!;
    const u = reqs.upstream[req]!;
    const up = ing.upstreams[u]!;
    const conn = reqs.conn[req]!;
    const k = this.podCtrl![conns.pod[conn]!]!;
    if (up.proxy !== null) {
      const id = reqs.upConn[req]!;
      reqs.upConn[req] = -1;
      ing.release(id, u, k, conns.worker[conn]!, this.sim.now);
      if (ing.closed && up.proxy.keepsConntrack?.('internal') !== false) this.conntrack[ing.ctrlNode[k]!]!--;
    } else {
      up.balancer.done(k, reqs.endpoint[req]!, this.sim.now, rtt, conns.worker[conn]!);
    }
  }

  // ------------------------------------------------------------------ external hosts

  /** Out of the client's node to the external host. */
  private sendExternal(req: number, c: number, conn: number): void {
    const h = this.conns.endpoint[conn]!;
    const rng = this.cNetRng[c]!;
    const delay = this.links.sample(this.conns.route[conn]!, rng) + this.externalLatency[h]!.sample(rng);
    this.sim.schedule(delay, this.onArriveExternal, req);
  }

  private readonly onArriveExternal = (req: number): void => {
    const reqs = this.reqs;
    const h = this.conns.endpoint[reqs.conn[req]!]!;
    reqs.pod[req] = h;
    reqs.atPod[req] = this.sim.now;
    const ext = this.externals!;
    if ((reqs.flags[req]! & RequestFlag.Ghost) !== 0) {
      if (!ext.admit(h, req)) this.vanish(req);
      return;
    }
    const admitted = ext.admit(h, req);
    this.metrics.atExternal(reqs.segment[req]!, h, !admitted);
    if (!admitted) this.failAttempt(req, Drop.QueueFull);
  };

  private readonly onExternalDone = (req: number): void => {
    const reqs = this.reqs;
    const h = reqs.pod[req]!;
    reqs.serviceEnd[req] = this.sim.now;
    this.externals!.complete(h);
    if ((reqs.flags[req]! & RequestFlag.Ghost) === 0) this.metrics.externalServed(reqs.segment[req]!, h);
    const c = reqs.client[req]!;
    const conn = reqs.conn[req]!;
    const rng = this.cNetRng[c]!;
    const delay = this.links.sample(this.conns.route[conn]!, rng) + this.externalLatency[h]!.sample(rng);
    this.sim.schedule(delay, this.onAtClient, req);
  };

  private readonly onAtClient = (req: number): void => {
    const reqs = this.reqs;
    const conns = this.conns;
    if ((reqs.flags[req]! & RequestFlag.Ghost) !== 0) return this.vanish(req);
    if ((reqs.flags[req]! & RequestFlag.ServerError) !== 0) return this.failAttempt(req, Drop.ServerError);
    const c = reqs.client[req]!;
    const conn = reqs.conn[req]!;
    const seg = reqs.segment[req]!;
    const crosses = conns.crossFromA[conn]! >= 0;
    const kind = crosses || reqs.upCross[req] === 1 ? PathKind.CrossZone : conns.secondHop[conn] === 1 ? PathKind.SecondHop : PathKind.Local;
    const latency = this.sim.now - reqs.firstSend[req]!;
    this.metrics.completed(seg, c, latency, kind);
    if (this.recording) {
      // Out of line, so that this handler stays small; the latency goes through a scratch array, since a
      // double passed as an argument may be boxed (allocated).
      this.latencyScratch[0] = latency;
      this.recordCompletion(req, c, seg);
    }
    if (crosses) {
      // Response bytes are sent by the far side of each crossing.
      const bytes = this.cRespBytes[c]!;
      if (conns.replyRoute[conn] !== conns.route[conn]) this.directReplyBytes(conn, seg, bytes);
      else {
        this.metrics.crossZoneBytes(seg, conns.crossToA[conn]!, bytes);
        if (conns.crossToB[conn]! >= 0) this.metrics.crossZoneBytes(seg, conns.crossToB[conn]!, bytes);
      }
    }
    this.cancelTimeout(req);
    this.detach(req, c, conn);
    const user = reqs.user[req]!;
    this.releaseRow(req);
    if (user >= 0) this.clients.userDone(user);
  };

  /** Records a completed request, of latency `latencyScratch[0]`, in the time series and the stages. */
  private recordCompletion(req: number, c: number, seg: number): void {
    const latency = this.latencyScratch[0]!;
    const series = this.series;
    if (series !== null) {
      const at = series.at;
      at[0] = this.sim.now;
      at[1] = latency;
      series.completed();
    }
    if (this.stages !== null) {
      this.stages.value[TOTAL] = latency;
      this.recordStages(req, c, seg);
    }
  }

  /** Cuts a completed request's latency (in the scratch, at TOTAL) into stages (stages.ts); they add up to it. */
  private recordStages(req: number, c: number, seg: number): void {
    const reqs = this.reqs;
    const st = this.stages!;
    const v = st.value;
    const latency = v[TOTAL]!;
    // DNS times, the ingress controller's upstream proxy cost: zero for clients that do not use them.
    let retries = reqs.send[req]! - reqs.firstSend[req]!;
    let known = 0;
    let proxy = reqs.proxy[req]!;
    let stages = (1 << Stage.Retries) | (1 << Stage.Network);
    const via = this.cVia[c]!;
    if (this.cResolves[c] === 1) {
      const dnsPrev = reqs.dnsPrev[req]!;
      retries -= dnsPrev;
      const dns = dnsPrev + reqs.dnsCur[req]!;
      v[Stage.Dns] = dns;
      stages |= 1 << Stage.Dns;
      known = dns;
    }
    if (this.cHttp[c] === 1) {
      const iq = reqs.ingressStart[req]! - reqs.atIngress[req]!;
      const ip = reqs.ingressEnd[req]! - reqs.ingressStart[req]!;
      v[Stage.IngressQueue] = iq;
      v[Stage.IngressProcessing] = ip;
      stages |= (1 << Stage.IngressQueue) | (1 << Stage.IngressProcessing);
      retries += reqs.upstreamSend[req]! - reqs.ingressEnd[req]!;
      known += iq + ip;
      proxy += reqs.upProxy[req]!;
    }
    if (via === Via.External) {
      const ext = reqs.serviceEnd[req]! - reqs.atPod[req]!;
      v[Stage.External] = ext;
      stages |= 1 << Stage.External;
      known += ext;
    } else {
      const start = reqs.serviceStart[req]!;
      const q = start - reqs.atPod[req]!;
      const sv = reqs.serviceEnd[req]! - start;
      v[Stage.PodQueue] = q;
      v[Stage.PodService] = sv;
      stages |= (1 << Stage.PodQueue) | (1 << Stage.PodService);
      known += q + sv;
      if (via !== Via.PodIP) stages |= 1 << Stage.Proxy;
    }
    if (retries < 0) retries = 0;
    v[Stage.Retries] = retries;
    known += retries;
    // Constant forwarding: once each way per traversal on the route (the opening stretches add up to it).
    if (this.fwdByRoute !== null) {
      const conn = reqs.conn[req]!;
      proxy += (this.fwdByRoute[this.conns.route[conn]!]! + this.fwdByRoute[this.conns.replyRoute[conn]!]!) * 0.5;
    }
    const rest = latency - known;
    if (proxy > rest) proxy = rest > 0 ? rest : 0;
    v[Stage.Proxy] = proxy;
    known += proxy;
    const network = latency - known;
    v[Stage.Network] = network > 0 ? network : 0;
    st.record(seg, stages);
  }

  /** Deadlines calls this (once per attempt, already disarmed) when the attempt's timeout passes. */
  private readonly onTimeout = (req: number): void => {
    const reqs = this.reqs;
    const flags = reqs.flags[req]!;
    if ((flags & RequestFlag.Lost) !== 0) {
      // Nothing of the attempt is left in the system: the client gives up on a silent drop.
      this.endAttempt(req, reqs.dropCode[req]!, true);
      return;
    }
    // Still travelling, queued or in service: it becomes a ghost, the client moves on.
    reqs.flags[req] = (flags & ~RequestFlag.Live) | RequestFlag.Ghost;
    const c = reqs.client[req]!;
    const conn = reqs.conn[req]!;
    this.conns.inFlight[conn]!--;
    if (this.clients.closesOnTimeout(c)) this.closeConnection(conn);
    this.endAttempt(req, Drop.Timeout, false);
  };

  // ------------------------------------------------------------------ endings

  /** An attempt failed where it stands (no event of it remains pending). */
  private failAttempt(req: number, code: number): void {
    const reqs = this.reqs;
    const c = reqs.client[req]!;
    this.detach(req, c, reqs.conn[req]!);
    if (isSilent(code) && (reqs.flags[req]! & RequestFlag.Armed) !== 0) {
      reqs.flags[req]! |= RequestFlag.Lost;
      reqs.dropCode[req] = code;
      return;
    }
    this.cancelTimeout(req);
    this.endAttempt(req, code, true);
  }

  /**
   * The attempt on row `req` is over for the client: retry on a fresh row, or count the logical request
   * as dropped. `freeRow` is false for a ghost, whose row lives on until its last event.
   */
  private endAttempt(req: number, code: number, freeRow: boolean): void {
    const reqs = this.reqs;
    const c = reqs.client[req]!;
    const seg = reqs.segment[req]!;
    const user = reqs.user[req]!;
    const attempt = reqs.attempt[req]!;
    if (attempt < this.cRetries[c]!) {
      this.metrics.retry(seg);
      const next = reqs.allocate(c, user, reqs.firstSend[req]!, this.sim.now, seg, attempt + 1);
      reqs.dnsPrev[next] = reqs.dnsPrev[req]! + reqs.dnsCur[req]!;
      reqs.path[next] = reqs.path[req]!;
      reqs.session[next] = reqs.session[req]!;
      if (freeRow) this.releaseRow(req);
      this.startAttempt(next);
      return;
    }
    this.metrics.dropped(seg, c, code);
    if (this.series !== null) this.series.dropped(this.sim.now, code, reqs.firstSend[req]!);
    if (freeRow) this.releaseRow(req);
    if (user >= 0) this.clients.userDone(user);
  }

  /** The live attempt leaves its connection (response received, or failed). */
  private detach(req: number, c: number, conn: number): void {
    const conns = this.conns;
    conns.inFlight[conn]!--;
    conns.refs[conn]!--;
    this.reqs.conn[req] = -1;
    if (conns.state[conn] === ConnState.Established) {
      if (this.clients.attemptEnded(c, conn)) this.closeConnection(conn);
    } else {
      conns.releaseIfDone(conn);
    }
  }

  /** A ghost's last event: free its row. */
  private vanish(req: number): void {
    const conn = this.reqs.conn[req]!;
    if (conn >= 0) {
      this.conns.refs[conn]!--;
      this.conns.releaseIfDone(conn);
    }
    this.releaseRow(req);
  }

  private releaseRow(req: number): void {
    this.reqs.release(req);
    if (!this.generating && this.reqs.rowsInUse === 0) this.sim.stop();
  }

  private cancelTimeout(req: number): void {
    this.reqs.flags[req]! &= ~(RequestFlag.Armed | RequestFlag.GatewayArmed);
  }

  /** The client closes a connection: its conntrack entry goes, IPVS forgets it. */
  private closeConnection(conn: number): void {
    const conns = this.conns;
    if (conns.state[conn] === ConnState.Closed) return;
    const c = conns.client[conn]!;
    const n = conns.proxyNode[conn]!;
    if (n >= 0) {
      this.conntrack[n]!--;
      this.targets[this.cTarget[c]!]!.proxy.connectionClosed(n, this.cOrigin[c]!, conns.endpoint[conn]!, this.sim.now);
    }
    conns.state[conn] = ConnState.Closed;
    this.clients.closed(c, conn);
    conns.releaseIfDone(conn);
  }

  /** The connection could not be set up (LB or kube-proxy refused it): every request on it fails. */
  private setupFailed(conn: number, code: number): void {
    const conns = this.conns;
    conns.failCode[conn] = code;
    conns.state[conn] = ConnState.Closed;
    this.clients.closed(conns.client[conn]!, conn);
  }

  // ------------------------------------------------------------------ pods and nodes that change

  /**
   * A request reaches a pod that is not simply accepting, or some node is down (out of line: rare).
   * Returns true when the attempt ended here. A pod that is shutting down serves requests on connections
   * it had already accepted and then closes them (HTTP `Connection: close`), and refuses new ones.
   */
  private turnedAway(req: number, conn: number, pod: number): boolean {
    const reqs = this.reqs;
    const conns = this.conns;
    const view = this.view;
    const ghost = (reqs.flags[req]! & RequestFlag.Ghost) !== 0;
    let code = 0;
    if (view.downNodes !== 0) {
      const entry = conns.entryNode[conn]!;
      if ((entry >= 0 && view.nodeDown[entry] === 1) || view.nodeDown[this.podNode[pod]!] === 1) code = Drop.NodeDown;
    }
    if (code === 0) {
      const state = this.podState[pod]!;
      if (state === PodState.Accepting) return false;
      if (state === PodState.Draining) {
        if (conns.accepted[conn] === 1) {
          this.closeConnection(conn);
          return false;
        }
        code = Drop.ConnectionRefused;
      } else code = Drop.PodGone;
    }
    if (ghost) {
      this.vanish(req);
      return true;
    }
    // A reset tells the client its connection is dead; a dead node tells it nothing (its timeout will).
    if (code !== Drop.NodeDown) this.closeForClient(conn);
    this.failAttempt(req, code);
    return true;
  }

  /**
   * Pod `pod` closes its connections: a graceful shutdown closes idle ones and answers what is in flight
   * with `Connection: close` (HTTP/2: GOAWAY); an exiting process's sockets are closed by the kernel.
   * Requests already on their way are still served; clients open a new connection for their next request.
   */
  closeConnections(pod: number): void {
    const conns = this.conns;
    for (const conn of conns.establishedWhere((id) => conns.pod[id] === pod)) this.closeForClient(conn);
  }

  /**
   * A load balancer has stopped forwarding the flows of one of target `t`'s LB targets (node `node`, or
   * for IP targets pod `pod`; −1 for the other): their connections are reset, and clients reconnect for
   * their next request. Requests already in flight on them are left to their fate on the path.
   */
  resetLoadBalancerFlows(t: number, node: number, pod: number): void {
    const conns = this.conns;
    const picked = conns.establishedWhere((id) => {
      const c = conns.client[id]!;
      if (this.cVia[c] !== Via.LoadBalancer || this.cTarget[c] !== t) return false;
      return pod >= 0 ? conns.pod[id] === pod : conns.entryNode[id] === node;
    });
    for (const conn of picked) this.closeForClient(conn);
  }

  /** The connection is closed under the client: it leaves the client's idle stack or pool. */
  private closeForClient(conn: number): void {
    this.clients.forgetIdle(this.conns.client[conn]!, conn);
    this.closeConnection(conn);
  }

  /**
   * Pod `pod` is killed, or its node died: every attempt waiting or in service there ends now with `code`
   * (`PodKilled` or `NodeDown`). Waiting ones leave the queue; ones in service become ghosts (their
   * service-end event still comes, and frees them). The pod's connections are closed.
   */
  abortAt(pod: number, code: number): void {
    const reqs = this.reqs;
    for (const req of this.pods.clearQueue(pod)) {
      this.mesh?.abandon(req);
      if ((reqs.flags[req]! & RequestFlag.Ghost) !== 0) this.vanish(req);
      else {
        this.closeConnection(reqs.conn[req]!);
        this.failAttempt(req, code);
      }
    }
    const inService: number[] = [];
    reqs.forEachInUse((id) => {
      if (reqs.pod[id] === pod && reqs.serviceStart[id]! >= 0 && reqs.serviceEnd[id]! < 0 && (reqs.flags[id]! & RequestFlag.Ghost) === 0) {
        inService.push(id);
      }
    });
    for (const req of inService) {
      const conn = reqs.conn[req]!;
      reqs.flags[req] = (reqs.flags[req]! & ~(RequestFlag.Live | RequestFlag.Armed)) | RequestFlag.Ghost;
      this.conns.inFlight[conn]!--;
      this.closeConnection(conn);
      this.endAttempt(req, code, false);
    }
  }

  // ------------------------------------------------------------------ end of run

  /** Live logical requests per statistics segment (the `inFlight` of the accounting). */
  inFlightBySegment(segments: number): Float64Array {
    const out = new Float64Array(segments);
    const reqs = this.reqs;
    reqs.forEachInUse((id) => {
      if ((reqs.flags[id]! & RequestFlag.Live) !== 0) out[reqs.segment[id]!]!++;
    });
    return out;
  }
}


