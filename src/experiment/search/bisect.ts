/**
 * The monotone search over the levels of one parameter, as a pure state machine: given what is known of
 * each level (untested, or the decision of objective.ts), which levels to test next, and in the end what
 * can be said. Levels are in search order (index 0 the cheapest, e.g. the fewest replicas), and meeting the
 * objective is assumed to be upward-closed: if level i meets it, every level above does.
 *
 *   Bisect between the highest level known to fail (at first none: −1) and the lowest known to meet (at
 *   first none: as if the level above the top met), one level at a time. When every level tested fails,
 *   the last one tested is the top: no level meets (if the objective is monotone; if it is not, a search
 *   cannot tell: use the grid mode). A level that stays undecided at its replication cap splits the
 *   interval: the part above it is bisected first (for the lowest level that meets with confidence, the
 *   safe answer), then the part below it (for the highest that fails); levels between two undecided ones
 *   are not tested (they are undecided too, if monotone). Last, the level just above the answer is tested
 *   when it was not: it must meet too.
 *
 * A level that meets below one that fails contradicts monotonicity: the search stops and says so.
 */
import type { Decision } from './objective.js';

export type LevelStatus = 'untested' | Decision;

export type BisectKind = 'decided' | 'undecided' | 'none' | 'not-monotone' | 'budget';

export interface BisectOutcome {
  /**
   * decided: `answer` meets, the level below (`below`) fails, or `answer` is the lowest level;
   * undecided: `answer` meets but levels between `below` and it stayed undecided (or the top did);
   * none: the top level fails; not-monotone: `contradiction`; budget: the search ran out of runs.
   */
  readonly kind: BisectKind;
  /** The lowest level known to meet the objective with confidence. */
  readonly answer: number | null;
  /** The highest level below `answer` known to fail it (null: none, or `answer` is level 0). */
  readonly below: number | null;
  /** Levels between `below` and `answer` that stayed undecided. */
  readonly undecided: readonly number[];
  /** A level that meets below one that fails. */
  readonly contradiction: { readonly meets: number; readonly fails: number } | null;
}

function contradiction(status: readonly LevelStatus[]): { meets: number; fails: number } | null {
  const firstMeets = status.indexOf('meets');
  if (firstMeets < 0) return null;
  for (let j = status.length - 1; j > firstMeets; j--) if (status[j] === 'fails') return { meets: firstMeets, fails: j };
  return null;
}

/**
 * The interval the search is in: `lo` the highest level below `hi` that fails (−1: none), `hi` the lowest
 * that meets (n: none yet, as if a level above the top met), and the undecided levels between.
 */
function bracket(status: readonly LevelStatus[]): { lo: number; hi: number; undecided: number[] } {
  const first = status.indexOf('meets');
  const hi = first < 0 ? status.length : first;
  let lo = -1;
  for (let i = hi - 1; i >= 0; i--) {
    if (status[i] === 'fails') {
      lo = i;
      break;
    }
  }
  const undecided: number[] = [];
  for (let i = lo + 1; i < hi; i++) if (status[i] === 'undecided') undecided.push(i);
  return { lo, hi, undecided };
}

/** The untested level nearest the middle of the open interval (a, b); undefined when there is none. */
function middle(status: readonly LevelStatus[], a: number, b: number): number | undefined {
  const inside: number[] = [];
  for (let i = a + 1; i < b; i++) if (status[i] === 'untested') inside.push(i);
  if (inside.length === 0) return undefined;
  const mid = Math.floor((a + b) / 2);
  return inside.reduce((best, i) => (Math.abs(i - mid) < Math.abs(best - mid) ? i : best));
}

/** The level to test next (a list, for a future search that tests several at once); empty when the search is over. */
export function nextTests(status: readonly LevelStatus[]): number[] {
  if (status.length === 0 || contradiction(status)) return [];
  const b = bracket(status);
  const last = b.undecided.length > 0 ? b.undecided[b.undecided.length - 1]! : b.lo;
  const right = middle(status, last, b.hi);
  if (right !== undefined) return [right];
  if (b.undecided.length > 0) {
    const left = middle(status, b.lo, b.undecided[0]!);
    if (left !== undefined) return [left];
  }
  // The check: the level above the answer must meet too (a dip there is a sign the objective is not monotone).
  if (b.hi < status.length - 1 && status[b.hi + 1] === 'untested') return [b.hi + 1];
  return [];
}

/** What the statuses say. `stopped`: the search was cut short (its run budget) before it was over. */
export function bisectOutcome(status: readonly LevelStatus[], stopped = false): BisectOutcome {
  const c = contradiction(status);
  if (c) return { kind: 'not-monotone', answer: null, below: null, undecided: [], contradiction: c };
  const b = bracket(status);
  const unfinished = stopped && nextTests(status).length > 0;
  if (b.hi === status.length) {
    // Nothing meets: the top fails (none) or stayed undecided.
    const top = status[status.length - 1];
    const kind: BisectKind = unfinished ? 'budget' : top === 'fails' ? 'none' : 'undecided';
    return { kind, answer: null, below: null, undecided: [], contradiction: null };
  }
  const kind: BisectKind = unfinished ? 'budget' : b.undecided.length > 0 ? 'undecided' : b.hi === 0 || b.lo === b.hi - 1 ? 'decided' : 'undecided';
  return { kind, answer: b.hi, below: b.lo >= 0 ? b.lo : null, undecided: b.undecided, contradiction: null };
}
