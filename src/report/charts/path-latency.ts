/**
 * Latency by path kind (served on the entry node, after a second hop to another node, or across a zone),
 * p50 to p99 with the mean, and the share of requests that took each path. The breakdown of the latency
 * into stages is the stage-breakdown chart.
 */
import * as Plot from '@observablehq/plot';
import { formatMs, formatPercent, ms, round } from '../data/format.js';
import { logAxis } from '../data/log-scale.js';
import { busiestPointPerConfiguration, meanOf, resultsOf, situationNote } from '../data/runs.js';
import type { ReportInput } from '../inputs.js';
import type { ChartOutcome, LegendItem } from './chart.js';

export const PATH_LATENCY_ID = 'path-latency';
const TITLE = 'Latency by path: local, second hop, cross zone';
export const MAX_CONFIGURATIONS = 6;

export const PATH_KINDS = [
  { key: 'local', label: 'local' },
  { key: 'secondHop', label: 'second hop' },
  { key: 'crossZone', label: 'cross zone' },
] as const;

export const STATISTICS = ['p50', 'p90', 'p99', 'mean'] as const;
export type Statistic = (typeof STATISTICS)[number];
const STAT_COLOURS: Readonly<Record<Statistic, string>> = { p50: '#c3a9e8', p90: '#8a5cc9', p99: '#4a1d8c', mean: '#222222' };

export interface PathRow {
  readonly configuration: string;
  readonly path: string;
  /** Requests that completed over this path (replications summed). */
  readonly requests: number;
  /** requests / completed requests of the configuration. */
  readonly share: number | null;
  /** Milliseconds; the mean over replications of each run's figure (null: no request took the path). */
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
  readonly mean: number | null;
}

export interface PathLatencyData {
  readonly rows: readonly PathRow[];
  readonly configurations: readonly string[];
  readonly omitted: readonly string[];
  readonly situation: string;
}

/** Data transform: per configuration (busiest point) and path kind, the latency summary. */
export function pathLatencyData(input: ReportInput): PathLatencyData {
  const points = busiestPointPerConfiguration(input);
  const rows: PathRow[] = [];
  for (const point of points) {
    const runs = resultsOf(point);
    const total = runs.reduce((s, r) => s + r.latency.count, 0);
    for (const kind of PATH_KINDS) {
      const summaries = runs.map((r) => r.latencyByPath[kind.key]);
      const requests = summaries.reduce((s, x) => s + x.count, 0);
      const statistic = (k: Statistic): number | null => {
        const v = meanOf(summaries.map((x) => x[k]));
        return v === null ? null : round(ms(v));
      };
      rows.push({
        configuration: point.configuration,
        path: kind.label,
        requests,
        share: total > 0 ? round(requests / total) : null,
        p50: statistic('p50'),
        p90: statistic('p90'),
        p99: statistic('p99'),
        mean: statistic('mean'),
      });
    }
  }
  const configurations = points.map((p) => p.configuration);
  return {
    rows,
    configurations: configurations.slice(0, MAX_CONFIGURATIONS),
    omitted: configurations.slice(MAX_CONFIGURATIONS),
    situation: situationNote(input, points),
  };
}

/** Mark spec: per path kind a range p50–p99 with dots per statistic; one row of panels per configuration. */
export function pathLatencyChart(data: PathLatencyData): ChartOutcome {
  const shown = new Set(data.configurations);
  const rows = data.rows.filter((r) => shown.has(r.configuration) && r.requests > 0);
  if (rows.length === 0) {
    return { id: PATH_LATENCY_ID, title: TITLE, reason: 'no completed requests: no path to show' };
  }
  const dots = rows.flatMap((r) =>
    STATISTICS.flatMap((s) => (r[s] !== null && r[s]! > 0 ? [{ configuration: r.configuration, path: r.path, statistic: s, latency: r[s]! }] : [])),
  );
  const values = dots.map((d) => d.latency);
  const axis = logAxis(Math.min(...values), Math.max(...values), 10);
  const paths = PATH_KINDS.map((k) => k.label).filter((p) => rows.some((r) => r.path === p));
  const legend: LegendItem[] = STATISTICS.map((s) => ({ label: s, colour: STAT_COLOURS[s], mark: s === 'mean' ? 'diamond' : 'dot' }));
  const notes: string[] = [];
  if (data.situation) notes.push(data.situation);
  if (data.omitted.length > 0) notes.push(`Not drawn (see the CSV): ${data.omitted.join('; ')}.`);
  const several = data.configurations.length > 1;
  const panel = (configuration: string, last: boolean) => {
    const mine = rows.filter((r) => r.configuration === configuration);
    const myDots = dots.filter((d) => d.configuration === configuration);
    return {
      ...(several ? { title: configuration } : {}),
      plot: {
        height: paths.length * 30 + (last ? 48 : 22),
        marginLeft: 96,
        marginRight: 130,
        marginTop: 8,
        marginBottom: last ? 40 : 14,
        x: {
          domain: axis.domain,
          ticks: axis.ticks,
          tickFormat: last ? axis.tickFormat : () => '',
          label: last ? 'latency (ms, log scale) →' : null,
          grid: true,
        },
        y: { domain: paths, label: null, padding: 0.3 },
        color: { domain: [...STATISTICS], range: STATISTICS.map((s) => STAT_COLOURS[s]) },
        marks: [
          Plot.ruleY(
            mine.filter((r) => r.p50 !== null && r.p99 !== null && r.p50 > 0),
            { y: 'path', x1: (r: PathRow) => axis.at(r.p50!), x2: (r: PathRow) => axis.at(r.p99!), stroke: '#cccccc', strokeWidth: 7 },
          ),
          Plot.dot(
            myDots.filter((d) => d.statistic !== 'mean'),
            { y: 'path', x: (d: { latency: number }) => axis.at(d.latency), fill: 'statistic', r: 5 },
          ),
          Plot.dot(
            myDots.filter((d) => d.statistic === 'mean'),
            { y: 'path', x: (d: { latency: number }) => axis.at(d.latency), stroke: 'statistic', strokeWidth: 2, r: 5, symbol: 'diamond' },
          ),
          Plot.text(mine, {
            y: 'path',
            text: (r: PathRow) => `${formatPercent(r.share)} of requests`,
            frameAnchor: 'right',
            textAnchor: 'start',
            dx: 10,
          }),
        ],
      },
    };
  };
  return {
    id: PATH_LATENCY_ID,
    title: TITLE,
    description:
      'Latency of the requests served on the node they entered (local), of those kube-proxy sent to a pod on ' +
      'another node (second hop), and of those that crossed a zone on the way (cross zone). The grey bar spans ' +
      'p50 to p99, the diamond is the mean; the share of requests that took each path is written on the right. ' +
      'A second hop adds a network traversal each way (and SNAT under externalTrafficPolicy: Cluster); a zone ' +
      'crossing adds the inter-zone latency, and costs money per GB.',
    notes,
    legend,
    panels: data.configurations
      .filter((c) => rows.some((r) => r.configuration === c))
      .map((c, i, all) => panel(c, i === all.length - 1)),
    data: {
      header: ['configuration', 'path', 'requests', 'share', 'p50_ms', 'p90_ms', 'p99_ms', 'mean_ms'],
      rows: data.rows.map((r) => [r.configuration, r.path, r.requests, r.share, r.p50, r.p90, r.p99, r.mean]),
    },
    table: {
      header: ['configuration', 'path', 'share', 'p50', 'p99', 'mean'],
      rows: data.rows
        .filter((r) => shown.has(r.configuration))
        .map((r) => [r.configuration, r.path, formatPercent(r.share), fmtMs(r.p50), fmtMs(r.p99), fmtMs(r.mean)]),
    },
  };
}

function fmtMs(millis: number | null): string {
  return millis === null ? '–' : formatMs(millis / 1000);
}
