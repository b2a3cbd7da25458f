/**
 * kubernetes/ingress-nginx's Lua balancer (`rootfs/etc/nginx/lua/balancer.lua`, `get_implementation`):
 * cookie affinity first (sticky_balanced, or sticky_persistent with `affinity-mode: persistent`), then
 * `upstream-hash-by` (chash), then `load-balance`: round_robin (the default) or ewma. Those are all the
 * implementations there are; any other name falls back to round_robin (the scenario layer warns).
 * Endpoints all have weight 1 (`util.get_nodes`), whatever the pods say.
 *
 * - round_robin (`balancer/round_robin.lua` over lua-resty-balancer's roundrobin): one instance per worker
 *   process (each has its own Lua VM), starting at a random node (`get_random_node_id`); with equal
 *   weights a plain rotation. A retry takes the next in the rotation.
 * - ewma (`balancer/ewma.lua`): two distinct endpoints at random, the lower score wins (the first drawn on
 *   ties); the score is the EWMA of connect + response time decayed by e^(−Δt/10 s) since it was last
 *   touched. Stats live in shared dictionaries: one per controller pod, shared by its workers. An endpoint
 *   never measured reads 0 with last-touched at the epoch, so its first response sets the EWMA to that
 *   response time exactly. A retry leaves out the endpoint already tried (`balancer_ewma_tried_endpoints`).
 * - chash (`balancer/chash.lua`, resty.chash): the key's point on the ring, every try: a retry goes to the
 *   same pod again (no avoidance).
 * - sticky_balanced (`balancer/sticky_balanced.lua`): a request without the cookie gets a random key
 *   (`ngx.now().pid.random`) looked up on the ring, avoiding endpoints that failed in this request (up to
 *   20 draws); the key goes into the cookie and later requests follow it. sticky_persistent
 *   (`sticky_persistent.lua`, `util/nodemap.lua` `random_except`): a new session gets an endpoint uniformly
 *   at random among those not failed in this request. A session that has its cookie goes back to its
 *   endpoint on every try (`session-cookie-change-on-failure` is off by default).
 *
 * Simplifications: only the last failed endpoint of a request is known here (the data path passes it), so
 * a third try avoids the second try's endpoint but not the first's (ewma, sticky); a session's cookie counts
 * as set once the session sends its next request (concurrent first requests of one session share it).
 */
import type { Rng } from '../../engine/random.js';
import type { Seconds } from '../../engine/time.js';
import { Affinity, HashBy, HashRing, decayed, hashKey, mixSession, updated, type BalancerConfig, type UpstreamBalancer } from './balancer.js';

/** sticky_balanced `MAX_UPSTREAM_CHECKS_COUNT`. */
const MAX_UPSTREAM_CHECKS = 20;

export class IngressNginxBalancer implements UpstreamBalancer {
  readonly n: number;
  private readonly ewmaMode: boolean;
  private readonly hashBy: number;
  private readonly affinity: number;
  private readonly workers: number;
  /** Round-robin position per (controller, worker). */
  private readonly cursor: Int32Array;
  /** EWMA and last-touched time per (controller, endpoint). */
  private readonly ewma: Float64Array;
  private readonly touched: Float64Array;
  private readonly ring: HashRing | null;
  /** Sticky: the endpoint of each session's cookie (−1: no cookie yet). */
  private readonly sticky: Int32Array;
  /** 1 while the cookie was only just chosen (the request that chose it has not been sent again). */
  private readonly fresh: Uint8Array;

  constructor(c: BalancerConfig) {
    const n = (this.n = c.ids.length);
    this.ewmaMode = c.algorithm === 'ewma';
    this.hashBy = c.hashBy;
    this.affinity = c.affinity;
    this.workers = c.workers;
    this.cursor = new Int32Array(c.controllers * c.workers);
    this.ewma = new Float64Array(c.controllers * n);
    this.touched = new Float64Array(c.controllers * n).fill(-Infinity);
    this.ring = (c.hashBy !== HashBy.None || c.affinity === Affinity.Balanced) && n > 0 ? new HashRing(c.ids) : null;
    this.sticky = new Int32Array(c.affinity !== Affinity.None ? c.sessions : 0).fill(-1);
    this.fresh = new Uint8Array(this.sticky.length);
    if (n > 0) {
      for (let k = 0; k < c.controllers; k++) {
        const rng = c.rngs[k]!;
        for (let w = 0; w < c.workers; w++) this.cursor[k * c.workers + w] = Math.floor(rng() * n);
      }
    }
  }

  pick(k: number, w: number, rng: Rng, now: Seconds, avoid: number, uriHash: number, remoteAddr: number, session: number): number {
    const n = this.n;
    if (n === 0) return -1;
    if (this.affinity !== Affinity.None) {
      const had = this.sticky[session]!;
      // A session with its cookie goes back to its endpoint, retries included. A retry of the request that
      // chose the endpoint (the browser has no cookie yet) chooses again, avoiding the one that failed.
      if (had >= 0 && (avoid < 0 || this.fresh[session] === 0)) {
        if (avoid < 0) this.fresh[session] = 0;
        return had;
      }
      const e = this.affinity === Affinity.Balanced ? this.newBalancedSession(rng, avoid, session) : this.randomExcept(rng, avoid);
      this.sticky[session] = e;
      this.fresh[session] = 1;
      return e;
    }
    if (this.hashBy !== HashBy.None) return this.ring!.find(hashKey(this.hashBy, uriHash, remoteAddr, session));
    if (this.ewmaMode) return this.twoChoices(k, rng, now, avoid);
    const i = k * this.workers + w;
    const e = (this.cursor[i]! + 1) % n;
    this.cursor[i] = e;
    return e;
  }

  sent(): void {}

  done(k: number, e: number, now: Seconds, rtt: Seconds): void {
    if (rtt < 0 || !this.ewmaMode) return;
    const i = k * this.n + e;
    this.ewma[i] = updated(this.ewma[i]!, this.touched[i]!, rtt, now);
    this.touched[i] = now;
  }

  /** A random key on the ring (the first derived from the session: stable per run), avoiding `avoid`. */
  private newBalancedSession(rng: Rng, avoid: number, session: number): number {
    let e = this.ring!.find(mixSession(session));
    for (let i = 1; e === avoid && this.n > 1 && i < MAX_UPSTREAM_CHECKS; i++) e = this.ring!.find((rng() * 4294967296) >>> 0);
    return e;
  }

  private randomExcept(rng: Rng, avoid: number): number {
    const n = this.n;
    if (avoid < 0 || n === 1) return Math.floor(rng() * n);
    let e = Math.floor(rng() * (n - 1));
    if (e >= avoid) e++;
    return e;
  }

  /** Two distinct endpoints at random (Fisher-Yates over the untried ones); the lower score wins, the first on ties. */
  private twoChoices(k: number, rng: Rng, now: Seconds, avoid: number): number {
    const n = this.n;
    if (n === 1) return 0;
    const m = avoid >= 0 ? n - 1 : n;
    if (m === 1) return avoid === 0 ? 1 : 0;
    let a = Math.floor(rng() * m);
    let b = Math.floor(rng() * (m - 1));
    if (b >= a) b++;
    if (m < n) {
      if (a >= avoid) a++;
      if (b >= avoid) b++;
    }
    const base = k * n;
    const sa = decayed(this.ewma[base + a]!, this.touched[base + a]!, now);
    const sb = decayed(this.ewma[base + b]!, this.touched[base + b]!, now);
    return sb < sa ? b : a;
  }
}
