import { describe, expect, it } from 'vitest';
import { ClusterIndex } from '../../../src/model/cluster-index.js';
import { computeEndpoints, isProxied } from '../../../src/model/endpoints/index.js';
import { cluster, modelSpec, node, pod, service } from '../fixtures.js';

describe('computeEndpoints (EndpointSlice controller)', () => {
  it('selects scheduled pods of the namespace whose labels match, in spec order', () => {
    const nodes = [node('node-1', 'a'), node('node-2', 'b')];
    const pods = [
      pod('web-0', 'node-2'),
      pod('other', 'node-1', { labels: { app: 'other' } }),
      pod('web-1', 'node-1', { labels: { app: 'web', tier: 'front' } }),
      pod('pending', null),
      pod('web-elsewhere', 'node-1', { namespace: 'prod' }),
    ];
    const svc = service();
    const index = new ClusterIndex(modelSpec({ nodes, pods, services: [svc] }));
    const eps = computeEndpoints(svc, svc.ports[0]!, index);
    expect(eps.map((e) => index.podKeys[e.pod])).toEqual(['default/web-0', 'default/web-1']);
    expect(eps.map((e) => [e.node, e.zone, e.port])).toEqual([
      [1, 1, 8080],
      [0, 0, 8080],
    ]);
  });

  it('sets ready / serving / terminating as podToEndpoint does', () => {
    const { index, service: svc } = cluster({
      podsPerNode: [4],
      pod: (k) =>
        [
          { ready: true, terminating: false },
          { ready: false, terminating: false },
          { ready: true, terminating: true },
          { ready: false, terminating: true },
        ][k]!,
    });
    const flags = computeEndpoints(svc, svc.ports[0]!, index).map((e) => [e.ready, e.serving, e.terminating]);
    expect(flags).toEqual([
      [true, true, false],
      [false, false, false],
      [false, true, true], // still Ready while terminating: serving, not ready
      [false, false, true],
    ]);
  });

  it('publishNotReadyAddresses makes every endpoint ready, serving stays the pod readiness', () => {
    const { index, service: svc } = cluster({
      podsPerNode: [2],
      service: { publishNotReadyAddresses: true },
      pod: (k) => ({ ready: k === 0, terminating: k === 1 }),
    });
    const flags = computeEndpoints(svc, svc.ports[0]!, index).map((e) => [e.ready, e.serving, e.terminating]);
    expect(flags).toEqual([
      [true, true, false],
      [true, false, true],
    ]);
  });

  it('resolves a named targetPort per pod and leaves out pods without that port', () => {
    const { index, service: svc } = cluster({
      podsPerNode: [4],
      service: { ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }] },
      pod: (k) =>
        ({
          ports: [
            [{ name: 'http', containerPort: 8080, protocol: 'TCP' as const }],
            [{ name: 'http', containerPort: 9090, protocol: 'TCP' as const }],
            [{ name: 'metrics', containerPort: 8080, protocol: 'TCP' as const }],
            [{ name: 'http', containerPort: 8080, protocol: 'UDP' as const }],
          ][k]!,
        }),
    });
    const eps = computeEndpoints(svc, svc.ports[0]!, index);
    expect(eps.map((e) => [e.pod, e.port])).toEqual([
      [0, 8080],
      [1, 9090],
    ]);
  });

  it('uses a numeric targetPort as is, declared or not', () => {
    const { index, service: svc } = cluster({
      podsPerNode: [1],
      service: { ports: [{ protocol: 'TCP', port: 80, targetPort: 7000 }] },
    });
    expect(computeEndpoints(svc, svc.ports[0]!, index).map((e) => e.port)).toEqual([7000]);
  });

  it('gives no endpoints without a selector (or an empty one), nor for ExternalName', () => {
    for (const overrides of [
      { selector: null },
      { selector: {} },
      { type: 'ExternalName' as const, clusterIP: null, externalName: 'db.example.com' },
    ]) {
      const { index, service: svc } = cluster({ podsPerNode: [2], service: overrides });
      expect(computeEndpoints(svc, svc.ports[0]!, index)).toEqual([]);
    }
  });

  it('treats headless and ExternalName Services as not proxied', () => {
    expect(isProxied(service())).toBe(true);
    expect(isProxied(service({ clusterIP: null }))).toBe(false);
    expect(isProxied(service({ type: 'ExternalName', clusterIP: null }))).toBe(false);
  });
});
