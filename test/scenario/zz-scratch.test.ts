import { test } from 'vitest';
import { simulate } from '../../src/model/simulation.js';
import { loadScenario, formatDiagnostic } from '../../src/scenario/index.js';
import { load, yaml } from './helpers.js';
test('smoke', () => {
  const base = loadScenario(['models/production-3zones.yaml']);
  if (!base.ok) throw new Error('x');
  const text = yaml(
    'apiVersion: netsim/v1', 'kind: Cluster', 'spec:', '  zones: [{name: a, nodes: 2}, {name: b, nodes: 2}]', '  loadBalancer: {provider: gcp}', '---',
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web}', 'spec:', '  replicas: 4', '  selector: {matchLabels: {app: web}}', '  template:',
    '    metadata: {labels: {app: web}, annotations: {netsim/service-time: "exp(mean=5ms)"}}',
    '    spec:', '      containers: [{name: web, ports: [{containerPort: 80}], readinessProbe: {httpGet: {port: 80}, periodSeconds: 2}, lifecycle: {preStop: {sleep: {seconds: 5}}}}]', '---',
    'apiVersion: policy/v1', 'kind: PodDisruptionBudget', 'metadata: {name: web}', 'spec: {maxUnavailable: 1, selector: {matchLabels: {app: web}}}', '---',
    'apiVersion: v1', 'kind: Service', 'metadata: {name: web}', 'spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}', '---',
    'apiVersion: netsim/v1', 'kind: Workload', 'spec: {clients: [{name: c, from: {zone: a}, target: {service: web}, rate: 200/s}]}', '---',
    'apiVersion: netsim/v1', 'kind: Simulation', 'spec:', '  duration: 120s', '  warmup: 5s', '  timeline:',
    '    - {at: 20s, rollout: web, template: {metadata: {annotations: {netsim/service-time: "exp(mean=2ms)"}}}}',
    '    - {at: 50s, scale: web, replicas: 6}',
    '    - {at: 60s, drain: a-node-1}',
    '    - {at: 80s, fail: b-node-2}',
    '    - {at: 100s, set: {Service/web.spec.externalTrafficPolicy: Local}}',
  );
  const r = load({ 's.yaml': text });
  if (!r.ok) { console.log(r.diagnostics.map((d) => formatDiagnostic(d)).join('\n')); return; }
  console.log(r.warnings.map((d) => formatDiagnostic(d)).join('\n'));
  const res = simulate(r.spec, {});
  const j = JSON.parse(JSON.stringify(res));
  console.log(Object.keys(j), JSON.stringify(j.accounting?.total ?? {}).slice(0, 400), JSON.stringify(j.timeline ?? j.events ?? '').slice(0, 1500));
}, 120000);
