/**
 * The scheduling rules placePods follows, one by one, with placements worked out by hand from
 * kube-scheduler's plugins (pkg/scheduler/framework/plugins in kubernetes/kubernetes):
 *
 * - NodeAffinity: `nodeSelector` and required node affinity (terms ORed, the expressions of a term ANDed,
 *   an empty term matching nothing, `matchFields` on `metadata.name`);
 * - TaintToleration: NoSchedule/NoExecute taints filter (toleration by key, value, operator and effect),
 *   PreferNoSchedule taints score;
 * - NodeResourcesFit: requests must fit the node's allocatable CPU and memory ("Insufficient cpu/memory");
 * - PodTopologySpread: `DoNotSchedule` filters with `count + selfMatch − min ≤ maxSkew`, `ScheduleAnyway`
 *   only scores, pods counted per selector within the pod's namespace; without constraints of its own a
 *   pod is spread over zones, then nodes, among its owner's pods (the default constraints);
 * - then the node with the fewest pods, then name order.
 *
 * Every rule that concerns pods without spread constraints is checked on both routes the code has for
 * them: the index (placement-index.ts) and the full scan, which such pods take once the index holds its
 * maximum number of pools (256 distinct selector/affinity/toleration signatures, MAX_POOLS).
 */
import { describe, expect, test } from 'vitest';
import type { Taint } from '../../src/scenario/kinds/cluster.js';
import type { Toleration, TopologySpreadConstraint } from '../../src/scenario/kinds/pod.js';
import { HOSTNAME_LABEL, placePods, tolerates, ZONE_LABEL, type Placement, type PlacementNode, type PlacementPod } from '../../src/scenario/placement.js';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

const node = (name: string, zone: string, extra: Partial<PlacementNode> = {}, labels: Record<string, string> = {}): PlacementNode => ({
  name,
  zone,
  labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zone, ...labels },
  ...extra,
});

const pod = (extra: Partial<PlacementPod> = {}): PlacementPod => ({ namespace: 'default', labels: {}, ...extra });
/** n unlabelled pods bound to a node: load that no selector counts. */
const othersOn = (nodeName: string, n: number): PlacementPod[] => Array.from({ length: n }, () => pod({ nodeName }));

/** Pods that fit no node, each with its own nodeSelector: more signatures than the index keeps pools for. */
const FILLERS = 300;
const poolFillers: PlacementPod[] = Array.from({ length: FILLERS }, (_, i) => pod({ namespace: 'filler', nodeSelector: { 'example.com/none': String(i) } }));

/** placePods after the index is full, so every pod below takes the full scan. */
function placeByScan(nodes: readonly PlacementNode[], pods: readonly PlacementPod[]): Placement[] {
  const out = placePods(nodes, [...poolFillers, ...pods]);
  expect(out.slice(0, FILLERS).every((p) => p.node === null)).toBe(true);
  return out.slice(FILLERS);
}

const ROUTES = [
  ['through the index', placePods],
  ['through the full scan', placeByScan],
] as const;

const nodesOf = (out: readonly Placement[]): (string | null)[] => out.map((p) => p.node);

describe.each(ROUTES)('pods without spread constraints, %s', (_route, place) => {
  test('default spreading: an owner\'s pods go to the zone with fewest of them, then the node with fewest, before the node with fewest pods', () => {
    // a-1, a-2 in zone a, b-1 in zone b; a bare pod already on b-1.
    //   web #1: no web pod anywhere -> fewest pods: a-1 (0) and a-2 (0) tie, name order -> a-1
    //   web #2: zone a has 1, zone b 0 -> b-1, although b-1 has a pod and a-2 none
    //   web #3: zones 1 and 1 -> web pods per node: a-1 1, a-2 0, b-1 1 -> a-2
    //   web #4: zone a 2, zone b 1 -> b-1
    //   a bare pod: no owner, so only the pod counts: a-1 1, a-2 1, b-1 3 -> a-1
    const nodes = [node('a-1', 'a'), node('a-2', 'a'), node('b-1', 'b')];
    const web = pod({ labels: { app: 'web' }, owner: 'Deployment/default/web' });
    const out = place(nodes, [pod({ nodeName: 'b-1' }), web, web, web, web, pod()]);
    expect(nodesOf(out)).toEqual(['b-1', 'a-1', 'b-1', 'a-2', 'b-1', 'a-1']);
  });

  test('another owner\'s pods do not count for default spreading', () => {
    // Three web pods fill a-1, a-2, b-1 (a, b, then a's other node). api #1 sees no api pod anywhere:
    // fewest pods, all 1 -> a-1; api #2: zone a has 1 api pod -> b-1 (1 pod) before a-2 (1 pod).
    const nodes = [node('a-1', 'a'), node('a-2', 'a'), node('b-1', 'b')];
    const web = pod({ labels: { app: 'web' }, owner: 'Deployment/default/web' });
    const api = pod({ labels: { app: 'api' }, owner: 'Deployment/default/api' });
    expect(nodesOf(place(nodes, [web, web, web, api, api]))).toEqual(['a-1', 'b-1', 'a-2', 'a-1', 'b-1']);
  });

  test('PreferNoSchedule: fewer untolerated PreferNoSchedule taints beat fewer pods; a tolerated one does not count', () => {
    // a-1 has a PreferNoSchedule taint and no pod, a-2 two pods.
    //   bare pod: taints 1 vs 0 -> a-2 (3 pods now)
    //   the same pod tolerating the taint: taints 0 vs 0, pods 0 vs 3 -> a-1
    const nodes = [node('a-1', 'a', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] }), node('a-2', 'a')];
    const out = place(nodes, [
      pod({ nodeName: 'a-2' }),
      pod({ nodeName: 'a-2' }),
      pod(),
      pod({ tolerations: [{ key: 'spot', operator: 'Exists' }] }),
    ]);
    expect(nodesOf(out)).toEqual(['a-2', 'a-2', 'a-2', 'a-1']);
  });

  test('required node affinity: the expressions of a term are ANDed, the terms ORed', () => {
    // a-1 {disk: ssd}, a-2 {gpu: yes}, a-3 {disk: ssd, gpu: yes}.
    //   [disk In (ssd) AND gpu Exists]           -> only a-3
    //   [disk In (hdd)] OR [gpu Exists]          -> a-2 or a-3; a-3 has a pod now -> a-2
    //   [disk In (hdd)] OR [disk NotIn (ssd)]    -> a-2 only (NotIn also matches a node without the label)
    const nodes = [node('a-1', 'a', {}, { disk: 'ssd' }), node('a-2', 'a', {}, { gpu: 'yes' }), node('a-3', 'a', {}, { disk: 'ssd', gpu: 'yes' })];
    const out = place(nodes, [
      pod({ requiredNodeAffinity: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }, { key: 'gpu', operator: 'Exists' }] }] }),
      pod({ requiredNodeAffinity: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['hdd'] }] }, { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }] }),
      pod({ requiredNodeAffinity: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['hdd'] }] }, { matchExpressions: [{ key: 'disk', operator: 'NotIn', values: ['ssd'] }] }] }),
    ]);
    expect(nodesOf(out)).toEqual(['a-3', 'a-2', 'a-2']);
  });

  test('matchFields selects nodes by metadata.name; an empty term matches no node; no terms is no constraint', () => {
    const nodes = [node('a-1', 'a'), node('a-2', 'a'), node('a-3', 'a')];
    const out = place(nodes, [
      pod({ requiredNodeAffinity: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a-2'] }] }] }),
      pod({ requiredNodeAffinity: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: 'Exists' }], matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['a-1'] }] }] }),
      pod({ requiredNodeAffinity: [{}] }),
      pod({ requiredNodeAffinity: [] }),
    ]);
    expect(out).toEqual([
      { node: 'a-2' },
      { node: 'a-3' }, // a-2 and a-3 match; a-2 has a pod
      { node: null, reason: '0/3 nodes are available: 3 node(s) didn\'t match Pod\'s node affinity/selector' },
      { node: 'a-1' },
    ]);
  });

  test('a NoSchedule or NoExecute taint keeps off pods that do not tolerate it, reported as {key: value}', () => {
    // a-1: dedicated=db:NoExecute, a-2: dedicated=db:NoSchedule, a-3: gpu:NoSchedule (no value).
    const nodes = [
      node('a-1', 'a', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }] }),
      node('a-2', 'a', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }),
      node('a-3', 'a', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] }),
    ];
    const out = place(nodes, [
      pod(),
      // Tolerates dedicated=db with effect NoSchedule only: a-2, not a-1 (NoExecute).
      pod({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] }),
      // Equal with no value tolerates the taint without a value.
      pod({ tolerations: [{ key: 'gpu', operator: 'Equal' }] }),
    ]);
    expect(out).toEqual([
      { node: null, reason: '0/3 nodes are available: 2 node(s) had untolerated taint {dedicated: db}, 1 node(s) had untolerated taint {gpu: }' },
      { node: 'a-2' },
      { node: 'a-3' },
    ]);
  });

  test('memory requests must fit the allocatable memory: up to exactly full, then Insufficient memory', () => {
    // 1 GiB node, 512 MiB pods: two fill it exactly, the third does not fit.
    const nodes = [node('a-1', 'a', { memory: GiB })];
    const half = pod({ requests: { cpu: 0, memory: 512 * MiB } });
    expect(place(nodes, [half, half, half])).toEqual([
      { node: 'a-1' },
      { node: 'a-1' },
      { node: null, reason: '0/1 nodes are available: 1 Insufficient memory' },
    ]);
  });

  test('a node without allocatable memory or CPU given takes any request', () => {
    // a-1 is limited (1 GiB, 1 core) and empty, a-2 unlimited: a 4 GiB pod and a 4-core pod go to a-2.
    const nodes = [node('a-1', 'a', { memory: GiB, cpu: 1 }), node('a-2', 'a')];
    const out = place(nodes, [pod({ requests: { cpu: 0, memory: 4 * GiB } }), pod({ requests: { cpu: 4, memory: 0 } })]);
    expect(nodesOf(out)).toEqual(['a-2', 'a-2']);
  });

  test('CPU requests that add up to the allocatable fit (0.1 + 0.1 + 0.1 cores on 0.3), one more does not', () => {
    const nodes = [node('a-1', 'a', { cpu: 0.3 })];
    const tenth = pod({ requests: { cpu: 0.1, memory: 0 } });
    expect(place(nodes, [tenth, tenth, tenth, tenth])).toEqual([
      { node: 'a-1' },
      { node: 'a-1' },
      { node: 'a-1' },
      { node: null, reason: '0/1 nodes are available: 1 Insufficient cpu' },
    ]);
  });

  test('a pod too large for every node names each resource that is short', () => {
    // a-1 has too little CPU, a-2 too little memory, for a pod of 2 cores and 2 GiB.
    const nodes = [node('a-1', 'a', { cpu: 1, memory: 8 * GiB }), node('a-2', 'a', { cpu: 8, memory: GiB })];
    expect(place(nodes, [pod({ requests: { cpu: 2, memory: 2 * GiB } })])).toEqual([
      { node: null, reason: '0/2 nodes are available: 1 Insufficient cpu, 1 Insufficient memory' },
    ]);
  });
});

describe('tolerations (TaintToleration: key, value, operator, effect)', () => {
  const valued: Taint = { key: 'dedicated', value: 'db', effect: 'NoSchedule' };
  const bare: Taint = { key: 'spot', effect: 'NoSchedule' };
  const cases: [string, Taint, Toleration[] | undefined, boolean][] = [
    ['no tolerations', valued, undefined, false],
    ['an empty list', valued, [], false],
    ['Equal, same key and value', valued, [{ key: 'dedicated', operator: 'Equal', value: 'db' }], true],
    ['no operator means Equal', valued, [{ key: 'dedicated', value: 'db' }], true],
    ['Equal, other value', valued, [{ key: 'dedicated', operator: 'Equal', value: 'web' }], false],
    ['Equal, no value, taint with a value', valued, [{ key: 'dedicated', operator: 'Equal' }], false],
    ['Equal, other key, same value', valued, [{ key: 'other', operator: 'Equal', value: 'db' }], false],
    ['Equal, no value, taint without a value', bare, [{ key: 'spot', operator: 'Equal' }], true],
    ['Equal, a value, taint without one', bare, [{ key: 'spot', operator: 'Equal', value: 'x' }], false],
    ['Exists, same key, any value', valued, [{ key: 'dedicated', operator: 'Exists' }], true],
    ['Exists, other key', valued, [{ key: 'other', operator: 'Exists' }], false],
    ['Exists without a key: every taint', valued, [{ operator: 'Exists' }], true],
    ['Exists with an empty key: every taint', valued, [{ key: '', operator: 'Exists' }], true],
    ['same effect', valued, [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }], true],
    ['other effect', valued, [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }], false],
    ['other effect, otherwise matching Equal', valued, [{ key: 'dedicated', value: 'db', effect: 'PreferNoSchedule' }], false],
    ['one of several matches', valued, [{ key: 'other', operator: 'Exists' }, { key: 'dedicated', value: 'db' }], true],
  ];
  test.each(cases)('%s', (_name, taint, tolerations, expected) => {
    expect(tolerates(tolerations, taint)).toBe(expected);
  });
});

describe('topology spread constraints', () => {
  const zoneSpread = (when: TopologySpreadConstraint['whenUnsatisfiable'], maxSkew: number, labelSelector?: TopologySpreadConstraint['labelSelector']): TopologySpreadConstraint => ({
    maxSkew,
    topologyKey: ZONE_LABEL,
    whenUnsatisfiable: when,
    ...(labelSelector ? { labelSelector } : {}),
  });

  test('DoNotSchedule: a domain is allowed while matching pods + 1 − the fewest in any domain ≤ maxSkew', () => {
    // Zone a has one app=w pod on a-1, zone b none; b-1 carries three other pods.
    //   maxSkew 1: zone a: 1 + 1 − 0 = 2 > 1, refused; zone b: 0 + 1 − 0 = 1 -> b-1, although it has more pods
    //   maxSkew 2: now a 1, b 1: 1 + 1 − 1 = 1 for both, allowed; a-1 has 1 pod, b-1 4 -> a-1
    const nodes = [node('a-1', 'a'), node('b-1', 'b')];
    const w = { app: 'w' };
    const out = placePods(nodes, [
      pod({ labels: w, nodeName: 'a-1' }),
      ...othersOn('b-1', 3),
      pod({ labels: w, topologySpreadConstraints: [zoneSpread('DoNotSchedule', 1, { matchLabels: w })] }),
      pod({ labels: w, topologySpreadConstraints: [zoneSpread('DoNotSchedule', 2, { matchLabels: w })] }),
    ]);
    expect(nodesOf(out).slice(4)).toEqual(['b-1', 'a-1']);
  });

  test('a pod its own selector does not match is not counted in its domain (selfMatchNum 0)', () => {
    // As above, but the incoming pod is app=x with a constraint over app=w: zone a: 1 + 0 − 0 = 1 ≤ 1, so
    // a-1 is allowed, and it has fewer pods (1) than b-1 (3).
    const nodes = [node('a-1', 'a'), node('b-1', 'b')];
    const out = placePods(nodes, [
      pod({ labels: { app: 'w' }, nodeName: 'a-1' }),
      ...othersOn('b-1', 3),
      pod({ labels: { app: 'x' }, topologySpreadConstraints: [zoneSpread('DoNotSchedule', 1, { matchLabels: { app: 'w' } })] }),
    ]);
    expect(out[4]).toEqual({ node: 'a-1' });
  });

  test('DoNotSchedule filters but does not score: among allowed nodes, the fewest pods win', () => {
    // maxSkew 2: zone a (one w pod) 1 + 1 − 0 = 2 and zone b 0 + 1 − 0 = 1 are both allowed; a-1 has
    // 1 pod, b-1 2 (not w) -> a-1, not the emptier zone.
    const nodes = [node('a-1', 'a'), node('b-1', 'b')];
    const w = { app: 'w' };
    const out = placePods(nodes, [
      pod({ labels: w, nodeName: 'a-1' }),
      ...othersOn('b-1', 2),
      pod({ labels: w, topologySpreadConstraints: [zoneSpread('DoNotSchedule', 2, { matchLabels: w })] }),
    ]);
    expect(out[3]).toEqual({ node: 'a-1' });
  });

  test('ScheduleAnyway only scores: the counts of all soft constraints are added, and may pick a node a hard constraint would refuse', () => {
    // w pods: a-1 0, a-2 2, b-1 1 (zone a 2, zone b 1). Zone + hostname, ScheduleAnyway, maxSkew 1:
    //   a-1: 2 + 0 = 2, a-2: 2 + 2 = 4, b-1: 1 + 1 = 2 -> a-1 and b-1 tie; a-1 has no pod -> a-1.
    // (As DoNotSchedule, zone a, 2 + 1 − 1 = 2 > 1, would be refused.)
    const nodes = [node('a-1', 'a'), node('a-2', 'a'), node('b-1', 'b')];
    const w = { app: 'w' };
    const soft: TopologySpreadConstraint[] = [
      zoneSpread('ScheduleAnyway', 1, { matchLabels: w }),
      { maxSkew: 1, topologyKey: HOSTNAME_LABEL, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: w } },
    ];
    const out = placePods(nodes, [
      pod({ labels: w, nodeName: 'a-2' }),
      pod({ labels: w, nodeName: 'a-2' }),
      pod({ labels: w, nodeName: 'b-1' }),
      pod({ labels: w, topologySpreadConstraints: soft }),
    ]);
    expect(out[3]).toEqual({ node: 'a-1' });
  });

  test('a selector of matchExpressions only counts the pods it matches in the pod\'s own namespace', () => {
    // One app=w pod on a-1 (namespace default), two on b-1 in namespace other (not counted).
    // Zone a: 1 + 1 − 0 = 2 > 1, refused -> b-1. (Counting the other namespace, zone b would hold 2 and a-1 win.)
    const nodes = [node('a-1', 'a'), node('b-1', 'b')];
    const out = placePods(nodes, [
      pod({ labels: { app: 'w' }, nodeName: 'a-1' }),
      pod({ namespace: 'other', labels: { app: 'w' }, nodeName: 'b-1' }),
      pod({ namespace: 'other', labels: { app: 'w' }, nodeName: 'b-1' }),
      pod({ labels: { app: 'w' }, topologySpreadConstraints: [zoneSpread('DoNotSchedule', 1, { matchExpressions: [{ key: 'app', operator: 'In', values: ['w'] }] })] }),
    ]);
    expect(out[3]).toEqual({ node: 'b-1' });
  });

  test('every matchLabels pair must match for a pod to be counted', () => {
    // Selector {app: w, tier: fe}. a-1 holds two app=w tier=be pods (not counted), b-1 one tier=fe pod.
    // Counts a 0, b 1: zone b 1 + 1 − 0 = 2 > 1, refused -> a-1.
    const nodes = [node('a-1', 'a'), node('b-1', 'b')];
    const fe = { app: 'w', tier: 'fe' };
    const be = { app: 'w', tier: 'be' };
    const out = placePods(nodes, [
      pod({ labels: be, nodeName: 'a-1' }),
      pod({ labels: be, nodeName: 'a-1' }),
      pod({ labels: fe, nodeName: 'b-1' }),
      pod({ labels: fe, topologySpreadConstraints: [zoneSpread('DoNotSchedule', 1, { matchLabels: fe })] }),
    ]);
    expect(out[3]).toEqual({ node: 'a-1' });
  });

  test('a constraint without a labelSelector counts no pod, so it never refuses a node', () => {
    // Counts stay 0 everywhere: the pods go by fewest pods, then name.
    const nodes = [node('a-1', 'a'), node('a-2', 'a')];
    const spread: TopologySpreadConstraint = { maxSkew: 1, topologyKey: HOSTNAME_LABEL, whenUnsatisfiable: 'DoNotSchedule' };
    const p = pod({ labels: { app: 'w' }, topologySpreadConstraints: [spread] });
    expect(nodesOf(placePods(nodes, [p, p, p]))).toEqual(['a-1', 'a-2', 'a-1']);
  });

  test('a pod with spread constraints is not spread by its owner as well', () => {
    // Owner web has a pod on a-1. The new web pod has a soft constraint over app=other (no such pod): every
    // node scores 0 there, and the owner's pods are not looked at: fewest pods, a-1 (1) vs a-2 (2) -> a-1.
    const nodes = [node('a-1', 'a'), node('a-2', 'a')];
    const owner = 'Deployment/default/web';
    const out = placePods(nodes, [
      pod({ labels: { app: 'web' }, owner, nodeName: 'a-1' }),
      pod({ nodeName: 'a-2' }),
      pod({ nodeName: 'a-2' }),
      pod({ labels: { app: 'web' }, owner, topologySpreadConstraints: [zoneSpread('ScheduleAnyway', 1, { matchLabels: { app: 'other' } })] }),
    ]);
    expect(out[3]).toEqual({ node: 'a-1' });
  });
});

describe('well-known labels', () => {
  test('zone and hostname are the labels Kubernetes sets on nodes', () => {
    expect(ZONE_LABEL).toBe('topology.kubernetes.io/zone');
    expect(HOSTNAME_LABEL).toBe('kubernetes.io/hostname');
  });
});
