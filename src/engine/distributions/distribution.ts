/**
 * The contract every distribution meets. Distributions are built once (usually by `parseDistribution`)
 * and sampled millions of times, so `sample` must not allocate and must keep no state between calls:
 * one distribution object may serve many random streams, and anything cached across calls would leak
 * draws from one stream into another and break common random numbers.
 */
import type { Rng } from '../random.js';

export interface Distribution {
  /** The analytic mean; `Infinity` where it is undefined (a Pareto of shape <= 1). */
  readonly mean: number;
  /** One draw, consuming one or more uniforms from `rng`. */
  sample(rng: Rng): number;
  /** The canonical spelling, e.g. `exp(mean=2ms)`; `parseDistribution` reads it back as the same distribution. */
  toString(): string;
  /** The value below which a fraction `p` of draws fall, where it has a closed form. */
  quantile?(p: number): number;
}

/** Guards constructors called from code; the parser has already reported user errors with offsets. */
export function assertParameter(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(message);
}

/** `family(arg, arg)`: the canonical call syntax, one space after each comma. */
export function canonicalCall(family: string, args: readonly string[]): string {
  return `${family}(${args.join(', ')})`;
}
