/**
 * The scenario layer's entry point: YAML files (+ `--set` overrides) -> a validated, resolved ModelSpec,
 * or every problem found, each with `file:line:col`. Nothing is returned from a half-valid input.
 *
 *   read (limits, YAML errors, List unwrapping, kinds sorted)
 *   -> overrides (before validation, so overridden values are checked like written ones)
 *   -> validate (one zod schema per kind)
 *   -> resolve (cluster, pods + placement + addresses, services + allocation, clients, simulation)
 *
 * Every stage runs even after errors in earlier ones (on whatever validated), so one run reports all.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { ModelSpec, SimulationSpec } from '../model/spec.js';
import { buildClients } from './build-clients.js';
import { buildCluster } from './build-cluster.js';
import { buildDnsSpec, buildExternalHosts, defaultExternalHost } from './build-dns.js';
import { buildIngresses, controllerResources } from './build-ingress.js';
import { buildPods } from './build-pods.js';
import { buildServices } from './build-services.js';
import { buildTime } from './build-time.js';
import { DEFAULTS } from './defaults.js';
import { sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { DEFAULT_MAX_FILE_BYTES, formatSize, readDocuments, type IgnoredResource, type ScenarioFile } from './documents.js';
import { applyOverrides } from './overrides.js';
import { Problems } from './problems.js';
import type { Resource } from './resource.js';
import { validateResources, type ValidatedScenario } from './validate.js';
import { checkWork } from './work-estimate.js';

export interface LoadOptions {
  /**
   * Reads a file: the scenario files given by path, and sample files of `empirical(...)` distributions
   * (resolved against the directory of the scenario file that names them). Default: the file system.
   */
  readonly readFile?: (path: string) => string;
  /** `--set PATH=VALUE` overrides, applied in order before validation. */
  readonly set?: readonly string[];
  /** Refuse larger files (default 16 MiB). */
  readonly maxFileBytes?: number;
  /** Refuse documents that expand more aliases than this (default 1000). */
  readonly maxAliasCount?: number;
}

export type LoadResult =
  | {
      readonly ok: true;
      readonly spec: ModelSpec;
      readonly warnings: Diagnostic[];
      /** Objects read but not simulated (ConfigMap, IngressClass...). */
      readonly ignored: IgnoredResource[];
      /** File texts by path, for printing source lines under diagnostics. */
      readonly sources: ReadonlyMap<string, string>;
    }
  | {
      readonly ok: false;
      /** Errors first, then warnings; each sorted by file and position. */
      readonly diagnostics: Diagnostic[];
      readonly ignored: IgnoredResource[];
      readonly sources: ReadonlyMap<string, string>;
    };

/**
 * Reads a scenario or sample file (`empirical(...)`): a regular file of at most DEFAULT_MAX_FILE_BYTES
 * (`/dev/zero`, a pipe or a directory would never end or not be a file at all).
 */
export function readScenarioFile(path: string): string {
  const st = statSync(path);
  if (!st.isFile()) throw new Error(`${path} is not a regular file (a device, a pipe or a directory): give a file`);
  if (st.size > DEFAULT_MAX_FILE_BYTES) throw new Error(`${path} is ${formatSize(st.size)}, more than the ${formatSize(DEFAULT_MAX_FILE_BYTES)} a file may have`);
  return readFileSync(path, 'utf8');
}

function readInputs(
  inputs: readonly (ScenarioFile | string)[],
  opts: LoadOptions,
  problems: Problems,
): ScenarioFile[] {
  const files: ScenarioFile[] = [];
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  for (const input of inputs) {
    if (typeof input !== 'string') {
      files.push(input);
      continue;
    }
    try {
      if (!opts.readFile) {
        // Check the size before reading: a 10 GB "scenario" should not be read into memory first.
        const size = statSync(input).size;
        if (size > maxBytes) {
          problems.add({ severity: 'error', file: input, line: 1, col: 1, path: '', expected: `a file of at most ${formatSize(maxBytes)}`, found: formatSize(size), message: `expected a file of at most ${formatSize(maxBytes)}, found ${formatSize(size)}; split it, or raise the limit` });
          continue;
        }
      }
      files.push({ path: input, text: (opts.readFile ?? readScenarioFile)(input) });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      problems.add({ severity: 'error', file: input, line: 1, col: 1, path: '', message: `cannot read the file: ${reason}` });
    }
  }
  return files;
}

function buildSimulation(
  v: ValidatedScenario,
  problems: Problems,
): { spec: SimulationSpec; name: string | undefined; durationDefaulted: boolean } {
  for (const extra of v.simulations.slice(1)) {
    const at = v.simulations[0]!.res.locate([]);
    problems.error(extra.res, [], `a scenario has one Simulation; another is at ${at.file}:${at.line}:${at.col}`);
  }
  const sim = v.simulations[0];
  const s = sim?.obj.spec;
  const D = DEFAULTS.simulation;
  const duration = s?.duration ?? (s?.requests === undefined ? D.duration : null);
  const warmup = s?.warmup ?? D.warmup;
  if (sim && typeof warmup === 'number' && duration !== null && warmup >= duration) {
    problems.error(sim.res, ['spec', 'warmup'], { expected: `a warmup shorter than the duration (${duration} s)`, found: `${warmup} s` });
  }
  if (sim && duration === 0) problems.error(sim.res, ['spec', 'duration'], { expected: 'a duration above zero', found: '0' });
  const window = s?.window ?? null;
  if (sim && window !== null && !(window > 0)) problems.error(sim.res, ['spec', 'window'], { expected: 'a window above zero', found: `${window} s` });
  return {
    spec: { seed: s?.seed ?? D.seed, duration, requests: s?.requests ?? null, warmup, ...(window !== null ? { window } : {}) },
    name: s?.name ?? sim?.obj.metadata?.name,
    durationDefaulted: s?.duration === undefined && s?.requests === undefined,
  };
}

/** Validates and resolves resources already read (and overridden): the second half of loadScenario. */
export function resolveScenario(
  resources: readonly Resource[],
  problems: Problems,
  opts: { readonly readFile?: (path: string) => string; readonly defaultName: string; readonly firstFile: string },
): ModelSpec {
  const order = new Map(resources.map((r, i) => [r, i]));
  const validated = validateResources(resources, problems, opts.readFile ? { readFile: opts.readFile } : {});
  // Ingress controllers the Cluster describes: a Deployment and a Service each, after everything written.
  const generated = controllerResources(validated.clusters[0], problems);
  if (generated.resources.length > 0) {
    generated.resources.forEach((r, i) => order.set(r, resources.length + i));
    const more = validateResources(generated.resources, problems, opts.readFile ? { readFile: opts.readFile } : {});
    validated.controllers.push(...more.controllers);
    validated.services.push(...more.services);
  }
  const general = (message: string) => problems.add({ severity: 'warning', file: opts.firstFile, line: 1, col: 1, path: '', message });

  // Said only of an input that reads cleanly: a Cluster may well be in a document that did not parse.
  const readCleanly = !problems.hasErrors;
  if (readCleanly && !resources.some((r) => r.kind === 'Cluster')) {
    general(`no Cluster in the scenario: using a default cluster of ${DEFAULTS.cluster.nodes} nodes (${DEFAULTS.cluster.nodeNamePrefix}1..${DEFAULTS.cluster.nodeNamePrefix}${DEFAULTS.cluster.nodes}) in one zone`);
  }
  if (readCleanly && !resources.some((r) => r.kind === 'Workload')) {
    general('no Workload in the scenario: nothing sends requests');
  }

  const cluster = buildCluster(validated.clusters, problems);
  const validateOpts = opts.readFile ? { readFile: opts.readFile } : {};
  const { pods, templates } = buildPods(validated, order, cluster, problems, validateOpts);
  const podKinds = ['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'];
  const podsIncomplete = [...validated.failed].some((k) => podKinds.includes(k.split('/')[0]!));
  const { services } = buildServices(validated.services, pods, cluster, problems, podsIncomplete);
  const controllers = generated.controllers.map((c) => c.spec);
  const ingresses = buildIngresses(validated.ingresses, services, generated.controllers, problems);
  const resolves = validated.workloads.some((w) => w.obj.spec.clients.some((c) => c.target.host !== undefined));
  const dns = buildDnsSpec(validated.clusters[0], cluster, problems, resolves);
  const externalHosts = buildExternalHosts(validated.workloads, problems);
  const clients = buildClients(validated, cluster, pods, services, problems, { dns, controllers, ingresses, externalHosts, defaultExternalHost });
  const simulation = buildSimulation(validated, problems);
  const time = buildTime(
    {
      validated,
      cluster,
      pods,
      services,
      templates,
      duration: simulation.spec.duration,
      durationDefaulted: simulation.durationDefaulted,
      warmup: simulation.spec.warmup,
      opts: validateOpts,
    },
    problems,
  );
  templates.reportUnusedRules();

  const scenarioServicePorts = services.reduce((n, s) => n + (s.clusterIP !== null ? s.ports.length : 0), 0);
  const name =
    simulation.name ?? validated.workloads[0]?.obj.metadata?.name ?? cluster.name ?? opts.defaultName;
  const spec: ModelSpec = {
    name,
    nodes: cluster.nodes,
    network: cluster.network,
    kubeProxy: { ...cluster.kubeProxy, servicePorts: Math.max(cluster.kubeProxy.servicePorts, scenarioServicePorts) },
    pods,
    services,
    clients,
    simulation: simulation.spec,
    ...(dns ? { dns } : {}),
    ...(externalHosts.length > 0 ? { externalHosts } : {}),
    ...(controllers.length > 0 ? { ingressControllers: controllers } : {}),
    ...(ingresses.length > 0 ? { ingresses } : {}),
    ...(time ? { time } : {}),
  };
  // The work the run asks for (events, memory): refuse what cannot finish (docs/reliability.md).
  if (!problems.hasErrors) {
    checkWork(spec, problems, {
      simulation: validated.simulations[0]?.res,
      client: (clientName) => {
        for (const w of validated.workloads) {
          const list = w.obj.spec.clients as readonly Record<string, unknown>[];
          const index = list.findIndex((c) => c['name'] === clientName);
          if (index >= 0) return { res: w.res, index, fields: Object.keys(list[index]!) };
        }
        return undefined;
      },
    });
  }
  return spec;
}

/** A scenario read and parsed once, to be resolved with different overrides (sweeps). */
export interface PreparedScenario {
  /** Resolves the scenario with these `--set` overrides (none by default). Each call is independent. */
  load(set?: readonly string[]): LoadResult;
  readonly ignored: readonly IgnoredResource[];
  readonly sources: ReadonlyMap<string, string>;
}

/** Reads and parses the files once; `load(set)` then overrides, validates and resolves a fresh copy. */
export function prepareScenario(inputs: readonly (ScenarioFile | string)[], opts: Omit<LoadOptions, 'set'> = {}): PreparedScenario {
  const readProblems = new Problems();
  const files = readInputs(inputs, opts, readProblems);
  const sources = new Map(files.map((f) => [f.path, f.text]));
  const read = readDocuments(files, readProblems, {
    ...(opts.maxFileBytes !== undefined ? { maxFileBytes: opts.maxFileBytes } : {}),
    ...(opts.maxAliasCount !== undefined ? { maxAliasCount: opts.maxAliasCount } : {}),
  });
  const first = files[0]?.path ?? inputs.map((i) => (typeof i === 'string' ? i : i.path))[0] ?? 'scenario';
  const readFile = opts.readFile ?? readScenarioFile;

  return {
    ignored: read.ignored,
    sources,
    load(set: readonly string[] = []): LoadResult {
      const problems = new Problems();
      for (const d of readProblems.list) problems.add(d);
      const resources = read.resources.map((r) => r.clone());
      for (const d of applyOverrides(resources, set)) problems.add(d);
      let spec: ModelSpec | undefined;
      if (files.length > 0) {
        spec = resolveScenario(resources, problems, { readFile, defaultName: basename(first, extname(first)), firstFile: first });
      } else if (!problems.hasErrors) {
        problems.add({ severity: 'error', file: 'scenario', line: 1, col: 1, path: '', message: 'no scenario file given' });
      }
      if (problems.hasErrors || !spec) {
        return { ok: false, diagnostics: sortDiagnostics(problems.list), ignored: read.ignored, sources };
      }
      return { ok: true, spec, warnings: sortDiagnostics(problems.list), ignored: read.ignored, sources };
    },
  };
}

/**
 * Loads a scenario from files (objects with path and text, or paths to read). All problems are
 * reported at once; a spec is returned only when there is no error.
 */
export function loadScenario(inputs: readonly (ScenarioFile | string)[], opts: LoadOptions = {}): LoadResult {
  return prepareScenario(inputs, opts).load(opts.set ?? []);
}

/** Loads one YAML text (tests, tools, stdin). */
export function loadScenarioText(text: string, opts: LoadOptions & { readonly file?: string } = {}): LoadResult {
  return loadScenario([{ path: opts.file ?? 'scenario.yaml', text }], opts);
}
