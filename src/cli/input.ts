/**
 * What the commands' actions share: checking files, printing diagnostics and failures. Loaded with the
 * actions (it loads the scenario layer), never by the command definitions: their option parsers are in
 * options.ts.
 */
import { statSync } from 'node:fs';
import { formatDiagnostics, OVERRIDE_FILE, type Diagnostic } from '../scenario/index.js';
import { CliError, type CliContext } from './context.js';

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
