/**
 * Whatever the input, the loader answers (a spec or diagnostics); it never throws, and it refuses
 * inputs built to exhaust it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { loadScenarioText, type LoadResult } from '../../src/scenario/index.js';

const MODELS = new URL('../../models/', import.meta.url);
/**
 * Runs per property and the seed: fixed by default so the suite is reproducible; for a long hunt set
 * NETSIM_FUZZ_RUNS=20000 and NETSIM_FUZZ_SEED to any integer (a failure prints its seed to replay it).
 */
const RUNS = Number(process.env['NETSIM_FUZZ_RUNS'] ?? 300);
const SEED = Number(process.env['NETSIM_FUZZ_SEED'] ?? 20261121);
const modelTexts = readdirSync(MODELS)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => readFileSync(new URL(f, MODELS), 'utf8'));

function wellFormed(r: LoadResult): void {
  if (r.ok) return;
  expect(r.diagnostics.length).toBeGreaterThan(0);
  for (const d of r.diagnostics) {
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.col).toBeGreaterThanOrEqual(1);
    expect(typeof d.message).toBe('string');
    expect(d.message.length).toBeGreaterThan(0);
  }
  expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
}

/** One edit to a text: the kinds of damage hands and editors do. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(':', '- ', '  ', '\n', '{', '[', '*a', '&a', '!!int', '"', "'", '---\n', '\t', '#', '|', '>', '? ', '5ms', 'exp(', '99999')) }),
  fc.record({ op: fc.constant('swapLines' as const), at: fc.nat(), len: fc.nat() }),
  fc.record({ op: fc.constant('dupLine' as const), at: fc.nat(), len: fc.constant(0) }),
);

type Mutation = { op: 'delete' | 'swapLines' | 'dupLine'; at: number; len: number } | { op: 'insert'; at: number; text: string };

function mutate(text: string, m: Mutation): string {
  if (m.op === 'insert') {
    const at = m.at % (text.length + 1);
    return text.slice(0, at) + m.text + text.slice(at);
  }
  if (m.op === 'delete') {
    const at = m.at % (text.length + 1);
    return text.slice(0, at) + text.slice(at + m.len);
  }
  const lines = text.split('\n');
  const a = m.at % lines.length;
  if (m.op === 'dupLine') {
    lines.splice(a, 0, lines[a]!);
  } else {
    const b = m.len % lines.length;
    [lines[a], lines[b]] = [lines[b]!, lines[a]!];
  }
  return lines.join('\n');
}

describe('never throws', () => {
  test('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        wellFormed(loadScenarioText(Buffer.from(bytes).toString('utf8')));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  test('random YAML-ish text', () => {
    const token = fc.constantFrom('apiVersion: ', 'kind: ', 'v1', 'netsim/v1', 'apps/v1', 'Service', 'Workload', 'Cluster', 'Deployment', 'spec:', '\n', '  ', '- ', 'name: x', '{', '}', '[', ']', ',', ': ', '---\n', '*a', '&a ', '1', 'null', '"', 'rate: 5k/s', 'ports: [{port: 80}]');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (tokens) => {
        wellFormed(loadScenarioText(tokens.join('')));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  test('mutated models', () => {
    fc.assert(
      fc.property(fc.nat({ max: modelTexts.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, edits) => {
        let text = modelTexts[which]!;
        for (const e of edits) text = mutate(text, e as Mutation);
        wellFormed(loadScenarioText(text));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  test('random overrides', () => {
    const path = fc.constantFrom('Workload.spec.clients[0].', 'Cluster.spec.', 'Service/web.spec.', 'Deployment/web.spec.', 'Simulation.spec.', 'X', '', 'Workload/', 'Cluster.spec.zones[');
    fc.assert(
      fc.property(fc.nat({ max: modelTexts.length - 1 }), fc.array(fc.tuple(path, fc.string({ maxLength: 15 }), fc.string({ maxLength: 15 })), { maxLength: 3 }), (which, sets) => {
        const set = sets.map(([p, k, v]) => `${p}${k}=${v}`);
        wellFormed(loadScenarioText(modelTexts[which]!, { set }));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

describe('names that are also JavaScript object members', () => {
  test('toString, constructor and __proto__ are plain (unknown) names, and never pollute prototypes', () => {
    const text = modelTexts[0]!;
    for (const set of [['Service/web.spec.toString='], ['Cluster.spec.__proto__.polluted=1'], ['Cluster.constructor.prototype.polluted=1'], ['toString.spec.x=1']]) {
      wellFormed(loadScenarioText(text, { set }));
    }
    wellFormed(loadScenarioText('apiVersion: toString\nkind: constructor\n'));
    wellFormed(loadScenarioText('apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {selector: {constructor: x}, ports: [{port: 80}], toString: 1}\n'));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('resource exhaustion is refused', () => {
  test('a "billion laughs" alias bomb is refused quickly', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${levels.map((l) => `  ${l}`).join('\n')}\n`;
    const t0 = performance.now();
    const r = loadScenarioText(text);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(2000);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.diagnostics[0]!.message).toContain('billion laughs');
      expect(r.diagnostics[0]).toMatchObject({ file: 'scenario.yaml', line: 1, col: 1 });
    }
  });

  test('a file over the size limit is refused before parsing', () => {
    const r = loadScenarioText('a: 1\n'.repeat(1000), { maxFileBytes: 1024 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0]!.message).toBe('expected a file of at most 1.0 KiB, found 4.9 KiB; split it, or raise the limit');
  });

  test('deep nesting does not overflow the stack', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    wellFormed(loadScenarioText(deep));
    const deepMap = Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    wellFormed(loadScenarioText(deepMap));
  });
});
