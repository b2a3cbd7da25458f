/**
 * The rule every command that writes results follows (`run`, `sweep`, `report`; docs/cli.md "Output
 * folders"): a folder that holds earlier results is not written into unless the user says `--force`, which
 * replaces them. Resuming a sweep (`--resume`) is not overwriting: it keeps the finished runs and adds the
 * missing ones to the same experiment.
 */
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { listDir, refuseLink, removeEmptyDir, removeFile } from './safe-io.js';
import { MANIFEST_FILE, RESULTS_FILE, RUNS_DIR, SUMMARY_JSON } from './store.js';

/**
 * Files whose presence (not empty) means a folder holds results: a run's, a sweep's or a plan's. A
 * manifest.json alone is not results: a sweep stopped before its first run finished left nothing to lose.
 */
export const RESULT_MARKERS = ['result.json', RESULTS_FILE, 'plan.json'] as const;

/** The page whose presence means a folder holds a report. */
export const REPORT_MARKER = 'index.html';

/** The folder `--report` writes into, inside a results folder; `netsim report` writes there by default. */
export const REPORT_DIR = 'report';

/**
 * The markers of earlier results in `dir`, or none. A marker that is a symbolic link (or not a regular
 * file) is refused (UnsafePathError, exit 2): nothing is ever written through it.
 */
export function earlierResults(dir: string): string[] {
  const names = new Set(listDir(dir));
  const present = RESULT_MARKERS.filter((m) => names.has(m));
  for (const m of present) refuseLink(join(dir, m));
  return present.filter((m) => !isEmptyFile(join(dir, m)));
}

function isEmptyFile(path: string): boolean {
  try {
    const st = lstatSync(path);
    return st.isFile() && st.size === 0;
  } catch {
    return false;
  }
}

/** Whether `dir` holds a report. */
export function holdsReport(dir: string): boolean {
  if (!listDir(dir).includes(REPORT_MARKER)) return false;
  refuseLink(join(dir, REPORT_MARKER));
  return true;
}

/** Netsim's own files in a report folder: the page, each chart's CSV and PNG. */
function isReportFile(name: string): boolean {
  return name === REPORT_MARKER || name.endsWith('.csv') || name.endsWith('.png');
}

/** Removes a report's files from `dir` (nothing else), and `dir` when that leaves it empty. */
export function clearReport(dir: string): void {
  for (const name of listDir(dir)) if (isReportFile(name)) removeFile(join(dir, name));
  removeEmptyDir(dir);
}

/**
 * Removes the files earlier results left in `dir` (`--force`): result.json and the CSV tables, a sweep's
 * manifest, results, summaries and runs/, a plan's files, and the report/ folder. Files netsim does not
 * write are left alone; links are removed, never followed.
 */
export function clearResults(dir: string): void {
  for (const name of listDir(dir)) {
    if ((RESULT_MARKERS as readonly string[]).includes(name) || name === MANIFEST_FILE || name === SUMMARY_JSON || name === 'headroom.jsonl' || name.endsWith('.csv')) {
      removeFile(join(dir, name));
    }
  }
  const runs = join(dir, RUNS_DIR);
  for (const name of listDir(runs)) if (name.endsWith('.json')) removeFile(join(runs, name));
  removeEmptyDir(runs);
  clearReport(join(dir, REPORT_DIR));
}
