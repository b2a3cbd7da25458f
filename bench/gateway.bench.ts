/**
 * Per-request (L7) balancing at speed: the data-path bench's cluster (3 nodes in 3 zones, 6 web pods,
 * external keep-alive clients behind an instance-target LB, constant links) with one proxy pod per node in
 * front of the web pods, reached through its own LoadBalancer Service:
 *
 *   - L4 only: the data-path bench itself (no proxy): the reference;
 *   - ingress-nginx (round_robin per worker): the L7 path as it was;
 *   - Envoy Gateway (an HTTPRoute; LeastRequest, two choices): the Gateway API path;
 *   - Envoy Gateway with a 90/10 weighted split and passive health checks (outlier detection on).
 *
 * Three alternating rounds of 500 k requests; the median requests per CPU second of each, and the most
 * minor GCs of a run (none beyond the first: nothing allocates per request). Run through `npm run bench`,
 * or `node dist/bench/run.js gateway`.
 */
import { parseDistribution as d } from '../src/engine/distributions/index.js';
import { ENVOY_GATEWAY_PASSIVE_DEFAULTS } from '../src/model/envoy/outlier.js';
import type { GatewayRouteSpec, RouteRuleSpec } from '../src/model/gateway/spec.js';
import { requestClass } from '../src/model/http/request.js';
import { behaviour, pod, service } from '../src/model/helpers/spec-builders.js';
import { simulate } from '../src/model/simulation.js';
import type { ModelSpec } from '../src/model/spec.js';
import { benchSpec } from './datapath.bench.js';
import { fmtRate, measure } from './measure.js';

type Path = 'l4' | 'ingress-nginx' | 'envoy-gateway' | 'envoy-gateway-split';

/** The data-path bench's spec with a proxy pod per node and the clients sent through it. */
export function l7BenchSpec(requests: number, path: Path): ModelSpec {
  const base = benchSpec(requests);
  if (path === 'l4') return base;
  const proxies = base.nodes.map((n, i) =>
    pod(`proxy-${i}`, n.name, {
      namespace: 'edge',
      labels: { app: 'proxy' },
      ip: `10.244.${200 + i}.2`,
      ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
      behaviour: behaviour({ concurrency: 2, queueCapacity: 4096, serviceTime: d('const(50us)') }),
    }),
  );
  const web = base.services[0]!;
  // The second backend of the split: the same pods under another Service.
  const canary = { ...web, name: 'web-canary', clusterIP: '10.96.0.99' };
  const front = service({
    ...web,
    name: 'proxy',
    namespace: 'edge',
    clusterIP: '10.96.0.88',
    selector: { app: 'proxy' },
    ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30088 }],
  });
  const requestsMix = [requestClass({ path: '/' })];
  const clients = base.clients.map((c) => ({
    ...c,
    target: { ...c.target, service: 'edge/proxy', port: 80 },
    http:
      path === 'ingress-nginx'
        ? { ingressClass: 'nginx', host: 'example.com', requests: requestsMix, sessions: 1000 }
        : { ingressClass: '', gateway: 'edge/eg', host: 'example.com', requests: requestsMix, sessions: 1000 },
  }));
  const spec: ModelSpec = { ...base, pods: [...base.pods, ...proxies], services: [web, canary, front], clients };
  if (path === 'ingress-nginx') {
    return {
      ...spec,
      ingressControllers: [{ className: 'nginx', isDefaultClass: true, service: 'edge/proxy', workers: 2, loadBalance: 'round_robin', upstreamKeepaliveRequests: 10000, nextUpstreamTries: 3 }],
      ingresses: [
        {
          name: 'web',
          namespace: 'default',
          className: 'nginx',
          defaultBackend: { service: 'web', port: 80 },
          rules: [],
          balancing: { loadBalance: null, upstreamHashBy: null, affinity: null, serviceUpstream: false, nextUpstreamTries: 3 },
        },
      ],
    };
  }
  const split = path === 'envoy-gateway-split';
  const rule: RouteRuleSpec = {
    matches: [{ match: { path: { type: 'PathPrefix', value: '/' } } }],
    backends: split
      ? [
          { namespace: 'default', service: 'web', port: 80, weight: 90 },
          { namespace: 'default', service: 'web-canary', port: 80, weight: 10 },
        ]
      : [{ namespace: 'default', service: 'web', port: 80, weight: 1 }],
    requestTimeout: null,
    backendRequestTimeout: null,
    retry: null,
    policy: split ? { name: 'default/p', loadBalancer: null, retry: null, outlier: ENVOY_GATEWAY_PASSIVE_DEFAULTS } : null,
  };
  const route: GatewayRouteSpec = { kind: 'HTTPRoute', name: 'web', namespace: 'default', parents: [{ gateway: 'edge/eg', sectionName: null, port: null }], hostnames: [], rules: [rule], created: 0 };
  return {
    ...spec,
    gateways: [{ name: 'eg', namespace: 'edge', className: 'eg', implementation: 'envoy-gateway', service: 'edge/proxy', workers: 2, listeners: [{ name: 'http', port: 80, hostname: null }] }],
    gatewayRoutes: [route],
  };
}

export async function run(): Promise<string[]> {
  const paths: [string, Path][] = [
    ['L4 only (no proxy)', 'l4'],
    ['ingress-nginx round_robin', 'ingress-nginx'],
    ['Envoy Gateway LeastRequest', 'envoy-gateway'],
    ['Envoy Gateway 90/10 + outlier detection', 'envoy-gateway-split'],
  ];
  const n = 500_000;
  for (const [, p] of paths) simulate(l7BenchSpec(100_000, p)); // warm the JIT on every path
  const rates = paths.map((): number[] => []);
  const gcs = paths.map(() => 0);
  const eventsPer = paths.map(() => 0);
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < paths.length; i++) {
      const m = await measure(() => simulate(l7BenchSpec(n, paths[i]![1])));
      rates[i]!.push(m.value.accounting.total.generated / m.cpuSeconds);
      gcs[i] = Math.max(gcs[i]!, m.minorGCs);
      eventsPer[i] = m.value.engine.events / m.value.accounting.total.generated;
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
  const l4 = median(rates[0]!);
  const l7 = median(rates[1]!);
  return [
    `L7 (per-request) choice: the data-path bench's cluster, a proxy pod per node, ${n.toLocaleString('en-US')} requests, 3 alternating rounds, requests per CPU second (median; % of L4 only; % of ingress-nginx; events per request; rounds)`,
    ...paths.map(
      ([label], i) =>
        `  ${label}: ${fmtRate(median(rates[i]!))} (${((100 * median(rates[i]!)) / l4).toFixed(0)} %; ${((100 * median(rates[i]!)) / l7).toFixed(0)} %; ${eventsPer[i]!.toFixed(2)} events; ${rates[i]!.map(fmtRate).join(', ')}; minor GCs at most ${gcs[i]})`,
    ),
  ];
}
