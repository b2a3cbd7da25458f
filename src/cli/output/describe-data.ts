/** `netsim describe -o json|yaml`: the tables as data (the shared parts are in structured.ts). */
import type { ModelSpec } from '../../model/spec.js';
import {
  clientArrival,
  clientConnection,
  clientFrom,
  DESCRIBE_KINDS,
  externalPolicyApplies,
  loadBalancerText,
  podStatus,
  serviceEndpoints,
  serviceExternalIP,
  type DescribeKind,
} from '../../report/text/describe.js';
import type { Diagnostic, IgnoredResource } from '../../scenario/index.js';
import { diagnosticData, ignoredData, type Provenance } from './structured.js';

export const DESCRIBE_SCHEMA = 'netsim.describe/v1';

const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

function nodesData(spec: ModelSpec): unknown[] {
  const podsOn = new Map<string, number>();
  for (const p of spec.pods) if (p.nodeName !== null) podsOn.set(p.nodeName, (podsOn.get(p.nodeName) ?? 0) + 1);
  return spec.nodes.map((n) => ({ name: n.name, zone: n.zone, internalIP: n.ip, cpu: n.cpu, pods: podsOn.get(n.name) ?? 0 }));
}

function podsData(spec: ModelSpec): unknown[] {
  const zoneOf = new Map(spec.nodes.map((n) => [n.name, n.zone]));
  return spec.pods.map((p) => {
    const placed = p.nodeName !== null;
    const b = p.behaviour;
    return {
      namespace: p.namespace,
      name: p.name,
      ready: placed && p.ready,
      status: podStatus(p),
      ip: placed ? p.ip : null,
      node: p.nodeName,
      zone: placed ? orNull(zoneOf.get(p.nodeName!)) : null,
      concurrency: b.concurrency,
      queue: b.queueCapacity,
      serviceTime: b.serviceTime.toString(),
      speed: b.speed,
    };
  });
}

function servicesData(spec: ModelSpec): unknown[] {
  return spec.services.map((s) => ({
    namespace: s.namespace,
    name: s.name,
    type: s.type,
    clusterIP: s.type === 'ExternalName' ? null : (s.clusterIP ?? 'None'),
    externalIP: serviceExternalIP(s),
    ports: s.ports.map((p) => ({ port: p.port, nodePort: p.nodePort !== undefined && p.nodePort !== 0 ? p.nodePort : null, protocol: p.protocol })),
    selector: s.selector,
    externalTrafficPolicy: externalPolicyApplies(s) ? s.externalTrafficPolicy : null,
    internalTrafficPolicy: s.type === 'ExternalName' ? null : s.internalTrafficPolicy,
    sessionAffinity: s.sessionAffinity,
    sessionAffinityTimeoutSeconds: s.sessionAffinity === 'ClientIP' ? s.sessionAffinityTimeout : null,
    topology: s.topologyModeAuto ? 'Auto' : s.trafficDistribution,
    loadBalancer: s.type === 'LoadBalancer' ? loadBalancerText(s) : null,
  }));
}

function endpointsData(spec: ModelSpec): unknown[] {
  return serviceEndpoints(spec).map((e, i) => ({
    namespace: spec.services[i]!.namespace,
    service: spec.services[i]!.name,
    ready: [...e.ready],
    notReady: e.notReady,
    zones: Object.fromEntries(e.zones),
  }));
}

function clientsData(spec: ModelSpec): unknown[] {
  return spec.clients.map((c) => ({
    name: c.name,
    from: clientFrom(c),
    service: c.target.service,
    port: c.target.port,
    via: c.target.via,
    arrivals: clientArrival(c),
    connection: clientConnection(c),
    sourceIPs: c.sourceIPs,
  }));
}

const SECTIONS: Readonly<Record<DescribeKind, (spec: ModelSpec) => unknown[]>> = {
  nodes: nodesData,
  pods: podsData,
  services: servicesData,
  endpoints: endpointsData,
  clients: clientsData,
};

/** `netsim describe -o json`: the chosen tables (every one for `all`) as lists of objects. */
export function describeData(
  from: Provenance,
  spec: ModelSpec,
  kind: DescribeKind | 'all',
  loaded: { readonly warnings: readonly Diagnostic[]; readonly ignored: readonly IgnoredResource[] },
): Record<string, unknown> {
  const kinds = kind === 'all' ? DESCRIBE_KINDS : [kind];
  return {
    schema: DESCRIBE_SCHEMA,
    files: [...from.files],
    overrides: [...from.overrides],
    ...(from.placement !== undefined ? { placement: from.placement } : {}),
    ...Object.fromEntries(kinds.map((k) => [k, SECTIONS[k](spec)])),
    warnings: loaded.warnings.map(diagnosticData),
    ignored: loaded.ignored.map(ignoredData),
  };
}

