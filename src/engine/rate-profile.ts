/**
 * Rate profiles: an arrival rate λ(t) that varies over simulated time, and the exact non-homogeneous
 * Poisson process (NHPP) it defines.
 *
 * Arrivals are drawn by inversion of the cumulative rate Λ(t) = ∫₀ᵗ λ(s) ds: with the last arrival at t
 * and a unit exponential draw e, the next arrival is the t' that solves Λ(t') − Λ(t) = e. The arrival
 * times Λ(t₁) < Λ(t₂) < ... are then a unit-rate Poisson process, which is what makes t₁ < t₂ < ... an
 * NHPP of rate λ exactly (no thinning, no discretisation). One draw per arrival, always: two
 * configurations compared with common random numbers see arrivals that differ only where their profiles
 * differ (thinning would consume a varying number of draws per arrival).
 *
 * Forms (times in seconds since the run began, rates per second; every rate ≥ 0 and finite, the largest
 * one > 0):
 * - steps: the rate of a step holds from its `at` until the next step's; 0 before the first step;
 * - ramp: `from` until `start`, linear from `from` to `to` over [start, end], `to` afterwards;
 * - sine: λ(t) = mid + amp·cos(2π(t − peakAt)/period), with mid = (max + min)/2 and amp = (max − min)/2:
 *   the peak (max) at `peakAt` (and every period after), the trough (min) half a period away. The default
 *   peakAt = period/4 makes λ(t) = mid + amp·sin(2πt/period): the run starts at the mean, rising;
 * - trace: measured (time, rate) points, piecewise linear between them (or a step function, `step`), 0
 *   before the first point and the last point's rate after it.
 *
 * All but the sine are compiled into one piecewise-linear λ: segment i covers [T[i], T[i+1]) (T[0] = 0,
 * the last segment runs forever and is constant) with λ(t) = a[i] + b[i]·(t − T[i]). Within a segment the
 * inversion is closed form: a constant segment needs m/r, a linear one the root of b/2·d² + r·d − m = 0,
 * taken as d = 2m / (r + √(r² + 2bm)) (no cancellation, whatever the signs). Integrals are summed segment
 * by segment from t, never as a difference of two large Λ values, so a long run keeps its precision. The
 * sine's Λ has a closed form too, but not its inverse: Newton's method on it, kept inside a bracket and
 * falling back to bisection where λ is 0 or a step would leave the bracket.
 *
 * A profile that is 0 for ever after some time (its last segment has rate 0) has no arrival after it:
 * `nextArrival` returns Infinity. Nothing allocates after construction: `nextArrival` runs once per arrival.
 */
import type { PerSecond, Seconds } from './time.js';
import { dimensionNoun, formatQuantity, scanQuantity } from './units.js';

/** A rate from a time on. */
export interface RatePoint {
  readonly at: Seconds;
  readonly rate: PerSecond;
}

export type RateInterpolation = 'step' | 'linear';

/** What a profile is, as written (and as JSON: two profiles are the same exactly when these are). */
export type RateProfileSpec =
  | { readonly kind: 'steps'; readonly steps: readonly RatePoint[] }
  | { readonly kind: 'ramp'; readonly from: PerSecond; readonly to: PerSecond; readonly start: Seconds; readonly end: Seconds }
  | { readonly kind: 'sine'; readonly period: Seconds; readonly min: PerSecond; readonly max: PerSecond; readonly peakAt: Seconds }
  | {
      readonly kind: 'trace';
      readonly points: readonly RatePoint[];
      readonly interpolate: RateInterpolation;
      /** Where the points came from (a file name), for messages and the canonical text. */
      readonly source: string;
    };

const TWO_PI = 2 * Math.PI;
/** Newton/bisection iterations for the sine: bisection alone resolves a period to 2^-100 of it. */
const MAX_ITERATIONS = 100;

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(message);
}

const isRate = (r: number): boolean => Number.isFinite(r) && r >= 0;
const isTime = (t: number): boolean => Number.isFinite(t) && t >= 0;

function checkPoints(points: readonly RatePoint[], what: string): void {
  check(points.length > 0, `${what}: expected at least one point`);
  points.forEach((p, i) => {
    check(isTime(p.at), `${what}[${i}]: expected a time >= 0, got ${p.at}`);
    check(isRate(p.rate), `${what}[${i}]: expected a finite rate >= 0, got ${p.rate}`);
    if (i > 0) check(p.at > points[i - 1]!.at, `${what}[${i}]: times must be strictly ascending (${p.at} after ${points[i - 1]!.at})`);
  });
}

/** A piecewise-linear rate under construction: segment starts, start rates and slopes. */
class Segments {
  readonly t: number[] = [];
  readonly a: number[] = [];
  readonly b: number[] = [];
  push(t: number, a: number, b: number): void {
    this.t.push(t);
    this.a.push(a);
    this.b.push(b);
  }
}

export class RateProfile {
  /** The largest rate the profile reaches (> 0). */
  readonly maxRate: PerSecond;
  /** Where the profile's definition ends: the last step or trace point, the ramp's end, one period. */
  readonly span: Seconds;
  private readonly sine: boolean;
  // Piecewise-linear form: segment i is [T[i], T[i+1]); T has one more entry (Infinity) than a and b.
  private readonly T: Float64Array;
  private readonly A: Float64Array;
  private readonly B: Float64Array;
  private readonly last: number;
  // Sine form.
  private readonly mid: number;
  private readonly amp: number;
  private readonly omega: number;
  private readonly period: number;
  private readonly peakAt: number;
  private readonly min: number;

  constructor(readonly spec: RateProfileSpec) {
    const seg = new Segments();
    this.sine = spec.kind === 'sine';
    this.mid = this.amp = this.omega = this.period = this.peakAt = this.min = 0;
    let max = 0;
    let span = 0;
    switch (spec.kind) {
      case 'steps':
      case 'trace': {
        const points = spec.kind === 'steps' ? spec.steps : spec.points;
        checkPoints(points, spec.kind === 'steps' ? 'steps' : `trace ${spec.source}`);
        if (points[0]!.at > 0) seg.push(0, 0, 0);
        const linear = spec.kind === 'trace' && spec.interpolate === 'linear';
        points.forEach((p, i) => {
          const next = points[i + 1];
          seg.push(p.at, p.rate, linear && next ? (next.rate - p.rate) / (next.at - p.at) : 0);
          max = Math.max(max, p.rate);
        });
        span = points[points.length - 1]!.at;
        break;
      }
      case 'ramp': {
        check(isRate(spec.from) && isRate(spec.to), `ramp: expected finite rates >= 0, got from ${spec.from}, to ${spec.to}`);
        check(isTime(spec.start) && Number.isFinite(spec.end) && spec.end > spec.start, `ramp: expected 0 <= start < end, got start ${spec.start}, end ${spec.end}`);
        if (spec.start > 0) seg.push(0, spec.from, 0);
        seg.push(spec.start, spec.from, (spec.to - spec.from) / (spec.end - spec.start));
        seg.push(spec.end, spec.to, 0);
        max = Math.max(spec.from, spec.to);
        span = spec.end;
        break;
      }
      case 'sine': {
        check(Number.isFinite(spec.period) && spec.period > 0, `sine: expected a period > 0, got ${spec.period}`);
        check(isRate(spec.min) && isRate(spec.max) && spec.min <= spec.max, `sine: expected finite rates 0 <= min <= max, got min ${spec.min}, max ${spec.max}`);
        check(Number.isFinite(spec.peakAt), `sine: expected a finite peakAt, got ${spec.peakAt}`);
        this.mid = (spec.max + spec.min) / 2;
        this.amp = (spec.max - spec.min) / 2;
        this.period = spec.period;
        this.omega = TWO_PI / spec.period;
        this.peakAt = spec.peakAt;
        this.min = spec.min;
        max = spec.max;
        span = spec.period;
        seg.push(0, this.mid, 0); // unused; keeps the arrays non-empty
        break;
      }
    }
    check(max > 0, `${spec.kind}: expected some rate above 0, found none`);
    this.maxRate = max;
    this.span = span;
    const n = seg.t.length;
    this.T = new Float64Array(n + 1);
    this.T.set(seg.t);
    this.T[n] = Infinity;
    this.A = Float64Array.from(seg.a);
    this.B = Float64Array.from(seg.b);
    this.last = n - 1;
  }

  /** λ(t): the rate at time t (0 before time 0). */
  rate(t: Seconds): PerSecond {
    if (!(t >= 0)) return 0;
    if (this.sine) return this.mid + this.amp * Math.cos(this.omega * (t - this.peakAt));
    const i = this.segment(t);
    const r = this.A[i]! + this.B[i]! * (t - this.T[i]!);
    return r > 0 ? r : 0; // a falling piece may round below 0 at its end
  }

  /** Λ(t) = ∫₀ᵗ λ(s) ds. */
  cumulative(t: Seconds): number {
    return this.integral(0, t);
  }

  /** ∫ λ over [t0, t1] (0 when t1 <= t0), summed from t0 (not as Λ(t1) − Λ(t0)). */
  integral(t0: Seconds, t1: Seconds): number {
    if (t0 < 0) t0 = 0;
    if (!(t1 > t0)) return 0; // also NaN
    if (this.sine) return this.sineIntegral(this.omega * (t0 - this.peakAt), t1 - t0);
    const T = this.T;
    let i = this.segment(t0);
    let x = t0;
    let sum = 0;
    for (;;) {
      const end = T[i + 1]!;
      const y = t1 < end ? t1 : end;
      const a = this.A[i]!;
      const b = this.B[i]!;
      if (i === this.last) return a > 0 ? sum + (t1 - x) * a : sum; // constant for ever
      // (y − x) × the rate at the midpoint: exact for a linear piece.
      sum += (y - x) * (a + b * ((x + y) / 2 - T[i]!));
      if (y === t1) return sum;
      x = end;
      i++;
    }
  }

  /**
   * One rate that sums the profile up (for summaries such as `netsim describe`): the mean over [0, span]
   * when that is above 0, else the peak.
   */
  nominalRate(): PerSecond {
    if (this.sine) return this.mid; // exactly: a whole period's mean
    // Rounded to 12 significant digits, so that a mean of 275 does not print as 275.00000000000006.
    const mean = Number(this.meanRate(0, this.span).toPrecision(12));
    return mean > 0 ? mean : this.maxRate;
  }

  /** The mean rate over [t0, t1] (the rate at t0 when the interval is empty). */
  meanRate(t0: Seconds, t1: Seconds): PerSecond {
    return t1 > t0 ? this.integral(t0, t1) / (t1 - t0) : this.rate(t0);
  }

  /**
   * The next arrival after one at `t`, given a unit exponential draw `e`: the t' >= t with
   * Λ(t') − Λ(t) = e, or Infinity when the profile has no more than e of Λ left after t.
   */
  nextArrival(t: Seconds, e: number): Seconds {
    if (t < 0) t = 0;
    if (!(e > 0)) return t;
    if (this.sine) return this.sineNext(t, e);
    const T = this.T;
    const A = this.A;
    const B = this.B;
    let i = this.segment(t);
    let x = t;
    let m = e;
    for (;;) {
      const b = B[i]!;
      let r = A[i]! + b * (x - T[i]!);
      if (r < 0) r = 0; // rounding at the end of a falling piece
      if (i === this.last) return r > 0 ? x + m / r : Infinity; // constant for ever
      const end = T[i + 1]!;
      const len = end - x;
      const mass = len * (r + (b * len) / 2);
      if (mass >= m) {
        const d = b === 0 ? m / r : (2 * m) / (r + Math.sqrt(Math.max(0, r * r + 2 * b * m)));
        const y = x + d;
        return y < end ? y : end;
      }
      m -= mass;
      x = end;
      i++;
    }
  }

  /** A readable summary, as the scenario would write it: `steps(0: 1k/s, 60s: 3k/s)`. */
  toString(): string {
    const s = this.spec;
    const d = (x: number): string => formatQuantity(x, 'duration');
    const r = (x: number): string => formatQuantity(x, 'rate');
    switch (s.kind) {
      case 'steps':
        return `steps(${s.steps.map((p) => `${d(p.at)}: ${r(p.rate)}`).join(', ')})`;
      case 'ramp':
        return `ramp(from=${r(s.from)}, to=${r(s.to)}, start=${d(s.start)}, end=${d(s.end)})`;
      case 'sine':
        return `sine(period=${d(s.period)}, min=${r(s.min)}, max=${r(s.max)}, peakAt=${d(s.peakAt)})`;
      case 'trace':
        return `trace(${s.source}, ${s.interpolate}, ${s.points.length} points)`;
    }
  }

  /** What the profile is (JSON.stringify of a profile: fingerprints, results). */
  toJSON(): RateProfileSpec {
    return this.spec;
  }

  /** The segment holding t >= 0: the last i with T[i] <= t. */
  private segment(t: number): number {
    const T = this.T;
    let lo = 0;
    let hi = this.last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (T[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * ∫ λ over [t, t + x] for the sine, with θ = ω(t − peakAt): mid·x + (amp/ω)(sin(θ + ωx) − sin θ), the
   * difference of sines written as a product so that a short interval keeps its precision.
   */
  private sineIntegral(theta: number, x: number): number {
    const h = (this.omega * x) / 2;
    return this.mid * x + ((2 * this.amp) / this.omega) * Math.cos(theta + h) * Math.sin(h);
  }

  private sineNext(t: number, e: number): number {
    // Whole periods first: each holds mid·period of Λ.
    const perPeriod = this.mid * this.period;
    const k = Math.floor(e / perPeriod);
    const r = e - k * perPeriod;
    if (r <= 0) return t + k * this.period;
    const theta = this.omega * (t - this.peakAt);
    // λ ≤ max gives x ≥ r/max; λ ≥ min gives x ≤ r/min; and one period holds at least r.
    let lo = r / this.maxRate;
    let hi = this.min > 0 ? Math.min(this.period, r / this.min) : this.period;
    if (hi < lo) hi = lo;
    let x = r / this.mid;
    if (!(x > lo && x < hi)) x = (lo + hi) / 2;
    const tol = r * 1e-14;
    for (let n = 0; n < MAX_ITERATIONS; n++) {
      const f = this.sineIntegral(theta, x) - r;
      if (f === 0 || Math.abs(f) <= tol) break;
      if (f < 0) lo = x;
      else hi = x;
      const slope = this.mid + this.amp * Math.cos(theta + this.omega * x);
      let next = slope > 0 ? x - f / slope : NaN;
      if (!(next > lo && next < hi)) next = (lo + hi) / 2; // Newton left the bracket (or λ = 0): bisect
      if (next === x || hi - lo <= 4 * Number.EPSILON * hi) {
        x = next;
        break;
      }
      x = next;
    }
    return t + k * this.period + x;
  }
}

/** A problem in a rate trace file, with its 1-based line number (0 when not about one line). */
export class RateTraceError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** The largest trace file read (characters): a trace is a few thousand rows, not a data set. */
export const MAX_TRACE_CHARS = 16 * 1024 * 1024;

const TRACE_ROW = 'a time and a rate such as "30s, 1k/s" (or "30, 1000": seconds, per second)';

/** One field of a row as a quantity of `dimension` (or a plain number in base units), or an error text. */
function traceField(text: string, dimension: 'duration' | 'rate'): number | string {
  const what = dimension === 'duration' ? 'a time such as 30s, 1.5m or 90 (seconds)' : 'a rate such as 1k/s, 120/m or 250 (per second)';
  const scan = scanQuantity(text, 0, text.length);
  if (!scan.ok) return `expected ${what}, found '${text}' (${scan.hint})`;
  if (scan.dimension !== dimension && scan.dimension !== 'number') return `expected ${what}, found ${dimensionNoun(scan.dimension)} '${text}'`;
  if (!(scan.value >= 0)) return `expected ${what} >= 0, found '${text}'`;
  return scan.value + 0;
}

/**
 * Reads a rate trace: one `time, rate` row per line (`30s, 1k/s`; bare numbers are seconds and per
 * second; fields separated by a comma, a semicolon, a tab or spaces). Blank lines and `#` comments are
 * skipped; a first row that does not start like a number (`time,rate`) is a header. Times must be
 * strictly ascending, rates >= 0 and finite, and some rate > 0.
 */
export function readRateTrace(contents: string): RatePoint[] {
  if (contents.length > MAX_TRACE_CHARS) {
    throw new RateTraceError(`expected a trace of at most ${MAX_TRACE_CHARS / 1024 / 1024} MiB, found ${(contents.length / 1024 / 1024).toFixed(1)} MiB`, 0);
  }
  const points: RatePoint[] = [];
  let first = true;
  let max = 0;
  let line = 0;
  let start = 0;
  while (start <= contents.length) {
    let end = contents.indexOf('\n', start);
    if (end < 0) end = contents.length;
    line++;
    const row = contents.slice(start, end).trim();
    start = end + 1;
    if (row === '' || row.startsWith('#')) continue;
    const header = first && !/^[-+.\d]/.test(row);
    first = false;
    if (header) continue;
    const fields = row.split(/\s*[,;\t]\s*|\s+/);
    if (fields.length !== 2 || fields[0] === '' || fields[1] === '') {
      throw new RateTraceError(`expected ${TRACE_ROW}, found '${row}'`, line);
    }
    const at = traceField(fields[0]!, 'duration');
    if (typeof at === 'string') throw new RateTraceError(at, line);
    const rate = traceField(fields[1]!, 'rate');
    if (typeof rate === 'string') throw new RateTraceError(rate, line);
    const prev = points[points.length - 1];
    if (prev !== undefined && !(at > prev.at)) {
      throw new RateTraceError(`expected a time after the previous row's (${prev.at === 0 ? '0s' : formatQuantity(prev.at, 'duration')}): times ascend, found '${fields[0]}'`, line);
    }
    points.push({ at, rate });
    if (rate > max) max = rate;
  }
  if (points.length === 0) throw new RateTraceError('expected at least one row "time, rate", found none', 0);
  if (!(max > 0)) throw new RateTraceError('expected some rate above 0, found only zeros', 0);
  return points;
}
