/**
 * Which domains a topology spread constraint counts, as kube-scheduler's PodTopologySpread does
 * (pkg/scheduler/framework/plugins/podtopologyspread: `calPreFilterState`, `Filter`, `initPreScoreState`):
 *
 * - the minimum is taken over the domains of every node that has the constraints' keys and passes the node
 *   inclusion policies, not only the nodes the pod fits: a full node's domain counts, and so does a tainted
 *   one unless `nodeTaintsPolicy: Honor`; a node the pod's node selector excludes does not, unless
 *   `nodeAffinityPolicy: Ignore`;
 * - `minDomains`: with fewer domains than that, the minimum is 0;
 * - `matchLabelKeys` narrows the selector to the incoming pod's values of those labels;
 * - ScheduleAnyway: a node without the constraint's key scores worst.
 *
 * Expected placements are worked out by hand in the comments.
 */
import { describe, expect, test } from 'vitest';
import type { TopologySpreadConstraint } from '../../src/scenario/kinds/pod.js';
import { placePods, type PlacementNode, type PlacementPod } from '../../src/scenario/placement.js';
import { failed, load, yaml } from './helpers.js';

const node = (name: string, zone: string, extra: Partial<PlacementNode> = {}, labels: Record<string, string> = {}): PlacementNode => ({
  name,
  zone,
  labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zone, ...labels },
  ...extra,
});

const ZONE = 'topology.kubernetes.io/zone';
const zoneSpread = (extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint => ({
  maxSkew: 1,
  topologyKey: ZONE,
  whenUnsatisfiable: 'DoNotSchedule',
  labelSelector: { matchLabels: { app: 'web' } },
  ...extra,
});
const web = (extra: Partial<PlacementPod> = {}, c: Partial<TopologySpreadConstraint> = {}): PlacementPod => ({
  namespace: 'default',
  labels: { app: 'web' },
  requests: { cpu: 1, memory: 0 },
  topologySpreadConstraints: [zoneSpread(c)],
  ...extra,
});
/** A Pod manifest whose one zone spread constraint has `whenUnsatisfiable: kind` and, on line 10, `extra`. */
const podWithSpread = (kind: string, extra: string): string =>
  yaml(
    'apiVersion: v1',
    'kind: Pod',
    'metadata: { name: web-0, labels: { app: web } }',
    'spec:',
    '  containers: [{ name: app, image: nginx }]',
    '  topologySpreadConstraints:',
    '    - maxSkew: 1',
    '      topologyKey: topology.kubernetes.io/zone',
    `      whenUnsatisfiable: ${kind}`,
    `      ${extra}`,
  );
const nodesOf = (out: { node: string | null }[]): (string | null)[] => out.map((p) => p.node);

describe('DoNotSchedule: which nodes make the domains', () => {
  // Zones a and b have room; zone c has a node too small for a 1-CPU pod, so it holds no web pod.
  // Pod 1: every zone has 0, min 0 → a (0 + 1 − 0 = 1). Pod 2: a is at 2 − 0 > 1, so b.
  // Pod 3: a and b are both at 1 + 1 − 0 = 2 > 1: zone c's 0 is the minimum, and c cannot take the pod.
  test('a full node still holds its domain at 0, so the third pod stays Pending', () => {
    const nodes = [node('a1', 'a'), node('b1', 'b'), node('c1', 'c', { cpu: 0.5 })];
    const out = placePods(nodes, [web(), web(), web()]);
    expect(nodesOf(out)).toEqual(['a1', 'b1', null]);
    expect(out[2]).toEqual({ node: null, reason: "0/3 nodes are available: 2 node(s) didn't match pod topology spread constraints (maxSkew 1 over topology.kubernetes.io/zone)" });
  });

  const tainted = [node('a1', 'a'), node('b1', 'b'), node('c1', 'c', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] })];

  test('a tainted node counts by default (nodeTaintsPolicy Ignore)', () => {
    expect(nodesOf(placePods(tainted, [web(), web(), web()]))).toEqual(['a1', 'b1', null]);
    expect(nodesOf(placePods(tainted, [web({}, { nodeTaintsPolicy: 'Ignore' }), web({}, { nodeTaintsPolicy: 'Ignore' }), web({}, { nodeTaintsPolicy: 'Ignore' })]))).toEqual(['a1', 'b1', null]);
  });

  // With Honor zone c drops out: after a and b hold one each, min = 1 and a takes pod 3 (1 + 1 − 1 = 1).
  test('with nodeTaintsPolicy Honor a node whose taint the pod does not tolerate makes no domain', () => {
    const honor = { nodeTaintsPolicy: 'Honor' } as const;
    expect(nodesOf(placePods(tainted, [web({}, honor), web({}, honor), web({}, honor)]))).toEqual(['a1', 'b1', 'a1']);
    // A tolerated taint does not exclude the node: zone c counts again.
    const tolerant = { tolerations: [{ key: 'dedicated', operator: 'Exists' as const }] };
    const small = [node('a1', 'a'), node('b1', 'b'), node('c1', 'c', { cpu: 0.5, taints: tainted[2]!.taints })];
    expect(nodesOf(placePods(small, [web(tolerant, honor), web(tolerant, honor), web(tolerant, honor)]))).toEqual(['a1', 'b1', null]);
  });

  // The pods select pool=web; c1 lacks the label. Honor (default): c is no domain, so pod 3 goes to a.
  // Ignore: c1 counts with 0 and pod 3 is Pending.
  test('nodeAffinityPolicy: Honor leaves out nodes the pod selector excludes, Ignore counts them', () => {
    const nodes = [node('a1', 'a', {}, { pool: 'web' }), node('b1', 'b', {}, { pool: 'web' }), node('c1', 'c')];
    const sel = { nodeSelector: { pool: 'web' } };
    expect(nodesOf(placePods(nodes, [web(sel), web(sel), web(sel)]))).toEqual(['a1', 'b1', 'a1']);
    expect(nodesOf(placePods(nodes, [web(sel, { nodeAffinityPolicy: 'Honor' }), web(sel, { nodeAffinityPolicy: 'Honor' }), web(sel, { nodeAffinityPolicy: 'Honor' })]))).toEqual(['a1', 'b1', 'a1']);
    const ignore = { nodeAffinityPolicy: 'Ignore' } as const;
    expect(nodesOf(placePods(nodes, [web(sel, ignore), web(sel, ignore), web(sel, ignore)]))).toEqual(['a1', 'b1', null]);
  });

  // Both policies at once: c1 lacks pool=web (counted under Ignore) and has a taint the pod does not tolerate
  // (left out under Honor): zone c drops out again and pod 3 goes to a.
  test('nodeTaintsPolicy Honor also applies to nodes counted only through nodeAffinityPolicy Ignore', () => {
    const nodes = [node('a1', 'a', {}, { pool: 'web' }), node('b1', 'b', {}, { pool: 'web' }), node('c1', 'c', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] })];
    const sel = { nodeSelector: { pool: 'web' } };
    const both = { nodeAffinityPolicy: 'Ignore', nodeTaintsPolicy: 'Honor' } as const;
    expect(nodesOf(placePods(nodes, [web(sel, both), web(sel, both), web(sel, both)]))).toEqual(['a1', 'b1', 'a1']);
    const ignore = { nodeAffinityPolicy: 'Ignore' } as const;
    expect(nodesOf(placePods(nodes, [web(sel, ignore), web(sel, ignore), web(sel, ignore)]))).toEqual(['a1', 'b1', null]);
    // Without the taint, c1 passes Honor and holds zone c at 0: pod 3 is Pending.
    const clean = [nodes[0]!, nodes[1]!, node('c1', 'c')];
    expect(nodesOf(placePods(clean, [web(sel, both), web(sel, both), web(sel, both)]))).toEqual(['a1', 'b1', null]);
  });

  // Pods counted on a node outside the domains do not count, even in a zone that has other nodes.
  test('pods on an excluded node are not counted in their zone', () => {
    // a1 (pool=web) and a2 (no pool) share zone a; b1 (pool=web) is zone b. Two web pods sit on a2.
    // Counting only pool=web nodes: a = 0, b = 0 → the new pod goes to a1 (name order, both at 0 + 1 − 0).
    const nodes = [node('a1', 'a', {}, { pool: 'web' }), node('a2', 'a'), node('b1', 'b', {}, { pool: 'web' })];
    const pinned = { nodeName: 'a2', topologySpreadConstraints: [] };
    const out = placePods(nodes, [web(pinned), web(pinned), web({ nodeSelector: { pool: 'web' } })]);
    expect(nodesOf(out)).toEqual(['a2', 'a2', 'a1']);
    // Counting every node (Ignore): a = 2, b = 0 → a1 would be 2 + 1 − 0 = 3 > 1: b1.
    const out2 = placePods(nodes, [web(pinned), web(pinned), web({ nodeSelector: { pool: 'web' } }, { nodeAffinityPolicy: 'Ignore' })]);
    expect(nodesOf(out2)).toEqual(['a2', 'a2', 'b1']);
  });
});

describe('nodes without the constraints\' keys', () => {
  // x1 has no zone label: it is neither a candidate nor a domain, so zones a and b alone set the minimum:
  // a1, b1, then a1 again (1 + 1 − 1 = 1).
  test('a node without the key makes no domain', () => {
    const nodes = [node('a1', 'a'), node('b1', 'b'), { name: 'x1', zone: '', labels: { 'kubernetes.io/hostname': 'x1' } }];
    expect(nodesOf(placePods(nodes, [web(), web(), web()]))).toEqual(['a1', 'b1', 'a1']);
  });
  // Two hard constraints, zone (maxSkew 1) and rack (maxSkew 5): c1 has a zone but no rack, so it is left
  // out of both constraints' domains (a node must carry every key), and zone c does not hold the minimum at 0.
  test('a node must carry every hard constraint\'s key to make a domain of any of them', () => {
    const nodes = [node('a1', 'a', {}, { rack: 'r1' }), node('b1', 'b', {}, { rack: 'r2' }), node('c1', 'c')];
    const both = (): PlacementPod => web({ topologySpreadConstraints: [zoneSpread(), zoneSpread({ topologyKey: 'rack', maxSkew: 5 })] });
    expect(nodesOf(placePods(nodes, [both(), both(), both()]))).toEqual(['a1', 'b1', 'a1']);
  });
});

describe('minDomains', () => {
  // Two zones, minDomains 3: the minimum is 0 while there are fewer than 3 domains, so each zone takes one
  // pod (1 − 0 ≤ 1) and the third is Pending (1 + 1 − 0 = 2). Without minDomains, min = 1 and it goes to a.
  const nodes = [node('a1', 'a'), node('b1', 'b')];
  test('with fewer domains than minDomains the global minimum is 0', () => {
    const three = { minDomains: 3 };
    expect(nodesOf(placePods(nodes, [web({}, three), web({}, three), web({}, three)]))).toEqual(['a1', 'b1', null]);
    expect(nodesOf(placePods(nodes, [web(), web(), web()]))).toEqual(['a1', 'b1', 'a1']);
  });

  test('with as many domains as minDomains the minimum is the smallest count', () => {
    const two = { minDomains: 2 };
    expect(nodesOf(placePods(nodes, [web({}, two), web({}, two), web({}, two)]))).toEqual(['a1', 'b1', 'a1']);
  });

  test('the loader refuses minDomains on a ScheduleAnyway constraint, with the place', () => {
    const bad = failed(load({ 'pod.yaml': podWithSpread('ScheduleAnyway', 'minDomains: 2') }));
    expect(bad.errors.join('\n')).toMatch(/^pod\.yaml:10:\d+.*minDomains.*DoNotSchedule/m);
  });
});

describe('matchLabelKeys', () => {
  // Zone a holds 2 rev-1 web pods, zone b 1 rev-1 web pod and 2 other pods (3 in all).
  // Selector app=web: a = 2, b = 1, min 1 → a fails (2 + 1 − 1 = 2), b passes: b1.
  // With matchLabelKeys [rev] the rev-2 pod counts only rev-2 pods: 0 everywhere, both pass, and the node
  // with fewer pods wins: a1 (2 pods) before b1 (3).
  const nodes = [node('a1', 'a'), node('b1', 'b')];
  const at = (nodeName: string, labels: Record<string, string>): PlacementPod => ({ namespace: 'default', labels, nodeName });
  const existing = [at('a1', { app: 'web', rev: '1' }), at('a1', { app: 'web', rev: '1' }), at('b1', { app: 'web', rev: '1' }), at('b1', { app: 'other' }), at('b1', { app: 'other' })];
  const rev2 = (c: Partial<TopologySpreadConstraint> = {}): PlacementPod => web({ labels: { app: 'web', rev: '2' }, requests: undefined }, c);

  test('without matchLabelKeys every web pod counts', () => {
    expect(placePods(nodes, [...existing, rev2()])[5]).toEqual({ node: 'b1' });
  });
  test('with matchLabelKeys only the pods with the same value of those labels count', () => {
    expect(placePods(nodes, [...existing, rev2({ matchLabelKeys: ['rev'] })])[5]).toEqual({ node: 'a1' });
  });
  // A rev-2 pod already sits on a1, which holds 3 pods; b1 holds 4 others. Counting rev-2 pods: a = 1, b = 0,
  // so a fails (1 + 1 − 0 = 2) and b1 takes the pod although it has more pods.
  test('the pods with the same value are counted, not none of them', () => {
    const busy = [at('a1', { app: 'web', rev: '1' }), at('a1', { app: 'web', rev: '1' }), at('a1', { app: 'web', rev: '2' }), ...Array.from({ length: 4 }, () => at('b1', { app: 'other' }))];
    expect(placePods(nodes, [...busy, rev2({ matchLabelKeys: ['rev'] })])[7]).toEqual({ node: 'b1' });
    // The selector's own expressions still apply beside the added one: tier=front excludes the rev-2 pod on a1.
    const fronted = rev2({ matchLabelKeys: ['rev'], labelSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] } });
    expect(placePods(nodes, [...busy, fronted])[7]).toEqual({ node: 'a1' });
  });
  test('without a labelSelector no pod is counted, whatever matchLabelKeys says', () => {
    const unselected = rev2({ matchLabelKeys: ['rev'], labelSelector: undefined });
    expect(placePods(nodes, [...existing, unselected])[5]).toEqual({ node: 'a1' });
  });
  test('the loader refuses matchLabelKeys without a labelSelector, with the place', () => {
    const bad = failed(load({ 'pod.yaml': podWithSpread('DoNotSchedule', 'matchLabelKeys: [pod-template-hash]') }));
    expect(bad.errors.join('\n')).toMatch(/^pod\.yaml:10:\d+.*matchLabelKeys.*labelSelector/m);
  });
  test('a key the incoming pod lacks is ignored', () => {
    expect(placePods(nodes, [...existing, rev2({ matchLabelKeys: ['pod-template-hash'] })])[5]).toEqual({ node: 'b1' });
  });
});

describe('ScheduleAnyway', () => {
  // n1 has rack r1 and one web pod; n2 has no rack label and no pod. Counting by rack, n1 scores 1; n2 lacks
  // the key and scores worst (kube-scheduler ignores it in scoring: NormalizeScore gives it 0), so n1 wins
  // although it has more pods.
  test('a node without the constraint key scores worst', () => {
    const nodes = [node('n1', 'a', {}, { rack: 'r1' }), node('n2', 'a')];
    const soft: TopologySpreadConstraint = { maxSkew: 1, topologyKey: 'rack', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } };
    const out = placePods(nodes, [
      { namespace: 'default', labels: { app: 'web' }, nodeName: 'n1' },
      { namespace: 'default', labels: { app: 'web' }, topologySpreadConstraints: [soft] },
    ]);
    expect(nodesOf(out)).toEqual(['n1', 'n1']);
  });
});
