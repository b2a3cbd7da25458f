/**
 * Gateway API (gateway.networking.k8s.io/v1) as the model reads it: Gateways with their implementation
 * (chosen by the GatewayClass's `controllerName`), their pods' Service, and the HTTPRoutes and GRPCRoutes
 * attached to them, each rule with its backends, timeouts, retry and the implementation's policy
 * (Envoy Gateway's BackendTrafficPolicy) already resolved by the scenario layer.
 */
import type { Seconds } from '../../engine/time.js';
import type { EnvoyLbPolicy } from '../envoy/cluster.js';
import type { OutlierConfig } from '../envoy/outlier.js';
import type { RetryPolicy } from '../envoy/retry.js';
import type { RequestMatchSpec } from '../http/match.js';

/**
 * Which implementation serves a GatewayClass (its `spec.controllerName`):
 * - `envoy-gateway`: `gateway.envoyproxy.io/gatewayclass-controller` (Envoy proxies);
 * - `nginx-gateway-fabric`: `gateway.nginx.org/nginx-gateway-controller` (nginx).
 */
export type GatewayImplementation = 'envoy-gateway' | 'nginx-gateway-fabric';

export interface GatewayListenerSpec {
  readonly name: string;
  readonly port: number;
  /** `hostname` of the listener; null: any. */
  readonly hostname: string | null;
}

export interface GatewaySpec {
  readonly name: string;
  readonly namespace: string;
  readonly className: string;
  readonly implementation: GatewayImplementation;
  /** The Service (`namespace/name`) in front of the Gateway's own pods. */
  readonly service: string;
  /** Worker threads (Envoy) or processes (nginx) per pod: the pods' concurrency. */
  readonly workers: number;
  readonly listeners: readonly GatewayListenerSpec[];
}

/** Envoy Gateway's BackendTrafficPolicy, as it applies to one route rule (null parts: the defaults). */
export interface BackendPolicySpec {
  /** `namespace/name` of the policy. */
  readonly name: string;
  readonly loadBalancer: EnvoyLbPolicy | null;
  readonly retry: RetryPolicy | null;
  /** `healthCheck.passive` (outlier detection); null: off. */
  readonly outlier: OutlierConfig | null;
}

export interface RouteBackendSpec {
  /** A Service: its namespace and name. */
  readonly namespace: string;
  readonly service: string;
  readonly port: number;
  /** `weight` (default 1; 0: no traffic). */
  readonly weight: number;
}

/** A GRPCRoute method match (`type: Exact`), kept for its precedence (characters of service, of method). */
export interface GrpcMethodMatch {
  readonly service: string | null;
  readonly method: string | null;
}

export interface RouteMatch {
  readonly match: RequestMatchSpec;
  /** GRPCRoute only: the method match as written. */
  readonly grpc?: GrpcMethodMatch;
}

export interface RouteRuleSpec {
  /** The rule's matches (ORed); an HTTPRoute rule without matches has one: PathPrefix `/`. */
  readonly matches: readonly RouteMatch[];
  readonly backends: readonly RouteBackendSpec[];
  /** `timeouts.request` and `timeouts.backendRequest` (null: not set; 0 would disable: stored as null). */
  readonly requestTimeout: Seconds | null;
  readonly backendRequestTimeout: Seconds | null;
  /** HTTPRoute `retry` (Gateway API), already in Envoy's terms; null: none. */
  readonly retry: RetryPolicy | null;
  /** The BackendTrafficPolicy that applies (route's, else the Gateway's); null: none. */
  readonly policy: BackendPolicySpec | null;
}

export interface GatewayRouteSpec {
  readonly kind: 'HTTPRoute' | 'GRPCRoute';
  readonly name: string;
  readonly namespace: string;
  /** The Gateways (`namespace/name`) it attaches to, each optionally to one listener (`sectionName`) or port. */
  readonly parents: readonly { readonly gateway: string; readonly sectionName: string | null; readonly port: number | null }[];
  /** `spec.hostnames` (lower case); empty: any. */
  readonly hostnames: readonly string[];
  readonly rules: readonly RouteRuleSpec[];
  /**
   * Rank by creation: `metadata.creationTimestamp` when written, else the file order (the model's stand-in
   * for "created first"); lower is older.
   */
  readonly created: number;
}
