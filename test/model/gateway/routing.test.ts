/**
 * Gateway API route matching and precedence (gateway/routing.ts), case by case as the spec orders them
 * (apis/v1/httproute_types.go HTTPRouteRule.Matches) and as the conformance tests check them
 * (HTTPRouteMatchingAcrossRoutes, HTTPRouteMethodMatching, HTTPRouteHeaderMatching,
 * HTTPRouteQueryParamMatching, HTTPRouteHostnameIntersection, GRPCRouteExactMethodMatching).
 */
import { describe, expect, test } from 'vitest';
import { GatewayRouter, gatewayHostMatches, grpcMatchSpec } from '../../../src/model/gateway/routing.js';
import type { GatewayRouteSpec, GatewaySpec, RouteMatch } from '../../../src/model/gateway/spec.js';
import type { RequestMatchSpec } from '../../../src/model/http/match.js';
import { requestClass, type HttpRequestClassInput } from '../../../src/model/http/request.js';
import { gateway, httpRoute, rule } from './gateway-fixtures.js';

/** A route whose rules each have one match and send to a Service named after the rule. */
function route(name: string, matches: readonly RequestMatchSpec[], overrides: Partial<GatewayRouteSpec> = {}): GatewayRouteSpec {
  return httpRoute(
    name,
    matches.map((m, i) => rule([{ service: `${name}-${i}` }], { matches: [{ match: m }] })),
    overrides,
  );
}

/** The backend Service the request lands on ("404" for none). */
function where(routes: readonly GatewayRouteSpec[], req: HttpRequestClassInput, host = 'example.com', gw: GatewaySpec = gateway()): string {
  const m = new GatewayRouter(gw, routes).route(host, null, requestClass(req));
  return m === null ? '404' : routes[m.route]!.rules[m.rule]!.backends[0]!.service;
}

const prefix = (value: string): RequestMatchSpec => ({ path: { type: 'PathPrefix', value } });
const exact = (value: string): RequestMatchSpec => ({ path: { type: 'Exact', value } });
const header = (name: string, value: string) => ({ name, match: { type: 'Exact' as const, value } });
const query = header;

describe('path precedence', () => {
  test('an Exact path beats a PathPrefix of any length', () => {
    const routes = [route('a', [prefix('/foo/bar')]), route('b', [exact('/foo/bar')])];
    expect(where(routes, { path: '/foo/bar' })).toBe('b-0');
    expect(where(routes, { path: '/foo/bar/baz' })).toBe('a-0');
  });

  test('the longest matching prefix wins, across routes', () => {
    const routes = [route('a', [prefix('/')]), route('b', [prefix('/v2')]), route('c', [prefix('/v2/example')])];
    expect(where(routes, { path: '/v2/example/x' })).toBe('c-0');
    expect(where(routes, { path: '/v2/exam' })).toBe('b-0');
    expect(where(routes, { path: '/v3' })).toBe('a-0');
  });

  test('PathPrefix matches whole elements: /v2 does not match /v2example; a trailing slash is ignored', () => {
    const routes = [route('a', [prefix('/')]), route('b', [prefix('/v2/')])];
    expect(where(routes, { path: '/v2example' })).toBe('a-0');
    expect(where(routes, { path: '/v2' })).toBe('b-0');
  });

  test('a rule without matches is PathPrefix /', () => {
    expect(where([route('a', [prefix('/')])], { path: '/anything' })).toBe('a-0');
  });
});

describe('method, headers, query parameters', () => {
  test('a path match beats a method match (PATCH /path5)', () => {
    const routes = [route('a', [prefix('/path5')]), route('b', [{ path: { type: 'PathPrefix', value: '/' }, method: 'PATCH' }])];
    expect(where(routes, { path: '/path5', method: 'PATCH' })).toBe('a-0');
  });

  test('on equal paths, a method match beats header matches', () => {
    const routes = [route('a', [{ ...prefix('/'), headers: [header('version', 'two'), header('color', 'blue')] }]), route('b', [{ ...prefix('/'), method: 'GET' }])];
    expect(where(routes, { path: '/', headers: { version: 'two', color: 'blue' } })).toBe('b-0');
  });

  test('the most header matches wins; names compare case-insensitively', () => {
    const routes = [route('a', [{ ...prefix('/'), headers: [header('version', 'one')] }]), route('b', [{ ...prefix('/'), headers: [header('Version', 'one'), header('color', 'orange')] }])];
    expect(where(routes, { path: '/', headers: { version: 'one', color: 'orange' } })).toBe('b-0');
    expect(where(routes, { path: '/', headers: { version: 'one' } })).toBe('a-0');
    expect(where(routes, { path: '/', headers: { version: 'two' } })).toBe('404');
  });

  test('a header match beats query-parameter matches; among those the most wins', () => {
    const routes = [
      route('a', [{ ...prefix('/'), query: [query('animal', 'whale'), query('color', 'blue')] }]),
      route('b', [{ ...prefix('/'), headers: [header('x', '1')] }]),
      route('c', [{ ...prefix('/'), query: [query('animal', 'whale')] }]),
    ];
    expect(where(routes, { path: '/?animal=whale&color=blue', headers: { x: '1' } })).toBe('b-0');
    expect(where(routes, { path: '/?animal=whale&color=blue' })).toBe('a-0');
    expect(where(routes, { path: '/?animal=whale' })).toBe('c-0');
  });
});

describe('ties', () => {
  test('across routes: the oldest route, then namespace/name in alphabetical order', () => {
    const same = [prefix('/')];
    expect(where([route('b', same, { created: 1 }), route('a', same, { created: 2 })], { path: '/' })).toBe('b-0');
    expect(where([route('b', same, { created: 1 }), route('a', same, { created: 1 })], { path: '/' })).toBe('a-0');
  });

  test('within a route: the first matching rule in list order', () => {
    expect(where([route('a', [prefix('/'), prefix('/')])], { path: '/x' })).toBe('a-0');
  });
});

describe('hostnames', () => {
  test('*.example.com matches one or more labels, not example.com itself', () => {
    expect(gatewayHostMatches('*.example.com', 'foo.example.com')).toBe(true);
    expect(gatewayHostMatches('*.example.com', 'foo.bar.example.com')).toBe(true);
    expect(gatewayHostMatches('*.example.com', 'example.com')).toBe(false);
    expect(gatewayHostMatches('Example.COM', 'example.com:8080')).toBe(true);
  });

  test('an exact hostname beats a wildcard, which beats a route without hostnames, whatever the paths', () => {
    const routes = [
      route('any', [exact('/x')]),
      route('wild', [prefix('/')], { hostnames: ['*.example.com'] }),
      route('exact', [prefix('/')], { hostnames: ['foo.example.com'] }),
    ];
    expect(where(routes, { path: '/x' }, 'foo.example.com')).toBe('exact-0');
    expect(where(routes, { path: '/x' }, 'bar.example.com')).toBe('wild-0');
    expect(where(routes, { path: '/x' }, 'other.org')).toBe('any-0');
  });

  test('a listener hostname admits only its hosts', () => {
    const gw: GatewaySpec = { ...gateway(), listeners: [{ name: 'http', port: 80, hostname: '*.example.com' }] };
    expect(where([route('a', [prefix('/')])], { path: '/' }, 'foo.example.com', gw)).toBe('a-0');
    expect(where([route('a', [prefix('/')])], { path: '/' }, 'other.org', gw)).toBe('404');
  });

  test('parentRefs: a route attached to another listener (sectionName) does not serve this one', () => {
    const routes = [route('a', [prefix('/')], { parents: [{ gateway: 'default/gw', sectionName: 'https', port: null }] })];
    expect(where(routes, { path: '/' })).toBe('404');
  });
});

describe('GRPCRoute', () => {
  const grpc = (name: string, service: string | null, method: string | null): GatewayRouteSpec => {
    const m: RouteMatch = { match: grpcMatchSpec(service, method, false), grpc: { service, method } };
    return { ...httpRoute(name, [rule([{ service: name }], { matches: [m] })]), kind: 'GRPCRoute' };
  };
  const call = (path: string) => ({ path, method: 'POST' as const, headers: { 'content-type': 'application/grpc' } });

  test('service and method beat service only, which beats method only', () => {
    const routes = [grpc('method-only', null, 'Check'), grpc('service-only', 'grpc.health.v1.Health', null), grpc('both', 'grpc.health.v1.Health', 'Check')];
    expect(where(routes, call('/grpc.health.v1.Health/Check'))).toBe('both');
    expect(where(routes, call('/grpc.health.v1.Health/Watch'))).toBe('service-only');
    expect(where(routes, call('/other.Svc/Check'))).toBe('method-only');
  });

  test('gRPC requests go to GRPCRoutes, others to HTTPRoutes', () => {
    const routes = [grpc('g', null, null), route('h', [prefix('/')])];
    expect(where(routes, call('/a.B/C'))).toBe('g');
    expect(where(routes, { path: '/a.B/C' })).toBe('h-0');
  });
});
