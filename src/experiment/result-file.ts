/**
 * `result.json`: one run's {@link RunResult} plus its provenance (tool version, scenario files and their
 * hashes, seed, `--set` overrides). Documented by `schemas/result.schema.json` and `docs/results.md`.
 *
 * Determinism: the same files, overrides and seed give the same bytes, except the three wall-clock figures
 * in `engine` ({@link WALL_CLOCK_FIELDS}). Nothing else that varies between machines or runs is written: no
 * date, no host name, no absolute path (scenario paths are kept as the user gave them).
 *
 * Key order is fixed here for the top level (provenance first, then the result in the order of
 * {@link RunResult}); nested objects keep the order the model builds them in, which is fixed by code.
 */
import { RESULT_SCHEMA, type RunResult } from '../model/result.js';
import { toolInfo, type ToolInfo } from './tool-info.js';
import type { ScenarioFileHash } from './run-scenario.js';
import { readStoredFile } from './safe-io.js';
import { StoredFileError, validateResultData } from './stored-schema.js';

export { RESULT_SCHEMA };
export { toolInfo, type ToolInfo };

export interface ResultFile extends Omit<RunResult, 'schema' | 'scenario' | 'seed'> {
  readonly schema: typeof RESULT_SCHEMA;
  /** The program that wrote the file. */
  readonly tool: ToolInfo;
  readonly scenario: string;
  /** Scenario files in the order given, with the SHA-256 of their text. */
  readonly files: readonly ScenarioFileHash[];
  readonly seed: number | string;
  /** `--set PATH=VALUE` overrides in the order applied. */
  readonly overrides: readonly string[];
}

/** The only fields that differ between two runs of the same input (all in `engine`). */
export const WALL_CLOCK_FIELDS = ['wallSeconds', 'eventsPerWallSecond', 'requestsPerWallSecond'] as const;


export interface ResultProvenance {
  readonly files: readonly ScenarioFileHash[];
  readonly overrides?: readonly string[];
  readonly tool?: ToolInfo;
}

/** RunResult + provenance, keys in the documented order. */
export function toResultFile(result: RunResult, provenance: ResultProvenance): ResultFile {
  const tool = provenance.tool ?? toolInfo();
  return {
    schema: RESULT_SCHEMA,
    tool: { name: tool.name, version: tool.version },
    scenario: result.scenario,
    files: provenance.files.map((f) => ({ path: f.path, sha256: f.sha256 })),
    seed: result.seed,
    overrides: [...(provenance.overrides ?? [])],
    stop: result.stop,
    warmup: result.warmup,
    measuredSeconds: result.measuredSeconds,
    accounting: result.accounting,
    latency: result.latency,
    latencyByPath: result.latencyByPath,
    paths: result.paths,
    ...(result.cost !== undefined ? { cost: result.cost } : {}),
    pods: result.pods,
    nodes: result.nodes,
    zones: result.zones,
    clients: result.clients,
    engine: result.engine,
    latencyByStage: result.latencyByStage,
    timeSeries: result.timeSeries,
    ...(result.dns !== undefined ? { dns: result.dns } : {}),
    ...(result.ingress !== undefined ? { ingress: result.ingress } : {}),
    ...(result.externalHosts !== undefined ? { externalHosts: result.externalHosts } : {}),
    ...(result.events !== undefined ? { events: result.events } : {}),
  };
}

/**
 * The bytes of `result.json`: two-space indented JSON and a final newline. JSON.stringify is deterministic
 * for a given object (key insertion order, shortest round-trip number form).
 */
export function serializeResultFile(file: ResultFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** A copy with the wall-clock fields set to 0: what two runs of the same input agree on byte for byte. */
export function withoutWallClock(file: ResultFile): ResultFile {
  const engine: Record<string, unknown> = { ...file.engine };
  for (const k of WALL_CLOCK_FIELDS) engine[k] = 0;
  return { ...file, engine: engine as unknown as ResultFile['engine'] };
}

/**
 * Parses a `result.json` text. Checks the envelope (a JSON object with the right `schema`), and with
 * `validate` the whole file against the published JSON Schema. Throws a {@link StoredFileError} (one line:
 * the file, the field, the problem) otherwise.
 */
export function parseResultFile(text: string, name = 'result.json', opts: { readonly validate?: boolean } = {}): ResultFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new StoredFileError(name, '', `not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new StoredFileError(name, '', 'expected a JSON object');
  }
  const schema = (data as { schema?: unknown }).schema;
  if (schema !== RESULT_SCHEMA) {
    throw new StoredFileError(name, '', `expected "schema": "${RESULT_SCHEMA}", found ${JSON.stringify(schema) ?? 'nothing'}`);
  }
  if (opts.validate === true) validateResultData(data, name);
  return data as ResultFile;
}

/**
 * Reads, parses and validates a stored `result.json` file (size-capped; `noLinks`: a symbolic link is
 * refused). Throws StoredFileError / UnsafePathError for a bad file.
 */
export function readResultFile(path: string, opts: { readonly noLinks?: boolean } = {}): ResultFile {
  return parseResultFile(readStoredFile(path, { noLinks: opts.noLinks === true }).toString('utf8'), path, { validate: true });
}
