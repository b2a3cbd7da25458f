/**
 * Load distribution: which pods share the load (those backing a Service that served requests), each
 * pod's share within its group (the Services it backs) and each node's share of all requests, with their
 * even shares. Hand-built runs; the expected shares are worked out in the comments.
 */
import { describe, expect, test } from 'vitest';
import { isChart } from '../../src/report/charts/chart.js';
import { evenNodeShares, guessedServingPods, loadDistributionChart, loadDistributionData, servingPods } from '../../src/report/charts/load-distribution.js';
import type { RunView } from '../../src/report/inputs.js';
import { input, run } from './timeline-fixtures.js';

type Pod = RunView['pods'][number];
type Node = RunView['nodes'][number];
const BASE = run('s', undefined, undefined);

function pod(name: string, node: string | null, zone: string | null, requests: number, services?: readonly string[]): Pod {
  const p: Record<string, unknown> = { ...BASE.pods[0]!, pod: name, node, zone, requests, served: requests };
  if (services) p['services'] = services;
  else delete p['services'];
  return p as unknown as Pod;
}

const node = (name: string, zone: string, entryRequests: number): Node => ({ ...BASE.nodes[0]!, node: name, zone, entryRequests });
const runOf = (pods: readonly Pod[], nodes: readonly Node[] = []): RunView => ({ ...BASE, pods: [...pods], nodes: [...nodes] });

describe('the pods that share the load', () => {
  test('placed pods of the Services some request reached, and any pod a request reached', () => {
    const r0 = runOf([
      pod('shop/web-1', 'n1', 'a', 30, ['shop/web']),
      pod('shop/web-2', 'n2', 'b', 0, ['shop/web']), // got nothing, but backs a Service that served: in
      pod('shop/web-3', null, null, 0, ['shop/web']), // not placed: out
      pod('shop/client-1', 'n1', 'a', 0, []), // backs no Service: out
      pod('shop/db-1', 'n2', 'b', 0, ['shop/db']), // its Service served nothing: out
    ]);
    // Replication 1: a pod backing no Service was reached (in), and the db Service is still idle.
    const r1 = runOf([pod('shop/odd-1', 'n2', 'b', 5, []), pod('shop/db-1', 'n2', 'b', 0, ['shop/db'])]);
    expect([...servingPods([r0, r1])].sort()).toEqual(['shop/odd-1', 'shop/web-1', 'shop/web-2']);
    expect([...servingPods([r0])].sort()).toEqual(['shop/web-1', 'shop/web-2']);
    // By the Services, not by the names: a pod of another workload backing shop/web is in.
    expect([...servingPods([runOf([...r0.pods, pod('shop/api-1', 'n1', 'a', 0, ['shop/web'])])])].sort()).toEqual(['shop/api-1', 'shop/web-1', 'shop/web-2']);
    // One replication without pods[].services: the guess for all (here by workload name).
    const old = runOf([pod('shop/api-2', 'n1', 'a', 0)]);
    expect([...servingPods([runOf([...r0.pods, pod('shop/api-1', 'n1', 'a', 0, ['shop/web'])]), old])].sort()).toEqual(['shop/web-1', 'shop/web-2']);
  });

  test('results without pods[].services: pods reached, or of the same workload (name up to the last -)', () => {
    const runs = [
      runOf([
        pod('shop/web-5d9f-abcde', 'n1', 'a', 10),
        pod('shop/web-5d9f-fghij', 'n2', 'b', 0), // same workload: in
        pod('shop/web-5d9f-zzzzz', null, null, 0), // not placed: out
        pod('shop/client-xyz', 'n1', 'a', 0), // other workload: out
        pod('shop/solo', 'n1', 'a', 0), // no `-` in its name: its own workload, not reached: out
        pod('a-b/c', 'n1', 'a', 3), // reached; a `-` before the `/` is not a workload suffix
        pod('a-b/d', 'n1', 'a', 0), // workload a-b/d, not a-b/c's: out
      ]),
    ];
    const expected = ['a-b/c', 'shop/web-5d9f-abcde', 'shop/web-5d9f-fghij'];
    // A `-` right after the `/` starts the name: `ns/-a` is its own workload, not `ns/`'s.
    expect([...guessedServingPods([runOf([pod('ns/-a', 'n1', 'a', 1), pod('ns/-b', 'n1', 'a', 0)])])]).toEqual(['ns/-a']);
    expect([...guessedServingPods(runs)].sort()).toEqual(expected);
    // One pod without `services` is enough to fall back to the guess.
    const mixed = [runOf([...runs[0]!.pods.slice(0, 1).map((p) => ({ ...p, services: ['shop/web'] })), ...runs[0]!.pods.slice(1)])];
    expect([...servingPods(mixed)].sort()).toEqual(expected);
  });
});

describe('shares per pod and node', () => {
  // Two replications. Ingress controllers ctrl-1 (n1, zone a) and ctrl-2 (n2, b): 100 + 40 and 60 + 0.
  // Backends web-1 (n1, a) and web-2 (n2, b): 50 + 50 and 30 + 70. web-3 (n3, b) backs web and a canary
  // (its own group) and got nothing. A client pod backs no Service. Node n4 (zone a) has no pods.
  const pods = (ctrl1: number, ctrl2: number, web1: number, web2: number) => [
    pod('ing/ctrl-1', 'n1', 'a', ctrl1, ['ing/ctrl']),
    pod('ing/ctrl-2', 'n2', 'b', ctrl2, ['ing/ctrl']),
    pod('app/web-1', 'n1', 'a', web1, ['app/web']),
    pod('app/web-2', 'n2', 'b', web2, ['app/web']),
    pod('app/web-3', 'n3', 'b', 0, ['app/web-canary', 'app/web']),
    pod('app/client', 'n1', 'a', 0, []),
  ];
  const nodes = (n1: number, n2: number) => [node('n1', 'a', n1), node('n2', 'b', n2), node('n3', 'b', 0), node('n4', 'a', 0)];
  const dataOf = () => loadDistributionData(input('sweep', [{ name: 'c', runs: [runOf(pods(100, 60, 50, 30), nodes(150, 10)), runOf(pods(40, 0, 50, 70), nodes(20, 30))] }]));

  test('pods: requests summed over replications, share and even share within the group; ordered by group, zone, node, name', () => {
    const data = dataOf();
    const rows = data.rows.filter((r) => r.kind === 'pod');
    expect(rows.map((r) => [r.name, r.zone, r.group, r.requests, r.share, r.even, r.pods, r.entryRequests])).toEqual([
      ['app/web-1', 'a', 'app/web', 100, 0.5, 0.5, null, null],
      ['app/web-2', 'b', 'app/web', 100, 0.5, 0.5, null, null],
      ['app/web-3', 'b', 'app/web, app/web-canary', 0, 0, 1, null, null],
      ['ing/ctrl-1', 'a', 'ing/ctrl', 140, 0.7, 0.5, null, null],
      ['ing/ctrl-2', 'b', 'ing/ctrl', 60, 0.3, 0.5, null, null],
    ]);
    expect(rows.every((r) => r.configuration === 'c')).toBe(true);
  });

  test('nodes: every node, by zone then name; share of all requests its pods served; even share from the groups', () => {
    const data = dataOf();
    // n1 serves web-1 and ctrl-1: 240 of 400; n2: 160. Even: half the requests are web's (2 pods), half
    // ctrl's (2 pods): n1 holds one of each, 0.5/2 + 0.5/2 = 0.5; n3's canary group served nothing: 0.
    const rows = data.rows.filter((r) => r.kind === 'node');
    expect(rows.map((r) => [r.name, r.zone, r.group, r.requests, r.share, r.even, r.pods, r.entryRequests])).toEqual([
      ['n1', 'a', '', 240, 0.6, 0.5, 2, 170],
      ['n4', 'a', '', 0, 0, 0, 0, 0],
      ['n2', 'b', '', 160, 0.4, 0.5, 2, 40],
      ['n3', 'b', '', 0, 0, 0, 1, 0],
    ]);
  });

  test('the groups’ even shares, the configurations, the pods left out', () => {
    const data = dataOf();
    expect(data.even).toEqual([
      { configuration: 'c', kind: 'pod', group: 'app/web', n: 2, share: 0.5 },
      { configuration: 'c', kind: 'pod', group: 'app/web, app/web-canary', n: 1, share: 1 },
      { configuration: 'c', kind: 'pod', group: 'ing/ctrl', n: 2, share: 0.5 },
    ]);
    expect(data.configurations).toEqual(['c']);
    expect(data.excludedPods).toBe(1);
    expect(data.situation).toBe('At the highest load of the sweep, load=100/s.');
  });

  test('pods by group, then zone, then node, then name, whatever order the run lists them in', () => {
    const pods = [
      pod('p/a', 'n0', 'b', 1, ['p/s']),
      pod('p/b', 'n0', 'b', 1, ['p/s']),
      pod('p/d', 'n2', 'a', 1, ['p/s']),
      pod('p/c', 'n1', 'a', 1, ['p/s']),
      pod('z/q', 'n9', 'z', 1, ['a/x']),
    ];
    const d = loadDistributionData(input('run', [{ name: 'x', runs: [runOf([...pods].reverse())] }]));
    expect(d.rows.filter((r) => r.kind === 'pod').map((r) => r.name)).toEqual(['z/q', 'p/c', 'p/d', 'p/a', 'p/b']);
    expect(d.rows.filter((r) => r.kind === 'node').map((r) => r.name)).toEqual(['n1', 'n2', 'n0', 'n9']);
  });

  test('a pod on a node the run does not list: the node is shown, in the pod’s zone', () => {
    const d = loadDistributionData(input('run', [{ name: 'x', runs: [runOf([pod('p/a-1', 'n9', 'z', 10, ['p/a'])], [])] }]));
    expect(d.rows.map((r) => [r.kind, r.name, r.zone, r.requests, r.share, r.even, r.pods, r.entryRequests])).toEqual([
      ['pod', 'p/a-1', 'z', 10, 1, 1, null, null],
      ['node', 'n9', 'z', 10, 1, 1, 1, 0],
    ]);
    expect(d.excludedPods).toBe(0);
    expect(d.situation).toBe('');
  });

  test('results without pods[].services and nothing served: one group, zero shares; the most excluded over configurations', () => {
    const idle = runOf([pod('p/a-1', 'n1', 'a', 0), pod('p/b-1', 'n1', 'a', 0)], [node('n1', 'a', 0)]);
    const busy = runOf([pod('p/a-1', 'n1', 'a', 4), pod('p/a-2', 'n1', 'a', 0), pod('p/b-1', 'n1', 'a', 0), pod('p/c-1', 'n1', 'a', 0)], [node('n1', 'a', 4)]);
    const d = loadDistributionData(input('run', [{ name: 'idle', runs: [idle] }, { name: 'busy', runs: [busy] }]));
    expect(d.rows.filter((r) => r.configuration === 'idle').map((r) => [r.kind, r.name])).toEqual([['node', 'n1']]);
    expect(d.rows.filter((r) => r.configuration === 'idle')[0]).toMatchObject({ share: 0, even: 0, pods: 0 });
    expect(d.rows.filter((r) => r.configuration === 'busy').map((r) => [r.name, r.group, r.share, r.even])).toEqual([
      ['p/a-1', '', 1, 0.5],
      ['p/a-2', '', 0, 0.5],
      ['n1', '', 1, 1],
    ]);
    // idle leaves both its pods out, busy two of four: the note names the most.
    expect(d.excludedPods).toBe(2);
    expect(d.configurations).toEqual(['idle', 'busy']);
  });
});

describe('even node shares', () => {
  test('Σ over groups of (the group’s pods on the node / its pods) × (its share of the requests)', () => {
    const pods = [
      { node: 'n1', group: 'web' },
      { node: 'n1', group: 'web' },
      { node: 'n2', group: 'web' },
      { node: 'n2', group: 'db' },
    ];
    const shares = evenNodeShares(pods, [
      { group: 'web', requests: 300 },
      { group: 'db', requests: 100 },
    ]);
    // web weighs 3/4 over 3 pods, db 1/4 over 1: n1 = 2 × 1/4 = 0.5; n2 = 1/4 + 1/4 = 0.5.
    expect(shares.get('n1')).toBeCloseTo(0.5, 12);
    expect(shares.get('n2')).toBeCloseTo(0.5, 12);
    // A group the list does not name weighs nothing.
    const partial = evenNodeShares(pods, [{ group: 'web', requests: 300 }]);
    expect(partial.get('n1')).toBeCloseTo(2 / 3, 12);
    expect(partial.get('n2')).toBeCloseTo(1 / 3, 12);
  });

  test('without requests the groups weigh by their pods: pods on the node / pods', () => {
    const shares = evenNodeShares(
      [
        { node: 'n1', group: 'g1' },
        { node: 'n1', group: 'g1' },
        { node: 'n2', group: 'g2' },
      ],
      [
        { group: 'g1', requests: 0 },
        { group: 'g2', requests: 0 },
      ],
    );
    expect(shares.get('n1')).toBeCloseTo(2 / 3, 12);
    expect(shares.get('n2')).toBeCloseTo(1 / 3, 12);
    expect(shares.has('n3')).toBe(false);
  });
});

describe('what the chart makes of the groups and names', () => {
  const chartOf = (runs: readonly RunView[]) => {
    const c = loadDistributionChart(loadDistributionData(input('run', [{ name: 'x', runs }])));
    if (!isChart(c)) throw new Error(c.reason);
    return c;
  };

  test('one group per configuration: even share 1/n; pods of one namespace: the namespace in the title', () => {
    const c = chartOf([runOf([pod('app/web-1', 'n1', 'a', 3, ['app/web']), pod('app/web-2', 'n1', 'a', 1, ['app/web'])], [node('n1', 'a', 4)])]);
    expect(c.legend.map((l) => l.label)).toContain('even share: pod 1/n; node: pods on it / pods');
    expect(c.panels[0]!.title).toBe('Per pod (namespace app)');
  });

  test('two groups in a configuration: even share within the Service; pods of two namespaces: no namespace', () => {
    const c = chartOf([runOf([pod('app/web-1', 'n1', 'a', 3, ['app/web']), pod('ing/ctrl-1', 'n1', 'a', 3, ['ing/ctrl'])], [node('n1', 'a', 3)])]);
    expect(c.legend.map((l) => l.label)).toContain('even share: pod 1/n of its Service’s pods; node: its pods’ shares');
    expect(c.panels[0]!.title).toBe('Per pod');
  });

  test('two configurations of one group each: still one group per configuration', () => {
    const one = runOf([pod('app/web-1', 'n1', 'a', 3, ['app/web'])], [node('n1', 'a', 3)]);
    const c = loadDistributionChart(loadDistributionData(input('run', [{ name: 'x', runs: [one] }, { name: 'y', runs: [one] }])));
    if (!isChart(c)) throw new Error(c.reason);
    expect(c.legend.map((l) => l.label)).toContain('even share: pod 1/n; node: pods on it / pods');
  });

  test('a placed pod without a zone: zone empty', () => {
    const d = loadDistributionData(input('run', [{ name: 'x', runs: [runOf([pod('p/a-1', 'n1', null, 2, ['p/a'])], [])] }]));
    expect(d.rows.map((r) => [r.kind, r.zone])).toEqual([
      ['pod', ''],
      ['node', ''],
    ]);
  });

  test('pods without a namespace: no namespace in the title', () => {
    const c = chartOf([runOf([pod('web-1', 'n1', 'a', 3, ['web'])], [node('n1', 'a', 3)])]);
    expect(c.panels[0]!.title).toBe('Per pod');
  });
});
