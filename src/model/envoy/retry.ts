/**
 * Envoy's route retry policy, as far as the model's failures reach it (envoyproxy/envoy
 * `source/common/router/retry_state_impl.cc`, `source/common/common/backoff_strategy.cc`):
 *
 * - which failures are retried (`retry_on`): a refused try (the pod's queue is full or it is gone: the
 *   connection is refused or reset before a response, Envoy's `connect-failure`/`reset`/`refused-stream`, and
 *   a 503) and a 5xx response of the pod (`5xx`, `gateway-error` for 502–504 only, or
 *   `retriable-status-codes` listing 500);
 * - how many: `num_retries` after the first try;
 * - the wait before each retry: fully jittered exponential back-off, `JitteredExponentialBackOffStrategy`:
 *   retry n (1, 2, ...) waits a uniform time in [0, min(2ⁿ⁻¹ × base, max)), base 25 ms, max 10 × base
 *   (`nextBackOffMs`: `random() % next_interval_`, the interval doubling from the base up to the max; the
 *   router docs' "[0, (2^N − 1)·B)" differs by one step, the code is followed);
 * - where: with the `previous_hosts` predicate (Envoy Gateway and Istio set it, with 5 host-selection
 *   attempts) the balancer avoids the host that just failed.
 *
 * The model's pods fail in two ways only (refusal, and a 5xx from `netsim/error-rate`), so `retry_on` is
 * kept as two booleans.
 */
import type { Rng } from '../../engine/random.js';
import type { Seconds } from '../../engine/time.js';

export interface RetryPolicy {
  /** `num_retries`: tries after the first. */
  readonly numRetries: number;
  /** Retry a refused or reset try (connect-failure, refused-stream, reset, 503, 5xx, gateway-error). */
  readonly onRefused: boolean;
  /** Retry a 500 response (5xx, or retriable-status-codes with 500). */
  readonly on5xx: boolean;
  /** `retry_back_off.base_interval` (25 ms) and `max_interval` (10 × base). */
  readonly backoffBase: Seconds;
  readonly backoffMax: Seconds;
  /** `previous_hosts`: a retry avoids the host that failed. */
  readonly previousHosts: boolean;
}

export const ENVOY_BACKOFF_BASE: Seconds = 0.025;

/** Envoy Gateway's retry when a BackendTrafficPolicy has `retry: {}` (api/v1alpha1/retry_types.go). */
export const ENVOY_GATEWAY_RETRY_DEFAULTS: RetryPolicy = {
  numRetries: 2,
  // connect-failure, refused-stream, unavailable, cancelled, retriable-status-codes [503]: a refusal, not a 500.
  onRefused: true,
  on5xx: false,
  backoffBase: ENVOY_BACKOFF_BASE,
  backoffMax: 10 * ENVOY_BACKOFF_BASE,
  previousHosts: true,
};

/** No route retry policy: Envoy does not retry. */
export const NO_RETRY: RetryPolicy = { numRetries: 0, onRefused: false, on5xx: false, backoffBase: ENVOY_BACKOFF_BASE, backoffMax: 10 * ENVOY_BACKOFF_BASE, previousHosts: false };

/** The wait before retry `n` (1 for the first retry): uniform in [0, min(2ⁿ⁻¹·base, max)). */
export function retryBackoff(policy: RetryPolicy, n: number, rng: Rng): Seconds {
  const ceiling = Math.min(2 ** Math.min(n - 1, 30) * policy.backoffBase, policy.backoffMax);
  return rng() * ceiling;
}

/** The `retry_on` triggers Envoy Gateway accepts, read into the two failures the model has. */
export function retryOnFromTriggers(triggers: readonly string[], statusCodes: readonly number[]): { onRefused: boolean; on5xx: boolean } {
  const t = new Set(triggers);
  const codes = t.has('retriable-status-codes') ? new Set(statusCodes) : new Set<number>();
  return {
    onRefused: t.has('5xx') || t.has('gateway-error') || t.has('reset') || t.has('connect-failure') || t.has('refused-stream') || t.has('unavailable') || codes.has(503),
    on5xx: t.has('5xx') || codes.has(500),
  };
}
