/**
 * The request table: one row per request *attempt* in flight, as parallel typed arrays (struct of arrays)
 * with free-list reuse. Events carry the row id; nothing is allocated per request once the table has grown
 * to the peak number of requests in flight.
 *
 * A logical request (what the client generated) lives on one row at a time. A retry moves it to a fresh row
 * (the old one may still be travelling as a *ghost*: a timed-out attempt the servers keep working on, which
 * is freed when its last event has run). Accounting counts logical requests, never rows.
 */
import type { Seconds } from '../engine/time.js';

/** Bits of `RequestTable.flags`. */
export const RequestFlag = {
  /** Carries a live logical request (not yet completed or dropped). */
  Live: 1,
  /** Abandoned by its client (timeout) while still somewhere in the system. */
  Ghost: 2,
  /** Silently dropped (DROP, no answer): the client learns only through its timeout. */
  Lost: 4,
  /** The attempt's timeout is pending (see timeouts.ts). */
  Armed: 8,
  /** The pod answered it with a 5xx (pod-errors.ts). */
  ServerError: 16,
  /** A Gateway route's timeout is pending for it (timeouts.ts, with this bit). */
  GatewayArmed: 32,
} as const;

export class RequestTable {
  /** Send time of the logical request (first attempt): latency is measured from here. */
  firstSend: Float64Array;
  /** Send time of this attempt. */
  send: Float64Array;
  /** Arrival at the pod. */
  atPod: Float64Array;
  /** Start of service. */
  serviceStart: Float64Array;
  /** End of service. */
  serviceEnd: Float64Array;
  /** Unique number of the attempt (rows are reused; a pending timeout checks it is still its attempt). */
  serial: Float64Array;
  client: Int32Array;
  /** Closed-loop user (global index), −1 for open-loop clients. */
  user: Int32Array;
  /** Connection row the attempt travels on. */
  conn: Int32Array;
  /** Pod that serves (or refused) it, −1 before it reaches one. */
  pod: Int32Array;
  /** Statistics segment of the logical request (by first send time / ordinal; see Metrics). */
  segment: Int32Array;
  /** Attempt number (0 = first try). */
  attempt: Int32Array;
  /** RequestFlag bits. */
  flags: Uint8Array;
  /** Drop code recorded for a `Lost` attempt. */
  dropCode: Int8Array;
  /** Time this logical request waited for DNS in earlier attempts, and in this one. */
  dnsPrev: Float64Array;
  dnsCur: Float64Array;
  /** At the ingress controller: arrival, start and end of its processing; send of the last upstream try. */
  atIngress: Float64Array;
  ingressStart: Float64Array;
  ingressEnd: Float64Array;
  upstreamSend: Float64Array;
  /** Next request waiting on the same resolving connection, −1 for none. */
  waitNext: Int32Array;
  /** Ingress: the upstream (−1 none), the endpoint of the current try, tries made, the service-upstream connection. */
  upstream: Int32Array;
  endpoint: Int32Array;
  tries: Int32Array;
  upConn: Int32Array;
  /** HTTP requests: index of the request class in the client's mix (model/http/), and the global session (user). */
  path: Int32Array;
  session: Int32Array;
  /** 1 when the controller → upstream leg crosses zones. */
  upCross: Uint8Array;
  /** The `proxy` stage of this attempt (stages.ts): per-connection costs, and forwarding when it is random. */
  proxy: Float64Array;
  /** The ingress controller's current upstream try: its kube-proxy connection cost (service-upstream). */
  upProxy: Float64Array;

  private free: Int32Array;
  private freeCount = 0;
  private used = 0;
  private liveRows = 0;
  private serials = 0;

  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity);
    this.firstSend = new Float64Array(cap);
    this.send = new Float64Array(cap);
    this.atPod = new Float64Array(cap);
    this.serviceStart = new Float64Array(cap);
    this.serviceEnd = new Float64Array(cap);
    this.serial = new Float64Array(cap);
    this.client = new Int32Array(cap);
    this.user = new Int32Array(cap);
    this.conn = new Int32Array(cap);
    this.pod = new Int32Array(cap);
    this.segment = new Int32Array(cap);
    this.attempt = new Int32Array(cap);
    this.flags = new Uint8Array(cap);
    this.dropCode = new Int8Array(cap);
    this.dnsPrev = new Float64Array(cap);
    this.dnsCur = new Float64Array(cap);
    this.atIngress = new Float64Array(cap);
    this.ingressStart = new Float64Array(cap);
    this.ingressEnd = new Float64Array(cap);
    this.upstreamSend = new Float64Array(cap);
    this.waitNext = new Int32Array(cap);
    this.upstream = new Int32Array(cap);
    this.endpoint = new Int32Array(cap);
    this.tries = new Int32Array(cap);
    this.upConn = new Int32Array(cap);
    this.path = new Int32Array(cap);
    this.session = new Int32Array(cap);
    this.upCross = new Uint8Array(cap);
    this.proxy = new Float64Array(cap);
    this.upProxy = new Float64Array(cap);
    this.free = new Int32Array(cap);
  }

  get capacity(): number {
    return this.send.length;
  }

  /** Rows in use (live requests and ghosts). */
  get rowsInUse(): number {
    return this.liveRows;
  }

  /** Rows ever allocated (the peak number in use). */
  get highWater(): number {
    return this.used;
  }

  /** A fresh row with all per-attempt fields reset. */
  allocate(client: number, user: number, firstSend: Seconds, now: Seconds, segment: number, attempt: number): number {
    let id: number;
    if (this.freeCount > 0) id = this.free[--this.freeCount]!;
    else {
      if (this.used === this.send.length) this.grow();
      id = this.used++;
    }
    this.liveRows++;
    this.firstSend[id] = firstSend;
    this.send[id] = now;
    this.atPod[id] = -1;
    this.serviceStart[id] = -1;
    this.serviceEnd[id] = -1;
    this.serial[id] = ++this.serials;
    this.client[id] = client;
    this.user[id] = user;
    this.conn[id] = -1;
    this.pod[id] = -1;
    this.segment[id] = segment;
    this.attempt[id] = attempt;
    this.flags[id] = RequestFlag.Live;
    this.dropCode[id] = 0;
    this.dnsPrev[id] = 0;
    this.dnsCur[id] = 0;
    this.waitNext[id] = -1;
    this.upstream[id] = -1;
    this.endpoint[id] = -1;
    this.tries[id] = 0;
    this.upConn[id] = -1;
    this.upCross[id] = 0;
    this.proxy[id] = 0;
    this.upProxy[id] = 0;
    return id;
  }

  release(id: number): void {
    this.flags[id] = 0;
    this.free[this.freeCount++] = id;
    this.liveRows--;
  }

  /** Calls `fn` for every row in use (end-of-run accounting; not for the hot path). */
  forEachInUse(fn: (id: number) => void): void {
    for (let id = 0; id < this.used; id++) if (this.flags[id] !== 0) fn(id);
  }

  private grow(): void {
    const cap = this.send.length * 2;
    this.firstSend = growF64(this.firstSend, cap);
    this.send = growF64(this.send, cap);
    this.atPod = growF64(this.atPod, cap);
    this.serviceStart = growF64(this.serviceStart, cap);
    this.serviceEnd = growF64(this.serviceEnd, cap);
    this.serial = growF64(this.serial, cap);
    this.client = growI32(this.client, cap);
    this.user = growI32(this.user, cap);
    this.conn = growI32(this.conn, cap);
    this.pod = growI32(this.pod, cap);
    this.segment = growI32(this.segment, cap);
    this.attempt = growI32(this.attempt, cap);
    const flags = new Uint8Array(cap);
    flags.set(this.flags);
    this.flags = flags;
    const drop = new Int8Array(cap);
    drop.set(this.dropCode);
    this.dropCode = drop;
    this.dnsPrev = growF64(this.dnsPrev, cap);
    this.dnsCur = growF64(this.dnsCur, cap);
    this.atIngress = growF64(this.atIngress, cap);
    this.ingressStart = growF64(this.ingressStart, cap);
    this.ingressEnd = growF64(this.ingressEnd, cap);
    this.upstreamSend = growF64(this.upstreamSend, cap);
    this.waitNext = growI32(this.waitNext, cap);
    this.upstream = growI32(this.upstream, cap);
    this.endpoint = growI32(this.endpoint, cap);
    this.tries = growI32(this.tries, cap);
    this.upConn = growI32(this.upConn, cap);
    this.path = growI32(this.path, cap);
    this.session = growI32(this.session, cap);
    const cross = new Uint8Array(cap);
    cross.set(this.upCross);
    this.upCross = cross;
    this.proxy = growF64(this.proxy, cap);
    this.upProxy = growF64(this.upProxy, cap);
    this.free = growI32(this.free, cap);
  }
}

export function growF64(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

export function growI32(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
