import type { Seconds } from '../time.js';

function rejectTime(now: Seconds, last: Seconds): never {
  throw new RangeError(`time went backwards: ${now} < ${last}`);
}

function rejectValue(value: number): never {
  throw new RangeError(`time-weighted value must be finite, found ${value}`);
}

function rejectUpdate(now: Seconds, last: Seconds, value: number): never {
  if (Number.isNaN(now)) throw new RangeError('time must be a number, found NaN');
  if (!(now >= last)) rejectTime(now, last);
  rejectValue(value);
}

/**
 * Time average of a piecewise-constant quantity (queue length, busy servers, open connections).
 *
 * Averaging the values seen at events would over-weight busy periods (more events happen then); the
 * time average ∫v dt / T is what Little's law and utilisation need. The value is held constant between
 * calls to {@link update}; the integral is accumulated lazily, so each update is O(1) and allocation-free.
 *
 * {@link reset} restarts the observation window at `now` while keeping the current value: that is the
 * warm-up truncation (the queue is not emptied just because we stop ignoring it).
 */
export class TimeWeighted {
  private current: number;
  private lastTime: Seconds;
  private startTime: Seconds;
  private area = 0;
  private hi: number;
  private lo: number;

  /** @param start time at which observation begins; @param initial value held from `start` */
  constructor(start: Seconds = 0, initial = 0) {
    if (!Number.isFinite(start)) throw new RangeError(`start time must be finite, found ${start}`);
    if (!Number.isFinite(initial)) rejectValue(initial);
    this.current = initial;
    this.lastTime = start;
    this.startTime = start;
    this.hi = initial;
    this.lo = initial;
  }

  /**
   * The quantity changes to `value` at time `now`. Several updates at the same instant are fine; the
   * intermediate values count for {@link max}/{@link min} (they were reached) but add no area.
   * @throws RangeError when `now` precedes the previous update or `value` is not finite
   */
  update(now: Seconds, value: number): void {
    const last = this.lastTime;
    // One test for both rules (value - value === 0 is false exactly for NaN and ±Infinity), the message
    // built out of line: this runs on every event, and V8 inlines it only while it stays small.
    if (!(now >= last && value - value === 0)) rejectUpdate(now, last, value);
    this.area += this.current * (now - last);
    this.lastTime = now;
    this.current = value;
    if (value > this.hi) this.hi = value;
    if (value < this.lo) this.lo = value;
  }

  /** Shorthand for `update(now, value + delta)`, e.g. `add(t, +1)` on arrival, `add(t, -1)` on departure. */
  add(now: Seconds, delta: number): void {
    this.update(now, this.current + delta);
  }

  /** Value currently held. */
  get value(): number {
    return this.current;
  }

  /** Start of the current observation window (construction or last {@link reset}). */
  get since(): Seconds {
    return this.startTime;
  }

  /** Largest value held since the window started (including the value held at its start). */
  get max(): number {
    return this.hi;
  }

  /** Smallest value held since the window started (including the value held at its start). */
  get min(): number {
    return this.lo;
  }

  /** ∫ value dt over [since, now]. @throws RangeError when `now` precedes the last update */
  integral(now: Seconds): number {
    if (now < this.lastTime) rejectTime(now, this.lastTime);
    return this.area + this.current * (now - this.lastTime);
  }

  /** Time average over [since, now]; NaN when no time has elapsed (an average over nothing). */
  mean(now: Seconds): number {
    const elapsed = now - this.startTime;
    const area = this.integral(now);
    return elapsed > 0 ? area / elapsed : NaN;
  }

  /**
   * Discards everything before `now` (warm-up truncation). The current value carries over and becomes
   * both max and min of the new window.
   */
  reset(now: Seconds): void {
    if (now < this.lastTime) rejectTime(now, this.lastTime);
    this.area = 0;
    this.lastTime = now;
    this.startTime = now;
    this.hi = this.current;
    this.lo = this.current;
  }
}
