/** Every example model in models/ loads cleanly: no error, no warning, every client built. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { simulate } from '../../src/model/simulation.js';
import { dist } from '../model/datapath-helpers.js';
import { loadScenario } from '../../src/scenario/index.js';
import { ok } from './helpers.js';

const DIR = new URL('../../models/', import.meta.url);
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();

describe('models/', () => {
  test('holds the example models', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'clusterip-web.yaml',
        'loadbalancer-externalips.yaml',
        'nodeport-local-pinned.yaml',
        'nodeport-web.yaml',
        'production-3zones.yaml',
        'ingress-paths.yaml',
        'ingress-controllers.yaml',
        'ingress-matches.yaml',
        'externalname.yaml',
        'headless.yaml',
        'cilium-dsr.yaml',
        'grpc-mesh.yaml',
        'gateway-canary.yaml',
      ]),
    );
  });

  test.each(files)('%s loads cleanly', (file) => {
    const path = new URL(file, DIR).pathname;
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('#'), 'a model starts with a header comment').toBe(true);
    const { spec, warnings } = ok(loadScenario([path]));
    expect(warnings).toEqual([]);
    expect(spec.clients.length).toBeGreaterThan(0);
    expect(spec.pods.every((p) => p.nodeName !== null)).toBe(true);
    expect(spec.name).toBe(file.replace(/\.ya?ml$/, ''));
  });

  test('production-3zones: 12 replicas, 4 per zone, realistic load', () => {
    const { spec } = ok(loadScenario([new URL('production-3zones.yaml', DIR).pathname]));
    expect(spec.nodes).toHaveLength(9);
    const zoneOf = new Map(spec.nodes.map((n) => [n.name, n.zone]));
    const web = spec.pods.filter((p) => p.labels['app'] === 'web');
    expect(web).toHaveLength(12);
    for (const z of ['us-east-1a', 'us-east-1b', 'us-east-1c']) expect(web.filter((p) => zoneOf.get(p.nodeName!) === z)).toHaveLength(4);
    expect(spec.kubeProxy.servicePorts).toBe(2000);
    const svc = spec.services[0]!;
    expect(svc.loadBalancer).toMatchObject({ kind: 'instance', crossZone: false });
    expect(spec.clients.map((c) => c.location)).toEqual([
      { kind: 'external', zone: 'us-east-1a' },
      { kind: 'external', zone: 'us-east-1b' },
      { kind: 'external', zone: 'us-east-1c' },
      { kind: 'pod', node: 'us-east-1b-node-2' },
    ]);
    expect(spec.simulation).toEqual({ seed: 42, duration: 120, requests: null, warmup: 'auto' });
  });

  test('cilium-dsr: Maglev and DSR under eTP Cluster; the second hop is faster than with SNAT, the client address kept', () => {
    const { spec } = ok(loadScenario([new URL('cilium-dsr.yaml', DIR).pathname]));
    expect(spec.kubeProxy.cilium).toEqual({ algorithm: 'maglev', mode: 'dsr', maglevTableSize: 16381, serviceTopology: false });
    expect(spec.services[0]).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Cluster' });
    // The header's override (and the experiment's parameter path).
    const snatSpec = ok(loadScenario([new URL('cilium-dsr.yaml', DIR).pathname], { set: ['Cluster.spec.cilium.loadBalancer.mode=snat'] }));
    expect(snatSpec.warnings).toEqual([]);
    expect(snatSpec.spec.kubeProxy.cilium!.mode).toBe('snat');
    // Constant service times, so that the comparison sees the network only.
    const pods = spec.pods.map((p) => ({ ...p, behaviour: { ...p.behaviour, serviceTime: dist('const(2ms)') } }));
    const short = (mode: 'snat' | 'dsr') =>
      simulate({
        ...spec,
        pods,
        kubeProxy: { ...spec.kubeProxy, cilium: { ...spec.kubeProxy.cilium!, mode } },
        simulation: { ...spec.simulation, duration: 5 },
      });
    const dsr = short('dsr');
    const snat = short('snat');
    // The reply skips one node-to-node traversal and the forwarding on every second-hop request: in the
    // zone (the secondHop path), E[sameZone] + E[forwarding] = 171 + 30 µs; the bounds are that ± 2.5
    // standard errors of a difference of two means (the links stay random). The crossZone path mixes
    // requests whose LB crossed zones to a node holding the pod (no gain) with second hops across zones
    // (a crossZone traversal, 552 µs on average): its gain lies between.
    const gain = (path: 'secondHop' | 'crossZone') => snat.latencyByPath[path].mean! - dsr.latencyByPath[path].mean!;
    expect(dsr.latencyByPath.secondHop.count).toBeGreaterThan(1000);
    expect(gain('secondHop')).toBeGreaterThan(80e-6);
    expect(gain('secondHop')).toBeLessThan(350e-6);
    expect(gain('crossZone')).toBeGreaterThan(200e-6);
    expect(gain('crossZone')).toBeLessThan(582e-6);
    const sources = (r: typeof dsr) => r.pods.reduce((n, p) => n + p.sources.nodeIp, 0);
    expect(sources(dsr)).toBe(0);
    expect(sources(snat)).toBeGreaterThan(0);
  });

  test('nodeport-local-pinned: the only pod is on k8s-node1, the client addresses both nodes', () => {
    const { spec } = ok(loadScenario([new URL('nodeport-local-pinned.yaml', DIR).pathname]));
    expect(spec.pods.map((p) => p.nodeName)).toEqual(['k8s-node1']);
    expect(spec.services[0]).toMatchObject({ externalTrafficPolicy: 'Local', ports: [{ port: 9000, targetPort: 8080, nodePort: 30000 }] });
    expect(spec.clients[0]!.target).toEqual({ service: 'default/svc-1', port: 9000, via: 'nodePort', nodes: ['k8s-node1', 'k8s-node2'] });
  });
});
