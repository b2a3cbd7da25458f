/**
 * Where the time goes: the mean latency of each configuration cut into stages (network, load balancer and
 * kube-proxy, pod queue, pod service, DNS, Ingress, ...), one horizontal stacked bar per configuration,
 * from `latencyByStage`.
 *
 * A segment is the stage's time per completed request, all requests counted (a stage only some requests
 * go through, such as a DNS lookup on a new connection, is spread over all of them): the stage's time
 * summed over requests / completed requests, replications pooled. The segments of a bar add up to the
 * configuration's mean latency. Stages with no time in any configuration are left out.
 */
import * as Plot from '@observablehq/plot';
import type { LatencyByStage, StageSummary } from '../../model/result.js';
import type { Layout } from '../data/layout.js';
import { linearTicks } from '../data/log-scale.js';
import { axisCap } from '../data/outliers.js';
import { formatDuration, formatPercent, formatStagePercentile, ms, round, tickNumber } from '../format.js';
import { busiestPointPerConfiguration, meanOf, resultsOf, situationNote } from '../data/runs.js';
import type { ReportInput } from '../inputs.js';
import { fitText, textWidth } from '../render/text-width.js';
import { FIGURE_WIDTH, FONT_SIZE } from '../render/theme.js';
import type { ChartOutcome, LegendItem } from './chart.js';

export const STAGE_BREAKDOWN_ID = 'stage-breakdown';
const TITLE = 'Where the time goes: mean latency by stage';
/** A segment is labelled with its share when it is at least this wide (share of the widest bar). */
const LABEL_MIN_FRACTION = 0.07;
/** Stages shorter than this share of the widest bar everywhere are named in a note (invisible in the bar). */
const TINY_FRACTION = 0.005;

/** Stages in the order a request meets them, with the names the chart shows and their colours. */
export const STAGES: readonly { readonly key: keyof LatencyByStage; readonly label: string; readonly colour: string }[] = [
  { key: 'dns', label: 'DNS lookup', colour: '#9d7bb0' },
  { key: 'retries', label: 'earlier attempts (retries)', colour: '#c4707f' },
  { key: 'network', label: 'network (links)', colour: '#5b84b1' },
  { key: 'proxy', label: 'LB, kube-proxy, forwarding', colour: '#97bbf5' },
  { key: 'ingressQueue', label: 'ingress queue', colour: '#e0b25a' },
  { key: 'ingressProcessing', label: 'ingress processing', colour: '#b5a55a' },
  { key: 'podQueue', label: 'pod queue', colour: '#d08c60' },
  { key: 'podService', label: 'pod service', colour: '#6fa36b' },
  { key: 'external', label: 'external host', colour: '#8c8c8c' },
];

export interface StageRow {
  readonly configuration: string;
  readonly stage: keyof LatencyByStage;
  /** Readable stage name. */
  readonly label: string;
  /** The stage's time per completed request (all requests), ms: the segment's length. */
  readonly ms: number;
  /** The stage's share of all latency (ms / mean latency); null without completed requests. */
  readonly share: number | null;
  /** Completed requests whose path includes the stage (replications summed). */
  readonly requests: number;
  /** Over those requests: the stage's mean, and its p99 (mean over replications), ms. */
  readonly stageMean: number | null;
  readonly stageP99: number | null;
}

export interface StageBreakdownData {
  /** One row per configuration and drawn stage, in stage order. */
  readonly rows: readonly StageRow[];
  /** Pooled mean latency per configuration, ms (what each bar adds up to), and the share of requests dropped. */
  readonly totals: readonly { readonly configuration: string; readonly mean: number; readonly dropped: number }[];
  /** Stages drawn: those with time in some configuration. */
  readonly stages: readonly (keyof LatencyByStage)[];
  /** Every configuration with a breakdown (all are drawn). */
  readonly configurations: readonly string[];
  /** Configurations whose results carry no `latencyByStage` (written before the field existed). */
  readonly missing: readonly string[];
  readonly situation: string;
}

/** Data transform: per configuration (busiest point, replications pooled), the time of each stage. */
export function stageBreakdownData(input: ReportInput): StageBreakdownData {
  const points = busiestPointPerConfiguration(input);
  // Stryker disable next-line ArrayDeclaration: a stray non-row has no stage, so the final filter drops it
  const all: StageRow[] = [];
  const totals: { configuration: string; mean: number; dropped: number }[] = [];
  const missing: string[] = [];
  for (const point of points) {
    const runs = resultsOf(point).filter((r) => r.latencyByStage !== undefined && r.latency.count > 0);
    if (runs.length === 0) {
      missing.push(point.configuration);
      continue;
    }
    const completed = runs.reduce((s, r) => s + r.latency.count, 0);
    const latencySum = runs.reduce((s, r) => s + (r.latency.mean ?? 0) * r.latency.count, 0);
    const lost = runs.reduce((n, r) => n + r.accounting.measured.droppedTotal + r.accounting.measured.inFlight, 0);
    totals.push({ configuration: point.configuration, mean: ms(latencySum / completed), dropped: lost / (completed + lost) });
    for (const stage of STAGES) {
      const summaries: StageSummary[] = runs.map((r) => r.latencyByStage![stage.key]);
      const time = summaries.reduce((s, x) => s + (x.requests > 0 && x.mean !== null ? x.mean * x.requests : 0), 0);
      const requests = summaries.reduce((s, x) => s + x.requests, 0);
      all.push({
        configuration: point.configuration,
        stage: stage.key,
        label: stage.label,
        ms: ms(time / completed),
        share: latencySum > 0 ? time / latencySum : null,
        requests,
        stageMean: requests > 0 ? ms(time / requests) : null,
        stageP99: nullableMs(meanOf(summaries.map((x) => (x.requests > 0 ? x.p99 : null)))),
      });
    }
  }
  const stages = STAGES.map((s) => s.key).filter((k) => all.some((r) => r.stage === k && r.ms > 0));
  const kept = new Set(stages);
  const configurations = totals.map((t) => t.configuration);
  return {
    rows: all.filter((r) => kept.has(r.stage)),
    totals,
    stages,
    configurations,
    missing,
    situation: situationNote(input, points),
  };
}

function nullableMs(seconds: number | null): number | null {
  return seconds === null ? null : ms(seconds);
}

/** One drawn segment: a stage of a configuration, from x1 to x2 (ms), clipped at the axis' end. */
interface Segment extends StageRow {
  readonly x1: number;
  readonly x2: number;
}

/** Mark spec: one horizontal bar per configuration, stacked by stage in path order; outliers clipped. */
export function stageBreakdownChart(data: StageBreakdownData, layout?: Layout): ChartOutcome {
  const rows = data.rows.filter((r) => r.ms > 0);
  if (rows.length === 0) {
    return {
      id: STAGE_BREAKDOWN_ID,
      title: TITLE,
      reason:
        data.missing.length > 0 && data.totals.length === 0
          ? 'the results carry no latencyByStage (written before the field existed): re-run to draw it'
          : 'no completed requests: no time to break down',
    };
  }
  const ordered = layout ? layout.configurations.filter((c) => data.configurations.includes(c)) : [];
  const configurations = [...ordered, ...data.configurations.filter((c) => !ordered.includes(c))];
  const stageInfo = STAGES.filter((s) => data.stages.includes(s.key));
  const labels = stageInfo.map((s) => s.label);
  const colour = { domain: labels, range: stageInfo.map((s) => s.colour) };
  const totals = configurations.map((c) => data.totals.find((t) => t.configuration === c)!);
  // Saturated configurations (a mean many times the others') are clipped, so the others stay readable.
  const { cap } = axisCap(totals.map((t) => t.mean));
  const widest = cap ?? Math.max(...totals.map((t) => t.mean));
  const ticks = linearTicks(widest, 6);
  const end = cap ?? ticks[ticks.length - 1]!;
  const clipped = new Set(totals.filter((t) => cap !== null && t.mean > cap).map((t) => t.configuration));
  const segments: Segment[] = [];
  for (const c of configurations) {
    let x = 0;
    for (const stage of STAGES) {
      const r = rows.find((row) => row.configuration === c && row.stage === stage.key);
      if (!r) continue;
      const x1 = Math.min(x, end);
      const x2 = Math.min(x + r.ms, end);
      x += r.ms;
      if (x2 > x1) segments.push({ ...r, x1, x2 });
    }
  }
  const labelWidth = 260;
  const marginLeft = Math.ceil(Math.min(labelWidth, Math.max(40, ...configurations.map((c) => textWidth(c, FONT_SIZE)))) + 14);
  const totalText = (t: (typeof totals)[number]): string =>
    `${formatDuration(t.mean / 1000)} mean${t.dropped > 0 ? ` · ${formatPercent(t.dropped)} dropped` : ''}${clipped.has(t.configuration) ? ' (bar clipped)' : ''}`;
  const marginRight = Math.ceil(Math.max(...totals.map((t) => textWidth(totalText(t), FONT_SIZE))) + 16);
  const bar = configurations.length > 8 ? 22 : 34;
  const legend: LegendItem[] = stageInfo.map((s) => ({ label: s.label, colour: s.colour, mark: 'square' }));
  const notes: string[] = [];
  if (data.situation) notes.push(data.situation);
  if (clipped.size > 0) {
    notes.push(
      `Clipped at ${formatDuration(end / 1000)} so the other bars stay readable (≫ marks the cut): ${[...clipped]
        .map((c) => `${c} (${formatDuration(totals.find((t) => t.configuration === c)!.mean / 1000)} mean)`)
        .join('; ')}.`,
    );
  }
  if (data.missing.length > 0) notes.push(`No stage breakdown in the results of: ${data.missing.join('; ')} (written before the field existed).`);
  const tiny = stageInfo.filter((s) => rows.filter((r) => r.stage === s.key).every((r) => r.ms < widest * TINY_FRACTION)).map((s) => s.label);
  if (tiny.length > 0) notes.push(`Too short to see (under 0.5 % of the longest bar): ${tiny.join(', ')}; see the table.`);
  const skipped = STAGES.filter((s) => !data.stages.includes(s.key)).map((s) => s.label);
  if (skipped.length > 0) notes.push(`No time in: ${skipped.join(', ')}.`);
  if (totals.some((t) => t.dropped > 0)) notes.push('Means are over completed requests; the share dropped is written beside each bar (see the latency distribution).');
  const segmentTitle = (r: Segment): string =>
    `${r.configuration}: ${r.label} ${formatDuration(r.ms / 1000)} per request (${formatPercent(r.share)} of the mean latency)`;
  return {
    id: STAGE_BREAKDOWN_ID,
    title: TITLE,
    description:
      'Each bar is a configuration’s mean latency, cut into the stages a request goes through, in path order: ' +
      'DNS lookup, earlier attempts, the network links (both ways), what the load balancer and kube-proxy add ' +
      '(LB processing, the per-connection cost, second-hop forwarding), the ingress controller, waiting at the ' +
      'pod, the pod’s service and an external host. A segment is the stage’s time per request, averaged over ' +
      'all completed requests, so the segments add up to the mean; a stage only some requests go through ' +
      '(a lookup on a new connection) is spread over all. Labels give the stage’s share of all latency. ' +
      'A long pod-queue segment means the pods are near capacity; a long network segment, zone crossings ' +
      'or second hops.',
    notes,
    ...(data.situation ? { caption: data.situation } : {}),
    legend,
    panels: [
      {
        plot: {
          height: configurations.length * bar + 60,
          marginLeft,
          marginRight,
          marginTop: 12,
          marginBottom: 40,
          x: { domain: [0, end], ticks: ticks.filter((t) => t <= end * (1 + 1e-9)), tickFormat: tickNumber, label: 'mean latency (ms) →', grid: true },
          y: { domain: [...configurations], label: null, padding: 0.25, axis: null },
          color: colour,
          marks: [
            Plot.axisY({ tickFormat: (c: string) => fitText(c, FONT_SIZE, labelWidth), title: (c: string) => c }),
            Plot.barX(segments, { x1: 'x1', x2: 'x2', y: 'configuration', fill: 'label', stroke: 'white', strokeWidth: 1, title: segmentTitle }),
            Plot.text(
              segments.filter((r) => r.x2 - r.x1 >= widest * LABEL_MIN_FRACTION && textWidth(formatPercent(r.share, 2), 11) + 6 <= ((r.x2 - r.x1) / end) * (FIGURE_WIDTH - marginLeft - marginRight)),
              { x: (r: Segment) => (r.x1 + r.x2) / 2, y: 'configuration', text: (r: Segment) => formatPercent(r.share, 2), fill: 'white', fontSize: 11, title: segmentTitle },
            ),
            Plot.text(
              totals.filter((t) => clipped.has(t.configuration)),
              { x: () => end, y: 'configuration', text: () => '≫', dx: -8, fill: 'white', stroke: '#333333', strokeWidth: 2.5, paintOrder: 'stroke', fontWeight: 'bold', fontSize: 14, title: (t: (typeof totals)[number]) => `${t.configuration}: clipped, the bar goes on to ${formatDuration(t.mean / 1000)}` },
            ),
            Plot.text(totals, {
              y: 'configuration',
              x: (t: (typeof totals)[number]) => Math.min(t.mean, end),
              text: totalText,
              textAnchor: 'start',
              dx: 6,
              title: (t: (typeof totals)[number]) => `${t.configuration}: mean latency ${formatDuration(t.mean / 1000)}, ${formatPercent(t.dropped)} of requests dropped`,
            }),
            Plot.ruleX([0], { ariaDescription: 'baseline' }),
          ],
        },
      },
    ],
    data: {
      header: ['configuration', 'stage', 'per_request_ms', 'share', 'requests', 'stage_mean_ms', 'stage_p99_ms', 'dropped_fraction'],
      rows: data.rows.map((r) => [
        r.configuration,
        r.stage,
        round(r.ms),
        r.share === null ? null : round(r.share),
        r.requests,
        nullableRound(r.stageMean),
        nullableRound(r.stageP99),
        round(data.totals.find((t) => t.configuration === r.configuration)?.dropped ?? 0),
      ]),
    },
    table: {
      header: ['configuration', 'dropped', 'stage', 'per request', 'share', 'when taken: mean', 'p99'],
      rows: configurations.flatMap((c) =>
        data.rows
          .filter((r) => r.configuration === c)
          .map((r, i) => [
            i === 0 ? c : '',
            i === 0 ? formatPercent(data.totals.find((t) => t.configuration === c)?.dropped) : '',
            r.label,
            fmtMs(r.ms),
            formatPercent(r.share),
            fmtMs(r.stageMean),
            r.stageP99 === null ? '–' : formatStagePercentile(r.stageP99 / 1000, r.stageMean === null ? null : r.stageMean / 1000),
          ]),
      ),
    },
  };
}

function nullableRound(x: number | null): number | null {
  return x === null ? null : round(x);
}

function fmtMs(millis: number | null): string {
  return millis === null ? '–' : formatDuration(millis / 1000);
}
