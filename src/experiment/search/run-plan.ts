/**
 * `netsim plan`: prepare the experiment (every point checked, as for a sweep), then run its searches —
 * one per combination of the parameters that are not searched, concurrently — through the sweep's worker
 * pool, and write what they found:
 *
 *     manifest.json   the experiment, as a sweep's (so `netsim report` reads the directory)
 *     results.jsonl   the runs of the points the searches evaluated, sorted by plan index at the end
 *     headroom.jsonl  with `headroom:`, the runs with a failure (probes included)
 *     runs/<id>.json  each run's result.json
 *     summary.json    the sweep summary of the points evaluated (the others have n = 0), and summary.csv
 *     plan.json       the answers (plan-file.ts)
 *
 * Which runs are made depends on the experiment and the runs' results only: the same plan.json,
 * summary.json and text with 1 worker or N. A plan is not resumed (`--resume` is the sweep's); rerun it.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../../scenario/diagnostics.js';
import { prepareScenario, type PreparedScenario } from '../../scenario/index.js';
import { HOURS_PER_MONTH } from '../cost.js';
import { defaultWorkers, inlineExecutor, poolExecutor } from '../executor.js';
import { ensureDir } from '../safe-io.js';
import { pointCount, type PlanData, type Point } from '../plan.js';
import { prepareExperiment, type PreparedExperiment } from '../prepare.js';
import { silentProgress, type Progress } from '../progress.js';
import { manifestFor, safeName, writeSummaryFiles, type NotRun, type RunnerDone, type RunnerOptions } from '../sweep.js';
import { readResults, RESULTS_FILE, ResultsWriter, rewriteResults, runFileName, writeAtomic, writeManifest, type ResultLine } from '../store.js';
import { PointEvaluator, type RunOrder, type Runner } from './evaluate.js';
import { headroomProblem } from './headroom.js';
import { HEADROOM_RESULTS_FILE, PLAN_FILE, PLAN_SCHEMA, serializePlan, type PlanFile, type SearchAnswer } from './plan-file.js';
import { bisectSearch, gridSearch, searchGroups } from './searches.js';
import type { SearchSpec } from './types.js';

export interface PlanOptions extends RunnerOptions {
  /** Default `out/<experiment name>-plan`. */
  readonly out?: string;
  readonly progress?: (experiment: PreparedExperiment) => Progress;
}

export type PlanOutcome =
  | NotRun
  | (RunnerDone & {
      readonly plan: PlanFile;
    });

type SearchPlan = PlanData & { readonly search: SearchSpec };


function diagnosticAt(experiment: PreparedExperiment, path: (string | number)[], message: string): Diagnostic {
  const at = experiment.res.locate(path);
  return { severity: 'error', file: at.file, line: at.line, col: at.col, ...(at.length !== undefined ? { length: at.length } : {}), path: experiment.res.pathText(path), message };
}

/** The bound on each point's cost metric that the grid prunes with (see grid.ts). */
function costBounds(experiment: PreparedExperiment, metric: string): Map<number, number> {
  const factor = metric === 'cost.perHour' ? 1 : metric === 'cost.perMonth' ? HOURS_PER_MONTH : null;
  return new Map(experiment.points.map((p) => [p.index, factor === null ? -Infinity : (experiment.fixedCosts[p.index] ?? 0) * factor]));
}

export async function runPlan(opts: PlanOptions): Promise<PlanOutcome> {
  const startedAt = performance.now();
  const workers = Math.max(0, Math.floor(opts.workers ?? defaultWorkers()));
  const prepared = prepareExperiment(opts.experimentFile);
  if (!prepared.ok) return { kind: 'invalid', diagnostics: prepared.diagnostics, sources: prepared.sources };
  const experiment = prepared.experiment;
  if (!experiment.plan.search) {
    return { kind: 'invalid', diagnostics: [diagnosticAt(experiment, ['spec'], 'expected a search section (spec.search: what to find, see docs/experiments.md "Plans"), found none: netsim plan needs one; netsim sweep runs the whole grid')], sources: prepared.sources };
  }
  const plan = experiment.plan as SearchPlan;
  const scenario: PreparedScenario = prepareScenario(experiment.scenarioFiles);
  const specOf = (point: Point) => {
    const loaded = scenario.load(point.set);
    if (!loaded.ok) throw new Error(`point ${point.index} does not load (it did when checked)`);
    return loaded.spec;
  };
  if (plan.search.headroom !== 'none') {
    const problem = headroomProblem(specOf(experiment.points[0]!));
    if (problem) return { kind: 'invalid', diagnostics: [diagnosticAt(experiment, ['spec', 'search', 'headroom'], problem)], sources: prepared.sources };
  }

  const out = opts.out ?? join('out', `${safeName(plan.name)}-plan`);
  if (existsSync(out) && !statSync(out).isDirectory()) return { kind: 'refused', message: `${out} exists and is not a directory` };
  try {
    ensureDir(out);
  } catch (e) {
    return { kind: 'refused', message: (e as Error).message };
  }
  const previous = readResults(out);
  if (previous.lines.length > 0 || previous.cut || existsSync(join(out, PLAN_FILE))) {
    return { kind: 'refused', message: `${out} already holds results (${RESULTS_FILE}): a plan starts afresh; choose another --out or remove it` };
  }
  writeManifest(out, manifestFor(experiment, null));

  const executor = opts.executor ?? (workers === 0 ? inlineExecutor(opts.runScenario) : poolExecutor(workers));
  const progress = opts.progress ? opts.progress(experiment) : silentProgress;
  const results = new ResultsWriter(out);
  const headroomWriter = new ResultsWriter(out, HEADROOM_RESULTS_FILE);
  const keepRuns = opts.keepRuns ?? true;
  const absOut = resolve(out);
  const lines: ResultLine[] = [];
  const headroomLines: ResultLine[] = [];
  let submitted = 0;
  let started = false;
  let ran = 0;
  let failed = 0;

  const runner: Runner = {
    run(batch: readonly RunOrder[]): Promise<ResultLine[]> {
      // The total is not known before: it grows as the searches go (the first line says the first round).
      if (!started) progress.start(batch.length);
      started = true;
      submitted += batch.length;
      progress.update(ran, failed, submitted);
      return Promise.all(
        batch.map(async (o) => {
          const reply = await executor.run({
            runId: o.id,
            files: experiment.scenarioFiles,
            set: o.set,
            seed: o.seed,
            metrics: o.metrics,
            resultFile: keepRuns ? join(absOut, runFileName(o.id)) : null,
          });
          const line: ResultLine = {
            run: o.id,
            index: o.index,
            point: o.point.index,
            params: o.point.params,
            replication: o.replication,
            seed: o.seed,
            status: reply.status,
            ...(reply.status === 'failed' ? { error: reply.error ?? 'failed' } : {}),
            metrics: reply.metrics,
            result: reply.status === 'ok' && keepRuns ? runFileName(o.id) : null,
            wallSeconds: Math.round(reply.wallSeconds * 1e6) / 1e6,
          };
          (o.store === 'results' ? results : headroomWriter).append(line);
          (o.store === 'results' ? lines : headroomLines).push(line);
          ran++;
          if (reply.status === 'failed') failed++;
          progress.update(ran, failed, submitted);
          return line;
        }),
      );
    },
  };

  const evaluator = new PointEvaluator(plan, runner, specOf);
  const groups = searchGroups(plan, experiment.points);
  const bounds = costBounds(experiment, plan.search.cost);
  let found: SearchAnswer[];
  try {
    found = await Promise.all(groups.map((g) => (plan.search.mode === 'bisect' ? bisectSearch(plan, g, evaluator) : gridSearch(plan, g, bounds, evaluator))));
  } finally {
    if (started) progress.stop();
    results.close();
    headroomWriter.close();
    if (!opts.executor) await executor.close();
  }

  // Plan order in the files, whatever order the runs finished in.
  const byIndex = (a: ResultLine, b: ResultLine): number => a.index - b.index || (a.run < b.run ? -1 : a.run > b.run ? 1 : 0);
  lines.sort(byIndex);
  headroomLines.sort(byIndex);
  rewriteResults(out, lines);
  rewriteResults(out, headroomLines, HEADROOM_RESULTS_FILE);
  writeSummaryFiles(out, plan, experiment.hash, lines);

  const head = {
    schema: PLAN_SCHEMA,
    experiment: {
      name: plan.name,
      hash: experiment.hash,
      scenario: plan.scenario,
      masterSeed: plan.masterSeed,
      confidence: plan.confidence,
      replications: plan.replications,
    },
    search: plan.search,
  } as const;
  const points = pointCount(plan);
  const planFile: PlanFile = {
    ...head,
    runs: {
      used: lines.length + headroomLines.length,
      failed,
      headroom: headroomLines.length,
      grid: { points, replications: plan.replications, runs: points * plan.replications },
    },
    answers: found,
  };
  writeAtomic(join(out, PLAN_FILE), serializePlan(planFile));
  const failures = [...lines, ...headroomLines]
    .filter((l) => l.status === 'failed')
    .map((l) => ({ run: l.run, error: l.error ?? '' }))
    .sort((a, b) => (a.run < b.run ? -1 : a.run > b.run ? 1 : 0));
  return {
    kind: 'done',
    out,
    experiment,
    // With headroom the scenario does get a timeline (the failure): its control-plane settings do matter.
    warnings: plan.search.headroom === 'none' ? prepared.warnings : prepared.warnings.filter((w) => !/has no effect: the scenario has no timeline/.test(w.message)),
    sources: prepared.sources,
    plan: planFile,
    ran,
    failed,
    failures,
    workers: executor.concurrency,
    wallSeconds: (performance.now() - startedAt) / 1000,
  };
}
