/** Cost per hour and per month: the formula of docs/results.md, checked by hand on a small case. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { costOf, fixedCostPerHour, HOURS_PER_MONTH } from '../../src/experiment/cost.js';
import { serializeResultFile, toResultFile } from '../../src/experiment/result-file.js';
import { runScenario } from '../../src/experiment/run-scenario.js';
import type { ModelSpec } from '../../src/model/spec.js';
import { ROOT, workspace, yaml } from './helpers.js';

type CostSpec = Parameters<typeof costOf>[0];
type CostRun = Parameters<typeof costOf>[1];

const service = (name: string, type: string) => ({ name, namespace: 'default', type }) as unknown as ModelSpec['services'][number];
const node = (name: string, price?: number, more: object = {}) => ({ name, zone: 'a', ...(price !== undefined ? { pricePerHour: price } : {}), ...more }) as unknown as ModelSpec['nodes'][number];
const client = (name: string, via: string, requestBytes: number, responseBytes: number) =>
  ({ name, target: { service: 'default/web', port: 80, via, nodes: [] }, requestBytes, responseBytes }) as unknown as ModelSpec['clients'][number];

describe('costOf, by hand', () => {
  // Three nodes up ($0.096, $0.096, $0.192 an hour), a node group at $0.05 whose size over the windows is
  // 1, 2, 3, 2 (mean 2) with a slot laid out but absent, two LoadBalancer Services at $0.0225 an hour and
  // $0.008 per GB processed, a ClusterIP Service (no load balancer), cross-zone transfer at $0.02 per GB.
  const spec: CostSpec = {
    nodes: [node('n1', 0.096), node('n2', 0.096), node('n3', 0.192), node('g-0', 0.05, { group: 'g' }), node('g-1', 0.05, { group: 'g', absent: true }), node('free')],
    services: [service('web', 'LoadBalancer'), service('api', 'LoadBalancer'), service('db', 'ClusterIP')],
    network: { crossZoneCostPerGB: 0.02, loadBalancerCostPerHour: 0.0225, loadBalancerCostPerGB: 0.008 } as ModelSpec['network'],
    clients: [client('users', 'loadBalancer', 1e6, 2e6), client('internal', 'clusterIP', 5e6, 5e6)],
  };
  // Half an hour measured; 5 GB crossed zones; the users sent 1000 requests of 1 MB, 990 came back with 2 MB.
  const run: CostRun = {
    measuredSeconds: 1800,
    paths: { crossZoneBytes: 5e9 } as CostRun['paths'],
    clients: [
      { client: 'users', generated: 1000, completed: 990, dropped: 10, meanLatency: 0.01, connectionsOpened: 1 },
      { client: 'internal', generated: 500, completed: 500, dropped: 0, meanLatency: 0.01, connectionsOpened: 1 },
    ],
    timeSeries: { nodeGroups: [{ name: 'g', values: [1, 2, 3, 2] }] } as unknown as CostRun['timeSeries'],
  };

  test('each part and the total', () => {
    const c = costOf(spec, run);
    // Nodes: 0.096 + 0.096 + 0.192 + 0 (no price) = 0.384, and the group's mean size 2 × 0.05 = 0.10.
    expect(c.nodes).toBe(4 + 2);
    expect(c.nodesPerHour).toBeCloseTo(0.484, 12);
    // Two load balancers × 0.0225.
    expect(c.loadBalancers).toBe(2);
    expect(c.loadBalancersPerHour).toBeCloseTo(0.045, 12);
    // 5 GB × $0.02 = $0.10 in half an hour: $0.20 an hour.
    expect(c.crossZonePerHour).toBeCloseTo(0.2, 12);
    // 1000 × 1 MB + 990 × 2 MB = 2.98 GB × $0.008 = $0.02384 in half an hour: $0.04768 an hour.
    // The ClusterIP client's bytes do not go through a load balancer.
    expect(c.loadBalancerTrafficPerHour).toBeCloseTo(0.04768, 12);
    expect(c.perHour).toBeCloseTo(0.484 + 0.045 + 0.2 + 0.04768, 12);
    expect(c.perMonth).toBeCloseTo(0.77668 * 730, 9);
    expect(c.hoursPerMonth).toBe(HOURS_PER_MONTH);
    // What a plan's grid prunes with: nodes up at the start and load balancers (the group's one node at the start).
    expect(fixedCostPerHour(spec)).toBeCloseTo(0.384 + 0.05 + 0.045, 12);
  });

  test('no measurement window: traffic costs nothing per hour (no division by zero)', () => {
    const c = costOf(spec, { ...run, measuredSeconds: 0 });
    expect(c.crossZonePerHour).toBe(0);
    expect(c.loadBalancerTrafficPerHour).toBe(0);
  });
});

describe('cost in result.json, from the Cluster prices', () => {
  const scenario = yaml(
    'apiVersion: netsim/v1',
    'kind: Cluster',
    'metadata: {name: priced}',
    'spec:',
    '  zones:',
    '    - {name: a, nodes: 2, pricePerHour: 0.1}',
    '    - {name: b, nodes: 1, pricePerHour: 0.3}',
    '  nodes: [{name: extra, zone: b, pricePerHour: 0.05}]',
    '  loadBalancer: {kind: ip, crossZone: true, pricePerHour: 0.025, pricePerGB: 0.01}',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web}',
    'spec:',
    '  replicas: 3',
    '  selector: {matchLabels: {app: web}}',
    '  template:',
    '    metadata: {labels: {app: web}, annotations: {netsim/service-time: "exp(mean=2ms)"}}',
    '    spec: {containers: [{name: web}]}',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: web}',
    'spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}',
    '---',
    'apiVersion: netsim/v1',
    'kind: Workload',
    'metadata: {name: load}',
    'spec:',
    '  clients:',
    '    - {name: users, target: {service: web, via: loadBalancer}, rate: 200/s, requestSize: 1KiB, responseSize: 10KiB}',
    '---',
    'apiVersion: netsim/v1',
    'kind: Simulation',
    'metadata: {name: priced}',
    'spec: {duration: 2s, warmup: 0s, seed: 3}',
  );

  test('result.cost follows the formula on the run\'s own figures, and the file validates', () => {
    const ws = workspace({ 'priced.yaml': scenario });
    try {
      const out = runScenario({ files: [ws.path('priced.yaml')] });
      if (!out.ok) throw new Error(out.diagnostics.map((d) => d.message).join('; '));
      const r = out.result;
      const c = r.cost!;
      expect(c.nodes).toBe(4);
      expect(c.nodesPerHour).toBeCloseTo(2 * 0.1 + 0.3 + 0.05, 12);
      expect(c.loadBalancersPerHour).toBeCloseTo(0.025, 12);
      const users = r.clients.find((x) => x.client === 'users')!;
      const lbBytes = users.generated * 1024 + users.completed * 10240;
      expect(c.loadBalancerTrafficPerHour).toBeCloseTo(((lbBytes / 1e9) * 0.01 * 3600) / r.measuredSeconds, 12);
      expect(c.crossZonePerHour).toBeCloseTo((r.paths.crossZoneCost * 3600) / r.measuredSeconds, 12);
      expect(c.crossZonePerHour).toBeGreaterThan(0);
      expect(c.perMonth).toBeCloseTo(c.perHour * 730, 9);
      // In result.json right after paths, and valid against the schema.
      const file = JSON.parse(serializeResultFile(toResultFile(r, { files: out.files }))) as Record<string, unknown>;
      const keys = Object.keys(file);
      expect(keys[keys.indexOf('paths') + 1]).toBe('cost');
      const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/result.schema.json'), 'utf8')) as Record<string, unknown>;
      const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
      expect(validate(file) ? [] : validate.errors).toEqual([]);
    } finally {
      ws.cleanup();
    }
  });

  test('a sweep summary carries each point\'s cost per hour and per month', async () => {
    const { runSweep } = await import('../../src/experiment/sweep.js');
    const ws = workspace({
      'priced.yaml': scenario,
      'e.yaml': yaml(
        'apiVersion: netsim/v1',
        'kind: Experiment',
        'metadata: {name: priced}',
        'spec:',
        '  scenario: priced.yaml',
        '  parameters: [{name: nodes, path: "Cluster.spec.zones[0].nodes", values: [1, 2]}]',
        '  replications: 2',
        '  metrics: [latency.p99]',
      ),
    });
    try {
      const r = await runSweep({ experimentFile: ws.path('e.yaml'), out: ws.path('out'), workers: 0 });
      if (r.kind !== 'done') throw new Error(r.kind);
      const [one, two] = r.summary!.points;
      expect(one!.cost!.perHour.n).toBe(2);
      // One node of zone a fewer: $0.10 an hour less, the same in every replication of the fixed part.
      expect(two!.cost!.perHour.mean! - one!.cost!.perHour.mean!).toBeCloseTo(0.1, 2);
      expect(one!.cost!.perMonth.mean!).toBeCloseTo(one!.cost!.perHour.mean! * 730, 6);
      expect(ws.read('out/summary.csv')).toContain(',cost.perMonth,cost,');
    } finally {
      ws.cleanup();
    }
  });
});
