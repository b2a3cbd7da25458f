/**
 * `simulate(spec)`: builds the cluster's data path from a validated `ModelSpec`, runs it, and returns the
 * run's `RunResult`.
 *
 * Randomness: one named stream per entity and purpose, derived from the spec's seed (engine/random.ts):
 *   client/<name>/arrivals   inter-arrival or think times
 *   client/<name>/network    link latencies of the client's requests and responses, LB flow hashes
 *   pod/<ns>/<name>/service  service times
 *   load-balancer/<ns>/<name>/processing   the LB's per-connection processing time
 *   kube-proxy/<node>/...    endpoint choices and connection costs (proxy/base-proxy.ts)
 * so adding a client never changes what a pod, another client or a node draws.
 *
 * Stop: generation stops at `simulation.duration` or after `simulation.requests` logical requests, whichever
 * comes first. Requests in flight then have `drainLimit` (default 60 s of simulated time) to finish; what is
 * left after that is reported as in flight. Time averages (utilisation, queue length) cover the window from
 * the end of the warm-up to the end of generation, so the emptying system does not dilute them.
 */
import { performance } from 'node:perf_hooks';
import { RandomStreams } from '../engine/random.js';
import { Simulator } from '../engine/simulator.js';
import type { Seconds } from '../engine/time.js';
import { Clients, ConnMode, type ClientConfig } from './clients.js';
import { ClusterIndex, serviceKey } from './cluster-index.js';
import { ConnectionTable } from './connections.js';
import { DataPath, Via, type ClientWiring, type ServiceTarget } from './datapath.js';
import { Links } from './links.js';
import { createLoadBalancer } from './loadbalancer/index.js';
import { AUTO_SEGMENTS, Metrics, type Segmentation } from './metrics.js';
import { PodStations } from './pods.js';
import { createServiceProxy } from './proxy/index.js';
import { RequestTable } from './requests.js';
import { RESULT_SCHEMA, type NodeResult, type RunResult } from './result.js';
import type { ClientSpec, ModelSpec, ServiceSpec } from './spec.js';

export interface SimulateOptions {
  /** Called now and then with the fraction of generation done (0..1). */
  onProgress?(fraction: number): void;
  /** Simulated seconds in-flight requests may take to finish after generation stops. Default 60. */
  drainLimit?: Seconds;
}

export const DEFAULT_DRAIN_LIMIT: Seconds = 60;
/** Events per `run` slice between progress reports. */
const SLICE = 1 << 20;

export function simulate(spec: ModelSpec, options: SimulateOptions = {}): RunResult {
  const wallStart = performance.now();
  const { duration, requests, warmup } = spec.simulation;
  if (duration === null && requests === null) throw new RangeError('simulation needs a duration or a request count');
  if (duration !== null && !(duration > 0 && Number.isFinite(duration))) {
    throw new RangeError(`simulation.duration must be finite and > 0, got ${duration}`);
  }
  if (requests !== null && !(Number.isInteger(requests) && requests > 0)) {
    throw new RangeError(`simulation.requests must be a positive integer, got ${requests}`);
  }
  const drainLimit = options.drainLimit ?? DEFAULT_DRAIN_LIMIT;

  const index = new ClusterIndex(spec);
  const streams = new RandomStreams(spec.simulation.seed);
  const sim = new Simulator(4096);
  const links = new Links(sim, spec.network);
  const reqs = new RequestTable(1024);
  const conns = new ConnectionTable(256);
  const pods = new PodStations(
    sim,
    spec.pods.map((p) => p.behaviour),
    spec.pods.map((p) => streams.stream(`pod/${p.namespace}/${p.name}/service`)),
    reqs,
  );

  const podZone = Int32Array.from({ length: index.podCount }, (_, p) => index.podZone(p));
  const segmentation: Segmentation =
    warmup === 'auto'
      ? duration !== null
        ? { kind: 'auto-time', width: duration / AUTO_SEGMENTS }
        : { kind: 'auto-count', perSegment: requests! / AUTO_SEGMENTS }
      : warmup > 0
        ? { kind: 'fixed', warmup }
        : { kind: 'none' };
  const metrics = new Metrics(
    { pods: index.podCount, nodes: index.nodeCount, zones: index.zoneCount, clients: spec.clients.length, podZone },
    segmentation,
    pods,
  );

  const targets: ServiceTarget[] = [];
  const targetIndex = new Map<string, number>();
  const wiring = spec.clients.map((client) => wireClient(client, spec, index, streams, targets, targetIndex));
  const clients = new Clients(sim, spec.clients.map((c) => clientConfig(c, streams)), conns);

  const dp = new DataPath(
    sim,
    links,
    reqs,
    conns,
    pods,
    metrics,
    clients,
    targets,
    wiring,
    index.nodeZone,
    index.podNode,
    spec.kubeProxy.conntrackMax,
    requests ?? Infinity,
    drainLimit,
  );
  pods.bind(dp.onServiceDone);

  if (duration !== null) sim.scheduleAt(duration, dp.onStopTime, 0);
  const onBoundary = (s: number): void => {
    if (dp.generating) metrics.beginSegment(s, sim.now);
  };
  if (segmentation.kind === 'fixed' && (duration === null || segmentation.warmup < duration)) {
    sim.scheduleAt(segmentation.warmup, onBoundary, 1);
  } else if (segmentation.kind === 'auto-time') {
    for (let s = 1; s < AUTO_SEGMENTS; s++) sim.scheduleAt(s * segmentation.width, onBoundary, s);
  }
  clients.start(dp);

  const progress = (): number => {
    if (!dp.generating) return 1;
    let f = 0;
    if (duration !== null) f = Math.max(f, sim.now / duration);
    if (requests !== null) f = Math.max(f, dp.generatedCount / requests);
    return Math.min(1, f);
  };
  for (;;) {
    const why = sim.run({ maxEvents: SLICE });
    options.onProgress?.(progress());
    if (why !== 'max-events') break;
  }
  let stopReason: 'duration' | 'requests' | 'idle' = dp.stopReason === '' ? 'idle' : dp.stopReason;
  if (dp.generating) {
    dp.generating = false;
    stopReason = 'idle';
    metrics.end(sim.now);
  }

  // ---------------------------------------------------------------- result
  const warm = metrics.warmup();
  const first = warm.firstMeasuredSegment;
  const accounting = metrics.accounting(first, dp.inFlightBySegment(metrics.segments));
  const { latency, byPath } = metrics.latency(first);
  const podNames = spec.pods.map((_, i) => {
    const node = index.podNode[i]!;
    return {
      pod: index.podKeys[i]!,
      node: node >= 0 ? index.nodeNames[node]! : null,
      zone: node >= 0 ? index.zoneNames[index.nodeZone[node]!]! : null,
    };
  });
  const nodes: NodeResult[] = spec.nodes.map((n, i) => ({
    node: n.name,
    zone: n.zone,
    ...metrics.nodeCounts(first, i),
    conntrackPeak: dp.conntrackPeak[i]!,
    conntrackAtEnd: dp.conntrack[i]!,
  }));
  const generationEnd = metrics.windowEnd;
  const wallSeconds = (performance.now() - wallStart) / 1000;
  return {
    schema: RESULT_SCHEMA,
    scenario: spec.name,
    seed: spec.simulation.seed,
    stop: {
      reason: stopReason,
      generationEnd,
      drainLimit,
      drainCut: dp.drainCut,
    },
    warmup: warm,
    measuredSeconds: Math.max(0, generationEnd - warm.end),
    accounting,
    latency,
    latencyByPath: byPath,
    paths: metrics.paths(first, spec.network.crossZoneCostPerGB),
    pods: metrics.podResults(first, podNames, pods.concurrency),
    nodes,
    zones: metrics.zoneResults(first, index.zoneNames),
    clients: metrics.clientResults(first, clients.names, clients.opened),
    engine: {
      events: sim.eventsProcessed,
      simulatedSeconds: sim.now,
      peakRequestsInFlight: reqs.highWater,
      connectionsOpened: conns.opened,
      wallSeconds,
      eventsPerWallSecond: wallSeconds > 0 ? sim.eventsProcessed / wallSeconds : 0,
      requestsPerWallSecond: wallSeconds > 0 ? dp.generatedCount / wallSeconds : 0,
    },
  };
}

function clientConfig(c: ClientSpec, streams: RandomStreams): ClientConfig {
  const conn = c.connection;
  return {
    name: c.name,
    open: c.arrival.kind === 'open',
    gap: c.arrival.kind === 'open' ? c.arrival.interarrival : c.arrival.thinkTime,
    users: c.arrival.kind === 'closed' ? c.arrival.users : 0,
    mode: conn.kind === 'per-request' ? ConnMode.PerRequest : conn.kind === 'keep-alive' ? ConnMode.KeepAlive : ConnMode.Pool,
    modeParam: conn.kind === 'keep-alive' ? conn.requestsPerConnection : conn.kind === 'pool' ? conn.connections : 1,
    sourceIPs: c.sourceIPs,
    arrivalRng: streams.stream(`client/${c.name}/arrivals`),
  };
}

const VIA: Record<ClientSpec['target']['via'], number> = {
  loadBalancer: Via.LoadBalancer,
  nodePort: Via.NodePort,
  clusterIP: Via.ClusterIP,
  externalIP: Via.ExternalIP,
};

/** Resolves a client's target Service port (sharing one kube-proxy/LB per port) and its way in. */
function wireClient(
  client: ClientSpec,
  spec: ModelSpec,
  index: ClusterIndex,
  streams: RandomStreams,
  targets: ServiceTarget[],
  targetIndex: Map<string, number>,
): ClientWiring {
  const where = `client '${client.name}'`;
  const { target, location } = client;
  const service = spec.services.find((s) => serviceKey(s.namespace, s.name) === target.service);
  if (service === undefined) throw new Error(`${where}: unknown service '${target.service}'`);
  const portIdx = service.ports.findIndex((p) => (typeof target.port === 'number' ? p.port === target.port : p.name === target.port));
  if (portIdx < 0) throw new Error(`${where}: service '${target.service}' has no port '${target.port}'`);
  const port = service.ports[portIdx]!;
  checkEntry(where, service, target.via, location.kind, port.nodePort);
  // kube-proxy on the client's own node intercepts traffic from the cluster to a Service's LB IP or
  // externalIPs (KUBE-SERVICES matches them; the EXT chain short-circuits pod traffic to the cluster chain):
  // it never reaches the LB. Treated as clusterIP traffic (origin internal). An LB known only by hostname
  // (loadBalancerIP null, e.g. AWS) cannot be intercepted: the client goes out through it.
  const intercepted =
    location.kind !== 'external' &&
    ((target.via === 'loadBalancer' && service.loadBalancerIP !== null) || target.via === 'externalIP');
  const via = intercepted ? Via.ClusterIP : VIA[target.via];

  const key = `${target.service}#${portIdx}`;
  let t = targetIndex.get(key);
  if (t === undefined) {
    const proxy = createServiceProxy(service, port, index, streams);
    const hasLb = service.type === 'LoadBalancer';
    targets.push({
      endpoints: proxy.endpoints,
      proxy,
      lb: hasLb ? createLoadBalancer(service, proxy.endpoints, index, streams) : null,
      lbKind: hasLb ? service.loadBalancer.kind : null,
      lbProcessing: hasLb ? service.loadBalancer.processing : null,
      lbRng: hasLb ? streams.stream(`load-balancer/${service.namespace}/${service.name}/processing`) : null,
    });
    t = targets.length - 1;
    targetIndex.set(key, t);
  }

  const node = location.kind === 'external' ? -1 : index.node(location.node);
  let zone = -1;
  if (node >= 0) zone = index.nodeZone[node]!;
  else if (location.kind === 'external' && location.zone !== null && index.zoneNames.includes(location.zone)) {
    zone = index.zone(location.zone);
  }
  const targetNodes =
    target.nodes.length > 0 ? Int32Array.from(target.nodes, (n) => index.node(n)) : Int32Array.from({ length: index.nodeCount }, (_, i) => i);
  if ((via === Via.NodePort || via === Via.ExternalIP) && targetNodes.length === 0) {
    throw new Error(`${where}: no node to address`);
  }
  if (client.retries < 0 || !Number.isInteger(client.retries)) throw new RangeError(`${where}: retries must be an integer >= 0`);
  return {
    target: t,
    via,
    node,
    zone,
    inPod: location.kind === 'pod',
    targetNodes,
    timeout: client.timeout ?? -1,
    retries: client.retries,
    requestBytes: client.requestBytes,
    responseBytes: client.responseBytes,
    networkRng: streams.stream(`client/${client.name}/network`),
  };
}

function checkEntry(
  where: string,
  service: ServiceSpec,
  via: ClientSpec['target']['via'],
  location: ClientSpec['location']['kind'],
  nodePort: number | undefined,
): void {
  const name = `${service.namespace}/${service.name}`;
  if (via === 'loadBalancer' && service.type !== 'LoadBalancer') {
    throw new Error(`${where}: service '${name}' is ${service.type}, it has no load balancer`);
  }
  if (via === 'nodePort' && nodePort === undefined) {
    throw new Error(`${where}: service '${name}' port has no nodePort (type ${service.type})`);
  }
  if (via === 'clusterIP' && location === 'external') {
    throw new Error(`${where}: a clusterIP is reachable only from a pod or a node of the cluster`);
  }
  if (via === 'externalIP' && service.externalIPs.length === 0) {
    throw new Error(`${where}: service '${name}' has no externalIPs`);
  }
}
