import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { Summary } from '../../src/experiment/aggregate.js';
import { barProgress, lineProgress } from '../../src/experiment/progress.js';
import { readResults } from '../../src/experiment/store.js';
import { Capture, netsim } from '../cli/helpers.js';
import { ROOT, tinyExperiment, TINY_SCENARIO, workspace, yaml } from './helpers.js';

const ws = workspace({ 'tiny.yaml': TINY_SCENARIO, 'e.yaml': tinyExperiment({ replications: 2 }) });
afterAll(() => ws.cleanup());

describe('netsim sweep, end to end', () => {
  test('the etp example: summary table on stdout, progress on stderr, files written, exit 0', async () => {
    const out = ws.path('etp');
    const r = await netsim(['sweep', join(ROOT, 'experiments/etp-cluster-vs-local.yaml'), '--out', out, '--workers', '2']);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^etp-cluster-vs-local: 6 points, 30 runs ok; mean ± 95% CI half-width/);
    expect(r.stdout).toMatch(/etp Cluster → Local\s+\(load=3k\/s\)/);
    expect(r.stdout).toMatch(/30 runs \(0 failed\) on 2 workers/);
    // Not a terminal: plain progress lines.
    expect(r.stderr).toMatch(/^sweep etp-cluster-vs-local: 30 runs to go\n/);
    expect(r.stderr).toMatch(/sweep etp-cluster-vs-local: 30\/30 runs \(100%\), 0 failed/);
    for (const f of ['manifest.json', 'results.jsonl', 'summary.json', 'summary.csv', 'differences.csv', 'runs/p5-r4.json']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(readResults(out).lines).toHaveLength(30);

    // The story the example tells.
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
    const at = (load: string, etp: string) => s.points.find((p) => p.params['load'] === load && p.params['etp'] === etp)!;
    expect(at('1k/s', 'Cluster').metrics['paths.secondHopFraction']!.mean!).toBeGreaterThan(0.6);
    expect(at('1k/s', 'Local').metrics['paths.secondHopFraction']!.mean!).toBe(0);
    expect(at('1k/s', 'Cluster').metrics['podShare.max']!.mean!).toBeLessThan(0.3);
    expect(at('1k/s', 'Local').metrics['podShare.max']!.mean!).toBeGreaterThan(0.45);
    expect(at('3k/s', 'Local').metrics['latency.p99']!.mean!).toBeGreaterThan(5 * at('3k/s', 'Cluster').metrics['latency.p99']!.mean!);
    const csv = readFileSync(join(out, 'summary.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('point,load,etp,metric,unit,n,mean,sd,lower,upper,halfWidth,relativeHalfWidth,missing,failed');
    expect(csv[1]).toMatch(/^0,1k\/s,Cluster,latency\.p50,s,5,/);
  });

  test('--resume, --shard and merge through the CLI', async () => {
    const e = ws.path('e.yaml');
    const s1 = await netsim(['sweep', e, '--shard', '1/2', '--out', ws.path('c1'), '--workers', '1', '-q']);
    const s2 = await netsim(['sweep', e, '--shard', '2/2', '--out', ws.path('c2'), '--workers', '1']);
    expect([s1.code, s2.code]).toEqual([0, 0]);
    expect(s1.stdout).toBe('');
    expect(s2.stdout).toMatch(/6 runs \(0 failed\) on 1 worker .* \(shard 2\/2\); join the shards with: netsim merge/);
    const m = await netsim(['merge', ws.path('c1'), ws.path('c2'), '--out', ws.path('cm')]);
    expect(m.code).toBe(0);
    expect(m.stdout).toMatch(/merged 12 runs from 2 outputs into/);
    const again = await netsim(['merge', ws.path('c1'), '--out', ws.path('cm2')]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/error: 6 runs are missing: .*no output of shard 2\/2 was given\nnothing was merged/);
    const resumed = await netsim(['sweep', e, '--shard', '2/2', '--out', ws.path('c2'), '--resume', '--workers', '0']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/0 runs \(0 failed, 6 already done\)/);
  });

  test('--report writes the HTML report next to the results; ignored (with a warning) for a shard', async () => {
    const e = ws.path('e.yaml');
    const r = await netsim(['sweep', e, '--out', ws.path('rep'), '--workers', '0', '--report']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/report: .*rep\/report\/index\.html/);
    expect(readFileSync(ws.path('rep/report/index.html'), 'utf8')).toMatch(/<html/);
    const shard = await netsim(['sweep', e, '--out', ws.path('rep-s'), '--workers', '0', '--report', '--shard', '1/2']);
    expect(shard.code).toBe(0);
    expect(shard.stderr).toMatch(/warning: --report ignored for a shard/);
    expect(existsSync(ws.path('rep-s/report'))).toBe(false);
  });

  test('bad input: diagnostics with file:line:col, exit 2; bad options', async () => {
    const bad = ws.write('bad.yaml', tinyExperiment().replace('values: [Cluster, Local]', 'values: [Cluster, Locl]'));
    const r = await netsim(['sweep', bad, '--out', ws.path('bad'), '--workers', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:12:25: error: Service\/web\.spec\.externalTrafficPolicy: expected one of "Cluster" or "Local", found "Locl"/);
    expect(r.stderr).toMatch(/1 error; nothing was run/);
    expect(existsSync(ws.path('bad'))).toBe(false);
    expect((await netsim(['sweep', bad, '--shard', '3/2'])).stderr).toMatch(/expected a shard number from 1 to 2/);
    expect((await netsim(['sweep', bad, '--workers', 'many'])).code).toBe(2);
    const missing = await netsim(['sweep', ws.path('nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.yaml:1:1: error: cannot read the experiment: no such file/);
  });

  test('failed runs: exit 1, each named on stderr', async () => {
    const e = ws.write('fail.yaml', yaml('apiVersion: netsim/v1', 'kind: Experiment', 'spec:', '  scenario: tiny.yaml', '  replications: 2', '  metrics: [latency.p99]'));
    const r = await netsim(['sweep', e, '--out', ws.path('fail'), '--workers', '0'], {
      runScenario: () => {
        throw new Error('injected');
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/run p0-r0 failed: injected\nrun p0-r1 failed: injected/);
    expect(r.stdout).toMatch(/2 runs \(2 failed\)/);
  });
});

describe('progress', () => {
  test('plain lines, at most one per interval, and a last one', () => {
    const out = new Capture();
    let t = 0;
    const p = lineProgress(out, 'sweep x', 5000, () => t);
    p.start(10);
    t = 1000;
    p.update(1, 0, 10);
    t = 6000;
    p.update(3, 1, 10);
    t = 7000;
    p.update(4, 1, 10);
    t = 12000;
    p.update(10, 1, 10);
    p.stop();
    expect(out.text).toBe(
      'sweep x: 10 runs to go\n' +
        'sweep x: 3/10 runs (30%), 1 failed, 6s elapsed, ETA 14s\n' +
        'sweep x: 10/10 runs (100%), 1 failed, 12s elapsed, ETA 0s\n',
    );
  });

  test('a bar on a terminal', () => {
    const out = new Capture(true, 120);
    const p = barProgress(out, 'sweep x');
    p.start(4);
    p.update(2, 1, 4);
    p.update(4, 1, 5);
    p.stop();
    expect(out.text).toMatch(/sweep x .*4\/5 runs \| 1 failed/);
  });
});
