/**
 * Request accounting: `generated = completed + dropped (by reason) + in flight`, exactly, for the whole run,
 * the warm-up part and the measured part, whatever happens to requests (`run` in datapath-helpers checks
 * it on every result). Each scenario here makes a different way of ending happen and checks its counts.
 */
import { describe, expect, it } from 'vitest';
import type { ClientSpec } from '../../src/model/spec.js';
import { simulate } from '../../src/model/simulation.js';
import { clusterSpec, dist, expPods, FREE_PROXY, poissonClient, run } from './datapath-helpers.js';
import { behaviour, client } from './fixtures.js';

const nodePort = { service: 'default/web', port: 80, via: 'nodePort', nodes: [] } as const;

function oneClient(podsPerNode: number[], c: Partial<ClientSpec>, podBehaviour = behaviour(), extra = {}) {
  return clusterSpec({
    podsPerNode,
    service: { type: 'NodePort' },
    kubeProxy: FREE_PROXY,
    pod: () => ({ behaviour: podBehaviour }),
    clients: [client({ target: nodePort, ...c })],
    ...extra,
  });
}

describe('accounting identity', () => {
  it('full queues refuse (queue-full); an immediate retry (no back-off, no latency) meets the same full queue', () => {
    const spec = oneClient(
      [1],
      { arrival: { kind: 'open', interarrival: dist('exp(mean=0.5ms)') }, retries: 1 },
      behaviour({ serviceTime: dist('exp(mean=1ms)'), queueCapacity: 2 }),
    );
    const r = run(spec, { requests: 20_000 });
    const t = r.accounting.total;
    expect(t.dropped['queue-full']).toBeGreaterThan(1000);
    expect(t.retries).toBe(t.dropped['queue-full']);
    expect(t.completed + t.dropped['queue-full']).toBe(20_000);
    expect(r.pods[0]!.refused).toBe(t.retries + t.dropped['queue-full']);
    expect(r.pods[0]!.requests).toBe(r.pods[0]!.served + r.pods[0]!.refused);
  });

  it('timeouts: every attempt times out, the pod still serves the abandoned ones (ghosts)', () => {
    const spec = oneClient(
      [1],
      { arrival: { kind: 'open', interarrival: dist('const(20ms)') }, timeout: 0.005, retries: 2 },
      behaviour({ serviceTime: dist('const(10ms)') }),
    );
    const r = run(spec, { requests: 100 });
    const t = r.accounting.total;
    expect(t.dropped.timeout).toBe(100);
    expect(t.retries).toBe(200);
    expect(t.completed).toBe(0);
    expect(r.pods[0]!.served).toBe(0);
    // 300 attempts of 10 ms, the next arrival 20 ms later: the pod is busy 3 × 10 ms of every 20 ms, capped at 1.
    expect(r.pods[0]!.utilisation!).toBeGreaterThan(0.9);
    expect(r.latency.count).toBe(0);
  });

  it('silent drops (no local endpoint) wait for the timeout, then retry', () => {
    const spec = oneClient(
      [1, 0],
      { arrival: { kind: 'open', interarrival: dist('exp(mean=10ms)') }, timeout: 0.1, retries: 3 },
      behaviour(),
      { service: { type: 'NodePort', externalTrafficPolicy: 'Local' } },
    );
    const r = run(spec, { requests: 4000 });
    const t = r.accounting.total;
    expect(t.retries).toBeGreaterThan(1500);
    expect(t.completed + t.dropped['no-local-endpoint']).toBe(4000);
    // A request lost on node-2 completes only after its 100 ms timeout: the slowest took ≥ 100 ms.
    expect(r.latency.max!).toBeGreaterThan(0.1);
    expect(r.nodes[1]!.dropped).toBe(r.nodes[1]!.entryRequests);
  });

  it('conntrack full: new flows beyond conntrackMax are dropped, established ones carry on', () => {
    const spec = oneClient(
      [2],
      { arrival: { kind: 'open', interarrival: dist('exp(mean=1ms)') }, connection: { kind: 'pool', connections: 8 } },
      behaviour({ serviceTime: dist('exp(mean=0.5ms)') }),
      { kubeProxy: { ...FREE_PROXY, conntrackMax: 3 } },
    );
    const r = run(spec, { requests: 8000 });
    const t = r.accounting.total;
    expect(r.nodes[0]!.conntrackPeak).toBe(3);
    expect(r.nodes[0]!.conntrackAtEnd).toBe(3);
    // The 3 established connections carry 3/8 of the round-robin; the other slots fail and reopen, again and again.
    expect(t.completed).toBe(3000);
    expect(t.dropped['conntrack-full']).toBe(5000);
  });

  it('conntrack entries end with their connections', () => {
    const spec = oneClient([1, 1], { arrival: { kind: 'open', interarrival: dist('exp(mean=1ms)') }, connection: { kind: 'keep-alive', requestsPerConnection: 3 } });
    const r = run(spec, { requests: 3000 });
    expect(r.nodes.map((n) => n.conntrackAtEnd)).toEqual([0, 0]);
    expect(r.nodes.reduce((a, n) => a + n.newConnections, 0)).toBe(r.engine.connectionsOpened);
  });

  it('no endpoints: kube-proxy rejects at once; retries fail the same way', () => {
    const spec = clusterSpec({
      podsPerNode: [1],
      service: { type: 'NodePort', selector: { app: 'nothing' } },
      kubeProxy: FREE_PROXY,
      clients: [client({ target: nodePort, retries: 2 })],
    });
    const r = run(spec, { requests: 500 });
    expect(r.accounting.total.dropped['no-endpoints']).toBe(500);
    expect(r.accounting.total.retries).toBe(1000);
  });

  it('the drain limit cuts what has not finished: counted in flight', () => {
    const spec = oneClient([1], { arrival: { kind: 'open', interarrival: dist('const(10ms)') } }, behaviour({ serviceTime: dist('const(1s)') }));
    const r = run(spec, { duration: 1 }, 2);
    const t = r.accounting.total;
    expect(r.stop).toMatchObject({ reason: 'duration', generationEnd: 1, drainLimit: 2, drainCut: true });
    expect(t.generated).toBe(99); // sent at 10 ms, 20 ms, ... 990 ms
    expect(t.completed).toBe(2); // service ends at 1.01 s and 2.01 s; the third would end at 3.01 s > 1 + 2
    expect(t.inFlight).toBe(97);
  });

  it('closed loop: users wait for each outcome; exactly the requested count is generated', () => {
    const spec = oneClient([2], { arrival: { kind: 'closed', users: 10, thinkTime: dist('exp(mean=5ms)') } }, behaviour({ serviceTime: dist('exp(mean=1ms)') }));
    const r = run(spec, { requests: 10_000 });
    expect(r.accounting.total.generated).toBe(10_000);
    expect(r.accounting.total.completed).toBe(10_000);
    expect(r.stop.reason).toBe('requests');
    expect(r.engine.peakRequestsInFlight).toBeLessThanOrEqual(10);
  });
});

describe('warm-up', () => {
  const spec = clusterSpec({ podsPerNode: [1], service: { type: 'NodePort' }, kubeProxy: FREE_PROXY, pod: expPods(0.001), clients: [poissonClient(800)] });

  it('fixed: requests first sent before the warm-up are counted apart and left out of the statistics', () => {
    const r = run(spec, { duration: 20, warmup: 5 });
    const { warmup, measured } = r.accounting;
    expect(r.warmup).toMatchObject({ mode: 'fixed', end: 5, firstMeasuredSegment: 1 });
    // Poisson counts: 4000 ± 4 × 63 before, 12000 ± 4 × 110 after.
    expect(Math.abs(warmup.generated - 4000)).toBeLessThan(260);
    expect(Math.abs(measured.generated - 12_000)).toBeLessThan(440);
    expect(r.latency.count).toBe(measured.completed);
    expect(r.measuredSeconds).toBe(15);
    expect(r.pods[0]!.requests).toBe(measured.generated);
  });

  it('auto: MSER-5 picks a truncation point, rounded up to one of 64 segments', () => {
    const r = run(spec, { duration: 64, warmup: 'auto' });
    expect(r.warmup.mode).toBe('auto');
    expect(r.warmup.segments).toBe(64);
    expect(r.warmup.mser).not.toBeNull();
    const first = r.warmup.firstMeasuredSegment;
    expect(first).toBeLessThan(32);
    expect(r.warmup.end).toBe(first); // 64 s in 64 segments: segment k starts at k s
    expect(r.accounting.warmup.generated > 0).toBe(first > 0);
    expect(r.warmup.mser!.observations).toBe(r.accounting.total.completed);
  });

  it('auto with a request count: segments by request ordinal', () => {
    const r = run(spec, { requests: 64_000, warmup: 'auto' });
    const first = r.warmup.firstMeasuredSegment;
    expect(r.accounting.warmup.generated).toBe(first * 1000);
  });
});

describe('progress', () => {
  it('is reported as a growing fraction that ends at 1', () => {
    const spec = clusterSpec({ podsPerNode: [1], service: { type: 'NodePort' }, kubeProxy: FREE_PROXY, pod: expPods(0.0005), clients: [poissonClient(1000)] });
    const seen: number[] = [];
    simulate({ ...spec, simulation: { seed: 1, duration: 2000, requests: null, warmup: 0 } }, { onProgress: (f) => seen.push(f) });
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.at(-1)).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(seen[0]!).toBeLessThan(0.5);
  });
});
