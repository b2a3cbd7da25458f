/**
 * Gateways in the ingress runtime (src/model/ingress/controller.ts): a Gateway's pods are L7 proxies like
 * an ingress controller's, so they take controller slots after the ingress controllers' (its future pods
 * too, those a timeline will start); a client sending through a Gateway gets its routes from the Gateway's
 * HTTPRoutes, and a rule with several backends becomes a weighted split of the runtime.
 */
import { describe, expect, test } from 'vitest';
import { RandomStreams } from '../../../src/engine/random.js';
import { ClusterIndex } from '../../../src/model/cluster-index.js';
import { IngressRuntime, type HttpClient } from '../../../src/model/ingress/controller.js';
import type { ModelSpec } from '../../../src/model/spec.js';
import { controller, controllerPods, controllerService } from '../beyond-fixtures.js';
import { pod } from '../fixtures.js';
import { gatewaySpec, httpRoute, rule } from '../gateway/gateway-fixtures.js';
import { draws } from './balancer-fixtures.js';

const runtime = (m: ModelSpec) => new IngressRuntime(m, new ClusterIndex(m), new RandomStreams(1), 1000);

describe('Gateway pods are controller slots', () => {
  test('after the ingress controllers\' pods, with the Gateway\'s workers; a Pending pod of its Service too', () => {
    const base = gatewaySpec({ apps: { web: 2 }, routes: [httpRoute('r', [rule([{ service: 'web' }])])], rate: 10, workers: 3, implementation: 'nginx-gateway-fabric' });
    const ingressPods = controllerPods(['node-2'], 2).map((p) => ({ ...p, name: `nginx-${p.name}`, labels: { app: 'nginx' } }));
    const pending = pod('ctrl-9', null, { namespace: 'ingress-nginx', labels: { app: 'ingress' }, ip: '10.244.109.2' });
    const m: ModelSpec = {
      ...base,
      pods: [...base.pods, ...ingressPods, pending],
      services: [...base.services, controllerService({ name: 'nginx-ctrl', selector: { app: 'nginx' } })],
      ingressControllers: [controller({ service: 'ingress-nginx/nginx-ctrl', workers: 2 })],
    };
    const rt = runtime(m);
    // Pods: 0 the Gateway's, 1-2 web, 3 the ingress controller's, 4 the Pending Gateway pod.
    expect(Array.from(rt.ctrlPod)).toEqual([3, 0, 4]);
    expect(Array.from(rt.ctrlWorkers)).toEqual([2, 3, 3]);
    expect(Array.from(rt.podCtrl)).toEqual([1, -1, -1, 0, 2]);
    expect(rt.gateway).not.toBeNull();
  });

  test('without Gateways there is no Gateway part', () => {
    const m = gatewaySpec({ apps: { web: 1 }, routes: [], rate: 10 });
    const plain = { ...m, gateways: [], clients: [], ingressControllers: [controller()] };
    expect(runtime(plain).gateway).toBeNull();
    const { gateways: _, ...none } = plain;
    expect(runtime(none).gateway).toBeNull();
  });
});

describe('a client through a Gateway', () => {
  test('its routes are the Gateway\'s; a rule with two backends is a split (weights 1 and 3) drawn per request', () => {
    const routes = [
      httpRoute('r', [
        rule([{ service: 'web' }], { matches: [{ match: { path: { type: 'PathPrefix', value: '/web' } } }] }),
        rule([{ service: 'web', weight: 1 }, { service: 'api', weight: 3 }], { matches: [{ match: { path: { type: 'PathPrefix', value: '/both' } } }] }),
      ]),
    ];
    const m = gatewaySpec({ apps: { web: 2, api: 1 }, routes, rate: 10, implementation: 'nginx-gateway-fabric' });
    const c = m.clients[0]!;
    const rt = runtime({ ...m, clients: [{ ...c, http: { ...c.http!, requests: ['/web', '/both', '/none'].map((path) => ({ ...c.http!.requests[0]!, path })) } }] });
    const h = rt.clients[0]!;
    expect(Array.from(h.routes)).toEqual([0, -2, -1]);
    expect(rt.upstreams.map((u) => u.service)).toEqual(['default/web', 'default/web', 'default/api']);
    const scripted: HttpClient = { ...h, splitRng: draws(0.2, 0.3) };
    expect([rt.upstreamOf(scripted, 1), rt.upstreamOf(scripted, 1)]).toEqual([1, 2]);
  });
});
