/**
 * experiments/ingress-to-gateway.yaml: its two points (ingress-nginx, Envoy Gateway) load, each through the
 * proxy it names; one replication of each shows the difference the experiment measures: least request
 * sends the slow pod less than round robin does, and the p99 falls.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandPoints } from '../../src/experiment/plan.js';
import { prepareExperiment } from '../../src/experiment/prepare.js';
import { simulate } from '../../src/model/simulation.js';
import { prepareScenario } from '../../src/scenario/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const FILE = join(ROOT, 'experiments/ingress-to-gateway.yaml');

describe('experiments/ingress-to-gateway.yaml', () => {
  it('prepares cleanly: two points, ingress-nginx then envoy-gateway', () => {
    const r = prepareExperiment(FILE);
    if (!r.ok) expect.fail(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`).join('\n'));
    expect(expandPoints(r.experiment.plan).map((p) => p.params['path'])).toEqual(['ingress-nginx', 'envoy-gateway']);
  });

  it('the same app through each: Envoy Gateway sends the slow pod less and has the lower p99', () => {
    const r = prepareExperiment(FILE);
    if (!r.ok) throw new Error('not prepared');
    const scenario = prepareScenario([join(ROOT, 'models/ingress-to-gateway.yaml')]);
    const runs = expandPoints(r.experiment.plan).map((p) => {
      const loaded = scenario.load([...r.experiment.plan.set, ...p.set]);
      if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
      expect(loaded.warnings).toEqual([]);
      return simulate({ ...loaded.spec, simulation: { ...loaded.spec.simulation, duration: 8, warmup: 1 } });
    });
    const [nginx, envoy] = runs as [ReturnType<typeof simulate>, ReturnType<typeof simulate>];
    // Each went through its own proxy: ingress-nginx's pods, or Envoy's.
    expect(nginx.ingress!.upstreams.map((u) => u.algorithm)).toEqual(['round_robin']);
    expect(envoy.ingress!.upstreams.map((u) => u.algorithm)).toEqual(['LeastRequest']);
    const slowShare = (run: typeof nginx) => run.pods.find((p) => p.pod === 'default/web-old-node')!.share!;
    // Round robin gives every pod a sixth; two choices steer away from the slow pod's queue.
    expect(Math.abs(slowShare(nginx) - 1 / 6)).toBeLessThan(0.01);
    expect(slowShare(envoy)).toBeLessThan(0.9 / 6);
    expect(envoy.latency.p99!).toBeLessThan(nginx.latency.p99!);
  });
});
