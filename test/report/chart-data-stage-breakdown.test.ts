/**
 * Where the time goes: a stage's segment is its time summed over requests / completed requests
 * (replications pooled), so the segments add up to the pooled mean latency. Hand-built runs whose stage
 * times add up to their latency: replication 0, 100 requests of mean 10 ms = network 4 + pod service 5 +
 * DNS 1 (10 lookups of 10 ms); replication 1, 100 requests of mean 11 ms = network 5 + pod service 6, and
 * 10 requests that never finished.
 */
import { describe, expect, test } from 'vitest';
import type { LatencyByStage, StageSummary } from '../../src/model/result.js';
import { STAGES, stageBreakdownData } from '../../src/report/charts/stage-breakdown.js';
import type { RunView } from '../../src/report/inputs.js';
import { input, run } from './timeline-fixtures.js';

const NONE: StageSummary = { requests: 0, mean: null, p50: null, p90: null, p99: null, max: null, share: null };
const stage = (requests: number, mean: number, p99: number): StageSummary => ({ requests, mean, p50: mean, p90: mean, p99, max: p99, share: null });

function byStage(s: Partial<LatencyByStage>): LatencyByStage {
  return { dns: NONE, retries: NONE, ingressQueue: NONE, ingressProcessing: NONE, podQueue: NONE, podService: NONE, external: NONE, proxy: NONE, network: NONE, ...s };
}

function runWith(completed: number, mean: number | null, lost: number, stages: LatencyByStage | undefined): RunView {
  const base = run('s', undefined, undefined);
  const measured = { ...base.accounting.measured, generated: completed + lost, completed, droppedTotal: lost - Math.floor(lost / 2), inFlight: Math.floor(lost / 2) };
  const r: RunView = { ...base, accounting: { ...base.accounting, measured }, latency: { ...base.latency, count: completed, mean } };
  return stages ? { ...r, latencyByStage: stages } : r;
}

const A = runWith(100, 0.01, 0, byStage({ network: stage(100, 0.004, 0.008), podService: stage(100, 0.005, 0.02), dns: stage(10, 0.01, 0.03), proxy: stage(100, 0, 0) }));
const B = runWith(100, 0.011, 10, byStage({ network: stage(100, 0.005, 0.01), podService: stage(100, 0.006, 0.04), dns: { ...NONE, p99: 0.5 } }));

describe('stage breakdown', () => {
  const dataOf = () => stageBreakdownData(input('sweep', [{ name: 'c', runs: [A, B] }]));

  test('the drawn stages are those with time somewhere, in the order a request meets them', () => {
    const data = dataOf();
    // The proxy stage was on every path but took no time: left out.
    expect(data.stages).toEqual(['dns', 'network', 'podService']);
    expect(data.rows.map((r) => [r.stage, r.label])).toEqual([
      ['dns', 'DNS lookup'],
      ['network', 'network (links)'],
      ['podService', 'pod service'],
    ]);
    expect(STAGES.map((s) => s.key).filter((k) => data.stages.includes(k))).toEqual(data.stages);
  });

  test('segment = time over all completed requests; share of all latency; the stage’s own mean and p99', () => {
    const data = dataOf();
    const [dns, network, pod] = data.rows;
    // DNS: 10 lookups × 10 ms = 0.1 s over 200 requests = 0.5 ms; its own mean 10 ms; p99 of the one
    // replication that had lookups (replication 1's p99 is ignored: no request went through it).
    expect(dns).toMatchObject({ configuration: 'c', requests: 10, stageP99: 30 });
    expect(dns!.ms).toBeCloseTo(0.5, 12);
    expect(dns!.share!).toBeCloseTo(0.1 / 2.1, 12);
    expect(dns!.stageMean!).toBeCloseTo(10, 12);
    // Network: 0.4 + 0.5 = 0.9 s over 200 requests = 4.5 ms.
    expect(network!.requests).toBe(200);
    expect(network!.ms).toBeCloseTo(4.5, 12);
    expect(network!.share!).toBeCloseTo(0.9 / 2.1, 12);
    expect(network!.stageMean!).toBeCloseTo(4.5, 12);
    expect(network!.stageP99!).toBeCloseTo(9, 12);
    // Pod service: 0.5 + 0.6 = 1.1 s: 5.5 ms; p99 the mean of 20 and 40 ms.
    expect(pod!.ms).toBeCloseTo(5.5, 12);
    expect(pod!.share!).toBeCloseTo(1.1 / 2.1, 12);
    expect(pod!.stageP99!).toBeCloseTo(30, 12);
  });

  test('the segments add up to the pooled mean latency, the shares to 1; dropped is the share never finished', () => {
    const data = dataOf();
    expect(data.totals).toHaveLength(1);
    const [total] = data.totals;
    expect(total!.configuration).toBe('c');
    expect(total!.mean).toBeCloseTo(10.5, 12);
    expect(total!.dropped).toBeCloseTo(10 / 210, 12);
    expect(data.rows.reduce((s, r) => s + r.ms, 0)).toBeCloseTo(total!.mean, 12);
    expect(data.rows.reduce((s, r) => s + r.share!, 0)).toBeCloseTo(1, 12);
    expect(data.configurations).toEqual(['c']);
    expect(data.missing).toEqual([]);
    expect(data.situation).toBe('At the highest load of the sweep, load=100/s.');
  });

  test('runs without latencyByStage, or without completed requests, do not count; a configuration with none is missing', () => {
    const old = runWith(100, 0.5, 0, undefined);
    const idle = runWith(0, null, 20, byStage({ network: stage(0, 0.001, 0.001) }));
    const d = stageBreakdownData(
      input('sweep', [
        { name: 'new', runs: [A, old, idle] },
        { name: 'old', runs: [old] },
        { name: 'idle', runs: [idle] },
      ]),
    );
    expect(d.missing).toEqual(['old', 'idle']);
    expect(d.configurations).toEqual(['new']);
    // Only A counts for `new`: 100 requests of 10 ms, nothing lost.
    expect(d.totals.map((t) => [t.configuration, t.mean, t.dropped])).toEqual([['new', 10, 0]]);
    expect(d.rows.find((r) => r.stage === 'network')!.ms).toBeCloseTo(4, 12);
  });

  test('a stage no request went through has no own mean or p99; with no latency at all, no share', () => {
    const zero = runWith(50, 0, 0, byStage({ network: stage(50, 0, 0), podQueue: stage(0, 0, 0) }));
    const d = stageBreakdownData(input('run', [{ name: 'z', runs: [zero] }]));
    // Nothing took time: no stage is drawn, but the configuration has its (zero) total.
    expect(d.stages).toEqual([]);
    expect(d.rows).toEqual([]);
    expect(d.totals).toEqual([{ configuration: 'z', mean: 0, dropped: 0 }]);
    expect(d.situation).toBe('');
    // With a second configuration that has time in the network stage, z's network row is drawn at 0.
    const d2 = stageBreakdownData(input('run', [{ name: 'z', runs: [zero] }, { name: 'a', runs: [A] }]));
    const zRows = d2.rows.filter((r) => r.configuration === 'z');
    expect(zRows.map((r) => [r.stage, r.ms, r.share, r.requests, r.stageMean, r.stageP99])).toEqual([
      ['dns', 0, null, 0, null, null],
      ['network', 0, null, 50, 0, 0],
      ['podService', 0, null, 0, null, null],
    ]);
  });
});
