/**
 * Mark specs of the over-time chart's timeline: a rule per event (and a light band while its effect
 * lasts) for every panel, the rules' labels for the top panel, the drops panel (bars stacked by reason)
 * and the state lane (step lines). Every panel gets the same x scale and margins, so they line up.
 */
import * as Plot from '@observablehq/plot';
import { linearTicks } from '../data/log-scale.js';
import { formatNumber, formatTime } from '../format.js';
import { FIGURE_WIDTH } from '../render/theme.js';
import type { LegendItem, Panel } from './chart.js';
import { EVENT_LABEL_FONT_SIZE, LABEL_OFFSET, layoutEventLabels, type LabelLayout } from './event-labels.js';
import { reasonColour, type ConfigurationTimeline, type DropRow, type LaneKind, type LaneRow, type OverviewRow, type TimelineData, type TimelineEvent } from './timeline-data.js';

export const EVENT_COLOUR = '#333333';
export const TIMELINE_MARGIN_LEFT = 64;
export const TIMELINE_MARGIN_RIGHT = 24;
/** Height of a row of event labels, and the space between the lowest row and the panel. */
const LABEL_ROW = 14;
const LABEL_BASE = 6;
const LANE_PALETTE = ['#1b9e77', '#7570b3', '#d95f02', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#1f78b4', '#b15928', '#666666'];
const LANE_DASH: Readonly<Record<LaneKind, string | undefined>> = {
  'ready endpoints': undefined,
  'healthy targets': '6,3',
  replicas: '1.5,2.5',
  'node endpoints': undefined,
};

/** The x axis every timeline panel shares (only the bottom one is labelled). */
export function timelineX(domain: readonly [number, number], labelled: boolean): Plot.ScaleOptions {
  return {
    domain: [...domain],
    label: labelled ? 'simulated time (s) →' : null,
    grid: true,
    tickFormat: (v: number) => formatNumber(v, 3),
  };
}

/** The x scale in pixels (Plot maps the domain onto the width between the margins, with no inset). */
export function timelinePixels(domain: readonly [number, number]): { domain: readonly [number, number]; range: readonly [number, number] } {
  return { domain, range: [TIMELINE_MARGIN_LEFT, FIGURE_WIDTH - TIMELINE_MARGIN_RIGHT] };
}

/** The labels of the events over the top panel, laid out so none overlaps another. */
export function eventLabelLayout(events: readonly TimelineEvent[], domain: readonly [number, number]): LabelLayout {
  return layoutEventLabels(events, timelinePixels(domain), { bounds: [TIMELINE_MARGIN_LEFT, FIGURE_WIDTH - 4] });
}

/** Top margin of the panel that carries the labels. */
export function labelMargin(layout: LabelLayout): number {
  return layout.rows === 0 ? 22 : LABEL_BASE + layout.rows * LABEL_ROW + 4;
}

/**
 * While some event's effect lasts (from the event to its end, or to the end of the axis when it was not
 * over): the union of those spans, so overlapping events do not darken the panel.
 */
export function eventSpans(events: readonly TimelineEvent[], domain: readonly [number, number]): { start: number; end: number }[] {
  const spans = events
    .map((e) => ({ start: e.at, end: Math.min(e.end ?? domain[1], domain[1]) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** A rule per event across the panel, and a light band while some event's effect lasts. */
export function eventMarks(events: readonly TimelineEvent[], domain: readonly [number, number]): Plot.Markish[] {
  return [
    Plot.rect(eventSpans(events, domain), {
      x1: 'start',
      x2: 'end',
      fill: EVENT_COLOUR,
      fillOpacity: 0.06,
      ariaDescription: 'event spans',
      title: (s: { start: number; end: number }) => `while an event’s effect lasts: ${formatTime(s.start)} to ${formatTime(s.end)}`,
    }),
    Plot.ruleX(events, {
      x: 'at',
      stroke: EVENT_COLOUR,
      strokeWidth: 1,
      ariaDescription: 'event rules',
      title: (e: TimelineEvent) => `${e.number} ${e.kind} ${e.target} at ${formatTime(e.at)}`,
    }),
  ];
}

/** The labels as text marks above the frame, one mark per row and side. */
export function eventLabelMarks(layout: LabelLayout): Plot.Markish[] {
  const marks: Plot.Markish[] = [];
  for (let row = 0; row < layout.rows; row++) {
    for (const anchor of ['start', 'end'] as const) {
      const labels = layout.labels.filter((l) => l.row === row && l.anchor === anchor);
      if (labels.length === 0) continue;
      marks.push(
        Plot.text(labels, {
          x: 'at',
          text: 'text',
          frameAnchor: 'top',
          lineAnchor: 'bottom',
          textAnchor: anchor,
          dx: anchor === 'start' ? LABEL_OFFSET : -LABEL_OFFSET,
          dy: -(LABEL_BASE + row * LABEL_ROW),
          fontSize: EVENT_LABEL_FONT_SIZE,
          fill: EVENT_COLOUR,
          ariaDescription: 'event labels',
          title: (l: { text: string }) => l.text,
        }),
      );
    }
  }
  return marks;
}

/** Size, margins and x axis shared by the panels below the first. */
function lowerPanelFrame(data: TimelineData, last: boolean) {
  return {
    height: last ? 160 : 136,
    marginLeft: TIMELINE_MARGIN_LEFT,
    marginRight: TIMELINE_MARGIN_RIGHT,
    marginTop: 22,
    marginBottom: last ? 36 : 22,
    x: timelineX(data.domain, last),
  };
}

/** Drops of one configuration, bars per window (or bin of windows) stacked by reason. */
export function dropsPanel(c: ConfigurationTimeline, data: TimelineData, title: string, last: boolean): Panel {
  return {
    title,
    plot: {
      ...lowerPanelFrame(data, last),
      y: { label: '↑ dropped (req/s)', grid: true, ...coveringTicks(c.drops.map((d) => d.y2), 4), tickFormat: (v: number) => formatNumber(v, 3) },
      color: { domain: [...data.reasons], range: data.reasons.map((r, i) => reasonColour(r, i)) },
      marks: [
        ...eventMarks(c.events, data.domain),
        Plot.rect(c.drops, {
          x1: 'start',
          x2: 'end',
          y1: 'y1',
          y2: 'y2',
          fill: 'reason',
          shapeRendering: 'crispEdges',
          ariaDescription: 'drops by reason',
          title: (d: DropRow) => `${d.configuration}: ${formatNumber(d.count)} dropped (${d.reason}) from ${formatTime(d.start)} to ${formatTime(d.end)}, ${formatNumber(d.perSecond)}/s`,
        }),
        Plot.ruleY([0], { ariaDescription: 'baseline' }),
      ],
    },
  };
}

/** Sequential reds of the overview's classes of drops per second, lightest first. */
export const OVERVIEW_COLOURS = ['#fcbba1', '#fc9272', '#fb6a4a', '#de2d26', '#a50f15'];
/** Height of one configuration's row in the overview. */
const OVERVIEW_ROW = 18;

/** Class bounds of the overview's colours: nice steps from 0 to at or above the highest rate. */
export function overviewThresholds(rows: readonly OverviewRow[]): number[] {
  const ticks = linearTicks(Math.max(0, ...rows.map((r) => r.perSecond)), OVERVIEW_COLOURS.length);
  return ticks.slice(1, -1);
}

/**
 * Every configuration's drops in one panel: a row per configuration (named inside the row, in input
 * order), a cell per bin that dropped anything, darker for more drops per second; no cell, no drops.
 */
export function overviewPanel(rows: readonly OverviewRow[], configurations: readonly string[], data: TimelineData, title: string, last: boolean): Panel {
  const thresholds = overviewThresholds(rows);
  const frame = lowerPanelFrame(data, last);
  return {
    title,
    plot: {
      ...frame,
      height: configurations.length * OVERVIEW_ROW + frame.marginTop + frame.marginBottom,
      y: { domain: [...configurations], axis: null, padding: 0.12 },
      color: { type: 'threshold', domain: thresholds, range: OVERVIEW_COLOURS.slice(0, thresholds.length + 1) },
      marks: [
        ...eventMarks(data.events, data.domain),
        Plot.barX(rows, {
          x1: 'start',
          x2: 'end',
          y: 'configuration',
          fill: 'perSecond',
          shapeRendering: 'crispEdges',
          ariaDescription: 'drops per configuration',
          title: (d: OverviewRow) => `${d.configuration}: ${formatNumber(d.count)} dropped from ${formatTime(d.start)} to ${formatTime(d.end)}, ${formatNumber(d.perSecond)}/s`,
        }),
        Plot.text(configurations, {
          y: (c: string) => c,
          text: (c: string) => c,
          frameAnchor: 'left',
          textAnchor: 'start',
          dx: 4,
          fontSize: 10,
          fill: '#222222',
          stroke: 'white',
          strokeWidth: 3,
          paintOrder: 'stroke',
          ariaDescription: 'configuration names',
          title: (c: string) => c,
        }),
      ],
    },
  };
}

/** Legend entries of the overview's colour classes: `< 50/s`, `50–100/s`, ..., `≥ 200/s`. */
export function overviewLegend(rows: readonly OverviewRow[]): LegendItem[] {
  const t = overviewThresholds(rows);
  if (t.length === 0) return [{ label: 'dropped per second (every bin alike)', colour: OVERVIEW_COLOURS[0]!, mark: 'square' }];
  const f = (v: number): string => formatNumber(v, 3);
  return [
    { label: `dropped < ${f(t[0]!)}/s`, colour: OVERVIEW_COLOURS[0]!, mark: 'square' },
    ...t.slice(1).map((v, i) => ({ label: `${f(t[i]!)}–${f(v)}/s`, colour: OVERVIEW_COLOURS[i + 1]!, mark: 'square' as const })),
    { label: `≥ ${f(t[t.length - 1]!)}/s`, colour: OVERVIEW_COLOURS[t.length]!, mark: 'square' },
  ];
}

/** A y axis from 0 to a nice tick at or above every value (the last tick never stops below the data). */
function coveringTicks(values: readonly number[], count: number): { domain: [number, number]; ticks: number[] } {
  const ticks = linearTicks(Math.max(0, ...values), count);
  return { domain: [0, ticks[ticks.length - 1]!], ticks };
}

/** Ready endpoints, healthy targets and replicas of one configuration: step lines at window ends. */
export function lanesPanel(c: ConfigurationTimeline, data: TimelineData, title: string, last: boolean): Panel {
  const drawn = new Set(c.lanesDrawn);
  const rows = c.lanes.filter((l) => drawn.has(l.series));
  const max = Math.max(1, ...rows.map((r) => r.value));
  const step = Math.max(1, Math.ceil(max / 4));
  const ticks = Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => i * step);
  const kinds = [...new Set(rows.map((r) => r.kind))];
  return {
    title,
    plot: {
      ...lowerPanelFrame(data, last),
      y: { label: '↑ count', grid: true, domain: [0, Math.max(max * 1.1, 1)], ticks, tickFormat: (v: number) => formatNumber(v, 3) },
      color: { domain: [...data.series], range: data.series.map((_, i) => LANE_PALETTE[i % LANE_PALETTE.length]!) },
      marks: [
        ...eventMarks(c.events, data.domain),
        ...kinds.map((kind) =>
          Plot.line(
            rows.filter((r) => r.kind === kind),
            {
              x: 'time',
              y: 'value',
              z: 'series',
              stroke: 'series',
              strokeWidth: 1.8,
              curve: 'step-after',
              ...(LANE_DASH[kind] ? { strokeDasharray: LANE_DASH[kind] } : {}),
              ariaDescription: kind,
              title: (r: LaneRow) => r.series,
            },
          ),
        ),
      ],
    },
  };
}

/** Legend entries of the timeline: events, drop reasons (squares), lines of state (dashed by kind). */
export function timelineLegend(data: TimelineData): LegendItem[] {
  const items: LegendItem[] = [];
  if (data.events.length > 0) items.push({ label: 'event (numbered as in the Events table)', colour: EVENT_COLOUR, mark: 'rule' });
  data.reasons.forEach((reason, i) => items.push({ label: `dropped: ${reason}`, colour: reasonColour(reason, i), mark: 'square' }));
  data.series.forEach((series, i) => {
    const kind = series.slice(0, series.indexOf(':')) as LaneKind;
    const mark = kind === 'healthy targets' ? 'dash' : kind === 'replicas' ? 'dotted' : 'line';
    items.push({ label: series, colour: LANE_PALETTE[i % LANE_PALETTE.length]!, mark });
  });
  return items;
}
