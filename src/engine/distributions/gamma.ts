import type { Rng } from '../random.js';
import { formatQuantity } from '../units.js';
import type { ValueDimension } from './dimension.js';
import { assertParameter, canonicalCall, type Distribution } from './distribution.js';
import { normalQuantile } from './special.js';

/**
 * `gamma(shape=2, mean=2ms)` or `gamma(shape=2, scale=1ms)`. Sampled by Marsaglia & Tsang (2000), "A simple
 * method for generating gamma variables": ~1.03 normal+uniform pairs per draw for shape >= 1, with the
 * shape+1 boost and a U^(1/shape) factor below 1. The normal is drawn by inversion, so no state is kept.
 */
export class Gamma implements Distribution {
  readonly mean: number;
  private readonly d: number;
  private readonly c: number;
  /** 1/shape when shape < 1 (boosted draw), else 0. */
  private readonly boost: number;

  private constructor(
    readonly shape: number,
    readonly scale: number,
    readonly dimension: ValueDimension,
    private readonly text: string,
  ) {
    assertParameter(shape > 0 && Number.isFinite(shape), `gamma shape must be finite and > 0, got ${shape}`);
    assertParameter(scale > 0 && Number.isFinite(scale), `gamma scale must be finite and > 0, got ${scale}`);
    this.mean = shape * scale;
    const a = shape < 1 ? shape + 1 : shape;
    this.d = a - 1 / 3;
    this.c = 1 / Math.sqrt(9 * this.d);
    this.boost = shape < 1 ? 1 / shape : 0;
  }

  static withMean(shape: number, mean: number, dimension: ValueDimension = 'number'): Gamma {
    const text = canonicalCall('gamma', [`shape=${shape}`, `mean=${formatQuantity(mean, dimension)}`]);
    return new Gamma(shape, mean / shape, dimension, text);
  }

  static withScale(shape: number, scale: number, dimension: ValueDimension = 'number'): Gamma {
    const text = canonicalCall('gamma', [`shape=${shape}`, `scale=${formatQuantity(scale, dimension)}`]);
    return new Gamma(shape, scale, dimension, text);
  }

  sample(rng: Rng): number {
    const d = this.d;
    const c = this.c;
    let x: number;
    let v: number;
    for (;;) {
      do {
        x = normalQuantile(rng());
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = rng();
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) break;
      if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) break;
    }
    const g = d * v;
    return (this.boost === 0 ? g : g * Math.exp(Math.log(rng()) * this.boost)) * this.scale;
  }

  toString(): string {
    return this.text;
  }
}
