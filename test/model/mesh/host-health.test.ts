/**
 * Linkerd's passive health (src/model/mesh/host-health.ts): failure accrual (consecutive failures,
 * probation, jittered exponential penalties), and the Peak EWMA arithmetic of its balancer. (Istio's
 * outlier detection is Envoy's, tested with src/model/envoy/.)
 */
import { describe, expect, it } from 'vitest';
import { FailureAccrual } from '../../../src/model/mesh/host-health.js';
import { MeshHosts } from '../../../src/model/mesh/hosts.js';
import { PeakEwmaP2c } from '../../../src/model/mesh/balancers.js';

function hostsOf(n: number): MeshHosts {
  return new MeshHosts(Array.from({ length: n }, (_, i) => i), new Uint8Array(n).fill(1), () => true);
}

/** Timers recorded instead of scheduled. */
function timers(): { list: { delay: number; e: number }[]; timer: (delay: number, e: number) => void } {
  const list: { delay: number; e: number }[] = [];
  return { list, timer: (delay, e) => list.push({ delay, e }) };
}

describe('Linkerd failure accrual (consecutive)', () => {
  const spec = { maxFailures: 7, minPenalty: 1, maxPenalty: 60, jitterRatio: 0 };

  it('shuts an endpoint after maxFailures failures in a row; a success in between starts the count again', () => {
    const hosts = hostsOf(3);
    const t = timers();
    const fa = new FailureAccrual(hosts, spec, () => 0.5, t.timer);
    for (let i = 0; i < 6; i++) fa.result(1, false, 0);
    fa.result(1, true, 0);
    for (let i = 0; i < 6; i++) fa.result(1, false, 0);
    expect(hosts.isIn(1)).toBe(true);
    fa.result(1, false, 0);
    expect(hosts.isIn(1)).toBe(false);
    expect(hosts.pickable).toBe(2);
    expect(t.list).toEqual([{ delay: 1, e: 1 }]);
  });

  it('probation admits one probe; failed probes double the penalty up to maxPenalty; a success resets it', () => {
    const hosts2 = hostsOf(1);
    const t2 = timers();
    const fb = new FailureAccrual(hosts2, spec, () => 0.5, t2.timer);
    for (let i = 0; i < 7; i++) fb.result(0, false, 0);
    for (let k = 0; k < 7; k++) {
      fb.wake(0);
      expect(hosts2.isIn(0)).toBe(true);
      fb.sent(0); // the one probe: nothing else until it is answered
      expect(hosts2.isIn(0)).toBe(false);
      fb.result(0, false, 0);
    }
    expect(t2.list.map((x) => x.delay)).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
    // Answers while shut are ignored.
    fb.result(0, true, 0);
    expect(hosts2.isIn(0)).toBe(false);
    // A successful probe: open again, counting from zero, penalties from the start.
    fb.wake(0);
    fb.sent(0);
    fb.result(0, true, 0);
    expect(hosts2.isIn(0)).toBe(true);
    for (let i = 0; i < 7; i++) fb.result(0, false, 0);
    expect(t2.list.at(-1)!.delay).toBe(1);
    expect(fb.trips[0]).toBe(9); // the first shut, seven failed probes, the shut after the reset
  });

  it('jitter: base + U × ratio × base, kept within maxPenalty', () => {
    const fa = new FailureAccrual(hostsOf(1), { ...spec, jitterRatio: 0.5 }, () => 0.8, () => undefined);
    expect(fa.penalty(0)).toBeCloseTo(1 + 0.8 * 0.5 * 1, 12);
    expect(fa.penalty(3)).toBeCloseTo(8 + 0.8 * 0.5 * 8, 12);
    expect(fa.penalty(5)).toBeCloseTo(32 + 0.8 * 0.5 * 32, 12);
    expect(fa.penalty(6)).toBe(60); // base 60 = max: no room for jitter
  });
});

describe('Peak EWMA arithmetic (tower)', () => {
  it('reading a load decays the estimate; a higher RTT replaces it; a lower one blends by 1 − e^(−Δ/τ)', () => {
    const hosts = hostsOf(2);
    const b = new PeakEwmaP2c(hosts, 0.03, 10, 0);
    expect(b.cost(0, 0)).toBeCloseTo(0.03, 15);
    expect(b.cost(0, 1)).toBeCloseTo(0.03 * Math.exp(-0.1), 15);
    b.observe(0, 1, 0.05);
    expect(b.estimate[0]).toBe(0.05);
    b.observe(0, 3, 0.01);
    const w = Math.exp(-0.2);
    expect(b.estimate[0]).toBeCloseTo(0.05 * w + 0.01 * (1 - w), 15);
    hosts.pending[0] = 2;
    expect(b.cost(0, 3)).toBeCloseTo(3 * b.estimate[0]!, 15);
  });

  it('P2C draws two distinct endpoints and takes the lower cost (the first on a tie)', () => {
    const hosts = hostsOf(2);
    const b = new PeakEwmaP2c(hosts, 0.03, 10, 0);
    hosts.pending[1] = 1;
    for (let i = 0; i < 50; i++) expect(b.pick(Math.random, 0, -1)).toBe(0);
    hosts.pending[1] = 0;
    const seen = [0, 0];
    let x = 0;
    const rng = () => ((x = (x * 16807 + 12345) % 2147483647) / 2147483647);
    for (let i = 0; i < 1000; i++) seen[b.pick(rng, 0, -1)]!++;
    expect(seen[0]! > 400 && seen[1]! > 400).toBe(true);
  });
});
