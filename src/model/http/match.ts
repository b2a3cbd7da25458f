/**
 * Generic HTTP request matchers, shared by every router the model has (the NGINX Ingress Controller's
 * VirtualServer `matches`, Kong's route methods and headers, the Gateway API's HTTPRoute and GRPCRoute
 * matches). Each router builds its precedence on top of these; here only "does this request class satisfy
 * this condition".
 *
 * - `StringMatcher`: Exact, Prefix or RegularExpression on one value, optionally case-insensitive and
 *   negated. `test(undefined)` is an *absent* value: it never matches (negated: always matches). Routers
 *   that see an absent value as the empty string (nginx variables: `$http_x` is "" when there is no
 *   `X` header) pass `value ?? ''` instead.
 * - `PathMatcher`: Exact (byte for byte), PathPrefix (element-wise on `/`, as Ingress `Prefix` and the
 *   Gateway API's `PathPrefix`: `/foo` matches `/foo`, `/foo/` and `/foo/bar`, not `/foobar`; a trailing
 *   slash of the prefix is ignored), Prefix (plain string prefix, as an nginx `location /foo`) or
 *   RegularExpression.
 * - `RequestMatcher`: a path, a method, and lists of header, query-parameter and cookie conditions, all of
 *   which must hold (AND). Header names compare case-insensitively; query and cookie names exactly.
 *
 * Regular expressions are JavaScript's, which agree with RE2 (Gateway API) and PCRE (nginx) on the common
 * subset; a leading `(?i)` (RE2/PCRE inline flag, which JavaScript lacks) is read as case-insensitive.
 * Unanchored by default (nginx `~` searches); `fullMatch` anchors at both ends (RE2 `FullMatch`, as Envoy
 * matches). A pattern JavaScript cannot compile raises `HttpMatchError`, which the scenario layer reports
 * at the field (`regexProblem` checks a pattern without throwing).
 *
 * Everything is compiled once at set-up; nothing here runs per request.
 */
import { cookieValue, headerValue, queryValue, type HttpMethod, type HttpRequestClass } from './request.js';

export class HttpMatchError extends Error {}

export type StringMatchType = 'Exact' | 'Prefix' | 'RegularExpression';

export interface StringMatchSpec {
  readonly type: StringMatchType;
  readonly value: string;
  /** Compare case-insensitively (nginx `map` strings, `~*` regexes). Default false. */
  readonly ignoreCase?: boolean;
  /** Succeed when the value does *not* match (nginx `!value`). Default false. */
  readonly negate?: boolean;
  /** RegularExpression: the whole value must match (RE2 FullMatch). Default false (search). */
  readonly fullMatch?: boolean;
}

/** A JavaScript RegExp for an RE2/PCRE pattern; throws HttpMatchError when it does not compile. */
export function compileRegex(pattern: string, ignoreCase = false, fullMatch = false): RegExp {
  let p = pattern;
  let flags = '';
  if (p.startsWith('(?i)')) {
    p = p.slice(4);
    flags = 'i';
  }
  if (ignoreCase) flags = 'i';
  try {
    return new RegExp(fullMatch ? `^(?:${p})$` : p, flags);
  } catch (e) {
    throw new HttpMatchError(`not a regular expression this simulator can read: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
}

/** Why `pattern` cannot be used as a regular expression, or null when it can. */
export function regexProblem(pattern: string): string | null {
  try {
    compileRegex(pattern);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

export class StringMatcher {
  private readonly re: RegExp | null;
  private readonly value: string;

  constructor(readonly spec: StringMatchSpec) {
    const ci = spec.ignoreCase ?? false;
    this.re = spec.type === 'RegularExpression' ? compileRegex(spec.value, ci, spec.fullMatch ?? false) : null;
    this.value = ci ? spec.value.toLowerCase() : spec.value;
  }

  /** Whether `value` (undefined: absent) satisfies the condition. */
  test(value: string | undefined): boolean {
    return this.raw(value) !== (this.spec.negate ?? false);
  }

  private raw(value: string | undefined): boolean {
    if (value === undefined) return false;
    if (this.re !== null) return this.re.test(value);
    const v = this.spec.ignoreCase ? value.toLowerCase() : value;
    return this.spec.type === 'Exact' ? v === this.value : v.startsWith(this.value);
  }
}

export type PathMatchType = 'Exact' | 'PathPrefix' | 'Prefix' | 'RegularExpression';

export interface PathMatchSpec {
  readonly type: PathMatchType;
  readonly value: string;
  readonly ignoreCase?: boolean;
  readonly fullMatch?: boolean;
}

/** The path split into its non-empty `/` elements. */
function elements(path: string): string[] {
  return path.split('/').filter((e) => e !== '');
}

/** Element-wise prefix match (Ingress `Prefix`, Gateway API `PathPrefix`). */
export function pathPrefixMatches(prefix: string, path: string): boolean {
  const p = elements(prefix);
  const r = elements(path);
  if (p.length > r.length) return false;
  for (let i = 0; i < p.length; i++) if (p[i] !== r[i]) return false;
  return true;
}

export class PathMatcher {
  private readonly re: RegExp | null;

  constructor(readonly spec: PathMatchSpec) {
    this.re = spec.type === 'RegularExpression' ? compileRegex(spec.value, spec.ignoreCase ?? false, spec.fullMatch ?? false) : null;
  }

  test(path: string): boolean {
    switch (this.spec.type) {
      case 'Exact':
        return path === this.spec.value;
      case 'PathPrefix':
        return pathPrefixMatches(this.spec.value, path);
      case 'Prefix':
        return path.startsWith(this.spec.value);
      case 'RegularExpression':
        return this.re!.test(path);
    }
  }
}

/** A condition on a named attribute (header, query parameter, cookie). */
export interface NamedMatchSpec {
  readonly name: string;
  readonly match: StringMatchSpec;
  /** See an absent attribute as the empty string (nginx variables) rather than as absent. Default false. */
  readonly absentAsEmpty?: boolean;
}

export interface RequestMatchSpec {
  readonly path?: PathMatchSpec;
  readonly method?: HttpMethod;
  readonly headers?: readonly NamedMatchSpec[];
  readonly query?: readonly NamedMatchSpec[];
  readonly cookies?: readonly NamedMatchSpec[];
}

interface Named {
  readonly name: string;
  readonly matcher: StringMatcher;
  readonly absentAsEmpty: boolean;
}

const compileNamed = (list: readonly NamedMatchSpec[] | undefined): Named[] =>
  (list ?? []).map((n) => ({ name: n.name, matcher: new StringMatcher(n.match), absentAsEmpty: n.absentAsEmpty ?? false }));

function allHold(list: readonly Named[], read: (name: string) => string | undefined): boolean {
  for (const n of list) {
    const v = read(n.name);
    if (!n.matcher.test(v === undefined && n.absentAsEmpty ? '' : v)) return false;
  }
  return true;
}

/** Every condition of a match (path, method, headers, query parameters, cookies) must hold. */
export class RequestMatcher {
  private readonly path: PathMatcher | null;
  private readonly headers: Named[];
  private readonly query: Named[];
  private readonly cookies: Named[];

  constructor(readonly spec: RequestMatchSpec) {
    this.path = spec.path ? new PathMatcher(spec.path) : null;
    this.headers = compileNamed(spec.headers);
    this.query = compileNamed(spec.query);
    this.cookies = compileNamed(spec.cookies);
  }

  matches(r: HttpRequestClass): boolean {
    if (this.path !== null && !this.path.test(r.path)) return false;
    if (this.spec.method !== undefined && r.method !== this.spec.method) return false;
    return allHold(this.headers, (n) => headerValue(r, n)) && allHold(this.query, (n) => queryValue(r, n)) && allHold(this.cookies, (n) => cookieValue(r, n));
  }
}
