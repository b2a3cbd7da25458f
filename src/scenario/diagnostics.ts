/**
 * One problem in the user's input, located and phrased for a person: where (`file:line:col`), which field
 * (`path`, in the same syntax `--set` and sweeps use), what was expected and what was found.
 */

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly severity: Severity;
  /** The scenario file, or `--set` for a problem in a command-line override. */
  readonly file: string;
  /** 1-based. For `--set`, the override's position on the command line (1 = first `--set`). */
  readonly line: number;
  /** 1-based, in characters. */
  readonly col: number;
  /** The field, e.g. `Service/web.spec.ports[0].nodePort`; empty for a problem with the file itself. */
  readonly path: string;
  /** What the field should hold ("a duration like 250ms"); absent when the message says it all. */
  readonly expected?: string;
  /** What it holds (`"abc"`, `a list`); absent when the message says it all. */
  readonly found?: string;
  /** The whole explanation (always set; repeats expected/found when those are given). */
  readonly message: string;
  /** Characters the problem spans, for a caret under the source line (at least 1). */
  readonly length?: number;
}

/** A position with an optional span, as the source map returns it. */
export interface Location {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly length?: number;
}

export interface ProblemText {
  readonly expected?: string;
  readonly found?: string;
  /** Free text when there is no expected/found pair, or extra advice after it. */
  readonly message?: string;
  /** The whole message, when it reads better than "expected X, found Y" (expected/found still kept as fields). */
  readonly summary?: string;
}

/** Builds a diagnostic, composing `message` from expected/found when they are given. */
export function diagnostic(
  severity: Severity,
  at: Location,
  path: string,
  problem: ProblemText,
): Diagnostic {
  const parts: string[] = [];
  if (problem.summary !== undefined) parts.push(problem.summary);
  else if (problem.expected !== undefined && problem.found !== undefined) {
    parts.push(`expected ${problem.expected}, found ${problem.found}`);
  } else if (problem.expected !== undefined) {
    parts.push(`expected ${problem.expected}`);
  }
  if (problem.message && problem.summary === undefined) parts.push(problem.message);
  const d: Diagnostic = {
    severity,
    file: at.file,
    line: at.line,
    col: at.col,
    path,
    message: parts.join('; ') || 'invalid value',
    ...(problem.expected !== undefined ? { expected: problem.expected } : {}),
    ...(problem.found !== undefined ? { found: problem.found } : {}),
    ...(at.length !== undefined ? { length: Math.max(1, at.length) } : {}),
  };
  return d;
}

/**
 * Splits a parser's "expected X, found Y" message (the convention of `ParseError`) into its parts, so the
 * diagnostic carries them as fields. Anything else stays a plain message.
 */
export function splitExpectedFound(message: string): ProblemText {
  const m = /^expected (.+?), found (.+?)(?:; (.*))?$/s.exec(message);
  if (!m) return { message };
  return { expected: m[1]!, found: m[2]!, ...(m[3] ? { message: m[3] } : {}) };
}

/** `file:line:col: error: <path>: <message>` — one line, the form editors and CI logs understand. */
export function formatDiagnostic(d: Diagnostic, opts: { sources?: ReadonlyMap<string, string> } = {}): string {
  const where = `${d.file}:${d.line}:${d.col}`;
  const head = `${where}: ${d.severity}: ${d.path ? `${d.path}: ` : ''}${d.message}`;
  const text = opts.sources?.get(d.file);
  if (text === undefined) return head;
  const line = text.split(/\r?\n/)[d.line - 1];
  if (line === undefined) return head;
  const gutter = `${d.line} | `;
  const caretLen = Math.max(1, Math.min(d.length ?? 1, Math.max(1, line.length - d.col + 1)));
  const caret = ' '.repeat(gutter.length - 2) + '| ' + ' '.repeat(Math.max(0, d.col - 1)) + '^'.repeat(caretLen);
  return `${head}\n${gutter}${line}\n${caret}`;
}

/** Errors first, then by file, line and column; warnings after. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const rank = (d: Diagnostic): number => (d.severity === 'error' ? 0 : 1);
  return [...list].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.col - b.col ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
}

export function formatDiagnostics(
  list: readonly Diagnostic[],
  opts: { sources?: ReadonlyMap<string, string> } = {},
): string {
  return sortDiagnostics(list)
    .map((d) => formatDiagnostic(d, opts))
    .join('\n');
}

/** Describes a value the way a message quotes it: `"abc"`, `42`, `null`, `a list`, `a mapping`. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') {
    const s = v.length > 60 ? `${v.slice(0, 57)}...` : v;
    return JSON.stringify(s);
  }
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list' : 'a list';
  if (typeof v === 'object') return 'a mapping';
  return typeof v;
}
