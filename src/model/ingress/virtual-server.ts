/**
 * Routing of the NGINX Ingress Controller's VirtualServer (k8s.nginx.org/v1; nginx/kubernetes-ingress
 * `internal/configs/virtualserver.go`, docs `virtualserver-and-virtualserverroute-resources.md`):
 *
 * 1. Each route is an nginx `location`: `=/path` exact, `~regex` / `~*regex` (case-insensitive), else a
 *    plain string prefix. nginx picks (ngx_http_core_module `location`): an exact match; else the longest
 *    matching prefix, unless a regex location matches, the first in the order written.
 * 2. A route's `matches` are evaluated in order, the first whose conditions *all* hold wins
 *    (`generateMatchesConfig` chains one `map` per condition, and the main map tests `~^0*1`); none: the
 *    route's own action or splits.
 * 3. A condition reads `$http_<header>` (dashes as underscores), `$cookie_<name>`, `$arg_<name>` or a
 *    variable; absent, it is the empty string. Its value is a case-insensitive string (nginx `map`), a
 *    regex `~` / `~*`, each negated by a leading `!` (`generateParametersForMatchesRouteMap`).
 * 4. Splits choose per request by weight (`split_clients` on `$request_id`: a fresh random key per request).
 *
 * Compiled once at set-up; `route` runs per (client, request class), never per request.
 */
import { StringMatcher, compileRegex, cookieValue, headerValue, queryString, queryValue, requestUri, type HttpRequestClass } from '../http/index.js';
import type { VirtualServerAction, VirtualServerCondition, VirtualServerSpec } from '../spec.js';

/** Variables a condition may read and what they are for a request class (`null`: not simulated). */
export function variableValue(name: string, r: HttpRequestClass): string | null {
  switch (name) {
    case '$request_method':
      return r.method;
    case '$request_uri':
      return requestUri(r);
    case '$args':
    case '$query_string':
      return queryString(r);
    case '$scheme':
      return 'http';
    case '$https':
    case '$http2':
      return '';
    case '$request':
      return `${r.method} ${requestUri(r)} HTTP/1.1`;
    default:
      return null;
  }
}

/** Allowed variables the model has no value for (per connection or per body): they read as "". */
export const NOT_SIMULATED_VARIABLES = ['$remote_addr', '$remote_port', '$request_body'];

/** The variables the NGINX Ingress Controller allows in a condition (Condition docs). */
export const CONDITION_VARIABLES = ['$args', '$http2', '$https', '$remote_addr', '$remote_port', '$query_string', '$request', '$request_body', '$request_uri', '$request_method', '$scheme'];

/** A condition's value as nginx reads it. */
export function conditionMatcher(value: string): StringMatcher {
  let v = value;
  const negate = v.startsWith('!');
  if (negate) v = v.slice(1);
  if (v.startsWith('~*')) return new StringMatcher({ type: 'RegularExpression', value: v.slice(2), ignoreCase: true, negate });
  if (v.startsWith('~')) return new StringMatcher({ type: 'RegularExpression', value: v.slice(1), negate });
  return new StringMatcher({ type: 'Exact', value: v, ignoreCase: true, negate });
}

function conditionInput(c: VirtualServerCondition, r: HttpRequestClass): string {
  switch (c.source) {
    case 'header':
      return headerValue(r, c.name) ?? '';
    case 'cookie':
      return cookieValue(r, c.name) ?? '';
    case 'argument':
      return queryValue(r, c.name) ?? '';
    case 'variable':
      return variableValue(c.name, r) ?? '';
  }
}

type Location = { readonly kind: 'exact' | 'prefix'; readonly path: string } | { readonly kind: 'regex'; readonly re: RegExp };

/** The nginx location a route path stands for. */
export function location(path: string): Location {
  if (path.startsWith('=')) return { kind: 'exact', path: path.slice(1).trim() };
  if (path.startsWith('~*')) return { kind: 'regex', re: compileRegex(path.slice(2).trim(), true) };
  if (path.startsWith('~')) return { kind: 'regex', re: compileRegex(path.slice(1).trim()) };
  return { kind: 'prefix', path };
}

interface CompiledRoute {
  readonly location: Location;
  readonly matches: readonly { readonly conditions: readonly { readonly spec: VirtualServerCondition; readonly matcher: StringMatcher }[]; readonly action: VirtualServerAction }[];
  readonly action: VirtualServerAction;
}

export class VirtualServerRouter {
  private readonly routes: CompiledRoute[];

  constructor(readonly vs: VirtualServerSpec) {
    this.routes = vs.routes.map((r) => ({
      location: location(r.path),
      matches: r.matches.map((m) => ({ conditions: m.conditions.map((c) => ({ spec: c, matcher: conditionMatcher(c.value) })), action: m.action })),
      action: r.action,
    }));
  }

  /** The action for a request class; null when no location matches (nginx answers 404). */
  route(r: HttpRequestClass): VirtualServerAction | null {
    const path = r.path;
    let best: CompiledRoute | null = null;
    let bestLength = -1;
    for (const route of this.routes) {
      const l = route.location;
      if (l.kind === 'exact' && l.path === path) return this.action(route, r);
      if (l.kind === 'prefix' && path.startsWith(l.path) && l.path.length > bestLength) {
        best = route;
        bestLength = l.path.length;
      }
    }
    for (const route of this.routes) {
      const l = route.location;
      if (l.kind === 'regex' && l.re.test(path)) return this.action(route, r);
    }
    return best === null ? null : this.action(best, r);
  }

  private action(route: CompiledRoute, r: HttpRequestClass): VirtualServerAction {
    for (const m of route.matches) {
      if (m.conditions.every((c) => c.matcher.test(conditionInput(c.spec, r)))) return m.action;
    }
    return route.action;
  }
}
