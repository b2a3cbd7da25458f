/**
 * Issue 15, "bad input" goal: a generated corpus of malformed scenarios, experiment files, result files
 * and shards, each fed to the command that reads it (`run`, `sweep`, `report`, `merge`), in-process.
 * For every case: no crash (nothing escapes `main`), no internal error and no stack trace, no hang (each
 * call well under 60 s), no file written or changed outside `--out`, and a refusal (exit 2) that names
 * `file:line:col` or the offending path. fast-check with fixed seeds: the same corpus on every run.
 *
 * The counts per kind are in docs/reliability.md; `npx vitest run test/reliability/malformed-corpus.test.ts`.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { runSweep } from '../../src/experiment/sweep.js';
import { hasStackTrace, netsim, type Captured } from '../cli/helpers.js';
import { tinyExperiment, TINY_SCENARIO, workspace } from '../experiment/helpers.js';

const ws = workspace();
afterAll(() => ws.cleanup());

/** What a case left behind, for the summary line. */
const tally = { scenario: 0, experiment: 0, result: 0, shard: 0, refused: 0, accepted: 0 };
afterAll(() => {
  // One line for docs/reliability.md.
  console.log(`malformed corpus: ${JSON.stringify(tally)}`);
});

/** Every file under `dir` (relative path -> sha256), leaving out `skip` (the --out directory). */
function snapshot(dir: string, skip: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (p === skip) continue;
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), e.isFile() ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'link');
    }
  };
  walk(dir);
  return out;
}

let caseNo = 0;

/**
 * Runs one case in a fresh folder: `setup` writes the inputs there, `args` builds the command line
 * (`out` is the --out directory). Checks everything the goal asks of a bad input.
 */
async function runCase(kind: keyof typeof tally, setup: (dir: string) => void, args: (dir: string, out: string) => string[]): Promise<Captured> {
  const dir = ws.path(`case-${++caseNo}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'victim.txt'), 'precious\n');
  setup(dir);
  const out = join(dir, 'out');
  const before = snapshot(dir, out);
  const t0 = performance.now();
  const r = await netsim(args(dir, out));
  const seconds = (performance.now() - t0) / 1000;
  const context = `case ${caseNo} (${kind}): exit ${r.code}\n${r.stderr.slice(0, 2000)}`;
  expect(seconds, context).toBeLessThan(60);
  expect([0, 1, 2], context).toContain(r.code);
  expect(r.stderr, context).not.toMatch(/internal error/i);
  expect(hasStackTrace(r.stderr), context).toBe(false);
  expect(snapshot(dir, out), context).toEqual(before);
  if (r.code === 2) {
    // A refusal names where: file:line:col, or the path of the offending file or folder.
    expect(r.stderr, context).toMatch(new RegExp(`(\\S+:\\d+:\\d+)|${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    tally.refused++;
  } else tally.accepted++;
  tally[kind]++;
  return r;
}

// ------------------------------------------------------------------------------------------ mutations

const JUNK = [':', '-', '- ', '{', '}', '[', ']', ',', '&a ', '*a', '!!binary ', '\t', "'", '"', '\\', '#', '|', '>', '? ', '---\n', '\u0000', 'é', '\u202e', '1e308', '-1', '0x', 'null', '~', '\n', '  ', '%YAML 1.1\n', '<<: *a\n'];

/** Text edits at random places: deletions, junk insertions, duplicated and swapped lines. */
const textEdits = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ op: fc.constant('insert' as const), at: fc.nat(), junk: fc.constantFrom(...JUNK) }),
    fc.record({ op: fc.constant('dupline' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('swaplines' as const), at: fc.nat(), other: fc.nat() }),
  ),
  { minLength: 1, maxLength: 4 },
);

type TextEdit = { readonly op: string; readonly at: number; readonly length?: number; readonly junk?: string; readonly other?: number };

function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let t = text;
  for (const e of edits) {
    const at = e.at % Math.max(1, t.length);
    if (e.op === 'delete') t = t.slice(0, at) + t.slice(at + (e.length ?? 1));
    else if (e.op === 'insert') t = t.slice(0, at) + (e.junk ?? '') + t.slice(at);
    else {
      const lines = t.split('\n');
      const i = e.at % lines.length;
      if (e.op === 'dupline') lines.splice(i, 0, lines[i]!);
      else {
        const j = (e.other ?? 0) % lines.length;
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      }
      t = lines.join('\n');
    }
  }
  return t;
}

/** Values that are wrong almost anywhere (and some that are right somewhere). */
const ODD_VALUES: readonly unknown[] = [
  null, -1, 0, 1e308, -1e308, 1.5, '', ' ', 'x'.repeat(300), [], {}, true, 'NaN', 'Infinity', '1e12/s', '0s', '-5ms',
  '../../victim.txt', '/dev/zero', 'empirical(/dev/zero)', 'empirical(../victim.txt)', 'pareto(1ms, 0.5)', 'const(0)',
  'exp(mean=-1ms)', 'lognormal(median=1ms, p99=0.5ms)', { a: { b: { c: { d: [1, [2, [3]]] } } } }, [null, null], 'None',
  '10.96.0.0/33', '999.1.1.1', 'UDP', 'ExternalName', 'Local', 'web.default.svc.cluster.local', '=cmd()', '@SUM(1)',
  2 ** 53, -0, 'Deployment', 'v1', 'apps/v1', 'netsim/v2',
];

/** Paths of a JS value (objects and arrays), for structured mutation. */
function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

function setIn(root: unknown, path: readonly (string | number)[], value: unknown, remove: boolean): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const seg of path.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = value;
  return copy;
}

const structEdits = fc.array(fc.record({ doc: fc.nat(), path: fc.nat(), value: fc.nat(ODD_VALUES.length - 1), remove: fc.boolean() }), { minLength: 1, maxLength: 3 });

/** Replaces or removes values at random paths of the YAML documents. */
function applyStructEdits(text: string, edits: readonly { doc: number; path: number; value: number; remove: boolean }[]): string {
  const docs = parseAllDocuments(text).map((d) => (Array.isArray(d) ? null : d.toJS()));
  for (const e of edits) {
    const d = e.doc % docs.length;
    const paths = pathsOf(docs[d]);
    const path = paths[e.path % paths.length]!;
    docs[d] = setIn(docs[d], path, ODD_VALUES[e.value], e.remove && path.length > 0);
  }
  return docs.map((d) => stringify(d)).join('---\n');
}

// ------------------------------------------------------------------------------------------ scenarios

/** The issue's reproducers, as scenario edits of the tiny scenario (plus item 6's models). */
const REPRODUCERS: Record<string, string> = {
  'rate 1e12/s': TINY_SCENARIO.replace('rate: 150/s', 'rate: 1e12/s'),
  'interarrival const(0)': TINY_SCENARIO.replace('rate: 150/s', 'interarrival: const(0)'),
  'timeout 0, a billion retries': TINY_SCENARIO.replace('rate: 150/s', 'rate: 150/s\n      timeout: 0s\n      retries: 1000000000'),
  'duration 1e308s': TINY_SCENARIO.replace('duration: 1s', 'duration: 1e308s'),
  'a billion users': TINY_SCENARIO.replace('rate: 150/s', 'users: 1000000000'),
  'empirical(/dev/zero)': TINY_SCENARIO.replace('exp(mean=2ms)', 'empirical(/dev/zero)'),
  'empirical of a directory': TINY_SCENARIO.replace('exp(mean=2ms)', 'empirical(.)'),
  'two Deployments of one name': TINY_SCENARIO.replace('metadata: {name: web-b}', 'metadata: {name: web-a}'),
  'an ExternalName loop': `${TINY_SCENARIO}---\napiVersion: v1\nkind: Service\nmetadata: {name: loop}\nspec: {type: ExternalName, externalName: loop.default.svc.cluster.local}\n`,
  'a bad label value': TINY_SCENARIO.replace('labels: {app: web, part: a}', 'labels: {app: web, part: "a b"}'),
  'a bad zone name': TINY_SCENARIO.replace('nodes: [{name: n1}, {name: n2}]', 'nodes: [{name: n1, zone: "Zone A!"}, {name: n2}]'),
  'a bad port name': TINY_SCENARIO.replace('ports: [{port: 80}]', 'ports: [{port: 80, name: HTTP_80}]'),
  'an empty file': '',
  'only comments': '# nothing\n---\n# still nothing\n',
  'a billion laughs': `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`,
  'deep nesting': `${'['.repeat(5000)}${']'.repeat(5000)}\n`,
  'an IPv6 clusterIP': TINY_SCENARIO.replace('type: NodePort', 'type: NodePort\n  clusterIP: "fd00::1"'),
};

const runScenario = (text: string) =>
  runCase(
    'scenario',
    (dir) => writeFileSync(join(dir, 's.yaml'), text),
    (dir, out) => ['run', join(dir, 's.yaml'), '--out', out, '--max-events', '200000', '--quiet'],
  );

describe('malformed scenarios (run)', () => {
  test.each(Object.entries(REPRODUCERS))('reproducer: %s', async (_, text) => {
    const r = await runScenario(text);
    if (!_.includes('IPv6')) expect(r.code).toBe(2);
  });

  test('text mutations of a valid scenario (100 cases)', async () => {
    await fc.assert(fc.asyncProperty(textEdits, async (edits) => void (await runScenario(applyTextEdits(TINY_SCENARIO, edits)))), { numRuns: 100, seed: 1501 });
  }, 240_000);

  test('structured mutations of a valid scenario (60 cases)', async () => {
    await fc.assert(fc.asyncProperty(structEdits, async (edits) => void (await runScenario(applyStructEdits(TINY_SCENARIO, edits)))), { numRuns: 60, seed: 1502 });
  }, 240_000);
});

// ------------------------------------------------------------------------------------------ experiments

describe('malformed experiment files (sweep)', () => {
  const runExperiment = (text: string) =>
    runCase(
      'experiment',
      (dir) => {
        writeFileSync(join(dir, 'tiny.yaml'), TINY_SCENARIO);
        writeFileSync(join(dir, 'e.yaml'), text);
      },
      (dir, out) => ['sweep', join(dir, 'e.yaml'), '--out', out, '--workers', '0', '--quiet'],
    );
  const base = tinyExperiment({ replications: 1 });

  test('structured mutations (30 cases) and text mutations (10 cases)', async () => {
    await fc.assert(fc.asyncProperty(structEdits, async (edits) => void (await runExperiment(applyStructEdits(base, edits)))), { numRuns: 30, seed: 1503 });
    await fc.assert(fc.asyncProperty(textEdits, async (edits) => void (await runExperiment(applyTextEdits(base, edits)))), { numRuns: 10, seed: 1504 });
  }, 240_000);

  test('a scenario path that leaves the folder, and one that is a device', async () => {
    for (const scenario of ['../../../../etc/passwd', '/dev/zero']) {
      const r = await runExperiment(base.replace('scenario: tiny.yaml', `scenario: ${scenario}`));
      expect(r.code).toBe(2);
    }
  });
});

// ------------------------------------------------------------------------------------------ result files

describe('malformed result files (report)', () => {
  let good: string;
  beforeAll(async () => {
    writeFileSync(ws.path('tiny.yaml'), TINY_SCENARIO);
    good = ws.path('good-run');
    const r = await netsim(['run', ws.path('tiny.yaml'), '--out', good, '--quiet']);
    expect(r.code).toBe(0);
  });

  const runReport = (mutate: (dir: string) => void) =>
    runCase(
      'result',
      (dir) => {
        cpSync(good, join(dir, 'in'), { recursive: true });
        mutate(join(dir, 'in'));
      },
      (dir, out) => ['report', join(dir, 'in'), '--out', out, '--quiet'],
    );

  test('result.json: structured mutations (25 cases), truncations and garbage (9 cases)', async () => {
    const text = readFileSync(join(good, 'result.json'), 'utf8');
    await fc.assert(
      fc.asyncProperty(structEdits, async (edits) => {
        const r = await runReport((d) => writeFileSync(join(d, 'result.json'), JSON.stringify(parseAllDocuments(applyStructEdits(text, edits))[0]!.toJS() ?? null)));
        expect(r.code).not.toBe(1);
      }),
      { numRuns: 25, seed: 1505 },
    );
    const parsed = JSON.parse(text) as { latency: { histogram: { indices: number[] } } };
    // Found by this corpus: a histogram the schema accepts but whose buckets are out of range.
    const outOfRange = { ...parsed, latency: { ...parsed.latency, histogram: { ...parsed.latency.histogram, indices: parsed.latency.histogram.indices.map((i) => i + 100000) } } };
    for (const bad of [text.slice(0, 100), '', '{', 'null', '[]', '{"schema":"netsim.result/v1"}', '\u0000\u0001', JSON.stringify({ ...parsed, latency: null }), JSON.stringify(outOfRange)]) {
      expect((await runReport((d) => writeFileSync(join(d, 'result.json'), bad))).code).toBe(2);
    }
  }, 240_000);
});

// ------------------------------------------------------------------------------------------ shards

describe('malformed shards (merge)', () => {
  let shards: [string, string];
  beforeAll(async () => {
    writeFileSync(ws.path('tiny.yaml'), TINY_SCENARIO);
    writeFileSync(ws.path('e.yaml'), tinyExperiment({ replications: 1 }));
    shards = [ws.path('shard-1'), ws.path('shard-2')];
    for (const [i, out] of shards.entries()) {
      const r = await runSweep({ experimentFile: ws.path('e.yaml'), out, workers: 0, shard: { index: i + 1, count: 2 } });
      expect(r.kind).toBe('done');
    }
  });

  const runMerge = (mutate: (a: string) => void) =>
    runCase(
      'shard',
      (dir) => {
        cpSync(shards[0], join(dir, 'a'), { recursive: true });
        cpSync(shards[1], join(dir, 'b'), { recursive: true });
        mutate(join(dir, 'a'));
      },
      (dir, out) => ['merge', join(dir, 'a'), join(dir, 'b'), '--out', out, '--quiet'],
    );

  const lineEdit = fc.record({ line: fc.nat(), path: fc.nat(), value: fc.nat(ODD_VALUES.length - 1), remove: fc.boolean() });

  test('results.jsonl lines (20 cases), manifest.json (10 cases) and run files (10 cases) mutated', async () => {
    await fc.assert(
      fc.asyncProperty(lineEdit, async (e) => {
        await runMerge((a) => {
          const file = join(a, 'results.jsonl');
          const lines = readFileSync(file, 'utf8').trim().split('\n');
          const i = e.line % lines.length;
          const obj = JSON.parse(lines[i]!) as unknown;
          const paths = pathsOf(obj);
          const path = paths[e.path % paths.length]!;
          lines[i] = JSON.stringify(setIn(obj, path, ODD_VALUES[e.value], e.remove && path.length > 0));
          writeFileSync(file, `${lines.join('\n')}\n`);
        });
      }),
      { numRuns: 20, seed: 1506 },
    );
    await fc.assert(
      fc.asyncProperty(structEdits, async (edits) => {
        await runMerge((a) => {
          const file = join(a, 'manifest.json');
          writeFileSync(file, JSON.stringify(JSON.parse(JSON.stringify(parseAllDocuments(applyStructEdits(readFileSync(file, 'utf8'), edits))[0]!.toJS() ?? null))));
        });
      }),
      { numRuns: 10, seed: 1507 },
    );
    await fc.assert(
      fc.asyncProperty(structEdits, async (edits) => {
        await runMerge((a) => {
          const runs = join(a, 'runs');
          const first = readdirSync(runs).sort()[0]!;
          const file = join(runs, first);
          writeFileSync(file, JSON.stringify(parseAllDocuments(applyStructEdits(readFileSync(file, 'utf8'), edits))[0]!.toJS() ?? null));
        });
      }),
      { numRuns: 10, seed: 1508 },
    );
  }, 240_000);

  test('result paths that leave the shard, and a link in place of a run file, are refused', async () => {
    for (const target of ['../victim.txt', '../../victim.txt', '/etc/passwd', 'runs/../../victim.txt', 'runs/\u0000.json']) {
      const r = await runMerge((a) => {
        const file = join(a, 'results.jsonl');
        const lines = readFileSync(file, 'utf8').trim().split('\n');
        lines[0] = JSON.stringify({ ...(JSON.parse(lines[0]!) as object), result: target });
        writeFileSync(file, `${lines.join('\n')}\n`);
      });
      expect(r.code).toBe(2);
    }
    expect(existsSync(ws.path('victim.txt'))).toBe(false);
    expect(statSync(ws.dir).isDirectory()).toBe(true);
  });
});

describe('the corpus as a whole', () => {
  test('at least 200 cases ran', () => {
    const total = tally.scenario + tally.experiment + tally.result + tally.shard;
    expect(total).toBeGreaterThanOrEqual(200);
  });
});
