/**
 * The Gateway API examples: models/gateway-canary.yaml read into the model (the Gateway's own pods and
 * Service, the route's weights, the policy) and run: the canary's share and what the policy does.
 */
import { describe, expect, test } from 'vitest';
import { simulate } from '../../src/model/simulation.js';
import { loadScenario, prepareScenario } from '../../src/scenario/index.js';
import { ok } from './helpers.js';

const DIR = new URL('../../models/', import.meta.url);

describe('models/gateway-canary.yaml', () => {
  const { spec } = ok(loadScenario([new URL('gateway-canary.yaml', DIR).pathname]));

  test('reads the Gateway, its pods and Service, the route and its policy', () => {
    expect(spec.gateways).toEqual([
      { name: 'eg', namespace: 'default', className: 'eg', implementation: 'envoy-gateway', service: 'envoy-gateway-system/envoy-default-eg', workers: 4, listeners: [{ name: 'http', port: 80, hostname: null }] },
    ]);
    const svc = spec.services.find((s) => s.name === 'envoy-default-eg')!;
    expect(svc).toMatchObject({ namespace: 'envoy-gateway-system', type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    expect(svc.ports).toEqual([expect.objectContaining({ port: 80, targetPort: 'port-80' })]);
    const envoys = spec.pods.filter((p) => p.namespace === 'envoy-gateway-system');
    expect(envoys).toHaveLength(2);
    expect(envoys[0]!.ports).toEqual([expect.objectContaining({ containerPort: 10080 })]);
    const route = spec.gatewayRoutes![0]!;
    expect(route.rules[0]!.backends.map((b) => [b.service, b.weight])).toEqual([
      ['web-stable', 90],
      ['web-canary', 10],
    ]);
    expect(route.rules[0]!.requestTimeout).toBe(2);
    expect(route.rules[0]!.policy).toMatchObject({
      name: 'default/web',
      loadBalancer: null,
      retry: { numRetries: 2, onRefused: true, on5xx: true },
      outlier: { consecutive5xx: 5, baseEjectionTime: 30, interval: 3, maxEjectionPercent: 50 },
    });
    expect(spec.clients[0]!.http).toMatchObject({ gateway: 'default/eg', gatewayPort: 80, host: 'www.example.com' });
  });

  test('runs: 10 % of the requests reach the canary (binomial 3σ), all complete', () => {
    const r = simulate({ ...spec, simulation: { ...spec.simulation, duration: 10, warmup: 0 } });
    const count = (track: string) => r.pods.filter((p) => p.pod.startsWith(`default/web-${track}`)).reduce((a, p) => a + p.requests, 0);
    const n = count('stable') + count('canary');
    expect(Math.abs(count('canary') / n - 0.1)).toBeLessThan(3 * Math.sqrt(0.09 / n));
    expect(r.accounting.total.droppedTotal).toBe(0);
    expect(r.ingress!.upstreams).toEqual([expect.objectContaining({ ingress: 'HTTPRoute default/web', algorithm: 'LeastRequest', endpoints: 5 })]);
  });

  test('a failing canary (error rate 20 %): the policy retries the 500s on other pods, none reaches a client', () => {
    const failing = spec.pods.map((p) => (p.name.startsWith('web-canary') ? { ...p, behaviour: { ...p.behaviour, errorRate: 0.2 } } : p));
    const r = simulate({ ...spec, pods: failing, simulation: { ...spec.simulation, duration: 10, warmup: 0 } });
    const served = r.pods.filter((p) => p.pod.startsWith('default/web-canary')).reduce((a, p) => a + p.requests, 0);
    expect(r.ingress!.upstreamRetries).toBeGreaterThan(0);
    // Two retries on other hosts: a request fails only if all three tries fail (the stable pods never do).
    expect(r.accounting.total.dropped['server-error']).toBe(0);
    // Retries go to the stable pods (previous_hosts): the canary's share of the tries stays at most 10 %.
    expect(served / (r.ingress!.requests + r.ingress!.upstreamRetries)).toBeLessThan(0.105);
  });
});

describe('a rollout of the Gateway\'s own Deployment (a timeline)', () => {
  const rollout = (policy: 'Local' | 'Cluster') => {
    const scenario = prepareScenario([new URL('gateway-canary.yaml', DIR).pathname]);
    const loaded = scenario.load([
      'Simulation.spec.duration=40s',
      'Simulation.spec.warmup=0s',
      'Simulation.spec.timeline=[{at: 5s, rollout: Deployment/envoy-gateway-system/envoy-default-eg}]',
      `Gateway/eg.metadata.annotations.netsim/external-traffic-policy=${policy}`,
    ]);
    if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
    return simulate(loaded.spec);
  };

  test('eTP Cluster: the new Envoy pods proxy as the old ones did, and requests keep flowing', () => {
    const r = rollout('Cluster');
    const envoys = r.pods.filter((p) => p.pod.startsWith('envoy-gateway-system/'));
    // The two pods of revision 0 and the two the rollout created all took requests...
    expect(envoys.filter((p) => p.requests > 0).length).toBe(4);
    // ...and every request the Envoy pods routed went on to a web pod (new pods are proxies, not backends).
    const web = r.pods.filter((p) => p.pod.startsWith('default/web-')).reduce((a, p) => a + p.requests, 0);
    expect(web).toBe(r.ingress!.requests);
    expect(r.events![0]).toMatchObject({ kind: 'rollout' });
    expect(r.accounting.total.completed / r.accounting.total.generated).toBeGreaterThan(0.97);
  });

  test('eTP Local (Envoy Gateway\'s default): a zone left without an Envoy pod loses its requests at the LB', () => {
    const r = rollout('Local');
    const lost = r.events![0]!.lostByReason;
    // Here both new pods land in zone-a: zone-b's clients (cross-zone LB off) find no local endpoint (#85643).
    expect(lost['no-local-endpoint']! + (lost['no-healthy-lb-target'] ?? 0)).toBeGreaterThan(0.9 * r.events![0]!.requestsLost);
  });
});
