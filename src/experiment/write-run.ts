/**
 * Writes one run's outputs into a directory: `result.json` and the CSV tables (see result-csv.ts). The
 * directory is created when missing; files already there are replaced.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultCsvFiles } from './result-csv.js';
import { serializeResultFile, type ResultFile } from './result-file.js';

export const RESULT_FILE_NAME = 'result.json';

/** Writes the run's files and returns their paths (result.json first). */
export function writeRunOutputs(dir: string, file: ResultFile): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const put = (name: string, text: string): void => {
    const path = join(dir, name);
    writeFileSync(path, text);
    written.push(path);
  };
  put(RESULT_FILE_NAME, serializeResultFile(file));
  for (const [name, text] of resultCsvFiles(file)) put(name, text);
  return written;
}

/** A scenario name made safe as one directory name (`out/<name>/`). */
export function safeDirName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return s === '' ? 'scenario' : s;
}
