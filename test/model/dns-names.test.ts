/**
 * The resolver's search walk (ndots:5) and cluster DNS records: exact query counts per KUBERNETES.md §8.
 */
import { describe, expect, test } from 'vitest';
import { ClusterIndex } from '../../src/model/cluster-index.js';
import { lookupRecord, planLookup, searchNames, type RecordContext, type SearchConfig } from '../../src/model/dns/names.js';
import type { ServiceSpec } from '../../src/model/spec.js';
import { modelSpec, node, pod, service } from './fixtures.js';

const CFG: SearchConfig = { namespace: 'default', clusterDomain: 'cluster.local', ndots: 5, search: [] };

const web = service({ name: 'web-service', type: 'ClusterIP', loadBalancerIP: null });
const shopApi = service({ name: 'api', namespace: 'shop', type: 'ClusterIP', loadBalancerIP: null });
const headless = service({ name: 'db', type: 'ClusterIP', clusterIP: null, loadBalancerIP: null });
const empty = service({ name: 'nobody', type: 'ClusterIP', clusterIP: null, loadBalancerIP: null, selector: { app: 'none' } });
const extName = service({
  name: 'my-externalname-service',
  type: 'ExternalName',
  clusterIP: null,
  selector: null,
  ports: [],
  loadBalancerIP: null,
  externalName: 'my-external-service.example.com',
});
const services: ServiceSpec[] = [web, shopApi, headless, empty, extName];
const spec = modelSpec({ nodes: [node('node-1', 'a')], pods: [pod('web-0', 'node-1')], services });
const index = new ClusterIndex(spec);
const CTX: RecordContext = {
  clusterDomain: 'cluster.local',
  services,
  externalHosts: ['my-external-service.example.com', 'api.example.com', 'a.b.c.d.e.example.com'],
  headlessHasAddresses: (s) => s.name === 'db' && index.podCount > 0,
};

describe('the search walk', () => {
  test('the search list of a pod in namespace default', () => {
    expect(searchNames('web-service', CFG)).toEqual([
      'web-service.default.svc.cluster.local',
      'web-service.svc.cluster.local',
      'web-service.cluster.local',
      'web-service',
    ]);
  });

  test('a name with ndots or more dots is tried as it is first; a trailing dot means only itself', () => {
    expect(searchNames('a.b.c.d.e.example.com', CFG)[0]).toBe('a.b.c.d.e.example.com');
    expect(searchNames('web-service.default.svc.cluster.local.', CFG)).toEqual(['web-service.default.svc.cluster.local']);
  });

  // [name, queries]: 2 per step (A and AAAA), up to the first step that exists.
  const counts: [string, number][] = [
    ['web-service', 2], // first search domain
    ['api.shop', 4], // api.shop.default.svc... NXDOMAIN, then api.shop.svc.cluster.local
    ['api.shop.svc', 6],
    ['web-service.default.svc.cluster.local', 8], // 4 dots < 5: three NXDOMAIN steps before the name itself
    ['web-service.default.svc.cluster.local.', 2],
    ['api.example.com', 8], // the three cluster domains, then the name: 3 NXDOMAIN steps
    ['a.b.c.d.e.example.com', 2], // 6 dots: itself first
    ['db', 2],
    ['my-externalname-service', 2],
  ];
  test.each(counts)('%s costs %i queries', (name, queries) => {
    const plan = planLookup(name, CFG, CTX);
    expect(plan.answerStep).toBe(plan.steps.length - 1);
    expect(plan.queries).toBe(queries);
    expect(plan.steps.slice(0, -1).every((s) => s.record.kind === 'nxdomain')).toBe(true);
  });

  test('a node search domain adds a step to external names: 10 queries (§8: 8-10)', () => {
    const plan = planLookup('api.example.com', { ...CFG, search: ['ec2.internal'] }, CTX);
    expect(plan.queries).toBe(10);
    expect(plan.steps.map((s) => s.name)).toEqual([
      'api.example.com.default.svc.cluster.local',
      'api.example.com.svc.cluster.local',
      'api.example.com.cluster.local',
      'api.example.com.ec2.internal',
      'api.example.com',
    ]);
  });

  test('ndots:1 (a common dnsConfig) sends external names straight out', () => {
    expect(planLookup('api.example.com', { ...CFG, ndots: 1 }, CTX).queries).toBe(2);
    expect(planLookup('web-service', { ...CFG, ndots: 1 }, CTX).queries).toBe(2);
  });

  test('from another namespace, a short name misses its own namespace first', () => {
    expect(planLookup('web-service', { ...CFG, namespace: 'shop' }, CTX).answerStep).toBe(-1); // not in shop
    expect(planLookup('web-service.default', { ...CFG, namespace: 'shop' }, CTX).queries).toBe(4);
  });

  test('a name that exists nowhere walks the whole list and fails', () => {
    const plan = planLookup('nope', CFG, CTX);
    expect(plan.answerStep).toBe(-1);
    expect(plan.queries).toBe(8);
  });
});

describe('records', () => {
  test('cluster IP, headless, ExternalName CNAME, external, NXDOMAIN', () => {
    expect(lookupRecord('web-service.default.svc.cluster.local', CTX).kind).toBe('cluster-ip');
    expect(lookupRecord('db.default.svc.cluster.local', CTX).kind).toBe('headless');
    expect(lookupRecord('nobody.default.svc.cluster.local', CTX)).toEqual({ kind: 'nxdomain', inCluster: true });
    expect(lookupRecord('my-externalname-service.default.svc.cluster.local', CTX)).toMatchObject({
      kind: 'cname',
      target: 'my-external-service.example.com',
      host: 0,
    });
    expect(lookupRecord('API.example.com.', CTX)).toEqual({ kind: 'external', host: 1 });
    expect(lookupRecord('unknown.example.com', CTX)).toEqual({ kind: 'nxdomain', inCluster: false });
    expect(lookupRecord('default.svc.cluster.local', CTX).kind).toBe('nxdomain');
  });
});
