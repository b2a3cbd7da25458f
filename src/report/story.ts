/**
 * "What this shows": a few sentences computed from the results, at the top of the page, so a reader gets
 * the answer before the charts: who drops requests and how many, whose p99 is what, where a configuration
 * starts to drop. Dropped requests come first because they change the reading of every latency figure.
 * Pure: the same input gives the same sentences.
 */
import { percentileOf } from './charts/percentiles-load.js';
import { droppedShare, meanOf, resultsOf } from './data/runs.js';
import { parseRate } from '../engine/units.js';
import { formatDuration, formatPercent, formatQuantile } from './format.js';
import { answerSentence } from './text/plan-answer.js';
import type { ReportInput, ReportPoint } from './inputs.js';

/** Drops below this share are not worth a sentence (they show in the tables). */
const NOTABLE_DROPS = 0.001;
/** Configurations named in one sentence at most. */
const NAMED = 3;

interface PointFigures {
  readonly configuration: string;
  readonly point: ReportPoint;
  readonly load: string | null;
  /** Mean share of measured requests dropped (or in flight at the end). */
  readonly dropped: number | null;
  /** Mean p50 / p99 over replications with dropped requests counted (+∞ when some replication did not reach it). */
  readonly p50: number | null;
  readonly p99: number | null;
  readonly secondHop: number | null;
}


/** The mean over replications; +∞ when any replication's value is (a percentile not reached). */
function meanOrInfinite(values: readonly (number | null)[]): number | null {
  if (values.some((v) => v === Infinity)) return Infinity;
  return meanOf(values);
}

function figures(input: ReportInput, point: ReportPoint): PointFigures {
  const load = input.loadParameter === null ? null : String(point.parameters.find((p) => p.name === input.loadParameter)?.value ?? '');
  const results = resultsOf(point);
  return {
    configuration: point.configuration,
    point,
    load,
    dropped: meanOf(point.runs.map(droppedShare)),
    p50: meanOrInfinite(point.runs.map((r) => percentileOf(r, 'p50'))),
    p99: meanOrInfinite(point.runs.map((r) => percentileOf(r, 'p99'))),
    secondHop: meanOf(results.map((r) => r.paths.secondHopFraction)),
  };
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** p99 as a phrase: `is 21.9 ms`, or `is not reached` (it falls among the dropped requests). */
function p99Phrase(f: PointFigures): string {
  if (f.p99 === null) return 'has no p99';
  return f.p99 === Infinity ? 'p99 is not reached (more than 1 % of requests never finished)' : `p99 is ${formatDuration(f.p99)}`;
}

/** The sentences for an input (empty when there is nothing to say). */
export function storyOf(input: ReportInput): string[] {
  const out: string[] = [];
  if (input.plan) {
    const first = input.plan.answers.map((a) => answerSentence(input.plan!, a)).filter(Boolean);
    if (first.length > 0) out.push(first[0]!);
  }
  const all = input.points.map((p) => figures(input, p));
  if (all.length === 0) return out;

  // The situation: each configuration at its highest load (for a sweep over load), else its only point.
  const numericLoad = (f: PointFigures): number => {
    const v = f.point.parameters.find((p) => p.name === input.loadParameter)?.value;
    if (typeof v === 'number') return v;
    try {
      return parseRate(String(v));
    } catch {
      return 0;
    }
  };
  const top = new Map<string, PointFigures>();
  for (const f of all) {
    const best = top.get(f.configuration);
    if (!best || (input.loadParameter !== null && numericLoad(f) > numericLoad(best))) top.set(f.configuration, f);
  }
  const tops = input.configurations.map((c) => top.get(c)).filter((f): f is PointFigures => f !== undefined);
  const loads = [...new Set(tops.map((f) => f.load))];
  const at = input.loadParameter !== null && loads.length === 1 && loads[0] ? `At ${loads[0]}, ` : input.loadParameter !== null ? 'At each configuration’s highest load, ' : '';
  const name = (f: PointFigures): string => (tops.length === 1 && input.kind === 'run' ? 'the run' : f.configuration);

  const dropping = tops.filter((f) => (f.dropped ?? 0) >= NOTABLE_DROPS).sort((a, b) => (b.dropped ?? 0) - (a.dropped ?? 0));
  const clean = tops.filter((f) => (f.dropped ?? 0) < NOTABLE_DROPS && f.p99 !== null && Number.isFinite(f.p99)).sort((a, b) => a.p99! - b.p99!);
  if (dropping.length > 0) {
    const named = dropping.slice(0, NAMED).map((f) => `${name(f)} loses ${formatPercent(f.dropped)} of requests`);
    const more = dropping.length > NAMED ? ` (${dropping.length} of ${tops.length} configurations drop requests)` : '';
    const p99 = dropping.length === 1 ? `; its ${p99Phrase(dropping[0]!)}` : '';
    out.push(`${at}${list(named)}${more}${p99}.`);
  } else if (tops.length > 1) {
    out.push(at ? `${at}no configuration drops requests.` : 'No configuration drops requests.');
  }
  if (tops.length === 1) {
    const f = tops[0]!;
    const who = input.kind === 'run' ? 'the run' : f.configuration;
    const lead = at ? `${at}${who}` : who.charAt(0).toUpperCase() + who.slice(1);
    if (dropping.length === 0 && f.p99 !== null) out.push(`${lead}’s p50 is ${formatQuantile(f.p50)} and its p99 ${formatQuantile(f.p99)}, with nothing dropped.`);
  } else if (clean.length > 0 && clean.length <= 2) {
    const none = clean.every((f) => (f.dropped ?? 0) === 0);
    out.push(`${clean.map((f) => `${f.configuration}’s p99 is ${formatDuration(f.p99!)}`).join('; ')}${dropping.length > 0 ? (none ? ', with nothing dropped' : ', with (almost) nothing dropped') : ''}.`);
  } else if (clean.length > 2) {
    const best = clean[0]!;
    const worst = clean[clean.length - 1]!;
    const of = dropping.length > 0 ? `Of the ${clean.length} configurations that drop (almost) nothing, ` : '';
    const lead = of === '' ? best.configuration.charAt(0).toUpperCase() + best.configuration.slice(1) : best.configuration;
    out.push(`${of}${lead} has the lowest p99 (${formatDuration(best.p99!)}) and ${worst.configuration} the highest (${formatDuration(worst.p99!)}).`);
  }

  // Where each configuration that drops at the top load started dropping.
  if (input.loadParameter !== null) {
    const starts: string[] = [];
    for (const f of dropping.slice(0, NAMED)) {
      const first = all
        .filter((g) => g.configuration === f.configuration && (g.dropped ?? 0) >= NOTABLE_DROPS)
        .sort((a, b) => numericLoad(a) - numericLoad(b))[0];
      const levels = all.filter((g) => g.configuration === f.configuration).length;
      if (first && first !== f && levels > 1) starts.push(`${f.configuration} from ${first.load} (${formatPercent(first.dropped)})`);
    }
    if (starts.length > 0) out.push(`Drops start at lower loads: ${list(starts)}.`);
  }

  // Second hops, when configurations differ in them (externalTrafficPolicy's trade-off).
  const hops = tops.filter((f) => f.secondHop !== null);
  if (hops.length > 1 && hops.length <= 4) {
    const max = hops.reduce((a, b) => (b.secondHop! > a.secondHop! ? b : a));
    const min = hops.reduce((a, b) => (b.secondHop! < a.secondHop! ? b : a));
    if (max.secondHop! - min.secondHop! >= 0.1) {
      out.push(`${max.configuration} sends ${formatPercent(max.secondHop)} of requests through a second node; ${min.configuration} ${formatPercent(min.secondHop)}.`);
    }
  } else if (hops.length === 1 && input.kind === 'run' && hops[0]!.secondHop! > 0) {
    out.push(`${formatPercent(hops[0]!.secondHop)} of requests took a second hop.`);
  }
  return out.map((s) => s.replace(/ {2,}/g, ' ').replace(/^the /, 'The '));
}

