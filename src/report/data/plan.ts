/**
 * A plan's answers (plan.json) as rows for the plan charts: per search, term and level (point) evaluated,
 * the mean and confidence interval in display units, the decision and whether it is the answer; and the
 * cost per month of each. Pure: tested on its own (test/report/plan-chart.test.ts).
 */
import type { LevelReport, PlanFile, SearchAnswer } from '../../experiment/search/plan-file.js';
import type { TermStats } from '../../experiment/search/objective.js';
import { answerSentence, termText } from '../text/plan-answer.js';
import { round } from '../format.js';

export type Variant = 'objective' | 'with failure';

export interface PlanRow {
  /** The search: its fixed parameters (`load=1k/s`), or `all`. */
  readonly search: string;
  /** The term, as `p99 ≤ 100ms`. */
  readonly term: string;
  /** Display unit: ms, %, or the metric's own. */
  readonly unit: string;
  /** Bisect: the level (a number when every level is one); grid: the cost per month. */
  readonly x: number | string;
  /** The level or the point's parameters, as text. */
  readonly label: string;
  /** In display units; null when the value is +∞ (`unbounded`) or missing. */
  readonly mean: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  /** Some replication's value was +∞ (a percentile among dropped requests). */
  readonly unbounded: boolean;
  readonly decision: string;
  readonly variant: Variant;
  /** The level (point) the search answered with. */
  readonly answer: boolean;
  readonly n: number;
}

export interface PlanCostRow {
  readonly search: string;
  readonly x: number | string;
  readonly label: string;
  /** Cost per month: mean and CI (the CI of perHour × 730). */
  readonly mean: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly answer: boolean;
}

export interface PlanTerm {
  readonly term: string;
  readonly unit: string;
  /** The bound, in display units. */
  readonly bound: number;
}

export interface PlanChartData {
  readonly mode: 'bisect' | 'grid';
  /** The searched parameter (bisect). */
  readonly parameter: string | null;
  /** Whether x is numeric (bisect over numbers, or the grid's cost); else the levels in search order. */
  readonly numericX: boolean;
  /** The x values in order, for a categorical axis. */
  readonly xOrder: readonly string[];
  readonly terms: readonly PlanTerm[];
  readonly rows: readonly PlanRow[];
  readonly cost: readonly PlanCostRow[];
  readonly searches: readonly string[];
  readonly sentences: readonly string[];
  readonly level: number;
}

/** Display scale of a metric unit. */
export function planUnit(unit: string): { factor: number; label: string } {
  if (unit === 's') return { factor: 1000, label: 'ms' };
  if (unit === 'fraction') return { factor: 100, label: '%' };
  if (unit === '/s') return { factor: 1, label: 'req/s' };
  return { factor: 1, label: unit === 'cost' ? 'cost' : unit };
}

function scaled(x: number | null, factor: number): number | null {
  return x === null || !Number.isFinite(x) ? null : round(x * factor);
}

export function searchLabel(answer: Pick<SearchAnswer, 'fixed'>): string {
  const parts = Object.entries(answer.fixed).map(([k, v]) => `${k}=${String(v)}`);
  return parts.length ? parts.join(', ') : 'all';
}

function pointLabel(plan: PlanFile, l: LevelReport): string {
  if (plan.search.mode === 'bisect') return String(l.level);
  return Object.entries(l.params)
    .filter(([k]) => !plan.search.per.includes(k))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
}

export function planChartData(plan: PlanFile): PlanChartData {
  const s = plan.search;
  const numericLevels = s.mode === 'bisect' && plan.answers.every((a) => a.levels.every((l) => typeof l.level === 'number'));
  const numericX = s.mode === 'grid' || numericLevels;
  const terms: PlanTerm[] = s.objective.map((t) => {
    const u = planUnit(t.unit);
    return { term: termText(t), unit: u.label, bound: round(t.bound * u.factor) };
  });
  const rows: PlanRow[] = [];
  const cost: PlanCostRow[] = [];
  const xOrder: string[] = [];
  for (const a of plan.answers) {
    const search = searchLabel(a);
    for (const l of a.levels) {
      const label = pointLabel(plan, l);
      if (!xOrder.includes(label)) xOrder.push(label);
      const perMonth = l.cost.perMonth;
      const x: number | string = s.mode === 'grid' ? round(perMonth ?? 0) : numericLevels ? (l.level as number) : label;
      const answer = a.answer?.point === l.point;
      const push = (stats: readonly TermStats[], variant: Variant): void => {
        s.objective.forEach((t, i) => {
          const st = stats[i];
          if (!st) return;
          const u = planUnit(t.unit);
          rows.push({
            search,
            term: terms[i]!.term,
            unit: u.label,
            x,
            label,
            mean: scaled(st.mean, u.factor),
            lower: scaled(st.lower, u.factor),
            upper: scaled(st.upper, u.factor),
            unbounded: st.unbounded > 0,
            decision: st.decision,
            variant,
            answer,
            n: st.n,
          });
        });
      };
      push(l.terms, 'objective');
      if (l.headroom && l.headroom.terms.length > 0) push(l.headroom.terms, 'with failure');
      const hw = l.cost.halfWidth === null ? null : l.cost.halfWidth * 730;
      cost.push({
        search,
        x,
        label,
        mean: scaled(perMonth, 1),
        lower: perMonth === null || hw === null ? null : round(perMonth - hw),
        upper: perMonth === null || hw === null ? null : round(perMonth + hw),
        answer,
      });
    }
  }
  return {
    mode: s.mode,
    parameter: s.parameter,
    numericX,
    xOrder,
    terms,
    rows,
    cost,
    searches: plan.answers.map(searchLabel),
    sentences: plan.answers.map((a) => answerSentence(plan, a)),
    level: plan.experiment.confidence,
  };
}
