import { describe, expect, test } from 'vitest';
import {
  allocateNodeIPs,
  allocateServiceAddresses,
  PodAddressPlan,
  type AllocationProblem,
} from '../../src/scenario/allocation.js';
import { cidrContains, parseCidr, parseIPv4 } from '../../src/scenario/ipv4.js';
import { ALLOCATION_CFG as CFG, load, nodePortRequest as svc, ok, yaml } from './helpers.js';

describe('service addresses', () => {
  test('deterministic: same input, same addresses and ports', () => {
    const list = ['default/a', 'default/b', 'shop/c'].map((k) => svc(k));
    const p: AllocationProblem[] = [];
    expect(allocateServiceAddresses(list, CFG, p)).toEqual(allocateServiceAddresses(list, CFG, p));
    expect(p).toEqual([]);
  });

  test('adding a Service does not move the others', () => {
    const before = allocateServiceAddresses([svc('default/a'), svc('default/b')], CFG, []);
    const after = allocateServiceAddresses([svc('default/new'), svc('default/a'), svc('default/b')], CFG, []);
    expect(after.slice(1)).toEqual(before);
  });

  test('dynamic cluster IPs are in range and avoid .1 (kubernetes) and .10 (kube-dns)', () => {
    const cidr = parseCidr('10.96.0.0/12')!;
    const out = allocateServiceAddresses(Array.from({ length: 200 }, (_, i) => svc(`default/s${i}`, { type: 'ClusterIP', wantsNodePorts: false })), CFG, []);
    const ips = out.map((o) => o.clusterIP!);
    expect(new Set(ips).size).toBe(200);
    for (const ip of ips) {
      expect(cidrContains(cidr, parseIPv4(ip)!)).toBe(true);
      expect(['10.96.0.0', '10.96.0.1', '10.96.0.10']).not.toContain(ip);
    }
  });

  test('written cluster IPs: kept when free; the API server\'s errors otherwise', () => {
    const p: AllocationProblem[] = [];
    const out = allocateServiceAddresses(
      [
        svc('default/a', { type: 'ClusterIP', clusterIP: '10.96.0.20', wantsNodePorts: false }),
        svc('default/b', { type: 'ClusterIP', clusterIP: '10.96.0.20', wantsNodePorts: false }),
        svc('default/c', { type: 'ClusterIP', clusterIP: '10.96.0.1', wantsNodePorts: false }),
        svc('default/d', { type: 'ClusterIP', clusterIP: '192.168.0.1', wantsNodePorts: false }),
        svc('default/e', { type: 'ClusterIP', clusterIP: 'None', wantsNodePorts: false }),
      ],
      CFG,
      p,
    );
    expect(out[0]!.clusterIP).toBe('10.96.0.20');
    expect(out[4]!.clusterIP).toBeNull();
    expect(p.map((x) => [x.index, x.severity, x.message])).toEqual([
      [1, 'error', 'failed to allocate IP 10.96.0.20: provided IP is already allocated (by Service default/a)'],
      [2, 'error', 'failed to allocate IP 10.96.0.1: provided IP is already allocated (by Service default/kubernetes)'],
      [3, 'error', 'failed to allocate IP 192.168.0.1: provided IP (192.168.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12'],
    ]);
  });

  test('node ports: written ones first, then the rest avoid them; same port for TCP and UDP of one Service', () => {
    const p: AllocationProblem[] = [];
    const out = allocateServiceAddresses(
      [
        svc('default/a'),
        svc('default/dns', { ports: [{ protocol: 'UDP', nodePort: 30053 }, { protocol: 'TCP', nodePort: 30053 }] }),
        svc('default/b', { ports: [{ protocol: 'TCP', nodePort: 31001 }] }),
      ],
      CFG,
      p,
    );
    expect(p).toEqual([]);
    expect(out[1]!.nodePorts).toEqual([30053, 30053]);
    expect(out[2]!.nodePorts).toEqual([31001]);
    expect([30053, 31001]).not.toContain(out[0]!.nodePorts[0]);
  });

  test('node port range errors use the API server\'s wording', () => {
    const p: AllocationProblem[] = [];
    allocateServiceAddresses([svc('default/a', { ports: [{ protocol: 'TCP', nodePort: 8080 }] })], CFG, p);
    expect(p[0]).toMatchObject({
      path: ['spec', 'ports', 0, 'nodePort'],
      message: 'Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    });
  });

  test('a LoadBalancer with eTP Local gets a health check node port; LB addresses come from the pool in order', () => {
    const out = allocateServiceAddresses(
      [
        svc('default/a', { type: 'LoadBalancer', wantsHealthCheckNodePort: true }),
        svc('default/b', { type: 'LoadBalancer', loadBalancerIP: '203.0.113.1' }),
        svc('default/c', { type: 'LoadBalancer' }),
      ],
      CFG,
      [],
    );
    expect(out[0]!.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
    expect(out[0]!.healthCheckNodePort).not.toBe(out[0]!.nodePorts[0]);
    expect(out.map((o) => o.loadBalancerIP)).toEqual(['203.0.113.2', '203.0.113.1', '203.0.113.3']);
  });
});

describe('node and pod addresses', () => {
  test('nodes: written addresses kept, others numbered from .10, skipping taken ones', () => {
    const p: AllocationProblem[] = [];
    expect(allocateNodeIPs([{}, { ip: '10.0.0.11' }, {}], '10.0.0.0/16', 10, p)).toEqual(['10.0.0.10', '10.0.0.11', '10.0.0.12']);
    expect(p).toEqual([]);
  });

  test('pods: a /24 per node, from .2', () => {
    const plan = new PodAddressPlan('10.244.0.0/16', 24, 3);
    expect([plan.next(0), plan.next(2), plan.next(0)]).toEqual(['10.244.0.2', '10.244.2.2', '10.244.0.3']);
    expect(plan.blockOf(2)).toBe('10.244.2.0/24');
  });

  test('the whole loader is deterministic', () => {
    const text = yaml(
      'apiVersion: netsim/v1',
      'kind: Cluster',
      'spec: {zones: [{name: a, nodes: 3}]}',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web}',
      'spec: {replicas: 5, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: x}]}}}',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: web}',
      'spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}',
    );
    const a = ok(load({ 'd.yaml': text })).spec;
    const b = ok(load({ 'd.yaml': text })).spec;
    const addresses = (s: typeof a) => [s.nodes.map((n) => n.ip), s.pods.map((p) => [p.name, p.nodeName, p.ip]), s.services.map((x) => [x.clusterIP, x.ports, x.loadBalancerIP])];
    expect(addresses(a)).toEqual(addresses(b));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
