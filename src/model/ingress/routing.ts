/**
 * Which backend an ingress controller sends an HTTP request to, from the Ingress resources of its class as
 * written: the Kubernetes Ingress semantics (k/website `concepts/services-networking/ingress.md`, "Path
 * types", "Multiple matches", "Hostname wildcards") with ingress-nginx's server selection.
 *
 * 1. The server (virtual host) is chosen by the Host header alone, as nginx does: rules whose `host` equals
 *    it; else rules whose wildcard host `*.example.com` matches it (exactly one more label: `bar.example.com`
 *    yes, `baz.bar.example.com` and `example.com` no); else the rules without a host. Rules of several
 *    Ingresses for the same host are merged.
 * 2. Among that server's paths, the longest matching path wins; on equal length an Exact path beats a
 *    Prefix one; then the first written (Ingresses in file order, paths in order).
 *    - Exact: the request path equals the path, byte for byte (`/foo` does not match `/foo/`).
 *    - Prefix: element-wise on `/`: `/foo` matches `/foo`, `/foo/` and `/foo/bar` but not `/foobar`; a
 *      trailing slash of the path is ignored (`/foo/` matches `/foo`); `/` matches everything.
 *    - ImplementationSpecific: treated as Prefix (ingress-nginx would do a plain string prefix, or a regex
 *      with `use-regex`; neither is modelled).
 *    Length is the path's length without a trailing slash for Prefix paths, as written for Exact ones.
 * 3. Nothing matched: the first Ingress (in file order) with a `spec.defaultBackend`, else no backend (the
 *    controller answers 404).
 *
 * Routes are computed once per (client, request class) at set-up; nothing here runs per request. An
 * Ingress routes by host and path only (the request class's method, headers and query are not read).
 */
import { pathPrefixMatches } from '../http/match.js';
import type { IngressBackendRef, IngressSpec, PathType } from '../spec.js';

/** Whether a rule path of `pathType` matches the request path `request`. */
export function pathMatches(pathType: PathType, path: string, request: string): boolean {
  return pathType === 'Exact' ? path === request : pathPrefixMatches(path, request);
}

/** The length a match is ranked by. */
function matchLength(pathType: PathType, path: string): number {
  if (pathType === 'Exact') return path.length;
  // Stryker disable next-line MethodExpression,LogicalOperator,StringLiteral: the replace strips trailing slashes only, so endsWith is a shortcut; `/` ranked 0 instead of 1 still loses to every longer path and to an Exact `/`
  return path.length > 1 && path.endsWith('/') ? path.replace(/\/+$/, '').length : path.length;
}

/** Whether a rule host (`foo.com`, `*.foo.com`) matches a request host. Hosts compare case-insensitively. */
export function hostMatches(ruleHost: string, host: string): boolean {
  const r = ruleHost.toLowerCase();
  const h = host.toLowerCase();
  if (!r.startsWith('*.')) return r === h;
  const suffix = r.slice(1); // ".foo.com"
  if (!h.endsWith(suffix)) return false;
  const label = h.slice(0, h.length - suffix.length);
  return label.length > 0 && !label.includes('.');
}

export interface IngressRoute {
  /** Index of the Ingress (in the list given) whose rule or default backend matched. */
  readonly ingress: number;
  readonly backend: IngressBackendRef;
  /** The matching rule path, or null for the default backend. */
  readonly path: string | null;
  readonly pathType: PathType | null;
}

/**
 * The backend for a request with Host `host` and path `path`, among `ingresses` (those of one controller
 * class, in file order); null when nothing matches and no Ingress has a default backend (404).
 */
export function routeRequest(ingresses: readonly IngressSpec[], host: string, path: string): IngressRoute | null {
  // Stryker disable next-line MethodExpression: hostMatches lowercases both hosts again, so the case of `h` cannot change a match
  const h = host.toLowerCase().replace(/:\d+$/, '');
  // 1. The server: exact host, else a matching wildcard, else the rules without a host.
  type Rule = { ingress: number; rule: IngressSpec['rules'][number] };
  const all: Rule[] = [];
  ingresses.forEach((ing, i) => ing.rules.forEach((rule) => all.push({ ingress: i, rule })));
  let server = all.filter((r) => r.rule.host !== null && !r.rule.host.startsWith('*.') && hostMatches(r.rule.host, h));
  if (server.length === 0) {
    server = all.filter((r) => r.rule.host !== null && r.rule.host.startsWith('*.') && hostMatches(r.rule.host, h));
  }
  if (server.length === 0) server = all.filter((r) => r.rule.host === null);

  // 2. Longest match; Exact over Prefix on equal length; then the first written.
  let best: IngressRoute | null = null;
  let bestLength = -1;
  // Stryker disable next-line BooleanLiteral: read only on a tie with an earlier best, which has set it
  let bestExact = false;
  for (const { ingress, rule } of server) {
    for (const p of rule.paths) {
      if (!pathMatches(p.pathType, p.path, path)) continue;
      const length = matchLength(p.pathType, p.path);
      const exact = p.pathType === 'Exact';
      if (length > bestLength || (length === bestLength && exact && !bestExact)) {
        best = { ingress, backend: p.backend, path: p.path, pathType: p.pathType };
        bestLength = length;
        bestExact = exact;
      }
    }
  }
  if (best !== null) return best;

  // 3. The default backend.
  const withDefault = ingresses.findIndex((ing) => ing.defaultBackend !== null);
  if (withDefault < 0) return null;
  return { ingress: withDefault, backend: ingresses[withDefault]!.defaultBackend!, path: null, pathType: null };
}

/** The Ingresses a controller of class `className` handles (Ingresses without a class go to the default one). */
export function ingressesOfClass(ingresses: readonly IngressSpec[], className: string, isDefaultClass: boolean): IngressSpec[] {
  return ingresses.filter((i) => i.className === className || (i.className === null && isDefaultClass));
}
