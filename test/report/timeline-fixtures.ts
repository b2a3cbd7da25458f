/**
 * Hand-built results with a timeline, for the report's timeline panels and Events table. The model that
 * fills `events` and the new time-series fields is being written separately; these fixtures follow the
 * types of src/model/result.ts, with numbers chosen so the expected figures are easy to check by hand.
 */
import { LatencyHistogram } from '../../src/engine/stats/latency-histogram.js';
import type { DropReason, EventResult, LatencySummary, RequestCounts, WindowSeries } from '../../src/model/result.js';
import type { ReportInput, ReportPoint, RunView, TimeSeries } from '../../src/report/inputs.js';

const NO_LATENCY: LatencySummary = { count: 0, mean: null, min: null, p50: null, p90: null, p99: null, p999: null, max: null };

function counts(generated: number, completed: number, dropped: Partial<Record<DropReason, number>>): RequestCounts {
  const total = Object.values(dropped).reduce((a, b) => a + (b ?? 0), 0);
  const all = Object.fromEntries(
    (['no-endpoints', 'no-local-endpoint', 'no-healthy-lb-target', 'conntrack-full', 'queue-full', 'timeout', 'not-proxied', 'dns-failure', 'no-route', 'connection-refused', 'pod-gone', 'pod-killed', 'node-down'] as DropReason[]).map((r) => [
      r,
      dropped[r] ?? 0,
    ]),
  ) as Record<DropReason, number>;
  return { generated, completed, dropped: all, droppedTotal: total, inFlight: generated - completed - total, retries: 0 };
}

export interface SeriesSpec {
  /** Number of windows and their length (seconds); windows start at `start0`. */
  readonly windows: number;
  readonly window?: number;
  readonly start0?: number;
  readonly offered?: (i: number) => number;
  /** Drops per window and reason. */
  readonly drops?: Partial<Record<DropReason, (i: number) => number>>;
  /** Extra drops counted in `dropped` but in no reason (to test the remainder). */
  readonly unsplit?: (i: number) => number;
  readonly readyEndpoints?: readonly { name: string; value: (i: number) => number }[];
  readonly nodeEndpoints?: readonly { name: string; value: (i: number) => number }[];
  readonly healthyTargets?: readonly { name: string; value: (i: number) => number }[];
  readonly replicas?: readonly { name: string; value: (i: number) => number }[];
  /** Leave out droppedByReason (a series with a timeline field but no split). */
  readonly noReasons?: boolean;
}

export function series(spec: SeriesSpec): TimeSeries {
  const window = spec.window ?? 1;
  const n = spec.windows;
  const idx = Array.from({ length: n }, (_, i) => i);
  const start = idx.map((i) => (spec.start0 ?? 0) + i * window);
  const offered = idx.map((i) => spec.offered?.(i) ?? 100);
  const byReason: Partial<Record<DropReason, number[]>> = {};
  for (const [reason, f] of Object.entries(spec.drops ?? {}) as [DropReason, (i: number) => number][]) byReason[reason] = idx.map(f);
  const dropped = idx.map((i) => Object.values(byReason).reduce((s, v) => s + v[i]!, 0) + (spec.unsplit?.(i) ?? 0));
  const completed = idx.map((i) => Math.max(0, offered[i]! - dropped[i]!));
  const lines = (xs?: readonly { name: string; value: (i: number) => number }[]): WindowSeries[] | undefined =>
    xs?.map((x) => ({ name: x.name, values: idx.map(x.value) }));
  return {
    window,
    start,
    completed,
    dropped,
    p99: idx.map((i) => (completed[i]! > 0 ? 0.02 + dropped[i]! * 0.001 : null)),
    offered,
    ...(spec.noReasons ? {} : { droppedByReason: byReason }),
    ...(spec.readyEndpoints ? { readyEndpoints: lines(spec.readyEndpoints) } : {}),
    ...(spec.nodeEndpoints ? { nodeEndpoints: lines(spec.nodeEndpoints) } : {}),
    ...(spec.healthyTargets ? { healthyTargets: lines(spec.healthyTargets) } : {}),
    ...(spec.replicas ? { replicas: lines(spec.replicas) } : {}),
  };
}

export function event(e: Partial<EventResult> & Pick<EventResult, 'kind' | 'target' | 'at'>): EventResult {
  return { end: null, requestsLost: 0, lostByReason: {}, longestGap: 0, recovery: null, notes: [], ...e };
}

/** A run with a time series and events; the rest is small but valid (one pod, a real histogram). */
export function run(scenario: string, ts: TimeSeries | undefined, events: readonly EventResult[] | undefined, seed: number | string = 1): RunView {
  const histogram = new LatencyHistogram();
  for (let i = 1; i <= 200; i++) histogram.record(0.01 + i * 0.0001);
  const generated = ts ? (ts.offered ?? []).reduce((a, b) => a + b, 0) : 200;
  const dropped = ts?.droppedByReason ? Object.fromEntries(Object.entries(ts.droppedByReason).map(([r, v]) => [r, v!.reduce((a, b) => a + b, 0)])) : {};
  const measured = counts(generated, generated - Object.values(dropped).reduce((a, b) => a + b, 0), dropped);
  const measuredSeconds = ts ? ts.start.length * ts.window : 2;
  return {
    scenario,
    seed,
    warmup: { mode: 'none', end: 0, segments: 1, firstMeasuredSegment: 0, mser: null, note: null },
    measuredSeconds,
    accounting: { total: measured, warmup: counts(0, 0, {}), measured },
    latency: { count: 200, mean: 0.02, min: 0.0101, p50: 0.02, p90: 0.028, p99: 0.0298, p999: 0.03, max: 0.03, histogram: histogram.toJSON() },
    latencyByPath: { local: NO_LATENCY, secondHop: NO_LATENCY, crossZone: NO_LATENCY },
    paths: { requests: 200, secondHop: 0, secondHopFraction: 0, crossZone: 0, crossZoneFraction: 0, crossZoneBytes: 0, crossZoneCost: 0 },
    pods: [
      {
        pod: 'shop/web-1',
        node: 'node-1',
        zone: 'a',
        requests: 200,
        served: 200,
        refused: 0,
        connections: 10,
        share: 1,
        utilisation: 0.5,
        meanBusyServers: 0.5,
        meanQueueLength: 0,
        sources: { clientIp: 200, nodeIp: 0, loadBalancer: 0 },
        services: ['shop/web'],
      },
    ],
    nodes: [{ node: 'node-1', zone: 'a', entryRequests: 200, forwarded: 0, dropped: 0, newConnections: 10, conntrackPeak: 10, conntrackAtEnd: 0 }],
    zones: [{ zone: 'a', requestsServed: 200, crossZoneBytesSent: 0 }],
    ...(ts ? { timeSeries: ts } : {}),
    ...(events ? { events } : {}),
  };
}

/** An input of one point per configuration, each with its replications. */
export function input(kind: 'run' | 'sweep', configurations: readonly { name: string; runs: readonly RunView[]; load?: string }[]): ReportInput {
  const points: ReportPoint[] = configurations.map((c, i) => ({
    id: `p${i}`,
    configuration: c.name,
    parameters: kind === 'sweep' ? [{ name: 'policy', value: c.name }, { name: 'load', value: c.load ?? '100/s' }] : [],
    runs: c.runs.map((result, r) => ({ replication: r, seed: result.seed, result, metrics: {} })),
  }));
  return {
    kind,
    name: 'timeline',
    provenance: {
      scenarios: [...new Set(configurations.flatMap((c) => c.runs.map((r) => r.scenario)))],
      experiment: kind === 'sweep' ? 'timeline-sweep' : null,
      files: [],
      overrides: [],
      seeds: [...new Set(configurations.flatMap((c) => c.runs.map((r) => r.seed)))],
      replications: Math.max(...configurations.map((c) => c.runs.length)),
      confidenceLevel: kind === 'sweep' ? 0.95 : null,
      tool: 'kube-netsim 0.1.0',
      parameters: kind === 'sweep' ? ['policy: Service/web.spec.externalTrafficPolicy', 'load: Workload.spec.clients[0].rate'] : [],
      warnings: [],
    },
    configurations: configurations.map((c) => c.name),
    loadParameter: kind === 'sweep' ? 'load' : null,
    points,
    differences: [],
  };
}

/**
 * The rollout story, 60 windows of 1 s at 100 req/s: a rollout at 10 s (over at 25 s) and a drain at 11 s
 * (labels close together), a zone failure at 40 s that is not over by the end, and a scale-up at 0.5 s (no
 * window before it: recovery n/a). Drops: pod-killed in windows 10-14 (4 each), connection-refused in 12-13
 * (3 each), node-down from 40 on (10 each), and 1 unsplit drop in window 50.
 */
export const ROLLOUT_EVENTS: readonly EventResult[] = [
  event({ kind: 'fail-zone', target: 'zone us-east-1a', at: 40, end: null, requestsLost: 200, lostByReason: { 'node-down': 200 }, longestGap: 1.5, recovery: null }),
  event({
    kind: 'rollout',
    target: 'Deployment shop/web',
    at: 10,
    end: 25,
    requestsLost: 26,
    lostByReason: { 'pod-killed': 20, 'connection-refused': 6 },
    longestGap: 0.25,
    recovery: 18,
    notes: ['maxUnavailable 1: one pod at a time'],
  }),
  event({ kind: 'drain', target: 'node node-2', at: 11, end: 20, requestsLost: 6, lostByReason: { 'connection-refused': 6 }, longestGap: 0.1, recovery: 9, notes: ['eviction of shop/web-3 held back by PodDisruptionBudget shop/web'] }),
  event({ kind: 'scale', target: 'Deployment shop/web', at: 0.5, end: 3, requestsLost: 0, longestGap: 0.01, recovery: null }),
];

export function rolloutSeries(): TimeSeries {
  return series({
    windows: 60,
    drops: {
      'pod-killed': (i) => (i >= 10 && i <= 14 ? 4 : 0),
      'connection-refused': (i) => (i === 12 || i === 13 ? 3 : 0),
      'node-down': (i) => (i >= 40 ? 10 : 0),
    },
    unsplit: (i) => (i === 50 ? 1 : 0),
    readyEndpoints: [{ name: 'shop/web', value: (i) => (i >= 40 ? 2 : i >= 10 && i < 25 ? 3 : 4) }],
    nodeEndpoints: [
      { name: 'node-1', value: () => 2 },
      { name: 'node-2', value: (i) => (i >= 11 && i < 20 ? 0 : 2) },
    ],
    healthyTargets: [{ name: 'lb shop/web', value: (i) => (i >= 40 ? 2 : 3) }],
    replicas: [{ name: 'shop/web', value: (i) => (i >= 1 && i < 3 ? 5 : 4) }],
  });
}
