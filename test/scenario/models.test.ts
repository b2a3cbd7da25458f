/** Every example model in models/ loads cleanly: no error, no warning, every client built. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
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
        'externalname.yaml',
        'headless.yaml',
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

  test('nodeport-local-pinned: the only pod is on k8s-node1, the client addresses both nodes', () => {
    const { spec } = ok(loadScenario([new URL('nodeport-local-pinned.yaml', DIR).pathname]));
    expect(spec.pods.map((p) => p.nodeName)).toEqual(['k8s-node1']);
    expect(spec.services[0]).toMatchObject({ externalTrafficPolicy: 'Local', ports: [{ port: 9000, targetPort: 8080, nodePort: 30000 }] });
    expect(spec.clients[0]!.target).toEqual({ service: 'default/svc-1', port: 9000, via: 'nodePort', nodes: ['k8s-node1', 'k8s-node2'] });
  });
});
