/**
 * Completions, drops and latency per window of simulated time: the result's `timeSeries`.
 *
 * Recorded on a fixed grid of bins from the *origin* (the fixed warm-up's end, else 0), each with a drop
 * counter and coarse latency bucket counts (COARSE_LAYOUT: percentiles are bucket midpoints, within 3 %;
 * their total is the bin's completions), in flat arrays that grow by doubling: nothing is allocated per
 * request. At the end the bins are merged into the
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
import type { SeriesWatcher } from './control/event-costs.js';
import type { DropReason, TimeSeries } from './result.js';
import { DROP_REASONS, type DropCode } from './routing.js';

/** Drop codes −1..−REASONS are counted per window in `detailed` series. */
const REASONS = Object.keys(DROP_REASONS).length;

const LAYOUT = HistogramLayout.fromSpec(COARSE_LAYOUT);
const B = LAYOUT.bucketCount;
const SHIFT = LAYOUT.shift;
const BASE = LAYOUT.base;
const F64 = new Float64Array(1);
const I32 = new Int32Array(F64.buffer);
/** Index of a double's high word in I32 (1 on little-endian machines). */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

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
  /** Also count offered requests and drops by reason per window (timelines, varying load). */
  readonly detailed?: boolean;
}

export class TimeSeriesRecorder {
  private grid: Seconds;
  private readonly given: boolean;
  private readonly origin: Seconds;
  private readonly layout = LAYOUT;
  private readonly B = B;
  /** The bin found last, and the times (from the origin) sure to fall in it; empty until the first call. */
  private cur = -1;
  private lo = Infinity;
  private hi = -Infinity;
  /** Scratch for `completed`: [time of completion, latency]. */
  readonly at = new Float64Array(2);
  private lost = new Float64Array(64);
  /** Latency bucket counts, `bin × B + bucket` (COARSE_LAYOUT buckets); a bin's completions are their total. */
  private counts: Float64Array;
  /** With `detailed`: requests generated per bin, and drops per `bin × REASONS + (−code − 1)`. */
  readonly detailed: boolean;
  private gen: Float64Array;
  private lostBy: Float64Array;
  /** Hears of every completion and drop (a timeline's event costs), or null. */
  watcher: SeriesWatcher | null = null;

  constructor(options: TimeSeriesOptions) {
    this.origin = options.origin;
    this.given = options.window !== null;
    this.counts = new Float64Array(64 * this.B);
    this.detailed = options.detailed === true;
    this.gen = new Float64Array(this.detailed ? 64 : 0);
    this.lostBy = new Float64Array(this.detailed ? 64 * REASONS : 0);
    if (options.window !== null) this.grid = options.window;
    else if (options.duration !== null && options.duration > options.origin) {
      const expected = niceWindow((options.duration - options.origin) / TARGET_WINDOWS);
      this.grid = cleanDecimal(10 ** Math.floor(Math.log10(expected / 2)));
    } else this.grid = 0.01;
  }

  /**
   * Bin of the time `t` from the origin, or -1 before the origin. Simulated time only moves forward, so the
   * bin found last is kept with the times sure to fall in it (a hair inside its edges, where rounding
   * cannot matter): most calls compare and return.
   */
  private bin(t: Seconds): number {
    if (t >= this.lo && t < this.hi) return this.cur;
    if (t < 0) return -1;
    let i = Math.floor(t / this.grid);
    if (i >= this.lost.length) {
      while (i >= MAX_BINS) {
        this.coarsen();
        i = Math.floor(t / this.grid);
      }
      if (i >= this.lost.length) this.grow(i + 1);
    }
    // floor(t / grid) is i for every t in [i·grid·(1 + 1e-12), (i + 1)·grid·(1 − 1e-12)).
    this.cur = i;
    this.lo = i * this.grid * (1 + 1e-12);
    this.hi = (i + 1) * this.grid * (1 - 1e-12);
    return i;
  }

  /**
   * A request completed: at `at[0]`, after `at[1]` seconds (filled by the caller; doubles passed as
   * arguments would be boxed when the call is not inlined).
   */
  completed(): void {
    const at = this.at;
    if (this.watcher !== null) this.watcher.completed(at[0]!);
    const t = at[0]! - this.origin;
    const i = t >= this.lo && t < this.hi ? this.cur : this.bin(t);
    if (i < 0) return;
    F64[0] = at[1]!;
    let k = (I32[HI]! >>> SHIFT) - BASE;
    if (k < 0) k = 0;
    else if (k >= B) k = B - 1;
    this.counts[i * B + k]!++;
  }

  /** A logical request first sent at `sent` was given up at `now`, for the reason `code` (a Drop code). */
  dropped(now: Seconds, code: number, sent: Seconds): void {
    if (this.watcher !== null) this.watcher.dropped(sent, code);
    const i = this.bin(now - this.origin);
    if (i < 0) return;
    this.lost[i]!++;
    if (this.detailed) this.lostBy[i * REASONS - code - 1]!++;
  }

  /** A logical request was generated at `now` (detailed series only). */
  offered(now: Seconds): void {
    const i = this.bin(now - this.origin);
    if (i >= 0) this.gen[i]!++;
  }

  private grow(n: number): void {
    let cap = this.lost.length;
    while (cap < n) cap *= 2;
    cap = Math.min(cap, MAX_BINS);
    const l = new Float64Array(cap);
    l.set(this.lost);
    this.lost = l;
    const c = new Float64Array(cap * this.B);
    c.set(this.counts);
    this.counts = c;
    if (this.detailed) {
      const g = new Float64Array(cap);
      g.set(this.gen);
      this.gen = g;
      const r = new Float64Array(cap * REASONS);
      r.set(this.lostBy);
      this.lostBy = r;
    }
  }

  /** Merges neighbouring bins: ×2 for a given window, ×10 for a power-of-ten grid. */
  private coarsen(): void {
    const f = this.given ? 2 : 10;
    const n = this.lost.length;
    const B = this.B;
    for (let j = 0; j * f < n; j++) {
      let l = 0;
      const to = Math.min(n, (j + 1) * f);
      for (let k = j * f; k < to; k++) {
        l += this.lost[k]!;
        this.lost[k] = 0;
      }
      this.lost[j] = l;
      if (this.detailed) {
        let g = 0;
        for (let k = j * f; k < to; k++) {
          g += this.gen[k]!;
          this.gen[k] = 0;
        }
        this.gen[j] = g;
        for (let r = 0; r < REASONS; r++) {
          let x = 0;
          for (let k = j * f; k < to; k++) {
            x += this.lostBy[k * REASONS + r]!;
            this.lostBy[k * REASONS + r] = 0;
          }
          this.lostBy[j * REASONS + r] = x;
        }
      }
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
    const offered: number[] = [];
    const byReason: number[][] = Array.from({ length: REASONS }, () => []);
    for (let b = firstBin; b + per <= endBin; b += per) {
      if (this.detailed) {
        let g = 0;
        const r = new Float64Array(REASONS);
        for (let k = b; k < b + per && k < this.gen.length; k++) {
          g += this.gen[k]!;
          for (let x = 0; x < REASONS; x++) r[x]! += this.lostBy[k * REASONS + x]!;
        }
        offered.push(g);
        for (let x = 0; x < REASONS; x++) byReason[x]!.push(r[x]!);
      }
      let d = 0;
      let l = 0;
      merged.fill(0);
      for (let k = b; k < b + per && k < this.lost.length; k++) {
        l += this.lost[k]!;
        for (let x = 0; x < B; x++) merged[x]! += this.counts[k * B + x]!;
      }
      // Completions: the bucket counts' total (whole numbers, so exactly the count).
      for (let x = 0; x < B; x++) d += merged[x]!;
      out.start.push(cleanDecimal(this.origin + b * grid));
      out.completed.push(d);
      out.throughput.push(d / window);
      out.dropped.push(l);
      out.p50.push(d > 0 ? this.quantile(merged, d, 0.5) : null);
      out.p99.push(d > 0 ? this.quantile(merged, d, 0.99) : null);
    }
    if (!this.detailed) return { window, ...out };
    const droppedByReason: Partial<Record<DropReason, number[]>> = {};
    byReason.forEach((values, x) => {
      if (values.some((v) => v > 0)) droppedByReason[DROP_REASONS[(-x - 1) as DropCode] as DropReason] = values;
    });
    return { window, ...out, offered, droppedByReason };
  }
}
