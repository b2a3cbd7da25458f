/**
 * Which route rule of a Gateway serves a request class, by the Gateway API's rules (kubernetes-sigs/
 * gateway-api `apis/v1/httproute_types.go` HTTPRouteRule.Matches, `grpcroute_types.go` GRPCRouteRule.Matches,
 * `gateway_types.go` Listener.Hostname; checked by the conformance tests `HTTPRouteMatchingAcrossRoutes`,
 * `HTTPRouteMatching`, `HTTPRouteMethodMatching`, `HTTPRouteHeaderMatching`, `HTTPRouteQueryParamMatching`):
 *
 * 1. Attachment: a route applies to the Gateway through a `parentRef` (optionally one listener by
 *    `sectionName` or `port`); the request's listener is the one of the port the client connected to.
 * 2. Hostnames: the listener's `hostname` (if any) and the route's `hostnames` (if any) must match the Host
 *    header; `*.example.com` matches any name ending in `.example.com` (one label or more), not
 *    `example.com`. Like Envoy's virtual hosts, the most specific matching hostname wins: an exact name over
 *    a wildcard, a longer wildcard over a shorter one, over routes that name no hostname.
 * 3. Among the rules of the routes that remain, the matching `match` with precedence (HTTPRoute):
 *    an Exact path; then a PathPrefix with the most characters; then a method match; then the most header
 *    matches; then the most query-parameter matches (a RegularExpression path ranks below both: its
 *    precedence is implementation-specific); ties across routes go to the oldest route (creation time),
 *    then the first by `namespace/name`; within a route, to the first rule and match in list order.
 *    GRPCRoute: the most characters in the matching service, then in the method, then the most header
 *    matches, then the same tie-breaks.
 * 4. Nothing matches: 404 (null here).
 *
 * gRPC requests (`content-type: application/grpc...`) go to GRPCRoutes when the Gateway has any for the
 * host, HTTP requests to HTTPRoutes. Computed once per (client, request class) at set-up.
 */
import { RequestMatcher, type NamedMatchSpec, type RequestMatchSpec } from '../http/match.js';
import { headerValue, type HttpRequestClass } from '../http/request.js';
import type { GatewayRouteSpec, GatewaySpec, RouteMatch } from './spec.js';

/**
 * A GRPCRoute method match as a request match on the gRPC path `/<service>/<method>`: both given, that path
 * exactly; the service only, every method of it; the method only, any service. `regex`: service and method
 * are RE2 patterns (type RegularExpression).
 */
export function grpcMatchSpec(service: string | null, method: string | null, regex: boolean, headers: readonly NamedMatchSpec[] = []): RequestMatchSpec {
  const h = headers.length > 0 ? { headers } : {};
  if (service === null && method === null) return h;
  if (!regex && service !== null && method !== null) return { path: { type: 'Exact', value: `/${service}/${method}` }, ...h };
  if (!regex && method === null) return { path: { type: 'PathPrefix', value: `/${service}` }, ...h };
  const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const s = service === null ? '[^/]+' : regex ? service : esc(service);
  const m = method === null ? '[^/]+' : regex ? method : esc(method);
  return { path: { type: 'RegularExpression', value: `/${s}/${m}`, fullMatch: true }, ...h };
}

/** Whether a Gateway API hostname (`foo.com`, `*.foo.com`) matches a request host. */
export function gatewayHostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase().replace(/:\d+$/, '');
  if (!p.startsWith('*.')) return p === h;
  const suffix = p.slice(1); // ".foo.com"
  return h.endsWith(suffix) && h.length > suffix.length;
}

/** How specifically a hostname matches: exact names above wildcards, longer above shorter; −1: no match. */
function specificity(pattern: string | null, host: string): number {
  if (pattern === null) return 0;
  if (!gatewayHostMatches(pattern, host)) return -1;
  return pattern.startsWith('*.') ? 1000 + pattern.length : 100000 + pattern.length;
}

export interface GatewayRoute {
  /** Index of the route in the list given. */
  readonly route: number;
  readonly rule: number;
  readonly match: number;
}

/** The listener a client reaches on `port` (null: the first). */
export function listenerFor(gw: GatewaySpec, port: number | null): GatewaySpec['listeners'][number] | undefined {
  return port === null ? gw.listeners[0] : gw.listeners.find((l) => l.port === port);
}

function attaches(r: GatewayRouteSpec, gw: GatewaySpec, listener: GatewaySpec['listeners'][number]): boolean {
  const key = `${gw.namespace}/${gw.name}`;
  return r.parents.some((p) => p.gateway === key && (p.sectionName === null || p.sectionName === listener.name) && (p.port === null || p.port === listener.port));
}

function isGrpc(req: HttpRequestClass): boolean {
  return (headerValue(req, 'content-type') ?? '').toLowerCase().startsWith('application/grpc');
}

/** The precedence of one match: compare arrays element by element, higher first. */
function rank(kind: GatewayRouteSpec['kind'], m: RouteMatch): number[] {
  const spec = m.match;
  if (kind === 'GRPCRoute') {
    return [m.grpc?.service?.length ?? 0, m.grpc?.method?.length ?? 0, spec.headers?.length ?? 0];
  }
  const path = spec.path;
  const type = path === undefined ? 'PathPrefix' : path.type;
  const value = path === undefined ? '/' : path.value;
  const pathRank = type === 'Exact' ? 3 : type === 'PathPrefix' || type === 'Prefix' ? 2 : 1;
  const length = type === 'Exact' ? 0 : type === 'RegularExpression' ? 0 : value.length > 1 && value.endsWith('/') ? value.length - 1 : value.length;
  return [pathRank, length, spec.method !== undefined ? 1 : 0, spec.headers?.length ?? 0, spec.query?.length ?? 0];
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return b[i]! - a[i]!;
  return 0;
}

/** Matchers compiled once per route (set-up only). */
export class GatewayRouter {
  private readonly compiled: RequestMatcher[][][];

  constructor(
    private readonly gateway: GatewaySpec,
    private readonly routes: readonly GatewayRouteSpec[],
  ) {
    this.compiled = routes.map((r) => r.rules.map((rule) => rule.matches.map((m) => new RequestMatcher(m.match))));
  }

  /** The rule for `req` with Host `host` on the listener of `port`; null: 404. */
  route(host: string, port: number | null, req: HttpRequestClass): GatewayRoute | null {
    const listener = listenerFor(this.gateway, port);
    if (listener === undefined) return null;
    if (listener.hostname !== null && !gatewayHostMatches(listener.hostname, host)) return null;
    // Routes attached to this listener whose hostnames admit the host, with their specificity.
    const grpc = isGrpc(req);
    let candidates: { index: number; spec: number }[] = [];
    this.routes.forEach((r, index) => {
      if (!attaches(r, this.gateway, listener)) return;
      const spec = r.hostnames.length === 0 ? specificity(listener.hostname, host) : Math.max(...r.hostnames.map((h) => specificity(h, host)));
      if (spec >= 0) candidates.push({ index, spec });
    });
    const grpcOnes = candidates.filter((c) => this.routes[c.index]!.kind === 'GRPCRoute');
    candidates = grpc && grpcOnes.length > 0 ? grpcOnes : candidates.filter((c) => this.routes[c.index]!.kind === 'HTTPRoute');
    if (candidates.length === 0) return null;
    const top = Math.max(...candidates.map((c) => c.spec));
    const kept = candidates.filter((c) => c.spec === top).map((c) => c.index);

    let best: GatewayRoute | null = null;
    let bestRank: number[] = [];
    for (const ri of kept) {
      const r = this.routes[ri]!;
      r.rules.forEach((rule, rj) => {
        rule.matches.forEach((m, mk) => {
          if (!this.compiled[ri]![rj]![mk]!.matches(req)) return;
          const rk = rank(r.kind, m);
          if (best === null || this.before(rk, ri, rj, mk, bestRank, best)) {
            best = { route: ri, rule: rj, match: mk };
            bestRank = rk;
          }
        });
      });
    }
    return best;
  }

  /** Whether match (rank, route, rule, match) takes precedence over the current best. */
  private before(rk: number[], ri: number, rj: number, mk: number, bestRank: number[], best: GatewayRoute): boolean {
    const c = compareRanks(rk, bestRank);
    if (c !== 0) return c < 0;
    if (ri !== best.route) {
      const a = this.routes[ri]!;
      const b = this.routes[best.route]!;
      if (a.created !== b.created) return a.created < b.created;
      const ka = `${a.namespace}/${a.name}`;
      const kb = `${b.namespace}/${b.name}`;
      if (ka !== kb) return ka < kb;
      return ri < best.route;
    }
    return rj < best.rule || (rj === best.rule && mk < best.match);
  }
}
