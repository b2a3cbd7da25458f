import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { welchDifference } from '../../src/engine/stats/index.js';
import { mergeSweeps } from '../../src/experiment/merge.js';
import { replicationSeed } from '../../src/experiment/plan.js';
import { runScenario } from '../../src/experiment/run-scenario.js';
import { readResults, type ResultLine } from '../../src/experiment/store.js';
import { runSweep, type SweepOptions, type SweepOutcome } from '../../src/experiment/sweep.js';
import type { Summary } from '../../src/experiment/aggregate.js';
import { tinyExperiment, TINY_SCENARIO, workspace, yaml } from './helpers.js';

const ws = workspace({ 'tiny.yaml': TINY_SCENARIO, 'e.yaml': tinyExperiment() });
afterAll(() => ws.cleanup());

type Done = Extract<SweepOutcome, { kind: 'done' }>;

async function sweep(opts: Omit<SweepOptions, 'experimentFile'> & { experimentFile?: string }): Promise<Done> {
  const r = await runSweep({ experimentFile: ws.path('e.yaml'), ...opts });
  if (r.kind === 'invalid') expect.fail(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('\n'));
  if (r.kind === 'refused') expect.fail(r.message);
  return r;
}

const summaryFiles = (dir: string) => ['summary.json', 'summary.csv', 'differences.csv'].map((f) => readFileSync(join(dir, f), 'utf8'));
const linesOf = (dir: string): ResultLine[] => readResults(dir).lines;
const withoutClock = (lines: readonly ResultLine[]) =>
  lines.map(({ wallSeconds: _w, ...rest }) => rest).sort((a, b) => a.index - b.index);

describe('determinism: the same runs and the same summary bytes whatever the workers or shards', () => {
  test('1 worker, 2 workers, the main thread, and 3 shards merged', async () => {
    const one = await sweep({ out: ws.path('d-w1'), workers: 1 });
    const two = await sweep({ out: ws.path('d-w2'), workers: 2 });
    const inline = await sweep({ out: ws.path('d-w0'), workers: 0 });
    expect(one.ran).toBe(18);
    expect([two.workers, one.workers, inline.workers]).toEqual([2, 1, 1]);
    for (let k = 1; k <= 3; k++) {
      const s = await sweep({ out: ws.path(`d-s${k}`), workers: 1, shard: { index: k, count: 3 } });
      expect(s.summary).toBeNull();
      expect(s.ran).toBe(6);
    }
    const merged = mergeSweeps([1, 2, 3].map((k) => ws.path(`d-s${k}`)), ws.path('d-merged'));
    expect(merged.kind).toBe('done');

    const reference = summaryFiles(ws.path('d-w1'));
    expect(summaryFiles(ws.path('d-w2'))).toEqual(reference);
    expect(summaryFiles(ws.path('d-w0'))).toEqual(reference);
    expect(summaryFiles(ws.path('d-merged'))).toEqual(reference);
    // The lines too (completion order and wall-clock time aside).
    expect(withoutClock(linesOf(ws.path('d-w2')))).toEqual(withoutClock(linesOf(ws.path('d-w1'))));
    expect(withoutClock(linesOf(ws.path('d-merged')))).toEqual(withoutClock(linesOf(ws.path('d-w1'))));
    // And each run's result file (wall-clock fields aside).
    const strip = (t: string) => t.replace(/"(wallSeconds|eventsPerWallSecond|requestsPerWallSecond)": [0-9.e+-]+/g, '"$1": 0');
    for (const f of readdirSync(ws.path('d-w1/runs'))) {
      expect(strip(readFileSync(ws.path(`d-merged/runs/${f}`), 'utf8'))).toBe(strip(readFileSync(ws.path(`d-w1/runs/${f}`), 'utf8')));
    }
  });

  test('with a precision target (sequential replications), too', async () => {
    ws.write('p.yaml', tinyExperiment({ replications: 2, extra: ['  precision: {metric: latency.mean, relative: 4%, maxReplications: 8, step: 2}'] }).replace('name: tiny', 'name: tiny-precision'));
    const one = await sweep({ experimentFile: ws.path('p.yaml'), out: ws.path('p-w1'), workers: 1 });
    const two = await sweep({ experimentFile: ws.path('p.yaml'), out: ws.path('p-w2'), workers: 2 });
    for (let k = 1; k <= 2; k++) await sweep({ experimentFile: ws.path('p.yaml'), out: ws.path(`p-s${k}`), workers: 2, shard: { index: k, count: 2 } });
    expect(mergeSweeps([ws.path('p-s1'), ws.path('p-s2')], ws.path('p-merged')).kind).toBe('done');
    const reference = summaryFiles(ws.path('p-w1'));
    expect(summaryFiles(ws.path('p-w2'))).toEqual(reference);
    expect(summaryFiles(ws.path('p-merged'))).toEqual(reference);
    expect(two.ran).toBe(one.ran);
    const summary = JSON.parse(reference[0]!) as Summary;
    for (const p of summary.points) {
      const s = p.metrics['latency.mean']!;
      // Each point stopped because it met the target, or at the cap.
      if (p.precisionMet) expect(s.relativeHalfWidth!).toBeLessThanOrEqual(0.04);
      else expect(p.ok).toBe(8);
      expect(p.ok % 2).toBe(0);
    }
    // Some points needed more than the first two replications.
    expect(summary.points.some((p) => p.ok > 2)).toBe(true);
  });
});

describe('results.jsonl: appended as runs finish, resumable', () => {
  test('a killed sweep (last line cut short) resumes with only the missing runs, and ends the same', async () => {
    const full = await sweep({ out: ws.path('r-full'), workers: 2 });
    await sweep({ out: ws.path('r-killed'), workers: 2 });
    const path = ws.path('r-killed/results.jsonl');
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    // Keep 7 whole lines and half of the 8th, as a kill during a write would.
    writeFileSync(path, `${lines.slice(0, 7).join('\n')}\n${lines[7]!.slice(0, 40)}`);
    rmSync(ws.path('r-killed/summary.json'));
    const resumed = await sweep({ out: ws.path('r-killed'), workers: 2, resume: true });
    expect(resumed.skipped).toBe(7);
    expect(resumed.ran).toBe(full.ran - 7);
    const after = linesOf(ws.path('r-killed'));
    expect(after).toHaveLength(18);
    expect(new Set(after.map((l) => l.run)).size).toBe(18);
    expect(readResults(ws.path('r-killed')).cut).toBe(false);
    expect(summaryFiles(ws.path('r-killed'))).toEqual(summaryFiles(ws.path('r-full')));
    // Nothing left to do: a second resume runs nothing and rewrites the same summary.
    const again = await sweep({ out: ws.path('r-killed'), workers: 2, resume: true });
    expect([again.ran, again.skipped]).toEqual([0, 18]);
    expect(summaryFiles(ws.path('r-killed'))).toEqual(summaryFiles(ws.path('r-full')));
  });

  test('each line says which run, where, with which seed and values', () => {
    const l = linesOf(ws.path('r-full')).find((x) => x.run === 'p3-r1')!;
    expect(l).toMatchObject({ run: 'p3-r1', index: 10, point: 3, params: { rate: '200/s', etp: 'Local' }, replication: 1, seed: replicationSeed(7, 1), status: 'ok', result: 'runs/p3-r1.json' });
    // The experiment's metrics, then the cost every run reports (for the summary's per-point cost).
    expect(Object.keys(l.metrics)).toEqual(['latency.mean', 'latency.p99', 'paths.secondHopFraction', 'podShare.max', 'cost.perHour', 'cost.perMonth']);
    expect(l.metrics['paths.secondHopFraction']).toBe(0); // Local: no second hop
    const file = JSON.parse(readFileSync(ws.path('r-full/runs/p3-r1.json'), 'utf8')) as { schema: string; seed: number; overrides: string[] };
    expect(file.schema).toBe('netsim.result/v1');
    expect(file.seed).toBe(l.seed);
    expect(file.overrides).toEqual(['Workload.spec.clients[0].rate=200/s', 'Service/web.spec.externalTrafficPolicy=Local']);
  });

  test('refusals: an existing output without --resume; --resume of another experiment or shard', async () => {
    const r1 = await runSweep({ experimentFile: ws.path('e.yaml'), out: ws.path('r-full'), workers: 0 });
    expect(r1.kind === 'refused' && r1.message).toMatch(/already holds sweep results .* pass --resume/);
    ws.write('e-other.yaml', tinyExperiment({ seed: 8 }));
    const r2 = await runSweep({ experimentFile: ws.path('e-other.yaml'), out: ws.path('r-full'), workers: 0, resume: true });
    expect(r2.kind === 'refused' && r2.message).toMatch(/holds a sweep of another experiment/);
    const r3 = await runSweep({ experimentFile: ws.path('e.yaml'), out: ws.path('r-full'), workers: 0, resume: true, shard: { index: 1, count: 2 } });
    expect(r3.kind === 'refused' && r3.message).toMatch(/holds the whole sweep, not shard 1\/2/);
  });

  test('--resume of a directory that holds nothing yet simply starts (restartable shard jobs)', async () => {
    const r = await sweep({ out: ws.path('r-fresh'), workers: 0, resume: true, shard: { index: 2, count: 3 } });
    expect(r.ran).toBe(6);
  });
});

describe('scheduling', () => {
  test('the longest runs start first (more requests per run), which changes no result', async () => {
    const started: string[] = [];
    const recording: typeof runScenario = (req) => {
      started.push((req.set ?? []).find((x) => x.includes('rate='))!);
      return runScenario(req);
    };
    const r = await sweep({ out: ws.path('order'), workers: 0, runScenario: recording });
    expect(r.ran).toBe(18);
    const rate = (x: string) => Number(/rate=(\d+)/.exec(x)![1]);
    // 300/s, then 200/s, then 100/s points (plan order is 100/s first), each point's runs together.
    expect(started.map(rate)).toEqual([...Array(6).fill(300), ...Array(6).fill(200), ...Array(6).fill(100)]);
    expect(summaryFiles(ws.path('order'))).toEqual(summaryFiles(ws.path('r-full')));
  });

  test('a pool of one worker thread keeps that order (piscina re-queues at the tail unless told not to)', async () => {
    await sweep({ out: ws.path('order-pool'), workers: 1 });
    // One worker finishes runs in the order it starts them, so results.jsonl shows the start order.
    const points = linesOf(ws.path('order-pool')).map((l) => l.point);
    expect(points).toEqual([4, 4, 4, 5, 5, 5, 2, 2, 2, 3, 3, 3, 0, 0, 0, 1, 1, 1]);
  });
});

describe('failures', () => {
  test('a run that throws is recorded with its reason, the others run, and a resume runs it again', async () => {
    const badSeed = replicationSeed(7, 1);
    const flaky: typeof runScenario = (req) => {
      if (req.seed === badSeed) throw new RangeError('boom in the model');
      return runScenario(req);
    };
    const r = await sweep({ out: ws.path('f'), workers: 0, runScenario: flaky });
    expect(r.ran).toBe(18);
    expect(r.failed).toBe(6); // replication 1 of each of the 6 points
    expect(r.failures[0]).toEqual({ run: 'p0-r1', error: 'RangeError: boom in the model' });
    const failedLine = linesOf(ws.path('f')).find((l) => l.run === 'p2-r1')!;
    expect(failedLine).toMatchObject({ status: 'failed', error: 'RangeError: boom in the model', metrics: {}, result: null });
    const s = JSON.parse(readFileSync(ws.path('f/summary.json'), 'utf8')) as Summary;
    expect(s.runs.failed).toBe(6);
    expect(s.points[0]!.failed).toBe(1);
    expect(s.points[0]!.metrics['latency.mean']!.n).toBe(2);
    // Paired differences use the replications both points have.
    expect(s.differences[0]!.metrics['latency.mean']!.n).toBe(2);

    const again = await sweep({ out: ws.path('f'), workers: 0, resume: true });
    expect([again.skipped, again.ran, again.failed]).toEqual([12, 6, 0]);
    expect(linesOf(ws.path('f')).every((l) => l.status === 'ok')).toBe(true);
    expect(summaryFiles(ws.path('f'))).toEqual(summaryFiles(ws.path('r-full')));
  });
});

describe('merge refusals', () => {
  test('outputs of different experiments', async () => {
    ws.write('e-seed9.yaml', tinyExperiment({ seed: 9 }));
    await sweep({ out: ws.path('m-a1'), workers: 0, shard: { index: 1, count: 2 } });
    await sweep({ experimentFile: ws.path('e-seed9.yaml'), out: ws.path('m-b2'), workers: 0, shard: { index: 2, count: 2 } });
    const r = mergeSweeps([ws.path('m-a1'), ws.path('m-b2')], ws.path('m-out1'));
    expect(r.kind).toBe('refused');
    expect(r.kind === 'refused' && r.problems.join('\n')).toMatch(/different experiments[\s\S]*m-a1: experiment tiny, hash [0-9a-f]{12}[\s\S]*m-b2: experiment tiny, hash [0-9a-f]{12}/);
  });

  test('a run in two outputs (a shard collected twice)', async () => {
    await sweep({ out: ws.path('m-a2'), workers: 0, shard: { index: 2, count: 2 } });
    cpSync(ws.path('m-a2'), ws.path('m-a2-copy'), { recursive: true });
    const r = mergeSweeps([ws.path('m-a1'), ws.path('m-a2'), ws.path('m-a2-copy')], ws.path('m-out2'));
    expect(r.kind === 'refused' && r.problems.join('\n')).toMatch(/9 runs are in more than one output: p0-r1 \(in .*m-a2 and .*m-a2-copy\)/);
    const same = mergeSweeps([ws.path('m-a1'), ws.path('m-a1')], ws.path('m-out2'));
    expect(same.kind === 'refused' && same.problems.join('\n')).toMatch(/given twice/);
  });

  test('missing runs: a shard not given, a shard not finished', async () => {
    const r = mergeSweeps([ws.path('m-a1')], ws.path('m-out3'));
    expect(r.kind === 'refused' && r.problems.join('\n')).toMatch(/9 runs are missing: p0-r1, p1-r0, .* — no output of shard 2\/2 was given/);
    const text = readFileSync(ws.path('m-a2/results.jsonl'), 'utf8').split('\n');
    cpSync(ws.path('m-a2'), ws.path('m-a2-cut'), { recursive: true });
    writeFileSync(ws.path('m-a2-cut/results.jsonl'), `${text.slice(0, 5).join('\n')}\n`);
    const cut = mergeSweeps([ws.path('m-a1'), ws.path('m-a2-cut')], ws.path('m-out3'));
    expect(cut.kind === 'refused' && cut.problems.join('\n')).toMatch(/4 runs are missing: .* shard 2\/2 \(.*m-a2-cut\) is incomplete: finish it with --resume/);
    const ok = mergeSweeps([ws.path('m-a1'), ws.path('m-a2')], ws.path('m-out3'));
    expect(ok.kind).toBe('done');
    expect(summaryFiles(ws.path('m-out3'))).toEqual(summaryFiles(ws.path('r-full')));
  });

  test('not a sweep output; an output directory that is an input', () => {
    const r = mergeSweeps([ws.dir], ws.path('m-out4'));
    expect(r.kind === 'refused' && r.problems.join('\n')).toMatch(/no manifest\.json \(not a sweep output directory\)/);
    const r2 = mergeSweeps([ws.path('m-a1'), ws.path('m-a2')], ws.path('m-a1'));
    expect(r2.kind === 'refused' && r2.problems.join('\n')).toMatch(/cannot also be an input/);
  });
});

describe('common random numbers: paired differences are much tighter than unpaired ones', () => {
  test('iptables vs nftables at 20k Service ports: the paired CI of the latency difference is several times narrower', async () => {
    ws.write(
      'kp.yaml',
      yaml(
        'apiVersion: netsim/v1',
        'kind: Experiment',
        'metadata: {name: kp}',
        'spec:',
        '  scenario: tiny.yaml',
        '  set: [Cluster.spec.kubeProxy.servicePorts=20000, "Workload.spec.clients[0].rate=300/s"]',
        '  parameters:',
        '    - {name: mode, path: Cluster.spec.kubeProxy.mode, values: [iptables, nftables]}',
        '  replications: 10',
        '  seed: 3',
        '  metrics: [latency.mean, latency.p50]',
      ),
    );
    const r = await sweep({ experimentFile: ws.path('kp.yaml'), out: ws.path('kp'), workers: 2 });
    const d = r.summary!.differences[0]!;
    expect(d.factor).toBe('mode');
    const mean = d.metrics['latency.mean']!;
    expect(mean.n).toBe(10);
    // nftables skips the iptables rule walk: lower latency, clearly.
    expect(mean.significant).toBe(true);
    expect(mean.mean!).toBeLessThan(0);
    // The same comparison without pairing (what independent seeds would need to resolve it).
    const lines = linesOf(ws.path('kp')).sort((a, b) => a.replication - b.replication);
    const a = lines.filter((l) => l.point === 0).map((l) => l.metrics['latency.mean']!);
    const b = lines.filter((l) => l.point === 1).map((l) => l.metrics['latency.mean']!);
    const welch = welchDifference(b, a, 0.95);
    expect(mean.unpairedHalfWidth).toBeCloseTo(welch.halfWidth, 15);
    // Seen: 6.7x narrower (paired ±37 us against unpaired ±247 us on a -324 us difference).
    expect(mean.halfWidth!).toBeLessThan(welch.halfWidth / 4);
  });
});
