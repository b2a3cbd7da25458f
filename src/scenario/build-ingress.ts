/**
 * Ingress: the controllers a Cluster describes become real objects (a Deployment and a Service per
 * controller, as the ingress-nginx Helm chart creates them), so the usual placement, address allocation and
 * L4 machinery carry clients to the controller pods; and networking.k8s.io/v1 Ingress resources become
 * IngressSpecs with their ingress-nginx annotations read.
 *
 * Annotations read (nginx.ingress.kubernetes.io/...): load-balance, upstream-hash-by, affinity,
 * affinity-mode, service-upstream, proxy-next-upstream, proxy-next-upstream-tries; and the old
 * kubernetes.io/ingress.class. Other nginx annotations (rewrites, TLS, timeouts...) are not simulated and
 * are passed over silently: real Ingresses carry many.
 */
import type { IngressAlgorithm, IngressBackendRef, IngressBalancing, IngressControllerSpec, IngressSpec, ServiceSpec, UpstreamHashKey } from '../model/spec.js';
import { DEFAULTS } from './defaults.js';
import type { ClusterObject, IngressControllerObject } from './kinds/cluster.js';
import type { IngressBackendObject, IngressObject } from './kinds/ingress.js';
import { suggest } from './near-miss.js';
import type { Problems } from './problems.js';
import { Resource } from './resource.js';
import type { FieldPath } from './source-map.js';
import type { Valid } from './validate.js';
import { builtinDistribution } from './values.js';

export const INGRESS_ANNOTATIONS = {
  loadBalance: 'nginx.ingress.kubernetes.io/load-balance',
  upstreamHashBy: 'nginx.ingress.kubernetes.io/upstream-hash-by',
  affinity: 'nginx.ingress.kubernetes.io/affinity',
  affinityMode: 'nginx.ingress.kubernetes.io/affinity-mode',
  serviceUpstream: 'nginx.ingress.kubernetes.io/service-upstream',
  nextUpstream: 'nginx.ingress.kubernetes.io/proxy-next-upstream',
  nextUpstreamTries: 'nginx.ingress.kubernetes.io/proxy-next-upstream-tries',
  ingressClass: 'kubernetes.io/ingress.class',
} as const;

const ALGORITHMS: readonly IngressAlgorithm[] = ['round_robin', 'ewma', 'least_conn', 'random_two'];

/** A controller as the Cluster describes it, with the objects generated for it. */
export interface ControllerDraft {
  readonly spec: IngressControllerSpec;
  readonly index: number;
}

/** Labels of a controller's pods (and its Service's selector). */
function controllerLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': name, 'app.kubernetes.io/component': 'controller' };
}

/**
 * The Deployment and Service of each controller of the Cluster, as resources located at the controller's
 * entry in the Cluster (diagnostics about them point there).
 */
export function controllerResources(cluster: Valid<ClusterObject> | undefined, problems: Problems): { resources: Resource[]; controllers: ControllerDraft[] } {
  const resources: Resource[] = [];
  const controllers: ControllerDraft[] = [];
  const list = cluster?.obj.spec.ingressControllers ?? [];
  if (!cluster || list.length === 0) return { resources, controllers };
  const D = DEFAULTS.ingressController;
  const seen = new Map<string, number>();
  const classes = new Map<string, number>();
  list.forEach((c: IngressControllerObject, i) => {
    const at: FieldPath = ['spec', 'ingressControllers', i];
    const className = c.className ?? D.className;
    const name = c.name ?? (className === D.className ? D.name : `ingress-${className}-controller`);
    const namespace = c.namespace ?? D.namespace;
    const key = `${namespace}/${name}`;
    if (seen.has(key)) {
      problems.error(cluster.res, [...at, 'name'], `another ingress controller (${seen.get(key)}) is already named ${key}; give each its own name`);
      return;
    }
    seen.set(key, i);
    if (classes.has(className)) {
      problems.error(cluster.res, [...at, 'className'], `another ingress controller (${classes.get(className)}) already has class "${className}"`);
      return;
    }
    classes.set(className, i);
    const workers = c.workers ?? D.workers;
    const labels = controllerLabels(name);
    const base = [...cluster.res.base, ...at];
    const svc = c.service ?? {};
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, labels },
      spec: {
        replicas: c.replicas ?? D.replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: {
            labels,
            annotations: {
              'netsim/service-time': String(c.processing ?? builtinDistribution(D.processing)),
              'netsim/concurrency': String(workers),
              'netsim/queue-capacity': String(c.queueCapacity ?? D.queueCapacity),
            },
          },
          spec: {
            ...(c.nodeSelector ? { nodeSelector: c.nodeSelector } : {}),
            containers: [
              {
                name: 'controller',
                image: 'registry.k8s.io/ingress-nginx/controller',
                ports: [
                  { name: 'http', containerPort: 80, protocol: 'TCP' },
                  { name: 'https', containerPort: 443, protocol: 'TCP' },
                ],
              },
            ],
          },
        },
      },
    };
    const type = svc.type ?? D.serviceType;
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace, labels, ...(svc.annotations ? { annotations: svc.annotations } : {}) },
      spec: {
        type,
        ...(svc.externalTrafficPolicy && type !== 'ClusterIP' ? { externalTrafficPolicy: svc.externalTrafficPolicy } : {}),
        selector: labels,
        ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      },
    };
    resources.push(new Resource(cluster.res.source, cluster.res.docIndex, base, 'apps/v1', 'Deployment', deployment));
    resources.push(new Resource(cluster.res.source, cluster.res.docIndex, base, 'v1', 'Service', service));
    controllers.push({
      index: i,
      spec: {
        className,
        isDefaultClass: c.default ?? list.length === 1,
        service: key,
        workers,
        loadBalance: c.loadBalance ?? D.loadBalance,
        upstreamKeepaliveRequests: c.upstreamKeepaliveRequests ?? D.upstreamKeepaliveRequests,
        nextUpstreamTries: c.proxyNextUpstreamTries ?? D.proxyNextUpstreamTries,
      },
    });
  });
  const defaults = controllers.filter((c) => c.spec.isDefaultClass);
  if (defaults.length > 1) {
    problems.error(cluster.res, ['spec', 'ingressControllers', defaults[1]!.index, 'default'], `only one ingress controller may be the default (controller ${defaults[0]!.index} is)`);
  }
  return { resources, controllers };
}

function readBalancing(res: Resource, annotations: Readonly<Record<string, string>>, problems: Problems): IngressBalancing {
  const A = INGRESS_ANNOTATIONS;
  const at = (k: string): FieldPath => ['metadata', 'annotations', k];
  let loadBalance: IngressAlgorithm | null = null;
  const lb = annotations[A.loadBalance]?.trim();
  if (lb !== undefined) {
    if ((ALGORITHMS as readonly string[]).includes(lb)) loadBalance = lb as IngressAlgorithm;
    else {
      const hint = suggest(lb, ALGORITHMS);
      problems.error(res, at(A.loadBalance), { expected: ALGORITHMS.map((a) => `"${a}"`).join(', '), found: JSON.stringify(lb), ...(hint ? { message: `did you mean "${hint}"?` } : {}) });
    }
  }
  let upstreamHashBy: UpstreamHashKey | null = null;
  const hash = annotations[A.upstreamHashBy]?.trim();
  if (hash !== undefined && hash !== '') {
    if (hash === '$request_uri' || hash === '$uri') upstreamHashBy = { kind: 'uri' };
    else if (hash === '$remote_addr' || hash === '$binary_remote_addr') upstreamHashBy = { kind: 'remote-addr' };
    else upstreamHashBy = { kind: 'session', text: hash };
  }
  let affinity: IngressBalancing['affinity'] = null;
  const aff = annotations[A.affinity]?.trim();
  if (aff !== undefined) {
    if (aff !== 'cookie') problems.error(res, at(A.affinity), { expected: '"cookie" (the only affinity ingress-nginx has)', found: JSON.stringify(aff) });
    else {
      const mode = annotations[A.affinityMode]?.trim() ?? 'balanced';
      if (mode !== 'balanced' && mode !== 'persistent') {
        problems.error(res, at(A.affinityMode), { expected: '"balanced" or "persistent"', found: JSON.stringify(mode) });
      } else affinity = mode;
    }
  }
  let serviceUpstream = false;
  const su = annotations[A.serviceUpstream]?.trim().toLowerCase();
  if (su !== undefined) {
    if (su === 'true' || su === 'false') serviceUpstream = su === 'true';
    else problems.error(res, at(A.serviceUpstream), { expected: '"true" or "false"', found: JSON.stringify(annotations[A.serviceUpstream]) });
  }
  let nextUpstreamTries = -1;
  const tries = annotations[A.nextUpstreamTries]?.trim();
  if (tries !== undefined) {
    if (/^\d+$/.test(tries)) nextUpstreamTries = Number(tries);
    else problems.error(res, at(A.nextUpstreamTries), { expected: 'a whole number such as "3" ("0": no limit)', found: JSON.stringify(tries) });
  }
  const next = annotations[A.nextUpstream]?.trim();
  if (next !== undefined && next.split(/\s+/).includes('off')) nextUpstreamTries = 1;
  return { loadBalance, upstreamHashBy, affinity, serviceUpstream, nextUpstreamTries };
}

/**
 * Ingress resources -> IngressSpecs. Warns about Ingresses no controller handles and backends that name a
 * Service, or a port, the scenario does not have (those requests get 503, `no-endpoints`).
 */
export function buildIngresses(
  list: readonly Valid<IngressObject>[],
  services: readonly ServiceSpec[],
  controllers: readonly ControllerDraft[],
  problems: Problems,
): IngressSpec[] {
  const out: IngressSpec[] = [];
  const seen = new Map<string, Resource>();
  for (const { res, obj } of list) {
    const namespace = obj.metadata.namespace ?? 'default';
    const key = `${namespace}/${obj.metadata.name}`;
    const first = seen.get(key);
    if (first) {
      const at = first.locate([]);
      problems.error(res, ['metadata', 'name'], `Ingress "${key}" already exists (at ${at.file}:${at.line})`);
      continue;
    }
    seen.set(key, res);
    const annotations = obj.metadata.annotations ?? {};
    const className = obj.spec.ingressClassName ?? annotations[INGRESS_ANNOTATIONS.ingressClass] ?? null;
    const balancing = readBalancing(res, annotations, problems);
    const handler = controllers.find((c) => (className === null ? c.spec.isDefaultClass : c.spec.className === className));
    if (!handler) {
      const known = controllers.map((c) => c.spec.className);
      problems.warn(
        res,
        obj.spec.ingressClassName !== undefined ? ['spec', 'ingressClassName'] : [],
        controllers.length === 0
          ? 'no ingress controller in the Cluster (spec.ingressControllers): this Ingress routes nothing'
          : className === null
            ? `no default ingress controller (the Cluster's are ${known.join(', ')}): this Ingress routes nothing`
            : `no ingress controller of class "${className}" (the Cluster's are ${known.join(', ')}): this Ingress routes nothing`,
      );
    }
    const ref = (b: IngressBackendObject, path: FieldPath): IngressBackendRef => {
      if (!b.service) {
        problems.warn(res, [...path, 'resource'], 'resource backends are not simulated: requests routed here get 503');
        return { service: '', port: 80 };
      }
      const port = b.service.port.number ?? b.service.port.name!;
      const svc = services.find((s) => s.namespace === namespace && s.name === b.service!.name);
      if (handler) {
        if (!svc) {
          problems.warn(res, [...path, 'service', 'name'], `no Service "${b.service.name}" in namespace ${namespace}: requests routed here get 503`);
        } else if (svc.type === 'ExternalName') {
          problems.warn(res, [...path, 'service', 'name'], `Service ${b.service.name} is an ExternalName: proxying to it is not simulated, requests routed here get 503`);
        } else if (!svc.ports.some((p) => (typeof port === 'number' ? p.port === port : p.name === port))) {
          problems.warn(res, [...path, 'service', 'port'], `Service ${b.service.name} has no port ${JSON.stringify(port)}: requests routed here get 503`);
        }
      }
      return { service: b.service.name, port };
    };
    out.push({
      name: obj.metadata.name,
      namespace,
      className,
      defaultBackend: obj.spec.defaultBackend ? ref(obj.spec.defaultBackend, ['spec', 'defaultBackend']) : null,
      rules: (obj.spec.rules ?? []).map((r, i) => ({
        host: r.host ?? null,
        paths: (r.http?.paths ?? []).map((p, j) => ({
          path: p.path ?? '/',
          pathType: p.pathType,
          backend: ref(p.backend, ['spec', 'rules', i, 'http', 'paths', j, 'backend']),
        })),
      })),
      balancing: {
        ...balancing,
        nextUpstreamTries: balancing.nextUpstreamTries >= 0 ? balancing.nextUpstreamTries : handler?.spec.nextUpstreamTries ?? DEFAULTS.ingressController.proxyNextUpstreamTries,
      },
    });
  }
  return out;
}
