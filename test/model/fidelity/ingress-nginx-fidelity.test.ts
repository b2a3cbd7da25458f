/**
 * ingress-nginx against its Lua balancer (kubernetes/ingress-nginx `rootfs/etc/nginx/lua/balancer.lua` and
 * `balancer/*.lua`; issue 17, items 1 and 8). Tests go through the IngressRuntime (the balancer of each
 * upstream) and the data path, so they state behaviour, not a class's internals.
 */
import { describe, expect, test } from 'vitest';
import { RandomStreams } from '../../../src/engine/random.js';
import { ClusterIndex } from '../../../src/model/cluster-index.js';
import { IngressRuntime } from '../../../src/model/ingress/controller.js';
import type { RunResult } from '../../../src/model/result.js';
import type { IngressAlgorithm, IngressBalancing, ModelSpec, PodSpec } from '../../../src/model/spec.js';
import { appPods, clusterIpService, controller, controllerPods, controllerService, httpClient, ingressTo } from '../beyond-fixtures.js';
import { behaviour, dist, modelSpec, node } from '../fixtures.js';
import { FREE_PROXY, run } from '../datapath-helpers.js';

function spec(backends: number, balancing: Partial<IngressBalancing>, loadBalance: IngressAlgorithm = 'round_robin', pod?: (k: number) => Partial<PodSpec>): ModelSpec {
  return {
    ...modelSpec({
      nodes: [node('node-1', 'zone-a'), node('node-2', 'zone-a')],
      pods: [
        ...controllerPods(['node-1'], 1),
        ...appPods('web', Array.from({ length: backends }, (_, k) => (k % 2 === 0 ? 'node-1' : 'node-2')), (k) => ({
          behaviour: behaviour({ concurrency: 1, queueCapacity: 1e9, serviceTime: dist('exp(mean=1ms)') }),
          ...(pod?.(k) ?? {}),
        })),
      ],
      services: [controllerService(), clusterIpService('web')],
      clients: [httpClient(1000)],
      kubeProxy: FREE_PROXY,
      network: { sameNode: dist('const(20us)'), sameZone: dist('const(100us)') },
    }),
    ingressControllers: [controller({ workers: 1, loadBalance })],
    ingresses: [ingressTo('web', balancing)],
  };
}

function runtime(s: ModelSpec): IngressRuntime {
  return new IngressRuntime(s, new ClusterIndex(s), new RandomStreams(1), 1000);
}

const backendPods = (r: RunResult) => r.pods.filter((p) => p.pod.startsWith('default/web-'));

describe('ingress-nginx has round_robin and ewma only', () => {
  test('load-balance: least_conn falls back to round_robin (balancer.lua get_implementation): the same p99 as round_robin', () => {
    // 4 pods, one at 0.4 speed: the old model offered least_conn here and "improved" p99 about 5-fold.
    const slow = (k: number): Partial<PodSpec> => (k === 3 ? { behaviour: behaviour({ concurrency: 1, queueCapacity: 1e9, serviceTime: dist('exp(mean=1ms)'), speed: 0.4 }) } : {});
    const rate = { clients: [httpClient(1440)] };
    const rr = run({ ...spec(4, {}, 'round_robin', slow), ...rate }, { duration: 20, warmup: 2 });
    const lc = run({ ...spec(4, {}, 'least_conn', slow), ...rate }, { duration: 20, warmup: 2 });
    expect(lc.latency.p99).toBe(rr.latency.p99);
    expect(backendPods(lc).map((p) => p.requests)).toEqual(backendPods(rr).map((p) => p.requests));
    expect(lc.ingress!.upstreams[0]!.algorithm).toBe('round_robin');
  });
});

describe('ewma', () => {
  test('the first response sets the EWMA to that response time (state starts at the epoch)', () => {
    const rt = runtime(spec(2, {}, 'ewma'));
    const b = rt.upstreams[0]!.balancer;
    // Endpoint 0 answers in 1 s at t = 0.1; endpoint 1 in 0.2 s at t = 10. At t = 10 endpoint 0's score is
    // 1 × e^(−0.99) = 0.37 > 0.2: endpoint 1 wins. (Counting a phantom 0 at t = 0, as the old model did,
    // gave endpoint 0 about 0.004 against 0.13 for endpoint 1.)
    b.done(0, 0, 0.1, 1.0);
    b.done(0, 1, 10, 0.2);
    const rng = () => 0.5;
    expect(b.pick(0, 0, rng, 10, -1, 0, 0, 0)).toBe(1);
  });
});

describe('hashing and cookies', () => {
  test('chash: a retry goes to the same pod again (no avoidance)', () => {
    const b = runtime(spec(4, { upstreamHashBy: { kind: 'uri' } })).upstreams[0]!.balancer;
    const first = b.pick(0, 0, Math.random, 0, -1, 12345, 0, 0);
    expect(b.pick(0, 0, Math.random, 0, first, 12345, 0, 0)).toBe(first);
  });

  test('chash end to end: a busy hashed pod fails the request after its tries, the other pods get nothing', () => {
    const busy = () => ({ behaviour: behaviour({ concurrency: 1, queueCapacity: 0, serviceTime: dist('exp(mean=1ms)') }) });
    const r = run({ ...spec(3, { upstreamHashBy: { kind: 'uri' } }, 'round_robin', busy), clients: [httpClient(600)] }, { requests: 6000 });
    expect(backendPods(r).filter((p) => p.requests > 0)).toHaveLength(1);
    expect(r.accounting.measured.dropped['queue-full']).toBeGreaterThan(0);
  });

  test('persistent cookies: a new session gets a uniformly random endpoint, not the next in round robin', () => {
    // 8 sessions' first requests on 8 pods: round robin gives each pod exactly one (the old model); random
    // placement leaves some pod without a session with probability 1 − 8!/8^8 = 99.8 %.
    const b = runtime(spec(8, { affinity: 'persistent' })).upstreams[0]!.balancer;
    const rng = new RandomStreams(3).stream('t');
    const endpoints = Array.from({ length: 8 }, (_, s) => b.pick(0, 0, rng, 0, -1, 0, 0, s));
    expect(new Set(endpoints).size).toBeLessThan(8);
    // ...and the session then sticks.
    expect(Array.from({ length: 8 }, (_, s) => b.pick(0, 0, rng, 1, -1, 0, 0, s))).toEqual(endpoints);
  });
});
