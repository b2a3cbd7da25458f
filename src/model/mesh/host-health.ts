/**
 * Passive health in a Linkerd sidecar: endpoints that keep failing are taken out of its balancer for a while.
 *
 * - Linkerd's failure accrual (`consecutive`): after `maxFailures` failures in a row the endpoint is shut
 *   for a penalty; then it is on probation, open to a single request (the probe): a success opens it again
 *   (counting from zero, penalties from the start), a failure shuts it for the next penalty. Responses that
 *   come back while it is shut are ignored. Penalty k (from 0) is linkerd's `ExponentialBackoff`
 *   (`linkerd/exp-backoff`): base = min(minPenalty × 2^k, maxPenalty), plus a jitter drawn uniformly in
 *   [0, jitterRatio × base], capped so that the total stays within maxPenalty. Sources:
 *   `linkerd/app/outbound/src/http/breaker/consecutive_failures.rs` and the Service annotations of
 *   https://linkerd.io/2.15/reference/circuit-breaking/.
 * (Istio's outlier detection is Envoy's, src/model/envoy/outlier.ts, inside its sidecar's EnvoyCluster.)
 *
 * It reacts to what the sidecar sees: a refusal (queue full, connection refused, reset) is a failure; a
 * response is a success (the model's pods do not answer 5xx otherwise). Timers go through `schedule`, a
 * callback the mesh runtime gives, keyed by endpoint.
 */
import type { Rng } from '../../engine/random.js';
import type { Seconds } from '../../engine/time.js';
import type { MeshHosts } from './hosts.js';
import type { MeshFailureAccrualSpec } from './spec.js';

export interface HostHealth {
  /** A try was sent to `e`. */
  sent(e: number): void;
  /** A try to `e` ended: answered (`ok`) or refused. */
  result(e: number, ok: boolean, now: Seconds): void;
  /** The timer set for `e` (−1: a periodic sweep) has come. */
  wake(e: number, now: Seconds): void;
}

/** Schedules `wake(e)` after `delay` seconds. */
export type HealthTimer = (delay: Seconds, e: number) => void;

const Breaker = { Counting: 0, Shut: 1, Probation: 2, Probing: 3 } as const;

export class FailureAccrual implements HostHealth {
  readonly state: Uint8Array;
  /** Consecutive failures while counting; the penalty number while shut or on probation. */
  private readonly failures: Int32Array;
  private readonly penalties: Int32Array;
  /** Times each endpoint was shut (for tests and results). */
  readonly trips: Int32Array;

  constructor(
    private readonly hosts: MeshHosts,
    private readonly spec: MeshFailureAccrualSpec,
    private readonly rng: Rng,
    private readonly timer: HealthTimer,
  ) {
    this.state = new Uint8Array(hosts.size);
    this.failures = new Int32Array(hosts.size);
    this.penalties = new Int32Array(hosts.size);
    this.trips = new Int32Array(hosts.size);
  }

  /** Penalty number `k` (from 0): linkerd's jittered exponential backoff. */
  penalty(k: number): Seconds {
    const { minPenalty, maxPenalty, jitterRatio } = this.spec;
    const base = Math.min(minPenalty * 2 ** k, maxPenalty);
    if (jitterRatio === 0) return base;
    return base + Math.min(this.rng() * jitterRatio * base, maxPenalty - base);
  }

  sent(e: number): void {
    if (this.state[e] === Breaker.Probation) {
      // The one probe is on its way: nothing else until it is answered.
      this.state[e] = Breaker.Probing;
      this.hosts.remove(e);
    }
  }

  result(e: number, ok: boolean, _now?: Seconds): void {
    const s = this.state[e]!;
    if (s === Breaker.Shut) return;
    if (s === Breaker.Counting) {
      if (ok) this.failures[e] = 0;
      else if (++this.failures[e]! >= this.spec.maxFailures) this.shut(e, 0);
      return;
    }
    // On probation: the first answer decides.
    if (ok) {
      this.state[e] = Breaker.Counting;
      this.failures[e] = 0;
      this.hosts.add(e);
    } else this.shut(e, this.penalties[e]! + 1);
  }

  wake(e: number): void {
    if (this.state[e] !== Breaker.Shut) return;
    this.state[e] = Breaker.Probation;
    this.hosts.add(e);
  }

  private shut(e: number, k: number): void {
    this.state[e] = Breaker.Shut;
    this.penalties[e] = k;
    this.trips[e]!++;
    this.hosts.remove(e);
    this.timer(this.penalty(k), e);
  }
}
