/**
 * The whole data path (client -> NodePort -> kube-proxy -> pod -> back) against queueing theory, with zero
 * link latencies and zero proxy cost so that the pods' queues are all that is left.
 *
 * Tolerances follow test/engine/reference/queue-station.test.ts (same run lengths, same asymptotic
 * variances): a few standard errors of each estimate, so a data path that loses, reorders or mis-times
 * requests fails, an honest one does not.
 */
import { describe, expect, it } from 'vitest';
import {
  erlangC,
  mm1MeanSojourn,
  mm1SojournQuantile,
  mmcMeanSojourn,
} from '../../src/engine/reference/queueing-theory.js';
import { clusterSpec, expPods, expectWithin, FREE_PROXY, poissonClient, run } from './datapath-helpers.js';
import { binomialTolerance } from './statistics.js';

const MU = 1000; // service rate per server: exp(mean=1ms)

function singlePod(lambda: number, servers = 1) {
  return clusterSpec({
    podsPerNode: [1],
    service: { type: 'NodePort' },
    kubeProxy: FREE_PROXY,
    pod: expPods(1 / MU, servers),
    clients: [poissonClient(lambda)],
  });
}

describe('M/M/1 behind a NodePort', () => {
  it('ρ = 0.5: mean sojourn 1/(μ−λ) within 2 %, p50 = ln2 × mean and p99 = ln100 × mean within 3 %', () => {
    const lambda = 500;
    const r = run(singlePod(lambda), { requests: 500_000, warmup: 10 });
    expectWithin(r.latency.mean, mm1MeanSojourn(lambda, MU), 0.02, 'mean');
    expectWithin(r.latency.p50, mm1SojournQuantile(lambda, MU, 0.5), 0.03, 'p50');
    expectWithin(r.latency.p99, mm1SojournQuantile(lambda, MU, 0.99), 0.03, 'p99');
    expectWithin(r.pods[0]!.utilisation, 0.5, 0.02, 'utilisation');
    // Lq = ρ²/(1−ρ) = 0.5 (time average over the window).
    expectWithin(r.pods[0]!.meanQueueLength, 0.5, 0.05, 'mean queue length');
    expect(r.accounting.warmup.generated).toBeGreaterThan(4000);
    expect(r.accounting.total.completed).toBe(500_000);
  });

  it('ρ = 0.9: mean, p50 and p90 within 5 %, p99 within 10 % (2 M requests)', () => {
    // ρ = 0.9 is strongly autocorrelated: over six seeds at 2 M customers the engine test measured a spread
    // of 1.1 % (mean, p50, p90) and 3.5 % (p99); each tolerance is about three of those.
    const lambda = 900;
    const r = run(singlePod(lambda), { requests: 2_000_000, warmup: 50, seed: 3 });
    expectWithin(r.latency.mean, mm1MeanSojourn(lambda, MU), 0.05, 'mean');
    expectWithin(r.latency.p50, mm1SojournQuantile(lambda, MU, 0.5), 0.05, 'p50');
    expectWithin(r.latency.p90, mm1SojournQuantile(lambda, MU, 0.9), 0.05, 'p90');
    expectWithin(r.latency.p99, mm1SojournQuantile(lambda, MU, 0.99), 0.1, 'p99');
    expectWithin(r.pods[0]!.utilisation, 0.9, 0.02, 'utilisation');
  });
});

describe('M/M/c: one pod with concurrency 4', () => {
  it('mean sojourn and Erlang C (from the mean queue length) within 5 % at ρ = 0.8', () => {
    const lambda = 3200;
    const c = 4;
    const r = run(singlePod(lambda, c), { requests: 500_000, warmup: 5 });
    expectWithin(r.latency.mean, mmcMeanSojourn(lambda, MU, c), 0.03, 'mean sojourn');
    const rho = lambda / (c * MU);
    expectWithin(r.pods[0]!.utilisation, rho, 0.02, 'utilisation');
    // Lq = C(c, a) · ρ / (1 − ρ), so the measured queue length gives the waiting probability.
    const waitProbability = (r.pods[0]!.meanQueueLength! * (1 - rho)) / rho;
    expectWithin(waitProbability, erlangC(c, lambda / MU), 0.05, 'Erlang C');
    expectWithin(r.pods[0]!.meanBusyServers, lambda / MU, 0.02, 'busy servers = offered load');
  });
});

/**
 * E_k/M/1 (Erlang-k inter-arrivals): the sojourn is exponential with mean 1/(μ(1−σ)), σ the root in (0,1)
 * of σ = A*(μ(1−σ)), A*(s) = (kλ/(kλ+s))^k the Laplace transform of the inter-arrival time.
 */
function ekm1MeanSojourn(k: number, lambda: number, mu: number): number {
  let sigma = 0.5;
  for (let i = 0; i < 10_000; i++) sigma = ((k * lambda) / (k * lambda + mu * (1 - sigma))) ** k;
  return 1 / (mu * (1 - sigma));
}

describe('kube-proxy modes over k identical pods (ρ = 0.8 per pod, one node, new connection per request)', () => {
  const k = 4;
  const lambda = 0.8 * k * MU;
  const spec = (mode: 'iptables' | 'ipvs', ipvsScheduler: 'rr' | 'lc') =>
    clusterSpec({
      podsPerNode: [k],
      service: { type: 'NodePort' },
      kubeProxy: { ...FREE_PROXY, mode, ipvsScheduler },
      pod: expPods(1 / MU),
      clients: [poissonClient(lambda)],
    });
  const n = 400_000;
  const random = run(spec('iptables', 'rr'), { requests: n, warmup: 2 });
  const rr = run(spec('ipvs', 'rr'), { requests: n, warmup: 2 });
  const lc = run(spec('ipvs', 'lc'), { requests: n, warmup: 2 });

  it('iptables random splitting = k independent M/M/1 queues: mean sojourn within 5 %, shares binomial', () => {
    expectWithin(random.latency.mean, mm1MeanSojourn(lambda / k, MU), 0.05, 'mean sojourn');
    const total = random.paths.requests;
    for (const p of random.pods) {
      expect(Math.abs(p.requests - total / k)).toBeLessThan(binomialTolerance(total, 1 / k));
      expectWithin(p.utilisation, 0.8, 0.03, `${p.pod} utilisation`);
    }
  });

  it('IPVS rr on one node = E_k/M/1 per pod (within 3 %)', () => {
    expectWithin(rr.latency.mean, ekm1MeanSojourn(k, lambda / k, MU), 0.03, 'rr mean sojourn');
    for (const p of rr.pods) expect(Math.abs(p.requests - rr.paths.requests / k)).toBeLessThanOrEqual(1);
  });

  it('least connection beats round robin, which beats random; none beats the pooled M/M/k queue', () => {
    const pooled = mmcMeanSojourn(lambda, MU, k);
    expect(lc.latency.mean!).toBeLessThan(0.8 * rr.latency.mean!);
    expect(rr.latency.mean!).toBeLessThan(0.8 * random.latency.mean!);
    expect(lc.latency.mean!).toBeGreaterThan(pooled);
  });
});
