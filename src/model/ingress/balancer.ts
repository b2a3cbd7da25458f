/**
 * How an ingress controller picks the upstream endpoint of each request (ingress-nginx's Lua balancer,
 * `rootfs/etc/nginx/lua/balancer*.lua`, and nginx's own algorithms). Per request, not per connection: that
 * is the difference from kube-proxy. Precedence as in ingress-nginx: cookie affinity, then
 * `upstream-hash-by`, then `load-balance`.
 *
 * - round_robin: smooth weighted round robin (lua-resty-balancer `roundrobin`, nginx's algorithm), one
 *   state per worker process (each worker has its own Lua VM), each started at a random point. Workers
 *   interleave, so the rotation seen across the controller is imprecise (KUBERNETES.md §7). Weights are
 *   the pods' `netsim/weight` (1 by default), so this is also the weighted round robin.
 * - ewma: two distinct endpoints drawn at random, the one with the lower EWMA of upstream response time
 *   kept. The EWMA decays with τ = 10 s: on every read it is ewma·e^(−Δt/τ) (so an endpoint left alone
 *   looks better and better), and a response of time r updates it to ewma·w + r·(1 − w), w = e^(−Δt/τ).
 *   Kept in shared memory: one per controller pod and endpoint, shared by its workers.
 * - least_conn (nginx `least_conn`): fewest requests in flight from this controller pod, weighted; ties go
 *   round-robin from the last pick.
 * - random_two (nginx `random two least_conn`): two distinct endpoints at random, the one with fewer
 *   requests in flight from this controller pod (ties: the first drawn).
 * - upstream-hash-by: consistent hashing (resty.chash, ketama-like): 160 points per endpoint on a 32-bit
 *   ring, the key's hash mapped to the next point clockwise. Keys: the request URI (the path as the
 *   client's mix names it), the client address (`$remote_addr`: the source the controller sees, the node
 *   after SNAT), or anything else (a header, a cookie) as the request's session.
 * - affinity cookie: `balanced` hashes the session's cookie on the same kind of ring (remaps about (n−c)/n
 *   of the sessions when the pods change from c to n); `persistent` remembers the endpoint each session got
 *   first (by the worker's round robin) and never moves it.
 *
 * A retry (`proxy-next-upstream`) picks again with the same algorithm; when that gives the endpoint that
 * just failed, the next one in list order is taken instead (hash-based picks would otherwise retry the
 * same pod).
 */
import type { Rng } from '../../engine/random.js';
import type { Seconds } from '../../engine/time.js';
import { fnv1a32, mix32 } from '../hash.js';
import type { IngressAlgorithm } from '../spec.js';

export const EWMA_DECAY: Seconds = 10;
export const CHASH_POINTS = 160;

export const Algo = { RoundRobin: 0, Ewma: 1, LeastConn: 2, RandomTwo: 3 } as const;
export const HashBy = { None: 0, Uri: 1, RemoteAddr: 2, Session: 3 } as const;
export const Affinity = { None: 0, Balanced: 1, Persistent: 2 } as const;

export function algorithmCode(a: IngressAlgorithm): number {
  switch (a) {
    case 'round_robin':
      return Algo.RoundRobin;
    case 'ewma':
      return Algo.Ewma;
    case 'least_conn':
      return Algo.LeastConn;
    case 'random_two':
      return Algo.RandomTwo;
  }
}

/** A 32-bit consistent-hash ring over endpoints identified by `ids`. */
export class HashRing {
  readonly points: Uint32Array;
  readonly owners: Int32Array;

  constructor(ids: readonly string[], pointsPerEndpoint = CHASH_POINTS) {
    const pts: { h: number; e: number }[] = [];
    ids.forEach((id, e) => {
      for (let j = 0; j < pointsPerEndpoint; j++) pts.push({ h: mix32(fnv1a32(`${id}\u0000${j}`)), e });
    });
    pts.sort((a, b) => a.h - b.h || a.e - b.e);
    this.points = Uint32Array.from(pts, (p) => p.h);
    this.owners = Int32Array.from(pts, (p) => p.e);
  }

  /** The endpoint owning the first point at or after `hash` (wrapping). */
  find(hash: number): number {
    const pts = this.points;
    const h = hash >>> 0;
    let lo = 0;
    let hi = pts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pts[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    return this.owners[lo === pts.length ? 0 : lo]!;
  }
}

/** Balancing configuration and state of one upstream (Ingress backend) across every controller pod. */
export class UpstreamBalancer {
  readonly n: number;
  private readonly weights: Float64Array;
  private readonly totalWeight: number;
  /** Smooth WRR current weights per (controller, worker, endpoint). */
  private readonly current: Float64Array;
  /** Requests in flight per (controller, endpoint). */
  readonly inFlight: Int32Array;
  private readonly ewma: Float64Array;
  private readonly touched: Float64Array;
  private readonly lcCursor: Int32Array;
  private readonly ring: HashRing | null;
  private readonly sticky: Int32Array;

  constructor(
    /** Endpoint ids (pod IP:port) for hashing, and weights. */
    ids: readonly string[],
    weights: readonly number[],
    readonly algorithm: number,
    readonly hashBy: number,
    readonly affinity: number,
    controllers: number,
    private readonly workers: number,
    /** Sessions known across all clients (persistent affinity table size). */
    sessions: number,
    /** One stream per controller (random starts, random draws). */
    rngs: readonly Rng[],
  ) {
    const n = (this.n = ids.length);
    this.weights = Float64Array.from(weights);
    this.totalWeight = weights.reduce((a, b) => a + b, 0);
    this.current = new Float64Array(controllers * workers * n);
    this.inFlight = new Int32Array(controllers * n);
    this.ewma = new Float64Array(controllers * n);
    this.touched = new Float64Array(controllers * n);
    this.lcCursor = new Int32Array(controllers).fill(-1);
    this.ring = (hashBy !== HashBy.None || affinity === Affinity.Balanced) && n > 0 ? new HashRing(ids) : null;
    this.sticky = new Int32Array(affinity === Affinity.Persistent ? sessions : 0).fill(-1);
    // lua-resty-balancer's roundrobin starts each instance (each worker) at a random point.
    if (n > 0) {
      for (let k = 0; k < controllers; k++) {
        const rng = rngs[k]!;
        for (let w = 0; w < workers; w++) {
          const skips = 1 + Math.floor(rng() * n);
          for (let i = 0; i < skips; i++) this.roundRobin(k, w);
        }
      }
    }
  }

  /**
   * The endpoint for a request at controller `k`, worker `w`; −1 when there is none. `avoid`: the endpoint
   * of the try that just failed (−1 on a first try). `uriHash`, `remoteAddr` and `session` are the
   * request's hashing keys.
   */
  pick(k: number, w: number, rng: Rng, now: Seconds, avoid: number, uriHash: number, remoteAddr: number, session: number): number {
    const n = this.n;
    if (n === 0) return -1;
    let e: number;
    if (this.affinity === Affinity.Balanced) e = this.ring!.find(mixSession(session));
    else if (this.affinity === Affinity.Persistent) {
      e = this.sticky[session]!;
      if (e < 0) this.sticky[session] = e = this.roundRobin(k, w);
    } else if (this.hashBy === HashBy.Uri) e = this.ring!.find(uriHash);
    else if (this.hashBy === HashBy.RemoteAddr) e = this.ring!.find(mixSession(remoteAddr ^ 0x5bd1e995));
    else if (this.hashBy === HashBy.Session) e = this.ring!.find(mixSession(session));
    else {
      switch (this.algorithm) {
        case Algo.RoundRobin:
          e = this.roundRobin(k, w);
          break;
        case Algo.Ewma:
          e = this.twoChoices(k, rng, now, true);
          break;
        case Algo.LeastConn:
          e = this.leastConn(k);
          break;
        default:
          e = this.twoChoices(k, rng, now, false);
      }
    }
    if (e === avoid && n > 1) e = e + 1 === n ? 0 : e + 1;
    return e;
  }

  /** A request was sent to `e` from controller `k`. */
  sent(k: number, e: number): void {
    this.inFlight[k * this.n + e]!++;
  }

  /** Its response (or refusal) came back after `rtt` seconds; `rtt` < 0: no response time to learn from. */
  done(k: number, e: number, now: Seconds, rtt: Seconds): void {
    const i = k * this.n + e;
    this.inFlight[i]!--;
    if (rtt >= 0 && this.algorithm === Algo.Ewma) {
      const w = Math.exp(-Math.max(0, now - this.touched[i]!) / EWMA_DECAY);
      this.ewma[i] = this.ewma[i]! * w + rtt * (1 - w);
      this.touched[i] = now;
    }
  }

  private roundRobin(k: number, w: number): number {
    const n = this.n;
    const base = (k * this.workers + w) * n;
    const cur = this.current;
    let best = 0;
    let bestValue = -Infinity;
    for (let e = 0; e < n; e++) {
      const v = (cur[base + e] = cur[base + e]! + this.weights[e]!);
      if (v > bestValue) {
        bestValue = v;
        best = e;
      }
    }
    cur[base + best] = cur[base + best]! - this.totalWeight;
    return best;
  }

  private leastConn(k: number): number {
    const n = this.n;
    const base = k * n;
    const start = this.lcCursor[k]! + 1;
    let best = -1;
    let bestValue = Infinity;
    for (let i = 0; i < n; i++) {
      let e = start + i;
      if (e >= n) e -= n;
      const v = this.inFlight[base + e]! / this.weights[e]!;
      if (v < bestValue) {
        bestValue = v;
        best = e;
      }
    }
    this.lcCursor[k] = best;
    return best;
  }

  /** Two distinct endpoints at random; the lower score wins (EWMA, or requests in flight); ties: the first. */
  private twoChoices(k: number, rng: Rng, now: Seconds, byEwma: boolean): number {
    const n = this.n;
    if (n === 1) return 0;
    const a = Math.floor(rng() * n);
    let b = Math.floor(rng() * (n - 1));
    if (b >= a) b++;
    const base = k * n;
    if (byEwma) {
      const sa = this.ewma[base + a]! * Math.exp(-Math.max(0, now - this.touched[base + a]!) / EWMA_DECAY);
      const sb = this.ewma[base + b]! * Math.exp(-Math.max(0, now - this.touched[base + b]!) / EWMA_DECAY);
      return sb < sa ? b : a;
    }
    return this.inFlight[base + b]! < this.inFlight[base + a]! ? b : a;
  }
}

/** A well-spread 32-bit hash of a small integer key (MurmurHash3's finaliser). */
export function mixSession(key: number): number {
  return mix32(Math.imul(key + 1, 0x9e3779b1) ^ 0x2545f491);
}
