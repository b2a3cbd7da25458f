/**
 * What kube-proxy's datapath costs a NEW connection on the node that makes the choice (rule walk, DNAT,
 * conntrack insert). Established packets skip the nat table and pay nothing here (docs/references.md#kube-proxy-iptables).
 *
 * iptables [EST, docs/references.md#ipvs-nftables]: `(base + walk x perRule) x noise`, where the walk over KUBE-SERVICES is
 * uniform over 0..servicePorts (where the Service's rule sits in the chain; kube-proxy rewrites the chain
 * from a Go map, so the position is not stable across syncs and a per-connection draw is a fair summary).
 * NodePort traffic matches only the chain's last rule, so external traffic walks all of it.
 * nftables and IPVS: hash lookups, a flat `base x noise` whatever the number of Services.
 * The multiplicative noise is log-normal with median 1 (cache misses, softirq contention), drawn by
 * interpolating its inverse CDF: without it the uniform walk alone gives tails about half as long as measured.
 *
 * Calibration against the blog table of iptables first-packet latency (p50 / p99, µs):
 *
 *   service ports   measured     this model (base 12 µs, 16 ns per rule, sigma 0.3)
 *   5,000           47 / 152     ~50 / ~142
 *   10,000          62 / 258     ~88 / ~263
 *   30,000          272 / 715    ~242 / ~747
 *
 * and for nftables about 12 µs at p50 and ~25 µs at p99, under the blog's "~11-15 µs" p50 and "< 40 µs" p99.
 * test/model/proxy/connection-cost.test.ts checks these numbers. `kubeProxy.connectionCost`, when given,
 * replaces the model for both origins.
 */
import type { Rng } from '../../engine/random.js';
import type { Seconds } from '../../engine/time.js';
import { normalQuantile } from '../../engine/distributions/index.js';
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

/** Points of the noise factor's inverse CDF: draws interpolate between them (one uniform, no logarithm). */
const NOISE_TABLE_SIZE = 1024;
const noiseTables = new Map<number, Float64Array>();

/**
 * Quantiles of exp(sigma x Z) at u = (i + 0.5) / size, shared by every cost model with the same sigma.
 * Interpolating between them is exact to well under 1 % inside the central 99.9 %; the extreme tail is cut
 * at the 1 - 1/2048 quantile (2.7x the median for sigma 0.3: e^(0.3 x 3.297)), which a calibrated estimate
 * can afford.
 */
function noiseTable(sigma: number): Float64Array {
  let table = noiseTables.get(sigma);
  if (table === undefined) {
    table = new Float64Array(NOISE_TABLE_SIZE + 1);
    for (let i = 0; i < NOISE_TABLE_SIZE; i++) table[i] = Math.exp(sigma * normalQuantile((i + 0.5) / NOISE_TABLE_SIZE));
    table[NOISE_TABLE_SIZE] = table[NOISE_TABLE_SIZE - 1]!;
    noiseTables.set(sigma, table);
  }
  return table;
}

/** `(base + walk x perRule) x noise`, the walk uniform over 0..rules, or always `rules` when `fullWalk`. */
export class RuleWalkCost implements CostModel {
  readonly mean: Seconds;
  private readonly noise: Float64Array;

  constructor(
    readonly base: Seconds,
    readonly perRule: Seconds,
    readonly rules: number,
    readonly fullWalk: boolean,
    readonly sigma: number = COST_NOISE_SIGMA,
  ) {
    this.noise = noiseTable(sigma);
    const meanWalk = fullWalk ? rules : rules / 2;
    this.mean = (base + meanWalk * perRule) * Math.exp((sigma * sigma) / 2);
  }

  sample(rng: Rng): Seconds {
    const walk = this.fullWalk ? this.rules : rng() * this.rules;
    const x = rng() * NOISE_TABLE_SIZE - 0.5;
    const i = x < 0 ? 0 : x | 0;
    const f = x < 0 ? 0 : x - i;
    const noise = this.noise[i]! + f * (this.noise[i + 1]! - this.noise[i]!);
    return (this.base + walk * this.perRule) * noise;
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
