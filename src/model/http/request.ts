/**
 * An HTTP request as routers see it: a *request class* of a client's mix. All requests of a class share
 * their method, path, query parameters, headers and cookies; per-user variation (a session cookie, a user
 * header) is the request's *session*, drawn per request, not part of the class.
 *
 * Classes are built once at set-up (`requestClass`), with names normalised the way routers compare them:
 * header names lower-cased (HTTP field names are case-insensitive, RFC 9110 §5.1), methods upper-case,
 * query parameters and cookies as written. Routes are resolved per (client, class) at set-up, so nothing
 * here runs per request.
 */

/** The methods a request may use (RFC 9110 §9 and RFC 5789's PATCH: the Gateway API's `HTTPMethod` set). */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** One class of a client's request mix. */
export interface HttpRequestClass {
  /** The path, without the query string (`/app1`). */
  readonly path: string;
  readonly method: HttpMethod;
  /** Header name (lower case) -> value. */
  readonly headers: Readonly<Record<string, string>>;
  /** Query parameter -> value (one value per name: routers read the first). */
  readonly query: Readonly<Record<string, string>>;
  /** Cookie name -> value. */
  readonly cookies: Readonly<Record<string, string>>;
  /** Relative weight in the mix (any positive number; normalised over the mix). */
  readonly weight: number;
}

/** What a request class is written as (every attribute but the path optional). */
export interface HttpRequestClassInput {
  /** The path, optionally with a query string: `/search?q=x&page=2`. */
  readonly path: string;
  readonly method?: HttpMethod;
  readonly headers?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  readonly cookies?: Readonly<Record<string, string>>;
  readonly weight?: number;
}

/** Splits `a=1&b=2` into parameters (first value of a repeated name wins, as routers read it). */
export function parseQuery(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decode(eq < 0 ? part : part.slice(0, eq));
    if (!Object.hasOwn(out, name)) out[name] = decode(eq < 0 ? '' : part.slice(eq + 1));
  }
  return out;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** A normalised request class: the query string of `path` merged under `query` (explicit entries win). */
export function requestClass(input: HttpRequestClassInput): HttpRequestClass {
  const q = input.path.indexOf('?');
  const path = q < 0 ? input.path : input.path.slice(0, q);
  const query = { ...(q < 0 ? {} : parseQuery(input.path.slice(q + 1))), ...(input.query ?? {}) };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = value;
  return {
    path,
    method: (input.method ?? 'GET').toUpperCase() as HttpMethod,
    headers,
    query,
    cookies: { ...(input.cookies ?? {}) },
    weight: input.weight ?? 1,
  };
}

/** A header's value (name compared case-insensitively), undefined when the request has none. */
export function headerValue(r: HttpRequestClass, name: string): string | undefined {
  const key = name.toLowerCase();
  return Object.hasOwn(r.headers, key) ? r.headers[key] : undefined;
}

/** A query parameter's value (names compared exactly), undefined when absent. */
export function queryValue(r: HttpRequestClass, name: string): string | undefined {
  return Object.hasOwn(r.query, name) ? r.query[name] : undefined;
}

/** A cookie's value (names compared exactly), undefined when absent. */
export function cookieValue(r: HttpRequestClass, name: string): string | undefined {
  return Object.hasOwn(r.cookies, name) ? r.cookies[name] : undefined;
}

/** The query string as sent (`a=1&b=2`, in the order written), empty when there is none. */
export function queryString(r: HttpRequestClass): string {
  return Object.entries(r.query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

/** The request URI (nginx `$request_uri`): the path, and `?query` when there is one. */
export function requestUri(r: HttpRequestClass): string {
  const qs = queryString(r);
  return qs === '' ? r.path : `${r.path}?${qs}`;
}
