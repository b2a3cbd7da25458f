/**
 * A Gateway (its pods are `ctrl-*` behind `ingress-nginx/ingress-nginx-controller`, reused from the ingress
 * fixtures) with HTTPRoutes built in the model's own terms, for data-path tests of the Gateway API.
 */
import type { GatewayImplementation, GatewayRouteSpec, GatewaySpec, RouteRuleSpec } from '../../../src/model/gateway/spec.js';
import { requestClass } from '../../../src/model/http/request.js';
import type { ClientSpec, ModelSpec, PodSpec } from '../../../src/model/spec.js';
import { appPods, clusterIpService, controllerPods, controllerService } from '../beyond-fixtures.js';
import { FREE_PROXY } from '../datapath-helpers.js';
import { behaviour, client, dist, modelSpec, node } from '../fixtures.js';

export function gateway(implementation: GatewayImplementation = 'envoy-gateway', workers = 1): GatewaySpec {
  return {
    name: 'gw',
    namespace: 'default',
    className: implementation === 'envoy-gateway' ? 'eg' : 'nginx',
    implementation,
    service: 'ingress-nginx/ingress-nginx-controller',
    workers,
    listeners: [{ name: 'http', port: 80, hostname: null }],
  };
}

export function rule(backends: readonly { service: string; weight?: number }[], overrides: Partial<RouteRuleSpec> = {}): RouteRuleSpec {
  return {
    matches: [{ match: { path: { type: 'PathPrefix', value: '/' } } }],
    backends: backends.map((b) => ({ namespace: 'default', service: b.service, port: 80, weight: b.weight ?? 1 })),
    requestTimeout: null,
    backendRequestTimeout: null,
    retry: null,
    policy: null,
    ...overrides,
  };
}

export function httpRoute(name: string, rules: readonly RouteRuleSpec[], overrides: Partial<GatewayRouteSpec> = {}): GatewayRouteSpec {
  return { kind: 'HTTPRoute', name, namespace: 'default', parents: [{ gateway: 'default/gw', sectionName: null, port: null }], hostnames: [], rules, created: 0, ...overrides };
}

/** A client in a pod on node-1 sending through the Gateway's cluster IP. */
export function gatewayClient(rate: number, overrides: Partial<ClientSpec> = {}, paths: readonly string[] = ['/']): ClientSpec {
  return client({
    name: 'http',
    location: { kind: 'pod', node: 'node-1' },
    target: { service: 'ingress-nginx/ingress-nginx-controller', port: 80, via: 'clusterIP', nodes: [] },
    arrival: { kind: 'open', interarrival: dist(`exp(rate=${rate}/s)`) },
    connection: { kind: 'pool', connections: 1 },
    http: { ingressClass: '', gateway: 'default/gw', host: 'example.com', requests: paths.map((p) => requestClass({ path: p })), sessions: 1000 },
    ...overrides,
  });
}

export interface GatewaySetup {
  /** Backend apps: name -> pod count. */
  readonly apps: Readonly<Record<string, number>>;
  readonly routes: readonly GatewayRouteSpec[];
  readonly rate: number;
  readonly implementation?: GatewayImplementation;
  readonly gatewayPods?: number;
  readonly workers?: number;
  /** Overrides of pod k of app `app`. */
  readonly pod?: (app: string, k: number) => Partial<PodSpec>;
  readonly client?: Partial<ClientSpec>;
}

/** Exponential 1 ms servers, one at a time, on two nodes; zero-cost network and gateway unless set. */
export function gatewaySpec(s: GatewaySetup): ModelSpec {
  const nodes = [node('node-1', 'zone-a'), node('node-2', 'zone-a')];
  const gwPods = controllerPods(Array.from({ length: s.gatewayPods ?? 1 }, () => 'node-1'), s.workers ?? 1, 'const(0)');
  const apps = Object.entries(s.apps).flatMap(([app, n]) =>
    appPods(app, Array.from({ length: n }, (_, k) => (k % 2 === 0 ? 'node-1' : 'node-2')), (k) => ({
      behaviour: behaviour({ concurrency: 1, queueCapacity: 1e9, serviceTime: dist('exp(mean=1ms)') }),
      ...(s.pod?.(app, k) ?? {}),
    })),
  );
  return {
    ...modelSpec({
      nodes,
      pods: [...gwPods, ...apps],
      services: [controllerService(), ...Object.keys(s.apps).map((a) => clusterIpService(a))],
      clients: [gatewayClient(s.rate, s.client ?? {})],
      kubeProxy: FREE_PROXY,
    }),
    gateways: [gateway(s.implementation ?? 'envoy-gateway', s.workers ?? 1)],
    gatewayRoutes: s.routes,
  };
}
