/**
 * What a distribution's values measure. Values are stored in base units (seconds, bytes); the dimension
 * only decides how canonical strings print them and which written units the parser accepts.
 */
import { dimensionNoun, type Dimension, type Quantity } from '../units.js';

/** A rate is never a distribution's value (write `exp(rate=500/s)`, whose values are durations). */
export type ValueDimension = Exclude<Dimension, 'rate'>;

export type Unified =
  | { readonly ok: true; readonly dimension: ValueDimension | undefined }
  | { readonly ok: false; readonly found: string };

/**
 * Checks that `quantity` fits alongside values of dimension `current` (undefined: nothing seen yet) and
 * returns the dimension from then on. A bare `0` fits anything and decides nothing; bare numbers count as
 * sizes once the values are known to be sizes, as in `parseBytes`.
 */
export function unifyDimension(current: ValueDimension | undefined, quantity: Quantity): Unified {
  const { dimension, value } = quantity;
  if (dimension === 'rate') return { ok: false, found: dimensionNoun('rate') };
  if (dimension === 'number' && (value === 0 || current === 'bytes')) return { ok: true, dimension: current };
  if (current === undefined || current === dimension) return { ok: true, dimension };
  return { ok: false, found: dimensionNoun(dimension) };
}
