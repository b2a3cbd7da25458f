import type { Rng } from '../random.js';
import { formatQuantity } from '../units.js';
import type { ValueDimension } from './dimension.js';
import { assertParameter, canonicalCall, type Distribution } from './distribution.js';

/** `uniform(1ms, 3ms)`: every value in [min, max) equally likely. */
export class Uniform implements Distribution {
  readonly mean: number;
  private readonly width: number;
  private readonly text: string;

  constructor(
    readonly min: number,
    readonly max: number,
    readonly dimension: ValueDimension = 'number',
  ) {
    assertParameter(min >= 0 && max > min && Number.isFinite(max), `uniform needs 0 <= min < max, got ${min}, ${max}`);
    this.width = max - min;
    this.mean = min + this.width / 2;
    this.text = canonicalCall('uniform', [formatQuantity(min, dimension), formatQuantity(max, dimension)]);
  }

  sample(rng: Rng): number {
    return this.min + this.width * rng();
  }

  quantile(p: number): number {
    return this.min + this.width * p;
  }

  toString(): string {
    return this.text;
  }
}
