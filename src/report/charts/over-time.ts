/**
 * Over time: throughput and p99 latency per time window, and the requests dropped per second when there
 * were any, one line per configuration, with the warm-up shaded, from the results' `timeSeries`. Results
 * written before the field existed carry none: the report then lists this chart as not shown and says why.
 */
import * as Plot from '@observablehq/plot';
import { colourScale, layoutLegend, type Layout } from '../data/layout.js';
import { linearTicks } from '../data/log-scale.js';
import { busiestPointPerConfiguration, meanOf, resultsOf, situationNote } from '../data/runs.js';
import { thin } from '../data/thin.js';
import { isTimeSeries } from '../data/time-series.js';
import { formatDuration, formatNumber, ms, round, tickNumber } from '../format.js';
import type { ReportInput } from '../inputs.js';
import type { ChartOutcome, LegendItem, Panel } from './chart.js';
import { facetPanels } from './facets.js';
import { warmupMarks, WARMUP_COLOUR } from './warmup.js';
import { styledLines } from './series.js';
import { timelineData, type TimelineData } from './timeline-data.js';
import { timelineChart } from './timeline-chart.js';

export { isTimeSeries };

export const OVER_TIME_ID = 'over-time';
const TITLE = 'Over time: throughput and p99 per window';
export const MAX_POINTS_PER_SERIES = 400;

export interface TimeRow {
  readonly configuration: string;
  /** Window start, simulated seconds. */
  readonly time: number;
  /** Completed requests per second in the window (mean over replications). */
  readonly throughput: number;
  /** p99 latency in the window, milliseconds (mean over replications that have one); null: none completed. */
  readonly p99: number | null;
  /** Requests generated per second in the window (mean over replications); only when the results have it. */
  readonly offered?: number | null;
  /** Requests dropped per second in the window (mean over replications); null when the results do not say. */
  readonly dropped?: number | null;
}

export interface OverTimeData {
  readonly rows: readonly TimeRow[];
  /** End of the warm-up per configuration (seconds), when there was one. */
  readonly warmupEnds: readonly { readonly configuration: string; readonly time: number }[];
  /** Events, drops by reason and state lanes, when the results carry a timeline; else null (as before). */
  readonly timeline: TimelineData | null;
  /** Which load a sweep's lines show (empty for runs). */
  readonly situation?: string;
}

/**
 * Data transform: per configuration (busiest point), the replications' series averaged window by window
 * (windows matched by index), thinned to `maxPoints` keeping the first, the last and the p99 peaks.
 */
export function overTimeData(input: ReportInput, maxPoints = MAX_POINTS_PER_SERIES): OverTimeData {
  const rows: TimeRow[] = [];
  const warmupEnds: { configuration: string; time: number }[] = [];
  const points = busiestPointPerConfiguration(input);
  for (const point of points) {
    const runs = resultsOf(point);
    const series = runs.map((r) => r.timeSeries).filter(isTimeSeries);
    if (series.length === 0) continue;
    const windows = Math.min(...series.map((s) => s.start.length));
    const own: TimeRow[] = [];
    const withOffered = series.some((s) => s.offered !== undefined);
    const withDropped = series.every((s) => Array.isArray(s.dropped));
    for (let i = 0; i < windows; i++) {
      const throughput = meanOf(series.map((s) => s.completed[i]! / s.window)) ?? 0;
      const p99 = meanOf(series.map((s) => s.p99[i]));
      let row: TimeRow = { configuration: point.configuration, time: round(series[0]!.start[i]!), throughput: round(throughput), p99: p99 === null ? null : round(ms(p99)) };
      if (withOffered) {
        const offered = meanOf(series.map((s) => (s.offered?.[i] === undefined ? null : s.offered[i]! / s.window)));
        row = { ...row, offered: offered === null ? null : round(offered) };
      }
      if (withDropped) {
        const dropped = meanOf(series.map((s) => (s.dropped?.[i] === undefined ? null : s.dropped[i]! / s.window)));
        row = { ...row, dropped: dropped === null ? null : round(dropped) };
      }
      own.push(row);
    }
    // The tail of a time series is its peaks: the windows with the highest p99 (at most half the budget).
    const peaks = new Set(
      own
        .map((r, i) => ({ i, p99: r.p99 ?? -Infinity }))
        .sort((a, b) => b.p99 - a.p99 || a.i - b.i)
        .slice(0, Math.min(Math.ceil(own.length / 10), Math.floor(maxPoints / 2)))
        .map((x) => x.i),
    );
    rows.push(...thin(own, maxPoints, (_, i) => peaks.has(i)));
    const warmup = meanOf(runs.map((r) => (r.warmup.end > 0 ? r.warmup.end : null)));
    if (warmup !== null) warmupEnds.push({ configuration: point.configuration, time: round(warmup) });
  }
  return { rows, warmupEnds, timeline: timelineData(input), situation: situationNote(input, points) };
}

/** Mark spec: throughput, p99 and (with drops) dropped per second, time on x, one line per configuration. */
export function overTimeChart(data: OverTimeData, layout: Layout): ChartOutcome {
  if (data.rows.length === 0) {
    return {
      id: OVER_TIME_ID,
      title: TITLE,
      reason: 'the results carry no time series (written before result.json had timeSeries): re-run to draw it',
    };
  }
  if (data.timeline) return timelineChart(data, data.timeline, layout, OVER_TIME_ID);
  const shown = new Set(data.rows.map((r) => r.configuration));
  const configurations = layout.configurations.filter((c) => shown.has(c));
  const facets = layout.mode === 'factors' ? layout.facets.filter((f) => configurations.some((c) => layout.style(c).facet === f)) : [''];
  const small = facets.length > 1;
  const color = colourScale(layout);
  const colourOf = (r: { configuration: string }): string => layout.style(r.configuration).colourLabel;
  const end = Math.max(...data.rows.map((r) => r.time));
  const warmupEnd = data.warmupEnds.length > 0 ? Math.max(...data.warmupEnds.map((w) => w.time)) : 0;
  const x = (labelled: boolean) => ({
    domain: [Math.min(0, ...data.rows.map((r) => r.time)), end],
    nice: true,
    label: labelled ? 'simulated time (s) →' : null,
    grid: true,
    ticks: small ? 3 : 8,
    tickFormat: tickNumber,
  });
  const dropRows = data.rows.filter((r) => r.dropped !== undefined && r.dropped !== null) as (TimeRow & { dropped: number })[];
  const anyDrops = dropRows.some((r) => r.dropped > 0);
  // One title per line (a title that changed from point to point would cut the line into segments).
  const summaryOf = new Map(
    configurations.map((c) => {
      const mine = data.rows.filter((r) => r.configuration === c);
      const p99s = mine.map((r) => r.p99).filter((v): v is number => v !== null);
      const text =
        `${c}: ${formatNumber(meanOf(mine.map((r) => r.throughput)))} completed/s on average` +
        (p99s.length > 0 ? `, window p99 from ${formatDuration(Math.min(...p99s) / 1000)} to ${formatDuration(Math.max(...p99s) / 1000)}` : '') +
        (mine.some((r) => (r.dropped ?? 0) > 0) ? `, ${formatNumber(meanOf(mine.map((r) => r.dropped ?? null)))} dropped/s on average` : '');
      return [c, text];
    }),
  );
  const titleOf = (r: TimeRow): string => summaryOf.get(r.configuration) ?? r.configuration;
  // Shared scales: every panel (and every facet) of a metric has the same y axis, from 0 to a nice tick above the data.
  const yOf = (rows: readonly TimeRow[], key: string, count: number) => {
    const ticks = linearTicks(Math.max(0, ...rows.map((r) => (r as unknown as Record<string, number | null>)[key] ?? 0)), count);
    return { domain: [0, ticks[ticks.length - 1]!], ticks };
  };
  const metrics: { title: string; y: string; label: string; rows: readonly TimeRow[] }[] = [
    { title: 'Throughput (completed requests per second)', y: 'throughput', label: '↑ req/s', rows: data.rows },
    { title: 'p99 latency of each window (completed requests)', y: 'p99', label: '↑ p99 (ms)', rows: data.rows },
    ...(anyDrops ? [{ title: 'Dropped requests per second', y: 'dropped', label: '↑ dropped/s', rows: dropRows }] : []),
  ];
  const lines = (rows: readonly TimeRow[], y: string, fx: ((c: string) => number) | null): Plot.Markish[] =>
    styledLines(rows, layout, { x: 'time', y, stroke: colourOf, strokeWidth: 1.5, title: titleOf, ...(fx ? { fx: (r: TimeRow) => fx(r.configuration) } : {}) });
  let panels: Panel[];
  if (!small) {
    panels = metrics.map((m, i) => ({
      title: m.title,
      plot: {
        height: 198,
        marginLeft: 64,
        marginRight: 20,
        marginTop: 28,
        marginBottom: 36,
        x: x(true),
        y: { ...yOf(m.rows, m.y, 5), label: m.label, grid: true, tickFormat: tickNumber },
        color,
        marks: [...warmupMarks(data.warmupEnds, i === 0), ...lines(m.rows, m.y, null), Plot.ruleY([0], { ariaDescription: 'baseline' })],
      },
    }));
  } else {
    const facetOf = (c: string): string => layout.style(c).facet;
    panels = metrics.flatMap((m) =>
      facetPanels(facets, 5, {
        marginLeft: 64,
        marginRight: 20,
        title: m.title,
        build: (row) => {
          const here = m.rows.filter((r) => row.facets.includes(facetOf(r.configuration)));
          const fx = (c: string): number => row.column(facetOf(c));
          return {
            height: 96 + (row.last ? 16 : 0),
            marginBottom: row.last ? 36 : 20,
            x: x(row.last),
            y: { ...yOf(m.rows, m.y, 3), label: null, grid: true, tickFormat: tickNumber },
            color,
            marks: [
              ...warmupMarks(
                data.warmupEnds.filter((w) => row.facets.includes(facetOf(w.configuration))),
                false,
                fx,
              ),
              ...lines(here, m.y, fx),
              Plot.ruleY([0], { ariaDescription: 'baseline' }),
            ],
          };
        },
      }),
    );
  }
  const legend: LegendItem[] = [...layoutLegend(layout, shown)];
  if (warmupEnd > 0) legend.push({ label: 'warm-up (not measured)', colour: WARMUP_COLOUR, mark: 'band' });
  const notes: string[] = [];
  if (data.situation) notes.push(data.situation);
  if (small) notes.push(`One panel per ${layout.facetFactors.join(' × ')}, colour by ${layout.colourFactor}; every panel has the same axes.`);
  return {
    id: OVER_TIME_ID,
    title: TITLE,
    description:
      'Completed requests per second (top) and the p99 latency of each time window' +
      (anyDrops ? ', then the requests dropped per second' : '') +
      '. A run in steady state shows flat lines; a rising p99 means queues that keep growing (the load is above ' +
      'capacity). The shaded band is the warm-up: statistics are taken after it.',
    notes,
    ...(data.situation ? { caption: data.situation } : {}),
    legend,
    panels,
    data: {
      header: ['configuration', 'time_s', 'throughput_per_s', 'p99_ms', ...(dropRows.length > 0 ? ['dropped_per_s'] : [])],
      rows: data.rows.map((r) => [r.configuration, r.time, r.throughput, r.p99, ...(dropRows.length > 0 ? [r.dropped ?? null] : [])]),
    },
  };
}
