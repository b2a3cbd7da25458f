/**
 * What one ingress controller class routes a request class to: its VirtualServers first (NGINX Ingress
 * Controller; a host belongs to one resource, `handling-host-and-listener-collisions.md`, so a host a
 * VirtualServer claims is not looked up in Ingresses), then its Ingresses (routing.ts).
 *
 * Used at set-up by the runtime (controller.ts) and by the scenario's checks (a class that routes nowhere
 * earns a warning); never per request.
 */
import type { HttpRequestClass } from '../http/request.js';
import type { IngressBackendRef, IngressSpec, VirtualServerAction, VirtualServerSpec } from '../spec.js';
import { hostMatches, ingressesOfClass, routeRequest } from './routing.js';
import { VirtualServerRouter } from './virtual-server.js';

export type ClassRoute =
  /** An Ingress rule or default backend: `ingress` indexes the full Ingress list. */
  | { readonly kind: 'ingress'; readonly ingress: number; readonly backend: IngressBackendRef }
  /** A VirtualServer route's action: `vs` indexes the full VirtualServer list. */
  | { readonly kind: 'vs'; readonly vs: number; readonly action: VirtualServerAction };

export class ControllerRouter {
  private readonly ingresses: IngressSpec[];
  private readonly ingressIndex: number[];
  private readonly servers: { readonly index: number; readonly router: VirtualServerRouter }[];

  constructor(allIngresses: readonly IngressSpec[], allServers: readonly VirtualServerSpec[], className: string, isDefaultClass: boolean) {
    this.ingresses = ingressesOfClass(allIngresses, className, isDefaultClass);
    this.ingressIndex = this.ingresses.map((i) => allIngresses.indexOf(i));
    this.servers = allServers
      .map((vs, index) => ({ vs, index }))
      .filter(({ vs }) => vs.className === className || (vs.className === null && isDefaultClass))
      .map(({ vs, index }) => ({ index, router: new VirtualServerRouter(vs) }));
  }

  /** The route of a request class sent with Host `host`; null: nothing matches (404). */
  route(host: string, r: HttpRequestClass): ClassRoute | null {
    // Stryker disable next-line MethodExpression: hostMatches and routeRequest lowercase the host again, so the case of `h` cannot change a route
    const h = host.toLowerCase().replace(/:\d+$/, '');
    const exact = this.servers.find((s) => !s.router.vs.host.startsWith('*.') && hostMatches(s.router.vs.host, h));
    const server = exact ?? this.servers.find((s) => s.router.vs.host.startsWith('*.') && hostMatches(s.router.vs.host, h));
    if (server !== undefined) {
      const action = server.router.route(r);
      return action === null ? null : { kind: 'vs', vs: server.index, action };
    }
    const route = routeRequest(this.ingresses, h, r.path);
    return route === null ? null : { kind: 'ingress', ingress: this.ingressIndex[route.ingress]!, backend: route.backend };
  }
}
