/**
 * HorizontalPodAutoscaler manifests -> ModelSpec.time.autoscalers: autoscaling/v2 and v1, the API
 * server's defaults, the metrics the model can and cannot compute, CPU requests (and the
 * `netsim/cpu-per-request` annotation), and every error with its file:line:col.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { DEFAULT_SCALE_DOWN, DEFAULT_SCALE_UP } from '../../src/model/control/hpa.js';
import { simulate } from '../../src/model/simulation.js';
import { failed, load, ok, yaml } from './helpers.js';

const BASE = yaml(
  /*  1 */ 'apiVersion: netsim/v1',
  /*  2 */ 'kind: Cluster',
  /*  3 */ 'spec:',
  /*  4 */ '  zones: [{name: a, nodes: 2}]',
  /*  5 */ '---',
  /*  6 */ 'apiVersion: apps/v1',
  /*  7 */ 'kind: Deployment',
  /*  8 */ 'metadata: {name: web}',
  /*  9 */ 'spec:',
  /* 10 */ '  replicas: 2',
  /* 11 */ '  selector: {matchLabels: {app: web}}',
  /* 12 */ '  template:',
  /* 13 */ '    metadata:',
  /* 14 */ '      labels: {app: web}',
  /* 15 */ '      annotations: {netsim/service-time: "const(10ms)", netsim/concurrency: "8", netsim/cpu-per-request: "40%"}',
  /* 16 */ '    spec:',
  /* 17 */ '      containers:',
  /* 18 */ '        - name: web',
  /* 19 */ '          ports: [{name: http, containerPort: 8080}]',
  /* 20 */ '          resources: {requests: {cpu: 250m, memory: 64Mi}, limits: {cpu: "1"}}',
  /* 21 */ '        - name: sidecar',
  /* 22 */ '          resources: {requests: {cpu: "0.05"}}',
  /* 23 */ '---',
  /* 24 */ 'apiVersion: v1',
  /* 25 */ 'kind: Service',
  /* 26 */ 'metadata: {name: web}',
  /* 27 */ 'spec: {type: NodePort, selector: {app: web}, ports: [{port: 80, targetPort: http}]}',
  /* 28 */ '---',
  /* 29 */ 'apiVersion: netsim/v1',
  /* 30 */ 'kind: Workload',
  /* 31 */ 'spec: {clients: [{name: c, target: {service: web}, rate: 100/s}]}',
  /* 32 */ '---',
  /* 33 */ 'apiVersion: netsim/v1',
  /* 34 */ 'kind: Simulation',
  /* 35 */ 'spec: {duration: 60s, warmup: 0s}',
  /* 36 */ '---',
);

/** The scenario with an HPA of these lines (from line 37). */
const withHpa = (...lines: string[]) => BASE + yaml(...lines);

const HPA_V2 = [
  /* 37 */ 'apiVersion: autoscaling/v2',
  /* 38 */ 'kind: HorizontalPodAutoscaler',
  /* 39 */ 'metadata: {name: web}',
  /* 40 */ 'spec:',
  /* 41 */ '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}',
  /* 42 */ '  minReplicas: 2',
  /* 43 */ '  maxReplicas: 10',
];

describe('reading an HPA', () => {
  test('autoscaling/v2 with a cpu Utilization metric and no behavior', () => {
    const r = ok(load({ 's.yaml': withHpa(...HPA_V2, '  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}}]') }));
    expect(r.warnings).toEqual([]);
    expect(r.spec.time!.autoscalers).toEqual([
      {
        name: 'web',
        namespace: 'default',
        deployment: 'default/web',
        minReplicas: 2,
        maxReplicas: 10,
        targetCPUUtilization: 60,
        behavior: null,
        tolerance: 0.1,
        downscaleStabilization: 300,
        syncPeriod: 15,
        metricResolution: 15,
        cpuInitializationPeriod: 300,
        initialReadinessDelay: 30,
        source: 's.yaml:37:1',
      },
    ]);
    // The pods' requests, summed over containers, and the CPU share of a request.
    const pod = r.spec.pods.find((p) => p.owner === 'default/web')!;
    expect(pod.requests).toEqual({ cpu: 0.3, memory: 64 * 2 ** 20 });
    expect(pod.behaviour.cpuShare).toBeCloseTo(0.4, 12);
    expect(r.spec.time!.deployments[0]!.template.requests).toEqual({ cpu: 0.3, memory: 64 * 2 ** 20 });
  });

  test('no metrics: cpu at 80 %; behavior filled with the API defaults; the Cluster sets the controller flags', () => {
    const cluster = yaml(
      'apiVersion: netsim/v1',
      'kind: Cluster',
      'spec:',
      '  zones: [{name: a, nodes: 2}]',
      '  controlPlane: {horizontalPodAutoscaler: {syncPeriod: 30s, tolerance: 0.05, downscaleStabilization: 2m, metricResolution: 60s}}',
    );
    const text = cluster + withHpa(...HPA_V2, '  behavior:', '    scaleDown: {stabilizationWindowSeconds: 60, policies: [{type: Pods, value: 1, periodSeconds: 30}]}', '    scaleUp: {selectPolicy: Min, tolerance: 50m}').split('\n').slice(4).join('\n');
    const r = ok(load({ 's.yaml': text }));
    const a = r.spec.time!.autoscalers![0]!;
    expect(a.targetCPUUtilization).toBe(80);
    expect(a.behavior).toEqual({
      scaleUp: { ...DEFAULT_SCALE_UP, selectPolicy: 'Min', tolerance: 0.05 },
      scaleDown: { ...DEFAULT_SCALE_DOWN, stabilizationWindow: 60, policies: [{ type: 'Pods', value: 1, period: 30 }] },
    });
    expect([a.syncPeriod, a.tolerance, a.downscaleStabilization, a.metricResolution]).toEqual([30, 0.05, 120, 60]);
  });

  test('autoscaling/v1 targetCPUUtilizationPercentage', () => {
    const r = ok(load({ 's.yaml': withHpa('apiVersion: autoscaling/v1', 'kind: HorizontalPodAutoscaler', 'metadata: {name: web}', 'spec: {scaleTargetRef: {kind: Deployment, name: web}, maxReplicas: 4, targetCPUUtilizationPercentage: 70}') }));
    const a = r.spec.time!.autoscalers![0]!;
    expect([a.minReplicas, a.maxReplicas, a.targetCPUUtilization, a.behavior]).toEqual([1, 4, 70, null]);
  });

  test('metrics the model cannot compute are left out with a warning', () => {
    const r = ok(load({
      's.yaml': withHpa(
        ...HPA_V2,
        '  metrics:',
        '    - {type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 70}}}',
        '    - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}',
        '    - {type: Pods, pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: "10"}}}',
      ),
    }));
    expect(r.warnings).toEqual([
      's.yaml:45:7: warning: HorizontalPodAutoscaler/web.spec.metrics[0]: the model cannot compute the memory Utilization metric: this HPA scales on its cpu Utilization metric only (Kubernetes would also scale on this one, taking the largest proposal)',
      's.yaml:47:7: warning: HorizontalPodAutoscaler/web.spec.metrics[2]: the model cannot compute a Pods metric: this HPA scales on its cpu Utilization metric only (Kubernetes would also scale on this one, taking the largest proposal)',
    ]);
    expect(r.spec.time!.autoscalers![0]!.targetCPUUtilization).toBe(50);
  });

  test('an HPA is a reason to run the control plane, and its figures are in the time series', () => {
    const r = ok(load({ 's.yaml': withHpa(...HPA_V2, '  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]') }));
    const result = simulate(r.spec);
    const a = result.timeSeries.autoscalers!;
    expect(a).toHaveLength(1);
    expect(a[0]!.name).toBe('default/web');
    expect(a[0]!.desired).toHaveLength(result.timeSeries.start.length);
    // 100/s × 10 ms × 40 % = 0.4 cores on 2 × 300m: 67 % (the first sync's window also holds idle time
    // before the run), within the tolerance of the 70 % target: no scaling.
    const seen = a[0]!.utilisation.slice(40);
    expect(seen.every((u) => u !== null && u >= 60 && u <= 72)).toBe(true);
    expect(a[0]!.desired.every((d) => d === 2)).toBe(true);
    // The figures as schemas/result.schema.json describes them.
    const schema = JSON.parse(readFileSync(new URL('../../schemas/result.schema.json', import.meta.url), 'utf8')) as {
      properties: { timeSeries: { properties: { autoscalers: object } } };
    };
    const validate = new Ajv2020({ strict: true, allowUnionTypes: true }).compile(schema.properties.timeSeries.properties.autoscalers);
    expect(validate(JSON.parse(JSON.stringify(a))), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('errors', () => {
  test.each([
    ['a Deployment that does not exist', '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: wbe}', 's.yaml:41:65: error: HorizontalPodAutoscaler/web.spec.scaleTargetRef.name: expected a Deployment of namespace default (web), found "wbe"; no Deployment "default/wbe" (did you mean "web"?)'],
  ])('%s', (_, ref, error) => {
    const lines = [...HPA_V2];
    lines[4] = ref;
    expect(failed(load({ 's.yaml': withHpa(...lines) })).errors).toEqual([error]);
  });

  test('an HPA of a StatefulSet, or of a Deployment not in the scenario, is listed as not used (a dump holds such HPAs)', () => {
    const lines = [...HPA_V2];
    lines[4] = '  scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: web}';
    const sts = load({ 's.yaml': withHpa(...lines) });
    expect(ok(sts).spec.time?.autoscalers).toBeUndefined();
    expect(sts.ignored).toEqual([
      expect.objectContaining({ kind: 'HorizontalPodAutoscaler', name: 'web', reason: 'it scales StatefulSet default/web: the model autoscales Deployments only (the StatefulSet keeps its replicas)' }),
    ]);
    lines[4] = '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: checkout}';
    const absent = load({ 's.yaml': withHpa(...lines) });
    expect(ok(absent).spec.time?.autoscalers).toBeUndefined();
    expect(absent.ignored.map((i) => i.reason)).toEqual(['its target, Deployment default/checkout, is not in the scenario']);
  });

  test('no metric the model can compute', () => {
    const r = failed(load({ 's.yaml': withHpa(...HPA_V2, '  metrics: [{type: External, external: {metric: {name: queue}, target: {type: Value, value: "5"}}}]') }));
    expect(r.errors).toEqual([
      's.yaml:44:12: error: HorizontalPodAutoscaler/web.spec.metrics: expected a metric the model computes: {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: N}}}, found a External metric; this HPA has no metric the model can compute (CPU utilisation is the only one)',
    ]);
  });

  test('a Deployment whose pods do not request CPU', () => {
    const text = withHpa(...HPA_V2).replace("          resources: {requests: {cpu: \"0.05\"}}\n", '');
    const r = failed(load({ 's.yaml': text }));
    expect(r.errors).toEqual([
      expect.stringMatching(/^s\.yaml:40:\d+: error: HorizontalPodAutoscaler\/web\.spec\.scaleTargetRef\.name: .*container sidecar without one \(s\.yaml:17\).*Deployment default\/web does not request CPU for container sidecar/),
    ]);
  });

  test('maxReplicas below minReplicas, a policy without a period, a retired apiVersion', () => {
    const below = failed(load({ 's.yaml': withHpa(...HPA_V2.slice(0, 5), '  minReplicas: 5', '  maxReplicas: 3') }));
    expect(below.errors).toEqual([expect.stringMatching(/^s\.yaml:43:16: error: HorizontalPodAutoscaler\/web\.spec\.maxReplicas: .*minReplicas/)]);
    const policy = failed(load({ 's.yaml': withHpa(...HPA_V2, '  behavior: {scaleUp: {policies: [{type: Pods, value: 2}]}}') }));
    expect(policy.errors).toEqual(['s.yaml:44:35: error: HorizontalPodAutoscaler/web.spec.behavior.scaleUp.policies[0].periodSeconds: expected a number, found nothing; this field is required']);
    const old = failed(load({ 's.yaml': withHpa('apiVersion: autoscaling/v2beta2', ...HPA_V2.slice(1)) }));
    expect(old.errors).toEqual(['s.yaml:37:13: error: apiVersion: expected autoscaling/v2, found "autoscaling/v2beta2"; Kubernetes stopped serving HorizontalPodAutoscaler as autoscaling/v2beta2 in 1.26 (v2 has the same fields as v2beta2)']);
  });

  test('netsim/cpu-per-request: a share or a CPU time', () => {
    const time = ok(load({ 's.yaml': withHpa(...HPA_V2).replace('netsim/cpu-per-request: "40%"', 'netsim/cpu-per-request: "2.5ms"') }));
    expect(time.spec.pods[0]!.behaviour.cpuShare).toBeCloseTo(0.25, 12);
    const bad = failed(load({ 's.yaml': withHpa(...HPA_V2).replace('netsim/cpu-per-request: "40%"', 'netsim/cpu-per-request: "lots"') }));
    expect(bad.errors).toEqual([expect.stringMatching(/^s\.yaml:15:\d+: error: .*netsim\/cpu-per-request/)]);
  });
});
