/**
 * The NGINX Ingress Controller's VirtualServer routing, as its docs and code state it
 * (virtualserver-and-virtualserverroute-resources.md "Match", "Condition"; virtualserver.go
 * `generateMatchesConfig`), and nginx's location selection (ngx_http_core_module "location").
 */
import { describe, expect, test } from 'vitest';
import { requestClass, type HttpRequestClassInput } from '../../../src/model/http/request.js';
import { ControllerRouter } from '../../../src/model/ingress/router.js';
import { VirtualServerRouter, conditionMatcher } from '../../../src/model/ingress/virtual-server.js';
import type { IngressSpec, VirtualServerAction, VirtualServerRouteSpec, VirtualServerSpec } from '../../../src/model/spec.js';
import { ingressTo } from '../beyond-fixtures.js';

const pass = (upstream: string): VirtualServerAction => ({ kind: 'pass', upstream });

function vs(routes: VirtualServerRouteSpec[], extra: Partial<VirtualServerSpec> = {}): VirtualServerSpec {
  return { name: 'cafe', namespace: 'default', className: 'nginx', host: 'cafe.example.com', upstreams: [], routes, ...extra };
}

const route = (input: HttpRequestClassInput, router: VirtualServerRouter): VirtualServerAction | null => router.route(requestClass(input));

describe('location selection: exact, else a regex in order, else the longest prefix', () => {
  const router = new VirtualServerRouter(
    vs([
      { path: '/', matches: [], action: pass('root') },
      { path: '/tea', matches: [], action: pass('tea') },
      { path: '/tea/green', matches: [], action: pass('green') },
      { path: '~ \\.jpg$', matches: [], action: pass('jpg') },
      { path: '~* \\.JPG$', matches: [], action: pass('jpg-ci') },
      { path: '=/tea/green/exact', matches: [], action: pass('exact') },
    ]),
  );
  // [path, upstream]
  const table: [string, string][] = [
    ['/', 'root'],
    ['/teapot', 'tea'], // a plain string prefix, not element-wise
    ['/tea/green/leaf', 'green'],
    ['/tea/green/exact', 'exact'],
    ['/tea/a.jpg', 'jpg'], // a regex beats the longest prefix
    ['/tea/a.JPG', 'jpg-ci'],
    ['/coffee', 'root'],
  ];
  test.each(table)('%s -> %s', (path, upstream) => {
    expect(route({ path }, router)).toEqual(pass(upstream));
  });

  test('no location matches: 404', () => {
    expect(new VirtualServerRouter(vs([{ path: '/tea', matches: [], action: pass('tea') }])).route(requestClass({ path: '/coffee' }))).toBeNull();
  });
});

describe('matches: in order, all conditions of one, else the route\'s action', () => {
  const router = new VirtualServerRouter(
    vs([
      {
        path: '/coffee',
        matches: [
          { conditions: [{ source: 'variable', name: '$request_method', value: 'POST' }], action: pass('post') },
          { conditions: [{ source: 'cookie', name: 'user', value: 'john' }], action: pass('john') },
          {
            conditions: [
              { source: 'header', name: 'x-beta', value: '~^(yes|true)$' },
              { source: 'argument', name: 'v', value: '2' },
            ],
            action: pass('beta-v2'),
          },
          { conditions: [{ source: 'header', name: 'x-region', value: '!eu' }], action: pass('not-eu') },
        ],
        action: pass('stable'),
      },
    ]),
  );
  // [request, upstream]
  const table: [HttpRequestClassInput, string][] = [
    [{ path: '/coffee', method: 'POST', cookies: { user: 'john' } }, 'post'], // the first match wins
    [{ path: '/coffee', cookies: { user: 'JOHN' }, headers: { 'x-region': 'eu' } }, 'john'], // strings compare case-insensitively
    [{ path: '/coffee?v=2', headers: { 'X-Beta': 'yes', 'x-region': 'eu' } }, 'beta-v2'],
    [{ path: '/coffee?v=3', headers: { 'X-Beta': 'yes', 'x-region': 'eu' } }, 'stable'], // one condition fails: the match fails
    [{ path: '/coffee?v=2', headers: { 'X-Beta': 'YES', 'x-region': 'eu' } }, 'stable'], // ~ is case-sensitive
    [{ path: '/coffee', headers: { 'x-region': 'us' } }, 'not-eu'],
    [{ path: '/coffee' }, 'not-eu'], // an absent header is "", which is not "eu"
    [{ path: '/coffee', headers: { 'x-region': 'EU' } }, 'stable'],
  ];
  test.each(table)('%j -> %s', (input, upstream) => {
    expect(route(input, router)).toEqual(pass(upstream));
  });

  test('condition values: string (case-insensitive), !negation, ~ and ~* regexes, "" for absent', () => {
    expect(conditionMatcher('john').test('John')).toBe(true);
    expect(conditionMatcher('!john').test('')).toBe(true);
    expect(conditionMatcher('!john').test('JOHN')).toBe(false);
    expect(conditionMatcher('~^yes').test('yes123')).toBe(true);
    expect(conditionMatcher('!~^yes').test('Yes123')).toBe(true);
    expect(conditionMatcher('~*no$').test('123NO')).toBe(true);
    expect(conditionMatcher('').test('')).toBe(true);
    expect(conditionMatcher('').test('x')).toBe(false);
  });

  test('the variables the model knows: $request_method, $request_uri, $args', () => {
    const r = new VirtualServerRouter(
      vs([
        {
          path: '/',
          matches: [
            { conditions: [{ source: 'variable', name: '$request_uri', value: '~^/a\\?x=1$' }], action: pass('uri') },
            { conditions: [{ source: 'variable', name: '$args', value: 'y=2' }], action: pass('args') },
          ],
          action: pass('none'),
        },
      ]),
    );
    expect(r.route(requestClass({ path: '/a?x=1' }))).toEqual(pass('uri'));
    expect(r.route(requestClass({ path: '/b?y=2' }))).toEqual(pass('args'));
    expect(r.route(requestClass({ path: '/b' }))).toEqual(pass('none'));
  });
});

describe('a controller class: VirtualServers claim their hosts, Ingresses the rest', () => {
  const ing: IngressSpec = ingressTo('ingress-backend');
  const servers = [vs([{ path: '/', matches: [], action: pass('vs') }]), vs([{ path: '/', matches: [], action: pass('wild') }], { host: '*.example.com', name: 'wild' }), vs([{ path: '/', matches: [], action: pass('other') }], { host: 'other.com', className: 'kong', name: 'other' })];
  const router = new ControllerRouter([ing], servers, 'nginx', true);

  test('the VirtualServer of the exact host, then a wildcard one, then the Ingresses', () => {
    expect(router.route('cafe.example.com', requestClass({ path: '/x' }))).toEqual({ kind: 'vs', vs: 0, action: pass('vs') });
    expect(router.route('tea.example.com:80', requestClass({ path: '/x' }))).toEqual({ kind: 'vs', vs: 1, action: pass('wild') });
    expect(router.route('other.com', requestClass({ path: '/x' }))).toEqual({ kind: 'ingress', ingress: 0, backend: { service: 'ingress-backend', port: 80 } });
  });
});
