/**
 * Time-related input outside the timeline: pod lifecycle (readiness probe, preStop, grace period, the
 * netsim/startup-time, netsim/prestop and netsim/shutdown annotations), Deployment strategy, PodDisruption-
 * Budgets, the Cluster's controlPlane and load balancer provider presets. Each field with its default, each
 * error with its file:line:col.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../../src/scenario/index.js';
import { failed, load, ok, yaml } from './helpers.js';

const CLUSTER = yaml(
  /* 1 */ 'apiVersion: netsim/v1',
  /* 2 */ 'kind: Cluster',
  /* 3 */ 'spec:',
  /* 4 */ '  zones: [{name: a, nodes: 2}, {name: b, nodes: 1}]',
  /* 5 */ '---',
);

/** A Deployment `web` whose container is given line by line (starting at line 13 of CLUSTER + this). */
const deployment = (container: string[], opts: { spec?: string[]; annotations?: string[]; replicas?: number; name?: string; more?: string[] } = {}) =>
  yaml(
    /*  6 */ 'apiVersion: apps/v1',
    /*  7 */ 'kind: Deployment',
    /*  8 */ `metadata: {name: ${opts.name ?? 'web'}}`,
    /*  9 */ 'spec:',
    /* 10 */ `  replicas: ${opts.replicas ?? 2}`,
    /* 11 */ `  selector: {matchLabels: {app: ${opts.name ?? 'web'}}}`,
    /* 12 */ '  template:',
    /* 13 */ '    metadata:',
    /* 14 */ `      labels: {app: ${opts.name ?? 'web'}}`,
    /* 15 */ `      annotations: {${(opts.annotations ?? []).join(', ')}}`,
    /* 16 */ '    spec:',
    ...(opts.spec ?? []).map((l) => `      ${l}`),
    '      containers:',
    '        - name: web',
    ...container.map((l) => `          ${l}`),
    ...(opts.more ?? []).map((l) => `        ${l}`),
    '---',
  );

/** A one-event timeline, so that lifecycle warnings are given. */
const TIMELINE = yaml('apiVersion: netsim/v1', 'kind: Simulation', 'spec:', '  duration: 60s', '  warmup: 1s', '  timeline: [{at: 10s, cordon: a-node-1}]');

describe('pod lifecycle', () => {
  test('defaults: no probe (Ready once started), no preStop, 30 s grace, graceful shutdown, start-up [EST]', () => {
    const text =
      CLUSTER +
      deployment([]) +
      yaml('apiVersion: v1', 'kind: Pod', 'metadata: {name: solo}', 'spec: {containers: [{name: c}]}', '---') +
      yaml('apiVersion: apps/v1', 'kind: DaemonSet', 'metadata: {name: agent}', 'spec:', '  selector: {matchLabels: {app: agent}}', '  template:', '    metadata: {labels: {app: agent}}', '    spec: {containers: [{name: a}]}');
    const { spec } = ok(load({ 's.yaml': text }));
    expect(spec.pods).toHaveLength(2 + 1 + 3);
    for (const p of spec.pods) {
      const l = p.lifecycle!;
      expect({ ...l, startup: String(l.startup) }).toEqual({
        startup: 'lognormal(median=2s, p99=5s)',
        readiness: null,
        preStop: 0,
        terminationGracePeriod: 30,
        shutdown: 'graceful',
      });
    }
  });

  test('owner: the Deployment (namespace/name) of its replicas only', () => {
    const text =
      CLUSTER +
      deployment([]) +
      yaml('apiVersion: v1', 'kind: Pod', 'metadata: {name: solo}', 'spec: {containers: [{name: c}]}', '---') +
      yaml('apiVersion: apps/v1', 'kind: StatefulSet', 'metadata: {name: db, namespace: shop}', 'spec:', '  replicas: 1', '  selector: {matchLabels: {app: db}}', '  template:', '    metadata: {labels: {app: db}}', '    spec: {containers: [{name: db}]}');
    const { spec } = ok(load({ 's.yaml': text }));
    expect(spec.pods.map((p) => [p.name.split('-')[0], p.owner])).toEqual([
      ['web', 'default/web'],
      ['web', 'default/web'],
      ['solo', undefined],
      ['db', undefined],
    ]);
  });

  test('readinessProbe: Kubernetes defaults for what is left out (or 0), the written values otherwise', () => {
    const probe = (fields: string) => ok(load({ 's.yaml': CLUSTER + deployment([`readinessProbe: {httpGet: {path: /healthz, port: 8080}${fields}}`]) })).spec.pods[0]!.lifecycle!.readiness;
    expect(probe('')).toEqual({ initialDelay: 0, period: 10, successThreshold: 1, failureThreshold: 3 });
    expect(probe(', initialDelaySeconds: 5, periodSeconds: 2, successThreshold: 2, failureThreshold: 6, timeoutSeconds: 1')).toEqual({ initialDelay: 5, period: 2, successThreshold: 2, failureThreshold: 6 });
    expect(probe(', periodSeconds: 0, successThreshold: 0')).toEqual({ initialDelay: 0, period: 10, successThreshold: 1, failureThreshold: 3 });
  });

  test('several containers: the probe slowest to pass first, the longest preStop', () => {
    const text =
      CLUSTER +
      deployment(['readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 2}', 'lifecycle: {preStop: {sleep: {seconds: 3}}}'], {
        more: ['- name: side', '  readinessProbe: {tcpSocket: {port: 81}, initialDelaySeconds: 5}', '  lifecycle: {preStop: {exec: {command: [sleep, "8"]}}}'],
      });
    const l = ok(load({ 's.yaml': text })).spec.pods[0]!.lifecycle!;
    expect(l.readiness).toEqual({ initialDelay: 5, period: 10, successThreshold: 1, failureThreshold: 3 });
    expect(l.preStop).toBe(8);
  });

  test.each([
    ['exec sleep', 'lifecycle: {preStop: {exec: {command: ["sleep", "15"]}}}', 15],
    ['exec /bin/sleep with a unit', 'lifecycle: {preStop: {exec: {command: ["/bin/sleep", "1m"]}}}', 60],
    ['sh -c sleep', 'lifecycle: {preStop: {exec: {command: ["/bin/sh", "-c", "sleep 15"]}}}', 15],
    ['bash -c sleep', 'lifecycle: {preStop: {exec: {command: ["bash", "-c", "sleep 2.5; true"]}}}', 2.5],
    ['sleep action (KEP-3960)', 'lifecycle: {preStop: {sleep: {seconds: 7}}}', 7],
    ['no hook', 'ports: [{containerPort: 80}]', 0],
  ])('preStop: %s', (_, line, expected) => {
    expect(ok(load({ 's.yaml': CLUSTER + deployment([line]) })).spec.pods[0]!.lifecycle!.preStop).toBe(expected);
  });

  test('a hook of unknown length counts as 0 s, with a warning suggesting netsim/prestop (when there is a timeline)', () => {
    const text = CLUSTER + deployment(['lifecycle: {preStop: {httpGet: {path: /quit, port: 80}}}']) + TIMELINE;
    const r = ok(load({ 's.yaml': text }));
    expect(r.spec.pods[0]!.lifecycle!.preStop).toBe(0);
    expect(r.warnings).toContain('s.yaml:19:42: warning: Deployment/web.spec.template.spec.containers[0].lifecycle.preStop.httpGet: the model cannot know how long this httpGet preStop hook takes: counted as 0s; give its length with the pod annotation netsim/prestop (e.g. "10s")');
    // A steady-state run does not care how pods stop: no warning.
    const steady = ok(load({ 's.yaml': CLUSTER + deployment(['lifecycle: {preStop: {httpGet: {path: /quit, port: 80}}}']) }));
    expect(steady.warnings.filter((w) => w.includes('preStop'))).toEqual([]);
  });

  test('a script that sleeps and does more: the sleep counts, the rest is warned about', () => {
    const text = CLUSTER + deployment(['lifecycle: {preStop: {exec: {command: [sh, -c, "sleep 5 && nginx -s quit"]}}}']) + TIMELINE;
    const r = ok(load({ 's.yaml': text }));
    expect(r.spec.pods[0]!.lifecycle!.preStop).toBe(5);
    expect(r.warnings).toContain('s.yaml:19:49: warning: Deployment/web.spec.template.spec.containers[0].lifecycle.preStop.exec.command: the preStop hook sleeps 5s, and the model cannot know how long the rest takes (nginx -s quit): counted as 5s; give its length with the pod annotation netsim/prestop (e.g. "10s")');
  });

  test('terminationGracePeriodSeconds, and a preStop that outlasts it', () => {
    const text = CLUSTER + deployment(['lifecycle: {preStop: {sleep: {seconds: 20}}}'], { spec: ['terminationGracePeriodSeconds: 10'] }) + TIMELINE;
    const r = ok(load({ 's.yaml': text }));
    expect(r.spec.pods[0]!.lifecycle).toMatchObject({ preStop: 20, terminationGracePeriod: 10 });
    expect(r.warnings).toContain('s.yaml:17:38: warning: Deployment/web.spec.template.spec.terminationGracePeriodSeconds: the preStop hook (20s) outlasts terminationGracePeriodSeconds (10): the kubelet sends SIGTERM at the deadline and SIGKILL 2s later, leaving the app no time to finish its requests');
  });

  test('annotations: netsim/startup-time, netsim/prestop (over the hook, no warning), netsim/shutdown', () => {
    const text =
      CLUSTER +
      deployment(['lifecycle: {preStop: {httpGet: {path: /quit, port: 80}}}'], {
        annotations: ['netsim/startup-time: "lognormal(median=20s, p99=60s)"', 'netsim/prestop: "12s"', 'netsim/shutdown: immediate'],
      }) +
      TIMELINE;
    const r = ok(load({ 's.yaml': text }));
    const l = r.spec.pods[0]!.lifecycle!;
    expect([String(l.startup), l.preStop, l.shutdown]).toEqual(['lognormal(median=20s, p99=60s)', 12, 'immediate']);
    expect(r.warnings.filter((w) => w.includes('preStop'))).toEqual([]);
  });

  test('bad lifecycle annotations are errors at the character; a misspelt one is a warning', () => {
    const r = failed(
      load({
        's.yaml':
          CLUSTER + deployment([], { annotations: ['netsim/startup-time: "const(2x)"', 'netsim/prestop: "soon"', 'netsim/shutdown: "gracefull"', 'netsim/prestp: "1s"'] }),
      }),
    );
    expect(r.errors).toEqual([
      // At the bad unit inside the distribution; at the value inside the quotes; at the scalar.
      "s.yaml:15:50: error: Deployment/web.spec.template.metadata.annotations.netsim/startup-time: expected a duration such as 250us, 1.5ms or 2s for 'value', found '2x' (unknown unit 'x')",
      "s.yaml:15:72: error: Deployment/web.spec.template.metadata.annotations.netsim/prestop: expected a duration such as 250us, 1.5ms or 2s, found 'soon'",
      's.yaml:15:96: error: Deployment/web.spec.template.metadata.annotations.netsim/shutdown: expected "graceful" or "immediate", found "gracefull"; did you mean "graceful"?',
    ]);
    expect(r.warnings).toContain('s.yaml:15:109: warning: Deployment/web.spec.template.metadata.annotations.netsim/prestp: unknown annotation "netsim/prestp" is ignored (did you mean "netsim/prestop"?)');
  });

  test('reading the probe, the hook and the grace period renames no pod (pod-template-hash of revision 1 unchanged)', () => {
    const plain = ok(load({ 's.yaml': CLUSTER + deployment([]) })).spec.pods.map((p) => p.name);
    const timed = ok(
      load({ 's.yaml': CLUSTER + deployment(['readinessProbe: {httpGet: {port: 80}}', 'lifecycle: {preStop: {sleep: {seconds: 5}}}'], { spec: ['terminationGracePeriodSeconds: 45'] }) }),
    ).spec.pods.map((p) => p.name);
    expect(timed).toEqual(plain);
    expect(plain[0]).toMatch(/^web-[a-z0-9]+-[a-z0-9]{5}$/);
  });
});

describe('steady state: no time', () => {
  const DIR = new URL('../../models/', import.meta.url);
  // The bundled models that script no timeline (those that do are tested in timeline-models.test.ts).
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.yaml') && !/^(rollout-|zone-failure|hpa-|dump-)/.test(f))
    .sort();
  test.each(files)('models/%s: no time in the spec; every pod has a lifecycle', (file) => {
    const { spec } = ok(loadScenario([new URL(file, DIR).pathname]));
    expect(spec.time).toBeUndefined();
    expect('time' in spec).toBe(false);
    expect(spec.pods.every((p) => p.lifecycle !== undefined)).toBe(true);
  });
});

const PDB = (spec: string, name = 'web-pdb', apiVersion = 'policy/v1') =>
  yaml('---', `apiVersion: ${apiVersion}`, 'kind: PodDisruptionBudget', `metadata: {name: ${name}}`, `spec: ${spec}`);

describe('Deployments and PodDisruptionBudgets', () => {
  test('a PodDisruptionBudget alone gives the spec time: Deployments with Kubernetes defaults, no timeline', () => {
    const { spec } = ok(load({ 's.yaml': CLUSTER + deployment(['ports: [{name: http, containerPort: 8080}]']) + PDB('{minAvailable: 1, selector: {matchLabels: {app: web}}}') }));
    const time = spec.time!;
    expect(time.timeline).toEqual([]);
    expect(time.disruptionBudgets).toEqual([{ name: 'web-pdb', namespace: 'default', selector: { app: 'web' }, minAvailable: { kind: 'count', value: 1 }, maxUnavailable: null }]);
    const d = time.deployments[0]!;
    expect({ ...d, template: undefined }).toEqual({
      name: 'web',
      namespace: 'default',
      replicas: 2,
      strategy: { kind: 'RollingUpdate', maxSurge: { kind: 'percent', value: 25 }, maxUnavailable: { kind: 'percent', value: 25 } },
      minReadySeconds: 0,
      selector: { app: 'web' },
      template: undefined,
    });
    // The template is exactly what the pods of revision 1 got.
    const pod = spec.pods[0]!;
    expect(d.template).toEqual({ labels: pod.labels, ports: pod.ports, behaviour: pod.behaviour, lifecycle: pod.lifecycle });
    expect(d.template.labels['pod-template-hash']).toBe(pod.name.split('-')[1]);
    // Control plane defaults (KUBERNETES.md §13.3-13.4).
    expect({ ...time.controlPlane, endpointPropagation: String(time.controlPlane.endpointPropagation) }).toEqual({
      endpointPropagation: 'lognormal(median=100ms, p99=1s)',
      minSyncPeriod: 1,
      syncTime: null,
      nodeMonitorGracePeriod: 50,
      nodeMonitorPeriod: 5,
      podEvictionTimeout: 300,
    });
  });

  test('strategy (counts, percentages, Recreate) and minReadySeconds', () => {
    const strategy = (lines: string[]) =>
      ok(load({ 's.yaml': CLUSTER + deployment([], { spec: [] }).replace('  template:', [...lines.map((l) => `  ${l}`), '  template:'].join('\n')) + PDB('{maxUnavailable: "50%", selector: {}}') })).spec.time!.deployments[0]!;
    expect(strategy(['strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}', 'minReadySeconds: 10'])).toMatchObject({
      strategy: { kind: 'RollingUpdate', maxSurge: { kind: 'count', value: 1 }, maxUnavailable: { kind: 'count', value: 0 } },
      minReadySeconds: 10,
    });
    expect(strategy(['strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: "50%"}}']).strategy).toEqual({
      kind: 'RollingUpdate',
      maxSurge: { kind: 'percent', value: 50 },
      maxUnavailable: { kind: 'percent', value: 25 },
    });
    expect(strategy(['strategy: {type: Recreate}']).strategy).toEqual({ kind: 'Recreate' });
  });

  test('strategy errors, as the API server words them', () => {
    const bad = (line: string) =>
      failed(load({ 's.yaml': CLUSTER + deployment([]).replace('  template:', `  ${line}\n  template:`) })).errors;
    expect(bad('strategy: {type: Recreate, rollingUpdate: {maxSurge: 1}}')).toEqual([
      "s.yaml:12:45: error: Deployment/web.spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ]);
    expect(bad('strategy: {rollingUpdate: {maxUnavailable: "150%"}}')).toEqual([
      's.yaml:12:46: error: Deployment/web.spec.strategy.rollingUpdate.maxUnavailable: expected at most 100%, found "150%"; Invalid value: must not be greater than 100%',
    ]);
    expect(bad('strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: "0%"}}')).toEqual([
      's.yaml:12:59: error: Deployment/web.spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
    ]);
    expect(bad('strategy: {rollingUpdate: {maxSurge: "1"}}')).toEqual([
      's.yaml:12:40: error: Deployment/web.spec.strategy.rollingUpdate.maxSurge: expected a whole number such as 1, or a percentage such as "25%", found "1"; a number in quotes needs a %; write it without quotes for a count',
    ]);
  });

  test('PodDisruptionBudget: percentages, and exactly one of minAvailable and maxUnavailable', () => {
    const { spec } = ok(load({ 's.yaml': CLUSTER + deployment([]) + PDB('{maxUnavailable: "30%", selector: {matchLabels: {app: web}}}') }));
    expect(spec.time!.disruptionBudgets[0]).toMatchObject({ minAvailable: null, maxUnavailable: { kind: 'percent', value: 30 } });

    const base = CLUSTER + deployment([]);
    const both = failed(load({ 's.yaml': base + PDB('{minAvailable: 1, maxUnavailable: 1, selector: {}}') }));
    expect(both.errors).toEqual(['s.yaml:24:41: error: PodDisruptionBudget/web-pdb.spec.maxUnavailable: expected one of minAvailable and maxUnavailable, found both; minAvailable and maxUnavailable cannot be both set']);
    const neither = failed(load({ 's.yaml': base + PDB('{selector: {matchLabels: {app: web}}}') }));
    expect(neither.errors).toEqual(['s.yaml:24:7: error: PodDisruptionBudget/web-pdb.spec: expected minAvailable or maxUnavailable (a count, or a percentage such as "50%"), found neither; a PodDisruptionBudget needs minAvailable or maxUnavailable']);
    const over = failed(load({ 's.yaml': base + PDB('{minAvailable: "120%", selector: {}}') }));
    expect(over.errors).toEqual(['s.yaml:24:22: error: PodDisruptionBudget/web-pdb.spec.minAvailable: expected at most 100%, found "120%"; must not be greater than 100%']);
    // A retired apiVersion: old manifests still carry it, so it is listed as not used, with the reason.
    const retired = load({ 's.yaml': base + PDB('{minAvailable: 1}', 'old', 'policy/v1beta1') });
    expect(ok(retired).spec.time).toBeUndefined();
    expect(retired.ignored).toEqual([
      expect.objectContaining({ kind: 'PodDisruptionBudget', name: 'old', line: 21, reason: expect.stringMatching(/^Kubernetes stopped serving policy\/v1beta1 in 1\.25; write apiVersion: policy\/v1/) }),
    ]);
  });

  test('PodDisruptionBudget warnings: no selector, matchExpressions, no pod, a pod under two budgets', () => {
    const r = ok(
      load({
        's.yaml':
          CLUSTER +
          deployment([]) +
          PDB('{minAvailable: 1}', 'none') +
          PDB('{minAvailable: 1, selector: {matchExpressions: [{key: app, operator: Exists}]}}', 'expr') +
          PDB('{minAvailable: 1, selector: {matchLabels: {app: api}}}', 'api') +
          PDB('{minAvailable: 1, selector: {matchLabels: {app: web}}}', 'a') +
          PDB('{maxUnavailable: 1, selector: {}}', 'b'),
      }),
    );
    expect(r.warnings.filter((w) => w.includes('PodDisruptionBudget'))).toEqual([
      's.yaml:24:7: warning: PodDisruptionBudget/none.spec: has no selector, so it selects no pod (policy/v1); it is left out',
      's.yaml:29:54: warning: PodDisruptionBudget/expr.spec.selector.matchExpressions: matchExpressions are not read for PodDisruptionBudgets: this budget is left out (write matchLabels)',
      's.yaml:34:35: warning: PodDisruptionBudget/api.spec.selector: matches no pod in namespace default (selector app=api)',
      's.yaml:44:37: warning: PodDisruptionBudget/b.spec.selector: pods ' + r.spec.pods[0]!.name + ', ' + r.spec.pods[1]!.name + ' also match PodDisruptionBudget/a: the Eviction API refuses to evict a pod selected by more than one budget (HTTP 500), so a drain cannot move them',
    ]);
    expect(r.spec.time!.disruptionBudgets.map((b) => b.name)).toEqual(['api', 'a', 'b']);
  });
});

describe('Cluster controlPlane', () => {
  const CP = (lines: string[]) => yaml('apiVersion: netsim/v1', 'kind: Cluster', 'spec:', '  controlPlane:', ...lines.map((l) => `    ${l}`), '---');
  const TL = yaml('apiVersion: netsim/v1', 'kind: Simulation', 'spec: {duration: 60s, warmup: 1s, timeline: [{at: 10s, fail: node-1}]}');

  test('every field read', () => {
    const text = CP(['endpointPropagation: exp(mean=300ms)', 'minSyncPeriod: 10s', 'syncTime: const(200ms)', 'nodeMonitorGracePeriod: 40s', 'nodeMonitorPeriod: 2s', 'podEvictionTimeout: 60s']) + TL;
    const cp = ok(load({ 's.yaml': text })).spec.time!.controlPlane;
    expect({ ...cp, endpointPropagation: String(cp.endpointPropagation), syncTime: String(cp.syncTime) }).toEqual({
      endpointPropagation: 'exp(mean=300ms)',
      minSyncPeriod: 10,
      syncTime: 'const(200ms)',
      nodeMonitorGracePeriod: 40,
      nodeMonitorPeriod: 2,
      podEvictionTimeout: 60,
    });
  });

  test('errors: an unknown field, a bad value, a zero monitor period; without a timeline, a warning', () => {
    const r = failed(load({ 's.yaml': CP(['minSyncPerod: 1s', 'nodeMonitorGracePeriod: fifty']) + TL }));
    expect(r.errors).toEqual([
      's.yaml:5:5: error: Cluster.spec.controlPlane.minSyncPerod: unknown field "minSyncPerod" (did you mean "minSyncPeriod"?); the fields here are endpointPropagation, minSyncPeriod, syncTime, nodeMonitorGracePeriod, nodeMonitorPeriod, podEvictionTimeout, horizontalPodAutoscaler',
      "s.yaml:6:29: error: Cluster.spec.controlPlane.nodeMonitorGracePeriod: expected a duration such as 250us, 1.5ms or 2s, found 'fifty'",
    ]);
    expect(failed(load({ 's.yaml': CP(['nodeMonitorPeriod: 0']) + TL })).errors).toEqual(['s.yaml:5:24: error: Cluster.spec.controlPlane.nodeMonitorPeriod: expected a period above zero, found 0']);
    const quiet = ok(load({ 's.yaml': CP(['minSyncPeriod: 2s']) }));
    expect(quiet.warnings).toContain('s.yaml:4:3: warning: Cluster.spec.controlPlane: has no effect: the scenario has no timeline (Simulation spec.timeline)');
    expect(quiet.spec.time).toBeUndefined();
  });
});

describe('load balancer provider presets', () => {
  const scenario = (lb: string[], serviceAnnotations = '{}') =>
    yaml(
      'apiVersion: netsim/v1',
      'kind: Cluster',
      'spec:',
      '  loadBalancer:',
      ...lb.map((l) => `    ${l}`),
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: web, labels: {app: web}}',
      'spec: {containers: [{name: web}]}',
      '---',
      'apiVersion: v1',
      'kind: Service',
      `metadata: {name: cluster, annotations: ${serviceAnnotations}}`,
      'spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: local}',
      'spec: {type: LoadBalancer, externalTrafficPolicy: Local, selector: {app: web}, ports: [{port: 80}]}',
    );
  const lbs = (lb: string[], ann?: string) => ok(load({ 's.yaml': scenario(lb.length ? lb : ['kind: instance'], ann) })).spec.services.map((s) => s.loadBalancer);

  test.each([
    ['(default) aws-lbc', [], { interval: 10, healthyThreshold: 3, unhealthyThreshold: 3, clusterProbe: 'node-port' }, { interval: 10, healthyThreshold: 3, unhealthyThreshold: 3, clusterProbe: 'node-port' }, 300],
    ['aws-nlb', ['provider: aws-nlb'], { interval: 30, healthyThreshold: 3, unhealthyThreshold: 3, clusterProbe: 'node-port' }, { interval: 10, healthyThreshold: 2, unhealthyThreshold: 2, clusterProbe: 'node-port' }, 300],
    ['aws-clb', ['provider: aws-clb'], { interval: 10, healthyThreshold: 2, unhealthyThreshold: 6, clusterProbe: 'node-port' }, { interval: 10, healthyThreshold: 2, unhealthyThreshold: 6, clusterProbe: 'node-port' }, 0],
    ['gcp', ['provider: gcp'], { interval: 8, healthyThreshold: 1, unhealthyThreshold: 3, clusterProbe: 'kube-proxy' }, { interval: 3, healthyThreshold: 1, unhealthyThreshold: 2, clusterProbe: 'kube-proxy' }, 30],
    ['azure', ['provider: azure'], { interval: 5, healthyThreshold: 2, unhealthyThreshold: 2, clusterProbe: 'node-port' }, { interval: 5, healthyThreshold: 2, unhealthyThreshold: 2, clusterProbe: 'node-port' }, null],
    ['generic', ['provider: generic'], { interval: 10, healthyThreshold: 3, unhealthyThreshold: 3, clusterProbe: 'node-port' }, { interval: 10, healthyThreshold: 3, unhealthyThreshold: 3, clusterProbe: 'node-port' }, null],
  ])('%s: the check by the Service\'s externalTrafficPolicy, the probe, the deregistration delay', (_, lb, cluster, local, delay) => {
    const [c, l] = lbs(lb as string[]);
    expect(c!.healthCheck).toEqual(cluster);
    expect(l!.healthCheck).toEqual(local);
    expect(c!.deregistrationDelay).toBe(delay);
    expect(l!.deregistrationDelay).toBe(delay);
  });

  test('explicit healthCheck fields win over the preset (both policies); Service annotations win over them', () => {
    const [c, l] = lbs(
      ['provider: gcp', 'healthCheck: {interval: 20s, clusterProbe: node-port}', 'deregistrationDelay: none'],
      '{service.beta.kubernetes.io/aws-load-balancer-healthcheck-unhealthy-threshold: "5"}',
    );
    expect(c!.healthCheck).toEqual({ interval: 20, healthyThreshold: 1, unhealthyThreshold: 5, clusterProbe: 'node-port' });
    expect(l!.healthCheck).toEqual({ interval: 20, healthyThreshold: 1, unhealthyThreshold: 2, clusterProbe: 'node-port' });
    expect(c!.deregistrationDelay).toBeNull();
    expect(lbs(['deregistrationDelay: 45s'])[0]!.deregistrationDelay).toBe(45);
  });

  test('an unknown provider or probe is an error', () => {
    const r = failed(load({ 's.yaml': scenario(['provider: aws', 'healthCheck: {clusterProbe: healthz}']) }));
    expect(r.errors).toEqual([
      's.yaml:5:15: error: Cluster.spec.loadBalancer.provider: expected one of "aws-lbc", "aws-nlb", "aws-clb", "gcp", "azure" or "generic", found "aws"',
      's.yaml:6:33: error: Cluster.spec.loadBalancer.healthCheck.clusterProbe: expected one of "kube-proxy" or "node-port", found "healthz"',
    ]);
  });
});
