/**
 * How a sidecar picks the endpoint of each request, over its `MeshHosts` (pickable endpoints and in-flight
 * counts). Every pick is O(1) and allocation-free; `observe` is told of every answered (or refused) try.
 *
 * - Linkerd (`peak-ewma`): linkerd2-proxy's balancer is a power-of-two-choices pool (`linkerd/pool/p2c`,
 *   `P2cPool::p2c_ready_index`: two distinct random ready endpoints, `gen_pair`; the lower load wins, the
 *   first on a tie, `aload <= bload`) over tower's `PeakEwma` load (`tower/src/load/peak_ewma.rs`): cost =
 *   RTT estimate × (pending + 1). Reading a load decays the estimate towards 0 by `exp(−elapsed / decay)`
 *   (`RttEstimate::decay`); a response whose RTT is above the estimate replaces it (the peak), a lower one is
 *   blended in with weight `1 − exp(−elapsed / decay)` (`RttEstimate::update`). Defaults from linkerd2-proxy
 *   (`DEFAULT_EWMA` in `linkerd/app/outbound/src/http/logical/profile.rs`): RTT 30 ms before any response,
 *   decay 10 s.
 * - Istio (`least-request`, its DestinationRule default; `round-robin`, `random`): the sidecar is an Envoy,
 *   so its choice, its rq_active counts and its outlier detection are src/model/envoy/'s `EnvoyCluster`
 *   (one instance: the sidecar), the same code Envoy Gateway's proxies run.
 */
import type { Rng } from '../../engine/random.js';
import { EnvoyCluster, LEAST_REQUEST, type EnvoyLbPolicy } from '../envoy/index.js';
import type { Seconds } from '../../engine/time.js';
import type { MeshHosts } from './hosts.js';
import type { MeshPolicySpec } from './spec.js';

export interface MeshBalancer {
  /** The endpoint for the next try (−1: none usable). `avoid`: the endpoint of a failed try to stay off, −1 none. */
  pick(rng: Rng, now: Seconds, avoid: number): number;
  /** A try leaves for `e`. */
  sent(e: number): void;
  /** A try sent to `e` was answered (`ok`), or refused, `rtt` seconds after it was sent. */
  observe(e: number, now: Seconds, rtt: Seconds, ok: boolean): void;
}

export function createBalancer(policy: MeshPolicySpec, hosts: MeshHosts, start: Seconds, rng: Rng): MeshBalancer {
  if (policy.balancing === 'peak-ewma') return new PeakEwmaP2c(hosts, policy.defaultRtt, policy.decay, start);
  const lb: EnvoyLbPolicy =
    policy.balancing === 'least-request'
      ? { kind: 'least-request', choiceCount: policy.choiceCount, activeRequestBias: LEAST_REQUEST.kind === 'least-request' ? LEAST_REQUEST.activeRequestBias : 1 }
      : { kind: policy.balancing };
  const o = policy.outlier;
  const n = hosts.size;
  return new EnvoySidecar(
    new EnvoyCluster({
      ids: Array.from({ length: n }, (_, e) => `pod-${hosts.pod[e]}`),
      weights: new Array<number>(n).fill(1),
      localityStart: [0, n],
      localityWeights: [1],
      policy: lb,
      instances: 1,
      workers: 1,
      outlier: o === null ? null : { consecutive5xx: o.consecutiveErrors, interval: o.interval, baseEjectionTime: o.baseEjectionTime, maxEjectionPercent: o.maxEjectionPercent },
      rng,
    }),
  );
}

/** An Istio sidecar: one Envoy instance of src/model/envoy/ (a failure counts for its outlier detection). */
export class EnvoySidecar implements MeshBalancer {
  constructor(readonly cluster: EnvoyCluster) {}

  pick(rng: Rng, now: Seconds, avoid: number): number {
    return this.cluster.pick(0, 0, rng, now, avoid, 0, 0, 0);
  }

  sent(e: number): void {
    this.cluster.sent(0, e);
  }

  observe(e: number, now: Seconds, rtt: Seconds, ok: boolean): void {
    this.cluster.done(0, e, now, ok ? rtt : -1);
  }
}

/** Below this |x|, five Taylor terms give exp(x) to within double rounding (the sixth is under 2⁻⁶⁹ of it). */
const TINY = 2 ** -10;

/**
 * exp(x) for the decay factor exp(−elapsed / decay), x ≤ 0. Three per request, and x is nearly always tiny
 * (an endpoint is weighed every few milliseconds against a decay of 10 s), where a polynomial is as exact as
 * Math.exp (within an ulp; it may differ from it in the last bit) and spares its call into C; anything
 * larger goes to Math.exp.
 */
export function decayFactor(x: number): number {
  if (x > -TINY) return 1 + x * (1 + x * (1 / 2 + x * (1 / 6 + x * (1 / 24 + x * (1 / 120)))));
  return Math.exp(x);
}

/** Linkerd: P2C over Peak-EWMA cost. */
export class PeakEwmaP2c implements MeshBalancer {
  /** Per endpoint: the RTT estimate (seconds) and when it was last updated or decayed. */
  readonly estimate: Float64Array;
  private readonly stamp: Float64Array;

  constructor(
    private readonly hosts: MeshHosts,
    defaultRtt: Seconds,
    private readonly decay: Seconds,
    start: Seconds,
  ) {
    this.estimate = new Float64Array(hosts.size).fill(defaultRtt);
    this.stamp = new Float64Array(hosts.size).fill(start);
  }

  /** tower's `load()`: decays the estimate to `now` (an update with a zero RTT), times pending + 1. */
  cost(e: number, now: Seconds): number {
    const w = decayFactor(-(now - this.stamp[e]!) / this.decay);
    const est = this.estimate[e]! * w;
    this.estimate[e] = est;
    this.stamp[e] = now;
    return est * (this.hosts.pending[e]! + 1);
  }

  pick(rng: Rng, now: Seconds, _avoid: number): number {
    const a = this.hosts.draw(rng);
    if (a < 0) return -1;
    const b = this.hosts.drawOther(rng, a);
    if (b < 0) return a;
    return this.cost(a, now) <= this.cost(b, now) ? a : b;
  }

  sent(): void {}

  /** tower's `Handle` drop: every answer, good or not, is an RTT sample. */
  observe(e: number, now: Seconds, rtt: Seconds): void {
    const est = this.estimate[e]!;
    if (est < rtt) this.estimate[e] = rtt;
    else {
      const w = decayFactor(-(now - this.stamp[e]!) / this.decay);
      this.estimate[e] = est * w + rtt * (1 - w);
    }
    this.stamp[e] = now;
  }
}
