/**
 * A sweep's output directory:
 *
 *     manifest.json     the experiment (name, hash, plan, files read), the shard; written before any run
 *     results.jsonl     one line per finished run, appended as each finishes (completion order)
 *     runs/<id>.json    each run's full result, in the result.json format of `netsim run`
 *     summary.json      aggregate: per point and metric mean, sd, CI; paired differences; SLO table
 *     summary.csv       the per-point table;  differences.csv: the paired differences
 *
 * A killed sweep loses only the runs in flight: every line is written with one write call as its run
 * finishes, and a line cut short by the kill is dropped when the file is read back (`--resume`).
 */
import { closeSync, constants, existsSync, ftruncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { FileHash } from './prepare.js';
import type { PlanData, Shard } from './plan.js';
import { openAppend, openNoFollow, readStoredFile, UnsafePathError, writeAtomic } from './safe-io.js';
import { parseStoredJson, resultLineProblem, StoredFileError, validateManifestData } from './stored-schema.js';

export { writeAtomic };

export const MANIFEST_FILE = 'manifest.json';
export const RESULTS_FILE = 'results.jsonl';
export const RUNS_DIR = 'runs';
export const SUMMARY_JSON = 'summary.json';
export const SUMMARY_CSV = 'summary.csv';
export const DIFFERENCES_CSV = 'differences.csv';
export const MANIFEST_SCHEMA = 'netsim.sweep/v1';

/** One line of results.jsonl. */
export interface ResultLine {
  /** `p<point>-r<replication>`. */
  readonly run: string;
  /** Position in the plan (sorting by it gives plan order whatever the completion order was). */
  readonly index: number;
  readonly point: number;
  readonly params: Readonly<Record<string, string | number | boolean>>;
  readonly replication: number;
  readonly seed: number;
  readonly status: 'ok' | 'failed';
  /** Set when status is failed. */
  readonly error?: string;
  /** The metrics of interest (null: the run has no such value, e.g. p99 of no request). Empty when failed. */
  readonly metrics: Readonly<Record<string, number | null>>;
  /** The run's full result, relative to the output directory; null when failed or not kept. */
  readonly result: string | null;
  /** Wall-clock seconds of the run (informative; no summary uses it). */
  readonly wallSeconds: number;
}

export interface Manifest {
  readonly schema: typeof MANIFEST_SCHEMA;
  readonly tool: { readonly name: string; readonly version: string };
  readonly experiment: {
    readonly name: string;
    /** The experiment file as given on the command line (informative). */
    readonly file: string;
    /** Same plan, same files read, same tool version: same hash. */
    readonly hash: string;
    readonly files: readonly FileHash[];
  };
  readonly plan: PlanData;
  /** The share this output holds; null for a whole sweep (or a merge). */
  readonly shard: Shard | null;
  /** For a merged output: the directories merged, with their shards. */
  readonly mergedFrom?: readonly { readonly dir: string; readonly shard: Shard | null }[];
}

export function writeManifest(dir: string, manifest: Manifest): void {
  writeAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Reads and validates a manifest; throws an Error with a one-line reason (a {@link StoredFileError} for a
 * file of the wrong shape). `noLinks`: refuse a symbolic link (an untrusted shard).
 */
export function readManifest(dir: string, opts: { readonly noLinks?: boolean } = {}): Manifest {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = readStoredFile(path, { noLinks: opts.noLinks === true }).toString('utf8');
  } catch (e) {
    if (e instanceof UnsafePathError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${dir}: no ${MANIFEST_FILE} (not a sweep output directory)` : `${path}: ${(e as Error).message}`);
  }
  const m = parseStoredJson(text, path);
  if (!m || typeof m !== 'object' || (m as { schema?: unknown }).schema !== MANIFEST_SCHEMA) {
    throw new StoredFileError(path, 'schema', `not a sweep manifest (expected "schema": "${MANIFEST_SCHEMA}")`);
  }
  validateManifestData(m, path);
  return m as Manifest;
}

function isResultLine(v: unknown): v is ResultLine {
  return resultLineProblem(v) === null;
}

export interface ReadResults {
  readonly lines: ResultLine[];
  /** Byte length of the part made of whole lines (a cut last line starts there). */
  readonly wholeBytes: number;
  /** True when the file ended in a line cut short (a killed sweep). */
  readonly cut: boolean;
  /** 1-based numbers of lines that are not result lines. */
  readonly bad: number[];
}

/**
 * Reads results.jsonl (missing file: no lines). A last line without its newline is left out; lines that are
 * not JSON or not of the shape of a result line are counted in `bad`. `noLinks`: refuse a symbolic link.
 */
export function readResults(dir: string, file: string = RESULTS_FILE, opts: { readonly noLinks?: boolean } = {}): ReadResults {
  const path = join(dir, file);
  if (!existsSync(path)) return { lines: [], wholeBytes: 0, cut: false, bad: [] };
  const buf = readStoredFile(path, { noLinks: opts.noLinks === true });
  const lastNl = buf.lastIndexOf(0x0a);
  const wholeBytes = lastNl + 1;
  const cut = wholeBytes < buf.length;
  const text = buf.subarray(0, wholeBytes).toString('utf8');
  const lines: ResultLine[] = [];
  const bad: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const v: unknown = JSON.parse(line);
      if (isResultLine(v)) lines.push(v);
      else bad.push(i + 1);
    } catch {
      bad.push(i + 1);
    }
  });
  return { lines, wholeBytes, cut, bad };
}

/** Appends lines, one write per line. Open once per sweep. */
export class ResultsWriter {
  private fd: number;

  /** `file`: default results.jsonl (a plan also writes its headroom runs to headroom.jsonl). */
  constructor(dir: string, file: string = RESULTS_FILE) {
    this.fd = openAppend(join(dir, file));
  }

  append(line: ResultLine): void {
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** Drops a cut last line (so appending starts on a fresh line). */
export function truncateToWholeLines(dir: string, wholeBytes: number): void {
  const fd = openNoFollow(join(dir, RESULTS_FILE), constants.O_RDWR);
  try {
    ftruncateSync(fd, wholeBytes);
  } finally {
    closeSync(fd);
  }
}

/** Rewrites results.jsonl (or `file`) with exactly these lines (atomically). */
export function rewriteResults(dir: string, lines: readonly ResultLine[], file: string = RESULTS_FILE): void {
  writeAtomic(join(dir, file), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
}

export function runFileName(runId: string): string {
  return `${RUNS_DIR}/${runId}.json`;
}
