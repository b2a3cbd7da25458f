/**
 * The node-port range is inclusive at both ends, for `nodePort` and for `healthCheckNodePort`: the API
 * server's `--service-node-port-range` default 30000-32767 admits 30000 and 32767 and nothing outside.
 */
import { describe, expect, test } from 'vitest';
import { allocateServiceAddresses, type AllocationProblem, type ServiceAddressRequest } from '../../src/scenario/allocation.js';
import { failed, load, ok, TWO_NODE_CLUSTER, yaml } from './helpers.js';

const DEFAULT_RANGE = {
  serviceCIDR: '10.96.0.0/12',
  serviceCIDRExplicit: true,
  nodePortMin: 30000,
  nodePortMax: 32767,
  loadBalancerCIDR: '203.0.113.0/24',
};

const outOfRange = (port: number, range = '30000-32767'): string =>
  `Invalid value: ${port}: provided port is not in the valid range. The range of valid ports is ${range}`;

function withNodePort(nodePort: number): { problems: AllocationProblem[]; nodePorts: readonly (number | undefined)[] } {
  const problems: AllocationProblem[] = [];
  const request: ServiceAddressRequest = { key: 'default/web', type: 'NodePort', ports: [{ protocol: 'TCP', nodePort }], wantsNodePorts: true, wantsHealthCheckNodePort: false };
  const [out] = allocateServiceAddresses([request], DEFAULT_RANGE, problems);
  return { problems, nodePorts: out!.nodePorts };
}

function withHealthCheckPort(healthCheckNodePort: number): { problems: AllocationProblem[]; port: number | null } {
  const problems: AllocationProblem[] = [];
  const request: ServiceAddressRequest = {
    key: 'default/web',
    type: 'LoadBalancer',
    ports: [{ protocol: 'TCP' }],
    wantsNodePorts: false,
    wantsHealthCheckNodePort: true,
    healthCheckNodePort,
  };
  const [out] = allocateServiceAddresses([request], DEFAULT_RANGE, problems);
  return { problems, port: out!.healthCheckNodePort };
}

describe('nodePort: the range 30000-32767 includes both ends', () => {
  test.each([30000, 32767])('%i is accepted as written', (port) => {
    expect(withNodePort(port)).toEqual({ problems: [], nodePorts: [port] });
  });

  test.each([29999, 32768])('%i is rejected with the API server\'s message, and no port is assigned', (port) => {
    const { problems, nodePorts } = withNodePort(port);
    expect(problems).toEqual([{ index: 0, path: ['spec', 'ports', 0, 'nodePort'], severity: 'error', message: outOfRange(port) }]);
    expect(nodePorts).toEqual([undefined]);
  });

  test('a configured range is inclusive too: 40000-40001 admits exactly 40000 and 40001', () => {
    const range = { ...DEFAULT_RANGE, nodePortMin: 40000, nodePortMax: 40001 };
    const verdicts = [39999, 40000, 40001, 40002].map((nodePort) => {
      const problems: AllocationProblem[] = [];
      allocateServiceAddresses([{ key: `default/s${nodePort}`, type: 'NodePort', ports: [{ protocol: 'TCP', nodePort }], wantsNodePorts: true, wantsHealthCheckNodePort: false }], range, problems);
      return problems.map((p) => p.message);
    });
    expect(verdicts).toEqual([[outOfRange(39999, '40000-40001')], [], [], [outOfRange(40002, '40000-40001')]]);
  });

  test('dynamic allocation uses both ends of the range: two ports in a range of two', () => {
    const range = { ...DEFAULT_RANGE, nodePortMin: 40000, nodePortMax: 40001 };
    const problems: AllocationProblem[] = [];
    const [out] = allocateServiceAddresses(
      [{ key: 'default/web', type: 'NodePort', ports: [{ protocol: 'TCP' }, { protocol: 'TCP' }], wantsNodePorts: true, wantsHealthCheckNodePort: false }],
      range,
      problems,
    );
    expect(problems).toEqual([]);
    expect([...out!.nodePorts].sort()).toEqual([40000, 40001]);
  });
});

describe('healthCheckNodePort: the same range, the same ends', () => {
  test.each([30000, 32767])('%i is accepted as written', (port) => {
    expect(withHealthCheckPort(port)).toEqual({ problems: [], port });
  });

  test.each([29999, 32768])('%i is rejected with the API server\'s message, and no port is assigned', (port) => {
    const { problems, port: assigned } = withHealthCheckPort(port);
    expect(problems).toEqual([{ index: 0, path: ['spec', 'healthCheckNodePort'], severity: 'error', message: outOfRange(port) }]);
    expect(assigned).toBeNull();
  });
});

describe('through the scenario loader (the default range of a Cluster)', () => {
  const nodePortService = (port: number): string =>
    yaml('apiVersion: v1', 'kind: Service', 'metadata: {name: web}', `spec: {type: NodePort, selector: {app: web}, ports: [{port: 80, nodePort: ${port}}]}`);

  test('32767 loads and keeps its port; 32768 is an error at the nodePort field', () => {
    const good = ok(load({ 'cluster.yaml': TWO_NODE_CLUSTER, 'svc.yaml': nodePortService(32767) })).spec;
    expect(good.services.find((s) => s.name === 'web')!.ports[0]!.nodePort).toBe(32767);
    const bad = failed(load({ 'cluster.yaml': TWO_NODE_CLUSTER, 'svc.yaml': nodePortService(32768) }));
    expect(bad.errors.join('\n')).toContain(outOfRange(32768));
    expect(bad.errors.join('\n')).toMatch(/^svc\.yaml:4:\d+/m);
  });
});
