/**
 * The report's formatters (../format.ts, d3-format) for the terminal: the same numbers, precision and units
 * as the charts and the HTML tables, with plain spaces, an ASCII minus and `-` for a missing value.
 * Locale-independent on purpose: the same result prints the same text on every machine.
 */
import * as f from '../format.js';

export const MISSING = '-';

type Maybe = number | null | undefined;

/** `1,234,567` (exact). */
export const formatInt = (n: Maybe): string => f.plain(f.formatCount(n));
/** `842`, `12.5k`, `1.69M`, `2.2G`. */
export const formatCompact = (n: Maybe): string => f.plain(f.formatCompact(n));
/** `66.7 %`, `0.012 %`, `< 0.001 %`. */
export const formatPercent = (fraction: Maybe): string => f.plain(f.formatPercent(fraction));
/** Seconds as `1.52 ms`, `250 µs`, `2 s`, `< 1 µs`. */
export const formatSeconds = (s: Maybe): string => f.plain(f.formatDuration(s));
/** A latency percentile with drops counted: `not reached` at +∞. */
export const formatQuantile = (s: Maybe): string => f.plain(f.formatQuantile(s));
/** Decimal byte sizes: `512 B`, `1.5 kB`, `2.57 GB`. */
export const formatBytes = (n: Maybe): string => f.plain(f.formatBytes(n));
/** Money in the prices' currency: `$0.0514`, `$12.35`. */
export const formatCost = (x: Maybe): string => f.plain(f.formatCost(x));
/** A plain decimal: `0.53`, `12`. */
export const formatDecimal = (x: Maybe, digits = 2): string => f.plain(f.formatDecimal(x, digits));
/** A number with three significant digits: `0.0123`, `1,230`. */
export const formatNumber = (x: Maybe): string => f.plain(f.formatNumber(x));
/** A metric in its unit (`5.14 ms`, `40.7 %`, `$0.05`). */
export const formatValue = (x: Maybe, unit: string): string => f.plain(f.formatValue(x, unit));
/** A difference in the metric's unit, signed; fractions in percentage points (`+16.1 pp`). */
export const formatDifference = (x: Maybe, unit: string): string => f.plain(f.formatDifference(x, unit));
/** A half-width (±) in the metric's unit; fractions in percentage points when `points`. */
export const formatHalfWidth = (x: Maybe, unit: string, points = false): string => f.plain(f.formatHalfWidth(x, unit, points));
/** A stage's p99 beside its mean: `0 (99 % took none)` when only its mean is above 0. */
export const formatStagePercentile = (s: Maybe, mean: Maybe): string => f.plain(f.formatStagePercentile(s, mean));
