/**
 * The plan chart: for each term of the objective, its metric against the searched parameter (a bisection)
 * or against the cost per month (the grid), each level a dot with its confidence interval, one colour per
 * search, the objective's bound as a dashed line and the answer ringed; then the cost per month against
 * the parameter (a bisection). Drawn when the results directory holds a plan.json (`netsim plan`).
 */
import * as Plot from '@observablehq/plot';
import { formatCompact, formatCost, formatNumber, formatPercent } from '../format.js';
import { planChartData, type PlanChartData, type PlanCostRow, type PlanRow } from '../data/plan.js';
import type { ReportInput } from '../inputs.js';
import { coloursFor, INK } from '../render/theme.js';
import type { ChartOutcome, LegendItem, Panel } from './chart.js';

export const PLAN_ID = 'plan';
const TITLE = 'Plan: the objective against the searched parameter';
const BOUND_COLOUR = '#d62728';
const MAX_TERMS = 3;

export function planData(input: ReportInput): PlanChartData | null {
  return input.plan ? planChartData(input.plan) : null;
}

function xOptions(data: PlanChartData, last: boolean) {
  const label = data.mode === 'grid' ? 'cost per month →' : `${data.parameter} →`;
  const common = { label: last ? label : null, grid: true };
  if (!data.numericX) return { ...common, type: 'point' as const, domain: [...data.xOrder], padding: 0.5 };
  // A whole-number parameter (replicas, nodes) gets ticks at whole numbers only: 4.5 replicas do not exist.
  const levels = data.rows.flatMap((r) => (typeof r.x === 'number' ? [r.x] : []));
  const whole = data.mode !== 'grid' && levels.length > 0 && levels.every((v) => Number.isInteger(v));
  const span = whole ? Math.max(...levels) - Math.min(...levels) : 0;
  const ticks = whole && span <= 20 ? Array.from({ length: span + 1 }, (_, i) => Math.min(...levels) + i) : undefined;
  return { ...common, tickFormat: (v: number) => formatCompact(v), inset: 14, ...(ticks ? { ticks } : {}) };
}

function topOf(values: readonly (number | null)[], bound: number): number {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return Math.max(bound, ...finite) * 1.12 || 1;
}

function pointMarks<T extends { readonly search: string; readonly x: number | string; readonly answer: boolean }>(
  rows: readonly T[],
  y: (r: T) => number,
  lower: (r: T) => number | null,
  upper: (r: T) => number | null,
  filled: (r: T) => boolean,
  connect: boolean,
  dashed = false,
  title: (r: T) => string = (r) => `${r.search}: ${String(r.x)}`,
): Plot.Markish[] {
  const sorted = [...rows].sort((a, b) => (typeof a.x === 'number' && typeof b.x === 'number' ? a.x - b.x : 0));
  const whiskers = sorted.filter((r) => lower(r) !== null && upper(r) !== null);
  const symbol = dashed ? 'diamond' : 'circle';
  return [
    ...(connect ? [Plot.line(sorted, { x: 'x', y, z: 'search', stroke: 'search', strokeWidth: 1.25, strokeOpacity: 0.6, title: (r: T) => r.search, ...(dashed ? { strokeDasharray: '5,3' } : {}) })] : []),
    Plot.ruleX(whiskers, { x: 'x', y1: (r: T) => lower(r)!, y2: (r: T) => upper(r)!, stroke: 'search', strokeWidth: 2, title }),
    Plot.dot(sorted.filter(filled), { x: 'x', y, fill: 'search', symbol, r: 4, title }),
    Plot.dot(sorted.filter((r) => !filled(r)), { x: 'x', y, stroke: 'search', fill: 'white', symbol, r: 4, strokeWidth: 1.5, title }),
    Plot.dot(sorted.filter((r) => r.answer), { x: 'x', y, r: 8.5, stroke: INK, strokeWidth: 1.5, fill: 'none', title: (r: T) => `the answer: ${title(r)}` }),
  ];
}

function termPanel(data: PlanChartData, term: (typeof data.terms)[number], last: boolean, color: Plot.ScaleOptions): Panel {
  const rows = data.rows.filter((r) => r.term === term.term);
  const top = topOf(rows.flatMap((r) => [r.mean, r.upper]), term.bound);
  const y = (r: PlanRow): number => (r.unbounded || r.mean === null ? top : r.mean);
  const clip = (v: number | null): number | null => (v === null ? null : Math.min(v, top));
  const connect = data.mode === 'bisect';
  const value = (v: number | null): string => (v === null ? '–' : `${formatNumber(v)} ${term.unit}`);
  const title = (r: PlanRow): string =>
    `${r.search === 'all' ? '' : `${r.search}, `}${r.label}${r.variant === 'with failure' ? ' (with the failure)' : ''}: ${term.term}: ` +
    (r.unbounded ? `not reached in some replication (dropped requests)` : `${value(r.mean)}${r.lower !== null && r.upper !== null ? ` (CI ${value(r.lower)} to ${value(r.upper)})` : ''}`) +
    `, ${r.decision}, ${r.n} replications`;
  const marks: Plot.Markish[] = [
    Plot.ruleY([term.bound], { stroke: BOUND_COLOUR, strokeDasharray: '6,4', strokeWidth: 1.5, title: () => `the bound: ${term.term}` }),
    ...pointMarks(rows.filter((r) => r.variant === 'objective'), y, (r) => clip(r.lower), (r) => clip(r.upper), (r) => r.decision === 'meets', connect, false, title),
    ...pointMarks(rows.filter((r) => r.variant === 'with failure'), y, (r) => clip(r.lower), (r) => clip(r.upper), (r) => r.decision === 'meets', connect, true, title),
    Plot.text(
      rows.filter((r) => r.unbounded),
      { x: 'x', y: () => top, text: () => '∞', dy: -10, fontWeight: 'bold', title },
    ),
  ];
  return {
    title: `${term.term} (${term.unit})`,
    plot: {
      height: last ? 230 : 200,
      marginLeft: 64,
      marginRight: 20,
      marginTop: 18,
      marginBottom: last ? 40 : 24,
      x: xOptions(data, last),
      y: { label: `↑ ${term.unit}`, grid: true, zero: true, domain: [0, top], tickFormat: (v: number) => formatNumber(v, 3) },
      color,
      marks,
    },
  };
}

function costPanel(data: PlanChartData, color: Plot.ScaleOptions): Panel {
  const rows = data.cost.filter((r) => r.mean !== null);
  return {
    title: 'Cost per month',
    plot: {
      height: 200,
      marginLeft: 64,
      marginRight: 20,
      marginTop: 18,
      marginBottom: 40,
      x: xOptions(data, true),
      y: { label: '↑ cost per month', grid: true, zero: true, tickFormat: (v: number) => formatCompact(v) },
      color,
      marks: pointMarks(rows, (r: PlanCostRow) => r.mean!, (r) => r.lower, (r) => r.upper, () => true, true, false, (r) => `${r.search === 'all' ? '' : `${r.search}, `}${r.label}: ${formatCost(r.mean)} per month${r.lower !== null && r.upper !== null ? ` (CI ${formatCost(r.lower)} to ${formatCost(r.upper)})` : ''}`),
    },
  };
}

export function planChart(data: PlanChartData | null): ChartOutcome {
  if (data === null) return { id: PLAN_ID, title: TITLE, reason: 'needs a plan (netsim plan): its plan.json names the objective and the answer' };
  if (data.rows.length === 0) return { id: PLAN_ID, title: TITLE, reason: 'the plan evaluated nothing (every run failed?)' };
  const colours = coloursFor(data.searches);
  const color = { domain: [...data.searches], range: data.searches.map((s) => colours.get(s)!) };
  const terms = data.terms.slice(0, MAX_TERMS);
  const withCost = data.mode === 'bisect' && data.cost.some((c) => c.mean !== null);
  const panels = terms.map((t, i) => termPanel(data, t, i === terms.length - 1 && !withCost, color));
  if (withCost) panels.push(costPanel(data, color));
  const headroom = data.rows.some((r) => r.variant === 'with failure');
  const legend: LegendItem[] = [
    ...data.searches.map((s) => ({ label: s === 'all' ? 'evaluated levels' : s, colour: colours.get(s)!, mark: 'line' as const })),
    { label: 'meets the term (hollow: fails or undecided)', colour: '#555555', mark: 'dot' },
    { label: 'the answer', colour: INK, mark: 'dot' },
    { label: 'the bound', colour: BOUND_COLOUR, mark: 'dash' },
    ...(headroom ? [{ label: 'with the failure (headroom)', colour: '#555555', mark: 'diamond' as const }] : []),
  ];
  const notes = [...data.sentences];
  if (data.terms.length > MAX_TERMS) notes.push(`Terms not drawn (see the CSV): ${data.terms.slice(MAX_TERMS).map((t) => t.term).join('; ')}.`);
  if (data.rows.some((r) => r.unbounded)) notes.push('∞: in some replication the percentile fell among dropped requests (a dropped request meets no latency bound); drawn at the top.');
  return {
    id: PLAN_ID,
    title: TITLE,
    description:
      (data.mode === 'bisect'
        ? `Each dot is a level of ${data.parameter} the search evaluated (the others were not run): the mean over its replications, `
        : 'Each dot is a point of the grid the search evaluated, placed by its cost per month: the mean over its replications, ') +
      `the bar its ${formatPercent(data.level, 4)} confidence interval. A level meets a term when the whole interval is on the right side ` +
      'of the bound (the dashed line); the ringed dot is the answer. Replications were added at a level until its interval decided it.' +
      (data.mode === 'bisect' ? ' The last panel is what each level costs per month.' : ''),
    notes,
    legend,
    panels,
    data: {
      header: ['search', 'term', 'unit', 'variant', 'x', 'level', 'mean', 'ci_lower', 'ci_upper', 'unbounded', 'decision', 'answer', 'replications'],
      rows: data.rows.map((r) => [r.search, r.term, r.unit, r.variant, r.x, r.label, r.mean, r.lower, r.upper, r.unbounded, r.decision, r.answer, r.n]),
    },
    moreData: [
      {
        id: `${PLAN_ID}-cost`,
        table: {
          header: ['search', 'x', 'level', 'cost_per_month', 'ci_lower', 'ci_upper', 'answer'],
          rows: data.cost.map((r) => [r.search, r.x, r.label, r.mean, r.lower, r.upper, r.answer]),
        },
      },
    ],
  };
}
