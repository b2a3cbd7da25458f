/**
 * `--set PATH=VALUE` overrides, applied to the objects as read, before validation — so an overridden
 * value is checked like a written one, and its errors point at the `--set` (`--set:2:31`, the 2nd
 * override, column 31). Sweeps use the same paths.
 *
 *     Workload.spec.clients[0].rate=5k/s
 *     Service/web.spec.externalTrafficPolicy=Local
 *     Deployment/web.spec.template.metadata.annotations.netsim/concurrency="16"
 *     Workload.spec.clients[0].connection={pool: {connections: 4}}
 *
 * The value is YAML (`5` is a number, `"5"` a string, `{a: 1}` a mapping). Without a name, the kind must
 * name exactly one object. Missing mappings on the way are created; a list index must exist. A path that
 * names nothing is an error, except that a netsim/v1 kind the files do not have is created (empty, so
 * its defaults apply): `--set Simulation.spec.duration=5s` works on plain manifests. Its problems (a
 * required field not given) point at the `--set` that created it.
 */
import { ParseError } from '../engine/parse-error.js';
import { diagnostic, splitExpectedFound, type Diagnostic } from './diagnostics.js';
import { DEFAULT_MAX_ALIAS_COUNT } from './documents.js';
import { suggest } from './near-miss.js';
import { formatFieldPath, parseOverride, type ParsedOverride } from './path.js';
import { SUPPORTED_KINDS } from './kinds/registry.js';
import { deepCopy, Resource } from './resource.js';
import { SourceText, type Segment } from './source-map.js';

export const OVERRIDE_FILE = '--set';

/** The kinds an override may create (netsim's own: they have defaults; a Kubernetes object does not). */
const NETSIM_API_VERSION = 'netsim/v1';
const NETSIM_KINDS: readonly string[] = SUPPORTED_KINDS[NETSIM_API_VERSION] ?? [];

/**
 * An empty netsim object (`metadata.name` only when given), made by the override on command-line line
 * `line`: any problem with it is reported there.
 */
function createNetsimResource(kind: string, name: string | undefined, line: number): Resource {
  const source = new SourceText(OVERRIDE_FILE, '', () => ({ line, col: 1 }));
  const value: Record<string, unknown> = { apiVersion: NETSIM_API_VERSION, kind, ...(name !== undefined ? { metadata: { name } } : {}), spec: {} };
  return new Resource(source, 0, [], NETSIM_API_VERSION, kind, value);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Applies overrides to `resources`, in place: each overridden resource's value is first replaced by a
 * deep copy (so a YAML alias shared by two places is not changed in both), and the override is recorded
 * for locating errors. To apply different overrides to one read, clone the resources first
 * (`Resource.clone`, or `prepareScenario`). Returns one diagnostic per override that could not be applied.
 */
export function applyOverrides(resources: Resource[], overrides: readonly string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const copied = new Set<Resource>();
  overrides.forEach((text, index) => {
    const line = index + 1;
    const at = (offset: number, length = 1) => ({ file: OVERRIDE_FILE, line, col: offset + 1, length });
    let parsed: ParsedOverride;
    try {
      parsed = parseOverride(text);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      out.push(diagnostic('error', at(e.offset, e.length), text, { ...splitExpectedFound(e.message), message: splitExpectedFound(e.message).message ?? 'the form is Kind[/name].field.path=value' }));
      return;
    }
    const targetText = text.slice(0, parsed.valueOffset - 1);

    // The value, parsed as YAML with positions on the command line.
    const source = new SourceText(OVERRIDE_FILE, parsed.valueText, (o) => ({ line, col: parsed.valueOffset + o + 1 }));
    let value: unknown = parsed.valueText;
    const doc = source.docs[0];
    if (doc && doc.errors.length === 0) {
      try {
        value = doc.toJS({ maxAliasCount: DEFAULT_MAX_ALIAS_COUNT });
      } catch {
        value = parsed.valueText;
      }
    }

    // Which objects; a netsim kind the files lack is made here, named as the override names it.
    let ofKind = resources.filter((r) => r.kind === parsed.kind);
    if (ofKind.length === 0 && NETSIM_KINDS.includes(parsed.kind) && parsed.names.length <= 1) {
      const made = createNetsimResource(parsed.kind, parsed.names[0], line);
      resources.push(made);
      ofKind = [made];
    }
    if (ofKind.length === 0) {
      const kinds = [...new Set(resources.map((r) => r.kind))];
      const hint = suggest(parsed.kind, kinds);
      out.push(diagnostic('error', at(0, parsed.kind.length), targetText, {
        message: `names nothing: the scenario has no ${parsed.kind}${hint ? ` (did you mean ${hint}?)` : kinds.length ? ` (it has ${kinds.join(', ')})` : ''}`,
      }));
      return;
    }
    let targets = ofKind;
    if (parsed.names.length === 1) targets = ofKind.filter((r) => r.name === parsed.names[0]);
    if (parsed.names.length === 2) targets = ofKind.filter((r) => r.namespace === parsed.names[0] && r.name === parsed.names[1]);
    const namesEnd = parsed.offsets[0]! - 1; // the '.' or '[' after the names
    const nameSpan = at(parsed.kind.length + 1, Math.max(1, namesEnd - parsed.kind.length - 1));
    if (targets.length === 0) {
      const names = ofKind.map((r) => r.name ?? '(unnamed)');
      const want = parsed.names[parsed.names.length - 1]!;
      const hint = suggest(want, names.filter((n) => n !== '(unnamed)'));
      out.push(diagnostic('error', nameSpan, targetText, {
        message: `names nothing: no ${parsed.kind} named "${parsed.names.join('/')}"${hint ? ` (did you mean "${hint}"?)` : ` (there are: ${names.join(', ')})`}`,
      }));
      return;
    }
    if (targets.length > 1) {
      const names = targets.map((r) => (r.namespace !== 'default' ? `${r.namespace}/${r.name}` : r.name));
      out.push(diagnostic('error', at(0, parsed.kind.length), targetText, {
        message: `ambiguous: the scenario has ${targets.length} ${parsed.kind} objects (${names.join(', ')}); write ${parsed.kind}/<name>`,
      }));
      return;
    }
    const res = targets[0]!;
    if (!copied.has(res)) {
      res.value = deepCopy(res.value) as Record<string, unknown>;
      copied.add(res);
    }

    // Walk and set. Keys that reach into JavaScript's object machinery are never followed.
    const path = parsed.path;
    const forbidden = path.findIndex((s) => s === '__proto__' || s === 'constructor' || s === 'prototype');
    if (forbidden >= 0) {
      out.push(diagnostic('error', at(parsed.offsets[forbidden]!, String(path[forbidden]).length), targetText, { message: `names nothing: "${String(path[forbidden])}" is not a field` }));
      return;
    }
    let node: unknown = res.value;
    for (let k = 0; k < path.length; k++) {
      const seg = path[k]!;
      const last = k === path.length - 1;
      const segAt = at(parsed.offsets[k]!, 1);
      const so = formatFieldPath(path.slice(0, k)) || res.kind;
      if (typeof seg === 'number') {
        if (!Array.isArray(node)) {
          out.push(diagnostic('error', segAt, targetText, { message: `names nothing: ${so} is not a list` }));
          return;
        }
        if (seg >= node.length) {
          out.push(diagnostic('error', segAt, targetText, { message: `names nothing: ${so} has ${node.length} item${node.length === 1 ? '' : 's'} (indexes from 0)` }));
          return;
        }
        if (last) node[seg] = value;
        else {
          if (node[seg] === null || node[seg] === undefined) node[seg] = typeof path[k + 1] === 'number' ? [] : {};
          node = node[seg];
        }
      } else {
        if (!isObject(node)) {
          out.push(diagnostic('error', segAt, targetText, { message: `names nothing: ${so} is not a mapping` }));
          return;
        }
        if (last) node[seg] = value;
        else {
          if (node[seg] === null || node[seg] === undefined) {
            if (typeof path[k + 1] === 'number') {
              out.push(diagnostic('error', at(parsed.offsets[k + 1]!, 1), targetText, { message: `names nothing: ${formatFieldPath(path.slice(0, k + 1))} is not there` }));
              return;
            }
            node[seg] = {};
          }
          node = node[seg];
        }
      }
    }
    res.overrides.push({ path: path as readonly Segment[], source });
  });
  return out;
}
