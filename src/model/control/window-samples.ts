/**
 * Counts that change at control-plane events (ready endpoints, healthy targets, replicas), kept as step
 * functions and read at each time-series window's end for the result.
 */
import type { Seconds } from '../../engine/time.js';
import type { WindowSeries } from '../result.js';

export class StepSeries {
  private readonly times: number[] = [];
  private readonly values: number[] = [];

  constructor(
    readonly name: string,
    initial: number,
  ) {
    this.times.push(-Infinity);
    this.values.push(initial);
  }

  record(t: Seconds, value: number): void {
    const last = this.values.length - 1;
    if (this.values[last] === value) return;
    if (this.times[last] === t) this.values[last] = value;
    else {
      this.times.push(t);
      this.values.push(value);
    }
  }

  /** Changes the value by `delta` at time `t` (counts kept incrementally). */
  add(t: Seconds, delta: number): void {
    this.record(t, this.values[this.values.length - 1]! + delta);
  }

  /** The value in force at time `t` (after every change at `t`). */
  at(t: Seconds): number {
    let lo = 0;
    let hi = this.times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.times[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return this.values[lo]!;
  }
}

/** Each series read at the end of each window (`start[i] + window`). */
export function sampleAtWindowEnds(series: readonly StepSeries[], start: readonly Seconds[], window: Seconds): WindowSeries[] {
  return series.map((s) => ({ name: s.name, values: start.map((t) => s.at(t + window)) }));
}
