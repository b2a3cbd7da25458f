/** Annotations, netsim kinds' fields and defaults, as they reach the ModelSpec. */
import { describe, expect, test } from 'vitest';
import { failed, load, ok, yaml } from './helpers.js';

const CLUSTER = yaml(
  'apiVersion: netsim/v1',
  'kind: Cluster',
  'spec:',
  '  zones:',
  '    - {name: a, nodes: 2}',
  '    - {name: b, nodes: 2}',
  '---',
);

const web = (annotations: string[] = [], replicas = 2) =>
  yaml(
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web}',
    'spec:',
    `  replicas: ${replicas}`,
    '  selector: {matchLabels: {app: web}}',
    '  template:',
    '    metadata:',
    '      labels: {app: web}',
    ...(annotations.length ? ['      annotations:', ...annotations.map((a) => `        ${a}`)] : []),
    '    spec: {containers: [{name: web, ports: [{name: http, containerPort: 8080}]}]}',
    '---',
  );

describe('pod behaviour', () => {
  test('defaults', () => {
    const { spec } = ok(load({ 's.yaml': CLUSTER + web() }));
    const b = spec.pods[0]!.behaviour;
    expect([b.concurrency, b.queueCapacity, b.speed, String(b.serviceTime)]).toEqual([8, 1024, 1, 'exp(mean=5ms)']);
  });

  test('netsim/* annotations on the pod template', () => {
    const { spec } = ok(
      load({
        's.yaml':
          CLUSTER +
          web(['netsim/service-time: "lognormal(median=3ms, p99=40ms)"', 'netsim/concurrency: "4"', 'netsim/queue-capacity: "0"', 'netsim/speed: "2.5"', 'netsim/ready: "false"']),
      }),
    );
    const p = spec.pods[0]!;
    expect(String(p.behaviour.serviceTime)).toBe('lognormal(median=3ms, p99=40ms)');
    expect([p.behaviour.concurrency, p.behaviour.queueCapacity, p.behaviour.speed, p.ready]).toEqual([4, 0, 2.5, false]);
  });

  test('bad annotation values, unquoted numbers and unknown netsim annotations', () => {
    const r = failed(load({ 's.yaml': CLUSTER + web(['netsim/concurrency: "many"', 'netsim/speed: 2', 'netsim/service-tme: "exp(mean=1ms)"']) }));
    expect(r.errors).toEqual(['s.yaml:18:29: error: Deployment/web.spec.template.metadata.annotations.netsim/concurrency: expected a whole number >= 1, such as "8", found "many"']);
    expect(r.warnings).toContain('s.yaml:19:23: warning: Deployment/web.spec.template.metadata.annotations.netsim/speed: expected a string, found 2; Kubernetes annotation values are strings; quote it: "2"');
    expect(r.warnings).toContain('s.yaml:20:9: warning: Deployment/web.spec.template.metadata.annotations.netsim/service-tme: unknown annotation "netsim/service-tme" is ignored (did you mean "netsim/service-time"?)');
  });

  test('Workload podBehaviour rules apply after annotations', () => {
    const workload = yaml(
      'apiVersion: netsim/v1',
      'kind: Workload',
      'spec:',
      '  clients: [{name: c, from: {node: a-node-1}, target: {service: web}, rate: 1/s}]',
      '  podBehaviour:',
      '    - {selector: {app: web}, serviceTime: const(2ms), concurrency: 2}',
      '    - {selector: {app: nothing}, speed: 2}',
    );
    const svc = yaml('apiVersion: v1', 'kind: Service', 'metadata: {name: web}', 'spec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}', '---');
    const { spec, warnings } = ok(load({ 's.yaml': CLUSTER + web(['netsim/concurrency: "4"']) + svc + workload }));
    expect(spec.pods.map((p) => [String(p.behaviour.serviceTime), p.behaviour.concurrency])).toEqual([
      ['const(2ms)', 2],
      ['const(2ms)', 2],
    ]);
    expect(warnings).toContain('s.yaml:32:18: warning: Workload.spec.podBehaviour[1].selector: matches no pod (selector app=nothing)');
  });
});

describe('Services and their load balancer', () => {
  const lbService = (annotations: string[], extra: string[] = []) =>
    yaml(
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: web',
      ...(annotations.length ? ['  annotations:', ...annotations.map((a) => `    ${a}`)] : []),
      'spec:',
      '  type: LoadBalancer',
      '  selector: {app: web}',
      '  ports: [{port: 80, targetPort: http}]',
      ...extra,
    );

  test('AWS annotations: ip targets, cross-zone, health check', () => {
    const { spec } = ok(
      load({
        's.yaml':
          CLUSTER +
          web() +
          lbService([
            'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip',
            'service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled: "true"',
            'service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval: "5"',
            'service.beta.kubernetes.io/aws-load-balancer-healthcheck-unhealthy-threshold: "2"',
          ]),
      }),
    );
    expect(spec.services[0]!.loadBalancer).toMatchObject({
      kind: 'ip',
      crossZone: true,
      zones: [],
      healthCheck: { interval: 5, healthyThreshold: 3, unhealthyThreshold: 2 },
    });
  });

  test('netsim/load-balancer wins; topology-mode Auto; eTP Local allocates a health check port', () => {
    const { spec } = ok(
      load({
        's.yaml':
          CLUSTER +
          web() +
          lbService(
            ['netsim/load-balancer: metallb-l2', 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip', 'service.kubernetes.io/topology-mode: Auto'],
            ['  externalTrafficPolicy: Local', '  sessionAffinity: ClientIP', '  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}', '  trafficDistribution: PreferSameZone'],
          ),
      }),
    );
    expect(spec.services[0]).toMatchObject({
      externalTrafficPolicy: 'Local',
      sessionAffinity: 'ClientIP',
      sessionAffinityTimeout: 60,
      trafficDistribution: 'PreferSameZone',
      topologyModeAuto: true,
      loadBalancer: { kind: 'metallb-l2' },
    });
  });

  test('a bad target type', () => {
    const r = failed(load({ 's.yaml': CLUSTER + web() + lbService(['service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ipp']) }));
    expect(r.errors).toEqual(['s.yaml:24:67: error: Service/web.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"]: expected "ip" or "instance", found "ipp"; did you mean "ip"?']);
  });

  test('a named targetPort that no pod declares is a warning', () => {
    const svc = yaml('apiVersion: v1', 'kind: Service', 'metadata: {name: web}', 'spec: {selector: {app: web}, ports: [{port: 80, targetPort: grpc}]}');
    const { warnings } = ok(load({ 's.yaml': CLUSTER + web() + svc }));
    expect(warnings.some((w) => w.includes('no selected pod has a TCP container port named "grpc"'))).toBe(true);
  });

  test('Kubernetes validation: ports, names, nodePort on ClusterIP, selector vs template labels', () => {
    const text = yaml(
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: Web}',
      'spec:',
      '  ports:',
      '    - {port: 80, nodePort: 30080}',
      '    - {port: 81}',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: api}',
      'spec:',
      '  selector: {matchLabels: {app: api}}',
      '  template: {metadata: {labels: {app: apx}}, spec: {containers: [{name: x}]}}',
    );
    const r = failed(load({ 'k.yaml': text }));
    expect(r.errors).toEqual([
      "k.yaml:3:18: error: Service/Web.metadata.name: expected a lowercase RFC 1035 label (lowercase letters, digits and '-', starting with a letter, at most 63 characters), found \"Web\"",
      'k.yaml:6:7: error: Service/Web.spec.ports[0].name: expected a port name, found nothing; each port needs a name when a Service has more than one',
      "k.yaml:6:28: error: Service/Web.spec.ports[0].nodePort: may not be used when `type` is 'ClusterIP'",
      'k.yaml:7:7: error: Service/Web.spec.ports[1].name: expected a port name, found nothing; each port needs a name when a Service has more than one',
      'k.yaml:14:33: error: Deployment/api.spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`',
    ]);
  });
});

describe('clients', () => {
  const svc = yaml('apiVersion: v1', 'kind: Service', 'metadata: {name: web}', 'spec: {type: NodePort, selector: {app: web}, ports: [{name: http, port: 80}]}', '---');
  const workload = (...client: string[]) => yaml('apiVersion: netsim/v1', 'kind: Workload', 'spec:', '  clients:', ...client.map((l, i) => (i === 0 ? `    - ${l}` : `      ${l}`)));

  test('defaults of an external open-loop client', () => {
    const { spec } = ok(load({ 's.yaml': CLUSTER + web() + svc + workload('name: c', 'target: {service: web}', 'rate: 200/s') }));
    const c = spec.clients[0]!;
    expect(c).toMatchObject({
      location: { kind: 'external', zone: null },
      target: { service: 'default/web', port: 80, via: 'nodePort', nodes: [] },
      connection: { kind: 'per-request' },
      sourceIPs: 1000,
      requestBytes: 1024,
      responseBytes: 1024,
      timeout: null,
      retries: 0,
    });
    expect(c.arrival.kind).toBe('open');
    if (c.arrival.kind === 'open') expect(c.arrival.interarrival.mean).toBeCloseTo(0.005, 12);
  });

  test('a closed-loop client with keep-alive, sizes, timeout and retries', () => {
    const { spec } = ok(
      load({
        's.yaml':
          CLUSTER +
          web() +
          svc +
          workload('name: c', 'from: {pod: a-node-2}', 'target: {service: web, port: http}', 'users: 50', 'thinkTime: exp(mean=100ms)', 'connection: keepAlive', 'requestSize: 2KiB', 'responseSize: 1.5MiB', 'timeout: 2s', 'retries: 2'),
      }),
    );
    const c = spec.clients[0]!;
    expect(c).toMatchObject({
      location: { kind: 'pod', node: 'a-node-2' },
      target: { port: 'http', via: 'clusterIP' },
      connection: { kind: 'keep-alive', requestsPerConnection: 1000 },
      sourceIPs: 1,
      requestBytes: 2048,
      responseBytes: 1.5 * 1024 * 1024,
      timeout: 2,
      retries: 2,
    });
    expect(c.arrival.kind === 'closed' && [c.arrival.users, String(c.arrival.thinkTime)]).toEqual([50, 'exp(mean=100ms)']);
  });

  test('timeout none; a ClusterIP Service with externalIPs is reached via externalIP from outside', () => {
    const ext = yaml('apiVersion: v1', 'kind: Service', 'metadata: {name: ext}', 'spec: {selector: {app: web}, externalIPs: [10.0.0.99], ports: [{port: 80}]}', '---');
    const { spec } = ok(load({ 's.yaml': CLUSTER + web() + ext + workload('name: c', 'target: {service: ext, nodes: [b-node-1]}', 'interarrival: const(10ms)', 'timeout: none') }));
    expect(spec.clients[0]).toMatchObject({ timeout: null, target: { via: 'externalIP', nodes: ['b-node-1'] } });
    expect(spec.clients[0]!.arrival.kind === 'open' && String(spec.clients[0]!.arrival.interarrival)).toBe('const(10ms)');
  });

  test('rate, interarrival and users are exclusive', () => {
    const r = failed(load({ 's.yaml': CLUSTER + web() + svc + workload('name: c', 'target: {service: web}', 'rate: 1/s', 'users: 3', 'thinkTime: 1s') }));
    expect(r.errors).toEqual([
      's.yaml:31:14: error: Workload.spec.clients[0].users: give only one of rate, interarrival and users (found rate and users)',
    ]);
  });

  test('the connection forms, and a bad one', () => {
    const r = failed(load({ 's.yaml': CLUSTER + web() + svc + workload('name: c', 'target: {service: web}', 'rate: 1/s', 'connection: {keepalive: {}}') }));
    expect(r.errors).toEqual([
      's.yaml:31:19: error: Workload.spec.clients[0].connection: expected perRequest, keepAlive, {keepAlive: {requestsPerConnection: N}} or {pool: {connections: N}}, found a mapping; unknown field "keepalive" (did you mean "keepAlive"?)',
    ]);
  });

  test('from: a typo of external', () => {
    const r = failed(load({ 's.yaml': CLUSTER + web() + svc + workload('name: c', 'from: externl', 'target: {service: web}', 'rate: 1/s') }));
    expect(r.errors).toEqual([
      's.yaml:29:13: error: Workload.spec.clients[0].from: expected external, {zone: <zone>}, {pod: <pod or node>} or {node: <node>}, found "externl"; did you mean "external"?',
    ]);
  });
});

describe('Cluster and Simulation', () => {
  test('nodes list with zones, labels and addresses; network and kube-proxy settings', () => {
    const text = yaml(
      'apiVersion: netsim/v1',
      'kind: Cluster',
      'spec:',
      '  nodes:',
      '    - {name: n1, zone: z1, ip: 192.168.1.10, cpu: 16, labels: {disk: ssd}}',
      '    - {name: n2, labels: {topology.kubernetes.io/zone: z2}}',
      '  network:',
      '    sameZone: const(100us)',
      '  kubeProxy: {mode: ipvs, ipvsScheduler: lc, connectionCost: const(12us)}',
    );
    const { spec } = ok(load({ 'c.yaml': text }));
    expect(spec.nodes).toEqual([
      { name: 'n1', zone: 'z1', ip: '192.168.1.10', cpu: 16, labels: { 'kubernetes.io/hostname': 'n1', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64', 'topology.kubernetes.io/zone': 'z1', disk: 'ssd' } },
      { name: 'n2', zone: 'z2', ip: '10.0.0.10', cpu: 4, labels: { 'kubernetes.io/hostname': 'n2', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64', 'topology.kubernetes.io/zone': 'z2' } },
    ]);
    expect(String(spec.network.sameZone)).toBe('const(100us)');
    expect(String(spec.network.crossZone)).toBe('lognormal(median=500us, p99=1.5ms)');
    expect(spec.kubeProxy).toMatchObject({ mode: 'ipvs', ipvsScheduler: 'lc', servicePorts: 0, conntrackMax: 131072 });
    expect(String(spec.kubeProxy.connectionCost)).toBe('const(12us)');
    // 16 cores would give 524288, but one node has 4: the smallest node decides
    expect(spec.kubeProxy.conntrackMax).toBe(131072);
  });

  test('simulation defaults and checks', () => {
    expect(ok(load({ 's.yaml': 'apiVersion: netsim/v1\nkind: Simulation\n' })).spec.simulation).toEqual({ seed: 1, duration: 60, requests: null, warmup: 'auto' });
    expect(ok(load({ 's.yaml': 'apiVersion: netsim/v1\nkind: Simulation\nspec: {requests: 100000, seed: abc}\n' })).spec.simulation).toEqual({
      seed: 'abc',
      duration: null,
      requests: 100000,
      warmup: 'auto',
    });
    const r = failed(load({ 's.yaml': 'apiVersion: netsim/v1\nkind: Simulation\nspec: {duration: 10s, warmup: 20s}\n' }));
    expect(r.errors).toEqual(['s.yaml:3:31: error: Simulation.spec.warmup: expected a warmup shorter than the duration (10 s), found 20 s']);
  });

  test('two Clusters are an error', () => {
    const r = failed(load({ 'a.yaml': 'apiVersion: netsim/v1\nkind: Cluster\nspec: {nodes: [{name: x}]}\n', 'b.yaml': 'apiVersion: netsim/v1\nkind: Cluster\nspec: {nodes: [{name: y}]}\n' }));
    expect(r.errors).toEqual(['b.yaml:1:1: error: Cluster: a scenario has one Cluster; another is at a.yaml:1:1']);
  });

  test('empirical distributions read their file relative to the scenario', () => {
    const files: Record<string, string> = { '/m/data/rtt.csv': '0.1ms\n0.2ms\n0.3ms\n' };
    const readFile = (p: string) => {
      if (files[p] === undefined) throw new Error(`ENOENT: ${p}`);
      return files[p]!;
    };
    const text = 'apiVersion: netsim/v1\nkind: Cluster\nspec:\n  nodes: [{name: x}]\n  network: {sameZone: empirical(data/rtt.csv)}\n';
    const { spec } = ok(load({ '/m/c.yaml': text }, { readFile }));
    expect(spec.network.sameZone.mean).toBeCloseTo(0.0002, 9);
    const bad = failed(load({ '/m/c.yaml': text.replace('rtt.csv', 'nope.csv') }, { readFile }));
    expect(bad.errors[0]).toMatch(/^\/m\/c\.yaml:5:33: error: Cluster\.spec\.network\.sameZone: .*nope\.csv/);
  });
});
