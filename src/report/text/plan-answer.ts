/**
 * A plan's answer as text: one sentence per search first ("12 replicas meet p99 ≤ 50ms: 41.3 ms ± 2.1 ms
 * (95 % CI, 8 replications); 11 replicas fail: 57 ms ± 3 ms"), then the table of every level or point
 * evaluated, then the runs used against the grid's. Rendered from plan.json (which stores only data), so the
 * terminal, the report and a re-made report print the same text, with the one set of number formatters
 * (./format.ts). Pure: the same plan.json gives the same text.
 */
import type { Decision, TermStats } from '../../experiment/search/objective.js';
import type { LevelRef, LevelReport, PlanFile, SearchAnswer } from '../../experiment/search/plan-file.js';
import type { ObjectiveTerm, SearchSpec } from '../../experiment/search/types.js';
import { formatCost, formatHalfWidth, formatInt, formatPercent, formatValue } from './format.js';
import { renderTable } from './table.js';

type Label = string | number | boolean;

/** `41.3 ms ± 2.1 ms`, `0.05 % ± 0.01 pp`, `57 ms` (no interval yet), `+∞ ...` (among dropped requests). */
export function valueText(t: Pick<TermStats, 'mean' | 'halfWidth' | 'unbounded' | 'n'>, unit: string, short = false): string {
  if (t.unbounded > 0) return short ? `+∞ (${t.unbounded}/${t.n} runs)` : `+∞ in ${t.unbounded} of ${t.n} replications (dropped requests reached the percentile)`;
  if (t.mean === null) return 'no value';
  const mean = formatValue(t.mean, unit);
  if (t.halfWidth === null) return mean;
  return `${mean} ± ${formatHalfWidth(t.halfWidth, unit, true)}`;
}

/** `latency.p99` -> `p99`, `dropFraction`/`dropped` -> `dropped`. */
export function metricLabel(metric: string): string {
  const m = /^latency\.(p\d+|mean|max|min)$/.exec(metric);
  if (m) return m[1] === 'mean' ? 'mean latency' : m[1]!;
  if (metric === 'dropFraction' || metric === 'dropped') return 'dropped';
  return metric;
}

export function termText(t: ObjectiveTerm): string {
  return `${metricLabel(t.metric)} ${t.op === '<=' ? '≤' : '≥'} ${t.boundText}`;
}

export function objectiveText(search: SearchSpec): string {
  return search.objective.map(termText).join(' and ');
}

/** `12 replicas` (a plural name) or `concurrency 5`; with the verb agreeing. */
function subject(name: string, level: Label | null): { text: string; plural: boolean } {
  const v = String(level);
  const plural = /^[a-z]+s$/.test(name) && !/ss$/.test(name); // replicas, nodes; not minReplicas
  return plural ? { text: `${v} ${name}`, plural: true } : { text: `${name} ${v}`, plural: false };
}

function verb(plural: boolean, base: 'meet' | 'fail'): string {
  return plural ? base : `${base}s`;
}

function paramsText(params: Readonly<Record<string, Label>>, skip: readonly string[] = []): string {
  return Object.entries(params)
    .filter(([k]) => !skip.includes(k))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
}

function levelOf(answer: SearchAnswer, r: LevelRef): LevelReport {
  return answer.levels.find((l) => l.point === r.point)!;
}

/** The terms to quote for a level: those that decided it (failing ones for a failure), all when they are few. */
function quoted(search: SearchSpec, _level: LevelReport, terms: readonly TermStats[], decision: Decision): string {
  const pick = decision === 'fails' ? terms.filter((t) => t.decision === 'fails').slice(0, 1) : decision === 'undecided' ? terms.filter((t) => t.decision === 'undecided').slice(0, 1) : terms.slice(0, 2);
  const one = search.objective.length === 1;
  return pick
    .map((t) => {
      const term = search.objective.find((o) => o.text === t.term)!;
      return `${one ? '' : `${metricLabel(term.metric)} `}${valueText(t, term.unit)}`;
    })
    .join(', ');
}

function ciNote(level: number, n: number): string {
  return `(${formatPercent(level)} CI, ${n} replication${n === 1 ? '' : 's'})`;
}

/** The sentence of one search. */
export function answerSentence(plan: Pick<PlanFile, 'search' | 'experiment'>, answer: SearchAnswer): string {
  const search = plan.search;
  const conf = plan.experiment.confidence;
  const objective = objectiveText(search);
  const prefix = Object.keys(answer.fixed).length > 0 ? `${paramsText(answer.fixed)}: ` : '';
  const headroom = search.headroom !== 'none';
  // Under headroom the figures quoted are those with the failure.
  const view = (l: LevelReport): { terms: readonly TermStats[]; decision: Decision; n: number } =>
    headroom && l.headroom && l.decision === 'meets' ? { terms: l.headroom.terms, decision: l.headroom.decision, n: l.headroom.replications } : { terms: l.terms, decision: l.decision, n: l.replications };
  const failTarget = answer.levels.map((l) => l.headroom?.target).find((t) => t) ?? (search.headroom === 'zone' ? 'a zone' : 'a node');
  const withFailure = headroom ? ` with ${failTarget} failed (${search.headroom === 'zone' ? 'zone-redundant' : 'N+1'})` : '';
  const withoutText = (): string => {
    const w = answer.withoutHeadroom;
    if (!headroom || !w) return '';
    if (w.answer === null) return ' Without a failure no level meets it either.';
    if (answer.answer && w.answer.point === answer.answer.point) return ' It is also the smallest without a failure.';
    const s = search.mode === 'bisect' ? subject(search.parameter!, w.answer.level) : { text: paramsText(w.answer.params, search.per), plural: false };
    return ` Without a failure ${s.text} ${verb(s.plural, 'meet')} it.`;
  };

  if (search.mode === 'grid') {
    if (answer.answer === null) {
      const und = answer.undecided.length > 0 ? `; undecided: ${answer.undecided.map((u) => paramsText(u.params, search.per)).join('; ')}` : '';
      return `${prefix}${answer.kind === 'budget' ? `Stopped at the run budget (maxRuns ${search.maxRuns}) before a point met ${objective}` : `No point of the grid meets ${objective}${withFailure}`}${und}.`;
    }
    const l = levelOf(answer, answer.answer);
    const v = view(l);
    const cost = l.cost.perHour !== null ? ` at ${formatCost(l.cost.perHour)}/h (${formatCost(l.cost.perMonth ?? 0)}/month)` : '';
    const cheaper = answer.undecided.length > 0 ? `; cheaper but undecided: ${answer.undecided.map((u) => paramsText(u.params, search.per)).join('; ')}` : '';
    const budget = answer.kind === 'budget' ? ` (stopped at the run budget, maxRuns ${search.maxRuns}: a cheaper point may remain)` : '';
    return `${prefix}Cheapest that meets ${objective}${withFailure}: ${paramsText(l.params, search.per)}${cost}: ${quoted(search, l, v.terms, 'meets')} ${ciNote(conf, v.n)}${cheaper}${budget}.${withoutText()}`;
  }

  const name = search.parameter!;
  switch (answer.kind) {
    case 'not-monotone': {
      const c = answer.contradiction!;
      const m = levelOf(answer, c.meets);
      const f = levelOf(answer, c.fails);
      const sm = subject(name, c.meets.level);
      const sf = subject(name, c.fails.level);
      return `${prefix}Not monotone in ${name}: ${sm.text} ${verb(sm.plural, 'meet')} ${objective}${withFailure} (${quoted(search, m, view(m).terms, 'meets')}) but ${sf.text} ${verb(sf.plural, 'fail')} (${quoted(search, f, view(f).terms, 'fails')}); a bisection cannot answer this: use the grid mode (no search.parameter).`;
    }
    case 'none':
    case 'undecided':
    case 'decided':
    case 'budget': {
      if (answer.answer === null && (answer.kind === 'none' || answer.kind === 'undecided')) {
        // Levels are in search order: the last one evaluated is the top.
        const last = answer.levels[answer.levels.length - 1];
        if (!last) return `${prefix}Nothing was evaluated.`;
        const v = view(last);
        const s = subject(name, last.level);
        if (answer.kind === 'none') {
          return `${prefix}Even ${s.text} ${verb(s.plural, 'fail')} ${objective}${withFailure}: ${quoted(search, last, v.terms, 'fails')} ${ciNote(conf, v.n)}. No ${name} value searched meets it (if the objective is monotone in ${name}; if not, use the grid mode).${withoutText()}`;
        }
        return `${prefix}Undecided: even at ${s.text}, ${objective}${withFailure} is ${quoted(search, last, v.terms, 'undecided')} after ${v.n} replications: the CI straddles the bound (raise maxReplications).`;
      }
      if (answer.answer === null) return `${prefix}Stopped at the run budget (maxRuns ${search.maxRuns}) before any ${name} value met ${objective}${withFailure}.`;
      const a = levelOf(answer, answer.answer);
      const va = view(a);
      const sa = subject(name, a.level);
      const smallest = answer.below === null && answer.undecided.length === 0 && answer.kind === 'decided' ? ' (the smallest searched)' : '';
      let text = `${prefix}${sa.text}${smallest} ${verb(sa.plural, 'meet')} ${objective}${withFailure}: ${quoted(search, a, va.terms, 'meets')} ${ciNote(conf, va.n)}`;
      if (answer.undecided.length > 0) {
        const u = levelOf(answer, answer.undecided[answer.undecided.length - 1]!);
        const vu = view(u);
        const su = subject(name, u.level);
        text += `; ${su.text} undecided: ${quoted(search, u, vu.terms, 'undecided')} after ${vu.n} replications (the CI straddles the bound)`;
      }
      if (answer.below) {
        const b = levelOf(answer, answer.below);
        const vb = headroom && b.decision === 'meets' && b.headroom ? view(b) : { terms: b.terms, decision: b.decision, n: b.replications };
        const sb = subject(name, b.level);
        const failing = vb.terms.some((t) => t.decision === 'fails') ? 'fails' : 'undecided';
        const why = quoted(search, b, vb.terms, failing) || (b.headroom?.note ?? 'fails');
        text += `; ${sb.text} ${verb(sb.plural, 'fail')}${headroom && b.decision === 'meets' ? ' with it' : ''}: ${why}`;
      }
      if (answer.kind === 'budget') text += ` (stopped at the run budget, maxRuns ${search.maxRuns}: a smaller value may meet it)`;
      return `${text}.${withoutText()}`;
    }
  }
}

function mark(d: Decision): string {
  return d === 'meets' ? '✓' : d === 'fails' ? '✗' : '?';
}

/** Every level (point) of every search, one row each. */
export function answerTable(plan: PlanFile): string {
  const search = plan.search;
  const headroom = search.headroom !== 'none';
  const head = [
    ...(search.mode === 'bisect' ? [...search.per, search.parameter!] : ['point']),
    'runs',
    ...search.objective.map(termText),
    'meets',
    'cost/month',
    ...(headroom ? [`with a ${search.headroom} failed`] : []),
    '',
  ];
  const rows: string[][] = [];
  for (const a of plan.answers) {
    for (const l of a.levels) {
      const params = search.mode === 'bisect' ? [...search.per.map((p) => String(l.params[p])), String(l.level)] : [paramsText(l.params)];
      const terms = search.objective.map((t, i) => {
        const s = l.terms[i];
        return s ? `${valueText(s, t.unit, true)} ${mark(s.decision)}` : '-';
      });
      const cost = l.cost.perMonth !== null ? formatCost(l.cost.perMonth) : '-';
      const h = l.headroom
        ? l.headroom.terms.length > 0
          ? `${mark(l.headroom.decision)} ${search.objective.map((t, i) => (l.headroom!.terms[i] ? valueText(l.headroom!.terms[i]!, t.unit, true) : '-')).join(', ')} (${l.headroom.replications})`
          : `✗ ${l.headroom.note ?? ''}`
        : headroom
          ? '-'
          : null;
      const chosen = a.answer?.point === l.point ? '← answer' : a.below?.point === l.point ? '← fails' : '';
      rows.push([...params, `${l.replications}${l.failedRuns ? `+${l.failedRuns}✗` : ''}`, ...terms, mark(l.decision), cost, ...(h !== null ? [h] : []), chosen]);
    }
  }
  return renderTable(head, rows, { gap: 2 });
}

export function runsText(plan: PlanFile): string {
  const r = plan.runs;
  const share = r.grid.runs > 0 ? ` (${formatPercent(r.used / r.grid.runs)})` : '';
  const headroom = r.headroom > 0 ? `, ${r.headroom} of them with a failure` : '';
  const failed = r.failed > 0 ? `, ${r.failed} failed` : '';
  return `${formatInt(r.used)} runs${headroom}${failed}${share}; the whole grid: ${formatInt(r.grid.points)} points × ${formatInt(r.grid.replications)} replications = ${formatInt(r.grid.runs)} runs (netsim sweep).`;
}

/** Sentences, then the table, then the runs. */
export function renderPlan(plan: PlanFile): string {
  const level = `mean ± half-width of the ${formatPercent(plan.experiment.confidence)} CI; ✓ meets, ✗ fails, ? undecided (the CI straddles the bound)`;
  return [...plan.answers.map((a) => answerSentence(plan, a)), '', answerTable(plan), `(${level})`, '', runsText(plan)].join('\n');
}
