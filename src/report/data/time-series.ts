/** The shape check of a stored time series (it comes from a file, and older files have none). */
import type { TimeSeries } from '../inputs.js';

/** Checks the shape of a series: parallel arrays, a positive window. */
export function isTimeSeries(s: unknown): s is TimeSeries {
  if (!s || typeof s !== 'object') return false;
  const t = s as Partial<Record<keyof TimeSeries, unknown>>;
  return (
    typeof t.window === 'number' &&
    t.window > 0 &&
    Array.isArray(t.start) &&
    Array.isArray(t.completed) &&
    Array.isArray(t.p99) &&
    t.start.length === t.completed.length &&
    t.start.length === t.p99.length
  );
}
