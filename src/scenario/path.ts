/**
 * Field paths, written the same way everywhere: in diagnostics, in `--set` overrides and in sweeps.
 *
 *     Kind[/name | /namespace/name].field.path[index]["key.with.dots"]=value
 *
 * e.g. `Workload.spec.clients[0].rate`, `Service/web.spec.externalTrafficPolicy`,
 * `Deployment/shop/api.spec.template.metadata.annotations.netsim/concurrency`. A key that holds a dot, a
 * bracket or a quote is written in brackets and double quotes: `metadata.labels["app.kubernetes.io/name"]`.
 * A name that holds a dot is quoted the same way: `Deployment/"web.v2".spec.replicas`.
 */
import { ParseError } from '../engine/parse-error.js';
import type { FieldPath, Segment } from './source-map.js';

const PLAIN_KEY = /^[^.[\]"'=\s]+$/;

export function formatSegment(seg: Segment, first: boolean): string {
  if (typeof seg === 'number') return `[${seg}]`;
  if (PLAIN_KEY.test(seg)) return first ? seg : `.${seg}`;
  return `[${JSON.stringify(seg)}]`;
}

/** `spec.clients[0].rate`. */
export function formatFieldPath(path: FieldPath): string {
  return path.map((s, i) => formatSegment(s, i === 0)).join('');
}

/** `Service/web`, `Service/shop/web` (namespace shown when not `default`), or just `Cluster`. */
export function formatResourceRef(kind: string, name?: string, namespace?: string): string {
  if (!name) return kind;
  const quote = (s: string): string => (/^[^./[\]"'=\s]+$/.test(s) ? s : JSON.stringify(s));
  return namespace && namespace !== 'default' ? `${kind}/${quote(namespace)}/${quote(name)}` : `${kind}/${quote(name)}`;
}

/** `Service/web.spec.ports[0].nodePort`. */
export function formatPath(ref: string, path: FieldPath): string {
  if (path.length === 0) return ref;
  return typeof path[0] === 'number' ? `${ref}${formatFieldPath(path)}` : `${ref}.${formatFieldPath(path)}`;
}

export interface ParsedTarget {
  readonly kind: string;
  /** 0 (any resource of the kind), 1 (name) or 2 (namespace, name) parts. */
  readonly names: readonly string[];
  readonly path: readonly Segment[];
  /** Offset of each path segment in the text (for errors such as "index out of range"). */
  readonly offsets: readonly number[];
}

export interface ParsedOverride extends ParsedTarget {
  readonly valueText: string;
  /** Offset of the value in the override text (after `=`). */
  readonly valueOffset: number;
}

/** Reads `"..."` (JSON string syntax) at `i`; returns the string and the index after the closing quote. */
function readQuoted(text: string, i: number): { value: string; next: number } {
  let j = i + 1;
  while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
  if (j >= text.length) throw new ParseError(`expected a closing '"', found the end of the path`, i, text.length - i);
  try {
    return { value: JSON.parse(text.slice(i, j + 1)) as string, next: j + 1 };
  } catch {
    throw new ParseError(`expected a valid quoted key, found ${text.slice(i, j + 1)}`, i, j + 1 - i);
  }
}

/**
 * Parses `Kind[/name].path` (stopping at `=` or the end). Throws ParseError with an offset into `text`.
 */
export function parseTarget(text: string, stopAtEquals = true): ParsedTarget & { end: number } {
  let i = 0;
  const kindMatch = /^[A-Za-z][A-Za-z0-9]*/.exec(text);
  if (!kindMatch) {
    throw new ParseError(`expected a kind such as Workload or Service/web, found '${text.slice(0, 20)}'`, 0, Math.max(1, text.length));
  }
  const kind = kindMatch[0];
  i = kind.length;
  const names: string[] = [];
  while (text[i] === '/') {
    i++;
    if (text[i] === '"') {
      const q = readQuoted(text, i);
      names.push(q.value);
      i = q.next;
    } else {
      const m = /^[^./[\]"=\s]+/.exec(text.slice(i));
      if (!m) throw new ParseError(`expected a name after '/', found '${text[i] ?? 'the end'}'`, i, 1);
      names.push(m[0]);
      i += m[0].length;
    }
    if (names.length > 2) throw new ParseError(`expected Kind/name or Kind/namespace/name, found a third '/'`, i - 1, 1);
  }
  const path: Segment[] = [];
  const offsets: number[] = [];
  while (i < text.length && !(stopAtEquals && text[i] === '=')) {
    const c = text[i];
    if (c === '.') {
      const m = /^[^.[\]"'=\s]+/.exec(text.slice(i + 1));
      if (!m) throw new ParseError(`expected a field name after '.', found '${text[i + 1] ?? 'the end'}'`, i + 1, 1);
      offsets.push(i + 1);
      path.push(m[0]);
      i += 1 + m[0].length;
    } else if (c === '[') {
      offsets.push(i + 1);
      if (text[i + 1] === '"') {
        const q = readQuoted(text, i + 1);
        if (text[q.next] !== ']') throw new ParseError(`expected ']', found '${text[q.next] ?? 'the end'}'`, q.next, 1);
        path.push(q.value);
        i = q.next + 1;
      } else {
        const m = /^(\d+)\]/.exec(text.slice(i + 1));
        if (!m) throw new ParseError(`expected an index such as [0] or a quoted key such as ["a.b"], found '${text.slice(i, i + 6)}'`, i, 1);
        path.push(Number(m[1]));
        i += m[0].length + 1;
      }
    } else {
      throw new ParseError(`expected '.', '[' or '=', found '${c}'`, i, 1);
    }
  }
  return { kind, names, path, offsets, end: i };
}

/** Parses `Kind[/name].field.path[idx]=value`. */
export function parseOverride(text: string): ParsedOverride {
  const target = parseTarget(text, true);
  if (text[target.end] !== '=') {
    throw new ParseError(`expected '=' and a value after the path, found the end`, target.end, 1);
  }
  if (target.path.length === 0) {
    throw new ParseError(`expected a field path after the kind, e.g. ${target.kind}.spec..., found '='`, target.end, 1);
  }
  return { ...target, valueText: text.slice(target.end + 1), valueOffset: target.end + 1 };
}
