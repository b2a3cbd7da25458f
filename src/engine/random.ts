/**
 * Named, independent random streams derived from one master seed.
 *
 * Every consumer of randomness (one pod's service times, one client's inter-arrival times, ...) draws from
 * its own stream, named for what it feeds. A stream's seed is a hash of (master seed, name) only, so adding,
 * removing or reordering other streams never changes what a stream draws. That is what gives common random
 * numbers when two configurations are compared: the same client sees the same arrivals in both.
 *
 * There is no global state and no `Math.random`: the same master seed and name give the same sequence in
 * any process and any worker thread.
 *
 * Generator: seedrandom's `alea` (Baagøe's multiply-with-carry, period ~2^116, reported to pass BigCrush).
 * Measured by `bench/random.bench.ts` (one fresh worker per generator, 5M draws x 5 rounds, median), on the
 * 2-core CI box under Node 20:
 *
 *   alea 10.2-10.7 ns/draw, xor128 9.2-12.4, xorwow 9.6-10.0, xorshift7 11.8-13.1, xor4096 12.0-14.3,
 *   tychei 9.4-17.0, default ARC4 46.8-59.9.
 *
 * xor128 and xorwow are as fast but fail BigCrush tests (MatrixRank, LinearComp); alea is the fastest of the
 * generators with no reported failures, and its speed is steady where tychei's varies with JIT luck.
 * Its draws have 32 bits of resolution: the smallest non-zero draw is 2^-32, so inverse-CDF sampling
 * reaches at most the 1 - 2^-32 quantile (a Pareto of shape 2.5 is cut at ~7000x its scale).
 */
import { createHash } from 'node:crypto';
import seedrandom from 'seedrandom';

/** A source of uniform numbers in [0, 1). Calling it advances the stream. */
export type Rng = () => number;

/** The seedrandom algorithm behind every stream (see the module comment for why). */
export const GENERATOR = 'alea';

/**
 * Derives a stream's seed from the master seed and the stream name. SHA-256 of an unambiguous encoding,
 * so similar names (`pod/web-0`, `pod/web-1`) give unrelated generator states, and no pair of different
 * (master, name) pairs can produce the same key text.
 */
export function streamSeed(masterSeed: string, name: string): string {
  return createHash('sha256').update(`kube-netsim/rng/v1\n${masterSeed.length}:${masterSeed}\n${name}`).digest('hex');
}

export class RandomStreams {
  /** The master seed as text: a number seed `42` is the same master seed as the string `"42"`. */
  readonly masterSeed: string;

  constructor(masterSeed: number | string) {
    if (typeof masterSeed === 'number' && !Number.isFinite(masterSeed)) {
      throw new RangeError(`expected a finite master seed, found ${masterSeed}`);
    }
    this.masterSeed = String(masterSeed);
  }

  /**
   * The stream called `name`, e.g. `"pod/web-0/service"`. Each call returns a *fresh* generator positioned
   * at the start of the stream's sequence: asking twice for the same name gives two generators drawing the
   * same numbers, not a shared one. Ask once per consumer and keep it.
   */
  stream(name: string): Rng {
    return seedrandom.alea(streamSeed(this.masterSeed, name));
  }
}
