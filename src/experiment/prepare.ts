/**
 * An experiment made ready to run: the file checked (experiment-file.ts), then the scenario loaded at
 * EVERY point through the ordinary loader — overrides applied and validated, nothing simulated — so a
 * parameter path that names nothing, or a value a field does not take, is reported before the first run,
 * at its place in the experiment file. A parameter whose values all give the same scenario (a path the
 * simulator does not read) is an error too: sweeping it would only repeat the same runs.
 *
 * The experiment hash (recorded in every output's manifest; `--resume` and `merge` compare it) covers
 * the plan, the text of every file the scenario read, and the tool version.
 */
import { createHash } from 'node:crypto';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { toolInfo } from './result-file.js';
import { prepareScenario, readScenarioFile } from '../scenario/load.js';
import { sortDiagnostics, type Diagnostic } from '../scenario/diagnostics.js';
import { OVERRIDE_FILE } from '../scenario/overrides.js';
import { locateOverride, readExperiment, type Experiment } from './experiment-file.js';
import { expandPoints, type PlanData, type Point } from './plan.js';
import { fixedCostPerHour } from './cost.js';
import { estimatedRequests } from './run-cost.js';

export interface FileHash {
  /** Relative to the experiment file's directory (portable between machines). */
  readonly path: string;
  readonly sha256: string;
}

export interface PreparedExperiment extends Experiment {
  readonly points: readonly Point[];
  readonly hash: string;
  /** Every file the scenario read (scenario files and sample files), with the hash of its text. */
  readonly files: readonly FileHash[];
  readonly tool: { readonly name: string; readonly version: string };
  /** Estimated requests of one run at each point (by point index): the sweep starts the longest first. */
  readonly costs: readonly number[];
  /** Price per hour of each point's nodes (up at the start) and load balancers: a plan's lower bound on cost. */
  readonly fixedCosts: readonly number[];
}

export type PrepareResult =
  | { readonly ok: true; readonly experiment: PreparedExperiment; readonly warnings: Diagnostic[]; readonly sources: ReadonlyMap<string, string> }
  | { readonly ok: false; readonly diagnostics: Diagnostic[]; readonly sources: ReadonlyMap<string, string> };

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted: the same plan gives the same text whatever order it was built in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function experimentHash(plan: PlanData, files: readonly FileHash[], tool: { name: string; version: string }): string {
  return sha256(canonicalJson({ schema: 'kube-netsim/experiment-hash/v1', tool, plan, files: [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) }));
}

function describePoint(point: Point): string {
  const parts = Object.entries(point.params).map(([k, v]) => `${k}=${String(v)}`);
  return parts.length ? `point ${point.index}: ${parts.join(', ')}` : `point ${point.index}`;
}

export interface PrepareOptions {
  readonly readFile?: (path: string) => string;
}

/** Reads the experiment and checks the scenario at every point. */
export function prepareExperiment(file: string, opts: PrepareOptions = {}): PrepareResult {
  const read = readExperiment(file, opts.readFile ? { readFile: opts.readFile } : {});
  if (!read.ok) return read;
  const experiment = read.experiment;
  const sources = new Map(read.sources);
  const baseDir = dirname(file);
  const texts = new Map<string, string>();
  const readRaw = opts.readFile ?? readScenarioFile;
  const readFile = (p: string): string => {
    const key = resolve(p);
    let t = texts.get(key);
    if (t === undefined) {
      t = readRaw(p);
      texts.set(key, t);
    }
    return t;
  };
  const plan = experiment.plan;
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [...read.warnings];
  const seen = new Set<string>();
  const keyOf = (d: Diagnostic): string => `${d.severity}|${d.file}|${d.line}|${d.col}|${d.path}|${d.message}`;
  const push = (d: Diagnostic): void => {
    const k = keyOf(d);
    if (seen.has(k)) return;
    seen.add(k);
    (d.severity === 'error' ? errors : warnings).push(d);
  };

  // The files are read and parsed once; each point then only applies its overrides and resolves.
  const scenario = prepareScenario(experiment.scenarioFiles, { readFile });
  // The base scenario with the experiment's fixed overrides.
  const base = scenario.load(plan.set);
  for (const [p, t] of base.sources) sources.set(p, t);
  const baseOrigins = experiment.origins(plan.factors.map(() => 0));
  const mapSet = (d: Diagnostic, origins: ReturnType<Experiment['origins']>): Diagnostic => {
    const origin = origins[d.line - 1];
    if (!origin) return d;
    const at = locateOverride(experiment, origin, d.col, d.length ?? 1);
    return { ...d, file: at.file, line: at.line, col: at.col, ...(at.length !== undefined ? { length: at.length } : {}) };
  };
  const baseList = base.ok ? base.warnings : base.diagnostics;
  for (const d of baseList) push(d.file === OVERRIDE_FILE ? mapSet(d, baseOrigins) : d);
  if (!base.ok) return { ok: false, diagnostics: sortDiagnostics([...errors, ...warnings]), sources };
  const baseKeys = new Set(baseList.filter((d) => d.file !== OVERRIDE_FILE).map((d) => `${d.file}|${d.line}|${d.col}|${d.path}|${d.message}`));

  // Every point.
  const points = expandPoints(plan);
  const fingerprints: string[] = [];
  const costs: number[] = [];
  const fixedCosts: number[] = [];
  const pointProblems = new Map<string, { d: Diagnostic; first: Point; more: number }>();
  for (const point of points) {
    const loaded = scenario.load(point.set);
    const origins = experiment.origins(point.levels);
    for (const d of loaded.ok ? loaded.warnings : loaded.diagnostics) {
      if (d.file === OVERRIDE_FILE) {
        const origin = origins[d.line - 1];
        if (origin && origin.factor === null) continue; // a fixed override: reported with the base
        push(mapSet(d, origins));
        continue;
      }
      const k = `${d.file}|${d.line}|${d.col}|${d.path}|${d.message}`;
      if (baseKeys.has(k)) continue;
      const entry = pointProblems.get(`${d.severity}|${k}`);
      if (entry) entry.more++;
      else pointProblems.set(`${d.severity}|${k}`, { d, first: point, more: 0 });
    }
    fingerprints.push(loaded.ok ? createHash('sha256').update(JSON.stringify(loaded.spec)).digest('hex') : `invalid-${point.index}`);
    costs.push(loaded.ok ? estimatedRequests(loaded.spec) : 0);
    fixedCosts.push(loaded.ok ? fixedCostPerHour(loaded.spec) : 0);
  }
  for (const { d, first, more } of pointProblems.values()) {
    const also = more > 0 ? ` and ${more} more point${more === 1 ? '' : 's'}` : '';
    push({ ...d, message: `${d.message} (at ${describePoint(first)}${also})` });
  }

  // Parameters that change nothing.
  if (errors.length === 0) {
    plan.factors.forEach((factor, f) => {
      if (factor.levels.length < 2) return;
      const groups = new Map<string, Set<string>>();
      for (const p of points) {
        const key = p.levels.filter((_, i) => i !== f).join(',');
        let g = groups.get(key);
        if (!g) groups.set(key, (g = new Set()));
        g.add(fingerprints[p.index]!);
      }
      if ([...groups.values()].every((g) => g.size === 1)) {
        const origin = experiment.origins(plan.factors.map(() => 0)).find((o) => o.factor === f)!;
        const at = experiment.res.locate(origin.pathAt);
        push({
          severity: 'error',
          file: at.file,
          line: at.line,
          col: at.col,
          ...(at.length !== undefined ? { length: at.length } : {}),
          path: experiment.res.pathText(origin.pathAt),
          message: `parameter "${factor.name}" changes nothing the simulator reads: every value gives the same scenario${factor.paths.length === 1 ? ` (is ${factor.paths[0]} a field the simulator uses? see the warnings)` : ''}`,
        });
      }
    });
  }

  if (errors.length > 0) return { ok: false, diagnostics: sortDiagnostics([...errors, ...warnings]), sources };

  const files: FileHash[] = [...texts.entries()].map(([abs, text]) => {
    const rel = relative(resolve(baseDir), abs).split('\\').join('/');
    return { path: isAbsolute(rel) ? abs : rel, sha256: sha256(text) };
  });
  const tool = toolInfo();
  const hash = experimentHash(plan, files, tool);
  return {
    ok: true,
    experiment: { ...experiment, points, hash, files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), tool, costs, fixedCosts },
    warnings: sortDiagnostics(warnings),
    sources,
  };
}
