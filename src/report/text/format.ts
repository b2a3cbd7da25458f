/**
 * Numbers for people: durations through the engine's `formatDuration` (`1.52ms`), percentages, counts
 * with thousands separators (exact, so the request accounting adds up on screen) or with k/M/G suffixes
 * (rates and event counts, where three digits say enough). A missing value (`null`) prints as `-`.
 *
 * Locale-independent on purpose: the same result prints the same text on every machine.
 */
import { formatDuration } from '../../engine/units.js';

export const MISSING = '-';

/** `1,234,567` (exact). */
export function formatInt(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return MISSING;
  const sign = n < 0 ? '-' : '';
  const [int, frac] = Math.abs(n).toString().split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return sign + grouped + (frac !== undefined ? `.${frac}` : '');
}

/** Three significant digits with trailing zeros trimmed: `1.5`, `12.3`, `842`. */
function sig3(x: number): string {
  if (x >= 100) return Math.round(x).toString();
  return Number(x.toPrecision(3)).toString();
}

/** `842`, `12.5k`, `1.23M`, `4.5G`: three significant digits and a suffix. */
export function formatCompact(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return MISSING;
  const a = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (let i = 0; i < units.length; i++) {
    const [scale, suffix] = units[i]!;
    if (a >= scale) {
      const digits = sig3(a / scale);
      // 999.6k rounds to "1000": move to the next suffix up.
      if (Number(digits) >= 1000 && i > 0) return sign + sig3(a / units[i - 1]![0]) + units[i - 1]![1];
      return sign + digits + suffix;
    }
  }
  if (Number.isInteger(a)) return sign + a.toString();
  const digits = sig3(a);
  return Number(digits) >= 1000 ? `${sign}1k` : sign + digits;
}

/** A fraction 0..1 as `66.7%`; small non-zero values keep two significant digits (`0.012%`). */
export function formatPercent(f: number | null): string {
  if (f === null || !Number.isFinite(f)) return MISSING;
  const p = f * 100;
  if (p === 0) return '0%';
  if (Math.abs(p) < 0.1) return `${Number(p.toPrecision(2))}%`;
  return `${p.toFixed(1)}%`;
}

/** Seconds as `1.52ms`, `250us`, `2.0s`, `2.0m`. */
export function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return MISSING;
  return formatDuration(s);
}

/** Decimal byte sizes (as clouds bill them): `512 B`, `1.5 kB`, `2.31 GB`. */
export function formatBytes(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return MISSING;
  if (Math.abs(n) < 1000) return `${Math.round(n)} B`;
  const c = formatCompact(n);
  const unit = c.slice(-1);
  const name = unit === 'k' ? 'kB' : `${unit}B`;
  return `${c.slice(0, -1)} ${name}`;
}

/** A cost in the currency of `crossZoneCostPerGB`: two decimals, or four significant digits when small. */
export function formatCost(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return MISSING;
  if (x === 0) return '0';
  if (Math.abs(x) >= 1) return x.toFixed(2);
  return Number(x.toPrecision(3)).toString();
}

/** A plain decimal with up to `digits` decimals, trailing zeros trimmed: `0.53`, `12`. */
export function formatDecimal(x: number | null, digits = 2): string {
  if (x === null || !Number.isFinite(x)) return MISSING;
  return Number(x.toFixed(digits)).toString();
}
