/**
 * How an ingress controller picks the upstream endpoint of each request: what the three controllers share.
 * Per request, not per connection: that is the difference from kube-proxy. Each controller's own balancing
 * lives in its own file, a port of its code:
 *
 * - `ingress-nginx.ts`: kubernetes/ingress-nginx's Lua balancer (`rootfs/etc/nginx/lua/balancer.lua` and
 *   `balancer/*.lua`): round_robin, ewma, chash, sticky_balanced, sticky_persistent. Nothing else exists
 *   there: any other `load-balance` value falls back to round_robin (`get_implementation`).
 * - `nginx-inc.ts`: the NGINX Ingress Controller (nginxinc/kubernetes-ingress), which writes nginx's own
 *   upstream methods (`nginx.org/lb-method`): round_robin, least_conn, ip_hash, hash [consistent], random,
 *   random two [least_conn], and NGINX Plus's least_time.
 * - `kong.ts`: Kong (`kong/runloop/balancer/*.lua`): round-robin, least-connections, latency,
 *   consistent-hashing (sticky sessions are consistent hashing on a cookie).
 *
 * The data path calls `pick` once per try, `sent` when the try leaves, `done` when its answer (or refusal)
 * is back. Nothing here allocates per request.
 */
import type { Rng } from '../../engine/random.js';
import type { Seconds } from '../../engine/time.js';
import { fnv1a32, mix32 } from '../hash.js';
import type { IngressAlgorithm } from '../spec.js';

/** The balancer of one upstream (Ingress backend) across every controller pod. */
export interface UpstreamBalancer {
  /**
   * The endpoint for a try at controller `k`, worker `w`; −1 when there is none. `avoid`: the endpoint of
   * the try that just failed (−1 on a first try). `uriHash`, `remoteAddr` and `session` are the request's
   * hashing keys (`remoteAddr` ≥ `NODE_ADDRESS` names a node: the source after SNAT). `classMode`: for a
   * `HashBy.Class` upstream, which of them the request's class hashes (`uriHash` then holds its value).
   */
  pick(k: number, w: number, rng: Rng, now: Seconds, avoid: number, uriHash: number, remoteAddr: number, session: number, classMode?: number): number;
  /** A try was sent to `e` from controller `k`, worker `w`. */
  sent(k: number, e: number, w?: number): void;
  /** Its response (or refusal) came back after `rtt` seconds; `rtt` < 0: refused (an error for proxy_next_upstream). */
  done(k: number, e: number, now: Seconds, rtt: Seconds, w?: number): void;
}

/** `remoteAddr` values from here on are `NODE_ADDRESS + node index` (the node's IP after SNAT). */
export const NODE_ADDRESS = 0x40000000;

export const EWMA_DECAY: Seconds = 10;
/** resty.chash / nginx `hash ... consistent` / Kong: 160 points per endpoint of weight 1. */
export const CHASH_POINTS = 160;

/** What a consistent hash reads. `Class`: resolved per request class at set-up (Kong's KongUpstreamPolicy). */
export const HashBy = { None: 0, Uri: 1, RemoteAddr: 2, Session: 3, Class: 4 } as const;
export const Affinity = { None: 0, Balanced: 1, Persistent: 2 } as const;

/** What every controller's balancer is built from. */
export interface BalancerConfig {
  /** Endpoint ids (pod IP:port) for hashing, in endpoint order. */
  readonly ids: readonly string[];
  /** Weights (Kong target weights; ingress-nginx and the NGINX Ingress Controller write 1 for every endpoint). */
  readonly weights: readonly number[];
  readonly algorithm: IngressAlgorithm;
  readonly hashBy: number;
  /** nginx `hash $key consistent` (NGINX Ingress Controller); the others always hash consistently. */
  readonly hashConsistent: boolean;
  readonly affinity: number;
  readonly controllers: number;
  readonly workers: number;
  /** Sessions known across all clients (affinity tables). */
  readonly sessions: number;
  /** One stream per controller pod (random starts, random draws). */
  readonly rngs: readonly Rng[];
  /** The /24 network of each node's IP (nginx ip_hash hashes the first three octets). */
  readonly nodeNet24: Int32Array;
  /** NGINX Ingress Controller passive health: `max-fails` (0: off) and `fail-timeout`. */
  readonly maxFails: number;
  readonly failTimeout: Seconds;
  /** Kong: the consistent-hashing continuum's size (KongUpstreamPolicy `slots`; default 10,000). */
  readonly slots?: number;
}

/** A 32-bit consistent-hash ring over endpoints identified by `ids` (ketama-like). */
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

  /** The index of the first point at or after `hash` (wrapping). */
  private index(hash: number): number {
    const pts = this.points;
    const h = hash >>> 0;
    let lo = 0;
    let hi = pts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pts[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    return lo === pts.length ? 0 : lo;
  }

  /** The endpoint owning the first point at or after `hash` (wrapping). */
  find(hash: number): number {
    return this.owners[this.index(hash)]!;
  }

  /** The first owner at or after `hash` other than `avoid` (nginx's consistent hash skips tried peers). */
  findExcept(hash: number, avoid: number): number {
    const n = this.points.length;
    let i = this.index(hash);
    for (let step = 0; step < n; step++) {
      const e = this.owners[i]!;
      if (e !== avoid) return e;
      i = i + 1 === n ? 0 : i + 1;
    }
    return this.owners[i]!;
  }
}

/** A well-spread 32-bit hash of a small integer key (MurmurHash3's finaliser). */
export function mixSession(key: number): number {
  return mix32(Math.imul(key + 1, 0x9e3779b1) ^ 0x2545f491);
}

/** The hashing key of a request, by what the upstream hashes on. */
export function hashKey(hashBy: number, uriHash: number, remoteAddr: number, session: number): number {
  if (hashBy === HashBy.Uri) return uriHash;
  if (hashBy === HashBy.RemoteAddr) return mixSession(remoteAddr ^ 0x5bd1e995);
  return mixSession(session);
}

/** EWMA decayed to `now` (ingress-nginx and Kong `decay_ewma` with a response time of 0: the score). */
export function decayed(ewma: number, touched: Seconds, now: Seconds): number {
  const td = now - touched;
  return td > 0 ? ewma * Math.exp(-td / EWMA_DECAY) : ewma;
}

/** `decay_ewma` with a new response time: ewma·w + rtt·(1 − w), w = e^(−Δt/τ). */
export function updated(ewma: number, touched: Seconds, rtt: Seconds, now: Seconds): number {
  const td = now - touched;
  const w = td > 0 ? Math.exp(-td / EWMA_DECAY) : 1;
  return ewma * w + rtt * (1 - w);
}
