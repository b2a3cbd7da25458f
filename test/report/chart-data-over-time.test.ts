/**
 * Over time: per configuration (its busiest point), the replications' series averaged window by window
 * (windows matched by index, as many as the shortest series has), in per-second units, thinned keeping the
 * first and last windows and the p99 peaks. Hand-built series (timeline-fixtures.ts' `series`: completed =
 * offered − dropped; p99 = 20 ms + 1 ms per drop, null when nothing completed).
 */
import { describe, expect, test } from 'vitest';
import { overTimeData } from '../../src/report/charts/over-time.js';
import type { RunView, TimeSeries } from '../../src/report/inputs.js';
import { input, run, series } from './timeline-fixtures.js';

const withWarmup = (r: RunView, end: number): RunView => ({ ...r, warmup: { ...r.warmup, end } });

/** A series without its timeline fields (offered, drops by reason): as results written before them. */
function plain(ts: TimeSeries, keep: readonly ('offered' | 'dropped')[] = []): TimeSeries {
  const out: Record<string, unknown> = { window: ts.window, start: ts.start, completed: ts.completed, p99: ts.p99 };
  for (const k of keep) out[k] = ts[k];
  return out as unknown as TimeSeries;
}

describe('over time: windows averaged over replications', () => {
  // Windows of 2 s. A: offered 100, 200, 300; 10 timeouts in window 1. B: 100 per window, four windows.
  const A = series({ windows: 3, window: 2, offered: (i) => 100 * (i + 1), drops: { timeout: (i) => (i === 1 ? 10 : 0) } });
  const B = series({ windows: 4, window: 2 });

  test('throughput, p99, offered and dropped per second: the mean of the replications, over the shortest series', () => {
    const data = overTimeData(input('run', [{ name: 'c', runs: [run('s', A, undefined), run('s', B, undefined)] }]));
    expect(data.rows).toEqual([
      { configuration: 'c', time: 0, throughput: 50, p99: 20, offered: 50, dropped: 0 },
      { configuration: 'c', time: 2, throughput: 72.5, p99: 25, offered: 75, dropped: 2.5 },
      { configuration: 'c', time: 4, throughput: 100, p99: 20, offered: 100, dropped: 0 },
    ]);
    expect(data.warmupEnds).toEqual([]);
    expect(data.situation).toBe('');
  });

  test('a window where nothing completed has no p99 in that replication: the mean is over the others', () => {
    const all = series({ windows: 2, drops: { timeout: (i) => (i === 0 ? 100 : 0) } });
    const ok = series({ windows: 2 });
    const rows = overTimeData(input('run', [{ name: 'c', runs: [run('s', all, undefined), run('s', ok, undefined)] }])).rows;
    expect(rows.map((r) => [r.throughput, r.p99])).toEqual([
      [50, 20],
      [100, 20],
    ]);
    const none = overTimeData(input('run', [{ name: 'c', runs: [run('s', all, undefined)] }])).rows;
    expect(none[0]).toMatchObject({ throughput: 0, p99: null, dropped: 100 });
  });

  test('offered: when some replication has it (mean over those that do); dropped: only when every one has it', () => {
    const rows = overTimeData(input('run', [{ name: 'c', runs: [run('s', plain(A, ['offered', 'dropped']), undefined), run('s', plain(B, ['dropped']), undefined)] }])).rows;
    expect(rows.map((r) => r.offered)).toEqual([50, 100, 150]);
    expect(rows.map((r) => r.dropped)).toEqual([0, 2.5, 0]);
    const noDropped = overTimeData(input('run', [{ name: 'c', runs: [run('s', plain(A, ['offered', 'dropped']), undefined), run('s', plain(B, ['offered']), undefined)] }])).rows;
    expect(noDropped.every((r) => !('dropped' in r))).toBe(true);
    expect(noDropped.map((r) => r.offered)).toEqual([50, 75, 100]);
    const bare = overTimeData(input('run', [{ name: 'c', runs: [run('s', plain(A), undefined)] }])).rows;
    expect(bare.every((r) => !('offered' in r) && !('dropped' in r))).toBe(true);
    expect(bare.map((r) => r.throughput)).toEqual([50, 95, 150]);
  });

  test('configurations without a series have no rows; one whose runs carry no timeline has no timeline data', () => {
    const data = overTimeData(
      input('sweep', [
        { name: 'none', runs: [run('s', undefined, undefined)] },
        { name: 'some', runs: [run('s', plain(B), undefined)] },
      ]),
    );
    expect([...new Set(data.rows.map((r) => r.configuration))]).toEqual(['some']);
    expect(data.rows).toHaveLength(4);
    expect(data.timeline).toBeNull();
    expect(data.situation).toBe('At the highest load of the sweep, load=100/s.');
  });

  test('the warm-up end: the mean over the replications that had one', () => {
    const runs = [withWarmup(run('s', B, undefined), 2), withWarmup(run('s', B, undefined), 0), withWarmup(run('s', B, undefined), 5)];
    expect(overTimeData(input('run', [{ name: 'c', runs }])).warmupEnds).toEqual([{ configuration: 'c', time: 3.5 }]);
  });
});

describe('over time: thinning keeps the p99 peaks', () => {
  /** 30 one-second windows; `spikes` windows drop 50 requests (p99 70 ms), the others none (20 ms). */
  const spiky = (spikes: readonly number[], n = 30) => series({ windows: n, drops: { timeout: (i) => (spikes.includes(i) ? 50 : 0) } });
  const times = (ts: TimeSeries, max: number) => overTimeData(input('run', [{ name: 'c', runs: [run('s', ts, undefined)] }]), max).rows.map((r) => r.time);

  test('the highest p99 windows (a tenth of them) are kept with the first and last', () => {
    const kept = times(spiky([7, 13, 22]), 10);
    expect(kept).toHaveLength(10);
    for (const t of [0, 7, 13, 22, 29]) expect(kept).toContain(t);
  });

  test('ties between peaks: the earlier windows are the peaks', () => {
    // Four equal spikes, three peaks (30 / 10): 5, 9, 12 are kept; 20 is a body point the even spread skips.
    const kept = times(spiky([5, 9, 12, 20]), 10);
    expect(kept).toEqual([0, 1, 5, 8, 9, 12, 16, 22, 28, 29]);
  });

  test('the peaks are at most half the budget', () => {
    // 40 windows: a tenth is 4 peaks, but with 6 points only 3 are peaks; of those the budget left after
    // the endpoints and the reserved third (2) keeps 2, spread evenly over the three: the first and the last.
    const kept = times(spiky([3, 6, 9, 12], 40), 6);
    expect(kept).toHaveLength(6);
    expect(kept.filter((t) => [3, 6, 9, 12].includes(t))).toEqual([3, 9]);
  });

  test('a window where nothing completed (no p99) is never a peak', () => {
    // Windows 4 and 8 drop everything (no p99); 12 and 17 are the two peaks (a tenth of 20 windows).
    const ts = series({ windows: 20, drops: { timeout: (i) => ([4, 8].includes(i) ? 100 : [12, 17].includes(i) ? 50 : 0) } });
    expect(times(ts, 8)).toEqual([0, 1, 6, 11, 12, 17, 18, 19]);
  });

  test('series within the budget are not thinned', () => {
    expect(times(spiky([1]), 30)).toHaveLength(30);
  });
});
