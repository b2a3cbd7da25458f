/**
 * Pods: bare Pods plus the replicas of Deployments, ReplicaSets, StatefulSets, DaemonSets and
 * ReplicationControllers, in the order they appear in the files; placed on nodes, given addresses and
 * behaviour (defaults, then `netsim/*` annotations, then the Workloads' `podBehaviour` rules), and a
 * lifecycle (lifecycle.ts). A dump's live pods are their controllers' replicas (dump-pods.ts).
 */
import type { PodLifecycleSpec } from '../model/control/spec.js';
import type { ContainerPortSpec, PodBehaviour, PodSpec, ResourceRequests } from '../model/spec.js';
import { PodAddressPlan } from './allocation.js';
import { readPodAnnotations } from './annotations.js';
import type { ClusterModel } from './build-cluster.js';
import { DEFAULTS } from './defaults.js';
import { resolveDump, isLivePod, type PlacementMode } from './dump-pods.js';
import type { IgnoredResource } from './ignored.js';
import { podSuffix, podTemplateHash, replicaIdentities, revisionOneHashInput } from './kinds/controllers.js';
import { formatSelector, matchesMap } from './kinds/meta.js';
import { podRequests, readyFromStatus, type PodSpecInput } from './kinds/pod.js';
import type { PodBehaviourObject } from './kinds/workload.js';
import { readLifecycle } from './lifecycle.js';
import { placePods, type PlacementNode, type PlacementPod } from './placement.js';
import type { Problems } from './problems.js';
import type { Resource } from './resource.js';
import type { FieldPath } from './source-map.js';
import { envFor, type ValidatedScenario, type ValidateOptions } from './validate.js';
import { builtinDistribution } from './values.js';

/** A pod with where it came from, for diagnostics and for Services and clients that refer to it. */
export interface PodOrigin {
  readonly res: Resource;
  /** Path of the pod spec in the resource: `['spec']` or `['spec', 'template', 'spec']`. */
  readonly specPath: FieldPath;
}

export interface PodsModel {
  readonly pods: PodSpec[];
  readonly origins: PodOrigin[];
  /** Turns pod templates into behaviour and lifecycle: the same code for every pod and every revision. */
  readonly templates: PodTemplates;
  /** Objects of pod-making kinds that built nothing (a ReplicaSet whose pods are its Deployment's...). */
  readonly unused: IgnoredResource[];
}

/** A pod template (or a pod) to read: where it is written and what it holds. */
export interface TemplateInput {
  readonly res: Resource;
  /** Path of the pod's metadata and spec in `res`. */
  readonly metaPath: FieldPath;
  readonly specPath: FieldPath;
  readonly namespace: string;
  /** The pod's labels (the template's plus those its controller adds). */
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>> | undefined;
  readonly spec: PodSpecInput;
}

/** What a pod gets from its template. */
export interface BuiltTemplate {
  readonly ports: ContainerPortSpec[];
  readonly behaviour: PodBehaviour;
  readonly lifecycle: PodLifecycleSpec;
  readonly weight?: number;
  /** `netsim/ready`, when given. */
  readonly ready?: boolean;
  /** `resources.requests` summed over the containers; absent when none requests anything. */
  readonly requests?: ResourceRequests;
  /** Behaviour fields a Workload's podBehaviour rule set (over the annotations). */
  readonly setByRules: ReadonlySet<keyof PodBehaviour>;
}

function getIn(value: unknown, path: FieldPath): unknown {
  let v = value;
  for (const s of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[s];
  }
  return v;
}

/**
 * Reads pod templates: defaults, then `netsim/*` annotations, then the Workloads' `podBehaviour` rules (the
 * last match wins) for behaviour; the container spec and annotations for the lifecycle.
 */
export class PodTemplates {
  private readonly rules: { res: Resource; rule: PodBehaviourObject; i: number; used: boolean }[];
  private readonly lifecycleWarnings: boolean;

  constructor(
    v: ValidatedScenario,
    private readonly problems: Problems,
    private readonly opts: ValidateOptions,
  ) {
    // Lifecycle warnings matter only when something happens in time.
    this.lifecycleWarnings = (v.simulations[0]?.obj.spec.timeline?.length ?? 0) > 0;
    this.rules = v.workloads.flatMap(({ res, obj }) => (obj.spec.podBehaviour ?? []).map((rule, i) => ({ res, rule, i, used: false })));
  }

  build(t: TemplateInput): BuiltTemplate {
    const annotationsPath: FieldPath = [...t.metaPath, 'annotations'];
    const fromAnnotations = readPodAnnotations(t.res, annotationsPath, t.annotations, getIn(t.res.value, annotationsPath), this.problems, envFor(t.res, this.opts));
    const P = DEFAULTS.pod;
    const behaviour: { -readonly [K in keyof PodBehaviour]: PodBehaviour[K] } = {
      concurrency: fromAnnotations.concurrency ?? P.concurrency,
      queueCapacity: fromAnnotations.queueCapacity ?? P.queueCapacity,
      serviceTime: fromAnnotations.serviceTime ?? builtinDistribution(P.serviceTime),
      speed: fromAnnotations.speed ?? P.speed,
    };
    const setByRules = new Set<keyof PodBehaviour>();
    for (const r of this.rules) {
      if (r.rule.namespace !== undefined && r.rule.namespace !== t.namespace) continue;
      if (!matchesMap(t.labels, r.rule.selector)) continue;
      r.used = true;
      if (r.rule.serviceTime) {
        behaviour.serviceTime = r.rule.serviceTime;
        setByRules.add('serviceTime');
      }
      if (r.rule.concurrency !== undefined) {
        behaviour.concurrency = r.rule.concurrency;
        setByRules.add('concurrency');
      }
      if (r.rule.queueCapacity !== undefined) {
        behaviour.queueCapacity = r.rule.queueCapacity;
        setByRules.add('queueCapacity');
      }
      if (r.rule.speed !== undefined) {
        behaviour.speed = r.rule.speed;
        setByRules.add('speed');
      }
    }
    // CPU a request keeps busy (the HPA's metric): a share of its service time, or a mean CPU time over the
    // mean service time (a request's CPU then grows with its service time).
    const cpu = fromAnnotations.cpuPerRequest;
    if (cpu !== undefined) behaviour.cpuShare = cpu.kind === 'share' ? cpu.value : cpu.value / behaviour.serviceTime.mean;
    if (fromAnnotations.errorRate !== undefined && fromAnnotations.errorRate > 0) behaviour.errorRate = fromAnnotations.errorRate;
    const ports: ContainerPortSpec[] = t.spec.containers.flatMap((c) =>
      (c.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), containerPort: p.containerPort, protocol: p.protocol })),
    );
    const lifecycle = readLifecycle(t.spec, fromAnnotations, { res: t.res, specPath: t.specPath, annotationsPath }, this.problems, this.lifecycleWarnings);
    const requests = podRequests(t.spec);
    return {
      ports,
      behaviour,
      lifecycle,
      ...(requests !== undefined ? { requests } : {}),
      ...(fromAnnotations.weight !== undefined ? { weight: fromAnnotations.weight } : {}),
      ...(fromAnnotations.ready !== undefined ? { ready: fromAnnotations.ready } : {}),
      setByRules,
    };
  }

  /** Warns about podBehaviour rules that matched no pod or template read so far. */
  reportUnusedRules(): void {
    for (const r of this.rules) {
      if (!r.used) this.problems.warn(r.res, ['spec', 'podBehaviour', r.i, 'selector'], `matches no pod (selector ${formatSelector(r.rule.selector) || '(empty)'})`);
    }
  }
}

interface PodDraft {
  readonly res: Resource;
  readonly order: number;
  readonly specPath: FieldPath;
  readonly metaPath: FieldPath;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Readonly<Record<string, string>> | undefined;
  readonly spec: PodSpecInput;
  readonly owner: string | undefined;
  /** The Deployment (`namespace/name`) whose replica this is. */
  readonly deployment?: string;
  readonly ready: boolean;
  readonly terminating: boolean;
  readonly boundNode?: string;
}

function nodeFitsTemplate(node: PlacementNode, spec: PodSpecInput): boolean {
  // A DaemonSet's pods go only to nodes its template's selector, affinity and tolerations allow.
  const pod: PlacementPod = {
    namespace: '',
    labels: {},
    nodeSelector: spec.nodeSelector,
    requiredNodeAffinity: spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
    tolerations: spec.tolerations,
  };
  return placePods([node], [pod])[0]!.node !== null;
}

export function buildPods(
  v: ValidatedScenario,
  order: ReadonlyMap<Resource, number>,
  cluster: ClusterModel,
  problems: Problems,
  opts: ValidateOptions,
  placement: PlacementMode = 'as-is',
): PodsModel {
  const drafts: PodDraft[] = [];
  const dump = resolveDump(v.pods, [...v.controllers, ...v.daemonSets], order, placement, problems, {
    podSuffix,
    templateHash: (obj) => podTemplateHash(revisionOneHashInput(obj.spec.template)),
  });
  const nodeNames = new Set(cluster.nodes.map((n) => n.name));
  /** Pods whose node is missing from the scenario: an error each, so no "Pending" warning as well. */
  const misplaced = new Set<Resource>();
  const homeless: { res: Resource; pod: string; node: string }[] = [];

  for (const { res, obj } of v.pods) {
    const info = dump.pods.get(res);
    if (info?.dropped) continue;
    const written = obj.spec.nodeName;
    if (written !== undefined && !nodeNames.has(written) && isLivePod(obj)) {
      misplaced.add(res);
      if (cluster.nodesFromDump === 0 && cluster.res === undefined) homeless.push({ res, pod: obj.metadata.name, node: written });
      else if (info?.nodeName !== undefined) {
        const names = [...nodeNames];
        problems.error(res, ['spec', 'nodeName'], {
          expected: `a node of the scenario (${names.slice(0, 6).join(', ')}${names.length > 6 ? ', ...' : ''})`,
          found: JSON.stringify(written),
          message: `pod ${obj.metadata.name} runs on node ${written}, which is not in the scenario: add its Node object (kubectl get node ${written} -o yaml) or a node of that name to the Cluster`,
        });
      }
    }
    // Under `reschedule`, the dump's node is forgotten and the scheduler model places the pod.
    const { nodeName: _bound, ...unbound } = obj.spec;
    drafts.push({
      res,
      order: order.get(res) ?? 0,
      specPath: ['spec'],
      metaPath: ['metadata'],
      name: obj.metadata.name,
      namespace: obj.metadata.namespace ?? 'default',
      labels: { ...(obj.metadata.labels ?? {}) },
      annotations: obj.metadata.annotations,
      spec: info === undefined || info.nodeName === written ? obj.spec : unbound,
      owner: info?.owner,
      ...(info?.deployment !== undefined ? { deployment: info.deployment } : {}),
      ready: info?.ready ?? readyFromStatus(obj.status),
      terminating: info?.terminating ?? (obj.metadata.deletionTimestamp !== undefined && obj.metadata.deletionTimestamp !== null),
    });
  }
  if (homeless.length > 0) {
    const first = homeless[0]!;
    const nodes = [...new Set(homeless.map((h) => h.node))];
    problems.error(first.res, ['spec', 'nodeName'], {
      expected: 'the nodes the pods run on: v1 Node objects (kubectl get nodes -o yaml) or a netsim/v1 Cluster naming them',
      found: `no Node and no Cluster, while ${homeless.length} pod(s) run on ${nodes.length} node(s) (${nodes.slice(0, 4).join(', ')}${nodes.length > 4 ? ', ...' : ''})`,
      message: `a dump with no nodes: pod ${first.pod} runs on node ${first.node}, and the scenario says nothing of the cluster's nodes; add the Node objects to the files, or a Cluster`,
    });
  }
  for (const { res, obj } of v.controllers) {
    if (dump.skipped.has(res)) continue;
    const fromDump = dump.fromDump.get(res);
    const tmeta = obj.spec.template.metadata;
    for (const id of fromDump ? fromDump.extra : replicaIdentities(obj)) {
      drafts.push({
        res,
        order: fromDump?.order ?? order.get(res) ?? 0,
        specPath: ['spec', 'template', 'spec'],
        metaPath: ['spec', 'template', 'metadata'],
        name: id.name,
        namespace: obj.metadata.namespace ?? 'default',
        labels: { ...(tmeta?.labels ?? {}), ...id.extraLabels },
        annotations: tmeta?.annotations,
        spec: obj.spec.template.spec,
        owner: `${obj.kind}/${obj.metadata.namespace ?? 'default'}/${obj.metadata.name}`,
        ...(obj.kind === 'Deployment' ? { deployment: `${obj.metadata.namespace ?? 'default'}/${obj.metadata.name}` } : {}),
        ready: true,
        terminating: false,
      });
    }
  }
  for (const { res, obj } of v.daemonSets) {
    const tmeta = obj.spec.template.metadata;
    const nodes = cluster.nodes
      .map((n, i) => ({ ...n, taints: cluster.nodeTaints[i] }))
      .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
    // With live pods in the dump, only the eligible nodes that have none get one (as the controller would).
    const fromDump = dump.fromDump.get(res);
    const ownerKey = `DaemonSet/${obj.metadata.namespace ?? 'default'}/${obj.metadata.name}`;
    const covered = new Set(fromDump ? v.pods.filter((p) => dump.pods.get(p.res)?.owner === ownerKey).map((p) => p.obj.spec.nodeName) : []);
    for (const node of nodes) {
      if (covered.has(node.name)) continue;
      if (!nodeFitsTemplate(node, obj.spec.template.spec)) continue;
      drafts.push({
        res,
        order: fromDump?.order ?? order.get(res) ?? 0,
        specPath: ['spec', 'template', 'spec'],
        metaPath: ['spec', 'template', 'metadata'],
        name: `${obj.metadata.name}-${podSuffix(`${obj.metadata.name}/${node.name}`)}`,
        namespace: obj.metadata.namespace ?? 'default',
        labels: { ...(tmeta?.labels ?? {}) },
        annotations: tmeta?.annotations,
        spec: obj.spec.template.spec,
        owner: `DaemonSet/${obj.metadata.namespace ?? 'default'}/${obj.metadata.name}`,
        ready: true,
        terminating: false,
        boundNode: node.name,
      });
    }
  }
  drafts.sort((a, b) => a.order - b.order); // stable: replicas keep their ordinal order

  // Names are unique per namespace.
  const seen = new Map<string, PodDraft>();
  for (const d of drafts) {
    const key = `${d.namespace}/${d.name}`;
    const first = seen.get(key);
    if (first) {
      const at = first.res.locate([]);
      problems.error(d.res, ['metadata', 'name'], `pod "${key}" already exists (from ${first.res.ref} at ${at.file}:${at.line})`);
    } else seen.set(key, d);
  }

  // Placement.
  const requests: PlacementPod[] = drafts.map((d) => ({
    namespace: d.namespace,
    labels: d.labels,
    nodeName: d.boundNode ?? d.spec.nodeName,
    nodeSelector: d.spec.nodeSelector,
    requiredNodeAffinity: d.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
    topologySpreadConstraints: d.spec.topologySpreadConstraints,
    tolerations: d.spec.tolerations,
    owner: d.owner,
    requests: podRequests(d.spec),
  }));
  const placementNodes = cluster.nodes.map((n, i) => ({ ...n, taints: cluster.nodeTaints[i] }));
  const placements = placePods(placementNodes, requests);
  const pending = new Map<string, { d: PodDraft; names: string[]; reason: string; total: number }>();
  placements.forEach((p, i) => {
    if (p.node !== null) return;
    const d = drafts[i]!;
    if (misplaced.has(d.res)) return; // an error already says why
    const key = `${d.res.ref}|${p.reason}`;
    const entry = pending.get(key) ?? { d, names: [], reason: p.reason, total: drafts.filter((x) => x.res === d.res).length };
    entry.names.push(d.name);
    pending.set(key, entry);
  });
  for (const { d, names, reason, total } of pending.values()) {
    const s = d.spec;
    const field: FieldPath = d.boundNode === undefined && s.nodeName !== undefined ? ['nodeName']
      : s.nodeSelector ? ['nodeSelector']
      : s.affinity ? ['affinity']
      : s.topologySpreadConstraints ? ['topologySpreadConstraints']
      : [];
    const who = names.length === 1 && total === 1 ? `pod ${names[0]}` : `${names.length} of ${total} pods (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''})`;
    problems.warn(d.res, [...d.specPath, ...field], `${who} stay${names.length === 1 && total === 1 ? 's' : ''} Pending, never an endpoint: ${reason}`);
  }

  // Addresses.
  const nodeIndex = new Map(cluster.nodes.map((n, i) => [n.name, i]));
  const plan = new PodAddressPlan(cluster.podCIDR, DEFAULTS.addresses.podCIDRPerNodePrefix, cluster.nodes.length);
  if (cluster.nodes.length > plan.capacity && cluster.res) {
    problems.error(cluster.res, ['spec', 'podCIDR'], `the pod CIDR ${cluster.podCIDR} holds ${plan.capacity} node blocks of /${DEFAULTS.addresses.podCIDRPerNodePrefix}, the cluster has ${cluster.nodes.length} nodes`);
  }

  const templates = new PodTemplates(v, problems, opts);
  const pods: PodSpec[] = [];
  const origins: PodOrigin[] = [];
  drafts.forEach((d, i) => {
    const nodeName = placements[i]!.node;
    let ip = '';
    if (nodeName !== null) {
      const n = nodeIndex.get(nodeName)!;
      if (d.spec.hostNetwork) ip = cluster.nodes[n]!.ip;
      else {
        const next = plan.next(n);
        if (next === undefined) {
          if (n < plan.capacity) problems.error(d.res, d.specPath, `node ${nodeName} has no pod address left in ${plan.blockOf(n)}`);
        } else ip = next;
      }
    }
    const t = templates.build(d);
    pods.push({
      name: d.name,
      namespace: d.namespace,
      labels: d.labels,
      nodeName,
      ip,
      ready: d.ready && t.ready !== false,
      terminating: d.terminating,
      ports: t.ports,
      behaviour: t.behaviour,
      ...(t.weight !== undefined ? { weight: t.weight } : {}),
      ...(d.deployment !== undefined ? { owner: d.deployment } : {}),
      ...(t.requests !== undefined ? { requests: t.requests } : {}),
      lifecycle: t.lifecycle,
    });
    origins.push({ res: d.res, specPath: d.specPath });
  });
  return { pods, origins, templates, unused: dump.unused };
}
