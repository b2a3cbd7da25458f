/**
 * Issue 15, item 6: models that used to validate and simulate something silently wrong. Each case is the
 * reproducer, and the diagnostic it now earns (where, and what it says).
 */
import { describe, expect, test } from 'vitest';
import { simulate } from '../../../src/model/simulation.js';
import type { LoadResult } from '../../../src/scenario/index.js';
import { failed, load, ok as loaded, yaml } from '../helpers.js';

/** Loaded, with the warning that these small scenarios have no Workload left out. */
const ok = (r: LoadResult): ReturnType<typeof loaded> => {
  const out = loaded(r);
  return { ...out, warnings: out.warnings.filter((w) => !w.includes('no Workload in the scenario')) };
};

const CLUSTER = yaml('apiVersion: netsim/v1', 'kind: Cluster', 'spec:', '  zones:', '    - {name: zone-a, nodes: 2}');

const deployment = (name: string, replicas: number, app = name, ns = 'shop'): string =>
  yaml(
    'apiVersion: apps/v1',
    'kind: Deployment',
    `metadata: {name: ${name}, namespace: ${ns}}`,
    'spec:',
    `  replicas: ${replicas}`,
    `  selector: {matchLabels: {app: ${app}}}`,
    '  template:',
    `    metadata: {labels: {app: ${app}}}`,
    '    spec:',
    '      containers: [{name: app, image: app, ports: [{name: http, containerPort: 8080}]}]',
  );

const service = (name: string, spec: string, ns = 'shop'): string => yaml('apiVersion: v1', 'kind: Service', `metadata: {name: ${name}, namespace: ${ns}}`, `spec: ${spec}`);

const workload = (...clients: string[]): string =>
  yaml('apiVersion: netsim/v1', 'kind: Workload', 'spec:', '  clients:', ...clients.map((c) => `    - ${c}`));

const caller = yaml('apiVersion: v1', 'kind: Pod', 'metadata: {name: caller, namespace: shop}', 'spec:', '  containers: [{name: app, image: curl}]');

describe('two controllers of one kind, namespace and name', () => {
  test('the second Deployment is an error at its name, naming the first by file:line:col', () => {
    const r = failed(load({ 'c.yaml': CLUSTER, 'a.yaml': deployment('web', 2), 'b.yaml': `# a copy\n${deployment('web', 3, 'web2')}` }));
    expect(r.errors).toEqual([
      'b.yaml:4:18: error: Deployment/shop/web.metadata.name: Deployment "shop/web" already exists (at a.yaml:1:1): a namespace holds one Deployment of a name; rename one, or remove one',
    ]);
  });

  test('StatefulSets and DaemonSets too; the same name in another namespace or of another kind is fine', () => {
    const sts = (ns: string) => deployment('db', 1, 'db', ns).replace('kind: Deployment', 'kind: StatefulSet');
    const ds = (app: string) =>
      yaml('apiVersion: apps/v1', 'kind: DaemonSet', 'metadata: {name: agent}', 'spec:', `  selector: {matchLabels: {app: ${app}}}`, '  template:', `    metadata: {labels: {app: ${app}}}`, '    spec: {containers: [{name: a, image: a}]}');
    const r = failed(load({ 'c.yaml': CLUSTER, 'x.yaml': [sts('shop'), sts('other'), sts('shop'), deployment('db', 1, 'db2'), ds('a'), ds('b')].join('---\n') }));
    expect(r.errors.map((e) => e.replace(/:.*?error: /, ': '))).toEqual([
      'x.yaml: StatefulSet/shop/db.metadata.name: StatefulSet "shop/db" already exists (at x.yaml:1:1): a namespace holds one StatefulSet of a name; rename one, or remove one',
      'x.yaml: DaemonSet/agent.metadata.name: DaemonSet "default/agent" already exists (at x.yaml:45:1): a namespace holds one DaemonSet of a name; rename one, or remove one',
    ]);
  });
});

describe('ExternalName Services that point into the cluster', () => {
  test('a loop is refused with the cycle, at each Service of it', () => {
    const r = failed(
      load({
        'c.yaml': CLUSTER,
        's.yaml': [
          service('a', '{type: ExternalName, externalName: b.shop.svc.cluster.local}'),
          service('b', '{type: ExternalName, externalName: a.shop.svc.cluster.local.}'),
        ].join('---\n'),
      }),
    );
    expect(r.errors).toEqual([
      's.yaml:4:42: error: Service/shop/a.spec.externalName: ExternalName loop: a.shop.svc.cluster.local -> b.shop.svc.cluster.local -> a.shop.svc.cluster.local; CoreDNS drops a CNAME that comes back to a name of its chain, so a.shop.svc.cluster.local would have no address',
      's.yaml:9:42: error: Service/shop/b.spec.externalName: ExternalName loop: b.shop.svc.cluster.local -> a.shop.svc.cluster.local -> b.shop.svc.cluster.local; CoreDNS drops a CNAME that comes back to a name of its chain, so b.shop.svc.cluster.local would have no address',
    ]);
  });

  test('a Service that names itself is a loop of one', () => {
    const r = failed(load({ 'c.yaml': CLUSTER, 's.yaml': service('a', '{type: ExternalName, externalName: A.shop.svc.cluster.local}') }));
    expect(r.errors[0]).toContain('ExternalName loop: a.shop.svc.cluster.local -> a.shop.svc.cluster.local');
  });

  test('a chain into a ClusterIP Service is chased inside the cluster, as CoreDNS does: the client reaches that Service', () => {
    const { spec, warnings } = ok(
      load({
        'c.yaml': CLUSTER,
        'd.yaml': deployment('web', 2),
        's.yaml': [service('alias', '{type: ExternalName, externalName: web.shop.svc.cluster.local}'), service('web', '{selector: {app: web}, ports: [{port: 80, targetPort: http}]}')].join('---\n'),
        'p.yaml': caller,
        'w.yaml': workload('{name: c, from: {pod: shop/caller}, target: {host: alias, port: 80}, rate: 10/s}'),
      }),
    );
    expect(warnings).toEqual([]);
    expect(spec.clients[0]!.target).toMatchObject({ service: 'shop/web', via: 'clusterIP' });
    expect(spec.externalHosts ?? []).toEqual([]);
    // At run time cluster DNS answers the alias with web's cluster IP: every request reaches web's pods.
    const run = simulate({ ...spec, simulation: { ...spec.simulation, duration: 5, warmup: 0 } });
    expect(run.accounting.total.completed).toBeGreaterThan(20);
    expect(run.accounting.total.droppedTotal).toBe(0);
  });

  test('a target in the cluster domain that names no Service is a warning; a single-label target naming a Service is one too', () => {
    const { warnings } = ok(
      load({
        'c.yaml': CLUSTER,
        's.yaml': [
          service('gone', '{type: ExternalName, externalName: nothing.shop.svc.cluster.local}'),
          service('short', '{type: ExternalName, externalName: web}'),
          service('web', '{ports: [{port: 80}]}'),
        ].join('---\n'),
      }),
    );
    expect(warnings).toEqual([
      's.yaml:4:42: warning: Service/shop/gone.spec.externalName: nothing.shop.svc.cluster.local is in the cluster\'s domain but names no Service of the scenario: CoreDNS answers it with no address, so clients of gone.shop.svc.cluster.local fail to resolve it',
      's.yaml:9:42: warning: Service/shop/short.spec.externalName: "web" is a single label: CoreDNS looks the CNAME target up as it is ("web."), without the search domains, so it does not reach Service web; write web.<namespace>.svc.cluster.local',
    ]);
  });
});

describe('UDP and SCTP Service ports', () => {
  test('a port a client sends to is simulated as TCP, with a warning that says what that changes', () => {
    const { warnings } = ok(
      load({
        'c.yaml': CLUSTER,
        'd.yaml': deployment('dns', 2).replace('containerPort: 8080}', 'containerPort: 53, protocol: UDP}'),
        's.yaml': [service('dns', '{selector: {app: dns}, ports: [{port: 53, protocol: UDP, targetPort: http}]}'), service('idle', '{ports: [{port: 9, protocol: SCTP}]}')].join('---\n'),
        'w.yaml': workload('{name: c, from: {node: zone-a-node-1}, target: {service: shop/dns}, rate: 10/s}'),
      }),
    );
    const udp = warnings.filter((w) => w.includes('simulated as TCP'));
    expect(udp).toHaveLength(1); // not the SCTP port no client sends to
    expect(udp[0]).toMatch(/^s\.yaml:4:59: warning: Service\/shop\/dns\.spec\.ports\[0\]\.protocol: UDP is simulated as TCP: UDP has no connections: kube-proxy picks an endpoint per conntrack flow/);
  });
});

describe('names as the API server checks them', () => {
  const bad = (files: Record<string, string>) => failed(load({ 'c.yaml': CLUSTER, ...files })).errors;

  test('label keys and values', () => {
    const long = 'x'.repeat(64);
    const errors = bad({ 'd.yaml': deployment('web', 1).replace('metadata: {labels: {app: web}}', `metadata: {labels: {app: web, "a/b/c": x, "-k": v, tier: "${long}", ok: "-bad"}}`) });
    expect(errors.map((e) => e.replace(/^d\.yaml:\d+:\d+: error: /, ''))).toEqual([
      'Deployment/shop/web.spec.template.metadata.labels.a/b/c: expected a label key such as app or app.kubernetes.io/name, found "a/b/c"; a label key has at most one \'/\' (an optional DNS subdomain prefix, then a name)',
      'Deployment/shop/web.spec.template.metadata.labels.-k: expected a label key such as app or app.kubernetes.io/name, found "-k"; a label key\'s name part is letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit',
      `Deployment/shop/web.spec.template.metadata.labels.tier: expected a label value (at most 63 letters, digits, -, _ or .), found "${long}"; a label value has at most 63 characters`,
      'Deployment/shop/web.spec.template.metadata.labels.ok: expected a label value (at most 63 letters, digits, -, _ or .), found "-bad"; a label value is empty, or letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit',
    ]);
  });

  test('a valid prefixed key, an empty value and a 63-character value pass', () => {
    ok(load({ 'c.yaml': CLUSTER, 'd.yaml': deployment('web', 1).replace('metadata: {labels: {app: web}}', `metadata: {labels: {app: web, "app.kubernetes.io/part-of": "", v: "${'y'.repeat(63)}"}}`) }));
  });

  test('zone names are label values', () => {
    const errors = bad({ 'c.yaml': yaml('apiVersion: netsim/v1', 'kind: Cluster', 'spec:', '  zones:', '    - {name: "us east 1a", nodes: 1}') });
    expect(errors).toEqual([
      'c.yaml:5:14: error: Cluster.spec.zones[0].name: expected a zone name that can be a label value (the value of topology.kubernetes.io/zone), found "us east 1a"; a label value is empty, or letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit',
    ]);
  });

  test('port names: IANA service names in containers and targetPort, DNS-1123 labels on Services', () => {
    const errors = bad({
      'd.yaml': deployment('web', 1).replace('name: http, containerPort', 'name: http--alt, containerPort'),
      's.yaml': service('web', '{selector: {app: web}, ports: [{name: Web_Port, port: 80, targetPort: http-server-port-1}]}'),
    });
    expect(errors.map((e) => e.replace(/ found .*$/, ''))).toEqual([
      'd.yaml:10:59: error: Deployment/shop/web.spec.template.spec.containers[0].ports[0].name: expected a port name (an IANA service name: at most 15 lowercase letters, digits and -, with a letter),',
      's.yaml:4:45: error: Service/shop/web.spec.ports[0].name: expected a Service port name (a DNS-1123 label: lowercase letters, digits and -),',
      's.yaml:4:77: error: Service/shop/web.spec.ports[0].targetPort: expected a port number, or the name of a container port (an IANA service name),',
    ]);
  });

  test('a namespace may begin with a digit (a DNS-1123 label), not with a capital', () => {
    ok(load({ 'c.yaml': CLUSTER, 'd.yaml': deployment('web', 1, 'web', '1shop') }));
    expect(bad({ 'd.yaml': deployment('web', 1, 'web', 'Shop') })[0]).toContain('expected a namespace name (a DNS-1123 label');
  });
});

describe('heavy tails', () => {
  const withServiceTime = (dist: string) => ({
    'c.yaml': CLUSTER,
    'd.yaml': deployment('web', 1).replace('    metadata: {labels: {app: web}}', `    metadata: {labels: {app: web}, annotations: {netsim/service-time: "${dist}"}}`),
  });

  test('shape <= 1: an infinite mean', () => {
    const { warnings } = ok(load(withServiceTime('pareto(scale=1ms, shape=0.9)')));
    expect(warnings).toEqual([
      'd.yaml:8:71: warning: Deployment/shop/web.spec.template.metadata.annotations.netsim/service-time: pareto with shape 0.9 has an infinite mean: the mean latency of a run means nothing and grows with the run length (the percentiles are still defined); use a shape above 1, or above 2 for a finite variance',
    ]);
  });

  test('1 < shape <= 2: an infinite variance, confidence intervals unreliable; inside a mixture too', () => {
    const { warnings } = ok(load(withServiceTime('mixture(0.9: const(1ms), 0.1: pareto(min=2ms, alpha=1.5))')));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('pareto with shape 1.5 has an infinite variance: sample means converge slowly and confidence intervals from replications are unreliable');
  });

  test('shape above 2: nothing to say', () => {
    expect(ok(load(withServiceTime('pareto(scale=1ms, shape=2.5)'))).warnings).toEqual([]);
  });
});

describe('a file with no objects', () => {
  test.each([
    ['empty', ''],
    ['comments only', '# nothing here\n# at all\n'],
    ['empty documents', '---\n# just a comment\n---\n---\n'],
  ])('%s: error "no objects" at the file', (_, text) => {
    const r = failed(load({ 'empty.yaml': text }));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^empty\.yaml:1:1: error: no objects: expected at least one Kubernetes or netsim object, found (an empty file|only comments and empty documents)$/);
  });

  test('an empty file beside a good one is still an error (it is the wrong file)', () => {
    expect(failed(load({ 'c.yaml': CLUSTER, 'empty.yaml': '\n' })).errors).toEqual(['empty.yaml:1:1: error: no objects: expected at least one Kubernetes or netsim object, found an empty file']);
  });
});
