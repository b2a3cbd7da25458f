/**
 * The Simulation's timeline -> ModelSpec.time.timeline: every verb, time order, rollout templates built by
 * the same code as pods, and every error and warning with its file:line:col.
 */
import { describe, expect, test } from 'vitest';
import type { TimelineEvent } from '../../src/model/control/spec.js';
import { failed, load, ok, yaml } from './helpers.js';

const BASE = yaml(
  /*  1 */ 'apiVersion: netsim/v1',
  /*  2 */ 'kind: Cluster',
  /*  3 */ 'spec:',
  /*  4 */ '  zones: [{name: a, nodes: 2}, {name: b, nodes: 1}]',
  /*  5 */ '---',
  /*  6 */ 'apiVersion: apps/v1',
  /*  7 */ 'kind: Deployment',
  /*  8 */ 'metadata: {name: web}',
  /*  9 */ 'spec:',
  /* 10 */ '  replicas: 3',
  /* 11 */ '  selector: {matchLabels: {app: web}}',
  /* 12 */ '  template:',
  /* 13 */ '    metadata:',
  /* 14 */ '      labels: {app: web}',
  /* 15 */ '      annotations: {netsim/service-time: "exp(mean=5ms)", netsim/concurrency: "4"}',
  /* 16 */ '    spec:',
  /* 17 */ '      containers:',
  /* 18 */ '        - name: web',
  /* 19 */ '          ports: [{name: http, containerPort: 8080}]',
  /* 20 */ '          lifecycle: {preStop: {sleep: {seconds: 5}}}',
  /* 21 */ '---',
  /* 22 */ 'apiVersion: v1',
  /* 23 */ 'kind: Service',
  /* 24 */ 'metadata: {name: web}',
  /* 25 */ 'spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80, targetPort: http}]}',
  /* 26 */ '---',
  /* 27 */ 'apiVersion: netsim/v1',
  /* 28 */ 'kind: Workload',
  /* 29 */ 'spec: {clients: [{name: c, target: {service: web}, rate: 100/s}]}',
  /* 30 */ '---',
  /* 31 */ 'apiVersion: netsim/v1',
  /* 32 */ 'kind: Simulation',
  /* 33 */ 'spec:',
);

/** The scenario with a Simulation of `spec` lines (from line 34) and timeline events (after them). */
const scenario = (events: string[], spec: string[] = ['duration: 300s', 'warmup: 5s'], extra = '') =>
  BASE + yaml(...spec.map((l) => `  ${l}`), '  timeline:', ...events.map((e) => `    ${e}`)) + extra;

const podNames = ok(load({ 's.yaml': BASE + '  duration: 300s\n' })).spec.pods.map((p) => p.name);

/** The timeline of a scenario that must load. */
function events(text: string): TimelineEvent[] {
  return ok(load({ 's.yaml': text })).spec.time!.timeline as TimelineEvent[];
}

describe('every verb', () => {
  test('the example of docs/scenarios.md maps to TimelineEvents, with the source of each', () => {
    const list = events(
      scenario([
        '- at: 60s',
        '  rollout: Deployment/web',
        '  template:',
        '    metadata: {annotations: {netsim/service-time: "exp(mean=3ms)"}}',
        '- {at: 90s, scale: Deployment/web, replicas: 6}',
        `- {at: 100s, delete: Pod/${podNames[0]}}`,
        '- {at: 110s, cordon: a-node-2}',
        '- {at: 115s, uncordon: a-node-2}',
        '- {at: 120s, drain: a-node-1}',
        '- {at: 150s, fail: b-node-1}',
        '- {at: 160s, recover: b-node-1}',
        '- {at: 170s, failZone: a}',
        '- {at: 180s, recoverZone: a}',
        '- {at: 200s, set: {Service/web.spec.externalTrafficPolicy: Local, Service/web.spec.internalTrafficPolicy: Local}}',
      ]),
    );
    const plain = list.map((e) => (e.kind === 'rollout' ? { ...e, template: '...' } : e));
    expect(plain).toEqual([
      { at: 60, source: 's.yaml:37:7', kind: 'rollout', deployment: 'default/web', template: '...' },
      { at: 90, source: 's.yaml:41:7', kind: 'scale', deployment: 'default/web', replicas: 6 },
      { at: 100, source: 's.yaml:42:7', kind: 'delete-pod', pod: `default/${podNames[0]}` },
      { at: 110, source: 's.yaml:43:7', kind: 'cordon', node: 'a-node-2' },
      { at: 115, source: 's.yaml:44:7', kind: 'uncordon', node: 'a-node-2' },
      { at: 120, source: 's.yaml:45:7', kind: 'drain', node: 'a-node-1' },
      { at: 150, source: 's.yaml:46:7', kind: 'fail-node', node: 'b-node-1' },
      { at: 160, source: 's.yaml:47:7', kind: 'recover-node', node: 'b-node-1' },
      { at: 170, source: 's.yaml:48:7', kind: 'fail-zone', zone: 'a' },
      { at: 180, source: 's.yaml:49:7', kind: 'recover-zone', zone: 'a' },
      { at: 200, source: 's.yaml:50:7', kind: 'set-policy', service: 'default/web', externalTrafficPolicy: 'Local', internalTrafficPolicy: 'Local' },
    ]);
  });

  test('references: namespace/name, kubectl kind names, a Node/ prefix', () => {
    const list = events(scenario(['- {at: 1s, scale: default/web, replicas: 1}', '- {at: 2s, scale: deploy/web, replicas: 2}', '- {at: 3s, scale: Deployment/default/web, replicas: 3}', '- {at: 4s, cordon: Node/a-node-1}', `- {at: 5s, delete: ${podNames[1]}}`]));
    expect(list.map((e) => ('deployment' in e ? e.deployment : 'node' in e ? e.node : 'pod' in e ? e.pod : ''))).toEqual(['default/web', 'default/web', 'default/web', 'a-node-1', `default/${podNames[1]}`]);
  });

  test('events are sorted by time, ties kept in the order written', () => {
    const list = events(scenario(['- {at: 30s, cordon: a-node-1}', '- {at: 10s, cordon: a-node-2}', '- {at: 30s, cordon: b-node-1}', '- {at: 10s, uncordon: a-node-2}']));
    expect(list.map((e) => [e.at, e.kind, 'node' in e ? e.node : ''])).toEqual([
      [10, 'cordon', 'a-node-2'],
      [10, 'uncordon', 'a-node-2'],
      [30, 'cordon', 'a-node-1'],
      [30, 'cordon', 'b-node-1'],
    ]);
  });

  test('--set reaches timeline events like any other field', () => {
    const r = ok(load({ 's.yaml': scenario(['- {at: 30s, cordon: a-node-1}']) }, { set: ['Simulation.spec.timeline[0].at=45s'] }));
    expect(r.spec.time!.timeline[0]!.at).toBe(45);
  });
});

describe('rollouts', () => {
  const rollouts = (events_: string[]) =>
    events(scenario(events_)).filter((e): e is Extract<TimelineEvent, { kind: 'rollout' }> => e.kind === 'rollout');
  const revisionOne = () => ok(load({ 's.yaml': scenario(['- {at: 1s, cordon: a-node-1}']) })).spec.time!.deployments[0]!.template;

  test('a changed annotation gives a template with the new service time; the rest is revision 1\'s', () => {
    const [r] = rollouts(['- at: 60s', '  rollout: web', '  template: {metadata: {annotations: {netsim/service-time: "exp(mean=3ms)"}}}']);
    const one = revisionOne();
    expect(String(r!.template.behaviour.serviceTime)).toBe('exp(mean=3ms)');
    expect(String(one.behaviour.serviceTime)).toBe('exp(mean=5ms)');
    expect(r!.template.behaviour.concurrency).toBe(4);
    expect(r!.template.ports).toEqual(one.ports);
    expect(r!.template.lifecycle).toEqual(one.lifecycle);
    expect(r!.template.labels['app']).toBe('web');
    expect(r!.template.labels['pod-template-hash']).not.toBe(one.labels['pod-template-hash']);
  });

  test('without a template: a restart (the same template, a new pod-template-hash)', () => {
    const [r] = rollouts(['- {at: 60s, rollout: Deployment/web}']);
    const one = revisionOne();
    expect({ ...r!.template, labels: { app: 'web' } }).toEqual({ ...one, labels: { app: 'web' } });
    expect(r!.template.labels['pod-template-hash']).not.toBe(one.labels['pod-template-hash']);
  });

  test('rollouts build on each other in time order; null removes an annotation', () => {
    const [first, second] = rollouts([
      '- {at: 90s, rollout: web, template: {metadata: {annotations: {netsim/concurrency: null}}}}',
      '- {at: 60s, rollout: web, template: {metadata: {annotations: {netsim/service-time: "const(1ms)"}}}}',
    ]);
    expect([first!.at, String(first!.template.behaviour.serviceTime), first!.template.behaviour.concurrency]).toEqual([60, 'const(1ms)', 4]);
    expect([second!.at, String(second!.template.behaviour.serviceTime), second!.template.behaviour.concurrency]).toEqual([90, 'const(1ms)', 8]);
  });

  test('containers merge by name: a new preStop and grace period, ports kept; lifecycle annotations too', () => {
    const [r] = rollouts([
      '- at: 60s',
      '  rollout: web',
      '  template:',
      '    metadata: {annotations: {netsim/shutdown: immediate, netsim/startup-time: "const(30s)"}}',
      '    spec:',
      '      terminationGracePeriodSeconds: 60',
      '      containers: [{name: web, lifecycle: {preStop: {sleep: null, exec: {command: [sleep, "20"]}}}, readinessProbe: {httpGet: {port: 8080}}}]',
    ]);
    expect(r!.template.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect({ ...r!.template.lifecycle, startup: String(r!.template.lifecycle.startup) }).toEqual({
      startup: 'const(30s)',
      readiness: { initialDelay: 0, period: 10, successThreshold: 1, failureThreshold: 3 },
      preStop: 20,
      terminationGracePeriod: 60,
      shutdown: 'immediate',
    });
  });

  test('a hook changed without removing the old handler: the API server\'s error, with the way out', () => {
    const r = failed(load({ 's.yaml': scenario(['- {at: 60s, rollout: web, template: {spec: {containers: [{name: web, lifecycle: {preStop: {exec: {command: [sleep, "20"]}}}}]}}}']) }));
    expect(r.errors).toEqual([
      "s.yaml:37:95: error: Simulation.spec.timeline[0].template.spec.containers[0].lifecycle.preStop: Forbidden: may not specify more than 1 handler type (found exec and sleep); a rollout's template change merges into the hook it changes: set the old handler to null",
    ]);
  });

  test('errors in the merged template point at the event that wrote them', () => {
    const r = failed(
      load({
        's.yaml': scenario([
          '- {at: 60s, rollout: web, template: {metadata: {annotations: {netsim/service-time: "exp(mean=3xs)"}}}}',
          '- {at: 70s, rollout: web, template: {metadata: {labels: {app: api}}}}',
          '- {at: 80s, rollout: web, template: {spec: {terminationGracePeriodSeconds: -1}}}',
        ]),
      }),
    );
    expect(r.errors).toEqual([
      "s.yaml:37:99: error: Simulation.spec.timeline[0].template.metadata.annotations.netsim/service-time: expected a duration such as 250us, 1.5ms or 2s for 'mean', found '3xs' (unknown unit 'xs')",
      's.yaml:38:61: error: Simulation.spec.timeline[1].template.metadata.labels: Invalid value: `selector` does not match template `labels` (a Deployment\'s selector cannot change)',
      's.yaml:39:80: error: Simulation.spec.timeline[2].template.spec.terminationGracePeriodSeconds: expected a number >= 0, found -1',
    ]);
  });

  test('warnings: a template that changes nothing (left out), an annotation a podBehaviour rule overrides', () => {
    const rule = yaml('---', 'apiVersion: netsim/v1', 'kind: Workload', 'spec:', '  clients: [{name: d, target: {service: web}, rate: 1/s}]', '  podBehaviour: [{selector: {app: web}, serviceTime: const(2ms)}]');
    const r = ok(
      load({
        's.yaml': scenario(
          [
            '- {at: 60s, rollout: web, template: {metadata: {annotations: {netsim/concurrency: "4"}}}}',
            '- {at: 70s, rollout: web, template: {metadata: {annotations: {netsim/service-time: "exp(mean=1ms)"}}}}',
          ],
          undefined,
          rule,
        ),
      }),
    );
    expect(r.warnings).toEqual([
      's.yaml:37:41: warning: Simulation.spec.timeline[0].template: changes nothing in the pod template, and Kubernetes starts no rollout for an unchanged template: the event is left out (leave out template for a restart, like kubectl rollout restart)',
      's.yaml:38:88: warning: Simulation.spec.timeline[1].template.metadata.annotations.netsim/service-time: has no effect: a Workload podBehaviour rule sets serviceTime for these pods, over the annotation',
    ]);
    expect(r.spec.time!.timeline.map((e) => e.at)).toEqual([70]);
  });

  test('a changed placement field is warned about (a PodTemplateSpec carries no placement)', () => {
    const r = ok(load({ 's.yaml': scenario(['- {at: 60s, rollout: web, template: {spec: {nodeSelector: {disk: ssd}}}}']) }));
    expect(r.warnings).toEqual([
      "s.yaml:37:49: warning: Simulation.spec.timeline[0].template.spec.nodeSelector: is not passed on: the model places the new pods of a rollout by its own rule, not by the template's placement fields",
    ]);
  });
});

describe('errors, each at its place', () => {
  test.each([
    ['an unknown Deployment', '- {at: 10s, rollout: Deployment/wbe}', 's.yaml:37:26: error: Simulation.spec.timeline[0].rollout: expected a Deployment of the scenario (web), found "Deployment/wbe"; no Deployment "default/wbe" (did you mean "web"?)'],
    ['a kind that is not a Deployment', '- {at: 10s, scale: StatefulSet/web, replicas: 2}', 's.yaml:37:24: error: Simulation.spec.timeline[0].scale: expected a Deployment (Deployment/name), found "StatefulSet/web"; a timeline can scale Deployments only'],
    ['an unknown pod', '- {at: 10s, delete: Pod/web-1}', 's.yaml:37:25: error: Simulation.spec.timeline[0].delete: expected a pod of the scenario at the start of the run (netsim describe FILES pods lists them), found "Pod/web-1"; no pod "default/web-1"'],
    ['an unknown node', '- {at: 10s, drain: a-node-3}', 's.yaml:37:24: error: Simulation.spec.timeline[0].drain: expected a node of the cluster (a-node-1, a-node-2, b-node-1), found "a-node-3"; did you mean "a-node-1"?'],
    ['an unknown zone', '- {at: 10s, failZone: c}', 's.yaml:37:27: error: Simulation.spec.timeline[0].failZone: expected a zone of the cluster (a, b), found "c"; did you mean "a"?'],
    ['a negative time', '- {at: -5s, cordon: a-node-1}', "s.yaml:37:12: error: Simulation.spec.timeline[0].at: expected a duration such as 250us, 1.5ms or 2s, found '-5s' (cannot be negative)"],
    ['a time at or after the end', '- {at: 300s, cordon: a-node-1}', 's.yaml:37:12: error: Simulation.spec.timeline[0].at: expected a time before the end of the run, found 300s; the run ends at 300s'],
    ['scale to a negative count', '- {at: 10s, scale: web, replicas: -1}', 's.yaml:37:39: error: Simulation.spec.timeline[0].replicas: expected a number >= 0, found -1'],
    ['scale without replicas', '- {at: 10s, scale: web}', 's.yaml:37:7: error: Simulation.spec.timeline[0].replicas: expected replicas (a whole number >= 0), found nothing; scale needs replicas: the new spec.replicas'],
    ['replicas without scale', '- {at: 10s, drain: a-node-1, replicas: 2}', 's.yaml:37:34: error: Simulation.spec.timeline[0].replicas: replicas goes with scale'],
    ['two verbs in one event', '- {at: 10s, drain: a-node-1, cordon: a-node-2}', 's.yaml:37:17: error: Simulation.spec.timeline[0].drain: an event does one thing: give only one of cordon and drain (write two events with the same at)'],
    ['no verb', '- {at: 10s}', 's.yaml:37:7: error: Simulation.spec.timeline[0]: an event needs one of rollout, scale, delete, cordon, uncordon, drain, fail, recover, failZone, recoverZone, set'],
    ['an unknown key', '- {at: 10s, drian: a-node-1}', 's.yaml:37:17: error: Simulation.spec.timeline[0].drian: unknown field "drian" (did you mean "drain"?); the fields here are at, rollout, template, scale, replicas, delete, cordon, uncordon, drain, fail, recover, failZone, recoverZone, set'],
    ['set of a field that cannot change', '- {at: 10s, set: {Service/web.spec.type: NodePort}}', 's.yaml:37:23: error: Simulation.spec.timeline[0].set["Service/web.spec.type"]: expected Service/NAME.spec.externalTrafficPolicy or Service/NAME.spec.internalTrafficPolicy, found "Service/web.spec.type"; only a Service\'s traffic policies can change during a run (other fields: set them in the files, or vary them with --set or a sweep)'],
    ['set of an unknown Service', '- {at: 10s, set: {Service/wb.spec.externalTrafficPolicy: Local}}', 's.yaml:37:23: error: Simulation.spec.timeline[0].set["Service/wb.spec.externalTrafficPolicy"]: expected a Service of the scenario, found "Service/wb.spec.externalTrafficPolicy"; no Service "default/wb" (did you mean "web"?)'],
    ['set to a bad value', '- {at: 10s, set: {Service/web.spec.externalTrafficPolicy: local}}', 's.yaml:37:63: error: Simulation.spec.timeline[0].set["Service/web.spec.externalTrafficPolicy"]: expected "Cluster" or "Local", found "local"'],
  ])('%s', (_, event, error) => {
    expect(failed(load({ 's.yaml': scenario([event]) })).errors).toEqual([error]);
  });

  test('a timeline needs a duration; the default one is named', () => {
    const r = failed(load({ 's.yaml': scenario(['- {at: 10s, cordon: a-node-1}'], ['requests: 1000', 'warmup: 1s']) }));
    expect(r.errors).toEqual(['s.yaml:36:3: error: Simulation.spec.timeline: a timeline needs time: set spec.duration (the run may still stop early after spec.requests)']);
    const d = failed(load({ 's.yaml': scenario(['- {at: 90s, cordon: a-node-1}'], ['warmup: 1s']) }));
    expect(d.errors).toEqual(['s.yaml:36:12: error: Simulation.spec.timeline[0].at: expected a time before the end of the run, found 90s; the run ends at 60s (the default duration; set spec.duration)']);
  });

  test('a bad event does not hide the problems of the others', () => {
    const r = failed(load({ 's.yaml': scenario(['- {at: 10s, drian: a-node-1}', '- {at: 20s, fail: a-node-9}']) }));
    expect(r.errors).toEqual([
      expect.stringMatching(/^s\.yaml:37:17: error: Simulation\.spec\.timeline\[0\]\.drian: unknown field/),
      's.yaml:38:23: error: Simulation.spec.timeline[1].fail: expected a node of the cluster (a-node-1, a-node-2, b-node-1), found "a-node-9"; did you mean "a-node-1"?',
    ]);
  });
});

describe('warnings', () => {
  test('recovering what never failed, uncordoning what was never cordoned', () => {
    const r = ok(load({ 's.yaml': scenario(['- {at: 10s, recover: a-node-1}', '- {at: 20s, recoverZone: b}', '- {at: 30s, uncordon: a-node-2}', '- {at: 40s, failZone: a}', '- {at: 50s, recover: a-node-1}']) }));
    expect(r.warnings).toEqual([
      's.yaml:37:26: warning: Simulation.spec.timeline[0].recover: has no effect: node a-node-1 was not failed before 10s',
      's.yaml:38:30: warning: Simulation.spec.timeline[1].recoverZone: has no effect: zone b was not failed before 20s',
      's.yaml:39:27: warning: Simulation.spec.timeline[2].uncordon: has no effect: node a-node-2 was not cordoned or drained before 30s',
    ]);
  });

  test('a drain that a PodDisruptionBudget forbids forever names the budget and the node', () => {
    const pdb = (name: string, spec: string) => yaml('---', 'apiVersion: policy/v1', 'kind: PodDisruptionBudget', `metadata: {name: ${name}}`, `spec: ${spec}`);
    const text = (budget: string, events_ = ['- {at: 10s, drain: a-node-1}']) => scenario(events_, undefined, budget);
    const pod = ok(load({ 's.yaml': text(pdb('all', '{minAvailable: 3, selector: {matchLabels: {app: web}}}')) }));
    const onNode1 = pod.spec.pods.filter((p) => p.nodeName === 'a-node-1').map((p) => p.name);
    expect(pod.warnings).toEqual([
      `s.yaml:37:24: warning: Simulation.spec.timeline[0].drain: PodDisruptionBudget/all forbids every eviction (minAvailable 3 of 3 pods lets no pod go): draining a-node-1 waits forever for ${onNode1.join(', ')} (kubectl drain retries every 5s)`,
    ]);
    expect(ok(load({ 's.yaml': text(pdb('zero', '{maxUnavailable: 0, selector: {matchLabels: {app: web}}}')) })).warnings[0]).toContain('PodDisruptionBudget/zero forbids every eviction (maxUnavailable 0 lets no pod go): draining a-node-1');
    expect(ok(load({ 's.yaml': text(pdb('pct', '{minAvailable: "90%", selector: {matchLabels: {app: web}}}')) })).warnings[0]).toContain('(minAvailable 90% of 3 pods lets no pod go)');
    // Allowed: one pod may go; or the Deployment was scaled up before the drain.
    expect(ok(load({ 's.yaml': text(pdb('one', '{minAvailable: 2, selector: {matchLabels: {app: web}}}')) })).warnings).toEqual([]);
    expect(ok(load({ 's.yaml': text(pdb('all', '{minAvailable: 3, selector: {matchLabels: {app: web}}}'), ['- {at: 5s, scale: web, replicas: 4}', '- {at: 10s, drain: a-node-1}']) })).warnings).toEqual([]);
  });

  test('warmup auto with a timeline; an event during the warm-up', () => {
    const r = ok(load({ 's.yaml': scenario(['- {at: 40s, cordon: a-node-1}'], ['duration: 300s']) }));
    expect(r.warnings).toEqual(["s.yaml:33:1: warning: Simulation.spec.warmup: warmup auto (MSER-5) may take an event's transient for the warm-up and leave it out of the statistics: give a warm-up shorter than the first event (40s)"]);
    const w = ok(load({ 's.yaml': scenario(['- {at: 2s, cordon: a-node-1}']) }));
    expect(w.warnings).toEqual(['s.yaml:37:12: warning: Simulation.spec.timeline[0].at: happens during the warm-up (5s): requests sent before then are left out of the statistics']);
  });
});
