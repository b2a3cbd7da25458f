/**
 * Latency distribution: the empirical CDF of request latency on a log time axis, one line per
 * configuration, from the stored histograms (replications pooled). A second panel zooms on the tail:
 * the share of requests slower than a latency (1 − CDF) on a log axis labelled as percentiles, so p90 to
 * p99.99 are as readable as the median.
 */
import * as Plot from '@observablehq/plot';
import type { LatencyHistogram } from '../../engine/stats/latency-histogram.js';
import { formatCount, formatMs, ms, round } from '../data/format.js';
import { ecdf, quantiles, REPORTED_QUANTILES } from '../data/histogram.js';
import { logAxis } from '../data/log-scale.js';
import { busiestPointPerConfiguration, mergedHistogram, resultsOf, situationNote } from '../data/runs.js';
import { thin } from '../data/thin.js';
import { textWidth } from '../render/text-width.js';
import { FONT_SIZE } from '../render/theme.js';
import type { ReportInput } from '../inputs.js';
import type { Cell, ChartOutcome } from './chart.js';
import { seriesLegend, seriesLines } from './series.js';

export const LATENCY_CDF_ID = 'latency-cdf';
const TITLE = 'Latency distribution';
/** Most points drawn per series (the tail is kept, see `thin`). */
export const MAX_POINTS_PER_SERIES = 400;
/** Points with at most this share of requests above them are the tail: kept first when thinning. */
const TAIL_FROM = 0.1;

export interface CdfRow {
  readonly configuration: string;
  /** Latency in milliseconds. */
  readonly latency: number;
  /** Share of requests at or below `latency`; the last row of each configuration is exactly 1. */
  readonly cumulative: number;
  /** 1 − cumulative: share of requests slower than `latency`. */
  readonly exceedance: number;
}

export interface CdfSummary {
  readonly configuration: string;
  readonly requests: number;
  readonly runs: number;
  /** REPORTED_QUANTILES in order, then the maximum; seconds. */
  readonly quantiles: readonly (number | null)[];
  readonly max: number | null;
}

export interface LatencyCdfData {
  readonly rows: readonly CdfRow[];
  readonly summaries: readonly CdfSummary[];
  /** Which load a sweep's lines show (empty for runs). */
  readonly situation: string;
}

/** Data transform: per configuration, the histograms of all its runs pooled, as thinned CDF rows. */
export function latencyCdfData(input: ReportInput, maxPoints = MAX_POINTS_PER_SERIES): LatencyCdfData {
  const rows: CdfRow[] = [];
  const summaries: CdfSummary[] = [];
  const points = busiestPointPerConfiguration(input);
  for (const point of points) {
    const configuration = point.configuration;
    const runs = resultsOf(point);
    const histogram = mergedHistogram(runs.map((r) => r.latency.histogram));
    if (histogram === null || histogram.count === 0) continue;
    rows.push(...seriesRows(configuration, histogram, maxPoints));
    summaries.push({
      configuration,
      requests: histogram.count,
      runs: runs.length,
      quantiles: quantiles(histogram, REPORTED_QUANTILES.map((q) => q.q)),
      max: histogram.max,
    });
  }
  return { rows, summaries, situation: situationNote(input, points) };
}

/** One configuration's CDF rows, thinned to `maxPoints` keeping the first and last points and the tail. */
export function seriesRows(configuration: string, histogram: LatencyHistogram, maxPoints = MAX_POINTS_PER_SERIES): CdfRow[] {
  const points = thin(ecdf(histogram), maxPoints, (p) => 1 - p.cumulative <= TAIL_FROM);
  return points.map((p) => ({
    configuration,
    latency: round(ms(p.latency)),
    cumulative: p.cumulative,
    exceedance: 1 - p.cumulative,
  }));
}

/** Tail panel: y is −log10(share slower), so p90 = 1, p99 = 2, ...; ticks and their labels. */
const TAIL_TICKS: readonly [number, string][] = [
  [Math.log10(2), 'p50'],
  [1, 'p90'],
  [2, 'p99'],
  [3, 'p99.9'],
  [4, 'p99.99'],
  [5, 'p99.999'],
  [6, 'p99.9999'],
  [7, 'p99.99999'],
];

/** Mark spec: two panels (CDF, tail) on log latency axes; colours by configuration. */
export function latencyCdfChart(data: LatencyCdfData, colours: ReadonlyMap<string, string>): ChartOutcome {
  if (data.rows.length === 0) {
    return { id: LATENCY_CDF_ID, title: TITLE, reason: 'no completed requests: the results hold no latency to draw' };
  }
  const configurations = data.summaries.map((s) => s.configuration);
  const color = { domain: configurations, range: configurations.map((c) => colours.get(c) ?? '#888888') };
  const xs = data.rows.map((r) => r.latency);
  const bodyAxis = logAxis(Math.min(...xs), Math.max(...xs));

  const tail = data.rows
    .filter((r) => r.exceedance > 0 && r.exceedance <= 0.5)
    .map((r) => ({ configuration: r.configuration, latency: r.latency, nines: -Math.log10(r.exceedance) }));
  const tailXs = tail.map((r) => r.latency);
  const tailAxis = tail.length > 0 ? logAxis(Math.min(...tailXs), Math.max(...tailXs)) : bodyAxis;
  const deepest = Math.max(3, ...tail.map((r) => r.nines));
  const tailTop = Math.min(TAIL_TICKS.length - 1, Math.ceil(deepest - 1e-9));
  const tailTicks = TAIL_TICKS.slice(0, tailTop + 1);
  const tailLabel = new Map(tailTicks);

  // Room for the longest tick label (p99.9999 at 12 px is wider than Plot's default margin).
  const marginLeft = Math.ceil(Math.max(56, ...tailTicks.map(([, label]) => textWidth(label, FONT_SIZE) + 16)));
  const table = {
    header: ['configuration', 'requests', ...REPORTED_QUANTILES.map((q) => q.label), 'max'],
    rows: data.summaries.map((s): Cell[] => [
      s.configuration,
      formatCount(s.requests),
      ...s.quantiles.map((v) => formatMs(v)),
      formatMs(s.max),
    ]),
  };
  return {
    id: LATENCY_CDF_ID,
    title: TITLE,
    description:
      'How long requests took, client send to response received. Top: the share of requests (y) that ' +
      'finished within a latency (x, log scale); a line further left is faster, a steeper line more ' +
      'predictable. Bottom: the tail of the same distributions. Read a percentile across (p99 = 1 request ' +
      'in 100 was slower) and its latency down. Replications of a configuration are pooled.',
    notes: data.situation ? [data.situation] : [],
    legend: seriesLegend(configurations, colours),
    panels: [
      {
        title: 'Cumulative distribution',
        plot: {
          height: 260,
          marginLeft,
          marginRight: 24,
          marginBottom: 40,
          x: { domain: bodyAxis.domain, ticks: bodyAxis.ticks, tickFormat: bodyAxis.tickFormat, label: 'latency (ms, log scale) →', grid: true },
          y: { domain: [0, 1], label: '↑ share of requests', grid: true, tickFormat: '.0%', ticks: [0, 0.25, 0.5, 0.75, 0.9, 1] },
          color,
          marks: [
            Plot.ruleY([0]),
            ...seriesLines(
              data.rows,
              { x: (r: CdfRow) => bodyAxis.at(r.latency), y: 'cumulative', z: 'configuration', stroke: 'configuration', strokeWidth: 1.75 },
              configurations,
            ),
          ],
        },
      },
      {
        title: 'Tail: the slowest requests (p50 to the last measured percentile)',
        plot: {
          height: 260,
          marginLeft,
          marginRight: 24,
          marginBottom: 40,
          x: { domain: tailAxis.domain, ticks: tailAxis.ticks, tickFormat: tailAxis.tickFormat, label: 'latency (ms, log scale) →', grid: true },
          y: {
            domain: [tailTicks[0]![0], tailTicks[tailTicks.length - 1]![0]],
            label: '↑ percentile',
            grid: true,
            ticks: tailTicks.map(([v]) => v),
            tickFormat: (v: number) => tailLabel.get(v) ?? '',
          },
          color,
          marks: seriesLines(
            tail,
            { x: (r: { latency: number }) => tailAxis.at(r.latency), y: 'nines', z: 'configuration', stroke: 'configuration', strokeWidth: 1.75 },
            configurations,
          ),
        },
      },
    ],
    data: {
      header: ['configuration', 'latency_ms', 'cumulative_fraction', 'exceedance_fraction'],
      rows: data.rows.map((r) => [r.configuration, r.latency, r.cumulative, r.exceedance]),
    },
    table,
  };
}
