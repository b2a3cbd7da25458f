/**
 * Real input, byte for byte as its authors published it (test/scenario/corpus/SOURCES.md: sources,
 * commits, licences). Every file loads with no error and no false warning; each test says what the file
 * builds (pods per node, Services and their ports) and what the list of objects not simulated names.
 * Where a run needs them, the test adds what the API does not say (a Cluster, a Workload) in a file of its
 * own: the corpus files stay untouched.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { simulate } from '../../src/model/simulation.js';
import type { ModelSpec } from '../../src/model/spec.js';
import { formatIgnored, type LoadResult } from '../../src/scenario/index.js';
import { expectAccounting } from '../model/datapath-helpers.js';
import { load, ok, yaml } from './helpers.js';

const DIR = new URL('./corpus/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, DIR), 'utf8');

/** Loads a corpus file (as `corpus/<file>`) with companion netsim documents. */
function corpus(file: string, ...companions: string[]): LoadResult {
  return load({ [`corpus/${file}`]: read(file), ...Object.fromEntries(companions.map((c, i) => [`netsim-${i}.yaml`, c])) });
}

const THREE_ZONES = yaml(
  'apiVersion: netsim/v1',
  'kind: Cluster',
  'spec:',
  '  zones:',
  '    - {name: zone-a, nodes: 2}',
  '    - {name: zone-b, nodes: 2}',
  '    - {name: zone-c, nodes: 2}',
);

/** A Workload of one client sending `rate` to a Service port, and a short Simulation. */
function workload(target: string, rate = '200/s'): string {
  return yaml(
    'apiVersion: netsim/v1',
    'kind: Workload',
    'spec:',
    '  clients:',
    '    - name: users',
    '      from: external',
    `      target: ${target}`,
    `      rate: ${rate}`,
    '---',
    'apiVersion: netsim/v1',
    'kind: Simulation',
    'spec: {requests: 400, warmup: 0s, seed: 3}',
  );
}

const podsPerNode = (spec: ModelSpec): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const p of spec.pods) {
    const k = p.nodeName ?? 'Pending';
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
};
const servicePorts = (spec: ModelSpec): string[] =>
  spec.services.map((s) => `${s.namespace}/${s.name} ${s.type} ${s.ports.map((p) => `${p.port}->${p.targetPort}/${p.protocol}`).join(',')}`);

describe('the corpus is kept byte for byte', () => {
  test('every file listed in SOURCES.md is here, and nothing else', () => {
    const files = readdirSync(DIR).filter((f) => f !== 'SOURCES.md').sort();
    const sources = read('SOURCES.md');
    const listed = [...sources.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!).sort();
    expect(files).toEqual(listed);
    // Pinned so that an editor's "fix" (a trailing newline, re-indentation) is noticed.
    const digest = createHash('sha256');
    for (const f of files) digest.update(`${f}\0`).update(readFileSync(new URL(f, DIR)));
    expect(digest.digest('hex').slice(0, 16)).toBe(DIGEST);
  });
});

const DIGEST = 'c5929fa5e2769596';

/** Loads, asserts no error, runs the Workload's requests and checks that every one is accounted for. */
function runs(r: LoadResult, requests = 400): ModelSpec {
  const { spec } = ok(r);
  const result = simulate(spec);
  expectAccounting(result);
  expect(result.accounting.total.generated).toBe(requests);
  expect(result.accounting.total.completed).toBe(requests);
  return spec;
}

const NO_CLUSTER = 'warning: no Cluster in the scenario: using a default cluster of 3 nodes (node-1..node-3) in one zone';
const NO_WORKLOAD = 'warning: no Workload in the scenario: nothing sends requests';

describe('applications', () => {
  test('online-boutique: 12 Deployments, 1 pod each spread over 6 nodes; 12 Services; the 11 ServiceAccounts are not simulated', () => {
    const r = corpus('online-boutique.yaml', THREE_ZONES, workload('{service: frontend-external, port: 80, via: loadBalancer}'));
    expect(ok(r).warnings).toEqual([]);
    const spec = runs(r);
    expect(spec.pods).toHaveLength(12);
    expect(Object.values(podsPerNode(spec))).toEqual([2, 2, 2, 2, 2, 2]);
    expect(servicePorts(spec)).toEqual([
      'default/frontend ClusterIP 80->8080/TCP',
      'default/frontend-external LoadBalancer 80->8080/TCP',
      'default/adservice ClusterIP 9555->9555/TCP',
      'default/currencyservice ClusterIP 7000->7000/TCP',
      'default/cartservice ClusterIP 7070->7070/TCP',
      'default/redis-cart ClusterIP 6379->6379/TCP',
      'default/recommendationservice ClusterIP 8080->8080/TCP',
      'default/checkoutservice ClusterIP 5050->5050/TCP',
      'default/emailservice ClusterIP 5000->8080/TCP',
      'default/paymentservice ClusterIP 50051->50051/TCP',
      'default/shippingservice ClusterIP 50051->50051/TCP',
      'default/productcatalogservice ClusterIP 3550->3550/TCP',
    ]);
    expect(formatIgnored(r.ignored)).toEqual([
      'ServiceAccount ×11 (frontend, adservice, currencyservice, cartservice, loadgenerator, recommendationservice, ... (5 more)): access control is not simulated',
    ]);
  });

  test('sock-shop: 14 Deployments in sock-shop (nodeSelector beta.kubernetes.io/os: linux, which the kubelet still sets); front-end on node port 30001', () => {
    const r = corpus('sock-shop-complete-demo.yaml', THREE_ZONES, workload('{service: sock-shop/front-end, port: 80, via: nodePort}'));
    expect(ok(r).warnings).toEqual([]);
    const spec = runs(r);
    expect(spec.pods.every((p) => p.namespace === 'sock-shop' && p.nodeName !== null)).toBe(true);
    expect(Object.values(podsPerNode(spec))).toEqual([3, 3, 2, 2, 2, 2]);
    expect(spec.services).toHaveLength(14);
    expect(servicePorts(spec)).toContain('sock-shop/front-end NodePort 80->8079/TCP');
    expect(spec.services.find((s) => s.name === 'front-end')!.ports[0]!.nodePort).toBe(30001);
    expect(servicePorts(spec)).toContain('sock-shop/rabbitmq ClusterIP 5672->5672/TCP,9090->exporter/TCP');
    // The Namespace object is read (its labels may enable a mesh), so nothing is left unused.
    expect(r.ignored).toEqual([]);
  });

  test('cockroachdb: a StatefulSet of 3 behind a headless and a ClusterIP Service; its policy/v1beta1 budget is listed, not an error', () => {
    const r = corpus('cockroachdb-statefulset-headless-pdb.yaml', THREE_ZONES, workload('{service: cockroachdb-public, port: 26257}').replace('from: external', 'from: {node: zone-a-node-1}'));
    expect(ok(r).warnings).toEqual([]);
    const spec = runs(r);
    expect(spec.pods.map((p) => p.name)).toEqual(['cockroachdb-0', 'cockroachdb-1', 'cockroachdb-2']);
    expect(Object.keys(podsPerNode(spec))).toHaveLength(3);
    expect(servicePorts(spec)).toEqual(['default/cockroachdb-public ClusterIP 26257->26257/TCP,8080->8080/TCP', 'default/cockroachdb ClusterIP 26257->26257/TCP,8080->8080/TCP']);
    expect(spec.services[1]!.clusterIP).toBeNull();
    expect(formatIgnored(r.ignored)).toEqual([
      'PodDisruptionBudget cockroachdb-budget: Kubernetes stopped serving policy/v1beta1 in 1.25; write apiVersion: policy/v1 for drains to honour it (in v1, an empty selector selects every pod of the namespace)',
    ]);
  });

  test('ingress-nginx cloud deploy: the controller Deployment behind a LoadBalancer with eTP Local and ipFamilies; RBAC, Jobs, webhook and ConfigMap listed', () => {
    const r = corpus('ingress-nginx-cloud-deploy.yaml', THREE_ZONES, workload('{service: ingress-nginx/ingress-nginx-controller, port: 80, via: loadBalancer}'));
    const { warnings } = ok(r);
    // True: the file installs an IngressClass for a controller the Cluster does not describe.
    expect(warnings).toEqual([expect.stringMatching(/^corpus\/ingress-nginx-cloud-deploy\.yaml:636:15: warning: IngressClass\/nginx\.spec\.controller: /)]);
    const spec = runs(r);
    expect(spec.pods.map((p) => `${p.namespace}/${p.labels['app.kubernetes.io/component']}`)).toEqual(['ingress-nginx/controller']);
    expect(servicePorts(spec)).toEqual([
      'ingress-nginx/ingress-nginx-controller LoadBalancer 80->http/TCP,443->https/TCP',
      'ingress-nginx/ingress-nginx-controller-admission ClusterIP 443->webhook/TCP',
    ]);
    expect(spec.services[0]!.externalTrafficPolicy).toBe('Local');
    expect(formatIgnored(r.ignored)).toEqual([
      'ServiceAccount ×2 (ingress-nginx/ingress-nginx, ingress-nginx/ingress-nginx-admission): access control is not simulated',
      'Role ×2 (ingress-nginx/ingress-nginx, ingress-nginx/ingress-nginx-admission): access control is not simulated',
      'ClusterRole ×2 (ingress-nginx, ingress-nginx-admission): access control is not simulated',
      'RoleBinding ×2 (ingress-nginx/ingress-nginx, ingress-nginx/ingress-nginx-admission): access control is not simulated',
      'ClusterRoleBinding ×2 (ingress-nginx, ingress-nginx-admission): access control is not simulated',
      'ConfigMap ingress-nginx/ingress-nginx-controller: configuration is not simulated',
      'Job ×2 (ingress-nginx/ingress-nginx-admission-create, ingress-nginx/ingress-nginx-admission-patch): batch work is not simulated (it serves no Service)',
      'ValidatingWebhookConfiguration ingress-nginx-admission: admission control is not simulated',
    ]);
  });

  test('multi-host TLS Ingress: the ReplicationControllers (no selector: their template labels) make the pods; Services with no type are ClusterIP', () => {
    const r = corpus('ingress-multi-host-tls-v1.yaml', THREE_ZONES, workload('{service: http-svc, port: 80}').replace('from: external', 'from: {node: zone-b-node-1}'));
    const { warnings } = ok(r);
    // True: the Ingress names class nginx and the Cluster describes no controller.
    expect(warnings).toEqual(['corpus/ingress-multi-host-tls-v1.yaml:101:21: warning: Ingress/foo-tls.spec.ingressClassName: no ingress controller in the Cluster (spec.ingressControllers): this Ingress routes nothing']);
    const spec = runs(r);
    expect(spec.pods.map((p) => p.name.replace(/-[a-z0-9]{5}$/, ''))).toEqual(['nginx', 'http-svc']);
    expect(servicePorts(spec)).toEqual(['default/nginx ClusterIP 80->80/TCP', 'default/http-svc ClusterIP 80->8080/TCP']);
    expect(r.ignored).toEqual([]);
  });

  test('traefik fixture: an IPv6 clusterIP gets an IPv4 one (said), the ExternalName is kept, the selector-less Service\'s slice is listed', () => {
    const r = corpus('traefik-ingress-ipv6-externalname-endpointslice.yaml', THREE_ZONES);
    expect(ok(r).warnings.map((w) => w.replace(/^corpus\/traefik-ingress-ipv6-externalname-endpointslice\.yaml:/, ''))).toEqual([
      '1:1: ' + NO_WORKLOAD,
      '1:1: warning: Ingress/testing/"example.com": no ingress controller in the Cluster (spec.ingressControllers): this Ingress routes nothing',
      '37:14: warning: Service/testing/service-bar.spec.clusterIP: fc00:f853:ccd:e793::1 is an IPv6 address: the simulator addresses Services in IPv4 and allocates one in its place (latencies and balancing do not depend on the address family)',
    ]);
    const { spec } = ok(r);
    expect(servicePorts(spec)).toEqual(['testing/service-bar ClusterIP 8080->8080/TCP', 'testing/service-foo ExternalName 8080->8080/TCP']);
    expect(spec.services[0]!.clusterIP).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\./);
    expect(spec.services[1]!.externalName).toBe('2001:0db8:3c4d:0015:0000:0000:1a2f:2a3b');
    expect(formatIgnored(r.ignored)).toEqual([
      'EndpointSlice testing/service-bar-abc: Service testing/service-bar has no selector: endpoints kept by hand (or by another controller) are not simulated, the Service has none',
    ]);
  });
});

describe('live objects (kubectl get -o yaml / -o json)', () => {
  test('a Deployment with managedFields and status: its 4 replicas from the template (no pods in the dump)', () => {
    const r = corpus('kubectl-dump-deployment-managedfields-status.yaml');
    expect(ok(r).warnings).toEqual([`corpus/kubectl-dump-deployment-managedfields-status.yaml:1:1: ${NO_CLUSTER}`, `corpus/kubectl-dump-deployment-managedfields-status.yaml:1:1: ${NO_WORKLOAD}`]);
    const { spec } = ok(r);
    expect(spec.pods.map((p) => p.name.replace(/-[a-z0-9]+-[a-z0-9]{5}$/, ''))).toEqual(Array(4).fill('kustomize-guestbook-ui'));
    expect(podsPerNode(spec)).toEqual({ 'node-1': 2, 'node-2': 1, 'node-3': 1 });
    expect(spec.pods[0]!.requests).toEqual({ cpu: 0.05, memory: 100 * 2 ** 20 });
    expect(r.ignored).toEqual([]);
  });

  test('a GKE Node: the cluster is that node, its zone, allocatable and InternalIP; no Cluster needed', () => {
    const r = corpus('kubectl-dump-node-gke-zone-labels.yaml');
    expect(ok(r).warnings).toEqual([`corpus/kubectl-dump-node-gke-zone-labels.yaml:1:1: ${NO_WORKLOAD}`]);
    const { spec } = ok(r);
    expect(spec.nodes.map((n) => [n.name, n.zone, n.ip, n.cpu, n.memory])).toEqual([['node-default-pool-something', 'us-central1-b', '10.0.0.1', 3.92, 12700100 * 1024]]);
    expect(spec.nodes[0]!.labels).toMatchObject({ 'topology.kubernetes.io/region': 'us-central1', 'node.kubernetes.io/instance-type': 'n1-standard-4', 'cloud.google.com/gke-nodepool': 'default-pool' });
    expect(r.ignored).toEqual([]);
  });

  test('a Pod owned by a ReplicaSet that is not in the dump: kept as it is, on its node (given by a Cluster here)', () => {
    const cluster = yaml('apiVersion: netsim/v1', 'kind: Cluster', 'spec:', '  nodes: [{name: node-name, zone: us-central1-b}]');
    const r = corpus('kubectl-dump-pod-replicaset-owner.yaml', cluster);
    expect(ok(r).warnings).toEqual([`corpus/kubectl-dump-pod-replicaset-owner.yaml:1:1: ${NO_WORKLOAD}`]);
    const { spec } = ok(r);
    expect(spec.pods.map((p) => [p.name, p.nodeName, p.ready, p.terminating])).toEqual([['some-name', 'node-name', true, false]]);
    expect(r.ignored).toEqual([]);
    // Alone, the file is a dump with no nodes: an error, with its place.
    expect(corpus('kubectl-dump-pod-replicaset-owner.yaml').ok).toBe(false);
  });

  test('a k3s Service with managedFields, clusterIPs and ipFamilies: no "did you mean clusterIP"; its address is the cluster\'s range', () => {
    const r = corpus('kubectl-dump-service-clusterip-managedfields.yaml');
    const file = 'corpus/kubectl-dump-service-clusterip-managedfields.yaml';
    // True: the file has the Service and no pod of it.
    expect(ok(r).warnings).toEqual([
      `${file}:1:1: ${NO_CLUSTER}`,
      `${file}:1:1: ${NO_WORKLOAD}`,
      `${file}:50:3: warning: Service/httpbin/httpbin-svc.spec.selector: no endpoints: selector app=httpbin matches no pod in namespace httpbin`,
    ]);
    const { spec } = ok(r);
    expect(servicePorts(spec)).toEqual(['httpbin/httpbin-svc ClusterIP 7777->80/TCP,333->333/TCP']);
    expect(spec.services[0]!.clusterIP).toBe('10.43.223.115');
    expect(r.ignored).toEqual([]);
  });

  test('a JSON EndpointSlice naming no Service: listed with the reason', () => {
    const r = corpus('kubectl-json-endpointslice.json');
    expect(ok(r).warnings).toHaveLength(2); // no Cluster, no Workload
    expect(formatIgnored(r.ignored)).toEqual(['EndpointSlice blee/fred: it names no Service (no kubernetes.io/service-name label), so there is nothing to check it against']);
  });

  test('an autoscaling/v2 HPA whose Deployment is not in the file: listed with the reason, not an error', () => {
    const r = corpus('gke-helloweb-hpa-autoscaling-v2.yaml');
    expect(ok(r).warnings).toHaveLength(2); // no Cluster, no Workload
    expect(formatIgnored(r.ignored)).toEqual(['HorizontalPodAutoscaler cpu: its target, Deployment default/helloweb, is not in the scenario']);
  });
});

describe('every corpus file loads on its own with no error', () => {
  // The one exception is the point of its test above: a live pod bound to a node nobody describes.
  const alone = readdirSync(DIR).filter((f) => f !== 'SOURCES.md' && f !== 'kubectl-dump-pod-replicaset-owner.yaml');
  test.each(alone)('%s', (file) => {
    const r = corpus(file);
    ok(r);
  });
});
