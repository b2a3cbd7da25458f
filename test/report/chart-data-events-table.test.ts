/**
 * The Events table's data: one event over replications (means and Student t intervals over the
 * replications where a figure exists, the others counted), the configurations whose replications had
 * different events, and the texts of its cells. Hand-built event rows and results (timeline-fixtures.ts).
 */
import { describe, expect, test } from 'vitest';
import { aggregate, eventsTable, eventsTableData, lostText, withInterval } from '../../src/report/charts/events-table.js';
import type { EventRow } from '../../src/report/data/events.js';
import type { Interval } from '../../src/report/data/runs.js';
import { event, input, run, series } from './timeline-fixtures.js';

const NBSP = '\u00a0';
const T_975_2 = 4.302652730;

function row(r: Partial<EventRow>): EventRow {
  return { kind: 'rollout', target: 'Deployment shop/web', at: 10, end: 20, duration: 10, lastedAtLeast: null, requestsLost: 0, reasons: [], longestGap: 0, recovery: null, recoveryState: 'recovered', notes: [], ...r };
}

const one = (mean: number): Interval => ({ mean, lower: mean, upper: mean, n: 1 });

describe('one event over replications', () => {
  // Replication 0 over at 20 s and recovered in 5 s; 1 not over (lasted at least 50 s), p99 never back;
  // 2 not over (at least 40 s), nothing to compare with.
  const rows = [
    row({ requestsLost: 30, reasons: [{ reason: 'pod-killed', count: 20 }, { reason: 'connection-refused', count: 10 }], longestGap: 1, recovery: 5, notes: ['a'] }),
    row({ end: null, duration: null, lastedAtLeast: 50, requestsLost: 60, reasons: [{ reason: 'pod-killed', count: 60 }], longestGap: 2, recoveryState: 'never', notes: ['a', 'b'] }),
    row({ kind: 'other', end: null, duration: null, lastedAtLeast: 40, requestsLost: 0, longestGap: 3, recoveryState: 'n/a' }),
  ];
  const aggOf = () => aggregate('c', 7, rows, 0.95);

  test('means and intervals over the replications that have the figure; the others counted', () => {
    const agg = aggOf();
    expect(agg).toMatchObject({ configuration: 'c', number: 7, kind: 'rollout', target: 'Deployment shop/web', notOver: 2, lastedAtLeast: 40, never: 1, notApplicable: 1, replications: 3 });
    expect(agg.at).toEqual({ mean: 10, lower: 10, upper: 10, n: 3 });
    expect(agg.end).toEqual(one(20));
    expect(agg.duration).toEqual(one(10));
    expect(agg.recovery).toEqual(one(5));
    // Requests lost 30, 60, 0: mean 30, standard error 17.32; longest gap 1, 2, 3: mean 2, standard error 0.577.
    expect(agg.requestsLost.mean).toBe(30);
    expect(agg.requestsLost.upper).toBeCloseTo(30 + T_975_2 * Math.sqrt(300), 6);
    expect(agg.longestGap.mean).toBe(2);
    expect(agg.longestGap.lower).toBeCloseTo(2 - T_975_2 / Math.sqrt(3), 6);
  });

  test('reasons: the mean count per replication, most first; notes once each in first-seen order', () => {
    const agg = aggOf();
    expect(agg.reasons).toEqual([
      { reason: 'pod-killed', count: 80 / 3 },
      { reason: 'connection-refused', count: 10 / 3 },
    ]);
    expect(agg.notes).toEqual(['a', 'b']);
  });

  test('over in none, recovered in none: no end, duration or recovery; every replication over: lastedAtLeast null', () => {
    const none = aggregate('c', 1, rows.slice(1), 0.95);
    expect([none.end, none.duration, none.recovery]).toEqual([null, null, null]);
    expect(none.notOver).toBe(2);
    const all = aggregate('c', 1, [rows[0]!], 0.95);
    expect(all.lastedAtLeast).toBeNull();
    expect(all.notOver).toBe(0);
    // Not over, but no series to say how long: unknown.
    expect(aggregate('c', 1, [row({ end: null, duration: null, lastedAtLeast: null })], 0.95).lastedAtLeast).toBeNull();
  });
});

describe('the texts of the cells', () => {
  test('withInterval: the mean, ± the half-width only with several replications and a non-zero width', () => {
    const fmt = (x: number) => x.toFixed(1);
    expect(withInterval(null, fmt)).toBe('–');
    expect(withInterval({ mean: 10, lower: 8, upper: 13, n: 3 }, fmt)).toBe('10.0 ± 2.5');
    expect(withInterval({ mean: 10, lower: 10, upper: 10, n: 3 }, fmt)).toBe('10.0');
    expect(withInterval({ mean: 10, lower: 8, upper: 13, n: 1 }, fmt)).toBe('10.0');
  });

  test('lostText: the count, the two main reasons with their share, and how many more', () => {
    const reasons = [
      { reason: 'a', count: 50 },
      { reason: 'b', count: 30 },
      { reason: 'c', count: 15 },
      { reason: 'd', count: 5 },
    ];
    expect(lostText({ requestsLost: one(100), reasons })).toBe(`100 (a 50${NBSP}%, b 30${NBSP}%, +2 more)`);
    // Shares are of the reasons' total: 50 and 30 of 95.
    expect(lostText({ requestsLost: one(100), reasons: reasons.slice(0, 3) })).toBe(`100 (a 53${NBSP}%, b 32${NBSP}%, +1 more)`);
    expect(lostText({ requestsLost: one(80), reasons: [{ reason: 'a', count: 60 }, { reason: 'b', count: 20 }] })).toBe(`80 (a 75${NBSP}%, b 25${NBSP}%)`);
    expect(lostText({ requestsLost: one(0), reasons: [] })).toBe('0');
    expect(lostText({ requestsLost: one(3), reasons: [{ reason: 'a', count: 0 }] })).toBe(`3 (a –)`);
  });

  /** The table's cells of one aggregated event: end, duration, recovery. */
  function cells(rows: readonly EventRow[]): { end: string; duration: string; recovery: string } {
    const r = aggregate('c', 1, rows, 0.95);
    const section = eventsTable({ rows: [r], kind: 'run', level: 0.95, configurations: ['c'], firstOnly: [], situation: '' })!;
    const [, , , , end, duration, , , recovery] = section.table.rows[0]! as string[];
    return { end: end!, duration: duration!, recovery: recovery! };
  }

  test('end and duration: over, over in some, over in none (with or without how long it lasted at least)', () => {
    expect(cells([row({})])).toMatchObject({ end: `20${NBSP}s`, duration: `10${NBSP}s` });
    expect(cells([row({}), row({ end: null, duration: null, lastedAtLeast: 30 })])).toMatchObject({ end: `20${NBSP}s; not over in 1 of 2`, duration: `10${NBSP}s` });
    expect(cells([row({ end: null, duration: null, lastedAtLeast: 30 })])).toMatchObject({ end: 'not over by the end', duration: `more than 30${NBSP}s` });
    expect(cells([row({ end: null, duration: null, lastedAtLeast: null })])).toMatchObject({ duration: '–' });
  });

  test('recovery: recovered; never; n/a; a mix of the two; recovered in some', () => {
    const never = row({ recovery: null, recoveryState: 'never' });
    const na = row({ recovery: null, recoveryState: 'n/a' });
    const ok = row({ recovery: 4 });
    expect(cells([ok]).recovery).toBe(`4${NBSP}s`);
    expect(cells([never]).recovery).toBe('never');
    expect(cells([na, na]).recovery).toBe('n/a');
    expect(cells([never, na, na]).recovery).toBe('never in 1 of 3, n/a in 2 of 3');
    expect(cells([ok, never]).recovery).toBe(`4${NBSP}s; never in 1 of 2`);
    expect(cells([ok, na, never]).recovery).toBe(`4${NBSP}s; never in 1, n/a in 1 of 3`);
    expect(cells([ok, na]).recovery).toBe(`4${NBSP}s; n/a in 1 of 2`);
  });

  test('the CSV: null where a figure is missing, rounded where present', () => {
    const r = aggregate('c', 1, [row({ end: null, duration: null, lastedAtLeast: 5, recovery: null, recoveryState: 'never', at: 1 / 3 })], 0.95);
    const csv = eventsTable({ rows: [r], kind: 'run', level: 0.95, configurations: ['c'], firstOnly: [], situation: '' })!.data.rows[0]!;
    const header = eventsTable({ rows: [r], kind: 'run', level: 0.95, configurations: ['c'], firstOnly: [], situation: '' })!.data.header;
    const at = (name: string) => csv[header.indexOf(name)];
    expect([at('at_s'), at('end_s'), at('duration_s'), at('recovery_s'), at('recovery_ci_lower_s'), at('recovery_ci_upper_s')]).toEqual([0.333333, null, null, null, null, null]);
    const ok = aggregate('c', 1, [row({ end: 2 / 3, duration: 1 / 3, recovery: 1 / 7 })], 0.95);
    const csv2 = eventsTable({ rows: [ok], kind: 'run', level: 0.95, configurations: ['c'], firstOnly: [], situation: '' })!.data.rows[0]!;
    expect([csv2[header.indexOf('end_s')], csv2[header.indexOf('duration_s')], csv2[header.indexOf('recovery_s')]]).toEqual([0.666667, 0.333333, 0.142857]);
  });
});

describe('events of each configuration', () => {
  const E = [event({ kind: 'rollout', target: 'Deployment shop/web', at: 10, end: 20, requestsLost: 6 }), event({ kind: 'drain', target: 'node n1', at: 30, end: 35, requestsLost: 2 })];
  const ts = series({ windows: 40 });

  test('replications alike (same kinds and targets in order): aggregated; numbered as in the catalogue', () => {
    const runs = [run('s', ts, E, 1), run('s', ts, E.map((e) => ({ ...e, requestsLost: e.requestsLost * 2 })), 2)];
    const data = eventsTableData(input('sweep', [{ name: 'c', runs }]));
    expect(data.firstOnly).toEqual([]);
    expect(data.rows.map((r) => [r.number, r.kind, r.replications, r.requestsLost.mean])).toEqual([
      [1, 'rollout', 2, 9],
      [2, 'drain', 2, 3],
    ]);
    expect(data).toMatchObject({ kind: 'sweep', level: 0.95, configurations: ['c'], situation: 'At the highest load of the sweep, load=100/s.' });
  });

  test('a different kind or target in some replication: the first replication only', () => {
    for (const changed of [{ kind: 'cordon' }, { target: 'node n2' }]) {
      const other = [E[0]!, { ...E[1]!, ...changed }];
      const data = eventsTableData(input('sweep', [{ name: 'c', runs: [run('s', ts, E, 4), run('s', ts, other, 5)] }]));
      expect(data.firstOnly).toEqual([{ configuration: 'c', seed: 4 }]);
      expect(data.rows.map((r) => [r.kind, r.target, r.replications])).toEqual([
        ['rollout', 'Deployment shop/web', 1],
        ['drain', 'node n1', 1],
      ]);
    }
  });

  test('a replication with only the first of the events is not alike either', () => {
    const data = eventsTableData(input('sweep', [{ name: 'c', runs: [run('s', ts, E, 4), run('s', ts, [E[0]!], 5)] }]));
    expect(data.firstOnly).toEqual([{ configuration: 'c', seed: 4 }]);
    expect(data.rows.map((r) => r.replications)).toEqual([1, 1]);
  });

  test('a configuration without events is not shown; events are numbered over every configuration', () => {
    const data = eventsTableData(
      input('sweep', [
        { name: 'quiet', runs: [run('s', ts, [])] },
        { name: 'b', runs: [run('s', ts, [E[1]!])] },
        { name: 'a', runs: [run('s', ts, E)] },
      ]),
    );
    expect(data.configurations).toEqual(['b', 'a']);
    expect(data.rows.map((r) => [r.configuration, r.number, r.kind])).toEqual([
      ['b', 2, 'drain'],
      ['a', 1, 'rollout'],
      ['a', 2, 'drain'],
    ]);
  });

  test('a run: level 0.95, no situation', () => {
    const data = eventsTableData(input('run', [{ name: 'r', runs: [run('s', ts, E)] }]));
    expect(data).toMatchObject({ kind: 'run', level: 0.95, situation: '', configurations: ['r'] });
  });
});
