/**
 * Completions, drops and latency per window of simulated time: the result's `timeSeries`.
 *
 * Recorded on a fixed grid of bins from the *origin* (the fixed warm-up's end, else 0), each with two
 * counters and coarse latency bucket counts (COARSE_LAYOUT: percentiles are bucket midpoints, within 3 %),
 * in flat arrays that grow by doubling: nothing is allocated per request. At the end the bins are merged into the
 * reported windows, which cover the measurement window [warm-up end, generation end) in whole windows:
 *
 * - window: `Simulation.spec.window` when given; else the measured time / 60 rounded to 1, 2 or 5 × 10^n
 *   (at least one bin);
 * - grid: the given window, or a power of ten at most half the expected window (the duration less a
 *   fixed warm-up, over 60), so every 1-2-5 window is a whole number of bins. Without a duration the grid
 *   starts at 10 ms. When the run outgrows {@link MAX_BINS} bins, neighbours are merged (×10 for a power of
 *   ten grid, ×2 for a given window, which then reports the merged width).
 *
 * A request counts in the window where it completed (or was given up), whatever segment it belongs to:
 * the first windows after an automatic warm-up still see some warm-up requests finish.
 */
import { HistogramLayout } from '../engine/stats/histogram-layout.js';
import type { Seconds } from '../engine/time.js';
import { COARSE_LAYOUT } from './dns/cluster-dns.js';
import type { TimeSeries } from './result.js';

/** Windows aimed for when the window length is not given. */
export const TARGET_WINDOWS = 60;
/** Most bins kept while recording; beyond, neighbours are merged. */
export const MAX_BINS = 1024;

/** `x` rounded to the nearest 1, 2 or 5 × 10^n (on a log scale). */
export function niceWindow(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const e = Math.floor(Math.log10(x));
  const base = 10 ** e;
  const m = x / base;
  // Geometric midpoints between 1, 2, 5, 10.
  const c = m < Math.SQRT2 ? 1 : m < Math.sqrt(10) ? 2 : m < Math.sqrt(50) ? 5 : 10;
  return cleanDecimal(c * base);
}

/** Strips binary noise from a decimal such as 0.1 × 3 (keeps 12 significant digits). */
function cleanDecimal(x: number): number {
  return Number(x.toPrecision(12));
}

export interface TimeSeriesOptions {
  /** Window length given by the scenario, or null for the default. */
  readonly window: Seconds | null;
  readonly duration: Seconds | null;
  /** A fixed warm-up (the series then starts there), else 0. */
  readonly origin: Seconds;
}

export class TimeSeriesRecorder {
  private grid: Seconds;
  private readonly given: boolean;
  private readonly origin: Seconds;
  private readonly layout = HistogramLayout.fromSpec(COARSE_LAYOUT);
  private readonly B: number;
  private done = new Float64Array(64);
  private lost = new Float64Array(64);
  /** Latency bucket counts, `bin × B + bucket` (COARSE_LAYOUT buckets). */
  private counts: Float64Array;

  constructor(options: TimeSeriesOptions) {
    this.origin = options.origin;
    this.given = options.window !== null;
    this.B = this.layout.bucketCount;
    this.counts = new Float64Array(64 * this.B);
    if (options.window !== null) this.grid = options.window;
    else if (options.duration !== null && options.duration > options.origin) {
      const expected = niceWindow((options.duration - options.origin) / TARGET_WINDOWS);
      this.grid = cleanDecimal(10 ** Math.floor(Math.log10(expected / 2)));
    } else this.grid = 0.01;
  }

  private bin(now: Seconds): number {
    const t = now - this.origin;
    if (t < 0) return -1;
    let i = Math.floor(t / this.grid);
    if (i >= this.done.length) {
      while (i >= MAX_BINS) {
        this.coarsen();
        i = Math.floor(t / this.grid);
      }
      if (i >= this.done.length) this.grow(i + 1);
    }
    return i;
  }

  /** A request completed at `now` after `latency` seconds. */
  completed(now: Seconds, latency: Seconds): void {
    const i = this.bin(now);
    if (i < 0) return;
    this.done[i]!++;
    let k = this.layout.rawIndexOf(latency);
    if (k < 0) k = 0;
    else if (k >= this.B) k = this.B - 1;
    this.counts[i * this.B + k]!++;
  }

  /** A logical request was given up at `now`. */
  dropped(now: Seconds): void {
    const i = this.bin(now);
    if (i >= 0) this.lost[i]!++;
  }

  private grow(n: number): void {
    let cap = this.done.length;
    while (cap < n) cap *= 2;
    cap = Math.min(cap, MAX_BINS);
    const d = new Float64Array(cap);
    d.set(this.done);
    this.done = d;
    const l = new Float64Array(cap);
    l.set(this.lost);
    this.lost = l;
    const c = new Float64Array(cap * this.B);
    c.set(this.counts);
    this.counts = c;
  }

  /** Merges neighbouring bins: ×2 for a given window, ×10 for a power-of-ten grid. */
  private coarsen(): void {
    const f = this.given ? 2 : 10;
    const n = this.done.length;
    const B = this.B;
    for (let j = 0; j * f < n; j++) {
      let d = 0;
      let l = 0;
      const to = Math.min(n, (j + 1) * f);
      for (let k = j * f; k < to; k++) {
        d += this.done[k]!;
        l += this.lost[k]!;
        this.done[k] = 0;
        this.lost[k] = 0;
      }
      this.done[j] = d;
      this.lost[j] = l;
      for (let b = 0; b < B; b++) {
        let c = 0;
        for (let k = j * f; k < to; k++) {
          c += this.counts[k * B + b]!;
          this.counts[k * B + b] = 0;
        }
        this.counts[j * B + b] = c;
      }
    }
    this.grid = cleanDecimal(this.grid * f);
  }

  /** Nearest-rank quantile of the merged bucket counts (bucket midpoint). */
  private quantile(merged: Float64Array, total: number, q: number): Seconds {
    const rank = Math.max(1, Math.ceil(q * total));
    let cumulative = 0;
    for (let b = 0; b < merged.length; b++) {
      cumulative += merged[b]!;
      if (cumulative >= rank) return this.layout.midpoint(b);
    }
    return this.layout.midpoint(merged.length - 1);
  }

  /** The series over [start, end): the measurement window, in whole windows. */
  result(start: Seconds, end: Seconds): TimeSeries {
    const grid = this.grid;
    const B = this.B;
    const measured = end - start;
    let per = 1;
    if (!this.given && measured > 0) per = Math.max(1, Math.round(niceWindow(measured / TARGET_WINDOWS) / grid));
    const window = cleanDecimal(per * grid);
    const eps = 1e-9;
    const firstBin = Math.max(0, Math.ceil((start - this.origin) / grid - eps));
    const endBin = Math.floor((end - this.origin) / grid + eps);
    const out = { start: [] as number[], completed: [] as number[], throughput: [] as number[], dropped: [] as number[], p50: [] as (number | null)[], p99: [] as (number | null)[] };
    const merged = new Float64Array(B);
    for (let b = firstBin; b + per <= endBin; b += per) {
      let d = 0;
      let l = 0;
      merged.fill(0);
      for (let k = b; k < b + per && k < this.done.length; k++) {
        d += this.done[k]!;
        l += this.lost[k]!;
        for (let x = 0; x < B; x++) merged[x]! += this.counts[k * B + x]!;
      }
      out.start.push(cleanDecimal(this.origin + b * grid));
      out.completed.push(d);
      out.throughput.push(d / window);
      out.dropped.push(l);
      out.p50.push(d > 0 ? this.quantile(merged, d, 0.5) : null);
      out.p99.push(d > 0 ? this.quantile(merged, d, 0.99) : null);
    }
    return { window, ...out };
  }
}
