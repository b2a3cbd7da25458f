/** `kubectl get -o yaml` output: a List of objects with status, resourceVersion and the rest. */
import { expect, test } from 'vitest';
import { failed, load, ok, yaml } from './helpers.js';

const DUMP = yaml(
  /*  1 */ 'apiVersion: v1',
  /*  2 */ 'kind: List',
  /*  3 */ 'metadata:',
  /*  4 */ '  resourceVersion: ""',
  /*  5 */ 'items:',
  /*  6 */ '- apiVersion: v1',
  /*  7 */ '  kind: Pod',
  /*  8 */ '  metadata:',
  /*  9 */ '    name: web-1',
  /* 10 */ '    namespace: shop',
  /* 11 */ '    labels: {app: web}',
  /* 12 */ '    uid: 6d1b7c1e-0000-4000-8000-000000000001',
  /* 13 */ '  spec:',
  /* 14 */ '    nodeName: node-2',
  /* 15 */ '    containers: [{name: web, image: nginx, ports: [{containerPort: 80, protocol: TCP}]}]',
  /* 16 */ '  status:',
  /* 17 */ '    phase: Running',
  /* 18 */ '    conditions: [{type: Ready, status: "True"}]',
  /* 19 */ '- apiVersion: v1',
  /* 20 */ '  kind: Pod',
  /* 21 */ '  metadata: {name: web-2, namespace: shop, labels: {app: web}}',
  /* 22 */ '  spec: {nodeName: node-3, containers: [{name: web}]}',
  /* 23 */ '  status: {conditions: [{type: Ready, status: "False"}]}',
  /* 24 */ '- apiVersion: v1',
  /* 25 */ '  kind: Service',
  /* 26 */ '  metadata: {name: web, namespace: shop}',
  /* 27 */ '  spec:',
  /* 28 */ '    clusterIP: 10.96.44.1',
  /* 29 */ '    clusterIPs: [10.96.44.1]',
  /* 30 */ '    ipFamilies: [IPv4]',
  /* 31 */ '    selector: {app: web}',
  /* 32 */ '    ports: [{port: 80, protocol: TCP, targetPort: 80}]',
  /* 33 */ '- apiVersion: v1',
  /* 34 */ '  kind: ConfigMap',
  /* 35 */ '  metadata: {name: cfg, namespace: shop}',
);

test('a List is unwrapped; status readiness is honoured; unused fields are ignored', () => {
  const r = load({ 'dump.yaml': DUMP });
  const { spec } = ok(r);
  expect(spec.pods.map((p) => [`${p.namespace}/${p.name}`, p.nodeName, p.ready])).toEqual([
    ['shop/web-1', 'node-2', true],
    ['shop/web-2', 'node-3', false],
  ]);
  expect(spec.services[0]).toMatchObject({ namespace: 'shop', name: 'web', clusterIP: '10.96.44.1' });
  expect(r.ignored).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', name: 'cfg', namespace: 'shop', file: 'dump.yaml', line: 33, reason: 'configuration is not simulated' }]);
});

test('errors inside a List item point into the item, with the object as the path head', () => {
  const r = failed(load({ 'dump.yaml': DUMP.replace('ports: [{port: 80, protocol: TCP', 'ports: [{port: 80, protocol: TCPP') }));
  expect(r.errors).toEqual(['dump.yaml:32:34: error: Service/shop/web.spec.ports[0].protocol: expected one of "TCP", "UDP" or "SCTP", found "TCPP"; did you mean "TCP"?']);
});

test('typed lists (PodList) and items without kind', () => {
  const text = yaml('apiVersion: v1', 'kind: PodList', 'items:', '- metadata: {name: a}', '  spec: {containers: [{name: x}]}');
  const { spec } = ok(load({ 'p.yaml': text }));
  expect(spec.pods.map((p) => p.name)).toEqual(['a']);
});
