/**
 * The netsim Cluster and a dump's v1 Nodes -> nodes, network, kube-proxy and load-balancer defaults.
 * Nodes come from the Node objects first (name, labels, zone, allocatable, taints, InternalIP); a Cluster's
 * `nodes` entry of the same name then overrides the fields it gives (labels merge), one of another name
 * adds a node, and its zones and node groups add theirs. Without either, a small default cluster (and a
 * warning saying so).
 */
import type { Distribution } from '../engine/distributions/index.js';
import type { CiliumSpec, IpvsScheduler, LoadBalancerSpec, NetworkSpec, NodeSpec, ProxyMode } from '../model/spec.js';
import { allocateNodeIPs, type AllocationProblem } from './allocation.js';
import { conntrackMaxFor, DEFAULTS } from './defaults.js';
import type { ClusterObject, Taint } from './kinds/cluster.js';
import { nodeFacts, type NodeObject } from './kinds/node.js';
import { HOSTNAME_LABEL, ZONE_LABEL } from './placement.js';
import type { Problems } from './problems.js';
import type { Resource } from './resource.js';
import type { FieldPath } from './source-map.js';
import type { Valid } from './validate.js';
import { builtinDistribution } from './values.js';

export type HealthCheck = LoadBalancerSpec['healthCheck'];
type HealthCheckPreset = { readonly interval: number; readonly healthyThreshold: number; readonly unhealthyThreshold: number };

export interface ClusterModel {
  readonly name: string | undefined;
  readonly nodes: NodeSpec[];
  /** Taints of each node (placement only: the model does not need them). */
  readonly nodeTaints: readonly (readonly Taint[] | undefined)[];
  readonly zones: string[];
  readonly network: NetworkSpec;
  readonly kubeProxy: {
    readonly mode: ProxyMode;
    readonly ipvsScheduler: IpvsScheduler;
    readonly servicePorts: number;
    readonly connectionCost?: Distribution;
    readonly conntrackMax: number;
    readonly cilium?: CiliumSpec | null;
  };
  /** The cluster's default load balancer; its healthCheck is the one for externalTrafficPolicy Cluster. */
  readonly loadBalancer: LoadBalancerSpec;
  /** The provider's health check for each externalTrafficPolicy (explicit healthCheck fields applied). */
  readonly healthChecks: Readonly<Record<'Cluster' | 'Local', HealthCheck>>;
  readonly serviceCIDR: string;
  readonly serviceCIDRExplicit: boolean;
  readonly podCIDR: string;
  readonly loadBalancerCIDR: string;
  readonly nodePortMin: number;
  readonly nodePortMax: number;
  /** Where each node was declared, for diagnostics about it (undefined for the default cluster). */
  readonly nodeOrigin: readonly ({ res: Resource; path: FieldPath } | undefined)[];
  readonly res: Resource | undefined;
  /** How many nodes came from v1 Node objects (a dump); 0 when the nodes are the Cluster's or the default. */
  readonly nodesFromDump: number;
}

interface NodeDraft {
  name: string;
  zone: string;
  ip?: string | undefined;
  cpu: number;
  memory?: number | undefined;
  /** The cluster autoscaler's node group, for a group's nodes at the start. */
  group?: string | undefined;
  /** Cost reporting only. */
  pricePerHour?: number | undefined;
  labels: Record<string, string>;
  taints?: readonly Taint[] | undefined;
  origin: { res: Resource; path: FieldPath } | undefined;
}

function nodeLabels(name: string, zone: string, region: string | undefined, extra: Record<string, string> | undefined): Record<string, string> {
  return {
    [HOSTNAME_LABEL]: name,
    'kubernetes.io/os': DEFAULTS.cluster.os,
    'kubernetes.io/arch': DEFAULTS.cluster.arch,
    // The kubelet still sets the deprecated beta labels too (k/k kubelet_node_status.go `initialNode`).
    'beta.kubernetes.io/os': DEFAULTS.cluster.os,
    'beta.kubernetes.io/arch': DEFAULTS.cluster.arch,
    [ZONE_LABEL]: zone,
    ...(region ? { 'topology.kubernetes.io/region': region } : {}),
    ...(extra ?? {}),
  };
}

/** A dump's Nodes as drafts, as the kubelet and the node lifecycle controller left them. */
function dumpDrafts(nodes: readonly Valid<NodeObject>[], region: string | undefined, problems: Problems): NodeDraft[] {
  const drafts: NodeDraft[] = [];
  const seen = new Map<string, Resource>();
  for (const { res, obj } of nodes) {
    const f = nodeFacts(obj);
    const first = seen.get(f.name);
    if (first) {
      const at = first.locate([]);
      problems.error(res, ['metadata', 'name'], `duplicate Node "${f.name}" (the first is at ${at.file}:${at.line})`);
      continue;
    }
    seen.set(f.name, res);
    const zone = f.zone ?? DEFAULTS.cluster.zone;
    drafts.push({
      name: f.name,
      zone,
      ip: f.ip,
      cpu: f.cpu ?? DEFAULTS.cluster.cpu,
      memory: f.memory,
      labels: { [HOSTNAME_LABEL]: f.name, ...(region ? { 'topology.kubernetes.io/region': region } : {}), ...f.labels, [ZONE_LABEL]: zone },
      taints: f.taints.length > 0 ? f.taints : undefined,
      origin: { res, path: [] },
    });
  }
  return drafts;
}

export function buildCluster(clusters: readonly Valid<ClusterObject>[], problems: Problems, dumpNodes: readonly Valid<NodeObject>[] = []): ClusterModel {
  for (const extra of clusters.slice(1)) {
    const first = clusters[0]!.res.locate([]);
    problems.error(extra.res, [], `a scenario has one Cluster; another is at ${first.file}:${first.line}:${first.col}`);
  }
  const c = clusters[0];
  const spec = c?.obj.spec;
  const drafts: NodeDraft[] = dumpDrafts(dumpNodes, spec?.region, problems);
  const nodesFromDump = drafts.length;

  const defaultNodes = (): void => {
    for (let i = 1; i <= DEFAULTS.cluster.nodes; i++) {
      const name = `${DEFAULTS.cluster.nodeNamePrefix}${i}`;
      drafts.push({ name, zone: DEFAULTS.cluster.zone, cpu: DEFAULTS.cluster.cpu, labels: nodeLabels(name, DEFAULTS.cluster.zone, spec?.region, undefined), origin: undefined });
    }
  };
  if (!c || !spec) {
    if (nodesFromDump === 0) defaultNodes();
  } else {
    const zoneNames = new Set<string>();
    (spec.zones ?? []).forEach((z, zi) => {
      if (zoneNames.has(z.name)) problems.error(c.res, ['spec', 'zones', zi, 'name'], `duplicate zone "${z.name}"`);
      zoneNames.add(z.name);
      for (let i = 1; i <= z.nodes; i++) {
        const name = `${z.name}-node-${i}`;
        drafts.push({
          name,
          zone: z.name,
          cpu: z.cpu ?? DEFAULTS.cluster.cpu,
          memory: z.memory,
          pricePerHour: z.pricePerHour,
          labels: nodeLabels(name, z.name, spec.region, z.labels),
          taints: z.taints,
          origin: { res: c.res, path: ['spec', 'zones', zi] },
        });
      }
    });
    (spec.nodes ?? []).forEach((n, ni) => {
      const labelZone = n.labels?.[ZONE_LABEL];
      if (n.zone !== undefined && labelZone !== undefined && labelZone !== n.zone) {
        problems.error(c.res, ['spec', 'nodes', ni, 'labels', ZONE_LABEL], { expected: `"${n.zone}" (the node's zone)`, found: JSON.stringify(labelZone) });
      }
      // A node of the dump: the Cluster's entry overrides the fields it gives (docs/scenarios.md).
      const dumped = drafts.findIndex((d, i) => i < nodesFromDump && d.name === n.name);
      if (dumped >= 0) {
        const d = drafts[dumped]!;
        const zone = n.zone ?? labelZone ?? d.zone;
        drafts[dumped] = {
          ...d,
          zone,
          ip: n.ip ?? d.ip,
          cpu: n.cpu ?? d.cpu,
          memory: n.memory ?? d.memory,
          pricePerHour: n.pricePerHour,
          labels: { ...d.labels, ...(n.labels ?? {}), [ZONE_LABEL]: zone },
          taints: n.taints ?? d.taints,
        };
        return;
      }
      const zone = n.zone ?? labelZone ?? DEFAULTS.cluster.zone;
      drafts.push({
        name: n.name,
        zone,
        ip: n.ip,
        cpu: n.cpu ?? DEFAULTS.cluster.cpu,
        memory: n.memory,
        pricePerHour: n.pricePerHour,
        labels: nodeLabels(n.name, zone, spec.region, n.labels),
        taints: n.taints,
        origin: { res: c.res, path: ['spec', 'nodes', ni] },
      });
    });
    // A node group's nodes at the start (the autoscaler adds `<group>-<k>` after them, control/node-slots.ts).
    (spec.nodeGroups ?? []).forEach((g, gi) => {
      const size = g.size ?? g.minSize;
      for (let k = 0; k < size; k++) {
        const name = `${g.name}-${k}`;
        drafts.push({
          name,
          zone: g.zone,
          cpu: g.cpu ?? DEFAULTS.cluster.cpu,
          memory: g.memory,
          group: g.name,
          pricePerHour: g.pricePerHour,
          labels: nodeLabels(name, g.zone, spec.region, g.labels),
          origin: { res: c.res, path: ['spec', 'nodeGroups', gi] },
        });
      }
    });
    if (drafts.length === 0 && nodesFromDump === 0) {
      problems.warn(c.res, ['spec'], `no nodes or zones: using the default ${DEFAULTS.cluster.nodes} nodes (${DEFAULTS.cluster.nodeNamePrefix}1..${DEFAULTS.cluster.nodeNamePrefix}${DEFAULTS.cluster.nodes}) in one zone`);
      defaultNodes();
    }
    const seen = new Map<string, number>();
    drafts.forEach((d, i) => {
      const before = seen.get(d.name);
      if (before !== undefined && d.origin) {
        problems.error(d.origin.res, [...d.origin.path, 'name'], `duplicate node name "${d.name}"`);
      }
      seen.set(d.name, i);
    });
  }

  const allocProblems: AllocationProblem[] = [];
  const ips = allocateNodeIPs(drafts, spec?.nodeCIDR ?? DEFAULTS.addresses.nodeCIDR, DEFAULTS.addresses.nodeHostOffset, allocProblems);
  for (const p of allocProblems) {
    const d = drafts[p.index]!;
    if (d.origin) problems.at(p.severity, d.origin.res, [...d.origin.path, ...p.path], { message: p.message, ...(p.expected ? { expected: p.expected } : {}) });
  }
  // A node with a NoSchedule/NoExecute taint takes no pod a timeline creates (tolerations of the workloads'
  // templates are not consulted then: docs/model.md); pods of the manifests are placed with tolerations.
  const hardTaint = (d: (typeof drafts)[number]): boolean => (d.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  const nodes: NodeSpec[] = drafts.map((d, i) => ({
    name: d.name,
    zone: d.zone,
    ip: ips[i]!,
    labels: d.labels,
    cpu: d.cpu,
    ...(d.memory !== undefined ? { memory: d.memory } : {}),
    ...(d.group !== undefined ? { group: d.group } : {}),
    ...(d.pricePerHour ? { pricePerHour: d.pricePerHour } : {}),
    ...(hardTaint(d) ? { schedulable: false } : {}),
  }));
  const zones = [...new Set(nodes.map((n) => n.zone))];

  const net = spec?.network;
  const N = DEFAULTS.network;
  const network: NetworkSpec = {
    sameNode: net?.sameNode ?? builtinDistribution(N.sameNode),
    sameZone: net?.sameZone ?? builtinDistribution(N.sameZone),
    crossZone: net?.crossZone ?? builtinDistribution(N.crossZone),
    external: net?.external ?? builtinDistribution(N.external),
    loadBalancerToBackend: net?.loadBalancerToBackend ?? builtinDistribution(N.loadBalancerToBackend),
    forwarding: net?.forwarding ?? builtinDistribution(N.forwarding),
    crossZoneCostPerGB: net?.crossZoneCostPerGB ?? N.crossZoneCostPerGB,
    ...(spec?.loadBalancer?.pricePerHour ? { loadBalancerCostPerHour: spec.loadBalancer.pricePerHour } : {}),
    ...(spec?.loadBalancer?.pricePerGB ? { loadBalancerCostPerGB: spec.loadBalancer.pricePerGB } : {}),
  };

  const kp = spec?.kubeProxy;
  const minCpu = nodes.length ? Math.min(...nodes.map((n) => n.cpu)) : DEFAULTS.cluster.cpu;
  const cilium = buildCilium(c, problems);
  const kubeProxy = {
    mode: kp?.mode ?? DEFAULTS.kubeProxy.mode,
    ipvsScheduler: kp?.ipvsScheduler ?? DEFAULTS.kubeProxy.ipvsScheduler,
    servicePorts: kp?.servicePorts ?? DEFAULTS.kubeProxy.servicePorts,
    ...(kp?.connectionCost ? { connectionCost: kp.connectionCost } : {}),
    conntrackMax: cilium ? (spec?.cilium?.bpf?.ctTcpMax ?? DEFAULTS.cilium.ctTcpMax) : (kp?.conntrackMax ?? conntrackMaxFor(minCpu)),
    ...(cilium ? { cilium } : {}),
  };
  if (c && kp?.ipvsScheduler !== undefined && kubeProxy.mode !== 'ipvs' && !cilium) {
    problems.warn(c.res, ['spec', 'kubeProxy', 'ipvsScheduler'], `has no effect: kube-proxy mode is ${kubeProxy.mode}, not ipvs`);
  }

  const lb = spec?.loadBalancer;
  const L = DEFAULTS.loadBalancer;
  const lbZones = lb?.zones ?? [];
  lbZones.forEach((z, i) => {
    if (c && !zones.includes(z)) problems.error(c.res, ['spec', 'loadBalancer', 'zones', i], { expected: `a zone of the cluster (${zones.join(', ')})`, found: JSON.stringify(z) });
  });
  // The provider's preset per traffic policy; explicit healthCheck fields win over both.
  const preset = DEFAULTS.loadBalancerProviders[lb?.provider ?? L.provider];
  const hc = lb?.healthCheck;
  const check = (p: HealthCheckPreset): HealthCheck => ({
    interval: hc?.interval ?? p.interval,
    healthyThreshold: hc?.healthyThreshold ?? p.healthyThreshold,
    unhealthyThreshold: hc?.unhealthyThreshold ?? p.unhealthyThreshold,
    clusterProbe: hc?.clusterProbe ?? preset.clusterProbe,
  });
  const healthChecks = { Cluster: check(preset.cluster), Local: check(preset.local) };
  const loadBalancer: LoadBalancerSpec = {
    kind: lb?.kind ?? L.kind,
    crossZone: lb?.crossZone ?? L.crossZone,
    zones: lbZones,
    // GCP's passthrough Network Load Balancer has no LB node per zone; AWS NLB's DNS spreads clients over zones.
    clientRouting: lb?.clientRouting ?? ((lb?.provider ?? L.provider) === 'gcp' ? 'passthrough' : 'any-zone'),
    processing: lb?.processing ?? builtinDistribution(L.processing),
    healthCheck: healthChecks.Cluster,
    deregistrationDelay: lb?.deregistrationDelay !== undefined ? lb.deregistrationDelay : preset.deregistrationDelay,
  };
  if (c && lb?.healthCheck?.clusterProbe === 'kube-proxy' && loadBalancer.kind !== 'instance') {
    problems.warn(c.res, ['spec', 'loadBalancer', 'healthCheck', 'clusterProbe'], `has no effect: only instance targets are checked through a node (the load balancer's kind is ${loadBalancer.kind})`);
  }

  return {
    name: c?.obj.metadata?.name,
    nodes,
    nodeTaints: drafts.map((d) => d.taints),
    zones,
    network,
    kubeProxy,
    loadBalancer,
    healthChecks,
    serviceCIDR: spec?.serviceCIDR ?? DEFAULTS.addresses.serviceCIDR,
    serviceCIDRExplicit: spec?.serviceCIDR !== undefined,
    podCIDR: spec?.podCIDR ?? DEFAULTS.addresses.podCIDR,
    loadBalancerCIDR: spec?.loadBalancerCIDR ?? DEFAULTS.addresses.loadBalancerCIDR,
    nodePortMin: spec?.nodePortRange?.min ?? DEFAULTS.addresses.nodePortMin,
    nodePortMax: spec?.nodePortRange?.max ?? DEFAULTS.addresses.nodePortMax,
    nodeOrigin: drafts.map((d) => d.origin),
    res: c?.res,
    nodesFromDump,
  };
}

/**
 * Cilium's kube-proxy replacement when `dataPlane: cilium` (its Helm defaults for what is not written), else
 * null. Fields that the chosen data plane does not read get a warning, as a typo would.
 */
function buildCilium(c: Valid<ClusterObject> | undefined, problems: Problems): CiliumSpec | null {
  const spec = c?.obj.spec;
  const cil = spec?.cilium;
  if (spec?.dataPlane !== 'cilium') {
    if (c && cil !== undefined) problems.warn(c.res, ['spec', 'cilium'], 'has no effect: the data plane is kube-proxy (set dataPlane: cilium)');
    return null;
  }
  const D = DEFAULTS.cilium;
  const cilium: CiliumSpec = {
    algorithm: cil?.loadBalancer?.algorithm ?? D.algorithm,
    mode: cil?.loadBalancer?.mode ?? D.mode,
    maglevTableSize: cil?.maglev?.tableSize ?? D.maglevTableSize,
    serviceTopology: cil?.loadBalancer?.serviceTopology ?? D.serviceTopology,
    ...(cil?.connectionCost ? { connectionCost: cil.connectionCost } : {}),
  };
  if (c && cil?.maglev !== undefined && cilium.algorithm !== 'maglev') {
    problems.warn(c.res, ['spec', 'cilium', 'maglev'], 'has no effect: loadBalancer.algorithm is random, not maglev');
  }
  for (const field of ['mode', 'ipvsScheduler', 'servicePorts', 'connectionCost', 'conntrackMax'] as const) {
    if (c && spec.kubeProxy?.[field] !== undefined) {
      problems.warn(c.res, ['spec', 'kubeProxy', field], 'has no effect: the data plane is Cilium (see cilium)');
    }
  }
  return cilium;
}
