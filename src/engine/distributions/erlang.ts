import type { Rng } from '../random.js';
import { formatQuantity } from '../units.js';
import type { ValueDimension } from './dimension.js';
import { assertParameter, canonicalCall, type Distribution } from './distribution.js';
import { Gamma } from './gamma.js';

/**
 * Up to this many phases, a draw is the sum of k exponentials (one log of a product of k uniforms); beyond,
 * the gamma sampler is faster (crossover measured between 4 and 6 phases).
 */
const MAX_PRODUCT_PHASES = 4;

/**
 * `erlang(k=4, mean=2ms)`: k exponential phases in series, the classic low-variance service time
 * (coefficient of variation 1/sqrt(k)). Beyond 4 phases it defers to the gamma sampler, which costs the same
 * whatever k is (and a product of many uniforms could underflow).
 */
export class Erlang implements Distribution {
  private readonly phaseMean: number;
  private readonly large: Gamma | undefined;
  private readonly text: string;

  constructor(
    readonly k: number,
    readonly mean: number,
    readonly dimension: ValueDimension = 'number',
  ) {
    assertParameter(Number.isInteger(k) && k >= 1, `erlang k must be a whole number >= 1, got ${k}`);
    assertParameter(mean > 0 && Number.isFinite(mean), `erlang mean must be finite and > 0, got ${mean}`);
    this.phaseMean = mean / k;
    this.large = k > MAX_PRODUCT_PHASES ? Gamma.withMean(k, mean, dimension) : undefined;
    this.text = canonicalCall('erlang', [`k=${k}`, `mean=${formatQuantity(mean, dimension)}`]);
  }

  sample(rng: Rng): number {
    if (this.large !== undefined) return this.large.sample(rng);
    let product = 1;
    for (let i = 0; i < this.k; i++) product *= 1 - rng();
    return -this.phaseMean * Math.log(product);
  }

  toString(): string {
    return this.text;
  }
}
