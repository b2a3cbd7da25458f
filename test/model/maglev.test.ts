/**
 * Maglev table population (Eisenbud et al., NSDI '16, §3.4; Cilium `pkg/maglev`): balance, disruption on
 * removal, order independence, and the lookup.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAGLEV_TABLE_SIZE,
  MAGLEV_TABLE_SIZES,
  maglevFlowHash,
  maglevPermutation,
  maglevSlot,
  populateMaglev,
} from '../../src/model/maglev.js';

const addresses = (n: number): string[] => Array.from({ length: n }, (_, i) => `10.244.${i >> 8}.${i & 255}:8080`);

/** The table over `names` (values: indices into `names`), backends taking turns in address order. */
function build(names: readonly string[], m: number): Int32Array {
  const order = names.map((_, i) => i).sort((a, b) => (names[a]! < names[b]! ? -1 : 1));
  const table = new Int32Array(m);
  populateMaglev(
    Uint32Array.from(order, (i) => maglevPermutation(names[i]!, m).offset),
    Uint32Array.from(order, (i) => maglevPermutation(names[i]!, m).skip),
    Int32Array.from(order),
    table,
  );
  return table;
}

function counts(table: Int32Array, n: number): number[] {
  const c = new Array<number>(n).fill(0);
  for (const v of table) c[v]!++;
  return c;
}

function isPrime(m: number): boolean {
  for (let d = 2; d * d <= m; d++) if (m % d === 0) return false;
  return m > 1;
}

describe('Maglev table sizes', () => {
  it("are Cilium's list of primes, 16381 by default", () => {
    expect(MAGLEV_TABLE_SIZES.every(isPrime)).toBe(true);
    expect(DEFAULT_MAGLEV_TABLE_SIZE).toBe(16381);
  });

  it('permutations walk every slot: offset < M and 1 <= skip < M', () => {
    for (const name of addresses(50)) {
      const { offset, skip } = maglevPermutation(name, 251);
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(251);
      expect(skip).toBeGreaterThanOrEqual(1);
      expect(skip).toBeLessThan(251);
    }
  });
});

describe('balance: each of N backends owns floor(M/N) or ceil(M/N) slots (one slot per turn, turns round robin)', () => {
  it.each([
    [1, 251],
    [3, 251],
    [10, 16381],
    [100, 16381],
    [160, 16381],
    [1000, 16381],
  ])('N = %i, M = %i', (n, m) => {
    const table = build(addresses(n), m);
    expect(table.includes(-1)).toBe(false);
    const c = counts(table, n);
    expect(Math.min(...c)).toBe(Math.floor(m / n));
    expect(Math.max(...c)).toBe(Math.ceil(m / n));
    // The paper's "M > 100 N ensures at most a 1 % difference": shares differ by at most 1/(M/N).
    if (m > 100 * n) expect((Math.max(...c) - Math.min(...c)) / (m / n)).toBeLessThanOrEqual(0.01);
  });

  it('an empty backend set leaves the table empty (no backend: the lookup has nothing to return)', () => {
    const table = new Int32Array(251);
    populateMaglev(new Uint32Array(0), new Uint32Array(0), new Int32Array(0), table);
    expect(table.every((v) => v === -1)).toBe(true);
  });
});

describe('disruption when one backend goes', () => {
  /** Slots of the backends that stay whose owner changed, as a fraction of M; and whether all of `gone`'s moved. */
  function removal(n: number, m: number, gone: number): { others: number; allOfGoneMoved: boolean } {
    const names = addresses(n);
    const before = build(names, m);
    const rest = names.filter((_, i) => i !== gone);
    const after = build(rest, m);
    let others = 0;
    let allOfGoneMoved = true;
    for (let j = 0; j < m; j++) {
      const owner = after[j]!;
      if (owner < 0) allOfGoneMoved = false;
      if (before[j] === gone) continue;
      if (rest[owner] !== names[before[j]!]) others++;
    }
    return { others: others / m, allOfGoneMoved };
  }

  // Maglev is nearly, not exactly, minimal-disruption: the paper shows the extra churn by experiment only
  //, and turns interleave, so a few slots of the backends that stay change hands as well. This
  // model measured at most 1.7 % of M for N <= 160 at M = 16381 (about 1 % for N = 10): the bound pinned
  // here is 2 % (a `hash % N` table would move about (N - 1)/N of them).
  it.each([
    [10, 16381],
    [100, 16381],
    [160, 16381],
  ])('N = %i, M = %i: every slot of the removed backend moves, at most 2 %% of the others', (n, m) => {
    for (const gone of [0, 1, Math.floor(n / 2), n - 1]) {
      const r = removal(n, m, gone);
      expect(r.allOfGoneMoved).toBe(true);
      expect(r.others).toBeLessThanOrEqual(0.02);
      expect(r.others).toBeGreaterThan(0); // not exactly minimal: say so, and keep it pinned
    }
  });

  it('a larger table disrupts less (N = 10: M = 16381 against M = 251)', () => {
    const big = [0, 3, 7].map((g) => removal(10, 16381, g).others);
    const small = [0, 3, 7].map((g) => removal(10, 251, g).others);
    expect(Math.max(...big)).toBeLessThan(Math.min(...small));
  });
});

describe('the same table on every node', () => {
  it('does not depend on the order the backends were learnt in (they take turns in address order)', () => {
    const names = addresses(20);
    const shuffled = [...names].reverse();
    const a = build(names, 1021);
    const b = build(shuffled, 1021);
    expect(Array.from(a, (v) => names[v])).toEqual(Array.from(b, (v) => shuffled[v]));
  });

  it('a flow hash picks one slot: the same flow, the same backend; the port spreads flows of one client', () => {
    const m = 16381;
    const table = build(addresses(5), m);
    const pick = (ip: number, port: number): number => table[maglevSlot(maglevFlowHash(ip, port, 6), m)]!;
    expect(pick(7, 40000)).toBe(pick(7, 40000));
    const c = new Array<number>(5).fill(0);
    for (let port = 32768; port < 32768 + 5000; port++) c[pick(7, port)]!++;
    // 5000 flows over 5 backends of ~equal share: each within 5 sigma of 1000 (sigma = sqrt(5000 * 0.2 * 0.8)).
    for (const k of c) expect(Math.abs(k - 1000)).toBeLessThan(5 * Math.sqrt(800));
    // Port 0 (session affinity): one backend per client address.
    expect(pick(9, 0)).toBe(pick(9, 0));
  });
});
