/**
 * zod issues -> diagnostics at the YAML position of the issue's path, phrased "expected X, found Y".
 *
 * Custom issues raised by our own value schemas carry `params`: `expected`/`found` (already phrased),
 * `offset`/`length` (a span inside the scalar, from a ParseError) and `severity`.
 */
import type { z } from 'zod';
import { describeValue, type ProblemText } from './diagnostics.js';
import { knownKeysAt, suggest } from './near-miss.js';
import type { Problems } from './problems.js';
import type { Resource } from './resource.js';
import type { Segment } from './source-map.js';

type Issue = z.core.$ZodIssue;

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  tuple: 'a list',
  null: 'null',
  undefined: 'nothing',
  never: 'nothing (this field is not allowed here)',
};

export function typeName(expected: string): string {
  return Object.hasOwn(TYPE_NAMES, expected) ? TYPE_NAMES[expected]! : expected;
}

function quoteAll(values: readonly unknown[]): string {
  const q = values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v)));
  if (q.length <= 1) return q.join('');
  return `one of ${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}

function bound(issue: { origin: string; inclusive?: boolean; exact?: boolean }, value: number | bigint, big: boolean): string {
  const n = Number(value);
  if (issue.origin === 'array' || issue.origin === 'set') {
    if (issue.exact) return `exactly ${n} item${n === 1 ? '' : 's'}`;
    if (big) return `at most ${issue.inclusive === false ? n - 1 : n} item${n === 1 ? '' : 's'}`;
    const min = issue.inclusive === false ? n + 1 : n;
    return min === 1 ? 'at least one item' : `at least ${min} items`;
  }
  if (issue.origin === 'string') {
    if (big) return `a string of at most ${n} characters`;
    return n <= 1 ? 'a non-empty string' : `a string of at least ${n} characters`;
  }
  const what = issue.origin === 'int' ? 'an integer' : 'a number';
  if (big) return `${what} ${issue.inclusive === false ? '<' : '<='} ${n}`;
  return `${what} ${issue.inclusive === false ? '>' : '>='} ${n}`;
}

function foundOf(issue: Issue): string {
  return describeValue(issue.input);
}

/**
 * How far a union option got before failing: the depth of its deepest complaint about a value that was
 * there. A missing field or an unknown key says the option did not match at that level at all.
 */
function progress(issues: readonly Issue[]): number {
  return issues.reduce((m, i) => {
    if (i.code === 'unrecognized_keys') return Math.max(m, i.path.length);
    if (i.input === undefined) return Math.max(m, Math.max(0, i.path.length - 1));
    return Math.max(m, i.path.length + (i.code === 'invalid_type' ? 0 : 0.5));
  }, 0);
}

/** Keys of the value that no option of a union knows, with a suggestion from the keys options do know. */
function unionKeyHint(branches: readonly (readonly Issue[])[]): string | undefined {
  const unknown = new Set<string>();
  const known = new Set<string>();
  for (const b of branches) {
    for (const i of b) {
      if (i.code === 'unrecognized_keys' && i.path.length === 0) i.keys.forEach((k) => unknown.add(k));
      if (i.input === undefined && i.path.length === 1 && typeof i.path[0] === 'string') known.add(i.path[0]);
    }
  }
  for (const k of unknown) {
    if (known.has(k)) continue;
    const hint = suggest(k, known);
    if (hint) return `unknown field ${JSON.stringify(k)} (did you mean ${JSON.stringify(hint)}?)`;
  }
  return undefined;
}

/**
 * Reports zod issues for `res`. `prefix` is the path of the validated value inside the resource (empty
 * when the whole resource was validated); `schema` lets "unknown field" messages list the known ones.
 */
export function reportIssues(
  problems: Problems,
  res: Resource,
  issues: readonly Issue[],
  schema: z.ZodType,
  prefix: readonly Segment[] = [],
): void {
  for (const issue of issues) reportIssue(problems, res, issue, schema, prefix);
}

/** Extra text after "expected X, found Y": the issue's hint, or its message when that is not the same phrase. */
function hintOf(hint: string | undefined, message: string): string | undefined {
  if (hint) return hint;
  return message && !message.startsWith('expected ') ? message : undefined;
}

function reportIssue(problems: Problems, res: Resource, issue: Issue, schema: z.ZodType, prefix: readonly Segment[]): void {
  const rel = issue.path.filter((s): s is Segment => typeof s === 'string' || typeof s === 'number');
  const path = [...prefix, ...rel];
  const say = (problem: ProblemText, severity: 'error' | 'warning' = 'error', inner?: { offset: number; length: number }, key = false) =>
    problems.at(severity, res, path, problem, inner ? { inner } : key ? { key } : {});

  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) {
        say({ expected: typeName(issue.expected), found: 'nothing', message: 'this field is required' });
      } else {
        say({ expected: typeName(issue.expected), found: foundOf(issue) });
      }
      return;
    }
    case 'invalid_value': {
      const hint = typeof issue.input === 'string' ? suggest(issue.input, issue.values.map(String)) : undefined;
      say({ expected: quoteAll(issue.values), found: foundOf(issue), ...(hint ? { message: `did you mean "${hint}"?` } : {}) });
      return;
    }
    case 'too_small':
      say({ expected: bound(issue, issue.minimum, false), found: foundOf(issue) });
      return;
    case 'too_big':
      say({ expected: bound(issue, issue.maximum, true), found: foundOf(issue) });
      return;
    case 'not_multiple_of':
      say({ expected: `a multiple of ${issue.divisor}`, found: foundOf(issue) });
      return;
    case 'invalid_format':
      say({ expected: issue.message && !issue.message.startsWith('Invalid') ? issue.message : `a valid ${issue.format}`, found: foundOf(issue) });
      return;
    case 'unrecognized_keys': {
      const known = knownKeysAt(schema, rel);
      for (const key of issue.keys) {
        const hint = suggest(key, known);
        const unknown = `unknown field ${JSON.stringify(key)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}`;
        problems.at('error', res, [...path, key], {
          summary: known.length ? `${unknown}; the fields here are ${known.join(', ')}` : unknown,
          ...(known.length ? { expected: `one of ${known.join(', ')}` } : {}),
          found: JSON.stringify(key),
        }, { key: true });
      }
      return;
    }
    case 'invalid_union': {
      const branches = issue.errors;
      if (branches.length > 0) {
        const scored = branches.map((b) => ({ b, p: progress(b) }));
        const best = scored.reduce((a, c) => (c.p > a.p ? c : a));
        const tied = scored.filter((s) => s.p === best.p).length;
        if (best.p >= 1 && tied === 1) {
          // One option clearly matched better (it got deeper): its complaints are the useful ones.
          for (const sub of best.b) reportIssue(problems, res, { ...sub, path: [...issue.path, ...sub.path] } as Issue, schema, prefix);
          return;
        }
      }
      const hint = unionKeyHint(branches);
      say({
        expected: issue.message && issue.message !== 'Invalid input' ? issue.message : 'one of the allowed forms',
        found: foundOf(issue),
        ...(hint ? { message: hint } : {}),
      });
      return;
    }
    case 'custom': {
      const p = (issue.params ?? {}) as {
        expected?: string;
        found?: string;
        hint?: string;
        offset?: number;
        length?: number;
        severity?: 'error' | 'warning';
        key?: boolean;
      };
      const text: ProblemText =
        p.expected !== undefined
          ? { expected: p.expected, found: p.found ?? foundOf(issue), ...(hintOf(p.hint, issue.message) ? { message: hintOf(p.hint, issue.message)! } : {}) }
          : { message: issue.message };
      say(text, p.severity ?? 'error', p.offset !== undefined ? { offset: p.offset, length: p.length ?? 1 } : undefined, p.key === true);
      return;
    }
    default:
      say({ message: (issue as { message: string }).message });
  }
}
