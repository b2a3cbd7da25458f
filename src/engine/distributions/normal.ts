import type { Rng } from '../random.js';
import { formatQuantity } from '../units.js';
import type { ValueDimension } from './dimension.js';
import { assertParameter, canonicalCall, type Distribution } from './distribution.js';
import { normalCdf, normalPdf, normalQuantile } from './special.js';

/**
 * `normal(mean=2ms, sd=0.5ms)`, truncated at zero because durations and sizes cannot be negative.
 *
 * `mean` and `sd` as written are the location and spread of the underlying normal; the `mean` property is
 * the mean of what is actually drawn, μ + σ·φ(μ/σ)/Φ(μ/σ), which exceeds the written mean once σ is not small
 * against μ. Truncation is by rejection: negative draws are thrown away and redrawn, so P(keep) = Φ(μ/σ)
 * >= 1/2 because μ >= 0. Each normal is drawn by inversion (AS 241) from one uniform, which needs no spare
 * value cached between calls: a cached Box–Muller spare would hand one stream's randomness to another
 * stream sharing this object.
 */
export class TruncatedNormal implements Distribution {
  readonly mean: number;
  /** Probability that an untruncated draw is non-negative, Φ(μ/σ). */
  readonly acceptance: number;
  /** Φ(-μ/σ), computed directly rather than as 1 - acceptance, which would lose digits. */
  private readonly rejected: number;
  private readonly text: string;

  constructor(
    /** μ, the written `mean`. */
    readonly location: number,
    /** σ, the written `sd`. */
    readonly sd: number,
    readonly dimension: ValueDimension = 'number',
  ) {
    assertParameter(location >= 0 && Number.isFinite(location), `normal mean must be finite and >= 0, got ${location}`);
    assertParameter(sd > 0 && Number.isFinite(sd), `normal sd must be finite and > 0, got ${sd}`);
    const a = location / sd;
    this.acceptance = normalCdf(a);
    this.rejected = normalCdf(-a);
    this.mean = location + (sd * normalPdf(a)) / this.acceptance;
    this.text = canonicalCall('normal', [`mean=${formatQuantity(location, dimension)}`, `sd=${formatQuantity(sd, dimension)}`]);
  }

  sample(rng: Rng): number {
    for (;;) {
      const x = this.location + this.sd * normalQuantile(rng());
      if (x >= 0) return x;
    }
  }

  quantile(p: number): number {
    return Math.max(0, this.location + this.sd * normalQuantile(this.rejected + p * this.acceptance));
  }

  toString(): string {
    return this.text;
  }
}
