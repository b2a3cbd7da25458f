/**
 * Evaluating one point of a search: replications in batches until the objective's confidence interval
 * decides it (objective.ts) or the point has `maxReplications`; and, with headroom, the same under a
 * failure (headroom.ts). Each point is evaluated once (memoised), whichever search phase asks.
 *
 * Replication r of every point runs with the plan's seed for r (common random numbers, as in a sweep), so
 * neighbouring levels see the same arrivals and service times and their difference is sharp. What is run
 * depends only on the point's own results, never on timing: a search makes the same runs whatever the
 * worker count.
 */
import { studentT } from '../../engine/stats/index.js';
import type { ModelSpec } from '../../model/spec.js';
import { replicationSeed, type PlanData, type Point } from '../plan.js';
import type { ResultLine } from '../store.js';
import {
  describeTarget,
  failureTime,
  headroomOverrides,
  headroomTarget,
  measuredLength,
  probeOverrides,
  settledWarmup,
  type HeadroomTarget,
} from './headroom.js';
import { combine, decide, type Decision, type TermStats } from './objective.js';
import type { CostFigures, HeadroomReport } from './plan-file.js';
import type { SearchSpec } from './types.js';

/** One run to make. `store`: results.jsonl (the point's own runs) or headroom.jsonl. */
export interface RunOrder {
  readonly id: string;
  readonly index: number;
  readonly point: Point;
  readonly replication: number;
  readonly seed: number;
  readonly set: readonly string[];
  readonly metrics: readonly string[];
  readonly store: 'results' | 'headroom';
}

export interface Runner {
  /** Runs a batch (in parallel as the pool allows); the lines in the order given. Never rejects for a failed run. */
  run(batch: readonly RunOrder[]): Promise<ResultLine[]>;
}

export interface BaseEvaluation {
  readonly decision: Decision;
  readonly terms: readonly TermStats[];
  readonly replications: number;
  readonly failedRuns: number;
  readonly cost: CostFigures;
  readonly costMetric: number | null;
  /** The half-width of the cost metric's confidence interval (null: fewer than two values). */
  readonly costMetricHalfWidth: number | null;
  /** Runs made for it. */
  readonly runs: number;
}

export interface PointEvaluation {
  readonly base: BaseEvaluation;
  readonly headroom: HeadroomReport | null;
  readonly combined: Decision;
}

export const SETTLE_METRIC = 'events[0].end';

function meanOf(values: readonly (number | null | undefined)[]): number | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function halfWidth(values: readonly (number | null | undefined)[], level: number): number | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const hw = xs.length >= 2 ? studentT(xs, level).halfWidth : null;
  return hw !== null && Number.isFinite(hw) ? hw : null;
}

function costOf(lines: readonly ResultLine[], level: number, costMetric: string | null): { cost: CostFigures; costMetric: number | null; costMetricHalfWidth: number | null } {
  const perHour = lines.map((l) => l.metrics['cost.perHour']);
  const hw = halfWidth(perHour, level);
  return {
    cost: {
      perHour: meanOf(perHour),
      perMonth: meanOf(lines.map((l) => l.metrics['cost.perMonth'])),
      halfWidth: hw,
    },
    costMetric: costMetric === null ? null : meanOf(lines.map((l) => l.metrics[costMetric])),
    costMetricHalfWidth: costMetric === null ? null : halfWidth(lines.map((l) => l.metrics[costMetric]), level),
  };
}

/** A search's points, evaluated on demand. `specOf` loads a point's scenario (for headroom targets). */
export class PointEvaluator {
  private readonly memo = new Map<number, Promise<PointEvaluation>>();
  private readonly baseMemo = new Map<number, Promise<BaseEvaluation>>();
  /** Runs made per point (base and headroom). */
  readonly runsByPoint = new Map<number, number>();

  constructor(
    private readonly plan: PlanData & { readonly search: SearchSpec },
    private readonly runner: Runner,
    private readonly specOf: (point: Point) => ModelSpec,
  ) {}

  private get search(): SearchSpec {
    return this.plan.search;
  }

  private count(point: Point, n: number): void {
    this.runsByPoint.set(point.index, (this.runsByPoint.get(point.index) ?? 0) + n);
  }

  private metrics(extra: readonly string[] = []): string[] {
    const out = [...this.plan.metrics];
    for (const m of ['cost.perHour', 'cost.perMonth', ...extra]) if (!out.includes(m)) out.push(m);
    return out;
  }

  /** Replications in batches until decided or capped; `make` builds the runs of replications [from, to). */
  private async replicate(point: Point, make: (from: number, to: number) => RunOrder[]): Promise<{ lines: ResultLine[]; ok: ResultLine[]; decision: Decision; terms: readonly TermStats[] }> {
    const s = this.search;
    const lines: ResultLine[] = [];
    let have = 0;
    let next = this.plan.replications;
    for (;;) {
      const batch = make(have, next);
      this.count(point, batch.length);
      lines.push(...(await this.runner.run(batch)));
      have = next;
      const ok = lines.filter((l) => l.status === 'ok');
      const d = decide(s.objective, ok.map((l) => l.metrics), this.plan.confidence);
      if (d.decision !== 'undecided' || have >= s.maxReplications) return { lines, ok, ...d };
      next = Math.min(s.maxReplications, have + s.step);
    }
  }

  base(point: Point): Promise<BaseEvaluation> {
    let p = this.baseMemo.get(point.index);
    if (!p) this.baseMemo.set(point.index, (p = this.evaluateBase(point)));
    return p;
  }

  private async evaluateBase(point: Point): Promise<BaseEvaluation> {
    const cap = this.search.maxReplications;
    const metrics = this.metrics();
    const r = await this.replicate(point, (from, to) => {
      const out: RunOrder[] = [];
      for (let rep = from; rep < to; rep++) {
        out.push({ id: `p${point.index}-r${rep}`, index: point.index * cap + rep, point, replication: rep, seed: replicationSeed(this.plan.masterSeed, rep), set: point.set, metrics, store: 'results' });
      }
      return out;
    });
    const costMetric = this.search.mode === 'grid' ? this.search.cost : null;
    return {
      decision: r.decision,
      terms: r.terms,
      replications: r.ok.length,
      failedRuns: r.lines.length - r.ok.length,
      ...costOf(r.ok, this.plan.confidence, costMetric),
      runs: r.lines.length,
    };
  }

  /** The point as the search sees it: the objective, and with headroom the objective under the failure too. */
  evaluate(point: Point): Promise<PointEvaluation> {
    let p = this.memo.get(point.index);
    if (!p) this.memo.set(point.index, (p = this.evaluateAll(point)));
    return p;
  }

  private async evaluateAll(point: Point): Promise<PointEvaluation> {
    const base = await this.base(point);
    if (this.search.headroom === 'none' || base.decision !== 'meets') return { base, headroom: null, combined: base.decision };
    const headroom = await this.evaluateHeadroom(point);
    return { base, headroom, combined: combine([base.decision, headroom.decision]) };
  }

  private async evaluateHeadroom(point: Point): Promise<HeadroomReport> {
    const s = this.search;
    const kind = s.headroom === 'zone' ? 'zone' : 'node';
    const spec = this.specOf(point);
    const target: HeadroomTarget | null = headroomTarget(spec, kind);
    const none = (note: string, extra: Partial<HeadroomReport> = {}): HeadroomReport => ({
      target: target ? describeTarget(target) : null,
      failAt: null,
      settledAt: null,
      warmup: null,
      decision: 'fails',
      replications: 0,
      failedRuns: 0,
      unsettledRuns: 0,
      terms: [],
      note,
      ...extra,
    });
    if (!target || target.pods === 0) return none(`no ${kind} holds a serving pod: nothing to fail`);
    const at = failureTime(spec);
    const cap = s.maxReplications;
    const base = (point.index * (cap + 1));
    // The probe: when does the failure settle?
    const probeSet = [...point.set, ...probeOverrides(target, at, s.settleWithin)];
    this.count(point, 1);
    const [probe] = await this.runner.run([
      { id: `p${point.index}-h-probe`, index: base, point, replication: 0, seed: replicationSeed(this.plan.masterSeed, 0), set: probeSet, metrics: [SETTLE_METRIC], store: 'headroom' },
    ]);
    if (probe!.status !== 'ok') return none(`the probe run failed: ${probe!.error ?? ''}`, { failAt: at, failedRuns: 1 });
    const end = probe!.metrics[SETTLE_METRIC] ?? null;
    // Never settled (replacements that stay Pending: no room left): what remains after settleWithin is the
    // degraded state the cluster stays in, and that is measured.
    const warmup = end === null ? Math.ceil((at + s.settleWithin) * 1000) / 1000 : settledWarmup(at, end);
    const set = [...point.set, ...headroomOverrides(target, at, warmup, measuredLength(spec))];
    const metrics = this.metrics([SETTLE_METRIC]);
    const r = await this.replicate(point, (from, to) => {
      const out: RunOrder[] = [];
      for (let rep = from; rep < to; rep++) {
        out.push({ id: `p${point.index}-h-r${rep}`, index: base + 1 + rep, point, replication: rep, seed: replicationSeed(this.plan.masterSeed, rep), set, metrics, store: 'headroom' });
      }
      return out;
    });
    const unsettled = r.ok.filter((l) => {
      const e = l.metrics[SETTLE_METRIC];
      return end === null ? typeof e === 'number' && e > warmup : e === null || e === undefined || e > warmup;
    }).length;
    const notes = [
      ...(end === null ? [`the failure of ${describeTarget(target)} had not settled ${s.settleWithin} s after it (replacements that cannot be placed?): measured from then on`] : []),
      ...(unsettled > 0 ? [`${unsettled} of ${r.ok.length} runs had not settled when their measurement began`] : []),
    ];
    return {
      target: describeTarget(target),
      failAt: at,
      settledAt: end,
      warmup,
      decision: r.decision,
      replications: r.ok.length,
      failedRuns: r.lines.length - r.ok.length + (probe!.status === 'ok' ? 0 : 1),
      unsettledRuns: unsettled,
      terms: r.terms,
      note: notes.length > 0 ? notes.join('; ') : null,
    };
  }
}
