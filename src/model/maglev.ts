/**
 * Maglev consistent hashing (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load Balancer",
 * NSDI '16, §3.4), the one table builder of the model: Cilium's kube-proxy replacement builds it per Service
 * (cilium/cilium `pkg/maglev/maglev.go`, `GetLookupTable`) and reads it in BPF (`bpf/lib/lb.h`,
 * `lb4_select_backend_id_maglev`: `table[hash(5-tuple) % M]`); Envoy's Maglev load balancer builds the same
 * table with weighted turns (envoyproxy/envoy `maglev_lb.cc`, `MaglevTable`; see envoy/maglev.ts).
 *
 * Population: each backend has a permutation of the M slots, `(offset + j × skip) mod M` with
 * `offset = h1 mod M` and `skip = h2 mod (M − 1) + 1` from two hashes of the backend's address (M prime, so
 * every skip walks all slots). Backends take turns in a fixed order; on its turn a backend takes the next
 * slot of its permutation that is still empty. M turns fill the table, one slot per turn, so each of N
 * backends owns ⌊M/N⌋ or ⌈M/N⌉ slots: shares differ by at most N/M (the paper's "M > 100 × N ensures at
 * most a 1 % difference").
 *
 * Disruption: removing a backend frees its slots, which the others take; but because turns interleave, a
 * few slots of the remaining backends change hands too. The paper shows by experiment, not by proof, that
 * this extra churn is small; the Cilium docs quote "at most 1 %" for M > 100 × N.
 *
 * Each permutation is walked on the fly (one position and one skip per backend), so building costs
 * O(M log M) expected steps and O(N) memory besides the table, never the paper's N × M permutation matrix.
 * Lookups are one typed-array read.
 */
import { fnv1a32, mix32 } from './hash.js';

/** The table sizes Cilium accepts as `maglev.tableSize` (all prime); its default is 16381. */
export const MAGLEV_TABLE_SIZES = [251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071] as const;
export const DEFAULT_MAGLEV_TABLE_SIZE = 16381;

/** The two permutation parameters of one backend, from its address (`ip:port`) [Cilium: murmur3 of the address]. */
export function maglevPermutation(address: string, m: number): { offset: number; skip: number } {
  const h1 = mix32(fnv1a32(address));
  const h2 = mix32(h1 ^ 0x9e3779b9);
  return { offset: h1 % m, skip: (h2 % (m - 1)) + 1 };
}

/**
 * Fills `table` (length M) with backend values. `offsets[i]`, `skips[i]` and `values[i]` describe the
 * i-th backend in turn order; the caller sorts backends by a stable key so that every node builds the same
 * table from the same set, whatever order it learnt them in (Cilium sorts them likewise).
 *
 * `weights` (normalised so the largest is 1), as Envoy does it: in the k-th round a backend takes its turn
 * only while it has claimed fewer than `weight × k` slots, so it ends with ≈ weight / Σweight of them.
 * Without weights every backend takes every turn (Cilium; Envoy with equal weights builds the same table).
 */
export function populateMaglev(offsets: Uint32Array, skips: Uint32Array, values: Int32Array, table: Int32Array, weights: Float64Array | null = null): void {
  const m = table.length;
  const n = values.length;
  table.fill(-1);
  if (n === 0) return;
  const position = Uint32Array.from(offsets);
  const claimed = weights ? new Float64Array(n) : null;
  let filled = 0;
  for (let round = 1; ; round++) {
    for (let i = 0; i < n; i++) {
      if (claimed && claimed[i]! >= weights![i]! * round) continue;
      let c = position[i]!;
      const skip = skips[i]!;
      while (table[c] !== -1) {
        c += skip;
        if (c >= m) c -= m;
      }
      table[c] = values[i]!;
      c += skip;
      position[i] = c >= m ? c - m : c;
      if (claimed) claimed[i]!++;
      if (++filled === m) return;
    }
  }
}

/** Protocol numbers as the 5-tuple carries them. */
export const IP_PROTOCOL = { TCP: 6, UDP: 17, SCTP: 132 } as const;

/**
 * The flow hash the table is indexed with: client address, client port, protocol (Cilium's
 * `__hash_from_tuple_v4` leaves the destination out, the table being per Service already; with session
 * affinity it hashes port 0, so a client maps to one backend). A stand-in for jhash: well spread, not the
 * kernel's values.
 */
export function maglevFlowHash(clientIp: number, clientPort: number, protocol: number): number {
  return mix32(mix32(clientIp ^ 0x5bd1e995) ^ ((clientPort << 8) | protocol));
}

/** Slot of a flow hash in a table of size `m`. */
export function maglevSlot(hash: number, m: number): number {
  return (hash >>> 0) % m;
}
