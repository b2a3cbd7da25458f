/**
 * The NGINX Ingress Controller's and Kong's balancing against queueing theory and their code (nginx
 * `ngx_http_upstream_least_conn_module.c`, `ngx_http_upstream_random_module.c`; Kong
 * `kong/runloop/balancer/*.lua`).
 *
 * Least connections from one dispatcher is join-the-shortest-queue over N identical exponential servers:
 * its mean sojourn lies between the M/M/N central queue (Erlang C, a lower bound no per-server queue can
 * beat) and the supermarket model's two random choices (JSQ(2) ≥ JSQ(N)).
 */
import { describe, expect, test } from 'vitest';
import { RandomStreams } from '../../../src/engine/random.js';
import { mmcMeanSojourn } from '../../../src/engine/reference/queueing-theory.js';
import { ClusterIndex } from '../../../src/model/cluster-index.js';
import { IngressRuntime } from '../../../src/model/ingress/controller.js';
import type { IngressAlgorithm, IngressControllerKind, ModelSpec, PodSpec } from '../../../src/model/spec.js';
import { appPods, clusterIpService, controller, controllerPods, controllerService, httpClient, ingressTo } from '../beyond-fixtures.js';
import { behaviour, dist, modelSpec, node } from '../fixtures.js';
import { FREE_PROXY, run } from '../datapath-helpers.js';

/** Mitzenmacher's supermarket model, d = 2 (N → ∞): mean sojourn Σ_{i≥1} λ^(2^i − 2), in mean service times. */
function supermarketSojourn(lambda: number): number {
  let t = 0;
  for (let i = 1; i < 64; i++) t += lambda ** (2 ** i - 2);
  return t;
}

function spec(kind: IngressControllerKind, algorithm: IngressAlgorithm, backends: number, rate: number, extra: { hashOn?: 'uri'; pod?: (k: number) => Partial<PodSpec> } = {}): ModelSpec {
  return {
    ...modelSpec({
      nodes: [node('node-1', 'zone-a')],
      pods: [
        ...controllerPods(['node-1'], 1),
        ...appPods('web', Array.from({ length: backends }, () => 'node-1'), (k) => ({
          behaviour: behaviour({ concurrency: 1, queueCapacity: 1e9, serviceTime: dist('exp(mean=1ms)') }),
          ...(extra.pod?.(k) ?? {}),
        })),
      ],
      services: [controllerService(), clusterIpService('web')],
      clients: [httpClient(rate)],
      kubeProxy: FREE_PROXY,
    }),
    ingressControllers: [controller({ workers: 1, loadBalance: algorithm, implementation: kind, ...(extra.hashOn ? { hashOn: { kind: 'uri' as const } } : {}) })],
    ingresses: [ingressTo('web')],
  };
}

describe('least connections is JSQ: between M/M/N and the supermarket model', () => {
  const N = 10;
  const lambda = 0.9;
  const lower = mmcMeanSojourn(N * lambda * 1000, 1000, N); // 1.67 ms
  const upper = supermarketSojourn(lambda) * 1e-3; // 2.61 ms (N → ∞; for N = 10 JSQ(2) is a little better)
  for (const [kind, algorithm] of [['nginx-inc', 'least_conn'], ['kong', 'least_conn']] as const) {
    test(`${kind} ${algorithm}: ${N} exponential servers at ρ = ${lambda}`, () => {
      const r = run(spec(kind, algorithm, N, N * lambda * 1000), { duration: 8, warmup: 1 });
      expect(r.latency.mean!).toBeGreaterThan(lower * 0.98);
      expect(r.latency.mean!).toBeLessThan(upper);
    });
  }

  test('nginx-inc random two least_conn: worse than JSQ(N), far better than random (M/M/1: 10 ms)', () => {
    // With N = 10 the finite-N JSQ(2) sits above the N → ∞ supermarket figure; the 100-server test in
    // datapath-ingress.test.ts matches that figure within 3 %.
    const jsq = run(spec('nginx-inc', 'least_conn', N, N * lambda * 1000), { duration: 8, warmup: 1 });
    const r = run(spec('nginx-inc', 'random_two', N, N * lambda * 1000), { duration: 8, warmup: 1 });
    expect(r.latency.mean!).toBeGreaterThan(jsq.latency.mean!);
    expect(r.latency.mean!).toBeGreaterThan(upper * 0.98);
    expect(r.latency.mean!).toBeLessThan(4e-3);
  });
});

describe('NGINX Ingress Controller (nginx upstream methods)', () => {
  test('random two: on a tie the second draw wins (get_random2_peer keeps the first only when the second is busier)', () => {
    const s = spec('nginx-inc', 'random_two', 4, 100);
    const b = new IngressRuntime(s, new ClusterIndex(s), new RandomStreams(1), 1000).upstreams[0]!.balancer;
    const draws = [0.1, 0.6]; // peers 0 and 2, both idle
    let i = 0;
    expect(b.pick(0, 0, () => draws[i++]!, 0, -1, 0, 0, 0)).toBe(2);
  });

  test('round_robin is shared by the workers of a pod (upstream zone): an exact rotation with 4 workers', () => {
    // A connection per request: the requests spread over the 4 workers. Per-worker rotations (ingress-nginx,
    // Kong) would not add up to an exact rotation; nginx's shared peer state does.
    const base = spec('nginx-inc', 'round_robin', 5, 500);
    const perRequest = { ...base, clients: [{ ...base.clients[0]!, connection: { kind: 'per-request' as const } }] };
    const shares = (kind: IngressControllerKind) => {
      const r = run({ ...perRequest, ingressControllers: [{ ...base.ingressControllers![0]!, workers: 4, implementation: kind }] }, { requests: 5000 });
      return r.pods.filter((p) => p.pod.startsWith('default/web-')).map((p) => p.requests);
    };
    expect(shares('nginx-inc')).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(shares('ingress-nginx')).not.toEqual([1000, 1000, 1000, 1000, 1000]);
  });

  test('max_fails 1 / fail_timeout 10 s: a refused pod is left alone for 10 s', () => {
    const s = spec('nginx-inc', 'round_robin', 3, 100);
    const b = new IngressRuntime(s, new ClusterIndex(s), new RandomStreams(1), 1000).upstreams[0]!.balancer;
    b.sent(0, 0);
    b.done(0, 0, 1, -1); // refused at t = 1
    const picks = Array.from({ length: 6 }, () => b.pick(0, 0, Math.random, 5, -1, 0, 0, 0));
    expect(picks).not.toContain(0);
    expect(Array.from({ length: 3 }, () => b.pick(0, 0, Math.random, 11.5, -1, 0, 0, 0))).toContain(0);
  });
});

describe('Kong', () => {
  test('consistent-hashing: a retry keeps the hash, so it goes to the same target', () => {
    const s = spec('kong', 'round_robin', 4, 100, { hashOn: 'uri' });
    const b = new IngressRuntime(s, new ClusterIndex(s), new RandomStreams(1), 1000).upstreams[0]!.balancer;
    const first = b.pick(0, 0, Math.random, 0, -1, 987654, 0, 0);
    expect(b.pick(0, 0, Math.random, 0, first, 987654, 0, 0)).toBe(first);
  });

  test('latency: the full scan sends everything to the lowest EWMA (released versions, Kong/kong#14961)', () => {
    const s = spec('kong', 'latency', 3, 100);
    const b = new IngressRuntime(s, new ClusterIndex(s), new RandomStreams(1), 1000).upstreams[0]!.balancer;
    b.done(0, 0, 1, 0.05, 0);
    b.done(0, 1, 1, 0.01, 0);
    b.done(0, 2, 1, 0.03, 0);
    expect(Array.from({ length: 5 }, () => b.pick(0, 0, Math.random, 1, -1, 0, 0, 0))).toEqual([1, 1, 1, 1, 1]);
  });
});
