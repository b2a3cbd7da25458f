/**
 * Over time: throughput and p99 latency per time window, one line per configuration, with the end of the
 * warm-up marked, from the results' `timeSeries`. Results written before the field existed carry none: the
 * report then lists this chart as not shown and says why.
 */
import * as Plot from '@observablehq/plot';
import { formatNumber, ms, round } from '../data/format.js';
import { busiestPointPerConfiguration, meanOf, resultsOf } from '../data/runs.js';
import { thin } from '../data/thin.js';
import { isTimeSeries } from '../data/time-series.js';
import type { ReportInput } from '../inputs.js';
import type { ChartOutcome } from './chart.js';
import { seriesLegend, seriesLines } from './series.js';
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
}

export interface OverTimeData {
  readonly rows: readonly TimeRow[];
  /** End of the warm-up per configuration (seconds), when there was one. */
  readonly warmupEnds: readonly { readonly configuration: string; readonly time: number }[];
  /** Events, drops by reason and state lanes, when the results carry a timeline; else null (as before). */
  readonly timeline: TimelineData | null;
}

/**
 * Data transform: per configuration (busiest point), the replications' series averaged window by window
 * (windows matched by index), thinned to `maxPoints` keeping the first, the last and the p99 peaks.
 */
export function overTimeData(input: ReportInput, maxPoints = MAX_POINTS_PER_SERIES): OverTimeData {
  const rows: TimeRow[] = [];
  const warmupEnds: { configuration: string; time: number }[] = [];
  for (const point of busiestPointPerConfiguration(input)) {
    const runs = resultsOf(point);
    const series = runs.map((r) => r.timeSeries).filter(isTimeSeries);
    if (series.length === 0) continue;
    const windows = Math.min(...series.map((s) => s.start.length));
    const own: TimeRow[] = [];
    const withOffered = series.some((s) => s.offered !== undefined);
    for (let i = 0; i < windows; i++) {
      const throughput = meanOf(series.map((s) => s.completed[i]! / s.window)) ?? 0;
      const p99 = meanOf(series.map((s) => s.p99[i]));
      const row: TimeRow = { configuration: point.configuration, time: round(series[0]!.start[i]!), throughput: round(throughput), p99: p99 === null ? null : round(ms(p99)) };
      if (!withOffered) own.push(row);
      else {
        const offered = meanOf(series.map((s) => (s.offered?.[i] === undefined ? null : s.offered[i]! / s.window)));
        own.push({ ...row, offered: offered === null ? null : round(offered) });
      }
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
  return { rows, warmupEnds, timeline: timelineData(input) };
}

/** Mark spec: throughput above p99, time on x, one line per configuration. */
export function overTimeChart(data: OverTimeData, colours: ReadonlyMap<string, string>): ChartOutcome {
  if (data.rows.length === 0) {
    return {
      id: OVER_TIME_ID,
      title: TITLE,
      reason: 'the results carry no time series (written before result.json had timeSeries): re-run to draw it',
    };
  }
  if (data.timeline) return timelineChart(data, data.timeline, colours, OVER_TIME_ID);
  const configurations = [...new Set(data.rows.map((r) => r.configuration))];
  const color = { domain: configurations, range: configurations.map((c) => colours.get(c) ?? '#888888') };
  const x = { label: 'simulated time (s) →', grid: true, tickFormat: (v: number) => formatNumber(v, 3) };
  const warmup = Plot.ruleX(data.warmupEnds, { x: 'time', stroke: '#999999', strokeDasharray: '4,3' });
  return {
    id: OVER_TIME_ID,
    title: TITLE,
    description:
      'Completed requests per second (top) and the p99 latency of each time window (bottom). A run in steady ' +
      'state shows flat lines; a rising p99 means queues that keep growing (the load is above capacity). ' +
      'The dashed line marks the end of the warm-up: statistics are taken after it.',
    notes: [],
    legend: seriesLegend(configurations, colours),
    panels: [
      {
        title: 'Throughput',
        plot: {
          height: 200,
          marginLeft: 64,
          marginBottom: 36,
          x,
          y: { label: '↑ req/s', grid: true, zero: true, tickFormat: (v: number) => formatNumber(v, 3) },
          color,
          marks: [warmup, ...seriesLines(data.rows, { x: 'time', y: 'throughput', z: 'configuration', stroke: 'configuration', strokeWidth: 1.5 }, configurations)],
        },
      },
      {
        title: 'p99 latency',
        plot: {
          height: 200,
          marginLeft: 64,
          marginBottom: 36,
          x,
          y: { label: '↑ p99 (ms)', grid: true, zero: true, tickFormat: (v: number) => formatNumber(v, 3) },
          color,
          marks: [warmup, ...seriesLines(data.rows, { x: 'time', y: 'p99', z: 'configuration', stroke: 'configuration', strokeWidth: 1.5 }, configurations)],
        },
      },
    ],
    data: {
      header: ['configuration', 'time_s', 'throughput_per_s', 'p99_ms'],
      rows: data.rows.map((r) => [r.configuration, r.time, r.throughput, r.p99]),
    },
  };
}
