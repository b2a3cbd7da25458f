import { describe, expect, test } from 'vitest';
import { placePods, type PlacementNode } from '../../src/scenario/placement.js';
import { load, ok, yaml } from './helpers.js';

const node = (name: string, zone: string, labels: Record<string, string> = {}): PlacementNode => ({
  name,
  zone,
  labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zone, ...labels },
});

const NINE = ['a', 'b', 'c'].flatMap((z) => [1, 2, 3].map((i) => node(`${z}-node-${i}`, z)));

describe('placePods', () => {
  test('nodeSelector on kubernetes.io/hostname pins a pod', () => {
    const out = placePods(NINE, [{ namespace: 'default', labels: {}, nodeSelector: { 'kubernetes.io/hostname': 'b-node-3' } }]);
    expect(out).toEqual([{ node: 'b-node-3' }]);
  });

  test('spec.nodeName binds directly; an unknown node leaves the pod Pending', () => {
    const out = placePods(NINE, [
      { namespace: 'default', labels: {}, nodeName: 'c-node-1' },
      { namespace: 'default', labels: {}, nodeName: 'z-node-1' },
    ]);
    expect(out[0]).toEqual({ node: 'c-node-1' });
    expect(out[1]).toEqual({ node: null, reason: 'spec.nodeName names node "z-node-1", which is not in the cluster' });
  });

  test('replicas of one owner spread evenly over zones, then nodes; ties go to name order', () => {
    const pods = Array.from({ length: 12 }, () => ({ namespace: 'default', labels: { app: 'web' }, owner: 'Deployment/default/web' }));
    const out = placePods(NINE, pods).map((p) => p.node!);
    const perZone = ['a', 'b', 'c'].map((z) => out.filter((n) => n.startsWith(`${z}-`)).length);
    expect(perZone).toEqual([4, 4, 4]);
    const perNode = NINE.map((n) => out.filter((x) => x === n.name).length);
    expect(Math.max(...perNode) - Math.min(...perNode)).toBe(1);
    expect(out.slice(0, 3)).toEqual(['a-node-1', 'b-node-1', 'c-node-1']);
  });

  test('deterministic: the same input gives the same placement', () => {
    const pods = Array.from({ length: 20 }, (_, i) => ({ namespace: 'default', labels: { app: `x${i % 3}` }, owner: `Deployment/default/x${i % 3}` }));
    expect(placePods(NINE, pods)).toEqual(placePods(NINE, pods));
  });

  test('node names sort naturally: node-2 before node-10', () => {
    const nodes = ['node-10', 'node-2', 'node-1'].map((n) => node(n, 'z'));
    const out = placePods(nodes, [1, 2, 3].map(() => ({ namespace: 'd', labels: {} })));
    expect(out.map((p) => p.node)).toEqual(['node-1', 'node-2', 'node-10']);
  });

  test('a hard topology spread constraint (maxSkew 1 over zones) is respected', () => {
    // Two zones, but zone b has a single node labelled for the pods: zone skew still holds.
    const nodes = [node('a1', 'a', { pool: 'web' }), node('a2', 'a', { pool: 'web' }), node('b1', 'b', { pool: 'web' })];
    const spread = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' as const, labelSelector: { matchLabels: { app: 'w' } } }];
    const pods = Array.from({ length: 4 }, () => ({ namespace: 'd', labels: { app: 'w' }, topologySpreadConstraints: spread }));
    const out = placePods(nodes, pods).map((p) => p.node);
    expect(out.filter((n) => n === 'b1')).toHaveLength(2);
  });

  test('an unsatisfiable hard constraint leaves the pod Pending with the reason', () => {
    const nodes = [node('a1', 'a')];
    const spread = [{ maxSkew: 1, topologyKey: 'rack', whenUnsatisfiable: 'DoNotSchedule' as const, labelSelector: { matchLabels: { app: 'w' } } }];
    const out = placePods(nodes, [{ namespace: 'd', labels: { app: 'w' }, topologySpreadConstraints: spread }]);
    expect(out[0]).toEqual({ node: null, reason: '0/1 nodes are available: no node has the label rack of a topology spread constraint' });
  });

  test('taints keep pods off unless tolerated', () => {
    const nodes: PlacementNode[] = [{ ...node('cp', 'a'), taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }, node('w1', 'a')];
    const out = placePods(nodes, [
      { namespace: 'd', labels: {}, nodeSelector: { 'kubernetes.io/hostname': 'cp' } },
      { namespace: 'd', labels: {}, nodeSelector: { 'kubernetes.io/hostname': 'cp' }, tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] },
      { namespace: 'd', labels: {} },
      { namespace: 'd', labels: {} },
    ]);
    expect(out).toEqual([
      { node: null, reason: '0/2 nodes are available: 1 node(s) didn\'t match Pod\'s node affinity/selector, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }' },
      { node: 'cp' },
      { node: 'w1' },
      { node: 'w1' },
    ]);
  });

  test('required node affinity', () => {
    const nodes = [node('a1', 'a', { disk: 'ssd' }), node('a2', 'a', { disk: 'hdd' })];
    const out = placePods(nodes, [
      {
        namespace: 'd',
        labels: {},
        requiredNodeAffinity: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['hdd'] }] }],
      },
    ]);
    expect(out).toEqual([{ node: 'a2' }]);
  });
});

describe('placement through the loader', () => {
  test('Pending pods of a Deployment are reported once, with a count', () => {
    const text = yaml(
      'apiVersion: netsim/v1',
      'kind: Cluster',
      'spec:',
      '  zones: [{name: a, nodes: 2}]',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: gpu}',
      'spec:',
      '  replicas: 3',
      '  selector: {matchLabels: {app: gpu}}',
      '  template:',
      '    metadata: {labels: {app: gpu}}',
      '    spec:',
      '      nodeSelector: {accelerator: a100}',
      '      containers: [{name: x}]',
    );
    const { spec, warnings } = ok(load({ 'p.yaml': text }));
    expect(spec.pods.every((p) => p.nodeName === null && p.ip === '')).toBe(true);
    expect(warnings.filter((w) => w.includes('Pending'))).toHaveLength(1);
    expect(warnings.find((w) => w.includes('Pending'))).toMatch(
      /^p\.yaml:15:21: warning: Deployment\/gpu\.spec\.template\.spec\.nodeSelector: 3 of 3 pods \(gpu-\w+-\w+, gpu-\w+-\w+, gpu-\w+-\w+\) stay Pending, never an endpoint: 0\/2 nodes are available: 2 node\(s\) didn't match Pod's node affinity\/selector$/,
    );
  });

  test('a StatefulSet names its pods by ordinal, a DaemonSet runs one pod per node', () => {
    const text = yaml(
      'apiVersion: netsim/v1',
      'kind: Cluster',
      'spec: {zones: [{name: a, nodes: 2}, {name: b, nodes: 1}]}',
      '---',
      'apiVersion: apps/v1',
      'kind: StatefulSet',
      'metadata: {name: web}',
      'spec:',
      '  replicas: 3',
      '  serviceName: web',
      '  selector: {matchLabels: {app: web}}',
      '  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: x}]}}',
      '---',
      'apiVersion: apps/v1',
      'kind: DaemonSet',
      'metadata: {name: proxy}',
      'spec:',
      '  selector: {matchLabels: {app: proxy}}',
      '  template: {metadata: {labels: {app: proxy}}, spec: {hostNetwork: true, containers: [{name: x}]}}',
    );
    const { spec } = ok(load({ 's.yaml': text }));
    const web = spec.pods.filter((p) => p.labels['app'] === 'web');
    expect(web.map((p) => [p.name, p.nodeName])).toEqual([
      ['web-0', 'a-node-1'],
      ['web-1', 'b-node-1'],
      ['web-2', 'a-node-2'],
    ]);
    const proxy = spec.pods.filter((p) => p.labels['app'] === 'proxy');
    expect(proxy.map((p) => p.nodeName)).toEqual(['a-node-1', 'a-node-2', 'b-node-1']);
    // hostNetwork pods share their node's address
    expect(proxy.map((p) => p.ip)).toEqual(spec.nodes.map((n) => n.ip));
  });
});
