/**
 * `netsim describe`: what the simulator built from the scenario, printed like `kubectl get -o wide`, so a
 * user can check placement, addresses, ports and endpoints before trusting a number.
 *
 * Follows kubectl's conventions where there is one: `None` as the CLUSTER-IP of a headless Service and
 * `<none>` for an ExternalName one; EXTERNAL-IP from externalIPs and the load balancer's address
 * (`<pending>` when a LoadBalancer has none) or the externalName; PORT(S) as `80:31001/TCP`; SELECTOR as
 * `k=v,...` sorted by key; ENDPOINTS as the ready `ip:port` pairs. A NAMESPACE column appears when any
 * object is outside `default` (as with `kubectl get -A`).
 */
import { formatDuration } from '../../engine/units.js';
import { ClusterIndex } from '../../model/cluster-index.js';
import { computeEndpoints } from '../../model/endpoints/index.js';
import type { ClientSpec, ModelSpec, PodSpec, ServiceSpec } from '../../model/spec.js';
import { formatCompact } from './format.js';
import { renderTable, type Column, type TableOptions } from './table.js';

export const DESCRIBE_KINDS = ['nodes', 'pods', 'services', 'endpoints', 'clients'] as const;
export type DescribeKind = (typeof DESCRIBE_KINDS)[number];

const NONE = '<none>';
const right = (header: string): Column => ({ header, align: 'right' });

function withNamespace(
  columns: Column[],
  rows: string[][],
  namespaces: readonly string[],
): { columns: Column[]; rows: string[][] } {
  if (namespaces.every((n) => n === 'default')) return { columns, rows };
  return { columns: [{ header: 'NAMESPACE' }, ...columns], rows: rows.map((r, i) => [namespaces[i]!, ...r]) };
}

export function describeNodes(spec: ModelSpec, table: TableOptions = {}): string {
  const podsOn = new Map<string, number>();
  for (const p of spec.pods) if (p.nodeName !== null) podsOn.set(p.nodeName, (podsOn.get(p.nodeName) ?? 0) + 1);
  return renderTable(
    ['NAME', 'ZONE', 'INTERNAL-IP', right('CPU'), right('PODS')],
    spec.nodes.map((n) => [n.name, n.zone, n.ip, String(n.cpu), String(podsOn.get(n.name) ?? 0)]),
    table,
  );
}

export function podStatus(pod: PodSpec): 'Running' | 'Pending' | 'Terminating' {
  if (pod.nodeName === null) return 'Pending';
  if (pod.terminating) return 'Terminating';
  return 'Running';
}

export function describePods(spec: ModelSpec, table: TableOptions = {}): string {
  const zoneOf = new Map(spec.nodes.map((n) => [n.name, n.zone]));
  const rows = spec.pods.map((p) => {
    const b = p.behaviour;
    const placed = p.nodeName !== null;
    return [
      p.name,
      placed && p.ready ? '1/1' : '0/1',
      podStatus(p),
      placed ? p.ip : NONE,
      p.nodeName ?? NONE,
      placed ? (zoneOf.get(p.nodeName!) ?? NONE) : NONE,
      String(b.concurrency),
      String(b.queueCapacity),
      b.serviceTime.toString() + (b.speed !== 1 ? ` ÷ ${b.speed}` : ''),
    ];
  });
  const t = withNamespace(
    [{ header: 'NAME' }, { header: 'READY' }, { header: 'STATUS' }, { header: 'IP' }, { header: 'NODE' }, { header: 'ZONE' }, right('CONCURRENCY'), right('QUEUE'), { header: 'SERVICE-TIME' }],
    rows,
    spec.pods.map((p) => p.namespace),
  );
  return renderTable(t.columns, t.rows, table);
}

/** kubectl's CLUSTER-IP column. */
export function serviceClusterIP(s: ServiceSpec): string {
  if (s.type === 'ExternalName') return NONE;
  return s.clusterIP ?? 'None';
}

/** kubectl's EXTERNAL-IP column. */
export function serviceExternalIP(s: ServiceSpec): string {
  switch (s.type) {
    case 'ExternalName':
      return s.externalName ?? NONE;
    case 'LoadBalancer': {
      const all = [...s.externalIPs, ...(s.loadBalancerIP !== null ? [s.loadBalancerIP] : [])];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    default:
      return s.externalIPs.length > 0 ? s.externalIPs.join(',') : NONE;
  }
}

/** kubectl's PORT(S) column: `80/TCP`, `80:31001/TCP`, comma separated. */
export function servicePorts(s: ServiceSpec): string {
  if (s.ports.length === 0) return NONE;
  return s.ports.map((p) => `${p.port}${p.nodePort !== undefined && p.nodePort !== 0 ? `:${p.nodePort}` : ''}/${p.protocol}`).join(',');
}

export function serviceSelector(s: ServiceSpec): string {
  if (s.selector === null) return NONE;
  const keys = Object.keys(s.selector).sort();
  return keys.length === 0 ? NONE : keys.map((k) => `${k}=${s.selector![k]}`).join(',');
}

export function externalPolicyApplies(s: ServiceSpec): boolean {
  return s.type === 'NodePort' || s.type === 'LoadBalancer' || s.externalIPs.length > 0;
}

export function loadBalancerText(s: ServiceSpec): string {
  if (s.type !== 'LoadBalancer') return '-';
  const lb = s.loadBalancer;
  return lb.kind === 'metallb-l2' ? lb.kind : `${lb.kind},cross-zone=${lb.crossZone ? 'on' : 'off'}`;
}

export function describeServices(spec: ModelSpec, table: TableOptions = {}): string {
  const rows = spec.services.map((s) => [
    s.name,
    s.type,
    serviceClusterIP(s),
    serviceExternalIP(s),
    servicePorts(s),
    serviceSelector(s),
    externalPolicyApplies(s) ? s.externalTrafficPolicy : '-',
    s.type === 'ExternalName' ? '-' : s.internalTrafficPolicy,
    s.sessionAffinity === 'ClientIP' ? `ClientIP/${formatDuration(s.sessionAffinityTimeout)}` : 'None',
    s.topologyModeAuto ? 'Auto' : (s.trafficDistribution ?? '-'),
    loadBalancerText(s),
  ]);
  const columns: Column[] = ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'SELECTOR', 'ETP', 'ITP', 'AFFINITY', 'TOPOLOGY', 'LB'].map((header) => ({ header }));
  const t = withNamespace(columns, rows, spec.services.map((s) => s.namespace));
  return renderTable(t.columns, t.rows, table);
}

/** A Service's endpoints as kube-proxy sees them: ready `podIP:port` pairs, not-ready count, ready per zone. */
export interface ServiceEndpoints {
  readonly ready: readonly string[];
  readonly notReady: number;
  readonly zones: ReadonlyMap<string, number>;
}

/** Every Service's endpoints, in the order of `spec.services`. */
export function serviceEndpoints(spec: ModelSpec): ServiceEndpoints[] {
  const index = new ClusterIndex(spec);
  return spec.services.map((s) => {
    const ready: string[] = [];
    let notReady = 0;
    const zones = new Map<string, number>();
    for (const port of s.ports) {
      for (const e of computeEndpoints(s, port, index)) {
        if (!e.ready) {
          notReady++;
          continue;
        }
        ready.push(`${spec.pods[e.pod]!.ip}:${e.port}`);
        const zone = index.zoneNames[e.zone]!;
        zones.set(zone, (zones.get(zone) ?? 0) + 1);
      }
    }
    return { ready, notReady, zones };
  });
}

export function describeEndpoints(spec: ModelSpec, table: TableOptions = {}): string {
  const rows = serviceEndpoints(spec).map(({ ready, notReady, zones }, i) => [
    spec.services[i]!.name,
    ready.length > 0 ? ready.join(',') : NONE,
    String(notReady),
    zones.size > 0 ? [...zones].map(([z, n]) => `${z}:${n}`).join(',') : NONE,
  ]);
  const t = withNamespace([{ header: 'NAME' }, { header: 'ENDPOINTS' }, right('NOT-READY'), { header: 'ZONES' }], rows, spec.services.map((s) => s.namespace));
  return renderTable(t.columns, t.rows, table);
}

export function clientFrom(c: ClientSpec): string {
  const l = c.location;
  if (l.kind === 'external') return l.zone !== null ? `external (${l.zone})` : 'external';
  return `${l.kind} on ${l.node}`;
}

export function clientArrival(c: ClientSpec): string {
  const a = c.arrival;
  if (a.kind === 'open') {
    const gaps = a.interarrival.toString();
    if (gaps.includes('rate=')) return `open ${gaps}`;
    const rate = a.interarrival.mean > 0 && Number.isFinite(a.interarrival.mean) ? `${formatCompact(1 / a.interarrival.mean)}/s, ` : '';
    return `open ${rate}gaps ${gaps}`;
  }
  return `closed, ${a.users} users, think ${a.thinkTime.toString()}`;
}

export function clientConnection(c: ClientSpec): string {
  const k = c.connection;
  if (k.kind === 'per-request') return 'per-request';
  if (k.kind === 'keep-alive') return `keep-alive(${k.requestsPerConnection})`;
  return `pool(${k.connections})`;
}

export function describeClients(spec: ModelSpec, table: TableOptions = {}): string {
  const rows = spec.clients.map((c) => {
    const t = c.target;
    const nodes = (t.via === 'nodePort' || t.via === 'externalIP') && t.nodes.length > 0 ? ` → ${t.nodes.join(',')}` : '';
    let target = `${t.service}:${t.port}`;
    if (c.resolve) target = `${c.resolve.name} (DNS -> ${t.service === '' ? 'external' : t.service}:${t.port})`;
    else if (c.http) target = `http://${c.http.host} (${t.service}:${t.port})`;
    return [c.name, clientFrom(c), target, `${t.via}${nodes}`, clientArrival(c), clientConnection(c), String(c.sourceIPs)];
  });
  return renderTable(['NAME', 'FROM', 'TARGET', 'VIA', 'ARRIVALS', 'CONNECTION', right('SOURCE-IPS')], rows, table);
}

const RENDERERS: Readonly<Record<DescribeKind, { title: string; render: (spec: ModelSpec, table: TableOptions) => string; empty: string }>> = {
  nodes: { title: 'Nodes', render: describeNodes, empty: 'No nodes.' },
  pods: { title: 'Pods', render: describePods, empty: 'No pods.' },
  services: { title: 'Services', render: describeServices, empty: 'No services.' },
  endpoints: { title: 'Endpoints', render: describeEndpoints, empty: 'No services, so no endpoints.' },
  clients: { title: 'Clients', render: describeClients, empty: 'No clients.' },
};

function count(spec: ModelSpec, kind: DescribeKind): number {
  switch (kind) {
    case 'nodes':
      return spec.nodes.length;
    case 'pods':
      return spec.pods.length;
    case 'services':
    case 'endpoints':
      return spec.services.length;
    case 'clients':
      return spec.clients.length;
  }
}

/** One kind as a bare table, or every kind with a title line each (`all`); `table.width` wraps wide cells. No final newline. */
export function renderDescribe(spec: ModelSpec, kind: DescribeKind | 'all', table: TableOptions = {}): string {
  const one = (k: DescribeKind): string => (count(spec, k) === 0 ? RENDERERS[k].empty : RENDERERS[k].render(spec, table));
  if (kind !== 'all') return one(kind);
  return DESCRIBE_KINDS.map((k) => `${RENDERERS[k].title}\n${one(k)}`).join('\n\n');
}
