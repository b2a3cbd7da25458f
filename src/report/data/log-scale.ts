/**
 * Log axes with 1-2-5 ticks. Charts draw log10 of the value on a linear Plot scale and label the ticks
 * with the value: Plot's log scale hides the labels of ticks it deems crowded (d3's log tickFormat keeps
 * only 1, 2, 3 in each decade), and a design review wants 1, 2, 5, 10, 20, 50 ms.
 */
import { formatNumber } from '../format.js';

const STEPS = [1, 2, 5] as const;

/** Largest 1-2-5 value ≤ x (x > 0). */
export function floor125(x: number): number {
  const decade = 10 ** Math.floor(Math.log10(x) + 1e-12);
  let best = decade;
  for (const s of STEPS) if (s * decade <= x * (1 + 1e-12)) best = s * decade;
  return best;
}

/** Smallest 1-2-5 value ≥ x (x > 0). */
export function ceil125(x: number): number {
  const decade = 10 ** Math.floor(Math.log10(x) + 1e-12);
  for (const s of STEPS) if (s * decade >= x * (1 - 1e-12)) return s * decade;
  return 10 * decade;
}

/** Tick values in [lo, hi]: 1-2-5 per decade, or only powers of ten when that would exceed `maxTicks`. */
export function logTicks(lo: number, hi: number, maxTicks = 14): number[] {
  const first = Math.floor(Math.log10(lo) + 1e-12);
  const last = Math.ceil(Math.log10(hi) - 1e-12);
  const within = (v: number): boolean => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9);
  const all: number[] = [];
  const decades: number[] = [];
  for (let e = first; e <= last; e++) {
    for (const s of STEPS) {
      const v = Number((s * 10 ** e).toPrecision(12));
      if (within(v)) all.push(v);
    }
    const d = Number((10 ** e).toPrecision(12));
    if (within(d)) decades.push(d);
  }
  if (all.length <= maxTicks) return all;
  if (decades.length <= maxTicks) return decades;
  const stride = Math.ceil(decades.length / maxTicks);
  return decades.filter((_, i) => i % stride === 0);
}

export interface LogAxis {
  /** Domain in log10 units, widened to 1-2-5 values. */
  readonly domain: [number, number];
  /** Tick positions in log10 units. */
  readonly ticks: number[];
  /** Labels a tick (log10 units) with its value. */
  readonly tickFormat: (log: number) => string;
  /** Maps a value to the axis (log10). */
  readonly at: (value: number) => number;
}

/** A log axis covering [lo, hi] (both > 0), widened to 1-2-5 bounds. */
export function logAxis(lo: number, hi: number, maxTicks?: number): LogAxis {
  let a = floor125(lo);
  let b = ceil125(hi);
  if (!(b > a)) b = ceil125(a * 1.5);
  if (!(a > 0)) a = b / 10;
  const ticks = logTicks(a, b, maxTicks);
  const labels = new Map(ticks.map((t) => [Math.log10(t), formatNumber(t, 3)]));
  return {
    domain: [Math.log10(a), Math.log10(b)],
    ticks: [...labels.keys()],
    tickFormat: (log: number) => labels.get(log) ?? formatNumber(10 ** log, 3),
    at: (value: number) => Math.log10(value),
  };
}

/**
 * Nice linear ticks from 0 that cover `hi`: a 1-2-5 step giving about `count` intervals, the last tick at
 * or above `hi` (so the axis never stops below the data).
 */
export function linearTicks(hi: number, count = 5): number[] {
  if (!(hi > 0)) return [0, 1];
  const step = ceil125(hi / count);
  const n = Math.ceil(hi / step - 1e-9);
  return Array.from({ length: n + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}
