/**
 * The indexed placement (placement-index.ts) picks exactly the node the full scan did, on random clusters
 * and pods: zones, labels, taints of every effect, CPU that runs out, owners with many replicas, bare pods,
 * node selectors, tolerations, pods bound by name, and spread constraints (which take the scan).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Taint } from '../../src/scenario/kinds/cluster.js';
import { placePods, type PlacementNode, type PlacementPod } from '../../src/scenario/placement.js';
import { referencePlacePods } from '../reliability/reference-placement.js';

const taint = fc.record({
  key: fc.constantFrom('dedicated', 'gpu', 'spot'),
  effect: fc.constantFrom<Taint['effect']>('NoSchedule', 'PreferNoSchedule', 'NoExecute'),
});

const nodesArb = fc
  .array(
    fc.record({
      zone: fc.constantFrom('a', 'b', 'c', 'd'),
      pool: fc.constantFrom('web', 'db'),
      taints: fc.oneof({ weight: 3, arbitrary: fc.constant([] as Taint[]) }, { weight: 1, arbitrary: fc.array(taint, { maxLength: 2 }) }),
      cpu: fc.option(fc.constantFrom(0.5, 1, 2, 4), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 24 },
  )
  .map((list) =>
    list.map((n, i): PlacementNode => ({
      name: `${n.zone}-node-${i}`,
      zone: n.zone,
      labels: { 'kubernetes.io/hostname': `${n.zone}-node-${i}`, 'topology.kubernetes.io/zone': n.zone, pool: n.pool },
      taints: n.taints,
      cpu: n.cpu,
    })),
  );

const podArb = fc.record({
  app: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
  owned: fc.boolean(),
  ns: fc.constantFrom('default', 'shop'),
  selector: fc.option(fc.constantFrom('web', 'db'), { nil: undefined }),
  tolerate: fc.option(fc.constantFrom('dedicated', 'spot', '*'), { nil: undefined }),
  cpu: fc.option(fc.constantFrom(0.25, 0.5, 1), { nil: undefined }),
  spread: fc.option(fc.constantFrom('topology.kubernetes.io/zone', 'kubernetes.io/hostname'), { nil: undefined }),
  hard: fc.boolean(),
  bind: fc.option(fc.nat(30), { nil: undefined }),
});

type Draft = typeof podArb extends fc.Arbitrary<infer T> ? T : never;

function toPod(p: Draft, nodes: readonly PlacementNode[]): PlacementPod {
  return {
    namespace: p.ns,
    labels: { app: p.app },
    ...(p.owned ? { owner: `Deployment/${p.ns}/${p.app}` } : {}),
    ...(p.selector !== undefined ? { nodeSelector: { pool: p.selector } } : {}),
    ...(p.tolerate !== undefined ? { tolerations: [p.tolerate === '*' ? { operator: 'Exists' as const } : { key: p.tolerate, operator: 'Exists' as const }] } : {}),
    ...(p.cpu !== undefined ? { requests: { cpu: p.cpu, memory: 0 } } : {}),
    ...(p.spread !== undefined
      ? { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: p.spread, whenUnsatisfiable: p.hard ? ('DoNotSchedule' as const) : ('ScheduleAnyway' as const), labelSelector: { matchLabels: { app: p.app } } }] }
      : {}),
    ...(p.bind !== undefined && p.bind < nodes.length && p.bind % 7 === 0 ? { nodeName: nodes[p.bind]!.name } : {}),
  };
}

describe('indexed placement', () => {
  test('picks the node the full scan picks, or the same Pending reason', () => {
    fc.assert(
      fc.property(nodesArb, fc.array(podArb, { maxLength: 80 }), (nodes, drafts) => {
        const pods = drafts.map((d) => toPod(d, nodes));
        expect(placePods(nodes, pods)).toEqual(referencePlacePods(nodes, pods));
      }),
      { numRuns: 300, seed: 15 },
    );
  });

  test('many replicas of one owner over many nodes: the same spread as the full scan', () => {
    const nodes: PlacementNode[] = Array.from({ length: 90 }, (_, i) => {
      const zone = ['a', 'b', 'c'][i % 3]!;
      return { name: `n${i}`, zone, labels: { 'topology.kubernetes.io/zone': zone }, cpu: 4 };
    });
    const pods: PlacementPod[] = Array.from({ length: 400 }, (_, i) => ({
      namespace: 'default',
      labels: { app: `x${i % 4}` },
      owner: `Deployment/default/x${i % 4}`,
      requests: { cpu: 0.5, memory: 0 },
    }));
    const got = placePods(nodes, pods);
    expect(got).toEqual(referencePlacePods(nodes, pods));
    // 90 nodes × 4 cores / 0.5 = 720 pods fit: none is Pending.
    expect(got.filter((p) => p.node === null)).toHaveLength(0);
  });

  test('few replicas per owner over large zones (the masked range minimum): the same nodes as the full scan', () => {
    const nodes: PlacementNode[] = Array.from({ length: 300 }, (_, i) => {
      const zone = ['a', 'b', 'c'][i % 3]!;
      return { name: `n${i}`, zone, labels: { 'topology.kubernetes.io/zone': zone }, ...(i % 5 === 0 ? { taints: [{ key: 'spot', effect: 'PreferNoSchedule' as const }] } : {}) };
    });
    // Owners of 7 replicas each, their pods interleaved with bare pods and one another's.
    const pods = Array.from({ length: 900 }, (_, i): PlacementPod =>
      i % 9 === 4 ? { namespace: 'default', labels: {} } : { namespace: 'default', labels: { app: `x${i % 60}` }, owner: `Deployment/default/x${i % 60}` },
    );
    expect(placePods(nodes, pods)).toEqual(referencePlacePods(nodes, pods));
  });
});
