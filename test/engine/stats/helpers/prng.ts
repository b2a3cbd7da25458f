/**
 * Deterministic randomness for statistical tests: fixed seeds make every assertion reproducible, and a
 * local generator keeps these specifications independent of the engine's own random module.
 */

/** mulberry32: 32-bit state, uniform in [0, 1). Good enough for test data, not for simulation. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal variates by Box–Muller (uses two uniforms per value; simple and exact). */
export function normal(uniform: () => number): () => number {
  return () => {
    const u = 1 - uniform(); // (0, 1]: log(0) impossible
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

/** Exponential variates with the given mean, by inversion. */
export function exponential(uniform: () => number, mean: number): () => number {
  return () => -mean * Math.log(1 - uniform());
}

/** Nearest-rank order statistic of sorted data, the reference for quantile tests. */
export function orderStatistic(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  const rank = Math.min(n, Math.max(1, Math.ceil(q * n)));
  return sorted[rank - 1]!;
}
