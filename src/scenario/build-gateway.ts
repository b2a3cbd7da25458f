/**
 * Gateway API: GatewayClasses, Gateways, HTTPRoutes, GRPCRoutes and Envoy Gateway's BackendTrafficPolicies
 * -> the model's GatewaySpecs and GatewayRouteSpecs (model/gateway/spec.ts).
 *
 * A Gateway's implementation is its GatewayClass's `controllerName`:
 * - `gateway.envoyproxy.io/gatewayclass-controller` (Envoy Gateway): the proxies are a Deployment
 *   `envoy-<namespace>-<name>` in `envoy-gateway-system` behind a LoadBalancer Service of the same name
 *   (Envoy Gateway appends a hash; the model does not), `externalTrafficPolicy: Local` (EnvoyProxy's
 *   default), one replica, listener ports below 1024 shifted by 10000 on the container
 *   (internal/gatewayapi/listener.go `wellKnownPortShift`).
 * - `gateway.nginx.org/nginx-gateway-controller` (NGINX Gateway Fabric): a Deployment and LoadBalancer
 *   Service `<gateway>-<class>` in the Gateway's namespace, one replica, `externalTrafficPolicy: Local`.
 * The pods are ordinary pods, so placement, traffic policies, rollouts and the L4 path apply to them as to
 * an ingress controller. What Kubernetes does not say is given as annotations on the Gateway
 * (GATEWAY_ANNOTATIONS: replicas, workers, per-request processing, queue, traffic policy);
 * `spec.infrastructure.annotations` go on the Service (e.g. netsim/load-balancer), as the spec asks.
 *
 * Routes attach through `parentRefs` (kind Gateway, the route's namespace unless given). A
 * BackendTrafficPolicy applies to the routes it targets, else to every route of the Gateway it targets
 * (a route's policy wins: Envoy Gateway's precedence). Problems the API server or the controller would
 * report (an unknown class, a backendRef to a Service that does not exist) are errors or warnings here.
 */
import { UniqueNames } from './unique-names.js';
import { ENVOY_BACKOFF_BASE, retryOnFromTriggers, type RetryPolicy } from '../model/envoy/retry.js';
import { ENVOY_GATEWAY_PASSIVE_DEFAULTS, type OutlierConfig } from '../model/envoy/outlier.js';
import type { EnvoyLbPolicy } from '../model/envoy/cluster.js';
import { MAGLEV_TABLE_SIZE } from '../model/envoy/maglev.js';
import { GatewayRouter, grpcMatchSpec, listenerFor } from '../model/gateway/routing.js';
import type { BackendPolicySpec, GatewayImplementation, GatewayRouteSpec, GatewaySpec, RouteMatch, RouteRuleSpec } from '../model/gateway/spec.js';
import type { RequestMatchSpec } from '../model/http/match.js';
import { requestClass, requestUri, type HttpRequestClassInput } from '../model/http/request.js';
import { regexProblem } from '../model/http/match.js';
import type { HttpRequestMix, ServiceSpec } from '../model/spec.js';
import { DEFAULTS } from './defaults.js';
import type { BackendTrafficPolicyObject } from './kinds/backend-traffic-policy.js';
import type { BackendRefObject, GatewayObject, GrpcRouteObject, HttpRouteObject } from './kinds/gateway.js';
import { suggest } from './near-miss.js';
import type { Problems } from './problems.js';
import { Resource } from './resource.js';
import type { FieldPath } from './source-map.js';
import type { Valid, ValidatedScenario } from './validate.js';

export const GATEWAY_CONTROLLERS: Readonly<Record<string, GatewayImplementation>> = {
  'gateway.envoyproxy.io/gatewayclass-controller': 'envoy-gateway',
  'gateway.nginx.org/nginx-gateway-controller': 'nginx-gateway-fabric',
};

/** Annotations of a Gateway for what its implementation's own resources (EnvoyProxy, NginxProxy) would say. */
export const GATEWAY_ANNOTATIONS = {
  replicas: 'netsim/replicas',
  /** Worker threads (Envoy `--concurrency`) or processes (nginx): the pods' concurrency. */
  workers: 'netsim/concurrency',
  /** A request's processing in the proxy. */
  processing: 'netsim/service-time',
  queueCapacity: 'netsim/queue-capacity',
  externalTrafficPolicy: 'netsim/external-traffic-policy',
} as const;

/** A Gateway as read, with its implementation. */
export interface GatewayDraft {
  readonly spec: GatewaySpec;
  readonly res: Resource;
}

function gatewayKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/**
 * Each Gateway's Deployment and Service (located at the Gateway, so diagnostics about them point there),
 * and the GatewaySpecs.
 */
export function gatewayResources(v: ValidatedScenario, problems: Problems): { resources: Resource[]; gateways: GatewayDraft[] } {
  const resources: Resource[] = [];
  const gateways: GatewayDraft[] = [];
  const { classes, gateways: list } = v.gatewayApi;
  const seen = new UniqueNames('Gateway', problems);
  for (const { res, obj } of list) {
    const namespace = obj.metadata.namespace ?? 'default';
    const key = gatewayKey(namespace, obj.metadata.name);
    if (!seen.claim(res, key)) continue;
    const className = obj.spec.gatewayClassName;
    const cls = classes.find((c) => c.obj.metadata.name === className);
    if (cls === undefined) {
      const known = classes.map((c) => c.obj.metadata.name);
      const hint = suggest(className, known);
      problems.error(res, ['spec', 'gatewayClassName'], {
        expected: known.length > 0 ? `a GatewayClass of the scenario (${known.join(', ')})` : 'a GatewayClass in the scenario',
        found: JSON.stringify(className),
        message: `${hint ? `did you mean "${hint}"? ` : ''}add a GatewayClass "${className}" whose controllerName names the implementation (${Object.keys(GATEWAY_CONTROLLERS).join(' or ')})`,
      });
      continue;
    }
    const implementation = GATEWAY_CONTROLLERS[cls.obj.spec.controllerName];
    if (implementation === undefined) {
      problems.error(cls.res, ['spec', 'controllerName'], {
        expected: Object.keys(GATEWAY_CONTROLLERS).map((k) => `"${k}"`).join(' or '),
        found: JSON.stringify(cls.obj.spec.controllerName),
        message: 'the simulator models Envoy Gateway and NGINX Gateway Fabric',
      });
      continue;
    }
    const draft = generate(res, obj, namespace, implementation, problems);
    if (draft === null) continue;
    resources.push(...draft.resources);
    gateways.push({ spec: draft.spec, res });
  }
  return { resources, gateways };
}

function generate(
  res: Resource,
  obj: GatewayObject,
  namespace: string,
  implementation: GatewayImplementation,
  problems: Problems,
): { resources: Resource[]; spec: GatewaySpec } | null {
  const A = GATEWAY_ANNOTATIONS;
  const D = DEFAULTS.ingressController;
  const ann = obj.metadata.annotations ?? {};
  const at = (k: string): FieldPath => ['metadata', 'annotations', k];
  const whole = (k: string, fallback: number, min: number): number => {
    const text = ann[k];
    if (text === undefined) return fallback;
    if (!/^\d+$/.test(text.trim()) || Number(text.trim()) < min) {
      problems.error(res, at(k), { expected: `a whole number >= ${min}, such as "2"`, found: JSON.stringify(text) });
      return fallback;
    }
    return Number(text.trim());
  };
  const replicas = whole(A.replicas, 1, 0);
  const workers = whole(A.workers, D.workers, 1);
  const queue = whole(A.queueCapacity, D.queueCapacity, 0);
  const etp = ann[A.externalTrafficPolicy]?.trim() ?? 'Local';
  if (etp !== 'Local' && etp !== 'Cluster') {
    problems.error(res, at(A.externalTrafficPolicy), { expected: '"Local" or "Cluster"', found: JSON.stringify(ann[A.externalTrafficPolicy]) });
  }
  const names = new Set<string>();
  obj.spec.listeners.forEach((l, i) => {
    if (names.has(l.name)) problems.error(res, ['spec', 'listeners', i, 'name'], `another listener is named "${l.name}": listener names must be unique`);
    names.add(l.name);
    if (l.protocol !== 'HTTP' && l.protocol !== 'HTTPS') {
      problems.warn(res, ['spec', 'listeners', i, 'protocol'], `${l.protocol} listeners carry no HTTPRoute: only HTTP (and HTTPS, without TLS costs) are simulated`);
    }
  });
  const ports = [...new Set(obj.spec.listeners.map((l) => l.port))];
  const envoy = implementation === 'envoy-gateway';
  const name = envoy ? `envoy-${namespace}-${obj.metadata.name}` : `${obj.metadata.name}-${obj.spec.gatewayClassName}`;
  const podNamespace = envoy ? 'envoy-gateway-system' : namespace;
  const labels: Record<string, string> = envoy
    ? {
        'app.kubernetes.io/name': 'envoy',
        'app.kubernetes.io/component': 'proxy',
        'app.kubernetes.io/managed-by': 'envoy-gateway',
        'gateway.envoyproxy.io/owning-gateway-name': obj.metadata.name,
        'gateway.envoyproxy.io/owning-gateway-namespace': namespace,
      }
    : { 'app.kubernetes.io/name': name, 'gateway.networking.k8s.io/gateway-name': obj.metadata.name };
  const containerPort = (p: number): number => (envoy && p < 1024 ? p + 10000 : p);
  const processing = ann[A.processing] ?? D.processing;
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: podNamespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: {
          labels,
          annotations: { 'netsim/service-time': processing, 'netsim/concurrency': String(workers), 'netsim/queue-capacity': String(queue) },
        },
        spec: {
          containers: [
            {
              name: envoy ? 'envoy' : 'nginx',
              image: envoy ? 'envoyproxy/envoy' : 'ghcr.io/nginx/nginx-gateway-fabric/nginx',
              ports: ports.map((p) => ({ name: `port-${p}`, containerPort: containerPort(p), protocol: 'TCP' })),
            },
          ],
        },
      },
    },
  };
  const serviceAnnotations = obj.spec.infrastructure?.annotations;
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: podNamespace, labels, ...(serviceAnnotations ? { annotations: serviceAnnotations } : {}) },
    spec: {
      type: 'LoadBalancer',
      externalTrafficPolicy: etp === 'Cluster' ? 'Cluster' : 'Local',
      selector: labels,
      ports: ports.map((p) => ({ name: `port-${p}`, port: p, targetPort: `port-${p}`, protocol: 'TCP' })),
    },
  };
  const base = res.base;
  const resources = [
    new Resource(res.source, res.docIndex, base, 'apps/v1', 'Deployment', deployment),
    new Resource(res.source, res.docIndex, base, 'v1', 'Service', service),
  ];
  return {
    resources,
    spec: {
      name: obj.metadata.name,
      namespace,
      className: obj.spec.gatewayClassName,
      implementation,
      service: `${podNamespace}/${name}`,
      workers,
      listeners: obj.spec.listeners.map((l) => ({ name: l.name, port: l.port, hostname: l.hostname?.toLowerCase() ?? null })),
    },
  };
}

// ------------------------------------------------------------------------------------------------ policies

function lbPolicy(p: BackendTrafficPolicyObject): EnvoyLbPolicy | null {
  const lb = p.spec.loadBalancer;
  if (lb === undefined) return null;
  switch (lb.type) {
    case 'RoundRobin':
      return { kind: 'round-robin' };
    case 'Random':
      return { kind: 'random' };
    case 'LeastRequest':
      return { kind: 'least-request', choiceCount: 2, activeRequestBias: 1 };
    case 'ConsistentHash': {
      const ch = lb.consistentHash!;
      return { kind: 'maglev', tableSize: ch.tableSize ?? MAGLEV_TABLE_SIZE, hashOn: ch.type === 'SourceIP' ? 'source-ip' : 'session' };
    }
  }
}

function retryPolicy(p: BackendTrafficPolicyObject): RetryPolicy | null {
  const r = p.spec.retry;
  if (r === undefined) return null;
  const triggers = r.retryOn?.triggers ?? ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'];
  const codes = r.retryOn?.httpStatusCodes ?? [503];
  const base = r.perRetry?.backOff?.baseInterval ?? ENVOY_BACKOFF_BASE;
  return {
    numRetries: r.numRetries ?? 2,
    ...retryOnFromTriggers(triggers, codes),
    backoffBase: base,
    backoffMax: r.perRetry?.backOff?.maxInterval ?? 10 * base,
    previousHosts: true,
  };
}

function outlier(p: BackendTrafficPolicyObject): OutlierConfig | null {
  const pas = p.spec.healthCheck?.passive;
  if (pas === undefined) return null;
  const D = ENVOY_GATEWAY_PASSIVE_DEFAULTS;
  return {
    consecutive5xx: pas.consecutive5XxErrors ?? D.consecutive5xx,
    interval: pas.interval ?? D.interval,
    baseEjectionTime: pas.baseEjectionTime ?? D.baseEjectionTime,
    maxEjectionPercent: pas.maxEjectionPercent ?? D.maxEjectionPercent,
  };
}

/** The HTTPRoute `retry` in Envoy's terms (Envoy Gateway: retry_on from the codes, back-off from `backoff`). */
function routeRetry(r: NonNullable<HttpRouteObject['spec']['rules']>[number]['retry']): RetryPolicy | null {
  if (r === undefined) return null;
  const codes = r.codes ?? [];
  const base = r.backoff ?? ENVOY_BACKOFF_BASE;
  return {
    numRetries: r.attempts ?? 2,
    onRefused: true,
    on5xx: codes.includes(500),
    backoffBase: base,
    backoffMax: 10 * base,
    previousHosts: true,
  };
}

// ------------------------------------------------------------------------------------------------ routes

/**
 * HTTPRoutes and GRPCRoutes -> GatewayRouteSpecs, with the BackendTrafficPolicy of each. Warns about routes
 * no Gateway takes, backendRefs to Services (or ports) the scenario lacks, and policies on an
 * implementation that has none.
 */
export function buildGatewayRoutes(
  v: ValidatedScenario,
  services: readonly ServiceSpec[],
  gateways: readonly GatewayDraft[],
  problems: Problems,
  order: ReadonlyMap<Resource, number>,
): GatewayRouteSpec[] {
  const { routes, policies } = v.gatewayApi;
  const gwByKey = new Map(gateways.map((g) => [gatewayKey(g.spec.namespace, g.spec.name), g]));
  const policyFor = (kind: 'Gateway' | 'HTTPRoute' | 'GRPCRoute', namespace: string, name: string): Valid<BackendTrafficPolicyObject> | undefined =>
    policies.find(({ obj }) => (obj.metadata.namespace ?? 'default') === namespace && [...(obj.spec.targetRefs ?? []), ...(obj.spec.targetRef ? [obj.spec.targetRef] : [])].some((t) => t.kind === kind && t.name === name));
  const toSpec = (p: Valid<BackendTrafficPolicyObject>): BackendPolicySpec => ({
    name: `${p.obj.metadata.namespace ?? 'default'}/${p.obj.metadata.name}`,
    loadBalancer: lbPolicy(p.obj),
    retry: retryPolicy(p.obj),
    outlier: outlier(p.obj),
  });

  const out: GatewayRouteSpec[] = [];
  const seen = { HTTPRoute: new UniqueNames('HTTPRoute', problems), GRPCRoute: new UniqueNames('GRPCRoute', problems) };
  for (const { res, obj } of routes) {
    const namespace = obj.metadata.namespace ?? 'default';
    if (!seen[obj.kind].claim(res, `${namespace}/${obj.metadata.name}`)) continue;
    const parents = obj.spec.parentRefs.map((p, i) => {
      const gw = gatewayKey(p.namespace ?? namespace, p.name);
      if ((p.kind ?? 'Gateway') !== 'Gateway') {
        problems.warn(res, ['spec', 'parentRefs', i, 'kind'], `only Gateway parents are simulated (found ${p.kind})`);
      } else if (!gwByKey.has(gw)) {
        problems.warn(res, ['spec', 'parentRefs', i, 'name'], `no Gateway "${gw}" in the scenario: this parent routes nothing`);
      } else if (p.sectionName !== undefined && !gwByKey.get(gw)!.spec.listeners.some((l) => l.name === p.sectionName)) {
        problems.warn(res, ['spec', 'parentRefs', i, 'sectionName'], `Gateway ${gw} has no listener "${p.sectionName}"`);
      }
      return { gateway: gw, sectionName: p.sectionName ?? null, port: p.port ?? null };
    });
    const implementations = new Set(parents.map((p) => gwByKey.get(p.gateway)?.spec.implementation).filter((x) => x !== undefined));
    const gatewayPolicy = parents.map((p) => gwByKey.get(p.gateway)).map((g) => (g ? policyFor('Gateway', g.spec.namespace, g.spec.name) : undefined)).find((p) => p !== undefined);
    const policy = policyFor(obj.kind, namespace, obj.metadata.name) ?? gatewayPolicy;
    if (policy !== undefined && !implementations.has('envoy-gateway') && implementations.size > 0) {
      problems.warn(policy.res, ['spec'], 'a BackendTrafficPolicy is Envoy Gateway\'s: it has no effect on NGINX Gateway Fabric');
    }
    const policySpec = policy !== undefined ? toSpec(policy) : null;
    const backend = (b: BackendRefObject, at: FieldPath) => {
      const bns = b.namespace ?? namespace;
      if ((b.kind ?? 'Service') !== 'Service') problems.warn(res, [...at, 'kind'], `only Service backends are simulated: requests to this ${b.kind} get 500 (no-endpoints)`);
      const svc = services.find((s) => s.namespace === bns && s.name === b.name);
      if (!svc) problems.warn(res, [...at, 'name'], `no Service "${b.name}" in namespace ${bns}: requests routed here get 500 (no-endpoints)`);
      else if (b.port === undefined) problems.error(res, [...at], { expected: 'a port (required when the backend is a Service)', found: 'nothing' });
      else if (!svc.ports.some((p) => p.port === b.port)) problems.warn(res, [...at, 'port'], `Service ${b.name} has no port ${b.port}: requests routed here get 500 (no-endpoints)`);
      return { namespace: bns, service: (b.kind ?? 'Service') === 'Service' ? b.name : '', port: b.port ?? 0, weight: b.weight ?? 1 };
    };
    const hostnames = (obj.spec.hostnames ?? []).map((h) => h.toLowerCase());
    let rules: RouteRuleSpec[];
    if (obj.kind === 'HTTPRoute') {
      rules = (obj.spec.rules ?? [{}]).map((r, i) => {
        const at: FieldPath = ['spec', 'rules', i];
        const matches: RouteMatch[] = (r.matches ?? [{}]).map((m, j) => ({ match: httpMatchSpec(m, res, [...at, 'matches', j], problems) }));
        const t = r.timeouts;
        if (t?.request !== undefined && t.backendRequest !== undefined && t.request > 0 && t.backendRequest > t.request) {
          problems.error(res, [...at, 'timeouts', 'backendRequest'], { expected: `at most the request timeout (${t.request} s)`, found: `${t.backendRequest} s`, message: 'backendRequest timeout cannot be longer than request timeout' });
        }
        if ((t !== undefined || r.retry !== undefined) && implementations.has('nginx-gateway-fabric') && !implementations.has('envoy-gateway')) {
          problems.warn(res, [...at, t !== undefined ? 'timeouts' : 'retry'], 'timeouts and retry are simulated for Envoy Gateway only: NGINX Gateway Fabric keeps nginx\'s own (proxy_next_upstream)');
        }
        return {
          matches,
          backends: (r.backendRefs ?? []).map((b, j) => backend(b, [...at, 'backendRefs', j])),
          requestTimeout: t?.request !== undefined && t.request > 0 ? t.request : null,
          backendRequestTimeout: t?.backendRequest !== undefined && t.backendRequest > 0 ? t.backendRequest : null,
          retry: routeRetry(r.retry),
          policy: policySpec,
        };
      });
    } else {
      const grpc = obj as GrpcRouteObject;
      rules = (grpc.spec.rules ?? [{}]).map((r, i) => {
        const at: FieldPath = ['spec', 'rules', i];
        const matches: RouteMatch[] = (r.matches ?? [{}]).map((m) => {
          const service = m.method?.service ?? null;
          const method = m.method?.method ?? null;
          const headers = (m.headers ?? []).map((h) => ({ name: h.name.toLowerCase(), match: { type: h.type ?? ('Exact' as const), value: h.value, fullMatch: true } }));
          return { match: grpcMatchSpec(service, method, m.method?.type === 'RegularExpression', headers), grpc: { service, method } };
        });
        return { matches, backends: (r.backendRefs ?? []).map((b, j) => backend(b, [...at, 'backendRefs', j])), requestTimeout: null, backendRequestTimeout: null, retry: null, policy: policySpec };
      });
    }
    const created = obj.metadata.creationTimestamp !== undefined ? Date.parse(String(obj.metadata.creationTimestamp instanceof Date ? obj.metadata.creationTimestamp.toISOString() : obj.metadata.creationTimestamp)) : NaN;
    out.push({
      kind: obj.kind,
      name: obj.metadata.name,
      namespace,
      parents,
      hostnames,
      rules,
      // Without a creation time, file order stands for it (after every route that has one: they are "older").
      created: Number.isFinite(created) ? created : 1e15 + (order.get(res) ?? 0),
    });
  }
  for (const p of policies) {
    const refs = [...(p.obj.spec.targetRefs ?? []), ...(p.obj.spec.targetRef ? [p.obj.spec.targetRef] : [])];
    const ns = p.obj.metadata.namespace ?? 'default';
    refs.forEach((t, i) => {
      const found = t.kind === 'Gateway' ? gwByKey.has(gatewayKey(ns, t.name)) : out.some((r) => r.kind === t.kind && r.namespace === ns && r.name === t.name);
      if (!found) problems.warn(p.res, ['spec', p.obj.spec.targetRefs ? 'targetRefs' : 'targetRef', ...(p.obj.spec.targetRefs ? [i] : [])], `no ${t.kind} "${ns}/${t.name}": this policy applies to nothing`);
    });
  }
  return out;
}

/** An HTTPRoute match in the shared matcher's terms (model/http/match.ts); regexes are checked here. */
function httpMatchSpec(m: NonNullable<NonNullable<HttpRouteObject['spec']['rules']>[number]['matches']>[number], res: Resource, at: FieldPath, problems: Problems): RequestMatchSpec {
  const path = m.path ?? {};
  const type = path.type ?? 'PathPrefix';
  const value = path.value ?? '/';
  if (type === 'RegularExpression') {
    const bad = regexProblem(value);
    if (bad !== null) problems.error(res, [...at, 'path', 'value'], { expected: 'a regular expression', found: JSON.stringify(value), message: bad });
  }
  const named = (list: typeof m.headers, field: string, lower: boolean) =>
    (list ?? []).map((h, k) => {
      if (h.type === 'RegularExpression') {
        const bad = regexProblem(h.value);
        if (bad !== null) problems.error(res, [...at, field, k, 'value'], { expected: 'a regular expression', found: JSON.stringify(h.value), message: bad });
      }
      return { name: lower ? h.name.toLowerCase() : h.name, match: { type: h.type ?? ('Exact' as const), value: h.value, fullMatch: true } };
    });
  return {
    path: { type, value, fullMatch: true },
    ...(m.method !== undefined ? { method: m.method } : {}),
    ...(m.headers !== undefined ? { headers: named(m.headers, 'headers', true) } : {}),
    ...(m.queryParams !== undefined ? { query: named(m.queryParams, 'queryParams', false) } : {}),
  };
}


// ------------------------------------------------------------------------------------------------ clients

/** A Workload target `gateway: {name, host, paths | requests, sessions, port}` as validated. */
export interface GatewayTargetInput {
  readonly name: string;
  readonly host: string;
  readonly paths?: readonly { readonly path: string; readonly weight: number }[] | undefined;
  readonly requests?: readonly HttpRequestClassInput[] | undefined;
  readonly sessions?: number | undefined;
  readonly port?: number | undefined;
}

/**
 * A client's Gateway target: the Gateway's Service (the client's L4 target), its port name, and the HTTP
 * mix; warns about request classes no route serves (404). Null when the Gateway does not exist (reported).
 */
export function gatewayClientTarget(
  g: GatewayTargetInput,
  ctx: { readonly gateways: readonly GatewaySpec[]; readonly gatewayRoutes: readonly GatewayRouteSpec[] },
  services: readonly ServiceSpec[],
  res: Resource,
  at: FieldPath,
  problems: Problems,
): { svc: ServiceSpec; portName: string; http: HttpRequestMix } | null {
  const key = g.name.includes('/') ? g.name : `default/${g.name}`;
  const gw = ctx.gateways.find((x) => `${x.namespace}/${x.name}` === key);
  if (gw === undefined) {
    const known = ctx.gateways.map((x) => `${x.namespace}/${x.name}`);
    const hint = suggest(key, known);
    problems.error(res, [...at, 'name'], {
      expected: known.length > 0 ? `a Gateway of the scenario (${known.join(', ')})` : 'a Gateway (gateway.networking.k8s.io/v1) in the scenario',
      found: JSON.stringify(g.name),
      ...(hint ? { message: `did you mean "${hint}"?` } : {}),
    });
    return null;
  }
  const listener = listenerFor(gw, g.port ?? null);
  if (listener === undefined) {
    problems.error(res, [...at, 'port'], { expected: `a listener port of Gateway ${key} (${gw.listeners.map((l) => l.port).join(', ')})`, found: String(g.port) });
    return null;
  }
  const svc = services.find((s) => `${s.namespace}/${s.name}` === gw.service);
  if (svc === undefined) return null; // its generated Service failed (reported there)
  const requests = g.requests !== undefined ? g.requests.map(requestClass) : (g.paths ?? [{ path: '/', weight: 1 }]).map(requestClass);
  const host = g.host.toLowerCase();
  const router = new GatewayRouter(gw, ctx.gatewayRoutes);
  requests.forEach((r, i) => {
    if (router.route(host, listener.port, r) === null) {
      problems.warn(res, g.requests !== undefined ? [...at, 'requests', i] : [...at, 'paths'], `${r.method} ${host}${requestUri(r)} matches no route rule of Gateway ${key}: these requests get 404`);
    }
  });
  return {
    svc,
    portName: `port-${listener.port}`,
    http: { ingressClass: '', gateway: key, gatewayPort: listener.port, host, requests, sessions: g.sessions ?? DEFAULTS.client.sessions },
  };
}
