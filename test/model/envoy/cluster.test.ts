/**
 * Envoy's host choice (envoy/cluster.ts) driven by hand: locality weights by EDF, the least-request
 * two-choice rule, the ejected share under max_ejection_percent, Maglev's table shares.
 */
import { describe, expect, test } from 'vitest';
import { RandomStreams } from '../../../src/engine/random.js';

const streams = new RandomStreams(1);
const seededRng = (name: string) => streams.stream(name);
import { EnvoyCluster, LEAST_REQUEST, type EnvoyClusterConfig, type EnvoyLbPolicy } from '../../../src/model/envoy/cluster.js';
import { MaglevTable } from '../../../src/model/envoy/maglev.js';
import { ENVOY_GATEWAY_PASSIVE_DEFAULTS } from '../../../src/model/envoy/outlier.js';

function cluster(hosts: readonly number[], localityWeights: readonly number[], policy: EnvoyLbPolicy, overrides: Partial<EnvoyClusterConfig> = {}): EnvoyCluster {
  const start = [0];
  for (const h of hosts) start.push(start[start.length - 1]! + h);
  const n = start[start.length - 1]!;
  return new EnvoyCluster({
    ids: Array.from({ length: n }, (_, e) => `10.0.${e >> 8}.${e & 255}:8080`),
    weights: Array.from({ length: n }, () => 1),
    localityStart: start,
    localityWeights,
    policy,
    instances: 1,
    workers: 1,
    outlier: null,
    rng: seededRng('rr'),
    ...overrides,
  });
}

describe('locality weights (a route rule\'s backendRefs)', () => {
  test('90/10: the EDF scheduler interleaves exactly 9:1 per worker', () => {
    const c = cluster([3, 2], [90, 10], { kind: 'round-robin' });
    const rng = seededRng('x');
    let canary = 0;
    for (let i = 0; i < 1000; i++) if (c.pick(0, 0, rng, 0, -1, 0, 0, 0) >= 3) canary++;
    expect(canary).toBe(100);
  });

  test('weight 0: never chosen', () => {
    const c = cluster([2, 2], [1, 0], { kind: 'random' });
    const rng = seededRng('x');
    for (let i = 0; i < 200; i++) expect(c.pick(0, 0, rng, 0, -1, 0, 0, 0)).toBeLessThan(2);
  });
});

describe('least request, equal weights: two choices with replacement', () => {
  /** An Rng replaying `values`. */
  const script = (values: number[]) => {
    let i = 0;
    return () => values[i++ % values.length]!;
  };

  test('the second draw wins only with strictly fewer active requests', () => {
    const c = cluster([4], [1], LEAST_REQUEST);
    // Host 1 has 2 active, host 2 has 1, host 3 has 1.
    c.sent(0, 1);
    c.sent(0, 1);
    c.sent(0, 2);
    c.sent(0, 3);
    // Draws 0.3 → host 1, 0.55 → host 2: host 2 (fewer).
    expect(c.pick(0, 0, script([0.3, 0.55]), 0, -1, 0, 0, 0)).toBe(2);
    // 0.55 → host 2, 0.8 → host 3 (equal): the first is kept.
    expect(c.pick(0, 0, script([0.55, 0.8]), 0, -1, 0, 0, 0)).toBe(2);
    // With replacement: the same host twice is that host.
    expect(c.pick(0, 0, script([0.3, 0.3]), 0, -1, 0, 0, 0)).toBe(1);
  });

  test('previous_hosts: a retry re-selects (up to 5 times) while it lands on the host that failed', () => {
    const c = cluster([2], [1], { kind: 'random' });
    // First selection lands on host 0 (the one to avoid), the second on host 1.
    expect(c.pick(0, 0, script([0.1, 0.9]), 0, 0, 0, 0, 0)).toBe(1);
    // Five selections all on host 0: Envoy gives up and uses it.
    expect(c.pick(0, 0, script([0.1]), 0, 0, 0, 0, 0)).toBe(0);
  });
});

describe('outlier ejection through the balancer', () => {
  test('20 hosts, 3 failing every request, max 10 %: never more than 2 ejected; failing hosts get less', () => {
    const c = cluster([20], [1], LEAST_REQUEST, { outlier: ENVOY_GATEWAY_PASSIVE_DEFAULTS });
    const rng = seededRng('requests');
    const failing = (e: number) => e < 3;
    let maxActive = 0;
    let toFailing = 0;
    const picks = 200_000;
    for (let i = 0; i < picks; i++) {
      const now = i * 0.001; // 1,000 requests a second for 200 s
      const e = c.pick(0, 0, rng, now, -1, 0, 0, 0);
      c.sent(0, e);
      c.done(0, e, now, failing(e) ? -1 : 0.001);
      if (failing(e)) toFailing++;
      maxActive = Math.max(maxActive, c.outlier!.active[0]!);
    }
    expect(maxActive).toBe(2); // 100 × 3/20 = 15 % > 10 %: the third is never ejected with two out
    expect(c.outlier!.overflows[0]!).toBeGreaterThan(0);
    // Without ejection they would get 3/20 = 15 %; ejected hosts get nothing for 30 s at a time.
    expect(toFailing / picks).toBeLessThan(0.15 * 0.6);
  });
});

describe('Maglev table', () => {
  test('10 hosts of equal weight each own 1/10 of 65537 slots (within 2 %)', () => {
    const t = new MaglevTable(Array.from({ length: 10 }, (_, e) => `10.1.0.${e}:80`), Array.from({ length: 10 }, () => 1));
    const owned = new Array(10).fill(0);
    for (const e of t.table) owned[e]++;
    for (const o of owned) expect(Math.abs(o / 65537 - 0.1)).toBeLessThan(0.002);
  });

  test('weights 3:1: shares 3/4 and 1/4 (within 1 %)', () => {
    const t = new MaglevTable(['a:1', 'b:1'], [3, 1], 1009);
    const a = t.table.filter((e) => e === 0).length / 1009;
    expect(Math.abs(a - 0.75)).toBeLessThan(0.01);
  });
});
