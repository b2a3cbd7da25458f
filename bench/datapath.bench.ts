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
import { behaviour, client, cluster, loadBalancer, simulation } from '../src/model/helpers/spec-builders.js';
import { withTimeline } from '../src/model/helpers/timeline-builders.js';
import type { TimelineEvent } from '../src/model/control/spec.js';
import type { RunResult } from '../src/model/result.js';
import type { ClientSpec, ModelSpec } from '../src/model/spec.js';
import { fmtRate, measure } from './measure.js';

const REQUESTS = 1_500_000;

export function benchSpec(requests = REQUESTS): ModelSpec {
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
    kubeProxy: { servicePorts: 500 },
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
  lines.push(...(await timelinePath()));
  return lines;
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
