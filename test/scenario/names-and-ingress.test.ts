/**
 * The input side of issue 7: Ingress resources, ingress controllers and cluster DNS in the Cluster,
 * clients that address a name or an Ingress, external hosts; with their diagnostics.
 */
import { describe, expect, test } from 'vitest';
import { failed, load, ok, workload, yaml } from './helpers.js';

const CLUSTER = yaml(
  'apiVersion: netsim/v1',
  'kind: Cluster',
  'spec:',
  '  nodes:',
  '    - name: cp',
  '      taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]',
  '    - {name: n1, zone: a}',
  '    - {name: n2, zone: b}',
  '  ingressControllers:',
  '    - replicas: 2',
  '      workers: 2',
  '      processing: const(100us)',
);

const APPS = yaml(
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: {name: app1}',
  'spec:',
  '  replicas: 2',
  '  selector: {matchLabels: {app: app1}}',
  '  template:',
  '    metadata: {labels: {app: app1}}',
  '    spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}',
  '---',
  'apiVersion: v1',
  'kind: Service',
  'metadata: {name: app1-service}',
  'spec: {selector: {app: app1}, ports: [{port: 80, targetPort: http}]}',
  '---',
  'apiVersion: v1',
  'kind: Service',
  'metadata: {name: db}',
  'spec: {clusterIP: None, selector: {app: app1}, ports: [{port: 5432, targetPort: 8080}]}',
  '---',
  'apiVersion: v1',
  'kind: Service',
  'metadata: {name: ext}',
  'spec: {type: ExternalName, externalName: api.example.com}',
);

const INGRESS = yaml(
  'apiVersion: networking.k8s.io/v1',
  'kind: Ingress',
  'metadata:',
  '  name: web',
  '  annotations:',
  '    nginx.ingress.kubernetes.io/load-balance: ewma',
  '    nginx.ingress.kubernetes.io/proxy-next-upstream-tries: "5"',
  'spec:',
  '  ingressClassName: nginx',
  '  rules:',
  '    - host: example.com',
  '      http:',
  '        paths:',
  '          - {path: /app1, pathType: Prefix, backend: {service: {name: app1-service, port: {number: 80}}}}',
);

describe('ingress controllers and Ingresses', () => {
  const { spec, warnings } = ok(
    load({
      'c.yaml': CLUSTER,
      'a.yaml': APPS,
      'i.yaml': INGRESS,
      'w.yaml': workload('{name: users, target: {ingress: {host: Example.com, paths: {/app1: 70%, /app1/x: 30%}, sessions: 50}}, rate: 10/s}'),
    }),
  );

  test('a controller becomes a Deployment and a LoadBalancer Service in ingress-nginx, placed after the apps', () => {
    expect(warnings).toEqual([]);
    const ctrl = spec.pods.filter((p) => p.namespace === 'ingress-nginx');
    expect(ctrl).toHaveLength(2);
    expect(ctrl.every((p) => p.behaviour.concurrency === 2 && String(p.behaviour.serviceTime) === 'const(100us)')).toBe(true);
    expect(new Set(ctrl.map((p) => p.nodeName))).toEqual(new Set(['n1', 'n2']));
    expect(spec.pods.slice(0, 2).every((p) => p.namespace === 'default')).toBe(true);
    const svc = spec.services.find((s) => s.name === 'ingress-nginx-controller')!;
    expect(svc).toMatchObject({ namespace: 'ingress-nginx', type: 'LoadBalancer', ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
    expect(spec.ingressControllers).toEqual([
      {
        className: 'nginx',
        implementation: 'ingress-nginx',
        isDefaultClass: true,
        service: 'ingress-nginx/ingress-nginx-controller',
        workers: 2,
        loadBalance: 'round_robin',
        upstreamKeepaliveRequests: 10000,
        nextUpstreamTries: 3,
      },
    ]);
  });

  test('the Ingress with its annotations read', () => {
    expect(spec.ingresses).toEqual([
      {
        name: 'web',
        namespace: 'default',
        className: 'nginx',
        defaultBackend: null,
        rules: [{ host: 'example.com', paths: [{ path: '/app1', pathType: 'Prefix', backend: { service: 'app1-service', port: 80 } }] }],
        balancing: { loadBalance: 'ewma', upstreamHashBy: null, affinity: null, serviceUpstream: false, nextUpstreamTries: 5 },
      },
    ]);
  });

  test('an HTTP client goes to the controller\'s Service (via its LB from outside) with its request mix', () => {
    expect(spec.clients[0]).toMatchObject({
      target: { service: 'ingress-nginx/ingress-nginx-controller', port: 'http', via: 'loadBalancer' },
      http: { ingressClass: 'nginx', host: 'example.com', requests: [{ path: '/app1', method: 'GET', weight: 0.7 }, { path: '/app1/x', method: 'GET', weight: 0.3 }], sessions: 50 },
    });
  });

  test('annotation mistakes, API server checks, and warnings', () => {
    const bad = yaml(
      'apiVersion: networking.k8s.io/v1',
      'kind: Ingress',
      'metadata:',
      '  name: bad',
      '  annotations:',
      '    nginx.ingress.kubernetes.io/load-balance: ewmaa',
      '    nginx.ingress.kubernetes.io/affinity: ip',
      'spec:',
      '  rules:',
      '    - host: 10.0.0.1',
      '      http:',
      '        paths:',
      '          - {path: app, pathType: Exact, backend: {service: {name: x, port: {number: 80, name: http}}}}',
    );
    const r = failed(load({ 'c.yaml': CLUSTER, 'b.yaml': bad }));
    expect(r.errors).toEqual([
      'b.yaml:10:13: error: Ingress/bad.spec.rules[0].host: must be a DNS name, not an IP address',
      'b.yaml:13:20: error: Ingress/bad.spec.rules[0].http.paths[0].path: expected a path starting with /, found "app"; must be an absolute path',
      'b.yaml:13:77: error: Ingress/bad.spec.rules[0].http.paths[0].backend.service.port: expected port.number or port.name, found both; cannot set both port name & port number',
    ]);
    const r2 = failed(load({ 'c.yaml': CLUSTER, 'b.yaml': bad.replace('10.0.0.1', 'x.com').replace('path: app', 'path: /app').replace(', name: http', '') }));
    expect(r2.errors).toEqual([
      'b.yaml:7:43: error: Ingress/bad.metadata.annotations["nginx.ingress.kubernetes.io/affinity"]: expected "cookie" (the only affinity ingress-nginx has), found "ip"',
    ]);
    // ingress-nginx's balancer.lua falls back to round_robin for any other load-balance: a warning, as there.
    expect(r2.warnings).toContain(
      'b.yaml:6:47: warning: Ingress/bad.metadata.annotations["nginx.ingress.kubernetes.io/load-balance"]: expected "round_robin" or "ewma", found "ewmaa"; did you mean "ewma"? ingress-nginx has no other balancer and falls back to round_robin',
    );
    const orphan = ok(load({ 'i.yaml': INGRESS }));
    expect(orphan.warnings).toContain('i.yaml:9:21: warning: Ingress/web.spec.ingressClassName: no ingress controller in the Cluster (spec.ingressControllers): this Ingress routes nothing');
    const missing = ok(load({ 'c.yaml': CLUSTER, 'i.yaml': INGRESS }));
    expect(missing.warnings).toContain('i.yaml:14:71: warning: Ingress/web.spec.rules[0].http.paths[0].backend.service.name: no Service "app1-service" in namespace default: requests routed here get 503');
  });

  test('an old Ingress apiVersion is an error saying what changed', () => {
    const r = failed(load({ 'o.yaml': 'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: old}\n' }));
    expect(r.errors).toEqual([
      'o.yaml:1:13: error: apiVersion: expected networking.k8s.io/v1, found "extensions/v1beta1"; Kubernetes stopped serving Ingress as extensions/v1beta1 in 1.22 (v1 needs pathType, and backend.service.name/port)',
    ]);
  });

  test('a path that matches no rule warns (404); a client needs a controller', () => {
    const w = ok(load({ 'c.yaml': CLUSTER, 'a.yaml': APPS, 'i.yaml': INGRESS, 'w.yaml': workload('{name: u, target: {ingress: {host: example.com, paths: [/app1, /nope]}}, rate: 1/s}') }));
    expect(w.warnings).toEqual(['w.yaml:5:62: warning: Workload.spec.clients[0].target.ingress.paths: example.com/nope matches no Ingress rule of class nginx and there is no default backend: these requests get 404']);
    const r = failed(load({ 'a.yaml': APPS, 'w.yaml': workload('{name: u, target: {ingress: {host: example.com}}, rate: 1/s}') }));
    expect(r.errors).toEqual(['w.yaml:5:35: error: Workload.spec.clients[0].target.ingress: no ingress controller in the Cluster: describe one in Cluster.spec.ingressControllers']);
  });
});

describe('names resolved with cluster DNS', () => {
  const clients = workload(
    '{name: by-name, from: {pod: n1}, target: {host: app1-service}, rate: 1/s}',
    '{name: headless, from: {pod: n1}, target: {host: db}, rate: 1/s, dns: {cache: jvm, pick: roundRobin}}',
    '{name: cname, from: {pod: n2}, target: {host: ext}, rate: 1/s, dns: {cache: 30s}}',
    '{name: fqdn, from: {pod: n2}, target: {host: app1-service.default.svc.cluster.local.}, rate: 1/s, dns: {ndots: 1}}',
  );
  const { spec, warnings } = ok(load({ 'c.yaml': CLUSTER, 'a.yaml': APPS, 'w.yaml': clients }));

  test('each name is resolved as the pod would: a cluster IP, a headless Service\'s pods, an ExternalName', () => {
    const [byName, headless, cname, fqdn] = spec.clients;
    expect(byName).toMatchObject({ target: { service: 'default/app1-service', port: 80, via: 'clusterIP' }, resolve: { name: 'app1-service', namespace: 'default', cache: { kind: 'none' }, pick: 'first' } });
    expect(headless).toMatchObject({ target: { service: 'default/db', port: 5432, via: 'podIP' }, resolve: { cache: { kind: 'jvm' }, pick: 'round-robin' } });
    expect(cname).toMatchObject({ target: { service: 'default/ext', via: 'external' }, resolve: { cache: { kind: 'fixed', ttl: 30 } } });
    expect(fqdn!.resolve).toMatchObject({ ndots: 1 });
  });

  test('an ExternalName target not described gets the defaults, with a warning', () => {
    expect(warnings).toEqual([
      'w.yaml:7:53: warning: Workload.spec.clients[2].target.host: the external host api.example.com (behind ExternalName ext) is not described in Workload.spec.externalHosts: using latency lognormal(median=5ms, p99=20ms), serviceTime lognormal(median=20ms, p99=200ms), concurrency 100',
    ]);
    expect(spec.externalHosts!.map((h) => h.host)).toEqual(['api.example.com']);
  });

  test('CoreDNS: kubeadm\'s 2 replicas, spread, the control-plane taint tolerated; the Corefile defaults', () => {
    const dns = spec.dns!;
    expect(dns.servers).toHaveLength(2);
    expect(dns.servers.every((s) => s.name.startsWith('kube-system/coredns-'))).toBe(true);
    expect(new Set(dns.servers.map((s) => s.node)).size).toBe(2);
    expect(dns).toMatchObject({ clusterDomain: 'cluster.local', recordTTL: 30, cacheTTL: 30, cacheClusterDomain: true, loadbalance: true, ndots: 5, timeout: 5, attempts: 2, conntrackRace: 0 });
    expect(spec.pods.some((p) => p.namespace === 'kube-system')).toBe(false);
  });

  test('described external hosts, and names that do not resolve', () => {
    const w = yaml(
      'apiVersion: netsim/v1',
      'kind: Workload',
      'spec:',
      '  externalHosts:',
      '    - {host: API.example.com., latency: const(3ms), concurrency: 10, ttl: 5s}',
      '  clients:',
      '    - {name: a, from: {pod: n1}, target: {host: api.example.com}, rate: 1/s}',
    );
    const good = ok(load({ 'c.yaml': CLUSTER, 'w.yaml': w }));
    expect(good.warnings).toEqual([]);
    expect(good.spec.externalHosts).toMatchObject([{ host: 'api.example.com', ttl: 5, behaviour: { concurrency: 10 } }]);
    expect(good.spec.clients[0]!.target).toEqual({ service: '', port: 443, via: 'external', nodes: [] });
    const r = failed(load({ 'c.yaml': CLUSTER, 'a.yaml': APPS, 'w.yaml': workload('{name: a, from: {pod: n1}, target: {host: other.example.com}, rate: 1/s}', '{name: b, from: {pod: n1}, target: {host: app1-servise}, rate: 1/s}', '{name: c, target: {host: app1-service}, rate: 1/s}') }));
    expect(r.errors).toEqual([
      'w.yaml:5:49: error: Workload.spec.clients[0].target.host: expected a name that resolves from the client\'s pod, found "other.example.com"; "other.example.com" does not resolve from namespace default (tried other.example.com.default.svc.cluster.local, other.example.com.svc.cluster.local, other.example.com.cluster.local, other.example.com); a host outside the cluster must be described in Workload.spec.externalHosts',
      'w.yaml:6:49: error: Workload.spec.clients[1].target.host: expected a name that resolves from the client\'s pod, found "app1-servise"; "app1-servise" does not resolve from namespace default (tried app1-servise.default.svc.cluster.local, app1-servise.svc.cluster.local, app1-servise.cluster.local, app1-servise) (did you mean "app1-service"?)',
      'w.yaml:7:32: error: Workload.spec.clients[2].target.host: cluster DNS names are resolved from pods: run the client in one (from: {pod: <pod or node>}), or address the Service (target.service)',
    ]);
  });

  test('the Cluster\'s dns block', () => {
    const c = CLUSTER + yaml('  dns: {replicas: 1, ttl: 5s, cache: 0s, ndots: 2, search: [ec2.internal], conntrackRace: 0.01, nodeSelector: {kubernetes.io/hostname: n2}}');
    const { spec: s } = ok(load({ 'c.yaml': c, 'a.yaml': APPS, 'w.yaml': workload('{name: a, from: {pod: n1}, target: {host: app1-service}, rate: 1/s}') }));
    expect(s.dns).toMatchObject({ servers: [{ node: 'n2' }], recordTTL: 5, cacheTTL: 0, ndots: 2, search: ['ec2.internal'], conntrackRace: 0.01 });
  });
});
