/**
 * Workload clients -> ClientSpecs, with every cross-reference checked: the Service exists and can be
 * proxied, the port exists, the entry point (`via`) is one the Service offers to where the client runs,
 * and the named zones, nodes and pods exist.
 */
import { Exponential } from '../engine/distributions/index.js';
import type { ArrivalSpec, ClientLocation, ClientSpec, ConnectionSpec, EntryPoint, PodSpec, ServiceSpec } from '../model/spec.js';
import type { ClusterModel } from './build-cluster.js';
import { DEFAULTS } from './defaults.js';
import type { ClientObject } from './kinds/workload.js';
import { suggest } from './near-miss.js';
import type { Problems } from './problems.js';
import type { Resource } from './resource.js';
import type { FieldPath } from './source-map.js';
import { failedKey, type ValidatedScenario } from './validate.js';
import { builtinDistribution } from './values.js';

const didYouMean = (word: string, candidates: readonly string[]): string => {
  const hint = suggest(word, candidates);
  return hint ? ` (did you mean "${hint}"?)` : '';
};

const DNS_SEPARATELY = 'it is resolved by DNS, not proxied by kube-proxy; DNS support comes separately';

function resolveLocation(
  c: ClientObject,
  res: Resource,
  path: FieldPath,
  cluster: ClusterModel,
  pods: readonly PodSpec[],
  problems: Problems,
  failed: ReadonlySet<string>,
): ClientLocation | undefined {
  const from = c.from ?? { kind: 'external', zone: null };
  const nodeNames = cluster.nodes.map((n) => n.name);
  if (from.kind === 'external') {
    if (from.zone !== null && !cluster.zones.includes(from.zone)) {
      problems.error(res, [...path, 'from', 'zone'], { expected: `a zone of the cluster (${cluster.zones.join(', ')})`, found: JSON.stringify(from.zone) });
      return undefined;
    }
    return { kind: 'external', zone: from.zone };
  }
  if (from.kind === 'node') {
    if (!nodeNames.includes(from.name)) {
      problems.error(res, [...path, 'from', 'node'], { expected: 'the name of a node of the cluster', found: JSON.stringify(from.name), message: `no node "${from.name}"${didYouMean(from.name, nodeNames)}` });
      return undefined;
    }
    return { kind: 'node', node: from.name };
  }
  // {pod: X}: a pod of the scenario (the client runs there), else a node (a client pod on that node).
  const byName = pods.filter((p) => p.name === from.name || `${p.namespace}/${p.name}` === from.name);
  if (byName.length > 1) {
    problems.error(res, [...path, 'from', 'pod'], `ambiguous: pods named "${from.name}" exist in several namespaces; write namespace/name`);
    return undefined;
  }
  if (byName.length === 1) {
    const pod = byName[0]!;
    if (pod.nodeName === null) {
      problems.error(res, [...path, 'from', 'pod'], `the client pod ${pod.namespace}/${pod.name} is Pending (it fits no node), so it cannot send`);
      return undefined;
    }
    return { kind: 'pod', node: pod.nodeName };
  }
  if (nodeNames.includes(from.name)) return { kind: 'pod', node: from.name };
  if (failed.has(failedKey('Pod', 'default', from.name))) return undefined;
  problems.error(res, [...path, 'from', 'pod'], {
    expected: 'the name of a pod or of a node',
    found: JSON.stringify(from.name),
    message: `no pod or node "${from.name}"${didYouMean(from.name, [...pods.map((p) => p.name), ...nodeNames])}`,
  });
  return undefined;
}

export function buildClients(
  v: ValidatedScenario,
  cluster: ClusterModel,
  pods: readonly PodSpec[],
  services: readonly ServiceSpec[],
  problems: Problems,
): ClientSpec[] {
  const out: ClientSpec[] = [];
  const names = new Map<string, Resource>();
  const nodeNames = cluster.nodes.map((n) => n.name);

  for (const { res, obj, clientIndex } of v.workloads) {
    obj.spec.clients.forEach((c, k) => {
      const path: FieldPath = ['spec', 'clients', clientIndex?.[k] ?? k];
      if (names.has(c.name)) problems.error(res, [...path, 'name'], `duplicate client name "${c.name}"`);
      names.set(c.name, res);

      const location = resolveLocation(c, res, path, cluster, pods, problems, v.failed);

      // The Service.
      const t = c.target;
      const tPath: FieldPath = [...path, 'target'];
      const [ns, name] = t.service.includes('/') ? (t.service.split('/', 2) as [string, string]) : [undefined, t.service];
      const candidates = services.filter((s) => s.name === name && (ns === undefined || s.namespace === ns));
      if (candidates.length === 0) {
        if (!v.failed.has(failedKey('Service', ns ?? 'default', name))) {
          const known = services.map((s) => s.name);
          problems.error(res, [...tPath, 'service'], {
            expected: 'the name of a Service in the scenario',
            found: JSON.stringify(t.service),
            message: `no Service "${t.service}"${didYouMean(name, known) || (known.length ? ` (there are: ${known.join(', ')})` : ' (the scenario has no Service)')}`,
          });
        }
        return;
      }
      if (candidates.length > 1) {
        problems.error(res, [...tPath, 'service'], `ambiguous: Services named "${name}" exist in namespaces ${candidates.map((s) => s.namespace).join(', ')}; write namespace/name`);
        return;
      }
      const svc = candidates[0]!;
      const svcRef = `Service ${svc.namespace === 'default' ? svc.name : `${svc.namespace}/${svc.name}`}`;
      if (svc.type === 'ExternalName') {
        problems.error(res, [...tPath, 'service'], `${svcRef} is an ExternalName Service (a CNAME to ${svc.externalName}): ${DNS_SEPARATELY}`);
        return;
      }
      if (svc.clusterIP === null) {
        problems.error(res, [...tPath, 'service'], `${svcRef} is headless (clusterIP: None): clients reach its pods by their own IPs; ${DNS_SEPARATELY}`);
        return;
      }

      // The port.
      let portIndex = -1;
      if (t.port === undefined) {
        if (svc.ports.length === 1) portIndex = 0;
        else {
          problems.error(res, tPath, { expected: `a port (${svc.ports.map((p) => p.name ?? p.port).join(', ')})`, found: 'nothing', message: `${svcRef} has ${svc.ports.length} ports; name one with target.port` });
        }
      } else {
        const tp = t.port;
        if (typeof tp === 'number') {
          const tcp = svc.ports.findIndex((p) => p.port === tp && p.protocol === 'TCP');
          portIndex = tcp >= 0 ? tcp : svc.ports.findIndex((p) => p.port === tp);
        } else {
          portIndex = svc.ports.findIndex((p) => p.name === tp);
        }
        if (portIndex < 0) {
          problems.error(res, [...tPath, 'port'], { expected: `a port of ${svcRef} (${svc.ports.map((p) => (p.name ? `${p.name}/${p.port}` : p.port)).join(', ')})`, found: JSON.stringify(tp) });
        }
      }
      const port = portIndex >= 0 ? svc.ports[portIndex]! : undefined;

      // The entry point.
      const external = location?.kind === 'external';
      let via: EntryPoint | undefined = t.via;
      if (via === undefined && location) {
        if (!external) via = 'clusterIP';
        else if (svc.type === 'LoadBalancer') via = 'loadBalancer';
        else if (svc.type === 'NodePort') via = 'nodePort';
        else if (svc.externalIPs.length > 0) via = 'externalIP';
        else {
          problems.error(res, [...path, 'from'], `${svcRef} is a ClusterIP Service: it is not reachable from outside the cluster. Send from inside (from: {pod: <pod or node>}), or expose it (type NodePort or LoadBalancer, or externalIPs)`);
        }
      }
      const viaPath: FieldPath = t.via !== undefined ? [...tPath, 'via'] : [...path, 'from'];
      if (via === 'loadBalancer' && svc.type !== 'LoadBalancer') {
        problems.error(res, viaPath, `via loadBalancer needs a LoadBalancer Service; ${svcRef} is ${svc.type}`);
      } else if (via === 'nodePort' && port && port.nodePort === undefined) {
        problems.error(res, viaPath, `via nodePort needs a node port; ${svcRef} is ${svc.type}${svc.type === 'LoadBalancer' ? ' without node ports (allocateLoadBalancerNodePorts: false)' : ''}`);
      } else if (via === 'externalIP' && svc.externalIPs.length === 0) {
        problems.error(res, viaPath, `via externalIP needs spec.externalIPs; ${svcRef} has none`);
      } else if (via === 'clusterIP' && external) {
        problems.error(res, viaPath, `a cluster IP is not reachable from outside the cluster; an external client needs via loadBalancer, nodePort or externalIP`);
      }

      const targetNodes = t.nodes ?? [];
      if (targetNodes.length > 0 && via !== 'nodePort' && via !== 'externalIP') {
        problems.error(res, [...tPath, 'nodes'], `nodes applies to via nodePort or externalIP only (this client goes via ${via ?? 'an unknown entry'})`);
      }
      targetNodes.forEach((n, k) => {
        if (!nodeNames.includes(n)) problems.error(res, [...tPath, 'nodes', k], { expected: 'the name of a node of the cluster', found: JSON.stringify(n), message: `no node "${n}"${didYouMean(n, nodeNames)}` });
      });

      // Load and connections.
      const C = DEFAULTS.client;
      let arrival: ArrivalSpec;
      if (c.users !== undefined) arrival = { kind: 'closed', users: c.users, thinkTime: c.thinkTime ?? builtinDistribution(C.thinkTime) };
      else if (c.interarrival !== undefined) arrival = { kind: 'open', interarrival: c.interarrival };
      else arrival = { kind: 'open', interarrival: Exponential.withRate(c.rate ?? 1, 'duration') };

      const conn = c.connection ?? { kind: 'per-request' };
      const connection: ConnectionSpec =
        conn.kind === 'per-request'
          ? { kind: 'per-request' }
          : conn.kind === 'keep-alive'
            ? { kind: 'keep-alive', requestsPerConnection: conn.requestsPerConnection ?? C.requestsPerConnection }
            : { kind: 'pool', connections: conn.connections ?? C.poolConnections };

      if (!location || !via || !port) return;
      out.push({
        name: c.name,
        location,
        target: { service: `${svc.namespace}/${svc.name}`, port: typeof t.port === 'string' ? t.port : port.port, via, nodes: targetNodes },
        arrival,
        connection,
        sourceIPs: c.sourceIPs ?? (location.kind === 'external' ? C.externalSourceIPs : C.internalSourceIPs),
        requestBytes: c.requestSize ?? C.requestSize,
        responseBytes: c.responseSize ?? C.responseSize,
        timeout: c.timeout === undefined ? C.timeout : c.timeout,
        retries: c.retries ?? C.retries,
      });
    });
  }
  return out;
}
