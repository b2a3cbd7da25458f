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
import { DEFAULT_MAX_EVENTS } from './limits.js';
import { RandomStreams } from '../engine/random.js';
import { Simulator } from '../engine/simulator.js';
import type { Seconds } from '../engine/time.js';
import { Clients, ConnMode, type ClientConfig } from './clients.js';
import { ClusterIndex, serviceKey } from './cluster-index.js';
import { ConnectionTable } from './connections.js';
import { DataPath, Via, type ClientWiring, type ServiceTarget } from './datapath.js';
import { ClusterDns, type DnsClient, type DnsName } from './dns/cluster-dns.js';
import { isInClusterDomain, lookupRecord, planLookup, resolves, type DnsRecord, type LookupPlan, type RecordContext } from './dns/names.js';
import { computeEndpoints, hasTimeline } from './endpoints/compute-endpoints.js';
import { ControlPlane } from './control/control-plane.js';
import { planNodes } from './control/node-slots.js';
import { planSlots } from './control/pod-slots.js';
import { DataPlaneView, PodState } from './control/views.js';
import { IngressRuntime } from './ingress/controller.js';
import { PodErrors } from './pod-errors.js';
import { buildMesh } from './mesh/build.js';
import { Links } from './links.js';
import { createLoadBalancer } from './loadbalancer/index.js';
import { AUTO_SEGMENTS, Metrics, segmentCount, summarize, type Segmentation } from './metrics.js';
import { PodStations } from './pods.js';
import { createServiceProxy, NotProxiedServiceProxy } from './proxy/index.js';
import { RequestTable } from './requests.js';
import { RESULT_SCHEMA, TIMELINE_DROP_REASONS, type DropReason, type NodeResult, type RunResult } from './result.js';
import type { ClientSpec, DnsSpec, ModelSpec, ServiceSpec } from './spec.js';
import { StageStats } from './stages.js';
import { TimeSeriesRecorder } from './time-series.js';
import type { StationGroup } from './stations.js';

export interface SimulateOptions {
  /** Called now and then with the fraction of generation done (0..1). */
  onProgress?(fraction: number): void;
  /** Simulated seconds in-flight requests may take to finish after generation stops. Default 60. */
  drainLimit?: Seconds;
  /**
   * The event ceiling (`--max-events`, default {@link DEFAULT_MAX_EVENTS}): past it the run stops with an
   * {@link EventCeilingError} (exit 1) instead of running on for hours or exhausting memory.
   */
  maxEvents?: number;
}

export { DEFAULT_MAX_EVENTS };

/** A run stopped at its event ceiling. */
export class EventCeilingError extends Error {
  override name = 'EventCeilingError';
}

export const DEFAULT_DRAIN_LIMIT: Seconds = 60;
/** Events per `run` slice between progress reports. */
const SLICE = 1 << 20;

export function simulate(input: ModelSpec, options: SimulateOptions = {}): RunResult {
  const wallStart = performance.now();
  // A timeline: room for the pods it will create (control/pod-slots.ts), and a control plane beside the data path.
  const plan = hasTimeline(input) ? planSlots(planNodes(input, input.time!.nodeGroups ?? []), input.time!) : null;
  const spec = plan !== null ? plan.spec : input;
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
  const segments = segmentCount(segmentation);

  // Beyond L4: ingress controllers, cluster DNS, external hosts.
  const hasHttp = spec.clients.some((c) => c.http);
  const resolving = spec.clients.some((c) => c.resolve);
  const sourceIps = spec.clients.reduce((n, c) => n + c.sourceIPs, 0);
  const ingress = hasHttp ? new IngressRuntime(spec, index, streams, sourceIps) : null;
  const externalHosts = spec.externalHosts ?? [];
  const plans = spec.clients.map((c) => (c.resolve ? clientPlan(c, spec, index) : null));
  const dns = resolving ? buildDns(spec, index, sim, links, streams, plans, segments) : null;
  const externals =
    externalHosts.length > 0
      ? new PodStations(
          sim,
          externalHosts.map((h) => h.behaviour),
          externalHosts.map((h) => streams.stream(`external/${h.host}/service`)),
          reqs,
        )
      : null;
  const groups: StationGroup[] = [];
  if (dns) groups.push(dns.servers);
  if (externals) groups.push(externals);
  const extraDropReasons: DropReason[] = plan !== null ? [...TIMELINE_DROP_REASONS] : [];
  if (resolving) extraDropReasons.push('dns-failure');
  if (hasHttp) extraDropReasons.push('no-route');
  // Failing pods (`netsim/error-rate`) and Gateway route deadlines add their reasons when the scenario has them.
  const podErrors = PodErrors.of(spec.pods, streams);
  if (podErrors !== null) extraDropReasons.push('server-error');
  if (ingress?.gateway?.timeout.some((t) => t > 0)) extraDropReasons.push('gateway-timeout');
  const metrics = new Metrics(
    {
      pods: index.podCount,
      nodes: index.nodeCount,
      zones: index.zoneCount,
      clients: spec.clients.length,
      podZone,
      extraDropReasons,
      upstreams: ingress?.upstreams.length ?? 0,
      externalHosts: externalHosts.length,
    },
    segmentation,
    pods,
    groups,
  );
  const stages = new StageStats(segments);
  const series = new TimeSeriesRecorder({
    window: spec.simulation.window ?? null,
    duration,
    origin: segmentation.kind === 'fixed' ? segmentation.warmup : 0,
    // Offered load and drops by reason per window: for timelines and for load that varies.
    detailed: plan !== null || spec.clients.some((c) => c.arrival.kind === 'open' && c.arrival.rate != null),
  });
  const view =
    plan !== null
      ? new DataPlaneView(index.podCount, index.nodeCount, (p) => (p < plan.firstSlot && index.podNode[p]! >= 0 ? PodState.Accepting : PodState.Absent))
      : null;

  const targets: ServiceTarget[] = [];
  const targetIndex = new Map<string, number>();
  const lookup = wiringLookup(spec);
  const wired = spec.clients.map((client, i) => wireClient(client, spec, index, streams, targets, targetIndex, plans[i]!, lookup));
  // Sidecars of meshed clients (mesh/): they read pod states from the data plane's view.
  const meshView = view ?? (spec.mesh ? new DataPlaneView(index.podCount, index.nodeCount, (p) => (index.podNode[p]! >= 0 ? PodState.Accepting : PodState.Absent)) : null);
  const { mesh, wiring } = buildMesh(spec, wired, { sim, links, reqs, pods, metrics, view: meshView!, index, streams, targets, dynamic: plan !== null });
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
    {
      dns,
      ingress,
      externals,
      externalLatency: externalHosts.map((h) => h.latency),
      stages,
      series,
      view: meshView,
      mesh,
      podErrors,
    },
  );
  pods.bind(dp.onServiceDone);
  const control =
    plan !== null ? new ControlPlane(sim, spec, index, plan, spec.time!, view!, pods, dp, targets, streams) : null;
  if (control !== null) {
    series.watcher = control.tracker;
    // Pods a timeline places count in their zone from then on.
    control.state.onPod((p) => {
      const node = index.podNode[p]!;
      if (node >= 0) podZone[p] = index.nodeZone[node]!;
    });
    control.start(duration ?? Infinity);
  }

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
  const ceiling = options.maxEvents ?? DEFAULT_MAX_EVENTS;
  for (;;) {
    const left = ceiling - sim.eventsProcessed;
    if (left <= 0) {
      throw new EventCeilingError(
        `the run reached its ceiling of ${ceiling} events (--max-events) at simulated time ${sim.now.toPrecision(6)} s` +
          `${duration !== null ? ` of ${duration} s` : ''} (${(progress() * 100).toFixed(1)} % of the load generated): ` +
          'shorten Simulation.spec.duration, lower the rates, or raise --max-events',
      );
    }
    const why = sim.run({ maxEvents: Math.min(SLICE, left) });
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
  const podServices = servicesByPod(spec, index, plan !== null);
  const podNames = spec.pods.map((_, i) => {
    const node = index.podNode[i]!;
    return {
      pod: index.podKeys[i]!,
      node: node >= 0 ? index.nodeNames[node]! : null,
      zone: node >= 0 ? index.zoneNames[index.nodeZone[node]!]! : null,
      services: podServices[i]!,
    };
  });
  const allNodes: NodeResult[] = spec.nodes.map((n, i) => ({
    node: n.name,
    zone: n.zone,
    ...metrics.nodeCounts(first, i),
    conntrackPeak: dp.conntrackPeak[i]!,
    conntrackAtEnd: dp.conntrack[i]!,
  }));
  const generationEnd = metrics.windowEnd;
  const beyond: Pick<RunResult, 'dns' | 'ingress' | 'externalHosts' | 'events'> = {};
  if (dns) {
    const servers = spec.dns!.servers.map((server, i) => {
      const node = index.node(server.node);
      return {
        pod: server.name,
        node: server.node,
        zone: index.zoneNames[index.nodeZone[node]!]!,
        ...dns.serverCounts(first, i),
        ...metrics.groupWindow(0, i, first),
      };
    });
    (beyond as { dns?: RunResult['dns'] }).dns = { ...dns.totals(first), resolution: summarize(dns.resolutionTimes(first)), servers };
  }
  if (ingress) {
    const counts = metrics.ingressCounts(first);
    (beyond as { ingress?: RunResult['ingress'] }).ingress = {
      requests: counts.requests,
      noRoute: counts.noRoute,
      upstreamRetries: counts.retries,
      upstreams: ingress.upstreams.map((u, i) => ({
        ingress: u.ingress,
        service: u.service,
        port: u.port,
        algorithm: u.algorithm,
        endpoints: u.proxy ? u.proxy.endpoints.filter((e) => e.ready).length : u.endpoints.length,
        ...counts.upstream(i),
      })),
    };
  }
  if (externals) {
    const g = dns ? 1 : 0;
    (beyond as { externalHosts?: RunResult['externalHosts'] }).externalHosts = externalHosts.map((h, i) => ({
      host: h.host,
      ...metrics.externalCounts(first, i),
      ...metrics.groupWindow(g, i, first),
    }));
  }
  let timeSeries = series.result(warm.end, generationEnd === generationEnd ? generationEnd : warm.end);
  let podResults = metrics.podResults(first, podNames, pods.concurrency);
  if (control !== null) {
    const c = control.results(sim.now, timeSeries);
    timeSeries = { ...timeSeries, ...c.series };
    (beyond as { events?: RunResult['events'] }).events = c.events;
    podResults = podResults.filter((_, p) => control.existed(p));
  }
  // A node group's room to grow that never joined is no node of the run.
  const nodes = control === null ? allNodes : allNodes.filter((_, n) => control.nodeExisted(n));
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
    pods: podResults,
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
    latencyByStage: stages.result(first),
    timeSeries,
    ...beyond,
  };
}

/**
 * Per pod, the Services (`namespace/name`, sorted) whose ready endpoints (any port) include it; during a
 * timeline, whose endpoints include it at all (pods come and go: readiness at time 0 says little).
 */
function servicesByPod(spec: ModelSpec, index: ClusterIndex, timeline: boolean): string[][] {
  const out: string[][] = spec.pods.map(() => []);
  for (const service of spec.services) {
    const key = serviceKey(service.namespace, service.name);
    const pods = new Set<number>();
    for (const port of service.ports) for (const e of computeEndpoints(service, port, index)) if (e.ready || timeline) pods.add(e.pod);
    for (const p of pods) out[p]!.push(key);
  }
  for (const list of out) list.sort();
  return out;
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
    profile: c.arrival.kind === 'open' ? (c.arrival.rate ?? null) : null,
  };
}

const VIA: Record<ClientSpec['target']['via'], number> = {
  loadBalancer: Via.LoadBalancer,
  nodePort: Via.NodePort,
  clusterIP: Via.ClusterIP,
  externalIP: Via.ExternalIP,
  podIP: Via.PodIP,
  external: Via.External,
};

/** What cluster DNS answers a client, and the walk to get there. */
interface ClientPlan {
  readonly plan: LookupPlan;
  /** The answering record, or null when the lookup always fails. */
  readonly answer: DnsRecord | null;
}

function recordContext(spec: ModelSpec, index: ClusterIndex, dnsSpec: DnsSpec): RecordContext {
  return {
    clusterDomain: dnsSpec.clusterDomain,
    services: spec.services,
    externalHosts: (spec.externalHosts ?? []).map((h) => h.host),
    headlessHasAddresses: (s) => s.ports.length > 0 && computeEndpoints(s, s.ports[0]!, index).some((e) => e.ready),
  };
}

function clientPlan(client: ClientSpec, spec: ModelSpec, index: ClusterIndex): ClientPlan {
  const dnsSpec = spec.dns;
  if (!dnsSpec) throw new Error(`client '${client.name}' resolves a name, but the spec has no cluster DNS`);
  const r = client.resolve!;
  const plan = planLookup(
    r.name,
    { namespace: r.namespace, clusterDomain: dnsSpec.clusterDomain, ndots: r.ndots ?? dnsSpec.ndots, search: dnsSpec.search },
    recordContext(spec, index, dnsSpec),
  );
  return { plan, answer: plan.answerStep >= 0 ? plan.steps[plan.answerStep]!.record : null };
}

/** CoreDNS pods, the distinct query names with their answers and TTLs, and each resolving client's walk. */
function buildDns(
  spec: ModelSpec,
  index: ClusterIndex,
  sim: Simulator,
  links: Links,
  streams: RandomStreams,
  plans: readonly (ClientPlan | null)[],
  segments: number,
): ClusterDns {
  const d = spec.dns!;
  const hosts = spec.externalHosts ?? [];
  const names: DnsName[] = [];
  const nameId = new Map<string, number>();
  const ctx = recordContext(spec, index, d);
  const idOf = (name: string): number => {
    let id = nameId.get(name);
    if (id !== undefined) return id;
    const record = lookupRecord(name, ctx);
    const inCluster = isInClusterDomain(name, d.clusterDomain);
    let ttl: number;
    switch (record.kind) {
      case 'cluster-ip':
      case 'headless':
        ttl = d.recordTTL;
        break;
      case 'cname':
        ttl = record.host >= 0 ? Math.min(d.recordTTL, hosts[record.host]!.ttl) : d.recordTTL;
        break;
      case 'external':
        ttl = hosts[record.host]!.ttl;
        break;
      case 'nxdomain':
        ttl = inCluster ? d.recordTTL : d.cacheTTL;
        break;
    }
    names.push({ name, exists: resolves(record), inCluster, upstream: !inCluster || record.kind === 'cname', ttl });
    id = names.length - 1;
    nameId.set(name, id);
    return id;
  };
  const clients: (DnsClient | null)[] = spec.clients.map((c, i) => {
    const p = plans[i];
    if (!p) return null;
    const node = c.location.kind === 'external' ? -1 : index.node(c.location.node);
    if (node < 0) throw new Error(`client '${c.name}': only clients in the cluster resolve names with cluster DNS`);
    let addresses = 1;
    if (p.answer?.kind === 'headless') addresses = headlessAddresses(p.answer.service, c, index).length;
    return {
      steps: Int32Array.from(p.plan.steps, (s) => idOf(s.name)),
      resolves: p.answer !== null,
      node,
      inPod: c.location.kind === 'pod',
      cache: c.resolve!.cache,
      pick: c.resolve!.pick,
      addresses,
      rng: streams.stream(`client/${c.name}/dns`),
    };
  });
  return new ClusterDns(
    sim,
    links,
    d,
    Int32Array.from(d.servers, (s) => index.node(s.node)),
    index.nodeZone,
    names,
    clients,
    d.servers.map((s) => streams.stream(`dns/${s.name}/service`)),
    segments,
  );
}

/** The pods a headless Service's answer lists (ready endpoints of the client's port), in endpoint order. */
function headlessAddresses(service: ServiceSpec, client: ClientSpec, index: ClusterIndex): Int32Array {
  const port = service.ports.find((p) => (typeof client.target.port === 'number' ? p.port === client.target.port : p.name === client.target.port)) ?? service.ports[0];
  if (!port) return new Int32Array(0);
  return Int32Array.from(
    computeEndpoints(service, port, index).filter((e) => e.ready),
    (e) => e.pod,
  );
}

/** What wiring every client needs, made once: not a search of the Services, nor a node list, per client. */
interface WiringLookup {
  /** Services by `namespace/name` (the first of each key). */
  readonly services: ReadonlyMap<string, ServiceSpec>;
  /** Every node of the cluster at the start, shared by the clients that do not name nodes (read only). */
  readonly startNodes: Int32Array;
}

function wiringLookup(spec: ModelSpec): WiringLookup {
  const services = new Map<string, ServiceSpec>();
  for (const s of spec.services) {
    const key = serviceKey(s.namespace, s.name);
    if (!services.has(key)) services.set(key, s);
  }
  return { services, startNodes: Int32Array.from(spec.nodes.flatMap((n, i) => (n.absent === true ? [] : [i]))) };
}

/** Resolves a client's target Service port (sharing one kube-proxy/LB per port) and its way in. */
function wireClient(
  client: ClientSpec,
  spec: ModelSpec,
  index: ClusterIndex,
  streams: RandomStreams,
  targets: ServiceTarget[],
  targetIndex: Map<string, number>,
  plan: ClientPlan | null,
  lookup: WiringLookup,
): ClientWiring {
  const where = `client '${client.name}'`;
  const { target, location } = client;
  if (plan !== null) {
    const answer = plan.answer;
    if (answer === null || answer.kind !== 'cluster-ip') {
      // No kube-proxy on the way: a pod's own address, or one outside the cluster.
      const node = location.kind === 'external' ? -1 : index.node(location.node);
      const externalHost = answer !== null && (answer.kind === 'cname' || answer.kind === 'external') ? answer.host : -1;
      if (answer?.kind === 'cname' && externalHost < 0) throw new Error(`${where}: the CNAME target '${answer.target}' is not a declared external host`);
      return {
        target: noTarget(targets, targetIndex),
        via: answer?.kind === 'headless' ? Via.PodIP : Via.External,
        node,
        zone: node >= 0 ? index.nodeZone[node]! : -1,
        inPod: location.kind === 'pod',
        targetNodes: new Int32Array(0),
        timeout: client.timeout ?? -1,
        retries: checkedRetries(where, client.retries),
        requestBytes: client.requestBytes,
        responseBytes: client.responseBytes,
        networkRng: streams.stream(`client/${client.name}/network`),
        resolves: true,
        http: false,
        addresses: answer?.kind === 'headless' ? headlessAddresses(answer.service, client, index) : null,
        externalHost,
      };
    }
    // A Service with a cluster IP: resolved, then through kube-proxy as usual.
    const key = serviceKey(answer.service.namespace, answer.service.name);
    if (key !== target.service || target.via !== 'clusterIP') {
      throw new Error(`${where}: '${client.resolve!.name}' resolves to the cluster IP of ${key}, but the target says ${target.service} via ${target.via}`);
    }
  }
  const service = lookup.services.get(target.service);
  if (service === undefined) throw new Error(`${where}: unknown service '${target.service}'`);
  const portIdx = service.ports.findIndex((p) => (typeof target.port === 'number' ? p.port === target.port : p.name === target.port));
  if (portIdx < 0) throw new Error(`${where}: service '${target.service}' has no port '${target.port}'`);
  const port = service.ports[portIdx]!;
  checkEntry(where, service, target.via, location.kind, port.nodePort);
  // kube-proxy on the client's own node intercepts traffic from the cluster to a Service's LB IP or
  // externalIPs (KUBE-SERVICES matches them; the EXT chain short-circuits pod traffic to the cluster chain):
  // it never reaches the LB. Treated as clusterIP traffic (origin internal). An LB known only by hostname
  // (loadBalancerIP null, e.g. AWS) cannot be intercepted: the client goes out through it.
  // Cilium's socket-LB also translates a connect() to any node's NodePort (its wildcard lookup), so the
  // choice is made on the client's node from every backend (proxy/cilium-proxy.ts).
  const intercepted =
    location.kind !== 'external' &&
    ((target.via === 'loadBalancer' && service.loadBalancerIP !== null) ||
      target.via === 'externalIP' ||
      (target.via === 'nodePort' && !!spec.kubeProxy.cilium));
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
  // By default every node of the cluster at the start (a node group's later nodes are not in the client's list).
  const targetNodes =
    target.nodes.length > 0
      ? Int32Array.from(target.nodes, (n) => index.node(n))
      : lookup.startNodes;
  if ((via === Via.NodePort || via === Via.ExternalIP) && targetNodes.length === 0) {
    throw new Error(`${where}: no node to address`);
  }
  return {
    target: t,
    via,
    node,
    zone,
    inPod: location.kind === 'pod',
    targetNodes,
    timeout: client.timeout ?? -1,
    retries: checkedRetries(where, client.retries),
    requestBytes: client.requestBytes,
    responseBytes: client.responseBytes,
    networkRng: streams.stream(`client/${client.name}/network`),
    resolves: plan !== null,
    http: client.http !== undefined && client.http !== null,
    addresses: null,
    externalHost: -1,
  };
}

function checkedRetries(where: string, retries: number): number {
  if (retries < 0 || !Number.isInteger(retries)) throw new RangeError(`${where}: retries must be an integer >= 0`);
  return retries;
}

/** A target for clients that bypass kube-proxy (never asked to choose). */
function noTarget(targets: ServiceTarget[], targetIndex: Map<string, number>): number {
  let t = targetIndex.get('');
  if (t === undefined) {
    const proxy = new NotProxiedServiceProxy();
    targets.push({ endpoints: proxy.endpoints, proxy, lb: null, lbKind: null, lbProcessing: null, lbRng: null });
    t = targets.length - 1;
    targetIndex.set('', t);
  }
  return t;
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
