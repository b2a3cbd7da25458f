/**
 * A dump is a scenario: `kubectl get nodes,deploy,rs,svc,endpointslices,pods -o yaml` output loads as it is.
 * The dump's Nodes are the cluster; its live pods are their controllers' replicas, on their nodes, with
 * their readiness (no second expansion); `reschedule` hands them to the scheduler model instead; the
 * EndpointSlices are checked against the derived endpoints; what is not used is listed with the reason.
 */
import { describe, expect, test } from 'vitest';
import { simulate } from '../../src/model/simulation.js';
import type { ModelSpec } from '../../src/model/spec.js';
import { binomialTolerance } from '../model/statistics.js';
import { formatIgnored, loadScenario } from '../../src/scenario/index.js';
import { failed, load, ok, yaml } from './helpers.js';

const NODES = [
  ['node-a', 'zone-a', '10.0.1.10'],
  ['node-b', 'zone-b', '10.0.2.10'],
  ['node-c', 'zone-c', '10.0.3.10'],
] as const;

function node(name: string, zone: string, ip: string, extra: string[] = []): string[] {
  return [
    '- apiVersion: v1',
    '  kind: Node',
    '  metadata:',
    `    name: ${name}`,
    `    uid: uid-${name}`,
    '    resourceVersion: "1001"',
    '    labels:',
    `      kubernetes.io/hostname: ${name}`,
    '      kubernetes.io/os: linux',
    '      node.kubernetes.io/instance-type: m5.xlarge',
    '      topology.kubernetes.io/region: eu-west-1',
    `      topology.kubernetes.io/zone: ${zone}`,
    '  spec:',
    `    providerID: aws:///${zone}/i-${name}`,
    ...extra,
    '  status:',
    '    addresses:',
    `    - {type: InternalIP, address: ${ip}}`,
    `    - {type: Hostname, address: ${name}}`,
    '    allocatable: {cpu: 3920m, memory: 15147868Ki, pods: "58"}',
    '    capacity: {cpu: "4", memory: 15873884Ki, pods: "58"}',
    '    conditions:',
    '    - {type: MemoryPressure, status: "False"}',
    '    - {type: Ready, status: "True", reason: KubeletReady}',
  ];
}

const DEPLOYMENT = [
  '- apiVersion: apps/v1',
  '  kind: Deployment',
  '  metadata: {name: web, namespace: shop, uid: uid-deploy, generation: 4, resourceVersion: "77"}',
  '  spec:',
  '    replicas: 6',
  '    selector: {matchLabels: {app: web}}',
  '    template:',
  '      metadata: {labels: {app: web}, creationTimestamp: null}',
  '      spec:',
  '        containers:',
  '        - {name: web, image: web:1, ports: [{name: http, containerPort: 8080}], resources: {requests: {cpu: 250m}}}',
  '  status: {replicas: 6, readyReplicas: 6, availableReplicas: 6, observedGeneration: 4}',
];

const REPLICA_SET = [
  '- apiVersion: apps/v1',
  '  kind: ReplicaSet',
  '  metadata:',
  '    name: web-5d8f7c9b6d',
  '    namespace: shop',
  '    uid: uid-rs',
  '    labels: {app: web, pod-template-hash: 5d8f7c9b6d}',
  '    ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: uid-deploy, controller: true, blockOwnerDeletion: true}]',
  '  spec:',
  '    replicas: 6',
  '    selector: {matchLabels: {app: web, pod-template-hash: 5d8f7c9b6d}}',
  '    template:',
  '      metadata: {labels: {app: web, pod-template-hash: 5d8f7c9b6d}}',
  '      spec:',
  '        containers:',
  '        - {name: web, image: web:1, ports: [{name: http, containerPort: 8080}], resources: {requests: {cpu: 250m}}}',
  '  status: {replicas: 6, readyReplicas: 6}',
];

/** The 4/2/0 placement: four pods on node-a, two on node-b, none on node-c. */
const PLACED: readonly (readonly [string, string])[] = [
  ['web-5d8f7c9b6d-2xkqp', 'node-a'],
  ['web-5d8f7c9b6d-7hvzl', 'node-a'],
  ['web-5d8f7c9b6d-bq4nd', 'node-a'],
  ['web-5d8f7c9b6d-k9rtw', 'node-a'],
  ['web-5d8f7c9b6d-m2cfx', 'node-b'],
  ['web-5d8f7c9b6d-wz5jg', 'node-b'],
];

interface PodOptions {
  ready?: boolean;
  deleting?: boolean;
  owner?: string;
  phase?: string;
}

function pod(name: string, nodeName: string | undefined, o: PodOptions = {}): string[] {
  return [
    '- apiVersion: v1',
    '  kind: Pod',
    '  metadata:',
    `    name: ${name}`,
    '    namespace: shop',
    `    uid: uid-${name}`,
    '    generateName: web-5d8f7c9b6d-',
    '    creationTimestamp: "2026-12-01T16:18:31Z"',
    ...(o.deleting ? ['    deletionTimestamp: "2026-12-06T10:00:00Z"', '    deletionGracePeriodSeconds: 30'] : []),
    '    labels: {app: web, pod-template-hash: 5d8f7c9b6d}',
    '    ownerReferences:',
    ...(o.owner !== undefined ? [o.owner] : ['    - {apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f7c9b6d, uid: uid-rs, controller: true, blockOwnerDeletion: true}']),
    '  spec:',
    '    containers:',
    '    - name: web',
    '      image: web:1',
    '      imagePullPolicy: IfNotPresent',
    '      ports: [{name: http, containerPort: 8080, protocol: TCP}]',
    '      resources: {requests: {cpu: 250m}}',
    '      terminationMessagePath: /dev/termination-log',
    '      terminationMessagePolicy: File',
    '    dnsPolicy: ClusterFirst',
    '    enableServiceLinks: true',
    ...(nodeName !== undefined ? [`    nodeName: ${nodeName}`] : []),
    '    preemptionPolicy: PreemptLowerPriority',
    '    priority: 0',
    '    restartPolicy: Always',
    '    schedulerName: default-scheduler',
    '    serviceAccountName: default',
    '    tolerations:',
    '    - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}',
    '  status:',
    `    phase: ${o.phase ?? (nodeName === undefined ? 'Pending' : 'Running')}`,
    '    conditions:',
    `    - {type: Ready, status: "${o.ready === false ? 'False' : 'True'}", lastProbeTime: null}`,
    '    - {type: PodScheduled, status: "True", lastProbeTime: null}',
    '    hostIP: 10.0.1.10',
    '    podIP: 10.0.1.77',
    '    podIPs: [{ip: 10.0.1.77}]',
    '    qosClass: Burstable',
  ];
}

const SERVICE = [
  '- apiVersion: v1',
  '  kind: Service',
  '  metadata: {name: web, namespace: shop, uid: uid-svc, resourceVersion: "12"}',
  '  spec:',
  '    type: LoadBalancer',
  '    externalTrafficPolicy: Local',
  '    selector: {app: web}',
  '    clusterIP: 172.20.118.42',
  '    clusterIPs: [172.20.118.42]',
  '    ipFamilies: [IPv4]',
  '    ipFamilyPolicy: SingleStack',
  '    internalTrafficPolicy: Cluster',
  '    allocateLoadBalancerNodePorts: true',
  '    healthCheckNodePort: 31284',
  '    sessionAffinity: None',
  '    ports: [{name: http, port: 80, targetPort: http, nodePort: 30417, protocol: TCP, appProtocol: http}]',
  '  status: {loadBalancer: {ingress: [{hostname: web.elb.example.com}]}}',
];

/** One EndpointSlice of Service shop/web, listing these pods (ready unless said). */
function slice(endpoints: readonly (readonly [string, string, boolean?])[]): string[] {
  return [
    '- apiVersion: discovery.k8s.io/v1',
    '  kind: EndpointSlice',
    '  metadata:',
    '    name: web-8kq2f',
    '    namespace: shop',
    '    labels: {kubernetes.io/service-name: web, endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io}',
    '  addressType: IPv4',
    '  ports: [{name: http, port: 8080, protocol: TCP}]',
    '  endpoints:',
    ...endpoints.flatMap(([name, nodeName, ready]) => [
      '  - addresses: [10.0.9.9]',
      `    conditions: {ready: ${ready !== false}, serving: true, terminating: false}`,
      `    nodeName: ${nodeName}`,
      `    targetRef: {kind: Pod, name: ${name}, namespace: shop}`,
    ]),
  ];
}

/** `kubectl get nodes,deploy,rs,svc,endpointslices,pods -A -o yaml`, as one List. */
function dump(parts: { nodes?: boolean; rs?: boolean; pods?: readonly string[][]; slice?: string[]; extra?: string[] } = {}): string {
  return yaml(
    'apiVersion: v1',
    'kind: List',
    'metadata: {resourceVersion: ""}',
    'items:',
    ...(parts.nodes === false ? [] : NODES.flatMap(([n, z, ip]) => node(n, z, ip))),
    ...DEPLOYMENT,
    ...(parts.rs === false ? [] : REPLICA_SET),
    ...SERVICE,
    ...(parts.slice ?? slice(PLACED.map(([p, n]) => [p, n]))),
    ...(parts.pods ?? PLACED.map(([p, n]) => pod(p, n))).flat(),
    ...(parts.extra ?? []),
  );
}

/** What the API does not say: a cross-zone NLB with instance targets, and users sending one request per connection. */
const NETSIM = (requests: number, seed = 11) =>
  yaml(
    'apiVersion: netsim/v1',
    'kind: Cluster',
    'spec:',
    '  loadBalancer: {provider: aws-lbc, kind: instance, crossZone: true}',
    '---',
    'apiVersion: netsim/v1',
    'kind: Workload',
    'spec:',
    '  clients:',
    '    - name: users',
    '      from: external',
    '      target: {service: shop/web, port: http, via: loadBalancer}',
    '      rate: 2000/s',
    '      connection: perRequest',
    '---',
    'apiVersion: netsim/v1',
    'kind: Simulation',
    'spec:',
    `  requests: ${requests}`,
    '  warmup: 0s',
    `  seed: ${seed}`,
  );

const perNode = (spec: ModelSpec): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const n of spec.nodes) out[n.name] = spec.pods.filter((p) => p.nodeName === n.name).length;
  return out;
};

/** The 1-based line of the first line of `text` that contains `needle`. */
const lineOf = (text: string, needle: string, from = 0): number => text.slice(0, text.indexOf(needle, from)).split('\n').length;

describe('the dump of a Deployment with 6 live pods placed 4/2/0', () => {
  test('builds exactly those 6 pods on those nodes: no second expansion; nodes and zones from the Node objects', () => {
    const r = load({ 'dump.yaml': dump(), 'netsim.yaml': NETSIM(1000) });
    const { spec, warnings } = ok(r);
    expect(warnings).toEqual([]);
    expect(spec.pods.map((p) => [p.name, p.nodeName, p.ready, p.owner])).toEqual(PLACED.map(([p, n]) => [p, n, true, 'shop/web']));
    expect(perNode(spec)).toEqual({ 'node-a': 4, 'node-b': 2, 'node-c': 0 });
    expect(spec.nodes.map((n) => [n.name, n.zone, n.ip, n.cpu, n.memory])).toEqual(
      NODES.map(([n, z, ip]) => [n, z, ip, 3.92, 15147868 * 1024]),
    );
    expect(spec.nodes[0]!.labels).toMatchObject({ 'topology.kubernetes.io/region': 'eu-west-1', 'node.kubernetes.io/instance-type': 'm5.xlarge' });
    expect(spec.services[0]).toMatchObject({ clusterIP: '172.20.118.42', externalTrafficPolicy: 'Local', ports: [{ port: 80, nodePort: 30417 }] });
    // The ReplicaSet made those pods: listed, with the reason, rather than expanded a second time.
    expect(r.ignored.map((i) => [i.kind, i.name, i.reason])).toEqual([['ReplicaSet', 'web-5d8f7c9b6d', "its pods are Deployment shop/web's (taken from the dump)"]]);
  });

  test('externalTrafficPolicy Local gives the shares theory predicts: 1/2 per node with pods, 1/8 per pod on node-a, 1/4 on node-b', () => {
    // The NLB (cross-zone) picks uniformly among the nodes whose health check passes (a local endpoint:
    // node-a, node-b), then kube-proxy uniformly among that node's local pods. One connection per request:
    // every pick is independent, so each pod's count is binomial.
    const N = 24_000;
    const { spec } = ok(load({ 'dump.yaml': dump(), 'netsim.yaml': NETSIM(N) }));
    const r = simulate(spec);
    expect(r.accounting.total.completed).toBe(N);
    const share = new Map(PLACED.map(([p, n]) => [p, n === 'node-a' ? 1 / 8 : 1 / 4]));
    for (const p of r.pods) {
      const expected = share.get(p.pod.split('/').pop()!)!;
      expect(Math.abs(p.requests - N * expected), `${p.pod}: ${p.requests} of ${N}`).toBeLessThan(binomialTolerance(N, expected));
    }
    expect(r.nodes.find((n) => n.node === 'node-c')!.entryRequests).toBe(0);
    expect(r.paths.secondHop).toBe(0);
  });

  test('--placement reschedule gives the scheduler model\'s placement: the same as the Deployment made from its template', () => {
    const rescheduled = ok(load({ 'dump.yaml': dump(), 'netsim.yaml': NETSIM(1000) }, { placement: 'reschedule' })).spec;
    const fromTemplate = ok(load({ 'dump.yaml': dump({ rs: false, pods: [], slice: [] }), 'netsim.yaml': NETSIM(1000) })).spec;
    expect(perNode(rescheduled)).toEqual({ 'node-a': 2, 'node-b': 2, 'node-c': 2 });
    expect(perNode(rescheduled)).toEqual(perNode(fromTemplate));
    // The live pods keep their names and readiness; only their nodes are chosen again.
    expect(rescheduled.pods.map((p) => p.name)).toEqual(PLACED.map(([p]) => p));
    // The Simulation field says the same as the option.
    const viaField = ok(load({ 'dump.yaml': dump(), 'netsim.yaml': NETSIM(1000) }, { set: ['Simulation.spec.placement=reschedule'] })).spec;
    expect(perNode(viaField)).toEqual(perNode(rescheduled));
  });

  test('a what-if on replicas scales as the controllers would: new replicas placed around the live ones; surplus removed from the crowded node', () => {
    const up = load({ 'dump.yaml': dump(), 'netsim.yaml': NETSIM(1000) }, { set: ['Deployment/shop/web.spec.replicas=9'] });
    const upSpec = ok(up).spec;
    expect(upSpec.pods).toHaveLength(9);
    expect(upSpec.pods.slice(0, 6).map((p) => [p.name, p.nodeName])).toEqual(PLACED.map(([p, n]) => [p, n]));
    // Default spreading over zones counts the live pods: the new ones go to the emptiest zone, one at a time
    // (node-c, node-c, then node-b and node-c tie at 2 and the name decides).
    expect(perNode(upSpec)).toEqual({ 'node-a': 4, 'node-b': 3, 'node-c': 2 });
    expect(upSpec.pods.slice(6).every((p) => p.name.startsWith('web-5d8f7c9b6d-') && p.labels['pod-template-hash'] === '5d8f7c9b6d')).toBe(true);

    const down = load({ 'dump.yaml': dump(), 'netsim.yaml': NETSIM(1000) }, { set: ['Deployment/shop/web.spec.replicas=4'] });
    expect(perNode(ok(down).spec)).toEqual({ 'node-a': 2, 'node-b': 2, 'node-c': 0 });
    expect(down.ignored.filter((i) => i.kind === 'Pod').map((i) => i.reason)).toEqual([
      'Deployment shop/web has spec.replicas 4, 6 pods run: its controller would delete this one',
      'Deployment shop/web has spec.replicas 4, 6 pods run: its controller would delete this one',
    ]);
  });

  test('readiness and terminating state are kept; a finished pod is listed as not used', () => {
    const pods = PLACED.map(([p, n], i) => pod(p, n, { ready: i !== 1, deleting: i === 2 }));
    const extra = pod('web-5d8f7c9b6d-done1', 'node-c', { phase: 'Succeeded' });
    const r = load({ 'dump.yaml': dump({ pods: [...pods, extra], slice: slice(PLACED.map(([p, n], i) => [p, n, i !== 1 && i !== 2])) }), 'netsim.yaml': NETSIM(1000) });
    const { spec, warnings } = ok(r);
    expect(warnings).toEqual([]);
    expect(spec.pods.slice(0, 6).map((p) => [p.ready, p.terminating])).toEqual(PLACED.map((_, i) => [i !== 1, i === 2]));
    // One pod is terminating: 5 replicas count, so the controller's replacement is there too, placed by the
    // scheduler model in the empty zone.
    expect(spec.pods.slice(6).map((p) => [p.nodeName, p.ready, p.terminating])).toEqual([['node-c', true, false]]);
    expect(r.ignored.map((i) => [i.kind, i.name, i.reason])).toContainEqual(['Pod', 'web-5d8f7c9b6d-done1', 'the pod has finished (phase Succeeded): it runs no container and is no endpoint']);
  });

  test('a Pending pod of the dump (not scheduled yet) is placed by the scheduler model, not ready, and in no slice without a warning', () => {
    const pods = [...PLACED.slice(0, 5).map(([p, n]) => pod(p, n)), pod('web-5d8f7c9b6d-pend1', undefined)];
    const r = load({ 'dump.yaml': dump({ pods, slice: slice(PLACED.slice(0, 5).map(([p, n]) => [p, n])) }), 'netsim.yaml': NETSIM(1000) });
    const { spec, warnings } = ok(r);
    expect(warnings).toEqual([]);
    expect(spec.pods.map((p) => [p.name, p.nodeName, p.ready])).toEqual([
      ...PLACED.slice(0, 5).map(([p, n]) => [p, n, true]),
      ['web-5d8f7c9b6d-pend1', 'node-c', false],
    ]);
  });

  test('kubectl get deploy,pods (no ReplicaSet): the pods are recognised by the ReplicaSet name their Deployment gives it', () => {
    const r = load({ 'dump.yaml': dump({ rs: false }), 'netsim.yaml': NETSIM(1000) });
    const { spec } = ok(r);
    expect(spec.pods.map((p) => p.name)).toEqual(PLACED.map(([p]) => p));
    expect(r.ignored).toEqual([]);
  });

  test('JSON, several files and a typed PodList load the same as one YAML List', () => {
    const nodesJson = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: NODES.map(([name, zone, ip]) => ({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name, labels: { 'topology.kubernetes.io/zone': zone } },
        spec: {},
        status: { addresses: [{ type: 'InternalIP', address: ip }], allocatable: { cpu: '3920m', memory: '15147868Ki' } },
      })),
    }, null, 2);
    // A typed list's items may leave out apiVersion and kind.
    const podList = yaml('apiVersion: v1', 'kind: PodList', 'items:', ...PLACED.flatMap(([p, n]) => ['- metadata:', ...pod(p, n).slice(3)]));
    const rest = dump({ nodes: false, pods: [] });
    const { spec } = ok(load({ 'nodes.json': nodesJson, 'rest.yaml': rest, 'pods.yaml': podList, 'netsim.yaml': NETSIM(1000) }));
    expect(spec.pods.map((p) => [p.name, p.nodeName])).toEqual(PLACED.map(([p, n]) => [p, n]));
    expect(spec.nodes.map((n) => n.zone)).toEqual(['zone-a', 'zone-b', 'zone-c']);
  });
});

describe('nodes: Node objects and a Cluster', () => {
  test('a Cluster entry of the same name overrides the fields it gives (labels merge); another name adds a node', () => {
    const cluster = yaml(
      'apiVersion: netsim/v1',
      'kind: Cluster',
      'spec:',
      '  nodes:',
      '    - {name: node-a, pricePerHour: 0.192, labels: {pool: general}}',
      '    - {name: node-d, zone: zone-a, cpu: 8}',
    );
    const { spec, warnings } = ok(load({ 'dump.yaml': dump(), 'cluster.yaml': cluster }));
    expect(warnings).toEqual(['dump.yaml:1:1: warning: no Workload in the scenario: nothing sends requests']);
    expect(spec.nodes.map((n) => [n.name, n.zone, n.cpu, n.pricePerHour])).toEqual([
      ['node-a', 'zone-a', 3.92, 0.192],
      ['node-b', 'zone-b', 3.92, undefined],
      ['node-c', 'zone-c', 3.92, undefined],
      ['node-d', 'zone-a', 8, undefined],
    ]);
    expect(spec.nodes[0]!.labels).toMatchObject({ pool: 'general', 'topology.kubernetes.io/zone': 'zone-a', 'node.kubernetes.io/instance-type': 'm5.xlarge' });
  });

  test('without a Cluster: no default-cluster warning, the documented defaults for the rest', () => {
    const { spec, warnings } = ok(load({ 'dump.yaml': dump() }));
    expect(warnings).toEqual(['dump.yaml:1:1: warning: no Workload in the scenario: nothing sends requests']);
    expect(spec.nodes).toHaveLength(3);
    expect(spec.kubeProxy.mode).toBe('iptables');
  });

  test('unschedulable and a Ready condition other than True keep new pods off the node (the node lifecycle controller\'s taints)', () => {
    const text = yaml(
      'apiVersion: v1',
      'kind: List',
      'items:',
      ...node('node-a', 'zone-a', '10.0.1.10', ['    unschedulable: true']),
      ...node('node-b', 'zone-b', '10.0.2.10').map((l) => l.replace('{type: Ready, status: "True", reason: KubeletReady}', '{type: Ready, status: "Unknown", reason: NodeStatusUnknown}')),
      ...node('node-c', 'zone-c', '10.0.3.10'),
      ...DEPLOYMENT,
    );
    const { spec } = ok(load({ 'dump.yaml': text }));
    expect(perNode(spec)).toEqual({ 'node-a': 0, 'node-b': 0, 'node-c': 6 });
    expect(spec.nodes.map((n) => n.schedulable ?? true)).toEqual([false, false, true]);
  });
});

describe('EndpointSlices are checked against the endpoints the simulator derives', () => {
  test('agreement says nothing; a disagreement names the Service and the pods that differ', () => {
    const stale = slice([
      ['web-5d8f7c9b6d-2xkqp', 'node-a'],
      ['web-5d8f7c9b6d-7hvzl', 'node-a', false],
      ['web-5d8f7c9b6d-bq4nd', 'node-a'],
      ['web-5d8f7c9b6d-k9rtw', 'node-a'],
      ['web-5d8f7c9b6d-m2cfx', 'node-b'],
      ['web-5d8f7c9b6d-gone1', 'node-c'],
    ]);
    const text = dump({ slice: stale });
    const { warnings } = ok(load({ 'dump.yaml': text, 'netsim.yaml': NETSIM(1000) }));
    expect(warnings).toEqual([
      `dump.yaml:${lineOf(text, '  endpoints:')}:3: warning: EndpointSlice/shop/web-8kq2f.endpoints: EndpointSlice web-8kq2f and the pods disagree on the endpoints of Service shop/web: ` +
        'in the slices only: web-5d8f7c9b6d-gone1; derived only: web-5d8f7c9b6d-wz5jg; ready in one, not the other: web-5d8f7c9b6d-7hvzl (slice not ready)',
    ]);
  });

  test('slices that cannot be checked are listed with the reason', () => {
    const orphan = [
      '- apiVersion: discovery.k8s.io/v1',
      '  kind: EndpointSlice',
      '  metadata: {name: fred, namespace: blee}',
      '  addressType: IPv4',
      '  endpoints: [{addresses: [172.20.0.2], conditions: {ready: true}}]',
    ];
    const r = load({ 'dump.yaml': dump({ extra: orphan }), 'netsim.yaml': NETSIM(1000) });
    expect(ok(r).warnings).toEqual([]);
    expect(r.ignored.map((i) => `${i.kind} ${i.namespace}/${i.name}: ${i.reason}`)).toContain(
      'EndpointSlice blee/fred: it names no Service (no kubernetes.io/service-name label), so there is nothing to check it against',
    );
  });
});

describe('bad input: file:line:col, what was expected and what was found', () => {
  test('conflicting owners: two controller references', () => {
    const owners = ['    - {apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f7c9b6d, uid: uid-rs, controller: true}', '    - {apiVersion: apps/v1, kind: StatefulSet, name: db, controller: true}'].join('\n');
    const pods = PLACED.map(([p, n], i) => pod(p, n, i === 0 ? { owner: owners } : {}));
    const text = dump({ pods });
    const line = lineOf(text, 'kind: StatefulSet, name: db');
    expect(failed(load({ 'dump.yaml': text })).errors).toEqual([
      `dump.yaml:${line}:70: error: Pod/shop/web-5d8f7c9b6d-2xkqp.metadata.ownerReferences[1].controller: expected one owner reference with controller: true, found 2 (ReplicaSet web-5d8f7c9b6d, StatefulSet db); conflicting owners: a pod has one controller, and ownerReferences[0] already names ReplicaSet web-5d8f7c9b6d`,
    ]);
  });

  test('conflicting owners: a reference whose uid is not its owner\'s, and an owner whose selector does not select the pod', () => {
    const wrongUid = '    - {apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f7c9b6d, uid: uid-other, controller: true}';
    const text = dump({ pods: PLACED.map(([p, n], i) => pod(p, n, i === 0 ? { owner: wrongUid } : {})) });
    const uidErrors = failed(load({ 'dump.yaml': text })).errors;
    expect(uidErrors).toEqual([
      expect.stringMatching(
        new RegExp(`^dump\\.yaml:${lineOf(text, 'uid: uid-other')}:\\d+: error: Pod/shop/web-5d8f7c9b6d-2xkqp\\.metadata\\.ownerReferences\\[0\\]\\.uid: expected the uid of ReplicaSet shop/web-5d8f7c9b6d \\(uid-rs, dump\\.yaml:\\d+\\), found "uid-other"; conflicting owners`),
      ),
    ]);
    const original = dump();
    const firstPod = original.indexOf('  kind: Pod\n');
    const relabelled = original.slice(0, firstPod) + original.slice(firstPod).replace('labels: {app: web,', 'labels: {app: api,');
    const labelErrors = failed(load({ 'dump.yaml': relabelled })).errors;
    expect(labelErrors).toEqual([
      `dump.yaml:${lineOf(relabelled, '{app: api,')}:13: error: Pod/shop/web-5d8f7c9b6d-2xkqp.metadata.labels: expected labels that ReplicaSet shop/web-5d8f7c9b6d's selector matches, found {"app":"api","pod-template-hash":"5d8f7c9b6d"}; conflicting owners: ownerReferences[0] names ReplicaSet web-5d8f7c9b6d, whose selector does not select this pod`,
    ]);
  });

  test('a pod on a node not in the dump', () => {
    const text = dump({ pods: PLACED.map(([p, n], i) => pod(p, i === 5 ? 'node-x' : n)) });
    expect(failed(load({ 'dump.yaml': text })).errors).toEqual([
      `dump.yaml:${lineOf(text, 'nodeName: node-x')}:15: error: Pod/shop/web-5d8f7c9b6d-wz5jg.spec.nodeName: expected a node of the scenario (node-a, node-b, node-c), found "node-x"; pod web-5d8f7c9b6d-wz5jg runs on node node-x, which is not in the scenario: add its Node object (kubectl get node node-x -o yaml) or a node of that name to the Cluster`,
    ]);
  });

  test('a dump with no nodes and no Cluster', () => {
    const text = dump({ nodes: false });
    const errors = failed(load({ 'dump.yaml': text })).errors;
    expect(errors).toEqual([
      `dump.yaml:${lineOf(text, 'nodeName: node-a', text.indexOf('  kind: Pod\n'))}:15: error: Pod/shop/web-5d8f7c9b6d-2xkqp.spec.nodeName: expected the nodes the pods run on: v1 Node objects (kubectl get nodes -o yaml) or a netsim/v1 Cluster naming them, found no Node and no Cluster, while 6 pod(s) run on 2 node(s) (node-a, node-b); a dump with no nodes: pod web-5d8f7c9b6d-2xkqp runs on node node-a, and the scenario says nothing of the cluster's nodes; add the Node objects to the files, or a Cluster`,
    ]);
  });
});

describe('other controllers of a dump', () => {
  const sts = (replicas: number) => [
    '- apiVersion: apps/v1',
    '  kind: StatefulSet',
    '  metadata: {name: db, namespace: shop, uid: uid-db}',
    '  spec:',
    `    replicas: ${replicas}`,
    '    serviceName: db',
    '    selector: {matchLabels: {app: db}}',
    '    template:',
    '      metadata: {labels: {app: db}}',
    '      spec: {containers: [{name: db, image: db:1}]}',
  ];
  const stsPod = (i: number, nodeName: string) => [
    '- apiVersion: v1',
    '  kind: Pod',
    `  metadata: {name: db-${i}, namespace: shop, labels: {app: db}, ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: db, uid: uid-db, controller: true}]}`,
    `  spec: {nodeName: ${nodeName}, containers: [{name: db, image: db:1}]}`,
    '  status: {phase: Running}',
  ];
  const ds = [
    '- apiVersion: apps/v1',
    '  kind: DaemonSet',
    '  metadata: {name: agent, namespace: shop, uid: uid-ds}',
    '  spec:',
    '    selector: {matchLabels: {app: agent}}',
    '    template:',
    '      metadata: {labels: {app: agent}}',
    '      spec: {containers: [{name: agent, image: agent:1}]}',
  ];
  const dsPod = (name: string, nodeName: string) => [
    '- apiVersion: v1',
    '  kind: Pod',
    `  metadata: {name: ${name}, namespace: shop, labels: {app: agent}, ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: agent, uid: uid-ds, controller: true}]}`,
    `  spec: {nodeName: ${nodeName}, containers: [{name: agent, image: agent:1}]}`,
    '  status: {phase: Running}',
  ];
  const list = (...items: string[][]) => yaml('apiVersion: v1', 'kind: List', 'items:', ...NODES.flatMap(([n, z, ip]) => node(n, z, ip)), ...items.flat());

  test('a StatefulSet\'s pods as they are; scaled down, the highest ordinal goes first', () => {
    const text = list(sts(3), stsPod(0, 'node-c'), stsPod(1, 'node-c'), stsPod(2, 'node-a'));
    expect(ok(load({ 'd.yaml': text })).spec.pods.map((p) => [p.name, p.nodeName])).toEqual([['db-0', 'node-c'], ['db-1', 'node-c'], ['db-2', 'node-a']]);
    const down = load({ 'd.yaml': text }, { set: ['StatefulSet/shop/db.spec.replicas=1'] });
    expect(ok(down).spec.pods.map((p) => p.name)).toEqual(['db-0']);
    const up = load({ 'd.yaml': text }, { set: ['StatefulSet/shop/db.spec.replicas=4'] });
    expect(ok(up).spec.pods.map((p) => p.name)).toEqual(['db-0', 'db-1', 'db-2', 'db-3']);
  });

  test('a DaemonSet\'s pods as they are; a node without one gets one, as the controller would', () => {
    const text = list(ds, dsPod('agent-x1', 'node-a'), dsPod('agent-x2', 'node-b'));
    const { spec } = ok(load({ 'd.yaml': text }));
    expect(spec.pods.map((p) => p.nodeName)).toEqual(['node-a', 'node-b', 'node-c']);
    expect(spec.pods.slice(0, 2).map((p) => p.name)).toEqual(['agent-x1', 'agent-x2']);
  });
});

describe('models/dump-shop.yaml: the bundled example dump', () => {
  const path = new URL('../../models/dump-shop.yaml', import.meta.url).pathname;

  test('6 pods placed 4/2/0 over 3 zones; the ReplicaSet, the budget and the ConfigMap are listed as not used', () => {
    const r = loadScenario([path]);
    const { spec, warnings } = ok(r);
    expect(warnings).toEqual([]);
    expect(spec.nodes.map((n) => n.zone)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(Object.values(perNode(spec))).toEqual([4, 2, 0]);
    expect(formatIgnored(r.ignored)).toEqual([
      "ReplicaSet shop/web-6b9d5c7f48: its pods are Deployment shop/web's (taken from the dump)",
      'PodDisruptionBudget shop/web: only drains consult a PodDisruptionBudget, and the timeline has none',
      'ConfigMap shop/settings: configuration is not simulated',
    ]);
    expect(spec.time?.autoscalers?.map((a) => [a.deployment, a.minReplicas, a.maxReplicas])).toEqual([['shop/web', 6, 12]]);
  });

  test('a run keeps 6 replicas (the HPA has nothing to do at this load) and gives the eTP Local shares', () => {
    const { spec } = ok(loadScenario([path], { set: ['Simulation.spec.duration=30s'] }));
    const r = simulate(spec);
    const n = r.pods.reduce((a, p) => a + p.requests, 0);
    expect(r.pods).toHaveLength(6);
    const onA = r.pods.filter((p) => spec.pods.find((s) => p.pod.endsWith(s.name))!.nodeName === 'ip-10-0-1-23.ec2.internal');
    for (const p of r.pods) {
      const share = onA.includes(p) ? 1 / 8 : 1 / 4;
      expect(Math.abs(p.requests - n * share), `${p.pod}: ${p.requests} of ${n}`).toBeLessThan(binomialTolerance(n, share));
    }
  });
});

describe('timelines act on a dump\'s pods', () => {
  test('a rollout of the dumped Deployment replaces its live pods (they are its replicas, owned by it)', () => {
    const sim = NETSIM(1000).replace('  requests: 1000\n', '  duration: 60s\n  timeline:\n    - {at: 5s, rollout: Deployment/shop/web, template: {metadata: {annotations: {rev: "2"}}}}\n');
    const { spec } = ok(load({ 'dump.yaml': dump(), 'netsim.yaml': sim.replace('rate: 2000/s', 'rate: 50/s') }));
    expect(spec.time?.deployments?.map((d) => [d.namespace, d.name, d.replicas])).toEqual([['shop', 'web', 6]]);
    const r = simulate(spec);
    const served = r.pods.filter((p) => p.requests > 0).map((p) => p.pod.split('/').pop()!);
    // Both the dump's pods (before) and the new revision's (after) served requests.
    expect(served.filter((n) => PLACED.some(([p]) => p === n)).length).toBeGreaterThan(0);
    expect(served.filter((n) => !PLACED.some(([p]) => p === n)).length).toBeGreaterThanOrEqual(6);
  });
});
