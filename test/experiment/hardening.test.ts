/**
 * Issue 15, "Hardening": untrusted shards, links where result files go, --workers, stored files of the wrong
 * shape, CSV injection, corrupt results.jsonl lines on resume, --out where no directory can be made.
 * Each describe block is one item; docs/reliability.md points at these tests.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { capWorkers, MAX_WORKERS } from '../../src/experiment/executor.js';
import { mergeSweeps } from '../../src/experiment/merge.js';
import { csvCell, toCsv } from '../../src/experiment/result-csv.js';
import { ensureDir, resolveInside, UnsafePathError, writeAtomic } from '../../src/experiment/safe-io.js';
import { readResults } from '../../src/experiment/store.js';
import { runSweep } from '../../src/experiment/sweep.js';
import { netsim } from '../cli/helpers.js';
import { tinyExperiment, TINY_SCENARIO, workspace } from './helpers.js';

const ws = workspace({ 'tiny.yaml': TINY_SCENARIO, 'e.yaml': tinyExperiment({ replications: 1 }) });
afterAll(() => ws.cleanup());

/** Two shards of the tiny experiment (6 runs), in this thread. */
async function shards(prefix: string): Promise<[string, string]> {
  const dirs: [string, string] = [ws.path(`${prefix}-1`), ws.path(`${prefix}-2`)];
  for (const [i, out] of dirs.entries()) {
    const r = await runSweep({ experimentFile: ws.path('e.yaml'), out, workers: 0, shard: { index: i + 1, count: 2 } });
    expect(r.kind).toBe('done');
  }
  return dirs;
}

/** Rewrites results.jsonl of `dir`, changing its first line with `edit`. */
function editFirstLine(dir: string, edit: (line: Record<string, unknown>) => Record<string, unknown>): void {
  const path = join(dir, 'results.jsonl');
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  lines[0] = JSON.stringify(edit(JSON.parse(lines[0]!) as Record<string, unknown>));
  writeFileSync(path, `${lines.join('\n')}\n`);
}

describe('item 1: merge treats shards as untrusted', () => {
  let victim: string;
  beforeAll(() => {
    victim = ws.write('victim.txt', 'precious\n');
  });

  test('a result path that leaves the shard ("../x.txt", absolute) refuses the merge and writes nothing', async () => {
    const [a, b] = await shards('m1');
    editFirstLine(a, (l) => ({ ...l, result: '../../victim.txt' }));
    const out = ws.path('m1-out');
    const r = mergeSweeps([a, b], out);
    expect(r.kind).toBe('refused');
    if (r.kind === 'refused') expect(r.problems.join('\n')).toMatch(/result "\.\.\/\.\.\/victim\.txt" leaves the directory: refused/);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(existsSync(out)).toBe(false);

    editFirstLine(a, (l) => ({ ...l, result: victim }));
    const r2 = mergeSweeps([a, b], out);
    expect(r2.kind).toBe('refused');
    if (r2.kind === 'refused') expect(r2.problems.join('\n')).toMatch(/is not a relative path inside the directory: refused/);
  });

  test('through the CLI: exit 2, the path named, the victim untouched', async () => {
    const [a, b] = await shards('m2');
    editFirstLine(a, (l) => ({ ...l, result: '../x.txt' }));
    const r = await netsim(['merge', a, b, '--out', ws.path('m2-out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/result "\.\.\/x\.txt" leaves the directory: refused/);
    expect(r.stderr).toMatch(/nothing was merged/);
    expect(existsSync(ws.path('x.txt'))).toBe(false);
  });

  test('a result file that is a symbolic link (to a file outside) is refused, not copied', async () => {
    const [a, b] = await shards('m3');
    const line = readResults(a).lines[0]!;
    const target = join(a, line.result!);
    writeFileSync(ws.path('secret.json'), readFileSync(target));
    const { rmSync } = await import('node:fs');
    rmSync(target);
    symlinkSync(ws.path('secret.json'), target);
    const r = mergeSweeps([a, b], ws.path('m3-out'));
    expect(r.kind).toBe('refused');
    if (r.kind === 'refused') expect(r.problems.join('\n')).toMatch(/goes through a symbolic link/);
  });

  test('a result file that does not validate against the result schema refuses the merge', async () => {
    const [a, b] = await shards('m4');
    const line = readResults(a).lines[0]!;
    writeFileSync(join(a, line.result!), '{"schema":"netsim.result/v1"}\n');
    const r = await netsim(['merge', a, b, '--out', ws.path('m4-out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/runs\/p\d+-r0\.json: tool: is missing \(schemas\/result\.schema\.json\)/);
  });

  test('a run file name other than runs/<run>.json is refused even inside the shard', () => {
    expect(() => resolveInside(ws.dir, 'runs/../../etc/passwd')).toThrow(UnsafePathError);
    expect(() => resolveInside(ws.dir, 'a\0b')).toThrow(/not a relative path/);
    expect(resolveInside(ws.dir, 'runs/p0-r0.json')).toBe('runs/p0-r0.json');
  });

  test('clean shards still merge, byte for byte as before', async () => {
    const [a, b] = await shards('m5');
    const r = mergeSweeps([a, b], ws.path('m5-out'));
    expect(r.kind).toBe('done');
    expect(readResults(ws.path('m5-out')).lines).toHaveLength(6);
  });
});

describe('item 2: writes never follow a symbolic link', () => {
  test('writeAtomic refuses a link where the file goes, and leaves its target alone', () => {
    const target = ws.write('target-a.txt', 'keep\n');
    mkdirSync(ws.path('wa'), { recursive: true });
    symlinkSync(target, ws.path('wa/summary.csv'));
    expect(() => writeAtomic(ws.path('wa/summary.csv'), 'x')).toThrow(/is a symbolic link: refusing to write through it/);
    expect(readFileSync(target, 'utf8')).toBe('keep\n');
    writeAtomic(ws.path('wa/other.csv'), 'y');
    expect(readFileSync(ws.path('wa/other.csv'), 'utf8')).toBe('y');
  });

  test('run --out DIR with DIR/summary.csv a link: refused (exit 1, writing failed), nothing written through it', async () => {
    const target = ws.write('target-run.txt', 'keep\n');
    const out = ws.path('run-link');
    mkdirSync(out);
    symlinkSync(target, join(out, 'summary.csv'));
    const r = await netsim(['run', ws.path('tiny.yaml'), '--out', out, '-q']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/summary\.csv: is a symbolic link: refusing to write through it/);
    expect(readFileSync(target, 'utf8')).toBe('keep\n');
    expect(lstatSync(join(out, 'summary.csv')).isSymbolicLink()).toBe(true);
  });

  test('report --out DIR with DIR/index.html a link: refused (exit 2, before anything is written), target untouched', async () => {
    const run = ws.path('run-ok');
    expect((await netsim(['run', ws.path('tiny.yaml'), '--out', run, '-q'])).code).toBe(0);
    const target = ws.write('target-report.txt', 'keep\n');
    const out = ws.path('report-link');
    mkdirSync(out);
    symlinkSync(target, join(out, 'index.html'));
    const r = await netsim(['report', run, '--out', out, '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/index\.html: is a symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe('keep\n');
  });

  test("the sweep's results.jsonl a link (opened for append): refused, target untouched", async () => {
    const target = ws.write('target-jsonl.txt', 'keep\n');
    const out = ws.path('sweep-link');
    mkdirSync(out);
    symlinkSync(target, join(out, 'results.jsonl'));
    const r = await netsim(['sweep', ws.path('e.yaml'), '--out', out, '--workers', '0', '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/results\.jsonl: is a symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe('keep\n');
  });
});

describe('item 4: --workers is checked and capped before the pool starts', () => {
  test('capWorkers: never more than the CPUs or the runs; 0 stays 0', () => {
    expect(capWorkers(0)).toBe(0);
    expect(capWorkers(1000)).toBe(availableParallelism());
    expect(capWorkers(64, 4)).toBe(Math.min(4, availableParallelism()));
    expect(capWorkers(3, 1)).toBe(1);
    expect(capWorkers(2, 0)).toBe(1);
  });

  test.each([['-1'], ['1.5'], ['abc'], [String(MAX_WORKERS + 1)], ['1e9']])('--workers %s is bad input (exit 2)', async (w) => {
    const r = await netsim(['sweep', ws.path('e.yaml'), '--out', ws.path(`w-${w}`), `--workers=${w}`, '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--workers/);
    expect(existsSync(ws.path(`w-${w}`))).toBe(false);
  });

  test('--workers 1000 for 6 runs runs on at most min(6, CPUs) threads', async () => {
    const r = await netsim(['sweep', ws.path('e.yaml'), '--out', ws.path('w-big'), '--workers', '1000']);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const n = Math.min(6, availableParallelism());
    expect(r.stdout).toMatch(new RegExp(`on ${n} worker${n === 1 ? '' : 's'} in`));
  });
});

describe('item 5: stored files of the wrong shape are bad input (exit 2, the path, the field)', () => {
  test('report of a result.json that is only {"schema":"netsim.result/v1"}', async () => {
    const dir = ws.path('bad-result');
    mkdirSync(dir);
    writeFileSync(join(dir, 'result.json'), '{"schema":"netsim.result/v1"}');
    const r = await netsim(['report', dir, '--out', ws.path('bad-result-report')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/result\.json: tool: is missing/);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  test('report of a sweep whose summary.json has "fixed": null', async () => {
    const out = ws.path('bad-summary');
    expect((await runSweep({ experimentFile: ws.path('e.yaml'), out, workers: 0 })).kind).toBe('done');
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { differences: { fixed: unknown }[] };
    s.differences[0]!.fixed = null;
    writeFileSync(join(out, 'summary.json'), JSON.stringify(s));
    const r = await netsim(['report', out, '--out', ws.path('bad-summary-report')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/summary\.json: differences\[0\]\.fixed: /);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  test('merge of a shard whose manifest has the right schema and nothing else', async () => {
    const [a, b] = await shards('bm');
    writeFileSync(join(a, 'manifest.json'), '{"schema":"netsim.sweep/v1"}');
    const r = await netsim(['merge', a, b, '--out', ws.path('bm-out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/manifest\.json: tool: /);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  test('a result.json with a wrong-typed field names it', async () => {
    const run = ws.path('run-typed');
    expect((await netsim(['run', ws.path('tiny.yaml'), '--out', run, '-q'])).code).toBe(0);
    const f = JSON.parse(readFileSync(join(run, 'result.json'), 'utf8')) as { latency: Record<string, unknown> };
    f.latency['p99'] = 'fast';
    writeFileSync(join(run, 'result.json'), JSON.stringify(f));
    const r = await netsim(['report', run, '--out', ws.path('run-typed-report')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/result\.json: latency\.p99: /);
  });
});

describe('item 8: CSV injection, corrupt lines on resume, --out where no directory can be made', () => {
  test('text beginning with = + - @ (or a tab) is prefixed with a quote; numbers are not', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe(`"'+1"`);
    expect(csvCell('-cmd')).toBe(`"'-cmd"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('\tx')).toBe(`"'\tx"`);
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('web')).toBe('web');
    expect(toCsv(['name'], [['=1+1']])).toBe(`name\n"'=1+1"\n`);
  });

  test('a client named "=cmd|calc" is written as text in clients.csv', async () => {
    const scenario = TINY_SCENARIO.replace('- name: users', "- name: '=cmd|calc'");
    ws.write('evil.yaml', scenario);
    const out = ws.path('run-evil');
    const r = await netsim(['run', ws.path('evil.yaml'), '--out', out, '-q']);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const csv = readFileSync(join(out, 'clients.csv'), 'utf8');
    expect(csv).toMatch(/^"'=cmd\|calc",/m);
    expect(csv).not.toMatch(/^=cmd/m);
  });

  test('resume warns about a corrupt line in the middle of results.jsonl, with its number', async () => {
    const out = ws.path('resume-corrupt');
    expect((await runSweep({ experimentFile: ws.path('e.yaml'), out, workers: 0 })).kind).toBe('done');
    const path = join(out, 'results.jsonl');
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    lines[2] = '{"run": "p2-r0", "garbage"';
    writeFileSync(path, `${lines.join('\n')}\n`);
    const r = await netsim(['sweep', ws.path('e.yaml'), '--out', out, '--workers', '0', '--resume', '-q']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: .*results\.jsonl: line 3 is not a result line \(corrupt\): dropped, those runs are made again/);
    expect(readResults(out).lines).toHaveLength(6);
  });

  test('--out /proc/x is refused at once with a clear message (no endless mkdir)', async () => {
    const t0 = performance.now();
    const r = await netsim(['run', ws.path('tiny.yaml'), '--out', '/proc/netsim-x/y', '-q']);
    expect(r.code).toBe(1); // run: writing failed
    expect(r.stderr).toMatch(/cannot create the directory \/proc\/netsim-x/);
    const s = await netsim(['sweep', ws.path('e.yaml'), '--out', '/proc/netsim-x', '--workers', '0', '-q']);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/cannot create the directory \/proc\/netsim-x/);
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(() => ensureDir('/proc/netsim-x')).toThrow(UnsafePathError);
  });

  test('an output path through a file is refused', () => {
    const f = ws.write('plain-file', 'x');
    expect(() => ensureDir(join(f, 'sub'))).toThrow(/exists and is not a directory/);
  });
});

