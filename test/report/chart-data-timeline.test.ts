/**
 * The timeline panels' data rules on small hand-built series: reason colours and stacking order, bins of
 * windows, the "not split by reason" remainder, state lines kept where they change, which lines and which
 * configurations get detailed panels, the overview cells, and the shared time domain.
 */
import { describe, expect, test } from 'vitest';
import {
  binSize,
  drawnLanes,
  droppedTotal,
  dropRows,
  laneRows,
  MAX_LANE_POINTS,
  mostDropped,
  overviewRows,
  reasonColour,
  timelineData,
  UNSPLIT,
  type ConfigurationTimeline,
  type DropRow,
} from '../../src/report/charts/timeline-data.js';
import type { ReportInput, TimeSeries } from '../../src/report/inputs.js';
import { event, input, run, series } from './timeline-fixtures.js';

/** A bare series: `dropped` and `droppedByReason` as given (no fixture arithmetic). */
function bare(window: number, start: readonly number[], dropped: readonly number[] | undefined, byReason: Record<string, readonly number[]> | undefined): TimeSeries {
  const zeros = start.map(() => 0);
  const s: Record<string, unknown> = { window, start, completed: zeros, p99: start.map(() => null) };
  if (dropped) s['dropped'] = dropped;
  if (byReason) s['droppedByReason'] = byReason;
  return s as unknown as TimeSeries;
}

const cells = (rows: readonly DropRow[]) => rows.map((r) => [r.reason, r.start, r.end, r.count, r.perSecond, r.y1, r.y2]);

describe('reason colours', () => {
  test('a fixed colour per known reason, grey for the remainder, a cycle of five for unknown reasons', () => {
    expect(reasonColour('pod-killed')).toBe('#d62728');
    expect(reasonColour('gateway-timeout')).toBe('#dbdb8d');
    expect(reasonColour(UNSPLIT)).toBe('#bbbbbb');
    expect(reasonColour(UNSPLIT, 3)).toBe('#bbbbbb');
    expect(UNSPLIT).toBe('not split by reason');
    expect(['weird', 'weird', 'weird', 'weird', 'weird', 'weird'].map((r, i) => reasonColour(r, i))).toEqual(['#393b79', '#637939', '#8c6d31', '#843c39', '#7b4173', '#393b79']);
    expect(reasonColour('weird')).toBe('#393b79');
  });
});

describe('bins of windows', () => {
  test('the fewest whole windows per bar that keep the bars within the budget', () => {
    expect([binSize(0, 400), binSize(1, 400), binSize(400, 400), binSize(401, 400), binSize(800, 400), binSize(801, 400)]).toEqual([1, 1, 1, 2, 2, 3]);
    // No budget is taken as one bar.
    expect([binSize(10, 0), binSize(10, -3), binSize(10, 1)]).toEqual([10, 10, 10]);
  });
});

describe('drop rows', () => {
  // Windows of 2 s from 10 s: window 0 drops 1 `zz-custom`, window 1 2 `aa-custom`, window 2 3 timeouts and
  // one drop no reason accounts for.
  const s = bare(2, [10, 12, 14], [1, 2, 4], { 'zz-custom': [1, 0, 0], 'aa-custom': [0, 2, 0], timeout: [0, 0, 3] });

  test('one bar per window: known reasons first (fixed order), unknown ones by name, the remainder on top', () => {
    expect(cells(dropRows('c', [s]))).toEqual([
      ['zz-custom', 10, 12, 1, 0.5, 0, 0.5],
      ['aa-custom', 12, 14, 2, 1, 0, 1],
      ['timeout', 14, 16, 3, 1.5, 0, 1.5],
      [UNSPLIT, 14, 16, 1, 0.5, 1.5, 2],
    ]);
    expect(dropRows('c', [s]).every((r) => r.configuration === 'c')).toBe(true);
  });

  test('two windows per bar: counts summed, per second over the bin, from its first window’s start to its last one’s end', () => {
    expect(cells(dropRows('c', [s], 2))).toEqual([
      ['aa-custom', 10, 14, 2, 0.5, 0, 0.5],
      ['zz-custom', 10, 14, 1, 0.25, 0.5, 0.75],
      ['timeout', 14, 16, 3, 1.5, 0, 1.5],
      [UNSPLIT, 14, 16, 1, 0.5, 1.5, 2],
    ]);
  });

  test('replications matched by window, over the shortest; a series without `dropped` adds up its reasons', () => {
    const a = bare(1, [0, 1, 2], [5, 0, 9], { timeout: [3, 0, 9] });
    const b = bare(1, [0, 1], undefined, { timeout: [1, 0] });
    // Window 0: timeouts (3 + 1) / 2 = 2; totals (5 + 1) / 2 = 3: 1 not split. Window 2 is past b's end.
    expect(cells(dropRows('c', [a, b]))).toEqual([
      ['timeout', 0, 1, 2, 2, 0, 2],
      [UNSPLIT, 0, 1, 1, 1, 2, 3],
    ]);
    expect(dropRows('c', [a, bare(1, [], [], {})])).toEqual([]);
  });

  test('a remainder below a billionth of the window’s drops (at least of one) is rounding, not a drop', () => {
    const big = bare(1, [0], [1e6 + 1e-4], { timeout: [1e6] });
    expect(dropRows('c', [big]).map((r) => r.reason)).toEqual(['timeout']);
    const small = bare(1, [0], [1 + 2e-9], { timeout: [1] });
    expect(dropRows('c', [small]).map((r) => r.reason)).toEqual(['timeout', UNSPLIT]);
    const tiny = bare(1, [0], [1 + 5e-10], { timeout: [1] });
    expect(dropRows('c', [tiny]).map((r) => r.reason)).toEqual(['timeout']);
    // More split than dropped: no negative remainder.
    expect(dropRows('c', [bare(1, [0], [1], { timeout: [2] })]).map((r) => [r.reason, r.count])).toEqual([['timeout', 2]]);
  });
});

describe('state lines', () => {
  test('the first and last window ends and every change; times are window ends', () => {
    const ts = { ...bare(2, [0, 2, 4, 6, 8, 10], undefined, undefined), readyEndpoints: [{ name: 'shop/web', values: [3, 3, 2, 2, 2, 2, 9] }] };
    expect(laneRows('c', ts)).toEqual([
      { configuration: 'c', kind: 'ready endpoints', name: 'shop/web', series: 'ready endpoints: shop/web', time: 2, value: 3 },
      { configuration: 'c', kind: 'ready endpoints', name: 'shop/web', series: 'ready endpoints: shop/web', time: 6, value: 2 },
      { configuration: 'c', kind: 'ready endpoints', name: 'shop/web', series: 'ready endpoints: shop/web', time: 12, value: 2 },
    ]);
    const two = { ...bare(1, [0, 1], undefined, undefined), replicas: [{ name: 'd', values: [4, 4] }] };
    expect(laneRows('c', two).map((r) => [r.time, r.value])).toEqual([
      [1, 4],
      [2, 4],
    ]);
  });

  test('every kind, in a fixed order; a line that changes every window is thinned to the budget', () => {
    const n = 1000;
    const ts = {
      ...bare(1, Array.from({ length: n }, (_, i) => i), undefined, undefined),
      nodeEndpoints: [{ name: 'n1', values: Array.from({ length: n }, () => 1) }],
      replicas: [{ name: 'd', values: Array.from({ length: n }, (_, i) => i % 2) }],
      healthyTargets: [{ name: 'lb', values: Array.from({ length: n }, () => 2) }],
      readyEndpoints: [{ name: 's', values: Array.from({ length: n }, () => 3) }],
    };
    const rows = laneRows('c', ts);
    expect([...new Set(rows.map((r) => r.series))]).toEqual(['ready endpoints: s', 'healthy targets: lb', 'replicas: d', 'node endpoints: n1']);
    expect(rows.filter((r) => r.kind === 'replicas')).toHaveLength(MAX_LANE_POINTS);
    expect(MAX_LANE_POINTS).toBe(400);
    expect(rows.filter((r) => r.kind === 'node endpoints').map((r) => r.time)).toEqual([1, n]);
  });

  test('lines drawn: ready endpoints, healthy targets, replicas, at most ten; node endpoints never', () => {
    const lines = (prefix: string, k: number) => Array.from({ length: k }, (_, i) => ({ name: `${prefix}${i}`, values: [1] }));
    const ts = { ...bare(1, [0], undefined, undefined), replicas: lines('d', 4), nodeEndpoints: lines('n', 2), healthyTargets: lines('lb', 4), readyEndpoints: lines('s', 4) };
    const { drawn, omitted } = drawnLanes(ts);
    expect(drawn).toEqual(['ready endpoints: s0', 'ready endpoints: s1', 'ready endpoints: s2', 'ready endpoints: s3', 'healthy targets: lb0', 'healthy targets: lb1', 'healthy targets: lb2', 'healthy targets: lb3', 'replicas: d0', 'replicas: d1']);
    expect(omitted).toEqual(['replicas: d2', 'replicas: d3']);
    expect(drawnLanes(bare(1, [0], undefined, undefined))).toEqual({ drawn: [], omitted: [] });
  });
});

describe('which configurations get detailed panels', () => {
  const conf = (name: string, counts: readonly number[]): ConfigurationTimeline =>
    ({ configuration: name, drops: counts.map((count, i) => ({ configuration: name, reason: 'timeout', start: i, end: i + 1, count, perSecond: count, y1: 0, y2: count })) }) as unknown as ConfigurationTimeline;

  test('the ones that dropped the most, ties to the earlier, kept in input order', () => {
    const all = [conf('a', [2, 3]), conf('b', [7]), conf('c', [5]), conf('d', [4, 3]), conf('e', [1])];
    expect(all.map(droppedTotal)).toEqual([5, 7, 5, 7, 1]);
    expect(mostDropped(all, 2).map((c) => c.configuration)).toEqual(['b', 'd']);
    expect(mostDropped(all, 3).map((c) => c.configuration)).toEqual(['a', 'b', 'd']);
    expect(mostDropped(all, 5).map((c) => c.configuration)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(mostDropped(all, 9)).not.toBe(all);
  });

  test('overview cells: a bin’s drops summed over reasons, per second over the bin', () => {
    const c = {
      configuration: 'x',
      drops: [
        { start: 0, end: 2, count: 1 },
        { start: 0, end: 2, count: 2 },
        { start: 4, end: 8, count: 1 },
      ],
    } as unknown as ConfigurationTimeline;
    expect(overviewRows(c)).toEqual([
      { configuration: 'x', start: 0, end: 2, count: 3, perSecond: 1.5 },
      { configuration: 'x', start: 4, end: 8, count: 1, perSecond: 0.25 },
    ]);
  });
});

describe('the timeline of an input', () => {
  test('no run with events or timeline fields: no timeline', () => {
    const plain = bare(1, [0, 1], [0, 0], undefined);
    expect(timelineData(input('run', [{ name: 'x', runs: [run('x', plain, undefined)] }]))).toBeNull();
    expect(timelineData(input('run', [{ name: 'x', runs: [run('x', undefined, [])] }]))).toBeNull();
  });

  test('one configuration: bins, window, replications, the seed lanes and events come from', () => {
    const ts = series({ windows: 60, drops: { timeout: (i) => (i < 3 ? 3 : 0) }, readyEndpoints: [{ name: 's', value: (i) => (i < 30 ? 2 : 3) }] });
    const E = [event({ kind: 'rollout', target: 't', at: 20, end: 30 })];
    const t = timelineData(input('sweep', [{ name: 'c', runs: [run('s', ts, E, 7), run('s', ts, [], 8), run('s', ts, E, 9)] }]), 25)!;
    const [c] = t.configurations;
    expect(c).toMatchObject({ configuration: 'c', windowsPerBar: 3, window: 1, replications: 3, seed: 7, lanesDrawn: ['ready endpoints: s'], lanesOmitted: [] });
    expect(c!.events).toEqual([{ number: 1, kind: 'rollout', target: 't', at: 20, end: 30 }]);
    // Windows 0-2 drop 3 each: one bar of 9 over 3 s.
    expect(cells(c!.drops)).toEqual([['timeout', 0, 3, 9, 3, 0, 3]]);
    expect(c!.lanes.map((r) => [r.time, r.value])).toEqual([
      [1, 2],
      [31, 3],
      [60, 3],
    ]);
    expect(t).toMatchObject({ omitted: [], overview: null, reasons: ['timeout'], series: ['ready endpoints: s'], domain: [0, 60], offered: true });
    expect(t.events).toEqual([{ number: 1, kind: 'rollout', target: 't', at: 20, end: 30 }]);
    expect(t.situation).toBe('At the highest load of the sweep, load=100/s.');
  });

  test('events only (no series): no bars or lanes, one replication, the domain from the events', () => {
    const t = timelineData(input('run', [{ name: 'c', runs: [run('s', undefined, [event({ kind: 'drain', target: 'n', at: 5 })])] }]))!;
    expect(t.configurations[0]).toMatchObject({ drops: [], windowsPerBar: 1, window: 0, lanes: [], lanesDrawn: [], lanesOmitted: [], replications: 1 });
    expect(t.domain).toEqual([5, 6]);
    expect(t.offered).toBe(false);
    expect(t.situation).toBe('');
  });

  test('the domain spans every window of every run and every event', () => {
    const early = series({ windows: 5, start0: 2, drops: { timeout: () => 1 } });
    const late = series({ windows: 5, start0: 10, drops: { timeout: () => 1 } });
    const t = timelineData(
      input('run', [
        { name: 'a', runs: [run('s', early, [event({ kind: 'x', target: 'y', at: 40 })])] },
        { name: 'b', runs: [run('s', late, undefined)] },
      ]),
    )!;
    expect(t.domain).toEqual([2, 40]);
  });

  test('a replication whose result was not kept: the seed is the first kept one’s', () => {
    const ts = series({ windows: 3, drops: { timeout: () => 1 } });
    const i = input('sweep', [{ name: 'c', runs: [run('s', ts, undefined, 3), run('s', ts, undefined, 4)] }]);
    const gone: ReportInput = { ...i, points: i.points.map((p) => ({ ...p, runs: [{ replication: 0, seed: 99, result: null, metrics: {} }, ...p.runs] })) };
    expect(timelineData(gone)!.configurations[0]).toMatchObject({ seed: 3, replications: 2 });
  });

  test('reasons over every configuration: known ones in stacking order, then unknown by name, the remainder last', () => {
    const a = series({ windows: 2, drops: { timeout: () => 1, 'pod-killed': () => 1 }, unsplit: () => 1 });
    const b = bare(1, [0, 1], [2, 2], { 'zz-x': [1, 1], 'aa-y': [1, 1] });
    const t = timelineData(input('run', [{ name: 'a', runs: [run('s', a, undefined)] }, { name: 'b', runs: [run('s', b, undefined)] }]))!;
    expect(t.reasons).toEqual(['pod-killed', 'timeout', 'aa-y', 'zz-x', UNSPLIT]);
    expect(t.offered).toBe(true);
    const onlyB = timelineData(input('run', [{ name: 'b', runs: [run('s', b, undefined)] }]))!;
    expect(onlyB.reasons).toEqual(['aa-y', 'zz-x']);
    expect(onlyB.offered).toBe(false);
  });

  test('past four configurations: the lines named are the detailed configurations’ only', () => {
    const withLane = (drops: number, lane: string) => series({ windows: 2, drops: { timeout: () => drops }, readyEndpoints: [{ name: lane, value: () => 1 }] });
    const t = timelineData(input('sweep', [0, 5, 4, 3, 2].map((d, i) => ({ name: `c${i}`, runs: [run('s', withLane(d, `s${i}`), undefined)] }))))!;
    expect(t.configurations.map((c) => c.configuration)).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(t.omitted.map((c) => c.configuration)).toEqual(['c0']);
    expect(t.series).toEqual(['ready endpoints: s1', 'ready endpoints: s2', 'ready endpoints: s3', 'ready endpoints: s4']);
    expect(t.overview!.map((o) => o.configuration)).toEqual(['c1', 'c1', 'c2', 'c2', 'c3', 'c3', 'c4', 'c4']);
  });
});

describe('timeline edge rules', () => {
  test('a configuration is in when some replication has a timeline; bars are sized on its shortest series', () => {
    const withT = series({ windows: 60, drops: { timeout: () => 1 } });
    const plain = bare(1, Array.from({ length: 90 }, (_, i) => i), Array.from({ length: 90 }, () => 0), undefined);
    const t = timelineData(input('run', [{ name: 'c', runs: [run('s', plain, undefined, 1), run('s', withT, undefined, 2)] }]), 25)!;
    expect(t.configurations.map((c) => c.configuration)).toEqual(['c']);
    // 60 windows (not 90) in bars of at most 25: 3 windows a bar.
    expect(t.configurations[0]!.windowsPerBar).toBe(3);
  });

  test('offered: when some run of some point has an offered series', () => {
    const a = series({ windows: 2, drops: { timeout: () => 1 } });
    const noOffered = { ...a };
    delete (noOffered as Record<string, unknown>)['offered'];
    const t = timelineData(input('run', [{ name: 'c', runs: [run('s', noOffered, undefined), run('s', a, undefined)] }]))!;
    expect(t.offered).toBe(true);
  });

  test('unknown reasons over configurations are sorted by name', () => {
    const z = bare(1, [0], [1], { 'zz-x': [1] });
    const a = bare(1, [0], [1], { 'aa-y': [1] });
    const t = timelineData(input('run', [{ name: 'z', runs: [run('s', z, undefined)] }, { name: 'a', runs: [run('s', a, undefined)] }]))!;
    expect(t.reasons).toEqual(['aa-y', 'zz-x']);
  });

  test('a replication without droppedByReason counts 0 for each reason and its drops as not split', () => {
    const a = bare(1, [0], [4], { timeout: [4] });
    const b = bare(1, [0], [2], undefined);
    expect(cells(dropRows('c', [a, b]))).toEqual([
      ['timeout', 0, 1, 2, 2, 0, 2],
      [UNSPLIT, 0, 1, 1, 1, 2, 3],
    ]);
  });

  test('a billionth of a drop is no drop', () => {
    expect(dropRows('c', [bare(1, [0], [1e-9], {})])).toEqual([]);
  });

  test('a series with no windows adds nothing to the domain; with nothing at all it is [0, 1]', () => {
    const empty = bare(1, [], [], {});
    const t = timelineData(input('run', [{ name: 'c', runs: [run('s', empty, [event({ kind: 'drain', target: 'n', at: 5 })])] }]))!;
    expect(t.domain).toEqual([5, 6]);
    const nothing = { ...bare(1, [], [], undefined), offered: [] } as unknown as TimeSeries;
    expect(timelineData(input('run', [{ name: 'c', runs: [run('s', nothing, undefined)] }]))!.domain).toEqual([0, 1]);
  });
});

