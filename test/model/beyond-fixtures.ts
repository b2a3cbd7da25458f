/**
 * Fixtures for DNS, Ingress and external-host tests, on top of fixtures.ts: a cluster DNS spec, an ingress
 * controller with its Service and pods, Ingresses, HTTP and resolving clients.
 */
import type {
  ClientSpec,
  DnsSpec,
  ExternalHostSpec,
  IngressBalancing,
  IngressControllerSpec,
  IngressSpec,
  PodSpec,
  ServiceSpec,
} from '../../src/model/spec.js';
import { behaviour, client, dist, pod, service, ZERO } from './fixtures.js';
import { requestClass } from '../../src/model/http/request.js';

export function dnsSpec(overrides: Partial<DnsSpec> = {}): DnsSpec {
  return {
    servers: [{ name: 'kube-system/coredns-0', node: 'node-1' }],
    concurrency: 4,
    queueCapacity: 1000,
    hitTime: dist('const(50us)'),
    missTime: dist('const(100us)'),
    upstream: dist('const(2ms)'),
    clusterDomain: 'cluster.local',
    recordTTL: 30,
    cacheTTL: 30,
    cacheClusterDomain: true,
    loadbalance: true,
    ndots: 5,
    search: [],
    timeout: 5,
    attempts: 2,
    conntrackRace: 0,
    ...overrides,
  };
}

export function externalHost(host: string, overrides: Partial<ExternalHostSpec> = {}): ExternalHostSpec {
  return {
    host,
    latency: dist('const(5ms)'),
    behaviour: behaviour({ concurrency: 100, queueCapacity: 10000, serviceTime: dist('const(10ms)') }),
    ttl: 60,
    ...overrides,
  };
}

/** A ClusterIP Service without an LB. */
export function clusterIpService(name: string, overrides: Partial<ServiceSpec> = {}): ServiceSpec {
  return service({
    name,
    type: 'ClusterIP',
    loadBalancerIP: null,
    ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }],
    selector: { app: name },
    clusterIP: `10.96.${1 + (name.length % 200)}.${10 + name.charCodeAt(0)}`,
    ...overrides,
  });
}

/** Backend pods `<app>-<k>` on the given nodes, labelled `app: <app>`. */
export function appPods(app: string, nodes: readonly string[], overrides: (k: number) => Partial<PodSpec> = () => ({})): PodSpec[] {
  return nodes.map((n, k) =>
    pod(`${app}-${k}`, n, { labels: { app }, ip: `10.244.${1 + k}.${1 + app.length}`, ...overrides(k) }),
  );
}

/** Ingress controller pods in `ingress-nginx`, labelled `app: ingress`, with `workers` workers and `processing`. */
export function controllerPods(nodes: readonly string[], workers: number, processing = 'const(0)'): PodSpec[] {
  return nodes.map((n, k) =>
    pod(`ctrl-${k}`, n, {
      namespace: 'ingress-nginx',
      labels: { app: 'ingress' },
      ip: `10.244.${100 + k}.2`,
      ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
      behaviour: behaviour({ concurrency: workers, queueCapacity: 1e9, serviceTime: dist(processing) }),
    }),
  );
}

export function controllerService(overrides: Partial<ServiceSpec> = {}): ServiceSpec {
  return service({
    name: 'ingress-nginx-controller',
    namespace: 'ingress-nginx',
    type: 'ClusterIP',
    clusterIP: '10.96.200.1',
    loadBalancerIP: null,
    selector: { app: 'ingress' },
    ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 80 }],
    ...overrides,
  });
}

export function controller(overrides: Partial<IngressControllerSpec> = {}): IngressControllerSpec {
  return {
    className: 'nginx',
    isDefaultClass: true,
    service: 'ingress-nginx/ingress-nginx-controller',
    workers: 1,
    loadBalance: 'round_robin',
    upstreamKeepaliveRequests: 10000,
    nextUpstreamTries: 3,
    ...overrides,
  };
}

export const BALANCING: IngressBalancing = { loadBalance: null, upstreamHashBy: null, affinity: null, serviceUpstream: false, nextUpstreamTries: 3 };

/** An Ingress sending every path of any host to `svc`:80 (or the given rules). */
export function ingressTo(svc: string, balancing: Partial<IngressBalancing> = {}, rules?: IngressSpec['rules']): IngressSpec {
  return {
    name: 'ing',
    namespace: 'default',
    className: 'nginx',
    defaultBackend: null,
    rules: rules ?? [{ host: null, paths: [{ path: '/', pathType: 'Prefix', backend: { service: svc, port: 80 } }] }],
    balancing: { ...BALANCING, ...balancing },
  };
}

/** A client in a pod on `nodeName` sending HTTP through the controller's cluster IP. */
export function httpClient(rate: number, overrides: Partial<ClientSpec> = {}, paths: { path: string; weight: number }[] = [{ path: '/', weight: 1 }], nodeName = 'node-1'): ClientSpec {
  return client({
    name: 'http',
    location: { kind: 'pod', node: nodeName },
    target: { service: 'ingress-nginx/ingress-nginx-controller', port: 80, via: 'clusterIP', nodes: [] },
    arrival: { kind: 'open', interarrival: dist(`exp(rate=${rate}/s)`) },
    connection: { kind: 'pool', connections: 1 },
    http: { ingressClass: 'nginx', host: 'example.com', requests: paths.map(requestClass), sessions: 1000 },
    ...overrides,
  });
}

export { ZERO };
