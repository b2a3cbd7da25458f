/**
 * One sweep run as a task: what crosses to a worker thread (plain data) and what comes back (plain data:
 * the run's status and its metrics of interest, never the model). The run goes through the same
 * {@link runScenario} pipeline as `netsim run`; its full result is written by the worker itself as a
 * `result.json`-format file, so the large RunResult never crosses threads.
 */
import { readFileSync, statSync } from 'node:fs';
import { formatDiagnostic } from '../scenario/diagnostics.js';
import { DEFAULT_MAX_FILE_BYTES, prepareScenario, type PreparedScenario, type ScenarioFile } from '../scenario/index.js';
import { evaluateMetrics, parseMetric, type MetricSpec } from './metrics.js';
import { serializeResultFile, toResultFile } from './result-file.js';
import { runScenario } from './run-scenario.js';
import { writeAtomic } from './safe-io.js';

export interface RunTask {
  readonly runId: string;
  readonly files: readonly string[];
  readonly set: readonly string[];
  readonly seed: number;
  readonly metrics: readonly string[];
  /** Where to write the run's result file (result.json format), or null for none. */
  readonly resultFile: string | null;
}

export interface RunReply {
  readonly runId: string;
  readonly status: 'ok' | 'failed';
  /** Why a failed run failed (one line, or the first diagnostics). */
  readonly error?: string;
  readonly metrics: Readonly<Record<string, number | null>>;
  /** Wall-clock time of the run in the worker (not part of any summary). */
  readonly wallSeconds: number;
}

const metricCache = new Map<string, MetricSpec>();

/**
 * Scenario files of recent tasks, parsed, by path and text. Every run of a sweep reads the same files with
 * different overrides: parsing them once per worker instead of once per run saves ~10 ms a run (a sixth
 * of a short run). The files are still read for every run and the text is part of the key, so an edited
 * file is parsed afresh, never served stale.
 */
const scenarioCache = new Map<string, PreparedScenario>();
const SCENARIO_CACHE_ENTRIES = 4;

function preparedFor(files: readonly string[]): PreparedScenario | undefined {
  let texts: ScenarioFile[];
  try {
    // An unreadable or oversized file: the run reports it through the ordinary loader.
    if (files.some((path) => statSync(path).size > DEFAULT_MAX_FILE_BYTES)) return undefined;
    texts = files.map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  } catch {
    return undefined;
  }
  const key = JSON.stringify(texts);
  let p = scenarioCache.get(key);
  if (p === undefined) {
    p = prepareScenario(texts);
    if (scenarioCache.size >= SCENARIO_CACHE_ENTRIES) scenarioCache.delete(scenarioCache.keys().next().value!);
    scenarioCache.set(key, p);
  }
  return p;
}

function metricSpecs(names: readonly string[]): MetricSpec[] {
  return names.map((n) => {
    let m = metricCache.get(n);
    if (!m) metricCache.set(n, (m = parseMetric(n)));
    return m;
  });
}

function message(e: unknown): string {
  if (e instanceof Error) return `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}`;
  return String(e);
}

/** Runs one task. Never throws: a failure comes back as `status: 'failed'` with the reason. */
export function executeRun(task: RunTask, run: typeof runScenario = runScenario): RunReply {
  const start = performance.now();
  const wall = (): number => (performance.now() - start) / 1000;
  try {
    const prepared = run === runScenario ? preparedFor(task.files) : undefined;
    const outcome = run({ files: task.files, set: task.set, seed: task.seed, ...(prepared ? { prepared } : {}) });
    if (!outcome.ok) {
      const errors = outcome.diagnostics.filter((d) => d.severity === 'error');
      const text = errors.slice(0, 3).map((d) => formatDiagnostic(d)).join('; ');
      return { runId: task.runId, status: 'failed', error: `invalid scenario: ${text}${errors.length > 3 ? `; and ${errors.length - 3} more` : ''}`, metrics: {}, wallSeconds: wall() };
    }
    const metrics = evaluateMetrics(metricSpecs(task.metrics), outcome.result);
    if (task.resultFile !== null) {
      const text = serializeResultFile(toResultFile(outcome.result, { files: outcome.files, overrides: task.set }));
      // Atomic, through a fresh temporary file; a link at runs/<id>.json is refused (docs/reliability.md).
      writeAtomic(task.resultFile, text);
    }
    return { runId: task.runId, status: 'ok', metrics, wallSeconds: wall() };
  } catch (e) {
    return { runId: task.runId, status: 'failed', error: message(e), metrics: {}, wallSeconds: wall() };
  }
}
