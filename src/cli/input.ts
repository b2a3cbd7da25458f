/** Command-line input shared by the commands: files, `--set`, `--seed`, and printing diagnostics. */
import { statSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { MAX_WORKERS } from '../experiment/executor.js';
import { formatDiagnostics, OVERRIDE_FILE, type Diagnostic } from '../scenario/index.js';
import { CliError, type CliContext } from './context.js';

/** Commander argument parser for repeatable options (`--set A=1 --set B=2`). */
export function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * `--workers`: a whole number from 0 (runs in this thread) to {@link MAX_WORKERS}. The pool starts no more
 * threads than there are CPUs or runs (see capWorkers); anything else (negative, a fraction, absurd) is bad
 * input, exit 2.
 */
export function parseWorkers(text: string): number {
  const t = text.trim();
  if (!/^\d+$/.test(t)) throw new InvalidArgumentError(`expected a whole number of worker threads from 0 to ${MAX_WORKERS} (0 runs in the main thread).`);
  const n = Number(t);
  if (!Number.isSafeInteger(n) || n > MAX_WORKERS) {
    throw new InvalidArgumentError(`${t} worker threads is more than the ${MAX_WORKERS} allowed (the pool never starts more threads than CPUs or runs anyway).`);
  }
  return n;
}

/** `--max-events`: a whole number of events above 0, written plainly or as `1e9`, at most 1e15. */
export function parseMaxEvents(text: string): number {
  const t = text.trim();
  const n = Number(t);
  if (!/^\d+(\.\d+)?(e\+?\d+)?$/i.test(t) || !Number.isInteger(n) || n < 1 || n > 1e15) {
    throw new InvalidArgumentError('expected a whole number of events from 1 to 1e15, such as 50000000 or 1e9.');
  }
  return n;
}

/**
 * `--seed`: a whole number (`42`) or any other non-empty text (a string seed, as `Simulation.spec.seed`
 * allows). `42` and `"42"` are the same master seed anyway; the number form keeps result.json tidy.
 */
export function parseSeed(text: string): number | string {
  const t = text.trim();
  if (t === '') throw new InvalidArgumentError('expected a whole number or a non-empty string.');
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (Number.isSafeInteger(n)) return n;
  }
  return t;
}

/**
 * Fails with one clear message for every scenario file that cannot be read (missing, a directory), before
 * the loader turns them into `file:1:1` diagnostics.
 */
export function checkFiles(files: readonly string[]): void {
  const problems: string[] = [];
  for (const file of files) {
    try {
      const st = statSync(file);
      if (st.isDirectory()) problems.push(`${file}: is a directory, not a scenario file`);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') problems.push(`${file}: no such file`);
      else if (code === 'EACCES') problems.push(`${file}: permission denied`);
      else problems.push(`${file}: cannot read the file (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  if (problems.length === 1) throw new CliError(problems[0]!);
  if (problems.length > 1) throw new CliError(`cannot read ${problems.length} files:\n  ${problems.join('\n  ')}`);
}

/**
 * The loader's file texts plus the `--set` overrides as a pseudo-file (line N = the Nth override), so a
 * diagnostic in an override is printed with the override and a caret under the bad part.
 */
export function withOverrideSource(
  sources: ReadonlyMap<string, string>,
  set: readonly string[],
): ReadonlyMap<string, string> {
  if (set.length === 0 || set.some((s) => /[\r\n]/.test(s))) return sources;
  return new Map([...sources, [OVERRIDE_FILE, set.join('\n')]]);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "2 errors, 1 warning". */
export function countDiagnostics(list: readonly Diagnostic[]): string {
  const errors = list.filter((d) => d.severity === 'error').length;
  const warnings = list.length - errors;
  const parts = [plural(errors, 'error')];
  if (warnings > 0) parts.push(plural(warnings, 'warning'));
  return parts.join(', ');
}

/** Prints diagnostics like a compiler (`file:line:col: error: path: message`, source line, caret) on stderr. */
export function printDiagnostics(
  ctx: CliContext,
  list: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  set: readonly string[],
): void {
  if (list.length === 0) return;
  ctx.err(formatDiagnostics(list, { sources: withOverrideSource(sources, set) }));
}

/** Prints the diagnostics of a scenario that did not load, and a closing count line. Returns exit code 2. */
export function reportBadInput(
  ctx: CliContext,
  list: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  set: readonly string[],
  what = 'nothing was simulated',
): number {
  printDiagnostics(ctx, list, sources, set);
  ctx.err(`${countDiagnostics(list)}; ${what}`);
  return 2;
}

/** The runs that failed, the first ten by name (the rest counted): each run's failure is in results.jsonl. */
export function printRunFailures(ctx: CliContext, failures: readonly { readonly run: string; readonly error: string }[], out: string): void {
  for (const f of failures.slice(0, 10)) ctx.err(`run ${printable(f.run)} failed: ${printable(f.error)}`);
  if (failures.length > 10) ctx.err(`... and ${failures.length - 10} more failed runs (status "failed" in ${out}/results.jsonl)`);
}

/** Text from a stored (possibly untrusted) file made safe for a terminal: control characters as `\uXXXX`. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
