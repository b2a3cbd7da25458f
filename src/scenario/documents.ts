/**
 * Files -> resources: YAML parsing with limits (file size, alias expansion, nesting), `kind: List` unwrapping,
 * and sorting objects into the ones the simulator reads, the ones it ignores (ConfigMap, Job..., each with
 * its reason: ignored.ts) and the ones that are wrong (a netsim kind that does not exist, an apiVersion
 * Kubernetes no longer serves).
 */
import type { YAMLError } from 'yaml';
import { describeValue } from './diagnostics.js';
import { reasonForKind, type IgnoredResource } from './ignored.js';
import { classifyKind } from './kinds/registry.js';
import { suggest } from './near-miss.js';
import type { Problems } from './problems.js';
import { Resource } from './resource.js';
import { SourceText, type FieldPath } from './source-map.js';
import { MAX_NESTING_DEPTH, tooDeep } from './yaml-depth.js';

/** Files above this size are refused before parsing (a scenario is a few hundred lines; a dump, a few MB). */
export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;
/** Alias expansions allowed per document: enough for real anchors, far too few for a "billion laughs". */
export const DEFAULT_MAX_ALIAS_COUNT = 1000;

export interface ScenarioFile {
  readonly path: string;
  readonly text: string;
}

/** An object the simulator does not model (yet): listed, with the reason, so the user sees it was read and skipped. */
export type { IgnoredResource };

export interface ReadOptions {
  readonly maxFileBytes?: number;
  readonly maxAliasCount?: number;
}

export interface ReadResult {
  readonly resources: Resource[];
  readonly ignored: IgnoredResource[];
  readonly sources: SourceText[];
}

/** `512 B`, `3.5 KiB`, `20.0 MiB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

const YAML_MESSAGES: Readonly<Record<string, string>> = {
  DUPLICATE_KEY: 'duplicate key: each key may appear once in a mapping',
  BAD_INDENT: 'bad indentation',
  TAB_AS_INDENT: 'tabs are not allowed as indentation in YAML; use spaces',
};

const NESTING_EXPECTED = `at most ${MAX_NESTING_DEPTH} levels of nested mappings and lists`;

/**
 * Reports a parsed document's YAML errors and warnings, and nesting past {@link MAX_NESTING_DEPTH}; false
 * when the document cannot be read on. The one YAML check of every file the tool reads (scenarios and
 * experiments).
 */
export function yamlDocumentReadable(problems: Problems, source: SourceText, doc: SourceText['docs'][number]): boolean {
  for (const e of doc.errors) yamlProblem(problems, source, e, 'error');
  for (const w of doc.warnings) yamlProblem(problems, source, w, 'warning');
  if (doc.errors.length > 0) return false;
  if (doc.contents === null) return true;
  const deep = tooDeep(doc);
  if (deep === undefined) return true;
  problems.inFile('error', source, deep.at.range?.[0] ?? doc.range[0], 1, '', { expected: NESTING_EXPECTED, found: `${deep.depth} levels`, message: 'a Kubernetes object nests a few dozen levels at most' });
  return false;
}

function yamlProblem(problems: Problems, source: SourceText, err: YAMLError, severity: 'error' | 'warning'): void {
  const [start, end] = err.pos;
  // The parser caught its own stack overflow (it recurses once per level, a few hundred levels deep at least).
  if (err.code === 'RESOURCE_EXHAUSTION') {
    problems.inFile(severity, source, start, 1, '', { expected: NESTING_EXPECTED, found: 'more than the YAML parser can follow', message: 'a Kubernetes object nests a few dozen levels at most' });
    return;
  }
  const base = err.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
  const known = YAML_MESSAGES[err.code];
  problems.inFile(severity, source, start, Math.max(1, end - start), '', {
    message: `YAML: ${known && err.code !== 'BAD_INDENT' ? known : base}`,
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function readDocuments(
  files: readonly ScenarioFile[],
  problems: Problems,
  opts: ReadOptions = {},
): ReadResult {
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const maxAliasCount = opts.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT;
  const resources: Resource[] = [];
  const ignored: IgnoredResource[] = [];
  const sources: SourceText[] = [];

  for (const file of files) {
    const bytes = Buffer.byteLength(file.text, 'utf8');
    if (bytes > maxBytes) {
      problems.add({
        severity: 'error',
        file: file.path,
        line: 1,
        col: 1,
        path: '',
        expected: `a file of at most ${formatSize(maxBytes)}`,
        found: formatSize(bytes),
        message: `expected a file of at most ${formatSize(maxBytes)}, found ${formatSize(bytes)}; split it, or raise the limit`,
      });
      continue;
    }
    const source = new SourceText(file.path, file.text);
    sources.push(source);

    source.docs.forEach((doc, docIndex) => {
      if (!yamlDocumentReadable(problems, source, doc)) return;
      if (doc.contents === null) return; // an empty document (e.g. a trailing `---`)

      let value: unknown;
      try {
        value = doc.toJS({ maxAliasCount });
      } catch (e) {
        const start = doc.range[0];
        const unresolved = /Unresolved alias[^:]*: (\S+)/.exec((e as Error).message);
        if (unresolved) {
          const name = unresolved[1]!;
          const at = file.text.indexOf(`*${name}`, start);
          problems.inFile('error', source, at >= 0 ? at : start, name.length + 1, '', {
            message: `YAML: unknown alias *${name}: its anchor &${name} must come before it, in the same document`,
          });
        } else if (e instanceof ReferenceError && /excessive alias/i.test(e.message)) {
          problems.inFile('error', source, start, 1, '', {
            expected: `at most ${maxAliasCount} alias expansions per document`,
            found: 'more',
            message: 'refusing to expand YAML aliases any further (this is how a "billion laughs" YAML bomb works)',
          });
        } else {
          problems.inFile('error', source, start, 1, '', { message: `YAML: ${(e as Error).message}` });
        }
        return;
      }
      if (value === null || value === undefined) return; // `---` with nothing after it
      collect(value, source, docIndex, [], problems, resources, ignored, undefined);
    });
  }
  return { resources, ignored, sources };
}

function collect(
  value: unknown,
  source: SourceText,
  docIndex: number,
  base: FieldPath,
  problems: Problems,
  resources: Resource[],
  ignored: IgnoredResource[],
  /** For items of a typed list (`PodList`): the kind and apiVersion items may leave out. */
  itemDefault: { apiVersion: string; kind: string } | undefined,
): void {
  const here = (path: FieldPath, key = false) => source.locate(docIndex, [...base, ...path], { key });
  const fileProblem = (path: FieldPath, expected: string, found: string, message?: string, key = false) => {
    const at = here(path, key);
    const pathText = base.length ? base.map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('.').replace(/\.\[/g, '[') : '';
    problems.add({
      severity: 'error',
      file: at.file,
      line: at.line,
      col: at.col,
      path: [pathText, ...path].filter((s) => s !== '').join('.'),
      expected,
      found,
      message: `expected ${expected}, found ${found}${message ? `; ${message}` : ''}`,
      ...(at.length !== undefined ? { length: at.length } : {}),
    });
  };

  if (!isObject(value)) {
    fileProblem([], 'a Kubernetes object (a mapping with apiVersion and kind)', describeValue(value));
    return;
  }
  const obj = { ...value };
  if (itemDefault) {
    if (obj['apiVersion'] === undefined) obj['apiVersion'] = itemDefault.apiVersion;
    if (obj['kind'] === undefined) obj['kind'] = itemDefault.kind;
  }
  const apiVersion = obj['apiVersion'];
  const kind = obj['kind'];
  let bad = false;
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    fileProblem(apiVersion === undefined ? [] : ['apiVersion'], 'apiVersion (a string such as v1, apps/v1 or netsim/v1)', apiVersion === undefined ? 'nothing' : describeValue(apiVersion));
    bad = true;
  }
  if (typeof kind !== 'string' || kind === '') {
    fileProblem(kind === undefined ? [] : ['kind'], 'kind (a string such as Service, Deployment or Cluster)', kind === undefined ? 'nothing' : describeValue(kind));
    bad = true;
  }
  if (bad) return;
  const av = apiVersion as string;
  const k = kind as string;

  // `kind: List` (kubectl get -o yaml) and typed lists (`ServiceList`) are unwrapped.
  if (k === 'List' || (k.endsWith('List') && Array.isArray(obj['items']))) {
    const items = obj['items'];
    if (items === undefined || items === null) return;
    if (!Array.isArray(items)) {
      fileProblem(['items'], 'a list of objects', describeValue(items));
      return;
    }
    const typed = k === 'List' ? undefined : { apiVersion: av, kind: k.slice(0, -'List'.length) };
    items.forEach((item, i) => collect(item, source, docIndex, [...base, 'items', i], problems, resources, ignored, typed));
    return;
  }

  const verdict = classifyKind(av, k);
  if (verdict.status === 'ignored') {
    const meta = obj['metadata'];
    const name = isObject(meta) && typeof meta['name'] === 'string' ? meta['name'] : undefined;
    const namespace = isObject(meta) && typeof meta['namespace'] === 'string' && meta['namespace'] !== '' ? meta['namespace'] : undefined;
    ignored.push({
      apiVersion: av,
      kind: k,
      name,
      ...(namespace !== undefined ? { namespace } : {}),
      file: source.file,
      line: here([]).line,
      reason: verdict.reason ?? reasonForKind(av, k),
    });
    return;
  }
  if (verdict.status === 'error') {
    const hint = verdict.suggestions ? suggest(k, verdict.suggestions) : undefined;
    fileProblem([verdict.field], verdict.expected, JSON.stringify(verdict.field === 'kind' ? k : av), hint ? `did you mean "${hint}"?` : verdict.message);
    return;
  }
  resources.push(new Resource(source, docIndex, base, av, k, obj));
}
