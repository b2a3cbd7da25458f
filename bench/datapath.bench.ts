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
import type { ClientSpec, ModelSpec, NodeSpec, PodSpec } from '../src/model/spec.js';
import { fmtRate, measure } from './measure.js';

const REQUESTS = 1_500_000;

export function benchSpec(requests = REQUESTS): ModelSpec {
  const zones = ['zone-a', 'zone-b', 'zone-c'];
  const nodes: NodeSpec[] = zones.map((zone, i) => ({
    name: `node-${i + 1}`,
    zone,
    ip: `10.0.0.${i + 1}`,
    labels: { 'topology.kubernetes.io/zone': zone },
    cpu: 8,
  }));
  const pods: PodSpec[] = [];
  for (let i = 0; i < 6; i++) {
    pods.push({
      name: `web-${i}`,
      namespace: 'default',
      labels: { app: 'web' },
      nodeName: nodes[i % 3]!.name,
      ip: `10.244.${i % 3}.${i + 2}`,
      ready: true,
      terminating: false,
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      behaviour: { concurrency: 2, queueCapacity: 1000, serviceTime: d('exp(mean=2ms)'), speed: 1 },
    });
  }
  const clients: ClientSpec[] = zones.map((zone, i) => ({
    name: `users-${i}`,
    location: { kind: 'external', zone },
    target: { service: 'default/web', port: 80, via: 'loadBalancer', nodes: [] },
    arrival: { kind: 'open', interarrival: d('exp(rate=1000/s)') },
    connection: { kind: 'keep-alive', requestsPerConnection: 100 },
    sourceIPs: 50,
    requestBytes: 800,
    responseBytes: 4000,
    timeout: 2,
    retries: 1,
  }));
  return {
    name: 'bench-datapath',
    nodes,
    network: {
      sameNode: d('const(20us)'),
      sameZone: d('const(120us)'),
      crossZone: d('const(600us)'),
      external: d('const(1ms)'),
      loadBalancerToBackend: d('const(60us)'),
      forwarding: d('const(15us)'),
      crossZoneCostPerGB: 0.02,
    },
    kubeProxy: { mode: 'iptables', ipvsScheduler: 'rr', servicePorts: 500, conntrackMax: 262144 },
    pods,
    services: [
      {
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
        loadBalancer: {
          kind: 'instance',
          crossZone: true,
          zones: [],
          processing: d('const(30us)'),
          healthCheck: { interval: 10, healthyThreshold: 3, unhealthyThreshold: 3 },
        },
      },
    ],
    clients,
    simulation: { seed: 1, duration: null, requests, warmup: 0 },
  };
}

export async function run(): Promise<string[]> {
  // Warm the JIT on a short run first, so the figure is the steady state.
  simulate(benchSpec(100_000));
  const cpu0 = process.cpuUsage();
  const m = await measure(() => simulate(benchSpec()));
  const cpu = process.cpuUsage(cpu0);
  // CPU time of this process (user + system) while simulating, less the ~50 ms measure() waits for GC
  // entries: on a shared machine it is steadier than wall time.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
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
