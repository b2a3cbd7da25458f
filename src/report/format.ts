/**
 * Numbers for people: the one set of formatters of the report's charts and tables and of the terminal
 * summaries (`netsim run`, `netsim sweep`), through d3-format with a fixed locale, so the same number reads
 * the same everywhere and on every machine.
 *
 * - Three significant digits by default, trailing zeros dropped: `10.6 ms`, `16.1 %`, `2,990 req/s`.
 * - A unit on every value, after a no-break space: durations in µs below 1 ms, ms below 1 s, then s, min,
 *   h; nothing below a microsecond is printed as nanoseconds (`< 1 µs`), no share below 0.001 % as a long
 *   string of zeros (`< 0.001 %`); differences of fractions are percentage points (`+16.1 pp`).
 * - A missing value (null, undefined, NaN) is `–`; an infinite one `∞` (a percentile among dropped
 *   requests is "not reached", see {@link formatQuantile}).
 * - The minus sign is U+2212. {@link plain} turns a formatted value into ASCII spacing and signs for the
 *   terminal (`-`, spaces), which is all that differs there.
 */
import { formatLocale } from 'd3-format';

export const NBSP = '\u00a0';
export const MINUS = '\u2212';
/** What a missing value prints as. */
export const MISSING = '–';
/** A percentile that falls among dropped requests: no finite latency reaches it. */
export const NOT_REACHED = 'not reached';

const locale = formatLocale({ decimal: '.', thousands: ',', grouping: [3], currency: ['$', ''], minus: MINUS, nan: MISSING });
const formats = new Map<string, (n: number) => string>();

/** A cached d3-format formatter of the fixed locale. */
export function d3format(specifier: string): (n: number) => string {
  let f = formats.get(specifier);
  if (!f) {
    const made = locale.format(specifier);
    f = (n: number) => made(n);
    formats.set(specifier, f);
  }
  return f;
}

type Maybe = number | null | undefined;

function isMissing(x: Maybe): x is null | undefined {
  return typeof x !== 'number' || Number.isNaN(x);
}

/** The number a formatted mantissa stands for (`1,000` -> 1000, `−2` -> -2). */
function valueOf(text: string): number {
  return Number(text.replace(/,/g, '').replace(MINUS, '-'));
}

// ---------------------------------------------------------------------------------------------- data

/** Milliseconds from seconds, as a number for charts. */
export function ms(seconds: number): number {
  return seconds * 1000;
}

/** Rounds for CSV and chart data: `significant` digits, as a number (keeps files small and stable). */
export function round(x: number, significant = 6): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(significant));
}

// ---------------------------------------------------------------------------------------------- plain numbers

/**
 * A number with `digits` significant digits and thousands separators: `0.0123`, `1,230`, `−4.5`; from a
 * million on with an SI suffix (`1.23M`, `1G`), below 0.001 in exponent notation (`1e-9`).
 */
export function formatNumber(x: Maybe, digits = 3): string {
  if (isMissing(x)) return MISSING;
  if (x === Infinity) return '∞';
  if (x === -Infinity) return `${MINUS}∞`;
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6) return d3format(`.${digits}~s`)(x);
  if (a < 1e-3) return d3format(`.${Math.max(0, digits - 1)}~e`)(x);
  return d3format(`,.${digits}~r`)(x);
}

/** A whole count, exact, with thousands separators: `17,623`, `1,000,000,000`. */
export function formatCount(n: Maybe): string {
  if (isMissing(n)) return MISSING;
  if (!Number.isFinite(n)) return n > 0 ? '∞' : `${MINUS}∞`;
  return d3format(',d')(Math.round(n));
}

/** Compact: below 1,000 as {@link formatNumber}, then `1.5k`, `2.99k`, `1.2M`, `4.5G` (ticks, rates, counts of events). */
export function formatCompact(n: Maybe): string {
  if (isMissing(n)) return MISSING;
  if (!Number.isFinite(n) || Math.abs(n) < 1000) return formatNumber(n);
  return d3format('.3~s')(n);
}

/** A plain decimal with at most `digits` decimals: `0.53`, `12`. */
export function formatDecimal(x: Maybe, digits = 2): string {
  if (isMissing(x)) return MISSING;
  if (!Number.isFinite(x)) return formatNumber(x);
  return d3format(`,.${digits}~f`)(x);
}

// ---------------------------------------------------------------------------------------------- with units

const TIME_UNITS: readonly { readonly unit: string; readonly seconds: number }[] = [
  { unit: 'µs', seconds: 1e-6 },
  { unit: 'ms', seconds: 1e-3 },
  { unit: 's', seconds: 1 },
  { unit: 'min', seconds: 60 },
  { unit: 'h', seconds: 3600 },
];
/** Where each unit stops (the next one starts): 1 ms, 1 s, 2 min, 2 h. */
const TIME_LIMITS = [1e-3, 1, 120, 7200];

/**
 * A duration (a latency, a length of time) from seconds, in the unit that reads best, `digits`
 * significant digits: `155 µs`, `10.6 ms`, `2.5 s`, `2.5 min`. Below a microsecond: `< 1 µs`. Zero: `0 ms`.
 */
export function formatDuration(seconds: Maybe, digits = 3): string {
  if (isMissing(seconds)) return MISSING;
  if (seconds === Infinity) return '∞';
  if (seconds === -Infinity) return `${MINUS}∞`;
  if (seconds === 0) return `0${NBSP}ms`;
  const a = Math.abs(seconds);
  if (a < 1e-6) return seconds > 0 ? `<${NBSP}1${NBSP}µs` : `>${NBSP}${MINUS}1${NBSP}µs`;
  let i = 0;
  while (i < TIME_LIMITS.length && a >= TIME_LIMITS[i]!) i++;
  let text = d3format(`,.${digits}~r`)(a / TIME_UNITS[i]!.seconds);
  // 999.7 µs rounds to 1,000 µs: say 1 ms.
  if (i < 2 && valueOf(text) >= 1000) {
    i++;
    text = d3format(`,.${digits}~r`)(a / TIME_UNITS[i]!.seconds);
  }
  return `${seconds < 0 ? MINUS : ''}${text}${NBSP}${TIME_UNITS[i]!.unit}`;
}

/** A latency given in milliseconds (chart data), formatted as {@link formatDuration}. */
export function formatMillis(millis: Maybe, digits = 3): string {
  return isMissing(millis) ? MISSING : formatDuration(millis / 1000, digits);
}

/** A point in simulated time, in seconds with four significant digits: `30.25 s`. */
export function formatTime(seconds: Maybe): string {
  if (isMissing(seconds)) return MISSING;
  if (!Number.isFinite(seconds)) return formatNumber(seconds);
  return `${formatNumber(seconds, 4)}${NBSP}s`;
}

function scaledPercent(p: number, digits: number, unit: string): string {
  if (p === 0) return `0${NBSP}${unit}`;
  if (!Number.isFinite(p)) return `${formatNumber(p)}${NBSP}${unit}`;
  const a = Math.abs(p);
  if (a < 0.001) return p > 0 ? `<${NBSP}0.001${NBSP}${unit}` : `>${NBSP}${MINUS}0.001${NBSP}${unit}`;
  if (a >= 1e6) return `${formatNumber(p, digits)}${NBSP}${unit}`;
  const text = d3format(`,.${digits}~r`)(p);
  // 99.97 % is not 100 %: a share that is not all of it never reads as all of it.
  if (a < 100 && Math.abs(valueOf(text)) >= 100) {
    const near = d3format(`,.${Math.max(1, digits - 2)}~f`)(100 - 10 ** (2 - digits));
    return p > 0 ? `>${NBSP}${near}${NBSP}${unit}` : `<${NBSP}${MINUS}${near}${NBSP}${unit}`;
  }
  return `${text}${NBSP}${unit}`;
}

/** A fraction as a percentage: `16.1 %`, `50 %`, `0.0768 %`, `< 0.001 %`, `> 99.9 %`. */
export function formatPercent(fraction: Maybe, digits = 3): string {
  if (isMissing(fraction)) return MISSING;
  return scaledPercent(fraction * 100, digits, '%');
}

/** A difference of two fractions, in percentage points, with its sign: `+16.1 pp`, `−0.5 pp`, `0 pp`. */
export function formatPoints(difference: Maybe, digits = 3): string {
  if (isMissing(difference)) return MISSING;
  return signed(scaledPercent(difference * 100, digits, 'pp'), difference);
}

/** `+` before a positive value's text (a difference); the minus is already there for negative ones. */
export function signed(text: string, value: number): string {
  return value > 0 && !text.startsWith('<') && !text.startsWith('>') ? `+${text}` : text;
}

/** Requests per second: `2,990 req/s`. */
export function formatRate(perSecond: Maybe): string {
  if (isMissing(perSecond)) return MISSING;
  return `${formatNumber(perSecond)}${NBSP}req/s`;
}

/** Decimal byte sizes (as clouds bill them): `512 B`, `1.5 kB`, `2.57 GB`. */
export function formatBytes(n: Maybe): string {
  if (isMissing(n)) return MISSING;
  if (!Number.isFinite(n)) return `${formatNumber(n)}${NBSP}B`;
  if (Math.abs(n) < 1000) return `${d3format(',d')(Math.round(n))}${NBSP}B`;
  const text = d3format('.3~s')(n);
  return `${text.slice(0, -1)}${NBSP}${text.slice(-1)}B`;
}

/**
 * Money in the currency of the scenario's prices (`$` by default): two decimals from 1 on (`$12.35`),
 * three significant digits below (`$0.0514`), `< $0.0001` below that.
 */
export function formatCost(x: Maybe): string {
  if (isMissing(x)) return MISSING;
  if (!Number.isFinite(x)) return `$${formatNumber(x)}`;
  if (x === 0) return '$0';
  const a = Math.abs(x);
  if (a < 1e-4) return x > 0 ? `<${NBSP}$0.0001` : `>${NBSP}${MINUS}$0.0001`;
  return a >= 1 ? d3format('$,.2f')(x) : d3format('$.3~r')(x);
}

/** The units of sweep metrics (experiment/metrics.ts). */
export type ValueUnit = 's' | 'fraction' | 'count' | 'bytes' | 'cost' | '/s' | 'ratio';

/** A metric's value in its unit: `5.14 ms`, `40.7 %`, `$0.05`, `3,000 req/s`, `1,234`, `1.8`. */
export function formatValue(x: Maybe, unit: string): string {
  switch (unit) {
    case 's':
      return formatDuration(x);
    case 'fraction':
      return formatPercent(x);
    case 'cost':
      return formatCost(x);
    case '/s':
      return isMissing(x) ? MISSING : `${formatNumber(x)}/s`;
    case 'bytes':
      return formatBytes(x);
    case 'count':
      return isMissing(x) ? MISSING : Number.isInteger(x) ? formatCount(x) : formatNumber(x);
    default:
      return formatNumber(x);
  }
}

/** A difference of a metric in its unit, signed; fractions in percentage points (`+16.1 pp`). */
export function formatDifference(x: Maybe, unit: string): string {
  if (isMissing(x)) return MISSING;
  if (unit === 'fraction') return formatPoints(x);
  return signed(formatValue(x, unit), x);
}

/** A half-width (±) of a metric in its unit; fractions in percentage points when `points`. */
export function formatHalfWidth(x: Maybe, unit: string, points = false): string {
  if (isMissing(x)) return MISSING;
  if (unit === 'fraction' && points) return scaledPercent(Math.abs(x) * 100, 3, 'pp');
  return formatValue(Math.abs(x), unit);
}

/**
 * A latency percentile where dropped requests count as never finishing: `not reached` when it falls among
 * them (+∞), else the latency.
 */
export function formatQuantile(seconds: Maybe): string {
  return seconds === Infinity ? NOT_REACHED : formatDuration(seconds);
}

/**
 * A percentile of a stage's time beside its mean: a p99 of 0 with a mean above 0 is no rounding error but
 * fewer than 1 % of the requests spending any time in the stage (their time, spread over all, makes the
 * mean); it says so instead of a bare `0 ms` that reads as a contradiction.
 */
export function formatStagePercentile(seconds: Maybe, mean: Maybe, share = 0.99): string {
  if (seconds === 0 && typeof mean === 'number' && mean > 0) return `0 (${formatPercent(share)} took none)`;
  return formatDuration(seconds);
}

// ---------------------------------------------------------------------------------------------- ticks

/** Tick labels of a plain numeric axis. */
export const tickNumber = (v: number): string => formatNumber(v);
/** Tick labels of a load axis: `500`, `1k`, `2.5k`. */
export const tickCompact = (v: number): string => formatCompact(v);
/** Tick labels of a share axis (fractions): `0 %`, `25 %`. */
export const tickPercent = (v: number): string => formatPercent(v);

// ---------------------------------------------------------------------------------------------- terminal

/** A formatted value for a terminal: plain spaces, ASCII minus, `-` for missing. */
export function plain(text: string): string {
  return text.replace(/\u00a0/g, ' ').replace(/\u2212/g, '-').replace(/^–$/, '-');
}
