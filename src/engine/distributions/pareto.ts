import type { Rng } from '../random.js';
import { formatQuantity } from '../units.js';
import type { ValueDimension } from './dimension.js';
import { assertParameter, canonicalCall, type Distribution } from './distribution.js';

/**
 * `pareto(scale=1ms, shape=2.5)` (also written `pareto(min=1ms, alpha=2.5)`): heavy tails, P(X > x) =
 * (scale/x)^shape for x >= scale. The mean is infinite for shape <= 1 and the variance for shape <= 2;
 * sample means then converge slowly, if at all.
 */
export class Pareto implements Distribution {
  readonly mean: number;
  private readonly exponent: number;
  private readonly text: string;

  constructor(
    readonly scale: number,
    readonly shape: number,
    readonly dimension: ValueDimension = 'number',
  ) {
    assertParameter(scale > 0 && Number.isFinite(scale), `pareto scale must be finite and > 0, got ${scale}`);
    assertParameter(shape > 0 && Number.isFinite(shape), `pareto shape must be finite and > 0, got ${shape}`);
    this.mean = shape > 1 ? (shape * scale) / (shape - 1) : Infinity;
    this.exponent = -1 / shape;
    this.text = canonicalCall('pareto', [`scale=${formatQuantity(scale, dimension)}`, `shape=${shape}`]);
  }

  /** exp(log(·)·e) rather than Math.pow: ~40% faster in V8 and accurate to a few ulps here. */
  sample(rng: Rng): number {
    return this.scale * Math.exp(Math.log(1 - rng()) * this.exponent);
  }

  quantile(p: number): number {
    return this.scale * Math.pow(1 - p, this.exponent);
  }

  toString(): string {
    return this.text;
  }
}
