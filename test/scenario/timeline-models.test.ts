/**
 * The bundled timeline examples run end to end from their YAML: the #85643 rollout behind an NLB with
 * eTP Local, and a zone failure on the 3-zone production model. Their results (events, the per-window
 * counts) validate against schemas/result.schema.json and keep the exact request accounting.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { toResultFile } from '../../src/experiment/result-file.js';
import { runScenario } from '../../src/experiment/run-scenario.js';
import type { RunResult } from '../../src/model/result.js';
import { expectAccounting } from '../model/datapath-helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/result.schema.json'), 'utf8')) as Record<string, unknown>;
const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
const errorsOf = (data: unknown): string[] => (validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));

function runModel(name: string, set: readonly string[] = []): RunResult {
  const outcome = runScenario({ files: [join(ROOT, 'models', `${name}.yaml`)], set });
  if (!outcome.ok) throw new Error(`${name}: ${outcome.diagnostics.map((d) => d.message).join('; ')}`);
  const file = JSON.parse(JSON.stringify(toResultFile(outcome.result, { files: outcome.files, overrides: set })));
  expect(errorsOf(file)).toEqual([]);
  expectAccounting(outcome.result);
  return outcome.result;
}

describe('rollout-etp-local: a rolling update behind an NLB, eTP Local', () => {
  const short = ['Simulation.spec.duration=150s'];
  const bare = runModel('rollout-etp-local', short);
  const slept = runModel('rollout-etp-local', [...short, 'Deployment/web.spec.template.metadata.annotations.netsim/prestop="40s"']);

  test('one rollout, whose cost is in the result', () => {
    expect(bare.events).toHaveLength(1);
    const e = bare.events![0]!;
    expect([e.kind, e.target, e.at]).toEqual(['rollout', 'Deployment default/web', 60]);
    expect(e.end).not.toBeNull();
    expect(e.requestsLost).toBeGreaterThan(0);
    expect(e.lostByReason['no-local-endpoint']).toBeGreaterThan(0);
  });

  test('a preStop sleep longer than the health-check lag loses nothing', () => {
    expect(slept.events![0]!.requestsLost).toBe(0);
    expect(slept.accounting.total.droppedTotal).toBe(0);
  });

  test('the per-window counts follow the rollout', () => {
    const ts = bare.timeSeries;
    expect(ts.replicas![0]!.values[0]).toBe(4);
    expect(Math.max(...ts.replicas![0]!.values)).toBe(5); // maxSurge 1
    expect(ts.offered!.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});

describe('zone-failure-3zones: a zone of the production model fails and comes back', () => {
  const r = runModel('zone-failure-3zones', ['Simulation.spec.duration=200s', 'Simulation.spec.timeline[1].at=150s']);

  test('requests are lost to the dead zone until the LB and the node controller have caught up', () => {
    const [fail, recover] = r.events!;
    expect(fail!.kind).toBe('fail-zone');
    expect(recover!.kind).toBe('recover-zone');
    expect(fail!.lostByReason['node-down']).toBeGreaterThan(0);
    // The zone's LB node is withdrawn once its targets are unhealthy: 9 nodes, 6 left.
    expect(Math.min(...r.timeSeries.healthyTargets![0]!.values)).toBe(6);
    // NotReady at ~50 s after the failure: the dead zone's 4 endpoints leave the Service.
    expect(Math.min(...r.timeSeries.readyEndpoints![0]!.values)).toBe(8);
    expect(r.timeSeries.readyEndpoints![0]!.values.at(-1)).toBe(12);
  });
});

describe('hpa-daily: an HPA and the cluster autoscaler over a compressed day', () => {
  const r = runModel('hpa-daily');
  const ts = r.timeSeries;

  test('the HPA follows the day: minReplicas at night, more at the peak, and back down later', () => {
    const replicas = ts.replicas![0]!.values;
    expect(replicas[0]).toBe(3);
    expect(Math.max(...replicas)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...replicas)).toBeLessThanOrEqual(16); // maxReplicas
    const utilisation = ts.autoscalers![0]!.utilisation.filter((u): u is number => u !== null);
    expect(Math.max(...utilisation)).toBeGreaterThan(60);
  });

  test('pods that fit no node wait for the node the cluster autoscaler adds', () => {
    expect(Math.max(...ts.pending![0]!.values)).toBeGreaterThan(0);
    const nodes = ts.nodeGroups!.map((g) => g.values);
    expect(nodes.reduce((a, g) => a + g[0]!, 0)).toBe(3);
    expect(Math.max(...ts.start.map((_, i) => nodes.reduce((a, g) => a + g[i]!, 0)))).toBeGreaterThan(3);
    expect(ts.pending![0]!.values.at(-1)).toBe(0);
  });
});
