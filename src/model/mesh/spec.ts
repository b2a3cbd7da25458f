/**
 * A service mesh's typed input: which clients have a sidecar that balances their requests, with what policy,
 * which pods have a sidecar in front of them, and what one proxy adds to a request.
 *
 * The scenario layer resolves the enablement (namespace label `istio-injection=enabled`, pod label
 * `sidecar.istio.io/inject`, annotation `linkerd.io/inject`) and the destination's policy (Istio
 * DestinationRule / VirtualService, Linkerd's Service annotations) and writes every default in; the model
 * never guesses. See docs/model.md ("Service mesh").
 */
import type { Distribution } from '../../engine/distributions/distribution.js';
import type { Seconds } from '../../engine/time.js';
import type { PodKey } from '../spec.js';

export type MeshKind = 'istio' | 'linkerd';

/**
 * How a sidecar picks the endpoint of each request. `least-request`: Envoy's LEAST_REQUEST (Istio's
 * default): `choiceCount` random draws, the one with the fewest active requests; `round-robin`, `random`:
 * Envoy's; `peak-ewma`: Linkerd's power of two choices over the Peak-EWMA latency cost.
 */
export type MeshBalancing = 'least-request' | 'round-robin' | 'random' | 'peak-ewma';

/** Envoy outlier detection (Istio `DestinationRule.trafficPolicy.outlierDetection`): consecutive errors. */
export interface MeshOutlierSpec {
  /** `consecutive5xxErrors` (refusals and resets count, as gateway errors do). */
  readonly consecutiveErrors: number;
  /** `interval`: how often ejected hosts are looked at to be returned. */
  readonly interval: Seconds;
  /** `baseEjectionTime`: a host's n-th ejection lasts n times this. */
  readonly baseEjectionTime: Seconds;
  /** `maxEjectionPercent` (0-100): at most this share of the hosts is ejected at once. */
  readonly maxEjectionPercent: number;
}

/** Linkerd consecutive-failures failure accrual (Service annotations `balancer.linkerd.io/failure-accrual*`). */
export interface MeshFailureAccrualSpec {
  /** `failure-accrual-consecutive-max-failures` (default 7). */
  readonly maxFailures: number;
  /** `-min-penalty` (default 1 s) and `-max-penalty` (default 1 min): the exponential backoff's bounds. */
  readonly minPenalty: Seconds;
  readonly maxPenalty: Seconds;
  /** `-jitter-ratio` (default 0.5): up to this fraction of the backoff is added at random. */
  readonly jitterRatio: number;
}

/** The policy one client's sidecar applies to the requests for its destination Service. */
export interface MeshPolicySpec {
  readonly balancing: MeshBalancing;
  /** Least request: hosts drawn per pick (Envoy `choice_count`, default 2). */
  readonly choiceCount: number;
  /** Peak EWMA: the RTT assumed before any response (linkerd2-proxy: 30 ms) and the decay time (10 s). */
  readonly defaultRtt: Seconds;
  readonly decay: Seconds;
  /** Retries the sidecar makes after a refusal or a reset (Istio default 2; Linkerd default 0). */
  readonly retries: number;
  /** Envoy's retry back-off base (default 25 ms): retry n waits U(0, (2^n − 1) × base), capped at 10 × base. 0: at once. */
  readonly retryBackoff: Seconds;
  /** Retries go to a host not tried before when there is one (Envoy `previous_hosts`, Istio's default). */
  readonly retryOtherHost: boolean;
  /** The sidecar's request timeout (Istio VirtualService `timeout`, Linkerd `timeout.linkerd.io/request`); null: none. */
  readonly timeout: Seconds | null;
  readonly outlier: MeshOutlierSpec | null;
  readonly failureAccrual: MeshFailureAccrualSpec | null;
}

/** A client whose requests go through its pod's sidecar (an outbound proxy). */
export interface MeshClientSpec {
  /** The client's name (ClientSpec.name). */
  readonly client: string;
  readonly mesh: MeshKind;
  readonly policy: MeshPolicySpec;
}

export interface MeshSpec {
  /** What one proxy traversal adds to a request (both directions together), per mesh, drawn per request and proxy. */
  readonly hopLatency: Readonly<Record<MeshKind, Distribution>>;
  readonly clients: readonly MeshClientSpec[];
  /** Pods with a sidecar: a request from a meshed client into one of them pays a second (inbound) hop. */
  readonly pods: readonly { readonly pod: PodKey; readonly mesh: MeshKind }[];
}
