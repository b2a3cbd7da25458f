/**
 * Latency distribution: the empirical CDF of request latency on a log time axis, one line per
 * configuration, from the stored histograms (replications pooled). A second panel zooms on the tail: the
 * share of requests slower than a latency (1 − CDF) on a log axis labelled as percentiles, so p90 to p99.99
 * are as readable as the median.
 *
 * Dropped requests are part of the picture: a dropped request never finished, so the y axis is the share
 * of every measured request (completed, dropped, or still in flight at the end), each line ends at the
 * share that completed, and a bracket at the right edge marks the rest ("dropped 16 %"). A percentile that
 * falls among the dropped requests is "not reached": an open marker at the right edge of the tail panel,
 * never a finite latency.
 */
import * as Plot from '@observablehq/plot';
import type { LatencyHistogram } from '../../engine/stats/latency-histogram.js';
import { quantileRank } from '../../engine/stats/quantile-rank.js';
import { colourScale, layoutLegend, layoutOf, type Layout } from '../data/layout.js';
import { ecdf, quantiles, REPORTED_QUANTILES } from '../data/histogram.js';
import { logAxis } from '../data/log-scale.js';
import { busiestPointPerConfiguration, mergedHistogram, resultsOf, situationNote } from '../data/runs.js';
import { thin } from '../data/thin.js';
import { formatCount, formatDuration, formatNumber, formatPercent, formatQuantile, ms, round } from '../format.js';
import { textWidth } from '../render/text-width.js';
import { FONT_SIZE } from '../render/theme.js';
import type { ReportInput } from '../inputs.js';
import type { Cell, ChartOutcome, LegendItem, Panel } from './chart.js';
import { facetPanels } from './facets.js';
import { styledLines } from './series.js';

export const LATENCY_CDF_ID = 'latency-cdf';
const TITLE = 'Latency distribution';
/** Most points drawn per series (the tail is kept, see `thin`). */
export const MAX_POINTS_PER_SERIES = 400;
/** Points with at most this share of requests above them are the tail: kept first when thinning. */
const TAIL_FROM = 0.1;
/** Font size of the "dropped" labels. */
const DROP_FONT = 11;

export interface CdfRow {
  readonly configuration: string;
  /** Latency in milliseconds. */
  readonly latency: number;
  /**
   * Share of all measured requests (completed, dropped, in flight at the end) that completed within
   * `latency`; the last row of each configuration is the completed share exactly (1 without drops).
   */
  readonly cumulative: number;
  /** 1 − cumulative: share of requests slower than `latency` or never finished. */
  readonly exceedance: number;
}

export interface CdfSummary {
  readonly configuration: string;
  /** Completed requests (replications summed). */
  readonly requests: number;
  /** Every measured request: completed + dropped + in flight at the end. */
  readonly sent: number;
  /** Dropped or still in flight at the end: never finished. */
  readonly dropped: number;
  /** requests / sent: where the CDF ends. */
  readonly completedShare: number;
  readonly runs: number;
  /** REPORTED_QUANTILES of every measured request (dropped ones never finishing), seconds; +∞: not reached. */
  readonly quantiles: readonly (number | null)[];
  /** The same quantiles of the completed requests only (result.json's convention), seconds. */
  readonly completedQuantiles: readonly (number | null)[];
  /** The slowest completed request, seconds. */
  readonly max: number | null;
}

export interface LatencyCdfData {
  readonly rows: readonly CdfRow[];
  readonly summaries: readonly CdfSummary[];
  /** Which load a sweep's lines show (empty for runs). */
  readonly situation: string;
}

/**
 * Quantiles of every measured request, dropped ones (and those in flight at the end) counted as never
 * finishing: nearest rank over `sent`; +∞ when the rank falls among the requests that never finished (as
 * `latencyWithDrops` in experiment/metrics.ts, on pooled histograms).
 */
export function quantilesWithDrops(histogram: LatencyHistogram, sent: number, qs: readonly number[]): (number | null)[] {
  const completed = histogram.count;
  return qs.map((q) => {
    if (sent === 0) return null;
    const rank = quantileRank(q, sent);
    if (rank > completed) return Infinity;
    return histogram.quantile((rank - 0.5) / completed);
  });
}

/** Points per series when the lines are small multiples (a facet is a fifth of the width). */
export const MAX_POINTS_PER_FACET_SERIES = 160;

/**
 * Data transform: per configuration, the histograms of all its runs pooled, as thinned CDF rows (to
 * `maxPoints`; by default fewer when the report draws small multiples).
 */
export function latencyCdfData(input: ReportInput, maxPoints?: number): LatencyCdfData {
  maxPoints ??= layoutOf(input).mode === 'factors' ? MAX_POINTS_PER_FACET_SERIES : MAX_POINTS_PER_SERIES;
  const rows: CdfRow[] = [];
  const summaries: CdfSummary[] = [];
  const points = busiestPointPerConfiguration(input);
  for (const point of points) {
    const configuration = point.configuration;
    const runs = resultsOf(point);
    const histogram = mergedHistogram(runs.map((r) => r.latency.histogram));
    if (histogram === null || histogram.count === 0) continue;
    const lost = runs.reduce((s, r) => s + r.accounting.measured.droppedTotal + r.accounting.measured.inFlight, 0);
    const sent = histogram.count + lost;
    const qs = REPORTED_QUANTILES.map((q) => q.q);
    rows.push(...seriesRows(configuration, histogram, maxPoints, sent));
    summaries.push({
      configuration,
      requests: histogram.count,
      sent,
      dropped: lost,
      completedShare: histogram.count / sent,
      runs: runs.length,
      quantiles: quantilesWithDrops(histogram, sent, qs),
      completedQuantiles: quantiles(histogram, qs),
      max: histogram.max,
    });
  }
  return { rows, summaries, situation: situationNote(input, points) };
}

/**
 * One configuration's CDF rows, thinned to `maxPoints` keeping the first and last points and the tail.
 * `sent` (default: the completed requests) is the denominator: with drops, the line ends at the completed
 * share, exactly `histogram.count / sent`.
 */
export function seriesRows(configuration: string, histogram: LatencyHistogram, maxPoints = MAX_POINTS_PER_SERIES, sent = histogram.count): CdfRow[] {
  const completedShare = histogram.count / sent;
  const points = thin(ecdf(histogram), maxPoints, (p) => 1 - p.cumulative <= TAIL_FROM);
  return points.map((p) => {
    const cumulative = p.cumulative === 1 ? completedShare : p.cumulative * completedShare;
    return { configuration, latency: round(ms(p.latency)), cumulative, exceedance: 1 - cumulative };
  });
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
/**
 * Bottom of the tail panel: p0 (nobody slower), well under p50, so a line that stays at p50 over a range
 * of latencies (half the requests much slower than the other half) is a line inside the frame, never
 * mistaken for the axis.
 */
const TAIL_BOTTOM = 0;
/** "Not reached" markers are drawn up to this many nines (p99.9); deeper ones follow from them. */
const MARKED_NINES = 3;

/** Mark spec: two panels (CDF, tail) on log latency axes; one panel each, or small multiples by factor. */
export function latencyCdfChart(data: LatencyCdfData, layout: Layout): ChartOutcome {
  if (data.rows.length === 0) {
    return { id: LATENCY_CDF_ID, title: TITLE, reason: 'no completed requests: the results hold no latency to draw' };
  }
  const shown = new Set(data.summaries.map((s) => s.configuration));
  const configurations = layout.configurations.filter((c) => shown.has(c));
  const facets = layout.mode === 'factors' ? layout.facets.filter((f) => configurations.some((c) => layout.style(c).facet === f)) : [''];
  const small = facets.length > 1;
  const maxTicks = small ? 4 : 14;
  const xs = data.rows.map((r) => r.latency);
  const bodyAxis = logAxis(Math.min(...xs), Math.max(...xs), maxTicks);
  const tail = data.rows
    .filter((r) => r.exceedance > 0 && r.exceedance <= 0.9)
    .map((r) => ({ configuration: r.configuration, latency: r.latency, nines: -Math.log10(r.exceedance) }));
  const tailXs = tail.map((r) => r.latency);
  const tailAxis = tail.length > 0 ? logAxis(Math.min(...tailXs), Math.max(...tailXs), maxTicks) : bodyAxis;
  const deepest = Math.max(3, ...tail.map((r) => r.nines));
  const tailTop = Math.min(TAIL_TICKS.length - 1, Math.ceil(deepest - 1e-9));
  const tailTicks = TAIL_TICKS.slice(0, tailTop + 1);
  const tailLabel = new Map(tailTicks);
  const shownTailTicks = tailTicks.map(([v]) => v).filter((v, i) => !small || i % 2 === 0 || v === 2);
  const dropping = data.summaries.filter((s) => s.dropped > 0);
  const summaryOf = new Map(data.summaries.map((s) => [s.configuration, s]));

  // Room for the longest tick label (p99.9999 at 12 px is wider than Plot's default margin).
  const marginLeft = Math.ceil(Math.max(56, ...tailTicks.map(([, label]) => textWidth(label, FONT_SIZE) + 16)));
  const marginRight = 24;
  const color = colourScale(layout);
  const colourOf = (r: { configuration: string }): string => layout.style(r.configuration).colourLabel;
  const titleOf = (r: { configuration: string }): string => {
    const s = summaryOf.get(r.configuration)!;
    return `${r.configuration}: ${formatCount(s.sent)} requests, ${formatPercent(s.dropped / s.sent)} dropped; p50 ${formatQuantile(s.quantiles[0])}, p99 ${formatQuantile(s.quantiles[2])}`;
  };

  /** Marks of one panel (or one row of facets): `fx` places a configuration's marks in its facet. */
  const cdfMarks = (rows: readonly CdfRow[], fx: ((c: string) => number) | null): Plot.Markish[] => {
    const mine = new Set(rows.map((r) => r.configuration));
    const drops = dropping.filter((s) => mine.has(s.configuration));
    const right = bodyAxis.domain[1];
    const facetOf = (c: string): Record<string, unknown> => (fx ? { fx: fx(c) } : {});
    const marks: Plot.Markish[] = [
      Plot.ruleY([0], { ariaDescription: 'baseline' }),
      ...styledLines(rows, layout, {
        x: (r: CdfRow) => bodyAxis.at(r.latency),
        y: 'cumulative',
        stroke: colourOf,
        strokeWidth: 1.75,
        title: titleOf,
        ...(fx ? { fx: (r: CdfRow) => fx(r.configuration) } : {}),
      }),
    ];
    // Per facet, the k-th configuration that drops gets the k-th bracket from the right edge and label row.
    const rank = new Map<string, number>();
    const counted = new Map<string, number>();
    for (const s of drops) {
      const facet = layout.style(s.configuration).facet;
      const k = counted.get(facet) ?? 0;
      rank.set(s.configuration, k);
      counted.set(facet, k + 1);
    }
    for (const s of drops) {
      const k = rank.get(s.configuration)!;
      const style = layout.style(s.configuration);
      const end = rows.filter((r) => r.configuration === s.configuration).pop()!;
      const title = `${s.configuration}: ${formatPercent(s.dropped / s.sent)} of ${formatCount(s.sent)} requests dropped (never finished); the line ends at ${formatPercent(s.completedShare)}`;
      const at = { ...facetOf(s.configuration) };
      marks.push(
        // The line goes on flat: no more of these requests finish, however long one waits.
        Plot.ruleY([s.completedShare], { ...at, x1: bodyAxis.at(end.latency), x2: right, stroke: style.colour, strokeDasharray: '1.5,3', strokeWidth: 1.5, title, ariaDescription: 'never finished' }),
        Plot.ruleX([right], { ...at, y1: s.completedShare, y2: 1, stroke: style.colour, strokeWidth: 3.5, dx: -2 - 6 * k, title, ariaDescription: 'dropped' }),
        Plot.text([s.configuration], {
          ...at,
          frameAnchor: 'top-left',
          textAnchor: 'start',
          lineAnchor: 'top',
          dx: 6,
          dy: 4 + (DROP_FONT + 3) * k,
          fontSize: DROP_FONT,
          fill: style.colour,
          stroke: 'white',
          strokeWidth: 3,
          paintOrder: 'stroke',
          text: () => (small || configurations.length === 1 ? '' : `${style.colourLabel}: `) + `${formatPercent(s.dropped / s.sent)} dropped`,
          title: () => title,
          ariaDescription: 'dropped label',
        }),
      );
    }
    return marks;
  };

  const tailMarks = (rows: typeof tail, fx: ((c: string) => number) | null, configurationsHere: readonly string[]): Plot.Markish[] => {
    const right = tailAxis.domain[1];
    const marks: Plot.Markish[] = [
      ...styledLines(rows, layout, {
        x: (r: (typeof tail)[number]) => tailAxis.at(r.latency),
        y: 'nines',
        stroke: colourOf,
        strokeWidth: 1.75,
        title: titleOf,
        ...(fx ? { fx: (r: (typeof tail)[number]) => fx(r.configuration) } : {}),
      }),
    ];
    let k = 0;
    const counted = new Map<string, number>();
    for (const s of dropping.filter((d) => configurationsHere.includes(d.configuration))) {
      const facet = layout.style(s.configuration).facet;
      k = counted.get(facet) ?? 0;
      counted.set(facet, k + 1);
      const reach = -Math.log10(s.dropped / s.sent);
      const style = layout.style(s.configuration);
      const end = rows.filter((r) => r.configuration === s.configuration).pop();
      const at = fx ? { fx: fx(s.configuration) } : {};
      const unreached = tailTicks.filter(([v]) => v > reach + 1e-9 && v <= MARKED_NINES + 1e-9 && shownTailTicks.includes(v));
      if (end) {
        marks.push(
          Plot.ruleY([Math.min(reach, tailTicks[tailTicks.length - 1]![0])], {
            ...at,
            x1: tailAxis.at(end.latency),
            x2: right,
            stroke: style.colour,
            strokeDasharray: '1.5,3',
            strokeWidth: 1.5,
            title: () => `${s.configuration}: no percentile above p${formatNumber(s.completedShare * 100)} is reached (${formatPercent(s.dropped / s.sent)} dropped)`,
            ariaDescription: 'never finished',
          }),
        );
      }
      marks.push(
        Plot.dot(unreached, {
          ...at,
          x: () => right,
          y: ([v]: [number, string]) => v,
          r: 4.5,
          stroke: style.colour,
          strokeWidth: 1.75,
          fill: 'white',
          dx: -6 - 11 * k,
          title: ([, label]: [number, string]) => `${s.configuration}: ${label} not reached, ${formatPercent(s.dropped / s.sent)} of requests were dropped (never finished)`,
          ariaDescription: 'not reached',
        }),
      );
    }
    return marks;
  };

  const bodyX = (labelled: boolean) => ({
    domain: bodyAxis.domain,
    ticks: bodyAxis.ticks,
    tickFormat: bodyAxis.tickFormat,
    label: labelled ? 'latency (ms, log scale) →' : null,
    grid: true,
  });
  const tailX = (labelled: boolean) => ({
    domain: tailAxis.domain,
    ticks: tailAxis.ticks,
    tickFormat: tailAxis.tickFormat,
    label: labelled ? 'latency (ms, log scale) →' : null,
    grid: true,
  });
  const cdfY = { domain: [0, 1], label: small ? null : '↑ share of requests', grid: true, tickFormat: (v: number) => formatPercent(v), ticks: small ? [0, 0.5, 1] : [0, 0.25, 0.5, 0.75, 0.9, 1] };
  const tailY = {
    domain: [TAIL_BOTTOM, tailTicks[tailTicks.length - 1]![0]],
    label: small ? null : '↑ percentile',
    grid: true,
    ticks: shownTailTicks,
    tickFormat: (v: number) => tailLabel.get(v) ?? '',
  };
  const tailTitle = 'Tail: the slowest requests, on a percentile scale';

  let panels: Panel[];
  if (!small) {
    panels = [
      {
        title: 'Cumulative distribution',
        plot: { height: 270, marginLeft, marginRight, marginTop: 30, marginBottom: 40, x: bodyX(true), y: cdfY, color, marks: cdfMarks(data.rows, null) },
      },
      {
        title: tailTitle,
        plot: { height: 270, marginLeft, marginRight, marginTop: 30, marginBottom: 40, x: tailX(true), y: tailY, color, marks: tailMarks(tail, null, configurations) },
      },
    ];
  } else {
    const facetOf = (c: string): string => layout.style(c).facet;
    const build =
      (which: 'cdf' | 'tail') =>
      (row: { facets: readonly string[]; column: (f: string) => number; last: boolean }): Panel['plot'] => {
        const here = configurations.filter((c) => row.facets.includes(facetOf(c)));
        const fx = (c: string): number => row.column(facetOf(c));
        const common = { height: 128 + (row.last ? 22 : 0), marginBottom: row.last ? 40 : 18, color };
        return which === 'cdf'
          ? { ...common, x: bodyX(row.last), y: cdfY, marks: cdfMarks(data.rows.filter((r) => here.includes(r.configuration)), fx) }
          : { ...common, x: tailX(row.last), y: tailY, marks: tailMarks(tail.filter((r) => here.includes(r.configuration)), fx, here) };
      };
    panels = [
      ...facetPanels(facets, 5, { marginLeft, marginRight, title: 'Cumulative distribution: share of requests finished within a latency', build: build('cdf') }),
      ...facetPanels(facets, 5, { marginLeft, marginRight, title: `${tailTitle}: percentile (y) against latency`, build: build('tail') }),
    ];
  }

  const legend: LegendItem[] = [...layoutLegend(layout, shown)];
  if (dropping.length > 0) {
    legend.push({ label: 'dropped: never finished (bracket at the right)', colour: '#555555', mark: 'rule' });
    legend.push({ label: 'percentile not reached', colour: '#555555', mark: 'ring' });
  }
  const table = {
    header: ['configuration', 'requests', 'dropped', ...REPORTED_QUANTILES.map((q) => q.label), 'max completed'],
    rows: configurations.map((c): Cell[] => {
      const s = summaryOf.get(c)!;
      return [c, formatCount(s.sent), formatPercent(s.dropped / s.sent), ...s.quantiles.map((v) => formatQuantile(v)), formatDuration(s.max)];
    }),
  };
  const notes: string[] = [];
  if (data.situation) notes.push(data.situation);
  if (dropping.length > 0) {
    notes.push(
      `Dropped requests never finished: ${dropping.map((s) => `${s.configuration} ${formatPercent(s.dropped / s.sent)}`).join(', ')}. ` +
        'Their lines end at the share that completed; a percentile that falls among the dropped requests is “not reached”: no latency, however long, would make it.',
    );
  }
  if (small) notes.push(`One panel per ${layout.facetFactors.join(' × ')}, colour by ${layout.colourFactor}; every panel has the same axes.`);
  return {
    id: LATENCY_CDF_ID,
    title: TITLE,
    description:
      'How long requests took, client send to response received. Top: the share of all measured requests (y) that ' +
      'finished within a latency (x, log scale); a line further left is faster, a steeper line more predictable. ' +
      'A dropped request never finished: a line ends at the share that completed, and the bracket at the right edge is ' +
      'the share dropped. Bottom: the tail of the same distributions. Read a percentile across (p99 = 1 request in 100 ' +
      'was slower or never finished) and its latency down. Replications of a configuration are pooled.',
    notes,
    ...(data.situation ? { caption: data.situation } : {}),
    legend,
    panels,
    data: {
      header: ['configuration', 'latency_ms', 'cumulative_fraction', 'exceedance_fraction'],
      rows: data.rows.map((r) => [r.configuration, r.latency, round(r.cumulative, 9), round(r.exceedance, 9)]),
    },
    table,
  };
}

