/**
 * `netsim sweep`: prepare the experiment (every point checked), then run every (point, replication) not
 * yet done — in worker threads, one simulation per task — appending each finished run to results.jsonl,
 * and finally aggregate into summary.json / summary.csv / differences.csv.
 *
 * Scheduling never decides WHAT is run, only when: the runs of a point are a function of the plan and of
 * that point's own results (see `pendingReplications`), so 1 worker, N workers, or shards merged later
 * make the same runs and the same summary.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { studentT } from '../engine/stats/index.js';
import type { Diagnostic } from '../scenario/diagnostics.js';
import { differencesCsv, serializeSummary, summarize, summaryCsv, type Summary } from './aggregate.js';
import { withCostMetrics } from './cost.js';
import { capWorkers, defaultWorkers, inlineExecutor, poolExecutor, type Executor } from './executor.js';
import { clearResults, earlierResults } from './out-dir.js';
import { ensureDir } from './safe-io.js';
import { readExperiment } from './experiment-file.js';
import { expandPoints, inShard, pendingReplications, replicationCap, runRef, type Point, type RunRef, type Shard } from './plan.js';
import { prepareExperiment, type PreparedExperiment } from './prepare.js';
import { silentProgress, type Progress } from './progress.js';
import type { RunTask } from './run-task.js';
import type { runScenario } from './run-scenario.js';
import {
  DIFFERENCES_CSV,
  MANIFEST_FILE,
  MANIFEST_SCHEMA,
  readManifest,
  readResults,
  RESULTS_FILE,
  ResultsWriter,
  rewriteResults,
  runFileName,
  SUMMARY_CSV,
  SUMMARY_JSON,
  truncateToWholeLines,
  writeAtomic,
  writeManifest,
  type Manifest,
  type ResultLine,
} from './store.js';

/** What every command that runs an experiment's points takes (sweep, plan). */
export interface RunnerOptions {
  readonly experimentFile: string;
  /** Worker threads; default os.availableParallelism(). 0 runs in this thread. */
  readonly workers?: number;
  /** Write each run's full result to runs/<id>.json (default true). */
  readonly keepRuns?: boolean;
  /** Replaces the executor (tests). */
  readonly executor?: Executor;
  /** With `workers: 0`: replaces the run pipeline (fault injection in tests). */
  readonly runScenario?: typeof runScenario;
}

/** An experiment that was not run: bad input (with its diagnostics), or refused (e.g. the output is in use). */
export type NotRun =
  | { readonly kind: 'invalid'; readonly diagnostics: readonly Diagnostic[]; readonly sources: ReadonlyMap<string, string> }
  | { readonly kind: 'refused'; readonly message: string };

export interface SweepOptions extends RunnerOptions {
  /** Output directory; default `out/<experiment name>` (`out/<name>-shard-K-of-N` for a shard). */
  readonly out?: string;
  /** Keep the runs already in results.jsonl and run only the missing ones. */
  readonly resume?: boolean;
  /** Replace the results already in the output directory (out-dir.ts); without it they are refused. */
  readonly force?: boolean;
  readonly shard?: Shard | null;
  /** Called once the experiment is prepared, with the number of runs to make now. */
  readonly progress?: (experiment: PreparedExperiment, total: number) => Progress;
}

/** What every command that ran an experiment's points reports (sweep, plan). */
export interface RunnerDone {
  readonly kind: 'done';
  readonly out: string;
  readonly experiment: PreparedExperiment;
  readonly warnings: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, string>;
  /** Runs made now, and how many of them failed. */
  readonly ran: number;
  readonly failed: number;
  /** Failed runs, this invocation's. */
  readonly failures: readonly { readonly run: string; readonly error: string }[];
  readonly workers: number;
  readonly wallSeconds: number;
}

export type SweepOutcome =
  | NotRun
  | (RunnerDone & {
      /** Runs already done before this invocation (resume). */
      readonly skipped: number;
      /** Null for a shard (merge the shards to get it). */
      readonly summary: Summary | null;
      /** What --resume dropped from results.jsonl (a cut last line, corrupt lines with their numbers). */
      readonly resumeWarnings: readonly string[];
    });

/** An experiment's name as a folder name (default output folders). */
export function safeName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return s === '' ? 'experiment' : s;
}

/** The most runs the experiment's plan can have (points × replication cap); undefined when it does not read. */
function mostRuns(file: string): number | undefined {
  try {
    const read = readExperiment(file);
    return read.ok ? Math.max(1, expandPoints(read.experiment.plan).length * replicationCap(read.experiment.plan)) : undefined;
  } catch {
    return undefined;
  }
}

/** The output directory a sweep uses without --out: `out/<name>`, or `out/<name>-shard-K-of-N`. */
export function defaultSweepOut(planName: string, shard: Shard | null): string {
  const s = shard && shard.count > 1 ? shard : null;
  return join('out', s ? `${safeName(planName)}-shard-${s.index}-of-${s.count}` : safeName(planName));
}

export function manifestFor(experiment: PreparedExperiment, shard: Shard | null): Manifest {
  return {
    schema: MANIFEST_SCHEMA,
    tool: experiment.tool,
    experiment: { name: experiment.plan.name, file: experiment.file, hash: experiment.hash, files: experiment.files },
    plan: experiment.plan,
    shard: shard && shard.count > 1 ? shard : null,
  };
}

/** Writes summary.json, summary.csv and differences.csv; returns the summary. */
export function writeSummaryFiles(dir: string, plan: PreparedExperiment['plan'], hash: string, lines: readonly ResultLine[]): Summary {
  const summary = summarize(plan, hash, lines);
  writeAtomic(join(dir, SUMMARY_JSON), serializeSummary(summary));
  writeAtomic(join(dir, SUMMARY_CSV), summaryCsv(summary));
  writeAtomic(join(dir, DIFFERENCES_CSV), differencesCsv(summary));
  return summary;
}

function halfWidthOf(values: readonly number[], level: number): { mean: number; halfWidth: number } {
  const ci = studentT(values, level);
  return { mean: ci.mean, halfWidth: ci.halfWidth };
}

function sameShard(a: Shard | null, b: Shard | null): boolean {
  const norm = (s: Shard | null): string => (s && s.count > 1 ? `${s.index}/${s.count}` : 'all');
  return norm(a) === norm(b);
}

/**
 * Runs a sweep. A fresh sweep starts its worker threads before it prepares the experiment, so that the
 * threads load their modules while the main thread checks every point (both take a few hundred
 * milliseconds, a noticeable share of a short sweep); a resumed sweep waits, since it may have nothing left.
 */
export async function runSweep(opts: SweepOptions): Promise<SweepOutcome> {
  // Capped before any thread starts: at the CPUs, and at the runs the plan can have (read from the
  // experiment file alone, which is cheap; the points themselves are checked while the threads start).
  const workers = capWorkers(opts.workers ?? defaultWorkers(), mostRuns(opts.experimentFile));
  let early = opts.executor === undefined && !opts.resume && workers > 0 ? poolExecutor(workers) : null;
  try {
    return await sweepWith(opts, workers, early, async () => {
      // Fewer runs than threads: the early pool is replaced by one sized for the runs.
      if (early) await early.close();
      early = null;
    });
  } finally {
    if (early) await early.close();
  }
}

async function sweepWith(opts: SweepOptions, workers: number, earlyPool: Executor | null, dropEarly: () => Promise<void>): Promise<SweepOutcome> {
  let early = earlyPool;
  const started = performance.now();
  const prepared = prepareExperiment(opts.experimentFile);
  if (!prepared.ok) return { kind: 'invalid', diagnostics: prepared.diagnostics, sources: prepared.sources };
  const experiment = prepared.experiment;
  const plan = experiment.plan;
  const shard = opts.shard && opts.shard.count > 1 ? opts.shard : null;
  const out = opts.out ?? defaultSweepOut(plan.name, shard);

  // The output directory: new, or (with --resume) the same experiment and shard.
  if (existsSync(out) && !statSync(out).isDirectory()) return { kind: 'refused', message: `${out} exists and is not a directory` };
  try {
    ensureDir(out);
  } catch (e) {
    return { kind: 'refused', message: (e as Error).message };
  }
  const done: ResultLine[] = [];
  const resumeWarnings: string[] = [];
  if (!opts.resume) {
    const earlier = earlierResults(out);
    if (earlier.length > 0 && !opts.force) {
      const what = earlier.includes(RESULTS_FILE) ? 'sweep results' : 'results';
      return { kind: 'refused', message: `${out} already holds ${what} (${earlier.join(', ')}): pass --resume to finish that sweep, --force to replace them, or choose another --out` };
    }
    if (earlier.length > 0) clearResults(out);
  }
  const hasManifest = existsSync(join(out, MANIFEST_FILE));
  const previous = readResults(out);
  if (opts.resume && hasManifest) {
    let m: Manifest;
    try {
      m = readManifest(out);
    } catch (e) {
      return { kind: 'refused', message: (e as Error).message };
    }
    if (m.experiment.hash !== experiment.hash) {
      return {
        kind: 'refused',
        message: `${out} holds a sweep of another experiment (${m.experiment.name}, hash ${m.experiment.hash.slice(0, 12)}; this one is ${plan.name}, hash ${experiment.hash.slice(0, 12)}): the experiment, its scenario files or the tool version changed; use another --out`,
      };
    }
    if (!sameShard(m.shard, shard)) {
      const show = (s: Shard | null): string => (s ? `shard ${s.index}/${s.count}` : 'the whole sweep');
      return { kind: 'refused', message: `${out} holds ${show(m.shard)}, not ${show(shard)}` };
    }
    if (previous.cut) {
      truncateToWholeLines(out, previous.wholeBytes);
      resumeWarnings.push(`${join(out, RESULTS_FILE)}: the last line was cut short (a killed sweep): dropped, that run is made again`);
    }
    if (previous.bad.length > 0) {
      const shown = previous.bad.length > 10 ? `${previous.bad.slice(0, 10).join(', ')} and ${previous.bad.length - 10} more` : previous.bad.join(', ');
      resumeWarnings.push(`${join(out, RESULTS_FILE)}: line${previous.bad.length === 1 ? '' : 's'} ${shown} ${previous.bad.length === 1 ? 'is' : 'are'} not a result line (corrupt): dropped, those runs are made again`);
    }
    // Keep each run's first successful line; failed runs are run again.
    const seen = new Set<string>();
    for (const l of previous.lines) {
      if (l.status !== 'ok' || seen.has(l.run)) continue;
      const point = experiment.points[l.point];
      if (!point || l.replication >= replicationCap(plan)) continue;
      seen.add(l.run);
      done.push(l);
    }
    if (done.length !== previous.lines.length || previous.bad.length > 0) rewriteResults(out, done);
  } else if (previous.lines.length > 0 || previous.cut) {
    // --resume without a manifest: results of unknown origin.
    return { kind: 'refused', message: `${out} has ${RESULTS_FILE} but no ${MANIFEST_FILE}: cannot tell which experiment it belongs to; use another --out` };
  }
  writeManifest(out, manifestFor(experiment, shard));

  // What each owned point has: replication -> precision metric value (null when failed or none).
  const precisionMetric = plan.precision?.metric;
  const progressOf: Map<number, number | null>[] = experiment.points.map(() => new Map());
  for (const l of done) progressOf[l.point]!.set(l.replication, precisionMetric ? (l.metrics[precisionMetric] ?? null) : null);
  const owned = experiment.points.filter((p) => !plan.precision || inShard(plan, { index: 0, point: p.index }, shard));
  const inFlight = new Map<number, number>(); // point -> runs in flight
  const nextRuns = (p: Point): RunRef[] =>
    pendingReplications(plan, progressOf[p.index]!, halfWidthOf)
      .map((r) => runRef(plan, p.index, r))
      .filter((ref) => inShard(plan, ref, shard));

  // Initial work (and the first total for progress), the longest runs first (see run-cost.ts).
  const initial = owned
    .map((p) => ({ p, runs: nextRuns(p) }))
    .sort((a, b) => (experiment.costs[b.p.index] ?? 0) - (experiment.costs[a.p.index] ?? 0) || a.p.index - b.p.index);
  let total = initial.reduce((n, x) => n + x.runs.length, 0);
  // No thread is started when nothing is left to run (a finished sweep resumed).
  // With a precision target more runs may come: size the pool for the most there can be.
  const most = plan.precision ? owned.length * replicationCap(plan) : total;
  if (early && most < early.concurrency) {
    await dropEarly();
    early = null;
  }
  const executor =
    opts.executor ?? (workers === 0 || total === 0 ? inlineExecutor(opts.runScenario) : (early ?? poolExecutor(Math.min(workers, most))));
  const progress = opts.progress ? opts.progress(experiment, total) : silentProgress;
  const writer = new ResultsWriter(out);
  const keepRuns = opts.keepRuns ?? true;
  const absOut = resolve(out);
  let ran = 0;
  let failed = 0;
  const failures: { run: string; error: string }[] = [];
  const newLines: ResultLine[] = [];

  const taskOf = (ref: RunRef, point: Point): RunTask => ({
    runId: ref.id,
    files: experiment.scenarioFiles,
    set: point.set,
    seed: ref.seed,
    metrics: withCostMetrics(plan.metrics),
    resultFile: keepRuns ? join(absOut, runFileName(ref.id)) : null,
  });

  progress.start(total);
  try {
    await new Promise<void>((resolveAll, rejectAll) => {
      let outstanding = 0;
      const submit = (p: Point, runs: readonly RunRef[]): void => {
        for (const ref of runs) {
          outstanding++;
          inFlight.set(p.index, (inFlight.get(p.index) ?? 0) + 1);
          executor
            .run(taskOf(ref, p))
            .then((reply) => {
              const line: ResultLine = {
                run: ref.id,
                index: ref.index,
                point: p.index,
                params: p.params,
                replication: ref.replication,
                seed: ref.seed,
                status: reply.status,
                ...(reply.status === 'failed' ? { error: reply.error ?? 'failed' } : {}),
                metrics: reply.metrics,
                result: reply.status === 'ok' && keepRuns ? runFileName(ref.id) : null,
                wallSeconds: Math.round(reply.wallSeconds * 1e6) / 1e6,
              };
              writer.append(line);
              newLines.push(line);
              ran++;
              if (reply.status === 'failed') {
                failed++;
                failures.push({ run: ref.id, error: line.error ?? '' });
              }
              progressOf[p.index]!.set(ref.replication, reply.status === 'ok' && precisionMetric ? (reply.metrics[precisionMetric] ?? null) : null);
              const left = inFlight.get(p.index)! - 1;
              inFlight.set(p.index, left);
              if (left === 0) {
                const more = nextRuns(p);
                if (more.length > 0) {
                  total += more.length;
                  submit(p, more);
                }
              }
              progress.update(ran, failed, total);
              outstanding--;
              if (outstanding === 0) resolveAll();
            })
            .catch(rejectAll);
        }
      };
      for (const { p, runs } of initial) if (runs.length > 0) submit(p, runs);
      if (outstanding === 0) resolveAll();
    });
  } finally {
    progress.stop();
    writer.close();
    if (!opts.executor && executor !== early) await executor.close();
  }

  const all = [...done, ...newLines];
  const summary = shard ? null : writeSummaryFiles(out, plan, experiment.hash, all);
  failures.sort((a, b) => (a.run < b.run ? -1 : a.run > b.run ? 1 : 0));
  return {
    kind: 'done',
    out,
    experiment,
    warnings: prepared.warnings,
    sources: prepared.sources,
    skipped: done.length,
    ran,
    failed,
    failures,
    summary,
    workers: executor.concurrency,
    wallSeconds: (performance.now() - started) / 1000,
    resumeWarnings,
  };
}
