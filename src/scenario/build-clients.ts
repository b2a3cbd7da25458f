/**
 * Workload clients -> ClientSpecs, with every cross-reference checked: the Service exists and can be
 * proxied, the port exists, the entry point (`via`) is one the Service offers to where the client runs,
 * and the named zones, nodes and pods exist. A client may also address a DNS name (`target.host`, resolved
 * here exactly as the pod's resolver and cluster DNS will at run time, to check it answers and to learn
 * what it reaches), or send HTTP through an ingress controller (`target.ingress`).
 */
import { Exponential } from '../engine/distributions/index.js';
import { RateProfile } from '../engine/rate-profile.js';
import { canonicalName, planLookup, type RecordContext } from '../model/dns/names.js';
import { requestClass, requestUri } from '../model/http/request.js';
import { ControllerRouter } from '../model/ingress/router.js';
import type { GatewayRouteSpec, GatewaySpec } from '../model/gateway/spec.js';
import { gatewayClientTarget } from './build-gateway.js';
import type {
  ArrivalSpec,
  ClientLocation,
  ClientResolve,
  ClientSpec,
  ConnectionSpec,
  DnsSpec,
  EntryPoint,
  ExternalHostSpec,
  HttpRequestMix,
  IngressControllerSpec,
  IngressSpec,
  PodSpec,
  ServiceSpec,
  VirtualServerSpec,
} from '../model/spec.js';
import type { ClusterModel } from './build-cluster.js';
import { DEFAULTS } from './defaults.js';
import { matchesMap } from './kinds/meta.js';
import { hasNodeNamed, podsNamed, serviceByKey, servicesNamed } from './name-index.js';
import type { ClientObject } from './kinds/workload.js';
import { suggest } from './near-miss.js';
import type { Problems } from './problems.js';
import type { Resource } from './resource.js';
import type { FieldPath } from './source-map.js';
import { failedKey, type ValidatedScenario } from './validate.js';
import { builtinDistribution } from './values.js';

const didYouMean = (word: string, candidates: readonly string[]): string => {
  const hint = suggest(word, candidates);
  return hint ? ` (did you mean "${hint}"?)` : '';
};

const BY_NAME = 'it is resolved by DNS, not proxied by kube-proxy: address it by name (target: {host: ...})';

/** What clients can reach beyond Services by address: names, ingress controllers, external hosts. */
export interface ClientContext {
  readonly dns: DnsSpec | null;
  readonly controllers: readonly IngressControllerSpec[];
  readonly ingresses: readonly IngressSpec[];
  /** NGINX Ingress Controller VirtualServers (absent: none). */
  readonly virtualServers?: readonly VirtualServerSpec[];
  /** IngressClass name -> the className of the controller that serves it (a client may name either). */
  readonly classAliases?: ReadonlyMap<string, string>;
  /** Declared external hosts; hosts behind ExternalName Services that clients reach are added (with defaults). */
  readonly externalHosts: ExternalHostSpec[];
  /** The external host with the defaults, for a name not described. */
  readonly defaultExternalHost: (host: string) => ExternalHostSpec;
  /** Gateway API Gateways and their routes (build-gateway.ts); absent: none. */
  readonly gateways?: readonly GatewaySpec[];
  readonly gatewayRoutes?: readonly GatewayRouteSpec[];
}

/** Whether a headless Service's DNS answer has an address: a placed ready pod it selects. */
function headlessHasAddresses(s: ServiceSpec, pods: readonly PodSpec[]): boolean {
  if (s.selector === null || Object.keys(s.selector).length === 0) return false;
  return pods.some((p) => p.namespace === s.namespace && p.nodeName !== null && matchesMap(p.labels, s.selector!) && (s.publishNotReadyAddresses || (p.ready && !p.terminating)));
}

function resolveLocation(
  c: ClientObject,
  res: Resource,
  path: FieldPath,
  cluster: ClusterModel,
  pods: readonly PodSpec[],
  problems: Problems,
  failed: ReadonlySet<string>,
): ClientLocation | undefined {
  const from = c.from ?? { kind: 'external', zone: null };
  const nodeNames = (): string[] => cluster.nodes.map((n) => n.name);
  if (from.kind === 'external') {
    if (from.zone !== null && !cluster.zones.includes(from.zone)) {
      problems.error(res, [...path, 'from', 'zone'], { expected: `a zone of the cluster (${cluster.zones.join(', ')})`, found: JSON.stringify(from.zone) });
      return undefined;
    }
    return { kind: 'external', zone: from.zone };
  }
  if (from.kind === 'node') {
    if (!hasNodeNamed(cluster.nodes, from.name)) {
      problems.error(res, [...path, 'from', 'node'], { expected: 'the name of a node of the cluster', found: JSON.stringify(from.name), message: `no node "${from.name}"${didYouMean(from.name, nodeNames())}` });
      return undefined;
    }
    return { kind: 'node', node: from.name };
  }
  // {pod: X}: a pod of the scenario (the client runs there), else a node (a client pod on that node).
  const byName = podsNamed(pods, from.name);
  if (byName.length > 1) {
    problems.error(res, [...path, 'from', 'pod'], `ambiguous: pods named "${from.name}" exist in several namespaces; write namespace/name`);
    return undefined;
  }
  if (byName.length === 1) {
    const pod = byName[0]!;
    if (pod.nodeName === null) {
      problems.error(res, [...path, 'from', 'pod'], `the client pod ${pod.namespace}/${pod.name} is Pending (it fits no node), so it cannot send`);
      return undefined;
    }
    return { kind: 'pod', node: pod.nodeName };
  }
  if (hasNodeNamed(cluster.nodes, from.name)) return { kind: 'pod', node: from.name };
  if (failed.has(failedKey('Pod', 'default', from.name))) return undefined;
  problems.error(res, [...path, 'from', 'pod'], {
    expected: 'the name of a pod or of a node',
    found: JSON.stringify(from.name),
    message: `no pod or node "${from.name}"${didYouMean(from.name, [...pods.map((p) => p.name), ...nodeNames()])}`,
  });
  return undefined;
}

export function buildClients(
  v: ValidatedScenario,
  cluster: ClusterModel,
  pods: readonly PodSpec[],
  services: readonly ServiceSpec[],
  problems: Problems,
  ctx: ClientContext = { dns: null, controllers: [], ingresses: [], externalHosts: [], defaultExternalHost: () => { throw new Error('no external hosts'); } },
): ClientSpec[] {
  const out: ClientSpec[] = [];
  const names = new Map<string, Resource>();
  const nodeNames = cluster.nodes.map((n) => n.name);

  for (const { res, obj, clientIndex } of v.workloads) {
    obj.spec.clients.forEach((c, k) => {
      const path: FieldPath = ['spec', 'clients', clientIndex?.[k] ?? k];
      if (names.has(c.name)) problems.error(res, [...path, 'name'], `duplicate client name "${c.name}"`);
      names.set(c.name, res);

      const location = resolveLocation(c, res, path, cluster, pods, problems, v.failed);
      const t = c.target;
      const tPath: FieldPath = [...path, 'target'];
      if (c.dns !== undefined && t.host === undefined) {
        problems.error(res, [...path, 'dns'], 'dns applies to clients that address a name (target.host)');
      }

      // What the client addresses: a Service, a name, or an ingress controller.
      let svc: ServiceSpec | undefined;
      let resolve: ClientResolve | undefined;
      let http: HttpRequestMix | undefined;
      /** A Gateway's Service port for its listener. */
      let gatewayPort: string | undefined;
      /** A name answered outside kube-proxy: a headless Service's pods, or an external host. */
      let direct: { via: 'podIP' | 'external'; service: string; port: number | string } | undefined;
      if (t.ingress !== undefined) {
        const ing = t.ingress;
        const wanted = ing.className === undefined ? undefined : ctx.controllers.some((x) => x.className === ing.className) ? ing.className : ctx.classAliases?.get(ing.className) ?? ing.className;
        const ctrl = wanted !== undefined ? ctx.controllers.find((x) => x.className === wanted) : ctx.controllers.find((x) => x.isDefaultClass);
        if (!ctrl) {
          const known = ctx.controllers.map((x) => x.className);
          problems.error(
            res,
            [...tPath, 'ingress', ...(ing.className !== undefined ? ['className'] : [])],
            known.length === 0
              ? 'no ingress controller in the Cluster: describe one in Cluster.spec.ingressControllers'
              : ing.className !== undefined
                ? `no ingress controller of class "${ing.className}"${didYouMean(ing.className, known)} (there are: ${known.join(', ')})`
                : `no default ingress controller: name a class (there are: ${known.join(', ')})`,
          );
          return;
        }
        svc = serviceByKey(services, ctrl.service);
        if (!svc) return; // its generated Service failed (reported there)
        // `paths` is the short form of `requests` (GET, a path and a weight).
        const requests = ing.requests !== undefined ? ing.requests.map(requestClass) : (ing.paths ?? [{ path: '/', weight: 1 }]).map(requestClass);
        const host = ing.host.toLowerCase();
        const router = new ControllerRouter(ctx.ingresses, ctx.virtualServers ?? [], ctrl.className, ctrl.isDefaultClass);
        requests.forEach((r, i) => {
          const route = router.route(host, r);
          const at: FieldPath = ing.requests !== undefined ? [...tPath, 'ingress', 'requests', i] : [...tPath, 'ingress', 'paths'];
          const what = ing.requests !== undefined ? `${r.method} ${host}${requestUri(r)}` : `${host}${r.path}`;
          const rules = (ctx.virtualServers ?? []).length > 0 ? 'Ingress rule or VirtualServer route' : 'Ingress rule';
          if (route === null) {
            problems.warn(res, at, `${what} matches no ${rules} of class ${ctrl.className} and there is no default backend: these requests get 404`);
          } else if (route.kind === 'vs' && route.action.kind === 'none') {
            problems.warn(res, at, `${what} reaches a VirtualServer return or redirect action, which is not simulated: these requests count as no-route`);
          }
        });
        http = { ingressClass: ctrl.className, host, requests, sessions: ing.sessions ?? DEFAULTS.client.sessions };
      } else if (t.gateway !== undefined) {
        const target = gatewayClientTarget(t.gateway, { gateways: ctx.gateways ?? [], gatewayRoutes: ctx.gatewayRoutes ?? [] }, services, res, [...tPath, 'gateway'], problems);
        if (target === null) return;
        svc = target.svc;
        gatewayPort = target.portName;
        http = target.http;
      } else if (t.host !== undefined) {
        if (location && location.kind !== 'pod') {
          problems.error(res, [...tPath, 'host'], `cluster DNS names are resolved from pods: run the client in one (from: {pod: <pod or node>}), or address the Service (target.service)`);
          return;
        }
        for (const key of ['via', 'nodes'] as const) {
          if (t[key] !== undefined) problems.error(res, [...tPath, key], `${key} does not apply to a name: the client connects to the address DNS returns`);
        }
        const dns = ctx.dns!;
        const namespace = clientNamespace(c, pods);
        const recordCtx = (): RecordContext => ({
          clusterDomain: dns.clusterDomain,
          services,
          externalHosts: ctx.externalHosts.map((h) => h.host),
          headlessHasAddresses: (s) => headlessHasAddresses(s, pods),
        });
        const cfg = { namespace, clusterDomain: dns.clusterDomain, ndots: c.dns?.ndots ?? dns.ndots, search: dns.search };
        let plan = planLookup(t.host, cfg, recordCtx());
        const answer0 = plan.answerStep >= 0 ? plan.steps[plan.answerStep]!.record : null;
        if (answer0 === null) {
          // An ExternalName whose target is not described: describe it with the defaults, and walk again.
          const cname = plan.steps.find((s) => s.record.kind === 'cname');
          if (cname && cname.record.kind === 'cname') {
            const target = cname.record.target;
            ctx.externalHosts.push(ctx.defaultExternalHost(target));
            const d = DEFAULTS.externalHost;
            problems.warn(res, [...tPath, 'host'], `the external host ${target} (behind ExternalName ${cname.record.service.name}) is not described in Workload.spec.externalHosts: using latency ${d.latency}, serviceTime ${d.serviceTime}, concurrency ${d.concurrency}`);
            plan = planLookup(t.host, cfg, recordCtx());
          }
        }
        const answer = plan.answerStep >= 0 ? plan.steps[plan.answerStep]!.record : null;
        if (answer === null || answer.kind === 'nxdomain') {
          const canon = canonicalName(t.host);
          const headless = services.find((s) => s.clusterIP === null && s.type !== 'ExternalName' && plan.steps.some((x) => x.name === `${s.name}.${s.namespace}.svc.${canonicalName(dns.clusterDomain)}`));
          problems.error(res, [...tPath, 'host'], {
            expected: 'a name that resolves from the client\'s pod',
            found: JSON.stringify(t.host),
            message: headless
              ? `"${t.host}" names headless Service ${headless.name}, which has no ready pod: its DNS name does not exist`
              : `"${t.host}" does not resolve from namespace ${namespace} (tried ${plan.steps.map((x) => x.name).join(', ')})${canon.includes('.') ? '; a host outside the cluster must be described in Workload.spec.externalHosts' : didYouMean(canon, services.map((s) => s.name))}`,
          });
          return;
        }
        resolve = {
          name: t.host,
          namespace,
          cache: c.dns?.cache ?? { kind: DEFAULTS.client.dnsCache },
          pick: c.dns?.pick === 'roundRobin' ? 'round-robin' : c.dns?.pick ?? DEFAULTS.client.dnsPick,
          ...(c.dns?.ndots !== undefined ? { ndots: c.dns.ndots } : {}),
        };
        if (answer.kind === 'cluster-ip') svc = answer.service;
        else if (answer.kind === 'headless') {
          const s = answer.service;
          const portIndex = t.port === undefined ? (s.ports.length === 1 ? 0 : -1) : s.ports.findIndex((p) => (typeof t.port === 'number' ? p.port === t.port : p.name === t.port));
          if (portIndex < 0) {
            problems.error(res, t.port === undefined ? tPath : [...tPath, 'port'], s.ports.length === 0
              ? `headless Service ${s.name} has no ports: give it the port the pods listen on`
              : { expected: `a port of Service ${s.name} (${s.ports.map((p) => p.name ?? p.port).join(', ')})`, found: t.port === undefined ? 'nothing' : JSON.stringify(t.port) });
            return;
          }
          direct = { via: 'podIP', service: `${s.namespace}/${s.name}`, port: typeof t.port === 'string' ? t.port : s.ports[portIndex]!.port };
        } else {
          direct = { via: 'external', service: answer.kind === 'cname' ? `${answer.service.namespace}/${answer.service.name}` : '', port: t.port ?? 443 };
        }
      } else {
        const [ns, name] = t.service!.includes('/') ? (t.service!.split('/', 2) as [string, string]) : [undefined, t.service!];
        const candidates = servicesNamed(services, name).filter((s) => ns === undefined || s.namespace === ns);
        if (candidates.length === 0) {
          if (!v.failed.has(failedKey('Service', ns ?? 'default', name))) {
            const known = services.map((s) => s.name);
            problems.error(res, [...tPath, 'service'], {
              expected: 'the name of a Service in the scenario',
              found: JSON.stringify(t.service),
              message: `no Service "${t.service}"${didYouMean(name, known) || (known.length ? ` (there are: ${known.join(', ')})` : ' (the scenario has no Service)')}`,
            });
          }
          return;
        }
        if (candidates.length > 1) {
          problems.error(res, [...tPath, 'service'], `ambiguous: Services named "${name}" exist in namespaces ${candidates.map((s) => s.namespace).join(', ')}; write namespace/name`);
          return;
        }
        svc = candidates[0]!;
        const svcRef = `Service ${svc.namespace === 'default' ? svc.name : `${svc.namespace}/${svc.name}`}`;
        if (svc.type === 'ExternalName') {
          problems.error(res, [...tPath, 'service'], `${svcRef} is an ExternalName Service (a CNAME to ${svc.externalName}): ${BY_NAME}`);
          return;
        }
        if (svc.clusterIP === null) {
          problems.error(res, [...tPath, 'service'], `${svcRef} is headless (clusterIP: None): clients reach its pods by their own IPs; ${BY_NAME}`);
          return;
        }
      }

      // Load and connections.
      const C = DEFAULTS.client;
      let arrival: ArrivalSpec;
      if (c.users !== undefined) arrival = { kind: 'closed', users: c.users, thinkTime: c.thinkTime ?? builtinDistribution(C.thinkTime) };
      else if (c.interarrival !== undefined) arrival = { kind: 'open', interarrival: c.interarrival };
      else if (c.rate instanceof RateProfile) arrival = { kind: 'open', interarrival: Exponential.withRate(c.rate.nominalRate(), 'duration'), rate: c.rate };
      else arrival = { kind: 'open', interarrival: Exponential.withRate(c.rate ?? 1, 'duration') };

      const conn = c.connection ?? { kind: 'per-request' };
      const connection: ConnectionSpec =
        conn.kind === 'per-request'
          ? { kind: 'per-request' }
          : conn.kind === 'keep-alive'
            ? { kind: 'keep-alive', requestsPerConnection: conn.requestsPerConnection ?? C.requestsPerConnection }
            : { kind: 'pool', connections: conn.connections ?? C.poolConnections };
      const common = {
        name: c.name,
        arrival,
        connection,
        requestBytes: c.requestSize ?? C.requestSize,
        responseBytes: c.responseSize ?? C.responseSize,
        timeout: c.timeout === undefined ? C.timeout : c.timeout,
        retries: c.retries ?? C.retries,
      };

      if (direct) {
        if (!location) return;
        out.push({
          ...common,
          location,
          target: { service: direct.service, port: direct.port, via: direct.via, nodes: [] },
          sourceIPs: c.sourceIPs ?? C.internalSourceIPs,
          resolve: resolve!,
        });
        return;
      }
      if (!svc) return;
      const svcRef = `Service ${svc.namespace === 'default' ? svc.name : `${svc.namespace}/${svc.name}`}`;

      // The port.
      let portIndex = -1;
      const wantPort = http ? gatewayPort ?? 'http' : t.port;
      if (wantPort === undefined) {
        if (svc.ports.length === 1) portIndex = 0;
        else {
          problems.error(res, tPath, { expected: `a port (${svc.ports.map((p) => p.name ?? p.port).join(', ')})`, found: 'nothing', message: `${svcRef} has ${svc.ports.length} ports; name one with target.port` });
        }
      } else {
        const tp = wantPort;
        if (typeof tp === 'number') {
          const tcp = svc.ports.findIndex((p) => p.port === tp && p.protocol === 'TCP');
          portIndex = tcp >= 0 ? tcp : svc.ports.findIndex((p) => p.port === tp);
        } else {
          portIndex = svc.ports.findIndex((p) => p.name === tp);
        }
        if (portIndex < 0) {
          problems.error(res, [...tPath, 'port'], { expected: `a port of ${svcRef} (${svc.ports.map((p) => (p.name ? `${p.name}/${p.port}` : p.port)).join(', ')})`, found: JSON.stringify(tp) });
        }
      }
      const port = portIndex >= 0 ? svc.ports[portIndex]! : undefined;
      if (http && t.port !== undefined) problems.error(res, [...tPath, 'port'], 'an ingress controller is reached on its http port: leave port out');

      // The entry point.
      const external = location?.kind === 'external';
      let via: EntryPoint | undefined = t.via;
      if (via === undefined && location) {
        if (!external || resolve) via = 'clusterIP';
        else if (svc.type === 'LoadBalancer') via = 'loadBalancer';
        else if (svc.type === 'NodePort') via = 'nodePort';
        else if (svc.externalIPs.length > 0) via = 'externalIP';
        else {
          problems.error(res, [...path, 'from'], `${svcRef} is a ClusterIP Service: it is not reachable from outside the cluster. Send from inside (from: {pod: <pod or node>}), or expose it (type NodePort or LoadBalancer, or externalIPs)`);
        }
      }
      const viaPath: FieldPath = t.via !== undefined ? [...tPath, 'via'] : [...path, 'from'];
      if (via === 'loadBalancer' && svc.type !== 'LoadBalancer') {
        problems.error(res, viaPath, `via loadBalancer needs a LoadBalancer Service; ${svcRef} is ${svc.type}`);
      } else if (via === 'nodePort' && port && port.nodePort === undefined) {
        problems.error(res, viaPath, `via nodePort needs a node port; ${svcRef} is ${svc.type}${svc.type === 'LoadBalancer' ? ' without node ports (allocateLoadBalancerNodePorts: false)' : ''}`);
      } else if (via === 'externalIP' && svc.externalIPs.length === 0) {
        problems.error(res, viaPath, `via externalIP needs spec.externalIPs; ${svcRef} has none`);
      } else if (via === 'clusterIP' && external) {
        problems.error(res, viaPath, `a cluster IP is not reachable from outside the cluster; an external client needs via loadBalancer, nodePort or externalIP`);
      }

      const targetNodes = t.nodes ?? [];
      if (targetNodes.length > 0 && via !== 'nodePort' && via !== 'externalIP') {
        problems.error(res, [...tPath, 'nodes'], `nodes applies to via nodePort or externalIP only (this client goes via ${via ?? 'an unknown entry'})`);
      }
      targetNodes.forEach((n, k) => {
        if (!hasNodeNamed(cluster.nodes, n)) problems.error(res, [...tPath, 'nodes', k], { expected: 'the name of a node of the cluster', found: JSON.stringify(n), message: `no node "${n}"${didYouMean(n, nodeNames)}` });
      });

      if (!location || !via || !port) return;
      out.push({
        ...common,
        location,
        target: { service: `${svc.namespace}/${svc.name}`, port: typeof wantPort === 'string' ? wantPort : port.port, via, nodes: targetNodes },
        sourceIPs: c.sourceIPs ?? (location.kind === 'external' ? C.externalSourceIPs : C.internalSourceIPs),
        ...(resolve ? { resolve } : {}),
        ...(http ? { http } : {}),
      });
    });
  }
  return out;
}

/** The namespace of the client's pod (the first search domain); `default` for a client pod named by its node. */
function clientNamespace(c: ClientObject, pods: readonly PodSpec[]): string {
  const from = c.from;
  if (from?.kind !== 'pod') return 'default';
  const pod = podsNamed(pods, from.name)[0];
  return pod?.namespace ?? 'default';
}
