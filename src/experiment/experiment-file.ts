/**
 * Experiment files (`apiVersion: netsim/v1`, `kind: Experiment`): which scenario to run, what to vary,
 * how many replications, which metrics. Read with the scenario layer's machinery (YAML with positions,
 * zod schema, diagnostics at `file:line:col`), and turned into a {@link PlanData}.
 *
 *     apiVersion: netsim/v1
 *     kind: Experiment
 *     metadata: {name: etp}
 *     spec:
 *       scenario: base/uneven.yaml            # or a list; relative to this file
 *       set: [Simulation.spec.duration=20s]   # overrides for every point (optional)
 *       parameters:                           # the grid: every combination
 *         - {name: load, path: Workload.spec.clients[0].rate, values: [1k/s, 2k/s]}
 *         - {name: replicas, path: Deployment/web.spec.replicas, from: 2, to: 8, step: 2}
 *         - name: proxy                       # zipped: the lists move together
 *           zip:
 *             - {path: Cluster.spec.kubeProxy.mode, values: [iptables, ipvs]}
 *             - {path: Cluster.spec.kubeProxy.servicePorts, values: [100, 100]}
 *       replications: 10
 *       seed: 1
 *       metrics: [latency.p99, podShare.max]
 *       confidence: 0.95
 *       precision: {metric: latency.p99, relative: 5%, maxReplications: 40}
 *       slo: {metric: latency.p99, max: 50ms, fewest: replicas}
 *
 * This module checks the file on its own; check-points.ts then loads the scenario at every point.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ParseError } from '../engine/parse-error.js';
import { parseDuration } from '../engine/units.js';
import { diagnostic, sortDiagnostics, splitExpectedFound, type Diagnostic } from '../scenario/diagnostics.js';
import { DEFAULT_MAX_ALIAS_COUNT, formatSize, yamlDocumentReadable } from '../scenario/documents.js';
import { suggest } from '../scenario/near-miss.js';
import { parseTarget } from '../scenario/path.js';
import { Problems } from '../scenario/problems.js';
import { Resource } from '../scenario/resource.js';
import { SourceText, YAML_PARSE_OPTIONS, type FieldPath } from '../scenario/source-map.js';
import { reportIssues } from '../scenario/zod-issues.js';
import { parseMetric, type MetricSpec } from './metrics.js';
import { pointCount, type Factor, type Level, type PlanData, type PrecisionTarget, type SloSpec } from './plan.js';
import { readSearch, searchSchema } from './search/read-search.js';
import type { SearchSpec } from './search/types.js';

export const EXPERIMENT_KIND = 'Experiment';
export const DEFAULT_REPLICATIONS = 5;
export const DEFAULT_CONFIDENCE = 0.95;
export const DEFAULT_MASTER_SEED = 1;
export const MAX_POINTS = 100_000;
export const MAX_RUNS = 1_000_000;
const MAX_RANGE_LEVELS = 10_000;
const MAX_FILE_BYTES = 4 * 1024 * 1024;

const scalar = () => z.union([z.string(), z.number(), z.boolean()], { error: 'a string, a number or true/false' });
const positiveInt = () => z.number().int().min(1);
/** `0.05` or `5%`. */
const fraction = () => z.union([z.number(), z.string()], { error: 'a fraction such as 0.05, or a percentage such as 5%' });

const rangeFields = {
  /** A list of values... */
  values: z.array(z.unknown()).min(1).optional(),
  /** ...or a range: from, to (inclusive), step; `unit` is appended to each number (`/s`, `ms`). */
  from: z.number().optional(),
  to: z.number().optional(),
  step: z.number().optional(),
  unit: z.string().optional(),
};

const zipMember = z.strictObject({ path: z.string().min(1), ...rangeFields });

const parameterSchema = z.strictObject({
  name: z.string().min(1).optional(),
  path: z.string().min(1).optional(),
  ...rangeFields,
  zip: z.array(zipMember).min(1).optional(),
  labels: z.array(scalar()).min(1).optional(),
});

export const experimentSchema = z.strictObject({
  apiVersion: z.literal('netsim/v1'),
  kind: z.literal(EXPERIMENT_KIND),
  metadata: z
    .strictObject({
      name: z.string().min(1).optional(),
      labels: z.record(z.string(), z.unknown()).optional(),
      annotations: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  spec: z.strictObject({
    description: z.string().optional(),
    scenario: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: 'a scenario file, or a list of them' }),
    set: z.array(z.string().min(1)).optional(),
    parameters: z.array(parameterSchema).optional(),
    replications: positiveInt().optional(),
    seed: z.union([z.number().int().min(0), z.string().min(1)], { error: 'a whole number or a string' }).optional(),
    metrics: z.array(z.string().min(1)).min(1),
    confidence: z.number().gt(0).lt(1).optional(),
    precision: z
      .strictObject({
        metric: z.string().min(1),
        relative: fraction(),
        maxReplications: positiveInt(),
        step: positiveInt().optional(),
      })
      .optional(),
    slo: z
      .strictObject({
        metric: z.string().min(1),
        max: scalar().optional(),
        min: scalar().optional(),
        fewest: z.string().min(1),
      })
      .optional(),
    /** `netsim plan`: what to search for (search/read-search.ts). */
    search: searchSchema.optional(),
  }),
});

type ExperimentObject = z.output<typeof experimentSchema>;
type ParameterObject = z.output<typeof parameterSchema>;

/** Where an override of a point comes from in the experiment file, to put its errors there. */
export interface OverrideOrigin {
  /** The YAML path of the override's path text (`spec.parameters[1].path`), or of the `set` entry. */
  readonly pathAt: FieldPath;
  /** Length of the path part of the override text (`PATH` in `PATH=VALUE`). */
  readonly pathLength: number;
  /** The YAML path of the value node. */
  readonly valueAt: FieldPath;
  /** True when the override's value text is the YAML scalar's value itself (offsets map one to one). */
  readonly valueIsRaw: boolean;
  /** A `set` entry: the whole text is one YAML scalar. */
  readonly whole: boolean;
  /** The factor (index) the override belongs to, or null for `set`. */
  readonly factor: number | null;
}

export interface Experiment {
  /** The experiment file as given. */
  readonly file: string;
  readonly source: SourceText;
  /** The Experiment document as a Resource (to locate fields). */
  readonly res: Resource;
  readonly plan: PlanData;
  /** Scenario files resolved against the experiment file's directory. */
  readonly scenarioFiles: readonly string[];
  readonly metrics: readonly MetricSpec[];
  /** Origin of each override of a point, in the order `expandPoints` builds `Point.set`. */
  readonly origins: (levels: readonly number[]) => OverrideOrigin[];
}

export type ReadExperimentResult =
  | { readonly ok: true; readonly experiment: Experiment; readonly warnings: Diagnostic[]; readonly sources: ReadonlyMap<string, string> }
  | { readonly ok: false; readonly diagnostics: Diagnostic[]; readonly sources: ReadonlyMap<string, string> };

/** The text an override gets for a value written in YAML, and whether it is that scalar's own text. */
export function overrideValueText(value: unknown): { text: string; raw: boolean } {
  if (typeof value === 'string') {
    if (!/[\r\n]/.test(value) && value.trim() === value && value !== '') {
      const doc = parseDocument(value, YAML_PARSE_OPTIONS);
      if (doc.errors.length === 0) {
        try {
          if (doc.toJS({ maxAliasCount: DEFAULT_MAX_ALIAS_COUNT }) === value) return { text: value, raw: true };
        } catch {
          // fall through to quoting
        }
      }
    }
    return { text: JSON.stringify(value), raw: false };
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return { text: String(value), raw: true };
  return { text: JSON.stringify(value), raw: false };
}

/** A value as params and summaries show it: scalars as they are, anything else as one-line YAML flow. */
function labelOf(value: unknown): string | number | boolean {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value === null) return 'null';
  const compact = JSON.stringify(value)
    .replace(/"([A-Za-z_][A-Za-z0-9_-]*)":/g, '$1: ')
    .replace(/,/g, ', ');
  return compact;
}

/** `0.05`, `5%` -> 0.05; undefined when unreadable. */
export function parseFraction(v: number | string): number | undefined {
  if (typeof v === 'number') return v;
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[-+]?\d+)?)\s*(%?)\s*$/i.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] ? n / 100 : n;
}

interface RangeInput {
  values?: unknown[] | undefined;
  from?: number | undefined;
  to?: number | undefined;
  step?: number | undefined;
  unit?: string | undefined;
}

/** The values of a parameter (or zip member), each with its YAML path; errors reported. */
function levelValues(problems: Problems, res: Resource, at: FieldPath, input: RangeInput): { value: unknown; at: FieldPath }[] | undefined {
  const ranged = input.from !== undefined || input.to !== undefined || input.step !== undefined;
  if (input.values !== undefined && ranged) {
    problems.error(res, [...at, 'from' in input && input.from !== undefined ? 'from' : input.to !== undefined ? 'to' : 'step'], 'give either values or a range (from, to, step), not both', { key: true });
    return undefined;
  }
  if (input.values !== undefined) {
    if (input.unit !== undefined) problems.error(res, [...at, 'unit'], 'unit applies to a range (from, to, step); write the unit in each value instead', { key: true });
    return input.values.map((value, i) => ({ value, at: [...at, 'values', i] }));
  }
  if (!ranged) {
    problems.error(res, at, { expected: 'values: [...] or a range (from, to, step)', found: 'neither', message: 'a parameter needs the values it takes' });
    return undefined;
  }
  const missing = (['from', 'to', 'step'] as const).filter((k) => input[k] === undefined);
  if (missing.length > 0) {
    problems.error(res, at, { expected: 'from, to and step together', found: `no ${missing.join(' or ')}` });
    return undefined;
  }
  const { from, to, step } = input as { from: number; to: number; step: number };
  if (!(step > 0)) {
    problems.error(res, [...at, 'step'], { expected: 'a step above zero', found: String(step) });
    return undefined;
  }
  if (to < from) {
    problems.error(res, [...at, 'to'], { expected: `a value at least from (${from})`, found: String(to) });
    return undefined;
  }
  const count = Math.floor((to - from) / step + 1e-9) + 1;
  if (count > MAX_RANGE_LEVELS) {
    problems.error(res, [...at, 'step'], { expected: `at most ${MAX_RANGE_LEVELS} values in a range`, found: `${count}` });
    return undefined;
  }
  const out: { value: unknown; at: FieldPath }[] = [];
  for (let i = 0; i < count; i++) {
    const n = Number((from + i * step).toPrecision(12));
    out.push({ value: input.unit !== undefined ? `${n}${input.unit}` : n, at: [...at, 'from'] });
  }
  return out;
}

/** Checks an override path (`Service/web.spec.x`); reports a ParseError inside the scalar. */
function checkPath(problems: Problems, res: Resource, at: FieldPath, path: string): string | undefined {
  try {
    const t = parseTarget(path, false);
    if (t.path.length === 0) {
      problems.error(res, at, { expected: `a field path after the kind, e.g. ${t.kind}.spec...`, found: JSON.stringify(path) });
      return undefined;
    }
    const last = [...t.path].reverse().find((s): s is string => typeof s === 'string');
    return last ?? t.kind;
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    problems.at('error', res, at, splitExpectedFound(e.message), { inner: { offset: e.offset, length: e.length } });
    return undefined;
  }
}

function checkMetric(problems: Problems, res: Resource, at: FieldPath, name: string): MetricSpec | undefined {
  try {
    return parseMetric(name);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    const parts = splitExpectedFound(e.message);
    problems.at('error', res, at, { ...parts, message: `${parts.message ? `${parts.message}; ` : ''}unknown metric (see docs/experiments.md, "Metrics")` }, { inner: { offset: e.offset, length: e.length } });
    return undefined;
  }
}

interface BuiltFactor {
  readonly factor: Factor;
  /** Per path of the factor: YAML path of the path text, and per level the value's YAML path. */
  readonly members: readonly { readonly pathAt: FieldPath; readonly pathLength: number; readonly valuesAt: readonly FieldPath[]; readonly raw: readonly boolean[] }[];
}

function buildFactor(problems: Problems, res: Resource, index: number, p: ParameterObject): BuiltFactor | undefined {
  const at: FieldPath = ['spec', 'parameters', index];
  const hasPath = p.path !== undefined;
  const hasZip = p.zip !== undefined;
  if (hasPath === hasZip) {
    problems.error(res, at, hasPath ? { message: 'give either path (one field) or zip (several fields that move together), not both' } : { expected: 'path (the field to vary) or zip', found: 'neither' });
    return undefined;
  }
  const memberInputs: { at: FieldPath; path: string; range: RangeInput }[] = hasPath
    ? [{ at, path: p.path!, range: p }]
    : p.zip!.map((m, i) => ({ at: [...at, 'zip', i], path: m.path, range: m }));
  if (hasZip) {
    for (const k of ['values', 'from', 'to', 'step', 'unit'] as const) {
      if (p[k] !== undefined) problems.error(res, [...at, k], `with zip, give ${k} in each zipped field`, { key: true });
    }
  }
  let defaultName: string | undefined;
  const members: { pathAt: FieldPath; pathLength: number; valuesAt: FieldPath[]; raw: boolean[]; texts: string[]; values: unknown[] }[] = [];
  let bad = false;
  for (const m of memberInputs) {
    const last = checkPath(problems, res, [...m.at, 'path'], m.path);
    if (last === undefined) bad = true;
    defaultName ??= last;
    const values = levelValues(problems, res, m.at, m.range);
    if (!values) {
      bad = true;
      continue;
    }
    const texts = values.map((v) => overrideValueText(v.value));
    members.push({ pathAt: [...m.at, 'path'], pathLength: m.path.length, valuesAt: values.map((v) => v.at), raw: texts.map((t) => t.raw), texts: texts.map((t) => `${m.path}=${t.text}`), values: values.map((v) => v.value) });
  }
  if (bad) return undefined;
  const count = members[0]!.texts.length;
  members.forEach((m, i) => {
    if (m.texts.length !== count) {
      problems.error(res, [...at, 'zip', i], { expected: `${count} values, as many as the first zipped field`, found: `${m.texts.length}` });
      bad = true;
    }
  });
  if (hasZip && p.name === undefined) {
    problems.error(res, at, { expected: 'a name for the zipped parameter (name: ...)', found: 'none' });
    bad = true;
  }
  if (p.labels !== undefined && p.labels.length !== count) {
    problems.error(res, [...at, 'labels'], { expected: `${count} labels, one per value`, found: `${p.labels.length}` });
    bad = true;
  }
  if (bad) return undefined;
  const levels: Level[] = [];
  const seen = new Map<string, number>();
  for (let l = 0; l < count; l++) {
    const label = p.labels?.[l] ?? (members.length === 1 ? labelOf(members[0]!.values[l]) : members.map((m) => String(labelOf(m.values[l]))).join('/'));
    const key = JSON.stringify(label);
    const before = seen.get(key);
    if (before !== undefined) {
      const where = p.labels ? [...at, 'labels', l] : members[0]!.valuesAt[l]!;
      problems.error(res, where, { message: `the value ${key} appears twice in this parameter (first as value ${before + 1})` });
      bad = true;
    }
    seen.set(key, l);
    levels.push({ label, set: members.map((m) => m.texts[l]!) });
  }
  if (bad) return undefined;
  return {
    factor: { name: p.name ?? defaultName!, paths: memberInputs.map((m) => m.path), levels },
    members: members.map((m) => ({ pathAt: m.pathAt, pathLength: m.pathLength, valuesAt: m.valuesAt, raw: m.raw })),
  };
}

/** Columns of summary.csv that a parameter name may not take. */
const RESERVED_NAMES = ['point', 'metric', 'unit', 'n', 'mean', 'sd', 'lower', 'upper', 'halfWidth', 'relativeHalfWidth', 'failed', 'missing', 'runs'];

/**
 * Reads and checks an experiment file (not the scenario: see checkExperimentPoints). `readFile` is for
 * tests; by default the file system.
 */
export function readExperiment(file: string, opts: { readonly readFile?: (path: string) => string } = {}): ReadExperimentResult {
  const problems = new Problems();
  const sources = new Map<string, string>();
  const fail = (): ReadExperimentResult => ({ ok: false, diagnostics: sortDiagnostics(problems.list), sources });
  let text: string;
  try {
    if (!opts.readFile) {
      const st = statSync(file);
      if (st.isDirectory()) throw new Error('is a directory, not an experiment file');
      if (st.size > MAX_FILE_BYTES) throw new Error(`the file is ${formatSize(st.size)}; an experiment file is at most ${formatSize(MAX_FILE_BYTES)}`);
    }
    text = (opts.readFile ?? ((p: string) => readFileSync(p, 'utf8')))(file);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e);
    problems.add({ severity: 'error', file, line: 1, col: 1, path: '', message: `cannot read the experiment: ${reason}` });
    return fail();
  }
  sources.set(file, text);
  const source = new SourceText(file, text);
  // Every document checked (not stopping at the first), so all YAML errors are reported at once.
  if (!source.docs.map((d) => yamlDocumentReadable(problems, source, d)).every(Boolean)) return fail();
  const docs = source.docs.filter((d) => d.contents !== null);
  if (docs.length !== 1) {
    const at = docs[1] ? source.location(docs[1].range[0]) : source.location(0);
    problems.add(diagnostic('error', at, '', { expected: 'one Experiment document', found: docs.length === 0 ? 'an empty file' : `${docs.length} documents` }));
    return fail();
  }
  const docIndex = source.docs.indexOf(docs[0]!);
  let value: unknown;
  try {
    value = docs[0]!.toJS({ maxAliasCount: DEFAULT_MAX_ALIAS_COUNT });
  } catch (e) {
    problems.inFile('error', source, docs[0]!.range[0], 1, '', { message: `YAML: ${(e as Error).message}` });
    return fail();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.add(diagnostic('error', source.locate(docIndex, []), '', { expected: 'an Experiment (a mapping with apiVersion: netsim/v1 and kind: Experiment)', found: 'something else' }));
    return fail();
  }
  const obj = value as Record<string, unknown>;
  const res = new Resource(source, docIndex, [], String(obj['apiVersion'] ?? ''), EXPERIMENT_KIND, obj);
  if (obj['kind'] !== EXPERIMENT_KIND && typeof obj['kind'] === 'string' && ['Cluster', 'Workload', 'Simulation', 'Service', 'Deployment'].includes(obj['kind'])) {
    problems.error(res, ['kind'], { expected: 'Experiment', found: JSON.stringify(obj['kind']), message: 'this looks like a scenario: run it with netsim run, or name it in an Experiment\'s spec.scenario' });
    return fail();
  }
  const parsed = experimentSchema.safeParse(obj, { reportInput: true });
  if (!parsed.success) {
    reportIssues(problems, res, parsed.error.issues, experimentSchema);
    return fail();
  }
  const e: ExperimentObject = parsed.data;
  const spec = e.spec;
  const baseDir = dirname(file);
  const scenario = typeof spec.scenario === 'string' ? [spec.scenario] : spec.scenario;
  const scenarioFiles = scenario.map((s) => (isAbsolute(s) ? s : join(baseDir, s)));
  scenarioFiles.forEach((f, i) => {
    const at: FieldPath = typeof spec.scenario === 'string' ? ['spec', 'scenario'] : ['spec', 'scenario', i];
    try {
      if (opts.readFile) opts.readFile(f);
      else if (statSync(f).isDirectory()) throw new Error('is a directory, not a scenario file');
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e);
      problems.error(res, at, { message: `cannot read the scenario ${f}: ${reason} (scenario paths are relative to the experiment file)` });
    }
  });
  const set = spec.set ?? [];
  set.forEach((s, i) => {
    const eq = s.indexOf('=');
    if (eq < 0) problems.error(res, ['spec', 'set', i], { expected: 'PATH=VALUE, as in --set', found: JSON.stringify(s) });
    else checkPath(problems, res, ['spec', 'set', i], s.slice(0, eq));
  });

  // Parameters.
  const built: BuiltFactor[] = [];
  (spec.parameters ?? []).forEach((p, i) => {
    const b = buildFactor(problems, res, i, p);
    if (b) built.push(b);
  });
  const names = new Map<string, number>();
  built.forEach((b, i) => {
    const at: FieldPath = ['spec', 'parameters', i];
    const name = b.factor.name;
    const given = spec.parameters?.[i]?.name !== undefined;
    if (RESERVED_NAMES.includes(name)) problems.error(res, given ? [...at, 'name'] : at, { message: `"${name}" is a column of summary.csv: name the parameter otherwise (name: ...)` });
    const before = names.get(name);
    if (before !== undefined) {
      problems.error(res, given ? [...at, 'name'] : [...at, 'path'], { message: `two parameters are called "${name}" (the other is parameter ${before + 1})${given ? '' : '; give them names (name: ...)'}` });
    }
    names.set(name, i);
  });
  const pathOwners = new Map<string, number>();
  built.forEach((b, i) =>
    b.factor.paths.forEach((p, k) => {
      const before = pathOwners.get(p);
      if (before !== undefined) problems.error(res, b.members[k]!.pathAt, { message: `parameter ${before + 1} already varies ${p}` });
      pathOwners.set(p, i);
    }),
  );

  // Metrics.
  const metricSpecs: MetricSpec[] = [];
  const metricNames: string[] = [];
  spec.metrics.forEach((m, i) => {
    if (metricNames.includes(m)) {
      problems.warn(res, ['spec', 'metrics', i], `${m} is listed twice`);
      return;
    }
    const ms = checkMetric(problems, res, ['spec', 'metrics', i], m);
    if (ms) {
      metricSpecs.push(ms);
      metricNames.push(m);
    }
  });
  const addMetric = (name: string, at: FieldPath): MetricSpec | undefined => {
    const ms = checkMetric(problems, res, at, name);
    if (ms && !metricNames.includes(name)) {
      metricSpecs.push(ms);
      metricNames.push(name);
    }
    return ms;
  };

  const replications = spec.replications ?? DEFAULT_REPLICATIONS;
  const confidence = spec.confidence ?? DEFAULT_CONFIDENCE;
  let precision: PrecisionTarget | null = null;
  if (spec.precision) {
    const p = spec.precision;
    addMetric(p.metric, ['spec', 'precision', 'metric']);
    const relative = parseFraction(p.relative);
    if (relative === undefined || !(relative > 0 && relative < 1)) {
      problems.error(res, ['spec', 'precision', 'relative'], { expected: 'a fraction such as 0.05, or a percentage such as 5% (above 0, below 100 %)', found: JSON.stringify(p.relative) });
    }
    if (replications < 2) problems.error(res, spec.replications !== undefined ? ['spec', 'replications'] : ['spec', 'precision'], { expected: 'at least 2 replications to start from (a CI needs two)', found: String(replications) });
    if (p.maxReplications < replications) {
      problems.error(res, ['spec', 'precision', 'maxReplications'], { expected: `at least replications (${replications})`, found: String(p.maxReplications) });
    }
    precision = { metric: p.metric, relative: relative ?? 0, maxReplications: p.maxReplications, step: p.step ?? replications };
  } else if (replications === 1) {
    problems.warn(res, ['spec', 'replications'], 'one replication gives no confidence interval (and no paired differences); use 2 or more');
  }

  let slo: SloSpec | null = null;
  if (spec.slo) {
    const s = spec.slo;
    const ms = addMetric(s.metric, ['spec', 'slo', 'metric']);
    if (!names.has(s.fewest)) {
      const hint = suggest(s.fewest, names.keys());
      problems.error(res, ['spec', 'slo', 'fewest'], { expected: names.size ? `a parameter name (${[...names.keys()].join(', ')})` : 'a parameter name (there are none)', found: JSON.stringify(s.fewest), ...(hint ? { message: `did you mean "${hint}"?` } : {}) });
    }
    const given = (['max', 'min'] as const).filter((k) => s[k] !== undefined);
    if (given.length !== 1) {
      problems.error(res, ['spec', 'slo'], { expected: 'exactly one of max (the metric must stay at or below it) or min (at or above)', found: given.length ? 'both' : 'neither' });
    } else if (ms) {
      const k = given[0]!;
      const raw = s[k]!;
      let bound: number | undefined;
      if (typeof raw === 'number') bound = raw;
      else if (typeof raw === 'string') {
        try {
          bound = ms.unit === 's' ? parseDuration(raw) : ms.unit === 'fraction' ? parseFraction(raw) : Number(raw);
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
          problems.at('error', res, ['spec', 'slo', k], splitExpectedFound(err.message), { inner: { offset: err.offset, length: err.length } });
          bound = NaN;
        }
      }
      if (bound === undefined || !Number.isFinite(bound)) {
        if (bound === undefined || typeof raw !== 'string' || ms.unit !== 's') {
          problems.error(res, ['spec', 'slo', k], { expected: ms.unit === 's' ? 'a duration such as 50ms' : 'a number', found: JSON.stringify(raw) });
        }
      } else {
        slo = { metric: s.metric, max: k === 'max' ? bound : null, min: k === 'min' ? bound : null, bound: String(raw), fewest: s.fewest };
      }
    }
  }

  const factors = built.map((b) => b.factor);
  let search: SearchSpec | undefined;
  if (spec.search && built.length === (spec.parameters ?? []).length) {
    search = readSearch(
      {
        problems,
        res,
        factors,
        replications,
        replicationsWritten: spec.replications !== undefined,
        addMetric: (ms) => {
          if (!metricNames.includes(ms.name)) {
            metricSpecs.push(ms);
            metricNames.push(ms.name);
          }
        },
      },
      spec.search,
    );
  }
  const points = pointCount({ factors });
  if (built.length === (spec.parameters ?? []).length) {
    if (points > MAX_POINTS) problems.error(res, ['spec', 'parameters'], { expected: `at most ${MAX_POINTS} points`, found: `${points} (the product of the parameters' value counts)` });
    const perPoint = precision ? Math.max(precision.maxReplications, replications) : replications;
    if (points * perPoint > MAX_RUNS) problems.error(res, precision ? ['spec', 'precision', 'maxReplications'] : ['spec', 'replications'], { expected: `at most ${MAX_RUNS} runs`, found: `${points} points × ${perPoint} replications` });
  }

  if (problems.hasErrors) return fail();

  const plan: PlanData = {
    name: e.metadata?.name ?? baseName(file),
    scenario,
    set,
    factors,
    replications,
    masterSeed: spec.seed ?? DEFAULT_MASTER_SEED,
    metrics: metricNames,
    confidence,
    precision,
    slo,
    ...(search ? { search } : {}),
  };

  const origins = (levels: readonly number[]): OverrideOrigin[] => {
    const out: OverrideOrigin[] = set.map((s, i) => ({
      pathAt: ['spec', 'set', i],
      pathLength: Math.max(0, s.indexOf('=')),
      valueAt: ['spec', 'set', i],
      valueIsRaw: true,
      whole: true,
      factor: null,
    }));
    built.forEach((b, f) => {
      const l = levels[f]!;
      for (const m of b.members) {
        out.push({ pathAt: m.pathAt, pathLength: m.pathLength, valueAt: m.valuesAt[l]!, valueIsRaw: m.raw[l]! && m.valuesAt[l]![m.valuesAt[l]!.length - 1] !== 'from', whole: false, factor: f });
      }
    });
    return out;
  };

  return {
    ok: true,
    experiment: {
      file,
      source,
      res,
      plan,
      scenarioFiles,
      metrics: metricSpecs,
      origins,
    },
    warnings: sortDiagnostics(problems.list),
    sources,
  };
}

function baseName(file: string): string {
  const b = file.split(/[\\/]/).pop() ?? file;
  return b.replace(/\.ya?ml$/i, '') || 'experiment';
}

/** The location of an override's problem in the experiment file: `col` is 1-based in the override text. */
export function locateOverride(experiment: Experiment, origin: OverrideOrigin, col: number, length: number): ReturnType<SourceText['locate']> {
  const res = experiment.res;
  const offset = col - 1;
  if (origin.whole) return res.locate(origin.pathAt, { inner: { offset, length } });
  if (offset < origin.pathLength) return res.locate(origin.pathAt, { inner: { offset, length: Math.min(length, origin.pathLength - offset) } });
  if (origin.valueIsRaw) return res.locate(origin.valueAt, { inner: { offset: Math.max(0, offset - origin.pathLength - 1), length } });
  return res.locate(origin.valueAt);
}
