import { describe, expect, test } from 'vitest';
import { evaluateMetric, metricNames, parseMetric, RESULT_FIELDS } from '../../src/experiment/metrics.js';
import { runScenario } from '../../src/experiment/run-scenario.js';
import type { RunResult } from '../../src/model/result.js';
import { ParseError } from '../../src/engine/parse-error.js';
import { TINY_SCENARIO } from './helpers.js';
import { lbCluster, restart, runTimeline } from '../model/control/helpers.js';

function tinyResult(): RunResult {
  const r = runScenario({ files: ['tiny.yaml'], readFile: () => TINY_SCENARIO });
  if (!r.ok) throw new Error('tiny scenario failed to load');
  return r.result;
}
const result = tinyResult();

/** A bundled model's result (beyond L4: DNS, Ingress, external hosts), shortened; `set`: more overrides. */
function modelResult(path: string, set: readonly string[] = []): RunResult {
  const r = runScenario({ files: [path], set: ['Simulation.spec.duration=5s', 'Simulation.spec.warmup=1s', ...set] });
  if (!r.ok) throw new Error(`${path} failed to load`);
  return r.result;
}

/** Every numeric leaf of a value, as `a.b[*].c` paths. */
function numericLeaves(v: unknown, prefix = ''): string[] {
  if (typeof v === 'number' || v === null) return [prefix]; // null: a number that does not exist in this run
  if (Array.isArray(v)) return v.length ? numericLeaves(v[0], `${prefix}[*]`) : [];
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => numericLeaves(x, prefix ? `${prefix}.${k}` : k));
  return [];
}

describe('metric vocabulary', () => {
  test('names every numeric field of a RunResult except wall-clock figures and internals (kept in step with result.ts)', () => {
    const timeline = lbCluster({ podsPerNode: [1, 1], rate: 100 });
    const results = [
      result,
      modelResult('models/ingress-paths.yaml'),
      modelResult('models/externalname.yaml'),
      runTimeline(timeline, [restart(timeline, 2), { at: 20, kind: 'fail-node', node: 'node-1' }], 30),
      // A Gateway route with a timeout and a failing pod: the server-error and gateway-timeout reasons.
      modelResult('models/gateway-canary.yaml', ['Deployment/web-canary.spec.template.metadata.annotations.netsim/error-rate="50%"']),
    ];
    expect(results[3]!.events).toHaveLength(2);
    expect(results[1]!.ingress).toBeDefined();
    expect(results[2]!.dns).toBeDefined();
    expect(results[2]!.externalHosts).toBeDefined();
    const leaves = new Set(results.flatMap((r) => numericLeaves(r)));
    const excluded = (p: string) =>
      p === 'seed' ||
      p === 'warmup.note' ||
      p.startsWith('latency.histogram') ||
      p.startsWith('warmup.mser') ||
      p.startsWith('timeSeries.') ||
      p === 'ingress.upstreams[*].port' ||
      /^engine\.(wallSeconds|eventsPerWallSecond|requestsPerWallSecond)$/.test(p);
    const offered = new Set(metricNames().filter((m) => !m.includes('.') || m.split('.')[0] !== 'podShare'));
    for (const leaf of leaves) if (!excluded(leaf)) expect(offered, `RunResult field ${leaf} is not in RESULT_FIELDS`).toContain(leaf);
    for (const name of metricNames()) {
      if (name.includes('[*]') || /^(pod|node|zone|event)[A-Z]\w*\./.test(name) || ['throughput', 'dropFraction'].includes(name) || name.startsWith('latencyWithDrops.')) continue;
      expect(leaves, `RESULT_FIELDS names ${name}, which RunResult does not have`).toContain(name);
    }
    expect(Object.keys(RESULT_FIELDS).length).toBeGreaterThan(5);
  });

  test('paths read fields; null stays null', () => {
    expect(evaluateMetric(parseMetric('latency.p99'), result)).toBe(result.latency.p99);
    expect(evaluateMetric(parseMetric('accounting.measured.droppedTotal'), result)).toBe(result.accounting.measured.droppedTotal);
    expect(evaluateMetric(parseMetric('accounting.measured.dropped.queue-full'), result)).toBe(0);
    expect(evaluateMetric(parseMetric('pods[1].share'), result)).toBe(result.pods[1]!.share);
    expect(evaluateMetric(parseMetric('pods[99].share'), result)).toBeNull();
    const name = result.clients[0]!.client;
    expect(evaluateMetric(parseMetric(`clients["${name}"].meanLatency`), result)).toBe(result.clients[0]!.meanLatency);
    expect(evaluateMetric(parseMetric('latencyByPath.crossZone.p99'), result)).toBeNull(); // one zone: nothing crossed
  });

  test('aggregates over [*], shorthands and name patterns', () => {
    const shares = result.pods.map((p) => p.share!).filter((s) => s !== null);
    const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
    const sd = Math.sqrt(shares.reduce((a, s) => a + (s - mean) ** 2, 0) / shares.length);
    expect(evaluateMetric(parseMetric('podShare.max'), result)).toBe(Math.max(...shares));
    expect(evaluateMetric(parseMetric('pods[*].share.min'), result)).toBe(Math.min(...shares));
    expect(evaluateMetric(parseMetric('pods[*].share.sum'), result)).toBeCloseTo(1, 12);
    expect(evaluateMetric(parseMetric('podShare.cv'), result)).toBeCloseTo(sd / mean, 12);
    expect(evaluateMetric(parseMetric('podShare.imbalance'), result)).toBeCloseTo(Math.max(...shares) / mean, 12);
    expect(evaluateMetric(parseMetric('podShare.spread'), result)).toBeCloseTo(Math.max(...shares) - Math.min(...shares), 12);
    const bShares = result.pods.filter((p) => p.pod.startsWith('default/web-b')).map((p) => p.share!);
    expect(bShares).toHaveLength(1);
    expect(evaluateMetric(parseMetric('pods["default/web-b-*"].share.max'), result)).toBe(bShares[0]);
    expect(evaluateMetric(parseMetric('nodes[*].entryRequests.sum'), result)).toBe(result.nodes.reduce((a, n) => a + n.entryRequests, 0));
  });

  test('derived figures', () => {
    expect(evaluateMetric(parseMetric('throughput'), result)).toBeCloseTo(result.accounting.measured.completed / result.measuredSeconds, 9);
    expect(evaluateMetric(parseMetric('dropFraction'), result)).toBe(0);
  });

  test('units', () => {
    expect(parseMetric('latency.p99').unit).toBe('s');
    expect(parseMetric('paths.secondHopFraction').unit).toBe('fraction');
    expect(parseMetric('podShare.cv').unit).toBe('ratio');
    expect(parseMetric('podShare.max').unit).toBe('fraction');
    expect(parseMetric('throughput').unit).toBe('/s');
  });

  test.each([
    ['latency.p98', 8, /expected one of count, mean/],
    ['latncy.p99', 0, /expected one of measuredSeconds, .*throughput, dropFraction, (latencyWithDrops\.p\d+, )*podShare/],
    ['pods[*].share', 13, /expected an aggregate after a \[\*\] field/],
    ['podShare', 8, /expected an aggregate/],
    ['pods.share', 5, /expected \[N\], \[\*\] or \["name"\] after a list/],
    ['latency', 7, /expected one of count, .* after 'latency', found the end/],
    ['latency.p99.max', 12, /expected the end after the field/],
    ['pods[*].share.median', 14, /expected an aggregate/],
    ['engine.wallSeconds', 7, /wall-clock/],
    ['pods[*].nodes[*].x', 8, /expected one of requests, served/],
  ])('%s is refused (offset %i)', (name, offset, message) => {
    let err: unknown;
    try {
      parseMetric(name);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).message).toMatch(message);
    expect((err as ParseError).offset).toBe(offset);
  });
});

describe('latencyWithDrops: a percentile with dropped requests at +∞', () => {
  test('with no drop it is latency.pXX exactly', () => {
    expect(result.accounting.measured.droppedTotal + result.accounting.measured.inFlight).toBe(0);
    for (const p of ['p50', 'p90', 'p99', 'p999'] as const) {
      expect(evaluateMetric(parseMetric(`latencyWithDrops.${p}`), result)).toBe(result.latency[p]);
    }
  });

  test('dropped requests push the rank up, and past the completed ones to +∞', () => {
    const completed = result.latency.histogram.count;
    const withDrops = (dropped: number): RunResult => ({
      ...result,
      accounting: { ...result.accounting, measured: { ...result.accounting.measured, droppedTotal: dropped } },
    });
    // 1 % of 100 + drops: rank ⌈0.99 N⌉. With drops = 1 % of the total, p99 is the slowest completed request.
    const drops = Math.ceil(completed / 99);
    const at = (q: string, d: number) => evaluateMetric(parseMetric(`latencyWithDrops.${q}`), withDrops(d));
    expect(at('p99', 2 * drops)).toBe(Infinity);
    expect(at('p50', 2 * drops)!).toBeGreaterThanOrEqual(result.latency.p50!);
    expect(at('p50', 2 * drops)!).toBeLessThan(Infinity);
    // The derived value is the quantile of the completed requests at the shifted rank.
    expect(at('p90', 0)).toBe(result.latency.p90);
    expect(parseMetric('latencyWithDrops.p99').unit).toBe('s');
  });
});
