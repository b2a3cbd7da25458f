/**
 * Builders for a ModelSpec written in code (ns-3 calls this layer "helpers"): every builder has sensible
 * defaults and takes overrides, so a test, a benchmark or a program states only what it is about.
 *
 *   const { index, service } = cluster({ podsPerNode: [1, 2, 0], zones: ['a', 'b', 'c'],
 *                                        service: { externalTrafficPolicy: 'Local' } });
 *
 * Conventions: nodes `node-1..n` with IPs 10.0.0.1.., pods `web-<k>` (namespace `default`, label
 * `app: web`, container port `http` 8080/TCP) with IPs 10.244.<node index>.<1..>, the Service `default/web`
 * (port 80 -> targetPort 8080, clusterIP 10.96.0.10). Distributions default to `const(0)`, so latencies
 * are exactly what a caller sets.
 */
import { parseDistribution, type Distribution } from '../../engine/distributions/index.js';
import { RandomStreams } from '../../engine/random.js';
import { ClusterIndex } from '../cluster-index.js';
import { fnv1a32 } from '../hash.js';
import type {
  ClientSpec,
  CiliumSpec,
  KubeProxySpec,
  LoadBalancerSpec,
  ModelSpec,
  NetworkSpec,
  NodeSpec,
  PodBehaviour,
  PodSpec,
  ServiceSpec,
  SimulationSpec,
} from '../spec.js';

export function dist(text: string): Distribution {
  return parseDistribution(text);
}

export const ZERO: Distribution = dist('const(0)');

export function node(name: string, zone: string, overrides: Partial<NodeSpec> = {}): NodeSpec {
  const n = Number(/(\d+)$/.exec(name)?.[1] ?? 1);
  return {
    name,
    zone,
    ip: `10.0.${Math.floor((n - 1) / 250)}.${((n - 1) % 250) + 1}`,
    labels: { 'topology.kubernetes.io/zone': zone, 'kubernetes.io/hostname': name },
    cpu: 4,
    ...overrides,
  };
}

export function behaviour(overrides: Partial<PodBehaviour> = {}): PodBehaviour {
  return { concurrency: 1, queueCapacity: 100, serviceTime: dist('const(1ms)'), speed: 1, ...overrides };
}

/** A pod of the Service; its default IP is derived from its name (the cluster builder sets structured ones). */
export function pod(name: string, nodeName: string | null, overrides: Partial<PodSpec> = {}): PodSpec {
  const h = fnv1a32(`${overrides.namespace ?? 'default'}/${name}`);
  return {
    name,
    namespace: 'default',
    ip: `10.${128 + ((h >>> 16) & 127)}.${(h >>> 8) & 255}.${h & 255}`,
    labels: { app: 'web' },
    nodeName,
    ready: true,
    terminating: false,
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    behaviour: behaviour(),
    ...overrides,
  };
}

export function loadBalancer(overrides: Partial<LoadBalancerSpec> = {}): LoadBalancerSpec {
  return {
    kind: 'instance',
    crossZone: false,
    zones: [],
    processing: ZERO,
    healthCheck: { interval: 10, healthyThreshold: 3, unhealthyThreshold: 3 },
    ...overrides,
  };
}

export function service(overrides: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name: 'web',
    namespace: 'default',
    type: 'LoadBalancer',
    clusterIP: '10.96.0.10',
    selector: { app: 'web' },
    ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }],
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
    sessionAffinity: 'None',
    sessionAffinityTimeout: 10800,
    trafficDistribution: null,
    topologyModeAuto: false,
    externalIPs: [],
    loadBalancerIP: '203.0.113.10',
    externalName: null,
    publishNotReadyAddresses: false,
    loadBalancer: loadBalancer(),
    ...overrides,
  };
}

export function kubeProxy(overrides: Partial<KubeProxySpec> = {}): KubeProxySpec {
  return { mode: 'iptables', ipvsScheduler: 'rr', servicePorts: 100, conntrackMax: 262144, ...overrides };
}

/** Cilium's kube-proxy replacement with its Helm defaults (random, SNAT, M = 16381, no service topology). */
export function cilium(overrides: Partial<CiliumSpec> = {}): CiliumSpec {
  return { algorithm: 'random', mode: 'snat', maglevTableSize: 16381, serviceTopology: false, ...overrides };
}

export function network(overrides: Partial<NetworkSpec> = {}): NetworkSpec {
  return {
    sameNode: ZERO,
    sameZone: ZERO,
    crossZone: ZERO,
    external: ZERO,
    loadBalancerToBackend: ZERO,
    forwarding: ZERO,
    crossZoneCostPerGB: 0.02,
    ...overrides,
  };
}

export function simulation(overrides: Partial<SimulationSpec> = {}): SimulationSpec {
  return { seed: 1, duration: null, requests: 1000, warmup: 0, ...overrides };
}

export function client(overrides: Partial<ClientSpec> = {}): ClientSpec {
  return {
    name: 'load',
    location: { kind: 'external', zone: null },
    target: { service: 'default/web', port: 80, via: 'loadBalancer', nodes: [] },
    arrival: { kind: 'open', interarrival: dist('exp(mean=1ms)') },
    connection: { kind: 'per-request' },
    sourceIPs: 1,
    requestBytes: 1000,
    responseBytes: 1000,
    timeout: null,
    retries: 0,
    ...overrides,
  };
}

export interface ModelParts {
  readonly name?: string;
  readonly nodes: readonly NodeSpec[];
  readonly pods?: readonly PodSpec[];
  readonly services?: readonly ServiceSpec[];
  readonly clients?: readonly ClientSpec[];
  readonly kubeProxy?: Partial<KubeProxySpec>;
  readonly network?: Partial<NetworkSpec>;
  readonly simulation?: Partial<SimulationSpec>;
}

export function modelSpec(parts: ModelParts): ModelSpec {
  return {
    name: parts.name ?? 'fixture',
    nodes: parts.nodes,
    network: network(parts.network),
    kubeProxy: kubeProxy(parts.kubeProxy),
    pods: parts.pods ?? [],
    services: parts.services ?? [service()],
    clients: parts.clients ?? [],
    simulation: simulation(parts.simulation),
  };
}

export interface ClusterOptions {
  /** Pods of the Service on each node; the node count is this array's length. */
  readonly podsPerNode: readonly number[];
  /** Zone of each node, cycled when shorter than the node list. Default: all in `zone-a`. */
  readonly zones?: readonly string[];
  readonly service?: Partial<ServiceSpec>;
  readonly kubeProxy?: Partial<KubeProxySpec>;
  readonly network?: Partial<NetworkSpec>;
  /** Overrides for the k-th pod (0-based, in node order) placed on `nodeName`. */
  readonly pod?: (k: number, nodeName: string) => Partial<PodSpec>;
  /** Overrides for node i (0-based). */
  readonly node?: (i: number) => Partial<NodeSpec>;
  /** Extra pods (other apps, Pending pods, ...). */
  readonly extraPods?: readonly PodSpec[];
  readonly clients?: readonly ClientSpec[];
}

export interface Cluster {
  readonly spec: ModelSpec;
  readonly index: ClusterIndex;
  readonly service: ServiceSpec;
}

/** A cluster of nodes (with zones) running `podsPerNode[i]` pods of one Service on node i. */
export function cluster(options: ClusterOptions): Cluster {
  const zones = options.zones ?? ['zone-a'];
  const nodes = options.podsPerNode.map((_, i) => node(`node-${i + 1}`, zones[i % zones.length]!, options.node?.(i)));
  const pods: PodSpec[] = [];
  options.podsPerNode.forEach((count, i) => {
    for (let j = 0; j < count; j++) {
      const k = pods.length;
      const ip = `10.244.${i % 256}.${j + 1}`;
      pods.push(pod(`web-${k}`, nodes[i]!.name, { ip, ...options.pod?.(k, nodes[i]!.name) }));
    }
  });
  pods.push(...(options.extraPods ?? []));
  const svc = service(options.service);
  const spec = modelSpec({
    nodes,
    pods,
    services: [svc],
    clients: options.clients ?? [],
    kubeProxy: options.kubeProxy ?? {},
    network: options.network ?? {},
  });
  return { spec, index: new ClusterIndex(spec), service: svc };
}

export function streams(seed: number | string = 1): RandomStreams {
  return new RandomStreams(seed);
}
