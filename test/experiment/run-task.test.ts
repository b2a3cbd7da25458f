import { afterAll, describe, expect, test } from 'vitest';
import { executeRun, type RunTask } from '../../src/experiment/run-task.js';
import { runScenario } from '../../src/experiment/run-scenario.js';
import { evaluateMetrics, parseMetric } from '../../src/experiment/metrics.js';
import { TINY_SCENARIO, workspace } from './helpers.js';

const ws = workspace({ 'tiny.yaml': TINY_SCENARIO });
afterAll(() => ws.cleanup());

const task = (set: string[]): RunTask => ({ runId: 'p0-r0', files: [ws.path('tiny.yaml')], set, seed: 3, metrics: ['latency.mean', 'podShare.max'], resultFile: null });

describe('a run as a worker task', () => {
  test('gives the metrics of an ordinary run of the same files, overrides and seed', () => {
    const set = ['Workload.spec.clients[0].rate=200/s'];
    const reply = executeRun(task(set));
    expect(reply.status).toBe('ok');
    const plain = runScenario({ files: [ws.path('tiny.yaml')], set, seed: 3 });
    if (!plain.ok) expect.fail('the tiny scenario should load');
    expect(reply.metrics).toEqual(evaluateMetrics(['latency.mean', 'podShare.max'].map(parseMetric), plain.result));
  });

  test('parses the files once per content: an edited file is read afresh, not served from the cache', () => {
    const before = executeRun(task([]));
    ws.write('tiny.yaml', TINY_SCENARIO.replace('rate: 150/s', 'rate: 400/s'));
    const after = executeRun(task([]));
    ws.write('tiny.yaml', TINY_SCENARIO);
    const again = executeRun(task([]));
    expect(after.metrics['latency.mean']).not.toBe(before.metrics['latency.mean']);
    expect(again.metrics).toEqual(before.metrics);
  });

  test('a file that cannot be read fails the run with the loader\'s message', () => {
    const reply = executeRun({ ...task([]), files: [ws.path('missing.yaml')] });
    expect(reply.status).toBe('failed');
    expect(reply.error).toMatch(/missing\.yaml/);
  });
});
