/**
 * Kong (the gateway the Kong Ingress Controller configures): an Upstream per Service with its targets (the
 * endpoints, weight 100 each unless weighted by hand: `netsim/weight` stands for that) and an algorithm
 * (a KongUpstreamPolicy; default round-robin). Every worker process builds its own balancer in its Lua VM,
 * so all state below is per (controller pod, worker). Ported from `kong/runloop/balancer/*.lua`:
 *
 * - round-robin (`round_robin.lua`): a wheel with weight/gcd points per target, shuffled (`wheel_shuffle`),
 *   walked by a pointer. A retry takes the next point.
 * - least-connections (`least_connections.lua`): a binary min-heap (`binaryheap.minUnique`) keyed by
 *   (connections + 1) / weight; the root is taken and its count raised, a finished try lowers it. Ties are
 *   whatever the heap's strict comparisons leave at the root. A retry skips the address that failed.
 * - latency (`latency.lua`): peak EWMA of connect + response time (τ = 10 s) per target, divided by its
 *   weight; new targets start at the average EWMA (0 at first) touched at creation. Released versions grow
 *   the "two choices" to every candidate (Kong/kong#14961), so the pick is the lowest score of all, the first
 *   in iteration order on ties. A retry skips the address that failed.
 * - consistent-hashing (`consistent_hashing.lua`): a continuum of `slots` (10,000) positions, 160 per target
 *   of equal weight, targets sorted by address, a collision moving to the next entry; a key's position
 *   walks down to the first target. A retry keeps the hash: the same target again. `hash_on`: none
 *   (round-robin), ip, header/cookie/consumer (the request's session: a cookie Kong creates when absent is a
 *   sticky session), path (the URI). With a KongUpstreamPolicy (`kongClassKey`) the key is the request
 *   class's: `hashOn` header / cookie / queryArg read the class's value; an absent header or query argument
 *   falls back to `hashOnFallback`; an absent cookie is the one Kong sets (the session); with nothing to
 *   hash, every such request shares one key (`get_continuum_index` hashes `tostring(value)`).
 * - sticky-sessions (Kong Gateway 3.11, KongUpstreamPolicy `algorithm: sticky-sessions`): a session's
 *   first request takes the round-robin wheel's next target and Kong's cookie pins the session to it; a
 *   retry after a failure takes the wheel's next target other than the failed one and re-pins the session.
 *   (Kong's sticky-sessions source was not available to check; this follows its documentation: "if the
 *   cookie is present and valid, Kong routes the client to the same target", else the balancer chooses.)
 *
 * Simplifications: hashes are this model's (FNV-1a + MurmurHash3's finaliser), not xxhash32; only the last
 * failed endpoint of a request is known; passive health checks (off by default in Kong) are not modelled.
 */
import type { Rng } from '../../engine/random.js';
import type { Seconds } from '../../engine/time.js';
import { fnv1a32, mix32 } from '../hash.js';
import { cookieValue, headerValue, queryValue, type HttpRequestClass } from '../http/request.js';
import type { KongHashInput, KongUpstreamPolicySpec } from '../spec.js';
import { Affinity, HashBy, decayed, hashKey, updated, type BalancerConfig, type UpstreamBalancer } from './balancer.js';

/** Kong's default `slots` for an upstream's consistent-hashing continuum. */
export const KONG_SLOTS = 10000;
/** `SERVER_POINTS`: continuum entries per target when all targets have the same weight. */
const SERVER_POINTS = 160;

const enum Algo {
  RoundRobin,
  LeastConnections,
  Latency,
  ConsistentHashing,
  StickySessions,
}

/** What a hash input reads from a request class: a value, the source address, the session, or nothing. */
function readInput(input: KongHashInput, r: HttpRequestClass): { mode: number; value: string | null } {
  switch (input.kind) {
    case 'ip':
      return { mode: HashBy.RemoteAddr, value: null };
    case 'consumer':
      return { mode: HashBy.Session, value: null };
    case 'path':
      return { mode: HashBy.Uri, value: r.path };
    case 'header': {
      const v = headerValue(r, input.name);
      return { mode: v === undefined ? HashBy.None : HashBy.Uri, value: v ?? null };
    }
    case 'cookie': {
      // Absent, Kong sets it (a fresh UUID) on the response: the user's session from then on.
      const v = cookieValue(r, input.name);
      return v === undefined ? { mode: HashBy.Session, value: null } : { mode: HashBy.Uri, value: v };
    }
    case 'query': {
      const v = queryValue(r, input.name);
      return { mode: v === undefined ? HashBy.None : HashBy.Uri, value: v ?? null };
    }
  }
}

/**
 * The consistent-hashing key of a request class under a KongUpstreamPolicy: `mode` says what the balancer
 * hashes (HashBy.Uri: `hash`, the class's value; RemoteAddr; Session). Set-up only.
 */
export function kongClassKey(policy: KongUpstreamPolicySpec, r: HttpRequestClass): { mode: number; hash: number } {
  let got = policy.hashOn === null ? { mode: HashBy.None, value: null } : readInput(policy.hashOn, r);
  if (got.mode === HashBy.None && policy.hashOnFallback !== null) got = readInput(policy.hashOnFallback, r);
  // Nothing to hash: one key for all of them (Kong hashes tostring(nil)).
  if (got.mode === HashBy.None) return { mode: HashBy.Uri, hash: mix32(fnv1a32('nil')) };
  return { mode: got.mode, hash: got.value === null ? 0 : mix32(fnv1a32(got.value)) };
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

export class KongBalancer implements UpstreamBalancer {
  readonly n: number;
  private readonly algo: Algo;
  private readonly workers: number;
  private readonly weights: Float64Array;
  private readonly hashBy: number;
  // round-robin
  private readonly wheelSize: number;
  private readonly wheel: Int32Array;
  private readonly pointer: Int32Array;
  // least-connections: per (controller, worker) a heap of endpoints, each one's position and count.
  private readonly heap: Int32Array;
  private readonly pos: Int32Array;
  private readonly count: Int32Array;
  // latency
  private readonly ewma: Float64Array;
  private readonly touched: Float64Array;
  // consistent-hashing
  private readonly slots: number;
  private readonly continuum: Int32Array;
  // sticky-sessions: the target each session's cookie names (−1: no cookie yet).
  private readonly pinned: Int32Array;
  /** The worker of the last pick (the data path sends right after picking). */
  private lastWorker = 0;

  constructor(c: BalancerConfig) {
    const n = (this.n = c.ids.length);
    this.workers = c.workers;
    this.weights = Float64Array.from(c.weights);
    this.hashBy = c.hashBy;
    this.algo =
      c.hashBy !== HashBy.None
        ? Algo.ConsistentHashing
        : c.affinity === Affinity.Persistent
          ? Algo.StickySessions
          : c.algorithm === 'least_conn' ? Algo.LeastConnections : c.algorithm === 'latency' ? Algo.Latency : Algo.RoundRobin;
    this.slots = c.slots ?? KONG_SLOTS;
    this.pinned = new Int32Array(this.algo === Algo.StickySessions ? c.sessions : 0).fill(-1);
    const wheeled = this.algo === Algo.RoundRobin || this.algo === Algo.StickySessions;
    const slots = c.controllers * c.workers;

    // round-robin: weight/gcd points per target, shuffled per worker.
    let g = 0;
    for (const w of c.weights) g = gcd(g, Math.round(w * 100));
    const points = n === 0 ? [] : c.weights.map((w) => Math.round((w * 100) / g));
    this.wheelSize = points.reduce((a, b) => a + b, 0);
    this.wheel = new Int32Array(wheeled ? slots * this.wheelSize : 0);
    this.pointer = new Int32Array(slots);
    if (wheeled && n > 0) {
      for (let k = 0; k < c.controllers; k++) {
        const rng = c.rngs[k]!;
        for (let w = 0; w < c.workers; w++) {
          const base = (k * c.workers + w) * this.wheelSize;
          let i = 0;
          points.forEach((p, e) => {
            for (let j = 0; j < p; j++) this.wheel[base + i++] = e;
          });
          for (let a = this.wheelSize - 1; a > 0; a--) {
            const b = Math.floor(rng() * (a + 1));
            const t = this.wheel[base + a]!;
            this.wheel[base + a] = this.wheel[base + b]!;
            this.wheel[base + b] = t;
          }
        }
      }
    }

    // least-connections: heaps built by inserting the targets in order (all at 1 / weight).
    const lc = this.algo === Algo.LeastConnections;
    this.heap = new Int32Array(lc ? slots * n : 0);
    this.pos = new Int32Array(lc ? slots * n : 0);
    this.count = new Int32Array(lc ? slots * n : 0);
    if (lc) {
      for (let s = 0; s < slots; s++) {
        for (let e = 0; e < n; e++) {
          this.heap[s * n + e] = e;
          this.pos[s * n + e] = e;
        }
        for (let e = 0; e < n; e++) this.bubbleUp(s, this.pos[s * n + e]!, n);
      }
    }

    // latency: EWMA 0, touched at creation (the slow-start average of no data).
    this.ewma = new Float64Array(this.algo === Algo.Latency ? slots * n : 0);
    this.touched = new Float64Array(this.ewma.length);

    // consistent-hashing continuum.
    const S = this.slots;
    this.continuum = new Int32Array(this.algo === Algo.ConsistentHashing ? S : 0).fill(-1);
    if (this.algo === Algo.ConsistentHashing && n > 0) {
      const total = c.weights.reduce((a, b) => a + b, 0);
      const order = c.ids.map((id, e) => ({ id, e })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (const { id, e } of order) {
        let entries = Math.floor((c.weights[e]! / total) * n * SERVER_POINTS);
        if (entries === 0) entries = 1;
        for (let i = 1; i <= entries && i <= S; i++) {
          const index = mix32(fnv1a32(`${id} ${i}`)) % S;
          if (this.continuum[index]! < 0) this.continuum[index] = e;
          else entries++; // "move the problem forward"
        }
      }
    }
  }

  pick(k: number, w: number, _rng: Rng, now: Seconds, avoid: number, uriHash: number, remoteAddr: number, session: number, classMode = 0): number {
    const n = this.n;
    if (n === 0) return -1;
    this.lastWorker = w;
    const s = k * this.workers + w;
    switch (this.algo) {
      case Algo.RoundRobin: {
        if (this.wheelSize === 0) return -1;
        const p = (this.pointer[s] = (this.pointer[s]! + 1) % this.wheelSize);
        return this.wheel[s * this.wheelSize + p]!;
      }
      case Algo.LeastConnections: {
        const root = this.heap[s * n]!;
        if (root !== avoid || n === 1) return root;
        // Skip the address that failed: the smaller of the root's children.
        const l = 1 < n ? this.heap[s * n + 1]! : -1;
        const r = 2 < n ? this.heap[s * n + 2]! : -1;
        if (r >= 0 && this.value(s, r) < this.value(s, l)) return r;
        return l;
      }
      case Algo.Latency: {
        let best = -1;
        let bestScore = Infinity;
        for (let e = 0; e < n; e++) {
          if (e === avoid && n > 1) continue;
          const i = s * n + e;
          const score = decayed(this.ewma[i]!, this.touched[i]!, now) / this.weights[e]!;
          if (score < bestScore) {
            bestScore = score;
            best = e;
          }
        }
        return best;
      }
      case Algo.ConsistentHashing: {
        const S = this.slots;
        let index = hashKey(this.hashBy === HashBy.Class ? classMode : this.hashBy, uriHash, remoteAddr, session) % S;
        for (let step = 0; step < S; step++) {
          const e = this.continuum[index]!;
          if (e >= 0) return e;
          index = index === 0 ? S - 1 : index - 1;
        }
        return -1;
      }
      case Algo.StickySessions: {
        const t = this.pinned[session]!;
        if (t >= 0 && (t !== avoid || n === 1)) return t;
        if (this.wheelSize === 0) return -1;
        let e: number;
        do {
          const p = (this.pointer[s] = (this.pointer[s]! + 1) % this.wheelSize);
          e = this.wheel[s * this.wheelSize + p]!;
        } while (e === avoid && n > 1);
        return (this.pinned[session] = e);
      }
    }
  }

  sent(k: number, e: number, w?: number): void {
    if (this.algo !== Algo.LeastConnections) return;
    this.adjust(k * this.workers + (w ?? this.lastWorker), e, 1);
  }

  done(k: number, e: number, now: Seconds, rtt: Seconds, w?: number): void {
    const s = k * this.workers + (w ?? this.lastWorker);
    if (this.algo === Algo.LeastConnections) this.adjust(s, e, -1);
    else if (this.algo === Algo.Latency && rtt >= 0) {
      const i = s * this.n + e;
      this.ewma[i] = updated(this.ewma[i]!, this.touched[i]!, rtt, now);
      this.touched[i] = now;
    }
  }

  // ---------------------------------------------------------------- binary heap (binaryheap.lua minUnique)

  private value(s: number, e: number): number {
    return (this.count[s * this.n + e]! + 1) / this.weights[e]!;
  }

  /** `updateConnectionCount`: change the count, then `heap:update` (bubble up if it fell, else sink down). */
  private adjust(s: number, e: number, delta: number): void {
    const n = this.n;
    const i = s * n + e;
    if (delta < 0 && this.count[i]! === 0) return;
    this.count[i]! += delta;
    const p = this.pos[i]!;
    if (delta < 0) this.bubbleUp(s, p, n);
    else this.sinkDown(s, p, n);
  }

  private swap(s: number, a: number, b: number, n: number): void {
    const ea = this.heap[s * n + a]!;
    const eb = this.heap[s * n + b]!;
    this.heap[s * n + a] = eb;
    this.heap[s * n + b] = ea;
    this.pos[s * n + eb] = a;
    this.pos[s * n + ea] = b;
  }

  private bubbleUp(s: number, p: number, n: number): void {
    while (p > 0) {
      const parent = (p - 1) >> 1;
      if (!(this.value(s, this.heap[s * n + p]!) < this.value(s, this.heap[s * n + parent]!))) break;
      this.swap(s, p, parent, n);
      p = parent;
    }
  }

  private sinkDown(s: number, p: number, n: number): void {
    for (;;) {
      const l = 2 * p + 1;
      if (l >= n) return;
      const r = l + 1;
      const c = r < n && this.value(s, this.heap[s * n + r]!) < this.value(s, this.heap[s * n + l]!) ? r : l;
      if (!(this.value(s, this.heap[s * n + c]!) < this.value(s, this.heap[s * n + p]!))) return;
      this.swap(s, p, c, n);
      p = c;
    }
  }
}
