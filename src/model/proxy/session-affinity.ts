/**
 * `sessionAffinity: ClientIP` state on one node: which endpoint each client address is pinned to, and
 * since when (docs/references.md#session-affinity).
 *
 * iptables keeps one xt_recent list per endpoint (`-m recent --name KUBE-SEP-x`), set by every NEW
 * connection that reaches the endpoint and checked with `--rcheck --seconds T`: a client is pinned while
 * `now - lastSet < T`. Only new connections walk the nat table, so the timer restarts per connection, not
 * per packet. Each list holds at most `ip_list_tot` = 100 addresses; setting a 101st evicts the least
 * recently set one. nftables keeps the same state in per-endpoint dynamic sets (up to 65,535 elements);
 * IPVS in persistence templates with the same timeout and no size limit.
 *
 * Simplification: the table remembers, per client, only the endpoint most recently set for it. The kernel
 * can hold a client fresh in two endpoint lists at once (only if the client's earlier endpoint was not a
 * candidate for a later connection, e.g. NodePort versus clusterIP under different policies); it then
 * prefers the one first in chain order. IPVS templates are treated as expiring T after the last new
 * connection, even while connections they control are still open.
 *
 * Storage is typed arrays only: an open-addressing hash (linear probing, backward-shift deletion) from
 * client to entry, and per endpoint a doubly linked LRU list of entries. Nothing is allocated per call;
 * the arrays double when the number of live clients outgrows them (amortised, bounded by the limit).
 */
import type { Seconds } from '../../engine/time.js';
import { mix32 } from '../hash.js';

/** xt_recent `ip_list_tot` default: addresses remembered per endpoint list. */
export const XT_RECENT_LIST_SIZE = 100;
/** nftables dynamic set default size (kube-proxy's affinity sets do not set one). */
export const NFT_SET_SIZE = 65535;

const NONE = -1;
/** Stale entries removed from an endpoint's list per `record`, so tables shrink after bursts. */
const REAP_PER_RECORD = 2;

export class AffinityTable {
  // Entry pool.
  private client: Float64Array;
  private endpointOf: Int32Array;
  private stamp: Float64Array;
  private prev: Int32Array;
  private next: Int32Array;
  private freeHead = NONE;
  private highWater = 0;
  private live = 0;
  // Per-endpoint LRU lists (head = least recently set).
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly count: Int32Array;
  // Client -> entry hash.
  private slots: Int32Array;
  private mask: number;

  constructor(
    endpointCount: number,
    readonly timeout: Seconds,
    /** Clients remembered per endpoint; the least recently set is evicted beyond it. */
    readonly perEndpointLimit: number,
    initialCapacity = 16,
  ) {
    this.client = new Float64Array(initialCapacity);
    this.endpointOf = new Int32Array(initialCapacity);
    this.stamp = new Float64Array(initialCapacity);
    this.prev = new Int32Array(initialCapacity);
    this.next = new Int32Array(initialCapacity);
    this.head = new Int32Array(endpointCount).fill(NONE);
    this.tail = new Int32Array(endpointCount).fill(NONE);
    this.count = new Int32Array(endpointCount);
    this.slots = new Int32Array(initialCapacity * 2).fill(NONE);
    this.mask = initialCapacity * 2 - 1;
  }

  /** Clients currently remembered (fresh or not yet reaped). */
  get size(): number {
    return this.live;
  }

  /** Clients remembered for one endpoint. */
  clientsOf(endpoint: number): number {
    return this.count[endpoint]!;
  }

  /** The endpoint `client` is pinned to at `now`, or -1. A stale entry found here is removed. */
  lookup(client: number, now: Seconds): number {
    const slot = this.find(client);
    if (slot < 0) return NONE;
    const id = this.slots[slot]!;
    if (now - this.stamp[id]! < this.timeout) return this.endpointOf[id]!;
    this.remove(id);
    return NONE;
  }

  /** A new connection from `client` went to `endpoint` at `now` (`-m recent --set`). */
  record(client: number, endpoint: number, now: Seconds): void {
    let slot = this.find(client);
    let id: number;
    if (slot >= 0) {
      id = this.slots[slot]!;
      this.unlink(id);
    } else {
      if ((this.live + 1) * 2 > this.slots.length) {
        this.rehash(this.slots.length * 2);
        slot = this.find(client);
      }
      id = this.allocate();
      this.client[id] = client;
      this.slots[~slot] = id;
      this.live++;
    }
    this.endpointOf[id] = endpoint;
    this.stamp[id] = now;
    this.linkTail(id);
    if (this.count[endpoint]! > this.perEndpointLimit) this.remove(this.head[endpoint]!);
    for (let k = 0; k < REAP_PER_RECORD; k++) {
      const oldest = this.head[endpoint]!;
      if (oldest === NONE || now - this.stamp[oldest]! < this.timeout) break;
      this.remove(oldest);
    }
  }

  /** Slot holding `client`, or `~slot` of the empty slot where it would go. */
  private find(client: number): number {
    const mask = this.mask;
    let i = mix32(client) & mask;
    for (;;) {
      const id = this.slots[i]!;
      if (id === NONE) return ~i;
      if (this.client[id] === client) return i;
      i = (i + 1) & mask;
    }
  }

  private remove(id: number): void {
    this.unlink(id);
    this.deleteSlot(this.find(this.client[id]!));
    this.next[id] = this.freeHead;
    this.freeHead = id;
    this.live--;
  }

  /** Backward-shift deletion keeps linear probing free of tombstones. */
  private deleteSlot(hole: number): void {
    const mask = this.mask;
    let i = hole;
    this.slots[i] = NONE;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const id = this.slots[j]!;
      if (id === NONE) return;
      const home = mix32(this.client[id]!) & mask;
      // Leave the entry if its home lies cyclically in (i, j]; otherwise it can move into the hole.
      const stays = i <= j ? home > i && home <= j : home > i || home <= j;
      if (!stays) {
        this.slots[i] = id;
        this.slots[j] = NONE;
        i = j;
      }
    }
  }

  private linkTail(id: number): void {
    const ep = this.endpointOf[id]!;
    const last = this.tail[ep]!;
    this.prev[id] = last;
    this.next[id] = NONE;
    if (last === NONE) this.head[ep] = id;
    else this.next[last] = id;
    this.tail[ep] = id;
    this.count[ep]!++;
  }

  private unlink(id: number): void {
    const ep = this.endpointOf[id]!;
    const p = this.prev[id]!;
    const n = this.next[id]!;
    if (p === NONE) this.head[ep] = n;
    else this.next[p] = n;
    if (n === NONE) this.tail[ep] = p;
    else this.prev[n] = p;
    this.count[ep]!--;
  }

  private allocate(): number {
    // Stryker disable next-line BlockStatement: without reuse a new entry comes from the pool's end; only memory differs, never a lookup
    if (this.freeHead !== NONE) {
      const id = this.freeHead;
      this.freeHead = this.next[id]!;
      return id;
    }
    if (this.highWater === this.client.length) this.growPool();
    return this.highWater++;
  }

  private growPool(): void {
    const cap = this.client.length * 2;
    const grow = <T extends Float64Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const bigger = make(cap);
      bigger.set(old);
      return bigger;
    };
    this.client = grow(this.client, (n) => new Float64Array(n));
    this.endpointOf = grow(this.endpointOf, (n) => new Int32Array(n));
    this.stamp = grow(this.stamp, (n) => new Float64Array(n));
    this.prev = grow(this.prev, (n) => new Int32Array(n));
    this.next = grow(this.next, (n) => new Int32Array(n));
  }

  private rehash(size: number): void {
    const old = this.slots;
    this.slots = new Int32Array(size).fill(NONE);
    this.mask = size - 1;
    for (let s = 0; s < old.length; s++) {
      const id = old[s]!;
      if (id !== NONE) this.slots[~this.find(this.client[id]!)] = id;
    }
  }
}
