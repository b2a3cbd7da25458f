/**
 * The EWMA of ingress-nginx's `ewma` balancer (balancer/ewma.lua `decay_ewma`), Kong's `latency` and the
 * NGINX Ingress Controller's `least_time`: a new response time r at time t updates the score as
 * ewma·w + r·(1 − w) with w = e^(−Δt/τ), Δt the time since the endpoint was last touched and τ = 10 s
 * (ewma.lua `DECAY_TIME = 10`); between responses the score reads ewma·e^(−Δt/τ).
 *
 * Expected values are computed by hand from those formulas: e^(−0.5) = 0.6065306597126334,
 * e^(−1) = 0.36787944117144233.
 */
import { describe, expect, test } from 'vitest';
import { Affinity, decayed, EWMA_DECAY, HashBy, updated, type BalancerConfig } from '../../../src/model/ingress/balancer.js';
import { IngressNginxBalancer } from '../../../src/model/ingress/ingress-nginx.js';

const E_MINUS_HALF = 0.6065306597126334;
const E_MINUS_ONE = 0.36787944117144233;

describe('the EWMA update and decay, τ = 10 s', () => {
  test('τ is 10 seconds', () => {
    expect(EWMA_DECAY).toBe(10);
  });

  test('a response 5 s after the last: w = e^(−0.5); 0.1 s then 0.3 s gives 0.1·w + 0.3·(1 − w) = 0.178694 s', () => {
    expect(updated(0.1, 0, 0.3, 5)).toBeCloseTo(0.1 * E_MINUS_HALF + 0.3 * (1 - E_MINUS_HALF), 14);
    expect(updated(0.1, 0, 0.3, 5)).toBeCloseTo(0.1786938680574733, 14);
    // The same gap anywhere in time: only Δt counts.
    expect(updated(0.1, 100, 0.3, 105)).toBeCloseTo(0.1786938680574733, 12);
  });

  test('a response at the same instant (Δt = 0) leaves the score; a first response (touched at −∞) sets it', () => {
    expect(updated(0.1, 7, 0.3, 7)).toBe(0.1);
    expect(updated(0, -Infinity, 0.25, 3)).toBe(0.25);
  });

  test('the score decays by e^(−Δt/τ) between responses: 0.2 s read 10 s later is 0.2·e^(−1)', () => {
    expect(decayed(0.2, 0, 10)).toBeCloseTo(0.2 * E_MINUS_ONE, 14);
    expect(decayed(0.2, 0, 5)).toBeCloseTo(0.2 * E_MINUS_HALF, 14);
    expect(decayed(0.2, 4, 4)).toBe(0.2);
  });
});

function config(): BalancerConfig {
  return {
    ids: ['10.244.0.2:8080', '10.244.1.2:8080'],
    weights: [1, 1],
    algorithm: 'ewma',
    hashBy: HashBy.None,
    hashConsistent: false,
    affinity: Affinity.None,
    controllers: 1,
    workers: 1,
    sessions: 0,
    rngs: [() => 0.5],
    nodeNet24: new Int32Array(2),
    maxFails: 0,
    failTimeout: 10,
  };
}

describe('ingress-nginx ewma: of the two endpoints drawn, the lower decayed score wins', () => {
  test('0.1 s at t = 0 then 0.3 s at t = 5 scores 0.1787 s, below an endpoint that answered 0.2 s at t = 5', () => {
    // With τ = 10 s the second (slow) answer only moves the score 39 % of the way: 0.1787 < 0.2. A decay
    // of 1 s would move it 99 % of the way (0.2987) and send the request to the other endpoint.
    for (const draw of [0.1, 0.9]) {
      const b = new IngressNginxBalancer({ ...config(), rngs: [() => draw] });
      b.done(0, 0, 0, 0.1);
      b.done(0, 0, 5, 0.3);
      b.done(0, 1, 5, 0.2);
      expect(b.pick(0, 0, () => draw, 5, -1, 0, 0, 0), `draw ${draw}`).toBe(0);
    }
  });

  test('an old fast answer decays below a recent slower one: 0.1 s 10 s ago reads 0.0368 s < 0.05 s now', () => {
    for (const draw of [0.1, 0.9]) {
      const b = new IngressNginxBalancer({ ...config(), rngs: [() => draw] });
      b.done(0, 0, 0, 0.1);
      b.done(0, 1, 10, 0.05);
      // 0.1·e^(−1) = 0.0368 < 0.05: endpoint 0, although its only response was twice as slow.
      expect(b.pick(0, 0, () => draw, 10, -1, 0, 0, 0), `draw ${draw}`).toBe(0);
      // 1 s after that, endpoint 1 has decayed by e^(−0.1) only: 0.05·0.905 = 0.0452 > 0.1·e^(−1.1) = 0.0333.
      expect(b.pick(0, 0, () => draw, 11, -1, 0, 0, 0), `draw ${draw}`).toBe(0);
    }
  });

  test('refusals (rtt < 0) do not touch the score', () => {
    const b = new IngressNginxBalancer(config());
    b.done(0, 0, 0, 0.1);
    b.done(0, 0, 5, -1);
    b.done(0, 1, 5, 0.05);
    // Endpoint 0 still reads 0.1·e^(−0.5) = 0.0607 > 0.05: endpoint 1 wins. Counted as a response of −1 s,
    // the refusal would have pulled endpoint 0's score below zero.
    expect(b.pick(0, 0, () => 0.1, 5, -1, 0, 0, 0)).toBe(1);
    expect(b.pick(0, 0, () => 0.9, 5, -1, 0, 0, 0)).toBe(1);
  });
});
