/**
 * The summary `netsim run` prints: request accounting, latency, paths and cost, per pod / node / zone /
 * client tables and engine figures, from a result file alone (so it can be re-printed from a stored run).
 */
import type { ResultFile } from '../../experiment/result-file.js';
import type { LatencyByStage, LatencySummary, RequestCounts } from '../../model/result.js';
import {
  formatBytes,
  formatCompact,
  formatCost,
  formatDecimal,
  formatInt,
  formatPercent,
  formatQuantile,
  formatSeconds,
  formatStagePercentile,
  MISSING,
} from './format.js';
import { latencyWithDrops } from '../../experiment/metrics.js';
import { eventsSection } from './events.js';
import { PLAIN, type Paint } from './paint.js';
import { renderTable, type Column, type TableOptions } from './table.js';

export interface SummaryOptions {
  /** Rows printed per entity table (pods, nodes, clients) before "… N more"; default 40. */
  readonly maxRows?: number;
  /** Where the full tables are (named in the "… N more" line), e.g. `out/prod`. */
  readonly outDir?: string;
  /** Colours for drops and refusals (a terminal); default none. */
  readonly paint?: Paint;
  /** The width tables wrap to (a terminal's); default none, one line per row. */
  readonly width?: number;
}

/** What every table of the summary is drawn with. */
interface Look {
  readonly paint: Paint;
  readonly width: number | undefined;
}

/** Table options: the gap, the width, and a row painted bad when `bad(row)` says so. */
function tableLook(look: Look, bad?: (index: number) => boolean, indent?: string): TableOptions {
  return {
    gap: 2,
    ...(indent !== undefined ? { indent } : {}),
    ...(look.width !== undefined ? { width: look.width } : {}),
    ...(bad && look.paint.enabled ? { paintRow: (_: readonly string[], i: number) => (bad(i) ? look.paint.bad : undefined) } : {}),
  };
}

const right = (header: string): Column => ({ header, align: 'right' });

function section(title: string, body: string): string {
  return `${title}\n${body}`;
}

function limited<T>(items: readonly T[], max: number): { shown: readonly T[]; more: number } {
  return items.length > max ? { shown: items.slice(0, max), more: items.length - max } : { shown: items, more: 0 };
}

function moreLine(more: number, what: string, csv: string, outDir: string | undefined): string {
  if (more === 0) return '';
  return `\n  … ${formatInt(more)} more ${what} in ${outDir ? `${outDir}/` : ''}${csv}`;
}

function headline(file: ResultFile): string {
  const w = file.warmup;
  const lines = [`${file.scenario}  seed ${file.seed}`];
  const stop = file.stop;
  const stopText =
    stop.reason === 'duration'
      ? `generation stopped at ${formatSeconds(stop.generationEnd)} (duration)`
      : stop.reason === 'requests'
        ? `generation stopped at ${formatSeconds(stop.generationEnd)} (request count reached)`
        : `generation stopped at ${formatSeconds(stop.generationEnd)} (nothing left to run)`;
  const kind = w.mode === 'auto' ? 'auto (MSER-5)' : 'fixed';
  const warm =
    w.mode === 'none'
      ? 'no warm-up'
      : w.end === 0
        ? `warm-up ${kind}: nothing left out`
        : `warm-up ${kind}: first ${formatSeconds(w.end)} left out`;
  lines.push(`  simulated ${formatSeconds(file.engine.simulatedSeconds)}; ${stopText}; ${warm}; measured ${formatSeconds(file.measuredSeconds)}`);
  if (w.note) lines.push(`  note: ${w.note}`);
  if (stop.drainCut) lines.push(`  note: the drain limit (${formatSeconds(stop.drainLimit)}) cut the run; unfinished requests count as in flight`);
  if (file.overrides.length > 0) lines.push(`  overrides: ${file.overrides.join('  ')}`);
  return lines.join('\n');
}

function accounting(file: ResultFile, look: Look): string {
  const { measured, warmup, total } = file.accounting;
  const cols = [{ header: 'Requests' }, right('measured'), right('warm-up'), right('total')];
  const row = (label: string, f: (c: RequestCounts) => number): string[] => [
    label,
    formatInt(f(measured)),
    formatInt(f(warmup)),
    formatInt(f(total)),
  ];
  const rows: string[][] = [row('generated', (c) => c.generated), row('completed', (c) => c.completed), row('dropped', (c) => c.droppedTotal)];
  for (const reason of Object.keys(total.dropped) as (keyof RequestCounts['dropped'])[]) {
    if (total.dropped[reason] > 0) rows.push(row(`  ${reason}`, (c) => c.dropped[reason]));
  }
  rows.push(row('in flight', (c) => c.inFlight), row('retries', (c) => c.retries));
  // Lost requests: the dropped row and its reasons (rows 2 .. before "in flight").
  const lost = total.droppedTotal > 0;
  return renderTable(cols, rows, tableLook(look, (i) => lost && i >= 2 && i < rows.length - 2));
}

function latency(file: ResultFile, look: Look): string {
  const m = file.accounting.measured;
  const sent = file.latency.count + m.droppedTotal + m.inFlight;
  const lost = m.droppedTotal + m.inFlight;
  const cols = [{ header: 'Latency' }, right('count'), right('dropped'), right('mean'), right('p50'), right('p90'), right('p99'), right('p99.9'), right('max')];
  const row = (label: string, l: LatencySummary, dropped = ''): string[] => [
    label,
    formatInt(l.count),
    dropped,
    formatSeconds(l.mean),
    formatSeconds(l.p50),
    formatSeconds(l.p90),
    formatSeconds(l.p99),
    formatSeconds(l.p999),
    formatSeconds(l.max),
  ];
  const by = file.latencyByPath;
  const rows = [row('all', file.latency, formatPercent(sent > 0 ? m.droppedTotal / sent : null))];
  // A dropped request never finished: with drops, the percentiles of every measured request (dropped ones
  // count as never finishing) are what a user saw; those that fall among the drops are not reached.
  if (lost > 0) {
    rows.push([
      '  counting drops',
      formatInt(sent),
      '',
      '',
      ...[0.5, 0.9, 0.99, 0.999].map((q) => formatQuantile(latencyWithDrops(file, q))),
      lost > 0 ? formatQuantile(Infinity) : formatSeconds(file.latency.max),
    ]);
  }
  rows.push(row('  local', by.local), row('  second hop, same zone', by.secondHop), row('  cross zone', by.crossZone));
  const note =
    lost > 0
      ? `\n  dropped: share of measured requests given up${m.inFlight > 0 ? ` (${formatInt(m.inFlight)} still in flight at the end count as not finished)` : ''}; ` +
        '"counting drops": percentiles of every measured request, a dropped one never finishing ("not reached": the percentile falls among them)'
      : '';
  // With drops, the "counting drops" row (the second) is what users saw.
  return renderTable(cols, rows, tableLook(look, (i) => lost > 0 && i === 1)) + note;
}

/** Readable stage names, in the order a request meets them (model/stages.ts). */
const STAGE_LABELS: readonly (readonly [keyof LatencyByStage, string])[] = [
  ['dns', 'DNS lookup'],
  ['retries', 'earlier attempts (retries)'],
  ['network', 'network (links)'],
  ['proxy', 'LB, kube-proxy, forwarding'],
  ['ingressQueue', 'ingress queue'],
  ['ingressProcessing', 'ingress processing'],
  ['podQueue', 'pod queue'],
  ['podService', 'pod service'],
  ['external', 'external host'],
];

/**
 * Where the time goes: the stages with time, mean and p99 over the requests that went through each, and
 * the stage's share of all latency. Null for results without `latencyByStage` or without time in it.
 */
function stages(file: ResultFile, look: Look): string | null {
  const st = file.latencyByStage as LatencyByStage | undefined;
  if (!st) return null;
  const rows = STAGE_LABELS.filter(([key]) => st[key] && st[key].requests > 0 && (st[key].share ?? 0) > 0).map(([key, label]) => {
    const s = st[key];
    return [`  ${label}`, formatInt(s.requests), formatSeconds(s.mean), formatStagePercentile(s.p99, s.mean), formatPercent(s.share)];
  });
  if (rows.length === 0) return null;
  const cols = [{ header: 'Where the time goes' }, right('requests'), right('mean'), right('p99'), right('share')];
  return renderTable(cols, rows, tableLook(look)) + '\n  mean and p99 over the requests that went through the stage; share of all latency';
}

/** Cluster DNS, the ingress controllers' routing, external hosts (each when present). */
function beyond(file: ResultFile): string | null {
  const lines: string[] = [];
  const d = file.dns;
  if (d) {
    lines.push(
      `DNS  ${formatInt(d.lookups)} lookups (${formatInt(d.clientCacheHits)} from the client's cache), ${formatInt(d.queries)} queries ` +
        `(${formatInt(d.nxdomain)} NXDOMAIN, ${formatInt(d.serverCacheHits)} CoreDNS cache hits, ${formatInt(d.upstreamQueries)} upstream), ` +
        `${formatInt(d.timeouts)} timeouts, ${formatInt(d.failures)} failures; resolution mean ${formatSeconds(d.resolution.mean)}, p99 ${formatSeconds(d.resolution.p99)}`,
    );
    for (const sv of d.servers) lines.push(`  ${sv.pod}  ${sv.node}  ${formatInt(sv.queries)} queries  util ${formatPercent(sv.utilisation)}`);
  }
  const ing = file.ingress;
  if (ing) {
    lines.push(`Ingress  ${formatInt(ing.requests)} requests, ${formatInt(ing.noRoute)} without a route (404), ${formatInt(ing.upstreamRetries)} upstream retries`);
    for (const u of ing.upstreams) lines.push(`  ${u.ingress} -> ${u.service}:${u.port}  ${u.algorithm}, ${formatInt(u.endpoints)} endpoints, ${formatInt(u.requests)} requests`);
  }
  for (const h of file.externalHosts ?? []) {
    lines.push(`External host ${h.host}  ${formatInt(h.requests)} requests, ${formatInt(h.refused)} refused, util ${formatPercent(h.utilisation)}`);
  }
  return lines.length > 0 ? lines.join('\n') : null;
}

function paths(file: ResultFile, look: Look): string {
  const p = file.paths;
  return renderTable(
    [{ header: 'Paths' }, right('requests'), right('fraction')],
    [
      ['reached a pod', formatInt(p.requests), ''],
      ['  second hop (any zone)', formatInt(p.secondHop), formatPercent(p.secondHopFraction)],
      ['  cross zone', formatInt(p.crossZone), formatPercent(p.crossZoneFraction)],
    ],
    tableLook(look),
  ) + `\n  cross-zone traffic ${formatBytes(p.crossZoneBytes)}, cost ${formatCost(p.crossZoneCost)} (over the measured ${formatSeconds(file.measuredSeconds)}, in the currency of crossZoneCostPerGB)`;
}

function pods(file: ResultFile, max: number, outDir: string | undefined, look: Look): string {
  const { shown, more } = limited(file.pods, max);
  const cols = [{ header: 'POD' }, { header: 'NODE' }, { header: 'ZONE' }, right('REQUESTS'), right('SHARE'), right('UTIL'), right('QUEUE'), right('REFUSED'), right('CONNS')];
  const rows = shown.map((p) => [
    p.pod,
    p.node ?? '<pending>',
    p.zone ?? MISSING,
    formatInt(p.requests),
    formatPercent(p.share),
    formatPercent(p.utilisation),
    formatDecimal(p.meanQueueLength),
    formatInt(p.refused),
    formatInt(p.connections),
  ]);
  return renderTable(cols, rows, tableLook(look, (i) => shown[i]!.refused > 0, '  ')) + moreLine(more, 'pods', 'pods.csv', outDir);
}

function nodes(file: ResultFile, max: number, outDir: string | undefined, look: Look): string {
  const { shown, more } = limited(file.nodes, max);
  const cols = [{ header: 'NODE' }, { header: 'ZONE' }, right('ENTRY'), right('FORWARDED'), right('DROPPED'), right('NEW-CONNS'), right('CONNTRACK-PEAK')];
  const rows = shown.map((n) => [
    n.node,
    n.zone,
    formatInt(n.entryRequests),
    formatInt(n.forwarded),
    formatInt(n.dropped),
    formatInt(n.newConnections),
    formatInt(n.conntrackPeak),
  ]);
  return renderTable(cols, rows, tableLook(look, (i) => shown[i]!.dropped > 0, '  ')) + moreLine(more, 'nodes', 'nodes.csv', outDir);
}

function zones(file: ResultFile, look: Look): string {
  const served = file.zones.reduce((n, z) => n + z.requestsServed, 0);
  const cols = [{ header: 'ZONE' }, right('SERVED'), right('SHARE'), right('CROSS-ZONE-SENT')];
  const rows = file.zones.map((z) => [
    z.zone,
    formatInt(z.requestsServed),
    formatPercent(served > 0 ? z.requestsServed / served : null),
    formatBytes(z.crossZoneBytesSent),
  ]);
  return renderTable(cols, rows, tableLook(look, undefined, '  '));
}

function clients(file: ResultFile, max: number, outDir: string | undefined, look: Look): string {
  const { shown, more } = limited(file.clients, max);
  const cols = [{ header: 'CLIENT' }, right('GENERATED'), right('COMPLETED'), right('DROPPED'), right('MEAN'), right('CONNS')];
  const rows = shown.map((c) => [
    c.client,
    formatInt(c.generated),
    formatInt(c.completed),
    formatInt(c.dropped),
    formatSeconds(c.meanLatency),
    formatInt(c.connectionsOpened),
  ]);
  return renderTable(cols, rows, tableLook(look, (i) => shown[i]!.dropped > 0, '  ')) + moreLine(more, 'clients', 'clients.csv', outDir);
}

function engine(file: ResultFile): string {
  const e = file.engine;
  return (
    `Engine  ${formatCompact(e.events)} events in ${formatSeconds(e.wallSeconds)} wall ` +
    `(${formatCompact(e.eventsPerWallSecond)} events/s, ${formatCompact(e.requestsPerWallSecond)} requests/s); ` +
    `peak ${formatInt(e.peakRequestsInFlight)} requests in flight, ${formatInt(e.connectionsOpened)} connections`
  );
}

/** The whole summary, sections separated by blank lines; no final newline. */
export function renderSummary(file: ResultFile, options: SummaryOptions = {}): string {
  const max = options.maxRows ?? 40;
  const look: Look = { paint: options.paint ?? PLAIN, width: options.width };
  const title = look.paint.bold;
  return [
    headline(file),
    accounting(file, look),
    eventsSection(file),
    latency(file, look),
    stages(file, look),
    paths(file, look),
    beyond(file),
    section(title('Pods (measured requests)'), pods(file, max, options.outDir, look)),
    section(title('Nodes (where requests entered the data path)'), nodes(file, max, options.outDir, look)),
    section(title('Zones'), zones(file, look)),
    section(title('Clients'), clients(file, max, options.outDir, look)),
    engine(file),
  ]
    .filter((x): x is string => x !== null)
    .join('\n\n');
}
