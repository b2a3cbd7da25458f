/**
 * IPVS schedulers, one instance per virtual service on one node, ported from the kernel's
 * `net/netfilter/ipvs/ip_vs_{rr,wrr,lc,wlc,sed,nq,sh,dh}.c`. Each node's IPVS knows only the connections
 * it scheduled itself: that is the "no shared state" fact of docs/references.md#ipvs-nftables.
 *
 * Real-server list order. kube-proxy adds the real servers of a virtual service in the order of a Go set
 * (`newEndpoints.UnsortedList()` in `pkg/proxy/ipvs/proxier.go` `syncEndpoint`: random per sync), and the
 * kernel puts each new destination at the head of the list (`__ip_vs_update_dest`, `list_add_rcu`). So the
 * list order, and with it where `rr` starts and how `sh`/`dh` fill their buckets, is a random permutation
 * drawn per virtual service: nodes start their rotations at different pods. The caller passes the list in
 * that order (ipvs-proxy.ts draws it).
 *
 * Connection counts. The kernel counts per destination `activeconns` (ESTABLISHED) and `inactconns`
 * (connections in any other state, above all FIN_WAIT/TIME_WAIT, which IPVS keeps for 2 minutes:
 * `tcp_timeouts` in `ip_vs_proto_tcp.c`, untouched by kube-proxy's default `--ipvs-tcpfin-timeout 0`).
 * `lc` and `wlc` weigh them as `ip_vs_dest_conn_overhead` = `(active << 8) + inactive`; `sed` and `nq`
 * use `active + 1` only (`ip_vs_sed_dest_overhead`, `ip_vs_nq_dest_overhead`). Here a connection the data
 * path closes becomes inactive for `INACTIVE_TIMEOUT` (120 s) and is then forgotten. Destinations are
 * never overloaded (no upper threshold). kube-proxy gives every real server weight 1, which makes wrr
 * behave as rr and wlc as lc; the weighted forms are kept so that they stay correct when weights are given.
 */
import type { Seconds } from '../../engine/time.js';
import type { IpvsScheduler } from '../spec.js';
import { kernelHash32 } from '../hash.js';

/** The scheduler state of one virtual service. Destinations and results are endpoint indices. */
export interface IpvsSchedulerState {
  /** The destination for a new connection from `clientIp` at `now`, or -1 when none has weight. */
  schedule(clientIp: number, now?: Seconds): number;
  opened(endpoint: number): void;
  /** The connection closed at `now`: inactive (TIME_WAIT) until `now + INACTIVE_TIMEOUT`. */
  closed(endpoint: number, now?: Seconds): void;
  /** Connection counters (carried over when kube-proxy rewrites the real-server list). */
  readonly counts: ConnectionCounts;
  /** Active connections per endpoint (the counters' `active`). */
  readonly active: Int32Array;
}

/** IPVS TCP FIN_WAIT / TIME_WAIT timeout: 2 minutes (`tcp_timeouts`, ip_vs_proto_tcp.c). */
export const INACTIVE_TIMEOUT: Seconds = 120;

/** `IP_VS_SH_TAB_BITS` / `IP_VS_DH_TAB_BITS`: 256 hash buckets. */
const HASH_TABLE_BITS = 8;
const HASH_TABLE_SIZE = 1 << HASH_TABLE_BITS;

export interface VirtualService {
  /** Real servers in the kernel's list order (endpoint indices). */
  readonly destinations: Int32Array;
  /** Weight of each endpoint, indexed by endpoint. */
  readonly weights: ArrayLike<number>;
  /** Endpoints of the Service port (sizes the connection counters). */
  readonly endpointCount: number;
  /** The virtual address as a 32-bit number (clusterIP, or the node IP for NodePort): what `dh` hashes. */
  readonly address: number;
}

/**
 * Active and inactive connections per destination of one virtual service. Closed connections wait in a
 * FIFO (they close in time order, so their expiries are in order too) until they leave TIME_WAIT. Typed
 * arrays that double when full: nothing is allocated per connection once grown.
 */
export class ConnectionCounts {
  readonly active: Int32Array;
  readonly inactive: Int32Array;
  private expiry = new Float64Array(16);
  private ep = new Int32Array(16);
  private head = 0;
  private size = 0;

  constructor(endpointCount: number) {
    this.active = new Int32Array(endpointCount);
    this.inactive = new Int32Array(endpointCount);
  }

  opened(endpoint: number): void {
    this.active[endpoint]!++;
  }

  closed(endpoint: number, now: Seconds | undefined): void {
    if (this.active[endpoint]! > 0) this.active[endpoint]!--;
    if (now === undefined) return;
    if (this.size === this.expiry.length) this.grow();
    const i = (this.head + this.size) % this.expiry.length;
    this.expiry[i] = now + INACTIVE_TIMEOUT;
    this.ep[i] = endpoint;
    this.size++;
    this.inactive[endpoint]!++;
  }

  /** Forgets the connections whose TIME_WAIT is over by `now`. */
  expire(now: Seconds): void {
    const cap = this.expiry.length;
    while (this.size > 0 && this.expiry[this.head]! <= now) {
      this.inactive[this.ep[this.head]!]!--;
      this.head = this.head + 1 === cap ? 0 : this.head + 1;
      this.size--;
    }
  }

  private grow(): void {
    const cap = this.expiry.length;
    const expiry = new Float64Array(cap * 2);
    const ep = new Int32Array(cap * 2);
    for (let k = 0; k < this.size; k++) {
      const i = (this.head + k) % cap;
      expiry[k] = this.expiry[i]!;
      ep[k] = this.ep[i]!;
    }
    this.expiry = expiry;
    this.ep = ep;
    this.head = 0;
  }
}

export function createIpvsScheduler(name: IpvsScheduler, vs: VirtualService, counts?: ConnectionCounts): IpvsSchedulerState {
  const c = counts ?? new ConnectionCounts(vs.endpointCount);
  switch (name) {
    case 'rr':
      return new RoundRobin(vs, c);
    case 'wrr':
      return new WeightedRoundRobin(vs, c);
    case 'lc':
    case 'wlc':
    case 'sed':
    case 'nq':
      return new LeastConnection(vs, c, name);
    case 'sh':
      return new SourceHash(vs, c);
    case 'dh':
      return new DestinationHash(vs, c);
  }
}

/** Connection accounting shared by every scheduler (the counters exist whether or not they are used). */
abstract class Counted implements IpvsSchedulerState {
  constructor(
    protected readonly vs: VirtualService,
    readonly counts: ConnectionCounts,
  ) {}

  get active(): Int32Array {
    return this.counts.active;
  }

  abstract schedule(clientIp: number, now?: Seconds): number;

  opened(endpoint: number): void {
    this.counts.opened(endpoint);
  }

  closed(endpoint: number, now?: Seconds): void {
    this.counts.closed(endpoint, now);
  }
}

/**
 * rr (ip_vs_rr.c): the next destination with weight after the last one chosen; the first pick is the
 * first in the list (`sched_data` starts at the list head).
 */
class RoundRobin extends Counted {
  private last = -1;

  /** Continue after endpoint `e` (kube-proxy rewrote the list and `e` is still in it), as the kernel keeps its place. */
  resumeAfter(e: number): void {
    this.last = this.vs.destinations.indexOf(e);
  }

  get lastChosen(): number {
    return this.last < 0 ? -1 : this.vs.destinations[this.last]!;
  }

  schedule(_clientIp: number): number {
    const dests = this.vs.destinations;
    const k = dests.length;
    for (let step = 1; step <= k; step++) {
      const pos = (this.last + step) % k;
      if (this.vs.weights[dests[pos]!]! > 0) {
        this.last = pos;
        return dests[pos]!;
      }
    }
    return -1;
  }
}

/** Whether a scheduler is the kernel's rr (for keeping its place across list rewrites). */
export function roundRobinPosition(s: IpvsSchedulerState): number {
  return s instanceof RoundRobin ? s.lastChosen : -1;
}

export function resumeRoundRobin(s: IpvsSchedulerState, after: number): void {
  if (s instanceof RoundRobin && after >= 0) s.resumeAfter(after);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * wrr (ip_vs_wrr.c): walk the list, taking a destination whose weight is at least the current weight `cw`;
 * at the end of the list lower `cw` by the weights' gcd, and restart from the maximum below zero.
 * Weights (4, 3, 2) give A A B A B C A B C.
 */
class WeightedRoundRobin extends Counted {
  private position = -1;
  private currentWeight: number;
  private readonly maxWeight: number;
  private readonly step: number;

  constructor(vs: VirtualService, counts: ConnectionCounts) {
    super(vs, counts);
    let g = 0;
    let max = 0;
    for (const e of vs.destinations) {
      const w = vs.weights[e]!;
      if (w > 0) g = gcd(g, w);
      max = Math.max(max, w);
    }
    this.step = g > 0 ? g : 1;
    this.maxWeight = max - (this.step - 1);
    this.currentWeight = this.maxWeight;
  }

  schedule(_clientIp: number): number {
    if (this.maxWeight <= 0) return -1;
    const dests = this.vs.destinations;
    for (;;) {
      this.position++;
      if (this.position >= dests.length) {
        this.position = -1;
        this.currentWeight -= this.step;
        if (this.currentWeight <= 0) this.currentWeight = this.maxWeight;
        continue;
      }
      const e = dests[this.position]!;
      if (this.vs.weights[e]! >= this.currentWeight) return e;
    }
  }
}

/**
 * lc, wlc, sed, nq. lc and wlc: overhead = (active << 8) + inactive; sed and nq: active + 1. Pick the
 * destination minimising overhead / weight, the first in list order on ties; nq first takes any
 * destination with no active connection. lc ignores weights except to skip weight 0.
 */
class LeastConnection extends Counted {
  private readonly weighted: boolean;
  private readonly activeOnly: boolean;
  private readonly idleFirst: boolean;

  constructor(vs: VirtualService, counts: ConnectionCounts, name: 'lc' | 'wlc' | 'sed' | 'nq') {
    super(vs, counts);
    this.weighted = name !== 'lc';
    this.activeOnly = name === 'sed' || name === 'nq';
    this.idleFirst = name === 'nq';
  }

  schedule(_clientIp: number, now?: Seconds): number {
    const counts = this.counts;
    if (now !== undefined) counts.expire(now);
    const dests = this.vs.destinations;
    const weights = this.vs.weights;
    let least = -1;
    let leastOverhead = 0;
    let leastWeight = 0;
    for (let i = 0; i < dests.length; i++) {
      const e = dests[i]!;
      const w = weights[e]!;
      if (w <= 0) continue;
      const active = counts.active[e]!;
      if (this.idleFirst && active === 0) return e;
      const overhead = this.activeOnly ? active + 1 : active * 256 + counts.inactive[e]!;
      const better = this.weighted ? leastOverhead * w > overhead * leastWeight : overhead < leastOverhead;
      if (least < 0 || better) {
        least = e;
        leastOverhead = overhead;
        leastWeight = w;
      }
    }
    return least;
  }
}

/**
 * sh (ip_vs_sh.c): 256 buckets filled with the destinations in list order, each repeated `weight` times;
 * a client goes to bucket `hash_32(clientIp, 8)`. Stateless, but the list order is each node's own, so
 * a client maps to the same destination on two nodes only when their lists happen to agree.
 */
function sourceHashTable(vs: VirtualService): Int32Array {
  const table = new Int32Array(HASH_TABLE_SIZE).fill(-1);
  const dests = vs.destinations;
  if (dests.length === 0) return table;
  let p = 0;
  let repeats = 0;
  for (let i = 0; i < HASH_TABLE_SIZE; i++) {
    const e = dests[p]!;
    table[i] = e;
    if (++repeats >= vs.weights[e]!) {
      p = (p + 1) % dests.length;
      repeats = 0;
    }
  }
  return table;
}

/**
 * dh (ip_vs_dh.c): 256 buckets hold the destinations in turn, and the bucket is chosen by the *destination*
 * address, which for a Service is its virtual IP: every connection to one virtual service goes to the same
 * real server, `destinations[hash_32(address, 8) mod n]`. That is what the kernel does.
 */
class DestinationHash extends Counted {
  private readonly chosen: number;

  constructor(vs: VirtualService, counts: ConnectionCounts) {
    super(vs, counts);
    const dests = vs.destinations;
    this.chosen = dests.length === 0 ? -1 : dests[kernelHash32(vs.address, HASH_TABLE_BITS) % dests.length]!;
  }

  schedule(_clientIp: number): number {
    return this.chosen;
  }
}

class SourceHash extends Counted {
  private readonly table: Int32Array;

  constructor(vs: VirtualService, counts: ConnectionCounts) {
    super(vs, counts);
    this.table = sourceHashTable(vs);
  }

  schedule(clientIp: number): number {
    return this.table[kernelHash32(clientIp, HASH_TABLE_BITS)]!;
  }
}
