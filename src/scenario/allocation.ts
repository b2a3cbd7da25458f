/**
 * Addresses and ports, allocated the way the cluster would, but deterministically:
 *
 * - node IPs: given, or numbered from the node CIDR (host .10 onwards) in declaration order;
 * - pod IPs: from each node's /24 of the pod CIDR, in order (.1 is the node's bridge); hostNetwork pods
 *   share the node's IP; Pending pods have none (empty string);
 * - cluster IPs: given ones are checked first (range, duplicates: the API server's messages), the others
 *   probe from a hash of the Service's key, so adding a Service does not move the others' addresses;
 * - node ports: the same, in the node-port range;
 * - load balancer IPs: status / spec.loadBalancerIP when given, else the lowest free address of the LB
 *   pool (as MetalLB assigns).
 */
import { cidrContains, fnv1a, formatIPv4, parseCidr, parseIPv4, type Cidr } from './ipv4.js';
import type { FieldPath } from './source-map.js';

export interface AllocationProblem {
  /** Index of the object (node, pod or service) in the request list. */
  readonly index: number;
  readonly path: FieldPath;
  readonly message: string;
  readonly expected?: string;
  readonly found?: string;
  readonly severity: 'error' | 'warning';
}

export interface NodeAddressRequest {
  readonly ip?: string | undefined;
}

export function allocateNodeIPs(
  nodes: readonly NodeAddressRequest[],
  cidrText: string,
  hostOffset: number,
  problems: AllocationProblem[],
): string[] {
  const cidr = parseCidr(cidrText)!;
  const used = new Map<number, number>();
  nodes.forEach((n, i) => {
    if (n.ip === undefined) return;
    const ip = parseIPv4(n.ip)!;
    const other = used.get(ip);
    if (other !== undefined) problems.push({ index: i, path: ['ip'], severity: 'error', message: `address ${n.ip} is already used by node #${other + 1}` });
    else used.set(ip, i);
  });
  let next = cidr.base + hostOffset;
  return nodes.map((n, i) => {
    if (n.ip !== undefined) return n.ip.trim();
    while (used.has(next)) next++;
    if (next >= cidr.base + cidr.size - 1) {
      problems.push({ index: i, path: ['ip'], severity: 'error', message: `the node CIDR ${cidr.text} has no address left for this node`, expected: 'a larger nodeCIDR' });
      return '';
    }
    used.set(next, i);
    return formatIPv4(next++);
  });
}

/** Splits the pod CIDR into per-node blocks (`perNodePrefix`, usually /24) and numbers pods in each. */
export class PodAddressPlan {
  private readonly cidr: Cidr;
  private readonly blockSize: number;
  private readonly nextHost: number[];

  constructor(cidrText: string, perNodePrefix: number, readonly nodeCount: number) {
    this.cidr = parseCidr(cidrText)!;
    const prefix = Math.max(perNodePrefix, this.cidr.prefix);
    this.blockSize = 2 ** (32 - prefix);
    this.nextHost = new Array<number>(nodeCount).fill(2); // .0 network, .1 the node's bridge (cni0)
  }

  /** How many node blocks fit in the pod CIDR. */
  get capacity(): number {
    return Math.floor(this.cidr.size / this.blockSize);
  }

  /** The next pod address on node `node`, or undefined when that node's block is full. */
  next(node: number): string | undefined {
    if (node >= this.capacity) return undefined;
    const host = this.nextHost[node]!;
    if (host >= this.blockSize - 1) return undefined;
    this.nextHost[node] = host + 1;
    return formatIPv4(this.cidr.base + node * this.blockSize + host);
  }

  blockOf(node: number): string {
    const prefix = 32 - Math.log2(this.blockSize);
    return `${formatIPv4(this.cidr.base + node * this.blockSize)}/${prefix}`;
  }
}

export interface ServiceAddressRequest {
  /** `namespace/name`, the hash key for dynamic allocation. */
  readonly key: string;
  readonly type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  /** As written: an address, `None` (headless), empty or absent (allocate). */
  readonly clusterIP?: string | undefined;
  readonly ports: readonly { readonly nodePort?: number | undefined; readonly protocol: string }[];
  /** NodePort and LoadBalancer (unless allocateLoadBalancerNodePorts is false). */
  readonly wantsNodePorts: boolean;
  /** status.loadBalancer.ingress[0].ip or spec.loadBalancerIP, when written. */
  readonly loadBalancerIP?: string | undefined;
  readonly loadBalancerIPPath?: FieldPath | undefined;
  /** LoadBalancer with externalTrafficPolicy Local: kube-proxy's health check port, from the node-port range. */
  readonly wantsHealthCheckNodePort: boolean;
  readonly healthCheckNodePort?: number | undefined;
}

export interface ServiceAddresses {
  readonly clusterIP: string | null;
  readonly nodePorts: readonly (number | undefined)[];
  readonly loadBalancerIP: string | null;
  readonly healthCheckNodePort: number | null;
}

export interface ServiceAllocationConfig {
  readonly serviceCIDR: string;
  /** True when the user gave the CIDR: an address outside it is then an error, else a warning. */
  readonly serviceCIDRExplicit: boolean;
  readonly nodePortMin: number;
  readonly nodePortMax: number;
  readonly loadBalancerCIDR: string;
}

export function allocateServiceAddresses(
  services: readonly ServiceAddressRequest[],
  cfg: ServiceAllocationConfig,
  problems: AllocationProblem[],
): ServiceAddresses[] {
  const cidr = parseCidr(cfg.serviceCIDR)!;
  const lbCidr = parseCidr(cfg.loadBalancerCIDR)!;
  const portRange = `${cfg.nodePortMin}-${cfg.nodePortMax}`;
  // The first address of the range belongs to the `kubernetes` Service; .10 is kube-dns by convention
  // (only avoided by dynamic allocation: a scenario may well declare kube-dns itself).
  const ipOwner = new Map<number, string>([[cidr.base + 1, 'default/kubernetes']]);
  /** Node port -> the Service holding it and the protocols it uses it for. */
  const portOwner = new Map<number, { key: string; protocols: Set<string> }>();
  const lbOwner = new Map<number, string>();

  const clusterIPs: (string | null | undefined)[] = [];
  const nodePorts: (number | undefined)[][] = services.map((s) => s.ports.map(() => undefined));
  const hcPorts: (number | null)[] = services.map(() => null);
  const lbIPs: (string | null)[] = services.map(() => null);

  const portTaken = (port: number): boolean => portOwner.has(port);
  const takePort = (port: number, key: string, protocol: string): void => {
    const o = portOwner.get(port);
    if (o) o.protocols.add(protocol);
    else portOwner.set(port, { key, protocols: new Set([protocol]) });
  };

  // Pass 1: what was written.
  services.forEach((s, i) => {
    if (s.type === 'ExternalName') {
      clusterIPs[i] = null;
      return;
    }
    const written = s.clusterIP?.trim();
    if (written === 'None') clusterIPs[i] = null;
    else if (written !== undefined && written !== '') {
      const ip = parseIPv4(written);
      if (ip === undefined) {
        problems.push({ index: i, path: ['spec', 'clusterIP'], severity: 'error', expected: 'an IPv4 address, "None" (headless) or nothing (allocate one)', found: JSON.stringify(written), message: '' });
        clusterIPs[i] = null;
      } else if (!cidrContains(cidr, ip) || ip === cidr.base || ip === cidr.base + cidr.size - 1) {
        const message = `failed to allocate IP ${written}: provided IP (${written}) is not in the valid range. The range of valid IPs is ${cidr.text}`;
        if (cfg.serviceCIDRExplicit) {
          problems.push({ index: i, path: ['spec', 'clusterIP'], severity: 'error', message });
        } else {
          problems.push({ index: i, path: ['spec', 'clusterIP'], severity: 'warning', message: `${message} (the default; set the Cluster's spec.serviceCIDR to your cluster's range)` });
        }
        clusterIPs[i] = written;
      } else if (ipOwner.has(ip)) {
        problems.push({ index: i, path: ['spec', 'clusterIP'], severity: 'error', message: `failed to allocate IP ${written}: provided IP is already allocated (by Service ${ipOwner.get(ip)})` });
        clusterIPs[i] = written;
      } else {
        ipOwner.set(ip, s.key);
        clusterIPs[i] = written;
      }
    }
    s.ports.forEach((p, k) => {
      if (p.nodePort === undefined || p.nodePort === 0) return;
      if (!s.wantsNodePorts) return; // reported by validation (ClusterIP) or ignored (LB without node ports)
      const path = ['spec', 'ports', k, 'nodePort'];
      if (p.nodePort < cfg.nodePortMin || p.nodePort > cfg.nodePortMax) {
        problems.push({ index: i, path, severity: 'error', message: `Invalid value: ${p.nodePort}: provided port is not in the valid range. The range of valid ports is ${portRange}` });
        return;
      }
      const owner = portOwner.get(p.nodePort);
      // One Service may use one node port for two protocols (DNS on 53/TCP and 53/UDP); nothing else may.
      if (owner !== undefined && (owner.key !== s.key || owner.protocols.has(p.protocol))) {
        const by = owner.key === s.key ? 'by another port of this Service' : `by Service ${owner.key}`;
        problems.push({ index: i, path, severity: 'error', message: `Invalid value: ${p.nodePort}: provided port is already allocated (${by})` });
        return;
      }
      takePort(p.nodePort, s.key, p.protocol);
      nodePorts[i]![k] = p.nodePort;
    });
    if (s.wantsHealthCheckNodePort && s.healthCheckNodePort !== undefined && s.healthCheckNodePort !== 0) {
      const hc = s.healthCheckNodePort;
      const path = ['spec', 'healthCheckNodePort'];
      if (hc < cfg.nodePortMin || hc > cfg.nodePortMax) {
        problems.push({ index: i, path, severity: 'error', message: `Invalid value: ${hc}: provided port is not in the valid range. The range of valid ports is ${portRange}` });
      } else if (portTaken(hc)) {
        problems.push({ index: i, path, severity: 'error', message: `Invalid value: ${hc}: provided port is already allocated` });
      } else {
        takePort(hc, s.key, 'TCP');
        hcPorts[i] = hc;
      }
    }
    if (s.type === 'LoadBalancer' && s.loadBalancerIP !== undefined) {
      const ip = parseIPv4(s.loadBalancerIP)!;
      const owner = lbOwner.get(ip);
      if (owner !== undefined) {
        problems.push({ index: i, path: s.loadBalancerIPPath ?? ['spec', 'loadBalancerIP'], severity: 'error', message: `load balancer IP ${s.loadBalancerIP} is already assigned to Service ${owner}` });
      } else {
        lbOwner.set(ip, s.key);
        lbIPs[i] = s.loadBalancerIP.trim();
      }
    }
  });

  // Pass 2: everything left, from a hash of the key (cluster IPs, node ports) or the lowest free (LB IPs).
  const ipSpan = cidr.size - 2; // no network, no broadcast
  const portSpan = cfg.nodePortMax - cfg.nodePortMin + 1;
  services.forEach((s, i) => {
    if (clusterIPs[i] === undefined) {
      let found: number | undefined;
      const start = fnv1a(s.key) % ipSpan;
      for (let probe = 0; probe < ipSpan; probe++) {
        const ip = cidr.base + 1 + ((start + probe) % ipSpan);
        if (ipOwner.has(ip) || ip === cidr.base + 10) continue;
        found = ip;
        break;
      }
      if (found === undefined) {
        problems.push({ index: i, path: ['spec', 'clusterIP'], severity: 'error', message: `the service CIDR ${cidr.text} is full` });
        clusterIPs[i] = null;
      } else {
        ipOwner.set(found, s.key);
        clusterIPs[i] = formatIPv4(found);
      }
    }
    const nextPort = (salt: string): number | undefined => {
      const start = fnv1a(`${s.key}/${salt}`) % portSpan;
      for (let probe = 0; probe < portSpan; probe++) {
        const port = cfg.nodePortMin + ((start + probe) % portSpan);
        if (!portTaken(port)) return port;
      }
      return undefined;
    };
    if (s.wantsNodePorts) {
      s.ports.forEach((p, k) => {
        if (nodePorts[i]![k] !== undefined || (p.nodePort !== undefined && p.nodePort !== 0)) return;
        const port = nextPort(`port${k}`);
        if (port === undefined) {
          problems.push({ index: i, path: ['spec', 'ports', k, 'nodePort'], severity: 'error', message: `no node port left in ${portRange}` });
          return;
        }
        takePort(port, s.key, p.protocol);
        nodePorts[i]![k] = port;
      });
    }
    if (s.wantsHealthCheckNodePort && hcPorts[i] === null && (s.healthCheckNodePort === undefined || s.healthCheckNodePort === 0)) {
      const port = nextPort('healthCheck');
      if (port !== undefined) {
        takePort(port, s.key, 'TCP');
        hcPorts[i] = port;
      }
    }
    if (s.type === 'LoadBalancer' && lbIPs[i] === null && s.loadBalancerIP === undefined) {
      let ip = lbCidr.base + 1;
      while (lbOwner.has(ip) && ip < lbCidr.base + lbCidr.size - 1) ip++;
      if (ip >= lbCidr.base + lbCidr.size - 1) {
        problems.push({ index: i, path: ['spec', 'type'], severity: 'error', message: `the load balancer pool ${lbCidr.text} has no address left` });
      } else {
        lbOwner.set(ip, s.key);
        lbIPs[i] = formatIPv4(ip);
      }
    }
  });

  return services.map((_, i) => ({
    clusterIP: clusterIPs[i] ?? null,
    nodePorts: nodePorts[i]!,
    loadBalancerIP: lbIPs[i] ?? null,
    healthCheckNodePort: hcPorts[i] ?? null,
  }));
}
