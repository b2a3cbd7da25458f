import type { Rng } from '../random.js';
import { assertParameter, type Distribution } from './distribution.js';

export interface MixtureComponent {
  readonly weight: number;
  readonly distribution: Distribution;
}

/** How far the weights may sum from 1 (decimal weights such as 0.1 + 0.2 are not exact). */
export const WEIGHT_TOLERANCE = 1e-9;

/**
 * `mixture(0.95: exp(mean=2ms), 0.05: const(200ms))`: with probability 0.95 a draw comes from the first
 * component, otherwise from the second. Models a fast path with occasional slow events (cache misses,
 * retransmits). One uniform picks the component, then the component draws as usual.
 */
export class Mixture implements Distribution {
  readonly mean: number;
  private readonly parts: readonly Distribution[];
  /** cumulative[i] = w0 + ... + wi; the last component also takes any rounding slack. */
  private readonly cumulative: Float64Array;
  private readonly text: string;

  constructor(readonly components: readonly MixtureComponent[]) {
    assertParameter(components.length > 0, 'a mixture needs at least one component');
    let total = 0;
    let mean = 0;
    this.cumulative = new Float64Array(components.length);
    components.forEach(({ weight, distribution }, i) => {
      assertParameter(weight > 0, `mixture weights must be > 0, got ${weight}`);
      total += weight;
      mean += weight * distribution.mean;
      this.cumulative[i] = total;
    });
    assertParameter(Math.abs(total - 1) <= WEIGHT_TOLERANCE, `mixture weights must sum to 1, got ${total}`);
    this.mean = mean;
    this.parts = components.map((c) => c.distribution);
    this.text = `mixture(${components.map((c) => `${c.weight}: ${c.distribution.toString()}`).join(', ')})`;
  }

  sample(rng: Rng): number {
    const u = rng();
    const cumulative = this.cumulative;
    const last = cumulative.length - 1;
    let i = 0;
    while (i < last && u >= cumulative[i]) i++;
    return this.parts[i].sample(rng);
  }

  toString(): string {
    return this.text;
  }
}
