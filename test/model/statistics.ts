/**
 * Tolerances for statistical specifications. Tests run with fixed seeds, so they are deterministic; the
 * bounds say how far an honest implementation could stray, so a failure means a wrong distribution, not
 * bad luck with the seed.
 */

/** z of a two-sided 1e-4 test: a correct implementation fails one seed in ~16,000. */
export const Z_STRICT = 3.89;

/** Half-width of the acceptance band for a binomial count: z x sqrt(n p (1 - p)). */
export function binomialTolerance(n: number, p: number, z = Z_STRICT): number {
  return z * Math.sqrt(n * p * (1 - p));
}

/** Pearson's chi-square statistic of observed counts against expected probabilities. */
export function chiSquare(observed: ArrayLike<number>, expected: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < observed.length; i++) total += observed[i]!;
  let stat = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = total * expected[i]!;
    stat += (observed[i]! - e) ** 2 / e;
  }
  return stat;
}

/** Upper critical value of chi-square with `df` degrees of freedom at level 1e-4 (Wilson-Hilferty). */
export function chiSquareCritical(df: number, z = 3.719): number {
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

/** Counts of each value in [0, size). */
export function histogram(values: Iterable<number>, size: number): number[] {
  const counts = new Array<number>(size).fill(0);
  for (const v of values) counts[v]!++;
  return counts;
}

/** The value below which a fraction `p` of `sorted` lies (nearest rank). */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
