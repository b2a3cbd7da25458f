/**
 * Ingress path and host routing, against the tables of the Kubernetes docs (concepts/services-networking/
 * ingress.md: "Examples" of path types, "Multiple matches", "Hostname wildcards").
 */
import { describe, expect, test } from 'vitest';
import { hostMatches, pathMatches, routeRequest } from '../../src/model/ingress/routing.js';
import type { IngressBalancing, IngressSpec, PathType } from '../../src/model/spec.js';

const BALANCING: IngressBalancing = { loadBalance: null, upstreamHashBy: null, affinity: null, serviceUpstream: false, nextUpstreamTries: 3 };

function ingress(rules: IngressSpec['rules'], extra: Partial<IngressSpec> = {}): IngressSpec {
  return { name: 'ing', namespace: 'default', className: 'nginx', defaultBackend: null, rules, balancing: BALANCING, ...extra };
}

const p = (path: string, pathType: PathType, service: string) => ({ path, pathType, backend: { service, port: 80 } });

describe('path types (the docs\' examples table)', () => {
  // [pathType, path, request, matches]
  const table: [PathType, string, string, boolean][] = [
    ['Prefix', '/', '/anything/at/all', true],
    ['Exact', '/foo', '/foo', true],
    ['Exact', '/foo', '/bar', false],
    ['Exact', '/foo', '/foo/', false],
    ['Exact', '/foo/', '/foo', false],
    ['Prefix', '/foo', '/foo', true],
    ['Prefix', '/foo', '/foo/', true],
    ['Prefix', '/foo/', '/foo', true],
    ['Prefix', '/foo/', '/foo/', true],
    ['Prefix', '/aaa/bb', '/aaa/bbb', false],
    ['Prefix', '/aaa/bbb', '/aaa/bbb', true],
    ['Prefix', '/aaa/bbb/', '/aaa/bbb', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbb/', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbb/ccc', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbbxyz', false],
    ['Prefix', '/foo', '/foobar', false],
    ['Prefix', '/foo', '/foo/bar', true],
    ['ImplementationSpecific', '/foo', '/foo/bar', true],
    ['ImplementationSpecific', '/foo', '/foobar', false],
  ];
  test.each(table)('%s %s vs %s -> %s', (type, path, request, expected) => {
    expect(pathMatches(type, path, request)).toBe(expected);
  });
});

describe('multiple matches', () => {
  test('/, /aaa, /aaa/bbb: the longest matching prefix wins; / catches the rest', () => {
    const ings = [ingress([{ host: null, paths: [p('/', 'Prefix', 'root'), p('/aaa', 'Prefix', 'a'), p('/aaa/bbb', 'Prefix', 'ab')] }])];
    expect(routeRequest(ings, 'x', '/aaa/ccc')?.backend.service).toBe('a');
    expect(routeRequest(ings, 'x', '/aaa/bbb')?.backend.service).toBe('ab');
    expect(routeRequest(ings, 'x', '/aaa/bbb/c')?.backend.service).toBe('ab');
    expect(routeRequest(ings, 'x', '/ccc')?.backend.service).toBe('root');
  });

  test('/aaa only: /ccc matches nothing and goes to the default backend, or nowhere', () => {
    const rules = [{ host: null, paths: [p('/aaa', 'Prefix', 'a')] }];
    expect(routeRequest([ingress(rules)], 'x', '/ccc')).toBeNull();
    const withDefault = ingress(rules, { defaultBackend: { service: 'fallback', port: 80 } });
    expect(routeRequest([withDefault], 'x', '/ccc')).toMatchObject({ backend: { service: 'fallback' }, path: null });
  });

  test('Exact beats Prefix on equal length, whichever comes first', () => {
    for (const order of [[p('/foo', 'Prefix', 'prefix'), p('/foo', 'Exact', 'exact')], [p('/foo', 'Exact', 'exact'), p('/foo', 'Prefix', 'prefix')]]) {
      const ings = [ingress([{ host: null, paths: order }])];
      expect(routeRequest(ings, 'x', '/foo')?.backend.service).toBe('exact');
      expect(routeRequest(ings, 'x', '/foo/bar')?.backend.service).toBe('prefix');
    }
  });

  test('a longer Prefix beats a shorter Exact; a trailing slash does not make a prefix longer', () => {
    const ings = [ingress([{ host: null, paths: [p('/foo/', 'Prefix', 'slash'), p('/foo/bar', 'Prefix', 'bar'), p('/foo', 'Exact', 'exact')] }])];
    expect(routeRequest(ings, 'x', '/foo/bar/baz')?.backend.service).toBe('bar');
    expect(routeRequest(ings, 'x', '/foo')?.backend.service).toBe('exact');
    expect(routeRequest(ings, 'x', '/foo/x')?.backend.service).toBe('slash');
  });
});

describe('hosts', () => {
  test('wildcards match exactly one label', () => {
    expect(hostMatches('*.foo.com', 'bar.foo.com')).toBe(true);
    expect(hostMatches('*.foo.com', 'baz.bar.foo.com')).toBe(false);
    expect(hostMatches('*.foo.com', 'foo.com')).toBe(false);
    expect(hostMatches('foo.bar.com', 'FOO.bar.com')).toBe(true);
  });

  test('the seeds\' example: example.com /app1 and /app2, host rules before the default backend', () => {
    const seed = ingress(
      [{ host: 'example.com', paths: [p('/app1', 'Prefix', 'app1-service'), p('/app2', 'Prefix', 'app2-service')] }],
      { defaultBackend: { service: 'default-http-backend', port: 80 } },
    );
    expect(routeRequest([seed], 'example.com', '/app1')?.backend.service).toBe('app1-service');
    expect(routeRequest([seed], 'example.com', '/app1/users/7')?.backend.service).toBe('app1-service');
    expect(routeRequest([seed], 'example.com', '/app2')?.backend.service).toBe('app2-service');
    expect(routeRequest([seed], 'example.com:443', '/app2/x')?.backend.service).toBe('app2-service');
    expect(routeRequest([seed], 'example.com', '/app10')?.backend.service).toBe('default-http-backend');
    expect(routeRequest([seed], 'other.com', '/app1')?.backend.service).toBe('default-http-backend');
  });

  test('the server is chosen by host first: exact, then wildcard, then hostless rules', () => {
    const ings = [
      ingress([{ host: null, paths: [p('/', 'Prefix', 'any')] }]),
      ingress([{ host: '*.example.com', paths: [p('/', 'Prefix', 'wild')] }]),
      ingress([{ host: 'api.example.com', paths: [p('/v1', 'Prefix', 'api')] }]),
    ];
    expect(routeRequest(ings, 'api.example.com', '/v1/x')?.backend.service).toBe('api');
    // api.example.com has its own server: its paths only (nginx), so /other finds no match there.
    expect(routeRequest(ings, 'api.example.com', '/other')).toBeNull();
    expect(routeRequest(ings, 'www.example.com', '/other')?.backend.service).toBe('wild');
    expect(routeRequest(ings, 'example.org', '/other')?.backend.service).toBe('any');
    // Rules of several Ingresses for one host are merged.
    const merged = [ingress([{ host: 'a.com', paths: [p('/x', 'Prefix', 'x')] }]), ingress([{ host: 'a.com', paths: [p('/y', 'Prefix', 'y')] }])];
    expect(routeRequest(merged, 'a.com', '/y')?.backend.service).toBe('y');
    expect(routeRequest(merged, 'a.com', '/y')?.ingress).toBe(1);
  });
});
