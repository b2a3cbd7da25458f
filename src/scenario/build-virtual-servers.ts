/**
 * k8s.nginx.org/v1 VirtualServers (and the VirtualServerRoutes they delegate to) -> VirtualServerSpecs
 * for the NGINX Ingress Controller's routing (model/ingress/virtual-server.ts).
 *
 * What the controller's validation rejects (`pkg/apis/configuration/validation/virtualserver.go`) is an
 * error here: duplicate upstream names or route paths, an action naming no upstream, a regex that does
 * not compile. What the controller only warns about, and then serves without, is a warning: a
 * VirtualServer of another controller's class, a host another VirtualServer already has (the first
 * written keeps it, as the older resource does), a missing VirtualServerRoute or one whose host or paths
 * do not fit its route (the route is dropped), a Service or port that does not exist (NGINX assumes no
 * endpoints: 502, `no-endpoints`). Upstream fields: `lb-method` (validated as the controller's
 * `ParseLBMethod`), `next-upstream-tries` (default 0: every endpoint), `next-upstream: off`,
 * `use-cluster-ip`, `max-fails`, `fail-timeout`; `subselector` is not simulated (a warning).
 */
import { parseDuration } from '../engine/units.js';
import { regexProblem } from '../model/http/match.js';
import { NOT_SIMULATED_VARIABLES } from '../model/ingress/virtual-server.js';
import type { IngressBalancing, ServiceSpec, VirtualServerAction, VirtualServerCondition, VirtualServerRouteSpec, VirtualServerSpec, VirtualServerUpstreamSpec } from '../model/spec.js';
import { readLbMethod, type ControllerDraft } from './build-ingress.js';
import type { VirtualServerObject, VirtualServerRouteObject, VsActionObject, VsRouteObject, VsUpstreamObject } from './kinds/virtual-server.js';
import type { Problems } from './problems.js';
import type { Resource } from './resource.js';
import type { FieldPath } from './source-map.js';
import { UniqueNames } from './unique-names.js';
import type { Valid } from './validate.js';

/** The balancing of a VirtualServer upstream, from its fields and the controller's ConfigMap defaults. */
function upstreamBalancing(u: VsUpstreamObject, handler: ControllerDraft, res: Resource, at: FieldPath, problems: Problems): IngressBalancing {
  const { loadBalance, upstreamHashBy, hashConsistent } = readLbMethod(u['lb-method'], handler, res, [...at, 'lb-method'], problems);
  let nextUpstreamTries = u['next-upstream-tries'] ?? 0;
  if (u['next-upstream'] !== undefined && u['next-upstream'].split(/\s+/).includes('off')) nextUpstreamTries = 1;
  let failTimeout: number | undefined;
  if (u['fail-timeout'] !== undefined) failTimeout = problems.parse(res, [...at, 'fail-timeout'], u['fail-timeout'], parseDuration);
  if (u.subselector !== undefined) problems.warn(res, [...at, 'subselector'], 'is not simulated: the upstream is every ready pod of the Service');
  return {
    loadBalance,
    upstreamHashBy,
    affinity: null,
    serviceUpstream: u['use-cluster-ip'] ?? false,
    nextUpstreamTries,
    hashConsistent,
    ...(u['max-fails'] !== undefined ? { maxFails: u['max-fails'] } : {}),
    ...(failTimeout !== undefined ? { failTimeout } : {}),
  };
}

/** The routes and upstreams of one resource (a VirtualServer, or a VirtualServerRoute it delegates to). */
interface Scope {
  readonly res: Resource;
  readonly namespace: string;
  /** Upstream name as written -> the merged upstream's name. */
  readonly names: ReadonlyMap<string, string>;
}

function convertAction(a: VsActionObject, scope: Scope, at: FieldPath, problems: Problems): string | null {
  const name = a.pass ?? a.proxy?.upstream;
  if (name === undefined) return null; // redirect, return: nginx answers itself
  const merged = scope.names.get(name);
  if (merged === undefined) {
    const known = [...scope.names.keys()];
    problems.error(scope.res, [...at, a.pass !== undefined ? 'pass' : 'proxy'], { expected: `the name of an upstream of this resource${known.length ? ` (${known.join(', ')})` : ''}`, found: JSON.stringify(name) });
    return null;
  }
  return merged;
}

function toAction(r: { action?: VsActionObject | undefined; splits?: { weight: number; action: VsActionObject }[] | undefined }, scope: Scope, at: FieldPath, problems: Problems): VirtualServerAction {
  if (r.splits !== undefined) {
    return { kind: 'splits', splits: r.splits.map((x, i) => ({ weight: x.weight, upstream: convertAction(x.action, scope, [...at, 'splits', i, 'action'], problems) })) };
  }
  if (r.action === undefined) return { kind: 'none' };
  const upstream = convertAction(r.action, scope, [...at, 'action'], problems);
  return upstream === null ? { kind: 'none' } : { kind: 'pass', upstream };
}

function toRoute(r: VsRouteObject, scope: Scope, at: FieldPath, problems: Problems): VirtualServerRouteSpec | null {
  const path = r.path;
  if (path.startsWith('~')) {
    const why = regexProblem(path.replace(/^~\*?/, '').trim());
    if (why !== null) {
      problems.error(scope.res, [...at, 'path'], why);
      return null;
    }
  }
  const matches = (r.matches ?? []).map((m, i) => ({
    conditions: m.conditions.map((c, j): VirtualServerCondition => {
      const cAt: FieldPath = [...at, 'matches', i, 'conditions', j];
      const v = c.value.replace(/^!/, '');
      if (v.startsWith('~')) {
        const why = regexProblem(v.replace(/^~\*?/, ''));
        if (why !== null) problems.error(scope.res, [...cAt, 'value'], why);
      }
      if (c.variable !== undefined && NOT_SIMULATED_VARIABLES.includes(c.variable)) {
        problems.warn(scope.res, [...cAt, 'variable'], `${c.variable} is not simulated: it reads as "" (the model knows the request's method, URI, query, headers and cookies)`);
      }
      if (c.header !== undefined) return { source: 'header', name: c.header, value: c.value };
      if (c.cookie !== undefined) return { source: 'cookie', name: c.cookie, value: c.value };
      if (c.argument !== undefined) return { source: 'argument', name: c.argument, value: c.value };
      return { source: 'variable', name: c.variable!, value: c.value };
    }),
    action: toAction(m, scope, [...at, 'matches', i], problems),
  }));
  return { path, matches, action: toAction(r, scope, at, problems) };
}

/** Upstreams of a resource, with their merged names (`prefix` + name). */
function upstreamsOf(
  list: readonly VsUpstreamObject[],
  res: Resource,
  namespace: string,
  prefix: string,
  handler: ControllerDraft,
  services: readonly ServiceSpec[],
  problems: Problems,
): { upstreams: VirtualServerUpstreamSpec[]; names: Map<string, string> } {
  const upstreams: VirtualServerUpstreamSpec[] = [];
  const names = new Map<string, string>();
  list.forEach((u, i) => {
    const at: FieldPath = ['spec', 'upstreams', i];
    if (names.has(u.name)) {
      problems.error(res, [...at, 'name'], `duplicate upstream name "${u.name}": upstream names are unique in a resource`);
      return;
    }
    names.set(u.name, prefix + u.name);
    const svc = services.find((s) => s.namespace === namespace && s.name === u.service);
    if (!svc) problems.warn(res, [...at, 'service'], `no Service "${u.service}" in namespace ${namespace}: NGINX assumes it has no endpoints and answers 502 (no-endpoints)`);
    else if (!svc.ports.some((p) => p.port === u.port)) problems.warn(res, [...at, 'port'], `Service ${u.service} has no port ${u.port}: NGINX assumes no endpoints and answers 502 (no-endpoints)`);
    upstreams.push({ name: prefix + u.name, namespace, service: u.service, port: u.port, balancing: upstreamBalancing(u, handler, res, at, problems) });
  });
  return { upstreams, names };
}

function checkUniquePaths(routes: readonly { path: string }[], res: Resource, at: FieldPath, problems: Problems): void {
  const seen = new Set<string>();
  routes.forEach((r, i) => {
    if (seen.has(r.path)) problems.error(res, [...at, i, 'path'], `duplicate path "${r.path}": the path of a route must be unique`);
    seen.add(r.path);
  });
}

/** Whether a subroute's path fits the VirtualServer route that delegates to it (the docs' rule). */
function subroutePathFits(route: string, sub: string): boolean {
  const kind = (p: string): string => (p.startsWith('=') ? 'exact' : p.startsWith('~') ? 'regex' : 'prefix');
  if (kind(route) !== kind(sub)) return false;
  return kind(route) === 'prefix' ? sub.startsWith(route) : sub === route;
}

export function buildVirtualServers(
  servers: readonly Valid<VirtualServerObject>[],
  routes: readonly Valid<VirtualServerRouteObject>[],
  services: readonly ServiceSpec[],
  controllers: readonly ControllerDraft[],
  problems: Problems,
): VirtualServerSpec[] {
  const out: VirtualServerSpec[] = [];
  const names = new UniqueNames('VirtualServer', problems);
  const hosts = new Map<string, Resource>();
  for (const { res, obj } of servers) {
    const namespace = obj.metadata.namespace ?? 'default';
    if (!names.claim(res, `${namespace}/${obj.metadata.name}`)) continue;
    const className = obj.spec.ingressClassName ?? null;
    // HasCorrectIngressClass: a VirtualServer without a class is served by the NGINX Ingress Controller.
    const handler = className === null ? controllers.find((c) => c.spec.implementation === 'nginx-inc') : controllers.find((c) => c.spec.className === className);
    const classAt: FieldPath = className === null ? [] : ['spec', 'ingressClassName'];
    if (!handler) {
      problems.warn(res, classAt, `no NGINX Ingress Controller${className === null ? '' : ` of class "${className}"`} in the Cluster (controller: nginx-inc): this VirtualServer routes nothing`);
      continue;
    }
    if (handler.spec.implementation !== 'nginx-inc') {
      problems.warn(res, classAt, `VirtualServer is a resource of the NGINX Ingress Controller; the controller of class "${handler.spec.className}" is ${handler.spec.implementation ?? 'ingress-nginx'}: this VirtualServer routes nothing`);
      continue;
    }
    const hostKey = `${handler.spec.className}|${obj.spec.host}`;
    const holder = hosts.get(hostKey);
    if (holder) {
      const at = holder.locate([]);
      problems.warn(res, ['spec', 'host'], `host ${obj.spec.host} already belongs to the VirtualServer at ${at.file}:${at.line} (the older resource keeps it): this one routes nothing`);
      continue;
    }
    hosts.set(hostKey, res);

    const own = upstreamsOf(obj.spec.upstreams ?? [], res, namespace, '', handler, services, problems);
    const upstreams = [...own.upstreams];
    const scope: Scope = { res, namespace, names: own.names };
    checkUniquePaths(obj.spec.routes ?? [], res, ['spec', 'routes'], problems);
    const specRoutes: VirtualServerRouteSpec[] = [];
    (obj.spec.routes ?? []).forEach((r, i) => {
      const at: FieldPath = ['spec', 'routes', i];
      if (r.route === undefined) {
        const route = toRoute(r, scope, at, problems);
        if (route) specRoutes.push(route);
        return;
      }
      // Delegated to a VirtualServerRoute: its subroutes stand in the route's place.
      const [vsrNs, vsrName] = r.route.includes('/') ? (r.route.split('/', 2) as [string, string]) : [namespace, r.route];
      const vsr = routes.find((x) => (x.obj.metadata.namespace ?? 'default') === vsrNs && x.obj.metadata.name === vsrName);
      if (!vsr) {
        problems.warn(res, [...at, 'route'], `no VirtualServerRoute ${vsrNs}/${vsrName}: requests for ${r.path} get 404`);
        return;
      }
      if (vsr.obj.spec.host !== obj.spec.host) {
        problems.warn(vsr.res, ['spec', 'host'], `must be the host of the VirtualServer that references it (${obj.spec.host}): the controller ignores this VirtualServerRoute`);
        return;
      }
      if ((vsr.obj.spec.ingressClassName ?? null) !== className) {
        problems.warn(vsr.res, ['spec', 'ingressClassName'], `must be the ingressClassName of the VirtualServer that references it (${className ?? 'none'}): the controller ignores this VirtualServerRoute`);
        return;
      }
      const subs = vsr.obj.spec.subroutes ?? [];
      const misfit = subs.findIndex((sub) => !subroutePathFits(r.path, sub.path));
      if (misfit >= 0) {
        problems.warn(vsr.res, ['spec', 'subroutes', misfit, 'path'], `must ${r.path.startsWith('=') || r.path.startsWith('~') ? 'be' : 'start with'} the path of the VirtualServer route (${r.path}): the controller ignores this VirtualServerRoute`);
        return;
      }
      const prefix = `${vsrNs}/${vsrName}/`;
      const theirs = upstreamsOf(vsr.obj.spec.upstreams ?? [], vsr.res, vsrNs, prefix, handler, services, problems);
      upstreams.push(...theirs.upstreams);
      checkUniquePaths(subs, vsr.res, ['spec', 'subroutes'], problems);
      subs.forEach((sub, j) => {
        const route = toRoute(sub, { res: vsr.res, namespace: vsrNs, names: theirs.names }, ['spec', 'subroutes', j], problems);
        if (route) specRoutes.push(route);
      });
    });
    out.push({ name: obj.metadata.name, namespace, className: handler.spec.className, host: obj.spec.host, upstreams, routes: specRoutes });
  }
  return out;
}
