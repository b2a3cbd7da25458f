/**
 * Node capacity and the cluster autoscaler: pods that fit no node stay Pending (and are reported); a node
 * group grows for them after its provisioning time, and shrinks again once a node has been unneeded long
 * enough.
 */
import { describe, expect, it } from 'vitest';
import type { NodeGroupSpec, TimelineEvent } from '../../../src/model/control/spec.js';
import { withTimeline } from '../../../src/model/helpers/timeline-builders.js';
import type { ModelSpec } from '../../../src/model/spec.js';
import { behaviour, client, dist, modelSpec, pod, service } from '../fixtures.js';
import { run } from '../datapath-helpers.js';

const GiB = 2 ** 30;
const group = (overrides: Partial<NodeGroupSpec> = {}): NodeGroupSpec => ({
  name: 'pool-a',
  zone: 'zone-a',
  minSize: 1,
  maxSize: 4,
  initialSize: 1,
  cpu: 2,
  memory: 8 * GiB,
  labels: {},
  provisionTime: dist('const(30s)'),
  ...overrides,
});

/** Two pods of 1 CPU on the group's first node (2 CPUs: full), behind an IP-target LB. */
function spec(groups: readonly NodeGroupSpec[], events: readonly TimelineEvent[], caSettings = {}): ModelSpec {
  const pods = [0, 1].map((k) =>
    pod(`web-${k}`, 'pool-a-0', { requests: { cpu: 1, memory: GiB }, behaviour: behaviour({ serviceTime: dist('const(1ms)'), concurrency: 8 }) }),
  );
  const base = modelSpec({
    nodes: [],
    pods,
    services: [service()],
    clients: [client({ arrival: { kind: 'open', interarrival: dist('exp(rate=50/s)') }, timeout: 1 })],
  });
  const t = withTimeline(base, { events, lifecycle: { startup: dist('const(2s)'), preStop: 2 } });
  return { ...t, time: { ...t.time!, nodeGroups: groups, clusterAutoscaler: { scanInterval: 10, scaleDownUnneededTime: 120, scaleDownDelayAfterAdd: 60, scaleDownUtilizationThreshold: 0.5, ...caSettings } } };
}

const at = (values: readonly number[], start: readonly number[], window: number, t: number): number =>
  values[start.findIndex((s) => s + window > t)]!;

describe('node capacity', () => {
  it('keeps pods that fit no node Pending, and reports them', () => {
    const r = run(spec([group({ maxSize: 1 })], [{ at: 10, kind: 'scale', deployment: 'default/web', replicas: 4 }]), { duration: 60, window: 5 });
    const ts = r.timeSeries;
    expect(at(ts.pending![0]!.values, ts.start, ts.window, 20)).toBe(2);
    expect(at(ts.replicas![0]!.values, ts.start, ts.window, 20)).toBe(4);
    expect(r.events![0]!.end).toBeNull();
  });
});

describe('the cluster autoscaler', () => {
  const r = run(
    spec([group()], [
      { at: 10, kind: 'scale', deployment: 'default/web', replicas: 6 },
      { at: 100, kind: 'scale', deployment: 'default/web', replicas: 2 },
    ]),
    { duration: 500, window: 5 },
  );
  const ts = r.timeSeries;
  const nodes = (t: number) => at(ts.nodeGroups![0]!.values, ts.start, ts.window, t);

  it('adds the nodes the Pending pods need after the scan and the provisioning time', () => {
    // 4 pods of 1 CPU pending at 10 s; a scan within 10 s; 2 nodes of 2 CPUs; joined 30 s later.
    expect(nodes(9)).toBe(1);
    expect(nodes(10 + 10 + 30 + 1)).toBe(3);
    expect(at(ts.pending![0]!.values, ts.start, ts.window, 15)).toBe(4);
    expect(at(ts.pending![0]!.values, ts.start, ts.window, 10 + 10 + 30 + 1)).toBe(0);
    expect(at(ts.readyEndpoints![0]!.values, ts.start, ts.window, 10 + 10 + 30 + 2 + 1)).toBe(6);
    // Over once the LB's health checks (every 10 s, 3 to pass) have taken the new nodes in as well.
    const up = r.events![0]!;
    expect(up.end).toBeGreaterThanOrEqual(10 + 30 + 2);
    expect(up.end!).toBeLessThanOrEqual(10 + 10 + 30 + 3 * 10 + 10 + 0.25);
  });

  it('removes nodes once unneeded for the unneeded time, one at a time, down to what the pods need', () => {
    // Scaled down at 100 s: two pods left, on one or two nodes. Unneeded nodes go after 120 s each.
    expect(nodes(100 + 120 - 1)).toBe(3);
    expect(nodes(499)).toBeLessThan(3);
    expect(nodes(499)).toBeGreaterThanOrEqual(1);
    expect(r.accounting.total.droppedTotal).toBe(0);
    // Nodes that joined appear in the results; the fourth, never used, does not.
    expect(r.nodes.map((n) => n.node)).toEqual(['pool-a-0', 'pool-a-1', 'pool-a-2']);
  });
});
