/**
 * Random streams whose draws the test writes down, so that a proxy's choices can be worked out by hand:
 * each stream name gets its own copy of the script (a fresh stream, as `RandomStreams.stream` promises),
 * cycling when it runs out, and every name asked for is recorded.
 */
import { RandomStreams, type Rng } from '../../../src/engine/random.js';

export class ScriptedStreams extends RandomStreams {
  /** Every stream name asked for, in order (one entry per call of `stream`). */
  readonly asked: string[] = [];

  constructor(private readonly script: (name: string) => readonly number[]) {
    super('scripted');
  }

  override stream(name: string): Rng {
    this.asked.push(name);
    const draws = this.script(name);
    let i = 0;
    return () => draws[i++ % draws.length]!;
  }
}

/** Every stream draws `draws` in turn. */
export const scripted = (...draws: number[]): ScriptedStreams => new ScriptedStreams(() => draws);
