/**
 * Percentiles against offered load: p50, p90 and p99 latency (one panel each) against the offered load,
 * one line per configuration, with the confidence band of the mean over replications. The
 * capacity-planning chart: where the lines bend up is where queueing starts.
 */
import * as Plot from '@observablehq/plot';
import { parseRate } from '../../engine/units.js';
import { compactNumber, formatPercent, ms, round } from '../data/format.js';
import { logAxis } from '../data/log-scale.js';
import { levelOf, pointLoad, replicationInterval } from '../data/runs.js';
import type { ReportInput, ReportPoint, RunSample } from '../inputs.js';
import type { ChartOutcome } from './chart.js';
import { seriesLegend, seriesLines } from './series.js';

export const PERCENTILES_LOAD_ID = 'percentiles-vs-load';
const TITLE = 'Latency percentiles against offered load';

export const PERCENTILES = ['p50', 'p90', 'p99'] as const;
export type PercentileName = (typeof PERCENTILES)[number];

export interface PercentileRow {
  readonly configuration: string;
  readonly percentile: PercentileName;
  /** Offered load, requests per second. */
  readonly load: number;
  /** Mean over replications and its confidence interval, milliseconds (bounds = mean when n = 1). */
  readonly mean: number;
  readonly lower: number;
  readonly upper: number;
  readonly n: number;
}

export interface PercentilesLoadData {
  readonly rows: readonly PercentileRow[];
  readonly level: number;
  /** Where the load axis comes from: measured offered load, or the load parameter's values. */
  readonly loadSource: 'measured' | 'parameter';
}

/** The percentile of one run: from its full result, else from the sweep's metrics (`latency.p99`). */
function percentileOf(run: RunSample, p: PercentileName): number | null {
  if (run.result) return run.result.latency[p];
  return run.metrics[`latency.${p}`] ?? null;
}

/** The load of a point: measured offered load when results are kept, else the load parameter's value. */
function loadOf(input: ReportInput, point: ReportPoint): { load: number | null; measured: boolean } {
  const measured = pointLoad(point);
  if (measured !== null) return { load: measured, measured: true };
  const value = point.parameters.find((p) => p.name === input.loadParameter)?.value;
  if (typeof value === 'number') return { load: value, measured: false };
  if (typeof value === 'string') {
    try {
      return { load: parseRate(value), measured: false };
    } catch {
      return { load: null, measured: false };
    }
  }
  return { load: null, measured: false };
}

/** Data transform: one row per configuration × load point × percentile, in load order. */
export function percentilesLoadData(input: ReportInput): PercentilesLoadData {
  const level = levelOf(input);
  const rows: PercentileRow[] = [];
  let allMeasured = true;
  for (const configuration of input.configurations) {
    const points = input.points
      .filter((p) => p.configuration === configuration)
      .map((p) => ({ point: p, ...loadOf(input, p) }))
      .filter((p): p is { point: ReportPoint; load: number; measured: boolean } => p.load !== null)
      .sort((a, b) => a.load - b.load);
    for (const { point, load, measured } of points) {
      allMeasured &&= measured;
      for (const p of PERCENTILES) {
        const ci = replicationInterval(point.runs.map((r) => percentileOf(r, p)), level);
        if (ci === null) continue;
        rows.push({
          configuration,
          percentile: p,
          load: round(load),
          mean: round(ms(ci.mean)),
          lower: round(ms(ci.lower)),
          upper: round(ms(ci.upper)),
          n: ci.n,
        });
      }
    }
  }
  return { rows, level, loadSource: allMeasured ? 'measured' : 'parameter' };
}

/** Mark spec: three facets (p50, p90, p99), lines and dots per configuration, CI bands. */
export function percentilesLoadChart(data: PercentilesLoadData, colours: ReadonlyMap<string, string>): ChartOutcome {
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
  const configurations = [...loadsPerConfiguration.keys()];
  const color = { domain: configurations, range: configurations.map((c) => colours.get(c) ?? '#888888') };
  const positive = data.rows.flatMap((r) => [r.mean, r.lower, r.upper]).filter((v) => v > 0);
  const lo = Math.min(...positive);
  const hi = Math.max(...positive);
  const useLog = hi / lo > 10;
  const axis = useLog ? logAxis(lo, hi, 8) : null;
  const floorValue = axis ? 10 ** axis.domain[0] : 0;
  const yOf = (v: number): number => (axis ? axis.at(Math.max(v, floorValue)) : v);
  const banded = data.rows.filter((r) => r.n >= 2 && Number.isFinite(r.lower) && Number.isFinite(r.upper));
  const maxN = Math.max(...data.rows.map((r) => r.n));
  const notes: string[] = [];
  if (maxN < 2) notes.push('No confidence band: one replication per point.');
  if (data.loadSource === 'parameter') notes.push('Load axis: the load parameter’s values (the sweep did not keep full results).');
  const y = axis
    ? { domain: axis.domain, ticks: axis.ticks, tickFormat: axis.tickFormat, label: 'latency (ms, log scale)', labelAnchor: 'center' as const, grid: true }
    : { label: 'latency (ms)', labelAnchor: 'center' as const, grid: true, zero: true };
  return {
    id: PERCENTILES_LOAD_ID,
    title: TITLE,
    description:
      'Median (p50), p90 and p99 latency as the offered load grows, one line per configuration. Where a line ' +
      'bends upwards, requests start to queue: the configuration is near its capacity. ' +
      (maxN >= 2
        ? `Each dot is the mean over replications; the shaded band is its ${formatPercent(data.level, 4)} confidence interval ` +
          '(non-overlapping bands: a real difference; for a sharper test see the paired comparison).'
        : ''),
    notes,
    legend: seriesLegend(configurations, colours),
    panels: [
      {
        plot: {
          height: 320,
          marginLeft: 66,
          marginRight: 16,
          marginBottom: 44,
          marginTop: 28,
          fx: { domain: [...PERCENTILES], label: null, padding: 0.14 },
          x: { label: 'offered load (req/s) →', grid: true, ticks: 4, tickFormat: compactNumber, inset: 12 },
          y,
          color,
          marks: [
            Plot.frame({ stroke: '#dddddd' }),
            Plot.areaY(banded, {
              fx: 'percentile',
              x: 'load',
              y1: (r: PercentileRow) => yOf(r.lower),
              y2: (r: PercentileRow) => yOf(r.upper),
              z: 'configuration',
              fill: 'configuration',
              fillOpacity: 0.18,
            }),
            ...seriesLines(
              data.rows,
              { fx: 'percentile', x: 'load', y: (r: PercentileRow) => yOf(r.mean), z: 'configuration', stroke: 'configuration', strokeWidth: 1.75 },
              configurations,
            ),
            Plot.dot(data.rows, { fx: 'percentile', x: 'load', y: (r: PercentileRow) => yOf(r.mean), fill: 'configuration', r: 2.5 }),
          ],
        },
      },
    ],
    data: {
      header: ['configuration', 'percentile', 'offered_load_per_s', 'mean_ms', 'ci_lower_ms', 'ci_upper_ms', 'replications'],
      rows: data.rows.map((r) => [r.configuration, r.percentile, r.load, r.mean, r.n >= 2 ? r.lower : null, r.n >= 2 ? r.upper : null, r.n]),
    },
  };
}
