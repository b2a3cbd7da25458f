/**
 * Percentiles against offered load: p50, p90 and p99 latency (one panel each) against the offered load,
 * one line per configuration, with the confidence band of the mean over replications, and below them the
 * share of requests dropped. The capacity-planning chart: where the lines bend up is where queueing starts.
 *
 * Dropped requests count: a percentile is taken over every measured request, a dropped one never
 * finishing (`latencyWithDrops`), so a configuration that sheds its slowest requests does not look faster.
 * A percentile that falls among the dropped requests is "not reached": an open marker on the top line of
 * the panel, never a finite value. Points where requests were dropped are ringed.
 */
import * as Plot from '@observablehq/plot';
import { parseRate } from '../../engine/units.js';
import { latencyWithDrops } from '../../experiment/metrics.js';
import { colourScale, layoutLegend, type Layout } from '../data/layout.js';
import { linearTicks, logAxis } from '../data/log-scale.js';
import { droppedShare, levelOf, pointLoad, replicationInterval } from '../data/runs.js';
import { formatCompact, formatDuration, formatNumber, formatPercent, formatRate, ms, round, tickCompact } from '../format.js';
import type { ReportInput, ReportPoint, RunSample } from '../inputs.js';
import type { ChartOutcome, LegendItem, Panel } from './chart.js';
import { facetPanels } from './facets.js';
import { styledLines } from './series.js';

export const PERCENTILES_LOAD_ID = 'percentiles-vs-load';
const TITLE = 'Latency percentiles and drops against offered load';
const DROP_RING = '#d62728';
const NOT_REACHED_LABEL = 'not reached';

export const PERCENTILES = ['p50', 'p90', 'p99'] as const;
export type PercentileName = (typeof PERCENTILES)[number];
const QUANTILE: Readonly<Record<PercentileName, number>> = { p50: 0.5, p90: 0.9, p99: 0.99 };

export interface PercentileRow {
  readonly configuration: string;
  readonly percentile: PercentileName;
  /** Offered load on the x axis, requests per second: the load parameter's value, else the measured load. */
  readonly load: number;
  /** The measured offered load (mean over replications), when the full results are kept. */
  readonly measured: number | null;
  /**
   * Mean over the replications that reached the percentile, and its confidence interval, ms (bounds = mean
   * when n = 1); null when no replication reached it.
   */
  readonly mean: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  /** Replications that reached the percentile (finite). */
  readonly n: number;
  /** Replications in which the percentile fell among the dropped requests (+∞). */
  readonly unreached: number;
  /** Mean share of requests dropped (or in flight at the end) over the replications. */
  readonly dropped: number;
}

export interface DropRow {
  readonly configuration: string;
  readonly load: number;
  /** Mean share dropped over replications and its interval (fractions). */
  readonly mean: number;
  readonly lower: number;
  readonly upper: number;
  readonly n: number;
}

export interface PercentilesLoadData {
  readonly rows: readonly PercentileRow[];
  readonly drops: readonly DropRow[];
  readonly level: number;
  /** Where the load axis comes from: the load parameter's values, or the measured offered load. */
  readonly loadSource: 'parameter' | 'measured';
  /** The load levels of the sweep (x values), increasing. */
  readonly loads: readonly number[];
}

/**
 * The percentile of one run with dropped requests counted at +∞: from its full result, else from the
 * sweep's metrics (`latencyWithDrops.p99`; or `latency.p99`, +∞ when `dropFraction` says the rank falls
 * among the drops).
 */
export function percentileOf(run: RunSample, p: PercentileName): number | null {
  if (run.result) return latencyWithDrops(run.result, QUANTILE[p]);
  const withDrops = run.metrics[`latencyWithDrops.${p}`];
  if (typeof withDrops === 'number' && Number.isFinite(withDrops)) return withDrops;
  const dropped = run.metrics['dropFraction'];
  // Not `dropped > 1 − q`: 1 − 0.9 is 0.09999999999999998, which would put p90 among exactly 10 % drops.
  if (typeof dropped === 'number' && QUANTILE[p] + dropped > 1) return Infinity;
  return run.metrics[`latency.${p}`] ?? null;
}

function parameterLoad(input: ReportInput, point: ReportPoint): number | null {
  const value = point.parameters.find((p) => p.name === input.loadParameter)?.value;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    try {
      return parseRate(value);
    } catch {
      return null;
    }
  }
  return null;
}

/** Data transform: one row per configuration × load point × percentile, in load order; drops per point. */
export function percentilesLoadData(input: ReportInput): PercentilesLoadData {
  const level = levelOf(input);
  const rows: PercentileRow[] = [];
  const drops: DropRow[] = [];
  // The x of a point: the load parameter's value when every point has one (a tick where the points sit);
  // else the measured offered load.
  const byParameter = input.loadParameter !== null && input.points.every((p) => parameterLoad(input, p) !== null);
  for (const configuration of input.configurations) {
    const points = input.points
      .filter((p) => p.configuration === configuration)
      .map((p) => ({ point: p, load: byParameter ? parameterLoad(input, p) : pointLoad(p), measured: pointLoad(p) }))
      .filter((p): p is { point: ReportPoint; load: number; measured: number | null } => p.load !== null)
      .sort((a, b) => a.load - b.load);
    for (const { point, load, measured } of points) {
      const shares = point.runs.map(droppedShare);
      const dropCi = replicationInterval(shares, level);
      if (dropCi) drops.push({ configuration, load: round(load), mean: dropCi.mean, lower: Math.max(0, dropCi.lower), upper: dropCi.upper, n: dropCi.n });
      for (const p of PERCENTILES) {
        const values = point.runs.map((r) => percentileOf(r, p));
        const unreached = values.filter((v) => v === Infinity).length;
        if (values.every((v) => v === null)) continue;
        const ci = replicationInterval(values, level);
        rows.push({
          configuration,
          percentile: p,
          load: round(load),
          measured: measured === null ? null : round(measured),
          mean: ci ? round(ms(ci.mean)) : null,
          lower: ci ? round(ms(ci.lower)) : null,
          upper: ci ? round(ms(ci.upper)) : null,
          n: ci?.n ?? 0,
          unreached,
          dropped: dropCi?.mean ?? 0,
        });
      }
    }
  }
  const loads = [...new Set(rows.map((r) => r.load))].sort((a, b) => a - b);
  return { rows, drops, level, loadSource: byParameter ? 'parameter' : 'measured', loads };
}

/** A percentile is drawn as a finite value only when every replication reached it. */
function reached(r: PercentileRow): boolean {
  return r.unreached === 0 && r.mean !== null;
}

/** Mark spec: three facets (p50, p90, p99) and a drops panel; by factor, one grid of small multiples each. */
export function percentilesLoadChart(data: PercentilesLoadData, layout: Layout): ChartOutcome {
  const loadsPerConfiguration = new Map<string, Set<number>>();
  for (const r of data.rows) {
    let s = loadsPerConfiguration.get(r.configuration);
    if (!s) loadsPerConfiguration.set(r.configuration, (s = new Set()));
    s.add(r.load);
  }
  if (![...loadsPerConfiguration.values()].some((s) => s.size >= 2)) {
    return {
      id: PERCENTILES_LOAD_ID,
      title: TITLE,
      reason: 'needs a sweep over load (at least two load levels for a configuration); these results have one load per configuration',
    };
  }
  const shown = new Set(loadsPerConfiguration.keys());
  const configurations = layout.configurations.filter((c) => shown.has(c));
  const facets = layout.mode === 'factors' ? layout.facets.filter((f) => configurations.some((c) => layout.style(c).facet === f)) : [''];
  const small = facets.length > 1;
  const color = colourScale(layout);
  const colourOf = (r: { configuration: string }): string => layout.style(r.configuration).colourLabel;

  // The latency axis: every finite mean and bound, nice (1-2-5) bounds that cover them; log when they span
  // more than a factor of 10. Above it, one more line: "not reached".
  const finite = data.rows.filter(reached).flatMap((r) => [r.mean!, r.lower!, r.upper!]).filter((v) => v > 0);
  const anyUnreached = data.rows.some((r) => !reached(r));
  const lo = finite.length > 0 ? Math.min(...finite) : 1;
  const hi = finite.length > 0 ? Math.max(...finite) : 10;
  const useLog = hi / lo > 10;
  const log = useLog ? logAxis(lo, hi, small ? 5 : 8) : null;
  const linear = linearTicks(hi, 5);
  const finiteTop = log ? log.domain[1] : linear[linear.length - 1]!;
  const bottom = log ? log.domain[0] : 0;
  // The "not reached" line sits 18 px above the finite axis (inner heights: 228 px in one panel, 96 px in a facet).
  const inner = small ? 96 : 228;
  const top = anyUnreached ? finiteTop + ((finiteTop - bottom) * 18) / (inner - 18) : finiteTop;
  const yOf = (v: number): number => (log ? Math.log10(Math.max(v, 10 ** bottom)) : v);
  const yTicks = [...(log ? log.ticks : linear), ...(anyUnreached ? [top] : [])];
  const yLabel = (v: number): string => (anyUnreached && Math.abs(v - top) < 1e-9 ? NOT_REACHED_LABEL : log ? log.tickFormat(v) : formatNumber(v));
  const y = {
    domain: [bottom, top],
    ticks: yTicks,
    tickFormat: yLabel,
    label: log ? 'latency (ms, log scale)' : 'latency (ms)',
    labelAnchor: 'center' as const,
    grid: true,
  };
  const x = (labelled: boolean) => ({
    label: labelled ? 'offered load (req/s) →' : null,
    grid: true,
    tickFormat: tickCompact,
    inset: 12,
    ...(data.loads.length <= 8 ? { ticks: [...data.loads], domain: [data.loads[0]!, data.loads[data.loads.length - 1]!] } : { nice: true, ticks: 4 }),
  });
  const maxN = Math.max(...data.rows.map((r) => r.n));
  const rowTitle = (r: PercentileRow): string => {
    const at = `${r.configuration}, ${r.percentile} at ${formatRate(r.load)}`;
    const drop = r.dropped > 0 ? `; ${formatPercent(r.dropped)} dropped` : '';
    if (!reached(r)) return `${at}: not reached in ${r.unreached} of ${r.n + r.unreached} replications (the percentile falls among dropped requests)${drop}`;
    const ci = r.n >= 2 ? ` (${formatPercent(data.level, 4)} CI ${formatDuration(r.lower! / 1000)} to ${formatDuration(r.upper! / 1000)}, ${r.n} replications)` : '';
    return `${at}: ${formatDuration(r.mean! / 1000)}${ci}${drop}`;
  };

  /** The marks of latency panels; `fx` places a row in its facet (the percentile, or the configuration's facet). */
  const latencyMarks = (rows: readonly PercentileRow[], fx: (r: PercentileRow) => string | number): Plot.Markish[] => {
    const ok = rows.filter(reached);
    const banded = ok.filter((r) => r.n >= 2);
    const notReached = rows.filter((r) => !reached(r));
    // From the last reached point of a line, a dotted step up to its first "not reached" marker.
    const connectors = notReached.flatMap((r) => {
      const before = ok.filter((o) => o.configuration === r.configuration && o.percentile === r.percentile && o.load < r.load).pop();
      const first = notReached.find((o) => o.configuration === r.configuration && o.percentile === r.percentile) === r;
      return before && first ? [{ ...before, segment: `${r.configuration}\u0000${r.percentile}`, y: yOf(before.mean!) }, { ...r, segment: `${r.configuration}\u0000${r.percentile}`, y: top }] : [];
    });
    const fxOf = { fx };
    return [
      Plot.areaY(banded, {
        ...fxOf,
        x: 'load',
        y1: (r: PercentileRow) => yOf(r.lower!),
        y2: (r: PercentileRow) => yOf(r.upper!),
        z: (r: PercentileRow) => `${r.configuration}\u0000${r.percentile}`,
        fill: colourOf,
        fillOpacity: 0.16,
        title: (r: PercentileRow) => `${r.configuration}, ${r.percentile}: ${formatPercent(data.level, 4)} confidence interval of the mean`,
      }),
      ...styledLines(ok, layout, { ...fxOf, x: 'load', y: (r: PercentileRow) => yOf(r.mean!), z: (r: PercentileRow) => `${r.configuration}\u0000${r.percentile}`, stroke: colourOf, strokeWidth: 1.75, title: (r: PercentileRow) => r.configuration }),
      Plot.line(connectors, { ...fxOf, x: 'load', y: 'y', z: 'segment', stroke: colourOf, strokeWidth: 1.25, strokeDasharray: '1.5,3', title: rowTitle }),
      Plot.dot(ok, { ...fxOf, x: 'load', y: (r: PercentileRow) => yOf(r.mean!), fill: colourOf, r: 2.75, title: rowTitle }),
      Plot.dot(
        ok.filter((r) => r.dropped > 0),
        { ...fxOf, x: 'load', y: (r: PercentileRow) => yOf(r.mean!), stroke: DROP_RING, strokeWidth: 1.5, r: 6, title: rowTitle, ariaDescription: 'points with drops' },
      ),
      Plot.dot(notReached, { ...fxOf, x: 'load', y: () => top, stroke: colourOf, fill: 'white', strokeWidth: 1.75, r: 4.5, title: rowTitle, ariaDescription: 'not reached' }),
    ];
  };

  const dropTitle = (r: DropRow): string =>
    `${r.configuration} at ${formatRate(r.load)}: ${formatPercent(r.mean)} dropped` +
    (r.n >= 2 ? ` (${formatPercent(data.level, 4)} CI ${formatPercent(r.lower)} to ${formatPercent(r.upper)}, ${r.n} replications)` : '');
  const anyDrops = data.drops.some((d) => d.mean > 0);
  const dropTicks = linearTicks(Math.max(0.001, ...data.drops.map((d) => d.upper)), 3);
  const dropY = {
    domain: [0, dropTicks[dropTicks.length - 1]!],
    ticks: dropTicks,
    tickFormat: (v: number) => formatPercent(v),
    label: '↑ dropped',
    grid: true,
  };
  const dropMarks = (rows: readonly DropRow[], fx: ((r: DropRow) => number) | null): Plot.Markish[] => {
    const fxOf = fx ? { fx } : {};
    return [
      Plot.ruleY([0], { ariaDescription: 'baseline' }),
      Plot.ruleX(rows.filter((r) => r.n >= 2 && r.upper > r.lower), { ...fxOf, x: 'load', y1: 'lower', y2: 'upper', stroke: colourOf, strokeWidth: 1.5, strokeOpacity: 0.5, title: dropTitle }),
      ...styledLines(rows, layout, { ...fxOf, x: 'load', y: 'mean', stroke: colourOf, strokeWidth: 1.75, title: (r: DropRow) => r.configuration }),
      Plot.dot(rows, { ...fxOf, x: 'load', y: 'mean', fill: colourOf, r: 2.75, title: dropTitle }),
    ];
  };

  let panels: Panel[];
  const marginLeft = anyUnreached ? 84 : 66;
  if (!small) {
    panels = [
      {
        plot: {
          height: 300,
          marginLeft,
          marginRight: 16,
          marginBottom: 44,
          marginTop: 28,
          fx: { domain: [...PERCENTILES], label: null, padding: 0.14 },
          x: x(true),
          y,
          color,
          marks: [Plot.frame({ stroke: '#dddddd' }), ...latencyMarks(data.rows.filter((r) => shown.has(r.configuration)), (r) => r.percentile)],
        },
      },
    ];
    if (anyDrops) {
      panels.push({
        title: 'Dropped requests (share of offered requests that never finished)',
        plot: { height: 184, marginLeft, marginRight: 16, marginBottom: 44, marginTop: 28, x: x(true), y: dropY, color, marks: dropMarks(data.drops, null) },
      });
    }
  } else {
    const facetOf = (c: string): string => layout.style(c).facet;
    panels = PERCENTILES.flatMap((p) =>
      facetPanels(facets, 5, {
        marginLeft,
        marginRight: 16,
        title: `${p} latency (ms${log ? ', log scale' : ''})`,
        build: (row) => {
          const here = data.rows.filter((r) => r.percentile === p && row.facets.includes(facetOf(r.configuration)));
          return {
            height: 118 + (row.last ? 18 : 0),
            marginBottom: row.last ? 40 : 22,
            x: x(row.last && p === 'p99' && !anyDrops),
            y: { ...y, label: null },
            color,
            marks: latencyMarks(here, (r) => row.column(facetOf(r.configuration))),
          };
        },
      }),
    );
    if (anyDrops) {
      panels.push(
        ...facetPanels(facets, 5, {
          marginLeft,
          marginRight: 16,
          title: 'Dropped requests (share of offered requests that never finished)',
          build: (row) => ({
            height: 100 + (row.last ? 20 : 0),
            marginBottom: row.last ? 40 : 22,
            x: x(row.last),
            y: { ...dropY, label: null },
            color,
            marks: dropMarks(
              data.drops.filter((d) => row.facets.includes(facetOf(d.configuration))),
              (d) => row.column(facetOf(d.configuration)),
            ),
          }),
        }),
      );
    }
  }

  const notes: string[] = [];
  if (maxN < 2) notes.push('No confidence band: one replication per point.');
  if (data.loadSource === 'measured') notes.push('Load axis: the measured offered load (requests generated per second of the measurement window, mean over replications).');
  if (anyUnreached) {
    const which = [...new Set(data.rows.filter((r) => !reached(r)).map((r) => `${r.configuration} ${r.percentile} at ${formatCompact(r.load)}/s`))];
    notes.push(`Not reached (more requests dropped than the percentile leaves out, in some replication): ${which.join('; ')}.`);
  }
  if (!anyDrops) notes.push('No request was dropped at any load.');
  if (small) notes.push(`One panel per ${layout.facetFactors.join(' × ')}, colour by ${layout.colourFactor}; every panel has the same axes.`);
  const legend: LegendItem[] = [...layoutLegend(layout, shown)];
  if (data.rows.some((r) => r.dropped > 0 && reached(r))) legend.push({ label: 'requests dropped at this point', colour: DROP_RING, mark: 'ring' });
  if (anyUnreached) legend.push({ label: 'not reached (among the dropped requests)', colour: '#555555', mark: 'ring' });
  if (maxN >= 2) legend.push({ label: `${formatPercent(data.level, 4)} confidence interval`, colour: '#888888', mark: 'band' });
  return {
    id: PERCENTILES_LOAD_ID,
    title: TITLE,
    description:
      'Median (p50), p90 and p99 latency as the offered load grows, one line per configuration, and the share of ' +
      'requests dropped. Where a line bends upwards, requests start to queue: the configuration is near its capacity. ' +
      'A dropped request never finished, so it counts as slower than any latency: a percentile that falls among the ' +
      'dropped requests is “not reached” (the open marker on the top line), and a point where requests were dropped is ' +
      'ringed. ' +
      (maxN >= 2
        ? `Each dot is the mean over replications; the shaded band is its ${formatPercent(data.level, 4)} confidence interval ` +
          '(non-overlapping bands: a real difference; for a sharper test see the paired comparison).'
        : ''),
    notes,
    legend,
    panels,
    data: {
      header: ['configuration', 'percentile', 'offered_load_per_s', 'measured_load_per_s', 'mean_ms', 'ci_lower_ms', 'ci_upper_ms', 'replications', 'not_reached_in', 'dropped_fraction'],
      rows: data.rows.map((r) => [
        r.configuration,
        r.percentile,
        r.load,
        r.measured,
        reached(r) ? r.mean : null,
        reached(r) && r.n >= 2 ? r.lower : null,
        reached(r) && r.n >= 2 ? r.upper : null,
        r.n + r.unreached,
        r.unreached,
        round(r.dropped),
      ]),
    },
  };
}

