import { basename } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { prepareExperiment } from '../../src/experiment/prepare.js';
import { formatDiagnostic } from '../../src/scenario/diagnostics.js';
import { TINY_SCENARIO, workspace, yaml } from './helpers.js';

const ws = workspace({ 'tiny.yaml': TINY_SCENARIO });
afterAll(() => ws.cleanup());

let n = 0;
/** Prepares an experiment text; returns its diagnostics as `e.yaml:line:col: severity: path: message`. */
function problems(text: string): { errors: string[]; warnings: string[]; withSource: string } {
  const file = ws.write(`e${++n}.yaml`, text);
  const r = prepareExperiment(file);
  const list = r.ok ? r.warnings : r.diagnostics;
  const show = (d: (typeof list)[number]) => formatDiagnostic({ ...d, file: basename(d.file) });
  return {
    errors: list.filter((d) => d.severity === 'error').map(show),
    warnings: list.filter((d) => d.severity === 'warning').map(show),
    withSource: list.map((d) => formatDiagnostic(d, { sources: r.sources })).join('\n'),
  };
}

const head = (...spec: string[]) => yaml('apiVersion: netsim/v1', 'kind: Experiment', 'metadata: {name: v}', 'spec:', '  scenario: tiny.yaml', ...spec);

describe('experiment validation, with file:line:col', () => {
  test('a valid experiment has no errors', () => {
    const r = problems(head('  parameters:', '    - name: etp', '      path: Service/web.spec.externalTrafficPolicy', '      values: [Cluster, Local]', '  metrics: [latency.p99]'));
    expect(r.errors).toEqual([]);
  });

  test('an unknown field, with a suggestion', () => {
    const r = problems(head('  replication: 3', '  metrics: [latency.p99]'));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^e\d+\.yaml:6:3: error: Experiment\/v\.spec\.replication: unknown field "replication" \(did you mean "replications"\?\)/);
  });

  test('a missing required field, and a wrong type', () => {
    const r = problems(head('  replications: many'));
    expect(r.errors.join('\n')).toMatch(/:6:17: error: Experiment\/v\.spec\.replications: expected a number, found "many"/);
    expect(r.errors.join('\n')).toMatch(/error: Experiment\/v\.spec\.metrics: expected a list, found nothing/);
  });

  test('a parameter path that names nothing points into the path, in the experiment file', () => {
    const r = problems(head('  parameters:', '    - name: etp', '      path: Service/nope.spec.externalTrafficPolicy', '      values: [Cluster, Local]', '  metrics: [latency.p99]'));
    expect(r.errors).toHaveLength(1);
    // col 21 is the `n` of `nope`: `      path: Service/` is 20 characters.
    expect(r.errors[0]).toMatch(/^e\d+\.yaml:8:21: error: Service\/nope\.spec\.externalTrafficPolicy: names nothing: no Service named "nope"/);
    expect(r.withSource).toContain('      path: Service/nope.spec.externalTrafficPolicy\n  |                     ^^^^');
  });

  test('a list index out of range', () => {
    const r = problems(head('  parameters:', '    - name: rate', '      path: Workload.spec.clients[2].rate', '      values: [1/s]', '  metrics: [latency.p99]'));
    expect(r.errors[0]).toMatch(/:8:35: error: Workload\.spec\.clients\[2\]\.rate: names nothing: spec\.clients has 1 item/);
  });

  test('a value the field does not take points at that value', () => {
    const r = problems(head('  parameters:', '    - name: etp', '      path: Service/web.spec.externalTrafficPolicy', '      values: [Cluster, Locl]', '  metrics: [latency.p99]'));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^e\d+\.yaml:9:25: error: Service\/web\.spec\.externalTrafficPolicy: expected one of "Cluster" or "Local", found "Locl"; did you mean "Local"\?/);
  });

  test('an error inside a value (a duration) points inside it', () => {
    const r = problems(head('  parameters:', '    - name: st', '      path: Deployment/web-a.spec.template.metadata.annotations.netsim/service-time', '      values: ["exp(mean=2ms)", "exp(mean=2xs)"]', '  metrics: [latency.p99]'));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^e\d+\.yaml:9:\d+: error: /);
  });

  test('a fixed override (set) that names nothing', () => {
    const r = problems(head('  set: [Simulation.spec.durration=2s]', '  metrics: [latency.p99]'));
    // The scenario layer points an override's problems at its value (here `2s`, col 35).
    expect(r.errors.join('\n')).toMatch(/:6:35: error: Simulation\/tiny\.spec\.durration: unknown field "durration"/);
  });

  test('an unknown metric, pointing at the wrong part, with what is possible there', () => {
    const r = problems(head('  metrics: [latency.p99, latency.p98, podShare.maxx, engine.wallSeconds]'));
    expect(r.errors).toHaveLength(3);
    expect(r.errors[0]).toMatch(/:6:34: error: Experiment\/v\.spec\.metrics\[1\]: expected one of count, mean, min, p50, p90, p99, p999, max, found 'p98'/);
    expect(r.errors[1]).toMatch(/:6:48: error: Experiment\/v\.spec\.metrics\[2\]: .*expected an aggregate/);
    expect(r.errors[2]).toMatch(/wall-clock/);
  });

  test('a parameter whose values change nothing the simulator reads is an error (a typo in a Kubernetes field)', () => {
    const r = problems(head('  parameters:', '    - name: etp', '      path: Service/web.spec.externalTraficPolicy', '      values: [Cluster, Local]', '  metrics: [latency.p99]'));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/:8:\d+: error: .*parameter "etp" changes nothing the simulator reads/);
    expect(r.warnings.join('\n')).toMatch(/:9:\d+: warning: .*unknown field "externalTraficPolicy" is ignored \(did you mean "externalTrafficPolicy"\?\)/);
  });

  test('zip lists of different lengths; a range the wrong way round; a missing name', () => {
    const r = problems(
      head(
        '  parameters:',
        '    - zip:',
        '        - {path: Deployment/web-a.spec.replicas, values: [1, 2]}',
        '        - {path: Deployment/web-b.spec.replicas, values: [1, 2, 3]}',
        '    - {name: r, path: Deployment/web-a.spec.replicas, from: 5, to: 1, step: 1}',
        '  metrics: [latency.p99]',
      ),
    );
    const text = r.errors.join('\n');
    expect(text).toMatch(/:9:11: error: .*expected 2 values, as many as the first zipped field, found 3/);
    expect(text).toMatch(/:7:7: error: .*expected a name for the zipped parameter/);
    expect(text).toMatch(/:10:\d+: error: .*\.to: expected a value at least from \(5\), found 1/);
  });

  test('two parameters with one name, a reserved name, the same path twice', () => {
    const r = problems(
      head(
        '  parameters:',
        '    - {name: x, path: Deployment/web-a.spec.replicas, values: [1, 2]}',
        '    - {name: x, path: Deployment/web-a.spec.replicas, values: [3, 4]}',
        '    - {name: mean, path: Deployment/web-b.spec.replicas, values: [1, 2]}',
        '  metrics: [latency.p99]',
      ),
    );
    const text = r.errors.join('\n');
    expect(text).toMatch(/:8:\d+: error: .*two parameters are called "x"/);
    expect(text).toMatch(/:8:\d+: error: .*parameter 1 already varies Deployment\/web-a\.spec\.replicas/);
    expect(text).toMatch(/:9:\d+: error: .*"mean" is a column of summary\.csv/);
  });

  test('slo and precision: unknown parameter, bad bound, too few replications', () => {
    const r = problems(
      head(
        '  parameters:',
        '    - {name: replicas, path: Deployment/web-a.spec.replicas, values: [1, 2]}',
        '  replications: 1',
        '  metrics: [latency.p99]',
        '  precision: {metric: latency.p99, relative: 150%, maxReplications: 10}',
        '  slo: {metric: latency.p99, max: 5xs, fewest: replica}',
      ),
    );
    const text = r.errors.join('\n');
    expect(text).toMatch(/:8:\d+: error: .*replications: expected at least 2 replications/);
    expect(text).toMatch(/:10:\d+: error: .*relative: expected a fraction/);
    expect(text).toMatch(/:11:\d+: error: .*fewest: expected a parameter name \(replicas\), found "replica"; did you mean "replicas"\?/);
    expect(text).toMatch(/:11:\d+: error: .*slo\.max: /);
  });

  test('a scenario file that does not exist is reported at spec.scenario', () => {
    const r = problems(yaml('apiVersion: netsim/v1', 'kind: Experiment', 'spec:', '  scenario: nowhere.yaml', '  metrics: [latency.p99]'));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/:4:13: error: .*cannot read the scenario .*nowhere\.yaml: no such file \(scenario paths are relative to the experiment file\)/);
  });

  test('errors in the base scenario itself keep their own file and position', () => {
    ws.write('broken.yaml', TINY_SCENARIO.replace('rate: 150/s', 'rate: 150/x'));
    const r = problems(yaml('apiVersion: netsim/v1', 'kind: Experiment', 'spec:', '  scenario: broken.yaml', '  metrics: [latency.p99]'));
    expect(r.errors[0]).toMatch(/^broken\.yaml:\d+:\d+: error: Workload\/load\.spec\.clients\[0\]\.rate: /);
  });

  test('a scenario given to sweep instead of an experiment', () => {
    const r = problems(TINY_SCENARIO);
    expect(r.errors[0]).toMatch(/expected one Experiment document, found 6 documents/);
  });

  test('YAML syntax errors', () => {
    const r = problems(head('  metrics: [latency.p99', '  seed: 1'));
    expect(r.errors[0]).toMatch(/error: YAML: /);
  });
});
