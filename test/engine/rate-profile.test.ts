/**
 * Rate profiles (load that varies) and the non-homogeneous Poisson process they define.
 *
 * - Λ(t) of every form against integrals worked out by hand;
 * - `nextArrival` inverts Λ: the t' it returns has Λ(t') − Λ(t) = e within 1e-9 relative, for random t
 *   and e (including points that cross many segments, periods and stretches at rate 0);
 * - statistically, over many arrivals from a fixed stream, the count in each window agrees with ∫λ over
 *   the window: |N − m| ≤ 4√m in every window, and the dispersion Σ(N − m)²/m over K windows (chi-square
 *   with K degrees of freedom for a Poisson process) lies within K ± 5√(2K);
 * - stretches at rate 0 get no arrival, and a profile at 0 for ever ends the arrivals (Infinity);
 * - bad profiles and bad trace files are refused, the files with their line.
 */
import { describe, expect, it } from 'vitest';
import { RandomStreams, type Rng } from '../../src/engine/random.js';
import { RateProfile, RateTraceError, readRateTrace, type RateProfileSpec } from '../../src/engine/rate-profile.js';

const steps = (...pairs: [number, number][]): RateProfile => new RateProfile({ kind: 'steps', steps: pairs.map(([at, rate]) => ({ at, rate })) });
const ramp = (from: number, to: number, start: number, end: number): RateProfile => new RateProfile({ kind: 'ramp', from, to, start, end });
const sine = (period: number, min: number, max: number, peakAt = period / 4): RateProfile => new RateProfile({ kind: 'sine', period, min, max, peakAt });
const trace = (interpolate: 'step' | 'linear', ...pairs: [number, number][]): RateProfile =>
  new RateProfile({ kind: 'trace', points: pairs.map(([at, rate]) => ({ at, rate })), interpolate, source: 'test.csv' });

const close = (actual: number, expected: number, rel = 1e-12): void => {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
};

const exp1 = (rng: Rng): number => -Math.log(1 - rng());

/** Arrival times over [0, horizon) from a fixed stream. */
function arrivals(p: RateProfile, horizon: number, seed: string): number[] {
  const rng = new RandomStreams(20240601).stream(seed);
  const out: number[] = [];
  let t = 0;
  for (;;) {
    t = p.nextArrival(t, exp1(rng));
    if (!(t < horizon)) return out;
    out.push(t);
  }
}

/** Counts per window against ∫λ per window: every window within 4√m, and the chi-square of the whole. */
function expectPoissonCounts(p: RateProfile, horizon: number, windows: number, seed: string): void {
  const times = arrivals(p, horizon, seed);
  const w = horizon / windows;
  const counts = new Array<number>(windows).fill(0);
  for (const t of times) counts[Math.floor(t / w)]!++;
  let chi2 = 0;
  let used = 0;
  for (let k = 0; k < windows; k++) {
    const m = p.integral(k * w, (k + 1) * w);
    const n = counts[k]!;
    expect(Math.abs(n - m), `window ${k}: ${n} arrivals, ∫λ = ${m}`).toBeLessThanOrEqual(4 * Math.sqrt(m) + 1e-9);
    if (m === 0) {
      expect(n, `window ${k} has rate 0`).toBe(0);
      continue;
    }
    chi2 += (n - m) ** 2 / m;
    used++;
  }
  expect(chi2, `dispersion over ${used} windows`).toBeGreaterThan(used - 5 * Math.sqrt(2 * used));
  expect(chi2, `dispersion over ${used} windows`).toBeLessThan(used + 5 * Math.sqrt(2 * used));
  expect(Math.abs(times.length - p.integral(0, horizon))).toBeLessThanOrEqual(4 * Math.sqrt(p.integral(0, horizon)));
}

describe('Λ(t) against integrals worked out by hand', () => {
  it('steps: each rate holds until the next step', () => {
    const p = steps([0, 10], [5, 30], [8, 0], [12, 20]);
    expect([p.rate(0), p.rate(4.9), p.rate(5), p.rate(9), p.rate(12), p.rate(1e6)]).toEqual([10, 10, 30, 0, 20, 20]);
    close(p.cumulative(3), 30);
    close(p.cumulative(5), 50);
    close(p.cumulative(7), 110);
    close(p.cumulative(8), 140);
    close(p.cumulative(10), 140);
    close(p.cumulative(12), 140);
    close(p.cumulative(15), 200);
    close(p.integral(4, 13), 10 + 90 + 0 + 20);
    expect(p.maxRate).toBe(30);
  });

  it('steps: the rate is 0 before the first step', () => {
    const p = steps([2, 5]);
    expect(p.rate(1)).toBe(0);
    expect(p.cumulative(1)).toBe(0);
    close(p.cumulative(4), 10);
  });

  it('ramp: from before start, linear between, to after end', () => {
    const p = ramp(10, 50, 2, 6);
    expect([p.rate(0), p.rate(2), p.rate(3), p.rate(6), p.rate(100)]).toEqual([10, 10, 20, 50, 50]);
    close(p.cumulative(2), 20);
    close(p.cumulative(4), 60); // 20 + 2·(10 + 30)/2
    close(p.cumulative(6), 140); // 20 + 4·(10 + 50)/2
    close(p.cumulative(8), 240);
    close(ramp(50, 10, 0, 4).cumulative(4), 120); // falling, from time 0
  });

  it('sine: mid + amp·cos(2π(t − peakAt)/period); the default peakAt = period/4 starts at the mean, rising', () => {
    const p = sine(100, 10, 30);
    // λ(t) = 20 + 10 sin(2πt/100); Λ(t) = 20t + (1000/2π)(1 − cos(2πt/100)).
    const L = (t: number): number => 20 * t + (1000 / (2 * Math.PI)) * (1 - Math.cos((2 * Math.PI * t) / 100));
    close(p.rate(0), 20);
    close(p.rate(25), 30);
    close(p.rate(75), 10);
    for (const t of [0, 1e-6, 10, 25, 50, 75, 100, 133.3, 1000.5]) close(p.cumulative(t), L(t), 1e-12);
    close(p.cumulative(50), 1000 + 1000 / Math.PI);
    close(p.cumulative(100), 2000);
  });

  it('sine: a daily peak at 14h puts the trough at 2h', () => {
    const p = sine(24 * 3600, 200, 2000, 14 * 3600);
    close(p.rate(14 * 3600), 2000);
    close(p.rate(2 * 3600), 200);
    close(p.rate(8 * 3600), 1100, 1e-9);
    close(p.cumulative(24 * 3600), 1100 * 24 * 3600, 1e-12);
  });

  it('trace: piecewise linear between points (or steps), 0 before the first, the last rate after it', () => {
    const lin = trace('linear', [0, 0], [10, 100], [20, 100], [30, 0]);
    close(lin.rate(5), 50);
    close(lin.cumulative(10), 500);
    close(lin.cumulative(20), 1500);
    close(lin.cumulative(25), 1500 + 375);
    close(lin.cumulative(30), 2000);
    close(lin.cumulative(40), 2000);
    const st = trace('step', [0, 0], [10, 100], [20, 100], [30, 0]);
    close(st.cumulative(10), 0);
    close(st.cumulative(20), 1000);
    close(st.cumulative(30), 2000);
    close(st.cumulative(40), 2000);
    const late = trace('linear', [5, 10], [15, 30]);
    expect(late.rate(4)).toBe(0);
    close(late.cumulative(15), 200);
    close(late.cumulative(20), 350);
  });

  it('the mean rate over a run is ∫λ/duration', () => {
    close(steps([0, 1000], [60, 3000], [120, 1000]).meanRate(0, 180), (60_000 + 180_000 + 60_000) / 180);
    close(ramp(1000, 5000, 30, 90).meanRate(0, 120), (30_000 + 180_000 + 150_000) / 120);
    close(sine(600, 100, 300).meanRate(0, 600), 200);
  });
});

describe('nextArrival inverts Λ exactly', () => {
  const profiles: Record<string, RateProfile> = {
    steps: steps([0, 10], [5, 30], [8, 0], [12, 20], [40, 0.5]),
    'steps starting late': steps([3, 7]),
    ramp: ramp(10, 50, 2, 6),
    'falling ramp to 0': ramp(50, 0, 1, 9),
    'ramp from 0': ramp(0, 20, 0, 10),
    sine: sine(100, 10, 30),
    'sine to 0': sine(10, 0, 8, 3),
    'sine, constant': sine(10, 5, 5),
    'linear trace': trace('linear', [0, 0], [10, 100], [20, 100], [30, 0], [35, 0], [50, 40]),
    'step trace': trace('step', [1, 3], [2, 0], [4, 9]),
  };

  it.each(Object.keys(profiles))('%s: Λ(t′) − Λ(t) = e within 1e-9', (name) => {
    const p = profiles[name]!;
    const rng = new RandomStreams(7).stream(`invert/${name}`);
    for (let k = 0; k < 2000; k++) {
      const t = rng() * 60;
      // Mostly one arrival's worth, sometimes many segments' or periods' worth at once.
      const e = k % 10 === 0 ? 200 * rng() : exp1(rng);
      const next = p.nextArrival(t, e);
      expect(next).toBeGreaterThanOrEqual(t);
      if (next === Infinity) {
        // The profile is 0 for ever after some time, and less than e of Λ is left after t.
        expect(p.integral(t, 1e12), `${name}: t=${t}, e=${e}`).toBeLessThan(e);
        continue;
      }
      const got = p.cumulative(next) - p.cumulative(t);
      expect(Math.abs(got - e), `${name}: t=${t}, e=${e}, t'=${next}`).toBeLessThanOrEqual(1e-9 * e);
      expect(Math.abs(p.integral(t, next) - e)).toBeLessThanOrEqual(1e-9 * e);
    }
  });

  it('e = 0 gives t itself; a tiny e a time just after', () => {
    const p = ramp(0, 20, 0, 10);
    expect(p.nextArrival(3, 0)).toBe(3);
    const next = p.nextArrival(0, 1e-12);
    expect(next).toBeGreaterThan(0);
    close(p.cumulative(next), 1e-12, 1e-6);
  });

  it('one step is a homogeneous Poisson process: the same arrivals as exp(rate) draws from the same numbers', () => {
    const p = steps([0, 250]);
    const rngA = new RandomStreams(3).stream('same');
    const rngB = new RandomStreams(3).stream('same');
    let a = 0;
    let b = 0;
    for (let k = 0; k < 1000; k++) {
      a = p.nextArrival(a, exp1(rngA));
      b += -(1 / 250) * Math.log(1 - rngB());
      close(a, b, 1e-12);
    }
  });
});

describe('arrivals are a Poisson process of rate λ(t): counts per window match ∫λ', () => {
  it('steps 100/s, 400/s, 0, 250/s over 100 s (~22,500 arrivals, 50 windows)', () => {
    expectPoissonCounts(steps([0, 100], [20, 400], [50, 0], [60, 250]), 100, 50, 'poisson/steps');
  });

  it('a ramp from 50/s to 600/s between 10 s and 70 s (~26,000 arrivals, 40 windows)', () => {
    expectPoissonCounts(ramp(50, 600, 10, 70), 80, 40, 'poisson/ramp');
  });

  it('a sine between 20/s and 500/s, period 25 s, over four periods (~26,000 arrivals, 100 windows)', () => {
    expectPoissonCounts(sine(25, 20, 500), 100, 100, 'poisson/sine');
  });

  it('a sine down to 0, peaking at 7 s (~20,000 arrivals, 80 windows)', () => {
    expectPoissonCounts(sine(20, 0, 500, 7), 80, 80, 'poisson/sine0');
  });

  it('a linear trace with a stretch at 0 (~17,000 arrivals, 60 windows)', () => {
    expectPoissonCounts(trace('linear', [0, 100], [20, 500], [30, 0], [40, 0], [50, 600], [60, 600]), 60, 60, 'poisson/trace');
  });

  it('the same seed gives the same arrivals', () => {
    const p = sine(25, 20, 500);
    expect(arrivals(p, 10, 'again')).toEqual(arrivals(p, 10, 'again'));
  });
});

describe('rate 0', () => {
  it('a stretch at 0 gets no arrival: the next one comes after it', () => {
    const p = steps([0, 10], [5, 0], [100, 10]);
    const rng = new RandomStreams(11).stream('gap');
    let t = 0;
    for (let k = 0; k < 5000; k++) {
      t = p.nextArrival(t, exp1(rng));
      expect(t >= 5 && t < 100, `arrival at ${t}`).toBe(false);
    }
    expect(p.nextArrival(4.99, 10)).toBeGreaterThanOrEqual(100);
    close(p.nextArrival(5, 1), 100.1);
  });

  it('0 for ever after some time ends the arrivals', () => {
    expect(steps([0, 10], [5, 0]).nextArrival(0, 51)).toBe(Infinity);
    expect(steps([0, 10], [5, 0]).nextArrival(6, 0.1)).toBe(Infinity);
    expect(ramp(10, 0, 0, 10).nextArrival(0, 50.0001)).toBe(Infinity);
    close(ramp(10, 0, 0, 10).nextArrival(0, 49.999), 10 - Math.sqrt(2 * 0.001), 1e-6);
    expect(trace('linear', [0, 10], [10, 0]).nextArrival(9.99, 1)).toBe(Infinity);
    expect(arrivals(steps([0, 1000], [2, 0]), 1e9, 'end').every((t) => t < 2)).toBe(true);
  });
});

describe('bad profiles are refused', () => {
  const bad: Record<string, RateProfileSpec> = {
    'steps not ascending': { kind: 'steps', steps: [{ at: 5, rate: 1 }, { at: 5, rate: 2 }] },
    'no steps': { kind: 'steps', steps: [] },
    'a negative rate': { kind: 'steps', steps: [{ at: 0, rate: -1 }] },
    'an infinite rate': { kind: 'steps', steps: [{ at: 0, rate: Infinity }] },
    'only zeros': { kind: 'steps', steps: [{ at: 0, rate: 0 }] },
    'a ramp ending before it starts': { kind: 'ramp', from: 1, to: 2, start: 10, end: 10 },
    'a ramp of zeros': { kind: 'ramp', from: 0, to: 0, start: 0, end: 10 },
    'a sine with min > max': { kind: 'sine', period: 10, min: 5, max: 4, peakAt: 0 },
    'a sine of period 0': { kind: 'sine', period: 0, min: 0, max: 4, peakAt: 0 },
    'a sine at 0': { kind: 'sine', period: 10, min: 0, max: 0, peakAt: 0 },
  };
  it.each(Object.keys(bad))('%s', (name) => {
    expect(() => new RateProfile(bad[name]!)).toThrow(RangeError);
  });
});

describe('trace files', () => {
  it('read rows of time and rate, with a header, comments, units or bare numbers, and any separator', () => {
    const text = ['time,rate', '# a quiet night', '0s, 200/s', '', '30m,1.2k/s', '3600\t500', '2h;0', '7200.5 10/s'].join('\r\n');
    expect(readRateTrace(text)).toEqual([
      { at: 0, rate: 200 },
      { at: 1800, rate: 1200 },
      { at: 3600, rate: 500 },
      { at: 7200, rate: 0 },
      { at: 7200.5, rate: 10 },
    ]);
  });

  const error = (text: string): { line: number; message: string } => {
    try {
      readRateTrace(text);
    } catch (e) {
      if (e instanceof RateTraceError) return { line: e.line, message: e.message };
      throw e;
    }
    throw new Error('expected a RateTraceError');
  };

  it('a bad row is an error with its line', () => {
    expect(error('t,r\n0,1\n5s\n')).toEqual({ line: 3, message: `expected a time and a rate such as "30s, 1k/s" (or "30, 1000": seconds, per second), found '5s'` });
    expect(error('0,1\n5s,2x/s\n')).toEqual({ line: 2, message: `expected a rate such as 1k/s, 120/m or 250 (per second), found '2x/s' (unknown unit 'x/s')` });
    expect(error('0,1\n5KiB,2\n')).toEqual({ line: 2, message: `expected a time such as 30s, 1.5m or 90 (seconds), found a size '5KiB'` });
    expect(error('0,1\n5s,-2\n')).toEqual({ line: 2, message: `expected a rate such as 1k/s, 120/m or 250 (per second) >= 0, found '-2'` });
    expect(error('0,1\n10s,2\n10s,3\n')).toEqual({ line: 3, message: `expected a time after the previous row's (10s): times ascend, found '10s'` });
    expect(error('0,1\n5,2\n1,3,4\n')).toMatchObject({ line: 3 });
  });

  it('an empty trace, a trace of zeros and a trace too large are errors', () => {
    expect(error('time,rate\n# nothing\n')).toEqual({ line: 0, message: 'expected at least one row "time, rate", found none' });
    expect(error('0,0\n10,0\n')).toEqual({ line: 0, message: 'expected some rate above 0, found only zeros' });
    expect(error('0,1\n'.padEnd(16 * 1024 * 1024 + 1, ' '))).toMatchObject({ line: 0, message: expect.stringMatching(/^expected a trace of at most 16 MiB/) });
  });
});
