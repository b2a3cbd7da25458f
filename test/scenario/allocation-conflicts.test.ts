/**
 * Address and port allocation at its limits: what a written value may be, what happens when it is taken,
 * and when a range runs out. Small ranges (a /29 service CIDR, a /30 load balancer pool, two node ports)
 * make "full" reachable with a handful of Services.
 */
import { describe, expect, test } from 'vitest';
import {
  allocateNodeIPs,
  allocateServiceAddresses,
  PodAddressPlan,
  type AllocationProblem,
  type ServiceAddressRequest,
} from '../../src/scenario/allocation.js';
import { ALLOCATION_CFG as CFG, clusterIPRequest as clusterIP, nodePortRequest as nodePort } from './helpers.js';

function allocate(services: readonly ServiceAddressRequest[], cfg = CFG) {
  const problems: AllocationProblem[] = [];
  const out = allocateServiceAddresses(services, cfg, problems);
  return { out, problems };
}

describe('node addresses', () => {
  test('a written address used twice is an error on the second node; the first keeps it', () => {
    const p: AllocationProblem[] = [];
    const ips = allocateNodeIPs([{ ip: '10.0.0.5' }, { ip: ' 10.0.0.5 ' }, {}], '10.0.0.0/24', 10, p);
    expect(p).toEqual([{ index: 1, path: ['ip'], severity: 'error', message: 'address  10.0.0.5  is already used by node #1' }]);
    expect(ips).toEqual(['10.0.0.5', '10.0.0.5', '10.0.0.10']);
  });

  test('numbering stops before the broadcast address: a /29 from .5 holds .5 and .6 only', () => {
    const p: AllocationProblem[] = [];
    const ips = allocateNodeIPs([{}, {}, {}], '10.0.0.0/29', 5, p);
    expect(ips).toEqual(['10.0.0.5', '10.0.0.6', '']);
    expect(p).toEqual([{ index: 2, path: ['ip'], severity: 'error', message: 'the node CIDR 10.0.0.0/29 has no address left for this node', expected: 'a larger nodeCIDR' }]);
  });
});

describe('pod addresses', () => {
  test('a /24 per node holds .2 to .254: 253 pods, then none', () => {
    const plan = new PodAddressPlan('10.244.0.0/16', 24, 2);
    const got = Array.from({ length: 254 }, () => plan.next(1));
    expect(got[0]).toBe('10.244.1.2');
    expect(got[252]).toBe('10.244.1.254');
    expect(got[253]).toBeUndefined();
    expect(plan.next(0)).toBe('10.244.0.2'); // the other node's block is untouched
  });

  test('capacity is the number of node blocks in the pod CIDR; a node past it gets no address', () => {
    const plan = new PodAddressPlan('10.244.0.0/23', 24, 3);
    expect(plan.capacity).toBe(2);
    expect(plan.next(1)).toBe('10.244.1.2');
    expect(plan.next(2)).toBeUndefined();
  });

  test('a per-node prefix wider than the pod CIDR is clipped to it: one block, the whole CIDR', () => {
    const plan = new PodAddressPlan('10.244.0.0/25', 24, 1);
    expect(plan.capacity).toBe(1);
    expect(plan.blockOf(0)).toBe('10.244.0.0/25');
    expect(new PodAddressPlan('10.244.0.0/16', 26, 4).blockOf(3)).toBe('10.244.0.192/26');
  });
});

describe('written cluster IPs', () => {
  test('the network and broadcast addresses of the range are outside it', () => {
    const { problems } = allocate([clusterIP('default/a', { clusterIP: '10.96.0.0' }), clusterIP('default/b', { clusterIP: '10.111.255.255' }), clusterIP('default/c', { clusterIP: '10.111.255.254' })]);
    expect(problems.map((p) => [p.index, p.path, p.severity, p.message])).toEqual([
      [0, ['spec', 'clusterIP'], 'error', 'failed to allocate IP 10.96.0.0: provided IP (10.96.0.0) is not in the valid range. The range of valid IPs is 10.96.0.0/12'],
      [1, ['spec', 'clusterIP'], 'error', 'failed to allocate IP 10.111.255.255: provided IP (10.111.255.255) is not in the valid range. The range of valid IPs is 10.96.0.0/12'],
    ]);
    // Taken: the same field, the API server's message.
    expect(allocate([clusterIP('default/a', { clusterIP: '10.96.0.7' }), clusterIP('default/b', { clusterIP: '10.96.0.7' })]).problems).toEqual([
      { index: 1, path: ['spec', 'clusterIP'], severity: 'error', message: 'failed to allocate IP 10.96.0.7: provided IP is already allocated (by Service default/a)' },
    ]);
  });

  test('outside the default range (no serviceCIDR written) is a warning that says how to fix it, and the address is kept', () => {
    const { out, problems } = allocate([clusterIP('default/a', { clusterIP: '172.20.0.10' })], { ...CFG, serviceCIDRExplicit: false });
    expect(problems).toEqual([
      {
        index: 0,
        path: ['spec', 'clusterIP'],
        severity: 'warning',
        message: "failed to allocate IP 172.20.0.10: provided IP (172.20.0.10) is not in the valid range. The range of valid IPs is 10.96.0.0/12 (the default; set the Cluster's spec.serviceCIDR to your cluster's range)",
      },
    ]);
    expect(out[0]!.clusterIP).toBe('172.20.0.10');
  });

  test('not an address: an error saying what was expected and what was found; no address', () => {
    const { out, problems } = allocate([clusterIP('default/a', { clusterIP: '10.96.0.300' })]);
    expect(problems).toEqual([{ index: 0, path: ['spec', 'clusterIP'], severity: 'error', expected: 'an IPv4 address, "None" (headless) or nothing (allocate one)', found: '"10.96.0.300"', message: '' }]);
    expect(out[0]!.clusterIP).toBeNull();
  });

  test('spaces around it are trimmed; an empty one is allocated; ExternalName has none', () => {
    const { out, problems } = allocate([clusterIP('default/a', { clusterIP: ' 10.96.0.50 ' }), clusterIP('default/b', { clusterIP: '' }), clusterIP('default/c', { type: 'ExternalName' })]);
    expect(problems).toEqual([]);
    expect(out[0]!.clusterIP).toBe('10.96.0.50');
    expect(out[1]!.clusterIP).toMatch(/^10\.(9[6-9]|10\d|11[01])\./);
    expect(out[2]!.clusterIP).toBeNull();
  });

  test('a written address is taken before any dynamic one: a later dynamic Service never gets it', () => {
    const many = Array.from({ length: 4 }, (_, i) => clusterIP(`default/s${i}`));
    const serviceCIDR = '10.96.0.0/29'; // .1 kubernetes; .2 – .6 free
    const { out, problems } = allocate([...many, clusterIP('default/w', { clusterIP: '10.96.0.2' })], { ...CFG, serviceCIDR });
    expect(problems).toEqual([]);
    expect(new Set(out.map((o) => o.clusterIP))).toEqual(new Set(['10.96.0.2', '10.96.0.3', '10.96.0.4', '10.96.0.5', '10.96.0.6']));
    expect(out[4]!.clusterIP).toBe('10.96.0.2');
  });
});

describe('dynamic cluster IPs run out', () => {
  test('a /29 has 6 host addresses, one of them the kubernetes Service\'s: the sixth Service finds it full', () => {
    const services = Array.from({ length: 6 }, (_, i) => clusterIP(`default/s${i}`));
    const { out, problems } = allocate(services, { ...CFG, serviceCIDR: '10.96.0.0/29' });
    expect(out.slice(0, 5).map((o) => o.clusterIP).sort()).toEqual(['10.96.0.2', '10.96.0.3', '10.96.0.4', '10.96.0.5', '10.96.0.6']);
    expect(out[5]!.clusterIP).toBeNull();
    expect(problems).toEqual([{ index: 5, path: ['spec', 'clusterIP'], severity: 'error', message: 'the service CIDR 10.96.0.0/29 is full' }]);
  });

  test('.10 (kube-dns by convention) is skipped by dynamic allocation only', () => {
    const cfg = { ...CFG, serviceCIDR: '10.96.0.0/28' }; // hosts .1 – .14
    const { out } = allocate(Array.from({ length: 12 }, (_, i) => clusterIP(`default/s${i}`)), cfg);
    const ips = out.map((o) => o.clusterIP);
    expect(ips).not.toContain('10.96.0.10');
    expect(ips.filter((ip) => ip !== null)).toHaveLength(12);
    expect(allocate([clusterIP('kube-system/kube-dns', { clusterIP: '10.96.0.10' })], cfg).problems).toEqual([]);
  });
});

describe('written node ports', () => {
  test('two Services cannot share one; two ports of one Service cannot share one for the same protocol', () => {
    const { out, problems } = allocate([
      nodePort('default/a', { ports: [{ protocol: 'TCP', nodePort: 30080 }] }),
      nodePort('default/b', { ports: [{ protocol: 'UDP', nodePort: 30080 }] }),
      nodePort('default/c', { ports: [{ protocol: 'TCP', nodePort: 30090 }, { protocol: 'TCP', nodePort: 30090 }] }),
    ]);
    expect(problems).toEqual([
      { index: 1, path: ['spec', 'ports', 0, 'nodePort'], severity: 'error', message: 'Invalid value: 30080: provided port is already allocated (by Service default/a)' },
      { index: 2, path: ['spec', 'ports', 1, 'nodePort'], severity: 'error', message: 'Invalid value: 30090: provided port is already allocated (by another port of this Service)' },
    ]);
    expect(out.map((o) => o.nodePorts)).toEqual([[30080], [undefined], [30090, undefined]]);
  });

  test('0 means "allocate one"; a Service that has no node ports ignores a written one', () => {
    const { out, problems } = allocate([nodePort('default/a', { ports: [{ protocol: 'TCP', nodePort: 0 }] }), clusterIP('default/b', { ports: [{ protocol: 'TCP', nodePort: 12 }] })]);
    expect(problems).toEqual([]);
    expect(out[0]!.nodePorts[0]).toBeGreaterThanOrEqual(30000);
    expect(out[1]!.nodePorts).toEqual([undefined]);
  });

  test('a health check node port already taken by a node port is an error', () => {
    const { out, problems } = allocate([
      nodePort('default/a', { ports: [{ protocol: 'TCP', nodePort: 31000 }] }),
      clusterIP('default/lb', { type: 'LoadBalancer', wantsHealthCheckNodePort: true, healthCheckNodePort: 31000 }),
    ]);
    expect(problems).toEqual([{ index: 1, path: ['spec', 'healthCheckNodePort'], severity: 'error', message: 'Invalid value: 31000: provided port is already allocated' }]);
    expect(out[1]!.healthCheckNodePort).toBeNull();
  });

  test('a health check port is only allocated when wanted (LoadBalancer with externalTrafficPolicy Local)', () => {
    const { out } = allocate([clusterIP('default/lb', { type: 'LoadBalancer', wantsHealthCheckNodePort: false, healthCheckNodePort: 31000 })]);
    expect(out[0]!.healthCheckNodePort).toBeNull();
  });
});

describe('who gets what', () => {
  test('a ClusterIP Service gets a cluster IP only: no node port, no health check port, no LB address', () => {
    const { out } = allocate([clusterIP('default/a'), clusterIP('default/lb', { type: 'LoadBalancer' })]);
    expect(out[0]).toEqual({ clusterIP: expect.any(String), nodePorts: [undefined], loadBalancerIP: null, healthCheckNodePort: null });
    expect(out[1]!.healthCheckNodePort).toBeNull();
  });

  test('healthCheckNodePort 0 means "allocate one": a port of the range, not one of the Service\'s node ports', () => {
    const { out, problems } = allocate([clusterIP('default/lb', { type: 'LoadBalancer', wantsNodePorts: true, wantsHealthCheckNodePort: true, healthCheckNodePort: 0 })]);
    expect(problems).toEqual([]);
    expect(out[0]!.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
    expect(out[0]!.healthCheckNodePort).toBeLessThanOrEqual(32767);
    expect(out[0]!.healthCheckNodePort).not.toBe(out[0]!.nodePorts[0]);
  });

  test('one node port for UDP and TCP of one Service (DNS); a third port on it for TCP again is refused', () => {
    const { problems } = allocate([nodePort('kube-system/dns', { ports: [{ protocol: 'UDP', nodePort: 30053 }, { protocol: 'TCP', nodePort: 30053 }, { protocol: 'TCP', nodePort: 30053 }] })]);
    expect(problems.map((p) => [p.path, p.message])).toEqual([[['spec', 'ports', 2, 'nodePort'], 'Invalid value: 30053: provided port is already allocated (by another port of this Service)']]);
    // The port remembers both protocols: UDP again after TCP is refused too.
    const again = allocate([nodePort('kube-system/dns', { ports: [{ protocol: 'UDP', nodePort: 30053 }, { protocol: 'TCP', nodePort: 30053 }, { protocol: 'UDP', nodePort: 30053 }] })]);
    expect(again.problems.map((p) => p.path)).toEqual([['spec', 'ports', 2, 'nodePort']]);
  });

  test('a written load balancer address is trimmed', () => {
    expect(allocate([clusterIP('default/lb', { type: 'LoadBalancer', loadBalancerIP: ' 203.0.113.9 ' })]).out[0]!.loadBalancerIP).toBe('203.0.113.9');
  });
});

describe('dynamic node ports run out', () => {
  const TWO = { ...CFG, nodePortMin: 40000, nodePortMax: 40001 };

  test('three ports in a range of two: the third is an error naming the range', () => {
    const { out, problems } = allocate([nodePort('default/a', { ports: [{ protocol: 'TCP' }, { protocol: 'TCP' }, { protocol: 'TCP' }] })], TWO);
    expect(out[0]!.nodePorts.filter((p) => p !== undefined).sort()).toEqual([40000, 40001]);
    expect(problems).toEqual([{ index: 0, path: ['spec', 'ports', 2, 'nodePort'], severity: 'error', message: 'no node port left in 40000-40001' }]);
  });

  test('written ports are taken first: the dynamic one gets what is left', () => {
    const { out, problems } = allocate([nodePort('default/a'), nodePort('default/b', { ports: [{ protocol: 'TCP', nodePort: 40000 }] })], TWO);
    expect(problems).toEqual([]);
    expect(out.map((o) => o.nodePorts[0])).toEqual([40001, 40000]);
  });

  test('a health check port with none left is simply not given (no error)', () => {
    const { out, problems } = allocate([clusterIP('default/lb', { type: 'LoadBalancer', wantsNodePorts: true, wantsHealthCheckNodePort: true, ports: [{ protocol: 'TCP' }, { protocol: 'TCP' }] })], TWO);
    expect(problems).toEqual([]);
    expect(out[0]!.healthCheckNodePort).toBeNull();
  });
});

describe('load balancer addresses', () => {
  const lb = (key: string, extra: Partial<ServiceAddressRequest> = {}) => clusterIP(key, { type: 'LoadBalancer', ...extra });

  test('a /30 pool has two: .1 and .2; the third LoadBalancer is an error at spec.type', () => {
    const { out, problems } = allocate([lb('default/a'), lb('default/b'), lb('default/c')], { ...CFG, loadBalancerCIDR: '198.51.100.0/30' });
    expect(out.map((o) => o.loadBalancerIP)).toEqual(['198.51.100.1', '198.51.100.2', null]);
    expect(problems).toEqual([{ index: 2, path: ['spec', 'type'], severity: 'error', message: 'the load balancer pool 198.51.100.0/30 has no address left' }]);
  });

  test('an address written twice: the second Service is refused at the field it was written in', () => {
    const { out, problems } = allocate([
      lb('default/a', { loadBalancerIP: '203.0.113.7' }),
      lb('default/b', { loadBalancerIP: '203.0.113.7', loadBalancerIPPath: ['status', 'loadBalancer', 'ingress', 0, 'ip'] }),
      lb('default/c', { loadBalancerIP: '203.0.113.7' }),
    ]);
    expect(problems).toEqual([
      { index: 1, path: ['status', 'loadBalancer', 'ingress', 0, 'ip'], severity: 'error', message: 'load balancer IP 203.0.113.7 is already assigned to Service default/a' },
      { index: 2, path: ['spec', 'loadBalancerIP'], severity: 'error', message: 'load balancer IP 203.0.113.7 is already assigned to Service default/a' },
    ]);
    expect(out.map((o) => o.loadBalancerIP)).toEqual(['203.0.113.7', null, null]);
  });

  test('only LoadBalancer Services get one', () => {
    const { out } = allocate([nodePort('default/a', { loadBalancerIP: '203.0.113.9' }), nodePort('default/b')]);
    expect(out.map((o) => o.loadBalancerIP)).toEqual([null, null]);
  });
});
