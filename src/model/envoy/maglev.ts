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
import { fnv1a32, mix32 } from '../hash.js';

export const MAGLEV_TABLE_SIZE = 65537;

export class MaglevTable {
  readonly table: Int32Array;

  constructor(ids: readonly string[], weights: readonly number[], size = MAGLEV_TABLE_SIZE) {
    const n = ids.length;
    this.table = new Int32Array(n === 0 ? 0 : size).fill(-1);
    if (n === 0) return;
    const offset = new Float64Array(n);
    const skip = new Float64Array(n);
    const next = new Float64Array(n);
    const maxW = Math.max(...weights.map((w) => (w > 0 ? w : 0)));
    const norm = Float64Array.from(weights, (w) => (maxW > 0 ? Math.max(0, w) / maxW : 1));
    for (let i = 0; i < n; i++) {
      offset[i] = mix32(fnv1a32(`${ids[i]}\u0000offset`)) % size;
      skip[i] = (mix32(fnv1a32(`${ids[i]}\u0000skip`)) % (size - 1)) + 1;
    }
    const claimed = new Float64Array(n);
    let filled = 0;
    for (let iteration = 1; filled < size; iteration++) {
      for (let i = 0; i < n && filled < size; i++) {
        // Weighted turns: host i claims a slot only while its claims are behind weight × iteration.
        if (claimed[i]! >= norm[i]! * iteration) continue;
        let c = (offset[i]! + next[i]! * skip[i]!) % size;
        while (this.table[c]! >= 0) {
          next[i]!++;
          c = (offset[i]! + next[i]! * skip[i]!) % size;
        }
        this.table[c] = i;
        next[i]!++;
        claimed[i]!++;
        filled++;
      }
    }
  }

  /** The host owning hash `h`. */
  find(h: number): number {
    return this.table[(h >>> 0) % this.table.length]!;
  }
}
