/**
 * Ingress: the controllers a Cluster describes become real objects (a Deployment and a Service per
 * controller, as each controller's Helm chart creates them), so the usual placement, address allocation and
 * L4 machinery carry clients to the controller pods; and networking.k8s.io/v1 Ingress resources become
 * IngressSpecs with the annotations of the controller that handles their class read.
 *
 * Three controllers (`Cluster.spec.ingressControllers[].controller`, the IngressClass's `spec.controller`):
 * - ingress-nginx (kubernetes/ingress-nginx): nginx.ingress.kubernetes.io/ load-balance, upstream-hash-by,
 *   affinity, affinity-mode, service-upstream, proxy-next-upstream, proxy-next-upstream-tries. Its Lua
 *   balancer has round_robin and ewma only: any other load-balance value falls back to round_robin
 *   (`balancer.lua` `get_implementation`), with a warning here.
 * - nginx-inc (the NGINX Ingress Controller, nginxinc/kubernetes-ingress): nginx.org/lb-method (validated as
 *   its `ParseLBMethod` / `ParseLBMethodForPlus` do; default "random two least_conn"), nginx.org/use-cluster-ip,
 *   and with NGINX Plus nginx.com/sticky-cookie-services; `max-fails` / `fail-timeout` are the controller's
 *   (ConfigMap) settings.
 * - kong (the Kong Ingress Controller): the balancing is the upstream policy's, a KongUpstreamPolicy on
 *   the Service (build-kong-policies.ts), else the controller's `loadBalance` (round-robin,
 *   least-connections, latency, consistent-hashing with `hashOn`); `retries` (the Service's, default 5).
 * And the old kubernetes.io/ingress.class. With IngressClass objects, build-ingress-classes.ts decides
 * which controller serves an Ingress. Other annotations (rewrites, TLS, timeouts, Kong's methods and
 * headers...) are not simulated and are passed over silently: real Ingresses carry many.
 */
import type {
  IngressAlgorithm,
  IngressBackendRef,
  IngressBalancing,
  IngressControllerKind,
  IngressControllerSpec,
  IngressSpec,
  ServiceSpec,
  UpstreamHashKey,
} from '../model/spec.js';
import { DEFAULTS } from './defaults.js';
import { classOfIngress, type IngressClassResolution } from './build-ingress-classes.js';
import type { ClusterObject, IngressControllerObject } from './kinds/cluster.js';
import type { IngressBackendObject, IngressObject } from './kinds/ingress.js';
import { suggest } from './near-miss.js';
import type { Problems } from './problems.js';
import { Resource } from './resource.js';
import type { FieldPath } from './source-map.js';
import { UniqueNames } from './unique-names.js';
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
  /** NGINX Ingress Controller. */
  lbMethod: 'nginx.org/lb-method',
  useClusterIp: 'nginx.org/use-cluster-ip',
  stickyCookieServices: 'nginx.com/sticky-cookie-services',
} as const;

/** ingress-nginx's Lua balancer implementations chosen by `load-balance` (balancer.lua IMPLEMENTATIONS). */
const INGRESS_NGINX_METHODS: readonly IngressAlgorithm[] = ['round_robin', 'ewma'];

/** Each controller as its chart installs it, and its documented defaults. */
const CONTROLLER_DEFAULTS: Readonly<Record<IngressControllerKind, { name: string; namespace: string; className: string; image: string; loadBalance: string; tries: number }>> = {
  /** ingress-nginx chart: ConfigMap load-balance round_robin, proxy-next-upstream-tries 3 (docs/references.md#ingress-nginx). [DEF] */
  'ingress-nginx': { name: 'ingress-nginx-controller', namespace: 'ingress-nginx', className: 'nginx', image: 'registry.k8s.io/ingress-nginx/controller', loadBalance: 'round_robin', tries: 3 },
  /**
   * nginx-ingress chart (nginxinc/kubernetes-ingress): IngressClass `nginx`; ConfigMap `lb-method` "random two
   * least_conn", `proxy-next-upstream-tries` 0 (every endpoint), `max-fails` 1, `fail-timeout` 10s
   * (docs/content/configuration/global-configuration/configmap-resource.md). [DEF]
   */
  'nginx-inc': { name: 'nginx-ingress-controller', namespace: 'nginx-ingress', className: 'nginx', image: 'nginx/nginx-ingress', loadBalance: 'random two least_conn', tries: 0 },
  /** kong/ingress chart: IngressClass `kong`; Upstream algorithm round-robin, Service retries 5. [DEF] */
  kong: { name: 'kong-gateway', namespace: 'kong', className: 'kong', image: 'kong', loadBalance: 'round-robin', tries: 6 },
};

function implementationOf(name: IngressControllerObject['controller']): IngressControllerKind {
  switch (name) {
    case 'nginx-inc':
    case 'nginx.org/ingress-controller':
      return 'nginx-inc';
    case 'kong':
    case 'ingress-controllers.konghq.com/kong':
      return 'kong';
    default:
      return 'ingress-nginx';
  }
}

/** What an nginx `lb-method` string means, or an error text. */
interface LbMethod {
  readonly loadBalance: IngressAlgorithm;
  readonly upstreamHashBy: UpstreamHashKey | null;
  readonly hashConsistent: boolean;
}

export const NGINX_INC_METHODS = ['round_robin', 'least_conn', 'ip_hash', 'random', 'random two', 'random two least_conn', 'hash $request_uri consistent'];
export const NGINX_PLUS_METHODS = ['least_time header', 'least_time last_byte', 'least_time header inflight', 'least_time last_byte inflight', 'random two least_time=header', 'random two least_time=last_byte'];

/** `ParseLBMethod` (and `ParseLBMethodForPlus` when `plus`): null when the method is not valid. */
export function parseLbMethod(text: string, plus: boolean): LbMethod | null {
  const m = text.trim().replace(/\s+/g, ' ');
  const simple = (loadBalance: IngressAlgorithm): LbMethod => ({ loadBalance, upstreamHashBy: null, hashConsistent: false });
  switch (m) {
    case 'round_robin':
      return simple('round_robin');
    case 'least_conn':
      return simple('least_conn');
    case 'ip_hash':
      return simple('ip_hash');
    case 'random':
      return simple('random');
    case 'random two':
    case 'random two least_conn':
      return simple('random_two');
  }
  const hash = /^hash (\S+)( consistent)?$/.exec(m);
  if (hash) {
    const key = hash[1]!;
    const by: UpstreamHashKey = key === '$request_uri' || key === '$uri' ? { kind: 'uri' } : key === '$remote_addr' || key === '$binary_remote_addr' ? { kind: 'remote-addr' } : { kind: 'session', text: key };
    return { loadBalance: 'round_robin', upstreamHashBy: by, hashConsistent: hash[2] !== undefined };
  }
  if (!plus) return null;
  if (/^least_time (header|last_byte)( inflight)?$/.test(m)) return simple('least_time');
  if (/^random two least_time=(header|last_byte)$/.test(m)) return simple('random_two_least_time');
  return null;
}

/**
 * The NGINX Ingress Controller's `lb-method` (the annotation, or a VirtualServer upstream's field) as
 * `handler` reads it: without one, or with one it refuses (an error at `path`), the controller's defaults
 * (`loadBalance` null).
 */
export function readLbMethod(
  lb: string | undefined,
  handler: ControllerDraft,
  res: Resource,
  path: FieldPath,
  problems: Problems,
): { loadBalance: IngressAlgorithm | null; upstreamHashBy: UpstreamHashKey | null; hashConsistent: boolean } {
  const plus = handler.plus ?? false;
  if (lb !== undefined) {
    const m = parseLbMethod(lb, plus);
    if (m !== null) return m;
    problems.error(res, path, {
      expected: [...NGINX_INC_METHODS, ...(plus ? NGINX_PLUS_METHODS : [])].map((x) => `"${x}"`).join(', '),
      found: JSON.stringify(lb),
      ...(parseLbMethod(lb, true) !== null ? { message: 'NGINX Plus only (the controller has plus: false)' } : {}),
    });
  }
  return { loadBalance: null, upstreamHashBy: handler.upstreamHashBy ?? null, hashConsistent: handler.hashConsistent ?? false };
}

/** Kong's upstream `algorithm` in the model's words. */
function kongAlgorithm(text: string): IngressAlgorithm | 'consistent-hashing' | null {
  switch (text.trim()) {
    case 'round-robin':
      return 'round_robin';
    case 'least-connections':
      return 'least_conn';
    case 'latency':
      return 'latency';
    case 'consistent-hashing':
      return 'consistent-hashing';
  }
  return null;
}

/** A controller as the Cluster describes it, with the objects generated for it. */
export interface ControllerDraft {
  readonly spec: IngressControllerSpec;
  readonly index: number;
  /** NGINX Plus (nginx-inc). */
  readonly plus?: boolean;
  /** nginx-inc: a controller-wide `lb-method` of `hash $key [consistent]`. */
  readonly upstreamHashBy?: UpstreamHashKey | null;
  readonly hashConsistent?: boolean;
}

/** The controller-wide method, validated in the controller's own terms. */
function controllerMethod(
  kind: IngressControllerKind,
  c: IngressControllerObject,
  res: Resource,
  at: FieldPath,
  problems: Problems,
): { loadBalance: IngressAlgorithm; upstreamHashBy: UpstreamHashKey | null; hashConsistent: boolean; hashOn: UpstreamHashKey | null } {
  const K = CONTROLLER_DEFAULTS[kind];
  const text = c.loadBalance ?? K.loadBalance;
  const none = { upstreamHashBy: null, hashConsistent: false, hashOn: null };
  if (kind === 'ingress-nginx') {
    if ((INGRESS_NGINX_METHODS as readonly string[]).includes(text)) return { loadBalance: text as IngressAlgorithm, ...none };
    const hint = suggest(text, INGRESS_NGINX_METHODS);
    problems.warn(res, at, `ingress-nginx has no load-balance "${text}" (only round_robin and ewma${hint ? `; did you mean "${hint}"?` : ''}): its Lua balancer falls back to round_robin`);
    return { loadBalance: 'round_robin', ...none };
  }
  if (kind === 'nginx-inc') {
    const m = parseLbMethod(text, c.plus ?? false);
    if (m === null) {
      const plusOnly = parseLbMethod(text, true) !== null;
      problems.error(res, at, plusOnly
        ? { expected: 'a method of NGINX (set plus: true for NGINX Plus)', found: JSON.stringify(text), message: 'least_time is NGINX Plus only' }
        : { expected: [...NGINX_INC_METHODS, ...(c.plus ? NGINX_PLUS_METHODS : [])].map((x) => `"${x}"`).join(', '), found: JSON.stringify(text) });
      return { loadBalance: 'random_two', ...none };
    }
    return { loadBalance: m.loadBalance, upstreamHashBy: m.upstreamHashBy, hashConsistent: m.hashConsistent, hashOn: null };
  }
  const algo = kongAlgorithm(text);
  if (algo === null) {
    problems.error(res, at, {
      expected: '"round-robin", "least-connections", "latency" or "consistent-hashing"',
      found: JSON.stringify(text),
      ...(text === 'sticky-sessions' ? { message: "Kong's sticky-sessions algorithm (Gateway 3.11) is not modelled: use consistent-hashing with hashOn: cookie" } : {}),
    });
    return { loadBalance: 'round_robin', ...none };
  }
  const on = c.hashOn ?? 'none';
  const hashOn: UpstreamHashKey | null = on === 'none' ? null : on === 'ip' ? { kind: 'remote-addr' } : on === 'path' ? { kind: 'uri' } : { kind: 'session', text: on };
  if (algo === 'consistent-hashing') {
    if (hashOn === null) problems.warn(res, at, 'consistent-hashing with hashOn none is round-robin in Kong: set hashOn');
    return { loadBalance: 'round_robin', upstreamHashBy: null, hashConsistent: true, hashOn };
  }
  if (hashOn !== null) problems.warn(res, [...at.slice(0, -1), 'hashOn'], `has no effect with ${text}: Kong hashes only with consistent-hashing`);
  return { loadBalance: algo, upstreamHashBy: null, hashConsistent: false, hashOn: null };
}

/** Labels of a controller's pods (and its Service's selector). */
function controllerLabels(kind: IngressControllerKind, name: string): Record<string, string> {
  const app = kind === 'ingress-nginx' ? 'ingress-nginx' : kind === 'nginx-inc' ? 'nginx-ingress' : 'kong';
  return { 'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': name, 'app.kubernetes.io/component': 'controller' };
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
    const kind = implementationOf(c.controller);
    const K = CONTROLLER_DEFAULTS[kind];
    const className = c.className ?? K.className;
    const name = c.name ?? (className === K.className ? K.name : `ingress-${className}-controller`);
    const namespace = c.namespace ?? K.namespace;
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
    const labels = controllerLabels(kind, name);
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
                image: K.image,
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
    const method = controllerMethod(kind, c, cluster.res, [...at, 'loadBalance'], problems);
    if (c.plus !== undefined && kind !== 'nginx-inc') problems.warn(cluster.res, [...at, 'plus'], 'has no effect: NGINX Plus is an option of the NGINX Ingress Controller (controller: nginx-inc)');
    for (const key of ['maxFails', 'failTimeout'] as const) {
      if (c[key] !== undefined && kind !== 'nginx-inc') problems.warn(cluster.res, [...at, key], `has no effect: ${key} is the NGINX Ingress Controller's passive health check (controller: nginx-inc)`);
    }
    for (const key of ['hashOn', 'retries'] as const) {
      if (c[key] !== undefined && kind !== 'kong') problems.warn(cluster.res, [...at, key], `has no effect: ${key} is a Kong setting (controller: kong)`);
    }
    const tries = kind === 'kong' ? (c.retries ?? 5) + 1 : c.proxyNextUpstreamTries ?? K.tries;
    controllers.push({
      index: i,
      plus: c.plus ?? false,
      spec: {
        className,
        implementation: kind,
        isDefaultClass: c.default ?? list.length === 1,
        service: key,
        workers,
        loadBalance: method.loadBalance,
        upstreamKeepaliveRequests: c.upstreamKeepaliveRequests ?? D.upstreamKeepaliveRequests,
        nextUpstreamTries: tries,
        ...(kind === 'nginx-inc' ? { maxFails: c.maxFails ?? 1, failTimeout: c.failTimeout ?? 10 } : {}),
        ...(kind === 'kong' ? { hashOn: method.hashOn } : {}),
      },
      hashConsistent: method.hashConsistent,
      upstreamHashBy: method.upstreamHashBy,
    });
  });
  const defaults = controllers.filter((c) => c.spec.isDefaultClass);
  if (defaults.length > 1) {
    problems.error(cluster.res, ['spec', 'ingressControllers', defaults[1]!.index, 'default'], `only one ingress controller may be the default (controller ${defaults[0]!.index} is)`);
  }
  return { resources, controllers };
}

/** The balancing annotations of the controller that handles the Ingress (none for Kong: see the file comment). */
function readBalancing(res: Resource, annotations: Readonly<Record<string, string>>, handler: ControllerDraft | undefined, problems: Problems): IngressBalancing {
  const kind = handler?.spec.implementation ?? 'ingress-nginx';
  if (kind === 'nginx-inc') return readNginxIncBalancing(res, annotations, handler!, problems);
  if (kind === 'kong') return { loadBalance: null, upstreamHashBy: null, affinity: null, serviceUpstream: false, nextUpstreamTries: -1 };
  const A = INGRESS_ANNOTATIONS;
  const at = (k: string): FieldPath => ['metadata', 'annotations', k];
  let loadBalance: IngressAlgorithm | null = null;
  const lb = annotations[A.loadBalance]?.trim();
  if (lb !== undefined) {
    if ((INGRESS_NGINX_METHODS as readonly string[]).includes(lb)) loadBalance = lb as IngressAlgorithm;
    else {
      // balancer.lua get_implementation: "<name> is not supported, falling back to round_robin".
      const hint = suggest(lb, INGRESS_NGINX_METHODS);
      problems.warn(res, at(A.loadBalance), {
        expected: INGRESS_NGINX_METHODS.map((a) => `"${a}"`).join(' or '),
        found: JSON.stringify(lb),
        message: `${hint ? `did you mean "${hint}"? ` : ''}ingress-nginx has no other balancer and falls back to round_robin`,
      });
      loadBalance = 'round_robin';
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

/** The NGINX Ingress Controller's annotations (advanced-configuration-with-annotations.md). */
function readNginxIncBalancing(res: Resource, annotations: Readonly<Record<string, string>>, handler: ControllerDraft, problems: Problems): IngressBalancing {
  const A = INGRESS_ANNOTATIONS;
  const at = (k: string): FieldPath => ['metadata', 'annotations', k];
  const plus = handler.plus ?? false;
  const { loadBalance, upstreamHashBy, hashConsistent } = readLbMethod(annotations[A.lbMethod], handler, res, at(A.lbMethod), problems);
  let serviceUpstream = false;
  const cip = annotations[A.useClusterIp]?.trim().toLowerCase();
  if (cip !== undefined) {
    if (cip === 'true' || cip === 'false') serviceUpstream = cip === 'true';
    else problems.error(res, at(A.useClusterIp), { expected: '"true" or "false"', found: JSON.stringify(annotations[A.useClusterIp]) });
  }
  let affinity: IngressBalancing['affinity'] = null;
  if (annotations[A.stickyCookieServices] !== undefined) {
    if (!plus) problems.warn(res, at(A.stickyCookieServices), 'sticky cookies are NGINX Plus only: ignored (the controller has plus: false)');
    else affinity = 'persistent';
  }
  return { loadBalance, upstreamHashBy, affinity, serviceUpstream, nextUpstreamTries: -1, hashConsistent };
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
  classes?: IngressClassResolution,
): IngressSpec[] {
  const out: IngressSpec[] = [];
  const names = new UniqueNames('Ingress', problems);
  for (const { res, obj } of list) {
    const namespace = obj.metadata.namespace ?? 'default';
    if (!names.claim(res, `${namespace}/${obj.metadata.name}`)) continue;
    const annotations = obj.metadata.annotations ?? {};
    const legacy = annotations[INGRESS_ANNOTATIONS.ingressClass];
    if (obj.spec.ingressClassName !== undefined && legacy !== undefined) {
      // networking/validation ValidateIngressCreate.
      problems.error(res, ['metadata', 'annotations', INGRESS_ANNOTATIONS.ingressClass], `can not be set when the class field is also set (spec.ingressClassName: ${obj.spec.ingressClassName}); the API server refuses the Ingress`);
    }
    let className: string | null = obj.spec.ingressClassName ?? legacy ?? null;
    if (classes?.declared) {
      // IngressClass objects decide which controller serves the Ingress (build-ingress-classes.ts).
      const verdict = classOfIngress({ res, obj }, classes, INGRESS_ANNOTATIONS.ingressClass, problems);
      if (!verdict.served) {
        if (obj.spec.ingressClassName === undefined && legacy === undefined && classes.defaults.length === 0) {
          problems.warn(res, [], 'no default IngressClass, and only the NGINX Ingress Controller serves Ingresses without a class (ingress-nginx and Kong ignore them): this Ingress routes nothing');
        }
        continue;
      }
      className = verdict.className;
    }
    const handler = controllers.find((c) => (className === null ? c.spec.isDefaultClass : c.spec.className === className));
    const balancing = readBalancing(res, annotations, handler, problems);
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
