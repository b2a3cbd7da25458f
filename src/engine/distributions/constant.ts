import type { Rng } from '../random.js';
import { formatQuantity } from '../units.js';
import type { ValueDimension } from './dimension.js';
import { assertParameter, canonicalCall, type Distribution } from './distribution.js';

/** `const(1ms)`: always the same value. Consumes no randomness. */
export class Constant implements Distribution {
  readonly mean: number;
  private readonly text: string;

  constructor(
    readonly value: number,
    readonly dimension: ValueDimension = 'number',
  ) {
    assertParameter(value >= 0 && Number.isFinite(value), `const value must be finite and >= 0, got ${value}`);
    this.mean = value;
    this.text = canonicalCall('const', [formatQuantity(value, dimension)]);
  }

  sample(_rng: Rng): number {
    return this.value;
  }

  quantile(_p: number): number {
    return this.value;
  }

  toString(): string {
    return this.text;
  }
}
