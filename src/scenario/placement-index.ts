/**
 * The scheduler's pick for a pod without topology spread constraints, found without scoring every node
 * (issue 15, item 7: placement was O(nodes × pods)). It must pick exactly the node the full scan in
 * placement.ts would: the lowest score `[pods of the owner in the node's zone, pods of the owner on the
 * node, untolerated PreferNoSchedule taints, pods on the node]`, ties to the node first in name order, among
 * the nodes the pod fits (selector, affinity, taints: static) whose free CPU and memory hold its requests
 * (dynamic).
 *
 * Nodes a pod may use (its *pool*: the same for every pod with the same selector, affinity and
 * tolerations) sit in a min segment tree, grouped by zone, keyed by `(PreferNoSchedule taints, pods on the
 * node, name rank)` packed into one exact double. A pod's owner has pods on few nodes: the best node where
 * the owner has none is a range minimum with those few nodes masked out; the owner's own nodes are scored
 * one by one. Cost per pod: O((owner's nodes in the pool + nodes too full for it) × log nodes), at most a
 * scan of the pool's zones. The full scan remains for pods with spread constraints.
 */

/** Ranks and pod counts below 2^21 each, taints below 2^10: the packed key stays an exact integer. */
const RANK_SPAN = 2 ** 21;
const PODS_SPAN = 2 ** 21;
const MAX_TAINT_COUNT = 2 ** 10;
/** Pools kept at most: pods with one-off selectors or tolerations use the full scan (no memory per pod). */
const MAX_POOLS = 256;

/** Minimum over ranges of positions, with point updates. */
class MinTree {
  private readonly size: number;
  private readonly v: Float64Array;

  constructor(n: number) {
    let size = 1;
    while (size < n) size *= 2;
    this.size = size;
    this.v = new Float64Array(2 * size).fill(Infinity);
  }

  set(i: number, x: number): void {
    let p = i + this.size;
    this.v[p] = x;
    for (p >>= 1; p >= 1; p >>= 1) this.v[p] = Math.min(this.v[2 * p]!, this.v[2 * p + 1]!);
  }

  /** Minimum over positions [l, r). */
  min(l: number, r: number): number {
    let m = Infinity;
    for (let a = l + this.size, b = r + this.size; a < b; a >>= 1, b >>= 1) {
      if (a & 1) m = Math.min(m, this.v[a++]!);
      if (b & 1) m = Math.min(m, this.v[--b]!);
    }
    return m;
  }
}

interface Pool {
  /** Node indices, grouped by zone (zones in order of their first node by name), name order within. */
  readonly nodes: Int32Array;
  /** Position of each node in `nodes`, -1 when the node is not in the pool. */
  readonly pos: Int32Array;
  readonly zoneNames: readonly string[];
  /** Zone index of each position, and each zone's range of positions. */
  readonly zoneAt: Int32Array;
  readonly zoneStart: Int32Array;
  readonly zoneEnd: Int32Array;
  /** Untolerated PreferNoSchedule taints of the node at each position. */
  readonly prefer: Int32Array;
  readonly tree: MinTree;
  /** How much of the bind log the tree has seen. */
  cursor: number;
}

/** What the placement knows of one owner's pods: per node and per zone. */
export interface OwnerCounts {
  readonly nodes: Map<number, number>;
  readonly zones: Map<string, number>;
}

export interface PoolNode {
  readonly zone: string;
}

export class PlacementIndex {
  private readonly pools = new Map<string, Pool>();
  /** Nodes in the order pods were bound to them (pools catch up lazily). */
  private readonly bindLog: number[] = [];
  private readonly rank: Int32Array;
  /** Whether the packed keys would be exact (else every pod takes the full scan). */
  readonly usable: boolean;

  constructor(
    private readonly nodes: readonly PoolNode[],
    /** Node indices in name order. */
    private readonly order: readonly number[],
    private readonly podsOnNode: ArrayLike<number>,
    podCount: number,
  ) {
    this.rank = new Int32Array(nodes.length);
    order.forEach((n, r) => (this.rank[n] = r));
    this.usable = nodes.length < RANK_SPAN && podCount < PODS_SPAN;
  }

  /** A pod was bound to `node`: its key changes in every pool. */
  bound(node: number): void {
    this.bindLog.push(node);
  }

  /**
   * The pool of pods with this signature, made by `build` (the nodes the pod fits, in name order, with
   * their PreferNoSchedule taint counts) the first time; undefined when too many pools exist already.
   */
  pool(signature: string, build: () => { nodes: readonly number[]; prefer: readonly number[] } | undefined): Pool | undefined {
    const known = this.pools.get(signature);
    if (known !== undefined) return known;
    if (this.pools.size >= MAX_POOLS) return undefined;
    const made = build();
    if (made === undefined || made.prefer.some((p) => p >= MAX_TAINT_COUNT)) return undefined;
    const zoneIndex = new Map<string, number>();
    const byZone: number[][] = [];
    const preferOf = new Map<number, number>();
    made.nodes.forEach((n, k) => {
      preferOf.set(n, made.prefer[k]!);
      const zone = this.nodes[n]!.zone;
      let z = zoneIndex.get(zone);
      if (z === undefined) {
        z = byZone.length;
        zoneIndex.set(zone, z);
        byZone.push([]);
      }
      byZone[z]!.push(n);
    });
    const nodes = Int32Array.from(byZone.flat());
    const pos = new Int32Array(this.nodes.length).fill(-1);
    const zoneAt = new Int32Array(nodes.length);
    const zoneStart = new Int32Array(byZone.length);
    const zoneEnd = new Int32Array(byZone.length);
    let at = 0;
    byZone.forEach((list, z) => {
      zoneStart[z] = at;
      for (const n of list) {
        pos[n] = at;
        zoneAt[at] = z;
        at++;
      }
      zoneEnd[z] = at;
    });
    const prefer = Int32Array.from(nodes, (n) => preferOf.get(n)!);
    const pool: Pool = { nodes, pos, zoneNames: [...zoneIndex.keys()], zoneAt, zoneStart, zoneEnd, prefer, tree: new MinTree(nodes.length), cursor: this.bindLog.length };
    for (let p = 0; p < nodes.length; p++) pool.tree.set(p, this.key(pool, p));
    this.pools.set(signature, pool);
    return pool;
  }

  private key(pool: Pool, p: number): number {
    const n = pool.nodes[p]!;
    return pool.prefer[p]! * (PODS_SPAN * RANK_SPAN) + this.podsOnNode[n]! * RANK_SPAN + this.rank[n]!;
  }

  private nodeOfKey(key: number): number {
    return this.order[key % RANK_SPAN]!;
  }

  private catchUp(pool: Pool): void {
    for (; pool.cursor < this.bindLog.length; pool.cursor++) {
      const p = pool.pos[this.bindLog[pool.cursor]!]!;
      if (p >= 0) pool.tree.set(p, this.key(pool, p));
    }
  }

  /**
   * The smallest key over the position ranges whose node `fits`; positions in `masked` are left out.
   * Returns the key, or Infinity.
   */
  private minOver(pool: Pool, ranges: readonly (readonly [number, number])[], masked: readonly number[], fits: (node: number) => boolean): number {
    const hidden: number[] = [];
    for (const p of masked) {
      pool.tree.set(p, Infinity);
      hidden.push(p);
    }
    let found = Infinity;
    for (;;) {
      let m = Infinity;
      for (const [l, r] of ranges) m = Math.min(m, pool.tree.min(l, r));
      if (m === Infinity) break;
      const node = this.nodeOfKey(m);
      if (fits(node)) {
        found = m;
        break;
      }
      const p = pool.pos[node]!;
      pool.tree.set(p, Infinity);
      hidden.push(p);
    }
    for (const p of hidden) pool.tree.set(p, this.key(pool, p));
    return found;
  }

  /**
   * The node the full scan would pick for a pod of this pool and owner (undefined owner counts: a bare pod,
   * or an owner with no pod yet), or -1 when no node of the pool fits.
   */
  best(pool: Pool, own: OwnerCounts | undefined, fits: (node: number) => boolean): number {
    this.catchUp(pool);
    const zones = pool.zoneNames.length;
    if (own === undefined || own.nodes.size === 0) {
      const m = this.minOver(pool, [[0, pool.nodes.length]], [], fits);
      return m === Infinity ? -1 : this.nodeOfKey(m);
    }
    // The owner's nodes in the pool, by zone.
    const ownByZone: number[][] = Array.from({ length: zones }, () => []);
    for (const n of own.nodes.keys()) {
      const p = pool.pos[n]!;
      if (p >= 0) ownByZone[pool.zoneAt[p]!]!.push(p);
    }
    // Zones in groups of equal owner count, emptiest first: the first group with a fitting node wins.
    const countOf = pool.zoneNames.map((z) => own.zones.get(z) ?? 0);
    const levels = [...new Set(countOf)].sort((a, b) => a - b);
    for (const level of levels) {
      let bestOwn = Infinity;
      let bestKey = Infinity;
      const consider = (ownerPods: number, key: number): void => {
        if (key === Infinity) return;
        if (ownerPods < bestOwn || (ownerPods === bestOwn && key < bestKey)) {
          bestOwn = ownerPods;
          bestKey = key;
        }
      };
      if (level === 0) {
        // The owner has no pod in these zones: every node scores 0 for it.
        const ranges: [number, number][] = [];
        for (let z = 0; z < zones; z++) if (countOf[z] === 0) ranges.push([pool.zoneStart[z]!, pool.zoneEnd[z]!]);
        consider(0, this.minOver(pool, ranges, [], fits));
      } else {
        for (let z = 0; z < zones; z++) {
          if (countOf[z] !== level) continue;
          const start = pool.zoneStart[z]!;
          const end = pool.zoneEnd[z]!;
          const mine = ownByZone[z]!;
          if (mine.length * Math.log2(end - start + 2) >= end - start) {
            // The owner is on much of the zone: scoring every node is cheaper than masking.
            for (let p = start; p < end; p++) {
              const n = pool.nodes[p]!;
              if (fits(n)) consider(own.nodes.get(n) ?? 0, this.key(pool, p));
            }
            continue;
          }
          consider(0, this.minOver(pool, [[start, end]], mine, fits));
          for (const p of mine) {
            const n = pool.nodes[p]!;
            if (fits(n)) consider(own.nodes.get(n)!, this.key(pool, p));
          }
        }
      }
      if (bestKey !== Infinity) return this.nodeOfKey(bestKey);
    }
    return -1;
  }
}
