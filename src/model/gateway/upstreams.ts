/**
 * Gateways at run time: their pods join the ingress controllers' slots (the data path's L7 hop serves
 * both), and each (client, request class) is resolved at set-up to the upstream of its route rule
 * (routing.ts). What an upstream is depends on the Gateway's implementation:
 *
 * - Envoy Gateway: one Envoy cluster per route rule (internal/xds/translator), each `backendRef` one
 *   locality weighted by the backendRef's weight, balanced by `EnvoyCluster` (../envoy/) with the rule's
 *   BackendTrafficPolicy: its `loadBalancer` (default LeastRequest, two choices), `healthCheck.passive`
 *   (outlier detection, off by default) and `retry` (none by default; the HTTPRoute's `retry` when the
 *   policy has none). `timeouts.request` and `backendRequest` give the rule a deadline (the smaller).
 * - NGINX Gateway Fabric: one nginx upstream per backend (`random two least_conn` with a shared zone:
 *   nginx/nginx-gateway-fabric `internal/controller/nginx/config/upstreams.go`), a weighted rule split per
 *   request (`split_clients`), nginx's own retries (`proxy_next_upstream error timeout`: a refused try goes
 *   to another endpoint of the same upstream, every endpoint once; a 500 is passed through).
 *
 * The data path asks `retryDelay` whether and when an Envoy upstream retries, and reads `timeout` for the
 * rule's deadline. Nothing here runs per request but `retryDelay`, which does not allocate.
 */
import type { RandomStreams, Rng } from '../../engine/random.js';
import type { Seconds } from '../../engine/time.js';
import { serviceKey, type ClusterIndex } from '../cluster-index.js';
import { computeEndpoints } from '../endpoints/compute-endpoints.js';
import { EnvoyCluster, LEAST_REQUEST, policyName } from '../envoy/cluster.js';
import { NO_RETRY, retryBackoff, type RetryPolicy } from '../envoy/retry.js';
import type { HttpRequestClass } from '../http/request.js';
import { Affinity, HashBy } from '../ingress/balancer.js';
import type { Upstream } from '../ingress/controller.js';
import { NginxIncBalancer } from '../ingress/nginx-inc.js';
import type { Endpoint } from '../routing.js';
import type { HttpRequestMix, IngressControllerSpec, ModelSpec } from '../spec.js';
import { GatewayRouter } from './routing.js';
import type { GatewaySpec, RouteRuleSpec } from './spec.js';

/** nginx's `max_fails` / `fail_timeout` defaults (NGINX Gateway Fabric writes plain `server` lines). */
const NGINX_MAX_FAILS = 1;
const NGINX_FAIL_TIMEOUT: Seconds = 10;

/** The Gateways' pods as controller slots for the ingress runtime (className `gateway/<namespace>/<name>`). */
export function gatewayFronts(spec: ModelSpec): IngressControllerSpec[] {
  return (spec.gateways ?? []).map((g) => ({
    className: `gateway/${g.namespace}/${g.name}`,
    isDefaultClass: false,
    service: g.service,
    workers: g.workers,
    loadBalance: 'round_robin',
    upstreamKeepaliveRequests: 1,
    nextUpstreamTries: 1,
  }));
}

/**
 * Pods a timeline will create for the Gateways' Deployments (Pending slots, no node yet) that their
 * Services select: they become proxies when they start (a rollout of the Gateway's own Deployment).
 */
export function gatewaySlotPods(spec: ModelSpec, index: ClusterIndex): { pod: number; workers: number }[] {
  const out: { pod: number; workers: number }[] = [];
  for (const g of spec.gateways ?? []) {
    const svc = spec.services.find((s) => serviceKey(s.namespace, s.name) === g.service);
    const sel = svc?.selector;
    if (!svc || sel === null || sel === undefined || Object.keys(sel).length === 0) continue;
    spec.pods.forEach((p, i) => {
      if (index.podNode[i]! >= 0 || p.namespace !== svc.namespace) return;
      if (Object.entries(sel).every(([k, v]) => p.labels[k] === v)) out.push({ pod: i, workers: g.workers });
    });
  }
  return out;
}

/** How the ingress runtime takes new upstreams and splits. */
export interface UpstreamSink {
  upstream(u: Upstream): number;
  /** A weighted split between upstreams: returns the route code (≤ −2) the runtime resolves per request. */
  split(cumulative: Float64Array, upstreams: Int32Array): number;
}

export class GatewayUpstreams {
  /** Per upstream (after `finish`): 1 for an Envoy Gateway upstream (Envoy's retries and deadlines apply). */
  isEnvoy: Uint8Array = new Uint8Array(0);
  /** Per upstream: the retry policy (Envoy upstreams), else NO_RETRY. */
  retry: RetryPolicy[] = [];
  /** Per upstream: the rule's deadline in seconds, −1 for none. */
  timeout: Float64Array = new Float64Array(0);
  /** The Envoy clusters, by upstream index (for outlier counters in tests and results). */
  readonly clusters = new Map<number, EnvoyCluster>();
  private readonly policies = new Map<number, { retry: RetryPolicy; timeout: Seconds }>();
  private readonly byRule = new Map<string, number>();
  private readonly routers = new Map<string, GatewayRouter>();

  constructor(
    private readonly spec: ModelSpec,
    private readonly index: ClusterIndex,
    private readonly streams: RandomStreams,
    /** Controller slots in all (the balancers' state is indexed by slot). */
    private readonly slots: number,
    private readonly workers: number,
    private readonly slotRngs: readonly Rng[],
    private readonly sink: UpstreamSink,
  ) {}

  /** Per request class of `http` (a gateway client's mix): its upstream, a split code (≤ −2), or −1 (404). */
  routes(http: HttpRequestMix): Int32Array {
    const key = http.gateway!;
    const gw = (this.spec.gateways ?? []).find((g) => `${g.namespace}/${g.name}` === key);
    if (gw === undefined) throw new Error(`no Gateway '${key}'`);
    const routes = this.spec.gatewayRoutes ?? [];
    let router = this.routers.get(key);
    if (router === undefined) this.routers.set(key, (router = new GatewayRouter(gw, routes)));
    const r = router;
    return Int32Array.from(http.requests, (req: HttpRequestClass) => {
      const m = r.route(http.host, http.gatewayPort ?? null, req);
      if (m === null) return -1;
      return this.ruleUpstream(gw, m.route, m.rule);
    });
  }

  private ruleUpstream(gw: GatewaySpec, ri: number, rj: number): number {
    const key = `${gw.namespace}/${gw.name}|${ri}|${rj}`;
    const known = this.byRule.get(key);
    if (known !== undefined) return known;
    const route = (this.spec.gatewayRoutes ?? [])[ri]!;
    const rule = route.rules[rj]!;
    const owner = `${route.kind} ${route.namespace}/${route.name}`;
    const code = gw.implementation === 'envoy-gateway' ? this.envoyUpstream(owner, key, rule) : this.nginxUpstreams(owner, rule);
    this.byRule.set(key, code);
    return code;
  }

  private endpointsOf(namespace: string, service: string, port: number): Endpoint[] {
    const svc = this.spec.services.find((s) => serviceKey(s.namespace, s.name) === serviceKey(namespace, service));
    const p = svc?.ports.find((x) => x.port === port);
    return svc && p ? computeEndpoints(svc, p, this.index).filter((e) => e.ready) : [];
  }

  private ids(endpoints: readonly Endpoint[]): string[] {
    return endpoints.map((e) => `${this.spec.pods[e.pod]!.ip}:${e.port}`);
  }

  private envoyUpstream(owner: string, key: string, rule: RouteRuleSpec): number {
    const endpoints: Endpoint[] = [];
    const start: number[] = [0];
    const weights: number[] = [];
    for (const b of rule.backends) {
      endpoints.push(...this.endpointsOf(b.namespace, b.service, b.port));
      start.push(endpoints.length);
      weights.push(b.weight);
    }
    const policy = rule.policy;
    const lb = policy?.loadBalancer ?? LEAST_REQUEST;
    const retry = policy?.retry ?? rule.retry ?? NO_RETRY;
    const cluster = new EnvoyCluster({
      ids: this.ids(endpoints),
      weights: endpoints.map(() => 1),
      localityStart: start,
      localityWeights: weights,
      policy: lb,
      instances: this.slots,
      workers: this.workers,
      outlier: policy?.outlier ?? null,
      rng: this.streams.stream(`gateway/${key}/balancer`),
    });
    const timeouts = [rule.requestTimeout, rule.backendRequestTimeout].filter((t): t is number => t !== null && t > 0);
    const u = this.sink.upstream({
      ingress: owner,
      service: rule.backends.map((b) => `${b.namespace}/${b.service}`).join(','),
      port: rule.backends[0]?.port ?? 0,
      algorithm: policyName(lb),
      endpoints,
      balancer: cluster,
      proxy: null,
      tries: 1 + retry.numRetries,
      hashByClass: false,
    });
    this.clusters.set(u, cluster);
    this.policies.set(u, { retry, timeout: timeouts.length > 0 ? Math.min(...timeouts) : -1 });
    return u;
  }

  private nginxUpstreams(owner: string, rule: RouteRuleSpec): number {
    const ups = rule.backends.map((b) => {
      const endpoints = this.endpointsOf(b.namespace, b.service, b.port);
      const balancer = new NginxIncBalancer({
        ids: this.ids(endpoints),
        weights: endpoints.map(() => 1),
        algorithm: 'random_two',
        hashBy: HashBy.None,
        hashConsistent: false,
        affinity: Affinity.None,
        controllers: this.slots,
        workers: this.workers,
        sessions: 0,
        rngs: this.slotRngs,
        nodeNet24: new Int32Array(this.spec.nodes.length),
        maxFails: NGINX_MAX_FAILS,
        failTimeout: NGINX_FAIL_TIMEOUT,
      });
      return this.sink.upstream({
        ingress: owner,
        service: `${b.namespace}/${b.service}`,
        port: b.port,
        algorithm: 'random_two',
        endpoints,
        balancer,
        proxy: null,
        // proxy_next_upstream error timeout, proxy_next_upstream_tries 0: every endpoint once.
        tries: Math.max(1, endpoints.length),
        hashByClass: false,
      });
    });
    if (ups.length === 0) return -1;
    const total = rule.backends.reduce((a, b) => a + b.weight, 0);
    if (ups.length === 1 || !(total > 0)) return total > 0 ? ups[0]! : -1;
    let acc = 0;
    const cumulative = Float64Array.from(rule.backends, (b) => (acc += b.weight / total));
    cumulative[cumulative.length - 1] = 1;
    return this.sink.split(cumulative, Int32Array.from(ups));
  }

  /** Dense per-upstream arrays, once every client is resolved. */
  finish(upstreams: number): void {
    this.isEnvoy = new Uint8Array(upstreams);
    this.retry = Array.from({ length: upstreams }, () => NO_RETRY);
    this.timeout = new Float64Array(upstreams).fill(-1);
    for (const [u, p] of this.policies) {
      this.isEnvoy[u] = 1;
      this.retry[u] = p.retry;
      this.timeout[u] = p.timeout;
    }
  }

  /**
   * Envoy upstream `u`: the wait before retrying a try that failed (`is5xx`: a 500 response; else refused),
   * after `tries` tries; −1: no retry.
   */
  retryDelay(u: number, tries: number, is5xx: boolean, rng: Rng): Seconds {
    const p = this.retry[u]!;
    if (tries > p.numRetries || !(is5xx ? p.on5xx : p.onRefused)) return -1;
    return retryBackoff(p, tries, rng);
  }

  /** Whether a retry on upstream `u` avoids the endpoint that failed (`previous_hosts`). */
  avoidsPrevious(u: number): boolean {
    return this.isEnvoy[u] === 0 || this.retry[u]!.previousHosts;
  }
}
