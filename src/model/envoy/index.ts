/**
 * Envoy's upstream machinery, for every Envoy the model runs: Envoy Gateway's proxies (src/model/gateway/)
 * and Envoy sidecars of a mesh (src/model/mesh/). Interface:
 *
 * - `EnvoyCluster` (cluster.ts): one Envoy cluster's host choice at each of `instances` Envoy processes.
 *   Build it with `EnvoyClusterConfig` (endpoint ids and weights grouped by locality, locality weights, an
 *   `EnvoyLbPolicy`, workers per instance, an `OutlierConfig` or null, an Rng for random starts). Then, per
 *   request try at instance `k`, worker `w`:
 *     `const e = cluster.pick(k, w, rng, now, avoid, uriHash, remoteAddr, session)` (−1: no host;
 *       `avoid` = the host the previous try failed on, −1 on a first try; the three keys feed Maglev),
 *     `cluster.sent(k, e)` when the try leaves (rq_active + 1),
 *     `cluster.done(k, e, now, rtt)` when it is over: `rtt` ≥ 0 a good response, < 0 a 5xx, a refusal or a
 *       reset (outlier detection counts it).
 *   It has the shape of the ingress controllers' `UpstreamBalancer`, so anything that drives those drives
 *   it. `cluster.outlier` exposes the detector's counters (`active`, `ejections`, `overflows` per instance).
 * - `OutlierDetector` (outlier.ts): consecutive-5xx ejection with Envoy's arithmetic; `ENVOY_OUTLIER_DEFAULTS`
 *   (Envoy) and `ENVOY_GATEWAY_PASSIVE_DEFAULTS` (Envoy Gateway's passiveHealthCheck).
 * - `RetryPolicy` (retry.ts): `num_retries`, which failures are retried, `retryBackoff(policy, n, rng)` for the
 *   jittered exponential back-off, `previousHosts`; `ENVOY_GATEWAY_RETRY_DEFAULTS`, `NO_RETRY`.
 * - `MaglevTable` (maglev.ts): Envoy's Maglev table (65537 entries by default), O(1) lookup.
 * - `LEAST_REQUEST`: Envoy's default-less `LEAST_REQUEST` with `choice_count` 2 (Envoy Gateway's default
 *   policy; Istio's `LEAST_REQUEST` default too).
 *
 * All state lives in typed arrays indexed by (instance, host) or (instance, worker, ...): nothing allocates
 * per request.
 */
export { EnvoyCluster, LEAST_REQUEST, policyName, type EnvoyClusterConfig, type EnvoyLbPolicy } from './cluster.js';
export { MaglevTable, MAGLEV_TABLE_SIZE } from './maglev.js';
export { ENVOY_GATEWAY_PASSIVE_DEFAULTS, ENVOY_OUTLIER_DEFAULTS, OutlierDetector, type OutlierConfig } from './outlier.js';
export { ENVOY_BACKOFF_BASE, ENVOY_GATEWAY_RETRY_DEFAULTS, NO_RETRY, retryBackoff, retryOnFromTriggers, type RetryPolicy } from './retry.js';
