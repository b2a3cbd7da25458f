/**
 * Service mesh enablement and policy from manifests (src/scenario/build-mesh.ts): Namespace labels and
 * annotations, pod labels and template annotations, Istio's DestinationRule and VirtualService, Linkerd's
 * Service annotations; and models/grpc-mesh.yaml end to end (pinned without a mesh, even with either).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { injectedBy } from '../../src/scenario/build-mesh.js';
import { simulate } from '../../src/model/simulation.js';
import { loadScenario } from '../../src/scenario/index.js';
import { failed, load, ok, yaml } from './helpers.js';

const MODEL = new URL('../../models/grpc-mesh.yaml', import.meta.url).pathname;
const ISTIO = 'Namespace/shop.metadata.labels.istio-injection=enabled';
const LINKERD = 'Namespace/shop.metadata.annotations["linkerd.io/inject"]=enabled';

describe('which mesh injects a pod', () => {
  const meta = (labels: Record<string, string> = {}, annotations: Record<string, string> = {}) => ({ labels, annotations });
  it.each([
    ['namespace istio-injection=enabled', meta(), meta({ 'istio-injection': 'enabled' }), 'istio'],
    ['namespace revision label', meta(), meta({ 'istio.io/rev': 'canary' }), 'istio'],
    ['pod opts out of Istio', meta({ 'sidecar.istio.io/inject': 'false' }), meta({ 'istio-injection': 'enabled' }), null],
    ['pod opts in', meta({ 'sidecar.istio.io/inject': 'true' }), meta(), 'istio'],
    ['namespace disabled wins over the pod', meta({ 'sidecar.istio.io/inject': 'true' }), meta({ 'istio-injection': 'disabled' }), null],
    ['namespace linkerd.io/inject', meta(), meta({}, { 'linkerd.io/inject': 'enabled' }), 'linkerd'],
    ['pod template linkerd.io/inject', meta({}, { 'linkerd.io/inject': 'enabled' }), meta(), 'linkerd'],
    ['pod disables Linkerd', meta({}, { 'linkerd.io/inject': 'disabled' }), meta({}, { 'linkerd.io/inject': 'enabled' }), null],
    ['nothing', meta(), meta(), null],
  ] as const)('%s', (_, pod, ns, expected) => {
    expect(injectedBy(pod, ns)).toBe(expected);
  });
});

describe('models/grpc-mesh.yaml', () => {
  it('without a mesh there is no mesh spec; kube-proxy pins the two connections to at most two pods', () => {
    const { spec } = ok(loadScenario([MODEL]));
    expect(spec.mesh).toBeUndefined();
    const r = simulate({ ...spec, simulation: { ...spec.simulation, duration: 5, warmup: 0 } });
    expect(r.pods.filter((p) => p.requests > 0).length).toBeLessThanOrEqual(2);
    expect(r.pods.filter((p) => p.pod.startsWith('shop/api-'))).toHaveLength(6);
  });

  it.each([
    [ISTIO, 'istio', 'least-request', 2],
    [LINKERD, 'linkerd', 'peak-ewma', 0],
  ] as const)('%s: every pod of the namespace has a sidecar; the client balances per request', (set, mesh, balancing, retries) => {
    const { spec } = ok(loadScenario([MODEL], { set: [set] }));
    expect(spec.mesh!.clients).toEqual([expect.objectContaining({ client: 'frontend', mesh, policy: expect.objectContaining({ balancing, retries, timeout: null }) })]);
    expect(spec.mesh!.pods).toHaveLength(7); // six api replicas and the frontend
    const r = simulate({ ...spec, simulation: { ...spec.simulation, duration: 5, warmup: 0 } });
    const n = r.accounting.total.completed;
    const api = r.pods.filter((p) => p.pod.startsWith('shop/api-'));
    expect(api).toHaveLength(6);
    for (const p of api) expect(p.requests / n).toBeGreaterThan(0.1);
  });
});

const APP = yaml(
  'apiVersion: v1',
  'kind: Namespace',
  'metadata:',
  '  name: shop',
  '  annotations: {linkerd.io/inject: enabled}',
  '---',
  'apiVersion: v1',
  'kind: Pod',
  'metadata: {name: client, namespace: shop}',
  'spec: {containers: [{name: c, image: c}]}',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: {name: api, namespace: shop}',
  'spec:',
  '  replicas: 3',
  '  selector: {matchLabels: {app: api}}',
  '  template:',
  '    metadata: {labels: {app: api}}',
  '    spec: {containers: [{name: api, image: api, ports: [{containerPort: 8080}]}]}',
  '---',
  'apiVersion: netsim/v1',
  'kind: Workload',
  'spec:',
  '  clients:',
  '    - {name: c, from: {pod: shop/client}, target: {service: shop/api}, rate: 100/s}',
);

const service = (...annotations: string[]) =>
  yaml('apiVersion: v1', 'kind: Service', 'metadata:', '  name: api', '  namespace: shop', '  annotations:', ...annotations.map((a) => `    ${a}`), 'spec:', '  selector: {app: api}', '  ports: [{port: 80, targetPort: 8080}]');

describe('Linkerd policy from the Service annotations', () => {
  it('failure accrual, retries and a timeout', () => {
    const { spec } = ok(
      load({
        'app.yaml': APP,
        'svc.yaml': service(
          'balancer.linkerd.io/failure-accrual: consecutive',
          'balancer.linkerd.io/failure-accrual-consecutive-max-failures: "5"',
          'balancer.linkerd.io/failure-accrual-consecutive-max-penalty: 30s',
          'retry.linkerd.io/http: 5xx',
          'retry.linkerd.io/limit: "3"',
          'timeout.linkerd.io/request: 250ms',
        ),
      }),
    );
    const policy = spec.mesh!.clients[0]!.policy;
    expect(policy.failureAccrual).toEqual({ maxFailures: 5, minPenalty: 1, maxPenalty: 30, jitterRatio: 0.5 });
    expect(policy.retries).toBe(3);
    expect(policy.timeout).toBe(0.25);
    // The client's attempts time out with the sidecar's request timeout.
    const r = simulate({ ...spec, simulation: { ...spec.simulation, duration: 2, warmup: 0 } });
    expect(r.accounting.total.completed).toBeGreaterThan(0);
  });

  it('bad values are errors at the annotation, file:line:col', () => {
    const { errors } = failed(load({ 'app.yaml': APP, 'svc.yaml': service('balancer.linkerd.io/failure-accrual: sometimes', 'timeout.linkerd.io/request: soon') }));
    expect(errors.join('\n')).toMatch(/svc\.yaml:7:\d+.*"consecutive"/);
    expect(errors.join('\n')).toMatch(/svc\.yaml:8:\d+.*a duration above zero/);
  });
});

describe('Istio policy from DestinationRule and VirtualService', () => {
  const istioApp = APP.replace('annotations: {linkerd.io/inject: enabled}', 'labels: {istio-injection: enabled}');
  const plain = yaml('apiVersion: v1', 'kind: Service', 'metadata: {name: api, namespace: shop}', 'spec:', '  selector: {app: api}', '  ports: [{port: 80, targetPort: 8080}]');

  it('loadBalancer.simple, outlierDetection (defaults for what is left out), retries and timeout', () => {
    const { spec } = ok(
      load({
        'app.yaml': istioApp,
        'svc.yaml': plain,
        'istio.yaml': yaml(
          'apiVersion: networking.istio.io/v1',
          'kind: DestinationRule',
          'metadata: {name: api, namespace: shop}',
          'spec:',
          '  host: api.shop.svc.cluster.local',
          '  trafficPolicy:',
          '    loadBalancer: {simple: ROUND_ROBIN}',
          '    outlierDetection: {consecutive5xxErrors: 3, baseEjectionTime: 15s}',
          '---',
          'apiVersion: networking.istio.io/v1beta1',
          'kind: VirtualService',
          'metadata: {name: api, namespace: shop}',
          'spec:',
          '  hosts: [api]',
          '  http:',
          '    - route: [{destination: {host: api}}]',
          '      timeout: 2s',
          '      retries: {attempts: 4}',
        ),
      }),
    );
    const policy = spec.mesh!.clients[0]!.policy;
    expect(policy.balancing).toBe('round-robin');
    expect(policy.outlier).toEqual({ consecutiveErrors: 3, interval: 10, baseEjectionTime: 15, maxEjectionPercent: 10 });
    expect(policy.retries).toBe(4);
    expect(policy.timeout).toBe(2);
  });

  it('PASSTHROUGH is an error where it is written', () => {
    const { errors } = failed(
      load({
        'app.yaml': istioApp,
        'svc.yaml': plain,
        'dr.yaml': yaml('apiVersion: networking.istio.io/v1', 'kind: DestinationRule', 'metadata: {name: api, namespace: shop}', 'spec:', '  host: api', '  trafficPolicy:', '    loadBalancer: {simple: PASSTHROUGH}'),
      }),
    );
    expect(errors.join('\n')).toMatch(/dr\.yaml:7:\d+.*PASSTHROUGH/);
  });

  it('hop latency from the Cluster', () => {
    const cluster = yaml('apiVersion: netsim/v1', 'kind: Cluster', 'spec:', '  nodes: [{name: n1}, {name: n2}]', '  mesh:', '    istio: {hopLatency: const(1ms)}');
    const { spec } = ok(load({ 'cluster.yaml': cluster, 'app.yaml': istioApp, 'svc.yaml': plain }));
    expect(spec.mesh!.hopLatency.istio.mean).toBeCloseTo(0.001, 12);
    expect(readFileSync(MODEL, 'utf8')).toContain('kind: Namespace');
  });
});
