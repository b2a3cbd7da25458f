/**
 * Bad input: one diagnostic per problem, with the exact file:line:col, the field's path, what was
 * expected and what was found; all problems of a file reported together; nothing returned.
 */
import { describe, expect, test } from 'vitest';
import { failed, load, ok, TWO_NODE_CLUSTER, yaml } from './helpers.js';

const MANY_PROBLEMS = yaml(
  /*  1 */ 'apiVersion: netsim/v1',
  /*  2 */ 'kind: Cluster',
  /*  3 */ 'spec:',
  /*  4 */ '  zones:',
  /*  5 */ '    - {name: a, nodes: 2}',
  /*  6 */ '  netwrok:',
  /*  7 */ '    sameZone: const(1ms)',
  /*  8 */ '---',
  /*  9 */ 'apiVersion: apps/v1',
  /* 10 */ 'kind: Deployment',
  /* 11 */ 'metadata:',
  /* 12 */ '  name: web',
  /* 13 */ 'spec:',
  /* 14 */ '  replicas: three',
  /* 15 */ '  selector:',
  /* 16 */ '    matchLabels: {app: web}',
  /* 17 */ '  template:',
  /* 18 */ '    metadata:',
  /* 19 */ '      labels: {app: web}',
  /* 20 */ '    spec:',
  /* 21 */ '      containers: [{name: web, image: nginx, imagePullPolicy: Always}]',
  /* 22 */ '---',
  /* 23 */ 'apiVersion: v1',
  /* 24 */ 'kind: Service',
  /* 25 */ 'metadata:',
  /* 26 */ '  name: web',
  /* 27 */ 'spec:',
  /* 28 */ '  type: NodePort',
  /* 29 */ '  selector: {app: web}',
  /* 30 */ '  ports:',
  /* 31 */ '    - port: 80',
  /* 32 */ '      nodePort: 40000',
  /* 33 */ '---',
  /* 34 */ 'apiVersion: netsim/v1',
  /* 35 */ 'kind: Workload',
  /* 36 */ 'spec:',
  /* 37 */ '  clients:',
  /* 38 */ '    - name: c1',
  /* 39 */ '      from: external',
  /* 40 */ '      target: {service: wbe}',
  /* 41 */ '      rate: 100/s',
  /* 42 */ '    - name: c2',
  /* 43 */ '      target: {service: web}',
  /* 44 */ '      interarrival: lognormal(median=3ms, p99=4x0ms)',
);

describe('several problems in one file', () => {
  const r = failed(load({ 'bad.yaml': MANY_PROBLEMS }));

  test('are all reported, each exactly once, in file order', () => {
    expect(r.errors).toEqual([
      'bad.yaml:6:3: error: Cluster.spec.netwrok: unknown field "netwrok" (did you mean "network"?); the fields here are region, zones, nodes, serviceCIDR, podCIDR, nodeCIDR, loadBalancerCIDR, nodePortRange, network, kubeProxy, dataPlane, cilium, mesh, loadBalancer, controlPlane, dns, ingressControllers, nodeGroups, clusterAutoscaler',
      'bad.yaml:14:13: error: Deployment/web.spec.replicas: expected a number, found "three"',
      'bad.yaml:32:17: error: Service/web.spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767',
      'bad.yaml:40:25: error: Workload.spec.clients[0].target.service: expected the name of a Service in the scenario, found "wbe"; no Service "wbe" (did you mean "web"?)',
      "bad.yaml:44:48: error: Workload.spec.clients[1].interarrival: expected a duration such as 250us, 1.5ms or 2s for 'p99', found '4x0ms' (unknown unit 'x0ms')",
    ]);
  });

  test('carry expected and found as fields', () => {
    const replicas = r.all.find((d) => d.path === 'Deployment/web.spec.replicas')!;
    expect(replicas).toMatchObject({ file: 'bad.yaml', line: 14, col: 13, expected: 'a number', found: '"three"', severity: 'error' });
    const unknown = r.all.find((d) => d.path === 'Cluster.spec.netwrok')!;
    expect(unknown.found).toBe('"netwrok"');
    expect(unknown.expected).toContain('network');
  });

  test('do not cascade: the failed Deployment does not make the Service report "no endpoints"', () => {
    expect(r.warnings.filter((w) => w.includes('no endpoints'))).toEqual([]);
  });

  test('Kubernetes kinds tolerate fields the simulator does not read', () => {
    expect(r.all.some((d) => d.message.includes('imagePullPolicy'))).toBe(false);
  });
});

describe('one problem at a time', () => {
  const withWeb = (extra: string) =>
    yaml(
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: web}',
      'spec:',
      '  type: NodePort',
      '  selector: {app: web}',
      '  ports: [{port: 80, nodePort: 30080}]',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: web-1, labels: {app: web}}',
      'spec: {containers: [{name: web}]}',
      '---',
    ) + extra;

  test('wrong type in a netsim kind', () => {
    const r = failed(load({ 's.yaml': withWeb(yaml('apiVersion: netsim/v1', 'kind: Workload', 'spec:', '  clients:', '    - name: c', '      target: {service: web}', '      rate: 10/s', '      retries: [1]')) }));
    expect(r.errors).toEqual(['s.yaml:21:16: error: Workload.spec.clients[0].retries: expected a number, found a list']);
  });

  test('unknown field in a netsim kind is an error, at the key', () => {
    const r = failed(load({ 's.yaml': yaml('apiVersion: netsim/v1', 'kind: Simulation', 'spec:', '  duration: 10s', '  sed: 42') }));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^s\.yaml:5:3: error: Simulation\.spec\.sed: unknown field "sed" \(did you mean "seed"\?\)/);
  });

  test('a likely typo in a Kubernetes kind is a warning, not an error', () => {
    const text = yaml(
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: web}',
      'spec:',
      '  selector: {app: web}',
      '  externalTraficPolicy: Local',
      '  ports: [{port: 80}]',
    );
    const { warnings } = ok(load({ 's.yaml': text }));
    expect(warnings).toContain('s.yaml:6:3: warning: Service/web.spec.externalTraficPolicy: unknown field "externalTraficPolicy" is ignored (did you mean "externalTrafficPolicy"?)');
  });

  test('a bad duration inside a distribution string: the column points into the string', () => {
    const text = yaml(
      'apiVersion: netsim/v1',
      'kind: Cluster',
      'spec:',
      '  nodes: [{name: n1}]',
      '  network:',
      '    crossZone: "lognormal(median=500us, p99=1.5xs)"',
    );
    const r = failed(load({ 'c.yaml': text }));
    // col 16 is the opening quote, the value starts at 17, and the unit 'xs' of '1.5xs' 31 characters in
    expect(r.errors).toEqual(["c.yaml:6:48: error: Cluster.spec.network.crossZone: expected a duration such as 250us, 1.5ms or 2s for 'p99', found '1.5xs' (unknown unit 'xs')"]);
    expect(r.all[0]).toMatchObject({ line: 6, col: 48, length: 2 });
  });

  test('a bad distribution in a pod annotation points into the annotation', () => {
    const text = yaml(
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web}',
      'spec:',
      '  selector: {matchLabels: {app: web}}',
      '  template:',
      '    metadata:',
      '      labels: {app: web}',
      '      annotations:',
      '        netsim/service-time: "exp(mean=5sm)"',
      '    spec: {containers: [{name: web}]}',
    );
    const r = failed(load({ 'd.yaml': text }));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^d\.yaml:10:41: error: Deployment\/web\.spec\.template\.metadata\.annotations\.netsim\/service-time: expected a duration/);
  });

  test('unknown service in a workload', () => {
    const r = failed(load({ 's.yaml': withWeb(yaml('apiVersion: netsim/v1', 'kind: Workload', 'spec:', '  clients:', '    - name: c', '      target:', '        service: api', '      rate: 10/s')) }));
    expect(r.errors).toEqual(['s.yaml:20:18: error: Workload.spec.clients[0].target.service: expected the name of a Service in the scenario, found "api"; no Service "api" (there are: web)']);
  });

  test('node port out of range and duplicate', () => {
    const text = yaml(
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: a}',
      'spec: {type: NodePort, ports: [{port: 80, nodePort: 31000}]}',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: b}',
      'spec:',
      '  type: NodePort',
      '  ports:',
      '    - {name: http, port: 80, nodePort: 31000}',
      '    - {name: admin, port: 81, nodePort: 29999}',
    );
    const r = failed(load({ 'p.yaml': text }));
    expect(r.errors).toEqual([
      'p.yaml:12:40: error: Service/b.spec.ports[0].nodePort: Invalid value: 31000: provided port is already allocated (by Service default/a)',
      'p.yaml:13:41: error: Service/b.spec.ports[1].nodePort: Invalid value: 29999: provided port is not in the valid range. The range of valid ports is 30000-32767',
    ]);
  });

  test('duplicate cluster IP', () => {
    const text = yaml(
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: a}',
      'spec: {clusterIP: 10.96.0.50, ports: [{port: 80}]}',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: b}',
      'spec: {clusterIP: 10.96.0.50, ports: [{port: 80}]}',
    );
    const r = failed(load({ 'ip.yaml': text }));
    expect(r.errors).toEqual(['ip.yaml:9:19: error: Service/b.spec.clusterIP: failed to allocate IP 10.96.0.50: provided IP is already allocated (by Service default/a)']);
  });

  test('a selector that matches no pod is a warning, not an error', () => {
    const text = yaml('apiVersion: v1', 'kind: Service', 'metadata: {name: api}', 'spec:', '  selector:', '    app: api', '  ports: [{port: 80}]');
    const { warnings } = ok(load({ 'svc.yaml': text }));
    expect(warnings).toContain('svc.yaml:5:3: warning: Service/api.spec.selector: no endpoints: selector app=api matches no pod in namespace default');
  });

  test('via loadBalancer on a ClusterIP Service, nodePort via on a ClusterIP Service', () => {
    const text = yaml(
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: web}',
      'spec: {selector: {app: web}, ports: [{port: 80}]}',
      '---',
      'apiVersion: netsim/v1',
      'kind: Workload',
      'spec:',
      '  clients:',
      '    - {name: a, target: {service: web, via: loadBalancer}, rate: 1/s}',
      '    - {name: b, target: {service: web, via: nodePort}, rate: 1/s}',
      '    - {name: c, target: {service: web}, rate: 1/s}',
    );
    const r = failed(load({ 'v.yaml': text }));
    expect(r.errors).toEqual([
      'v.yaml:10:45: error: Workload.spec.clients[0].target.via: via loadBalancer needs a LoadBalancer Service; Service web is ClusterIP',
      'v.yaml:11:45: error: Workload.spec.clients[1].target.via: via nodePort needs a node port; Service web is ClusterIP',
      'v.yaml:12:7: error: Workload.spec.clients[2].from: Service web is a ClusterIP Service: it is not reachable from outside the cluster. Send from inside (from: {pod: <pod or node>}), or expose it (type NodePort or LoadBalancer, or externalIPs)',
    ]);
  });

  test('ExternalName and headless Services are not proxy targets: they are addressed by name', () => {
    const text = yaml(
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: ext}',
      'spec: {type: ExternalName, externalName: db.example.com}',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: hl}',
      'spec: {clusterIP: None, selector: {app: x}, ports: [{port: 80}]}',
      '---',
      'apiVersion: netsim/v1',
      'kind: Workload',
      'spec:',
      '  clients:',
      '    - {name: a, from: {node: node-1}, target: {service: ext}, rate: 1/s}',
      '    - {name: b, from: {node: node-1}, target: {service: hl}, rate: 1/s}',
    );
    const r = failed(load({ 'dns.yaml': text }));
    expect(r.errors).toEqual([
      'dns.yaml:15:57: error: Workload.spec.clients[0].target.service: Service ext is an ExternalName Service (a CNAME to db.example.com): it is resolved by DNS, not proxied by kube-proxy: address it by name (target: {host: ...})',
      'dns.yaml:16:57: error: Workload.spec.clients[1].target.service: Service hl is headless (clusterIP: None): clients reach its pods by their own IPs; it is resolved by DNS, not proxied by kube-proxy: address it by name (target: {host: ...})',
    ]);
  });

  test('unknown node, zone and pod references', () => {
    const text =
      TWO_NODE_CLUSTER +
      '---\n' +
      withWeb(
        yaml(
          'apiVersion: netsim/v1',
          'kind: Workload',
          'spec:',
          '  clients:',
          '    - {name: a, from: {node: k8s-node3}, target: {service: web}, rate: 1/s}',
          '    - {name: b, from: {zone: mars}, target: {service: web}, rate: 1/s}',
          '    - {name: c, from: {pod: nginx01}, target: {service: web}, rate: 1/s}',
          '    - {name: d, target: {service: web, nodes: [k8s-node9]}, rate: 1/s}',
        ),
      );
    const r = failed(load({ 'refs.yaml': text }));
    expect(r.errors).toEqual([
      'refs.yaml:25:30: error: Workload.spec.clients[0].from.node: expected the name of a node of the cluster, found "k8s-node3"; no node "k8s-node3" (did you mean "k8s-node1"?)',
      'refs.yaml:26:30: error: Workload.spec.clients[1].from.zone: expected a zone of the cluster (default), found "mars"',
      'refs.yaml:27:29: error: Workload.spec.clients[2].from.pod: expected the name of a pod or of a node, found "nginx01"; no pod or node "nginx01"',
      'refs.yaml:28:48: error: Workload.spec.clients[3].target.nodes[0]: expected the name of a node of the cluster, found "k8s-node9"; no node "k8s-node9" (did you mean "k8s-node1"?)',
    ]);
  });

  test('a client without any load', () => {
    const r = failed(load({ 's.yaml': withWeb(yaml('apiVersion: netsim/v1', 'kind: Workload', 'spec:', '  clients:', '    - name: c', '      target: {service: web}')) }));
    expect(r.errors).toEqual(['s.yaml:18:7: error: Workload.spec.clients[0]: expected one of rate, interarrival or users, found none of them; a client needs a load: rate (open loop), interarrival (open loop) or users (closed loop)']);
  });

  test('YAML syntax errors carry the position', () => {
    const r = failed(load({ 'y.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  name: b\n' }));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^y\.yaml:5:3: error: YAML: /);
  });

  test('a document that is not an object, and missing kind', () => {
    const r = failed(load({ 'x.yaml': '- just\n- a list\n---\napiVersion: v1\nmetadata: {name: x}\n' }));
    expect(r.errors).toEqual([
      'x.yaml:1:1: error: expected a Kubernetes object (a mapping with apiVersion and kind), found a list',
      'x.yaml:4:1: error: expected kind (a string such as Service, Deployment or Cluster), found nothing',
    ]);
  });

  test('a misspelt netsim kind, and a retired apiVersion', () => {
    const r = failed(load({ 'k.yaml': 'apiVersion: netsim/v1\nkind: Clustr\n---\napiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: x}\n' }));
    expect(r.errors).toEqual([
      'k.yaml:2:7: error: kind: expected Cluster, Workload or Simulation (the netsim/v1 kinds), found "Clustr"; did you mean "Cluster"?',
      'k.yaml:4:13: error: apiVersion: expected apps/v1, found "extensions/v1beta1"; Kubernetes stopped serving Deployment as extensions/v1beta1 in 1.16',
    ]);
  });

  test('unknown kinds are ignored, not errors', () => {
    const r = load({ 'i.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n' });
    expect(r.ok).toBe(true);
    // A Namespace is read (its labels and annotations may enable a service mesh): not ignored.
    expect(r.ignored.map((i) => `${i.kind}/${i.name}@${i.line}`)).toEqual(['ConfigMap/cfg@1']);
  });

  test('a file that cannot be read', () => {
    const r = failed(load({}, {}));
    expect(r.errors.length).toBe(1);
  });
});
