/**
 * Positions in YAML text. A `SourceText` parses one file (or one `--set` value) keeping source tokens, and
 * answers "where is the node at this path?" and "where is character k of this scalar's value?" as
 * `file:line:col`. The second question is what lets an error found by the duration parser inside
 * `lognormal(median=3ms, p99=4x0ms)` point at the `x`.
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node as YamlNode,
  type Scalar,
} from 'yaml';
import type { Location } from './diagnostics.js';

export type Segment = string | number;
export type FieldPath = readonly Segment[];

export interface LocateOptions {
  /** Point at the key of the last segment (for "unknown field") rather than at its value. */
  readonly key?: boolean;
  /** A character span inside the scalar's *value* (e.g. a parser error's offset and length). */
  readonly inner?: { readonly offset: number; readonly length: number };
}

type AnyDocument = Document.Parsed | Document;

/** Options every scenario parse uses: positions kept, YAML 1.2 core schema, unique keys, merge keys. */
export const YAML_PARSE_OPTIONS = {
  keepSourceTokens: true,
  prettyErrors: false,
  uniqueKeys: true,
  merge: true,
  strict: true,
  // Say nothing on stderr (e.g. "keys with collection values will be stringified"): problems are ours to report.
  logLevel: 'error',
} as const;

export class SourceText {
  readonly docs: readonly Document.Parsed[];
  private readonly lines = new LineCounter();

  /**
   * @param file  what diagnostics call this text (a path, or `--set`)
   * @param text  the YAML
   * @param place maps an offset to line/col; defaults to the text's own lines. Overrides use a fixed line
   *              (their index on the command line) and shift columns to where the value starts.
   */
  constructor(
    readonly file: string,
    readonly text: string,
    private readonly place?: (offset: number) => { line: number; col: number },
  ) {
    this.docs = parseAllDocuments(text, { ...YAML_PARSE_OPTIONS, lineCounter: this.lines }) as Document.Parsed[];
    // parseAllDocuments returns an EmptyStream (an array with extra members) for empty input.
    if (!Array.isArray(this.docs)) this.docs = [];
  }

  /** Line and column (1-based) of a character offset in the text. */
  position(offset: number): { line: number; col: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    if (this.place) return this.place(o);
    const { line, col } = this.lines.linePos(o);
    return { line, col };
  }

  location(offset: number, length = 1): Location {
    return { file: this.file, ...this.position(offset), length };
  }

  /**
   * Where the node at `path` in document `docIndex` is. When the path leads nowhere (a missing field), the
   * nearest existing ancestor's key is returned: a "missing field" error then points at the mapping that
   * should have held it.
   */
  locate(docIndex: number, path: FieldPath, opts: LocateOptions = {}): Location {
    const doc = this.docs[docIndex];
    if (!doc) return this.location(0);
    const found = walk(doc, path);
    if (!found.complete) {
      const anchor = found.key ?? found.node;
      if (anchor?.range) return this.span(anchor.range[0], anchor.range[1]);
      return this.location(doc.range?.[0] ?? 0);
    }
    if (opts.key && found.key?.range) return this.span(found.key.range[0], found.key.range[1]);
    // A mapping or list value starts on the next line (block style): its key is where to look.
    if (found.node && (isMap(found.node) || isSeq(found.node)) && !found.node.flow && found.key?.range && !opts.inner) {
      return this.span(found.key.range[0], found.key.range[1]);
    }
    const node = found.node;
    // `key:` with no value: the value is an empty scalar; pointing at the key reads better.
    if (!node || (isScalar(node) && node.value === null && found.key?.range)) {
      const k = found.key!.range!;
      return this.span(k[0], k[1]);
    }
    if (opts.inner && isScalar(node) && node.range) {
      const start = scalarSourceOffset(this.text, node, opts.inner.offset);
      const end = scalarSourceOffset(this.text, node, opts.inner.offset + Math.max(1, opts.inner.length));
      return this.location(start, Math.max(1, end - start));
    }
    if (node.range) return this.span(node.range[0], node.range[1]);
    return this.location(0);
  }

  /** A location for the span [start, end), its length cut at the end of the first line. */
  private span(start: number, end: number): Location {
    const nl = this.text.indexOf('\n', start);
    const stop = nl >= 0 && nl < end ? nl : end;
    return this.location(start, Math.max(1, stop - start));
  }
}

interface WalkResult {
  /** True when every segment was found. */
  readonly complete: boolean;
  /** The deepest node reached. */
  readonly node: YamlNode | null;
  /** The key node of the deepest pair walked through, if the last step was a mapping key. */
  readonly key: YamlNode | null;
}

function keyText(key: unknown): string | null {
  if (isScalar(key)) return key.value === null ? '' : String(key.value);
  return null;
}

function walk(doc: AnyDocument, path: FieldPath): WalkResult {
  let node: YamlNode | null = (doc.contents as YamlNode | null) ?? null;
  let key: YamlNode | null = null;
  for (const seg of path) {
    if (node && isAlias(node)) node = (node.resolve(doc as Document) as YamlNode | undefined) ?? null;
    if (node && isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg));
      if (!pair) return { complete: false, node, key };
      key = (pair.key as YamlNode | null) ?? null;
      node = (pair.value as YamlNode | null) ?? null;
      continue;
    }
    if (node && isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as YamlNode | undefined;
      if (item === undefined) return { complete: false, node, key };
      key = null;
      node = item;
      continue;
    }
    return { complete: false, node, key };
  }
  if (node && isAlias(node)) node = (node.resolve(doc as Document) as YamlNode | undefined) ?? node;
  return { complete: true, node, key };
}

/**
 * Source offset of character `valueOffset` of a scalar's value. Plain and single-line scalars map exactly
 * (quotes, `''` and backslash escapes accounted for); folded, multi-line and block scalars map by walking
 * the source and the value together, which is exact for everything but unusual folding.
 */
export function scalarSourceOffset(text: string, node: Scalar, valueOffset: number): number {
  const [start, end] = node.range!;
  const raw = text.slice(start, end);
  const value = typeof node.source === 'string' ? node.source : String(node.value ?? '');
  let j = 0;
  const type = node.type;
  if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') j = 1;
  else if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
    const nl = raw.indexOf('\n');
    j = nl < 0 ? raw.length : nl + 1;
  }
  const target = Math.max(0, Math.min(valueOffset, value.length));
  let k = 0;
  while (k < target && j < raw.length) {
    const c = value[k]!;
    const r = raw[j]!;
    if (type === 'QUOTE_DOUBLE' && r === '\\') {
      const e = raw[j + 1];
      if (e === '\n' || e === '\r') {
        // Escaped line break: produces nothing; skip it and the next line's indentation.
        j += 2;
        while (j < raw.length && /[ \t\r\n]/.test(raw[j]!)) j++;
        continue;
      }
      j += e === 'x' ? 4 : e === 'u' ? 6 : e === 'U' ? 10 : 2;
      k++;
      continue;
    }
    if (type === 'QUOTE_SINGLE' && r === "'" && raw[j + 1] === "'") {
      j += 2;
      k++;
      continue;
    }
    if (r === c) {
      j++;
      k++;
      continue;
    }
    if ((c === ' ' || c === '\n') && (r === '\n' || r === '\r' || r === ' ' || r === '\t')) {
      // Folding: a line break (and the indentation after it) became a space or a newline.
      while (j < raw.length && /[ \t\r\n]/.test(raw[j]!)) j++;
      k++;
      continue;
    }
    j++; // indentation or other source-only characters
  }
  return start + Math.min(j, raw.length);
}
