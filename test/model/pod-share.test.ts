/** A pod's share is of the requests that reached the pods backing the same Services. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/experiment/run-scenario.js';
import type { PodResult } from '../../src/model/result.js';

const MODELS = resolve(dirname(fileURLToPath(import.meta.url)), '../../models');

function podsOf(model: string): readonly PodResult[] {
  const out = runScenario({ files: [`${MODELS}/${model}`], set: ['Simulation.spec.duration=5s'] });
  if (!out.ok) expect.fail(out.diagnostics.map((d) => d.message).join('\n'));
  return out.result.pods;
}

const byGroup = (pods: readonly PodResult[]) => {
  const groups = new Map<string, PodResult[]>();
  for (const p of pods) groups.set(p.services.join(','), [...(groups.get(p.services.join(',')) ?? []), p]);
  return groups;
};

describe('pod share', () => {
  it('behind an Ingress: the controllers share among themselves, and each backend Service among its pods', () => {
    const groups = byGroup(podsOf('ingress-paths.yaml'));
    expect([...groups.keys()].sort()).toEqual(['default/app1-service', 'default/app2-service', 'ingress-nginx/ingress-nginx-controller']);
    for (const [, pods] of groups) {
      expect(pods.reduce((s, p) => s + p.share!, 0)).toBeCloseTo(1, 9);
      // Round robin everywhere in this model: each pod near 1/n of its group.
      for (const p of pods) expect(Math.abs(p.share! - 1 / pods.length)).toBeLessThan(0.05);
    }
  });

  it('with one Service: the serving pods share every request, and a client pod that backs none has no share', () => {
    const pods = podsOf('clusterip-web.yaml');
    const backends = pods.filter((p) => p.services.length > 0);
    expect(backends.reduce((s, p) => s + p.share!, 0)).toBeCloseTo(1, 9);
    for (const p of pods.filter((x) => x.services.length === 0)) {
      expect(p.requests).toBe(0);
      expect(p.share).toBeNull();
    }
  });
});
