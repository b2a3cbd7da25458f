/**
 * Envoy's outlier detection arithmetic (outlier_detection_impl.cc), driven by hand: ejection after exactly
 * `consecutive5xx` failures, return at the first interval tick at least base × n after the n-th ejection,
 * the multiplier's decay while healthy, and the max-ejection-percent rule.
 */
import { describe, expect, test } from 'vitest';
import { ENVOY_GATEWAY_PASSIVE_DEFAULTS, OutlierDetector, type OutlierConfig } from '../../../src/model/envoy/outlier.js';

const EG: OutlierConfig = ENVOY_GATEWAY_PASSIVE_DEFAULTS; // 5 consecutive, 3 s interval, 30 s base, 10 %

/** `count` failures of host e at instance 0, 0.1 s apart from `t0`; returns the time of the last. */
function fail(d: OutlierDetector, e: number, t0: number, count: number): number {
  let t = t0;
  for (let i = 0; i < count; i++) d.result(0, e, (t = t0 + 0.1 * i), true);
  return t;
}

describe('consecutive 5xx', () => {
  test('a host failing every request is ejected at its 5th consecutive failure, not before', () => {
    const d = new OutlierDetector(EG, 10, 1);
    fail(d, 0, 0.1, 4);
    expect(d.ejected(0, 0)).toBe(false);
    d.result(0, 0, 0.5, true);
    expect(d.ejected(0, 0)).toBe(true);
    expect(d.ejections[0]).toBe(1);
    expect(d.multiplier(0, 0)).toBe(1);
  });

  test('a success in between resets the count', () => {
    const d = new OutlierDetector(EG, 10, 1);
    fail(d, 0, 0.1, 4);
    d.result(0, 0, 0.5, false);
    fail(d, 0, 0.6, 4);
    expect(d.ejected(0, 0)).toBe(false);
    d.result(0, 0, 1.0, true);
    expect(d.ejected(0, 0)).toBe(true);
  });

  test('ejection lasts base × n, returned at the first 3 s tick past it: 30 s, then 60 s, then 90 s', () => {
    const d = new OutlierDetector(EG, 10, 1);
    const t1 = fail(d, 0, 0.1, 5); // ejected at 0.5
    expect(t1).toBeCloseTo(0.5, 12);
    d.advance(0, 30.4);
    expect(d.ejected(0, 0)).toBe(true); // tick 30: 29.5 s < 30 s
    d.advance(0, 33);
    expect(d.ejected(0, 0)).toBe(false); // tick 33: 32.5 s ≥ 30 s
    // Still failing: ejected again after 5 more, now for 2 × 30 s.
    fail(d, 0, 33.1, 5); // ejected at 33.5, multiplier 2
    expect(d.ejected(0, 0)).toBe(true);
    expect(d.multiplier(0, 0)).toBe(2);
    d.advance(0, 93);
    expect(d.ejected(0, 0)).toBe(true); // 93 − 33.5 = 59.5 < 60
    d.advance(0, 96);
    expect(d.ejected(0, 0)).toBe(false);
    fail(d, 0, 96.1, 5);
    expect(d.multiplier(0, 0)).toBe(3);
    d.advance(0, 186);
    expect(d.ejected(0, 0)).toBe(true); // 186 − 96.5 = 89.5 < 90
    d.advance(0, 189);
    expect(d.ejected(0, 0)).toBe(false);
  });

  test('the multiplier decays by one per healthy interval after the return', () => {
    const d = new OutlierDetector(EG, 10, 1);
    fail(d, 0, 0.1, 5);
    d.advance(0, 33); // returned at 33
    fail(d, 0, 33.1, 5); // multiplier 2
    d.advance(0, 96); // returned at 96
    expect(d.multiplier(0, 0)).toBe(2);
    d.advance(0, 99);
    expect(d.multiplier(0, 0)).toBe(1);
    d.advance(0, 102);
    expect(d.multiplier(0, 0)).toBe(0);
    fail(d, 0, 102.1, 5);
    expect(d.multiplier(0, 0)).toBe(1); // back to base × 1
  });

  test('the ejection time is capped at max_ejection_time (300 s); the multiplier stops at 11', () => {
    const d = new OutlierDetector({ ...EG, interval: 1 }, 10, 1);
    let t = 0;
    const durations: number[] = [];
    for (let n = 1; n <= 14; n++) {
      // Fail at once after the return (within one 1 s tick), so the multiplier does not decay.
      const at = fail(d, 0, t + 0.01, 5);
      expect(d.ejected(0, 0)).toBe(true);
      let back = Math.ceil(at);
      for (; d.ejected(0, 0); back++) d.advance(0, back);
      durations.push(back - 1 - at);
      t = back - 1;
    }
    // Each ejection lasts min(30 n, 300) s, rounded up to the next 1 s tick.
    durations.forEach((dur, i) => {
      const want = Math.min(30 * (i + 1), 300);
      expect(dur).toBeGreaterThanOrEqual(want);
      expect(dur).toBeLessThan(want + 1);
    });
    expect(d.multiplier(0, 0)).toBe(11); // grows while multiplier × base < max + base
  });
});

describe('max ejection percent', () => {
  test('10 % of 10 hosts: one ejected; a second failing host overflows', () => {
    const d = new OutlierDetector(EG, 10, 1);
    fail(d, 0, 0.1, 5);
    fail(d, 1, 0.1, 5);
    expect(d.ejected(0, 0)).toBe(true);
    expect(d.ejected(0, 1)).toBe(false);
    expect(d.active[0]).toBe(1);
    expect(d.overflows[0]).toBe(1);
  });

  test('10 % of 4 hosts: nothing is ever ejected (100 × 1/4 > 10), unless always_eject_one_host', () => {
    const d = new OutlierDetector(EG, 4, 1);
    fail(d, 0, 0.1, 50);
    expect(d.active[0]).toBe(0);
    expect(d.overflows[0]).toBe(10);
    const one = new OutlierDetector({ ...EG, alwaysEjectOneHost: true }, 4, 1);
    fail(one, 0, 0.1, 5);
    expect(one.ejected(0, 0)).toBe(true);
  });

  test('instances are independent: each Envoy counts its own failures', () => {
    const d = new OutlierDetector(EG, 10, 2);
    fail(d, 0, 0.1, 5);
    expect(d.ejected(0, 0)).toBe(true);
    expect(d.ejected(1, 0)).toBe(false);
  });
});
