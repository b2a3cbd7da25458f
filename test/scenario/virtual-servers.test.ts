/**
 * The NGINX Ingress Controller's VirtualServer and VirtualServerRoute as input, clients' request classes,
 * and Kong's KongUpstreamPolicy: what is read, what the controllers' validation rejects (errors) and what
 * they serve without (warnings), each at its file:line:col.
 */
import { describe, expect, test } from 'vitest';
import { failed, ingressCluster, load, ok, webApp, workload, yaml } from './helpers.js';

const CLUSTER = ingressCluster('controller: nginx-inc, className: nginx', 'controller: kong, className: kong');

const APPS = webApp('{konghq.com/upstream-policy: by-user}');

const VS = yaml(
  'apiVersion: k8s.nginx.org/v1',
  'kind: VirtualServer',
  'metadata: {name: cafe}',
  'spec:',
  '  host: cafe.example.com',
  '  ingressClassName: nginx',
  '  upstreams:',
  '    - {name: web, service: web, port: 80, lb-method: least_conn, next-upstream-tries: 2}',
  '  routes:',
  '    - path: /coffee',
  '      matches:',
  '        - conditions: [{variable: $request_method, value: POST}]',
  '          action: {pass: web}',
  '      splits:',
  '        - {weight: 90, action: {pass: web}}',
  '        - {weight: 10, action: {return: {body: sorry}}}',
  '    - path: /tea',
  '      route: tea',
  '---',
  'apiVersion: k8s.nginx.org/v1',
  'kind: VirtualServerRoute',
  'metadata: {name: tea}',
  'spec:',
  '  host: cafe.example.com',
  '  ingressClassName: nginx',
  '  upstreams: [{name: web, service: web, port: 80}]',
  '  subroutes:',
  '    - {path: /tea/green, action: {pass: web}}',
);

const about = (warnings: string[]): string[] => warnings.filter((w) => !w.includes('no Workload'));

describe('VirtualServer and VirtualServerRoute', () => {
  test('read into routes, matches, splits and upstreams; the VirtualServerRoute\'s subroutes take the route\'s place', () => {
    const { spec, warnings } = ok(load({ 'c.yaml': CLUSTER, 'a.yaml': APPS, 'v.yaml': VS }));
    expect(about(warnings)).toEqual(['a.yaml:15:45: warning: Service/web.metadata.annotations["konghq.com/upstream-policy"]: no KongUpstreamPolicy "by-user" in namespace default: Kong balances this Service with the controller\'s default']);
    const vs = spec.virtualServers![0]!;
    expect(vs.upstreams.map((u) => [u.name, u.service, u.balancing.loadBalance, u.balancing.nextUpstreamTries])).toEqual([
      ['web', 'web', 'least_conn', 2],
      ['default/tea/web', 'web', null, 0], // null: the controller's lb-method
    ]);
    expect(vs.routes).toEqual([
      {
        path: '/coffee',
        matches: [{ conditions: [{ source: 'variable', name: '$request_method', value: 'POST' }], action: { kind: 'pass', upstream: 'web' } }],
        action: { kind: 'splits', splits: [{ weight: 90, upstream: 'web' }, { weight: 10, upstream: null }] },
      },
      { path: '/tea/green', matches: [], action: { kind: 'pass', upstream: 'default/tea/web' } },
    ]);
  });

  test('what the controller\'s validation rejects is an error', () => {
    const bad = yaml(
      'apiVersion: k8s.nginx.org/v1',
      'kind: VirtualServer',
      'metadata: {name: cafe}',
      'spec:',
      '  host: cafe.example.com',
      '  upstreams:',
      '    - {name: web, service: web, port: 80, lb-method: least_time header}',
      '    - {name: web, service: web, port: 80}',
      '  routes:',
      '    - {path: /a, action: {pass: wbe}}',
      '    - {path: /a, action: {pass: web}}',
      '    - {path: "~^/(x", action: {pass: web}}',
    );
    expect(failed(load({ 'c.yaml': CLUSTER, 'a.yaml': APPS, 'v.yaml': bad })).errors).toEqual([
      'v.yaml:7:54: error: VirtualServer/cafe.spec.upstreams[0].lb-method: expected "round_robin", "least_conn", "ip_hash", "random", "random two", "random two least_conn", "hash $request_uri consistent", found "least_time header"; NGINX Plus only (the controller has plus: false)',
      'v.yaml:8:14: error: VirtualServer/cafe.spec.upstreams[1].name: duplicate upstream name "web": upstream names are unique in a resource',
      'v.yaml:10:33: error: VirtualServer/cafe.spec.routes[0].action.pass: expected the name of an upstream of this resource (web), found "wbe"',
      'v.yaml:11:14: error: VirtualServer/cafe.spec.routes[1].path: duplicate path "/a": the path of a route must be unique',
      'v.yaml:12:14: error: VirtualServer/cafe.spec.routes[2].path: not a regular expression this simulator can read: /^/(x/: Unterminated group',
    ]);
  });

  test('the CRD\'s rules: splits add up to 100, one of action / splits / route, one source per condition', () => {
    const bad = yaml(
      'apiVersion: k8s.nginx.org/v1',
      'kind: VirtualServer',
      'metadata: {name: cafe}',
      'spec:',
      '  host: cafe.example.com',
      '  upstreams: [{name: web, service: web, port: 80}]',
      '  routes:',
      '    - path: /a',
      '      splits: [{weight: 50, action: {pass: web}}, {weight: 40, action: {pass: web}}]',
      '    - {path: /b, action: {pass: web}, route: tea}',
      '    - path: /c',
      '      matches: [{conditions: [{header: x, cookie: y, value: z}], action: {pass: web}}]',
      '      action: {pass: web}',
    );
    expect(failed(load({ 'c.yaml': CLUSTER, 'a.yaml': APPS, 'v.yaml': bad })).errors).toEqual([
      'v.yaml:9:15: error: VirtualServer/cafe.spec.routes[0].splits: the sum of the weights of all splits must be equal to 100 (found 90)',
      'v.yaml:10:46: error: VirtualServer/cafe.spec.routes[1].route: a route must include exactly one of action, splits or route (found action and route)',
      'v.yaml:12:51: error: VirtualServer/cafe.spec.routes[2].matches[0].conditions[0].cookie: a condition must include exactly one of header, cookie, argument or variable (found header and cookie)',
    ]);
  });

  test('what the controller serves without is a warning', () => {
    const odd = yaml(
      'apiVersion: k8s.nginx.org/v1',
      'kind: VirtualServer',
      'metadata: {name: cafe}',
      'spec:',
      '  host: cafe.example.com',
      '  upstreams: [{name: gone, service: nope, port: 80}]',
      '  routes:',
      '    - path: /a',
      '      matches: [{conditions: [{variable: $remote_addr, value: "~^10"}], action: {pass: gone}}]',
      '      action: {pass: gone}',
      '    - {path: /b, route: tea}',
      '---',
      'apiVersion: k8s.nginx.org/v1',
      'kind: VirtualServer',
      'metadata: {name: kong-one}',
      'spec: {host: other.example.com, ingressClassName: kong}',
    );
    expect(about(ok(load({ 'c.yaml': CLUSTER, 'v.yaml': odd })).warnings)).toEqual([
      'v.yaml:6:37: warning: VirtualServer/cafe.spec.upstreams[0].service: no Service "nope" in namespace default: NGINX assumes it has no endpoints and answers 502 (no-endpoints)',
      'v.yaml:9:42: warning: VirtualServer/cafe.spec.routes[0].matches[0].conditions[0].variable: $remote_addr is not simulated: it reads as "" (the model knows the request\'s method, URI, query, headers and cookies)',
      'v.yaml:11:25: warning: VirtualServer/cafe.spec.routes[1].route: no VirtualServerRoute default/tea: requests for /b get 404',
      'v.yaml:16:51: warning: VirtualServer/kong-one.spec.ingressClassName: VirtualServer is a resource of the NGINX Ingress Controller; the controller of class "kong" is kong: this VirtualServer routes nothing',
    ]);
  });
});

describe('request classes', () => {
  test('method, headers, query and cookies; paths stays the short form', () => {
    const w = workload(
      '{name: a, target: {ingress: {className: nginx, host: cafe.example.com, requests: [{path: "/coffee?size=l", method: POST, headers: {X-User: bob}, cookies: {v: "2"}, weight: 30%}, {path: /tea/green}]}}, rate: 10/s}',
      '{name: b, target: {ingress: {className: nginx, host: cafe.example.com, paths: {/coffee: 70%, /tea/green: 30%}}}, rate: 10/s}',
    );
    const { spec, warnings } = ok(load({ 'c.yaml': CLUSTER, 'a.yaml': APPS, 'v.yaml': VS, 'w.yaml': w }));
    expect(spec.clients[0]!.http!.requests).toEqual([
      { path: '/coffee', method: 'POST', headers: { 'x-user': 'bob' }, query: { size: 'l' }, cookies: { v: '2' }, weight: 0.3 },
      { path: '/tea/green', method: 'GET', headers: {}, query: {}, cookies: {}, weight: 1 },
    ]);
    expect(spec.clients[1]!.http!.requests.map((r) => [r.method, r.path, r.weight])).toEqual([['GET', '/coffee', 0.7], ['GET', '/tea/green', 0.3]]);
    expect(about(warnings).filter((x) => x.startsWith('w.yaml'))).toEqual([]);
  });

  test('a class that routes nowhere is a warning; paths and requests together, or a lower-case method, an error', () => {
    const w = workload('{name: a, target: {ingress: {className: nginx, host: cafe.example.com, requests: [{path: /nope}, {path: /coffee, method: DELETE}]}}, rate: 10/s}');
    const { warnings } = ok(load({ 'c.yaml': CLUSTER, 'a.yaml': APPS, 'v.yaml': VS, 'w.yaml': w }));
    expect(warnings.filter((x) => x.startsWith('w.yaml'))).toEqual([
      'w.yaml:5:89: warning: Workload.spec.clients[0].target.ingress.requests[0]: GET cafe.example.com/nope matches no Ingress rule or VirtualServer route of class nginx and there is no default backend: these requests get 404',
    ]);
    const both = workload('{name: a, target: {ingress: {host: x.com, paths: [/a], requests: [{path: /a}]}}, rate: 10/s}');
    expect(failed(load({ 'c.yaml': CLUSTER, 'w.yaml': both })).errors).toEqual([
      'w.yaml:5:72: error: Workload.spec.clients[0].target.ingress.requests: give only one of paths and requests (paths is the short form: requests of method GET with only a path)',
    ]);
    const method = workload('{name: a, target: {ingress: {host: x.com, requests: [{path: /a, method: get}]}}, rate: 10/s}');
    expect(failed(load({ 'c.yaml': CLUSTER, 'w.yaml': method })).errors).toEqual([
      'w.yaml:5:79: error: Workload.spec.clients[0].target.ingress.requests[0].method: expected one of "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE" or "PATCH", found "get"; did you mean "GET"?',
    ]);
  });
});

describe('KongUpstreamPolicy', () => {
  const policy = (...spec: string[]) => yaml('apiVersion: configuration.konghq.com/v1beta1', 'kind: KongUpstreamPolicy', 'metadata: {name: by-user}', 'spec:', ...spec.map((l) => `  ${l}`));

  test('attached by the Service annotation; honoured fields read, the rest warned about', () => {
    const p = policy('algorithm: consistent-hashing', 'slots: 100', 'hashOn: {header: x-user}', 'hashOnFallback: {uriCapture: id}', 'healthchecks: {passive: {unhealthy: {httpFailures: 3}}}');
    const { spec, warnings } = ok(load({ 'c.yaml': CLUSTER, 'a.yaml': APPS, 'p.yaml': p }));
    expect(spec.kongUpstreamPolicies).toEqual({ 'default/web': { algorithm: 'consistent_hashing', hashOn: { kind: 'header', name: 'x-user' }, hashOnFallback: null, slots: 100 } });
    expect(about(warnings)).toEqual([
      'p.yaml:8:32: warning: KongUpstreamPolicy/by-user.spec.hashOnFallback.uriCapture: is not simulated (routes capture no URI groups here): the value is absent, so hashOnFallback applies',
      'p.yaml:9:17: warning: KongUpstreamPolicy/by-user.spec.healthchecks: are not simulated: Kong sends to every target as if healthy',
    ]);
  });

  test('the CRD\'s validation rules are errors', () => {
    const r = failed(load({ 'c.yaml': CLUSTER, 'a.yaml': APPS, 'p.yaml': policy('algorithm: round-robin', 'hashOn: {header: x, cookie: y, cookiePath: /}') }));
    expect(r.errors).toEqual([
      'p.yaml:6:11: error: KongUpstreamPolicy/by-user.spec.hashOn: spec.algorithm must be set to "consistent-hashing" when spec.hashOn is set',
      'p.yaml:6:20: error: KongUpstreamPolicy/by-user.spec.hashOn.header: only one of input, cookie, header, uriCapture, queryArg can be set (found cookie and header)',
    ]);
    const sticky = failed(load({ 'c.yaml': CLUSTER, 'p.yaml': policy('algorithm: sticky-sessions') }));
    expect(sticky.errors).toEqual(['p.yaml:5:14: error: KongUpstreamPolicy/by-user.spec.algorithm: algorithm "sticky-sessions" needs stickySessions.cookie']);
  });

  test('sticky-sessions, and a policy no Service names', () => {
    const p = policy('algorithm: sticky-sessions', 'stickySessions: {cookie: sid}');
    const { spec } = ok(load({ 'c.yaml': CLUSTER, 'a.yaml': APPS, 'p.yaml': p }));
    expect(spec.kongUpstreamPolicies!['default/web']!.algorithm).toBe('sticky_sessions');
    const lonely = ok(load({ 'c.yaml': CLUSTER, 'p.yaml': p }));
    expect(about(lonely.warnings)).toEqual(['p.yaml:3:18: warning: KongUpstreamPolicy/by-user.metadata.name: no Service names this policy (annotation konghq.com/upstream-policy): it has no effect']);
  });
});

describe('lb-method: an Ingress annotation and a VirtualServer upstream field read alike', () => {
  const ingress = (method: string) =>
    yaml(
      'apiVersion: networking.k8s.io/v1',
      'kind: Ingress',
      'metadata:',
      '  name: shop',
      `  annotations: {nginx.org/lb-method: "${method}"}`,
      'spec: {ingressClassName: nginx, defaultBackend: {service: {name: web, port: {number: 80}}}}',
    );

  test('a method sets the balancing; one the controller refuses is an error at the annotation', () => {
    const { balancing } = ok(load({ 'c.yaml': CLUSTER, 'a.yaml': APPS, 'i.yaml': ingress('hash $request_uri consistent') })).spec.ingresses![0]!;
    expect([balancing.loadBalance, balancing.upstreamHashBy, balancing.hashConsistent]).toEqual(['round_robin', { kind: 'uri' }, true]);
    expect(ok(load({ 'c.yaml': CLUSTER, 'a.yaml': APPS, 'i.yaml': ingress('random two') })).spec.ingresses![0]!.balancing.loadBalance).toBe('random_two');
    expect(failed(load({ 'c.yaml': CLUSTER, 'a.yaml': APPS, 'i.yaml': ingress('least_time header') })).errors).toEqual([
      'i.yaml:5:38: error: Ingress/shop.metadata.annotations["nginx.org/lb-method"]: expected "round_robin", "least_conn", "ip_hash", "random", "random two", "random two least_conn", "hash $request_uri consistent", found "least_time header"; NGINX Plus only (the controller has plus: false)',
    ]);
  });
});
