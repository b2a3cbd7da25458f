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
import { autoscalerSkipReason } from './build-autoscalers.js';
import { buildClients } from './build-clients.js';
import { buildCluster } from './build-cluster.js';
import { buildDnsSpec, buildExternalHosts, defaultExternalHost } from './build-dns.js';
import { buildIngresses, controllerResources } from './build-ingress.js';
import { buildGatewayRoutes, gatewayResources } from './build-gateway.js';
import { resolveIngressClasses } from './build-ingress-classes.js';
import { buildKongPolicies } from './build-kong-policies.js';
import { buildVirtualServers } from './build-virtual-servers.js';
import { buildMeshSpec } from './build-mesh.js';
import { buildPods } from './build-pods.js';
import { buildServices } from './build-services.js';
import { buildTime } from './build-time.js';
import { DEFAULTS } from './defaults.js';
import { sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { checkEndpointSlices } from './check-endpoint-slices.js';
import { DEFAULT_MAX_FILE_BYTES, formatSize, readDocuments, type IgnoredResource, type ScenarioFile } from './documents.js';
import type { PlacementMode } from './dump-pods.js';
import { checkEmptyFiles } from './checks/index.js';
import { applyOverrides } from './overrides.js';
import { Problems } from './problems.js';
import type { Resource } from './resource.js';
import { unusedResource } from './ignored.js';
import { failedKey, validateResources, type ValidatedScenario } from './validate.js';
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
  /** `--placement`: where a dump's live pods run; wins over the Simulation's `spec.placement`. */
  readonly placement?: PlacementMode;
}

export type LoadResult =
  | {
      readonly ok: true;
      readonly spec: ModelSpec;
      readonly warnings: Diagnostic[];
      /**
       * Objects read but not simulated, each with the reason: kinds the simulator does not model (ConfigMap,
       * Job...) and objects that ended up unused (a ReplicaSet whose pods are its Deployment's...).
       */
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
  opts: {
    readonly readFile?: (path: string) => string;
    readonly defaultName: string;
    readonly firstFile: string;
    readonly placement?: PlacementMode;
    /** Receives the objects that ended up unused, with the reason. */
    readonly unused?: IgnoredResource[];
  },
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
  // Gateways (Gateway API): their own pods and Service, likewise.
  const gatewayDrafts = gatewayResources(validated, problems);
  if (gatewayDrafts.resources.length > 0) {
    gatewayDrafts.resources.forEach((r, i) => order.set(r, order.size + i));
    const more = validateResources(gatewayDrafts.resources, problems, opts.readFile ? { readFile: opts.readFile } : {});
    validated.controllers.push(...more.controllers);
    validated.services.push(...more.services);
  }
  const general = (message: string) => problems.add({ severity: 'warning', file: opts.firstFile, line: 1, col: 1, path: '', message });

  // Said only of an input that reads cleanly: a Cluster may well be in a document that did not parse.
  const readCleanly = !problems.hasErrors;
  if (readCleanly && !resources.some((r) => r.kind === 'Cluster' || r.kind === 'Node')) {
    general(`no Cluster in the scenario: using a default cluster of ${DEFAULTS.cluster.nodes} nodes (${DEFAULTS.cluster.nodeNamePrefix}1..${DEFAULTS.cluster.nodeNamePrefix}${DEFAULTS.cluster.nodes}) in one zone`);
  }
  if (readCleanly && !resources.some((r) => r.kind === 'Workload')) {
    general('no Workload in the scenario: nothing sends requests');
  }

  const cluster = buildCluster(validated.clusters, problems, validated.nodes);
  const validateOpts = opts.readFile ? { readFile: opts.readFile } : {};
  const placement = opts.placement ?? validated.simulations[0]?.obj.spec.placement ?? 'as-is';
  const { pods, templates, unused } = buildPods(validated, order, cluster, problems, validateOpts, placement);
  const podKinds = ['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'];
  const podsIncomplete = [...validated.failed].some((k) => podKinds.includes(k.split('/')[0]!));
  const { services } = buildServices(validated.services, pods, cluster, problems, podsIncomplete);
  const podKey = (p: { metadata: { namespace?: string | undefined; name: string } }): string => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;
  const droppedPods = new Set(unused.filter((u) => u.kind === 'Pod').map((u) => `${u.namespace ?? 'default'}/${u.name}`));
  // Pods the dump shows scheduled (an unscheduled one is in no slice, whatever node the model gives it).
  const scheduled = validated.pods.filter((p) => p.obj.spec.nodeName !== undefined).map((p) => podKey(p.obj));
  const dumpedPods = { built: new Set(scheduled.filter((k) => !droppedPods.has(k))), dropped: droppedPods };
  unused.push(...checkEndpointSlices(validated.endpointSlices, validated.services, services, pods, dumpedPods, problems));
  // IngressClasses (when the scenario has them) decide which controller serves what (build-ingress-classes.ts).
  const classes = resolveIngressClasses(validated.ingressClasses, generated.controllers, validated.clusters[0], problems);
  const controllers = classes.controllers.map((c) => c.spec);
  const ingresses = buildIngresses(validated.ingresses, services, classes.controllers, problems, classes);
  const virtualServers = buildVirtualServers(validated.nginxVirtualServers, validated.nginxVirtualServerRoutes, services, classes.controllers, problems);
  const kongUpstreamPolicies = buildKongPolicies(validated.kongUpstreamPolicies, validated.services, problems);
  const resolves = validated.workloads.some((w) => w.obj.spec.clients.some((c) => c.target.host !== undefined));
  const dns = buildDnsSpec(validated.clusters[0], cluster, problems, resolves);
  const externalHosts = buildExternalHosts(validated.workloads, problems);
  const gateways = gatewayDrafts.gateways.map((g) => g.spec);
  const gatewayRoutes = buildGatewayRoutes(validated, services, gatewayDrafts.gateways, problems, order);
  const clients = buildClients(validated, cluster, pods, services, problems, { dns, controllers, ingresses, virtualServers, classAliases: classes.served, externalHosts, defaultExternalHost, gateways, gatewayRoutes });
  const simulation = buildSimulation(validated, problems);
  const mesh = buildMeshSpec(validated, { pods, services, clients }, problems);
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
  const deploymentKeys = new Set(validated.controllers.filter((c) => c.obj.kind === 'Deployment').map((c) => `${c.obj.metadata.namespace ?? 'default'}/${c.obj.metadata.name}`));
  for (const { res, obj } of validated.autoscalers) {
    const reason = autoscalerSkipReason(obj, deploymentKeys);
    if (reason !== undefined && !validated.failed.has(failedKey('Deployment', obj.metadata.namespace ?? 'default', obj.spec.scaleTargetRef.name))) unused.push(unusedResource(res, reason));
  }
  // A budget is read by drains only (the Eviction API): without one in the timeline it changes nothing.
  if (!validated.simulations.some((s) => (s.obj.spec.timeline ?? []).some((e) => e.drain !== undefined))) {
    for (const { res } of validated.disruptionBudgets) unused.push(unusedResource(res, 'only drains consult a PodDisruptionBudget, and the timeline has none'));
  }
  opts.unused?.push(...unused);

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
    ...(virtualServers.length > 0 ? { virtualServers } : {}),
    ...(Object.keys(kongUpstreamPolicies).length > 0 ? { kongUpstreamPolicies } : {}),
    ...(gateways.length > 0 ? { gateways, gatewayRoutes } : {}),
    ...(time ? { time } : {}),
    ...(mesh ? { mesh } : {}),
  };
  // The work the run asks for (events, memory): refuse what cannot finish (docs/reliability.md).
  if (!problems.hasErrors) {
    checkWork(spec, problems, {
      simulation: validated.simulations[0]?.res,
      client: clientSources(validated),
    });
  }
  return spec;
}

/** Where each client is written (the first of a name), found through a map: not a search per client. */
function clientSources(validated: ValidatedScenario): (name: string) => { res: Resource; index: number; fields: string[] } | undefined {
  const where = new Map<unknown, { res: Resource; index: number; list: readonly Record<string, unknown>[] }>();
  for (const w of validated.workloads) {
    const list = w.obj.spec.clients as readonly Record<string, unknown>[];
    list.forEach((c, index) => {
      if (!where.has(c['name'])) where.set(c['name'], { res: w.res, index, list });
    });
  }
  return (name) => {
    const w = where.get(name);
    return w ? { res: w.res, index: w.index, fields: Object.keys(w.list[w.index]!) } : undefined;
  };
}

/** A scenario read and parsed once, to be resolved with different overrides (sweeps). */
export interface PreparedScenario {
  /** Resolves the scenario with these `--set` overrides (none by default). Each call is independent. */
  load(set?: readonly string[]): LoadResult;
  /** Objects of kinds the simulator does not model (a load's result adds the ones that end up unused). */
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
  checkEmptyFiles(files, read.resources, read.ignored, readProblems);
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
      const unused: IgnoredResource[] = [];
      if (files.length > 0) {
        spec = resolveScenario(resources, problems, {
          readFile,
          defaultName: basename(first, extname(first)),
          firstFile: first,
          ...(opts.placement !== undefined ? { placement: opts.placement } : {}),
          unused,
        });
      } else if (!problems.hasErrors) {
        problems.add({ severity: 'error', file: 'scenario', line: 1, col: 1, path: '', message: 'no scenario file given' });
      }
      // In the order of the files and lines, as the user wrote them.
      const fileIndex = (f: string): number => files.findIndex((x) => x.path === f);
      const ignored = [...read.ignored, ...unused].sort((a, b) => fileIndex(a.file) - fileIndex(b.file) || a.line - b.line);
      if (problems.hasErrors || !spec) {
        return { ok: false, diagnostics: sortDiagnostics(problems.list), ignored, sources };
      }
      return { ok: true, spec, warnings: sortDiagnostics(problems.list), ignored, sources };
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
