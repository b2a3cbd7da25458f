/**
 * The NGINX Ingress Controller (nginxinc/kubernetes-ingress): it writes nginx's own upstream blocks, one
 * per Service port, with the method of `nginx.org/lb-method` (default `random two least_conn`, validated by
 * `ParseLBMethod`/`ParseLBMethodForPlus` in `internal/configs/parsing_helpers.go`) and a shared-memory
 * `zone` (`upstream-zone-size` 256K by default): peer state (connections, round-robin weights, failures)
 * is shared by the workers of a controller pod. Every server has weight 1. The methods are nginx's
 * (`src/http/ngx_http_upstream_round_robin.c`, `modules/ngx_http_upstream_{least_conn,random,hash,
 * ip_hash}_module.c`):
 *
 * - round_robin: smooth weighted round robin (`ngx_http_upstream_get_peer`): each peer's current weight
 *   grows by its weight, the largest is taken and lowered by the total; the first pick is the first peer.
 * - least_conn: the fewest active connections per weight (`conns`: requests in flight from this pod), ties
 *   broken by the smooth round robin among the tied peers.
 * - random: a peer at random (by weight). random two [least_conn]: two distinct peers at random, the one
 *   with fewer connections per weight; on a tie the second drawn (`peer->conns * prev->weight >
 *   prev->conns * peer->weight` keeps the first only when the second is strictly busier).
 * - ip_hash: the first three octets of the client address (`hash = (hash·113 + octet) mod 6271` from 89),
 *   then by weight. The address is what the controller sees: with `externalTrafficPolicy: Cluster` the
 *   node's IP after SNAT, so all clients that come through nodes of one /24 land on one pod. Client
 *   addresses of the model have no subnet structure: each counts as its own /24.
 * - hash $key: the key's hash mod the total weight (a retry rehashes); `hash $key consistent`: ketama, 160
 *   points per weight, a retry takes the next point of another peer.
 * - least_time (NGINX Plus, closed source): simplified as the fewest (in flight + 1) × the average response
 *   time (an EWMA with a 10 s decay), ties by the smooth round robin. `random two least_time` takes two at
 *   random and compares the same score.
 *
 * Every method skips peers already tried for this request (`rrp->tried`) and peers that failed `max_fails`
 * times within `fail_timeout` (default 1 in 10 s: a refused try takes the pod out of rotation for 10 s,
 * per controller pod). With every peer out nginx answers 502 (no live upstreams): here −1.
 *
 * Simplification: only the last failed endpoint of the request is known (the data path passes it).
 */
import type { Rng } from '../../engine/random.js';
import type { Seconds } from '../../engine/time.js';
import { mix32 } from '../hash.js';
import { HashBy, HashRing, NODE_ADDRESS, decayed, hashKey, updated, type BalancerConfig, type UpstreamBalancer } from './balancer.js';

const enum Method {
  RoundRobin,
  LeastConn,
  Random,
  RandomTwo,
  IpHash,
  LeastTime,
  RandomTwoLeastTime,
  Hash,
  HashConsistent,
}

/** nginx gives up on random draws after 20 and falls back to round robin (`rp->tries > 20`). */
const MAX_DRAWS = 20;

export class NginxIncBalancer implements UpstreamBalancer {
  readonly n: number;
  private readonly method: Method;
  /** Per (controller pod, peer): connections, smooth-RR current weight, last failure, response-time EWMA. */
  private readonly conns: Int32Array;
  private readonly current: Float64Array;
  private readonly failedAt: Float64Array;
  private readonly ewma: Float64Array;
  private readonly touched: Float64Array;
  private readonly ring: HashRing | null;
  private readonly hashBy: number;
  private readonly nodeNet24: Int32Array;
  private readonly maxFails: number;
  private readonly failTimeout: Seconds;
  /** NGINX Plus `sticky cookie`: the peer of each session (−1: none yet). */
  private readonly sticky: Int32Array;

  constructor(c: BalancerConfig) {
    const n = (this.n = c.ids.length);
    this.hashBy = c.hashBy;
    this.method =
      c.hashBy !== HashBy.None
        ? c.hashConsistent
          ? Method.HashConsistent
          : Method.Hash
        : c.algorithm === 'least_conn'
          ? Method.LeastConn
          : c.algorithm === 'random'
            ? Method.Random
            : c.algorithm === 'random_two'
              ? Method.RandomTwo
              : c.algorithm === 'ip_hash'
                ? Method.IpHash
                : c.algorithm === 'least_time'
                  ? Method.LeastTime
                  : c.algorithm === 'random_two_least_time'
                    ? Method.RandomTwoLeastTime
                    : Method.RoundRobin;
    const K = c.controllers;
    this.conns = new Int32Array(K * n);
    this.current = new Float64Array(K * n);
    this.failedAt = new Float64Array(K * n).fill(-Infinity);
    this.ewma = new Float64Array(K * n);
    this.touched = new Float64Array(K * n).fill(-Infinity);
    this.ring = this.method === Method.HashConsistent && n > 0 ? new HashRing(c.ids) : null;
    this.nodeNet24 = c.nodeNet24;
    this.maxFails = c.maxFails;
    this.failTimeout = c.failTimeout;
    this.sticky = new Int32Array(c.affinity !== 0 ? c.sessions : 0).fill(-1);
  }

  pick(k: number, _w: number, rng: Rng, now: Seconds, avoid: number, uriHash: number, remoteAddr: number, session: number): number {
    if (this.n === 0) return -1;
    if (this.sticky.length > 0) {
      const had = this.sticky[session]!;
      if (had >= 0 && had !== avoid && this.usable(k, had, now, -1)) return had;
      const e = this.byMethod(k, rng, now, avoid, uriHash, remoteAddr, session);
      if (e >= 0) this.sticky[session] = e;
      return e;
    }
    return this.byMethod(k, rng, now, avoid, uriHash, remoteAddr, session);
  }

  sent(k: number, e: number): void {
    this.conns[k * this.n + e]!++;
  }

  done(k: number, e: number, now: Seconds, rtt: Seconds): void {
    const i = k * this.n + e;
    if (this.conns[i]! > 0) this.conns[i]!--;
    if (rtt < 0) {
      this.failedAt[i] = now;
      return;
    }
    this.failedAt[i] = -Infinity; // a success resets the failure count
    this.ewma[i] = updated(this.ewma[i]!, this.touched[i]!, rtt, now);
    this.touched[i] = now;
  }

  private byMethod(k: number, rng: Rng, now: Seconds, avoid: number, uriHash: number, remoteAddr: number, session: number): number {
    switch (this.method) {
      case Method.RoundRobin:
        return this.smooth(k, now, avoid, -1);
      case Method.LeastConn:
        return this.least(k, now, avoid, false);
      case Method.LeastTime:
        return this.least(k, now, avoid, true);
      case Method.Random:
        return this.random(k, rng, now, avoid);
      case Method.RandomTwo:
        return this.randomTwo(k, rng, now, avoid, false);
      case Method.RandomTwoLeastTime:
        return this.randomTwo(k, rng, now, avoid, true);
      case Method.IpHash:
        return this.hashed(k, now, avoid, this.ipHash(remoteAddr));
      case Method.Hash:
        return this.hashed(k, now, avoid, hashKey(this.hashBy, uriHash, remoteAddr, session));
      case Method.HashConsistent: {
        const e = this.ring!.findExcept(hashKey(this.hashBy, uriHash, remoteAddr, session), avoid);
        return this.usable(k, e, now, -1) ? e : this.smooth(k, now, avoid, -1);
      }
    }
  }

  /** Not the peer that just failed, and not out for `max_fails` within `fail_timeout`. */
  private usable(k: number, e: number, now: Seconds, avoid: number): boolean {
    if (e === avoid) return false;
    return this.maxFails <= 0 || now - this.failedAt[k * this.n + e]! > this.failTimeout;
  }

  /**
   * Smooth weighted round robin over the usable peers (or, with `tieScore` ≥ 0, over those whose score is
   * `tieScore`: least_conn's tie break). Weights are all 1 here.
   */
  private smooth(k: number, now: Seconds, avoid: number, tieScore: number, scores?: Float64Array): number {
    const n = this.n;
    const base = k * n;
    let best = -1;
    let total = 0;
    for (let e = 0; e < n; e++) {
      if (!this.usable(k, e, now, avoid)) continue;
      if (tieScore >= 0 && scores![e] !== tieScore) continue;
      this.current[base + e]! += 1;
      total += 1;
      if (best < 0 || this.current[base + e]! > this.current[base + best]!) best = e;
    }
    if (best < 0) return -1;
    this.current[base + best]! -= total;
    return best;
  }

  private scoreBuf: Float64Array | null = null;

  /** least_conn (or least_time): the lowest score, ties by the smooth round robin among them. */
  private least(k: number, now: Seconds, avoid: number, byTime: boolean): number {
    const n = this.n;
    const scores = this.scoreBuf ?? (this.scoreBuf = new Float64Array(n));
    let min = Infinity;
    let count = 0;
    for (let e = 0; e < n; e++) {
      if (!this.usable(k, e, now, avoid)) {
        scores[e] = -1;
        continue;
      }
      const s = this.score(k, e, now, byTime);
      scores[e] = s;
      if (s < min) {
        min = s;
        count = 1;
      } else if (s === min) count++;
    }
    if (count === 0) return -1;
    if (count === 1) return scores.indexOf(min);
    return this.smooth(k, now, avoid, min, scores);
  }

  private score(k: number, e: number, now: Seconds, byTime: boolean): number {
    const i = k * this.n + e;
    if (!byTime) return this.conns[i]!;
    return (this.conns[i]! + 1) * decayed(this.ewma[i]!, this.touched[i]!, now);
  }

  private random(k: number, rng: Rng, now: Seconds, avoid: number): number {
    for (let d = 0; d < MAX_DRAWS; d++) {
      const e = Math.floor(rng() * this.n);
      if (this.usable(k, e, now, avoid)) return e;
    }
    return this.smooth(k, now, avoid, -1);
  }

  /** `ngx_http_upstream_get_random2_peer`: two distinct usable peers; the second unless it is strictly busier. */
  private randomTwo(k: number, rng: Rng, now: Seconds, avoid: number, byTime: boolean): number {
    const n = this.n;
    if (n < 2) return this.usable(k, 0, now, avoid) ? 0 : -1;
    let first = -1;
    for (let d = 0; d < MAX_DRAWS; d++) {
      const e = Math.floor(rng() * n);
      if (e === first || !this.usable(k, e, now, avoid)) continue;
      if (first < 0) {
        first = e;
        continue;
      }
      return this.score(k, e, now, byTime) > this.score(k, first, now, byTime) ? first : e;
    }
    return this.smooth(k, now, avoid, -1);
  }

  /** ip_hash's hash of the first three octets (`ngx_http_upstream_get_ip_hash_peer`). */
  private ipHash(remoteAddr: number): number {
    // A node (after SNAT): its IP's /24. A client address: its own /24 (no subnet structure in the model).
    const net = remoteAddr >= NODE_ADDRESS ? this.nodeNet24[remoteAddr - NODE_ADDRESS]! : mix32(remoteAddr + 1) & 0xffffff;
    let h = 89;
    h = (h * 113 + ((net >>> 16) & 255)) % 6271;
    h = (h * 113 + ((net >>> 8) & 255)) % 6271;
    h = (h * 113 + (net & 255)) % 6271;
    return h;
  }

  /** hash (and ip_hash): key mod the total weight; a peer out of use rehashes, up to 20 times, then round robin. */
  private hashed(k: number, now: Seconds, avoid: number, key: number): number {
    let h = key >>> 0;
    for (let t = 0; t < MAX_DRAWS; t++) {
      const e = h % this.n;
      if (this.usable(k, e, now, avoid)) return e;
      h = mix32(h + t + 1);
    }
    return this.smooth(k, now, avoid, -1);
  }
}
