/**
 * One run: scenario files -> validated spec -> simulation -> result. The single pipeline that `netsim run`
 * and every sweep worker go through, so a sweep point and a plain run of the same files, overrides and
 * seed give the same result.
 */
import { createHash } from 'node:crypto';
import type { RunResult } from '../model/result.js';
import { simulate } from '../model/simulation.js';
import type { ModelSpec } from '../model/spec.js';
import { prepareScenario, readScenarioFile, type Diagnostic, type IgnoredResource, type LoadOptions, type PreparedScenario } from '../scenario/index.js';
import { withCost } from './cost.js';

export interface RunRequest {
  /** Scenario files, in order (later files may add to earlier ones). */
  readonly files: readonly string[];
  /** `PATH=VALUE` overrides (as `--set`), applied before validation. */
  readonly set?: readonly string[];
  /** Overrides the scenario's `Simulation.spec.seed`. */
  readonly seed?: number | string;
  /** `--placement`: where a dump's live pods run (wins over `Simulation.spec.placement`). */
  readonly placement?: LoadOptions['placement'];
  readonly readFile?: LoadOptions['readFile'];
  readonly onProgress?: (fraction: number) => void;
  /**
   * Called with the validated spec before the simulation starts; may throw to stop there (`netsim run`
   * refuses an output folder that holds results before spending the run, not after).
   */
  readonly beforeSimulate?: (spec: ModelSpec) => void;
  /** The event ceiling (`--max-events`); default DEFAULT_MAX_EVENTS of simulation.ts. */
  readonly maxEvents?: number;
  /**
   * `files` already read and parsed (see `prepareScenario`): a sweep worker keeps them between runs, so
   * that a run does not parse the same YAML again. It must have been prepared from `files`.
   */
  readonly prepared?: PreparedScenario;
}

export interface ScenarioFileHash {
  readonly path: string;
  readonly sha256: string;
}

export type RunOutcome =
  | {
      readonly ok: true;
      readonly result: RunResult;
      readonly spec: ModelSpec;
      readonly files: readonly ScenarioFileHash[];
      readonly warnings: readonly Diagnostic[];
      /** Objects read but not simulated, with the reason. */
      readonly ignored: readonly IgnoredResource[];
    }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[]; readonly sources: ReadonlyMap<string, string> };

/** Loads and simulates. Bad input comes back as diagnostics, never as an exception. */
export function runScenario(request: RunRequest): RunOutcome {
  const readFile = request.readFile ?? readScenarioFile;
  const scenario = request.prepared ?? prepareScenario(request.files, { readFile, ...(request.placement !== undefined ? { placement: request.placement } : {}) });
  const loaded = scenario.load(request.set ?? []);
  if (!loaded.ok) return { ok: false, diagnostics: loaded.diagnostics, sources: loaded.sources };
  const spec = request.seed === undefined ? loaded.spec : withSeed(loaded.spec, request.seed);
  request.beforeSimulate?.(spec);
  const result = withCost(
    simulate(spec, {
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      ...(request.maxEvents !== undefined ? { maxEvents: request.maxEvents } : {}),
    }),
    spec,
  );
  const files = [...loaded.sources.entries()].map(([path, text]) => ({
    path,
    sha256: createHash('sha256').update(text).digest('hex'),
  }));
  return { ok: true, result, spec, files, warnings: loaded.warnings, ignored: loaded.ignored };
}

function withSeed(spec: ModelSpec, seed: number | string): ModelSpec {
  return { ...spec, simulation: { ...spec.simulation, seed } };
}
