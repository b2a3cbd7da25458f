/**
 * The timeline in the report: events sorted and numbered, drops stacked by reason, state lanes, event
 * labels that never overlap, the over-time chart's rules and labels in the SVG, the Events table and its
 * CSV, and the terminal summary. Hand-built results (timeline-fixtures.ts): no simulation.
 */
import { parseHTML } from 'linkedom';
import { describe, expect, test } from 'vitest';
import { studentT } from '../../src/engine/stats/student-t.js';
import { isChart, type Chart } from '../../src/report/charts/chart.js';
import { labelForms, layoutEventLabels, numberList, pixelOf, shortTarget, type LabelLayout } from '../../src/report/charts/event-labels.js';
import { eventsTable, eventsTableData, withInterval } from '../../src/report/charts/events-table.js';
import { overTimeChart, overTimeData } from '../../src/report/charts/over-time.js';
import { DROP_REASONS as MODEL_DROP_REASONS } from '../../src/model/routing.js';
import { dropRows, DROP_REASONS, laneRows, timelineData, UNSPLIT, type DropRow } from '../../src/report/charts/timeline-data.js';
import { eventSpans } from '../../src/report/charts/timeline-panels.js';
import { eventCatalogue, eventRows, sortEvents } from '../../src/report/data/events.js';
import type { RunView } from '../../src/report/inputs.js';
import { buildReport, REPORT_PAGE } from '../../src/report/report.js';
import { renderFigure } from '../../src/report/render/svg.js';
import { textWidth } from '../../src/report/render/text-width.js';
import { layoutOf } from '../../src/report/data/layout.js';
import { renderSummary } from '../../src/report/text/summary.js';
import { event, input, ROLLOUT_EVENTS, rolloutSeries, run, series } from './timeline-fixtures.js';

const single = () => input('run', [{ name: 'rollout-demo', runs: [run('rollout-demo', rolloutSeries(), ROLLOUT_EVENTS)] }]);

function chartOf(i = single()): Chart {
  const outcome = overTimeChart(overTimeData(i), layoutOf(i));
  if (!isChart(outcome)) throw new Error(outcome.reason);
  return outcome;
}

/** Sums rows by window start. */
function byStart(rows: readonly DropRow[]): Map<number, { count: number; top: number; perSecond: number }> {
  const out = new Map<number, { count: number; top: number; perSecond: number }>();
  for (const r of rows) {
    const x = out.get(r.start) ?? { count: 0, top: 0, perSecond: 0 };
    out.set(r.start, { count: x.count + r.count, top: Math.max(x.top, r.y2), perSecond: x.perSecond + r.perSecond });
  }
  return out;
}

describe('events', () => {
  test('sorted by time, then kind and target; numbered 1.. in that order', () => {
    expect(sortEvents(ROLLOUT_EVENTS).map((e) => e.at)).toEqual([0.5, 10, 11, 40]);
    const tie = sortEvents([event({ kind: 'drain', target: 'b', at: 5 }), event({ kind: 'drain', target: 'a', at: 5 }), event({ kind: 'cordon', target: 'z', at: 5 })]);
    expect(tie.map((e) => `${e.kind} ${e.target}`)).toEqual(['cordon z', 'drain a', 'drain b']);
    const catalogue = eventCatalogue(single());
    expect(catalogue.events.map((e) => [e.number, e.kind])).toEqual([
      [1, 'scale'],
      [2, 'rollout'],
      [3, 'drain'],
      [4, 'fail-zone'],
    ]);
  });

  test('numbers are shared by configurations: the union of their events, once each', () => {
    const other = [event({ kind: 'rollout', target: 'Deployment shop/web', at: 10 }), event({ kind: 'policy', target: 'Service shop/web', at: 5 })];
    const two = input('run', [
      { name: 'a', runs: [run('s', rolloutSeries(), ROLLOUT_EVENTS)] },
      { name: 'b', runs: [run('s', rolloutSeries(), other)] },
    ]);
    const catalogue = eventCatalogue(two);
    expect(catalogue.events.map((e) => `${e.number} ${e.kind}@${e.at}`)).toEqual(['1 scale@0.5', '2 policy@5', '3 rollout@10', '4 drain@11', '5 fail-zone@40']);
    const data = timelineData(two)!;
    expect(data.configurations.map((c) => c.events.map((e) => e.number))).toEqual([
      [1, 3, 4, 5],
      [2, 3],
    ]);
  });

  test('derived figures: duration, not over, reasons by count, recovery never or n/a', () => {
    const rows = eventRows(ROLLOUT_EVENTS, rolloutSeries());
    const [scale, rollout, , zone] = rows;
    expect(rollout!.duration).toBe(15);
    expect(rollout!.reasons).toEqual([
      { reason: 'pod-killed', count: 20 },
      { reason: 'connection-refused', count: 6 },
    ]);
    expect(rollout!.recoveryState).toBe('recovered');
    // Not over by the end: no duration, but it lasted at least to the end of the series (60 s).
    expect(zone!.end).toBeNull();
    expect(zone!.duration).toBeNull();
    expect(zone!.lastedAtLeast).toBe(20);
    expect(zone!.recoveryState).toBe('never');
    // At 0.5 s there is no whole window before the event: nothing to compare with.
    expect(scale!.recoveryState).toBe('n/a');
  });
});

describe('drops stacked by reason', () => {
  test('every drop reason the model can give has its own fixed colour', () => {
    const coloured = DROP_REASONS.map((r) => r.reason);
    expect([...coloured].sort()).toEqual(Object.values(MODEL_DROP_REASONS).sort());
    expect(new Set(DROP_REASONS.map((r) => r.colour)).size).toBe(DROP_REASONS.length);
  });

  test('each window’s segments add up to its dropped total; the remainder is “not split by reason”', () => {
    const ts = rolloutSeries();
    const rows = dropRows('c', [ts]);
    const sums = byStart(rows);
    for (let i = 0; i < ts.start.length; i++) {
      const expected = ts.dropped![i]!;
      const got = sums.get(ts.start[i]!);
      if (expected === 0) expect(got).toBeUndefined();
      else {
        expect(got!.count).toBeCloseTo(expected, 9);
        expect(got!.top).toBeCloseTo(expected / ts.window, 9);
      }
    }
    expect(rows.filter((r) => r.reason === UNSPLIT).map((r) => [r.start, r.count])).toEqual([[50, 1]]);
    // Window 12: pod-killed 4 at the bottom, connection-refused 3 on top (stacking order is fixed).
    const w12 = rows.filter((r) => r.start === 12);
    expect(w12.map((r) => [r.reason, r.y1, r.y2])).toEqual([
      ['pod-killed', 0, 4],
      ['connection-refused', 4, 7],
    ]);
  });

  test('replications are averaged window by window; bins of windows keep every drop', () => {
    const a = series({ windows: 10, drops: { timeout: (i) => i } });
    const b = series({ windows: 10, drops: { timeout: (i) => 3 * i, 'pod-gone': () => 2 } });
    const rows = dropRows('c', [a, b]);
    const w4 = rows.filter((r) => r.start === 4);
    expect(w4.map((r) => [r.reason, r.count])).toEqual([
      ['pod-gone', 1],
      ['timeout', 8],
    ]);
    const binned = dropRows('c', [a, b], 3);
    expect(new Set(binned.map((r) => r.start)).size).toBe(3);
    expect(binned[0]!.end - binned[0]!.start).toBe(4);
    const total = (xs: readonly DropRow[]) => xs.reduce((s, r) => s + r.count, 0);
    expect(total(binned)).toBeCloseTo(total(rows), 9);
    expect(total(rows)).toBeCloseTo((45 + 135) / 2 + 10, 9);
  });

  test('without droppedByReason, every drop is “not split by reason”', () => {
    const ts = series({ windows: 5, drops: { timeout: () => 2 }, noReasons: true });
    expect(dropRows('c', [ts]).map((r) => [r.reason, r.count])).toEqual(Array(5).fill([UNSPLIT, 2]));
  });
});

describe('state lanes', () => {
  test('only the windows where a value changes are kept, and the step line is the same', () => {
    const ts = rolloutSeries();
    const rows = laneRows('c', ts);
    const ready = rows.filter((r) => r.kind === 'ready endpoints');
    expect(ready.length).toBeLessThan(10);
    const values = ts.readyEndpoints![0]!.values;
    // Step-after from each kept point: the value at every window end is the last kept point's value.
    for (let i = 0; i < values.length; i++) {
      const t = ts.start[i]! + ts.window;
      const kept = ready.filter((r) => r.time <= t + 1e-9).pop()!;
      expect(kept.value).toBe(values[i]);
    }
    expect(ready[0]!.time).toBe(1);
    expect(ready[ready.length - 1]!.time).toBe(60);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['ready endpoints', 'healthy targets', 'replicas', 'node endpoints']));
  });

  test('node endpoints go to the CSV only; the drawn lines are Services, load balancers and Deployments', () => {
    const data = timelineData(single())!;
    expect(data.series).toEqual(['ready endpoints: shop/web', 'healthy targets: lb shop/web', 'replicas: shop/web']);
  });
});

describe('event labels', () => {
  const scale = { domain: [0, 600] as const, range: [64, 696] as const };
  const overlaps = (layout: LabelLayout): boolean =>
    layout.labels.some((a, i) => layout.labels.some((b, j) => j > i && a.row === b.row && a.left < b.right && b.left < a.right));

  test('forms: number, kind and target; then kinds; then numbers', () => {
    expect(shortTarget('Deployment shop/web')).toBe('shop/web');
    expect(shortTarget('shop/web')).toBe('shop/web');
    expect(labelForms([{ number: 3, at: 1, kind: 'drain', target: 'node node-2' }])).toEqual(['3 drain node-2', '3 drain', '3']);
    expect(labelForms([
      { number: 1, at: 1, kind: 'drain', target: 'node a' },
      { number: 2, at: 1, kind: 'drain', target: 'node b' },
    ])).toEqual(['1,2 drain', '1,2 drain', '1,2']);
    expect(numberList([5, 1, 2, 3, 7, 8])).toBe('1–3,5,7,8');
  });

  test('events far apart: full labels on one row', () => {
    const layout = layoutEventLabels(
      [
        { number: 1, at: 10, kind: 'rollout', target: 'Deployment shop/web' },
        { number: 2, at: 300, kind: 'drain', target: 'node node-2' },
      ],
      scale,
    );
    expect(layout.rows).toBe(1);
    expect(layout.shortened).toBe(false);
    expect(layout.labels.map((l) => l.text)).toEqual(['1 rollout shop/web', '2 drain node-2']);
  });

  test('close events are staggered over rows, never overlapping', () => {
    const events = [
      { number: 1, at: 100, kind: 'rollout', target: 'Deployment shop/web' },
      { number: 2, at: 112, kind: 'drain', target: 'node node-2' },
      { number: 3, at: 124, kind: 'fail-node', target: 'node node-3' },
    ];
    const layout = layoutEventLabels(events, scale);
    expect(layout.rows).toBeGreaterThan(1);
    expect(overlaps(layout)).toBe(false);
    expect(layout.labels.map((l) => l.numbers)).toEqual([[1], [2], [3]]);
    for (const l of layout.labels) expect(l.right - l.left).toBeCloseTo(textWidth(l.text, 11), 6);
  });

  test('a crowd of events: labels shortened (numbers kept) or shared, within three rows, still no overlap', () => {
    const events = Array.from({ length: 40 }, (_, i) => ({ number: i + 1, at: 5 + i * 14.5, kind: i % 2 ? 'drain' : 'fail-node', target: `node node-${i}` }));
    const layout = layoutEventLabels(events, scale, { bounds: [64, 716] });
    expect(overlaps(layout)).toBe(false);
    expect(layout.shortened).toBe(true);
    expect(layout.rows).toBeLessThanOrEqual(3);
    expect(layout.labels.flatMap((l) => l.numbers).sort((a, b) => a - b)).toEqual(events.map((e) => e.number));
    for (const l of layout.labels) {
      expect(l.left).toBeGreaterThanOrEqual(64);
      expect(l.right).toBeLessThanOrEqual(716);
      expect(Math.abs((l.anchor === 'start' ? l.left - 3 : l.right + 3) - pixelOf(l.at, scale))).toBeLessThan(1e-9);
    }
  });

  test('near the right edge a label ends left of its rule', () => {
    const layout = layoutEventLabels([{ number: 1, at: 595, kind: 'policy', target: 'Service shop/web' }], scale, { bounds: [64, 716] });
    expect(layout.labels[0]!.anchor).toBe('end');
  });

  test('overlapping event spans are drawn as one band', () => {
    const spans = eventSpans(
      [
        { number: 1, kind: 'a', target: 'x', at: 10, end: 25 },
        { number: 2, kind: 'b', target: 'y', at: 11, end: 20 },
        { number: 3, kind: 'c', target: 'z', at: 40, end: null },
        { number: 4, kind: 'd', target: 'w', at: 50, end: 50 },
      ],
      [0, 60],
    );
    expect(spans).toEqual([
      { start: 10, end: 25 },
      { start: 40, end: 60 },
    ]);
  });
});

describe('over-time chart with a timeline', () => {
  test('panels: throughput, p99, drops by reason, state lane; a CSV of each', () => {
    const chart = chartOf();
    expect(chart.title).toMatch(/drops and endpoints/);
    expect(chart.panels.map((p) => p.title)).toEqual([
      'Throughput: offered (dotted) and completed',
      'p99 latency',
      'Dropped requests by reason',
      'Ready endpoints, healthy targets, replicas',
    ]);
    expect(chart.data.header).toEqual(['configuration', 'time_s', 'throughput_per_s', 'p99_ms', 'offered_per_s']);
    expect(chart.moreData!.map((m) => m.id)).toEqual(['over-time-drops', 'over-time-state']);
    expect(chart.legend.map((l) => l.label)).toEqual([
      'rollout-demo',
      'offered load',
      'event (numbered as in the Events table)',
      'dropped: pod-killed',
      'dropped: connection-refused',
      'dropped: node-down',
      `dropped: ${UNSPLIT}`,
      'ready endpoints: shop/web',
      'healthy targets: lb shop/web',
      'replicas: shop/web',
    ]);
    expect(chart.notes.join(' ')).toMatch(/per node are in the state CSV/);
  });

  test('the SVG has one rule per event on every panel, and each event’s label once, on the top panel', () => {
    const svg = renderFigure(chartOf());
    const { document } = parseHTML(`<!DOCTYPE html><html><body>${svg}</body></html>`);
    const panels = [...document.querySelectorAll('svg > svg')];
    expect(panels).toHaveLength(4);
    for (const panel of panels) {
      const rules = [...panel.querySelectorAll('g[aria-description="event rules"] line')];
      expect(rules).toHaveLength(4);
      expect(rules.map((r) => r.querySelector('title')!.textContent)).toEqual([
        '1 scale Deployment shop/web at 0.5\u00a0s',
        '2 rollout Deployment shop/web at 10\u00a0s',
        '3 drain node node-2 at 11\u00a0s',
        '4 fail-zone zone us-east-1a at 40\u00a0s',
      ]);
    }
    // A label's own text (its <title>, for hovering, is a child of the same element).
    const own = (t: { childNodes: ArrayLike<{ nodeType: number; textContent: string | null }> }): string => [...Array.from(t.childNodes)].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('');
    const labels = (panel: (typeof panels)[number]) => [...panel.querySelectorAll('g[aria-description="event labels"] text')].map(own);
    expect(labels(panels[0]!).sort()).toEqual(['1 scale shop/web', '2 rollout shop/web', '3 drain node-2', '4 fail-zone us-east-1a']);
    for (const panel of panels.slice(1)) expect(labels(panel)).toEqual([]);
    // 2 (10 s) and 3 (11 s) are close: their labels are on different rows (different vertical offsets).
    const groups = [...panels[0]!.querySelectorAll('g[aria-description="event labels"]')];
    const rowOf = (text: string) => groups.find((g) => [...g.querySelectorAll('text')].some((t) => own(t) === text))!.getAttribute('transform');
    expect(rowOf('2 rollout shop/web')).not.toBe(rowOf('3 drain node-2'));
    // Drops: one rect per stacked segment.
    expect(panels[2]!.querySelectorAll('g[aria-description="drops by reason"] rect')).toHaveLength(dropRows('c', [rolloutSeries()]).length);
  });

  test('a sweep: one line per configuration above, drops and lanes per configuration below', () => {
    const reps = (name: string) => ({ name, runs: [run('s', rolloutSeries(), ROLLOUT_EVENTS, 1), run('s', rolloutSeries(), ROLLOUT_EVENTS, 2), run('s', rolloutSeries(), ROLLOUT_EVENTS, 3)] });
    const sweep = input('sweep', [reps('policy=Cluster'), reps('policy=Local')]);
    const chart = chartOf(sweep);
    expect(chart.panels.map((p) => p.title)).toEqual([
      'Throughput: offered (dotted) and completed',
      'p99 latency',
      'Dropped requests by reason · policy=Cluster',
      'Ready endpoints, healthy targets, replicas · policy=Cluster',
      'Dropped requests by reason · policy=Local',
      'Ready endpoints, healthy targets, replicas · policy=Local',
    ]);
    expect(chart.notes.join(' ')).toContain('the mean over 3 replications, window by window; events, endpoints, targets and replicas: the first replication (seed 1)');
  });

  test('past four configurations: every one in the overview (a row each), details for the four that dropped the most', () => {
    // Six configurations; configuration k drops k requests per window from window 10 to 19 (k = 0 drops none).
    const dropping = (k: number) => series({ windows: 30, drops: { 'pod-killed': (i) => (i >= 10 && i < 20 ? k : 0) }, readyEndpoints: [{ name: 'shop/web', value: () => 3 }] });
    const names = ['replicas=2', 'replicas=3', 'replicas=4', 'replicas=5', 'replicas=6', 'replicas=7'];
    const perConfig = [5, 0, 1, 4, 2, 3];
    const sweep = input('sweep', names.map((name, i) => ({ name, runs: [run('s', dropping(perConfig[i]!), ROLLOUT_EVENTS)] })));
    const t = timelineData(sweep)!;
    // Detailed: the four with the most drops (5, 4, 3, 2), kept in input order; never the first four in plan order.
    expect(t.configurations.map((c) => c.configuration)).toEqual(['replicas=2', 'replicas=5', 'replicas=6', 'replicas=7']);
    expect(t.omitted.map((c) => c.configuration)).toEqual(['replicas=3', 'replicas=4']);
    // The overview has a cell per window that dropped anything, for every configuration that dropped.
    const cells = t.overview!;
    for (const [i, name] of names.entries()) {
      const mine = cells.filter((c) => c.configuration === name);
      expect(mine).toHaveLength(perConfig[i]! > 0 ? 10 : 0);
      for (const c of mine) expect(c.perSecond).toBe(perConfig[i]);
    }
    const chart = chartOf(sweep);
    expect(chart.panels[2]!.title).toBe('Dropped requests per second, every configuration');
    expect(chart.panels.filter((p) => p.title?.startsWith('Dropped requests by reason'))).toHaveLength(4);
    expect(chart.notes.join(' ')).toContain('drawn for the 4 that dropped the most (replicas=2; replicas=5; replicas=6; replicas=7); the others’'.replace('’', "'"));
    // In the SVG: one name per configuration in the overview, each inside its own row (no two overlap).
    const svg = renderFigure(chart);
    const { document } = parseHTML(`<html><body>${svg}</body></html>`);
    // The text itself, without the hover <title> each mark carries.
    const labels = [...document.querySelectorAll('g[aria-description="configuration names"] text')].map((n) => [...n.childNodes].filter((c) => c.nodeType === 3).map((c) => c.textContent).join(''));
    expect(labels).toEqual(names);
    expect(document.querySelectorAll('g[aria-description="drops per configuration"] rect')).toHaveLength(50);
    // A colour class per step of drops per second, named in the legend.
    expect(chart.legend.filter((l) => l.label.includes('/s')).map((l) => l.label)).toEqual(['dropped < 1/s', '1–2/s', '2–3/s', '3–4/s', '≥ 4/s']);
  });

  test('four configurations or fewer: no overview, every one detailed', () => {
    const sweep = input('sweep', ['a=1', 'a=2', 'a=3', 'a=4'].map((name) => ({ name, runs: [run('s', rolloutSeries(), ROLLOUT_EVENTS)] })));
    const t = timelineData(sweep)!;
    expect(t.overview).toBeNull();
    expect(t.configurations).toHaveLength(4);
  });

  test('results without a timeline: throughput, p99 and (with drops) dropped per second, without the timeline panels', () => {
    const plain = { ...rolloutSeries() };
    for (const k of ['offered', 'droppedByReason', 'readyEndpoints', 'nodeEndpoints', 'healthyTargets', 'replicas'] as const) delete (plain as Record<string, unknown>)[k];
    const old = input('run', [{ name: 'old', runs: [run('old', plain, undefined)] }]);
    const data = overTimeData(old);
    expect(data.timeline).toBeNull();
    expect(data.rows.every((r) => !('offered' in r))).toBe(true);
    const chart = chartOf(old);
    expect(chart.title).toBe('Over time: throughput and p99 per window');
    // Drops are part of the picture: the series has `dropped`, so a third panel shows them.
    expect(chart.panels.map((p) => p.title)).toEqual(['Throughput (completed requests per second)', 'p99 latency of each window (completed requests)', 'Dropped requests per second']);
    expect(chart.data.header).toEqual(['configuration', 'time_s', 'throughput_per_s', 'p99_ms', 'dropped_per_s']);
    expect(chart.moreData).toBeUndefined();
    const report = buildReport(old);
    expect(report.tables).toEqual([]);
    expect(report.files.map((f) => f.name)).not.toContain('events.csv');
  });
});

describe('Events table', () => {
  test('a run: one row per event, in time order, with its cost', () => {
    const section = eventsTable(eventsTableData(single()))!;
    expect(section.table.header).toEqual(['#', 'kind', 'target', 'at', 'end', 'duration', 'requests lost', 'longest gap', 'recovery', 'notes']);
    expect(section.table.rows).toEqual([
      ['1', 'scale', 'Deployment shop/web', '0.5\u00a0s', '3\u00a0s', '2.5\u00a0s', '0', '10\u00a0ms', 'n/a', '–'],
      [
        '2',
        'rollout',
        'Deployment shop/web',
        '10\u00a0s',
        '25\u00a0s',
        '15\u00a0s',
        '26 (pod-killed 77\u00a0%, connection-refused 23\u00a0%)',
        '250\u00a0ms',
        '18\u00a0s',
        'maxUnavailable 1: one pod at a time',
      ],
      ['3', 'drain', 'node node-2', '11\u00a0s', '20\u00a0s', '9\u00a0s', '6 (connection-refused 100\u00a0%)', '100\u00a0ms', '9\u00a0s', 'eviction of shop/web-3 held back by PodDisruptionBudget shop/web'],
      ['4', 'fail-zone', 'zone us-east-1a', '40\u00a0s', 'not over by the end', 'more than 20\u00a0s', '200 (node-down 100\u00a0%)', '1.5\u00a0s', 'never', '–'],
    ]);
  });

  test('events.csv: raw figures, one row per event', () => {
    const section = eventsTable(eventsTableData(single()))!;
    expect(section.data.header.slice(0, 12)).toEqual([
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
    ]);
    const rollout = section.data.rows[1]!;
    expect(rollout.slice(0, 12)).toEqual(['rollout-demo', 2, 'rollout', 'Deployment shop/web', 10, 25, 0, 15, 26, 26, 26, 'pod-killed:20;connection-refused:6']);
    const zone = section.data.rows[3]!;
    expect(zone[5]).toBeNull();
    expect(zone[6]).toBe(1);
    const report = buildReport(single());
    const csv = report.files.find((f) => f.name === 'events.csv')!.content as string;
    expect(csv.trimEnd().split('\n')).toHaveLength(5);
    expect(csv.split('\n')[2]).toMatch(/^rollout-demo,2,rollout,Deployment shop\/web,10,25,0,15,26,26,26,pod-killed:20;connection-refused:6,0\.25,/);
  });

  test('a sweep: mean over replications ± the half-width of the Student t interval', () => {
    const lost = [20, 26, 32];
    const recovery = [15, 18, null];
    const reps = lost.map((n, r) =>
      run('s', rolloutSeries(), ROLLOUT_EVENTS.map((e) => (e.kind === 'rollout' ? { ...e, requestsLost: n, lostByReason: { 'pod-killed': n }, recovery: recovery[r]! } : e)), r + 1),
    );
    const data = eventsTableData(input('sweep', [{ name: 'policy=Cluster', runs: reps }]));
    const rollout = data.rows.find((r) => r.kind === 'rollout')!;
    const ci = studentT(lost, 0.95);
    expect(rollout.requestsLost.mean).toBe(26);
    expect(rollout.requestsLost.upper).toBeCloseTo(ci.upper, 9);
    expect(rollout.recovery!.n).toBe(2);
    expect(rollout.never).toBe(1);
    const section = eventsTable(data)!;
    const row = section.table.rows.find((r) => r[1] === 'rollout')!;
    expect(row[6]).toBe(`26 ± ${withInterval({ mean: ci.upper - ci.mean, lower: 0, upper: 0, n: 1 }, (x) => String(Math.round(x)))} (pod-killed 100\u00a0%)`);
    expect(row[8]).toMatch(/^16\.5\u00a0s ± .*; never in 1 of 3$/);
    expect(section.notes.join(' ')).toMatch(/mean over the replications ± the half-width of the 95\u00a0% confidence interval/);
  });

  test('replications with different events: the first replication, and the caption says so', () => {
    const a = run('s', rolloutSeries(), ROLLOUT_EVENTS, 7);
    const b = run('s', rolloutSeries(), ROLLOUT_EVENTS.slice(0, 2), 8);
    const data = eventsTableData(input('sweep', [{ name: 'policy=Local', runs: [a, b] }]));
    expect(data.firstOnly).toEqual([{ configuration: 'policy=Local', seed: 7 }]);
    expect(data.rows).toHaveLength(4);
    expect(data.rows.every((r) => r.replications === 1)).toBe(true);
    expect(eventsTable(data)!.notes.join(' ')).toContain('did not have the same events: the table shows its first replication (seed 7)');
  });

  test('in the page: a section after the over-time chart, escaped, with its CSV linked', () => {
    const evil = [event({ kind: 'rollout', target: 'Deployment <script>alert(1)</script>', at: 10, end: 20, requestsLost: 3, lostByReason: { 'pod-gone': 3 }, notes: ['<img src=x>'] })];
    const report = buildReport(input('run', [{ name: 'x', runs: [run('x', rolloutSeries(), evil)] }]));
    const page = report.files.find((f) => f.name === REPORT_PAGE)!.content as string;
    expect(page.indexOf('<section id="events">')).toBeGreaterThan(page.indexOf('<section id="over-time">'));
    expect(page).toContain('<li><a href="#events">Events</a></li>');
    expect(page).toContain('<a href="events.csv">events.csv</a>');
    expect(page).toContain('<a href="over-time.csv">over-time.csv</a>, <a href="over-time-drops.csv">over-time-drops.csv</a>');
    expect(page).not.toMatch(/<script|<img/i);
    expect(page).toContain('Deployment &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(report.files.map((f) => f.name)).toEqual(expect.arrayContaining(['over-time-drops.csv', 'over-time-state.csv', 'events.csv']));
  });
});

describe('terminal summary', () => {
  const file = (r: RunView) =>
    ({
      ...r,
      schema: 'netsim.result/v1',
      tool: { name: 'kube-netsim', version: '0.1.0' },
      files: [],
      overrides: [],
      stop: { reason: 'duration', generationEnd: 60, drainLimit: 1, drainCut: false },
      engine: { events: 1, simulatedSeconds: 61, peakRequestsInFlight: 1, connectionsOpened: 1, wallSeconds: 1, eventsPerWallSecond: 1, requestsPerWallSecond: 1 },
      clients: [],
    }) as never;

  test('an Events section after the accounting, one line per event and its notes', () => {
    const text = renderSummary(file(run('rollout-demo', rolloutSeries(), ROLLOUT_EVENTS)));
    const lines = text.split('\n');
    const at = lines.indexOf('Events (timeline)');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^\s+#\s+EVENT\s+TARGET\s+AT\s+END\s+DURATION\s+LOST\s+LONGEST-GAP\s+RECOVERY$/);
    expect(lines[at + 3]).toMatch(/^\s+2\s+rollout\s+Deployment shop\/web\s+10 s\s+25 s\s+15 s\s+26 \(pod-killed 76\.9 %, connection-refused 23\.1 %\)\s+250 ms\s+18 s$/);
    expect(lines[at + 5]).toMatch(/fail-zone .* not over\s+>20 s .* never$/);
    expect(text).toContain('  #3: eviction of shop/web-3 held back by PodDisruptionBudget shop/web');
  });

  test('no events, no section', () => {
    expect(renderSummary(file(run('plain', rolloutSeries(), undefined)))).not.toContain('Events');
  });
});
