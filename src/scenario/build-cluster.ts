/**
 * The netsim Cluster -> nodes, network, kube-proxy and load-balancer defaults. Without a Cluster, a small
 * default cluster (and a warning saying so).
 */
import type { Distribution } from '../engine/distributions/index.js';
import type { IpvsScheduler, LoadBalancerSpec, NetworkSpec, NodeSpec, ProxyMode } from '../model/spec.js';
import { allocateNodeIPs, type AllocationProblem } from './allocation.js';
import { conntrackMaxFor, DEFAULTS } from './defaults.js';
import type { ClusterObject, Taint } from './kinds/cluster.js';
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
    [ZONE_LABEL]: zone,
    ...(region ? { 'topology.kubernetes.io/region': region } : {}),
    ...(extra ?? {}),
  };
}

export function buildCluster(clusters: readonly Valid<ClusterObject>[], problems: Problems): ClusterModel {
  for (const extra of clusters.slice(1)) {
    const first = clusters[0]!.res.locate([]);
    problems.error(extra.res, [], `a scenario has one Cluster; another is at ${first.file}:${first.line}:${first.col}`);
  }
  const c = clusters[0];
  const spec = c?.obj.spec;
  const drafts: NodeDraft[] = [];

  const defaultNodes = (): void => {
    for (let i = 1; i <= DEFAULTS.cluster.nodes; i++) {
      const name = `${DEFAULTS.cluster.nodeNamePrefix}${i}`;
      drafts.push({ name, zone: DEFAULTS.cluster.zone, cpu: DEFAULTS.cluster.cpu, labels: nodeLabels(name, DEFAULTS.cluster.zone, spec?.region, undefined), origin: undefined });
    }
  };
  if (!c || !spec) {
    defaultNodes();
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
    if (drafts.length === 0) {
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
  const kubeProxy = {
    mode: kp?.mode ?? DEFAULTS.kubeProxy.mode,
    ipvsScheduler: kp?.ipvsScheduler ?? DEFAULTS.kubeProxy.ipvsScheduler,
    servicePorts: kp?.servicePorts ?? DEFAULTS.kubeProxy.servicePorts,
    ...(kp?.connectionCost ? { connectionCost: kp.connectionCost } : {}),
    conntrackMax: kp?.conntrackMax ?? conntrackMaxFor(minCpu),
  };
  if (c && kp?.ipvsScheduler !== undefined && kubeProxy.mode !== 'ipvs') {
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
  };
}
