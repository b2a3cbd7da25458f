/**
 * The searches of a plan, one per combination of the parameters that are not searched: a bisection over
 * one parameter's levels (bisect.ts) or the cheapest point of a grid (grid.ts). Each asks the evaluator for
 * points (tested together when the state machine asks for several) and turns what it learnt into a
 * {@link SearchAnswer} (data only: report/text/plan-answer.ts renders it as text).
 */
import type { PlanData, Point } from '../plan.js';
import { bisectOutcome, nextTests, type LevelStatus } from './bisect.js';
import type { BaseEvaluation, PointEvaluation, PointEvaluator } from './evaluate.js';
import { gridNext, gridOrder, gridOutcome, type GridPoint, type GridResult } from './grid.js';
import type { LevelRef, LevelReport, SearchAnswer } from './plan-file.js';
import type { SearchSpec } from './types.js';

type Label = string | number | boolean;
type Plan = PlanData & { readonly search: SearchSpec };


/** The parameters a search holds fixed, as params. */
function fixedOf(plan: Plan, point: Point): Record<string, Label> {
  const out: Record<string, Label> = {};
  for (const name of plan.search.per) out[name] = point.params[name]!;
  return out;
}

/** Points grouped by the `per` parameters' levels, in plan order. */
export function searchGroups(plan: Plan, points: readonly Point[]): Point[][] {
  const per = plan.factors.map((f, i) => (plan.search.per.includes(f.name) ? i : -1)).filter((i) => i >= 0);
  const groups = new Map<string, Point[]>();
  for (const p of points) {
    const key = per.map((i) => p.levels[i]).join(',');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(p);
  }
  return [...groups.values()];
}

/** The searched parameter's levels in search order: numeric order when they are all numbers, else as written; reversed for `find: largest`. */
export function levelOrder(plan: Plan): number[] {
  const f = plan.factors.find((x) => x.name === plan.search.parameter)!;
  const order = f.levels.map((_, i) => i);
  if (f.levels.every((l) => typeof l.label === 'number')) order.sort((a, b) => (f.levels[a]!.label as number) - (f.levels[b]!.label as number));
  return plan.search.find === 'largest' ? order.reverse() : order;
}

function ref(plan: Plan, point: Point): LevelRef {
  const level = plan.search.parameter !== null ? (point.params[plan.search.parameter] ?? null) : null;
  return { point: point.index, level, params: point.params };
}

function report(plan: Plan, point: Point, e: PointEvaluation): LevelReport {
  return {
    point: point.index,
    params: point.params,
    level: plan.search.parameter !== null ? (point.params[plan.search.parameter] ?? null) : null,
    decision: e.base.decision,
    replications: e.base.replications,
    failedRuns: e.base.failedRuns,
    terms: e.base.terms,
    cost: e.base.cost,
    costMetric: e.base.costMetric,
    headroom: e.headroom,
    combined: e.combined,
  };
}

function runsOf(evaluator: PointEvaluator, group: readonly Point[]): number {
  return group.reduce((n, p) => n + (evaluator.runsByPoint.get(p.index) ?? 0), 0);
}

function overBudget(plan: Plan, evaluator: PointEvaluator, group: readonly Point[]): boolean {
  return plan.search.maxRuns !== null && runsOf(evaluator, group) >= plan.search.maxRuns;
}

/** A bisection over the searched parameter, for one combination of the others. */
export async function bisectSearch(plan: Plan, group: readonly Point[], evaluator: PointEvaluator): Promise<SearchAnswer> {
  const f = plan.factors.findIndex((x) => x.name === plan.search.parameter);
  const byLevel = new Map(group.map((p) => [p.levels[f]!, p]));
  const ordered = levelOrder(plan).map((li) => byLevel.get(li)!);
  const evaluations = new Map<number, PointEvaluation>();
  const headroom = plan.search.headroom !== 'none';

  // Phase 1: the objective alone (base runs). Phase 2, with headroom: the objective with the failure too,
  // over the levels that meet it alone (those below fail anyway); base runs are not made twice.
  const run = async (evaluate: (p: Point) => Promise<LevelStatus>, known: LevelStatus[]): Promise<{ status: LevelStatus[]; stopped: boolean }> => {
    const status = [...known];
    let stopped = false;
    for (;;) {
      const next = nextTests(status);
      if (next.length === 0) break;
      if (overBudget(plan, evaluator, group)) {
        stopped = true;
        break;
      }
      const done = await Promise.all(next.map((i) => evaluate(ordered[i]!)));
      next.forEach((i, k) => (status[i] = done[k]!));
    }
    return { status, stopped };
  };
  const bases = new Map<number, BaseEvaluation>();
  const base = await run(async (p) => {
    const b = await evaluator.base(p);
    bases.set(p.index, b);
    return b.decision;
  }, ordered.map(() => 'untested'));
  const baseOutcome = bisectOutcome(base.status, base.stopped);
  let outcome = baseOutcome;
  if (headroom) {
    const known = base.status.map((s): LevelStatus => (s === 'fails' ? 'fails' : 'untested'));
    const combined = await run(async (p) => {
      const e = await evaluator.evaluate(p);
      evaluations.set(p.index, e);
      return e.combined;
    }, known);
    outcome = bisectOutcome(combined.status, combined.stopped);
  }
  for (const [i, b] of bases) if (!evaluations.has(i)) evaluations.set(i, { base: b, headroom: null, combined: b.decision });
  const at = (i: number | null): LevelRef | null => (i === null ? null : ref(plan, ordered[i]!));
  const levels = ordered.filter((p) => evaluations.has(p.index)).map((p) => report(plan, p, evaluations.get(p.index)!));
  return {
    fixed: fixedOf(plan, group[0]!),
    kind: outcome.kind,
    answer: at(outcome.answer),
    below: at(outcome.below),
    undecided: outcome.undecided.map((i) => ref(plan, ordered[i]!)),
    contradiction: outcome.contradiction ? { meets: ref(plan, ordered[outcome.contradiction.meets]!), fails: ref(plan, ordered[outcome.contradiction.fails]!) } : null,
    withoutHeadroom: headroom ? { kind: baseOutcome.kind, answer: at(baseOutcome.answer), below: at(baseOutcome.below) } : null,
    pruned: 0,
    levels,
    runs: runsOf(evaluator, group),
  };
}

/** The cheapest point of one group of the grid. `bounds`: a lower bound of each point's cost metric. */
export async function gridSearch(plan: Plan, group: readonly Point[], bounds: ReadonlyMap<number, number>, evaluator: PointEvaluator): Promise<SearchAnswer> {
  const order: GridPoint[] = gridOrder(group.map((p) => ({ point: p.index, bound: bounds.get(p.index) ?? -Infinity })));
  const byIndex = new Map(group.map((p) => [p.index, p]));
  const evaluations = new Map<number, PointEvaluation>();
  const results = new Map<number, GridResult>();
  const baseResults = new Map<number, GridResult>();
  let stopped = false;
  for (;;) {
    const next = gridNext(order, results);
    if (next.length === 0) break;
    if (overBudget(plan, evaluator, group)) {
      stopped = true;
      break;
    }
    const done = await Promise.all(next.map((i) => evaluator.evaluate(byIndex.get(i)!)));
    next.forEach((i, k) => {
      const e = done[k]!;
      evaluations.set(i, e);
      results.set(i, { decision: e.combined, cost: e.base.costMetric, costHalfWidth: e.base.costMetricHalfWidth });
      baseResults.set(i, { decision: e.base.decision, cost: e.base.costMetric, costHalfWidth: e.base.costMetricHalfWidth });
    });
  }
  const outcome = gridOutcome(order, results, stopped);
  const at = (i: number | null): LevelRef | null => (i === null ? null : ref(plan, byIndex.get(i)!));
  const headroom = plan.search.headroom !== 'none';
  const base = headroom ? gridOutcome(order, baseResults, stopped) : null;
  return {
    fixed: fixedOf(plan, group[0]!),
    kind: outcome.kind,
    answer: at(outcome.chosen),
    below: null,
    undecided: outcome.cheaperUndecided.map((i) => ref(plan, byIndex.get(i)!)),
    contradiction: null,
    withoutHeadroom: base ? { kind: base.kind, answer: at(base.chosen), below: null } : null,
    pruned: outcome.pruned.length,
    levels: order.filter((p) => evaluations.has(p.point)).map((p) => report(plan, byIndex.get(p.point)!, evaluations.get(p.point)!)),
    runs: runsOf(evaluator, group),
  };
}
