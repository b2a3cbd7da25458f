/**
 * Comparison: the paired differences between configurations that the sweep computed (summary.json), one
 * panel per metric, each difference a dot with its confidence interval and zero marked. Replication r of
 * every point ran with the same seed (common random numbers), so these intervals are much tighter than
 * the overlap of two separate ones.
 */
import * as Plot from '@observablehq/plot';
import type { Layout } from '../data/layout.js';
import { axisCap } from '../data/outliers.js';
import { formatDifference, formatNumber, formatPercent, round } from '../format.js';
import { levelOf } from '../data/runs.js';
import type { ReportInput } from '../inputs.js';
import { fitText, textWidth } from '../render/text-width.js';
import { FONT_SIZE } from '../render/theme.js';
import type { ChartOutcome, LegendItem } from './chart.js';

export const COMPARISON_ID = 'comparison';
const TITLE = 'Paired comparison of configurations';
/** Panels drawn at most (one per metric), and rows per panel; the CSV has everything. */
export const MAX_METRICS = 6;
export const MAX_ROWS = 24;
const SIGNIFICANT = '#b2182b';
const NOT_SIGNIFICANT = '#8c8c8c';

/** How a metric unit is shown: the factor applied to differences and the axis label. */
export function displayUnit(unit: string): { factor: number; label: string } {
  switch (unit) {
    case 's':
      return { factor: 1000, label: 'ms' };
    case 'fraction':
      return { factor: 100, label: 'percentage points' };
    case '/s':
      return { factor: 1, label: 'req/s' };
    // Stryker disable next-line StringLiteral: without this case 'bytes' takes the default, which is the same { factor: 1, label: 'bytes' }
    case 'bytes':
      return { factor: 1, label: 'bytes' };
    // Stryker disable next-line StringLiteral: without this case 'cost' takes the default, which is the same { factor: 1, label: 'cost' }
    case 'cost':
      return { factor: 1, label: 'cost' };
    // Stryker disable next-line StringLiteral,ConditionalExpression: without this case 'count' takes the default, which is the same { factor: 1, label: 'count' }
    case 'count':
      return { factor: 1, label: 'count' };
    default:
      return { factor: 1, label: unit === 'ratio' ? 'ratio' : unit };
  }
}

export interface ComparisonRow {
  readonly metric: string;
  /** Display unit (ms, percentage points, ...). */
  readonly unit: string;
  /** The metric's unit as the sweep names it (`s`, `fraction`, ...). */
  readonly metricUnit: string;
  /** The parameter that differs. */
  readonly factor: string;
  /** `factor: to − from` */
  readonly comparison: string;
  /** Other parameters, shared by both points (`load=600/s`). */
  readonly context: string;
  /** `comparison · context`: the row's label. */
  readonly label: string;
  /** The configurations compared (the points' configurations; '' when not found). */
  readonly fromConfiguration: string;
  readonly toConfiguration: string;
  readonly mean: number;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly n: number;
  readonly significant: boolean;
}

export interface ComparisonData {
  readonly rows: readonly ComparisonRow[];
  readonly metrics: readonly string[];
  readonly level: number;
}

/** Data transform: the sweep's differences in display units, one row per pair and metric. */
export function comparisonData(input: ReportInput): ComparisonData {
  const rows: ComparisonRow[] = [];
  for (const d of input.differences) {
    if (d.mean === null) continue;
    const { factor, label: unit } = displayUnit(d.unit);
    const comparison = `${d.factor}: ${d.to} − ${d.from}`;
    const context = d.fixed.map((p) => `${p.name}=${String(p.value)}`).join(', ');
    const configurationAt = (level: string): string =>
      input.points.find(
        (p) =>
          String(p.parameters.find((x) => x.name === d.factor)?.value) === level &&
          d.fixed.every((f) => String(p.parameters.find((x) => x.name === f.name)?.value) === String(f.value)),
      )?.configuration ?? '';
    rows.push({
      metric: d.metric,
      unit,
      metricUnit: d.unit,
      factor: d.factor,
      comparison,
      context,
      label: context ? `${comparison} · ${context}` : comparison,
      fromConfiguration: configurationAt(d.from),
      toConfiguration: configurationAt(d.to),
      mean: round(d.mean * factor),
      lower: scale(d.lower, factor),
      upper: scale(d.upper, factor),
      n: d.n,
      significant: d.significant,
    });
  }
  return { rows, metrics: [...new Set(rows.map((r) => r.metric))], level: levelOf(input) };
}

function scale(x: number | null, factor: number): number | null {
  return x === null || !Number.isFinite(x) ? null : round(x * factor);
}

/** A difference in display units (ms, percentage points, ...) as text, signed, with its unit. */
function differenceText(x: number, r: Pick<ComparisonRow, 'metricUnit'>): string {
  const { factor } = displayUnit(r.metricUnit);
  return formatDifference(x / factor, r.metricUnit);
}

/** Mark spec: one panel per metric; dot = mean difference, bar = CI, red when the CI excludes zero. */
export function comparisonChart(data: ComparisonData, input: Pick<ReportInput, 'kind'>, layout?: Layout): ChartOutcome {
  if (data.rows.length === 0) {
    return {
      id: COMPARISON_ID,
      title: TITLE,
      reason:
        input.kind === 'sweep'
          ? 'the sweep varies no parameter besides the load, so there are no configurations to compare'
          : 'needs a sweep with replications (netsim sweep): paired differences come from its summary',
    };
  }
  const notes: string[] = [];
  // Laid out by factors: the comparisons along the colour factor (the treatment) are drawn, the others are in the CSV.
  let drawn: readonly ComparisonRow[] = data.rows;
  if (layout?.mode === 'factors' && layout.colourFactor !== null) {
    const along = data.rows.filter((r) => r.factor === layout.colourFactor);
    if (along.length > 0) {
      const others = [...new Set(data.rows.filter((r) => r.factor !== layout.colourFactor).map((r) => r.factor))];
      if (others.length > 0) notes.push(`Drawn: the comparisons along ${layout.colourFactor}; those along ${others.join(', ')} are in comparison.csv.`);
      drawn = along;
    }
  }
  const metrics = [...new Set(drawn.map((r) => r.metric))].slice(0, MAX_METRICS);
  if (data.metrics.length > MAX_METRICS) notes.push(`Metrics not drawn (see the CSV): ${data.metrics.slice(MAX_METRICS).join(', ')}.`);
  // Within a panel whose rows all compare the same two values, the comparison goes into the title.
  const rowLabel = (rows: readonly ComparisonRow[]) => {
    const same = new Set(rows.map((r) => r.comparison)).size === 1;
    return (r: ComparisonRow): string => (same && r.context !== '' ? r.context : r.label);
  };
  const maxLabel = 320;
  const allLabels = metrics.flatMap((m) => {
    const rows = drawn.filter((r) => r.metric === m).slice(0, MAX_ROWS);
    return rows.map(rowLabel(rows));
  });
  const marginLeft = Math.ceil(Math.min(maxLabel, Math.max(...allLabels.map((l) => textWidth(l, FONT_SIZE)))) + 14);
  const panels = metrics.map((metric) => {
    const all = drawn.filter((r) => r.metric === metric);
    const rows = all.slice(0, MAX_ROWS);
    if (all.length > rows.length) notes.push(`${metric}: ${all.length - rows.length} more comparisons in the CSV.`);
    const unit = rows[0]!.unit;
    // A few saturated comparisons (hundreds of ms where the rest differ by one) are clipped at the axis' end.
    const extents = rows.map((r) => Math.max(Math.abs(r.mean), Math.abs(r.lower ?? r.mean), Math.abs(r.upper ?? r.mean)));
    const { cap } = axisCap(extents);
    const clip = (v: number): number => (cap === null ? v : Math.max(-cap, Math.min(cap, v)));
    const clippedRows = rows.filter((_, i) => cap !== null && extents[i]! > cap);
    const isClipped = (r: { metric: string; label?: string; full?: string }): boolean => clippedRows.some((c) => c.label === (r.full ?? r.label));
    if (clippedRows.length > 0) {
      notes.push(
        `${metric}: the axis stops at ±${differenceText(cap!, rows[0]!).replace(/^[+\u2212]/, '')} so the others stay readable; beyond it (written at the edge, ▸ ◂): ` +
          clippedRows.map((r) => `${r.label} ${differenceText(r.mean, r)}`).join('; ') +
          '.',
      );
    }
    const xs = rows.flatMap((r) => [clip(r.mean), clip(r.lower ?? r.mean), clip(r.upper ?? r.mean), 0]);
    const pad = (Math.max(...xs) - Math.min(...xs)) * 0.06 || 1;
    const labelOf = rowLabel(rows);
    const labelled = rows.map((r) => ({ ...r, label: labelOf(r), full: r.label }));
    const labels = labelled.map((r) => r.label);
    const shared = new Set(rows.map((r) => r.comparison)).size === 1 && rows[0]!.context !== '' ? `: ${rows[0]!.comparison}` : '';
    const title = (r: ComparisonRow & { full: string }): string =>
      `${r.metric}, ${r.full} (${r.toConfiguration} − ${r.fromConfiguration}): ${differenceText(r.mean, r)}` +
      (r.lower !== null && r.upper !== null ? ` (${formatPercent(data.level, 4)} CI ${differenceText(r.lower, r)} to ${differenceText(r.upper, r)}, ${r.n} pairs)` : '') +
      (r.significant ? ', a real difference' : ', no clear difference');
    const domain = [Math.min(...xs) - pad, Math.max(...xs) + pad];
    return {
      title: `${metric} (${unit})${shared}`,
      plot: {
        height: rows.length * (rows.length > 12 ? 18 : 24) + 50,
        marginLeft,
        marginRight: 24,
        marginTop: 8,
        marginBottom: 40,
        x: {
          domain,
          label: `difference (${unit}) →`,
          grid: true,
          ticks: 6,
          nice: cap === null,
          tickFormat: (v: number) => formatNumber(v, 3),
        },
        y: { domain: labels, label: null, padding: 0.3, axis: null },
        color: { domain: ['yes', 'no'], range: [SIGNIFICANT, NOT_SIGNIFICANT] },
        marks: [
          Plot.axisY({ tickFormat: (l: string) => fitText(l, FONT_SIZE, marginLeft - 12), title: (l: string) => labelled.find((r) => r.label === l)?.full ?? l }),
          Plot.ruleX([0], { stroke: '#333333', title: () => 'no difference (0)' }),
          Plot.ruleY(
            labelled.filter((r) => r.lower !== null && r.upper !== null && !isClipped(r)),
            { y: 'label', x1: (r: ComparisonRow) => clip(r.lower!), x2: (r: ComparisonRow) => clip(r.upper!), stroke: (r: ComparisonRow) => (r.significant ? 'yes' : 'no'), strokeWidth: 2.5, title },
          ),
          Plot.dot(
            labelled.filter((r) => !isClipped(r)),
            { y: 'label', x: (r: ComparisonRow) => clip(r.mean), fill: (r: ComparisonRow) => (r.significant ? 'yes' : 'no'), r: 4.5, title },
          ),
          // Beyond the axis: no dot at a made-up place, but the value written at the edge, pointing out.
          ...([1, -1] as const).map((side) =>
            Plot.text(
              labelled.filter((r) => isClipped(r) && Math.sign(r.mean) === side),
              {
                y: 'label',
                x: () => (side > 0 ? domain[1]! : domain[0]!),
                text: (r: ComparisonRow) => (side > 0 ? `${differenceText(r.mean, r)} ▸` : `◂ ${differenceText(r.mean, r)}`),
                textAnchor: side > 0 ? 'end' : 'start',
                fill: (r: ComparisonRow) => (r.significant ? 'yes' : 'no'),
                fontWeight: 'bold',
                title,
              },
            ),
          ),
        ],
      },
    };
  });
  const legend: LegendItem[] = [
    { label: `${formatPercent(data.level, 4)} CI excludes 0 (a real difference)`, colour: SIGNIFICANT, mark: 'line' },
    { label: 'CI includes 0 (no clear difference)', colour: NOT_SIGNIFICANT, mark: 'line' },
  ];
  return {
    id: COMPARISON_ID,
    title: TITLE,
    description:
      'Each row compares two configurations that differ in one parameter, at the same values of the others: ' +
      'the dot is the mean of the paired differences (to − from) over replications that used the same seeds, ' +
      `the bar its ${formatPercent(data.level, 4)} confidence interval. Right of zero, the metric is larger ` +
      'for the second configuration (for latency: slower). Shares differ in percentage points (pp). Paired intervals are much tighter than comparing ' +
      'two separate confidence intervals, because both runs of a pair saw the same arrivals and service times.',
    notes,
    legend,
    panels,
    data: {
      header: ['metric', 'unit', 'comparison', 'context', 'mean_difference', 'ci_lower', 'ci_upper', 'pairs', 'significant'],
      rows: data.rows.map((r) => [r.metric, r.unit, r.comparison, r.context, r.mean, r.lower, r.upper, r.n, r.significant]),
    },
  };
}
