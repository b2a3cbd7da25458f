/**
 * The connection table: one row per TCP connection, as parallel typed arrays with free-list reuse.
 *
 * A connection is where L4 balancing lives. Its first request to reach each decision point (the load
 * balancer, then kube-proxy on the receiving node) makes the choice; the choice is then the connection's
 * conntrack entry, and every later request on it follows the same way without a new decision or cost
 * (docs/references.md#kube-proxy-iptables: the nat table only sees the first packet of a flow).
 *
 * A row is freed when the connection is closed *and* no request row refers to it any more (`refs`), so a
 * timed-out attempt still travelling (a ghost) can always read its connection's route.
 */
import { growF64, growI32 } from './requests.js';

export const ConnState = {
  Free: 0,
  /** Choices not all made yet: requests on it pass through the decision points. */
  Opening: 1,
  /** Endpoint chosen (conntrack entry exists where one is kept): requests follow `route`. */
  Established: 2,
  /** Closed by the client, or failed: no new request may use it. */
  Closed: 3,
  /** Waiting for the client's DNS lookup: requests on it wait (see `waitHead`). */
  Resolving: 4,
} as const;

/** What the serving pod sees as the request's source address. */
export const SourceSeen = {
  ClientIp: 0,
  /** SNAT to the forwarding node's IP (externalTrafficPolicy Cluster, masquerade). */
  NodeIp: 1,
  /** The load balancer's address (IP targets without client-IP preservation). */
  LoadBalancer: 2,
} as const;

export class ConnectionTable {
  client: Int32Array;
  /** Global index of the source IP kube-proxy and the LB see. */
  srcIp: Int32Array;
  state: Uint8Array;
  /** Node the client addressed (NodePort/externalIP), chosen by the LB (instance/MetalLB) or the client's own node (ClusterIP); −1 for IP targets and before the LB chose. */
  entryNode: Int32Array;
  /** 1 once the load balancer has chosen (or when there is no LB on the way). */
  lbChosen: Uint8Array;
  /** Zone of the LB node that took the connection, −1 when no LB. */
  lbZone: Int32Array;
  /** Index into the Service's endpoint list (kube-proxy's or the IP-target LB's), −1 before the choice. */
  endpoint: Int32Array;
  pod: Int32Array;
  /** Node whose kube-proxy made the choice and keeps the conntrack entry (and IPVS counters), −1 for none. */
  proxyNode: Int32Array;
  /** Route key of the whole one-way way client → pod (see links.ts), −1 until established. */
  route: Int32Array;
  /** Route key of the reply's way pod → client, set with `route`: `route` retraced, or shorter under DSR (proxy/cilium-proxy.ts). */
  replyRoute: Int32Array;
  /** SourceSeen. */
  source: Uint8Array;
  /** 1 when the entry node differs from the pod's node. */
  secondHop: Uint8Array;
  /** Zone crossings on the way (at most two): from/to zone pairs, −1 when unused. */
  crossFromA: Int32Array;
  crossToA: Int32Array;
  crossFromB: Int32Array;
  crossToB: Int32Array;
  /** Requests sent on the connection. */
  served: Int32Array;
  /** Live requests travelling on it. */
  inFlight: Int32Array;
  /** Request rows (live or ghost) that refer to it. */
  refs: Int32Array;
  /** Slot in the client's multiplexed pool, −1 when not pooled. */
  poolSlot: Int32Array;
  /** Drop code when the connection failed during set-up, else 0. */
  failCode: Int8Array;
  /** When it was opened. */
  openedAt: Float64Array;
  /** Worker process of the ingress controller that accepted it, −1 before it reaches one. */
  worker: Int32Array;
  /** 1 once a request on it has reached its pod (the pod accepted the connection). */
  accepted: Uint8Array;
  /** Requests waiting for the connection's DNS lookup (a list through `RequestTable.waitNext`), −1 none. */
  waitHead: Int32Array;
  waitTail: Int32Array;

  private free: Int32Array;
  private freeCount = 0;
  private used = 0;
  private open = 0;
  /** Connections ever opened. */
  opened = 0;

  constructor(initialCapacity = 256) {
    const cap = Math.max(16, initialCapacity);
    this.client = new Int32Array(cap);
    this.srcIp = new Int32Array(cap);
    this.state = new Uint8Array(cap);
    this.entryNode = new Int32Array(cap);
    this.lbChosen = new Uint8Array(cap);
    this.lbZone = new Int32Array(cap);
    this.endpoint = new Int32Array(cap);
    this.pod = new Int32Array(cap);
    this.proxyNode = new Int32Array(cap);
    this.route = new Int32Array(cap);
    this.replyRoute = new Int32Array(cap);
    this.source = new Uint8Array(cap);
    this.secondHop = new Uint8Array(cap);
    this.crossFromA = new Int32Array(cap);
    this.crossToA = new Int32Array(cap);
    this.crossFromB = new Int32Array(cap);
    this.crossToB = new Int32Array(cap);
    this.served = new Int32Array(cap);
    this.inFlight = new Int32Array(cap);
    this.refs = new Int32Array(cap);
    this.poolSlot = new Int32Array(cap);
    this.failCode = new Int8Array(cap);
    this.openedAt = new Float64Array(cap);
    this.worker = new Int32Array(cap);
    this.accepted = new Uint8Array(cap);
    this.waitHead = new Int32Array(cap);
    this.waitTail = new Int32Array(cap);
    this.free = new Int32Array(cap);
  }

  /** Rows not yet released (open, or closed but still referenced). */
  get rowsInUse(): number {
    return this.open;
  }

  allocate(client: number, srcIp: number, now: number): number {
    let id: number;
    if (this.freeCount > 0) id = this.free[--this.freeCount]!;
    else {
      if (this.used === this.state.length) this.grow();
      id = this.used++;
    }
    this.open++;
    this.opened++;
    this.client[id] = client;
    this.srcIp[id] = srcIp;
    this.state[id] = ConnState.Opening;
    this.entryNode[id] = -1;
    this.lbChosen[id] = 0;
    this.lbZone[id] = -1;
    this.endpoint[id] = -1;
    this.pod[id] = -1;
    this.proxyNode[id] = -1;
    this.route[id] = -1;
    this.replyRoute[id] = -1;
    this.accepted[id] = 0;
    this.source[id] = SourceSeen.ClientIp;
    this.secondHop[id] = 0;
    this.crossFromA[id] = -1;
    this.crossToA[id] = -1;
    this.crossFromB[id] = -1;
    this.crossToB[id] = -1;
    this.served[id] = 0;
    this.inFlight[id] = 0;
    this.refs[id] = 0;
    this.poolSlot[id] = -1;
    this.failCode[id] = 0;
    this.openedAt[id] = now;
    this.worker[id] = -1;
    this.waitHead[id] = -1;
    this.waitTail[id] = -1;
    return id;
  }

  /** Records a zone crossing on the connection's way (request direction). */
  addCrossing(id: number, from: number, to: number): void {
    if (this.crossFromA[id]! < 0) {
      this.crossFromA[id] = from;
      this.crossToA[id] = to;
    } else {
      this.crossFromB[id] = from;
      this.crossToB[id] = to;
    }
  }

  crosses(id: number): boolean {
    return this.crossFromA[id]! >= 0;
  }

  /** Frees the row if the connection is closed and unreferenced. */
  /** Established connections that `keep` selects (a control-plane event's scan: rare, never per request). */
  establishedWhere(keep: (id: number) => boolean): number[] {
    const out: number[] = [];
    for (let id = 0; id < this.used; id++) if (this.state[id] === ConnState.Established && keep(id)) out.push(id);
    return out;
  }

  releaseIfDone(id: number): void {
    if (this.state[id] === ConnState.Closed && this.refs[id] === 0) {
      this.state[id] = ConnState.Free;
      this.free[this.freeCount++] = id;
      this.open--;
    }
  }

  private grow(): void {
    const cap = this.state.length * 2;
    this.client = growI32(this.client, cap);
    this.srcIp = growI32(this.srcIp, cap);
    this.state = growU8(this.state, cap);
    this.entryNode = growI32(this.entryNode, cap);
    this.lbChosen = growU8(this.lbChosen, cap);
    this.lbZone = growI32(this.lbZone, cap);
    this.endpoint = growI32(this.endpoint, cap);
    this.pod = growI32(this.pod, cap);
    this.proxyNode = growI32(this.proxyNode, cap);
    this.route = growI32(this.route, cap);
    this.replyRoute = growI32(this.replyRoute, cap);
    this.source = growU8(this.source, cap);
    this.secondHop = growU8(this.secondHop, cap);
    this.crossFromA = growI32(this.crossFromA, cap);
    this.crossToA = growI32(this.crossToA, cap);
    this.crossFromB = growI32(this.crossFromB, cap);
    this.crossToB = growI32(this.crossToB, cap);
    this.served = growI32(this.served, cap);
    this.inFlight = growI32(this.inFlight, cap);
    this.refs = growI32(this.refs, cap);
    this.poolSlot = growI32(this.poolSlot, cap);
    const fail = new Int8Array(cap);
    fail.set(this.failCode);
    this.failCode = fail;
    this.openedAt = growF64(this.openedAt, cap);
    this.worker = growI32(this.worker, cap);
    this.accepted = growU8(this.accepted, cap);
    this.waitHead = growI32(this.waitHead, cap);
    this.waitTail = growI32(this.waitTail, cap);
    this.free = growI32(this.free, cap);
  }
}

function growU8(a: Uint8Array, cap: number): Uint8Array {
  const b = new Uint8Array(cap);
  b.set(a);
  return b;
}
