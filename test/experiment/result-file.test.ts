import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { resultCsvFiles, toCsv } from '../../src/experiment/result-csv.js';
import {
  parseResultFile,
  serializeResultFile,
  toResultFile,
  toolInfo,
  WALL_CLOCK_FIELDS,
  withoutWallClock,
  type ResultFile,
} from '../../src/experiment/result-file.js';
import { runScenario } from '../../src/experiment/run-scenario.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const MODELS = readdirSync(join(ROOT, 'models')).filter((f) => f.endsWith('.yaml')).sort();
const SHORT = ['Simulation.spec.duration=10s'];

const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/result.schema.json'), 'utf8')) as Record<string, unknown>;
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(schema);

function errorsOf(data: unknown): string[] {
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

/** One short run of a bundled model, as `netsim run` writes it. */
function runModel(name: string, set: readonly string[] = SHORT): ResultFile {
  const files = [join('models', name)];
  let outcome = runScenario({ files: files.map((f) => join(ROOT, f)), set });
  // A model whose fixed warm-up is longer than the short duration: run it as written.
  if (!outcome.ok) outcome = runScenario({ files: files.map((f) => join(ROOT, f)) });
  if (!outcome.ok) throw new Error(`${name} does not load: ${outcome.diagnostics.map((d) => d.message).join('; ')}`);
  return toResultFile(outcome.result, { files: outcome.files, overrides: set });
}

describe('result.json', () => {
  const results = new Map<string, ResultFile>();
  beforeAll(() => {
    for (const m of MODELS) results.set(m, JSON.parse(serializeResultFile(runModel(m))) as ResultFile);
  });

  it('there are bundled models to check', () => {
    expect(MODELS.length).toBeGreaterThanOrEqual(5);
    expect(MODELS).toContain('production-3zones.yaml');
  });

  it.each(MODELS)('the output of %s validates against schemas/result.schema.json', (m) => {
    expect(errorsOf(results.get(m))).toEqual([]);
  });

  it('the schema documents every property it declares', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`));
      if (typeof node !== 'object' || node === null) return;
      const obj = node as Record<string, unknown>;
      if (obj['properties'] && typeof obj['properties'] === 'object') {
        for (const [key, sub] of Object.entries(obj['properties'] as Record<string, unknown>)) {
          if (typeof sub === 'object' && sub !== null && typeof (sub as { description?: unknown }).description !== 'string') {
            missing.push(`${path}.${key}`);
          }
        }
      }
      for (const [k, v] of Object.entries(obj)) walk(v, `${path}/${k}`);
    };
    walk(schema, '#');
    expect(missing).toEqual([]);
  });

  it('the schema rejects corrupted results', () => {
    const good = results.get('production-3zones.yaml')!;
    const corrupt = (f: (r: any) => void): unknown => {
      const copy = JSON.parse(JSON.stringify(good));
      f(copy);
      return copy;
    };
    expect(errorsOf(corrupt((r) => (r.schema = 'netsim.result/v2')))).not.toEqual([]);
    expect(errorsOf(corrupt((r) => delete r.accounting.measured.inFlight))).toEqual([expect.stringContaining("must have required property 'inFlight'")]);
    expect(errorsOf(corrupt((r) => (r.latency.p99 = 'slow')))).not.toEqual([]);
    expect(errorsOf(corrupt((r) => (r.pods[0].share = 1.5)))).toEqual(['/pods/0/share must be <= 1']);
    expect(errorsOf(corrupt((r) => (r.engine.events = -1)))).not.toEqual([]);
    expect(errorsOf(corrupt((r) => (r.files[0].sha256 = 'abc')))).not.toEqual([]);
    expect(errorsOf(corrupt((r) => (r.accounting.total.dropped['lost-in-space'] = 0)))).not.toEqual([]);
    expect(errorsOf(corrupt((r) => (r.latencyByPath.local.histogram = r.latency.histogram)))).not.toEqual([]);
    expect(errorsOf(corrupt((r) => (r.hostname = 'build-42')))).not.toEqual([]);
  });

  it('has provenance first, then the RunResult fields in order', () => {
    const r = results.get('nodeport-web.yaml')!;
    expect(Object.keys(r)).toEqual([
      'schema', 'tool', 'scenario', 'files', 'seed', 'overrides',
      'stop', 'warmup', 'measuredSeconds', 'accounting', 'latency', 'latencyByPath', 'paths', 'cost',
      'pods', 'nodes', 'zones', 'clients', 'engine', 'latencyByStage', 'timeSeries',
    ]);
    expect(r.tool).toEqual(toolInfo());
    expect(r.tool.version).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    expect(r.overrides).toEqual(SHORT);
    expect(r.files).toHaveLength(1);
    expect(r.files[0]!.path).toBe(join(ROOT, 'models/nodeport-web.yaml'));
  });

  it('serialises the same run to the same bytes but for the wall-clock fields', () => {
    const a = runModel('clusterip-web.yaml');
    const b = runModel('clusterip-web.yaml');
    expect(serializeResultFile(withoutWallClock(a))).toBe(serializeResultFile(withoutWallClock(b)));
    expect(serializeResultFile(a)).toMatch(/\n$/);
    const text = serializeResultFile(a);
    for (const k of WALL_CLOCK_FIELDS) expect(text).toContain(`"${k}": `);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/); // no dates
  });

  it('parseResultFile checks the envelope', () => {
    const r = results.get('nodeport-web.yaml')!;
    expect(parseResultFile(serializeResultFile(r))).toEqual(r);
    expect(() => parseResultFile('{"schema": "other"}', 'x.json')).toThrow('x.json: expected "schema": "netsim.result/v1", found "other"');
    expect(() => parseResultFile('[1]')).toThrow('expected a JSON object');
    expect(() => parseResultFile('{', 'y.json')).toThrow(/^y\.json: not JSON/);
  });
});

describe('CSV tables', () => {
  it('quotes only the fields that need it and leaves missing values empty', () => {
    expect(toCsv(['a', 'b', 'c'], [['x,y', 'say "hi"', null], [1.5, 0, undefined]])).toBe('a,b,c\n"x,y","say ""hi""",\n1.5,0,\n');
  });

  it('match result.json', () => {
    const r = runModel('production-3zones.yaml');
    const tables = new Map(resultCsvFiles(r));
    expect([...tables.keys()]).toEqual(['summary.csv', 'pods.csv', 'nodes.csv', 'zones.csv', 'clients.csv', 'latency-histogram.csv']);
    const parse = (t: string): string[][] => t.trimEnd().split('\n').map((l) => l.split(','));
    const summary = parse(tables.get('summary.csv')!);
    const value = (k: string): string => summary[1]![summary[0]!.indexOf(k)]!;
    expect(summary[0]).toHaveLength(summary[1]!.length);
    expect(value('scenario')).toBe('production-3zones');
    expect(Number(value('accounting.measured.completed'))).toBe(r.accounting.measured.completed);
    expect(Number(value('paths.crossZoneFraction'))).toBe(r.paths.crossZoneFraction);
    expect(value('accounting.measured.dropped.timeout')).toBe(String(r.accounting.measured.dropped.timeout));
    const pods = parse(tables.get('pods.csv')!);
    expect(pods).toHaveLength(r.pods.length + 1);
    expect(Number(pods[1]![pods[0]!.indexOf('share')])).toBe(r.pods[0]!.share);
    const hist = parse(tables.get('latency-histogram.csv')!).slice(1);
    expect(hist.reduce((n, row) => n + Number(row[2]), 0)).toBe(r.latency.count);
    for (const row of hist) expect(Number(row[0])).toBeLessThan(Number(row[1]));
  });
});
