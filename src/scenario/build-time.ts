/**
 * Time: the Deployments (strategy, template), PodDisruptionBudgets, the control plane's delays and the
 * Simulation's timeline -> `ModelSpec.time`. Built only when the scenario has a timeline or a
 * PodDisruptionBudget; otherwise `time` stays undefined and a run is the steady state it always was.
 *
 * A rollout's template is the Deployment's current template with the event's changes merged in (mappings
 * merge, `null` removes a key, containers merge by name, other lists are replaced), checked like a written
 * template and read by the same code as every pod (PodTemplates: annotations -> behaviour, lifecycle).
 * Events apply in time order, so a second rollout changes the template the first one left.
 */
import type {
  ControlPlaneSpec,
  DeploymentSpec,
  DisruptionBudgetSpec,
  IntOrPercent,
  PodTemplateSpec,
  TimeSpec,
  TimelineEvent,
} from '../model/control/spec.js';
import type { PodBehaviour, PodSpec, ServiceSpec } from '../model/spec.js';
import { POD_ANNOTATIONS } from './annotations.js';
import { buildAutoscalers } from './build-autoscalers.js';
import type { ClusterModel } from './build-cluster.js';
import type { BuiltTemplate, PodTemplates } from './build-pods.js';
import { buildNodeGroups } from './build-node-groups.js';
import { DEFAULTS } from './defaults.js';
import { describeValue, type Location } from './diagnostics.js';
import type { ClusterObject } from './kinds/cluster.js';
import {
  podTemplate,
  podTemplateHash,
  revisionOneHashInput,
  type DeploymentObject,
} from './kinds/controllers.js';
import { formatSelector, matchesMap, matchesSelector } from './kinds/meta.js';
import type { TimelineEventObject } from './kinds/simulation.js';
import { seconds } from './lifecycle.js';
import { findNearMisses, suggest } from './near-miss.js';
import { parseTarget } from './path.js';
import type { Problems } from './problems.js';
import { deepCopy, Resource } from './resource.js';
import type { FieldPath, LocateOptions, Segment } from './source-map.js';
import { envFor, failedKey, type ValidatedScenario, type ValidateOptions, type Valid } from './validate.js';
import { builtinDistribution, withValueEnv } from './values.js';
import { reportIssues } from './zod-issues.js';

export interface TimeInputs {
  readonly validated: ValidatedScenario;
  readonly cluster: ClusterModel;
  readonly pods: readonly PodSpec[];
  readonly services: readonly ServiceSpec[];
  readonly templates: PodTemplates;
  /** The run's duration; null when it ends after a number of requests only. */
  readonly duration: number | null;
  /** The duration is the default one (no duration or requests written). */
  readonly durationDefaulted: boolean;
  /** The warm-up: `auto` (written or by default) or a duration. */
  readonly warmup: number | 'auto';
  readonly opts: ValidateOptions;
}

/** The control plane's delays: the Cluster's `controlPlane`, else the defaults (defaults.ts). */
export function buildControlPlane(cluster: Valid<ClusterObject> | undefined, problems: Problems): ControlPlaneSpec {
  const cp = cluster?.obj.spec.controlPlane;
  const D = DEFAULTS.controlPlane;
  if (cluster && cp?.nodeMonitorPeriod === 0) {
    problems.error(cluster.res, ['spec', 'controlPlane', 'nodeMonitorPeriod'], { expected: 'a period above zero', found: '0' });
  }
  return {
    endpointPropagation: cp?.endpointPropagation ?? builtinDistribution(D.endpointPropagation),
    minSyncPeriod: cp?.minSyncPeriod ?? (cluster?.obj.spec.dataPlane === 'cilium' ? DEFAULTS.cilium.minSyncPeriod : D.minSyncPeriod),
    syncTime: cp?.syncTime ?? D.syncTime,
    nodeMonitorGracePeriod: cp?.nodeMonitorGracePeriod ?? D.nodeMonitorGracePeriod,
    nodeMonitorPeriod: cp?.nodeMonitorPeriod ?? D.nodeMonitorPeriod,
    podEvictionTimeout: cp?.podEvictionTimeout ?? D.podEvictionTimeout,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function named(v: unknown): v is { name: unknown } {
  return isObject(v) && typeof v['name'] === 'string';
}

/**
 * `patch` merged into `base` as `kubectl patch` merges a pod template: mappings merge, `null` removes a
 * key, lists of named items (containers, ports with names) merge by name, other lists are replaced.
 */
export function mergeTemplate(base: unknown, patch: unknown): unknown {
  if (isObject(patch)) {
    const out: Record<string, unknown> = isObject(base) ? { ...(deepCopy(base) as Record<string, unknown>) } : {};
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete out[k];
      else out[k] = mergeTemplate(out[k], v);
    }
    return out;
  }
  if (Array.isArray(patch) && Array.isArray(base) && patch.length > 0 && patch.every(named) && base.every(named)) {
    const out = base.map((b) => {
      const p = patch.find((x) => x.name === b.name);
      return p ? mergeTemplate(b, p) : deepCopy(b);
    });
    for (const p of patch) if (!base.some((b) => b.name === p.name)) out.push(mergeTemplate(undefined, p));
    return out;
  }
  return deepCopy(patch);
}

/** Where the value at `path` of the merged template was written in `patch`, if it was (a path into the patch). */
function pathInPatch(patch: unknown, merged: unknown, path: FieldPath): Segment[] | undefined {
  let p = patch;
  let m = merged;
  const out: Segment[] = [];
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(p)) return undefined;
      const item = Array.isArray(m) ? m[seg] : undefined;
      const index = p.every(named) && named(item) ? p.findIndex((x) => x.name === item.name) : seg;
      if (index < 0 || index >= p.length) return undefined;
      p = p[index];
      out.push(index);
    } else {
      if (!isObject(p) || !Object.hasOwn(p, seg)) return undefined;
      p = p[seg];
      out.push(seg);
    }
    m = isObject(m) || Array.isArray(m) ? (m as Record<string | number, unknown>)[seg] : undefined;
  }
  return out;
}

/** One layer of a template's history: a timeline event's changes, or the Deployment's own template. */
interface Layer {
  readonly res: Resource;
  /** Path of the layer's template in `res`. */
  readonly prefix: FieldPath;
  /** The changes (patch); undefined for the Deployment's template, which holds everything else. */
  readonly patch?: unknown;
}

/**
 * A revision of a Deployment's template as a resource: its value is the merged template, and a field is
 * located (and named in messages) where it was written: in the newest timeline event that set it, else in
 * the Deployment. Diagnostics about the Deployment's own fields therefore read exactly as for its pods.
 */
class TemplateRevision extends Resource {
  constructor(
    private readonly layers: readonly Layer[],
    value: Record<string, unknown>,
  ) {
    const base = layers[layers.length - 1]!.res;
    super(base.source, base.docIndex, base.base, base.apiVersion, base.kind, value);
  }

  private where(path: FieldPath): { res: Resource; path: FieldPath } {
    for (const l of this.layers) {
      if (l.patch === undefined) return { res: l.res, path: [...l.prefix, ...path] };
      const p = pathInPatch(l.patch, this.value, path);
      if (p) return { res: l.res, path: [...l.prefix, ...p] };
    }
    const last = this.layers[this.layers.length - 1]!;
    return { res: last.res, path: [...last.prefix, ...path] };
  }

  override locate(path: FieldPath, opts: LocateOptions = {}): Location {
    const w = this.where(path);
    return w.res.locate(w.path, opts);
  }

  override pathText(path: FieldPath): string {
    const w = this.where(path);
    return w.res.pathText(w.path);
  }
}

/** A Deployment as the timeline sees it: its current template (raw and read) and replicas. */
interface DeploymentState {
  readonly key: string;
  readonly res: Resource;
  readonly obj: DeploymentObject;
  readonly spec: DeploymentSpec;
  /** The current template as written (merged), and where each of its fields was written. */
  raw: Record<string, unknown>;
  layers: Layer[];
  replicas: number;
}

function toTemplateSpec(labels: Readonly<Record<string, string>>, t: BuiltTemplate): PodTemplateSpec {
  return {
    labels,
    ports: t.ports,
    behaviour: t.behaviour,
    lifecycle: t.lifecycle,
    ...(t.weight !== undefined ? { weight: t.weight } : {}),
    ...(t.requests !== undefined ? { requests: t.requests } : {}),
  };
}

function buildDeployments(inp: TimeInputs, problems: Problems): Map<string, DeploymentState> {
  const out = new Map<string, DeploymentState>();
  const D = DEFAULTS.deployment;
  for (const { res, obj } of inp.validated.controllers) {
    if (obj.kind !== 'Deployment') continue;
    const d = obj as DeploymentObject;
    const namespace = d.metadata.namespace ?? 'default';
    const key = `${namespace}/${d.metadata.name}`;
    if (out.has(key)) continue; // a duplicate: reported with the pods
    const hash = podTemplateHash(revisionOneHashInput(d.spec.template));
    const labels = { ...(d.spec.template.metadata?.labels ?? {}), 'pod-template-hash': hash };
    const built = inp.templates.build({
      res,
      metaPath: ['spec', 'template', 'metadata'],
      specPath: ['spec', 'template', 'spec'],
      namespace,
      labels,
      annotations: d.spec.template.metadata?.annotations,
      spec: d.spec.template.spec,
    });
    if (d.spec.selector.matchExpressions?.length) {
      problems.warn(res, ['spec', 'selector', 'matchExpressions'], 'the timeline reads only matchLabels of a Deployment\'s selector (its pods are known by their owner)');
    }
    const s = d.spec.strategy;
    const spec: DeploymentSpec = {
      name: d.metadata.name,
      namespace,
      replicas: d.spec.replicas,
      strategy:
        s?.type === 'Recreate'
          ? { kind: 'Recreate' }
          : {
              kind: 'RollingUpdate',
              maxSurge: s?.rollingUpdate?.maxSurge ?? D.maxSurge,
              maxUnavailable: s?.rollingUpdate?.maxUnavailable ?? D.maxUnavailable,
            },
      minReadySeconds: d.spec.minReadySeconds ?? D.minReadySeconds,
      selector: { ...(d.spec.selector.matchLabels ?? {}) },
      template: toTemplateSpec(labels, built),
    };
    const raw = deepCopy((res.value['spec'] as Record<string, unknown>)['template']) as Record<string, unknown>;
    out.set(key, { key, res, obj: d, spec, raw, layers: [{ res, prefix: ['spec', 'template'] }], replicas: d.spec.replicas });
  }
  return out;
}

/** A count, or a percentage of `total` rounded up (how the disruption controller resolves both fields). */
function resolveUp(v: IntOrPercent, total: number): number {
  return v.kind === 'count' ? v.value : Math.ceil((v.value * total) / 100);
}

interface Budget {
  readonly res: Resource;
  readonly spec: DisruptionBudgetSpec;
  /** Indices of the pods (at time 0) it selects. */
  readonly pods: number[];
}

function buildBudgets(inp: TimeInputs, problems: Problems): Budget[] {
  const out: Budget[] = [];
  const byPod = new Map<number, Budget>();
  for (const { res, obj } of inp.validated.disruptionBudgets) {
    const namespace = obj.metadata.namespace ?? 'default';
    const sel = obj.spec.selector;
    if (!sel) {
      problems.warn(res, ['spec'], 'has no selector, so it selects no pod (policy/v1); it is left out');
      continue;
    }
    if (sel.matchExpressions?.length) {
      problems.warn(res, ['spec', 'selector', 'matchExpressions'], 'matchExpressions are not read for PodDisruptionBudgets: this budget is left out (write matchLabels)');
      continue;
    }
    const selector = { ...(sel.matchLabels ?? {}) };
    const spec: DisruptionBudgetSpec = {
      name: obj.metadata.name,
      namespace,
      selector,
      minAvailable: obj.spec.minAvailable ?? null,
      maxUnavailable: obj.spec.maxUnavailable ?? null,
    };
    const pods: number[] = [];
    inp.pods.forEach((p, i) => {
      if (p.namespace === namespace && matchesMap(p.labels, selector)) pods.push(i);
    });
    const budget: Budget = { res, spec, pods };
    if (pods.length === 0) {
      problems.warn(res, ['spec', 'selector'], `matches no pod in namespace ${namespace} (selector ${formatSelector(selector) || '(empty)'})`);
    }
    const shared = pods.filter((i) => byPod.has(i));
    if (shared.length > 0) {
      const other = byPod.get(shared[0]!)!;
      const names = shared.slice(0, 3).map((i) => inp.pods[i]!.name);
      problems.warn(res, ['spec', 'selector'], `pod${shared.length === 1 ? '' : 's'} ${names.join(', ')}${shared.length > 3 ? ', ...' : ''} also match${shared.length === 1 ? 'es' : ''} ${other.res.ref}: the Eviction API refuses to evict a pod selected by more than one budget (HTTP 500), so a drain cannot move ${shared.length === 1 ? 'it' : 'them'}`);
    }
    for (const i of pods) if (!byPod.has(i)) byPod.set(i, budget);
    out.push(budget);
  }
  return out;
}

const DEPLOYMENT_KINDS = new Set(['deployment', 'deployments', 'deploy']);
const POD_KINDS = new Set(['pod', 'pods', 'po']);
const NODE_KINDS = new Set(['node', 'nodes', 'no']);
/** Other kinds a user may name by mistake (kubectl's names and short names). */
const OTHER_KINDS = new Set([
  'statefulset', 'statefulsets', 'sts', 'replicaset', 'replicasets', 'rs', 'daemonset', 'daemonsets', 'ds',
  'service', 'services', 'svc', 'job', 'jobs', 'cronjob', 'cronjobs', 'replicationcontroller', 'rc',
]);

type Ref = { readonly namespace: string; readonly name: string } | { readonly wrongKind: string } | { readonly malformed: true };

/** `Kind/name`, `Kind/namespace/name`, `name` or `namespace/name` (kind names as kubectl takes them). */
function parseRef(text: string, kinds: ReadonlySet<string>): Ref {
  const parts = text.trim().split('/');
  if (parts.some((p) => p === '') || parts.length > 3) return { malformed: true };
  const isKind = (s: string) => kinds.has(s.toLowerCase());
  const looksLikeKind = (s: string) => OTHER_KINDS.has(s.toLowerCase()) || DEPLOYMENT_KINDS.has(s.toLowerCase()) || POD_KINDS.has(s.toLowerCase()) || NODE_KINDS.has(s.toLowerCase()) || /^[A-Z]/.test(s);
  if (parts.length === 3) {
    if (!isKind(parts[0]!)) return { wrongKind: parts[0]! };
    return { namespace: parts[1]!, name: parts[2]! };
  }
  if (parts.length === 2) {
    if (isKind(parts[0]!)) return { namespace: 'default', name: parts[1]! };
    if (looksLikeKind(parts[0]!)) return { wrongKind: parts[0]! };
    return { namespace: parts[0]!, name: parts[1]! };
  }
  return { namespace: 'default', name: parts[0]! };
}

function listed(names: readonly string[], max = 6): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, ...`;
}

/** The behaviour field each behaviour annotation sets. */
const BEHAVIOUR_OF: Readonly<Record<string, keyof PodBehaviour>> = {
  [POD_ANNOTATIONS.serviceTime]: 'serviceTime',
  [POD_ANNOTATIONS.concurrency]: 'concurrency',
  [POD_ANNOTATIONS.queueCapacity]: 'queueCapacity',
  [POD_ANNOTATIONS.speed]: 'speed',
};

const SETTABLE = ['spec.externalTrafficPolicy', 'spec.internalTrafficPolicy'] as const;

/** Pod spec fields that decide placement (a PodTemplateSpec does not carry them). */
const PLACEMENT_FIELDS = ['nodeName', 'nodeSelector', 'affinity', 'tolerations', 'topologySpreadConstraints'] as const;

export function buildTime(inp: TimeInputs, problems: Problems): TimeSpec | undefined {
  const v = inp.validated;
  const sim = v.simulations[0];
  const written = sim?.obj.spec.timeline ?? [];
  const clusterRes = v.clusters[0];
  const controlPlane = buildControlPlane(clusterRes, problems);
  if (written.length === 0 && v.autoscalers.length === 0 && clusterRes?.obj.spec.controlPlane !== undefined) {
    problems.warn(clusterRes.res, ['spec', 'controlPlane'], 'has no effect: the scenario has no timeline (Simulation spec.timeline)');
  }
  const { nodeGroups, clusterAutoscaler } = buildNodeGroups(clusterRes, problems);
  if (written.length === 0 && v.disruptionBudgets.length === 0 && nodeGroups.length === 0 && v.autoscalers.length === 0) return undefined;

  const deployments = buildDeployments(inp, problems);
  const budgets = buildBudgets(inp, problems);
  const timeline = sim ? buildTimeline(sim.res, written, sim.timelineIndex, deployments, budgets, inp, problems) : [];
  const autoscalers = buildAutoscalers(v, deployments, clusterRes, problems);
  return {
    deployments: [...deployments.values()].map((d) => d.spec),
    disruptionBudgets: budgets.map((b) => b.spec),
    controlPlane,
    timeline,
    ...(nodeGroups.length > 0 ? { nodeGroups, clusterAutoscaler } : {}),
    ...(autoscalers.length > 0 ? { autoscalers } : {}),
  };
}

function buildTimeline(
  simRes: Resource,
  written: readonly TimelineEventObject[],
  /** Index in the file of each event (when some events were invalid and left out). */
  fileIndex: readonly number[] | undefined,
  deployments: Map<string, DeploymentState>,
  budgets: readonly Budget[],
  inp: TimeInputs,
  problems: Problems,
): TimelineEvent[] {
  const { cluster, pods, services } = inp;
  const at = (i: number, ...rest: Segment[]): FieldPath => ['spec', 'timeline', fileIndex?.[i] ?? i, ...rest];

  if (written.length > 0) {
    if (inp.duration === null) {
      problems.error(simRes, ['spec', 'timeline'], 'a timeline needs time: set spec.duration (the run may still stop early after spec.requests)');
    } else if (inp.warmup === 'auto') {
      const first = Math.min(...written.map((e) => e.at));
      problems.warn(simRes, ['spec', 'warmup'], `warmup auto (MSER-5) may take an event's transient for the warm-up and leave it out of the statistics: give a warm-up shorter than the first event (${seconds(first)})`);
    }
  }
  const warmup = inp.warmup;

  // Events apply in time order (ties in the order written).
  const order = written.map((_, i) => i).sort((a, b) => written[a]!.at - written[b]!.at || a - b);

  const nodeNames = cluster.nodes.map((n) => n.name);
  const zoneOf = new Map(cluster.nodes.map((n) => [n.name, n.zone]));
  const failedNodes = new Set<string>();
  const failedZones = new Set<string>();
  const cordoned = new Set<string>();
  const out: TimelineEvent[] = [];

  const deploymentRef = (i: number, verb: 'rollout' | 'scale', text: string): DeploymentState | undefined => {
    const r = parseRef(text, DEPLOYMENT_KINDS);
    const path = at(i, verb);
    if ('malformed' in r) {
      problems.error(simRes, path, { expected: 'Deployment/name, Deployment/namespace/name, name or namespace/name', found: JSON.stringify(text) });
      return undefined;
    }
    if ('wrongKind' in r) {
      problems.error(simRes, path, { expected: 'a Deployment (Deployment/name)', found: JSON.stringify(text), message: `a timeline can ${verb === 'rollout' ? 'roll out' : 'scale'} Deployments only` });
      return undefined;
    }
    const key = `${r.namespace}/${r.name}`;
    const d = deployments.get(key);
    if (d) return d;
    if (inp.validated.failed.has(failedKey('Deployment', r.namespace, r.name))) return undefined; // reported where it is
    const inNs = [...deployments.values()].filter((x) => x.spec.namespace === r.namespace).map((x) => x.spec.name);
    const hint = suggest(r.name, inNs);
    const all = [...deployments.keys()].map((k) => (k.startsWith('default/') ? k.slice('default/'.length) : k));
    problems.error(simRes, path, {
      expected: all.length ? `a Deployment of the scenario (${listed(all)})` : 'a Deployment of the scenario (there is none)',
      found: JSON.stringify(text),
      message: hint ? `no Deployment "${key}" (did you mean "${hint}"?)` : `no Deployment "${key}"`,
    });
    return undefined;
  };

  const nodeRef = (i: number, verb: string, text: string): string | undefined => {
    const parts = text.trim().split('/');
    const name = parts.length === 2 && NODE_KINDS.has(parts[0]!.toLowerCase()) ? parts[1]! : text.trim();
    if (zoneOf.has(name)) return name;
    const hint = suggest(name, nodeNames);
    problems.error(simRes, at(i, verb), {
      expected: `a node of the cluster (${listed(nodeNames)})`,
      found: JSON.stringify(text),
      ...(hint ? { message: `did you mean "${hint}"?` } : {}),
    });
    return undefined;
  };

  const zoneRef = (i: number, verb: string, text: string): string | undefined => {
    if (cluster.zones.includes(text)) return text;
    const hint = suggest(text, cluster.zones);
    problems.error(simRes, at(i, verb), {
      expected: `a zone of the cluster (${listed(cluster.zones)})`,
      found: JSON.stringify(text),
      ...(hint ? { message: `did you mean "${hint}"?` } : {}),
    });
    return undefined;
  };

  for (const i of order) {
    const e = written[i]!;
    const loc = simRes.locate(at(i));
    const source = `${loc.file}:${loc.line}:${loc.col}`;
    const base = { at: e.at, source };
    if (typeof warmup === 'number' && e.at < warmup) {
      problems.warn(simRes, at(i, 'at'), `happens during the warm-up (${seconds(warmup)}): requests sent before then are left out of the statistics`);
    }
    if (inp.duration !== null && e.at >= inp.duration) {
      problems.error(simRes, at(i, 'at'), {
        expected: 'a time before the end of the run',
        found: seconds(e.at),
        message: `the run ends at ${seconds(inp.duration)}${inp.durationDefaulted ? ' (the default duration; set spec.duration)' : ''}`,
      });
    }

    if (e.rollout !== undefined) {
      const d = deploymentRef(i, 'rollout', e.rollout);
      if (!d) continue;
      const template = rollout(simRes, fileIndex?.[i] ?? i, e, d, inp, problems);
      if (template) out.push({ ...base, kind: 'rollout', deployment: d.key, template });
    } else if (e.scale !== undefined) {
      const d = deploymentRef(i, 'scale', e.scale);
      if (!d || e.replicas === undefined) continue;
      d.replicas = e.replicas;
      out.push({ ...base, kind: 'scale', deployment: d.key, replicas: e.replicas });
    } else if (e.delete !== undefined) {
      const r = parseRef(e.delete, POD_KINDS);
      if ('malformed' in r || 'wrongKind' in r) {
        problems.error(simRes, at(i, 'delete'), {
          expected: 'a pod (Pod/name, Pod/namespace/name, name or namespace/name)',
          found: JSON.stringify(e.delete),
          ...('wrongKind' in r ? { message: 'a timeline deletes pods only (to remove a Deployment\'s pods, scale it)' } : {}),
        });
        continue;
      }
      const key = `${r.namespace}/${r.name}`;
      if (!pods.some((p) => p.namespace === r.namespace && p.name === r.name)) {
        const inNs = pods.filter((p) => p.namespace === r.namespace).map((p) => p.name);
        const hint = suggest(r.name, inNs);
        problems.error(simRes, at(i, 'delete'), {
          expected: 'a pod of the scenario at the start of the run (netsim describe FILES pods lists them)',
          found: JSON.stringify(e.delete),
          message: hint ? `no pod "${key}" (did you mean "${hint}"?)` : `no pod "${key}"`,
        });
        continue;
      }
      out.push({ ...base, kind: 'delete-pod', pod: key });
    } else if (e.cordon !== undefined || e.uncordon !== undefined || e.drain !== undefined) {
      const verb = e.cordon !== undefined ? 'cordon' : e.uncordon !== undefined ? 'uncordon' : 'drain';
      const node = nodeRef(i, verb, (e.cordon ?? e.uncordon ?? e.drain)!);
      if (!node) continue;
      if (verb === 'uncordon' && !cordoned.has(node)) {
        problems.warn(simRes, at(i, verb), `has no effect: node ${node} was not cordoned or drained before ${seconds(e.at)}`);
      }
      if (verb === 'uncordon') cordoned.delete(node);
      else cordoned.add(node);
      if (verb === 'drain') checkDrain(simRes, at(i, verb), node, budgets, deployments, pods, problems);
      out.push({ ...base, kind: verb, node });
    } else if (e.fail !== undefined || e.recover !== undefined) {
      const verb = e.fail !== undefined ? 'fail' : 'recover';
      const node = nodeRef(i, verb, (e.fail ?? e.recover)!);
      if (!node) continue;
      if (verb === 'recover' && !failedNodes.has(node) && !failedZones.has(zoneOf.get(node)!)) {
        problems.warn(simRes, at(i, verb), `has no effect: node ${node} was not failed before ${seconds(e.at)}`);
      }
      if (verb === 'fail') failedNodes.add(node);
      else failedNodes.delete(node);
      out.push({ ...base, kind: verb === 'fail' ? 'fail-node' : 'recover-node', node });
    } else if (e.failZone !== undefined || e.recoverZone !== undefined) {
      const verb = e.failZone !== undefined ? 'failZone' : 'recoverZone';
      const zone = zoneRef(i, verb, (e.failZone ?? e.recoverZone)!);
      if (!zone) continue;
      if (verb === 'recoverZone' && !failedZones.has(zone)) {
        problems.warn(simRes, at(i, verb), `has no effect: zone ${zone} was not failed before ${seconds(e.at)}`);
      }
      if (verb === 'failZone') failedZones.add(zone);
      else {
        failedZones.delete(zone);
        for (const n of cluster.nodes) if (n.zone === zone) failedNodes.delete(n.name);
      }
      out.push({ ...base, kind: verb === 'failZone' ? 'fail-zone' : 'recover-zone', zone });
    } else if (e.set !== undefined) {
      out.push(...setPolicies(simRes, fileIndex?.[i] ?? i, e.set, base, services, inp, problems));
    }
  }
  return out;
}

/** The new template of a rollout (undefined when it is invalid or changes nothing). */
function rollout(
  simRes: Resource,
  /** The event's index in the file. */
  fileIndex: number,
  e: TimelineEventObject,
  d: DeploymentState,
  inp: TimeInputs,
  problems: Problems,
): PodTemplateSpec | undefined {
  const eventPath: FieldPath = ['spec', 'timeline', fileIndex];
  // Without changes: `kubectl rollout restart`, which stamps the template so that it differs.
  const patch: Record<string, unknown> = e.template
    ? (deepCopy((simRes.value as { spec: { timeline: Record<string, unknown>[] } }).spec.timeline[fileIndex]!['template']) as Record<string, unknown>)
    : { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': `${e.at}s` } } };
  const layer: Layer = e.template ? { res: simRes, prefix: [...eventPath, 'template'], patch } : { res: simRes, prefix: eventPath, patch };
  const raw = mergeTemplate(d.raw, patch) as Record<string, unknown>;
  const layers = [layer, ...d.layers];
  const rev = new TemplateRevision(layers, raw);

  const schema = podTemplate();
  const env = envFor(e.template ? simRes : d.res, inp.opts);
  const parsed = withValueEnv(env, () => schema.safeParse(raw, { reportInput: true }));
  if (!parsed.success) {
    reportIssues(problems, rev, parsed.error.issues, schema);
    return undefined;
  }
  for (const miss of findNearMisses(schema, raw)) {
    problems.warn(rev, [...miss.path, miss.key], `unknown field "${miss.key}" is ignored (did you mean "${miss.suggestion}"?)`, { key: true });
  }
  const tpl = parsed.data;
  const labels = tpl.metadata?.labels ?? {};
  if (!matchesSelector(labels, d.obj.spec.selector)) {
    problems.error(rev, ['metadata', 'labels'], 'Invalid value: `selector` does not match template `labels` (a Deployment\'s selector cannot change)');
    return undefined;
  }
  if (e.template && JSON.stringify(raw) === JSON.stringify(d.raw)) {
    problems.warn(simRes, [...eventPath, 'template'], 'changes nothing in the pod template, and Kubernetes starts no rollout for an unchanged template: the event is left out (leave out template for a restart, like kubectl rollout restart)');
    return undefined;
  }
  // From the whole template as written: any change (an image, an env var) makes a new hash, as in Kubernetes.
  const hash = podTemplateHash(raw);
  const podLabels = { ...labels, 'pod-template-hash': hash };
  const built = inp.templates.build({
    res: rev,
    metaPath: ['metadata'],
    specPath: ['spec'],
    namespace: d.spec.namespace,
    labels: podLabels,
    annotations: tpl.metadata?.annotations,
    spec: tpl.spec,
  });
  // A PodTemplateSpec carries no placement: a changed one would be silently ignored.
  for (const k of PLACEMENT_FIELDS) {
    if (e.template?.spec?.[k] !== undefined) {
      problems.warn(simRes, [...eventPath, 'template', 'spec', k], 'is not passed on: the model places the new pods of a rollout by its own rule, not by the template\'s placement fields', { key: true });
    }
  }
  // A podBehaviour rule sets what the new annotation says: say so, or the change seems to do nothing.
  const changed = e.template?.metadata?.annotations ?? {};
  for (const [k, value] of Object.entries(changed)) {
    const field = BEHAVIOUR_OF[k];
    if (field && value !== null && built.setByRules.has(field)) {
      problems.warn(simRes, [...eventPath, 'template', 'metadata', 'annotations', k], `has no effect: a Workload podBehaviour rule sets ${field} for these pods, over the annotation`);
    }
  }
  d.raw = raw;
  d.layers = layers;
  return toTemplateSpec(podLabels, built);
}

/** Warns when a PodDisruptionBudget lets no pod of `node` be evicted, ever: the drain would wait forever. */
function checkDrain(
  simRes: Resource,
  path: FieldPath,
  node: string,
  budgets: readonly Budget[],
  deployments: ReadonlyMap<string, DeploymentState>,
  pods: readonly PodSpec[],
  problems: Problems,
): void {
  for (const b of budgets) {
    const here = b.pods.filter((k) => pods[k]!.nodeName === node);
    if (here.length === 0) continue;
    // The budget's total: its Deployments' replicas (as scaled so far), and one per pod of no Deployment.
    const owners = new Set<string>();
    let total = 0;
    for (const k of b.pods) {
      const owner = pods[k]!.owner;
      const d = owner !== undefined ? deployments.get(owner) : undefined;
      if (!d) total++;
      else if (!owners.has(d.key)) {
        owners.add(d.key);
        total += d.replicas;
      }
    }
    const s = b.spec;
    let why: string | undefined;
    if (s.maxUnavailable && resolveUp(s.maxUnavailable, total) === 0) {
      why = `maxUnavailable ${s.maxUnavailable.kind === 'percent' ? `${s.maxUnavailable.value}%` : s.maxUnavailable.value} lets no pod go`;
    } else if (s.minAvailable && resolveUp(s.minAvailable, total) >= total) {
      why = `minAvailable ${s.minAvailable.kind === 'percent' ? `${s.minAvailable.value}%` : s.minAvailable.value} of ${total} pod${total === 1 ? '' : 's'} lets no pod go`;
    }
    if (!why) continue;
    const names = here.map((k) => pods[k]!.name);
    problems.warn(simRes, path, `${b.res.ref} forbids every eviction (${why}): draining ${node} waits forever for ${listed(names, 3)} (kubectl drain retries every 5s)`);
  }
}

/** `set: {Service/web.spec.externalTrafficPolicy: Local}` -> one set-policy event per Service. */
function setPolicies(
  simRes: Resource,
  /** The event's index in the file. */
  i: number,
  set: Readonly<Record<string, string>>,
  base: { at: number; source: string },
  services: readonly ServiceSpec[],
  inp: TimeInputs,
  problems: Problems,
): TimelineEvent[] {
  const bySvc = new Map<string, { externalTrafficPolicy?: 'Cluster' | 'Local'; internalTrafficPolicy?: 'Cluster' | 'Local' }>();
  for (const [key, value] of Object.entries(set)) {
    const keyPath: FieldPath = ['spec', 'timeline', i, 'set', key];
    let target;
    try {
      target = parseTarget(key, false);
    } catch {
      target = undefined;
    }
    const field = target ? target.path.join('.') : '';
    if (!target || target.kind !== 'Service' || !(SETTABLE as readonly string[]).includes(field)) {
      problems.error(simRes, keyPath, {
        expected: 'Service/NAME.spec.externalTrafficPolicy or Service/NAME.spec.internalTrafficPolicy',
        found: JSON.stringify(key),
        message: 'only a Service\'s traffic policies can change during a run (other fields: set them in the files, or vary them with --set or a sweep)',
      }, { key: true });
      continue;
    }
    let svc: ServiceSpec | undefined;
    if (target.names.length === 0) {
      if (services.length === 1) svc = services[0];
      else {
        problems.error(simRes, keyPath, { expected: 'Service/NAME (the scenario has several Services)', found: JSON.stringify(key) }, { key: true });
        continue;
      }
    } else {
      const [ns, name] = target.names.length === 2 ? [target.names[0]!, target.names[1]!] : ['default', target.names[0]!];
      svc = services.find((s) => s.namespace === ns && s.name === name);
      if (!svc) {
        if (inp.validated.failed.has(failedKey('Service', ns, name))) continue;
        const hint = suggest(name, services.filter((s) => s.namespace === ns).map((s) => s.name));
        problems.error(simRes, keyPath, {
          expected: 'a Service of the scenario',
          found: JSON.stringify(key),
          message: hint ? `no Service "${ns}/${name}" (did you mean "${hint}"?)` : `no Service "${ns}/${name}"`,
        }, { key: true });
        continue;
      }
    }
    if (value !== 'Cluster' && value !== 'Local') {
      problems.error(simRes, keyPath, { expected: '"Cluster" or "Local"', found: describeValue(value) });
      continue;
    }
    const policy = field === 'spec.externalTrafficPolicy' ? 'externalTrafficPolicy' : 'internalTrafficPolicy';
    if (policy === 'externalTrafficPolicy' && svc.type !== 'NodePort' && svc.type !== 'LoadBalancer' && svc.externalIPs.length === 0) {
      problems.warn(simRes, keyPath, 'has no effect: the Service has no external entry (NodePort, LoadBalancer or externalIPs)', { key: true });
    }
    const k = `${svc.namespace}/${svc.name}`;
    bySvc.set(k, { ...(bySvc.get(k) ?? {}), [policy]: value });
  }
  return [...bySvc.entries()].map(([service, p]) => ({ ...base, kind: 'set-policy' as const, service, ...p }));
}
