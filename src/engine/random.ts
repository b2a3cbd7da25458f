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
 * `bench/random.bench.ts` times every seedrandom generator in a fresh worker, 5 rounds of 5M draws, both from
 * one stream and from 100 streams drawn in turn (the simulator's pattern: every stream is its own closure).
 * Medians in ns/draw, range over four runs on the shared 2-core box (load average 2-7, hence the spread):
 *
 *               100 streams in turn    one stream
 *   alea             5.4 - 20.6        10.7 - 17.4
 *   xor128          11.7 - 41.1         3.8 - 10.8    fails MatrixRank, LinearComp
 *   xorwow          17.8 - 35.4         4.3 - 10.6    fails CollisionOver, SimpPoker, LinearComp
 *   xorshift7       14.4 - 45.7         4.9 - 18.5
 *   xor4096         18.1 - 40.9         4.2 - 13.6
 *   tychei          14.9 - 32.4         3.6 - 11.8
 *   ARC4 (default)   104 - 198           58 - 112
 *
 * With one stream the xor-shift family wins once V8 inlines it, but with many streams alea was the fastest
 * in every run, 1.4x-3.4x ahead of the other generators with no reported BigCrush failures (xorshift7,
 * xor4096, tychei), likely because its closure is the generator itself where the others wrap an inner one.
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
