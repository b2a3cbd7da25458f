/**
 * What each timeline event cost: requests sent while it lasted and given up (by reason, whenever the
 * client gave up), the longest stretch with no completed request, and how long until p99 came back. An
 * event lasts from its time until `done()` says its effect is over (checked every `POLL` seconds), or to
 * the run's end. Overlapping events each count what falls in their span.
 *
 * Drops and completions reach it through the time series (`SeriesWatcher`), only in timeline runs.
 */
import type { Simulator } from '../../engine/simulator.js';
import type { Seconds } from '../../engine/time.js';
import type { DropReason, EventResult, TimeSeries } from '../result.js';
import { DROP_REASONS, type DropCode } from '../routing.js';

const REASONS = Object.keys(DROP_REASONS).length;
/** How often an event that is under way is checked for being over. */
export const POLL: Seconds = 0.25;
/** p99 counts as recovered within this factor of its level before the event. */
export const RECOVERY_TOLERANCE = 1.1;
/** Windows before an event that set its p99 level. */
export const BASELINE_WINDOWS = 10;

/** What the time series tells of every completion and drop. */
export interface SeriesWatcher {
  completed(now: Seconds): void;
  /** A request first sent at `sent` was given up (now) for reason `code`. */
  dropped(sent: Seconds, code: number): void;
}

interface Tracked {
  readonly kind: string;
  readonly target: string;
  readonly at: Seconds;
  end: Seconds;
  readonly lost: Float64Array;
  gap: Seconds;
  readonly done: () => boolean;
  readonly notes: () => readonly string[];
}

export class EventTracker implements SeriesWatcher {
  private readonly events: Tracked[] = [];
  private active: Tracked[] = [];
  private lastDone = 0;

  constructor(private readonly sim: Simulator) {}

  /** The event happens now; `done` says when its effect is over. */
  start(kind: string, target: string, done: () => boolean, notes: () => readonly string[]): void {
    const ev: Tracked = { kind, target, at: this.sim.now, end: NaN, lost: new Float64Array(REASONS), gap: 0, done, notes };
    this.events.push(ev);
    this.active.push(ev);
    this.sim.schedule(POLL, this.onPoll, this.events.length - 1);
  }

  completed(now: Seconds): void {
    for (const ev of this.active) {
      const gap = now - Math.max(this.lastDone, ev.at);
      if (gap > ev.gap) ev.gap = gap;
    }
    this.lastDone = now;
  }

  dropped(sent: Seconds, code: number): void {
    for (const ev of this.events) if (ev.at <= sent && !(ev.end < sent)) ev.lost[-code - 1]!++;
  }

  private readonly onPoll = (i: number): void => {
    const ev = this.events[i]!;
    if (!ev.done()) {
      this.sim.schedule(POLL, this.onPoll, i);
      return;
    }
    this.close(ev, this.sim.now);
    ev.end = this.sim.now;
  };

  private close(ev: Tracked, now: Seconds): void {
    const gap = now - Math.max(this.lastDone, ev.at);
    if (gap > ev.gap) ev.gap = gap;
    this.active = this.active.filter((e) => e !== ev);
  }

  /** The events with their costs; those still under way are closed at `runEnd`. */
  results(runEnd: Seconds, series: TimeSeries): EventResult[] {
    for (const ev of [...this.active]) this.close(ev, runEnd);
    return this.events.map((ev, i) => {
      const lostByReason: Partial<Record<DropReason, number>> = {};
      let total = 0;
      ev.lost.forEach((n, r) => {
        if (n > 0) lostByReason[DROP_REASONS[(-r - 1) as DropCode] as DropReason] = n;
        total += n;
      });
      const next = this.events[i + 1]?.at ?? Infinity;
      return {
        kind: ev.kind,
        target: ev.target,
        at: ev.at,
        end: ev.end === ev.end ? ev.end : null,
        requestsLost: total,
        lostByReason,
        longestGap: ev.gap,
        recovery: recoveryTime(series, ev.at, next),
        notes: [...ev.notes()],
      };
    });
  }
}

/**
 * From `at` to the start of the first window from which on every window's p99 (up to the next event, or
 * the series' end) is within RECOVERY_TOLERANCE of the mean p99 of the BASELINE_WINDOWS windows before `at`,
 * or no higher than the highest of them (0 when p99 never left that band).
 * A window with drops counts as not recovered (a dropped request's latency is unbounded). Null when there
 * is no window before the event, or p99 never settles back.
 */
export function recoveryTime(series: TimeSeries, at: Seconds, next: Seconds): Seconds | null {
  const w = series.window;
  const before: number[] = [];
  for (let i = 0; i < series.start.length; i++) {
    const p = series.p99[i];
    if (series.start[i]! + w <= at && p !== null && p !== undefined) before.push(p);
  }
  if (before.length === 0) return null;
  const base = before.slice(-BASELINE_WINDOWS);
  const mean = base.reduce((a, b) => a + b, 0) / base.length;
  // Within 10 % of the level, or within the spread the windows already had before (a short window's p99
  // is noisy: a bound tighter than the noise would call a quiet system unrecovered).
  const bound = Math.max(mean * RECOVERY_TOLERANCE, Math.max(...base));
  let recovered: Seconds | null = null;
  for (let i = 0; i < series.start.length; i++) {
    const start = series.start[i]!;
    const end = start + w;
    if (end <= at) continue;
    if (start >= next) break;
    const p = series.p99[i];
    const ok = series.dropped[i] === 0 && p !== null && p !== undefined && p <= bound;
    if (!ok) recovered = null;
    else if (recovered === null) recovered = Math.max(0, start - at);
  }
  return recovered;
}
