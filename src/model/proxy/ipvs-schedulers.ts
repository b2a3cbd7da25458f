/**
 * IPVS schedulers, one instance per virtual service on one node, ported from the kernel's
 * `net/netfilter/ipvs/ip_vs_{rr,wrr,lc,wlc,sed,nq,sh,dh}.c`. Each node's IPVS knows only the connections
 * it scheduled itself: that is the "no shared state" fact of KUBERNETES.md §2.
 *
 * Connection counts are active connections as the data path reports them (opened - closed). The kernel's
 * least-connection overhead is `active x 256 + inactive`; inactive (FIN_WAIT/TIME_WAIT) connections are
 * not modelled, so it is proportional to `active`. Destinations are never overloaded (no upper threshold).
 * kube-proxy gives every real server weight 1, which makes wrr behave as rr and wlc/sed as lc; the
 * weighted forms are kept so that they stay correct when weights are given.
 */
import type { IpvsScheduler } from '../spec.js';
import { kernelHash32 } from '../hash.js';

/** The scheduler state of one virtual service. Destinations and results are endpoint indices. */
export interface IpvsSchedulerState {
  /** The destination for a new connection from `clientIp`, or -1 when none has weight. */
  schedule(clientIp: number): number;
  opened(endpoint: number): void;
  closed(endpoint: number): void;
  /** Active connections per endpoint (carried over when kube-proxy rewrites the real-server list). */
  readonly active: Int32Array;
}

/** `IP_VS_SH_TAB_BITS` / `IP_VS_DH_TAB_BITS`: 256 hash buckets. */
const HASH_TABLE_BITS = 8;
const HASH_TABLE_SIZE = 1 << HASH_TABLE_BITS;

export interface VirtualService {
  /** Real servers in list order (endpoint indices). */
  readonly destinations: Int32Array;
  /** Weight of each endpoint, indexed by endpoint. */
  readonly weights: ArrayLike<number>;
  /** Endpoints of the Service port (sizes the connection counters). */
  readonly endpointCount: number;
  /** The virtual address as a 32-bit number (clusterIP, or the node IP for NodePort): what `dh` hashes. */
  readonly address: number;
}

export function createIpvsScheduler(name: IpvsScheduler, vs: VirtualService): IpvsSchedulerState {
  switch (name) {
    case 'rr':
      return new RoundRobin(vs);
    case 'wrr':
      return new WeightedRoundRobin(vs);
    case 'lc':
    case 'wlc':
    case 'sed':
    case 'nq':
      return new LeastConnection(vs, name);
    case 'sh':
      return new SourceHash(vs);
    case 'dh':
      return new DestinationHash(vs);
  }
}

/** Connection accounting shared by every scheduler (the counters exist whether or not they are used). */
abstract class Counted implements IpvsSchedulerState {
  readonly active: Int32Array;

  constructor(protected readonly vs: VirtualService) {
    this.active = new Int32Array(vs.endpointCount);
  }

  abstract schedule(clientIp: number): number;

  opened(endpoint: number): void {
    this.active[endpoint]!++;
  }

  closed(endpoint: number): void {
    if (this.active[endpoint]! > 0) this.active[endpoint]!--;
  }
}

/** rr: the next destination with weight after the last one chosen; the first pick is the first in the list. */
class RoundRobin extends Counted {
  private last = -1;

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

  constructor(vs: VirtualService) {
    super(vs);
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
 * lc, wlc, sed, nq. With `overhead(d)` = active (lc, wlc) or active + 1 (sed, nq), pick the destination
 * minimising overhead / weight, the first in list order on ties; nq first takes any idle destination.
 * lc ignores weights except to skip weight 0.
 */
class LeastConnection extends Counted {
  private readonly weighted: boolean;
  private readonly plusOne: number;
  private readonly idleFirst: boolean;

  constructor(vs: VirtualService, name: 'lc' | 'wlc' | 'sed' | 'nq') {
    super(vs);
    this.weighted = name !== 'lc';
    this.plusOne = name === 'sed' || name === 'nq' ? 1 : 0;
    this.idleFirst = name === 'nq';
  }

  schedule(_clientIp: number): number {
    const dests = this.vs.destinations;
    const weights = this.vs.weights;
    let least = -1;
    let leastOverhead = 0;
    let leastWeight = 0;
    for (let i = 0; i < dests.length; i++) {
      const e = dests[i]!;
      const w = weights[e]!;
      if (w <= 0) continue;
      const active = this.active[e]!;
      if (this.idleFirst && active === 0) return e;
      const overhead = active + this.plusOne;
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
 * a client goes to bucket `hash_32(clientIp, 8)`. Stateless: the same client maps to the same destination
 * on every node that has the same destination list.
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

  constructor(vs: VirtualService) {
    super(vs);
    const dests = vs.destinations;
    this.chosen = dests.length === 0 ? -1 : dests[kernelHash32(vs.address, HASH_TABLE_BITS) % dests.length]!;
  }

  schedule(_clientIp: number): number {
    return this.chosen;
  }
}

class SourceHash extends Counted {
  private readonly table: Int32Array;

  constructor(vs: VirtualService) {
    super(vs);
    this.table = sourceHashTable(vs);
  }

  schedule(clientIp: number): number {
    return this.table[kernelHash32(clientIp, HASH_TABLE_BITS)]!;
  }
}
