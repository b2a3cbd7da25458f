/**
 * One Envoy cluster's host choice, per request, at every Envoy instance (gateway pod or sidecar) that uses
 * it: locality weighted load balancing, then the cluster's load-balancing policy within the locality, with
 * outlier ejection and the retry host predicate. Ports of envoyproxy/envoy:
 *
 * - Localities (`source/common/upstream/load_balancer_impl.cc` `chooseLocality`, EDF scheduler): a locality's
 *   effective weight is its weight × min(1, 1.4 × healthy/hosts) (overprovisioning factor 140 %); the
 *   earliest-deadline-first scheduler picks the locality with the lowest deadline and moves it on by
 *   1/weight: weights 90 and 10 give an exact 9:1 interleave per worker. Envoy Gateway writes each
 *   `backendRef` of a route rule as one locality whose weight is the backendRef's weight (and turns on
 *   `locality_weighted_lb_config` for every cluster: internal/xds/translator/cluster.go).
 * - `ROUND_ROBIN` (`round_robin_lb.cc`): equal weights, `hosts[rr_index++ % size]` over the healthy hosts,
 *   one index per worker thread (each worker has its own load balancer); the model starts each at a random
 *   host.
 * - `RANDOM` (`random_lb.cc`): a uniform healthy host.
 * - `LEAST_REQUEST` (`least_request_lb.cc`): equal weights: `choice_count` (2) hosts drawn at random *with
 *   replacement*, the first kept unless a later one has strictly fewer active requests (the power of two
 *   choices); unequal weights: weight / (active + 1)^`active_request_bias` (1.0). Active requests are the
 *   host's `rq_active` in this Envoy instance (shared by its workers). *Simplification:* with unequal weights
 *   the model draws in proportion to those effective weights instead of running an EDF schedule.
 * - `MAGLEV` (`maglev_lb.cc`, maglev.ts): one table over every host of the cluster, weighted by locality
 *   weight / hosts of the locality; the key hashes the source IP, a header or a cookie (the request's
 *   session), or is random per request when there is no hash policy. *Simplification:* Envoy rebuilds the
 *   table over the healthy hosts when an ejection changes them; the model walks on to the next slot whose
 *   host is usable (the ejected host's share spreads over the others in both cases).
 * - Outlier ejection (outlier.ts) removes hosts from the healthy set, except in *panic*: when fewer than 50 %
 *   (`healthy_panic_threshold`) of the hosts are healthy, Envoy balances over all of them.
 * - Retry host predicate `previous_hosts` (`source/extensions/retry/host/previous_hosts`): the whole choice
 *   is made again, up to `host_selection_retry_max_attempts` (5) times, while it returns the host that just
 *   failed (the data path passes that one only).
 *
 * The class has the ingress balancers' shape (`pick`/`sent`/`done`, ../ingress/balancer.ts), so the data
 * path's L7 hop drives it unchanged. Nothing allocates per request.
 */
import type { Rng } from '../../engine/random.js';
import type { Seconds } from '../../engine/time.js';
import { hashKey, HashBy, type UpstreamBalancer } from '../ingress/balancer.js';
import { MaglevTable, MAGLEV_TABLE_SIZE } from './maglev.js';
import { OutlierDetector, type OutlierConfig } from './outlier.js';

/** Envoy's `lb_policy` (Envoy Gateway's BackendTrafficPolicy `loadBalancer.type`). */
export type EnvoyLbPolicy =
  | { readonly kind: 'round-robin' }
  | { readonly kind: 'random' }
  | { readonly kind: 'least-request'; readonly choiceCount: number; readonly activeRequestBias: number }
  | { readonly kind: 'maglev'; readonly tableSize: number; readonly hashOn: 'source-ip' | 'session' | 'none' };

export const LEAST_REQUEST: EnvoyLbPolicy = { kind: 'least-request', choiceCount: 2, activeRequestBias: 1 };

/** The name Envoy Gateway gives a policy (results' `algorithm`). */
export function policyName(p: EnvoyLbPolicy): string {
  switch (p.kind) {
    case 'round-robin':
      return 'RoundRobin';
    case 'random':
      return 'Random';
    case 'least-request':
      return 'LeastRequest';
    case 'maglev':
      return 'ConsistentHash';
  }
}

export interface EnvoyClusterConfig {
  /** Endpoint ids (pod IP:port), grouped by locality: locality l is endpoints [start[l], start[l + 1]). */
  readonly ids: readonly string[];
  /** Endpoint weights (1 for Kubernetes endpoints). */
  readonly weights: readonly number[];
  /** First endpoint of each locality, plus the total at the end (length L + 1). One locality: [0, n]. */
  readonly localityStart: readonly number[];
  /** Locality weights (a backendRef's weight); length L. */
  readonly localityWeights: readonly number[];
  readonly policy: EnvoyLbPolicy;
  /** Envoy instances sharing the cluster definition (gateway pods, sidecars); state is per instance. */
  readonly instances: number;
  /** Worker threads per instance (round-robin and locality state are per worker). */
  readonly workers: number;
  /** Passive health checking, or null (Envoy Gateway: off unless a BackendTrafficPolicy sets it). */
  readonly outlier: OutlierConfig | null;
  /** Random starts of the round-robin indices. */
  readonly rng: Rng;
  /** `healthy_panic_threshold` percent (50). */
  readonly panicThreshold?: number;
  /** `host_selection_retry_max_attempts` for the previous-hosts predicate (5). */
  readonly hostSelectionAttempts?: number;
}

const OVERPROVISIONING = 1.4;

export class EnvoyCluster implements UpstreamBalancer {
  readonly n: number;
  readonly outlier: OutlierDetector | null;
  private readonly policy: EnvoyLbPolicy;
  private readonly W: number;
  private readonly L: number;
  private readonly start: Int32Array;
  private readonly lw: Float64Array;
  private readonly equal: Uint8Array;
  private readonly weights: Float64Array;
  /** rq_active per (instance, host). */
  readonly active: Int32Array;
  /** Round-robin index per (instance, worker, locality). */
  private readonly rr: Float64Array;
  /** EDF deadlines per (instance, worker, locality). */
  private readonly deadline: Float64Array;
  private readonly maglev: MaglevTable | null;
  private readonly hashOn: number;
  private readonly panic: number;
  private readonly attempts: number;

  constructor(c: EnvoyClusterConfig) {
    const n = (this.n = c.ids.length);
    this.policy = c.policy;
    this.W = Math.max(1, c.workers);
    const L = (this.L = c.localityWeights.length);
    if (c.localityStart.length !== L + 1 || c.localityStart[L] !== n) throw new RangeError('localityStart must have one entry per locality plus the endpoint count');
    this.start = Int32Array.from(c.localityStart);
    this.lw = Float64Array.from(c.localityWeights);
    this.weights = Float64Array.from(c.weights);
    this.equal = Uint8Array.from({ length: L }, (_, l) => {
      for (let e = this.start[l]! + 1; e < this.start[l + 1]!; e++) if (this.weights[e] !== this.weights[this.start[l]!]) return 0;
      return 1;
    });
    const K = Math.max(1, c.instances);
    this.active = new Int32Array(K * n);
    this.rr = Float64Array.from({ length: K * this.W * L }, () => Math.floor(c.rng() * 1e9));
    this.deadline = new Float64Array(K * this.W * L);
    for (let s = 0; s < K * this.W; s++) for (let l = 0; l < L; l++) this.deadline[s * L + l] = this.lw[l]! > 0 ? 1 / this.lw[l]! : Infinity;
    this.outlier = c.outlier !== null && n > 0 ? new OutlierDetector(c.outlier, n, K) : null;
    if (c.policy.kind === 'maglev' && n > 0) {
      // Envoy weighs each host by its locality's weight shared over the locality's hosts.
      const w = c.ids.map((_, e) => {
        let l = 0;
        while (e >= this.start[l + 1]!) l++;
        return (this.lw[l]! * this.weights[e]!) / Math.max(1, this.start[l + 1]! - this.start[l]!);
      });
      this.maglev = new MaglevTable(c.ids, w, c.policy.tableSize || MAGLEV_TABLE_SIZE);
      this.hashOn = c.policy.hashOn === 'source-ip' ? HashBy.RemoteAddr : c.policy.hashOn === 'session' ? HashBy.Session : HashBy.None;
    } else {
      this.maglev = null;
      this.hashOn = HashBy.None;
    }
    this.panic = c.panicThreshold ?? 50;
    this.attempts = Math.max(1, c.hostSelectionAttempts ?? 5);
  }

  pick(k: number, w: number, rng: Rng, now: Seconds, avoid: number, uriHash: number, remoteAddr: number, session: number): number {
    if (this.n === 0) return -1;
    const od = this.outlier;
    let screen = false;
    if (od !== null) {
      od.advance(k, now);
      // Panic: fewer than the threshold healthy, and Envoy balances over every host.
      screen = od.active[k]! > 0 && (100 * (this.n - od.active[k]!)) / this.n >= this.panic;
    }
    let e = -1;
    const tries = avoid >= 0 ? this.attempts : 1;
    for (let t = 0; t < tries; t++) {
      e = this.maglev !== null ? this.hashed(k, rng, screen, uriHash, remoteAddr, session, t) : this.byLocality(k, w, rng, screen);
      if (e !== avoid) break;
    }
    return e;
  }

  sent(k: number, e: number): void {
    this.active[k * this.n + e]!++;
  }

  done(k: number, e: number, now: Seconds, rtt: Seconds): void {
    const i = k * this.n + e;
    if (this.active[i]! > 0) this.active[i]!--;
    if (this.outlier !== null) this.outlier.result(k, e, now, rtt < 0);
  }

  private usable(k: number, e: number, screen: boolean): boolean {
    return !screen || !this.outlier!.ejected(k, e);
  }

  private byLocality(k: number, w: number, rng: Rng, screen: boolean): number {
    const L = this.L;
    let l = 0;
    if (L > 1) {
      const s = (k * this.W + (w % this.W)) * L;
      let best = -1;
      let bestDeadline = Infinity;
      for (let j = 0; j < L; j++) {
        if (this.effective(k, j, screen) <= 0) continue;
        const d = this.deadline[s + j]!;
        if (d < bestDeadline) {
          bestDeadline = d;
          best = j;
        }
      }
      if (best < 0) return -1;
      l = best;
      this.deadline[s + l] = bestDeadline + 1 / this.effective(k, l, screen);
    }
    return this.inLocality(k, w, l, rng, screen);
  }

  /** A locality's weight × its availability (healthy share × 1.4, at most 1). */
  private effective(k: number, l: number, screen: boolean): number {
    const lo = this.start[l]!;
    const hi = this.start[l + 1]!;
    if (hi === lo) return 0;
    if (!screen) return this.lw[l]!;
    let healthy = 0;
    for (let e = lo; e < hi; e++) if (!this.outlier!.ejected(k, e)) healthy++;
    return this.lw[l]! * Math.min(1, (OVERPROVISIONING * healthy) / (hi - lo));
  }

  private inLocality(k: number, w: number, l: number, rng: Rng, screen: boolean): number {
    const lo = this.start[l]!;
    const size = this.start[l + 1]! - lo;
    if (size === 0) return -1;
    switch (this.policy.kind) {
      case 'round-robin': {
        const s = (k * this.W + (w % this.W)) * this.L + l;
        const idx = this.rr[s]!;
        this.rr[s] = idx + 1;
        if (!screen) return lo + (idx % size);
        return this.nthUsable(k, lo, size, idx);
      }
      case 'random':
        return this.drawUsable(k, lo, size, rng, screen);
      case 'least-request': {
        if (this.equal[l] === 0) return this.weightedLeast(k, lo, size, rng, screen);
        const base = k * this.n;
        let cand = -1;
        for (let c = 0; c < this.policy.choiceCount; c++) {
          const e = this.drawUsable(k, lo, size, rng, screen);
          if (cand < 0 || this.active[base + e]! < this.active[base + cand]!) cand = e;
        }
        return cand;
      }
      case 'maglev':
        return -1; // not reached: Maglev does not pick by locality
    }
  }

  /** The (idx mod usable)-th usable host of [lo, lo + size). */
  private nthUsable(k: number, lo: number, size: number, idx: number): number {
    let usable = 0;
    for (let e = lo; e < lo + size; e++) if (this.usable(k, e, true)) usable++;
    if (usable === 0) return lo + (idx % size);
    let j = idx % usable;
    for (let e = lo; e < lo + size; e++) {
      if (!this.usable(k, e, true)) continue;
      if (j-- === 0) return e;
    }
    return lo;
  }

  /** A uniform usable host of [lo, lo + size) (uniform over the healthy list, as Envoy's `random() % size`). */
  private drawUsable(k: number, lo: number, size: number, rng: Rng, screen: boolean): number {
    if (!screen) return lo + Math.floor(rng() * size);
    for (let t = 0; t < 64; t++) {
      const e = lo + Math.floor(rng() * size);
      if (this.usable(k, e, true)) return e;
    }
    return this.nthUsable(k, lo, size, Math.floor(rng() * size));
  }

  /** Weighted least request: a draw in proportion to weight / (active + 1)^bias among usable hosts. */
  private weightedLeast(k: number, lo: number, size: number, rng: Rng, screen: boolean): number {
    const bias = this.policy.kind === 'least-request' ? this.policy.activeRequestBias : 1;
    const base = k * this.n;
    let total = 0;
    for (let e = lo; e < lo + size; e++) if (this.usable(k, e, screen)) total += this.weights[e]! / (this.active[base + e]! + 1) ** bias;
    let u = rng() * total;
    let last = lo;
    for (let e = lo; e < lo + size; e++) {
      if (!this.usable(k, e, screen)) continue;
      last = e;
      u -= this.weights[e]! / (this.active[base + e]! + 1) ** bias;
      if (u < 0) return e;
    }
    return last;
  }

  private hashed(k: number, rng: Rng, screen: boolean, uriHash: number, remoteAddr: number, session: number, attempt: number): number {
    const table = this.maglev!.table;
    const M = table.length;
    let h = this.hashOn === HashBy.None ? Math.floor(rng() * 4294967296) : hashKey(this.hashOn, uriHash, remoteAddr, session);
    h = (h >>> 0) % M;
    // A host selection retry (previous_hosts) re-hashes the same key: Maglev gives the same host, as in Envoy.
    void attempt;
    for (let j = 0; j < M; j++) {
      const e = table[(h + j) % M]!;
      if (this.usable(k, e, screen)) return e;
    }
    return table[h]!;
  }
}
