/**
 * zod schemas for values written as people write them (`250us`, `5k/s`, `16KiB`,
 * `lognormal(median=3ms, p99=40ms)`), parsed by the engine's own parsers. A ParseError becomes a zod
 * custom issue that carries the parser's offset and length, so the diagnostic points inside the scalar.
 */
import { parseQuantity } from './quantity.js';
import { z } from 'zod';
import { parseDistribution, type Distribution, type ValueDimension } from '../engine/distributions/index.js';
import { ParseError } from '../engine/parse-error.js';
import { parseBytes, parseDuration, parseRate } from '../engine/units.js';
import { describeValue, splitExpectedFound } from './diagnostics.js';
import { parseIPv4 } from './ipv4.js';

/**
 * A schema factory that builds its schema once, on first call, and returns that same instance after.
 * zod schemas are immutable (`.optional()`, `.min()`... return new schemas), so fields can share one;
 * building is what `netsim validate` spent most of its start-up on (each zod instance carries dozens of
 * methods, and these factories are called for hundreds of fields).
 */
export function shared<T>(build: () => T): () => T {
  let schema: T | undefined;
  return () => (schema ??= build());
}

/**
 * A kind's schema, built the first time a scenario has an object of that kind (`z.lazy` over a `shared`
 * build): a scenario uses a few of the ~27 kinds, and building the others at import was a tenth of
 * `netsim validate`'s start-up (docs/benchmarks.md, "Start-up"). Parses, errors and `z.output` types are
 * those of the built schema.
 */
export function kindSchema<T extends z.ZodType>(build: () => T): z.ZodLazy<T> {
  return z.lazy(shared(build));
}

/** What value schemas need from the outside world: reading `empirical(file.csv)` sample files. */
export interface ValueEnv {
  /** Reads a file named in a distribution, relative to the scenario file that names it. */
  readonly readFile?: (path: string) => string;
}

type Ctx = z.core.$RefinementCtx<unknown>;

/** Reports a failure as an issue carrying expected/found, an optional hint, and a span inside the scalar. */
export function fail(
  ctx: Ctx,
  input: unknown,
  problem: { expected: string; found?: string; hint?: string; offset?: number; length?: number },
): never {
  const found = problem.found ?? describeValue(input);
  ctx.addIssue({
    code: 'custom',
    input,
    message: `expected ${problem.expected}, found ${found}${problem.hint ? `; ${problem.hint}` : ''}`,
    params: {
      expected: problem.expected,
      found,
      ...(problem.hint ? { hint: problem.hint } : {}),
      ...(problem.offset !== undefined ? { offset: problem.offset, length: problem.length ?? 1 } : {}),
    },
  });
  return z.NEVER;
}

/** Runs an engine parser on a string (or a YAML number, read as written), mapping ParseError to an issue. */
function parsedWith<T>(parse: (text: string) => T, expected: string, words: Readonly<Record<string, T>> = {}) {
  return z.unknown().transform((v, ctx): T => {
    if (typeof v === 'string' && Object.prototype.hasOwnProperty.call(words, v.trim())) return words[v.trim()]!;
    if (v === undefined) return fail(ctx, v, { expected, found: 'nothing', hint: 'this field is required' });
    if (typeof v !== 'string' && typeof v !== 'number') return fail(ctx, v, { expected });
    try {
      return parse(String(v));
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      const parts = splitExpectedFound(e.message);
      const span = { offset: e.offset, length: e.length };
      return fail(
        ctx,
        v,
        parts.expected !== undefined
          ? { expected: parts.expected, found: parts.found ?? describeValue(v), ...span }
          : { expected, hint: e.message, ...span },
      );
    }
  });
}

export const duration = shared(() => parsedWith(parseDuration, 'a duration such as 250us, 1.5ms or 2s'));
/** A Kubernetes resource quantity above zero (`500m`, `2`, `16Gi`), as a number (cores or bytes). */
export const quantity = (expected = 'a quantity such as 500m, 2 or 16Gi') =>
  z.unknown().transform((v, ctx): number => {
    const q = typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) : NaN;
    if (!(q > 0)) return fail(ctx, v, { expected });
    return q;
  });
export const rate = shared(() => parsedWith(parseRate, 'a rate such as 3000/s, 5k/s or 120/m'));
export const bytes = shared(() => parsedWith(parseBytes, 'a size such as 512, 4KB or 1.5MiB'));
/** A duration, or `none` (null). */
export const durationOrNone = shared(() =>
  parsedWith<number | null>(parseDuration, 'a duration such as 2s, or none', { none: null }),
);
/** A duration, or `auto`. */
export const durationOrAuto = shared(() =>
  parsedWith<number | 'auto'>(parseDuration, 'a duration such as 10s, or auto', { auto: 'auto' }),
);

/**
 * The file reader for `empirical(...)` while a resource is being validated. Schemas are built once (zod
 * compiles them on first use, which is far too slow to repeat per load), so the reader cannot be baked
 * into them; validation is synchronous, so a reader set around one `safeParse` is the one in effect.
 */
let currentReadFile: ((path: string) => string) | undefined;

/** Runs `fn` with `env`'s file reader available to distribution schemas. */
export function withValueEnv<T>(env: ValueEnv, fn: () => T): T {
  const saved = currentReadFile;
  currentReadFile = env.readFile;
  try {
    return fn();
  } finally {
    currentReadFile = saved;
  }
}

/** The file reader in effect (see withValueEnv), for schemas that read files of their own (rate traces). */
export function currentValueReader(): ((path: string) => string) | undefined {
  return currentReadFile;
}

/** One distribution schema per dimension (see `shared`). */
const distributionSchemas = new Map<ValueDimension, ReturnType<typeof parsedWith<Distribution>>>();

/** A distribution string; durations unless told otherwise. A bare quantity (`2ms`) means const(2ms). */
export function distribution(expect: ValueDimension = 'duration') {
  let schema = distributionSchemas.get(expect);
  if (!schema) {
    schema = parsedWith<Distribution>(
      (text) => parseDistribution(text, { expect, ...(currentReadFile ? { readFile: currentReadFile } : {}) }),
      'a distribution such as exp(mean=2ms), lognormal(median=3ms, p99=40ms) or const(1ms)',
    );
    distributionSchemas.set(expect, schema);
  }
  return schema;
}

/** Parses a distribution from code-side text (defaults): a bug here is ours, so it throws. */
export function builtinDistribution(text: string): Distribution {
  return parseDistribution(text, { expect: 'duration' });
}

export const ipv4 = shared(() =>
  z.string().transform((s, ctx): string => {
    const n = parseIPv4(s);
    if (n === undefined) return fail(ctx, s, { expected: 'an IPv4 address such as 10.0.0.1' });
    return s.trim();
  }),
);

/** Labels, annotations, selectors: Kubernetes wants strings; numbers and booleans are read as written. */
export const stringMap = shared(() =>
  z.record(
    z.string(),
    z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? '' : String(v))),
  ),
);

/** A Kubernetes `IntOrString` count or percentage: `2` or `"25%"`. */
export type IntOrPercentInput = { readonly kind: 'count'; readonly value: number } | { readonly kind: 'percent'; readonly value: number };

export const intOrPercent = shared(() =>
  z.unknown().transform((v, ctx): IntOrPercentInput => {
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return { kind: 'count', value: v };
    if (typeof v === 'string') {
      const m = /^\s*(\d+)\s*%\s*$/.exec(v);
      if (m) return { kind: 'percent', value: Number(m[1]) };
      if (/^\s*\d+\s*$/.test(v)) {
        return fail(ctx, v, { expected: 'a whole number such as 1, or a percentage such as "25%"', hint: 'a number in quotes needs a %; write it without quotes for a count' });
      }
    }
    return fail(ctx, v, { expected: 'a whole number such as 1, or a percentage such as "25%"' });
  }),
);

export const port = shared(() => z.int().min(1).max(65535));
export const positiveInt = shared(() => z.int().min(1));
export const nonNegativeInt = shared(() => z.int().min(0));
