/**
 * Writes one run's outputs into a directory: `result.json` and the CSV tables (see result-csv.ts). The
 * directory is created when missing; files already there are replaced.
 */
import { join } from 'node:path';
import { resultCsvFiles } from './result-csv.js';
import { ensureDir, refuseLink, writeAtomic } from './safe-io.js';
import { serializeResultFile, type ResultFile } from './result-file.js';

export const RESULT_FILE_NAME = 'result.json';

/** Writes the run's files and returns their paths (result.json first). */
export function writeRunOutputs(dir: string, file: ResultFile): string[] {
  ensureDir(dir);
  const files: (readonly [string, string])[] = [[RESULT_FILE_NAME, serializeResultFile(file)], ...resultCsvFiles(file)];
  // Every target is checked before anything is written: a link where a file goes refuses the whole run.
  for (const [name] of files) refuseLink(join(dir, name));
  const written: string[] = [];
  for (const [name, text] of files) {
    const path = join(dir, name);
    writeAtomic(path, text);
    written.push(path);
  }
  return written;
}

/** A scenario name made safe as one directory name (`out/<name>/`). */
export function safeDirName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return s === '' ? 'scenario' : s;
}
