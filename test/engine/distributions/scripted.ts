/**
 * A stand-in random stream that returns the uniforms a test lists, so a draw can be worked out by hand,
 * and counts them: how many uniforms a draw consumes is part of each family's contract (rejection loops,
 * the Erlang product, the mixture's pick). Running past the script is an error, not a silent zero.
 */
import type { Rng } from '../../../src/engine/random.js';

export interface Script {
  readonly rng: Rng;
  /** How many uniforms have been taken so far. */
  used(): number;
}

export function scripted(...uniforms: number[]): Script {
  let k = 0;
  const rng: Rng = () => {
    if (k >= uniforms.length) throw new Error(`the script of ${uniforms.length} uniforms ran out`);
    return uniforms[k++]!;
  };
  return { rng, used: () => k };
}

/** One draw from `sample` with the listed uniforms: the value and how many uniforms it took. */
export function drawWith(sample: (rng: Rng) => number, ...uniforms: number[]): { value: number; used: number } {
  const script = scripted(...uniforms);
  const value = sample(script.rng);
  return { value, used: script.used() };
}
