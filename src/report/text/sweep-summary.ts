/**
 * A sweep summary as text for the terminal: one row per point (mean ± CI half-width of each metric),
 * the paired differences, and the SLO answer. summary.json / summary.csv hold the full figures.
 */
import { formatDifference, formatHalfWidth, formatValue as formatIn } from './format.js';
import type { DifferenceStats, MetricStats, Summary } from '../../experiment/aggregate.js';
import type { MetricUnit } from '../../experiment/metrics.js';
import { PLAIN, type Paint } from './paint.js';

/** A value in its unit, through the report's formatters: `5.14 ms`, `40.7 %`, `$0.05`, `1,234`. */
export function formatValue(x: number | null, unit: MetricUnit): string {
  return formatIn(x, unit);
}

/** A half-width below 1e-9 of the value it qualifies is rounding noise: shown as 0. */
function clean(hw: number, of: number): number {
  return Math.abs(hw) <= 1e-9 * Math.abs(of) ? 0 : hw;
}

function withCi(s: Pick<MetricStats, 'mean' | 'halfWidth'>, unit: MetricUnit): string {
  if (s.mean === null) return '-';
  const m = formatValue(s.mean, unit);
  return s.halfWidth === null ? m : `${m} ± ${formatHalfWidth(clean(s.halfWidth, s.mean), unit, true)}`;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

export interface SummaryTextOptions {
  /** Points shown at most (the rest is in summary.csv). */
  readonly maxPoints?: number;
  readonly maxDifferences?: number;
  /** Colours for failed runs and missed objectives (a terminal); default none. */
  readonly paint?: Paint;
}

/**
 * Paints the marks of a laid-out table (single characters, so columns stay aligned): ✗ (a failed run, an
 * objective the mean misses) bad, ✓ (met with the whole CI) good, ~ (met by the mean only) warn.
 */
function paintMarks(text: string, paint: Paint): string {
  if (!paint.enabled) return text;
  return text.replace(/✗|✓|~(?=\s|$)|none meets it/gm, (m) => (m === '✓' ? paint.good(m) : m === '~' ? paint.warn(m) : paint.bad(m)));
}

export function renderSweepSummary(summary: Summary, opts: SummaryTextOptions = {}): string {
  const maxPoints = opts.maxPoints ?? 40;
  const maxDiffs = opts.maxDifferences ?? 16;
  const paint = opts.paint ?? PLAIN;
  const factors = summary.factors.map((f) => f.name);
  const level = Math.round(summary.experiment.confidence * 1000) / 10;
  const out: string[] = [];
  out.push(`${summary.experiment.name}: ${summary.points.length} point${summary.points.length === 1 ? '' : 's'}, ${summary.runs.ok} runs ok${summary.runs.failed ? `, ${summary.runs.failed} failed` : ''}; mean ± ${level}% CI half-width${summary.metrics.some((m) => m.unit === 'fraction') ? ' (of shares in percentage points, pp)' : ''}`);
  // Cost per month, when some configuration costs something and no metric shows it already.
  const showCost = !summary.metrics.some((m) => m.name.startsWith('cost.')) && summary.points.some((p) => (p.cost?.perMonth.mean ?? 0) > 0);
  const head = [...factors, 'runs', ...summary.metrics.map((m) => m.name), ...(showCost ? ['cost/month'] : [])];
  const rows: string[][] = [head];
  for (const p of summary.points.slice(0, maxPoints)) {
    const runs = `${p.ok}${p.failed ? `+${p.failed}✗` : ''}${p.precisionMet === false ? '!' : ''}`;
    const cost = showCost ? [p.cost ? withCi(p.cost.perMonth, 'cost') : '-'] : [];
    rows.push([...factors.map((f) => String(p.params[f])), runs, ...summary.metrics.map((m) => withCi(p.metrics[m.name]!, m.unit)), ...cost]);
  }
  out.push(paintMarks(table(rows), paint));
  // A latency percentile of completed requests says nothing of the requests that never finished.
  const names = summary.metrics.map((m) => m.name);
  if (names.some((n) => /^latency\.p\d+$/.test(n)) && !names.includes('dropFraction')) {
    out.push('latency.pXX: completed requests only; add dropFraction (or latencyWithDrops.pXX) to the metrics to see the requests dropped');
  }
  if (summary.points.length > maxPoints) out.push(`... and ${summary.points.length - maxPoints} more points (summary.csv)`);
  if (summary.experiment.precision && summary.points.some((p) => p.precisionMet === false)) {
    out.push(`! precision target (±${summary.experiment.precision.relative * 100}% on ${summary.experiment.precision.metric}) not reached within ${summary.experiment.precision.maxReplications} replications`);
  }

  if (summary.differences.length > 0) {
    out.push('');
    out.push('paired differences (to − from, same seeds per replication; * = the CI excludes 0; pp = percentage points):');
    const units = new Map(summary.metrics.map((m) => [m.name, m.unit]));
    const diffText = (d: DifferenceStats, unit: MetricUnit): string => {
      if (d.mean === null) return '-';
      const hw = d.halfWidth === null ? '' : ` ± ${formatHalfWidth(clean(d.halfWidth, d.mean), unit, true)}`;
      return `${formatDifference(d.mean, unit)}${hw}${d.significant ? '*' : ''}`;
    };
    // An even share of the lines for each parameter, so every parameter's comparisons show.
    const perFactor = Math.max(1, Math.ceil(maxDiffs / Math.max(1, summary.factors.length)));
    const drows: string[][] = [];
    let hidden = 0;
    for (const f of summary.factors) {
      const mine = summary.differences.filter((d) => d.factor === f.name);
      for (const d of mine.slice(0, perFactor)) {
        const fixed = Object.entries(d.fixed).map(([k, v]) => `${k}=${String(v)}`).join(', ');
        drows.push([`${d.factor} ${String(d.from.level)} → ${String(d.to.level)}`, fixed ? `(${fixed})` : '', ...summary.metrics.map((m) => `${m.name} ${diffText(d.metrics[m.name]!, units.get(m.name)!)}`)]);
      }
      hidden += Math.max(0, mine.length - perFactor);
    }
    out.push(table(drows));
    if (hidden > 0) out.push(`... and ${hidden} more comparisons (differences.csv)`);
  }

  if (summary.slo) {
    const s = summary.slo;
    const unit = summary.metrics.find((m) => m.name === s.metric)?.unit ?? 'ratio';
    out.push('');
    out.push(`SLO ${s.metric} ${s.max !== null ? '<=' : '>='} ${s.bound}: the fewest ${s.fewest} that meets it, by the mean and by the whole CI`);
    const srows: string[][] = [];
    for (const g of s.groups) {
      const fixed = Object.entries(g.fixed).map(([k, v]) => `${k}=${String(v)}`).join(', ') || 'all';
      const trail = g.levels.map((r) => `${String(r.level)}:${formatValue(r.mean, unit)}${r.confident ? '✓' : r.meets ? '~' : '✗'}`).join(' ');
      const answer = g.fewest === null ? 'none meets it' : `${s.fewest} ${String(g.fewest)}`;
      const safe = g.fewestConfident === null ? 'none with the whole CI' : `${String(g.fewestConfident)} with the whole CI`;
      srows.push([fixed, `→ ${answer} (${safe})`, trail]);
    }
    out.push(paintMarks(table(srows), paint));
    out.push('(✓ the CI meets it, ~ only the mean does, ✗ the mean does not)');
  }
  return out.join('\n');
}
