/**
 * What kube-proxy's datapath costs a NEW connection on the node that makes the choice (rule walk, DNAT,
 * conntrack insert). Established packets skip the nat table and pay nothing here (KUBERNETES.md §1).
 *
 * iptables [EST, KUBERNETES.md §2]: `(base + walk x perRule) x noise`, where the walk over KUBE-SERVICES is
 * uniform over 0..servicePorts (where the Service's rule sits in the chain; kube-proxy rewrites the chain
 * from a Go map, so the position is not stable across syncs and a per-connection draw is a fair summary).
 * NodePort traffic matches only the chain's last rule, so external traffic walks all of it.
 * nftables and IPVS: hash lookups, a flat `base x noise` whatever the number of Services.
 * The multiplicative noise is log-normal with median 1 (cache misses, softirq contention): without it the
 * uniform walk alone gives tails about half as long as measured.
 *
 * Calibration against the blog table of iptables first-packet latency (p50 / p99, µs):
 *
 *   service ports   measured     this model (base 12 µs, 16 ns per rule, sigma 0.3)
 *   5,000           47 / 152     ~50 / ~145
 *   10,000          62 / 258     ~87 / ~265
 *   30,000          272 / 715    ~240 / ~760
 *
 * and for nftables about 12 µs at p50 and ~25 µs at p99, under the blog's "~11-15 µs" p50 and "< 40 µs" p99.
 * test/model/proxy/connection-cost.test.ts checks these numbers. `kubeProxy.connectionCost`, when given,
 * replaces the model for both origins.
 */
import type { Rng } from '../../engine/random.js';
import type { Seconds } from '../../engine/time.js';
import type { KubeProxySpec } from '../spec.js';

/** Fixed part of a new connection's cost (conntrack entry, DNAT, hash lookups). */
export const BASE_CONNECTION_COST: Seconds = 12e-6;
/** Cost of one KUBE-SERVICES rule that does not match (iptables mode). */
export const IPTABLES_RULE_COST: Seconds = 16e-9;
/** Sigma of the log-normal noise factor (median 1) applied to every modelled cost. */
export const COST_NOISE_SIGMA = 0.3;

/** The part of `Distribution` the datapath needs; a parsed `Distribution` satisfies it. */
export interface CostModel {
  readonly mean: Seconds;
  sample(rng: Rng): Seconds;
}

/** exp(sigma x Z) for a standard normal Z (Box-Muller, two uniforms, no allocation). */
function noiseFactor(rng: Rng, sigma: number): number {
  const radius = Math.sqrt(-2 * Math.log(1 - rng()));
  return Math.exp(sigma * radius * Math.cos(2 * Math.PI * rng()));
}

/** `(base + walk x perRule) x noise`, the walk uniform over 0..rules, or always `rules` when `fullWalk`. */
export class RuleWalkCost implements CostModel {
  readonly mean: Seconds;

  constructor(
    readonly base: Seconds,
    readonly perRule: Seconds,
    readonly rules: number,
    readonly fullWalk: boolean,
    readonly sigma: number = COST_NOISE_SIGMA,
  ) {
    const meanWalk = fullWalk ? rules : rules / 2;
    this.mean = (base + meanWalk * perRule) * Math.exp((sigma * sigma) / 2);
  }

  sample(rng: Rng): Seconds {
    const walk = this.fullWalk ? this.rules : rng() * this.rules;
    return (this.base + walk * this.perRule) * noiseFactor(rng, this.sigma);
  }
}

/** Cost models for traffic addressed to a clusterIP (`internal`) and to a NodePort (`external`). */
export interface ConnectionCosts {
  readonly internal: CostModel;
  readonly external: CostModel;
}

export function connectionCosts(kubeProxy: KubeProxySpec): ConnectionCosts {
  if (kubeProxy.connectionCost !== undefined) {
    return { internal: kubeProxy.connectionCost, external: kubeProxy.connectionCost };
  }
  if (kubeProxy.mode === 'iptables') {
    const n = kubeProxy.servicePorts;
    return {
      internal: new RuleWalkCost(BASE_CONNECTION_COST, IPTABLES_RULE_COST, n, false),
      external: new RuleWalkCost(BASE_CONNECTION_COST, IPTABLES_RULE_COST, n, true),
    };
  }
  const flat = new RuleWalkCost(BASE_CONNECTION_COST, 0, 0, true);
  return { internal: flat, external: flat };
}
