/**
 * Collects diagnostics while the scenario is read, validated and resolved, so that every problem is
 * reported at once. Stages keep going after an error; only the final answer depends on whether any error
 * was recorded.
 */
import { ParseError } from '../engine/parse-error.js';
import { diagnostic, splitExpectedFound, type Diagnostic, type ProblemText, type Severity } from './diagnostics.js';
import type { Resource } from './resource.js';
import type { FieldPath, LocateOptions, SourceText } from './source-map.js';

export class Problems {
  readonly list: Diagnostic[] = [];
  private readonly seen = new Set<string>();

  get errorCount(): number {
    return this.list.filter((d) => d.severity === 'error').length;
  }

  get hasErrors(): boolean {
    return this.list.some((d) => d.severity === 'error');
  }

  add(d: Diagnostic): void {
    // The same problem can be found twice (e.g. a value referenced from two places): say it once.
    const key = `${d.severity}|${d.file}|${d.line}|${d.col}|${d.path}|${d.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(d);
  }

  /** A problem with a field of a resource. */
  at(severity: Severity, res: Resource, path: FieldPath, problem: ProblemText, opts: LocateOptions = {}): void {
    this.add(diagnostic(severity, res.locate(path, opts), res.pathText(path), problem));
  }

  error(res: Resource, path: FieldPath, problem: ProblemText | string, opts: LocateOptions = {}): void {
    this.at('error', res, path, typeof problem === 'string' ? { message: problem } : problem, opts);
  }

  warn(res: Resource, path: FieldPath, problem: ProblemText | string, opts: LocateOptions = {}): void {
    this.at('warning', res, path, typeof problem === 'string' ? { message: problem } : problem, opts);
  }

  /**
   * Runs a parser on a string field; a ParseError becomes a diagnostic pointing inside the YAML scalar at
   * the parser's offset. Returns undefined on failure.
   */
  parse<T>(res: Resource, path: FieldPath, text: string, parse: (s: string) => T): T | undefined {
    try {
      return parse(text);
    } catch (e) {
      if (e instanceof ParseError) {
        this.at('error', res, path, splitExpectedFound(e.message), { inner: { offset: e.offset, length: e.length } });
        return undefined;
      }
      throw e;
    }
  }

  /** A problem with a file as a whole (YAML syntax, size), at a character offset. */
  inFile(severity: Severity, source: SourceText, offset: number, length: number, path: string, problem: ProblemText): void {
    this.add(diagnostic(severity, source.location(offset, length), path, problem));
  }
}
