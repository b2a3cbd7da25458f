/**
 * Cluster DNS and the world outside: the CoreDNS pods (kube-system/coredns, placed by the scheduler's rules
 * like the Deployment kubeadm installs: two replicas spread over zones and nodes, tolerating the
 * control-plane taint), the Corefile and resolv.conf figures, and the external hosts clients reach by name.
 *
 * CoreDNS pods are placed on their own, after the application's pods and without counting them, so turning
 * DNS on in a scenario never moves an application pod. They are not pods of the spec: their queries are not
 * requests, and their figures are reported under `dns.servers`.
 */
import type { DnsSpec, ExternalHostSpec } from '../model/spec.js';
import type { ClusterModel } from './build-cluster.js';
import { DEFAULTS } from './defaults.js';
import type { ClusterObject } from './kinds/cluster.js';
import { podSuffix, podTemplateHash } from './kinds/controllers.js';
import type { WorkloadObject } from './kinds/workload.js';
import { placePods, type PlacementPod } from './placement.js';
import type { Problems } from './problems.js';
import type { Resource } from './resource.js';
import type { Valid } from './validate.js';
import { builtinDistribution } from './values.js';

const COREDNS_LABELS = { 'k8s-app': 'kube-dns' } as const;
/** kubeadm's CoreDNS tolerations. */
const COREDNS_TOLERATIONS = [
  { key: 'CriticalAddonsOnly', operator: 'Exists' as const },
  { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const },
];

/** Cluster DNS, when some client resolves a name or the Cluster describes it; else null. */
export function buildDnsSpec(cluster: Valid<ClusterObject> | undefined, model: ClusterModel, problems: Problems, needed: boolean): DnsSpec | null {
  const d = cluster?.obj.spec.dns;
  if (!needed && !d) return null;
  const D = DEFAULTS.dns;
  const replicas = d?.replicas ?? D.replicas;
  const owner = `Deployment/${D.namespace}/${D.name}`;
  const hash = podTemplateHash({ labels: COREDNS_LABELS, nodeSelector: d?.nodeSelector ?? null });
  const requests: PlacementPod[] = Array.from({ length: replicas }, () => ({
    namespace: D.namespace,
    labels: COREDNS_LABELS,
    nodeSelector: d?.nodeSelector,
    tolerations: COREDNS_TOLERATIONS,
    owner,
  }));
  const placed = placePods(model.nodes.map((n, i) => ({ ...n, taints: model.nodeTaints[i] })), requests);
  const servers: DnsSpec['servers'][number][] = [];
  placed.forEach((p, i) => {
    if (p.node !== null) servers.push({ name: `${D.namespace}/${D.name}-${hash}-${podSuffix(`${D.name}/${i}`)}`, node: p.node });
  });
  const pending = placed.find((p) => p.node === null);
  if (pending && pending.node === null && cluster) {
    const at = d?.nodeSelector ? ['spec', 'dns', 'nodeSelector'] : ['spec', 'dns'];
    if (servers.length === 0) problems.error(cluster.res, at, `no CoreDNS pod can run: ${pending.reason}`);
    else problems.warn(cluster.res, at, `${replicas - servers.length} of ${replicas} CoreDNS pods stay Pending: ${pending.reason}`);
  }
  if (cluster && d?.conntrackRace && model.kubeProxy.cilium) {
    problems.warn(cluster.res, ['spec', 'dns', 'conntrackRace'], 'has no effect: Cilium balances at the socket, without the DNAT whose conntrack insert races');
  }
  return {
    servers,
    concurrency: d?.concurrency ?? D.concurrency,
    queueCapacity: d?.queueCapacity ?? D.queueCapacity,
    hitTime: d?.hitTime ?? builtinDistribution(D.hitTime),
    missTime: d?.missTime ?? builtinDistribution(D.missTime),
    upstream: d?.upstream ?? builtinDistribution(D.upstream),
    clusterDomain: (d?.clusterDomain ?? D.clusterDomain).toLowerCase().replace(/\.$/, ''),
    recordTTL: d?.ttl ?? D.ttl,
    cacheTTL: d?.cache ?? D.cache,
    cacheClusterDomain: d?.cacheClusterDomain ?? D.cacheClusterDomain,
    loadbalance: d?.loadbalance ?? D.loadbalance,
    ndots: d?.ndots ?? D.ndots,
    search: (d?.search ?? []).map((s) => s.toLowerCase().replace(/\.$/, '')),
    timeout: d?.timeout ?? D.timeout,
    attempts: d?.attempts ?? D.attempts,
    // Cilium's socket-LB sends the queries to a CoreDNS pod's own address: no DNAT, hence no insert race.
    conntrackRace: model.kubeProxy.cilium ? 0 : (d?.conntrackRace ?? D.conntrackRace),
  };
}

/** An external host with the defaults (a name not described in Workload.spec.externalHosts). */
export function defaultExternalHost(host: string): ExternalHostSpec {
  const D = DEFAULTS.externalHost;
  return {
    host: host.toLowerCase().replace(/\.$/, ''),
    latency: builtinDistribution(D.latency),
    behaviour: { concurrency: D.concurrency, queueCapacity: D.queueCapacity, serviceTime: builtinDistribution(D.serviceTime), speed: 1 },
    ttl: D.ttl,
  };
}

/** The external hosts the Workloads describe. */
export function buildExternalHosts(workloads: readonly Valid<WorkloadObject>[], problems: Problems): ExternalHostSpec[] {
  const out: ExternalHostSpec[] = [];
  const seen = new Map<string, Resource>();
  for (const { res, obj } of workloads) {
    (obj.spec.externalHosts ?? []).forEach((h, i) => {
      const host = h.host.toLowerCase().replace(/\.$/, '');
      if (seen.has(host)) {
        problems.error(res, ['spec', 'externalHosts', i, 'host'], `external host ${host} is described twice`);
        return;
      }
      seen.set(host, res);
      const base = defaultExternalHost(host);
      out.push({
        host,
        latency: h.latency ?? base.latency,
        behaviour: {
          concurrency: h.concurrency ?? base.behaviour.concurrency,
          queueCapacity: h.queueCapacity ?? base.behaviour.queueCapacity,
          serviceTime: h.serviceTime ?? base.behaviour.serviceTime,
          speed: 1,
        },
        ttl: h.ttl ?? base.ttl,
      });
    });
  }
  return out;
}
