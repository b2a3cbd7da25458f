/**
 * Outliers on a linear axis: a few saturated configurations (a queue that grew for the whole run: 500 ms
 * where the others take 10) would squash every other bar to nothing. When they are a minority, the axis
 * stops a little past the others and the outliers are drawn clipped at its end, with a visible mark and
 * their value written out.
 */

/** A value is an outlier when it is more than this many times the median. */
export const OUTLIER_FACTOR = 5;

export interface AxisCap {
  /** Where the axis stops; null when nothing is clipped. */
  readonly cap: number | null;
  /** Indices of the values beyond the cap. */
  readonly clipped: readonly number[];
}

/**
 * The cap for non-negative magnitudes (bar lengths, |differences|): with at least 4 values, those above
 * `OUTLIER_FACTOR` × the median are clipped when they are at most a third of the values, and the axis ends
 * at 1.15 × the largest of the others.
 */
export function axisCap(values: readonly number[]): AxisCap {
  const xs = values.map((v) => Math.abs(v)).filter((v) => Number.isFinite(v));
  if (xs.length < 4) return { cap: null, clipped: [] };
  const sorted = [...xs].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  if (!(median > 0)) return { cap: null, clipped: [] };
  const limit = median * OUTLIER_FACTOR;
  const clipped = values.map((v, i) => (Math.abs(v) > limit ? i : -1)).filter((i) => i >= 0);
  if (clipped.length === 0 || clipped.length > values.length / 3) return { cap: null, clipped: [] };
  const rest = values.filter((_, i) => !clipped.includes(i)).map((v) => Math.abs(v));
  return { cap: Math.max(...rest) * 1.15, clipped };
}
