/**
 * A sweep's output directory (src/experiment/store.ts) as a {@link ReportInput}:
 *
 *     manifest.json    the plan: factors (parameters), levels, replications, confidence level
 *     results.jsonl    one line per run: point, parameters, replication, seed, metrics, runs/<id>.json
 *     runs/<id>.json   each run's full result (absent when the sweep ran with keepRuns off)
 *     summary.json     paired differences (recomputed from results.jsonl when the file is missing)
 *
 * Configurations are the points' parameters without the load parameter; the load parameter is the factor
 * that sets client rates (every path ends in `.rate`) or is named load, rate, rps or qps.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { summarize, type Summary } from '../experiment/aggregate.js';
import { expandPoints, type Factor } from '../experiment/plan.js';
import { readResultFile } from '../experiment/result-file.js';
import { readStoredFile } from '../experiment/safe-io.js';
import { readPlanFile } from '../experiment/search/plan-file.js';
import { parseStoredJson, validateSummaryData } from '../experiment/stored-schema.js';
import { MANIFEST_FILE, readManifest, readResults, RESULTS_FILE, SUMMARY_JSON, type Manifest, type ResultLine } from '../experiment/store.js';
import type { PairedDifference, ParameterValue, Provenance, ReportInput, ReportPoint, RunSample, RunView } from './inputs.js';

export const SWEEP_RESULTS_FILE = RESULTS_FILE;
export const SWEEP_MANIFEST_FILE = MANIFEST_FILE;

/** The factor that sets the offered load, if any (see the module comment). */
export function loadFactor(factors: readonly Pick<Factor, 'name' | 'paths'>[]): string | null {
  const byPath = factors.find((f) => f.paths.length > 0 && f.paths.every((p) => /\.rate$/.test(p)));
  if (byPath) return byPath.name;
  const byName = factors.find((f) => /^(load|rate|rps|qps|offered[-_ ]?load)$/i.test(f.name));
  return byName?.name ?? null;
}

export function loadSweep(dir: string, name: string, fail: (message: string) => never): ReportInput {
  let manifest: Manifest;
  try {
    manifest = readManifest(dir);
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  const plan = manifest.plan;
  let read: ReturnType<typeof readResults>;
  try {
    read = readResults(dir);
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  const warnings: string[] = [];
  if (read.cut) warnings.push(`${RESULTS_FILE} ends in a line cut short (a sweep still running or killed); that run is left out`);
  if (read.bad.length > 0) warnings.push(`${RESULTS_FILE}: ${read.bad.length} unreadable line(s) left out`);
  const failed = read.lines.filter((l) => l.status === 'failed');
  if (failed.length > 0) warnings.push(`${failed.length} run(s) failed and are left out (see ${RESULTS_FILE})`);
  if (manifest.shard) warnings.push(`this output holds shard ${manifest.shard.index}/${manifest.shard.count} of the sweep only`);

  const load = loadFactor(plan.factors);
  const ok = new Map<number, ResultLine[]>();
  for (const line of [...read.lines].sort((a, b) => a.index - b.index || a.replication - b.replication)) {
    if (line.status !== 'ok') continue;
    let list = ok.get(line.point);
    if (!list) ok.set(line.point, (list = []));
    if (!list.some((l) => l.replication === line.replication)) list.push(line);
  }

  let missingResults = 0;
  const points: ReportPoint[] = [];
  for (const point of expandPoints(plan)) {
    const parameters: ParameterValue[] = plan.factors.map((f) => ({ name: f.name, value: point.params[f.name] ?? null }));
    const runs: RunSample[] = (ok.get(point.index) ?? []).map((line) => {
      const result = line.result === null ? null : readRun(dir, line.result, fail);
      if (result === null) missingResults++;
      return { replication: line.replication, seed: line.seed, result, metrics: line.metrics };
    });
    if (runs.length === 0) continue;
    points.push({ id: `p${point.index}`, configuration: configurationOf(parameters, load, plan.name), parameters, runs });
  }
  if (points.length === 0) fail(`${dir}: the sweep has no successful run yet`);
  if (missingResults > 0) {
    warnings.push(`${missingResults} run(s) without their full result (runs/ not kept): only their metrics are used`);
  }

  const summary = readSummary(dir, fail) ?? summarize(plan, manifest.experiment.hash, read.lines);
  const planFile = readPlanFile(dir);
  const results = points.flatMap((p) => p.runs.flatMap((r) => (r.result ? [r.result] : [])));
  const provenance: Provenance = {
    scenarios: distinct(results.map((r) => r.scenario)).length > 0 ? distinct(results.map((r) => r.scenario)) : [...plan.scenario],
    experiment: plan.name,
    files: manifest.experiment.files,
    overrides: plan.set,
    seeds: distinct(
      [...read.lines].sort((a, b) => a.replication - b.replication).filter((l) => l.status === 'ok').map((l) => l.seed),
    ),
    replications: Math.max(...points.map((p) => p.runs.length)),
    confidenceLevel: plan.confidence,
    tool: `${manifest.tool.name} ${manifest.tool.version}`,
    parameters: plan.factors.map((f) => `${f.name}: ${f.paths.join(', ')}`),
    warnings,
  };
  return {
    kind: 'sweep',
    name,
    provenance,
    configurations: distinct(points.map((p) => p.configuration)),
    loadParameter: load,
    points,
    differences: differencesOf(summary, load),
    ...(planFile ? { plan: planFile } : {}),
  };
}

/** `policy=Local, replicas=4`: the point's parameters without the load; the experiment's name if none. */
export function configurationOf(parameters: readonly ParameterValue[], load: string | null, fallback: string): string {
  const rest = parameters.filter((p) => p.name !== load);
  return rest.length === 0 ? fallback : rest.map((p) => `${p.name}=${String(p.value)}`).join(', ');
}

function readRun(dir: string, relative: string, fail: (message: string) => never): RunView | null {
  const path = join(dir, relative);
  if (!existsSync(path)) return null;
  try {
    return readResultFile(path);
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
}

/** summary.json, validated on read (a file of the wrong shape is bad input); null when there is none. */
function readSummary(dir: string, fail: (message: string) => never): Summary | null {
  const path = join(dir, SUMMARY_JSON);
  if (!existsSync(path)) return null;
  try {
    const data = parseStoredJson(readStoredFile(path).toString('utf8'), path);
    validateSummaryData(data, path);
    return data as Summary;
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
}

/** The summary's differences between configurations (differences along the load factor are left out). */
function differencesOf(summary: Summary, load: string | null): PairedDifference[] {
  const units = new Map(summary.metrics.map((m) => [m.name, m.unit as string]));
  const out: PairedDifference[] = [];
  for (const d of summary.differences) {
    if (d.factor === load) continue;
    const fixed = Object.entries(d.fixed).map(([name, value]) => ({ name, value }));
    for (const metric of summary.metrics) {
      const s = d.metrics[metric.name];
      if (!s) continue;
      out.push({
        metric: metric.name,
        unit: units.get(metric.name) ?? '',
        factor: d.factor,
        from: String(d.from.level),
        to: String(d.to.level),
        fixed,
        mean: s.mean,
        lower: s.lower,
        upper: s.upper,
        n: s.n,
        significant: s.significant,
      });
    }
  }
  return out;
}

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
