/** Number formats for text, tables and tick labels. Deterministic (no locale): `1234.5` -> `1,234.5` by hand. */

/** Milliseconds from seconds, as a number for charts. */
export function ms(seconds: number): number {
  return seconds * 1000;
}

/** `significant` significant digits, trailing zeros dropped, thousands separated: 0.01234 -> "0.0123". */
export function formatNumber(x: number, significant = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  const digits = Math.max(0, significant - 1 - Math.floor(Math.log10(abs)));
  const fixed = x.toFixed(Math.min(digits, 12));
  const [whole, fraction] = fixed.split('.') as [string, string | undefined];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const trimmed = fraction?.replace(/0+$/, '');
  return trimmed ? `${grouped}.${trimmed}` : grouped;
}

/** A latency in seconds as milliseconds with a unit (no-break space): 0.0106 -> "10.6 ms"; null -> "–". */
export function formatMs(seconds: number | null | undefined): string {
  return typeof seconds === 'number' && Number.isFinite(seconds) ? `${formatNumber(ms(seconds))}\u00a0ms` : '–';
}

/** A fraction as a percentage (no-break space): 0.1234 -> "12.3 %"; null -> "–". */
export function formatPercent(fraction: number | null | undefined, significant = 3): string {
  return typeof fraction === 'number' && Number.isFinite(fraction) ? `${formatNumber(fraction * 100, significant)}\u00a0%` : '–';
}

/** A rate in requests per second: 3000 -> "3,000 req/s". */
export function formatRate(perSecond: number | null | undefined): string {
  return typeof perSecond === 'number' && Number.isFinite(perSecond) ? `${formatNumber(perSecond, 4)}\u00a0req/s` : '–';
}

/** Rounds for CSV and chart data: `significant` digits, as a number (keeps files small and stable). */
export function round(x: number, significant = 6): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(significant));
}

/** A whole count with thousands separators: 17623 -> "17,623". */
export function formatCount(n: number | null | undefined): string {
  return typeof n === 'number' && Number.isFinite(n) ? String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : '–';
}

/** Compact tick labels: 1500 -> "1.5k", 2000000 -> "2M", 0.25 -> "0.25". */
export function compactNumber(x: number): string {
  const abs = Math.abs(x);
  if (abs >= 1e6) return `${formatNumber(x / 1e6, 3)}M`;
  if (abs >= 1e3) return `${formatNumber(x / 1e3, 3)}k`;
  return formatNumber(x, 3);
}

/** A point in simulated time, in seconds (no-break space): 30.25 -> "30.25 s"; null -> "–". */
export function formatTime(seconds: number | null | undefined): string {
  return typeof seconds === 'number' && Number.isFinite(seconds) ? `${formatNumber(seconds, 4)}\u00a0s` : '–';
}

/** A length of time: below a second in milliseconds ("350 ms"), else in seconds ("2.5 s"); null -> "–". */
export function formatDuration(seconds: number | null | undefined): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '–';
  return Math.abs(seconds) < 1 ? formatMs(seconds) : `${formatNumber(seconds, 3)}\u00a0s`;
}
