import { describe, expect, it } from 'vitest';
import { RandomStreams, streamSeed, type Rng } from '../../src/engine/random.js';

const take = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng());

describe('RandomStreams', () => {
  it('draws a fixed, documented sequence for a given master seed and name (same in every process)', () => {
    // If this changes, every recorded result changes: only on purpose, with a note in the changelog.
    expect(take(new RandomStreams(42).stream('pod/web-0/service'), 3)).toEqual([
      0.050518292700871825, 0.1981072856578976, 0.809180871816352,
    ]);
  });

  it('is reproducible: two instances with the same master seed agree draw for draw', () => {
    expect(take(new RandomStreams(7).stream('client/a'), 1000)).toEqual(take(new RandomStreams(7).stream('client/a'), 1000));
  });

  it('gives a fresh generator at the start of the sequence each time a name is asked for', () => {
    const streams = new RandomStreams(7);
    const first = streams.stream('x');
    const head = take(first, 5);
    const again = streams.stream('x');
    expect(take(again, 5)).toEqual(head);
    expect(first()).not.toBe(head[0]); // the first generator went on, untouched by the second
  });

  it('adding streams and drawing from them never changes what another stream draws', () => {
    const alone = take(new RandomStreams(99).stream('pod/web-0/service'), 200);
    const streams = new RandomStreams(99);
    const others = Array.from({ length: 10 }, (_, i) => streams.stream(`pod/web-${i + 1}/service`));
    const target = streams.stream('pod/web-0/service');
    const interleaved: number[] = [];
    for (let i = 0; i < 200; i++) {
      for (const other of others) other();
      interleaved.push(target());
    }
    expect(interleaved).toEqual(alone);
  });

  it('gives different sequences to different names and to different master seeds', () => {
    const a = take(new RandomStreams(1).stream('a'), 10);
    expect(take(new RandomStreams(1).stream('b'), 10)).not.toEqual(a);
    expect(take(new RandomStreams(2).stream('a'), 10)).not.toEqual(a);
    expect(take(new RandomStreams('1').stream('a'), 10)).toEqual(a); // 42 and "42" are the same seed
  });

  it('does not confuse (master, name) pairs that concatenate to the same text', () => {
    expect(streamSeed('1', '2/x')).not.toBe(streamSeed('12', '/x'));
    expect(streamSeed('a\n1', 'b')).not.toBe(streamSeed('a', '1\nb'));
  });

  it('draws uniforms in [0, 1): mean 1/2, variance 1/12, and adjacent names uncorrelated', () => {
    const n = 100_000;
    const streams = new RandomStreams(2024);
    const x = take(streams.stream('pod/web-0'), n);
    const y = take(streams.stream('pod/web-1'), n);
    expect(x.every((v) => v >= 0 && v < 1)).toBe(true);
    const mean = x.reduce((s, v) => s + v, 0) / n;
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
    // Tolerances are 5 standard errors: sd(mean) = sqrt(1/12/n), sd(variance) = sqrt(1/180/n).
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(5 * Math.sqrt(1 / 180 / n));
    let covariance = 0;
    for (let i = 0; i < n; i++) covariance += (x[i] - 0.5) * (y[i] - 0.5);
    const correlation = covariance / n / (1 / 12);
    expect(Math.abs(correlation)).toBeLessThan(5 / Math.sqrt(n));
  });

  it('rejects a master seed that is not a finite number', () => {
    expect(() => new RandomStreams(Number.NaN)).toThrow(RangeError);
  });
});
