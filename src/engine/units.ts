/**
 * Quantities written by users: durations (`250us`, `1.5ms`), rates (`5k/s`, `120/m`) and sizes (`4KiB`).
 *
 * Everything is converted to the engine's base units at parse time (seconds, events per second, bytes),
 * so the hot path never sees a unit. Sub-second units convert by *division* by an exact power of ten
 * (`2ms` is `2 / 1e3`), which is correctly rounded and makes `2ms` the very double `0.002`; that is what
 * lets {@link formatQuantity} print values that parse back bit for bit.
 */
import { ParseError } from './parse-error.js';
import type { Bytes, PerSecond, Seconds } from './time.js';

/** What a written quantity measures. `number` is a plain, unit-less number. */
export type Dimension = 'duration' | 'rate' | 'bytes' | 'number';

/** A quantity converted to base units. */
export interface Quantity {
  readonly value: number;
  readonly dimension: Dimension;
}

/** Result of scanning one quantity; failures say where and why, callers phrase the message. */
export type QuantityScan =
  | { readonly ok: true; readonly value: number; readonly dimension: Dimension }
  | { readonly ok: false; readonly offset: number; readonly length: number; readonly hint: string };

/** How one unit converts to base units: multiply by `mul`, then divide by `div` (both exact). */
interface UnitRule {
  readonly dimension: Dimension;
  readonly mul: number;
  readonly div: number;
}

const TIME_UNITS: Readonly<Record<string, { mul: number; div: number }>> = {
  ns: { mul: 1, div: 1e9 },
  us: { mul: 1, div: 1e6 },
  'µs': { mul: 1, div: 1e6 }, // U+00B5 MICRO SIGN
  'μs': { mul: 1, div: 1e6 }, // U+03BC GREEK SMALL LETTER MU
  ms: { mul: 1, div: 1e3 },
  s: { mul: 1, div: 1 },
  m: { mul: 60, div: 1 },
  h: { mul: 3600, div: 1 },
};

const RATE_PREFIXES: Readonly<Record<string, number>> = { '': 1, k: 1e3, M: 1e6, G: 1e9 };

const BYTE_UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1e3,
  kB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
};

function unitRule(unit: string): UnitRule | undefined {
  if (unit === '') return { dimension: 'number', mul: 1, div: 1 };
  const time = TIME_UNITS[unit];
  if (time !== undefined) return { dimension: 'duration', ...time };
  const bytes = BYTE_UNITS[unit];
  if (bytes !== undefined) return { dimension: 'bytes', mul: bytes, div: 1 };
  const slash = unit.indexOf('/');
  if (slash >= 0) {
    const prefix = RATE_PREFIXES[unit.slice(0, slash)];
    const per = TIME_UNITS[unit.slice(slash + 1)];
    // n per (mul/div) seconds = n * prefix * div / mul per second; both steps exact for our tables.
    if (prefix !== undefined && per !== undefined) return { dimension: 'rate', mul: prefix * per.div, div: per.mul };
  }
  return undefined;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Index just past a decimal literal (`-1.5`, `.5`, `1e-3`) starting at `i`, or `i` if there is none. */
function scanNumber(text: string, i: number, end: number): number {
  let j = i;
  if (text[j] === '+' || text[j] === '-') j++;
  const digitsStart = j;
  while (j < end && isDigit(text[j])) j++;
  let digits = j - digitsStart;
  if (j < end && text[j] === '.') {
    const k = j + 1;
    let m = k;
    while (m < end && isDigit(text[m])) m++;
    if (digits > 0 || m > k) {
      digits += m - k;
      j = m;
    }
  }
  if (digits === 0) return i;
  if (j < end && (text[j] === 'e' || text[j] === 'E')) {
    let k = j + 1;
    if (k < end && (text[k] === '+' || text[k] === '-')) k++;
    if (isDigit(text[k]) && k < end) {
      while (k < end && isDigit(text[k])) k++;
      j = k;
    }
  }
  return j;
}

/**
 * Scans `text[start, end)` as exactly one quantity: a number immediately followed by an optional unit.
 * Never throws: callers know what they expected and phrase the error.
 */
export function scanQuantity(text: string, start: number, end: number): QuantityScan {
  if (start >= end) return { ok: false, offset: start, length: 1, hint: 'nothing' };
  const numberEnd = scanNumber(text, start, end);
  if (numberEnd === start) return { ok: false, offset: start, length: end - start, hint: 'not a number' };
  const unit = text.slice(numberEnd, end);
  const rule = unitRule(unit);
  if (rule === undefined) {
    const hint = /^\s/.test(unit) ? 'no space is allowed between a number and its unit' : `unknown unit '${unit}'`;
    return { ok: false, offset: numberEnd, length: end - numberEnd, hint };
  }
  const value = (Number(text.slice(start, numberEnd)) * rule.mul) / rule.div;
  if (!Number.isFinite(value)) return { ok: false, offset: start, length: end - start, hint: 'too large' };
  return { ok: true, value, dimension: rule.dimension };
}

const EXAMPLES: Readonly<Record<Dimension, string>> = {
  duration: 'a duration such as 250us, 1.5ms or 2s',
  rate: 'a rate such as 3000/s, 5k/s or 120/m',
  bytes: 'a size such as 512, 4KB or 1.5MiB',
  number: 'a plain number such as 2 or 0.5',
};

/** "a duration such as 250us, 1.5ms or 2s": the expected half of an error message. */
export function expectedText(dimension: Dimension): string {
  return EXAMPLES[dimension];
}

const NOUNS: Readonly<Record<Dimension, string>> = {
  duration: 'a duration',
  rate: 'a rate',
  bytes: 'a size',
  number: 'a plain number',
};

/** "a rate": how to name what was found instead. */
export function dimensionNoun(dimension: Dimension): string {
  return NOUNS[dimension];
}

/**
 * Parses a whole string as a quantity of `dimension`, allowing surrounding whitespace. A bare `0` is
 * accepted for every dimension; bare numbers are also accepted as bytes. Negative values are errors:
 * nothing the engine measures this way can be negative.
 */
export function parseQuantity(text: string, dimension: Exclude<Dimension, 'number'>): number {
  let start = 0;
  let end = text.length;
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  const found = text.slice(start, end);
  const fail = (offset: number, length: number, hint?: string): never => {
    const what = start === end ? 'nothing' : `'${found}'`;
    throw new ParseError(`expected ${EXAMPLES[dimension]}, found ${what}${hint ? ` (${hint})` : ''}`, offset, Math.max(1, length));
  };
  const scan = scanQuantity(text, start, end);
  if (!scan.ok) return fail(scan.offset, scan.length, scan.hint === 'nothing' || scan.hint === 'not a number' ? undefined : scan.hint);
  const unitless = scan.dimension === 'number';
  const accepted = scan.dimension === dimension || (unitless && (scan.value === 0 || dimension === 'bytes'));
  if (!accepted) {
    const hint = unitless ? 'a number without a unit' : dimensionNoun(scan.dimension);
    return fail(start, end - start, hint);
  }
  if (scan.value < 0) return fail(start, 1, 'cannot be negative');
  return scan.value + 0; // turns a written `-0` into 0
}

/** `250us`, `250µs`, `1.5ms`, `2s`, `1m`, `1h`, `100ns`, `1e-3s` or a bare `0`, in seconds. */
export function parseDuration(text: string): Seconds {
  return parseQuantity(text, 'duration');
}

/** `3000/s`, `5k/s`, `120/m`, `2.5M/s`, `10/ms`, `100/h` or a bare `0`, in events per second. */
export function parseRate(text: string): PerSecond {
  return parseQuantity(text, 'rate');
}

/** `512`, `512B`, `4KB` (10^3), `1KiB` (2^10), `1.5MiB`, `2MB`, in whole bytes. */
export function parseBytes(text: string): Bytes {
  const bytes = parseQuantity(text, 'bytes');
  if (!Number.isInteger(bytes)) {
    throw new ParseError(`expected a whole number of bytes, found '${text.trim()}' (${bytes} bytes)`, text.search(/\S/), text.trim().length);
  }
  return bytes;
}

interface HumanUnit {
  readonly suffix: string;
  readonly seconds: number;
  /** Switch to the next unit once the rounded value reaches this. */
  readonly limit: number;
}

const HUMAN_UNITS: readonly HumanUnit[] = [
  { suffix: 'ns', seconds: 1e-9, limit: 1000 },
  { suffix: 'us', seconds: 1e-6, limit: 1000 },
  { suffix: 'ms', seconds: 1e-3, limit: 1000 },
  { suffix: 's', seconds: 1, limit: 60 },
  { suffix: 'm', seconds: 60, limit: 60 },
  { suffix: 'h', seconds: 3600, limit: Infinity },
];

/**
 * A short human rendering to three significant digits: `1.52ms`, `250us`, `2.0s`. Trailing zeros are
 * trimmed down to one decimal so a rounded figure still looks rounded. For reports, not for round trips
 * (use {@link formatQuantity} for that).
 */
export function formatDuration(seconds: Seconds): string {
  if (Number.isNaN(seconds)) return 'NaN';
  if (seconds < 0) return `-${formatDuration(-seconds)}`;
  if (seconds === Infinity) return 'inf';
  if (seconds === 0) return '0s';
  let index = 0;
  while (index + 1 < HUMAN_UNITS.length && seconds >= HUMAN_UNITS[index + 1].seconds) index++;
  let unit = HUMAN_UNITS[index];
  let digits = (seconds / unit.seconds).toPrecision(3);
  while (Number(digits) >= unit.limit && index + 1 < HUMAN_UNITS.length) {
    unit = HUMAN_UNITS[++index];
    digits = (seconds / unit.seconds).toPrecision(3);
  }
  if (digits.includes('.') && !digits.includes('e')) digits = digits.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '.0');
  return digits + unit.suffix;
}

/** Units tried by {@link formatQuantity}, preferred first on equal length. */
const CANONICAL_UNITS: Readonly<Record<Exclude<Dimension, 'number'>, readonly string[]>> = {
  duration: ['s', 'ms', 'us', 'ns'],
  rate: ['/s', 'k/s', 'M/s', 'G/s', '/m', '/h', '/ms', '/us'],
  bytes: ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'KB', 'MB', 'GB', 'TB'],
};

/** The shortest digits in `unit` that read back as exactly `value`, or undefined if there are none. */
function spell(value: number, unit: string): string | undefined {
  const rule = unitRule(unit) as UnitRule;
  const scaled = (value * rule.div) / rule.mul;
  for (let precision = 1; precision <= 17; precision++) {
    const digits = String(Number(scaled.toPrecision(precision)));
    if ((Number(digits) * rule.mul) / rule.div === value) return digits + unit;
  }
  return undefined;
}

/**
 * A spelling of `value` in `dimension` that {@link scanQuantity} reads back as the identical double, for
 * canonical strings. Durations use the unit that puts the number in [1, 1000) (`200ms`, `500us`, `2s`)
 * when it round-trips; otherwise, and for rates and sizes, the shortest spelling wins (`5k/s`, `4KiB`).
 * Zero is `0` in every dimension; plain numbers use JavaScript's shortest round-trip form.
 */
export function formatQuantity(value: number, dimension: Dimension): string {
  if (value === 0 || dimension === 'number' || !Number.isFinite(value)) return String(value === 0 ? 0 : value);
  if (value < 0) return `-${formatQuantity(-value, dimension)}`;
  if (dimension === 'duration') {
    const natural = value >= 1 ? 's' : value >= 1e-3 ? 'ms' : value >= 1e-6 ? 'us' : 'ns';
    const spelled = spell(value, natural);
    if (spelled !== undefined) return spelled;
  }
  let best: string | undefined;
  for (const unit of CANONICAL_UNITS[dimension]) {
    if (dimension === 'bytes' && unit !== 'B' && value < (unitRule(unit) as UnitRule).mul) continue; // no `0.5KiB`
    const candidate = spell(value, unit);
    if (candidate !== undefined && (best === undefined || candidate.length < best.length)) best = candidate;
  }
  // Seconds, bytes and per-second rates always round-trip through String(value), so `best` is set.
  return best ?? String(value);
}
