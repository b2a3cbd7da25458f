/**
 * `-o json|yaml|wide` of validate and describe, and `sweep --json`: machine output on stdout only, in the
 * shapes published in schemas/ (checked with ajv), pinned byte for byte by golden files in test/cli/golden/
 * (regenerate with UPDATE_GOLDEN=1 after a deliberate change, and say so in docs/cli.md).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DESCRIBE_TABLES } from '../../src/cli/commands/describe.js';
import { DESCRIBE_KINDS } from '../../src/report/text/describe.js';
import { netsim, ROOT } from './helpers.js';

const FIXTURE = 'test/cli/fixtures/services.yaml';
const GOLDEN = join(ROOT, 'test/cli/golden');

function schema(name: string) {
  const s = JSON.parse(readFileSync(join(ROOT, 'schemas', `${name}.schema.json`), 'utf8')) as object;
  return new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true }).compile(s);
}

/** The text equals test/cli/golden/<name>, or (UPDATE_GOLDEN=1) becomes it. */
function golden(name: string, text: string): void {
  const path = join(GOLDEN, name);
  if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(path)) writeFileSync(path, text);
  expect(text).toBe(readFileSync(path, 'utf8'));
}

function valid(name: string, data: unknown): void {
  const check = schema(name);
  expect(check(data), JSON.stringify(check.errors)).toBe(true);
}

describe('netsim validate -o', () => {
  it('json: the golden document, valid against schemas/validate.schema.json, nothing but it on stdout', async () => {
    const r = await netsim(['validate', FIXTURE, '-o', 'json']);
    expect(r.code).toBe(0);
    golden('validate-services.json', r.stdout);
    const data = JSON.parse(r.stdout) as { valid: boolean; counts: Record<string, number> };
    valid('validate', data);
    expect(data.valid).toBe(true);
    expect(data.counts).toEqual({ nodes: 3, zones: 2, pods: 3, pendingPods: 0, services: 3, clients: 1 });
  });

  it('yaml: the same document as json', async () => {
    const [j, y] = await Promise.all([netsim(['validate', FIXTURE, '-o', 'json']), netsim(['validate', FIXTURE, '-o', 'yaml'])]);
    expect(parse(y.stdout)).toEqual(JSON.parse(j.stdout));
  });

  it('json of an invalid scenario: valid false with each problem located; exit 2 as before, problems also on stderr', async () => {
    const r = await netsim(['validate', FIXTURE, '--set', 'Simulation.spec.duration=soon', '-o', 'json']);
    expect(r.code).toBe(2);
    golden('validate-invalid.json', r.stdout);
    const data = JSON.parse(r.stdout) as { valid: boolean; counts: null; diagnostics: { file: string; line: number; col: number; path: string }[] };
    valid('validate', data);
    expect(data.valid).toBe(false);
    expect(data.counts).toBeNull();
    expect(data.diagnostics[0]).toMatchObject({ file: '--set', line: 1, col: 26, path: 'Simulation/cli-fixture.spec.duration', found: "'soon'" });
    expect(r.stderr).toContain('--set:1:26: error: Simulation/cli-fixture.spec.duration');
  });

  it('wide: the ok line, then nodes and pods per zone', async () => {
    const r = await netsim(['validate', FIXTURE, '-o', 'wide']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('ok: 3 pods, 3 services, 1 client on 3 nodes');
    expect(r.stdout).toMatch(/zone zone-a: \d+ nodes?, \d+ pods?/);
  });

  it('an unknown format is bad input (exit 2) naming the choices', async () => {
    const r = await netsim(['validate', FIXTURE, '-o', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/json, yaml, wide/);
  });
});

describe('netsim describe -o', () => {
  it('the command line offers exactly the tables the renderer draws', () => {
    expect([...DESCRIBE_TABLES]).toEqual([...DESCRIBE_KINDS]);
  });

  it('json: every table, golden, valid against schemas/describe.schema.json', async () => {
    const r = await netsim(['describe', FIXTURE, '-o', 'json']);
    expect(r.code).toBe(0);
    golden('describe-services.json', r.stdout);
    const data = JSON.parse(r.stdout) as Record<string, unknown[]>;
    valid('describe', data);
    expect(Object.keys(data)).toEqual(['schema', 'files', 'overrides', 'nodes', 'pods', 'services', 'endpoints', 'clients', 'warnings', 'ignored']);
    expect(data['pods']).toHaveLength(3);
  });

  it('json of one table has only that table', async () => {
    const r = await netsim(['describe', FIXTURE, 'svc', '-o', 'json']);
    const data = JSON.parse(r.stdout) as Record<string, unknown>;
    valid('describe', data);
    expect(data['services']).toBeDefined();
    expect(data['pods']).toBeUndefined();
  });

  it('the json agrees with the table: the same Service addresses and ports', async () => {
    const [table, json] = await Promise.all([netsim(['describe', FIXTURE, 'svc']), netsim(['describe', FIXTURE, 'svc', '-o', 'json'])]);
    const services = (JSON.parse(json.stdout) as { services: { name: string; clusterIP: string | null; ports: { port: number }[] }[] }).services;
    for (const s of services) expect(table.stdout).toMatch(new RegExp(`^${s.name}\\s+\\S+\\s+${(s.clusterIP ?? '<none>').replace(/\./g, '\\.')}\\s`, 'm'));
  });

  it('wide never wraps, even when COLUMNS asks for a narrow table; the default wraps to COLUMNS', async () => {
    const wide = await netsim(['describe', FIXTURE, 'endpoints', '-o', 'wide'], { env: { COLUMNS: '60' } });
    const fitted = await netsim(['describe', FIXTURE, 'endpoints'], { env: { COLUMNS: '60' } });
    const longest = (t: string) => Math.max(...t.trimEnd().split('\n').map((l) => l.length));
    expect(longest(wide.stdout)).toBeGreaterThan(60);
    expect(longest(fitted.stdout)).toBeLessThanOrEqual(60);
    // Wrapping moves text onto more lines and loses none of it.
    const words = (t: string) => t.split(/[\s,]+/).filter(Boolean).sort();
    expect(words(fitted.stdout)).toEqual(words(wide.stdout));
  });
});
