/**
 * experiments/ingress-controllers.yaml (issue 17, "Proven"): the seeds' Ingress under each of the three
 * controllers of the seeds' table, chosen through their IngressClasses. Its three points load cleanly, each
 * sends every request through the controller it names with that controller's default algorithm, and the
 * metrics the experiment compares are there for each.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandPoints } from '../../src/experiment/plan.js';
import { prepareExperiment } from '../../src/experiment/prepare.js';
import { simulate } from '../../src/model/simulation.js';
import { prepareScenario } from '../../src/scenario/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const FILE = join(ROOT, 'experiments/ingress-controllers.yaml');

describe('experiments/ingress-controllers.yaml', () => {
  it('three points, one per controller, each through its own pods with its own default algorithm', () => {
    const r = prepareExperiment(FILE);
    if (!r.ok) expect.fail(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`).join('\n'));
    const points = expandPoints(r.experiment.plan);
    expect(points.map((p) => p.params['controller'])).toEqual(['ingress-nginx', 'nginx-inc', 'kong']);
    const scenario = prepareScenario([join(ROOT, 'models/ingress-controllers.yaml')]);
    const namespaces = ['ingress-nginx/', 'nginx-ingress/', 'kong/'];
    const algorithms = ['round_robin', 'random_two', 'round_robin'];
    points.forEach((p, i) => {
      const loaded = scenario.load([...r.experiment.plan.set, ...p.set]);
      if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
      expect(loaded.warnings).toEqual([]);
      const run = simulate({ ...loaded.spec, simulation: { ...loaded.spec.simulation, duration: 3, warmup: 0.5 } });
      const served = run.pods.filter((x) => x.pod.startsWith(namespaces[i]!)).reduce((n, x) => n + x.requests, 0);
      expect(served).toBe(run.accounting.measured.completed);
      expect(run.accounting.total.droppedTotal).toBe(0);
      expect(run.ingress!.upstreams.map((u) => u.algorithm)).toEqual([algorithms[i], algorithms[i]]);
      expect(run.latency.p99).toBeGreaterThan(0);
    });
  });
});
