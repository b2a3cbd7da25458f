/** The `search:` section: objectives, modes and their checks, each problem at its file:line:col. */
import { describe, expect, test } from 'vitest';
import { readExperiment } from '../../src/experiment/experiment-file.js';
import { parseTerm } from '../../src/experiment/search/read-search.js';
import { TINY_SCENARIO, yaml } from './helpers.js';

function read(search: string[], replications = 3) {
  const text = yaml(
    'apiVersion: netsim/v1',
    'kind: Experiment',
    'metadata: {name: s}',
    'spec:',
    '  scenario: tiny.yaml',
    '  parameters:',
    '    - {name: rate, path: "Workload.spec.clients[0].rate", values: [100/s, 200/s]}',
    '    - {name: replicas, path: Deployment/web-a.spec.replicas, from: 1, to: 4, step: 1}',
    `  replications: ${replications}`,
    '  metrics: [latency.mean]',
    '  search:',
    ...search.map((l) => `    ${l}`),
  );
  return readExperiment('e.yaml', { readFile: (p) => (p.endsWith('tiny.yaml') ? TINY_SCENARIO : text) });
}

const errors = (r: ReturnType<typeof read>) => (r.ok ? [] : r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.col} ${d.path}: ${d.message}`));

describe('objective terms', () => {
  test('METRIC OP BOUND, in the metric\'s unit; latency percentiles read with drops, dropped is dropFraction', () => {
    expect(parseTerm('latency.p99 <= 50ms').term).toEqual({ text: 'latency.p99 <= 50ms', metric: 'latency.p99', evaluate: 'latencyWithDrops.p99', op: '<=', bound: 0.05, boundText: '50ms', unit: 's' });
    expect(parseTerm(' dropped ≤ 0.1% ').term).toMatchObject({ metric: 'dropped', evaluate: 'dropFraction', op: '<=', bound: 0.001, unit: 'fraction' });
    expect(parseTerm('throughput > 1k/s').term).toMatchObject({ op: '>=', bound: 1000, unit: '/s' });
    expect(parseTerm('cost.perMonth <= 500').term).toMatchObject({ evaluate: 'cost.perMonth', bound: 500, unit: 'cost' });
    expect(parseTerm('latency.mean <= 10ms').term.evaluate).toBe('latency.mean'); // only percentiles take drops
  });
});

describe('the search section, checked', () => {
  test('a bisection: the plan holds the search, per every other parameter, and the metrics it needs', () => {
    const r = read(['parameter: replicas', 'objective: latency.p99 <= 50ms and dropped <= 0.1%']);
    if (!r.ok) expect.fail(errors(r).join('\n'));
    const s = r.experiment.plan.search!;
    expect(s).toMatchObject({ mode: 'bisect', parameter: 'replicas', find: 'smallest', per: ['rate'], maxReplications: 12, step: 3, headroom: 'none' });
    expect(s.objective.map((t) => t.evaluate)).toEqual(['latencyWithDrops.p99', 'dropFraction']);
    expect(r.experiment.plan.metrics).toEqual(['latency.mean', 'latency.p99', 'latencyWithDrops.p99', 'dropFraction']);
  });

  test('the grid mode: per, and the cost metric', () => {
    const r = read(['objective: [latency.p99 <= 50ms]', 'per: [rate]']);
    if (!r.ok) expect.fail(errors(r).join('\n'));
    expect(r.experiment.plan.search).toMatchObject({ mode: 'grid', parameter: null, per: ['rate'], cost: 'cost.perHour' });
    expect(r.experiment.plan.metrics).toContain('cost.perHour');
  });

  test('an experiment without a search has none in its plan (its hash is what it was)', () => {
    const r = readExperiment('e.yaml', { readFile: (p) => (p.endsWith('tiny.yaml') ? TINY_SCENARIO : yaml('apiVersion: netsim/v1', 'kind: Experiment', 'spec:', '  scenario: tiny.yaml', '  metrics: [latency.mean]')) });
    expect(r.ok && 'search' in r.experiment.plan).toBe(false);
  });

  test('problems at their place: inside the objective for a bad metric or bound, at the field otherwise', () => {
    // Lines: search: is line 11, its entries from 12.
    const at = (line: number, col: number, field: string, message: string) => expect.stringMatching(new RegExp(`^${line}:${col} Experiment/s\\.spec\\.search\\.${field}: ${message}`));
    expect(errors(read(['parameter: replicas', 'objective: latncy.p99 <= 50ms']))).toEqual([at(13, 16, 'objective', "expected one of .*found 'latncy'")]);
    expect(errors(read(['parameter: replicas', 'objective: latency.p99 <= 50 parsecs']))).toEqual([at(13, 33, 'objective', 'expected a duration')]);
    expect(errors(read(['parameter: replicas', 'objective: latency.p99 <= 1ms and dropped <= lots']))).toEqual([at(13, 50, 'objective', 'expected a fraction')]);
    expect(errors(read(['parameter: replica', 'objective: latency.p99 <= 1ms']))).toEqual([at(12, 16, 'parameter', 'expected a parameter name \\(rate, replicas\\), found "replica"; did you mean "replicas"\\?')]);
    expect(errors(read(['parameter: replicas', 'objective: latency.p99 50ms']))).toEqual([at(13, 16, 'objective', 'expected METRIC <= BOUND')]);
    expect(errors(read(['parameter: replicas', 'per: [rate]', 'objective: latency.p99 <= 1ms']))).toEqual([at(13, 5, 'per', 'per is for the grid mode')]);
    expect(errors(read(['objective: latency.p99 <= 1ms', 'per: [rate, replicas]']))).toEqual([at(13, 10, 'per', 'every parameter is in per')]);
    expect(errors(read(['parameter: replicas', 'objective: latency.p99 <= 1ms', 'maxReplications: 2']))).toEqual([at(14, 22, 'maxReplications', 'expected at least replications \\(3\\)')]);
    expect(errors(read(['parameter: replicas', 'objective: latency.p99 <= 1ms', 'headroom: rack']))).toEqual([at(14, 15, 'headroom', 'expected one of "none", "node" or "zone"')]);
    expect(errors(read(['parameter: replicas', 'objective: latency.p99 <= 1ms'], 1))).toEqual([expect.stringMatching(/^9:17 Experiment\/s\.spec\.replications: expected at least 2 replications/)]);
  });
});
