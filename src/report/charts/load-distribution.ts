/**
 * Load distribution: each pod's and each node's share of the requests, as bars coloured by zone, with the
 * even share (1/n) as a dashed line, so the imbalance from `externalTrafficPolicy: Local`, keep-alive or
 * a hashed load balancer is visible at a glance. One column per configuration.
 *
 * Pods are grouped by the Services they back: behind an Ingress every request is served twice, by a
 * controller pod and by a backend pod, and two backends may take different paths. Each pod's share and
 * its even share are within its group (4 app pods: 25 % each; 2 controller pods: 50 % each), which is
 * what says whether that tier is balanced.
 */
import * as Plot from '@observablehq/plot';
import { formatCount, formatPercent, round } from '../data/format.js';
import { busiestPointPerConfiguration, resultsOf, situationNote } from '../data/runs.js';
import type { ReportInput, ReportPoint, RunView } from '../inputs.js';
import { fitTextMiddle, textWidth } from '../render/text-width.js';
import { EVEN_SHARE_COLOUR, FONT_SIZE } from '../render/theme.js';
import type { ChartOutcome, LegendItem } from './chart.js';

export const LOAD_DISTRIBUTION_ID = 'load-distribution';
const TITLE = 'Load distribution over pods and nodes';
/** At most this many configurations are drawn side by side (the CSV has them all). */
export const MAX_CONFIGURATIONS = 4;
/** Zone colours: muted, so they are not mistaken for the configurations' colours of the other charts. */
const ZONE_PALETTE = ['#5b84b1', '#d08c60', '#6fa36b', '#9d7bb0', '#b5a55a', '#5fa8a8', '#c4707f', '#8c8c8c'];

export interface ShareRow {
  readonly configuration: string;
  readonly kind: 'pod' | 'node';
  /** Pod (`namespace/name`) or node name. */
  readonly name: string;
  readonly zone: string;
  /** For pods: the Services the pod backs (`ns/name`, comma-separated), its share group; '' for nodes. */
  readonly group: string;
  /** Requests, summed over the point's replications. */
  readonly requests: number;
  /** requests / requests of all rows of the same configuration, kind and group; 0..1. */
  readonly share: number;
  /** For nodes: requests that entered the cluster at the node (kube-proxy there chose), summed. */
  readonly entryRequests: number | null;
}

export interface EvenShare {
  readonly configuration: string;
  readonly kind: 'pod' | 'node';
  /** See ShareRow.group. */
  readonly group: string;
  /** Number of pods (nodes) sharing the load. */
  readonly n: number;
  /** 1 / n. */
  readonly share: number;
}

export interface LoadDistributionData {
  readonly rows: readonly ShareRow[];
  readonly even: readonly EvenShare[];
  readonly configurations: readonly string[];
  /** Configurations left out of the drawing (more than MAX_CONFIGURATIONS). */
  readonly omitted: readonly string[];
  /** Pods left out as not serving the load (see servingPods). */
  readonly excludedPods: number;
  readonly situation: string;
}

/** `ns/deploy-5d9f-abcde` -> `ns/deploy-5d9f`: the pod's workload, by Kubernetes' naming of owned pods. */
function workloadOf(pod: string): string {
  const i = pod.lastIndexOf('-');
  return i > pod.lastIndexOf('/') + 1 ? pod.slice(0, i) : pod;
}

/**
 * The pods that share the load: placed on a node and backing a Service that served requests. From
 * `pods[].services` (the Services whose ready endpoints include the pod): the Services of the pods some
 * request reached in some replication, and every placed pod of those Services (and any pod a request
 * reached), so a backend pod that got nothing stays in (its 0 is the imbalance to show) and a client pod that backs no Service is left out.
 *
 * Results written before `pods[].services` existed fall back to a guess: pods reached by a request, or of
 * the same workload (name up to the last `-`) as one that was.
 */
export function servingPods(runs: readonly RunView[]): Set<string> {
  const withServices = runs.every((run) => run.pods.every((p) => Array.isArray((p as { services?: unknown }).services)));
  if (!withServices) return guessedServingPods(runs);
  const services = new Set<string>();
  const reached = new Set<string>();
  for (const run of runs) {
    for (const p of run.pods) {
      if (p.requests === 0) continue;
      reached.add(p.pod);
      for (const s of p.services) services.add(s);
    }
  }
  const serving = new Set<string>();
  for (const run of runs) {
    for (const p of run.pods) if (p.node !== null && (reached.has(p.pod) || p.services.some((s) => services.has(s)))) serving.add(p.pod);
  }
  return serving;
}

/** The old guess, for results without `pods[].services` (see servingPods). */
export function guessedServingPods(runs: readonly RunView[]): Set<string> {
  const reached = new Set<string>();
  const placed = new Set<string>();
  for (const run of runs) {
    for (const p of run.pods) {
      if (p.node !== null) placed.add(p.pod);
      if (p.requests > 0) reached.add(p.pod);
    }
  }
  const workloads = new Set([...reached].map(workloadOf));
  return new Set([...placed].filter((p) => reached.has(p) || workloads.has(workloadOf(p))));
}

/** The Services a pod backs, as its share group ('' in results written before `pods[].services`). */
function groupOf(pod: RunView['pods'][number]): string {
  const services = (pod as { services?: unknown }).services;
  return Array.isArray(services) ? [...(services as string[])].sort().join(', ') : '';
}

function pointRows(configuration: string, point: ReportPoint): { rows: ShareRow[]; even: EvenShare[]; excluded: number } {
  const runs = resultsOf(point);
  const serving = servingPods(runs);
  const pods = new Map<string, { zone: string; node: string; group: string; requests: number }>();
  const allPods = new Set<string>();
  for (const run of runs) {
    for (const p of run.pods) {
      allPods.add(p.pod);
      if (!serving.has(p.pod)) continue;
      const entry = pods.get(p.pod) ?? { zone: p.zone ?? '', node: p.node ?? '', group: groupOf(p), requests: 0 };
      entry.requests += p.requests;
      pods.set(p.pod, entry);
    }
  }
  const nodeZone = new Map<string, string>();
  const entry = new Map<string, number>();
  for (const run of runs) {
    for (const n of run.nodes) {
      nodeZone.set(n.node, n.zone);
      entry.set(n.node, (entry.get(n.node) ?? 0) + n.entryRequests);
    }
  }
  const nodes = new Map<string, { zone: string; requests: number }>();
  for (const p of pods.values()) {
    const n = nodes.get(p.node) ?? { zone: nodeZone.get(p.node) ?? p.zone, requests: 0 };
    n.requests += p.requests;
    nodes.set(p.node, n);
  }
  const podList = [...pods.entries()].sort(
    (a, b) => compare(a[1].group, b[1].group) || compare(a[1].zone, b[1].zone) || compare(a[1].node, b[1].node) || compare(a[0], b[0]),
  );
  const nodeList = [...nodes.entries()].sort((a, b) => compare(a[1].zone, b[1].zone) || compare(a[0], b[0]));
  const groups = new Map<string, { pods: number; requests: number }>();
  for (const [, p] of podList) {
    const g = groups.get(p.group) ?? { pods: 0, requests: 0 };
    g.pods++;
    g.requests += p.requests;
    groups.set(p.group, g);
  }
  const nodeTotal = nodeList.reduce((s, [, n]) => s + n.requests, 0);
  const rows: ShareRow[] = [
    ...podList.map(([name, p]): ShareRow => {
      const total = groups.get(p.group)!.requests;
      return { configuration, kind: 'pod', name, zone: p.zone, group: p.group, requests: p.requests, share: total > 0 ? round(p.requests / total) : 0, entryRequests: null };
    }),
    ...nodeList.map(([name, n]): ShareRow => ({
      configuration,
      kind: 'node',
      name,
      zone: n.zone,
      group: '',
      requests: n.requests,
      share: nodeTotal > 0 ? round(n.requests / nodeTotal) : 0,
      entryRequests: entry.get(name) ?? 0,
    })),
  ];
  const even: EvenShare[] = [...groups].map(([group, g]) => ({ configuration, kind: 'pod' as const, group, n: g.pods, share: 1 / g.pods }));
  if (nodeList.length > 0) even.push({ configuration, kind: 'node', group: '', n: nodeList.length, share: 1 / nodeList.length });
  return { rows, even, excluded: allPods.size - pods.size };
}

/** The even share that applies to a row: its configuration's, kind's and group's. */
function evenOf(even: readonly EvenShare[], row: ShareRow): EvenShare | undefined {
  return even.find((e) => e.configuration === row.configuration && e.kind === row.kind && e.group === row.group);
}

/** Whether some configuration has more than one share group. */
function grouped(even: readonly EvenShare[]): boolean {
  const seen = new Set<string>();
  for (const e of even) {
    const key = `${e.configuration}\u0000${e.kind}`;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

/** Code-unit order (locale-independent, so the output is the same everywhere). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Data transform: shares per pod and node for each configuration's busiest point, replications pooled. */
export function loadDistributionData(input: ReportInput): LoadDistributionData {
  const points = busiestPointPerConfiguration(input);
  const rows: ShareRow[] = [];
  const even: EvenShare[] = [];
  let excluded = 0;
  for (const point of points) {
    const r = pointRows(point.configuration, point);
    rows.push(...r.rows);
    even.push(...r.even);
    excluded = Math.max(excluded, r.excluded);
  }
  const configurations = points.map((p) => p.configuration);
  return {
    rows,
    even,
    configurations: configurations.slice(0, MAX_CONFIGURATIONS),
    omitted: configurations.slice(MAX_CONFIGURATIONS),
    excludedPods: excluded,
    situation: situationNote(input, points),
  };
}

/** Drops a namespace all names share (`shop/web-1` -> `web-1`); returns it for the panel title. */
function commonNamespace(names: readonly string[]): string | null {
  const spaces = new Set(names.map((n) => (n.includes('/') ? n.slice(0, n.indexOf('/')) : '')));
  if (spaces.size !== 1) return null;
  const ns = [...spaces][0]!;
  return ns === '' ? null : ns;
}

/** Mark spec: per-pod bars above per-node bars, one column per configuration. */
export function loadDistributionChart(data: LoadDistributionData): ChartOutcome {
  const shown = new Set(data.configurations);
  const rows = data.rows.filter((r) => shown.has(r.configuration));
  if (!rows.some((r) => r.requests > 0)) {
    return { id: LOAD_DISTRIBUTION_ID, title: TITLE, reason: 'no request reached a pod: there is no load to distribute' };
  }
  const zones = [...new Set(rows.map((r) => r.zone))].sort();
  const groupedPods = grouped(data.even.filter((e) => e.kind === 'pod' && shown.has(e.configuration)));
  const fill = { domain: zones, range: zones.map((_, i) => ZONE_PALETTE[i % ZONE_PALETTE.length]!) };
  const facets = data.configurations.length > 1;
  const podNames = rows.filter((r) => r.kind === 'pod').map((r) => r.name);
  const namespace = commonNamespace(podNames);
  /** Widest label drawn; longer names are shortened in the middle. */
  const maxLabel = 260;
  const podLabel = (name: string): string => fitTextMiddle(namespace !== null ? name.slice(namespace.length + 1) : name, FONT_SIZE, maxLabel);
  const panel = (kind: 'pod' | 'node', title: string) => {
    const kindRows = rows.filter((r) => r.kind === kind);
    const names = [...new Set(kindRows.map((r) => r.name))];
    const labels = names.map((n) => (kind === 'pod' ? podLabel(n) : fitTextMiddle(n, FONT_SIZE, maxLabel)));
    const step = Math.max(6, Math.min(20, 560 / Math.max(1, names.length)));
    const showLabels = step >= 11;
    const marginLeft = showLabels ? Math.ceil(Math.min(maxLabel, Math.max(...labels.map((l) => textWidth(l, FONT_SIZE)))) + 16) : 40;
    const evenRows = data.even.filter((e) => e.kind === kind && shown.has(e.configuration));
    const xMax = Math.max(...kindRows.map((r) => r.share), ...evenRows.map((e) => e.share)) * 1.12;
    const facetTop = facets ? 22 : 8;
    const fx = facets ? { fx: 'configuration' as const } : {};
    // One group: a dashed line across the panel. Several (an Ingress's controllers and its backends): a
    // dashed tick on each bar at its own group's even share.
    const evenMark = grouped(evenRows)
      ? Plot.tickX(
          kindRows.map((r) => ({ configuration: r.configuration, name: r.name, share: evenOf(data.even, r)?.share ?? null })),
          { ...fx, y: 'name', x: 'share', stroke: EVEN_SHARE_COLOUR, strokeWidth: 1.5, strokeDasharray: '3,2' },
        )
      : Plot.ruleX(evenRows, { ...fx, x: 'share', stroke: EVEN_SHARE_COLOUR, strokeWidth: 1.5, strokeDasharray: '5,3' });
    return {
      title,
      plot: {
        height: Math.ceil(names.length * step + facetTop + 44),
        marginLeft,
        marginRight: 20,
        marginTop: facetTop,
        marginBottom: 40,
        ...(facets ? { fx: { domain: [...data.configurations], label: null, padding: 0.08 } } : {}),
        x: { domain: [0, xMax], label: 'share of requests →', tickFormat: '.0%', grid: true, ticks: facets ? 3 : 6 },
        y: {
          domain: names,
          label: null,
          tickFormat: showLabels ? (n: string) => (kind === 'pod' ? podLabel(n) : fitTextMiddle(n, FONT_SIZE, maxLabel)) : () => '',
          padding: 0.2,
        },
        color: fill,
        marks: [
          Plot.barX(kindRows, { ...fx, y: 'name', x: 'share', fill: 'zone' }),
          evenMark,
          Plot.ruleX([0]),
        ],
      },
    };
  };
  const legend: LegendItem[] = [
    ...zones.map((z, i): LegendItem => ({ label: z === '' ? 'no zone' : `zone ${z}`, colour: ZONE_PALETTE[i % ZONE_PALETTE.length]!, mark: 'square' })),
    { label: groupedPods ? 'even share (1/n within the pods of each Service)' : 'even share (1/n)', colour: EVEN_SHARE_COLOUR, mark: 'dash' },
  ];
  const notes: string[] = [];
  if (data.situation) notes.push(data.situation);
  if (data.omitted.length > 0) notes.push(`Not drawn (see the CSV): ${data.omitted.join('; ')}.`);
  if (data.excludedPods > 0) {
    notes.push(`${data.excludedPods} pod(s) that back no Service requests went to (e.g. client pods) are left out.`);
  }
  const evenText = data.even
    .filter((e) => shown.has(e.configuration))
    .map((e) => `${e.n} ${e.kind}${e.n === 1 ? '' : 's'}${groupedPods && e.group !== '' ? ` of ${e.group}` : ''}: ${formatPercent(e.share)} each`);
  if (groupedPods) {
    notes.push(
      'Pods are grouped by the Services they back, and each pod’s share is of its own group’s requests: behind an Ingress, a request is served once by a controller pod and again by a backend pod. Nodes count the requests of all their pods.',
    );
  }
  return {
    id: LOAD_DISTRIBUTION_ID,
    title: TITLE,
    description:
      'The share of requests each pod served (top) and the pods on each node served together (bottom), ' +
      `replications pooled; bars are coloured by zone. The dashed ${groupedPods ? 'marks are' : 'line is'} the even share, 1/n ` +
      `(${[...new Set(evenText)].join(', ')}): bars far from it mean imbalance, as with ` +
      'externalTrafficPolicy: Local (each node splits its traffic over its own pods only) or keep-alive ' +
      'connections (kube-proxy balances connections, not requests).',
    notes,
    legend,
    panels: [panel('pod', namespace !== null ? `Per pod (namespace ${namespace})` : 'Per pod'), panel('node', 'Per node')],
    data: {
      header: ['configuration', 'kind', 'name', 'zone', 'requests', 'share', 'even_share', 'entry_requests', 'services'],
      rows: data.rows.map((r) => [r.configuration, r.kind, r.name, r.zone, r.requests, r.share, evenOf(data.even, r)?.share ?? null, r.entryRequests, r.group]),
    },
    table: {
      header: ['configuration', 'pods', 'busiest pod', 'quietest pod', 'nodes', 'busiest node'],
      rows: data.configurations.map((c) => {
        const pods = data.rows.filter((r) => r.configuration === c && r.kind === 'pod');
        const nodes = data.rows.filter((r) => r.configuration === c && r.kind === 'node');
        const max = (xs: readonly ShareRow[]) => (xs.length ? Math.max(...xs.map((r) => r.share)) : null);
        const min = (xs: readonly ShareRow[]) => (xs.length ? Math.min(...xs.map((r) => r.share)) : null);
        return [c, formatCount(pods.length), formatPercent(max(pods)), formatPercent(min(pods)), formatCount(nodes.length), formatPercent(max(nodes))];
      }),
    },
  };
}
