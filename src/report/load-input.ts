/**
 * Reads a results directory into a {@link ReportInput}. Three layouts:
 *
 * - a run: `DIR/result.json` (as `netsim run --out DIR` writes it);
 * - several runs side by side: `DIR/<name>/result.json` for each subdirectory that has one; each run is a
 *   configuration named after its subdirectory (e.g. `out/cluster`, `out/local`);
 * - a sweep: `DIR/manifest.json` + `DIR/results.jsonl` (+ `runs/`, `summary.json`), see load-sweep.ts.
 *
 * Only result files are read: a report can be re-made from stored results without simulating.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { readResultFile, type ResultFile } from '../experiment/result-file.js';
import type { Provenance, ReportInput, ReportPoint, RunView } from './inputs.js';
import { loadSweep, SWEEP_MANIFEST_FILE, SWEEP_RESULTS_FILE } from './load-sweep.js';

export const RUN_RESULT_FILE = 'result.json';

/** A result directory that cannot be read as a report input; the message is one line for the user. */
export class ReportInputError extends Error {
  override name = 'ReportInputError';
}

export function loadReportInput(dir: string): ReportInput {
  const name = basename(resolve(dir));
  if (!existsSync(dir)) throw new ReportInputError(`${dir}: no such directory`);
  if (!statSync(dir).isDirectory()) throw new ReportInputError(`${dir}: not a directory (give the directory that holds result.json or results.jsonl)`);
  if (existsSync(join(dir, SWEEP_MANIFEST_FILE)) || existsSync(join(dir, SWEEP_RESULTS_FILE))) {
    return loadSweep(dir, name, (message) => {
      throw new ReportInputError(message);
    });
  }
  if (existsSync(join(dir, RUN_RESULT_FILE))) return runsInput(name, [{ label: null, file: readRun(join(dir, RUN_RESULT_FILE)) }]);
  const children = readdirSync(dir)
    .filter((child) => existsSync(join(dir, child, RUN_RESULT_FILE)))
    .sort();
  if (children.length > 0) {
    return runsInput(
      name,
      children.map((child) => ({ label: child, file: readRun(join(dir, child, RUN_RESULT_FILE)) })),
    );
  }
  throw new ReportInputError(
    `${dir}: no results found (expected ${RUN_RESULT_FILE}, ${SWEEP_RESULTS_FILE}, or subdirectories holding ${RUN_RESULT_FILE})`,
  );
}

function readRun(path: string): ResultFile {
  try {
    return readResultFile(path);
  } catch (e) {
    throw new ReportInputError(e instanceof Error ? e.message : String(e));
  }
}

/** Stored runs as an input: one point (and configuration) per run. */
export function runsInput(name: string, runs: readonly { label: string | null; file: ResultFile }[]): ReportInput {
  const points: ReportPoint[] = runs.map(({ label, file }, i) => ({
    id: String(i),
    configuration: label ?? file.scenario,
    parameters: [],
    runs: [{ replication: 0, seed: file.seed, result: file as RunView, metrics: {} }],
  }));
  const first = runs[0]!.file;
  const overrides = runs.length === 1 ? first.overrides : commonPrefix(runs.map((r) => r.file.overrides));
  const provenance: Provenance = {
    scenarios: distinct(runs.map((r) => r.file.scenario)),
    experiment: null,
    files: first.files,
    overrides,
    seeds: distinct(runs.map((r) => r.file.seed)),
    replications: 1,
    confidenceLevel: null,
    tool: first.tool ? `${first.tool.name} ${first.tool.version}` : null,
    parameters: [],
    warnings: [],
  };
  return {
    kind: 'run',
    name,
    provenance,
    configurations: distinct(points.map((p) => p.configuration)),
    loadParameter: null,
    points,
    differences: [],
  };
}

export function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function commonPrefix(lists: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  const first = lists[0] ?? [];
  for (let i = 0; i < first.length; i++) {
    if (lists.every((l) => l[i] === first[i])) out.push(first[i]!);
    else break;
  }
  return out;
}
