/**
 * The `search:` section of an experiment file, checked and turned into a {@link SearchSpec}. Problems are
 * reported at their place in the file (inside the objective's text for a bad metric or bound).
 *
 *     search:
 *       parameter: replicas                               # bisect; omit for the grid mode
 *       find: smallest                                    # or largest
 *       objective: latency.p99 <= 50ms and dropped <= 0.1%  # or a list of terms
 *       maxReplications: 20                               # per point (default 4 × replications)
 *       step: 2                                           # added at a time (default: replications)
 *       per: [load]                                       # grid mode: one answer per load
 *       cost: cost.perHour                                # grid mode: what "cheapest" minimises
 *       maxRuns: 300                                      # per search
 *       headroom: node                                    # or zone, none
 *       settleWithin: 15m
 */
import { z } from 'zod';
import { ParseError } from '../../engine/parse-error.js';
import { parseDuration, parseRate } from '../../engine/units.js';
import { splitExpectedFound } from '../../scenario/diagnostics.js';
import { suggest } from '../../scenario/near-miss.js';
import type { Problems } from '../../scenario/problems.js';
import type { Resource } from '../../scenario/resource.js';
import type { FieldPath } from '../../scenario/source-map.js';
import { parseMetric, type MetricSpec } from '../metrics.js';
import type { Factor } from '../plan.js';
import type { ObjectiveTerm, SearchSpec } from './types.js';

export const DEFAULT_SETTLE_WITHIN = 900;
export const DEFAULT_COST_METRIC = 'cost.perHour';

export const searchSchema = z.strictObject({
  parameter: z.string().min(1).optional(),
  find: z.enum(['smallest', 'largest']).optional(),
  objective: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: 'an objective such as "latency.p99 <= 50ms and dropped <= 0.1%", or a list of terms' }),
  maxReplications: z.number().int().min(1).optional(),
  step: z.number().int().min(1).optional(),
  per: z.array(z.string().min(1)).optional(),
  cost: z.string().min(1).optional(),
  maxRuns: z.number().int().min(1).optional(),
  headroom: z.enum(['none', 'node', 'zone']).optional(),
  settleWithin: z.union([z.string(), z.number()]).optional(),
});

export type SearchObject = z.output<typeof searchSchema>;

export interface SearchContext {
  readonly problems: Problems;
  readonly res: Resource;
  readonly factors: readonly Factor[];
  readonly replications: number;
  /** Whether the replications were written (to put a problem with them there). */
  readonly replicationsWritten: boolean;
  /** Adds a metric to the runs' metrics (already checked). */
  readonly addMetric: (metric: MetricSpec) => void;
}

const AT: FieldPath = ['spec', 'search'];

/** `dropped` is dropFraction; a latency percentile is read with drops at +∞. */
export function evaluatedMetric(metric: string): string {
  if (metric === 'dropped') return 'dropFraction';
  const m = /^latency\.(p50|p90|p99|p999)$/.exec(metric);
  return m ? `latencyWithDrops.${m[1]}` : metric;
}

/** The bound's value in the metric's unit; throws ParseError (offsets into `text`) when unreadable. */
export function parseBound(text: string, unit: string): number {
  const t = text.trim();
  if (unit === 's') return parseDuration(t);
  if (unit === '/s') return /\/\s*s$/.test(t) ? parseRate(t) : numberOf(t);
  if (unit === 'fraction') {
    const m = /^([0-9]*\.?[0-9]+(?:e[-+]?\d+)?)\s*(%?)$/i.exec(t);
    if (!m) throw new ParseError(`expected a fraction such as 0.001 or a percentage such as 0.1%, found '${t}'`, 0, Math.max(1, t.length));
    return m[2] ? Number(m[1]) / 100 : Number(m[1]);
  }
  return numberOf(t);
}

function numberOf(t: string): number {
  const n = Number(t.replace(/^\$/, ''));
  if (t === '' || !Number.isFinite(n)) throw new ParseError(`expected a number, found '${t}'`, 0, Math.max(1, t.length));
  return n;
}

const OPS: Record<string, '<=' | '>='> = { '<=': '<=', '<': '<=', '≤': '<=', '>=': '>=', '>': '>=', '≥': '>=' };

/** One term: `METRIC OP BOUND`. Throws ParseError with offsets into `text`. */
export function parseTerm(text: string): { term: ObjectiveTerm; metric: MetricSpec } {
  const op = /(<=|>=|≤|≥|<|>)/.exec(text);
  if (!op) throw new ParseError(`expected METRIC <= BOUND or METRIC >= BOUND (e.g. latency.p99 <= 50ms), found '${text.trim()}'`, 0, Math.max(1, text.length));
  const left = text.slice(0, op.index);
  const right = text.slice(op.index + op[0].length);
  const metricName = left.trim();
  const metricAt = left.indexOf(metricName);
  if (metricName === '') throw new ParseError('expected a metric before the comparison, found nothing', 0, Math.max(1, op.index + 1));
  const evaluate = evaluatedMetric(metricName);
  let metric: MetricSpec;
  try {
    metric = parseMetric(evaluate === 'dropFraction' && metricName === 'dropped' ? 'dropFraction' : metricName);
    if (evaluate !== metricName && evaluate !== 'dropFraction') parseMetric(evaluate);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    throw new ParseError(`${e.message} (an objective names a metric: see docs/experiments.md, "Metrics")`, metricAt + e.offset, e.length);
  }
  const boundText = right.trim();
  const boundAt = op.index + op[0].length + right.indexOf(boundText);
  if (boundText === '') throw new ParseError('expected a bound after the comparison, found nothing', Math.max(0, text.length - 1), 1);
  let bound: number;
  try {
    bound = parseBound(boundText, metric.unit);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    throw new ParseError(e.message, boundAt + e.offset, e.length);
  }
  const term: ObjectiveTerm = {
    text: `${metricName} ${op[0]} ${boundText}`,
    metric: metricName,
    evaluate,
    op: OPS[op[0]]!,
    bound,
    boundText,
    unit: metric.unit,
  };
  return { term, metric };
}

/** Splits `a <= 1 and b <= 2` into its terms with their offsets. */
function splitTerms(text: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  const re = /\s+and\s+|\s*&&\s*/gi;
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push({ text: text.slice(last, m.index), offset: last });
    last = m.index + m[0].length;
  }
  out.push({ text: text.slice(last), offset: last });
  return out;
}

function factorNames(factors: readonly Factor[]): string {
  return factors.length ? factors.map((f) => f.name).join(', ') : 'there are none';
}

/** Checks the section; undefined when it has errors (reported). */
export function readSearch(ctx: SearchContext, s: SearchObject): SearchSpec | undefined {
  const { problems, res, factors } = ctx;
  let bad = false;
  const names = factors.map((f) => f.name);
  const unknown = (at: FieldPath, name: string): void => {
    const hint = suggest(name, names);
    problems.error(res, at, { expected: `a parameter name (${factorNames(factors)})`, found: JSON.stringify(name), ...(hint ? { message: `did you mean "${hint}"?` } : {}) });
    bad = true;
  };

  // The objective.
  const terms: ObjectiveTerm[] = [];
  const texts = typeof s.objective === 'string' ? [{ text: s.objective, at: [...AT, 'objective'] as FieldPath }] : s.objective.map((t, i) => ({ text: t, at: [...AT, 'objective', i] as FieldPath }));
  for (const { text, at } of texts) {
    for (const part of splitTerms(text)) {
      try {
        const { term, metric } = parseTerm(part.text);
        ctx.addMetric(metric);
        if (term.evaluate !== metric.name) ctx.addMetric(parseMetric(term.evaluate));
        terms.push(term);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        problems.at('error', res, at, splitExpectedFound(e.message), { inner: { offset: part.offset + e.offset, length: e.length } });
        bad = true;
      }
    }
  }

  // Mode and parameters.
  const mode = s.parameter !== undefined ? 'bisect' : 'grid';
  if (s.parameter !== undefined) {
    const f = factors.find((x) => x.name === s.parameter);
    if (!f) unknown([...AT, 'parameter'], s.parameter);
    else if (f.levels.length < 2) {
      problems.error(res, [...AT, 'parameter'], { expected: 'a parameter with at least two values to search', found: `${f.levels.length} value` });
      bad = true;
    }
    if (s.per !== undefined) {
      problems.error(res, [...AT, 'per'], { message: 'per is for the grid mode (no parameter:); a bisection searches its parameter once for every combination of the others' }, { key: true });
      bad = true;
    }
  } else if (factors.length === 0) {
    problems.error(res, AT, { expected: 'parameters to search (spec.parameters), and search.parameter for a bisection', found: 'no parameter' });
    bad = true;
  }
  if (s.find !== undefined && mode === 'grid') {
    problems.error(res, [...AT, 'find'], { message: 'find is for a bisection (search.parameter); the grid mode finds the cheapest point' }, { key: true });
    bad = true;
  }
  const per = s.per ?? [];
  per.forEach((p, i) => {
    if (!names.includes(p)) unknown([...AT, 'per', i], p);
  });
  if (mode === 'grid' && per.length > 0 && factors.every((f) => per.includes(f.name))) {
    problems.error(res, [...AT, 'per'], { message: 'every parameter is in per: nothing is left to choose from' });
    bad = true;
  }

  // Replications.
  if (ctx.replications < 2) {
    problems.error(res, ctx.replicationsWritten ? ['spec', 'replications'] : AT, { expected: 'at least 2 replications to start each point with (a confidence interval needs two)', found: String(ctx.replications) });
    bad = true;
  }
  const maxReplications = s.maxReplications ?? 4 * ctx.replications;
  if (maxReplications < ctx.replications) {
    problems.error(res, [...AT, 'maxReplications'], { expected: `at least replications (${ctx.replications})`, found: String(maxReplications) });
    bad = true;
  }

  // Cost (grid).
  const cost = s.cost ?? DEFAULT_COST_METRIC;
  if (s.cost !== undefined && mode === 'bisect') {
    problems.error(res, [...AT, 'cost'], { message: 'cost is for the grid mode (no parameter:); a bisection reports the cost of what it finds' }, { key: true });
    bad = true;
  }
  if (mode === 'grid') {
    try {
      ctx.addMetric(parseMetric(cost));
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      problems.at('error', res, [...AT, 'cost'], splitExpectedFound(e.message), { inner: { offset: e.offset, length: e.length } });
      bad = true;
    }
  }

  let settleWithin = DEFAULT_SETTLE_WITHIN;
  if (s.settleWithin !== undefined) {
    try {
      settleWithin = typeof s.settleWithin === 'number' ? s.settleWithin : parseDuration(s.settleWithin);
      if (!(settleWithin > 0)) throw new ParseError(`expected a duration above 0, found ${String(s.settleWithin)}`, 0, 1);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      problems.at('error', res, [...AT, 'settleWithin'], splitExpectedFound(e.message), { inner: { offset: e.offset, length: e.length } });
      bad = true;
    }
  }
  if (bad) return undefined;
  return {
    mode,
    parameter: s.parameter ?? null,
    find: s.find ?? 'smallest',
    objective: terms,
    maxReplications,
    step: s.step ?? ctx.replications,
    per: mode === 'bisect' ? names.filter((n) => n !== s.parameter) : per,
    cost,
    maxRuns: s.maxRuns ?? null,
    headroom: s.headroom ?? 'none',
    settleWithin,
  };
}
