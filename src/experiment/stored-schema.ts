/**
 * Validation on read of the files netsim stores (docs/reliability.md): result.json against the published
 * JSON Schema (`schemas/result.schema.json`, ajv), and the sweep files (manifest.json, each line of
 * results.jsonl, summary.json) against the shapes the readers rely on (zod). A file that fails is bad input:
 * a {@link StoredFileError} names the file and the first field that is wrong.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { LatencyHistogram } from '../engine/stats/latency-histogram.js';
import type { LatencyHistogramJSON } from '../engine/stats/latency-histogram-json.js';
import { z } from 'zod';
import { StoredFileError } from './stored-error.js';

export { StoredFileError };

let resultValidator: ValidateFunction | undefined;

/** schemas/result.schema.json, found by walking up from this module (src/ or dist/src/). */
function resultSchemaPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'schemas', 'result.schema.json');
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error('schemas/result.schema.json is missing from the installation');
    dir = up;
  }
}

function validator(): ValidateFunction {
  if (!resultValidator) {
    const schema = JSON.parse(readFileSync(resultSchemaPath(), 'utf8')) as object;
    resultValidator = new Ajv2020({ allErrors: false, strict: false, allowUnionTypes: true }).compile(schema);
  }
  return resultValidator;
}

/** `/latency/p99` → `latency.p99`; the root → `(top level)`. */
function fieldOf(pointer: string): string {
  if (pointer === '') return '(top level)';
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`))
    .join('')
    .replace(/^\./, '');
}

/** Checks a parsed result.json against the published schema; throws StoredFileError. */
export function validateResultData(data: unknown, path: string): void {
  const v = validator();
  if (v(data)) {
    // The schema cannot say that the histogram's buckets are in range and in order: decode it (a bad one
    // would otherwise fail later, in the report, as an internal error).
    try {
      LatencyHistogram.fromJSON((data as { latency: { histogram: LatencyHistogramJSON } }).latency.histogram);
    } catch (e) {
      throw new StoredFileError(path, 'latency.histogram', e instanceof Error ? e.message : String(e));
    }
    return;
  }
  const e = v.errors?.[0];
  if (!e) throw new StoredFileError(path, '', 'does not match schemas/result.schema.json');
  let field = fieldOf(e.instancePath);
  let message = e.message ?? 'is invalid';
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty?: string }).missingProperty ?? '';
    field = e.instancePath === '' ? missing : `${fieldOf(e.instancePath)}.${missing}`;
    message = 'is missing';
  } else if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty?: string }).additionalProperty ?? '';
    field = e.instancePath === '' ? extra : `${fieldOf(e.instancePath)}.${extra}`;
    message = 'is not a field of the format';
  }
  throw new StoredFileError(path, field, `${message} (schemas/result.schema.json)`);
}

const label = z.union([z.string(), z.number(), z.boolean()]);
const finiteInt = z.number().int().nonnegative();

const planSchema = z.looseObject({
  name: z.string(),
  scenario: z.array(z.string()),
  set: z.array(z.string()),
  factors: z.array(z.looseObject({ name: z.string(), paths: z.array(z.string()), levels: z.array(z.unknown()) })),
  replications: finiteInt.min(1).max(1_000_000),
  masterSeed: z.union([z.number(), z.string()]),
  metrics: z.array(z.string()),
  confidence: z.number().gt(0).lt(1),
  precision: z.looseObject({ metric: z.string(), relative: z.number(), maxReplications: finiteInt.min(1).max(1_000_000), step: finiteInt.min(1) }).nullable(),
  slo: z.looseObject({}).nullable(),
});

const shardSchema = z.looseObject({ index: finiteInt.min(1), count: finiteInt.min(1) });

const manifestSchema = z.looseObject({
  schema: z.literal('netsim.sweep/v1'),
  tool: z.looseObject({ name: z.string(), version: z.string() }),
  experiment: z.looseObject({
    name: z.string(),
    file: z.string(),
    hash: z.string(),
    files: z.array(z.looseObject({ path: z.string(), sha256: z.string() })),
  }),
  plan: planSchema,
  shard: shardSchema.nullable(),
});

const resultLineSchema = z.looseObject({
  run: z.string(),
  index: finiteInt,
  point: finiteInt,
  params: z.record(z.string(), label),
  replication: finiteInt,
  seed: z.number(),
  status: z.enum(['ok', 'failed']),
  error: z.string().optional(),
  metrics: z.record(z.string(), z.number().nullable()),
  result: z.string().nullable(),
  wallSeconds: z.number(),
});

const diffStats = z.looseObject({ mean: z.number().nullable(), lower: z.number().nullable(), upper: z.number().nullable(), n: z.number(), significant: z.boolean() });

const summarySchema = z.looseObject({
  schema: z.literal('netsim.sweep-summary/v1'),
  metrics: z.array(z.looseObject({ name: z.string(), unit: z.string() })),
  points: z.array(z.looseObject({})),
  differences: z.array(
    z.looseObject({
      factor: z.string(),
      from: z.looseObject({ point: z.number(), level: label }),
      to: z.looseObject({ point: z.number(), level: label }),
      fixed: z.record(z.string(), label),
      metrics: z.record(z.string(), diffStats),
    }),
  ),
});

function check<T>(schema: z.ZodType<T>, data: unknown, path: string, prefix = ''): T {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  throw new StoredFileError(path, `${prefix}${field === '' ? '(top level)' : field}`, issue.message);
}

export function validateManifestData(data: unknown, path: string): void {
  check(manifestSchema, data, path);
}

/** Whether a parsed results.jsonl line has the shape of a result line (bad lines are skipped with a warning). */
export function resultLineProblem(data: unknown): string | null {
  const r = resultLineSchema.safeParse(data);
  if (r.success) return null;
  const issue = r.error.issues[0]!;
  return `${issue.path.map(String).join('.') || '(line)'}: ${issue.message}`;
}

export function validateSummaryData(data: unknown, path: string): void {
  check(summarySchema, data, path);
}

/** JSON.parse with a StoredFileError for text that is not JSON. */
export function parseStoredJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new StoredFileError(path, '', `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}
