/** Runs the CLI in-process with captured output. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main, type CliIO } from '../../src/cli/main.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MODELS = join(ROOT, 'models');
export const FIXTURES = join(ROOT, 'test/cli/fixtures');
export const model = (name: string): string => join(MODELS, name);
export const fixture = (name: string): string => join(FIXTURES, name);

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

export class Capture {
  text = '';
  constructor(
    readonly isTTY = false,
    readonly columns = 100,
  ) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** `netsim ARGS...` in-process; `env` defaults to no NETSIM_DEBUG. */
export async function netsim(args: readonly string[], io: Partial<CliIO> = {}): Promise<Captured> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(['node', 'netsim', ...args], { stdout, stderr, env: {}, ...io });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'netsim-cli-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** No stack trace frames in the text ("    at foo (file:1:2)"). */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+[:(]/m.test(text);
}
