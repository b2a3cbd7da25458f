/** `netsim plan`: the sentence first, then the table; exit codes 0, 1 (failed runs), 2 (bad input, at file:line:col). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { TINY_SCENARIO, workspace, yaml } from '../experiment/helpers.js';
import { hasStackTrace, netsim } from './helpers.js';

const ws = workspace({ 'tiny.yaml': TINY_SCENARIO });
afterAll(() => ws.cleanup());

const experiment = (search: string[], name = 'tiny-plan') =>
  yaml(
    'apiVersion: netsim/v1',
    'kind: Experiment',
    `metadata: {name: ${name}}`,
    'spec:',
    '  scenario: tiny.yaml',
    '  parameters:',
    '    - {name: rate, path: "Workload.spec.clients[0].rate", from: 100, to: 800, step: 100, unit: /s}',
    '  replications: 2',
    '  seed: 3',
    '  metrics: [latency.mean]',
    '  search:',
    ...search.map((l) => `    ${l}`),
  );

describe('netsim plan', () => {
  test('exit 0: one sentence first, then the table and the runs against the grid; the same bytes with any worker count', async () => {
    const e = ws.write('largest.yaml', experiment(['parameter: rate', 'find: largest', 'objective: latency.p99 <= 20ms and dropped <= 1%', 'maxReplications: 6']));
    const a = await netsim(['plan', e, '--out', ws.path('a'), '--workers', '0']);
    expect(a.stderr).not.toMatch(/error/);
    expect(a.code).toBe(0);
    const lines = a.stdout.split('\n');
    expect(lines[0]).toMatch(/^rate \d+\/s meets p99 ≤ 20ms and dropped ≤ 1%: p99 .* \(95 % CI, \d+ replications\); rate \d+\/s (fails|undecided): /);
    expect(lines[2]).toMatch(/^rate\s+runs\s+p99 ≤ 20ms\s+dropped ≤ 1%\s+meets\s+cost\/month/);
    expect(a.stdout).toMatch(/\n\d+ runs \(\d+(\.\d+)? %\); the whole grid: 8 points × 2 replications = 16 runs \(netsim sweep\)\.\n/);
    expect(a.stdout).toContain(`wrote ${ws.path('a')}/: plan.json, summary.json`);
    expect(a.stderr).toMatch(/\d+ runs? on 1 worker in /); // timing on stderr, so stdout stays byte-identical
    const b = await netsim(['plan', e, '--out', ws.path('a'), '--workers', '2', '-q']);
    expect(b.code).toBe(2); // refused: the directory holds a plan
    expect(b.stderr).toMatch(/already holds results/);
    const c = await netsim(['plan', e, '--out', ws.path('c'), '--workers', '2']);
    expect(c.code).toBe(0);
    expect(c.stdout.replace(ws.path('c'), 'OUT')).toBe(a.stdout.replace(ws.path('a'), 'OUT'));
    expect(readFileSync(ws.path('c/plan.json'), 'utf8')).toBe(readFileSync(ws.path('a/plan.json'), 'utf8'));
  });

  test('--report writes the report with the plan chart', async () => {
    const e = ws.write('rep.yaml', experiment(['parameter: rate', 'find: largest', 'objective: latency.p99 <= 20ms'], 'rep'));
    const r = await netsim(['plan', e, '--out', ws.path('rep'), '--workers', '0', '--report', '-q']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(existsSync(ws.path('rep/report/index.html'))).toBe(true);
    expect(existsSync(ws.path('rep/report/plan.csv'))).toBe(true);
  });

  test('exit 2: a bad objective at its file:line:col, no search section, a missing file', async () => {
    const bad = ws.write('bad.yaml', experiment(['parameter: rate', 'objective: latency.p99 <= 20 lightyears']));
    const r = await netsim(['plan', bad, '--out', ws.path('bad'), '--workers', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:13:33: error: Experiment\/tiny-plan\.spec\.search\.objective: expected a duration/);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(existsSync(ws.path('bad/results.jsonl'))).toBe(false);

    const none = ws.write('none.yaml', yaml('apiVersion: netsim/v1', 'kind: Experiment', 'metadata: {name: none}', 'spec:', '  scenario: tiny.yaml', '  metrics: [latency.mean]'));
    const n = await netsim(['plan', none, '--out', ws.path('none'), '--workers', '0']);
    expect(n.code).toBe(2);
    expect(n.stderr).toMatch(/none\.yaml:4:1: error: .*expected a search section/);

    const missing = await netsim(['plan', ws.path('nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.yaml:1:1: error: cannot read the experiment: no such file/);
    expect((await netsim(['plan', bad, '--workers', 'many'])).code).toBe(2);
  });

  test('exit 1: runs that failed are named, and the answer says what could be decided', async () => {
    const e = ws.write('fail.yaml', experiment(['parameter: rate', 'objective: latency.p99 <= 20ms'], 'fail'));
    const r = await netsim(['plan', e, '--out', ws.path('fail'), '--workers', '0'], {
      runScenario: () => {
        throw new Error('injected');
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/run p\d+-r0 failed: injected/);
    expect(r.stdout.split('\n')[0]).toMatch(/^Undecided: /);
    expect(JSON.parse(readFileSync(join(ws.path('fail'), 'plan.json'), 'utf8')).runs.failed).toBeGreaterThan(0);
  });
});
