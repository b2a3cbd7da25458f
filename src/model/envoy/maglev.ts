/**
 * A Maglev lookup table (Eisenbud et al., NSDI 2016, §3.4), as Envoy builds it for its Maglev load
 * balancer (envoyproxy/envoy `source/extensions/load_balancing_policies/maglev/maglev_lb.cc`
 * `MaglevTable`): every host has a permutation of the M slots (offset = h₁ mod M, skip = h₂ mod (M − 1) + 1,
 * M prime); hosts take turns, each claiming its next free preferred slot, until the table is full. Weighted
 * as Envoy does: a host takes its turn when its accumulated normalised weight reaches the next whole
 * iteration, so a host of weight w gets ≈ w / Σw of the slots. Lookup is one array read: `table[h mod M]`.
 *
 * Envoy Gateway's default table size is 65537 (api/v1alpha1/loadbalancer_types.go `tableSize`). Hashes are
 * the model's (FNV-1a then a finaliser), not Envoy's xxHash64: the same shape, different slots.
 */
import { maglevPermutation, populateMaglev } from '../maglev.js';

export const MAGLEV_TABLE_SIZE = 65537;

/** Envoy's table over a cluster's hosts (index i = host i), weighted; built by the shared ../maglev.ts. */
export class MaglevTable {
  readonly table: Int32Array;

  constructor(ids: readonly string[], weights: readonly number[], size = MAGLEV_TABLE_SIZE) {
    const n = ids.length;
    this.table = new Int32Array(n === 0 ? 0 : size).fill(-1);
    if (n === 0) return;
    const offsets = new Uint32Array(n);
    const skips = new Uint32Array(n);
    ids.forEach((id, i) => {
      const p = maglevPermutation(id, size);
      offsets[i] = p.offset;
      skips[i] = p.skip;
    });
    const maxW = Math.max(...weights.map((w) => (w > 0 ? w : 0)));
    const norm = Float64Array.from(weights, (w) => (maxW > 0 ? Math.max(0, w) / maxW : 1));
    populateMaglev(offsets, skips, Int32Array.from(ids, (_, i) => i), this.table, norm);
  }

  /** The host owning hash `h`. */
  find(h: number): number {
    return this.table[(h >>> 0) % this.table.length]!;
  }
}
