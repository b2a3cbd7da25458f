/**
 * A plan over time, for scenarios with a timeline or an autoscaler (the runs' time series carry
 * replicas): the p99 of each window with the objective's bound as a line, and the replicas, for the
 * answer and the level below it (the first search's), means over their replications window by window.
 * Shows where in the day the level below fails, and how many pods the answer runs then.
 */
import * as Plot from '@observablehq/plot';
import { formatNumber, ms, round } from '../format.js';
import { meanOf, resultsOf } from '../data/runs.js';
import type { ReportInput } from '../inputs.js';
import { coloursFor } from '../render/theme.js';
import type { ChartOutcome, LegendItem } from './chart.js';

export const PLAN_TIME_ID = 'plan-over-time';
const TITLE = 'Plan over time: p99 and replicas of the answer and the level below';
const BOUND_COLOUR = '#d62728';

export interface PlanTimeRow {
  /** `minReplicas=3 (answer)`. */
  readonly series: string;
  readonly time: number;
  /** ms; null when no request completed in the window. */
  readonly p99: number | null;
  /** Pods of every Deployment, summed (mean over replications). */
  readonly replicas: number | null;
}

export interface PlanTimeData {
  readonly rows: readonly PlanTimeRow[];
  readonly series: readonly string[];
  /** The bound of a `latency.p99` term, in ms (null: the objective has none). */
  readonly bound: number | null;
  readonly search: string | null;
}

/** Data transform: null when the input has no plan, or none of the two points' runs carries replicas over time. */
export function planTimeData(input: ReportInput): PlanTimeData | null {
  const plan = input.plan;
  const answer = plan?.answers.find((a) => a.answer !== null);
  if (!plan || !answer) return null;
  const name = plan.search.parameter;
  const picks = [
    { ref: answer.answer!, role: 'answer' },
    ...(answer.below ? [{ ref: answer.below, role: 'fails' }] : []),
  ];
  const rows: PlanTimeRow[] = [];
  const series: string[] = [];
  for (const { ref, role } of picks) {
    const point = input.points.find((p) => p.id === `p${ref.point}`);
    if (!point) continue;
    const ts = resultsOf(point)
      .map((r) => r.timeSeries)
      .filter((t): t is NonNullable<typeof t> => t !== undefined && (t.replicas?.length ?? 0) > 0);
    if (ts.length === 0) continue;
    const label = `${name !== null ? `${name}=${String(ref.level)}` : Object.entries(ref.params).map(([k, v]) => `${k}=${String(v)}`).join(', ')} (${role})`;
    series.push(label);
    const windows = Math.min(...ts.map((t) => t.start.length));
    for (let i = 0; i < windows; i++) {
      const p99 = meanOf(ts.map((t) => t.p99[i]));
      // Stryker disable next-line ArrayDeclaration: `ts` keeps only series with replicas, so `?? []` never applies
      const replicas = meanOf(ts.map((t) => (t.replicas ?? []).reduce((n, s) => n + (s.values[i] ?? 0), 0)));
      rows.push({ series: label, time: round(ts[0]!.start[i]!), p99: p99 === null ? null : round(ms(p99)), replicas: replicas === null ? null : round(replicas) });
    }
  }
  if (rows.length === 0) return null;
  const term = plan.search.objective.find((t) => t.metric === 'latency.p99');
  const fixed = Object.entries(answer.fixed).map(([k, v]) => `${k}=${String(v)}`).join(', ');
  return { rows, series, bound: term ? round(ms(term.bound)) : null, search: fixed || null };
}

export function planTimeChart(data: PlanTimeData | null): ChartOutcome {
  if (data === null) {
    return { id: PLAN_TIME_ID, title: TITLE, reason: 'needs a plan whose runs have replicas over time (a timeline or an autoscaler)' };
  }
  const colours = coloursFor(data.series);
  const color = { domain: [...data.series], range: data.series.map((s) => colours.get(s)!) };
  const x = { label: 'simulated time (s) →', grid: true, tickFormat: (v: number) => formatNumber(v, 3) };
  const line = (y: 'p99' | 'replicas') => Plot.line(data.rows, { x: 'time', y, z: 'series', stroke: 'series', strokeWidth: 1.5, title: (r: PlanTimeRow) => `${r.series}: ${y === 'p99' ? 'p99 per window' : 'replicas'}` });
  const legend: LegendItem[] = [
    ...data.series.map((s) => ({ label: s, colour: colours.get(s)!, mark: 'line' as const })),
    ...(data.bound !== null ? [{ label: 'the p99 bound', colour: BOUND_COLOUR, mark: 'dash' as const }] : []),
  ];
  return {
    id: PLAN_TIME_ID,
    title: TITLE,
    description:
      'The p99 latency of each time window (top), with the objective’s bound as a dashed line, and the pods of the ' +
      'Deployments at each window’s end (bottom), for the plan’s answer and the level below it, means over their ' +
      'replications window by window. A window’s p99 above the line is where the level fails during the run.',
    notes: data.search ? [`The search at ${data.search}.`] : [],
    legend,
    panels: [
      {
        title: 'p99 latency per window',
        plot: {
          height: 220,
          marginLeft: 64,
          marginBottom: 24,
          x: { ...x, label: null },
          y: { label: '↑ p99 (ms)', grid: true, zero: true, tickFormat: (v: number) => formatNumber(v, 3) },
          color,
          marks: [...(data.bound !== null ? [Plot.ruleY([data.bound], { stroke: BOUND_COLOUR, strokeDasharray: '6,4', strokeWidth: 1.5, title: () => `the objective’s p99 bound: ${formatNumber(data.bound)} ms` })] : []), line('p99')],
        },
      },
      {
        title: 'Replicas',
        plot: {
          height: 170,
          marginLeft: 64,
          marginBottom: 36,
          x,
          y: { label: '↑ pods', grid: true, zero: true, tickFormat: (v: number) => formatNumber(v, 3) },
          color,
          marks: [line('replicas')],
        },
      },
    ],
    data: {
      header: ['series', 'time_s', 'p99_ms', 'replicas'],
      rows: data.rows.map((r) => [r.series, r.time, r.p99, r.replicas]),
    },
  };
}
