/**
 * The Events table: each timeline event with what it cost (requests lost and why, the longest time without
 * a completed request, the time until p99 was back to its level before). For a run, the run's figures; for a
 * sweep, per configuration (its busiest point, as the over-time chart) the mean over replications with the
 * Student t confidence interval, computed here from the runs as the other charts do (the sweep's summary
 * has no per-event metrics). When a configuration's replications did not have the same events, its first
 * replication is shown and the caption says so.
 */
import { eventCatalogue, eventRows, reasonsOf, type EventRow, type ReasonCount } from '../data/events.js';
import { formatCount, formatDuration, formatPercent, formatTime, round } from '../format.js';
import { levelOf, replicationInterval, situationNote, type Interval } from '../data/runs.js';
import type { ReportInput } from '../inputs.js';
import type { Cell, TableSection } from './chart.js';

export const EVENTS_ID = 'events';
const TITLE = 'Events';
/** Reasons named in the table's "requests lost" cell (the CSV has them all). */
export const MAIN_REASONS = 2;

/** One event of one configuration: a run's figures, or the mean and interval over replications. */
export interface EventsTableRow {
  readonly configuration: string;
  /** As on the over-time chart's labels. */
  readonly number: number;
  readonly kind: string;
  readonly target: string;
  readonly at: Interval;
  /** Over the replications where the effect was over; null when it was over in none. */
  readonly end: Interval | null;
  readonly duration: Interval | null;
  /** Replications where the effect was not over by the end of the run. */
  readonly notOver: number;
  /** Where not over: the shortest time it lasted at least (to the end of the series); null if unknown. */
  readonly lastedAtLeast: number | null;
  readonly requestsLost: Interval;
  /** Mean requests lost per reason, most first. */
  readonly reasons: readonly ReasonCount[];
  readonly longestGap: Interval;
  /** Over the replications that recovered; null when none did. */
  readonly recovery: Interval | null;
  /** Replications in which p99 never came back, and in which there was nothing to compare with. */
  readonly never: number;
  readonly notApplicable: number;
  /** Distinct notes over replications, in first-seen order. */
  readonly notes: readonly string[];
  readonly replications: number;
}

export interface EventsTableData {
  readonly rows: readonly EventsTableRow[];
  readonly kind: ReportInput['kind'];
  readonly level: number;
  /** Configurations shown (with events). */
  readonly configurations: readonly string[];
  /** Configurations whose replications had different events: shown for the first replication (seed). */
  readonly firstOnly: readonly { readonly configuration: string; readonly seed: number | string }[];
  readonly situation: string;
}

/** Data transform: the events of each configuration's busiest point, aggregated over its replications. */
export function eventsTableData(input: ReportInput): EventsTableData {
  const level = levelOf(input);
  const catalogue = eventCatalogue(input);
  const rows: EventsTableRow[] = [];
  const firstOnly: { configuration: string; seed: number | string }[] = [];
  const configurations: string[] = [];
  for (const c of catalogue.configurations) {
    // Stryker disable next-line ArrayDeclaration: the catalogue keeps only runs whose `events` is a list, so `?? []` never applies
    const perRun = c.runs.map((r) => eventRows(r.events ?? [], r.timeSeries));
    if (perRun[0]!.length === 0) continue;
    configurations.push(c.configuration);
    const alike = perRun.every((events) => events.length === perRun[0]!.length && events.every((e, i) => e.kind === perRun[0]![i]!.kind && e.target === perRun[0]![i]!.target));
    if (!alike) firstOnly.push({ configuration: c.configuration, seed: c.seed });
    const used = alike ? perRun : [perRun[0]!];
    for (let i = 0; i < used[0]!.length; i++) {
      const same = used.map((events) => events[i]!);
      // Stryker disable next-line ArithmeticOperator: same[0] is a first-replication event, which the catalogue always numbers
      rows.push(aggregate(c.configuration, catalogue.numberOf(same[0]!) ?? i + 1, same, level));
    }
  }
  return { rows, kind: input.kind, level, configurations, firstOnly, situation: situationNote(input, catalogue.configurations.map((c) => c.point)) };
}

/** One event over replications (`rows[r]` is replication r's). */
export function aggregate(configuration: string, number: number, rows: readonly EventRow[], level: number): EventsTableRow {
  const interval = (values: readonly (number | null)[]): Interval | null => replicationInterval(values, level);
  const over = rows.filter((r) => r.end !== null);
  const lasted = rows.filter((r) => r.end === null && r.lastedAtLeast !== null).map((r) => r.lastedAtLeast!);
  const reasonTotals: Record<string, number> = {};
  for (const r of rows) for (const { reason, count } of r.reasons) reasonTotals[reason] = (reasonTotals[reason] ?? 0) + count / rows.length;
  return {
    configuration,
    number,
    kind: rows[0]!.kind,
    target: rows[0]!.target,
    at: interval(rows.map((r) => r.at))!,
    end: interval(over.map((r) => r.end)),
    duration: interval(over.map((r) => r.duration)),
    notOver: rows.length - over.length,
    lastedAtLeast: lasted.length > 0 ? Math.min(...lasted) : null,
    requestsLost: interval(rows.map((r) => r.requestsLost))!,
    reasons: reasonsOf(reasonTotals),
    longestGap: interval(rows.map((r) => r.longestGap))!,
    recovery: interval(rows.map((r) => r.recovery)),
    never: rows.filter((r) => r.recoveryState === 'never').length,
    notApplicable: rows.filter((r) => r.recoveryState === 'n/a').length,
    notes: [...new Set(rows.flatMap((r) => r.notes))],
    replications: rows.length,
  };
}

/** `12.3 s`, or with replications `12.3 s ± 1.1 s` (the half-width of the interval). */
export function withInterval(iv: Interval | null, format: (x: number) => string): string {
  if (iv === null) return '–';
  const half = (iv.upper - iv.lower) / 2;
  return iv.n > 1 && half > 0 ? `${format(iv.mean)} ± ${format(half)}` : format(iv.mean);
}

/** `1,234 (pod-killed 80 %, connection-refused 15 %, +1 more)`. */
export function lostText(row: Pick<EventsTableRow, 'requestsLost' | 'reasons'>): string {
  const total = row.reasons.reduce((s, r) => s + r.count, 0);
  const main = row.reasons.slice(0, MAIN_REASONS).map((r) => `${r.reason} ${formatPercent(total > 0 ? r.count / total : null, 2)}`);
  const more = row.reasons.length - MAIN_REASONS;
  if (more > 0) main.push(`+${more} more`);
  const count = withInterval(row.requestsLost, (x) => formatCount(x));
  return main.length > 0 ? `${count} (${main.join(', ')})` : count;
}

function endText(row: EventsTableRow): string {
  if (row.end === null) return 'not over by the end';
  const text = withInterval(row.end, formatTime);
  return row.notOver > 0 ? `${text}; not over in ${row.notOver} of ${row.replications}` : text;
}

function durationText(row: EventsTableRow): string {
  if (row.duration === null) return row.lastedAtLeast === null ? '–' : `more than ${formatDuration(row.lastedAtLeast)}`;
  return withInterval(row.duration, formatDuration);
}

function recoveryText(row: EventsTableRow): string {
  const misses = [row.never > 0 ? `never in ${row.never}` : '', row.notApplicable > 0 ? `n/a in ${row.notApplicable}` : ''].filter(Boolean);
  if (row.recovery === null) {
    if (row.never === 0 && row.notApplicable > 0) return 'n/a';
    if (row.notApplicable === 0) return 'never';
    return misses.map((m) => `${m} of ${row.replications}`).join(', ');
  }
  const text = withInterval(row.recovery, formatDuration);
  return misses.length > 0 ? `${text}; ${misses.join(', ')} of ${row.replications}` : text;
}

const nullable = (x: number | null | undefined): number | null => (x === null || x === undefined ? null : round(x));

/** The section: the table in the page, the raw figures as `events.csv`; null when no run has events. */
export function eventsTable(data: EventsTableData): TableSection | null {
  if (data.rows.length === 0) return null;
  const several = data.configurations.length > 1;
  const aggregated = data.rows.some((r) => r.replications > 1);
  const notes: string[] = [];
  if (data.situation) notes.push(data.situation);
  if (aggregated) {
    notes.push(
      `Figures are the mean over the replications ± the half-width of the ${formatPercent(data.level, 4)} confidence interval ` +
        '(Student t), computed from the runs: the sweep’s summary has no per-event metrics. Times when the effect ended and ' +
        'recovery times are over the replications where they happened; the others are counted.',
    );
  }
  for (const f of data.firstOnly) {
    notes.push(`The replications of ${f.configuration} did not have the same events: the table shows its first replication (seed ${String(f.seed)}).`);
  }
  notes.push(
    'Requests lost: given up between the event and the end of its effect (or the end of the run), whatever the reason. ' +
      'Recovery: from the event until p99 stays within 10 % of its level before it; never: it did not come back before ' +
      'the run ended; n/a: there was no window before the event to compare with.',
  );
  const head = several ? ['configuration'] : [];
  const cells = (r: EventsTableRow): Cell[] => [
    String(r.number),
    r.kind,
    r.target,
    withInterval(r.at, formatTime),
    endText(r),
    durationText(r),
    lostText(r),
    withInterval(r.longestGap, formatDuration),
    recoveryText(r),
    r.notes.join('; ') || '–',
  ];
  return {
    id: EVENTS_ID,
    title: TITLE,
    description:
      'Each event of the timeline and what it cost: when its effect was over (a rollout complete, a drain done, ' +
      'replacements Ready, every kube-proxy and load balancer caught up), the requests lost meanwhile and the main ' +
      'reasons, the longest time without any completed request, and how long p99 took to come back. Numbers are ' +
      'those of the rules on the over-time chart.',
    notes,
    table: {
      header: [...head, '#', 'kind', 'target', 'at', 'end', 'duration', 'requests lost', 'longest gap', 'recovery', 'notes'],
      rows: data.rows.map((r) => [...(several ? [r.configuration] : []), ...cells(r)]),
    },
    align: [...head.map(() => 'left' as const), 'right', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
    data: {
      header: [
        'configuration',
        'event',
        'kind',
        'target',
        'at_s',
        'end_s',
        'not_over_in',
        'duration_s',
        'requests_lost',
        'requests_lost_ci_lower',
        'requests_lost_ci_upper',
        'lost_by_reason',
        'longest_gap_s',
        'longest_gap_ci_lower_s',
        'longest_gap_ci_upper_s',
        'recovery_s',
        'recovery_ci_lower_s',
        'recovery_ci_upper_s',
        'never_recovered_in',
        'recovery_not_applicable_in',
        'replications',
        'notes',
      ],
      rows: data.rows.map((r) => [
        r.configuration,
        r.number,
        r.kind,
        r.target,
        round(r.at.mean),
        nullable(r.end?.mean),
        r.notOver,
        nullable(r.duration?.mean),
        round(r.requestsLost.mean),
        round(r.requestsLost.lower),
        round(r.requestsLost.upper),
        r.reasons.map((x) => `${x.reason}:${round(x.count)}`).join(';'),
        round(r.longestGap.mean),
        round(r.longestGap.lower),
        round(r.longestGap.upper),
        nullable(r.recovery?.mean),
        nullable(r.recovery?.lower),
        nullable(r.recovery?.upper),
        r.never,
        r.notApplicable,
        r.replications,
        r.notes.join('; '),
      ]),
    },
    after: 'over-time',
  };
}
