/**
 * `-o json` and `-o yaml` of `validate` and `describe`: what the text shows, as data, for scripts. The
 * shapes are published as JSON Schemas (schemas/validate.schema.json, schemas/describe.schema.json) and
 * pinned by golden tests (test/cli/golden/). Same input, same bytes: nothing here depends on the clock, the
 * machine or the tool's version.
 *
 * Room is left for what loading dumps adds (#13): `ignored` lists every object read but not simulated
 * (with whatever the loader says about it, e.g. its reason), and `placement` says how pods were placed.
 */
import { stringify } from 'yaml';
import type { ModelSpec } from '../../model/spec.js';
import type { Diagnostic, IgnoredResource } from '../../scenario/index.js';

export const VALIDATE_SCHEMA = 'netsim.validate/v1';

/** A diagnostic as data: location, field, message, and expected/found when the loader gave them. */
export function diagnosticData(d: Diagnostic): Record<string, unknown> {
  return {
    severity: d.severity,
    file: d.file,
    line: d.line,
    col: d.col,
    path: d.path,
    message: d.message,
    ...(d.expected !== undefined ? { expected: d.expected } : {}),
    ...(d.found !== undefined ? { found: d.found } : {}),
  };
}

/** An object read but not simulated: kind and name first, then its place, then anything else the loader says. */
export function ignoredData(r: IgnoredResource): Record<string, unknown> {
  const { apiVersion, kind, name, file, line, ...rest } = r as IgnoredResource & Record<string, unknown>;
  return { apiVersion, kind, name: name ?? null, ...rest, file, line };
}

/** What the loader made of the input, by the numbers. */
function counts(spec: ModelSpec): Record<string, number> {
  return {
    nodes: spec.nodes.length,
    zones: new Set(spec.nodes.map((n) => n.zone)).size,
    pods: spec.pods.length,
    pendingPods: spec.pods.filter((p) => p.nodeName === null).length,
    services: spec.services.length,
    clients: spec.clients.length,
  };
}

export interface Provenance {
  readonly files: readonly string[];
  readonly overrides: readonly string[];
  /** How pods were placed, when the loader says (`as-is` or `reschedule`). */
  readonly placement?: string;
}

/** `netsim validate -o json`: valid or not, what was built, every problem, what was not used. */
export function validateData(
  from: Provenance,
  loaded: { readonly spec?: ModelSpec; readonly diagnostics: readonly Diagnostic[]; readonly ignored: readonly IgnoredResource[] },
): Record<string, unknown> {
  const valid = loaded.spec !== undefined;
  return {
    schema: VALIDATE_SCHEMA,
    valid,
    files: [...from.files],
    overrides: [...from.overrides],
    ...(from.placement !== undefined ? { placement: from.placement } : {}),
    counts: loaded.spec ? counts(loaded.spec) : null,
    errors: loaded.diagnostics.filter((d) => d.severity === 'error').length,
    warnings: loaded.diagnostics.filter((d) => d.severity === 'warning').length,
    diagnostics: loaded.diagnostics.map(diagnosticData),
    ignored: loaded.ignored.map(ignoredData),
  };
}

/** The document in the chosen format, ending with a newline. */
export function serialize(data: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : stringify(data, { lineWidth: 0 });
}
