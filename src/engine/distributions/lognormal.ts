import type { Rng } from '../random.js';
import { formatQuantity } from '../units.js';
import type { ValueDimension } from './dimension.js';
import { assertParameter, canonicalCall, type Distribution } from './distribution.js';
import { normalQuantile } from './special.js';

/** Φ⁻¹(0.99): how many σ the 99th percentile sits above the median. */
const Z99 = normalQuantile(0.99);

/**
 * `lognormal(median=3ms, p99=40ms)`, `lognormal(mean=2ms, sd=1ms)` or `lognormal(median=3ms, sigma=1.2)`:
 * the usual shape of measured latencies. Users know a median and a tail, or a mean and a spread, rarely
 * μ and σ of the logarithm, so those are what is written and what the canonical string keeps.
 */
export class LogNormal implements Distribution {
  readonly mean: number;

  private constructor(
    /** μ: mean of the logarithm (of the value in base units). */
    readonly mu: number,
    /** σ: standard deviation of the logarithm. */
    readonly sigma: number,
    readonly dimension: ValueDimension,
    private readonly text: string,
    /** The mean when it was written, so `mean=2ms` reports exactly 2ms rather than a rounded exp(μ + σ²/2). */
    writtenMean?: number,
  ) {
    assertParameter(Number.isFinite(mu) && sigma > 0 && Number.isFinite(sigma), `lognormal needs finite mu and sigma > 0, got ${mu}, ${sigma}`);
    this.mean = writtenMean ?? Math.exp(mu + (sigma * sigma) / 2);
  }

  static fromMedianP99(median: number, p99: number, dimension: ValueDimension = 'number'): LogNormal {
    assertParameter(median > 0 && p99 > median, `lognormal needs 0 < median < p99, got ${median}, ${p99}`);
    const text = canonicalCall('lognormal', [`median=${formatQuantity(median, dimension)}`, `p99=${formatQuantity(p99, dimension)}`]);
    return new LogNormal(Math.log(median), Math.log(p99 / median) / Z99, dimension, text);
  }

  static fromMeanSd(mean: number, sd: number, dimension: ValueDimension = 'number'): LogNormal {
    assertParameter(mean > 0 && sd > 0, `lognormal needs mean > 0 and sd > 0, got ${mean}, ${sd}`);
    const variance = Math.log1p((sd / mean) ** 2); // σ² = ln(1 + cv²)
    const text = canonicalCall('lognormal', [`mean=${formatQuantity(mean, dimension)}`, `sd=${formatQuantity(sd, dimension)}`]);
    return new LogNormal(Math.log(mean) - variance / 2, Math.sqrt(variance), dimension, text, mean);
  }

  static fromMedianSigma(median: number, sigma: number, dimension: ValueDimension = 'number'): LogNormal {
    assertParameter(median > 0, `lognormal needs median > 0, got ${median}`);
    const text = canonicalCall('lognormal', [`median=${formatQuantity(median, dimension)}`, `sigma=${sigma}`]);
    return new LogNormal(Math.log(median), sigma, dimension, text);
  }

  sample(rng: Rng): number {
    return Math.exp(this.mu + this.sigma * normalQuantile(rng()));
  }

  quantile(p: number): number {
    return Math.exp(this.mu + this.sigma * normalQuantile(p));
  }

  toString(): string {
    return this.text;
  }
}
