/**
 * Requests that carry a method, headers, query parameters and cookies, routed and balanced as the
 * controllers' code does it: the NGINX Ingress Controller's VirtualServer `matches` and `splits`
 * (virtualserver.go `generateMatchesConfig`, `split_clients`), Kong's KongUpstreamPolicy (consistent
 * hashing on a header with a fallback, `slots`, sticky sessions; kong/runloop/balancer/*.lua).
 *
 * Shares are checked against the class weights with 4σ binomial tolerances.
 */
import { describe, expect, test } from 'vitest';
import { RandomStreams } from '../../../src/engine/random.js';
import { ClusterIndex } from '../../../src/model/cluster-index.js';
import { requestClass, type HttpRequestClassInput } from '../../../src/model/http/request.js';
import { HashBy } from '../../../src/model/ingress/balancer.js';
import { IngressRuntime } from '../../../src/model/ingress/controller.js';
import { kongClassKey } from '../../../src/model/ingress/kong.js';
import type { KongUpstreamPolicySpec, ModelSpec, VirtualServerSpec } from '../../../src/model/spec.js';
import { BALANCING, appPods, clusterIpService, controller, controllerPods, controllerService, httpClient, ingressTo } from '../beyond-fixtures.js';
import { behaviour, dist, modelSpec, node } from '../fixtures.js';
import { FREE_PROXY, run } from '../datapath-helpers.js';

const FAST = { behaviour: behaviour({ concurrency: 64, queueCapacity: 1e9, serviceTime: dist('const(100us)') }) };

/** Within 4σ of a binomial share p of n. */
function expectShare(count: number, n: number, p: number, label: string): void {
  const sd = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(count - n * p), `${label}: ${count} of ${n}, expected ${(n * p).toFixed(0)}`).toBeLessThanOrEqual(4 * sd + 1e-9);
}

function client(classes: HttpRequestClassInput[], rate = 2000) {
  const c = httpClient(rate);
  return { ...c, http: { ...c.http!, requests: classes.map(requestClass) } };
}

describe('NGINX Ingress Controller VirtualServer: matches and splits through the data path', () => {
  const upstreams = ['post', 'stable', 'canary'].map((name) => ({ name, namespace: 'default', service: name, port: 80, balancing: { ...BALANCING, nextUpstreamTries: 0 } }));
  const server: VirtualServerSpec = {
    name: 'cafe',
    namespace: 'default',
    className: 'nginx',
    host: 'example.com',
    upstreams,
    routes: [
      {
        path: '/coffee',
        matches: [{ conditions: [{ source: 'variable', name: '$request_method', value: 'POST' }], action: { kind: 'pass', upstream: 'post' } }],
        action: { kind: 'splits', splits: [{ weight: 80, upstream: 'stable' }, { weight: 20, upstream: 'canary' }] },
      },
    ],
  };
  const spec = (classes: HttpRequestClassInput[]): ModelSpec => ({
    ...modelSpec({
      nodes: [node('node-1', 'zone-a')],
      pods: [...controllerPods(['node-1'], 2), ...['post', 'stable', 'canary'].flatMap((app) => appPods(app, ['node-1'], () => FAST))],
      services: [controllerService(), clusterIpService('post'), clusterIpService('stable'), clusterIpService('canary')],
      clients: [client(classes)],
      kubeProxy: FREE_PROXY,
    }),
    ingressControllers: [controller({ workers: 2, implementation: 'nginx-inc', loadBalance: 'round_robin' })],
    virtualServers: [server],
  });

  test('POST goes to its match; the rest splits 80/20 per request', () => {
    const n = 20000;
    const r = run(spec([{ path: '/coffee', weight: 0.5 }, { path: '/coffee', method: 'POST', weight: 0.5 }]), { requests: n });
    const count = (app: string) => r.pods.find((p) => p.pod.startsWith(`default/${app}-`))!.requests;
    expectShare(count('post'), n, 0.5, 'post');
    expectShare(count('stable'), n, 0.4, 'stable');
    expectShare(count('canary'), n, 0.1, 'canary');
    expect(r.ingress!.noRoute).toBe(0);
  });

  test('a path no location matches is a 404 (no-route)', () => {
    const r = run(spec([{ path: '/tea' }]), { requests: 200 });
    expect(r.ingress!.noRoute).toBe(200);
  });
});

describe('Kong KongUpstreamPolicy', () => {
  const policy = (p: Partial<KongUpstreamPolicySpec>): KongUpstreamPolicySpec => ({ algorithm: 'consistent_hashing', hashOn: null, hashOnFallback: null, slots: 10000, ...p });
  const spec = (p: KongUpstreamPolicySpec, classes: HttpRequestClassInput[], sessions = 1000): ModelSpec => {
    const c = client(classes, 1000);
    return {
      ...modelSpec({
        nodes: [node('node-1', 'zone-a')],
        pods: [...controllerPods(['node-1'], 1), ...appPods('web', ['node-1', 'node-1', 'node-1', 'node-1'], () => FAST)],
        services: [controllerService(), clusterIpService('web')],
        clients: [{ ...c, sourceIPs: 500, connection: { kind: 'per-request' }, http: { ...c.http!, sessions } }],
        kubeProxy: FREE_PROXY,
      }),
      ingressControllers: [controller({ workers: 1, implementation: 'kong', loadBalance: 'round_robin' })],
      ingresses: [ingressTo('web')],
      kongUpstreamPolicies: { 'default/web': p },
    };
  };
  const webCounts = (s: ModelSpec, n: number) => run(s, { requests: n }).pods.filter((p) => p.pod.startsWith('default/web-')).map((p) => p.requests);

  test('hashOn header: every request of a class with the header lands on one target', () => {
    for (const user of ['alice', 'bob', 'carol']) {
      const counts = webCounts(spec(policy({ hashOn: { kind: 'header', name: 'x-user' } }), [{ path: '/', headers: { 'X-User': user } }]), 300);
      expect(counts.filter((c) => c > 0)).toEqual([300]);
    }
  });

  test('header absent: hashOnFallback ip spreads by client address; no fallback: one key for all', () => {
    const fallback = webCounts(spec(policy({ hashOn: { kind: 'header', name: 'x-user' }, hashOnFallback: { kind: 'ip' } }), [{ path: '/' }]), 4000);
    expect(fallback.filter((c) => c > 0).length).toBe(4);
    const none = webCounts(spec(policy({ hashOn: { kind: 'header', name: 'x-user' } }), [{ path: '/' }]), 300);
    expect(none.filter((c) => c > 0)).toEqual([300]);
  });

  test('hashOn cookie: an absent cookie is the one Kong sets, so each session keeps its target', () => {
    const k = kongClassKey(policy({ hashOn: { kind: 'cookie', name: 'sid' } }), requestClass({ path: '/' }));
    expect(k.mode).toBe(HashBy.Session);
    const counts = webCounts(spec(policy({ hashOn: { kind: 'cookie', name: 'sid' } }), [{ path: '/' }]), 4000);
    expect(counts.filter((c) => c > 0).length).toBe(4);
  });

  test('slots: a continuum of 10 positions gives every target a whole number of tenths', () => {
    const s = spec(policy({ hashOn: { kind: 'consumer' }, slots: 10 }), [{ path: '/' }]);
    const b = new IngressRuntime(s, new ClusterIndex(s), new RandomStreams(1), 1000).upstreams[0]!.balancer;
    const n = 20000;
    const counts = [0, 0, 0, 0];
    for (let session = 0; session < n; session++) counts[b.pick(0, 0, Math.random, 0, -1, 0, 0, session, HashBy.Session)]!++;
    for (const c of counts) {
      const tenths = (10 * c) / n;
      expect(Math.abs(tenths - Math.round(tenths)), `share ${c / n}`).toBeLessThan(0.08);
    }
  });

  test('sticky-sessions: a session keeps its first target; new sessions take the wheel in turn', () => {
    const s = spec(policy({ algorithm: 'sticky_sessions' }), [{ path: '/' }], 400);
    const b = new IngressRuntime(s, new ClusterIndex(s), new RandomStreams(1), 1000).upstreams[0]!.balancer;
    const first = Array.from({ length: 400 }, (_, session) => b.pick(0, 0, Math.random, 0, -1, 0, 0, session));
    const again = Array.from({ length: 400 }, (_, session) => b.pick(0, 0, Math.random, 0, -1, 0, 0, session));
    expect(again).toEqual(first);
    expect([0, 1, 2, 3].map((e) => first.filter((x) => x === e).length)).toEqual([100, 100, 100, 100]);
    // A failed try moves the session to the wheel's next target, and it stays there.
    const moved = b.pick(0, 0, Math.random, 0, first[0]!, 0, 0, 0);
    expect(moved).not.toBe(first[0]);
    expect(b.pick(0, 0, Math.random, 0, -1, 0, 0, 0)).toBe(moved);
  });

  test('without a policy the controller-wide round-robin stands (the policy is per Service)', () => {
    const s = spec(policy({ hashOn: { kind: 'header', name: 'x-user' } }), [{ path: '/', headers: { 'X-User': 'alice' } }]);
    const other = { ...s, kongUpstreamPolicies: { 'default/other': s.kongUpstreamPolicies!['default/web']! } };
    expect(webCounts(other, 400)).toEqual([100, 100, 100, 100]);
  });
});
