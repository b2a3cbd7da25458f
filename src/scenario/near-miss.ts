/**
 * "Did you mean ...?": suggestions for misspelt field names, kinds and enum values, and the check that
 * warns about likely typos in Kubernetes objects (which, unlike netsim kinds, must tolerate fields the
 * simulator does not read).
 */
import type { z } from 'zod';
import type { FieldPath, Segment } from './source-map.js';

/**
 * Edit distance with transpositions (optimal string alignment), case-insensitive: `wbe` is one edit from
 * `web`. A difference in case alone counts as one edit.
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (s === t) return a === b ? 0 : 1;
  const rows = s.length + 1;
  const cols = t.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[s.length]![t.length]!;
}

/** The closest candidate within a distance that scales with the word's length, if any. */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = word.length <= 3 ? 1 : word.length <= 6 ? 2 : 3;
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    const d = editDistance(word, c);
    if (d <= limit && d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
  catchall?: z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Strips wrappers (optional, default, pipe...) down to the schema that decides the value's shape. */
function core(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let guard = 0; guard < 32; guard++) {
    const d = defOf(s);
    if (d.innerType && ['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(d.type)) {
      s = d.innerType;
    } else if (d.type === 'pipe' && d.in) {
      s = d.in;
    } else if (d.type === 'lazy' && d.getter) {
      s = d.getter();
    } else {
      return s;
    }
  }
  return s;
}

/** The object schemas a value at `path` might be validated by (several when a union is involved). */
function objectsAt(schema: z.ZodType, path: FieldPath): z.ZodType[] {
  let current: z.ZodType[] = [core(schema)];
  for (const seg of path) {
    const next: z.ZodType[] = [];
    const expand = (s: z.ZodType): void => {
      const d = defOf(s);
      if (d.type === 'union' && d.options) d.options.forEach((o) => expand(core(o)));
      else if (d.type === 'object' && typeof seg === 'string' && d.shape && Object.hasOwn(d.shape, seg)) next.push(core(d.shape[seg]!));
      else if (d.type === 'record' && typeof seg === 'string' && d.valueType) next.push(core(d.valueType));
      else if (d.type === 'array' && typeof seg === 'number' && d.element) next.push(core(d.element));
    };
    current.forEach(expand);
    current = next;
  }
  const flat: z.ZodType[] = [];
  const flatten = (s: z.ZodType): void => {
    const d = defOf(s);
    if (d.type === 'union' && d.options) d.options.forEach((o) => flatten(core(o)));
    else flat.push(s);
  };
  current.forEach(flatten);
  return flat;
}

/** Field names a schema accepts at `path` (empty when it is not a mapping with known fields). */
export function knownKeysAt(schema: z.ZodType, path: FieldPath): string[] {
  const keys = new Set<string>();
  for (const s of objectsAt(schema, path)) {
    const d = defOf(s);
    if (d.type === 'object' && d.shape) Object.keys(d.shape).forEach((k) => keys.add(k));
  }
  return [...keys];
}

export interface NearMiss {
  readonly path: Segment[];
  readonly key: string;
  readonly suggestion: string;
}

/**
 * Walks a value alongside its (tolerant) schema and returns the unknown keys that look like typos of
 * known ones: `externalTraficPolicy` next to `externalTrafficPolicy`. Keys Kubernetes has but the
 * simulator does not read are far from every known key and stay silent.
 */
export function findNearMisses(schema: z.ZodType, value: unknown, path: Segment[] = []): NearMiss[] {
  const out: NearMiss[] = [];
  const visit = (s: z.ZodType, v: unknown, p: Segment[]): void => {
    const c = core(s);
    const d = defOf(c);
    if (d.type === 'union' && d.options) {
      // Only objects are worth checking; use the first object option that shares a key with the value.
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const keys = Object.keys(v);
        for (const o of d.options) {
          const od = defOf(core(o));
          if (od.type === 'object' && od.shape && keys.some((k) => Object.hasOwn(od.shape!, k))) return visit(o, v, p);
        }
      }
      return;
    }
    if (d.type === 'object' && d.shape && v && typeof v === 'object' && !Array.isArray(v)) {
      const known = Object.keys(d.shape);
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        const fieldSchema = Object.hasOwn(d.shape, k) ? d.shape[k] : undefined;
        if (fieldSchema) visit(fieldSchema, child, [...p, k]);
        else {
          const hint = k.length >= 4 ? suggest(k, known) : undefined;
          if (hint) out.push({ path: p, key: k, suggestion: hint });
        }
      }
      return;
    }
    if (d.type === 'array' && d.element && Array.isArray(v)) {
      v.forEach((item, i) => visit(d.element!, item, [...p, i]));
    }
  };
  visit(schema, value, path);
  return out;
}
