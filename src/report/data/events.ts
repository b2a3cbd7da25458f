/**
 * Timeline events as the report shows them: sorted, numbered, with the figures derived from an
 * {@link EventResult} (duration, main drop reasons, whether a missing recovery means "never" or "n/a").
 * Shared by the over-time chart (its event rules), the Events table and the terminal summary, so the three
 * agree on order, numbers and wording. No formatting here: each medium formats with its own formatters.
 */
import type { EventResult } from '../../model/result.js';
import type { ReportInput, ReportPoint, RunView, TimeSeries } from '../inputs.js';
import { busiestPointPerConfiguration, resultsOf } from './runs.js';

/** Why an event has a recovery time or not (`recovery` is null for both `never` and `n/a`). */
export type RecoveryState = 'recovered' | 'never' | 'n/a';

export interface ReasonCount {
  readonly reason: string;
  readonly count: number;
}

/** One event of one run, with the figures derived from it (seconds, counts). */
export interface EventRow {
  readonly kind: string;
  readonly target: string;
  readonly at: number;
  /** Null: not over by the end of the run. */
  readonly end: number | null;
  /** end − at; null when not over. */
  readonly duration: number | null;
  /** When not over: how long it lasted at least (to the end of the time series); else null. */
  readonly lastedAtLeast: number | null;
  readonly requestsLost: number;
  /** Reasons with a count above zero, most requests first (ties by name). */
  readonly reasons: readonly ReasonCount[];
  readonly longestGap: number;
  readonly recovery: number | null;
  readonly recoveryState: RecoveryState;
  readonly notes: readonly string[];
}

/** Events in time order; simultaneous events by kind, then target (a stable, total order). */
export function sortEvents(events: readonly EventResult[]): EventResult[] {
  return [...events].sort((a, b) => a.at - b.at || cmp(a.kind, b.kind) || cmp(a.target, b.target));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Identity of an event across configurations and replications: kind, target and time. */
export function eventKey(e: Pick<EventResult, 'kind' | 'target' | 'at'>): string {
  return `${e.kind}\u0000${e.target}\u0000${Number(e.at.toPrecision(9))}`;
}

/** A drop-reason record as a list, most requests first; zero counts left out. */
export function reasonsOf(byReason: Readonly<Partial<Record<string, number>>>): ReasonCount[] {
  return Object.entries(byReason)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] > 0)
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || cmp(a.reason, b.reason));
}

/** End of the time series (end of its last window), or null without one. */
export function seriesEnd(series: TimeSeries | undefined): number | null {
  if (!series || series.start.length === 0) return null;
  return series.start[series.start.length - 1]! + series.window;
}

/**
 * Recovery is null both when p99 never came back and when there was no whole window before the event to
 * compare with; the series tells which (without one, `never`).
 */
export function recoveryState(e: Pick<EventResult, 'at' | 'recovery'>, series: TimeSeries | undefined): RecoveryState {
  if (e.recovery !== null) return 'recovered';
  if (series && series.start.length > 0 && e.at < series.start[0]! + series.window) return 'n/a';
  return 'never';
}

/** A run's events as rows, in time order. */
export function eventRows(events: readonly EventResult[], series?: TimeSeries): EventRow[] {
  const last = seriesEnd(series);
  return sortEvents(events).map((e) => ({
    kind: e.kind,
    target: e.target,
    at: e.at,
    end: e.end,
    duration: e.end === null ? null : Math.max(0, e.end - e.at),
    lastedAtLeast: e.end === null && last !== null ? Math.max(0, last - e.at) : null,
    requestsLost: e.requestsLost,
    reasons: reasonsOf(e.lostByReason),
    longestGap: e.longestGap,
    recovery: e.recovery,
    recoveryState: recoveryState(e, series),
    notes: [...e.notes],
  }));
}

/** The events of one configuration: its busiest point, and the runs of it that carry events. */
export interface ConfigurationEvents {
  readonly configuration: string;
  readonly point: ReportPoint;
  /** Runs of the point with an `events` list, in replication order. */
  readonly runs: readonly RunView[];
  /** Seed of the first of them. */
  readonly seed: number | string;
  /** The first replication's events, in time order. */
  readonly events: readonly EventResult[];
}

export interface EventCatalogue {
  readonly configurations: readonly ConfigurationEvents[];
  /**
   * Every configuration's events (first replication) merged, one entry per kind, target and time, in time
   * order and numbered from 1: the numbers the chart's labels and the table share.
   */
  readonly events: readonly (EventResult & { readonly number: number })[];
  /** The number of an event (by {@link eventKey}); undefined for an event not in the catalogue. */
  numberOf(e: Pick<EventResult, 'kind' | 'target' | 'at'>): number | undefined;
}

/** The events of each configuration's busiest point, numbered (see {@link EventCatalogue}). */
export function eventCatalogue(input: ReportInput): EventCatalogue {
  const configurations: ConfigurationEvents[] = [];
  for (const point of busiestPointPerConfiguration(input)) {
    const samples = point.runs.filter((r) => r.result !== null && Array.isArray(r.result.events));
    if (samples.length === 0) continue;
    const runs = samples.map((r) => r.result!);
    configurations.push({ configuration: point.configuration, point, runs, seed: samples[0]!.seed, events: sortEvents(runs[0]!.events!) });
  }
  const byKey = new Map<string, EventResult>();
  for (const c of configurations) for (const e of c.events) if (!byKey.has(eventKey(e))) byKey.set(eventKey(e), e);
  const events = sortEvents([...byKey.values()]).map((e, i) => ({ ...e, number: i + 1 }));
  const numbers = new Map(events.map((e) => [eventKey(e), e.number]));
  return { configurations, events, numberOf: (e) => numbers.get(eventKey(e)) };
}

/** True when the run carries something only a timeline gives: events or the new time-series fields. */
export function hasTimeline(run: RunView): boolean {
  if ((run.events?.length ?? 0) > 0) return true;
  const s = run.timeSeries;
  if (!s) return false;
  return (
    s.offered !== undefined ||
    s.droppedByReason !== undefined ||
    s.readyEndpoints !== undefined ||
    s.healthyTargets !== undefined ||
    s.replicas !== undefined
  );
}

/** True when some run of the input (with a full result) has a timeline. */
export function inputHasTimeline(input: ReportInput): boolean {
  return input.points.some((p) => resultsOf(p).some(hasTimeline));
}
