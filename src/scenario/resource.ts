/**
 * One object of the scenario (a Service, a Deployment, a netsim Cluster...) as read from YAML, before
 * validation: its plain-JS value and enough to locate any of its fields in the source, including fields
 * that a `--set` override replaced.
 */
import type { Location } from './diagnostics.js';
import { formatPath, formatResourceRef } from './path.js';
import type { FieldPath, LocateOptions, SourceText } from './source-map.js';

/** A value that a `--set` override put at `path`, with the text it came from. */
export interface OverrideMark {
  readonly path: FieldPath;
  /** The override's value text, parsed; positions map to `--set:<n>:<col>`. */
  readonly source: SourceText;
}

export class Resource {
  /** Overrides applied to this resource, in order (later ones win). */
  readonly overrides: OverrideMark[] = [];

  constructor(
    readonly source: SourceText,
    readonly docIndex: number,
    /** Path of this object inside its YAML document: `[]`, or `['items', i]` for an item of a List. */
    readonly base: FieldPath,
    readonly apiVersion: string,
    readonly kind: string,
    /** The object as plain data; overrides mutate it. */
    public value: Record<string, unknown>,
  ) {}

  get metadata(): Record<string, unknown> | undefined {
    const m = this.value['metadata'];
    return m && typeof m === 'object' && !Array.isArray(m) ? (m as Record<string, unknown>) : undefined;
  }

  get name(): string | undefined {
    const n = this.metadata?.['name'];
    return typeof n === 'string' && n !== '' ? n : undefined;
  }

  get namespace(): string {
    const n = this.metadata?.['namespace'];
    return typeof n === 'string' && n !== '' ? n : 'default';
  }

  /** A copy with its own value (deep) and no overrides: for applying different overrides to one read. */
  clone(): Resource {
    return new Resource(this.source, this.docIndex, this.base, this.apiVersion, this.kind, deepCopy(this.value) as Record<string, unknown>);
  }

  /** `Service/web`, `Deployment/shop/api`, `Cluster`: the head of every path in diagnostics. */
  get ref(): string {
    return formatResourceRef(this.kind, this.name, this.namespace);
  }

  /** The full path of a field, as diagnostics print it and `--set` reads it. */
  pathText(path: FieldPath): string {
    return formatPath(this.ref, path);
  }

  /** Where a field of this resource was written: in its YAML file, or in the `--set` that replaced it. */
  locate(path: FieldPath, opts: LocateOptions = {}): Location {
    for (let i = this.overrides.length - 1; i >= 0; i--) {
      const mark = this.overrides[i]!;
      if (mark.path.length <= path.length && mark.path.every((s, k) => s === path[k])) {
        const rest = path.slice(mark.path.length);
        // The override's own key is the path on the command line: point at the value instead.
        return mark.source.locate(0, rest, rest.length === 0 ? { ...opts, key: false } : opts);
      }
    }
    return this.source.locate(this.docIndex, [...this.base, ...path], opts);
  }
}

/** Plain-data deep copy (YAML values: objects, arrays, scalars). */
export function deepCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(deepCopy);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = deepCopy(x);
    return out;
  }
  return v;
}
