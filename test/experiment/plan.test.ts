import { afterAll, describe, expect, test } from 'vitest';
import { readExperiment } from '../../src/experiment/experiment-file.js';
import {
  expandPoints,
  inShard,
  parseShard,
  pendingReplications,
  replicationSeed,
  runRef,
  type PlanData,
} from '../../src/experiment/plan.js';
import { studentT } from '../../src/engine/stats/index.js';
import { TINY_SCENARIO, workspace, yaml } from './helpers.js';

const ws = workspace({ 'tiny.yaml': TINY_SCENARIO });
afterAll(() => ws.cleanup());

function plan(...specLines: string[]): PlanData {
  const file = ws.write(`e${Math.random().toString(36).slice(2)}.yaml`, yaml('apiVersion: netsim/v1', 'kind: Experiment', 'metadata: {name: p}', 'spec:', '  scenario: tiny.yaml', '  metrics: [latency.p99]', ...specLines));
  const r = readExperiment(file);
  if (!r.ok) expect.fail(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('\n'));
  return r.experiment.plan;
}

describe('plan expansion', () => {
  test('grid: the cartesian product, first parameter slowest', () => {
    const p = plan(
      '  parameters:',
      '    - {name: a, path: "Workload.spec.clients[0].rate", values: [1/s, 2/s]}',
      '    - {name: b, path: Service/web.spec.externalTrafficPolicy, values: [Cluster, Local]}',
      '    - {name: c, path: Deployment/web-a.spec.replicas, values: [1, 2, 3]}',
    );
    const points = expandPoints(p);
    expect(points).toHaveLength(12);
    expect(points.slice(0, 4).map((x) => x.params)).toEqual([
      { a: '1/s', b: 'Cluster', c: 1 },
      { a: '1/s', b: 'Cluster', c: 2 },
      { a: '1/s', b: 'Cluster', c: 3 },
      { a: '1/s', b: 'Local', c: 1 },
    ]);
    expect(points[11]!.params).toEqual({ a: '2/s', b: 'Local', c: 3 });
    expect(points[5]!.set).toEqual(['Workload.spec.clients[0].rate=1/s', 'Service/web.spec.externalTrafficPolicy=Local', 'Deployment/web-a.spec.replicas=3']);
    expect(points.map((x) => x.index)).toEqual([...Array(12).keys()]);
  });

  test('zip: the lists move together, as one parameter; labels name its values', () => {
    const p = plan(
      '  parameters:',
      '    - name: shape',
      '      zip:',
      '        - {path: Deployment/web-a.spec.replicas, values: [1, 2, 4]}',
      '        - {path: "Workload.spec.clients[0].rate", values: [100/s, 200/s, 400/s]}',
      '      labels: [small, medium, large]',
      '    - {name: etp, path: Service/web.spec.externalTrafficPolicy, values: [Cluster, Local]}',
    );
    const points = expandPoints(p);
    expect(points).toHaveLength(6);
    expect(points[2]!.params).toEqual({ shape: 'medium', etp: 'Cluster' });
    expect(points[2]!.set).toEqual(['Deployment/web-a.spec.replicas=2', 'Workload.spec.clients[0].rate=200/s', 'Service/web.spec.externalTrafficPolicy=Cluster']);
    expect(p.factors[0]!.paths).toEqual(['Deployment/web-a.spec.replicas', 'Workload.spec.clients[0].rate']);
  });

  test('zip without labels: the values joined with /', () => {
    const p = plan(
      '  parameters:',
      '    - name: shape',
      '      zip:',
      '        - {path: Deployment/web-a.spec.replicas, values: [1, 2]}',
      '        - {path: "Workload.spec.clients[0].rate", values: [100/s, 200/s]}',
    );
    expect(expandPoints(p).map((x) => x.params['shape'])).toEqual(['1/100/s', '2/200/s']);
  });

  test('ranges: from, to (inclusive), step, with an optional unit; no floating-point dust', () => {
    const p = plan(
      '  parameters:',
      '    - {name: replicas, path: Deployment/web-a.spec.replicas, from: 1, to: 7, step: 2}',
      '    - {name: rate, path: "Workload.spec.clients[0].rate", from: 0.1, to: 0.3, step: 0.1, unit: k/s}',
    );
    expect(p.factors[0]!.levels.map((l) => l.label)).toEqual([1, 3, 5, 7]);
    expect(p.factors[1]!.levels.map((l) => l.label)).toEqual(['0.1k/s', '0.2k/s', '0.3k/s']);
    expect(p.factors[1]!.levels[2]!.set).toEqual(['Workload.spec.clients[0].rate=0.3k/s']);
  });

  test('values of any YAML type become overrides that read back the same', () => {
    const p = plan(
      '  parameters:',
      '    - name: conn',
      '      path: Workload.spec.clients[0].connection',
      '      values: [perRequest, {pool: {connections: 4}}, {keepAlive: {requestsPerConnection: 10}}]',
    );
    expect(p.factors[0]!.levels.map((l) => l.set[0])).toEqual([
      'Workload.spec.clients[0].connection=perRequest',
      'Workload.spec.clients[0].connection={"pool":{"connections":4}}',
      'Workload.spec.clients[0].connection={"keepAlive":{"requestsPerConnection":10}}',
    ]);
    expect(p.factors[0]!.levels[1]!.label).toBe('{pool: {connections: 4}}');
  });

  test('a string that YAML would read as a number stays a string', () => {
    const p = plan('  parameters:', '    - {name: c, path: Deployment/web-a.spec.template.metadata.annotations.netsim/concurrency, values: ["2", "4"]}');
    expect(p.factors[0]!.levels.map((l) => l.set[0])).toEqual([
      'Deployment/web-a.spec.template.metadata.annotations.netsim/concurrency="2"',
      'Deployment/web-a.spec.template.metadata.annotations.netsim/concurrency="4"',
    ]);
  });

  test('no parameters: one point, the base scenario (replications only)', () => {
    const p = plan('  replications: 4');
    const points = expandPoints(p);
    expect(points).toHaveLength(1);
    expect(points[0]!.params).toEqual({});
    expect(p.replications).toBe(4);
  });

  test('defaults: 5 replications, seed 1, confidence 0.95', () => {
    const p = plan();
    expect([p.replications, p.masterSeed, p.confidence, p.precision]).toEqual([5, 1, 0.95, null]);
  });
});

describe('seeds: common random numbers', () => {
  test('replication r of every point gets the same seed, derived from the master seed and r only', () => {
    const p = plan('  parameters:', '    - {name: etp, path: Service/web.spec.externalTrafficPolicy, values: [Cluster, Local]}', '  seed: 42', '  replications: 3');
    const seedsOf = (point: number) => [0, 1, 2].map((r) => runRef(p, point, r).seed);
    expect(seedsOf(0)).toEqual(seedsOf(1));
    expect(new Set(seedsOf(0)).size).toBe(3);
    expect(seedsOf(0)).toEqual([0, 1, 2].map((r) => replicationSeed(42, r)));
  });

  test('seeds are whole numbers that `netsim run --seed` accepts; another master seed, other seeds', () => {
    const s = replicationSeed(1, 0);
    expect(Number.isSafeInteger(s) && s >= 0).toBe(true);
    expect(replicationSeed(1, 0)).toBe(replicationSeed('1', 0));
    expect(replicationSeed(2, 0)).not.toBe(s);
    // No overlap between (master 1, r 10) and (master 11, r 0) or similar concatenations.
    expect(replicationSeed(1, 10)).not.toBe(replicationSeed(11, 0));
  });

  test('the seed of a run does not depend on the grid (adding a parameter keeps the seeds)', () => {
    const small = plan('  seed: 3', '  replications: 2');
    const big = plan('  seed: 3', '  replications: 2', '  parameters:', '    - {name: x, path: Deployment/web-a.spec.replicas, values: [1, 2, 3]}');
    expect(runRef(small, 0, 1).seed).toBe(runRef(big, 2, 1).seed);
  });
});

describe('shards', () => {
  test('K/N parsing', () => {
    expect(parseShard('3/20')).toEqual({ index: 3, count: 20 });
    expect(() => parseShard('0/4')).toThrow(/from 1 to 4/);
    expect(() => parseShard('5/4')).toThrow(/from 1 to 4/);
    expect(() => parseShard('2')).toThrow(/K\/N/);
  });

  test.each([1, 2, 3, 7])('every run is in exactly one of %i shards (run index mod N)', (n) => {
    const p = plan('  parameters:', '    - {name: x, path: Deployment/web-a.spec.replicas, from: 1, to: 5, step: 1}', '  replications: 4');
    const runs = expandPoints(p).flatMap((pt) => [0, 1, 2, 3].map((r) => runRef(p, pt.index, r)));
    for (const run of runs) {
      const owners = Array.from({ length: n }, (_, k) => k + 1).filter((k) => inShard(p, run, { index: k, count: n }));
      expect(owners).toHaveLength(1);
    }
    const sizes = Array.from({ length: n }, (_, k) => runs.filter((r) => inShard(p, r, { index: k + 1, count: n })).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  test('with a precision target, whole points go to one shard', () => {
    const p = plan('  parameters:', '    - {name: x, path: Deployment/web-a.spec.replicas, from: 1, to: 5, step: 1}', '  replications: 2', '  precision: {metric: latency.p99, relative: 5%, maxReplications: 6}');
    for (const pt of expandPoints(p)) {
      const shards = new Set([0, 1, 2, 3, 4, 5].map((r) => [1, 2, 3].find((k) => inShard(p, runRef(p, pt.index, r), { index: k, count: 3 }))));
      expect(shards.size).toBe(1);
    }
  });
});

describe('precision target: sequential replications', () => {
  const hw = (v: readonly number[], level: number) => {
    const ci = studentT(v, level);
    return { mean: ci.mean, halfWidth: ci.halfWidth };
  };
  const p = plan('  replications: 3', '  precision: {metric: latency.p99, relative: 0.05, maxReplications: 9, step: 2}');

  test('the first round, then step more while the CI is too wide, up to the cap', () => {
    expect(pendingReplications(p, new Map(), hw)).toEqual([0, 1, 2]);
    expect(pendingReplications(p, new Map([[0, 1], [2, 1]]), hw)).toEqual([1]);
    const wide = new Map<number, number | null>([[0, 1], [1, 2], [2, 3]]);
    expect(pendingReplications(p, wide, hw)).toEqual([3, 4]);
    const capped = new Map<number, number | null>([...Array(9).keys()].map((r) => [r, r % 2 ? 1 : 3]));
    expect(pendingReplications(p, capped, hw)).toEqual([]);
  });

  test('stops as soon as the half-width is within ±relative of the mean', () => {
    const tight = new Map<number, number | null>([[0, 1.0], [1, 1.001], [2, 0.999]]);
    expect(pendingReplications(p, tight, hw)).toEqual([]);
  });

  test('failed replications (null) count as done but give no value', () => {
    const m = new Map<number, number | null>([[0, null], [1, null], [2, null]]);
    expect(pendingReplications(p, m, hw)).toEqual([3, 4]);
  });
});

describe('points and pending replications: the rules the sweep relies on', () => {
  test("every point's overrides start with the plan's own `set`, then each factor's in order", () => {
    const factors = [
      { name: 'a', levels: [{ label: 'a1', set: ['A=1'] }, { label: 'a2', set: ['A=2'] }] },
      { name: 'b', levels: [{ label: 'b1', set: ['B=1', 'C=1'] }] },
    ];
    const points = expandPoints({ factors, set: ['X=0'] } as never);
    expect(points.map((p) => p.set)).toEqual([
      ['X=0', 'A=1', 'B=1', 'C=1'],
      ['X=0', 'A=2', 'B=1', 'C=1'],
    ]);
  });

  test('a failed replication (no metric) is left out of the precision check, not counted as a value', () => {
    const seen: number[][] = [];
    const halfWidthOf = (values: readonly number[]) => {
      seen.push([...values]);
      return { mean: 10, halfWidth: 100 };
    };
    const plan = { replications: 3, confidence: 0.95, precision: { metric: 'p99', relative: 0.1, step: 2, maxReplications: 9 } };
    // Replications 0..2 done, 1 failed: the check sees 10 and 12 only; too wide, so 2 more (3 and 4).
    expect(pendingReplications(plan as never, new Map([[0, 10], [1, null], [2, 12]]), halfWidthOf)).toEqual([3, 4]);
    expect(seen).toEqual([[10, 12]]);
  });
});
