/**
 * RollingUpdate as the deployment controller runs it: with maxSurge 1 and maxUnavailable 0, each wave
 * adds one new pod, waits until it is available, then removes one old pod; the ready count never drops
 * below `replicas`, and the rollout's length can be worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { resolveFenceposts } from '../../../src/model/control/deployment-controller.js';
import { dist } from '../fixtures.js';
import { lbCluster, onlyEvent, restart, runTimeline } from './helpers.js';

describe('ResolveFenceposts', () => {
  const pct = (value: number) => ({ kind: 'percent', value }) as const;
  it('rounds surge up and unavailable down, from spec.replicas (KUBERNETES.md §13.1)', () => {
    expect(resolveFenceposts(pct(25), pct(25), 10)).toEqual([3, 2]);
    expect(resolveFenceposts(pct(25), pct(25), 4)).toEqual([1, 1]);
    expect(resolveFenceposts(pct(25), pct(25), 3)).toEqual([1, 0]);
    expect(resolveFenceposts(pct(25), pct(25), 1)).toEqual([1, 0]);
  });
  it('makes unavailable 1 when both come out 0', () => {
    expect(resolveFenceposts({ kind: 'count', value: 0 }, pct(10), 5)).toEqual([0, 1]);
  });
});

describe('a rolling update with maxSurge 1, maxUnavailable 0', () => {
  const S = 3; // start-up
  const D = 1; // initialDelaySeconds
  const P = 5; // periodSeconds
  const replicas = 4;
  const spec = lbCluster({ podsPerNode: [2, 2], rate: 200 });
  // A preStop sleep longer than the endpoint propagation, so that no request is refused on the way.
  const lifecycle = {
    startup: dist(`const(${S}s)`),
    readiness: { initialDelay: D, period: P, successThreshold: 2, failureThreshold: 3 },
    preStop: 3,
  };
  const deployment = {
    strategy: { kind: 'RollingUpdate', maxSurge: { kind: 'count', value: 1 }, maxUnavailable: { kind: 'count', value: 0 } },
  } as const;
  const t0 = 10;
  const r = runTimeline(spec, [restart(spec, t0, lifecycle)], 80, { lifecycle, deployment }, 1, 0.05);

  it('never has fewer than `replicas` ready endpoints', () => {
    for (const v of r.timeSeries.readyEndpoints![0]!.values) expect(v).toBeGreaterThanOrEqual(replicas);
  });

  it('ends when the last wave is done: t0 + replicas × (⌈(S + D) / P⌉ + successThreshold − 1) × P', () => {
    // Each new pod: created (its probe worker ticks every P from then), started after S, probed at the
    // first tick at least D after the start, Ready at the second success one period on.
    const wave = (Math.ceil((S + D) / P) + 1) * P;
    expect(wave).toBe(10);
    const done = t0 + replicas * wave;
    const e = onlyEvent(r);
    expect(e.kind).toBe('rollout');
    // Over when every node's kube-proxy has the last change: ≤ propagation (0.1 s) + minSyncPeriod (1 s) +
    // a sync, checked every 0.25 s.
    expect(e.end).toBeGreaterThanOrEqual(done);
    expect(e.end!).toBeLessThanOrEqual(done + 0.1 + 1 + 0.02 + 0.25);
    // The replica count: replicas + 1 during each wave, replicas once it is over.
    const replicaValues = r.timeSeries.replicas![0]!.values;
    const at = (t: number) => replicaValues[r.timeSeries.start.findIndex((s) => s + r.timeSeries.window > t)]!;
    expect(at(t0 + 1)).toBe(replicas + 1);
    expect(at(done + 1)).toBe(replicas);
  });

  it('replaces every pod with one of the new revision and, with a preStop sleep, loses nothing', () => {
    const fresh = r.pods.filter((p) => !/^default\/web-\d+$/.test(p.pod));
    expect(fresh).toHaveLength(replicas);
    expect(r.accounting.total.droppedTotal).toBe(0);
  });
});
