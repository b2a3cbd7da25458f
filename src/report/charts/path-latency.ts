/**
 * Latency by path kind (served on the entry node, after a second hop to another node, or across a zone),
 * p50 to p99 with the mean, and the share of requests that took each path. The breakdown of the latency
 * into stages is the stage-breakdown chart.
 */
import * as Plot from '@observablehq/plot';
import type { Layout } from '../data/layout.js';
import { formatDuration, formatPercent, ms, round } from '../format.js';
import { fitText, textWidth } from '../render/text-width.js';
import { FONT_SIZE } from '../render/theme.js';
import { logAxis } from '../data/log-scale.js';
import { busiestPointPerConfiguration, meanOf, resultsOf, situationNote } from '../data/runs.js';
import type { ReportInput } from '../inputs.js';
import type { ChartOutcome, LegendItem } from './chart.js';

export const PATH_LATENCY_ID = 'path-latency';
const TITLE = 'Latency by path: local, second hop, cross zone';

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
  /** Every configuration (all are drawn). */
  readonly configurations: readonly string[];
  /** Share of each configuration's measured requests dropped (not in these figures). */
  readonly dropped: ReadonlyMap<string, number>;
  readonly situation: string;
}

/** Data transform: per configuration (busiest point) and path kind, the latency summary. */
export function pathLatencyData(input: ReportInput): PathLatencyData {
  const points = busiestPointPerConfiguration(input);
  const rows: PathRow[] = [];
  const dropped = new Map<string, number>();
  for (const point of points) {
    const runs = resultsOf(point);
    const total = runs.reduce((s, r) => s + r.latency.count, 0);
    const lost = runs.reduce((s, r) => s + r.accounting.measured.droppedTotal + r.accounting.measured.inFlight, 0);
    if (total + lost > 0) dropped.set(point.configuration, lost / (total + lost));
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
  return { rows, configurations: points.map((p) => p.configuration), dropped, situation: situationNote(input, points) };
}

/** Mark spec: per path kind a range p50–p99 with dots per statistic; one row of panels per configuration. */
export function pathLatencyChart(data: PathLatencyData, layout?: Layout): ChartOutcome {
  const ordered = layout ? layout.configurations.filter((c) => data.configurations.includes(c)) : [];
  const configurations = [...ordered, ...data.configurations.filter((c) => !ordered.includes(c))];
  const rows = data.rows.filter((r) => r.requests > 0);
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
  const several = configurations.length > 1;
  const lost = configurations.filter((c) => (data.dropped.get(c) ?? 0) > 0);
  if (lost.length > 0) notes.push(`Completed requests only: ${lost.map((c) => `${c} dropped ${formatPercent(data.dropped.get(c))}`).join('; ')} (see the latency distribution).`);
  const compact = configurations.length > 6;
  const titleOf = (r: PathRow): string =>
    `${r.configuration}, ${r.path}: ${formatPercent(r.share)} of completed requests; p50 ${fmtMs(r.p50)}, p90 ${fmtMs(r.p90)}, p99 ${fmtMs(r.p99)}, mean ${fmtMs(r.mean)}`;
  const panel = (configuration: string, last: boolean) => {
    const mine = rows.filter((r) => r.configuration === configuration);
    const myDots = dots.filter((d) => d.configuration === configuration);
    const drop = data.dropped.get(configuration) ?? 0;
    return {
      ...(several ? { title: drop > 0 ? `${configuration} · ${formatPercent(drop)} dropped` : configuration } : {}),
      plot: {
        height: paths.length * (compact ? 20 : 30) + (last ? 48 : 22),
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
            { y: 'path', x1: (r: PathRow) => axis.at(r.p50!), x2: (r: PathRow) => axis.at(r.p99!), stroke: '#cccccc', strokeWidth: 7, title: titleOf },
          ),
          Plot.dot(
            myDots.filter((d) => d.statistic !== 'mean'),
            { y: 'path', x: (d: { latency: number }) => axis.at(d.latency), fill: 'statistic', r: 5, title: (d: { configuration: string; path: string; statistic: string; latency: number }) => `${d.configuration}, ${d.path}: ${d.statistic} ${fmtMs(d.latency)}` },
          ),
          Plot.dot(
            myDots.filter((d) => d.statistic === 'mean'),
            { y: 'path', x: (d: { latency: number }) => axis.at(d.latency), stroke: 'statistic', strokeWidth: 2, r: 5, symbol: 'diamond', title: (d: { configuration: string; path: string; latency: number }) => `${d.configuration}, ${d.path}: mean ${fmtMs(d.latency)}` },
          ),
          Plot.text(mine, {
            y: 'path',
            text: (r: PathRow) => `${formatPercent(r.share)} of requests`,
            title: titleOf,
            frameAnchor: 'right',
            textAnchor: 'start',
            dx: 10,
          }),
        ],
      },
    };
  };
  // Many configurations: one figure, one row per configuration and path that requests took (the
  // configuration named on the left, with its drops; the path and its share on the right), configurations
  // on alternate shaded bands.
  const compactPanel = () => {
    const drawn = configurations.filter((c) => rows.some((r) => r.configuration === c));
    const name = (c: string): string => {
      const drop = data.dropped.get(c) ?? 0;
      return drop > 0 ? `${c} · ${formatPercent(drop)} dropped` : c;
    };
    const key = (r: { configuration: string; path: string }): string => `${r.configuration}\u0000${r.path}`;
    const keyed = drawn.flatMap((c) => rows.filter((r) => r.configuration === c));
    const keys = keyed.map(key);
    const first = new Map<string, string>();
    for (const r of keyed) if (!first.has(r.configuration)) first.set(r.configuration, key(r));
    const configurationOf = new Map(keyed.map((r) => [key(r), r.configuration]));
    const labelWidth = 280;
    const marginLeft = Math.ceil(Math.min(labelWidth, Math.max(...drawn.map((c) => textWidth(name(c), FONT_SIZE)))) + 12);
    const shaded = keyed.filter((r) => drawn.indexOf(r.configuration) % 2 === 0);
    return {
      plot: {
        height: keys.length * 17 + 56,
        marginLeft,
        marginRight: 130,
        marginTop: 8,
        marginBottom: 44,
        x: { domain: axis.domain, ticks: axis.ticks, tickFormat: axis.tickFormat, label: 'latency (ms, log scale) →', grid: true },
        y: { domain: keys, axis: null, padding: 0 },
        color: { domain: [...STATISTICS], range: STATISTICS.map((s) => STAT_COLOURS[s]) },
        marks: [
          Plot.barX(shaded, { y: key, x1: () => axis.domain[0], x2: () => axis.domain[1], fill: '#f3f3f3', title: (r: PathRow) => name(r.configuration) }),
          Plot.axisY({
            tickFormat: (k: string) => (first.get(configurationOf.get(k) ?? '') === k ? fitText(name(configurationOf.get(k)!), FONT_SIZE, labelWidth) : ''),
            title: (k: string) => name(configurationOf.get(k) ?? ''),
            tickSize: 0,
          }),
          Plot.ruleY(
            rows.filter((r) => r.p50 !== null && r.p99 !== null && r.p50 > 0),
            { y: key, x1: (r: PathRow) => axis.at(r.p50!), x2: (r: PathRow) => axis.at(r.p99!), stroke: '#cccccc', strokeWidth: 6, title: titleOf },
          ),
          Plot.dot(
            dots.filter((d) => d.statistic !== 'mean'),
            { y: key, x: (d: { latency: number }) => axis.at(d.latency), fill: 'statistic', r: 3.5, title: (d: { configuration: string; path: string; statistic: string; latency: number }) => `${d.configuration}, ${d.path}: ${d.statistic} ${fmtMs(d.latency)}` },
          ),
          Plot.dot(
            dots.filter((d) => d.statistic === 'mean'),
            { y: key, x: (d: { latency: number }) => axis.at(d.latency), stroke: 'statistic', strokeWidth: 1.75, r: 3.5, symbol: 'diamond', title: (d: { configuration: string; path: string; latency: number }) => `${d.configuration}, ${d.path}: mean ${fmtMs(d.latency)}` },
          ),
          Plot.text(keyed, {
            y: key,
            text: (r: PathRow) => `${r.path}: ${formatPercent(r.share)}`,
            title: titleOf,
            frameAnchor: 'right',
            textAnchor: 'start',
            fontSize: 11,
            dx: 8,
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
      'p50 to p99, the diamond is the mean; the share of completed requests that took each path is written on the right. ' +
      'A second hop adds a network traversal each way (and SNAT under externalTrafficPolicy: Cluster); a zone ' +
      'crossing adds the inter-zone latency, and costs money per GB.',
    notes,
    legend,
    ...(data.situation ? { caption: data.situation } : {}),
    panels: compact
      ? [compactPanel()]
      : configurations.filter((c) => rows.some((r) => r.configuration === c)).map((c, i, all) => panel(c, i === all.length - 1)),
    data: {
      header: ['configuration', 'path', 'requests', 'share', 'p50_ms', 'p90_ms', 'p99_ms', 'mean_ms'],
      rows: data.rows.map((r) => [r.configuration, r.path, r.requests, r.share, r.p50, r.p90, r.p99, r.mean]),
    },
    table: {
      header: ['configuration', 'dropped', 'path', 'share of completed', 'p50', 'p99', 'mean'],
      rows: configurations.flatMap((c) =>
        data.rows
          .filter((r) => r.configuration === c)
          .map((r, i) => [i === 0 ? r.configuration : '', i === 0 ? formatPercent(data.dropped.get(c) ?? 0) : '', r.path, formatPercent(r.share), fmtMs(r.p50), fmtMs(r.p99), fmtMs(r.mean)]),
      ),
    },
  };
}

function fmtMs(millis: number | null): string {
  return millis === null ? '–' : formatDuration(millis / 1000);
}

