/**
 * The per-connection cost `(base + walk x perRule) x noise` draw by draw. The noise is log-normal with
 * median 1, read off a table of its quantiles at u = (i + 0.5) / 1024 and interpolated linearly; the
 * standard normal quantiles below are textbook values (z(0.975) = 1.959964; z(1/2048) = -3.297193 and
 * z(3/2048) = -2.975021, from the normal CDF by bisection).
 */
import { describe, expect, it } from 'vitest';
import type { Rng } from '../../../src/engine/random.js';
import {
  BASE_CONNECTION_COST,
  COST_NOISE_SIGMA,
  connectionCosts,
  IPTABLES_RULE_COST,
  RuleWalkCost,
} from '../../../src/model/proxy/index.js';
import { ciliumConnectionCosts } from '../../../src/model/proxy/index.js';
import { cilium, kubeProxy } from '../fixtures.js';

const draws = (...u: number[]): Rng => {
  let i = 0;
  return () => u[i++]!;
};
const rel = (actual: number, expected: number): number => Math.abs(actual / expected - 1);

/** exp(0.3 z) at the quantiles named above. */
const NOISE_975 = Math.exp(0.3 * 1.959964); // 1.80036
const NOISE_FIRST = Math.exp(0.3 * -3.297193); // table[0], 0.37189
const NOISE_SECOND = Math.exp(0.3 * -2.975021); // table[1], 0.40963
const NOISE_LAST = Math.exp(0.3 * 3.297193); // table[1023] = table[1024], 2.68897

describe('the calibrated constants', () => {
  it('12 µs per new connection, 16 ns per KUBE-SERVICES rule, noise sigma 0.3', () => {
    expect([BASE_CONNECTION_COST, IPTABLES_RULE_COST, COST_NOISE_SIGMA]).toEqual([12e-6, 16e-9, 0.3]);
  });
});

describe('RuleWalkCost.sample: one draw for the walk (unless the whole chain), one for the noise', () => {
  it('walk u x rules: (12 µs + 0.25 x 1000 x 16 ns) x noise(0.975) = 16 µs x 1.80036', () => {
    const cost = new RuleWalkCost(12e-6, 16e-9, 1000, false);
    expect(rel(cost.sample(draws(0.25, 0.975)), 16e-6 * NOISE_975)).toBeLessThan(1e-4);
    expect(rel(cost.sample(draws(1 - 2 ** -20, 0.975)), (12e-6 + 1000 * 16e-9) * NOISE_975)).toBeLessThan(1e-4);
    expect(rel(cost.sample(draws(0, 0.975)), 12e-6 * NOISE_975)).toBeLessThan(1e-4);
  });

  it('the whole chain: one draw only, for the noise', () => {
    const cost = new RuleWalkCost(12e-6, 16e-9, 1000, true);
    const rng = draws(0.975, 0.5);
    expect(rel(cost.sample(rng), 28e-6 * NOISE_975)).toBeLessThan(1e-4);
    expect(rel(cost.sample(rng), 28e-6)).toBeLessThan(1e-6); // noise(0.5) = 1
  });

  it('the noise is exact at the table points and linear between them', () => {
    const flat = new RuleWalkCost(1, 0, 0, true);
    expect(rel(flat.sample(draws(0.5 / 1024)), NOISE_FIRST)).toBeLessThan(1e-5);
    expect(rel(flat.sample(draws(1.5 / 1024)), NOISE_SECOND)).toBeLessThan(1e-5);
    // u = 1.25 / 1024: x = 0.75 of the way from table point 0 to 1.
    expect(rel(flat.sample(draws(1.25 / 1024)), 0.25 * NOISE_FIRST + 0.75 * NOISE_SECOND)).toBeLessThan(1e-5);
    expect(rel(flat.sample(draws(0.5)), 1)).toBeLessThan(1e-6);
  });

  it('below the first table point it stays at the first; above the last, at the last (the tail is cut)', () => {
    const flat = new RuleWalkCost(1, 0, 0, true);
    expect(rel(flat.sample(draws(0)), NOISE_FIRST)).toBeLessThan(1e-5);
    expect(rel(flat.sample(draws(0.25 / 1024)), NOISE_FIRST)).toBeLessThan(1e-5);
    expect(rel(flat.sample(draws(1023.5 / 1024)), NOISE_LAST)).toBeLessThan(1e-5);
    expect(rel(flat.sample(draws(1 - 2 ** -30)), NOISE_LAST)).toBeLessThan(1e-5);
  });

  it('another sigma has its own table: sigma 0.5 at u = 0.975 gives exp(0.5 x 1.959964) = 2.66441', () => {
    const wide = new RuleWalkCost(2, 0, 0, true, 0.5);
    expect(rel(wide.sample(draws(0.975)), 2 * Math.exp(0.5 * 1.959964))).toBeLessThan(1e-4);
    expect(rel(new RuleWalkCost(2, 0, 0, true).sample(draws(0.975)), 2 * NOISE_975)).toBeLessThan(1e-4);
  });
});

describe('RuleWalkCost.mean: (base + mean walk x perRule) x e^(sigma^2 / 2)', () => {
  it('the mean walk is rules / 2, or rules for the whole chain', () => {
    const lognormalMean = Math.exp(0.045); // 1.046028
    expect(rel(new RuleWalkCost(12e-6, 16e-9, 1000, false).mean, 20e-6 * lognormalMean)).toBeLessThan(1e-12);
    expect(rel(new RuleWalkCost(12e-6, 16e-9, 1000, true).mean, 28e-6 * lognormalMean)).toBeLessThan(1e-12);
    expect(rel(new RuleWalkCost(1, 0, 0, true, 0.5).mean, Math.exp(0.125))).toBeLessThan(1e-12);
  });
});

describe('connectionCosts: which model each mode uses', () => {
  it('iptables: a uniform walk over the Service ports for clusterIP traffic, the whole chain for NodePort traffic', () => {
    const c = connectionCosts(kubeProxy({ mode: 'iptables', servicePorts: 2000 }));
    const [internal, external] = [c.internal as RuleWalkCost, c.external as RuleWalkCost];
    expect([internal.base, internal.perRule, internal.rules, internal.fullWalk, internal.sigma]).toEqual([12e-6, 16e-9, 2000, false, 0.3]);
    expect([external.base, external.perRule, external.rules, external.fullWalk]).toEqual([12e-6, 16e-9, 2000, true]);
    expect(rel(c.internal.mean, (12e-6 + 1000 * 16e-9) * Math.exp(0.045))).toBeLessThan(1e-12);
  });

  it('Cilium: a flat 1 µs (socket-LB) and 4 µs (north-south), one noise draw each', () => {
    const c = ciliumConnectionCosts(cilium());
    const rng = draws(0.975, 0.5);
    expect(rel(c.internal.sample(rng), 1e-6 * NOISE_975)).toBeLessThan(1e-4);
    expect(rel(c.external.sample(rng), 4e-6)).toBeLessThan(1e-6);
    const fixed = ciliumConnectionCosts(cilium({ connectionCost: { mean: 3e-6, sample: () => 3e-6 } }));
    expect(fixed.internal).toBe(fixed.external);
    expect(fixed.internal.mean).toBe(3e-6);
  });

  it('nftables and IPVS: a flat 12 µs x noise for both origins', () => {
    for (const mode of ['nftables', 'ipvs'] as const) {
      const c = connectionCosts(kubeProxy({ mode, servicePorts: 2000 }));
      expect(c.internal).toBe(c.external);
      expect(rel(c.internal.mean, 12e-6 * Math.exp(0.045))).toBeLessThan(1e-12);
      expect(rel(c.external.sample(draws(0.975)), 12e-6 * NOISE_975)).toBeLessThan(1e-4);
    }
  });
});
