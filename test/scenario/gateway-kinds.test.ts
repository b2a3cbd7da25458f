/**
 * Gateway API input: GatewayClass, Gateway, HTTPRoute, GRPCRoute and BackendTrafficPolicy read into the
 * model, and bad input reported with file:line:col, what was expected and what was found.
 */
import { describe, expect, test } from 'vitest';
import { failed, load, ok, TWO_NODE_CLUSTER, webApp, workload, yaml } from './helpers.js';

const APP = webApp();

const CLASS = (controller = 'gateway.envoyproxy.io/gatewayclass-controller') =>
  yaml('apiVersion: gateway.networking.k8s.io/v1', 'kind: GatewayClass', 'metadata: {name: eg}', `spec: {controllerName: ${controller}}`);

const GATEWAY = (className = 'eg', extra = '') =>
  yaml('apiVersion: gateway.networking.k8s.io/v1', 'kind: Gateway', `metadata: {name: gw${extra}}`, 'spec:', `  gatewayClassName: ${className}`, '  listeners: [{name: http, protocol: HTTP, port: 80}]');

const ROUTE = (rule = '{backendRefs: [{name: web, port: 80}]}') =>
  yaml('apiVersion: gateway.networking.k8s.io/v1', 'kind: HTTPRoute', 'metadata: {name: r}', 'spec:', '  parentRefs: [{name: gw}]', `  rules: [${rule}]`);

const CLIENT = (target = '{gateway: {name: gw, host: example.com}}') => workload(`{name: c, target: ${target}, rate: 10/s}`);

const doc = (...parts: string[]) => parts.join('---\n');

describe('reading', () => {
  test('a Gateway becomes a Deployment and a LoadBalancer Service; a client targets it', () => {
    const { spec, warnings } = ok(load({ 's.yaml': doc(TWO_NODE_CLUSTER, APP, CLASS(), GATEWAY(), ROUTE(), CLIENT()) }));
    expect(warnings).toEqual([]);
    expect(spec.gateways![0]).toMatchObject({ implementation: 'envoy-gateway', service: 'envoy-gateway-system/envoy-default-gw' });
    expect(spec.pods.filter((p) => p.namespace === 'envoy-gateway-system')).toHaveLength(1);
    expect(spec.clients[0]!.target).toMatchObject({ service: 'envoy-gateway-system/envoy-default-gw', via: 'loadBalancer' });
    expect(spec.gatewayRoutes![0]!.rules[0]!.backends).toEqual([{ namespace: 'default', service: 'web', port: 80, weight: 1 }]);
  });

  test('NGINX Gateway Fabric: <gateway>-<class> in the Gateway\'s namespace', () => {
    const { spec } = ok(load({ 's.yaml': doc(TWO_NODE_CLUSTER, APP, CLASS('gateway.nginx.org/nginx-gateway-controller'), GATEWAY(), ROUTE(), CLIENT()) }));
    expect(spec.gateways![0]).toMatchObject({ implementation: 'nginx-gateway-fabric', service: 'default/gw-eg' });
  });

  test('a BackendTrafficPolicy on the Gateway applies to its routes', () => {
    const policy = yaml(
      'apiVersion: gateway.envoyproxy.io/v1alpha1',
      'kind: BackendTrafficPolicy',
      'metadata: {name: p}',
      'spec:',
      '  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw}]',
      '  loadBalancer: {type: ConsistentHash, consistentHash: {type: SourceIP}}',
      '  healthCheck: {passive: {}}',
    );
    const { spec } = ok(load({ 's.yaml': doc(TWO_NODE_CLUSTER, APP, CLASS(), GATEWAY(), ROUTE(), policy, CLIENT()) }));
    expect(spec.gatewayRoutes![0]!.rules[0]!.policy).toEqual({
      name: 'default/p',
      loadBalancer: { kind: 'maglev', tableSize: 65537, hashOn: 'source-ip' },
      retry: null,
      outlier: { consecutive5xx: 5, interval: 3, baseEjectionTime: 30, maxEjectionPercent: 10 },
    });
  });

  test('a GRPCRoute method match becomes a match on /service/method', () => {
    const grpc = yaml(
      'apiVersion: gateway.networking.k8s.io/v1',
      'kind: GRPCRoute',
      'metadata: {name: g}',
      'spec:',
      '  parentRefs: [{name: gw}]',
      '  rules: [{matches: [{method: {service: shop.Cart, method: Add}}], backendRefs: [{name: web, port: 80}]}]',
    );
    const { spec } = ok(load({ 's.yaml': doc(TWO_NODE_CLUSTER, APP, CLASS(), GATEWAY(), grpc, CLIENT('{gateway: {name: gw, host: example.com, requests: [{path: /shop.Cart/Add, method: POST, headers: {content-type: application/grpc}}]}}')) }));
    expect(spec.gatewayRoutes![0]!.rules[0]!.matches[0]).toEqual({ match: { path: { type: 'Exact', value: '/shop.Cart/Add' } }, grpc: { service: 'shop.Cart', method: 'Add' } });
  });

  test('timeouts in the Gateway API duration format', () => {
    const { spec } = ok(load({ 's.yaml': doc(TWO_NODE_CLUSTER, APP, CLASS(), GATEWAY(), ROUTE('{backendRefs: [{name: web, port: 80}], timeouts: {request: 1m30s, backendRequest: 500ms}}'), CLIENT()) }));
    expect(spec.gatewayRoutes![0]!.rules[0]).toMatchObject({ requestTimeout: 90, backendRequestTimeout: 0.5 });
  });
});

describe('retries', () => {
  test('an HTTPRoute retry (GEP-1731) in Envoy\'s terms: attempts, 500 retried only when listed, back-off base', () => {
    const { spec } = ok(load({ 's.yaml': doc(TWO_NODE_CLUSTER, APP, CLASS(), GATEWAY(), ROUTE('{backendRefs: [{name: web, port: 80}], retry: {attempts: 3, codes: [500, 502], backoff: 100ms}}'), CLIENT()) }));
    expect(spec.gatewayRoutes![0]!.rules[0]!.retry).toEqual({ numRetries: 3, onRefused: true, on5xx: true, backoffBase: 0.1, backoffMax: 1, previousHosts: true });
  });

  test('a BackendTrafficPolicy retry with Envoy Gateway\'s defaults: 2 retries, refusals and 503 only', () => {
    const policy = yaml('apiVersion: gateway.envoyproxy.io/v1alpha1', 'kind: BackendTrafficPolicy', 'metadata: {name: p}', 'spec:', '  targetRefs: [{kind: HTTPRoute, name: r}]', '  retry: {}');
    const { spec } = ok(load({ 's.yaml': doc(TWO_NODE_CLUSTER, APP, CLASS(), GATEWAY(), ROUTE(), policy, CLIENT()) }));
    expect(spec.gatewayRoutes![0]!.rules[0]!.policy!.retry).toEqual({ numRetries: 2, onRefused: true, on5xx: false, backoffBase: 0.025, backoffMax: 0.25, previousHosts: true });
  });

  test('a BackendTrafficPolicy on NGINX Gateway Fabric is warned: it has no effect there', () => {
    const policy = yaml('apiVersion: gateway.envoyproxy.io/v1alpha1', 'kind: BackendTrafficPolicy', 'metadata: {name: p}', 'spec:', '  targetRefs: [{kind: HTTPRoute, name: r}]', '  retry: {}');
    const { warnings } = ok(load({ 's.yaml': doc(TWO_NODE_CLUSTER, APP, CLASS('gateway.nginx.org/nginx-gateway-controller'), GATEWAY(), ROUTE(), policy, CLIENT()) }));
    expect(warnings.some((w) => w.includes('no effect on NGINX Gateway Fabric'))).toBe(true);
  });
});

describe('bad input', () => {
  test('an unknown GatewayClass: error at gatewayClassName, with the classes there are', () => {
    const { errors } = failed(load({ 's.yaml': doc(TWO_NODE_CLUSTER, APP, CLASS(), GATEWAY('e-g'), ROUTE(), CLIENT()) }));
    expect(errors.some((e) => /^s\.yaml:\d+:\d+: .*gatewayClassName.*expected a GatewayClass of the scenario \(eg\), found "e-g".*did you mean "eg"/.test(e))).toBe(true);
  });

  test('an implementation the simulator does not model: error at controllerName', () => {
    const { errors } = failed(load({ 's.yaml': doc(TWO_NODE_CLUSTER, APP, CLASS('example.com/gateway-controller'), GATEWAY(), ROUTE(), CLIENT()) }));
    expect(errors.some((e) => e.includes('controllerName') && e.includes('"gateway.envoyproxy.io/gatewayclass-controller" or "gateway.nginx.org/nginx-gateway-controller"'))).toBe(true);
  });

  test('a malformed duration, and backendRequest longer than request', () => {
    const a = failed(load({ 's.yaml': doc(TWO_NODE_CLUSTER, APP, CLASS(), GATEWAY(), ROUTE('{backendRefs: [{name: web, port: 80}], timeouts: {request: 1.5s}}'), CLIENT()) }));
    expect(a.errors.some((e) => e.includes('timeouts.request') && e.includes('a Gateway API duration such as 10s'))).toBe(true);
    const b = failed(load({ 's.yaml': doc(TWO_NODE_CLUSTER, APP, CLASS(), GATEWAY(), ROUTE('{backendRefs: [{name: web, port: 80}], timeouts: {request: 1s, backendRequest: 2s}}'), CLIENT()) }));
    expect(b.errors.some((e) => e.includes('backendRequest') && e.includes('backendRequest timeout cannot be longer than request timeout'))).toBe(true);
  });

  test('a PathPrefix that is not absolute', () => {
    const { errors } = failed(load({ 's.yaml': doc(TWO_NODE_CLUSTER, APP, CLASS(), GATEWAY(), ROUTE('{matches: [{path: {value: foo}}], backendRefs: [{name: web, port: 80}]}'), CLIENT()) }));
    expect(errors.some((e) => e.includes('path.value') && e.includes("must be an absolute path"))).toBe(true);
  });

  test('a client naming a Gateway that does not exist', () => {
    const { errors } = failed(load({ 's.yaml': doc(TWO_NODE_CLUSTER, APP, CLASS(), GATEWAY(), ROUTE(), CLIENT('{gateway: {name: gq, host: example.com}}')) }));
    expect(errors.some((e) => e.includes('target.gateway.name') && e.includes('found "gq"'))).toBe(true);
  });

  test('warnings: a backendRef to a missing Service, requests no route serves', () => {
    const { warnings } = ok(load({ 's.yaml': doc(TWO_NODE_CLUSTER, APP, CLASS(), GATEWAY(), ROUTE('{matches: [{path: {type: Exact, value: /a}}], backendRefs: [{name: webb, port: 80}]}'), CLIENT()) }));
    expect(warnings.some((w) => w.includes('no Service "webb"'))).toBe(true);
    expect(warnings.some((w) => w.includes('GET example.com/ matches no route rule of Gateway default/gw: these requests get 404'))).toBe(true);
  });

  test('an older Gateway API version is an error that names v1', () => {
    const old = ROUTE().replace('gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1alpha2');
    const { errors } = failed(load({ 's.yaml': doc(TWO_NODE_CLUSTER, APP, CLASS(), GATEWAY(), old, CLIENT()) }));
    expect(errors.some((e) => e.includes('apiVersion') && e.includes('gateway.networking.k8s.io/v1'))).toBe(true);
  });
});
