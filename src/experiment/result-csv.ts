/**
 * The CSV tables written next to `result.json`, for spreadsheets and notebooks (docs/results.md):
 *
 *   summary.csv            one row: the run's headline figures (columns named by their result.json path)
 *   pods.csv               one row per pod
 *   nodes.csv              one row per node
 *   zones.csv              one row per zone
 *   clients.csv            one row per client
 *   latency-histogram.csv  one row per non-empty histogram bucket, with the cumulative fraction
 *
 * RFC 4180: comma separated, a header row, `\n` line ends, fields quoted only when they need it. Numbers
 * are written in full precision (JavaScript's shortest round-trip form), durations in seconds, fractions
 * as 0..1; a missing value (`null` in result.json) is an empty field. Deterministic like result.json:
 * only `summary.csv` holds wall-clock columns (`engine.wallSeconds`, `engine.eventsPerWallSecond`).
 */
import { LatencyHistogram } from '../engine/stats/latency-histogram.js';
import type { DropReason } from '../model/result.js';
import type { ResultFile } from './result-file.js';

type Cell = string | number | boolean | null | undefined;

/**
 * One CSV field: the one place netsim turns a value into CSV (result tables, sweep summaries, report data).
 * Text that a spreadsheet would take for a formula (it begins with `=`, `+`, `-`, `@`, a tab or a carriage
 * return: a client or pod name from a manifest, say) is prefixed with `'` and quoted, as OWASP recommends
 * against CSV injection. Numbers are written as numbers, negative ones included.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) return `"'${s.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

const cell: (v: Cell) => string = csvCell;

/** A CSV text from a header and rows. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [header.map(cell).join(',')];
  for (const row of rows) lines.push(row.map(cell).join(','));
  return `${lines.join('\n')}\n`;
}

/** Drop reasons in the order result.json lists them. */
function dropReasons(file: ResultFile): DropReason[] {
  return Object.keys(file.accounting.measured.dropped) as DropReason[];
}

export function summaryCsv(file: ResultFile): string {
  const m = file.accounting.measured;
  const t = file.accounting.total;
  const l = file.latency;
  const p = file.paths;
  const e = file.engine;
  const reasons = dropReasons(file);
  const columns: [string, Cell][] = [
    ['scenario', file.scenario],
    ['seed', file.seed],
    ['overrides', file.overrides.join(' ')],
    ['tool.version', file.tool.version],
    ['stop.reason', file.stop.reason],
    ['stop.generationEnd', file.stop.generationEnd],
    ['warmup.mode', file.warmup.mode],
    ['warmup.end', file.warmup.end],
    ['measuredSeconds', file.measuredSeconds],
    ['accounting.total.generated', t.generated],
    ['accounting.total.completed', t.completed],
    ['accounting.total.droppedTotal', t.droppedTotal],
    ['accounting.total.inFlight', t.inFlight],
    ['accounting.measured.generated', m.generated],
    ['accounting.measured.completed', m.completed],
    ['accounting.measured.droppedTotal', m.droppedTotal],
    ...reasons.map((r): [string, Cell] => [`accounting.measured.dropped.${r}`, m.dropped[r]]),
    ['accounting.measured.inFlight', m.inFlight],
    ['accounting.measured.retries', m.retries],
    ['latency.count', l.count],
    ['latency.mean', l.mean],
    ['latency.min', l.min],
    ['latency.p50', l.p50],
    ['latency.p90', l.p90],
    ['latency.p99', l.p99],
    ['latency.p999', l.p999],
    ['latency.max', l.max],
    ['paths.requests', p.requests],
    ['paths.secondHop', p.secondHop],
    ['paths.secondHopFraction', p.secondHopFraction],
    ['paths.crossZone', p.crossZone],
    ['paths.crossZoneFraction', p.crossZoneFraction],
    ['paths.crossZoneBytes', p.crossZoneBytes],
    ['paths.crossZoneCost', p.crossZoneCost],
    ['engine.events', e.events],
    ['engine.simulatedSeconds', e.simulatedSeconds],
    ['engine.peakRequestsInFlight', e.peakRequestsInFlight],
    ['engine.connectionsOpened', e.connectionsOpened],
    ['engine.wallSeconds', e.wallSeconds],
    ['engine.eventsPerWallSecond', e.eventsPerWallSecond],
  ];
  return toCsv(
    columns.map(([name]) => name),
    [columns.map(([, value]) => value)],
  );
}

export function podsCsv(file: ResultFile): string {
  return toCsv(
    ['pod', 'node', 'zone', 'requests', 'served', 'refused', 'connections', 'share', 'utilisation', 'meanBusyServers', 'meanQueueLength', 'sources.clientIp', 'sources.nodeIp', 'sources.loadBalancer'],
    file.pods.map((p) => [p.pod, p.node, p.zone, p.requests, p.served, p.refused, p.connections, p.share, p.utilisation, p.meanBusyServers, p.meanQueueLength, p.sources.clientIp, p.sources.nodeIp, p.sources.loadBalancer]),
  );
}

export function nodesCsv(file: ResultFile): string {
  return toCsv(
    ['node', 'zone', 'entryRequests', 'forwarded', 'dropped', 'newConnections', 'conntrackPeak', 'conntrackAtEnd'],
    file.nodes.map((n) => [n.node, n.zone, n.entryRequests, n.forwarded, n.dropped, n.newConnections, n.conntrackPeak, n.conntrackAtEnd]),
  );
}

export function zonesCsv(file: ResultFile): string {
  return toCsv(
    ['zone', 'requestsServed', 'crossZoneBytesSent'],
    file.zones.map((z) => [z.zone, z.requestsServed, z.crossZoneBytesSent]),
  );
}

export function clientsCsv(file: ResultFile): string {
  return toCsv(
    ['client', 'generated', 'completed', 'dropped', 'meanLatency', 'connectionsOpened'],
    file.clients.map((c) => [c.client, c.generated, c.completed, c.dropped, c.meanLatency, c.connectionsOpened]),
  );
}

/**
 * Non-empty buckets of the measured latency histogram: `[lower, upper)` in seconds, the count, and the
 * running count and fraction (an empirical CDF at each bucket's upper edge). Values below the lowest
 * trackable latency are in the first bucket, values above the highest in the last.
 */
export function latencyHistogramCsv(file: ResultFile): string {
  const histogram = LatencyHistogram.fromJSON(file.latency.histogram);
  const total = histogram.count;
  const rows: Cell[][] = [];
  let cumulative = 0;
  for (const b of histogram.buckets()) {
    cumulative += b.count;
    rows.push([b.lower, b.upper, b.count, cumulative, total > 0 ? cumulative / total : null]);
  }
  return toCsv(['lower', 'upper', 'count', 'cumulativeCount', 'cumulativeFraction'], rows);
}

/** Every CSV table by file name, in the order they are written. */
export function resultCsvFiles(file: ResultFile): ReadonlyArray<readonly [string, string]> {
  return [
    ['summary.csv', summaryCsv(file)],
    ['pods.csv', podsCsv(file)],
    ['nodes.csv', nodesCsv(file)],
    ['zones.csv', zonesCsv(file)],
    ['clients.csv', clientsCsv(file)],
    ['latency-histogram.csv', latencyHistogramCsv(file)],
  ];
}
