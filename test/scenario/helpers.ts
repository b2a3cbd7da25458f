import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { ModelSpec } from '../../src/model/spec.js';
import { formatDiagnostic, loadScenario, type Diagnostic, type LoadOptions, type LoadResult } from '../../src/scenario/index.js';

export const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** Loads texts given as [path, text] pairs. */
export function load(files: Record<string, string>, opts: LoadOptions = {}): LoadResult {
  return loadScenario(Object.entries(files).map(([path, text]) => ({ path, text })), opts);
}

/** Asserts success and returns the spec and warnings (as formatted lines). */
export function ok(r: LoadResult): { spec: ModelSpec; warnings: string[]; raw: Diagnostic[] } {
  if (!r.ok) expect.fail(`expected the scenario to load, got:\n${r.diagnostics.map((d) => formatDiagnostic(d)).join('\n')}`);
  return { spec: r.spec, warnings: r.warnings.map((d) => formatDiagnostic(d)), raw: r.warnings };
}

/** Asserts failure and returns the errors (formatted lines) and all diagnostics. */
export function failed(r: LoadResult): { errors: string[]; warnings: string[]; all: Diagnostic[] } {
  if (r.ok) expect.fail('expected errors, but the scenario loaded');
  return {
    errors: r.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d)),
    warnings: r.diagnostics.filter((d) => d.severity === 'warning').map((d) => formatDiagnostic(d)),
    all: r.diagnostics,
  };
}

/** Joins lines into a YAML text (line k of the array is line k+1 of the file). */
export const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`;

export const TWO_NODE_CLUSTER = yaml(
  'apiVersion: netsim/v1',
  'kind: Cluster',
  'spec:',
  '  nodes:',
  '    - name: k8s-node1',
  '    - name: k8s-node2',
);
