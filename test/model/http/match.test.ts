/**
 * The shared HTTP matchers: what each kind of condition accepts and refuses, written as the routers'
 * documentation states it (Gateway API HTTPRouteMatch; the NGINX Ingress Controller's VirtualServer
 * Condition: case-insensitive strings, `!` negation, `~` / `~*` regexes, absent variables read as "").
 */
import { describe, expect, test } from 'vitest';
import {
  HttpMatchError,
  PathMatcher,
  RequestMatcher,
  StringMatcher,
  compileRegex,
  pathPrefixMatches,
  regexProblem,
  type PathMatchType,
  type StringMatchSpec,
} from '../../../src/model/http/match.js';
import { requestClass } from '../../../src/model/http/request.js';

describe('StringMatcher', () => {
  // [spec, value, matches]
  const table: [StringMatchSpec, string | undefined, boolean][] = [
    [{ type: 'Exact', value: 'john' }, 'john', true],
    [{ type: 'Exact', value: 'john' }, 'John', false],
    [{ type: 'Exact', value: 'john', ignoreCase: true }, 'JOHN', true],
    [{ type: 'Exact', value: 'john' }, 'johnny', false],
    [{ type: 'Exact', value: 'john' }, undefined, false],
    [{ type: 'Exact', value: 'john', negate: true }, 'bob', true],
    [{ type: 'Exact', value: 'john', negate: true }, 'john', false],
    [{ type: 'Exact', value: 'john', negate: true }, undefined, true],
    [{ type: 'Prefix', value: 'v1' }, 'v1.2', true],
    [{ type: 'Prefix', value: 'v1' }, 'v2', false],
    [{ type: 'RegularExpression', value: '^yes' }, 'yes123', true],
    [{ type: 'RegularExpression', value: '^yes' }, 'YES', false],
    [{ type: 'RegularExpression', value: 'no$', ignoreCase: true }, '123NO', true],
    [{ type: 'RegularExpression', value: '(?i)^yes' }, 'Yes', true],
    [{ type: 'RegularExpression', value: 'es' }, 'yes', true],
    [{ type: 'RegularExpression', value: 'es', fullMatch: true }, 'yes', false],
    [{ type: 'RegularExpression', value: 'y.s', fullMatch: true }, 'yes', true],
    [{ type: 'RegularExpression', value: '^yes', negate: true }, 'noyes', true],
  ];
  test.each(table)('%j on %j -> %s', (spec, value, expected) => {
    expect(new StringMatcher(spec).test(value)).toBe(expected);
  });

  test('a pattern that does not compile is an HttpMatchError with the reason', () => {
    expect(() => new StringMatcher({ type: 'RegularExpression', value: 'a(b' })).toThrow(HttpMatchError);
    expect(regexProblem('a(b')).toMatch(/regular expression/);
    expect(regexProblem('^a(b|c)$')).toBeNull();
    expect(compileRegex('(?i)abc').flags).toBe('i');
  });
});

describe('PathMatcher', () => {
  // [type, value, path, matches]
  const table: [PathMatchType, string, string, boolean][] = [
    ['Exact', '/foo', '/foo', true],
    ['Exact', '/foo', '/foo/', false],
    ['PathPrefix', '/foo', '/foo/bar', true],
    ['PathPrefix', '/foo', '/foobar', false],
    ['PathPrefix', '/foo/', '/foo', true],
    ['PathPrefix', '/', '/anything', true],
    ['Prefix', '/foo', '/foobar', true],
    ['Prefix', '/foo/', '/foo', false],
    ['RegularExpression', '^/decaf/.*\\.jpg$', '/decaf/a.jpg', true],
    ['RegularExpression', '^/decaf/.*\\.jpg$', '/decaf/a.png', false],
  ];
  test.each(table)('%s %s on %s -> %s', (type, value, path, expected) => {
    expect(new PathMatcher({ type, value }).test(path)).toBe(expected);
  });

  test('element-wise prefix compares whole elements', () => {
    expect(pathPrefixMatches('/aaa/bb', '/aaa/bbb')).toBe(false);
    expect(pathPrefixMatches('/aaa/bbb', '/aaa/bbb/ccc')).toBe(true);
  });
});

describe('RequestMatcher: every condition must hold', () => {
  const post = requestClass({ path: '/coffee?size=large&size=small', method: 'POST', headers: { 'X-User': 'john' }, cookies: { user: 'bob' } });

  test('a request class splits its query string off and normalises names', () => {
    expect(post.path).toBe('/coffee');
    expect(post.query).toEqual({ size: 'large' }); // the first value of a repeated name
    expect(post.headers).toEqual({ 'x-user': 'john' });
    expect(requestClass({ path: '/' }).method).toBe('GET');
  });

  test('method, header (any case of name), query and cookie together', () => {
    const m = new RequestMatcher({
      path: { type: 'PathPrefix', value: '/coffee' },
      method: 'POST',
      headers: [{ name: 'x-USER', match: { type: 'Exact', value: 'john' } }],
      query: [{ name: 'size', match: { type: 'Exact', value: 'large' } }],
      cookies: [{ name: 'user', match: { type: 'Exact', value: 'bob' } }],
    });
    expect(m.matches(post)).toBe(true);
    expect(m.matches({ ...post, method: 'GET' })).toBe(false);
    expect(m.matches({ ...post, query: { size: 'small' } })).toBe(false);
    expect(m.matches({ ...post, cookies: {} })).toBe(false);
    expect(m.matches({ ...post, headers: { 'x-user': 'bob' } })).toBe(false);
    expect(m.matches({ ...post, path: '/tea' })).toBe(false);
  });

  test('an absent attribute: no match, unless read as "" (nginx variables)', () => {
    const get = requestClass({ path: '/' });
    const absent = new RequestMatcher({ headers: [{ name: 'x-user', match: { type: 'Exact', value: '', ignoreCase: true } }] });
    const empty = new RequestMatcher({ headers: [{ name: 'x-user', match: { type: 'Exact', value: '' }, absentAsEmpty: true }] });
    expect(absent.matches(get)).toBe(false);
    expect(empty.matches(get)).toBe(true);
  });

  test('an empty match matches everything', () => {
    expect(new RequestMatcher({}).matches(requestClass({ path: '/x', method: 'DELETE' }))).toBe(true);
  });
});
