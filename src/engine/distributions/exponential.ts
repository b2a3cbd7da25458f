import type { Rng } from '../random.js';
import { formatQuantity } from '../units.js';
import type { ValueDimension } from './dimension.js';
import { assertParameter, canonicalCall, type Distribution } from './distribution.js';

/**
 * `exp(mean=2ms)` or `exp(rate=500/s)`: memoryless inter-arrival and service times. The canonical string
 * keeps the form it was written in, so `exp(rate=3000/s)` does not turn into `exp(mean=333.33...us)`.
 */
export class Exponential implements Distribution {
  private constructor(
    readonly mean: number,
    readonly dimension: ValueDimension,
    private readonly text: string,
  ) {}

  static withMean(mean: number, dimension: ValueDimension = 'number'): Exponential {
    assertParameter(mean > 0 && Number.isFinite(mean), `exp mean must be finite and > 0, got ${mean}`);
    return new Exponential(mean, dimension, canonicalCall('exp', [`mean=${formatQuantity(mean, dimension)}`]));
  }

  /** `rate` is per second for durations, per unit for plain numbers. */
  static withRate(rate: number, dimension: ValueDimension = 'number'): Exponential {
    assertParameter(rate > 0 && Number.isFinite(rate), `exp rate must be finite and > 0, got ${rate}`);
    const written = formatQuantity(rate, dimension === 'duration' ? 'rate' : 'number');
    return new Exponential(1 / rate, dimension, canonicalCall('exp', [`rate=${written}`]));
  }

  sample(rng: Rng): number {
    // 1 - u lies in (0, 1], so the logarithm is finite.
    return -this.mean * Math.log(1 - rng());
  }

  quantile(p: number): number {
    return -this.mean * Math.log(1 - p);
  }

  toString(): string {
    return this.text;
  }
}
