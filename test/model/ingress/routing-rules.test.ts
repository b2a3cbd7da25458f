/**
 * Which backend a controller class routes a request to: the Kubernetes Ingress rules (k/website
 * `concepts/services-networking/ingress.md`: "Path types", "Multiple matches", "Hostname wildcards",
 * "IngressClass scope", default backend), nginx's server selection by Host, the NGINX Ingress
 * Controller's VirtualServer locations (ngx_http_core_module `location`: `=` exact first, then the
 * regexes in order, then the longest prefix) and condition variables (virtualserver-and-virtualserverroute
 * -resources.md, "Condition").
 */
import { describe, expect, test } from 'vitest';
import { requestClass } from '../../../src/model/http/request.js';
import { ControllerRouter } from '../../../src/model/ingress/router.js';
import { hostMatches, ingressesOfClass, routeRequest } from '../../../src/model/ingress/routing.js';
import { CONDITION_VARIABLES, NOT_SIMULATED_VARIABLES, VirtualServerRouter, location, variableValue } from '../../../src/model/ingress/virtual-server.js';
import type { IngressSpec, PathType, VirtualServerAction, VirtualServerRouteSpec, VirtualServerSpec } from '../../../src/model/spec.js';
import { ingressTo } from '../beyond-fixtures.js';

const p = (path: string, pathType: PathType, service: string) => ({ path, pathType, backend: { service, port: 80 } });
const ing = (rules: IngressSpec['rules'], extra: Partial<IngressSpec> = {}): IngressSpec => ({ ...ingressTo('unused'), rules, ...extra });
const service = (ings: IngressSpec[], host: string, path: string) => routeRequest(ings, host, path)?.backend.service ?? null;

describe('hosts', () => {
  test('rule hosts and request hosts compare case-insensitively, wildcard or not', () => {
    expect(hostMatches('FOO.example.com', 'foo.EXAMPLE.com')).toBe(true);
    expect(hostMatches('*.Example.COM', 'Bar.example.com')).toBe(true);
    expect(hostMatches('foo.example.com', 'bar.example.com')).toBe(false);
  });

  test('a wildcard needs a non-empty first label and exactly one', () => {
    expect(hostMatches('*.foo.com', '.foo.com')).toBe(false);
    expect(hostMatches('*.foo.com', 'xfoo.com')).toBe(false);
    expect(hostMatches('*.foo.com', 'a.b.foo.com')).toBe(false);
    expect(hostMatches('*.foo.com', 'a.foo.com')).toBe(true);
    // A '*' elsewhere is no wildcard: the name must be equal.
    expect(hostMatches('a*.foo.com', 'ab.foo.com')).toBe(false);
    expect(hostMatches('a*.foo.com', 'a*.foo.com')).toBe(true);
    // A host that does not end in the suffix, whatever its length.
    expect(hostMatches('*.foo.com', 'abcdefghij')).toBe(false);
    expect(hostMatches('*.foo.com', 'a.foo.org')).toBe(false);
  });

  test('the request host is lowercased and its port dropped before the server is chosen', () => {
    const ings = [ing([{ host: 'shop.example.com', paths: [p('/', 'Prefix', 'shop')] }, { host: null, paths: [p('/', 'Prefix', 'any')] }])];
    expect(service(ings, 'SHOP.Example.com:8080', '/x')).toBe('shop');
    expect(service(ings, 'shop.example.com:1', '/x')).toBe('shop');
    expect(service(ings, 'other.example.com:8080', '/x')).toBe('any');
  });

  test('a wildcard server takes its hosts whole: the hostless rules are not consulted for them', () => {
    const ings = [ing([{ host: '*.example.com', paths: [p('/api', 'Prefix', 'wild')] }, { host: null, paths: [p('/', 'Prefix', 'any')] }])];
    expect(service(ings, 'a.example.com', '/api/v1')).toBe('wild');
    expect(service(ings, 'a.example.com', '/other')).toBeNull();
    expect(service(ings, 'example.com', '/other')).toBe('any');
  });

  test('a host no rule names, and no hostless rule: the default backend', () => {
    const ings = [ing([{ host: 'a.com', paths: [p('/', 'Prefix', 'a')] }], { defaultBackend: { service: 'fallback', port: 80 } })];
    expect(routeRequest(ings, 'b.com', '/')).toEqual({ ingress: 0, backend: { service: 'fallback', port: 80 }, path: null, pathType: null });
  });
});

describe('paths', () => {
  test('equal length and type: the first written wins, across Ingresses too', () => {
    const ings = [ing([{ host: null, paths: [p('/a', 'Prefix', 'first'), p('/a', 'Prefix', 'second')] }]), ing([{ host: null, paths: [p('/a', 'Prefix', 'third')] }])];
    expect(service(ings, 'x', '/a/b')).toBe('first');
    const exact = [ing([{ host: null, paths: [p('/a', 'Exact', 'first')] }]), ing([{ host: null, paths: [p('/a', 'Exact', 'second')] }])];
    expect(routeRequest(exact, 'x', '/a')).toMatchObject({ ingress: 0, backend: { service: 'first' }, path: '/a', pathType: 'Exact' });
  });

  test('Exact beats Prefix only on equal length: /a/b Prefix beats /a Exact for /a/b; the route names the rule', () => {
    const ings = [ing([{ host: null, paths: [p('/a', 'Exact', 'exact'), p('/', 'Prefix', 'root'), p('/a/b', 'Prefix', 'ab')] }])];
    expect(routeRequest(ings, 'x', '/a/b')).toMatchObject({ backend: { service: 'ab' }, path: '/a/b', pathType: 'Prefix' });
    expect(routeRequest(ings, 'x', '/a')).toMatchObject({ backend: { service: 'exact' }, path: '/a', pathType: 'Exact' });
    expect(service(ings, 'x', '/b')).toBe('root');
  });

  test('a Prefix path with a trailing slash ranks as its length without it; an Exact one as written', () => {
    // /foo/ Prefix ranks 4, like /foo Exact: the Exact wins /foo. /foo/ Exact (5) beats /foo Prefix (4) on /foo/.
    expect(service([ing([{ host: null, paths: [p('/foo/', 'Prefix', 'prefix'), p('/foo', 'Exact', 'exact')] }])], 'x', '/foo')).toBe('exact');
    expect(service([ing([{ host: null, paths: [p('/foo', 'Prefix', 'prefix'), p('/foo/', 'Exact', 'exact')] }])], 'x', '/foo/')).toBe('exact');
    // /foo// ranks as /foo (every trailing slash dropped): /foo Exact still wins on a tie.
    expect(service([ing([{ host: null, paths: [p('/foo//', 'Prefix', 'prefix'), p('/foo', 'Exact', 'exact')] }])], 'x', '/foo')).toBe('exact');
    // ImplementationSpecific ranks like Prefix: /foo/ counts 4, and the Exact /foo wins the tie.
    expect(service([ing([{ host: null, paths: [p('/foo/', 'ImplementationSpecific', 'impl'), p('/foo', 'Exact', 'exact')] }])], 'x', '/foo')).toBe('exact');
  });

  test('/ as a Prefix ranks 1, below any longer match, and an Exact / wins the tie', () => {
    const ings = [ing([{ host: null, paths: [p('/', 'Prefix', 'root'), p('/', 'Exact', 'exact-root'), p('/x', 'Prefix', 'x')] }])];
    expect(service(ings, 'x', '/')).toBe('exact-root');
    expect(service(ings, 'x', '/x')).toBe('x');
    expect(service(ings, 'x', '/y')).toBe('root');
  });

  test('the default backend is the first Ingress (in file order) that has one', () => {
    const ings = [
      ing([{ host: null, paths: [p('/a', 'Prefix', 'a')] }]),
      ing([], { defaultBackend: { service: 'second', port: 8080 } }),
      ing([], { defaultBackend: { service: 'third', port: 80 } }),
    ];
    expect(routeRequest(ings, 'x', '/b')).toEqual({ ingress: 1, backend: { service: 'second', port: 8080 }, path: null, pathType: null });
    expect(routeRequest([], 'x', '/b')).toBeNull();
  });
});

describe('IngressClass scope', () => {
  const mine = ing([], { name: 'mine', className: 'nginx' });
  const other = ing([], { name: 'other', className: 'kong' });
  const classless = ing([], { name: 'classless', className: null });

  test('a controller takes its class, and the classless ones only when it is the default class', () => {
    expect(ingressesOfClass([mine, other, classless], 'nginx', true).map((i) => i.name)).toEqual(['mine', 'classless']);
    expect(ingressesOfClass([mine, other, classless], 'nginx', false).map((i) => i.name)).toEqual(['mine']);
    expect(ingressesOfClass([mine, other, classless], 'kong', false).map((i) => i.name)).toEqual(['other']);
  });
});

const pass = (upstream: string): VirtualServerAction => ({ kind: 'pass', upstream });
const vs = (routes: VirtualServerRouteSpec[], extra: Partial<VirtualServerSpec> = {}): VirtualServerSpec => ({
  name: 'cafe',
  namespace: 'default',
  className: 'nginx',
  host: 'cafe.example.com',
  upstreams: [],
  routes,
  ...extra,
});
const route = (path: string, upstream: string): VirtualServerRouteSpec => ({ path, matches: [], action: pass(upstream) });

describe('ControllerRouter: VirtualServers claim their hosts, Ingresses the rest, by class', () => {
  test('Ingress routes name the Ingress\'s place in the full list, not in its class\'s', () => {
    const router = new ControllerRouter([ingressTo('kong-svc'), { ...ingressTo('nginx-svc'), className: 'nginx' }].map((i, k) => (k === 0 ? { ...i, className: 'kong' } : i)), [], 'nginx', false);
    expect(router.route('example.com', requestClass({ path: '/' }))).toEqual({ kind: 'ingress', ingress: 1, backend: { service: 'nginx-svc', port: 80 } });
  });

  test('the exact host\'s VirtualServer beats a wildcard one written before it; the Host is lowercased, its port dropped', () => {
    const servers = [vs([route('/', 'wild')], { host: '*.example.com', name: 'wild' }), vs([route('/', 'exact')])];
    const router = new ControllerRouter([], servers, 'nginx', true);
    expect(router.route('CAFE.example.com:443', requestClass({ path: '/' }))).toEqual({ kind: 'vs', vs: 1, action: pass('exact') });
    expect(router.route('tea.example.com', requestClass({ path: '/' }))).toEqual({ kind: 'vs', vs: 0, action: pass('wild') });
  });

  test('a VirtualServer whose locations do not match answers 404: its host is not looked up in Ingresses', () => {
    const router = new ControllerRouter([ingressTo('ingress-svc')], [vs([route('/tea', 'tea')], { host: 'example.com' })], 'nginx', true);
    expect(router.route('example.com', requestClass({ path: '/coffee' }))).toBeNull();
    expect(router.route('other.com', requestClass({ path: '/coffee' }))).toMatchObject({ kind: 'ingress', ingress: 0 });
    const nothing = new ControllerRouter([ingressTo('x')], [], 'kong', false);
    expect(nothing.route('example.com', requestClass({ path: '/' }))).toBeNull();
  });

  test('VirtualServers of another class are ignored; classless ones belong to the default class', () => {
    const servers = [vs([route('/', 'kong')], { className: 'kong' }), vs([route('/', 'classless')], { className: null, host: 'free.example.com' })];
    expect(new ControllerRouter([], servers, 'nginx', true).route('cafe.example.com', requestClass({ path: '/' }))).toBeNull();
    expect(new ControllerRouter([], servers, 'nginx', true).route('free.example.com', requestClass({ path: '/' }))).toEqual({ kind: 'vs', vs: 1, action: pass('classless') });
    expect(new ControllerRouter([], servers, 'nginx', false).route('free.example.com', requestClass({ path: '/' }))).toBeNull();
    expect(new ControllerRouter([], servers, 'kong', false).route('cafe.example.com', requestClass({ path: '/' }))).toEqual({ kind: 'vs', vs: 0, action: pass('kong') });
  });
});

describe('VirtualServer locations', () => {
  test('= exact, ~ and ~* regexes (the text after the modifier trimmed), anything else a plain prefix', () => {
    expect(location('= /exact')).toEqual({ kind: 'exact', path: '/exact' });
    expect(location('/plain')).toEqual({ kind: 'prefix', path: '/plain' });
    const re = location('~ \\.png$');
    expect(re.kind === 'regex' && re.re.test('/a.png') && !re.re.test('/a.PNG')).toBe(true);
    const ci = location('~* \\.png$');
    expect(ci.kind === 'regex' && ci.re.test('/a.PNG')).toBe(true);
  });

  test('an exact location wins even written after a matching regex; a mismatched exact falls through', () => {
    const router = new VirtualServerRouter(vs([route('~ ^/tea', 'regex'), route('=/tea', 'exact'), route('/', 'root')]));
    expect(router.route(requestClass({ path: '/tea' }))).toEqual(pass('exact'));
    expect(router.route(requestClass({ path: '/tea/x' }))).toEqual(pass('regex'));
    expect(router.route(requestClass({ path: '/coffee' }))).toEqual(pass('root'));
  });

  test('a prefix equal to the whole path still loses to a regex; an exact location is no prefix', () => {
    const router = new VirtualServerRouter(vs([route('/tea', 'prefix'), route('~ ^/t', 'regex'), route('=/coffee', 'exact'), route('/', 'root')]));
    expect(router.route(requestClass({ path: '/tea' }))).toEqual(pass('regex'));
    expect(router.route(requestClass({ path: '/coffee/x' }))).toEqual(pass('root'));
  });

  test('of several matching regexes the first written; the longest prefix whatever the order', () => {
    const router = new VirtualServerRouter(vs([route('/a', 'a'), route('/a/b/c', 'abc'), route('/a/b', 'ab'), route('~ c$', 'c1'), route('~ bc$', 'c2')]));
    expect(router.route(requestClass({ path: '/a/bc' }))).toEqual(pass('c1'));
    expect(router.route(requestClass({ path: '/a/b/cd' }))).toEqual(pass('abc'));
    expect(router.route(requestClass({ path: '/a/bd' }))).toEqual(pass('ab'));
    expect(router.route(requestClass({ path: '/a' }))).toEqual(pass('a'));
    expect(router.route(requestClass({ path: '/b' }))).toBeNull();
  });
});

describe('VirtualServer condition variables', () => {
  const r = requestClass({ path: '/cart?id=42&x=y', method: 'POST' });

  test('the variables the model knows and what they read for a request class', () => {
    expect(variableValue('$request_method', r)).toBe('POST');
    expect(variableValue('$request_uri', r)).toBe('/cart?id=42&x=y');
    expect(variableValue('$args', r)).toBe('id=42&x=y');
    expect(variableValue('$query_string', r)).toBe('id=42&x=y');
    expect(variableValue('$scheme', r)).toBe('http');
    expect(variableValue('$https', r)).toBe('');
    expect(variableValue('$http2', r)).toBe('');
    expect(variableValue('$request', r)).toBe('POST /cart?id=42&x=y HTTP/1.1');
    expect(variableValue('$remote_addr', r)).toBeNull();
  });

  test('the allowed variables (Condition docs) and those read as ""', () => {
    expect([...CONDITION_VARIABLES].sort()).toEqual(['$args', '$http2', '$https', '$query_string', '$remote_addr', '$remote_port', '$request', '$request_body', '$request_method', '$request_uri', '$scheme']);
    expect([...NOT_SIMULATED_VARIABLES].sort()).toEqual(['$remote_addr', '$remote_port', '$request_body']);
  });

  test('a variable the model has no value for reads as "": it matches an empty value', () => {
    const router = new VirtualServerRouter(
      vs([
        {
          path: '/',
          matches: [
            { conditions: [{ source: 'variable', name: '$remote_addr', value: '10.0.0.1' }], action: pass('addr') },
            { conditions: [{ source: 'variable', name: '$remote_port', value: '' }], action: pass('empty') },
          ],
          action: pass('default'),
        },
      ]),
    );
    expect(router.route(r)).toEqual(pass('empty'));
  });

  test('arguments and cookies absent read as ""; present, their values', () => {
    const router = new VirtualServerRouter(
      vs([
        {
          path: '/',
          matches: [
            { conditions: [{ source: 'argument', name: 'id', value: '42' }, { source: 'cookie', name: 'sid', value: '' }], action: pass('id-no-cookie') },
            { conditions: [{ source: 'cookie', name: 'sid', value: 'abc' }], action: pass('cookie') },
          ],
          action: pass('default'),
        },
      ]),
    );
    expect(router.route(r)).toEqual(pass('id-no-cookie'));
    expect(router.route(requestClass({ path: '/cart?id=42', cookies: { sid: 'abc' } }))).toEqual(pass('cookie'));
    expect(router.route(requestClass({ path: '/cart?id=43' }))).toEqual(pass('default'));
  });

  test('an absent header or argument reads as "": it matches an empty value, not a negated one', () => {
    const router = new VirtualServerRouter(
      vs([
        {
          path: '/',
          matches: [
            { conditions: [{ source: 'header', name: 'x-missing', value: '' }, { source: 'argument', name: 'missing', value: '' }], action: pass('both-empty') },
          ],
          action: pass('default'),
        },
      ]),
    );
    expect(router.route(requestClass({ path: '/' }))).toEqual(pass('both-empty'));
    expect(router.route(requestClass({ path: '/', headers: { 'x-missing': 'v' } }))).toEqual(pass('default'));
    expect(router.route(requestClass({ path: '/?missing=v' }))).toEqual(pass('default'));
  });
});
