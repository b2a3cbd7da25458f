/**
 * Drains honour PodDisruptionBudgets; failed nodes are found out by the node lifecycle controller, their
 * pods evicted after the toleration and replaced elsewhere; every run keeps the exact request accounting.
 */
import { describe, expect, it } from 'vitest';
import { dist } from '../fixtures.js';
import { deterministicPart } from '../datapath-helpers.js';
import { lbCluster, onlyEvent, runTimeline } from './helpers.js';

const lifecycle = { startup: dist('const(2s)'), preStop: 3 };

describe('kubectl drain', () => {
  const spec = lbCluster({ podsPerNode: [2, 1, 1], rate: 200 });

  it('evicts the node’s pods, which are replaced on the other nodes, and loses nothing with a preStop sleep', () => {
    const r = runTimeline(spec, [{ at: 10, kind: 'drain', node: 'node-1' }], 60, { lifecycle });
    const e = onlyEvent(r);
    expect(e.end).not.toBeNull();
    expect(r.accounting.total.droppedTotal).toBe(0);
    const onNode1 = r.timeSeries.nodeEndpoints!.find((s) => s.name === 'node-1')!.values;
    expect(onNode1[0]).toBe(2);
    expect(onNode1.at(-1)).toBe(0);
    expect(r.timeSeries.readyEndpoints![0]!.values.at(-1)).toBe(4);
  });

  it('is held back by a PodDisruptionBudget that allows no disruption, and says so', () => {
    const budgets = [{ name: 'web', namespace: 'default', selector: { app: 'web' }, minAvailable: { kind: 'count', value: 4 }, maxUnavailable: null } as const];
    const r = runTimeline(spec, [{ at: 10, kind: 'drain', node: 'node-1' }], 40, { lifecycle, budgets });
    const e = onlyEvent(r);
    expect(e.end).toBeNull();
    expect(e.notes.join(' ')).toMatch(/PodDisruptionBudget default\/web allows no disruption/);
    expect(r.timeSeries.nodeEndpoints!.find((s) => s.name === 'node-1')!.values.at(-1)).toBe(2);
  });

  it('evicts one pod at a time under maxUnavailable: 1', () => {
    const budgets = [{ name: 'web', namespace: 'default', selector: { app: 'web' }, minAvailable: null, maxUnavailable: { kind: 'count', value: 1 } } as const];
    const r = runTimeline(spec, [{ at: 10, kind: 'drain', node: 'node-1' }], 60, { lifecycle, budgets }, 1, 0.25);
    // Ready endpoints never fall below replicas − 1.
    for (const v of r.timeSeries.readyEndpoints![0]!.values) expect(v).toBeGreaterThanOrEqual(3);
    expect(onlyEvent(r).end).not.toBeNull();
  });
});

describe('a node fails', () => {
  const spec = lbCluster({ podsPerNode: [1, 1, 1, 1], rate: 200 });
  const controlPlane = { podEvictionTimeout: 30 };

  it('its endpoints turn not ready after the grace period, and its pods are replaced after the toleration', () => {
    const r = runTimeline(spec, [{ at: 10, kind: 'fail-node', node: 'node-2' }], 150, { lifecycle, controlPlane }, 1, 1);
    const ts = r.timeSeries;
    const ready = ts.readyEndpoints![0]!.values;
    const at = (t: number) => ready[ts.start.findIndex((s) => s + ts.window > t)]!;
    // Lease renewed at most 10 s before the failure; NotReady within grace (50 s) + monitor period (5 s).
    expect(at(10 + 50 - 10 - 1)).toBe(4);
    expect(at(10 + 50 + 5 + 1)).toBe(3);
    // Tainted at NotReady (+ up to one more look), evicted 30 s later, replaced: start-up 2 s.
    expect(at(10 + 50 + 5 + 5 + 30 + 2 + 1)).toBe(4);
    const e = onlyEvent(r);
    expect(e.end).not.toBeNull();
    expect(e.lostByReason['node-down']).toBeGreaterThan(0);
    expect(r.pods.filter((p) => p.node === 'node-2')).toHaveLength(1); // the old pod; its replacement went elsewhere
  });

  it('a whole zone fails and comes back', () => {
    const zonal = lbCluster({ podsPerNode: [1, 1, 1, 1], rate: 200, service: {} });
    const twoZones = { ...zonal, nodes: zonal.nodes.map((n, i) => ({ ...n, zone: i < 2 ? 'a' : 'b' })) };
    const r = runTimeline(
      twoZones,
      [
        { at: 10, kind: 'fail-zone', zone: 'b' },
        { at: 40, kind: 'recover-zone', zone: 'b' },
      ],
      90,
      { lifecycle, controlPlane },
      1,
      1,
    );
    expect(r.events!.map((e) => e.kind)).toEqual(['fail-zone', 'recover-zone']);
    expect(r.events![1]!.end).not.toBeNull();
    expect(r.timeSeries.readyEndpoints![0]!.values.at(-1)).toBe(4);
  });

  it('is deterministic: same seed, same result', () => {
    const run = () => deterministicPart(runTimeline(spec, [{ at: 10, kind: 'fail-node', node: 'node-2' }], 60, { lifecycle, controlPlane }, 7));
    expect(JSON.stringify(run())).toBe(JSON.stringify(run()));
  });
});
