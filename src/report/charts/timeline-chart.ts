/**
 * The over-time chart for results with a timeline: a stack of panels on one time axis. Throughput (offered
 * dotted, completed solid) and p99, one line per configuration as before; then, per configuration (its
 * busiest point), the drops of each window stacked by reason and a lane of ready endpoints, healthy load
 * balancer targets and replicas. Every event is a rule on every panel, labelled once above the top panel.
 */
import * as Plot from '@observablehq/plot';
import { linearTicks } from '../data/log-scale.js';
import { formatDuration, formatNumber } from '../format.js';
import type { Chart, LegendItem, Panel } from './chart.js';
import type { OverTimeData } from './over-time.js';
import { colourScale, layoutLegend, type Layout } from '../data/layout.js';
import { styledLines } from './series.js';
import { warmupMarks, WARMUP_COLOUR } from './warmup.js';
import type { TimelineData } from './timeline-data.js';
import {
  dropsPanel,
  eventLabelLayout,
  eventLabelMarks,
  eventMarks,
  labelMargin,
  lanesPanel,
  overviewLegend,
  overviewPanel,
  TIMELINE_MARGIN_LEFT,
  TIMELINE_MARGIN_RIGHT,
  timelineLegend,
  timelineX,
} from './timeline-panels.js';

export const TIMELINE_TITLE = 'Over time: throughput, drops and endpoints per window';

type PanelMaker = (last: boolean) => Panel;

export function timelineChart(data: OverTimeData, timeline: TimelineData, styles: Layout, id: string): Chart {
  const configurations = [...new Set(data.rows.map((r) => r.configuration))];
  const color = colourScale(styles);
  const colourOf = (r: { configuration: string }): string => styles.style(r.configuration).colourLabel;
  const domain = timeline.domain;
  const layout = eventLabelLayout(timeline.events, domain);
  const warmup = warmupMarks(data.warmupEnds, false, undefined, domain[0]);
  const shared = (): Plot.Markish[] => eventMarks(timeline.events, domain);
  // From 0 to a nice tick at or above the highest value, so the last tick never stops below the data.
  const y = (label: string, values: readonly (number | null | undefined)[]) => {
    const ticks = linearTicks(Math.max(0, ...values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v))), 5);
    return { label, grid: true, domain: [0, ticks[ticks.length - 1]!], ticks, tickFormat: (v: number) => formatNumber(v, 3) };
  };
  const offeredRows = data.rows.filter((r) => r.offered !== undefined && r.offered !== null);
  const several = timeline.configurations.length > 1;

  const makers: PanelMaker[] = [
    (last) => ({
      title: offeredRows.length > 0 ? 'Throughput: offered (dotted) and completed' : 'Throughput',
      plot: {
        height: 190 + labelMargin(layout),
        marginLeft: TIMELINE_MARGIN_LEFT,
        marginRight: TIMELINE_MARGIN_RIGHT,
        marginTop: labelMargin(layout),
        marginBottom: last ? 36 : 22,
        x: timelineX(domain, last),
        y: y('↑ req/s', data.rows.flatMap((r) => [r.throughput, r.offered])),
        color,
        marks: [
          ...shared(),
          ...warmup,
          Plot.line(offeredRows, { x: 'time', y: 'offered', z: 'configuration', stroke: colourOf, strokeWidth: 1.5, strokeDasharray: '1.5,2.5', ariaDescription: 'offered', title: (r: { configuration: string }) => `${r.configuration}: offered` }),
          ...styledLines(data.rows, styles, { x: 'time', y: 'throughput', stroke: colourOf, strokeWidth: 1.5, title: (r: { configuration: string }) => `${r.configuration}: completed` }),
          ...eventLabelMarks(layout),
        ],
      },
    }),
    (last) => ({
      title: 'p99 latency',
      plot: {
        height: last ? 170 : 150,
        marginLeft: TIMELINE_MARGIN_LEFT,
        marginRight: TIMELINE_MARGIN_RIGHT,
        marginTop: 22,
        marginBottom: last ? 36 : 22,
        x: timelineX(domain, last),
        y: y('↑ p99 (ms)', data.rows.map((r) => r.p99)),
        color,
        marks: [...shared(), ...warmup, ...styledLines(data.rows, styles, { x: 'time', y: 'p99', stroke: colourOf, strokeWidth: 1.5, title: (r: { configuration: string }) => `${r.configuration}: p99` })],
      },
    }),
  ];
  if (timeline.overview) {
    const every = [...timeline.configurations, ...timeline.omitted].map((c) => c.configuration);
    const ordered = [...styles.configurations.filter((c) => every.includes(c)), ...every.filter((c) => !styles.configurations.includes(c))];
    const overview = timeline.overview;
    makers.push((last) => overviewPanel(overview, ordered, timeline, 'Dropped requests per second, every configuration', last));
  }
  for (const c of timeline.configurations) {
    const suffix = several ? ` · ${c.configuration}` : '';
    if (c.drops.length > 0) makers.push((last) => dropsPanel(c, timeline, `Dropped requests by reason${suffix}`, last));
    if (c.lanesDrawn.length > 0) makers.push((last) => lanesPanel(c, timeline, `Ready endpoints, healthy targets, replicas${suffix}`, last));
  }
  const panels = makers.map((make, i) => make(i === makers.length - 1));

  const legend: LegendItem[] = [
    ...layoutLegend(styles, new Set(configurations)),
    ...(data.warmupEnds.some((w) => w.time > domain[0]) ? [{ label: 'warm-up (not measured)', colour: WARMUP_COLOUR, mark: 'band' as const }] : []),
    ...(offeredRows.length > 0 ? [{ label: 'offered load', colour: '#666666', mark: 'dotted' as const }] : []),
    ...timelineLegend(timeline),
    ...(timeline.overview ? overviewLegend(timeline.overview) : []),
  ];
  return {
    id,
    title: TIMELINE_TITLE,
    description:
      'Panels on one time axis. Top: requests offered (dotted) and completed per second; then the p99 latency of ' +
      'each window; then, per configuration, the requests dropped in each window stacked by reason, and the ready ' +
      'endpoints of each Service, the healthy targets of each load balancer and the replicas of each Deployment ' +
      '(their values at the end of each window). Each vertical line is an event, numbered as in the Events table, ' +
      'and the shading lasts until its effect is over (a rollout complete, replacements Ready, every kube-proxy ' +
      'and load balancer caught up). A grey band is the warm-up, before statistics are taken.',
    notes: notesOf(timeline, layout.shortened),
    legend,
    panels,
    data: {
      header: ['configuration', 'time_s', 'throughput_per_s', 'p99_ms', ...(offeredRows.length > 0 ? ['offered_per_s'] : [])],
      rows: data.rows.map((r) => [r.configuration, r.time, r.throughput, r.p99, ...(offeredRows.length > 0 ? [r.offered ?? null] : [])]),
    },
    moreData: [
      {
        id: `${id}-drops`,
        table: {
          header: ['configuration', 'reason', 'start_s', 'end_s', 'dropped', 'dropped_per_s'],
          rows: [...timeline.configurations, ...timeline.omitted].flatMap((c) => c.drops.map((d) => [d.configuration, d.reason, d.start, d.end, d.count, d.perSecond])),
        },
      },
      {
        id: `${id}-state`,
        table: {
          header: ['configuration', 'kind', 'name', 'time_s', 'value'],
          rows: [...timeline.configurations, ...timeline.omitted].flatMap((c) => c.lanes.map((l) => [l.configuration, l.kind, l.name, l.time, l.value])),
        },
      },
    ],
  };
}

function notesOf(timeline: TimelineData, shortened: boolean): string[] {
  const notes: string[] = [];
  if (timeline.situation) notes.push(timeline.situation);
  const drawn = timeline.configurations;
  const replicated = drawn.filter((c) => c.replications > 1);
  if (replicated.length > 0) {
    const seeds = [...new Set(drawn.map((c) => String(c.seed)))];
    notes.push(
      `Throughput, p99 and drops: the mean over ${formatNumber(Math.max(...replicated.map((c) => c.replications)), 3)} replications, window by window; ` +
        `events, endpoints, targets and replicas: the first replication${seeds.length === 1 ? ` (seed ${seeds[0]})` : ''}.`,
    );
  }
  if (shortened) notes.push('Event labels are shortened where they would overlap; the numbers are those of the Events table.');
  for (const c of drawn) {
    const who = drawn.length > 1 ? ` in ${c.configuration}` : '';
    if (c.windowsPerBar > 1) notes.push(`Drops${who} are summed over bins of ${c.windowsPerBar} windows (${formatDuration(c.windowsPerBar * c.window)}) to keep the chart light.`);
    if (c.drops.length === 0) notes.push(`No request was dropped${who}.`);
    if (c.lanesOmitted.length > 0) notes.push(`Not drawn${who} (see the state CSV): ${c.lanesOmitted.join('; ')}.`);
  }
  if (drawn.some((c) => c.lanes.some((l) => l.kind === 'node endpoints'))) notes.push('Ready endpoints per node are in the state CSV (not drawn).');
  if (timeline.omitted.length > 0) {
    notes.push(
      `Every configuration's drops are in the overview panel (a row each; no cell, no drops). Drops by reason and endpoints are drawn for the ${drawn.length} that dropped the most ` +
        `(${drawn.map((c) => c.configuration).join('; ')}); the others' are in the CSVs: ${timeline.omitted.map((c) => c.configuration).join('; ')}.`,
    );
  }
  return notes;
}
