/**
 * The metric vocabulary of experiments: names for numbers read off a {@link RunResult}.
 *
 *     latency.p99                      a field, by its path in result.json
 *     accounting.measured.droppedTotal
 *     accounting.measured.dropped.queue-full
 *     pods[0].share   clients["browser"].meanLatency      one item of a list, by index or by name
 *     pods[*].utilisation.max          every item of a list, reduced by an aggregate
 *     pods["default/api-*"].share.cv   the items whose name matches a pattern (`*`: any characters)
 *     podShare.max                     shorthand for pods[*].share.max
 *     throughput  dropFraction         derived figures
 *     latencyWithDrops.p99             a percentile with dropped requests counted at +∞ (may be +∞)
 *     cost.perHour  cost.perMonth      what the configuration costs (experiment/cost.ts)
 *
 * Aggregates over a list (`[*]`): `max`, `min`, `mean`, `sum`, `spread` (max − min), `cv` (coefficient of
 * variation: population standard deviation / mean) and `imbalance` (max / mean: 1 is perfectly even, 2
 * means the busiest item has twice the average). Items whose value is null (a share of nothing) are left
 * out; a metric with no value at all is null for that run, and left out of the statistics.
 *
 * Wall-clock figures (`engine.wallSeconds`, ...) are not metrics: they differ between identical runs and
 * would make summaries irreproducible.
 */
import { ParseError } from '../engine/parse-error.js';
import { LatencyHistogram } from '../engine/stats/latency-histogram.js';
import { quantileRank } from '../engine/stats/quantile-rank.js';
import type { RunResult } from '../model/result.js';

/** How a leaf's value is measured, for summaries and CSV headers. */
export type MetricUnit = 's' | 'fraction' | 'count' | 'bytes' | 'cost' | '/s' | 'ratio';

type Tree = { readonly [key: string]: Tree | MetricUnit | ListNode };
interface ListNode {
  readonly list: Tree;
  /** The field that names an item (`pods["web-0"]`). */
  readonly key: string;
}

const DROP_REASON_NAMES = [
  'no-endpoints',
  'no-local-endpoint',
  'no-healthy-lb-target',
  'conntrack-full',
  'queue-full',
  'timeout',
  'not-proxied',
  'dns-failure',
  'no-route',
  'connection-refused',
  'pod-gone',
  'pod-killed',
  'node-down',
  'server-error',
  'gateway-timeout',
] as const;

/** Stages of `latencyByStage`, in result order (see model/stages.ts). */
const STAGE_NAMES = ['dns', 'retries', 'ingressQueue', 'ingressProcessing', 'podQueue', 'podService', 'external', 'proxy', 'network'] as const;

const LATENCY: Tree = { count: 'count', mean: 's', min: 's', p50: 's', p90: 's', p99: 's', p999: 's', max: 's' };
const STAGE: Tree = { requests: 'count', mean: 's', p50: 's', p90: 's', p99: 's', max: 's', share: 'fraction' };
const COUNTS: Tree = {
  generated: 'count',
  completed: 'count',
  dropped: Object.fromEntries(DROP_REASON_NAMES.map((r) => [r, 'count' as const])),
  droppedTotal: 'count',
  inFlight: 'count',
  retries: 'count',
};

/** Every numeric field of RunResult that may be named (kept in step with result.ts by a test). */
export const RESULT_FIELDS: Tree = {
  measuredSeconds: 's',
  stop: { generationEnd: 's', drainLimit: 's' },
  warmup: { end: 's', segments: 'count', firstMeasuredSegment: 'count' },
  accounting: { total: COUNTS, warmup: COUNTS, measured: COUNTS },
  latency: LATENCY,
  latencyByPath: { local: LATENCY, secondHop: LATENCY, crossZone: LATENCY },
  paths: {
    requests: 'count',
    secondHop: 'count',
    secondHopFraction: 'fraction',
    crossZone: 'count',
    crossZoneFraction: 'fraction',
    crossZoneBytes: 'bytes',
    crossZoneCost: 'cost',
  },
  cost: {
    nodes: 'count',
    loadBalancers: 'count',
    nodesPerHour: 'cost',
    loadBalancersPerHour: 'cost',
    crossZonePerHour: 'cost',
    loadBalancerTrafficPerHour: 'cost',
    perHour: 'cost',
    perMonth: 'cost',
    hoursPerMonth: 'count',
  },
  pods: {
    key: 'pod',
    list: {
      requests: 'count',
      served: 'count',
      refused: 'count',
      connections: 'count',
      share: 'fraction',
      utilisation: 'fraction',
      meanBusyServers: 'ratio',
      meanQueueLength: 'ratio',
      sources: { clientIp: 'count', nodeIp: 'count', loadBalancer: 'count' },
    },
  },
  nodes: {
    key: 'node',
    list: {
      entryRequests: 'count',
      forwarded: 'count',
      dropped: 'count',
      newConnections: 'count',
      conntrackPeak: 'count',
      conntrackAtEnd: 'count',
    },
  },
  zones: { key: 'zone', list: { requestsServed: 'count', crossZoneBytesSent: 'bytes' } },
  clients: {
    key: 'client',
    list: { generated: 'count', completed: 'count', dropped: 'count', meanLatency: 's', connectionsOpened: 'count' },
  },
  engine: { events: 'count', simulatedSeconds: 's', peakRequestsInFlight: 'count', connectionsOpened: 'count' },
  latencyByStage: Object.fromEntries(STAGE_NAMES.map((s) => [s, STAGE])),
  dns: {
    lookups: 'count',
    clientCacheHits: 'count',
    queries: 'count',
    nxdomain: 'count',
    serverCacheHits: 'count',
    serverCacheMisses: 'count',
    upstreamQueries: 'count',
    timeouts: 'count',
    failures: 'count',
    lostQueries: 'count',
    resolution: LATENCY,
    servers: {
      key: 'pod',
      list: { queries: 'count', cacheHits: 'count', utilisation: 'fraction', meanQueueLength: 'ratio' },
    },
  },
  ingress: {
    requests: 'count',
    noRoute: 'count',
    upstreamRetries: 'count',
    upstreams: { key: 'service', list: { endpoints: 'count', requests: 'count', retries: 'count' } },
  },
  events: {
    key: 'kind',
    list: {
      at: 's',
      end: 's',
      requestsLost: 'count',
      lostByReason: Object.fromEntries(DROP_REASON_NAMES.map((r) => [r, 'count' as const])),
      longestGap: 's',
      recovery: 's',
    },
  },
  externalHosts: {
    key: 'host',
    list: { requests: 'count', served: 'count', refused: 'count', utilisation: 'fraction', meanQueueLength: 'ratio' },
  },
};

/** Shorthands: `podShare.max` = `pods[*].share.max`. */
export const SHORTHANDS: Readonly<Record<string, string>> = {
  podShare: 'pods[*].share',
  podUtilisation: 'pods[*].utilisation',
  podQueueLength: 'pods[*].meanQueueLength',
  nodeEntryRequests: 'nodes[*].entryRequests',
  zoneRequests: 'zones[*].requestsServed',
  eventLoss: 'events[*].requestsLost',
  eventRecovery: 'events[*].recovery',
};

export const AGGREGATES = ['max', 'min', 'mean', 'sum', 'spread', 'cv', 'imbalance'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/**
 * A latency percentile over every measured request, dropped ones (and any still in flight) counted at +∞:
 * a dropped request met no latency bound. Nearest rank over completed + dropped + in flight; the rank's
 * value comes from the run's latency histogram, so with no drop it equals `latency.pXX` exactly. +∞ when
 * the rank falls among the dropped requests (more than 1 % dropped, for p99); null when nothing was sent.
 */
export function latencyWithDrops(r: Pick<RunResult, 'latency' | 'accounting'>, q: number): number | null {
  const m = r.accounting.measured;
  const completed = r.latency.histogram.count;
  const total = completed + m.droppedTotal + m.inFlight;
  if (total === 0) return null;
  const rank = quantileRank(q, total);
  if (rank > completed) return Infinity;
  // The rank-th smallest completed latency: quantile q' of the completed with ⌈q'·completed⌉ = rank.
  return LatencyHistogram.fromJSON(r.latency.histogram).quantile((rank - 0.5) / completed);
}

const WITH_DROPS = { p50: 0.5, p90: 0.9, p99: 0.99, p999: 0.999 } as const;

/** Figures computed from several fields. `unbounded`: the figure may be +∞ (kept as such, not as null). */
export const DERIVED: Readonly<Record<string, { readonly unit: MetricUnit; readonly describe: string; readonly of: (r: RunResult) => number | null; readonly unbounded?: boolean }>> = {
  throughput: {
    unit: '/s',
    describe: 'measured requests completed per simulated second of the measurement window',
    of: (r) => (r.measuredSeconds > 0 ? r.accounting.measured.completed / r.measuredSeconds : null),
  },
  dropFraction: {
    unit: 'fraction',
    describe: 'measured requests dropped / measured requests generated',
    of: (r) => (r.accounting.measured.generated > 0 ? r.accounting.measured.droppedTotal / r.accounting.measured.generated : null),
  },
  ...Object.fromEntries(
    Object.entries(WITH_DROPS).map(([name, q]) => [
      `latencyWithDrops.${name}`,
      {
        unit: 's' as const,
        describe: `the ${name} of measured requests with dropped ones counted at +∞ (+∞ when the rank falls among them)`,
        of: (r: RunResult) => latencyWithDrops(r, q),
        unbounded: true,
      },
    ]),
  ),
};

const WALL_CLOCK = ['wallSeconds', 'eventsPerWallSecond', 'requestsPerWallSecond'];

type Step =
  | { readonly kind: 'key'; readonly key: string; readonly offset: number }
  | { readonly kind: 'index'; readonly index: number; readonly offset: number }
  | { readonly kind: 'name'; readonly name: string; readonly offset: number }
  | { readonly kind: 'all'; readonly offset: number };

/** A metric, parsed and checked: evaluate it with {@link evaluateMetric}. */
export interface MetricSpec {
  readonly name: string;
  readonly unit: MetricUnit;
  /** `derived` figures, or a path with at most one `[*]` and then an aggregate. */
  readonly derived?: string;
  readonly steps?: readonly Step[];
  readonly aggregate?: Aggregate;
}

function isTree(n: Tree | MetricUnit | ListNode | undefined): n is Tree {
  return typeof n === 'object' && !('list' in n && 'key' in n && typeof (n as ListNode).key === 'string');
}
function isList(n: Tree | MetricUnit | ListNode | undefined): n is ListNode {
  return typeof n === 'object' && 'list' in n && typeof (n as ListNode).key === 'string';
}

/** Splits `pods[*].share.max` into steps. Throws ParseError (offsets into `text`). */
function tokenize(text: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  const ident = /^[A-Za-z_][A-Za-z0-9_-]*/;
  const first = ident.exec(text);
  if (!first) throw new ParseError(`expected a metric such as latency.p99 or podShare.max, found '${text.slice(0, 20)}'`, 0, Math.max(1, text.length));
  steps.push({ kind: 'key', key: first[0], offset: 0 });
  i = first[0].length;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      const m = ident.exec(text.slice(i + 1));
      if (!m) throw new ParseError(`expected a field name after '.', found '${text[i + 1] ?? 'the end'}'`, i + 1, 1);
      steps.push({ kind: 'key', key: m[0], offset: i + 1 });
      i += 1 + m[0].length;
    } else if (c === '[') {
      const rest = text.slice(i);
      let m: RegExpExecArray | null;
      if ((m = /^\[\*\]/.exec(rest))) steps.push({ kind: 'all', offset: i });
      else if ((m = /^\[(\d+)\]/.exec(rest))) steps.push({ kind: 'index', index: Number(m[1]), offset: i });
      else if ((m = /^\["((?:[^"\\]|\\.)*)"\]/.exec(rest))) steps.push({ kind: 'name', name: JSON.parse(`"${m[1]}"`) as string, offset: i });
      else throw new ParseError(`expected [N], [*] or ["name"], found '${rest.slice(0, 8)}'`, i, 1);
      i += m[0].length;
    } else {
      throw new ParseError(`expected '.' or '[', found '${c}'`, i, 1);
    }
  }
  return steps;
}

function known(tree: Tree): string[] {
  return Object.keys(tree);
}

/**
 * Parses and checks a metric name. Throws ParseError (with an offset into `name`) when it names nothing;
 * the message lists what could follow at that point.
 */
export function parseMetric(name: string): MetricSpec {
  const derived = DERIVED[name];
  if (derived) return { name, unit: derived.unit, derived: name };
  let text = name;
  let shift = 0;
  const head = /^[A-Za-z_][A-Za-z0-9_]*/.exec(name)?.[0];
  if (head !== undefined && SHORTHANDS[head] !== undefined) {
    text = SHORTHANDS[head] + name.slice(head.length);
    shift = SHORTHANDS[head].length - head.length;
  }
  const at = (offset: number): number => Math.max(0, offset - shift);
  const steps = tokenize(text);
  let node: Tree | MetricUnit | ListNode = RESULT_FIELDS;
  let wildcard = false;
  let k = 0;
  for (; k < steps.length; k++) {
    const s = steps[k]!;
    if (typeof node === 'string') break; // a leaf: what follows must be an aggregate
    if (isList(node)) {
      if (s.kind === 'key') throw new ParseError(`expected [N], [*] or ["name"] after a list, found '.${s.key}'`, at(s.offset), 1);
      if (s.kind === 'all' || (s.kind === 'name' && s.name.includes('*'))) {
        if (wildcard) throw new ParseError('expected at most one [*] or ["pattern*"] in a metric, found a second', at(s.offset), 3);
        wildcard = true;
      }
      node = node.list;
      continue;
    }
    if (s.kind !== 'key') throw new ParseError(`expected '.field' here, found an index (this is not a list)`, at(s.offset), 1);
    if (WALL_CLOCK.includes(s.key) && k > 0 && steps[k - 1]!.kind === 'key' && (steps[k - 1] as { key: string }).key === 'engine') {
      throw new ParseError(`expected a metric that does not depend on the machine, found the wall-clock figure engine.${s.key}`, at(s.offset), s.key.length);
    }
    const next: Tree | MetricUnit | ListNode | undefined = (node as Tree)[s.key];
    if (next === undefined) {
      const fields = known(node as Tree);
      const extra = k === 0 ? [...Object.keys(DERIVED), ...Object.keys(SHORTHANDS)] : [];
      throw new ParseError(`expected one of ${[...fields, ...extra].join(', ')}, found '${s.key}'`, at(s.offset), s.key.length);
    }
    node = next;
  }
  if (typeof node !== 'string') {
    const what = isList(node) ? '[N], [*] or ["name"]' : `one of ${known(node as Tree).join(', ')}`;
    throw new ParseError(`expected ${what} after '${name}', found the end`, name.length, 1);
  }
  const unit = node;
  const tail = steps.slice(k);
  if (!wildcard) {
    if (tail.length > 0) throw new ParseError(`expected the end after the field, found more`, at(tail[0]!.offset), name.length - at(tail[0]!.offset));
    return { name, unit, steps };
  }
  const agg = tail[0];
  if (tail.length !== 1 || agg?.kind !== 'key' || !(AGGREGATES as readonly string[]).includes(agg.key)) {
    const off = agg ? at(agg.offset) : name.length;
    throw new ParseError(
      `expected an aggregate after a [*] field (.${AGGREGATES.join(', .')}), found ${agg ? `'${name.slice(off)}'` : 'the end'}`,
      off,
      Math.max(1, name.length - off),
    );
  }
  const aggregate = agg.key as Aggregate;
  const aggUnit: MetricUnit = aggregate === 'cv' || aggregate === 'imbalance' ? 'ratio' : unit;
  return { name, unit: aggUnit, steps: steps.slice(0, k), aggregate };
}

/** Every metric name the vocabulary offers without indexes (for suggestions and documentation). */
export function metricNames(): string[] {
  const out: string[] = [...Object.keys(DERIVED)];
  const walk = (tree: Tree, prefix: string): void => {
    for (const [k, v] of Object.entries(tree)) {
      const p = prefix ? `${prefix}.${k}` : k;
      if (typeof v === 'string') out.push(p);
      else if (isList(v)) walk(v.list, `${p}[*]`);
      else walk(v, p);
    }
  };
  walk(RESULT_FIELDS, '');
  for (const short of Object.keys(SHORTHANDS)) for (const a of AGGREGATES) out.push(`${short}.${a}`);
  return out;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function walkValue(value: unknown, steps: readonly Step[], from: number, lists: readonly ListNode[], depth: number, out: (number | null)[]): void {
  let v: unknown = value;
  let listDepth = depth;
  for (let k = from; k < steps.length; k++) {
    const s = steps[k]!;
    if (v === null || v === undefined) {
      out.push(null);
      return;
    }
    if (s.kind === 'key') v = (v as Record<string, unknown>)[s.key];
    else if (s.kind === 'index') v = Array.isArray(v) ? v[s.index] : undefined;
    else if (s.kind === 'name' && !s.name.includes('*')) {
      const key = lists[listDepth++]!.key;
      v = Array.isArray(v) ? v.find((item) => (item as Record<string, unknown>)[key] === s.name) : undefined;
    } else {
      if (!Array.isArray(v)) {
        out.push(null);
        return;
      }
      const key = lists[listDepth]!.key;
      const match = s.kind === 'name' ? globRegExp(s.name) : null;
      for (const item of v) {
        if (match && !match.test(String((item as Record<string, unknown>)[key]))) continue;
        walkValue(item, steps, k + 1, lists, listDepth + 1, out);
      }
      return;
    }
    if (s.kind === 'index') listDepth++;
  }
  out.push(num(v));
}

const globCache = new Map<string, RegExp>();

/** `default/api-*` -> /^default\/api-.*$/ (only `*` is special). */
function globRegExp(pattern: string): RegExp {
  let re = globCache.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`);
    globCache.set(pattern, re);
  }
  return re;
}

/** The list nodes met along a path, in order (for name lookups). */
function listsAlong(steps: readonly Step[]): ListNode[] {
  const lists: ListNode[] = [];
  let node: Tree | MetricUnit | ListNode = RESULT_FIELDS;
  for (const s of steps) {
    if (typeof node === 'string') break;
    if (isList(node)) {
      lists.push(node);
      node = node.list;
    } else if (s.kind === 'key' && isTree(node)) node = node[s.key] ?? 'count';
  }
  return lists;
}

function aggregate(values: readonly number[], how: Aggregate): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  let max = -Infinity;
  let min = Infinity;
  for (const v of values) {
    sum += v;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  const mean = sum / values.length;
  switch (how) {
    case 'max':
      return max;
    case 'min':
      return min;
    case 'sum':
      return sum;
    case 'mean':
      return mean;
    case 'spread':
      return max - min;
    case 'imbalance':
      return mean === 0 ? null : max / mean;
    case 'cv': {
      if (mean === 0) return null;
      let ss = 0;
      for (const v of values) ss += (v - mean) * (v - mean);
      return Math.sqrt(ss / values.length) / mean;
    }
  }
}

const listCache = new WeakMap<MetricSpec, ListNode[]>();

/** The metric's value in one run: a finite number (+∞ only for latencyWithDrops.*), or null when the run has none (e.g. p99 of nothing). */
export function evaluateMetric(metric: MetricSpec, result: RunResult): number | null {
  if (metric.derived !== undefined) {
    const d = DERIVED[metric.derived]!;
    const v = d.of(result);
    return d.unbounded && v === Infinity ? v : num(v);
  }
  const steps = metric.steps!;
  let lists = listCache.get(metric);
  if (!lists) {
    lists = listsAlong(steps);
    listCache.set(metric, lists);
  }
  const values: (number | null)[] = [];
  walkValue(result, steps, 0, lists, 0, values);
  if (metric.aggregate === undefined) return values[0] ?? null;
  return aggregate(values.filter((v): v is number => v !== null), metric.aggregate);
}

/** Evaluates several metrics; keys in the order given. */
export function evaluateMetrics(metrics: readonly MetricSpec[], result: RunResult): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const m of metrics) out[m.name] = evaluateMetric(m, result);
  return out;
}
