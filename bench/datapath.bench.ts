/**
 * The whole data path at speed: external keep-alive clients -> instance-target cloud LB -> NodePort ->
 * kube-proxy (iptables, eTP Cluster: 2/3 of connections take a second hop, across zones) -> pod queue ->
 * back the same way. 3 nodes in 3 zones, 6 pods (2 per node), constant link latencies (FIFO lanes),
 * exponential service and inter-arrival times, 1.5 M requests.
 *
 * Reports simulated requests per wall second, events per request and wall time. Run through
 * `npm run bench`, or `node dist/bench/run.js datapath`; profile with
 * `node --cpu-prof dist/bench/run.js datapath`.
 */
import { pathToFileURL } from 'node:url';
import { parseDistribution as d } from '../src/engine/distributions/index.js';
import { simulate } from '../src/model/simulation.js';
import { behaviour, cilium, client, cluster, loadBalancer, simulation } from '../src/model/helpers/spec-builders.js';
import { withTimeline } from '../src/model/helpers/timeline-builders.js';
import type { TimelineEvent } from '../src/model/control/spec.js';
import type { RunResult } from '../src/model/result.js';
import type { CiliumSpec, ClientSpec, ModelSpec } from '../src/model/spec.js';
import { fmtRate, measure } from './measure.js';
import { DEFAULT_HOP_LATENCY, defaultPolicy } from '../src/model/mesh/defaults.js';
import type { MeshKind } from '../src/model/mesh/spec.js';

const REQUESTS = 1_500_000;

/** The data plane of the bench's cluster: kube-proxy iptables (its default), or Cilium's replacement. */
export type BenchDataPlane = 'iptables' | CiliumSpec;

export function benchSpec(requests = REQUESTS, dataPlane: BenchDataPlane = 'iptables'): ModelSpec {
  const zones = ['zone-a', 'zone-b', 'zone-c'];
  const clients: ClientSpec[] = zones.map((zone, i) =>
    client({
      name: `users-${i}`,
      location: { kind: 'external', zone },
      arrival: { kind: 'open', interarrival: d('exp(rate=1000/s)') },
      connection: { kind: 'keep-alive', requestsPerConnection: 100 },
      sourceIPs: 50,
      requestBytes: 800,
      responseBytes: 4000,
      timeout: 2,
      retries: 1,
    }),
  );
  const { spec } = cluster({
    podsPerNode: [2, 2, 2],
    zones,
    node: () => ({ cpu: 8 }),
    pod: () => ({ behaviour: behaviour({ concurrency: 2, queueCapacity: 1000, serviceTime: d('exp(mean=2ms)') }) }),
    service: { loadBalancer: loadBalancer({ crossZone: true, processing: d('const(30us)') }) },
    kubeProxy: dataPlane === 'iptables' ? { servicePorts: 500 } : { servicePorts: 500, cilium: dataPlane },
    network: {
      sameNode: d('const(20us)'),
      sameZone: d('const(120us)'),
      crossZone: d('const(600us)'),
      external: d('const(1ms)'),
      loadBalancerToBackend: d('const(60us)'),
      forwarding: d('const(15us)'),
    },
    clients,
  });
  return { ...spec, name: 'bench-datapath', simulation: simulation({ seed: 1, requests }) };
}

/** The same cluster for `duration` simulated seconds, with a rolling update of its 6 pods every 60 s. */
export function rolloutSpec(duration: number, rollouts: boolean): ModelSpec {
  const base = benchSpec();
  const sim = { ...base, simulation: simulation({ seed: 1, requests: null, duration }) };
  if (!rollouts) return sim;
  const lifecycle = { preStop: 5 };
  const template = withTimeline(sim, { events: [], lifecycle }).time!.deployments[0]!.template;
  const events: TimelineEvent[] = [];
  for (let at = 60; at < duration; at += 60) events.push({ at, kind: 'rollout', deployment: 'default/web', template });
  return withTimeline(sim, { events, lifecycle });
}

export async function run(): Promise<string[]> {
  // Warm the JIT on a short run first, so the figure is the steady state.
  simulate(benchSpec(100_000));
  const lines = await staticPath();
  lines.push(...(await dataPlanes()));
  lines.push(...(await meshPaths()));
  lines.push(...(await timelinePath()));
  return lines;
}

/**
 * The same topology and load under kube-proxy iptables and under Cilium (random + SNAT, Maglev + DSR),
 * in three alternating rounds of 500 k requests; the median requests per CPU second of each.
 */
async function dataPlanes(): Promise<string[]> {
  const planes: [string, BenchDataPlane][] = [
    ['kube-proxy iptables', 'iptables'],
    ['cilium random snat', cilium()],
    ['cilium maglev dsr', cilium({ algorithm: 'maglev', mode: 'dsr' })],
  ];
  const n = 500_000;
  for (const [, plane] of planes) simulate(benchSpec(50_000, plane));
  const rates = planes.map((): number[] => []);
  const gcs = planes.map(() => 0);
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < planes.length; i++) {
      const m = await measure(() => simulate(benchSpec(n, planes[i]![1])));
      rates[i]!.push(m.value.accounting.total.generated / m.cpuSeconds);
      gcs[i] = Math.max(gcs[i]!, m.minorGCs);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
  const base = median(rates[0]!);
  return [
    `data planes: the full path above, ${n.toLocaleString('en-US')} requests, 3 alternating rounds, requests per CPU second (median; rounds)`,
    ...planes.map(
      ([label], i) =>
        `  ${label}: ${fmtRate(median(rates[i]!))} (${((100 * median(rates[i]!)) / base).toFixed(0)} %; ${rates[i]!.map(fmtRate).join(', ')}; minor GCs at most ${gcs[i]})`,
    ),
  ];
}

/**
 * East-west through the same cluster: a client in a pod on each node calls the Service's cluster IP over
 * keep-alive connections (x100), through kube-proxy, or through Istio or Linkerd sidecars (every pod
 * meshed: a client hop and a server hop, their default hop latencies, per-request balancing).
 */
export function meshBenchSpec(requests: number, mesh: MeshKind | null): ModelSpec {
  const base = benchSpec(requests);
  const clients = base.nodes.map((n, i) =>
    client({
      name: `caller-${i}`,
      location: { kind: 'pod', node: n.name },
      target: { service: 'default/web', port: 80, via: 'clusterIP', nodes: [] },
      arrival: { kind: 'open', interarrival: d('exp(rate=1000/s)') },
      connection: { kind: 'keep-alive', requestsPerConnection: 100 },
      requestBytes: 800,
      responseBytes: 4000,
      timeout: 2,
      retries: 1,
    }),
  );
  const spec: ModelSpec = { ...base, clients };
  if (mesh === null) return spec;
  return {
    ...spec,
    mesh: {
      hopLatency: { istio: d(DEFAULT_HOP_LATENCY.istio), linkerd: d(DEFAULT_HOP_LATENCY.linkerd) },
      clients: clients.map((c) => ({ client: c.name, mesh, policy: defaultPolicy(mesh) })),
      pods: base.pods.map((p) => ({ pod: `${p.namespace}/${p.name}`, mesh })),
    },
  };
}

/**
 * kube-proxy, Istio and Linkerd on the east-west path, in 5 rounds that alternate the three in one process
 * (a slow spell of the shared machine then hits every one of a round): requests per CPU second, and each
 * mesh's rate over kube-proxy's of the same round (median and range of the 5 pairs).
 */
async function meshPaths(): Promise<string[]> {
  const kinds: [string, MeshKind | null][] = [
    ['kube-proxy (ClusterIP, conntrack)', null],
    ['istio sidecars (least request)', 'istio'],
    ['linkerd sidecars (peak EWMA)', 'linkerd'],
  ];
  const n = 500_000;
  const rounds = 5;
  for (const [, k] of kinds) simulate(meshBenchSpec(50_000, k));
  const rates = kinds.map((): number[] => []);
  const gcs = kinds.map(() => 0);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < kinds.length; i++) {
      const m = await measure(() => simulate(meshBenchSpec(n, kinds[i]![1])));
      rates[i]!.push(m.value.accounting.total.generated / m.cpuSeconds);
      gcs[i] = Math.max(gcs[i]!, m.minorGCs);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
  return [
    `mesh: pods on each node call the ClusterIP (keep-alive x100), ${n.toLocaleString('en-US')} requests, ${rounds} alternating rounds, requests per CPU second (median; rounds)`,
    ...kinds.map(([label], i) => {
      const ratios = rates[i]!.map((r, k) => r / rates[0]![k]!);
      const ratio = i === 0 ? '' : `; ${pct(median(ratios))} of kube-proxy (pairs ${pct(Math.min(...ratios))}-${pct(Math.max(...ratios))})`;
      return `  ${label}: ${fmtRate(median(rates[i]!))}${ratio}; rounds ${rates[i]!.map(fmtRate).join(', ')}; minor GCs at most ${gcs[i]}`;
    }),
  ];
}

async function timelinePath(): Promise<string[]> {
  const duration = 500;
  simulate(rolloutSpec(60, true));
  // Three rounds, static and timeline alternating, so that a slow spell of the machine hits both.
  const rate = (m: { value: RunResult; cpuSeconds: number }) => m.value.accounting.total.generated / m.cpuSeconds;
  const still: number[] = [];
  const moving: number[] = [];
  let last: RunResult | null = null;
  let lastStill: RunResult | null = null;
  for (let round = 0; round < 3; round++) {
    const s = await measure(() => simulate(rolloutSpec(duration, false)));
    const m = await measure(() => simulate(rolloutSpec(duration, true)));
    still.push(rate(s));
    moving.push(rate(m));
    last = m.value;
    lastStill = s.value;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
  const events = last!.events ?? [];
  const lost = events.reduce((a, e) => a + e.requestsLost, 0);
  return [
    `timeline: the same path for ${duration} s, static vs a rolling update every 60 s (${events.length} rollouts, preStop 5 s), 3 alternating rounds`,
    `  per CPU second, median: static ${fmtRate(median(still))} requests/s, with rollouts ${fmtRate(median(moving))} (${((100 * median(moving)) / median(still)).toFixed(0)} %)`,
    `  rounds: static ${still.map(fmtRate).join(', ')}; with rollouts ${moving.map(fmtRate).join(', ')}`,
    `  rollouts: ${lost} requests lost in all, ${last!.engine.events.toLocaleString('en-US')} events (static ${lastStill!.engine.events.toLocaleString('en-US')})`,
  ];
}

async function staticPath(): Promise<string[]> {
  const m = await measure(() => simulate(benchSpec()));
  // CPU time of the process while simulating: on a shared machine it is steadier than wall time.
  const cpuSeconds = m.cpuSeconds;
  const r = m.value;
  const n = r.accounting.total.generated;
  return [
    `full path (LB -> NodePort -> kube-proxy -> pod, 3 nodes / 6 pods, keep-alive x100): ${n.toLocaleString('en-US')} requests`,
    `  ${fmtRate(n / m.seconds)} requests/s, ${fmtRate(r.engine.events / m.seconds)} events/s, ${(r.engine.events / n).toFixed(2)} events/request, ${m.seconds.toFixed(3)} s wall`,
    `  per CPU second: ${fmtRate(n / cpuSeconds)} requests/s (${cpuSeconds.toFixed(3)} s CPU)`,
    `  simulated ${r.engine.simulatedSeconds.toFixed(1)} s, second-hop ${(r.paths.secondHopFraction ?? 0).toFixed(3)}, cross-zone ${(r.paths.crossZoneFraction ?? 0).toFixed(3)}, mean latency ${((r.latency.mean ?? 0) * 1e3).toFixed(3)} ms, p99 ${((r.latency.p99 ?? 0) * 1e3).toFixed(3)} ms`,
    `  connections ${r.engine.connectionsOpened.toLocaleString('en-US')}, peak requests in flight ${r.engine.peakRequestsInFlight}, minor GCs ${m.minorGCs}, major GCs ${m.majorGCs}`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of await run()) console.log(line);
}
