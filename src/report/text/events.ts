/**
 * The Events section of the run summary: each timeline event with what it cost, one line per event and its
 * notes below; the same rows and wording as the report's Events table (data/events.ts).
 */
import type { ResultFile } from '../../experiment/result-file.js';
import { eventRows, type EventRow } from '../data/events.js';
import { formatInt, formatPercent, formatSeconds } from './format.js';
import { renderTable, type Column } from './table.js';

const right = (header: string): Column => ({ header, align: 'right' });

/** `1,234 (pod-killed 80.0%, connection-refused 20.0%)`: the count and its two main reasons. */
function lost(row: EventRow): string {
  const total = row.reasons.reduce((s, r) => s + r.count, 0);
  const main = row.reasons.slice(0, 2).map((r) => `${r.reason} ${formatPercent(total > 0 ? r.count / total : null)}`);
  if (row.reasons.length > 2) main.push(`+${row.reasons.length - 2} more`);
  return main.length > 0 ? `${formatInt(row.requestsLost)} (${main.join(', ')})` : formatInt(row.requestsLost);
}

function recovery(row: EventRow): string {
  return row.recoveryState === 'recovered' ? formatSeconds(row.recovery) : row.recoveryState;
}

/** The section, or null when the run has no events. */
export function eventsSection(file: ResultFile): string | null {
  const rows = eventRows(file.events ?? [], file.timeSeries);
  if (rows.length === 0) return null;
  const cols = [right('#'), { header: 'EVENT' }, { header: 'TARGET' }, right('AT'), right('END'), right('DURATION'), { header: 'LOST' }, right('LONGEST-GAP'), right('RECOVERY')];
  const lines = rows.map((r, i) => [
    String(i + 1),
    r.kind,
    r.target,
    formatSeconds(r.at),
    r.end === null ? 'not over' : formatSeconds(r.end),
    r.duration !== null ? formatSeconds(r.duration) : r.lastedAtLeast !== null ? `>${formatSeconds(r.lastedAtLeast)}` : '-',
    lost(r),
    formatSeconds(r.longestGap),
    recovery(r),
  ]);
  const notes = rows.flatMap((r, i) => r.notes.map((n) => `  #${i + 1}: ${n}`));
  const legend =
    '  lost: requests given up from the event to the end of its effect (or of the run); recovery: until p99 is back\n' +
    '  within 10% of its level before the event (never: not by the end; n/a: no window before it)';
  return `Events (timeline)\n${[renderTable(cols, lines, { indent: '  ', gap: 2 }), ...notes, legend].join('\n')}`;
}
