import { describe, expect, test } from 'vitest';
import { Problems, readDocuments, applyOverrides, formatDiagnostic, parseOverride, prepareScenario } from '../../src/scenario/index.js';
import { failed, load, ok, yaml } from './helpers.js';

const SCENARIO = yaml(
  'apiVersion: netsim/v1',
  'kind: Cluster',
  'spec: {zones: [{name: a, nodes: 2}, {name: b, nodes: 2}]}',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: {name: web}',
  'spec:',
  '  replicas: 2',
  '  selector: {matchLabels: {app: web}}',
  '  template:',
  '    metadata: {labels: {app: web}}',
  '    spec: {containers: [{name: web}]}',
  '---',
  'apiVersion: v1',
  'kind: Service',
  'metadata: {name: web}',
  'spec:',
  '  type: NodePort',
  '  selector: {app: web}',
  '  ports: [{port: 80}]',
  '---',
  'apiVersion: netsim/v1',
  'kind: Workload',
  'spec:',
  '  clients:',
  '    - name: users',
  '      target: {service: web}',
  '      rate: 1k/s',
);

describe('--set overrides', () => {
  test('the examples of the brief', () => {
    const { spec } = ok(load({ 's.yaml': SCENARIO }, { set: ['Workload.spec.clients[0].rate=5k/s', 'Service/web.spec.externalTrafficPolicy=Local'] }));
    const arrival = spec.clients[0]!.arrival;
    expect(arrival.kind === 'open' && arrival.interarrival.mean).toBeCloseTo(1 / 5000, 12);
    expect(spec.services[0]!.externalTrafficPolicy).toBe('Local');
  });

  test('values are YAML: numbers, mappings; missing mappings on the way are created', () => {
    const { spec } = ok(
      load({ 's.yaml': SCENARIO }, {
        set: [
          'Deployment/web.spec.replicas=5',
          'Workload.spec.clients[0].connection={pool: {connections: 4}}',
          'Deployment/web.spec.template.metadata.annotations.netsim/concurrency="16"',
          'Cluster.spec.kubeProxy.mode=ipvs',
        ],
      }),
    );
    expect(spec.pods).toHaveLength(5);
    expect(spec.clients[0]!.connection).toEqual({ kind: 'pool', connections: 4 });
    expect(spec.pods.every((p) => p.behaviour.concurrency === 16)).toBe(true);
    expect(spec.kubeProxy.mode).toBe('ipvs');
  });

  test('quoted keys hold dots', () => {
    const { spec } = ok(load({ 's.yaml': SCENARIO }, { set: ['Deployment/web.spec.template.metadata.labels["app.kubernetes.io/part-of"]=shop'] }));
    expect(spec.pods[0]!.labels['app.kubernetes.io/part-of']).toBe('shop');
  });

  test('an override path that names nothing is an error, pointing into the --set', () => {
    const r = failed(
      load({ 's.yaml': SCENARIO }, {
        set: [
          'Workload.spec.clients[3].rate=5k/s',
          'Service/api.spec.type=ClusterIP',
          'Ingress.spec.x=1',
          'Workload.spec.clients[0]rate',
        ],
      }),
    );
    expect(r.errors).toEqual([
      '--set:1:23: error: Workload.spec.clients[3].rate: names nothing: spec.clients has 1 item (indexes from 0)',
      '--set:2:9: error: Service/api.spec.type: names nothing: no Service named "api" (there are: web)',
      '--set:3:1: error: Ingress.spec.x: names nothing: the scenario has no Ingress (it has Cluster, Deployment, Service, Workload)',
      "--set:4:25: error: Workload.spec.clients[0]rate: expected '.', '[' or '=', found 'r'; the form is Kind[/name].field.path=value",
    ]);
  });

  test('an overridden value is validated like a written one, and located in the --set', () => {
    const r = failed(load({ 's.yaml': SCENARIO }, { set: ['Workload.spec.clients[0].rate=5x/s', 'Cluster.spec.kubeProxy={mode: ipvz}'] }));
    expect(r.errors).toEqual([
      "--set:1:32: error: Workload.spec.clients[0].rate: expected a rate such as 3000/s, 5k/s or 120/m, found '5x/s' (unknown unit 'x/s')",
      '--set:2:31: error: Cluster.spec.kubeProxy.mode: expected one of "iptables", "ipvs" or "nftables", found "ipvz"; did you mean "ipvs"?',
    ]);
  });

  test('a kind without a name must name exactly one object', () => {
    const two = SCENARIO + yaml('---', 'apiVersion: v1', 'kind: Service', 'metadata: {name: api}', 'spec: {selector: {app: web}, ports: [{port: 80}]}');
    const r = failed(load({ 's.yaml': two }, { set: ['Service.spec.type=NodePort'] }));
    expect(r.errors).toEqual(['--set:1:1: error: Service.spec.type: ambiguous: the scenario has 2 Service objects (web, api); write Service/<name>']);
  });

  test('applyOverrides works on resources directly (the sweep path), without touching aliases elsewhere', () => {
    const problems = new Problems();
    const text = yaml(
      'apiVersion: netsim/v1',
      'kind: Workload',
      'spec:',
      '  clients:',
      '    - &c {name: a, target: {service: web}, rate: 1/s}',
      '    - {name: b, target: {service: web}, rate: 2/s}',
    );
    const { resources } = readDocuments([{ path: 'w.yaml', text }], problems);
    const diags = applyOverrides(resources, ['Workload.spec.clients[0].rate=9/s']);
    expect(diags.map((d) => formatDiagnostic(d))).toEqual([]);
    const clients = (resources[0]!.value['spec'] as { clients: { rate: string }[] }).clients;
    expect(clients.map((c) => c.rate)).toEqual(['9/s', '2/s']);
  });

  test('parseOverride', () => {
    expect(parseOverride('Deployment/shop/api.spec.template.metadata.annotations["netsim/service-time"]=exp(mean=2ms)')).toMatchObject({
      kind: 'Deployment',
      names: ['shop', 'api'],
      path: ['spec', 'template', 'metadata', 'annotations', 'netsim/service-time'],
      valueText: 'exp(mean=2ms)',
    });
    expect(parseOverride('Deployment/"web.v2".spec.replicas=3')).toMatchObject({ names: ['web.v2'], path: ['spec', 'replicas'], valueText: '3' });
  });

  test('prepareScenario: one read, independent loads with different overrides', () => {
    const prepared = prepareScenario([{ path: 's.yaml', text: SCENARIO }]);
    const a = ok(prepared.load(['Deployment/web.spec.replicas=4'])).spec;
    const b = ok(prepared.load(['Service/web.spec.externalTrafficPolicy=Local'])).spec;
    const c = ok(prepared.load()).spec;
    expect([a.pods.length, b.pods.length, c.pods.length]).toEqual([4, 2, 2]);
    expect([a.services[0]!.externalTrafficPolicy, b.services[0]!.externalTrafficPolicy, c.services[0]!.externalTrafficPolicy]).toEqual(['Cluster', 'Local', 'Cluster']);
    expect(failed(prepared.load(['Deployment/web.spec.replicas=-1'])).errors).toEqual(['--set:1:30: error: Deployment/web.spec.replicas: expected a number >= 0, found -1']);
  });

  test('YAML merge keys work in scenarios', () => {
    const text = yaml(
      'apiVersion: netsim/v1',
      'kind: Workload',
      'spec:',
      '  clients:',
      '    - &base {name: a, target: {service: web}, rate: 1/s, requestSize: 2KiB}',
      '    - <<: *base',
      '      name: b',
    );
    const { spec } = ok(load({ 's.yaml': SCENARIO.replace(/---\napiVersion: netsim\/v1\nkind: Workload[\s\S]*$/, '') + '---\n' + text }));
    expect(spec.clients.map((c) => [c.name, c.requestBytes])).toEqual([
      ['a', 2048],
      ['b', 2048],
    ]);
  });
});
