/**
 * Ingress controllers end to end: balancing per request against queueing theory (the supermarket model),
 * algorithms compared on heterogeneous pods, path routing shares, stickiness, retries, service-upstream,
 * the extra hop in the latency breakdown. Fixed seeds; tolerances stated per test.
 */
import { describe, expect, test } from 'vitest';
import type { RunResult } from '../../src/model/result.js';
import { requestClass } from '../../src/model/http/request.js';
import type { IngressAlgorithm, IngressBalancing, IngressControllerKind, ModelSpec, PodSpec } from '../../src/model/spec.js';
import {
  appPods,
  clusterIpService,
  controller,
  controllerPods,
  controllerService,
  httpClient,
  ingressTo,
} from './beyond-fixtures.js';
import { behaviour, dist, modelSpec, node } from './fixtures.js';
import { FREE_PROXY, expectWithin, run } from './datapath-helpers.js';

/** Mitzenmacher's supermarket model, d = 2: mean sojourn Σ_{i≥1} λ^(2^i − 2), in mean service times. */
export function supermarketSojourn(lambda: number): number {
  let t = 0;
  for (let i = 1; i < 64; i++) {
    const term = lambda ** (2 ** i - 2);
    t += term;
    if (term < 1e-15) break;
  }
  return t;
}

interface Setup {
  readonly backends: number;
  readonly algorithm?: IngressAlgorithm;
  /** The controller's implementation (default ingress-nginx). */
  readonly implementation?: IngressControllerKind;
  readonly balancing?: Partial<IngressBalancing>;
  readonly rate: number;
  /** Pod k's overrides. */
  readonly pod?: (k: number) => Partial<PodSpec>;
  readonly workers?: number;
  readonly controllers?: number;
  readonly processing?: string;
  readonly network?: Partial<ModelSpec['network']>;
}

function ingressSpec(s: Setup): ModelSpec {
  const nodes = [node('node-1', 'zone-a'), node('node-2', 'zone-a')];
  const ctrls = controllerPods(Array.from({ length: s.controllers ?? 1 }, () => 'node-1'), s.workers ?? 1, s.processing ?? 'const(0)');
  const backends = appPods('web', Array.from({ length: s.backends }, (_, k) => (k % 2 === 0 ? 'node-1' : 'node-2')), (k) => ({
    behaviour: behaviour({ concurrency: 1, queueCapacity: 1e9, serviceTime: dist('exp(mean=1ms)') }),
    ...(s.pod?.(k) ?? {}),
  }));
  return {
    ...modelSpec({
      nodes,
      pods: [...ctrls, ...backends],
      services: [controllerService(), clusterIpService('web')],
      clients: [httpClient(s.rate)],
      kubeProxy: FREE_PROXY,
      network: s.network ?? {},
    }),
    ingressControllers: [controller({ workers: s.workers ?? 1, loadBalance: s.algorithm ?? 'round_robin', implementation: s.implementation ?? 'ingress-nginx' })],
    ingresses: [ingressTo('web', s.balancing ?? {})],
  };
}

const backendPods = (r: RunResult) => r.pods.filter((p) => p.pod.startsWith('default/web-'));

describe('random two choices (NGINX Ingress Controller, `random two least_conn`): the supermarket model', () => {
  test('100 identical exponential servers at λ = 0.9: mean sojourn within 3 % of Σ λ^(2^i−2)', () => {
    const lambda = 0.9;
    const r = run(ingressSpec({ backends: 100, algorithm: 'random_two', implementation: 'nginx-inc', rate: 100 * lambda * 1000 }), { duration: 6, warmup: 1 });
    const theory = supermarketSojourn(lambda) * 1e-3; // 2.6136 ms
    // With zero link delays and a free controller, latency is the sojourn at the backend.
    expectWithin(r.latency.mean, theory, 0.03, 'mean sojourn');
    // ... and far below random assignment (M/M/1 at 0.9: 10 ms).
    expect(r.latency.mean!).toBeLessThan(3.5e-3);
    expect(r.latencyByStage!.podService.mean!).toBeCloseTo(1e-3, 4);
    expect(r.ingress!.upstreams[0]).toMatchObject({ algorithm: 'random_two', endpoints: 100 });
  });

  test('round robin and random at the same load are far from it (JSQ(2) is the point)', () => {
    const rnd = run(ingressSpec({ backends: 20, algorithm: 'random_two', implementation: 'nginx-inc', rate: 20 * 0.8 * 1000 }), { duration: 5, warmup: 1 });
    const rr = run(ingressSpec({ backends: 20, algorithm: 'round_robin', rate: 20 * 0.8 * 1000 }), { duration: 5, warmup: 1 });
    // M/M/1 at 0.8 would be 5 ms; round robin of Poisson arrivals is a near-D/M/1-like split: in between.
    expectWithin(rnd.latency.mean, supermarketSojourn(0.8) * 1e-3, 0.05, 'two choices at 0.8');
    expect(rr.latency.mean!).toBeGreaterThan(rnd.latency.mean!);
  });
});

describe('algorithms on pods of different speed', () => {
  // 4 pods, one at 0.4 speed: under an even split the slow one runs at 0.9, the others at 0.36.
  const slow = (k: number): Partial<PodSpec> => (k === 3 ? { behaviour: behaviour({ concurrency: 1, queueCapacity: 1e9, serviceTime: dist('exp(mean=1ms)'), speed: 0.4 }) } : {});
  const results = new Map<string, RunResult>();
  const net = { sameNode: dist('const(20us)'), sameZone: dist('const(100us)') };
  // ingress-nginx has round_robin and ewma; least_conn and random two are the NGINX Ingress Controller's.
  for (const a of ['round_robin', 'ewma'] as const) {
    results.set(a, run(ingressSpec({ backends: 4, algorithm: a, rate: 1440, pod: slow, network: net }), { duration: 30, warmup: 2 }));
  }
  for (const a of ['least_conn', 'random_two'] as const) {
    results.set(a, run(ingressSpec({ backends: 4, algorithm: a, implementation: 'nginx-inc', rate: 1440, pod: slow, network: net }), { duration: 30, warmup: 2 }));
  }
  // Plain random: the same pods behind kube-proxy (iptables, a connection per request), no ingress.
  const plain = ingressSpec({ backends: 4, rate: 1440, pod: slow, network: net });
  const direct = { ...plain.clients[0]!, http: null, target: { service: 'default/web', port: 80, via: 'clusterIP' as const, nodes: [] }, connection: { kind: 'per-request' as const } };
  results.set('random', run({ ...plain, clients: [direct] }, { duration: 30, warmup: 2 }));
  const p99 = (a: string) => results.get(a)!.latency.p99!;
  const slowShare = (a: string) => {
    const pods = backendPods(results.get(a)!);
    return pods[3]!.requests / pods.reduce((n, p) => n + p.requests, 0);
  };

  test('round robin and random send the slow pod its quarter; least_conn and ewma send it much less', () => {
    expect(slowShare('round_robin')).toBeCloseTo(0.25, 2);
    expect(Math.abs(slowShare('random') - 0.25)).toBeLessThan(0.01);
    expect(slowShare('least_conn')).toBeLessThan(0.2);
    expect(slowShare('ewma')).toBeLessThan(0.15);
  });

  test('least_conn and ewma beat round_robin and random on p99 (by at least 2x)', () => {
    for (const good of ['least_conn', 'ewma']) {
      for (const bad of ['round_robin', 'random']) expect(p99(good) * 2, `${good} vs ${bad}`).toBeLessThan(p99(bad));
    }
    // random_two (fewest in flight of two) adapts too.
    expect(p99('random_two') * 2).toBeLessThan(p99('round_robin'));
  });
});

describe('round robin is per worker', () => {
  test('one worker: an exact rotation (shares equal to the request)', () => {
    const r = run(ingressSpec({ backends: 5, rate: 500 }), { requests: 5000 });
    const shares = backendPods(r).map((p) => p.requests);
    expect(shares).toEqual([1000, 1000, 1000, 1000, 1000]);
  });

  test('several workers each rotate from a random start: still even overall, within 1 %', () => {
    const spec = ingressSpec({ backends: 5, rate: 500, workers: 4 });
    const r = run({ ...spec, clients: [{ ...spec.clients[0]!, connection: { kind: 'per-request' } }] }, { requests: 20000 });
    for (const p of backendPods(r)) expect(Math.abs(p.requests / 4000 - 1)).toBeLessThan(0.01);
  });
});

describe('weighted round robin (Kong targets)', () => {
  test('netsim/weight 1, 1, 2 as Kong target weights: shares 25/25/50 exactly (the wheel, one worker)', () => {
    const r = run(ingressSpec({ backends: 3, rate: 500, implementation: 'kong', pod: (k) => (k === 2 ? { weight: 2 } : {}) }), { requests: 4000 });
    expect(backendPods(r).map((p) => p.requests)).toEqual([1000, 1000, 2000]);
  });

  test('ingress-nginx forces every weight to 1 (util.get_nodes): the same pods get equal shares', () => {
    const r = run(ingressSpec({ backends: 3, rate: 500, pod: (k) => (k === 2 ? { weight: 2 } : {}) }), { requests: 3000 });
    expect(backendPods(r).map((p) => p.requests)).toEqual([1000, 1000, 1000]);
  });
});

describe('stickiness and hashing', () => {
  test('upstream-hash-by $remote_addr: one client address, one pod', () => {
    const r = run(ingressSpec({ backends: 4, rate: 1000, balancing: { upstreamHashBy: { kind: 'remote-addr' } } }), { requests: 2000 });
    expect(backendPods(r).filter((p) => p.requests > 0)).toHaveLength(1);
  });

  test('cookie affinity (balanced): every session sticks to one pod', () => {
    const spec = ingressSpec({ backends: 4, rate: 1000, balancing: { affinity: 'balanced' } });
    const r = run({ ...spec, clients: [{ ...spec.clients[0]!, http: { ...spec.clients[0]!.http!, sessions: 1 } }] }, { requests: 2000 });
    expect(backendPods(r).map((p) => p.requests).sort((a, b) => b - a)).toEqual([2000, 0, 0, 0]);
  });

  test('persistent affinity with many sessions spreads sessions, balanced hashing too (within 25 % of even)', () => {
    for (const affinity of ['persistent', 'balanced'] as const) {
      const r = run(ingressSpec({ backends: 4, rate: 1000, balancing: { affinity } }), { requests: 40000 });
      for (const p of backendPods(r)) expect(Math.abs(p.requests / 10000 - 1), affinity).toBeLessThan(0.25);
    }
  });

  test('upstream-hash-by $request_uri: each path always lands on the same pod', () => {
    const spec = ingressSpec({ backends: 4, rate: 1000, balancing: { upstreamHashBy: { kind: 'uri' } } });
    const paths = ['/a', '/b', '/c', '/d', '/e', '/f'].map((path) => ({ path, weight: 1 }));
    const r = run({ ...spec, clients: [{ ...spec.clients[0]!, http: { ...spec.clients[0]!.http!, requests: paths.map(requestClass) } }] }, { requests: 6000 });
    // 6 URIs over 4 pods: every pod's count is a sum of whole URIs (~1000 each).
    const loaded = backendPods(r).filter((p) => p.requests > 0);
    for (const p of loaded) expect(p.requests % 1000 < 150 || p.requests % 1000 > 850).toBe(true);
    expect(r.ingress!.upstreams[0]!.algorithm).toBe('chash');
  });
});

describe('routing through the Ingress', () => {
  test('the seeds\' example: /app1 70 %, /app2 30 %, each to its Service; a 404 for the rest', () => {
    const nodes = [node('node-1', 'zone-a')];
    const spec: ModelSpec = {
      ...modelSpec({
        nodes,
        pods: [...controllerPods(['node-1'], 2), ...appPods('app1-service', ['node-1', 'node-1']), ...appPods('app2-service', ['node-1'])],
        services: [controllerService(), clusterIpService('app1-service'), clusterIpService('app2-service')],
        clients: [
          httpClient(1000, {}, [
            { path: '/app1', weight: 0.6 },
            { path: '/app2/items', weight: 0.3 },
            { path: '/other', weight: 0.1 },
          ]),
        ],
        kubeProxy: FREE_PROXY,
      }),
      ingressControllers: [controller({ workers: 2 })],
      ingresses: [
        ingressTo('x', {}, [
          {
            host: 'example.com',
            paths: [
              { path: '/app1', pathType: 'Prefix', backend: { service: 'app1-service', port: 80 } },
              { path: '/app2', pathType: 'Prefix', backend: { service: 'app2-service', port: 80 } },
            ],
          },
        ]),
      ],
    };
    const r = run(spec, { requests: 20000 });
    const count = (prefix: string) => r.pods.filter((p) => p.pod.startsWith(`default/${prefix}`)).reduce((n, p) => n + p.requests, 0);
    const total = r.accounting.measured.generated;
    expect(Math.abs(count('app1-service') / total - 0.6)).toBeLessThan(0.015);
    expect(Math.abs(count('app2-service') / total - 0.3)).toBeLessThan(0.015);
    expect(r.accounting.measured.dropped['no-route']).toBe(r.ingress!.noRoute);
    expect(Math.abs(r.ingress!.noRoute / total - 0.1)).toBeLessThan(0.01);
    expect(r.ingress!.requests).toBe(total);
    expect(r.ingress!.upstreams.map((u) => u.service)).toEqual(['default/app1-service', 'default/app2-service']);
    // Each request reached two pods (controller and backend), except the 404s.
    expect(r.paths.requests).toBe(total + count('app1-service') + count('app2-service'));
  });

  test('the extra hop and the controller show in the breakdown; the stages add up to the latency', () => {
    const spec = ingressSpec({
      backends: 2,
      rate: 200,
      workers: 1,
      processing: 'const(200us)',
      network: { sameNode: dist('const(20us)'), sameZone: dist('const(100us)') },
    });
    const r = run(spec, { requests: 4000 });
    const st = r.latencyByStage!;
    expect(st.ingressProcessing.mean!).toBeCloseTo(200e-6, 9);
    expect(st.ingressQueue.mean!).toBeGreaterThan(0);
    // Client pod -> controller pod (same node: 2 × 20 us) and controller -> backend (same node 40 us or
    // another node 20 + 100 + 20 us), both ways: (40 + 90) × 2 = 260 us on average.
    expectWithin(st.network.mean, 260e-6, 0.03, 'network');
    const sum = ['dns', 'retries', 'ingressQueue', 'ingressProcessing', 'podQueue', 'podService', 'external', 'network']
      .map((k) => (st as unknown as Record<string, { mean: number | null; requests: number }>)[k]!)
      .reduce((a, s) => a + (s.mean ?? 0) * s.requests, 0);
    expect(sum / r.latency.count).toBeCloseTo(r.latency.mean!, 9);
    const shares = Object.values(st).reduce((a, s) => a + (s.share ?? 0), 0);
    expect(shares).toBeCloseTo(1, 9);
  });
});

describe('proxy-next-upstream and service-upstream', () => {
  test('a full pod refuses: the controller retries another endpoint (tries 3)', () => {
    // Pod 0 has no queue: it refuses while busy; the others take the retries.
    const spec = ingressSpec({
      backends: 3,
      rate: 2000,
      pod: (k) => (k === 0 ? { behaviour: behaviour({ concurrency: 1, queueCapacity: 0, serviceTime: dist('exp(mean=1ms)') }) } : {}),
      network: { sameNode: dist('const(20us)'), sameZone: dist('const(100us)') },
    });
    const r = run(spec, { requests: 20000 });
    expect(r.ingress!.upstreamRetries).toBeGreaterThan(1000);
    expect(r.pods.find((p) => p.pod === 'default/web-0')!.refused).toBe(r.ingress!.upstreamRetries);
    expect(r.accounting.measured.droppedTotal).toBe(0);
    // Each refused try costs the way from the controller to pod 0 on node-1, out of one pod and into the
    // other: 2 × 20 us = 40 us, in the retries stage of the request that made it (the refusal's way back is
    // not timed: docs/model.md, "Retries").
    const st = r.latencyByStage!;
    const retryTime = st.retries.mean! * st.retries.requests;
    expect(retryTime / r.ingress!.upstreamRetries).toBeCloseTo(40e-6, 12);
    expect(st.retries.share!).toBeCloseTo(retryTime / (r.latency.mean! * r.latency.count), 12);
  });

  test('service-upstream: kube-proxy picks per keep-alive upstream connection, so a light load sticks to few pods', () => {
    const per = run(ingressSpec({ backends: 6, rate: 100 }), { requests: 3000 });
    const up = run(ingressSpec({ backends: 6, rate: 100, balancing: { serviceUpstream: true } }), { requests: 3000 });
    const max = (r: RunResult) => Math.max(...backendPods(r).map((p) => p.requests)) / 3000;
    expect(max(per)).toBeCloseTo(1 / 6, 2);
    expect(max(up)).toBeGreaterThan(0.5); // one idle connection reused (LIFO) almost every time
    expect(up.ingress!.upstreams[0]!.algorithm).toBe('service-upstream');
    expect(backendPods(up).reduce((n, p) => n + p.connections, 0)).toBeLessThan(10);
  });
});
