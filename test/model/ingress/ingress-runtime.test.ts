/**
 * The ingress runtime at set-up (src/model/ingress/controller.ts): which pods are controllers, how each
 * backend becomes an upstream (its ready endpoints, its balancing as the controller implements it, its
 * tries), how a client's request mix maps onto routes, and the service-upstream keep-alive pools (LIFO, as
 * nginx's `keepalive` cache; closed after `upstream-keepalive-requests`). No simulation: the runtime is
 * built from small specs and its parts are called directly, with scripted draws where a draw decides.
 */
import { describe, expect, test } from 'vitest';
import { RandomStreams } from '../../../src/engine/random.js';
import { ClusterIndex } from '../../../src/model/cluster-index.js';
import { fnv1a32, mix32 } from '../../../src/model/hash.js';
import { requestClass } from '../../../src/model/http/request.js';
import { HashBy, HashRing, NODE_ADDRESS, mixSession } from '../../../src/model/ingress/balancer.js';
import { IngressRuntime, isHttpClient, type HttpClient } from '../../../src/model/ingress/controller.js';
import { IngressNginxBalancer } from '../../../src/model/ingress/ingress-nginx.js';
import { KongBalancer } from '../../../src/model/ingress/kong.js';
import { NginxIncBalancer } from '../../../src/model/ingress/nginx-inc.js';
import type { IngressBalancing, IngressControllerSpec, IngressSpec, KongUpstreamPolicySpec, ModelSpec, NodeSpec, PodSpec, VirtualServerSpec } from '../../../src/model/spec.js';
import { appPods, clusterIpService, controller, controllerPods, controllerService, httpClient, ingressTo } from '../beyond-fixtures.js';
import { FREE_PROXY } from '../datapath-helpers.js';
import { modelSpec, node } from '../fixtures.js';
import { draws } from './balancer-fixtures.js';

interface Setup {
  readonly ctrl?: Partial<IngressControllerSpec>;
  readonly balancing?: Partial<IngressBalancing>;
  readonly ingresses?: IngressSpec[];
  readonly pod?: (k: number) => Partial<PodSpec>;
  readonly backends?: number;
  readonly paths?: { path: string; weight: number }[];
  readonly clients?: ModelSpec['clients'];
  readonly nodes?: NodeSpec[];
  readonly policies?: Record<string, KongUpstreamPolicySpec>;
  readonly virtualServers?: VirtualServerSpec[];
}

function spec(s: Setup = {}): ModelSpec {
  const backends = s.backends ?? 3;
  return {
    ...modelSpec({
      nodes: s.nodes ?? [node('node-1', 'zone-a'), node('node-2', 'zone-a')],
      pods: [...controllerPods(['node-1', 'node-2'], s.ctrl?.workers ?? 2), ...appPods('web', Array.from({ length: backends }, (_, k) => (k % 2 === 0 ? 'node-1' : 'node-2')), s.pod)],
      services: [controllerService(), clusterIpService('web')],
      clients: s.clients ?? [httpClient(100, {}, s.paths)],
      kubeProxy: FREE_PROXY,
    }),
    ingressControllers: [controller({ workers: 2, ...s.ctrl })],
    ingresses: s.ingresses ?? [ingressTo('web', s.balancing ?? {})],
    ...(s.policies ? { kongUpstreamPolicies: s.policies } : {}),
    ...(s.virtualServers ? { virtualServers: s.virtualServers } : {}),
  };
}

const runtime = (m: ModelSpec, sourceIpBase = 1000) => new IngressRuntime(m, new ClusterIndex(m), new RandomStreams(1), sourceIpBase);
const first = (s: Setup = {}) => runtime(spec(s)).upstreams[0]!;
const none = draws();

describe('controller pods', () => {
  test('the endpoints of the controller\'s Service are its slots, in order, with their nodes, workers and source addresses', () => {
    const rt = runtime(spec({ ctrl: { workers: 3 } }), 500);
    expect(rt.controllerCount).toBe(2);
    expect(Array.from(rt.ctrlPod)).toEqual([0, 1]);
    expect(Array.from(rt.podCtrl)).toEqual([0, 1, -1, -1, -1]);
    expect(Array.from(rt.ctrlNode)).toEqual([0, 1]);
    expect(Array.from(rt.ctrlWorkers)).toEqual([3, 3]);
    expect(Array.from(rt.ctrlSourceIp)).toEqual([500, 501]);
  });

  test('two controller classes behind one Service: each pod is one slot, taken by the first', () => {
    const m = spec();
    const rt = runtime({ ...m, ingressControllers: [controller({ workers: 2 }), controller({ className: 'nginx-2', workers: 5 })] });
    expect(rt.controllerCount).toBe(2);
    expect(Array.from(rt.ctrlWorkers)).toEqual([2, 2]);
  });

  test('each controller pod balances from its own random stream: round-robin starts differ (100 endpoints, seed 1)', () => {
    const b = first({ backends: 100 }).balancer;
    expect(b.pick(0, 0, none, 0, -1, 0, 0, 0)).not.toBe(b.pick(1, 0, none, 0, -1, 0, 0, 0));
  });

  test('a controller whose Service does not exist: an error naming both', () => {
    const m = spec({ ctrl: { service: 'ingress-nginx/missing' } });
    expect(() => runtime(m)).toThrow("ingress controller 'nginx': unknown service 'ingress-nginx/missing'");
  });
});

describe('upstreams', () => {
  test('one per backend, named by its Ingress, Service and port, over the ready endpoints only', () => {
    const u = first({ pod: (k) => (k === 1 ? { ready: false } : {}) });
    expect(u).toMatchObject({ ingress: 'default/ing', service: 'default/web', port: 80, algorithm: 'round_robin', tries: 3, proxy: null, hashByClass: false });
    expect(u.endpoints.map((e) => e.pod)).toEqual([2, 4]);
  });

  test('the backend Service is looked up in the Ingress\'s namespace, not by name alone', () => {
    const m = spec();
    const elsewhere = { ...clusterIpService('web'), namespace: 'other' };
    const rt = runtime({ ...m, services: [elsewhere, ...m.services] });
    expect(rt.upstreams[0]!.endpoints).toHaveLength(3);
  });

  test('cookie affinity: balanced hashes the session on the ring (no draw); persistent draws an endpoint', () => {
    const ring = new HashRing(['10.244.1.4:8080', '10.244.2.4:8080', '10.244.3.4:8080']);
    const balanced = first({ balancing: { affinity: 'balanced' } }).balancer;
    expect(balanced.pick(0, 0, none, 0, -1, 0, 0, 3)).toBe(ring.find(mixSession(3)));
    const persistent = first({ balancing: { affinity: 'persistent' } }).balancer;
    expect(persistent.pick(0, 0, draws(0.99), 0, -1, 0, 0, 3)).toBe(2);
  });

  test('each implementation has its own balancer', () => {
    expect(first().balancer).toBeInstanceOf(IngressNginxBalancer);
    expect(first({ ctrl: { implementation: 'nginx-inc' } }).balancer).toBeInstanceOf(NginxIncBalancer);
    expect(first({ ctrl: { implementation: 'kong' } }).balancer).toBeInstanceOf(KongBalancer);
  });

  test('tries: proxy-next-upstream-tries, or with 0 every endpoint once (at least 1); service-upstream 1', () => {
    expect(first({ balancing: { nextUpstreamTries: 2 } }).tries).toBe(2);
    expect(first({ balancing: { nextUpstreamTries: 0 } }).tries).toBe(3);
    expect(first({ balancing: { nextUpstreamTries: 0 }, backends: 0 }).tries).toBe(1);
    expect(first({ balancing: { nextUpstreamTries: 5, serviceUpstream: true } }).tries).toBe(1);
  });

  test('a backend port by name or number; a port the Service lacks or an unknown Service: no endpoints', () => {
    const byName = ingressTo('web', {}, [{ host: null, paths: [{ path: '/', pathType: 'Prefix', backend: { service: 'web', port: 'http' } }] }]);
    expect(first({ ingresses: [byName] }).endpoints).toHaveLength(3);
    const wrongPort = ingressTo('web', {}, [{ host: null, paths: [{ path: '/', pathType: 'Prefix', backend: { service: 'web', port: 81 } }] }]);
    expect(first({ ingresses: [wrongPort] }).endpoints).toHaveLength(0);
    const wrongName = ingressTo('web', {}, [{ host: null, paths: [{ path: '/', pathType: 'Prefix', backend: { service: 'web', port: 'grpc' } }] }]);
    expect(first({ ingresses: [wrongName] }).endpoints).toHaveLength(0);
    expect(first({ ingresses: [ingressTo('nothing')] }).endpoints).toHaveLength(0);
  });

  test('ingress-nginx: load-balance from the Ingress, else the controller; anything but ewma is round_robin', () => {
    expect(first({ ctrl: { loadBalance: 'least_conn' } }).algorithm).toBe('round_robin');
    expect(first({ ctrl: { loadBalance: 'ewma' } }).algorithm).toBe('ewma');
    expect(first({ ctrl: { loadBalance: 'round_robin' }, balancing: { loadBalance: 'ewma' } }).algorithm).toBe('ewma');
    expect(first({ ctrl: { loadBalance: 'ewma' }, balancing: { loadBalance: 'random' } }).algorithm).toBe('round_robin');
  });

  test('what each upstream reports as its algorithm: cookies, hashing, service-upstream, else the method', () => {
    expect(first({ balancing: { affinity: 'balanced' } }).algorithm).toBe('cookie-balanced');
    expect(first({ balancing: { affinity: 'persistent' } }).algorithm).toBe('cookie-persistent');
    expect(first({ balancing: { upstreamHashBy: { kind: 'uri' } } }).algorithm).toBe('chash');
    expect(first({ ctrl: { implementation: 'nginx-inc' }, balancing: { upstreamHashBy: { kind: 'remote-addr' } } }).algorithm).toBe('hash');
    expect(first({ ctrl: { implementation: 'nginx-inc' }, balancing: { upstreamHashBy: { kind: 'uri' }, hashConsistent: true } }).algorithm).toBe('chash');
    expect(first({ ctrl: { implementation: 'nginx-inc', loadBalance: 'least_conn' } }).algorithm).toBe('least_conn');
    const up = first({ balancing: { serviceUpstream: true, affinity: 'balanced', upstreamHashBy: { kind: 'uri' } } });
    expect(up.algorithm).toBe('service-upstream');
    expect(up.proxy).not.toBeNull();
  });

  test('Kong: the controller\'s hash_on, or the Service\'s KongUpstreamPolicy instead', () => {
    const kong = { implementation: 'kong' as const };
    const policy = (p: Partial<KongUpstreamPolicySpec>): Record<string, KongUpstreamPolicySpec> => ({ 'default/web': { algorithm: 'round_robin', hashOn: null, hashOnFallback: null, slots: 10000, ...p } });
    expect(first({ ctrl: { ...kong, hashOn: { kind: 'uri' } } }).algorithm).toBe('chash');
    expect(first({ ctrl: { ...kong, loadBalance: 'latency' } }).algorithm).toBe('latency');
    expect(first({ ctrl: { ...kong, loadBalance: 'latency' }, policies: policy({ algorithm: 'least_conn' }) }).algorithm).toBe('least_conn');
    expect(first({ ctrl: kong, policies: policy({ algorithm: 'latency' }) }).algorithm).toBe('latency');
    // A policy replaces the controller's hash_on: round robin without its own hashOn.
    expect(first({ ctrl: { ...kong, hashOn: { kind: 'uri' } }, policies: policy({ algorithm: 'round_robin' }) }).algorithm).toBe('round_robin');
    expect(first({ ctrl: kong, policies: policy({ algorithm: 'consistent_hashing' }) }).algorithm).toBe('round_robin');
    const hashed = first({ ctrl: kong, policies: policy({ algorithm: 'consistent_hashing', hashOn: { kind: 'path' } }) });
    expect([hashed.algorithm, hashed.hashByClass]).toEqual(['chash', true]);
    expect(first({ ctrl: kong, policies: policy({ algorithm: 'sticky_sessions' }) }).algorithm).toBe('sticky-sessions');
    // A hashOn without consistent_hashing does not hash.
    const rr = first({ ctrl: kong, policies: policy({ algorithm: 'round_robin', hashOn: { kind: 'path' } }) });
    expect([rr.algorithm, rr.hashByClass]).toEqual(['round_robin', false]);
    // A policy of another Service does not apply.
    expect(first({ ctrl: { ...kong, loadBalance: 'latency' }, policies: { 'default/other': policy({ algorithm: 'least_conn' })['default/web']! } }).algorithm).toBe('latency');
    // ...and ingress-nginx ignores KongUpstreamPolicies.
    expect(first({ ctrl: { loadBalance: 'ewma' }, policies: policy({ algorithm: 'least_conn' }) }).algorithm).toBe('ewma');
  });

  test('Kong targets carry the pods\' weights (netsim/weight); ingress-nginx writes 1 for every endpoint', () => {
    const weighted = (k: number): Partial<PodSpec> => (k === 1 ? { weight: 2 } : {});
    const count = (u: ReturnType<typeof first>, picks: number) => {
      const c = [0, 0, 0];
      for (let i = 0; i < picks; i++) c[u.balancer.pick(0, 0, none, 0, -1, 0, 0, 0)]!++;
      return c;
    };
    expect(count(first({ ctrl: { implementation: 'kong' }, pod: weighted }), 8)).toEqual([2, 4, 2]);
    expect(count(first({ pod: weighted }), 9)).toEqual([3, 3, 3]);
  });

  test('the hash key: the URI, the client address or the session, on a ring of the endpoints\' pod IP:port', () => {
    const ring = new HashRing(['10.244.1.4:8080', '10.244.2.4:8080', '10.244.3.4:8080']);
    const byUri = first({ balancing: { upstreamHashBy: { kind: 'uri' } } }).balancer;
    const byAddr = first({ balancing: { upstreamHashBy: { kind: 'remote-addr' } } }).balancer;
    const bySession = first({ balancing: { upstreamHashBy: { kind: 'session', text: '$cookie_user' } } }).balancer;
    for (const x of [1, 2, 3, 4, 5, 6]) {
      expect(byUri.pick(0, 0, none, 0, -1, x * 0x10000000, x, x + 1)).toBe(ring.find(x * 0x10000000));
      expect(byAddr.pick(0, 0, none, 0, -1, 7, x, x + 1)).toBe(ring.find(mixSession(x ^ 0x5bd1e995)));
      expect(bySession.pick(0, 0, none, 0, -1, 7, x, x + 1)).toBe(ring.find(mixSession(x + 1)));
    }
    // NGINX Ingress Controller: `hash $key consistent` is the ring; plain `hash $key` the key mod the peers.
    const consistent = first({ ctrl: { implementation: 'nginx-inc' }, balancing: { upstreamHashBy: { kind: 'uri' }, hashConsistent: true } }).balancer;
    const plain = first({ ctrl: { implementation: 'nginx-inc' }, balancing: { upstreamHashBy: { kind: 'uri' } } }).balancer;
    for (const key of [0x10000001, 0x20000002, 0x90000003, 0xf0000004]) {
      expect(consistent.pick(0, 0, none, 0, -1, key, 0, 0)).toBe(ring.find(key));
      expect(plain.pick(0, 0, none, 0, -1, key, 0, 0)).toBe(key % 3);
    }
  });

  test('Kong: the policy\'s slots size the continuum (10: keys 10 apart land alike)', () => {
    const policies = { 'default/web': { algorithm: 'consistent_hashing' as const, hashOn: { kind: 'path' as const }, hashOnFallback: null, slots: 10 } };
    const b = first({ ctrl: { implementation: 'kong' }, policies }).balancer;
    const at = (key: number) => b.pick(0, 0, none, 0, -1, key, 0, 0, HashBy.Uri);
    for (let key = 0; key < 30; key++) {
      expect(at(key + 10)).toBe(at(key));
      expect(at(key + 5170)).toBe(at(key));
    }
    const big = first({ ctrl: { implementation: 'kong' }, policies: { 'default/web': { ...policies['default/web'], slots: 10000 } } }).balancer;
    expect(Array.from({ length: 200 }, (_, key) => big.pick(0, 0, none, 0, -1, key, 0, 0, HashBy.Uri) === big.pick(0, 0, none, 0, -1, key + 10, 0, 0, HashBy.Uri)).every(Boolean)).toBe(false);
  });

  test('NGINX Ingress Controller max-fails / fail-timeout: the Ingress\'s, else the controller\'s, else 1 and 10 s', () => {
    const outAt = (s: Setup, t: number) => {
      const b = first({ ...s, ctrl: { implementation: 'nginx-inc', ...s.ctrl } }).balancer;
      b.done(0, 0, 0, -1);
      return Array.from({ length: 2 }, () => b.pick(0, 0, none, t, -1, 0, 0, 0)).includes(0) === false;
    };
    expect(outAt({}, 9.9)).toBe(true);
    expect(outAt({}, 10.1)).toBe(false);
    expect(outAt({ ctrl: { maxFails: 0 } }, 1)).toBe(false);
    expect(outAt({ ctrl: { failTimeout: 2 } }, 2.1)).toBe(false);
    expect(outAt({ ctrl: { failTimeout: 2 } }, 1.9)).toBe(true);
    expect(outAt({ ctrl: { maxFails: 0 }, balancing: { maxFails: 1, failTimeout: 5 } }, 4)).toBe(true);
    expect(outAt({ ctrl: { failTimeout: 30 }, balancing: { failTimeout: 5 } }, 5.1)).toBe(false);
  });

  test('the node\'s /24 feeds ip_hash: 10.0.0.x hashes to 2565 (peer 1 of 4), 192.168.7.x to 160 (peer 0), a non-IPv4 node to 295 (peer 3)', () => {
    const nodes = [node('node-1', 'zone-a'), node('node-2', 'zone-a', { ip: '192.168.7.9' }), node('node-3', 'zone-a', { ip: 'fd00::3' })];
    const b = first({ nodes, backends: 4, ctrl: { implementation: 'nginx-inc', loadBalance: 'ip_hash' } }).balancer;
    expect([0, 1, 2].map((n) => b.pick(0, 0, none, 0, -1, 0, NODE_ADDRESS + n, 0))).toEqual([1, 0, 3]);
  });
});

describe('a client\'s request mix', () => {
  test('each class\'s route: its upstream, one per distinct backend, −1 for a 404', () => {
    const rules = [{ host: null, paths: [{ path: '/a', pathType: 'Prefix' as const, backend: { service: 'web', port: 80 } }, { path: '/b', pathType: 'Prefix' as const, backend: { service: 'other', port: 80 } }] }];
    const rt = runtime(spec({ ingresses: [ingressTo('web', {}, rules)], paths: [{ path: '/a', weight: 1 }, { path: '/b', weight: 1 }, { path: '/a/x', weight: 1 }, { path: '/c', weight: 1 }] }));
    expect(Array.from(rt.clients[0]!.routes)).toEqual([0, 1, 0, -1]);
    expect(rt.upstreams.map((u) => u.service)).toEqual(['default/web', 'default/other']);
  });

  test('class weights 1 and 3: cumulative 0.25 and 1; a draw picks the first class whose cumulative exceeds it', () => {
    const rt = runtime(spec({ paths: [{ path: '/a', weight: 1 }, { path: '/b', weight: 3 }] }));
    const h = rt.clients[0]!;
    expect(Array.from(h.cumulative)).toEqual([0.25, 1]);
    const scripted: HttpClient = { ...h, rng: draws(0, 0.2499, 0.25, 0.999) };
    expect([0, 1, 2, 3].map(() => rt.drawPath(scripted))).toEqual([0, 0, 1, 1]);
  });

  test('request weights adding up to 0: an error naming the client', () => {
    expect(() => runtime(spec({ paths: [{ path: '/a', weight: 0 }] }))).toThrow("client 'http': request weights must add up to more than 0");
  });

  test('a client of a class no controller has: an error', () => {
    const c = httpClient(100);
    expect(() => runtime(spec({ clients: [{ ...c, http: { ...c.http!, ingressClass: 'other' } }] }))).toThrow("client 'http': no ingress controller of class 'other'");
  });

  test('sessions are numbered across the HTTP clients; a client without HTTP has none', () => {
    const a = httpClient(100);
    const b = httpClient(100, { name: 'second' });
    const plain = { ...httpClient(100, { name: 'plain' }), http: null };
    const rt = runtime(spec({ clients: [{ ...a, http: { ...a.http!, sessions: 5 } }, plain, { ...b, http: { ...b.http!, sessions: 7 } }] }));
    expect(rt.clients[1]).toBeNull();
    expect([rt.clients[0]!.sessionBase, rt.clients[2]!.sessionBase]).toEqual([0, 5]);
    expect(rt.clients[2]!.sessions).toBe(7);
    const scripted: HttpClient = { ...rt.clients[2]!, rng: draws(0, 0.999) };
    expect([rt.drawSession(scripted), rt.drawSession(scripted)]).toEqual([5, 11]);
    expect([isHttpClient(a), isHttpClient(plain), isHttpClient({ ...a, http: undefined })]).toEqual([true, false, false]);
  });

  test('each client draws from its own streams: two clients alike draw different sessions (seed 1)', () => {
    const rt = runtime(spec({ clients: [httpClient(100), httpClient(100, { name: 'other' })] }));
    const [a, b] = [rt.clients[0]!, rt.clients[1]!];
    const sessions = (h: HttpClient) => Array.from({ length: 10 }, () => rt.drawSession(h) - h.sessionBase);
    expect(sessions(a)).not.toEqual(sessions(b));
    const splits = (h: HttpClient) => Array.from({ length: 10 }, () => h.splitRng());
    expect(splits(a)).not.toEqual(splits(b));
  });

  test('the hash key of a class is its request URI\'s hash ($request_uri)', () => {
    const rt = runtime(spec({ paths: [{ path: '/a?x=1', weight: 1 }, { path: '/b', weight: 1 }] }));
    expect(Array.from(rt.clients[0]!.uriHash)).toEqual([mix32(fnv1a32('/a?x=1')), mix32(fnv1a32('/b'))]);
    expect(Array.from(rt.clients[0]!.hashMode)).toEqual([0, 0]);
  });

  test('Kong hashing per class: a header\'s value, an absent cookie as the session, nothing as "nil"', () => {
    const c = httpClient(100);
    const requests = [
      requestClass({ path: '/', headers: { 'x-user': 'alice' } }),
      requestClass({ path: '/' }),
    ];
    const policies = { 'default/web': { algorithm: 'consistent_hashing' as const, hashOn: { kind: 'header' as const, name: 'x-user' }, hashOnFallback: null, slots: 100 } };
    const rt = runtime(spec({ ctrl: { implementation: 'kong' }, policies, clients: [{ ...c, http: { ...c.http!, requests } }] }));
    expect(Array.from(rt.clients[0]!.uriHash)).toEqual([mix32(fnv1a32('alice')), mix32(fnv1a32('nil'))]);
    expect(Array.from(rt.clients[0]!.hashMode)).toEqual([1, 1]);
    const cookie = { 'default/web': { ...policies['default/web'], hashOn: { kind: 'cookie' as const, name: 'sid' } } };
    const rt2 = runtime(spec({ ctrl: { implementation: 'kong' }, policies: cookie, clients: [{ ...c, http: { ...c.http!, requests } }] }));
    expect(Array.from(rt2.clients[0]!.hashMode)).toEqual([3, 3]);
    expect(Array.from(rt2.clients[0]!.uriHash)).toEqual([mix32(fnv1a32('/')), mix32(fnv1a32('/'))]);
  });
});

describe('VirtualServer actions', () => {
  const balancing: IngressBalancing = { loadBalance: null, upstreamHashBy: null, affinity: null, serviceUpstream: false, nextUpstreamTries: 0 };
  const cafe: VirtualServerSpec = {
    name: 'cafe',
    namespace: 'default',
    className: 'nginx',
    host: 'example.com',
    upstreams: [{ name: 'tea', namespace: 'default', service: 'web', port: 80, balancing }],
    routes: [
      { path: '/tea', matches: [], action: { kind: 'pass', upstream: 'tea' } },
      { path: '/none', matches: [], action: { kind: 'none' } },
      { path: '/missing', matches: [], action: { kind: 'pass', upstream: 'coffee' } },
      { path: '/split', matches: [], action: { kind: 'splits', splits: [{ weight: 1, upstream: 'tea' }, { weight: 3, upstream: null }] } },
    ],
  };
  const paths = ['/tea', '/none', '/missing', '/split', '/other'].map((path) => ({ path, weight: 1 }));

  test('pass: the upstream (one per VirtualServer upstream); return/redirect, an unknown upstream or no location: −1; splits: a group', () => {
    const rt = runtime(spec({ virtualServers: [cafe], paths }));
    expect(Array.from(rt.clients[0]!.routes)).toEqual([0, -1, -1, -2, -1]);
    expect(rt.upstreams).toHaveLength(1);
    expect(rt.upstreams[0]).toMatchObject({ ingress: 'default/cafe', service: 'default/web', port: 80, tries: 3 });
  });

  test('two upstreams of one VirtualServer are two upstreams', () => {
    const two: VirtualServerSpec = {
      ...cafe,
      upstreams: [...cafe.upstreams, { name: 'coffee', namespace: 'default', service: 'web', port: 80, balancing: { ...balancing, nextUpstreamTries: 1 } }],
    };
    const rt = runtime(spec({ virtualServers: [two], paths }));
    expect(Array.from(rt.clients[0]!.routes)).toEqual([0, -1, 1, -2, -1]);
    expect(rt.upstreams.map((u) => u.tries)).toEqual([3, 1]);
  });

  test('a split route draws per request: weights 1 and 3 give cumulative 0.25 and 1', () => {
    const rt = runtime(spec({ virtualServers: [cafe], paths }));
    const h: HttpClient = { ...rt.clients[0]!, splitRng: draws(0, 0.2499, 0.25, 0.99) };
    expect([0, 1, 2, 3].map(() => rt.upstreamOf(h, 3))).toEqual([0, 0, -1, -1]);
    // Other routes need no draw.
    expect([rt.upstreamOf({ ...h, splitRng: none }, 0), rt.upstreamOf({ ...h, splitRng: none }, 1)]).toEqual([0, -1]);
  });
});

describe('service-upstream keep-alive pools', () => {
  const rt = () => runtime(spec({ balancing: { serviceUpstream: true }, ctrl: { upstreamKeepaliveRequests: 2 } }));

  test('a request takes the most recently idle connection of its (upstream, pod, worker), else opens one', () => {
    const r = rt();
    const a = r.acquire(0, 0, 0, 0);
    expect(r.opened).toBe(true);
    const b = r.acquire(0, 0, 0, 0);
    expect([a, b, r.opened]).toEqual([0, 1, true]);
    expect(r.connectionEndpoint(a)).toBeGreaterThanOrEqual(0);
    expect(r.connectionEndpoint(a)).toBeLessThan(3);
    r.release(a, 0, 0, 0, 1);
    r.release(b, 0, 0, 0, 1);
    expect(r.closed).toBe(false);
    expect(r.acquire(0, 0, 0, 2)).toBe(b); // LIFO
    expect(r.opened).toBe(false);
    // Another worker, another pod: their own pools.
    const c = r.acquire(0, 0, 1, 2);
    expect([c, r.opened]).toEqual([2, true]);
    r.release(c, 0, 0, 1, 2);
    expect(r.acquire(0, 1, 0, 2)).toBe(3);
    expect(r.acquire(0, 0, 1, 2)).toBe(c);
  });

  test('no ready endpoint behind the Service: kube-proxy has nothing to open (a negative drop code)', () => {
    const r = runtime(spec({ balancing: { serviceUpstream: true }, pod: () => ({ ready: false }) }));
    expect(r.acquire(0, 0, 0, 0)).toBeLessThan(0);
    expect(r.opened).toBe(false);
  });

  test('a connection closes after upstream-keepalive-requests (2) requests, and its id is used again', () => {
    const r = rt();
    const a = r.acquire(0, 0, 0, 0);
    r.release(a, 0, 0, 0, 1);
    expect(r.closed).toBe(false);
    expect(r.acquire(0, 0, 0, 1)).toBe(a);
    r.release(a, 0, 0, 0, 2);
    expect(r.closed).toBe(true);
    const again = r.acquire(0, 0, 0, 3);
    expect([again, r.opened]).toEqual([a, true]);
  });

  test('more than 64 open connections: the tables grow and keep every endpoint', () => {
    const r = rt();
    const ids = Array.from({ length: 130 }, () => r.acquire(0, 0, 0, 0));
    expect(ids).toEqual(Array.from({ length: 130 }, (_, i) => i));
    const endpoints = ids.map((id) => r.connectionEndpoint(id));
    expect(endpoints.every((e) => e >= 0 && e < 3)).toBe(true);
    expect(new Set(endpoints).size).toBeGreaterThan(1);
    // Release all (each served 1 of 2): every one is back in the pool.
    for (const id of ids) r.release(id, 0, 0, 0, 1);
    expect(r.acquire(0, 0, 0, 1)).toBe(129);
    expect(r.connectionEndpoint(129)).toBe(endpoints[129]);
    expect(r.connectionEndpoint(0)).toBe(endpoints[0]);
  });
});
