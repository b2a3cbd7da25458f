/**
 * Services: addresses and node ports allocated, the load balancer in front resolved (cluster default plus
 * the Service's annotations), and endpoint sanity checks (a selector that matches no pod is a warning:
 * the Service exists, it just has no endpoints).
 */
import type { LoadBalancerSpec, PodSpec, ServicePortSpec, ServiceSpec } from '../model/spec.js';
import { podsMatching } from '../model/endpoints/pod-selection.js';
import { allocateServiceAddresses, type ServiceAddressRequest } from './allocation.js';
import { readServiceAnnotations } from './annotations.js';
import type { ClusterModel } from './build-cluster.js';
import { DEFAULTS } from './defaults.js';
import { formatSelector } from './kinds/meta.js';
import type { ServiceObject } from './kinds/service.js';
import type { Problems } from './problems.js';
import type { Resource } from './resource.js';
import type { FieldPath } from './source-map.js';
import { inferServiceCIDR } from './service-cidr.js';
import { UniqueNames } from './unique-names.js';
import type { Valid } from './validate.js';

export interface ServicesModel {
  readonly services: ServiceSpec[];
  readonly origins: Resource[];
  /** Pods (indices) each Service selects, Pending ones included. */
  readonly selected: number[][];
}

function getIn(value: unknown, path: FieldPath): unknown {
  let v = value;
  for (const s of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[s];
  }
  return v;
}

export function buildServices(
  list: readonly Valid<ServiceObject>[],
  pods: readonly PodSpec[],
  cluster: ClusterModel,
  problems: Problems,
  /** Some pod-making object failed validation: "no endpoints" could be a consequence, so say nothing. */
  podsIncomplete = false,
): ServicesModel {
  const names = new UniqueNames('Service', problems);
  const kept = list.filter((s) => names.claim(s.res, `${s.obj.metadata.namespace ?? 'default'}/${s.obj.metadata.name}`));

  const annotations = kept.map(({ res, obj }) =>
    readServiceAnnotations(res, ['metadata', 'annotations'], obj.metadata.annotations, getIn(res.value, ['metadata', 'annotations']), problems),
  );

  const requests: ServiceAddressRequest[] = kept.map(({ res, obj }, i) => {
    const spec = obj.spec;
    const written = spec.clusterIP?.trim();
    // The model is IPv4 single-stack: an IPv6 Service gets an IPv4 address (the data path is the same).
    const ipv6 = written !== undefined && written.includes(':');
    if (ipv6) problems.warn(res, ['spec', 'clusterIP'], `${written} is an IPv6 address: the simulator addresses Services in IPv4 and allocates one in its place (latencies and balancing do not depend on the address family)`);
    const statusIP = obj.status?.loadBalancer?.ingress?.find((g) => g.ip !== undefined)?.ip;
    const lbKind = annotations[i]!.loadBalancerKind ?? cluster.loadBalancer.kind;
    const statusIndex = obj.status?.loadBalancer?.ingress?.findIndex((g) => g.ip !== undefined) ?? -1;
    return {
      key: `${obj.metadata.namespace ?? 'default'}/${obj.metadata.name}`,
      type: spec.type,
      clusterIP: ipv6 ? undefined : spec.clusterIP,
      ports: (spec.ports ?? []).map((p) => ({ nodePort: p.nodePort, protocol: p.protocol })),
      wantsNodePorts: spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false),
      loadBalancerIP: statusIP ?? spec.loadBalancerIP,
      loadBalancerIPPath: statusIP !== undefined ? ['status', 'loadBalancer', 'ingress', statusIndex, 'ip'] : ['spec', 'loadBalancerIP'],
      wantsHealthCheckNodePort: spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local' && lbKind === 'instance',
      healthCheckNodePort: spec.healthCheckNodePort,
    };
  });
  const allocProblems: Parameters<typeof allocateServiceAddresses>[2] = [];
  const addresses = allocateServiceAddresses(
    requests,
    {
      serviceCIDR: cluster.serviceCIDRExplicit
        ? cluster.serviceCIDR
        : inferServiceCIDR(cluster.serviceCIDR, kept.filter((k) => k.obj.spec.clusterIPs !== undefined).map((k) => k.obj.spec.clusterIP ?? '')),
      serviceCIDRExplicit: cluster.serviceCIDRExplicit,
      nodePortMin: cluster.nodePortMin,
      nodePortMax: cluster.nodePortMax,
      loadBalancerCIDR: cluster.loadBalancerCIDR,
    },
    allocProblems,
  );
  for (const p of allocProblems) {
    problems.at(p.severity, kept[p.index]!.res, p.path, {
      ...(p.expected !== undefined ? { expected: p.expected } : {}),
      ...(p.found !== undefined ? { found: p.found } : {}),
      ...(p.message ? { message: p.message } : {}),
    });
  }

  const services: ServiceSpec[] = [];
  const selected: number[][] = [];
  kept.forEach(({ res, obj }, i) => {
    const spec = obj.spec;
    const ns = obj.metadata.namespace ?? 'default';
    const ann = annotations[i]!;
    const addr = addresses[i]!;

    // Endpoints.
    const chosen: number[] = [];
    if (spec.selector && spec.type !== 'ExternalName') {
      for (const k of podsMatching(pods, ns, spec.selector)) chosen.push(k);
      const sel = formatSelector(spec.selector);
      if (Object.keys(spec.selector).length === 0) {
        // An empty selector selects nothing in a Service (unlike label selectors elsewhere).
      } else if (podsIncomplete) {
        // The pods it should select may be in an object that failed validation.
      } else if (chosen.length === 0) {
        problems.warn(res, ['spec', 'selector'], `no endpoints: selector ${sel} matches no pod in namespace ${ns}`);
      } else if (!chosen.some((k) => pods[k]!.nodeName !== null && (pods[k]!.ready || spec.publishNotReadyAddresses))) {
        problems.warn(res, ['spec', 'selector'], `no ready endpoints: the ${chosen.length} pod(s) matching ${sel} are Pending or not ready`);
      }
      (spec.ports ?? []).forEach((p, k) => {
        if (typeof p.targetPort === 'string' && chosen.length > 0 && !chosen.some((c) => pods[c]!.ports.some((cp) => cp.name === p.targetPort && cp.protocol === p.protocol))) {
          problems.warn(res, ['spec', 'ports', k, 'targetPort'], `no selected pod has a ${p.protocol} container port named "${p.targetPort}": this port has no endpoints`);
        }
      });
    }
    selected.push(chosen);

    if (spec.externalTrafficPolicy !== undefined && spec.type !== 'NodePort' && spec.type !== 'LoadBalancer' && (spec.externalIPs ?? []).length === 0) {
      problems.warn(res, ['spec', 'externalTrafficPolicy'], 'has no effect: the Service has no external entry (NodePort, LoadBalancer or externalIPs)');
    }

    const lbKind = ann.loadBalancerKind ?? cluster.loadBalancer.kind;
    if (spec.type === 'LoadBalancer' && lbKind === 'instance' && spec.allocateLoadBalancerNodePorts === false) {
      problems.error(res, ['spec', 'allocateLoadBalancerNodePorts'], 'a load balancer with instance targets reaches pods through node ports; use ip targets (service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip) or allocate node ports');
    }
    (ann.zones ?? []).forEach((z) => {
      if (!cluster.zones.includes(z)) problems.error(res, ['metadata', 'annotations', 'netsim/load-balancer-zones'], { expected: `zones of the cluster (${cluster.zones.join(', ')})`, found: JSON.stringify(z) });
    });
    const base = cluster.loadBalancer;
    // One health check per Service: the provider's for the Service's externalTrafficPolicy at time 0.
    const check = cluster.healthChecks[spec.externalTrafficPolicy ?? 'Cluster'];
    const loadBalancer: LoadBalancerSpec = {
      kind: lbKind,
      crossZone: ann.crossZone ?? base.crossZone,
      zones: ann.zones ?? base.zones,
      ...(ann.clientRouting ?? base.clientRouting ? { clientRouting: ann.clientRouting ?? base.clientRouting } : {}),
      processing: base.processing,
      healthCheck: {
        interval: ann.healthCheckInterval ?? check.interval,
        healthyThreshold: ann.healthyThreshold ?? check.healthyThreshold,
        unhealthyThreshold: ann.unhealthyThreshold ?? check.unhealthyThreshold,
        ...(check.clusterProbe !== undefined ? { clusterProbe: check.clusterProbe } : {}),
      },
      ...(base.deregistrationDelay !== undefined ? { deregistrationDelay: base.deregistrationDelay } : {}),
    };

    const ports: ServicePortSpec[] = (spec.ports ?? []).map((p, k) => ({
      ...(p.name ? { name: p.name } : {}),
      protocol: p.protocol,
      port: p.port,
      targetPort: p.targetPort ?? p.port,
      ...(addr.nodePorts[k] !== undefined ? { nodePort: addr.nodePorts[k] } : {}),
    }));

    services.push({
      name: obj.metadata.name,
      namespace: ns,
      type: spec.type,
      clusterIP: spec.type === 'ExternalName' ? null : addr.clusterIP,
      selector: spec.type === 'ExternalName' ? null : spec.selector ?? null,
      ports,
      externalTrafficPolicy: spec.externalTrafficPolicy ?? 'Cluster',
      internalTrafficPolicy: spec.internalTrafficPolicy ?? 'Cluster',
      sessionAffinity: spec.sessionAffinity,
      sessionAffinityTimeout: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULTS.service.sessionAffinityTimeout,
      trafficDistribution: spec.trafficDistribution ?? null,
      topologyModeAuto: ann.topologyModeAuto,
      externalIPs: spec.externalIPs ?? [],
      loadBalancerIP: spec.type === 'LoadBalancer' ? addr.loadBalancerIP : null,
      externalName: spec.type === 'ExternalName' ? spec.externalName ?? null : null,
      publishNotReadyAddresses: spec.publishNotReadyAddresses ?? false,
      loadBalancer,
    });
  });
  return { services, origins: kept.map((k) => k.res), selected };
}
