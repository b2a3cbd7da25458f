/**
 * Gateway API through the data path (simulate() end to end): Envoy Gateway's least request against the
 * supermarket model, weighted backendRefs against their binomial bounds, a failing pod's outlier ejection
 * and retries, route timeouts. Fixed seeds; tolerances stated per test.
 */
import { describe, expect, test } from 'vitest';
import { ENVOY_GATEWAY_PASSIVE_DEFAULTS } from '../../../src/model/envoy/outlier.js';
import { ENVOY_GATEWAY_RETRY_DEFAULTS } from '../../../src/model/envoy/retry.js';
import type { RouteRuleSpec } from '../../../src/model/gateway/spec.js';
import type { RunResult } from '../../../src/model/result.js';
import { deterministicPart, expectWithin, run } from '../datapath-helpers.js';
import { behaviour, dist } from '../fixtures.js';
import { gatewaySpec, httpRoute, rule } from './gateway-fixtures.js';

/** Mitzenmacher's supermarket model, d = 2 (the figure the Ingress tests use): Σ_{i≥1} λ^(2^i − 2) mean service times. */
function supermarketSojourn(lambda: number): number {
  let t = 0;
  for (let i = 1; i < 64; i++) t += lambda ** (2 ** i - 2);
  return t;
}

/** Requests served by the pods of `app`. */
function served(r: RunResult, app: string): number {
  return r.pods.filter((p) => p.pod.startsWith(`default/${app}-`)).reduce((a, p) => a + p.requests, 0);
}

describe('Envoy Gateway default: least request with two choices (the supermarket model)', () => {
  test('100 identical exponential servers at λ = 0.9: mean sojourn within 3 % of Σ λ^(2^i−2)', () => {
    const lambda = 0.9;
    const r = run(gatewaySpec({ apps: { web: 100 }, routes: [httpRoute('r', [rule([{ service: 'web' }])])], rate: 100 * lambda * 1000 }), { duration: 6, warmup: 1 });
    // Zero links and a free gateway: latency is the backend sojourn. Envoy draws with replacement
    // (1 % of pairs are one host twice at N = 100), which the tolerance covers.
    expectWithin(r.latency.mean, supermarketSojourn(lambda) * 1e-3, 0.03, 'mean sojourn');
    expect(r.ingress!.upstreams[0]).toMatchObject({ algorithm: 'LeastRequest', endpoints: 100 });
  });

  test('round robin at the same load is far from it (M/M/1-like split)', () => {
    const lr = run(gatewaySpec({ apps: { web: 20 }, routes: [httpRoute('r', [rule([{ service: 'web' }])])], rate: 20 * 0.8 * 1000 }), { duration: 5, warmup: 1 });
    const rr = run(
      gatewaySpec({ apps: { web: 20 }, routes: [httpRoute('r', [rule([{ service: 'web' }], { policy: { name: 'default/rr', loadBalancer: { kind: 'round-robin' }, retry: null, outlier: null } })])], rate: 20 * 0.8 * 1000 }),
      { duration: 5, warmup: 1 },
    );
    // With replacement, one host twice is 1 pair in 20 at N = 20: a little above the model (measured +5 %).
    expectWithin(lr.latency.mean, supermarketSojourn(0.8) * 1e-3, 0.08, 'two choices at 0.8');
    expect(rr.latency.mean!).toBeGreaterThan(1.3 * lr.latency.mean!);
    expect(rr.ingress!.upstreams[0]!.algorithm).toBe('RoundRobin');
  });
});

describe('weighted backendRefs: a 90/10 canary', () => {
  const routes = [httpRoute('canary', [rule([{ service: 'stable', weight: 90 }, { service: 'canary', weight: 10 }])])];

  test('Envoy Gateway (localities, EDF per worker): the canary share is 10 % within the binomial 3σ bound', () => {
    const r = run(gatewaySpec({ apps: { stable: 4, canary: 2 }, routes, rate: 2000, workers: 4 }), { duration: 5 });
    const n = served(r, 'stable') + served(r, 'canary');
    const share = served(r, 'canary') / n;
    const sigma = Math.sqrt((0.1 * 0.9) / n);
    expect(Math.abs(share - 0.1)).toBeLessThan(3 * sigma);
    // EDF is deterministic per worker: far tighter than a coin flip per request.
    expect(Math.abs(share - 0.1)).toBeLessThan(0.005);
    expect(r.ingress!.upstreams).toHaveLength(1);
    expect(r.ingress!.upstreams[0]!.service).toBe('default/stable,default/canary');
  });

  test('NGINX Gateway Fabric (split_clients per request): within the binomial 3σ bound, and not exact', () => {
    const r = run(gatewaySpec({ apps: { stable: 4, canary: 2 }, routes, rate: 2000, implementation: 'nginx-gateway-fabric' }), { duration: 5 });
    const n = served(r, 'stable') + served(r, 'canary');
    const share = served(r, 'canary') / n;
    expect(Math.abs(share - 0.1)).toBeLessThan(3 * Math.sqrt((0.1 * 0.9) / n));
    expect(served(r, 'canary')).not.toBe(n / 10);
    // One nginx upstream per backend, each `random two least_conn`.
    expect(r.ingress!.upstreams.map((u) => [u.service, u.algorithm])).toEqual([
      ['default/stable', 'random_two'],
      ['default/canary', 'random_two'],
    ]);
  });
});

describe('a pod failing every request (netsim/error-rate: 100 %)', () => {
  const failing = (app: string, k: number) => (app === 'web' && k === 0 ? { behaviour: behaviour({ concurrency: 1, queueCapacity: 1e9, serviceTime: dist('exp(mean=1ms)'), errorRate: 1 }) } : {});
  const spec = (policy: RouteRuleSpec['policy']) =>
    gatewaySpec({ apps: { web: 10 }, routes: [httpRoute('r', [rule([{ service: 'web' }], { policy })])], rate: 1000, pod: failing });

  test('without a policy: its share of requests comes back as server-error, nothing retries', () => {
    const r = run(spec(null), { duration: 10 });
    const failed = r.accounting.total.dropped['server-error'];
    expect(failed).toBe(r.pods.find((p) => p.pod === 'default/web-0')!.requests);
    expect(failed / r.accounting.total.generated).toBeGreaterThan(0.08);
  });

  test('passive health check: ejected after 5 failures for 30 s × n, so it serves 5 requests per ejection', () => {
    const r = run(spec({ name: 'default/p', loadBalancer: null, retry: null, outlier: ENVOY_GATEWAY_PASSIVE_DEFAULTS }), { duration: 100 });
    // Ejected at ≈0 s for 30 s (back at the 33 s tick), at ≈33 s for 60 s (back at 96 s), at ≈96 s for 90 s:
    // each time exactly 5 failures (10 hosts, 10 %: one may be out) eject it again.
    const errors = r.accounting.total.dropped['server-error'];
    expect(errors).toBe(15);
    expect(r.pods.find((p) => p.pod === 'default/web-0')!.requests).toBe(15);
  });

  test('with retries (BackendTrafficPolicy retry, triggers 5xx): every failure is retried elsewhere', () => {
    const retry = { ...ENVOY_GATEWAY_RETRY_DEFAULTS, on5xx: true };
    const r = run(spec({ name: 'default/p', loadBalancer: null, retry, outlier: null }), { duration: 10 });
    expect(r.accounting.total.dropped['server-error']).toBe(0);
    expect(r.ingress!.upstreamRetries).toBe(r.pods.find((p) => p.pod === 'default/web-0')!.requests);
  });

  test('the default retry triggers (connect-failure, refused-stream, 503...) do not retry a 500', () => {
    const r = run(spec({ name: 'default/p', loadBalancer: null, retry: ENVOY_GATEWAY_RETRY_DEFAULTS, outlier: null }), { duration: 5 });
    expect(r.accounting.total.dropped['server-error']).toBeGreaterThan(0);
    expect(r.ingress!.upstreamRetries).toBe(0);
  });
});

describe('route timeouts', () => {
  test('timeouts.request 5 ms over 10 ms service: every request gets 504 (gateway-timeout), none completes', () => {
    const slow = () => ({ behaviour: behaviour({ concurrency: 100, queueCapacity: 1e9, serviceTime: dist('const(10ms)') }) });
    const r = run(gatewaySpec({ apps: { web: 2 }, routes: [httpRoute('r', [rule([{ service: 'web' }], { requestTimeout: 0.005 })])], rate: 200, pod: slow }), { duration: 2 });
    expect(r.accounting.total.completed).toBe(0);
    expect(r.accounting.total.dropped['gateway-timeout']).toBe(r.accounting.total.generated - r.accounting.total.inFlight);
    // The pods still did the work (Envoy resets the upstream stream; the model's pod finishes it).
    expect(served(r, 'web')).toBeGreaterThan(300);
  });

  test('a timeout longer than the service time changes nothing', () => {
    const r = run(gatewaySpec({ apps: { web: 2 }, routes: [httpRoute('r', [rule([{ service: 'web' }], { requestTimeout: 1, backendRequestTimeout: 0.5 })])], rate: 200 }), { duration: 2 });
    expect(r.accounting.total.dropped['gateway-timeout']).toBe(0);
  });
});

describe('routing', () => {
  test('no matching rule: 404 (no-route)', () => {
    const routes = [httpRoute('r', [rule([{ service: 'web' }], { matches: [{ match: { path: { type: 'Exact', value: '/only' } } }] })])];
    const r = run(gatewaySpec({ apps: { web: 2 }, routes, rate: 100 }), { duration: 1 });
    expect(r.accounting.total.dropped['no-route']).toBe(r.accounting.total.generated);
  });
});

describe('determinism', () => {
  test('same input and seed: identical results (Envoy locality EDF, least request, outlier detection, retries)', () => {
    const failing = (app: string, k: number) => (app === 'stable' && k === 0 ? { behaviour: behaviour({ concurrency: 1, queueCapacity: 1e9, serviceTime: dist('exp(mean=1ms)'), errorRate: 0.5 }) } : {});
    const policy = { name: 'default/p', loadBalancer: null, retry: { ...ENVOY_GATEWAY_RETRY_DEFAULTS, on5xx: true }, outlier: ENVOY_GATEWAY_PASSIVE_DEFAULTS };
    const spec = gatewaySpec({ apps: { stable: 10, canary: 2 }, routes: [httpRoute('r', [rule([{ service: 'stable', weight: 90 }, { service: 'canary', weight: 10 }], { policy })])], rate: 2000, pod: failing, workers: 2 });
    const a = run(spec, { duration: 3 });
    const b = run(spec, { duration: 3 });
    expect(JSON.stringify(deterministicPart(a))).toBe(JSON.stringify(deterministicPart(b)));
    expect(a.ingress!.upstreamRetries).toBeGreaterThan(0);
  });
});

describe('a client timeout and a route timeout on one request', () => {
  test('whichever passes first ends the attempt once; the accounting holds either way', () => {
    const slow = () => ({ behaviour: behaviour({ concurrency: 100, queueCapacity: 1e9, serviceTime: dist('uniform(2ms, 12ms)') }) });
    for (const [client, route] of [
      [0.004, 0.008],
      [0.008, 0.004],
    ] as const) {
      const r = run(
        gatewaySpec({ apps: { web: 2 }, routes: [httpRoute('r', [rule([{ service: 'web' }], { requestTimeout: route })])], rate: 300, pod: slow, client: { timeout: client, retries: 0 } }),
        { duration: 3 },
      );
      const t = r.accounting.total;
      // run() checks generated = completed + dropped + in flight; here every request ended one way.
      expect(t.completed + t.dropped['timeout'] + t.dropped['gateway-timeout']).toBe(t.generated - t.inFlight);
      if (client < route) expect(t.dropped['gateway-timeout']).toBe(0);
      else expect(t.dropped['timeout']).toBe(0);
    }
  });
});
