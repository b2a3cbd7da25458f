/**
 * The grid mode: the cheapest point of a grid that meets the objective, without running the whole grid.
 *
 * Points are tried in order of a lower bound on their cost, known before any run: the price of their
 * nodes (up at the start) and load balancers per hour, which traffic can only add to (for `cost.perHour`;
 * × 730 for `cost.perMonth`; for any other cost metric there is no bound, and every point is tried).
 * Ties go in plan order. They are evaluated {@link GRID_BATCH} at a time (a constant, so the same points
 * are tried whatever the worker count). Once some point meets the objective with confidence, a point whose
 * bound is at least the cheapest such point's mean cost cannot be cheaper, and is not run.
 *
 * The answer: among the points that meet with confidence, the lowest mean cost (costs within their
 * confidence intervals of each other tie, and ties go in the order tried); points that stayed undecided
 * and might be cheaper are named.
 */
import type { Decision } from './objective.js';

export const GRID_BATCH = 2;

export interface GridPoint {
  readonly point: number;
  /** A lower bound on the point's cost metric (−∞: none known). */
  readonly bound: number;
}

export interface GridResult {
  readonly decision: Decision;
  /** Mean of the cost metric over the point's runs (null: no value). */
  readonly cost: number | null;
  /** Half-width of its confidence interval (null or absent: none). */
  readonly costHalfWidth?: number | null;
}

export type GridKind = 'decided' | 'undecided' | 'none' | 'budget';

export interface GridOutcome {
  readonly kind: GridKind;
  /** The cheapest point that meets (null: none does, with confidence). */
  readonly chosen: number | null;
  /** Undecided points that might be cheaper than the chosen one (all undecided points when none is chosen). */
  readonly cheaperUndecided: readonly number[];
  /** Points not run because their bound showed they could not be cheaper. */
  readonly pruned: readonly number[];
}

/** Search order: by bound, then plan order. */
export function gridOrder(points: readonly GridPoint[]): GridPoint[] {
  return [...points].sort((a, b) => a.bound - b.bound || a.point - b.point);
}

/**
 * The cheapest point that meets. A point is cheaper only when its mean cost is lower by more than the
 * wider of the two confidence intervals' half-widths: costs that differ by noise (the same nodes, traffic
 * that varies a little) tie, and ties go to the order tried (the lower bound, then plan order: e.g. the
 * fewer replicas when replicas are listed in increasing order).
 */
function best(order: readonly GridPoint[], results: ReadonlyMap<number, GridResult>): { point: number; cost: number } | null {
  let out: { point: number; cost: number; hw: number } | null = null;
  for (const p of order) {
    const r = results.get(p.point);
    if (!r || r.decision !== 'meets') continue;
    const cost = r.cost ?? Infinity;
    const hw = r.costHalfWidth ?? 0;
    if (out === null || cost < out.cost - Math.max(hw, out.hw)) out = { point: p.point, cost, hw };
  }
  return out && { point: out.point, cost: out.cost };
}

function prunedBy(order: readonly GridPoint[], results: ReadonlyMap<number, GridResult>): Set<number> {
  const b = best(order, results);
  const out = new Set<number>();
  if (b === null) return out;
  for (const p of order) if (!results.has(p.point) && p.bound >= b.cost) out.add(p.point);
  return out;
}

/** The next points to evaluate (at most GRID_BATCH); empty when the search is over. */
export function gridNext(order: readonly GridPoint[], results: ReadonlyMap<number, GridResult>): number[] {
  const pruned = prunedBy(order, results);
  return order.filter((p) => !results.has(p.point) && !pruned.has(p.point)).slice(0, GRID_BATCH).map((p) => p.point);
}

export function gridOutcome(order: readonly GridPoint[], results: ReadonlyMap<number, GridResult>, stopped = false): GridOutcome {
  const b = best(order, results);
  const pruned = [...prunedBy(order, results)];
  const unfinished = stopped && gridNext(order, results).length > 0;
  const undecided = order.filter((p) => results.get(p.point)?.decision === 'undecided');
  const cheaperUndecided = (b === null ? undecided : undecided.filter((p) => (results.get(p.point)!.cost ?? p.bound) < b.cost)).map((p) => p.point);
  const kind: GridKind = unfinished ? 'budget' : b === null ? (undecided.length > 0 ? 'undecided' : 'none') : cheaperUndecided.length > 0 ? 'undecided' : 'decided';
  return { kind, chosen: b?.point ?? null, cheaperUndecided, pruned };
}
