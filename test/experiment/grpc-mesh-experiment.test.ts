/**
 * experiments/grpc-mesh.yaml: its three points (kube-proxy, Istio, Linkerd) load, each with the mesh it
 * names; one replication of each shows the imbalance the experiment measures.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandPoints } from '../../src/experiment/plan.js';
import { prepareExperiment } from '../../src/experiment/prepare.js';
import { simulate } from '../../src/model/simulation.js';
import { prepareScenario } from '../../src/scenario/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const FILE = join(ROOT, 'experiments/grpc-mesh.yaml');

describe('experiments/grpc-mesh.yaml', () => {
  it('prepares cleanly: three points, one per data path', () => {
    const r = prepareExperiment(FILE);
    if (!r.ok) expect.fail(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`).join('\n'));
    expect(r.ok).toBe(true);
  });

  it('kube-proxy pins; Istio and Linkerd spread the requests over the six pods', () => {
    const r = prepareExperiment(FILE);
    if (!r.ok) throw new Error('not prepared');
    const points = expandPoints(r.experiment.plan);
    expect(points.map((p) => p.params['mesh'])).toEqual(['kube-proxy', 'istio', 'linkerd']);
    const scenario = prepareScenario([join(ROOT, 'models/grpc-mesh.yaml')]);
    const maxShare = points.map((p) => {
      const loaded = scenario.load([...r.experiment.plan.set, ...p.set]);
      if (!loaded.ok) throw new Error('point did not load');
      expect(loaded.spec.mesh?.clients[0]?.mesh ?? 'kube-proxy').toBe(p.params['mesh']);
      const run = simulate({ ...loaded.spec, simulation: { ...loaded.spec.simulation, duration: 4, warmup: 0 } });
      const api = run.pods.filter((x) => x.pod.startsWith('shop/api-'));
      const n = api.reduce((a, x) => a + x.requests, 0);
      return Math.max(...api.map((x) => x.requests / n));
    });
    expect(maxShare[0]).toBeGreaterThanOrEqual(0.5); // two connections: at least half on one pod
    expect(maxShare[1]).toBeLessThan(0.2);
    // Peak EWMA leans to the pods with the lowest latency (same node or zone as the client): less even.
    expect(maxShare[2]).toBeLessThan(0.25);
  });
});
