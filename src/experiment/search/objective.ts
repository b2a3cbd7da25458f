/**
 * Whether a point meets an objective, with confidence: for each term, the Student t interval of the
 * metric's mean over the point's replications (at the experiment's confidence level) against the bound.
 *
 *   term `m <= b`: meets when the whole interval is at or below b (upper <= b), fails when it is above
 *                  (lower > b), undecided when it straddles b; `m >= b` alike, mirrored.
 *   point:         fails when some term fails, meets when every term meets, else undecided.
 *
 * A value of +∞ (a latency percentile that fell among dropped requests, see metrics.ts) makes the mean
 * +∞: a `<=` term then fails and a `>=` term meets, whatever the other replications say. A run without
 * the value (null) is left out. With fewer than two values nothing is decided.
 */
import { studentT } from '../../engine/stats/index.js';
import type { ObjectiveTerm } from './types.js';

export type Decision = 'meets' | 'fails' | 'undecided';

export interface TermStats {
  /** The term as written. */
  readonly term: string;
  /** Values (finite and infinite) the decision is made on. */
  readonly n: number;
  /** Replications whose value was +∞. */
  readonly unbounded: number;
  /** Null when there is no value, or some value is +∞ (`unbounded` > 0). */
  readonly mean: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly halfWidth: number | null;
  readonly decision: Decision;
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

export function termStats(term: ObjectiveTerm, values: readonly (number | null | undefined)[], level: number): TermStats {
  const xs = values.filter((v): v is number => typeof v === 'number' && !Number.isNaN(v));
  const unbounded = xs.filter((v) => v === Infinity).length;
  const base = { term: term.text, n: xs.length, unbounded };
  if (unbounded > 0) {
    return { ...base, mean: null, lower: null, upper: null, halfWidth: null, decision: term.op === '<=' ? 'fails' : 'meets' };
  }
  if (xs.length === 0) return { ...base, mean: null, lower: null, upper: null, halfWidth: null, decision: 'undecided' };
  if (xs.length === 1) return { ...base, mean: xs[0]!, lower: null, upper: null, halfWidth: null, decision: 'undecided' };
  const ci = studentT(xs, level);
  // A half-width below rounding noise (identical values) is zero.
  const hw = Math.abs(ci.halfWidth) <= 1e-12 * Math.abs(ci.mean) ? 0 : ci.halfWidth;
  const lower = ci.mean - hw;
  const upper = ci.mean + hw;
  let decision: Decision = 'undecided';
  if (term.op === '<=') decision = upper <= term.bound ? 'meets' : lower > term.bound ? 'fails' : 'undecided';
  else decision = lower >= term.bound ? 'meets' : upper < term.bound ? 'fails' : 'undecided';
  return { ...base, mean: finite(ci.mean), lower: finite(lower), upper: finite(upper), halfWidth: finite(hw), decision };
}

/** The point's decision from its terms'. */
export function combine(decisions: readonly Decision[]): Decision {
  if (decisions.some((d) => d === 'fails')) return 'fails';
  if (decisions.length > 0 && decisions.every((d) => d === 'meets')) return 'meets';
  return 'undecided';
}

/** Per term, the values of the replications (metrics as the runs report them), and the point's decision. */
export function decide(
  objective: readonly ObjectiveTerm[],
  runs: readonly Readonly<Record<string, number | null>>[],
  level: number,
): { readonly terms: readonly TermStats[]; readonly decision: Decision } {
  const terms = objective.map((t) => termStats(t, runs.map((r) => r[t.evaluate]), level));
  return { terms, decision: combine(terms.map((t) => t.decision)) };
}
