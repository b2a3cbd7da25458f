/**
 * The data of the over-time chart's timeline panels, from results that carry a timeline: per configuration
 * (its busiest point), the drops of each window stacked by reason, and the lanes of state (ready endpoints
 * per Service, healthy targets per load balancer, replicas per Deployment); and the events, numbered as in
 * the Events table. Pure: the panels (timeline-panels.ts) only draw these rows.
 *
 * Drops are averaged over replications window by window (as throughput is); state lanes and events come
 * from the first replication, since averaging a count of endpoints over replications gives fractions that
 * no run ever had.
 */
import type { EventResult } from '../../model/result.js';
import { eventCatalogue, hasTimeline, sortEvents } from '../data/events.js';
import { round } from '../format.js';
import { busiestPointPerConfiguration, meanOf, resultsOf, situationNote } from '../data/runs.js';
import { thin } from '../data/thin.js';
import { isTimeSeries } from '../data/time-series.js';
import type { ReportInput, RunView, TimeSeries } from '../inputs.js';

/**
 * Detailed panels (drops by reason, state lanes) are drawn for at most this many configurations. Past it,
 * every configuration's drops are drawn in one overview panel (a row each), and the detailed panels go to
 * the configurations that dropped the most: a choice the chart's notes name, never plan order.
 */
export const MAX_TIMELINE_CONFIGURATIONS = 4;
/** Drop bars per configuration at most: more windows are summed into bins of whole windows. */
export const MAX_DROP_BARS = 400;
/** Points per state line at most (after keeping only the windows where the value changes). */
export const MAX_LANE_POINTS = 400;
/** Lines per state lane at most (the CSV has them all). */
export const MAX_LANE_SERIES = 10;

/** Drop reasons in the order they are stacked (bottom first), with their colours; unknown reasons follow. */
export const DROP_REASONS: readonly { readonly reason: string; readonly colour: string }[] = [
  { reason: 'pod-killed', colour: '#d62728' },
  { reason: 'pod-gone', colour: '#ff7f0e' },
  { reason: 'connection-refused', colour: '#e377c2' },
  { reason: 'node-down', colour: '#8c564b' },
  { reason: 'no-endpoints', colour: '#9467bd' },
  { reason: 'no-local-endpoint', colour: '#c5b0d5' },
  { reason: 'no-healthy-lb-target', colour: '#bcbd22' },
  { reason: 'timeout', colour: '#1f77b4' },
  { reason: 'queue-full', colour: '#17becf' },
  { reason: 'conntrack-full', colour: '#7f7f7f' },
  { reason: 'dns-failure', colour: '#aec7e8' },
  { reason: 'no-route', colour: '#98df8a' },
  { reason: 'not-proxied', colour: '#c49c94' },
  { reason: 'server-error', colour: '#f7b6d2' },
  { reason: 'gateway-timeout', colour: '#dbdb8d' },
];
/** Drops the series does not split by reason (no `droppedByReason`, or a remainder). */
export const UNSPLIT = 'not split by reason';
const OTHER_COLOURS = ['#393b79', '#637939', '#8c6d31', '#843c39', '#7b4173'];

/** The colour of a drop reason (a fixed one for known reasons, so a reason looks the same everywhere). */
export function reasonColour(reason: string, index = 0): string {
  if (reason === UNSPLIT) return '#bbbbbb';
  return DROP_REASONS.find((r) => r.reason === reason)?.colour ?? OTHER_COLOURS[index % OTHER_COLOURS.length]!;
}

export type LaneKind = 'ready endpoints' | 'healthy targets' | 'replicas' | 'node endpoints';
/** Kinds drawn, in legend order; `node endpoints` goes to the CSV only. */
export const DRAWN_LANES: readonly LaneKind[] = ['ready endpoints', 'healthy targets', 'replicas'];

/** One bar segment: the drops of one reason in one bin of windows, stacked in per-second units. */
export interface DropRow {
  readonly configuration: string;
  readonly reason: string;
  /** Bin start and end, simulated seconds. */
  readonly start: number;
  readonly end: number;
  /** Requests dropped in the bin (mean over replications). */
  readonly count: number;
  /** count / (end − start). */
  readonly perSecond: number;
  /** Stack bounds, per second: the bar spans y1..y2. */
  readonly y1: number;
  readonly y2: number;
}

/** One point of a state line: the value at the end of a window. */
export interface LaneRow {
  readonly configuration: string;
  readonly kind: LaneKind;
  readonly name: string;
  /** `kind: name`, the line's identity and legend label. */
  readonly series: string;
  readonly time: number;
  readonly value: number;
}

export interface TimelineEvent {
  readonly number: number;
  readonly kind: string;
  readonly target: string;
  readonly at: number;
  readonly end: number | null;
}

export interface ConfigurationTimeline {
  readonly configuration: string;
  /** This configuration's events (first replication), numbered as in the catalogue. */
  readonly events: readonly TimelineEvent[];
  readonly drops: readonly DropRow[];
  /** Windows summed into one drop bar (1: one bar per window). */
  readonly windowsPerBar: number;
  readonly window: number;
  readonly lanes: readonly LaneRow[];
  /** Lines drawn in the lane (`kind: name`), in legend order. */
  readonly lanesDrawn: readonly string[];
  /** Lines not drawn (past {@link MAX_LANE_SERIES}); they are in the CSV. */
  readonly lanesOmitted: readonly string[];
  /** Replications averaged for drops; the seed of the one lanes and events come from. */
  readonly replications: number;
  readonly seed: number | string;
}

/** One cell of the overview: a configuration's drops (all reasons) in one bin of windows. */
export interface OverviewRow {
  readonly configuration: string;
  readonly start: number;
  readonly end: number;
  readonly count: number;
  readonly perSecond: number;
}

export interface TimelineData {
  /** Every configuration's events merged and numbered (drawn on the shared panels). */
  readonly events: readonly TimelineEvent[];
  /** Configurations with detailed panels (at most {@link MAX_TIMELINE_CONFIGURATIONS}), in input order. */
  readonly configurations: readonly ConfigurationTimeline[];
  /** Configurations without detailed panels: drawn in the overview only (their lanes are in the CSV). */
  readonly omitted: readonly ConfigurationTimeline[];
  /**
   * Past {@link MAX_TIMELINE_CONFIGURATIONS}: every configuration's drops per bin, one row of cells each, in
   * input order; null when every configuration has its detailed panels.
   */
  readonly overview: readonly OverviewRow[] | null;
  /** Reasons that occur anywhere, in stacking order. */
  readonly reasons: readonly string[];
  /** Lines of state that occur anywhere (`kind: name`), drawn kinds only, in legend order. */
  readonly series: readonly string[];
  /** The shared x domain: every window and every event. */
  readonly domain: readonly [number, number];
  /** Some configuration has an offered-load series. */
  readonly offered: boolean;
  readonly situation: string;
}

/** Data transform; null when no run of the input carries a timeline (the chart is then as before). */
export function timelineData(input: ReportInput, maxBars = MAX_DROP_BARS): TimelineData | null {
  const catalogue = eventCatalogue(input);
  const numbered = (events: readonly EventResult[]): TimelineEvent[] =>
    sortEvents(events).map((e) => ({ number: catalogue.numberOf(e) ?? 0, kind: e.kind, target: e.target, at: e.at, end: e.end }));
  const points = busiestPointPerConfiguration(input);
  const all: ConfigurationTimeline[] = [];
  for (const point of points) {
    const samples = point.runs.filter((r) => r.result !== null);
    const runs = samples.map((r) => r.result!);
    if (!runs.some(hasTimeline)) continue;
    const series = runs.map((r) => r.timeSeries).filter(isTimeSeries);
    const first = series[0];
    all.push({
      configuration: point.configuration,
      events: numbered(runs[0]!.events ?? []),
      drops: series.length > 0 ? dropRows(point.configuration, series, maxBars) : [],
      windowsPerBar: series.length > 0 ? binSize(Math.min(...series.map((s) => s.start.length)), maxBars) : 1,
      window: first?.window ?? 0,
      lanes: first ? laneRows(point.configuration, first) : [],
      lanesDrawn: first ? drawnLanes(first).drawn : [],
      lanesOmitted: first ? drawnLanes(first).omitted : [],
      replications: Math.max(1, series.length),
      seed: samples[0]!.seed,
    });
  }
  if (all.length === 0) return null;
  const drawn = mostDropped(all, MAX_TIMELINE_CONFIGURATIONS);
  const present = new Set(all.flatMap((c) => c.drops.map((d) => d.reason)));
  const known = DROP_REASONS.map((r) => r.reason).filter((r) => present.has(r));
  const unknown = [...present].filter((r) => r !== UNSPLIT && !known.includes(r)).sort();
  const reasons = [...known, ...unknown, ...(present.has(UNSPLIT) ? [UNSPLIT] : [])];
  const seriesNames = [...new Set(drawn.flatMap((c) => c.lanesDrawn))];
  const events = catalogue.events.map((e) => ({ number: e.number, kind: e.kind, target: e.target, at: e.at, end: e.end }));
  return {
    events,
    configurations: drawn,
    omitted: all.filter((c) => !drawn.includes(c)),
    overview: all.length > MAX_TIMELINE_CONFIGURATIONS ? all.flatMap(overviewRows) : null,
    reasons,
    series: seriesNames,
    domain: domainOf(points.flatMap(resultsOf), events),
    offered: points.some((p) => resultsOf(p).some((r) => r.timeSeries?.offered !== undefined)),
    situation: situationNote(input, points),
  };
}

/** Requests a configuration dropped in all (mean over replications). */
export function droppedTotal(c: ConfigurationTimeline): number {
  return c.drops.reduce((a, d) => a + d.count, 0);
}

/**
 * The `max` configurations that dropped the most (ties: the earlier one), kept in input order; all of them
 * when there are no more than `max`.
 */
export function mostDropped(all: readonly ConfigurationTimeline[], max: number): ConfigurationTimeline[] {
  if (all.length <= max) return [...all];
  const ranked = all.map((c, i) => ({ c, i, total: droppedTotal(c) })).sort((a, b) => b.total - a.total || a.i - b.i);
  const chosen = new Set(ranked.slice(0, max).map((r) => r.c));
  return all.filter((c) => chosen.has(c));
}

/** A configuration's drop bars summed over reasons: one overview cell per bin that dropped anything. */
export function overviewRows(c: ConfigurationTimeline): OverviewRow[] {
  const bins = new Map<number, { end: number; count: number }>();
  for (const d of c.drops) {
    const bin = bins.get(d.start) ?? { end: d.end, count: 0 };
    bin.count += d.count;
    bins.set(d.start, bin);
  }
  return [...bins].map(([start, b]) => ({ configuration: c.configuration, start, end: b.end, count: round(b.count), perSecond: round(b.count / (b.end - start)) }));
}

/** Windows per bar so that `windows` windows make at most `maxBars` bars. */
export function binSize(windows: number, maxBars: number): number {
  return Math.max(1, Math.ceil(windows / Math.max(1, maxBars)));
}

/**
 * Drops per bin and reason, mean over replications (windows matched by index), stacked in reason order.
 * A window's reasons add up to its `dropped` total; what `droppedByReason` does not account for (or all of
 * it, without `droppedByReason`) is {@link UNSPLIT}.
 */
export function dropRows(configuration: string, series: readonly TimeSeries[], maxBars = MAX_DROP_BARS): DropRow[] {
  const windows = Math.min(...series.map((s) => s.start.length));
  if (windows === 0) return [];
  const window = series[0]!.window;
  const reasonsPresent = new Set(series.flatMap((s) => Object.keys(s.droppedByReason ?? {})));
  const order = [
    // Stryker disable next-line MethodExpression: a known reason no series has counts 0 in every window, and 0 is never a bar
    ...DROP_REASONS.map((r) => r.reason).filter((r) => reasonsPresent.has(r)),
    ...[...reasonsPresent].filter((r) => !DROP_REASONS.some((k) => k.reason === r)).sort(),
  ];
  // Per window: mean count per reason, and the mean total.
  const perWindow = (i: number): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const reason of order) {
      counts.set(reason, meanOf(series.map((s) => (s.droppedByReason as Record<string, readonly number[]> | undefined)?.[reason]?.[i] ?? 0)) ?? 0);
    }
    const split = [...counts.values()].reduce((a, b) => a + b, 0);
    const total = meanOf(series.map((s) => s.dropped?.[i] ?? sumReasons(s, i))) ?? split;
    const rest = total - split;
    if (rest > 1e-9 * Math.max(1, total)) counts.set(UNSPLIT, rest);
    return counts;
  };
  const k = binSize(windows, maxBars);
  const rows: DropRow[] = [];
  // Stryker disable next-line ArithmeticOperator: `b / k < windows` only adds bins past the last window, which are empty and skipped
  for (let b = 0; b * k < windows; b++) {
    const first = b * k;
    const last = Math.min(windows, first + k) - 1;
    const bin = new Map<string, number>();
    for (let i = first; i <= last; i++) for (const [reason, n] of perWindow(i)) bin.set(reason, (bin.get(reason) ?? 0) + n);
    const start = series[0]!.start[first]!;
    const end = series[0]!.start[last]! + window;
    let y = 0;
    for (const reason of [...order, UNSPLIT]) {
      const count = bin.get(reason) ?? 0;
      if (!(count > 0)) continue;
      const perSecond = count / (end - start);
      rows.push({ configuration, reason, start: round(start), end: round(end), count: round(count), perSecond: round(perSecond), y1: round(y), y2: round(y + perSecond) });
      y += perSecond;
    }
  }
  return rows;
}

function sumReasons(s: TimeSeries, i: number): number {
  return Object.values(s.droppedByReason ?? {}).reduce((a, v) => a + (v?.[i] ?? 0), 0);
}

const LANE_FIELDS: readonly { readonly kind: LaneKind; readonly field: 'readyEndpoints' | 'healthyTargets' | 'replicas' | 'nodeEndpoints' }[] = [
  { kind: 'ready endpoints', field: 'readyEndpoints' },
  { kind: 'healthy targets', field: 'healthyTargets' },
  { kind: 'replicas', field: 'replicas' },
  { kind: 'node endpoints', field: 'nodeEndpoints' },
];

/**
 * The state lines of one series, one point per window end where the value changed (plus the first and the
 * last): the same step line, lossless, in far fewer points. Every line, node endpoints included (those go
 * to the CSV only; see {@link drawnLanes}).
 */
export function laneRows(configuration: string, series: TimeSeries): LaneRow[] {
  const rows: LaneRow[] = [];
  for (const { kind, field } of LANE_FIELDS) {
    for (const line of series[field] ?? []) {
      const n = Math.min(line.values.length, series.start.length);
      const points: LaneRow[] = [];
      for (let i = 0; i < n; i++) {
        if (i > 0 && i < n - 1 && line.values[i] === line.values[i - 1]) continue;
        points.push({ configuration, kind, name: line.name, series: `${kind}: ${line.name}`, time: round(series.start[i]! + series.window), value: line.values[i]! });
      }
      rows.push(...thin(points, MAX_LANE_POINTS));
    }
  }
  return rows;
}

/** The lines drawn in the lane (`kind: name`): the drawn kinds, at most {@link MAX_LANE_SERIES}; and the rest. */
export function drawnLanes(series: TimeSeries): { drawn: string[]; omitted: string[] } {
  const names = DRAWN_LANES.flatMap((kind) => {
    const field = LANE_FIELDS.find((f) => f.kind === kind)!.field;
    return (series[field] ?? []).map((l) => `${kind}: ${l.name}`);
  });
  return { drawn: names.slice(0, MAX_LANE_SERIES), omitted: names.slice(MAX_LANE_SERIES) };
}

/** Every window of every run and every event's time. */
function domainOf(runs: readonly RunView[], events: readonly TimelineEvent[]): [number, number] {
  const xs: number[] = [];
  for (const r of runs) {
    const s = r.timeSeries;
    if (!isTimeSeries(s) || s.start.length === 0) continue;
    xs.push(s.start[0]!, s.start[s.start.length - 1]! + s.window);
  }
  for (const e of events) xs.push(e.at);
  if (xs.length === 0) return [0, 1];
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return [lo, hi > lo ? hi : lo + 1];
}
