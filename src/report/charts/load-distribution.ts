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
import type { Layout } from '../data/layout.js';
import { linearTicks } from '../data/log-scale.js';
import { formatCount, formatPercent, round, tickPercent } from '../format.js';
import { busiestPointPerConfiguration, resultsOf, situationNote } from '../data/runs.js';
import type { ReportInput, ReportPoint, RunView } from '../inputs.js';
import { fitText, fitTextMiddle, textWidth } from '../render/text-width.js';
import { EVEN_SHARE_COLOUR, FONT_SIZE } from '../render/theme.js';
import type { ChartOutcome, LegendItem, Panel } from './chart.js';
import { facetPanels } from './facets.js';

export const LOAD_DISTRIBUTION_ID = 'load-distribution';
const TITLE = 'Load distribution over pods and nodes';
/** Up to this many configurations are drawn as bars side by side; more, one row of dots each. */
export const MAX_BAR_COLUMNS = 4;
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
  /**
   * The row's even share: for a pod 1/n over the n pods of its group; for a node the share its pods would
   * serve if every pod got the same (pods on the node / pods, with one group), 0 for a node without pods.
   */
  readonly even: number;
  /** For nodes: the serving pods placed on it; null for pods. */
  readonly pods: number | null;
  /** For nodes: requests that entered the cluster at the node (kube-proxy there chose), summed. */
  readonly entryRequests: number | null;
}

/** The even share of a group of pods (nodes have their own, per row: ShareRow.even). */
export interface EvenShare {
  readonly configuration: string;
  readonly kind: 'pod';
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
  /** Every configuration, in input order (all are drawn). */
  readonly configurations: readonly string[];
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
  // Every node of the cluster, with or without pods: a node without pods is shown at 0 (its even share).
  const nodes = new Map<string, { zone: string; requests: number; entry: number }>();
  for (const run of runs) {
    for (const n of run.nodes) {
      const node = nodes.get(n.node) ?? { zone: n.zone, requests: 0, entry: 0 };
      node.entry += n.entryRequests;
      nodes.set(n.node, node);
    }
  }
  for (const p of pods.values()) {
    const n = nodes.get(p.node) ?? { zone: p.zone, requests: 0, entry: 0 };
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
  const nodeEven = evenNodeShares(
    podList.map(([, p]) => ({ node: p.node, group: p.group })),
    [...groups].map(([group, g]) => ({ group, requests: g.requests })),
  );
  const podsOn = new Map<string, number>();
  for (const [, p] of podList) podsOn.set(p.node, (podsOn.get(p.node) ?? 0) + 1);
  const rows: ShareRow[] = [
    ...podList.map(([name, p]): ShareRow => {
      const g = groups.get(p.group)!;
      return {
        configuration,
        kind: 'pod',
        name,
        zone: p.zone,
        group: p.group,
        requests: p.requests,
        share: g.requests > 0 ? round(p.requests / g.requests) : 0,
        even: 1 / g.pods,
        pods: null,
        entryRequests: null,
      };
    }),
    ...nodeList.map(([name, n]): ShareRow => ({
      configuration,
      kind: 'node',
      name,
      zone: n.zone,
      group: '',
      requests: n.requests,
      share: nodeTotal > 0 ? round(n.requests / nodeTotal) : 0,
      even: nodeEven.get(name) ?? 0,
      pods: podsOn.get(name) ?? 0,
      entryRequests: n.entry,
    })),
  ];
  const even: EvenShare[] = [...groups].map(([group, g]) => ({ configuration, kind: 'pod' as const, group, n: g.pods, share: 1 / g.pods }));
  return { rows, even, excluded: allPods.size - pods.size };
}

/**
 * Each node's even share: the share of the requests its pods would serve if every pod got the same share
 * within its group, i.e. Σ over groups of (the group's pods on the node / the group's pods) × (the group's
 * share of all requests). With one group: pods on the node / pods. A node without pods: 0.
 */
export function evenNodeShares(
  pods: readonly { readonly node: string; readonly group: string }[],
  groups: readonly { readonly group: string; readonly requests: number }[],
): Map<string, number> {
  const total = groups.reduce((s, g) => s + g.requests, 0);
  const podsIn = new Map<string, number>();
  for (const p of pods) podsIn.set(p.group, (podsIn.get(p.group) ?? 0) + 1);
  // Without requests the groups weigh by their pods (one group: pods on the node / pods).
  const weight = (group: string): number => {
    const g = groups.find((x) => x.group === group);
    return total > 0 ? (g?.requests ?? 0) / total : (podsIn.get(group) ?? 0) / pods.length;
  };
  const out = new Map<string, number>();
  for (const p of pods) out.set(p.node, (out.get(p.node) ?? 0) + weight(p.group) / podsIn.get(p.group)!);
  return out;
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
  return {
    rows,
    even,
    configurations: points.map((p) => p.configuration),
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

/** Mark spec: per-pod bars above per-node bars, one column per configuration; many configurations: one row of dots each. */
export function loadDistributionChart(data: LoadDistributionData, layout?: Layout): ChartOutcome {
  const order = layout ? layout.configurations.filter((c) => data.configurations.includes(c)) : [...data.configurations];
  const configurations = [...order, ...data.configurations.filter((c) => !order.includes(c))];
  const rows = data.rows;
  if (!rows.some((r) => r.requests > 0)) {
    return { id: LOAD_DISTRIBUTION_ID, title: TITLE, reason: 'no request reached a pod: there is no load to distribute' };
  }
  const zones = [...new Set(rows.map((r) => r.zone))].sort();
  const groupedPods = grouped(data.even);
  const fill = { domain: zones, range: zones.map((_, i) => ZONE_PALETTE[i % ZONE_PALETTE.length]!) };
  const podNames = rows.filter((r) => r.kind === 'pod').map((r) => r.name);
  const namespace = commonNamespace(podNames);
  const strip = configurations.length > MAX_BAR_COLUMNS;
  /** Widest label drawn; longer names are shortened in the middle (the full name is in the title). */
  const maxLabel = 260;
  const podLabel = (name: string): string => fitTextMiddle(namespace !== null ? name.slice(namespace.length + 1) : name, FONT_SIZE, maxLabel);
  const rowTitle = (r: ShareRow): string =>
    `${r.configuration}: ${r.kind} ${r.name}${r.zone ? ` (zone ${r.zone})` : ''}: ${formatPercent(r.share)} of ${r.kind === 'pod' && r.group ? `${r.group}’s ` : ''}requests ` +
    `(${formatCount(r.requests)}), even share ${formatPercent(r.even)}` +
    (r.kind === 'node' ? ` (${formatCount(r.pods)} of the pods)` : '');
  const xTicksOf = (max: number, count: number): number[] => linearTicks(Math.max(max, 0.01), count);

  const barPanel = (kind: 'pod' | 'node', title: string): Panel[] => {
    const kindRows = rows.filter((r) => r.kind === kind);
    const names = [...new Set(kindRows.map((r) => r.name))];
    const labelOf = (n: string): string => (kind === 'pod' ? podLabel(n) : fitTextMiddle(n, FONT_SIZE, maxLabel));
    const step = Math.max(6, Math.min(20, 560 / Math.max(1, names.length)));
    const showLabels = step >= 11;
    const marginLeft = showLabels ? Math.ceil(Math.min(maxLabel, Math.max(...names.map((n) => textWidth(labelOf(n), FONT_SIZE)))) + 16) : 40;
    const ticks = xTicksOf(Math.max(...kindRows.map((r) => Math.max(r.share, r.even))) * 1.05, configurations.length > 1 ? 2 : 5);
    const x = { domain: [0, ticks[ticks.length - 1]!], ticks, label: 'share of requests →', tickFormat: tickPercent, grid: true };
    const y = { domain: names, label: null, tickFormat: showLabels ? labelOf : () => '', padding: 0.2 };
    const marks = (mine: readonly ShareRow[], fx: ((r: ShareRow) => number) | null): Plot.Markish[] => {
      const at = fx ? { fx } : {};
      return [
        Plot.barX(mine, { ...at, y: 'name', x: 'share', fill: 'zone', title: rowTitle }),
        // The even share of each bar, as a dashed tick across it (its own: per group, or per node).
        Plot.tickX(mine, { ...at, y: 'name', x: 'even', stroke: EVEN_SHARE_COLOUR, strokeWidth: 1.75, strokeDasharray: '3,2', title: rowTitle }),
        Plot.ruleX([0], { ariaDescription: 'baseline' }),
      ];
    };
    const height = Math.ceil(names.length * step + 44);
    if (configurations.length === 1) {
      return [{ title, plot: { height: height + 8, marginLeft, marginRight: 20, marginTop: 8, marginBottom: 40, x, y, color: fill, marks: marks(kindRows, null) } }];
    }
    return facetPanels(configurations, MAX_BAR_COLUMNS, {
      marginLeft,
      marginRight: 20,
      title,
      build: (row) => ({
        height,
        marginBottom: 40,
        x,
        y,
        color: fill,
        marks: marks(
          kindRows.filter((r) => row.facets.includes(r.configuration)),
          (r) => row.column(r.configuration),
        ),
      }),
    });
  };

  // Many configurations: one row each, a dot per pod (node) at its share, the even shares marked.
  const stripPanel = (kind: 'pod' | 'node', title: string, last: boolean): Panel => {
    const kindRows = rows.filter((r) => r.kind === kind);
    const labels = configurations.map((c) => fitText(c, FONT_SIZE, 240));
    const marginLeft = Math.ceil(Math.max(...labels.map((l) => textWidth(l, FONT_SIZE)))) + 16;
    const ticks = xTicksOf(Math.max(...kindRows.map((r) => Math.max(r.share, r.even))) * 1.03, 5);
    const evens = kind === 'pod' ? data.even.map((e) => ({ ...e, title: `${e.configuration}: even share ${formatPercent(e.share)} (${e.n} pods${e.group ? ` of ${e.group}` : ''})` })) : [];
    const marks: Plot.Markish[] =
      kind === 'pod'
        ? [
            Plot.tickX(evens, { y: 'configuration', x: 'share', stroke: EVEN_SHARE_COLOUR, strokeWidth: 2, strokeDasharray: '3,2', title: 'title' }),
            Plot.dot(kindRows, { y: 'configuration', x: 'share', fill: 'zone', r: 3.5, fillOpacity: 0.85, title: rowTitle }),
          ]
        : [
            // A node: where it is (dot) and where its pods would put it if balanced (open red ring), joined.
            Plot.link(kindRows, { y1: 'configuration', y2: 'configuration', x1: 'even', x2: 'share', stroke: '#bbbbbb', strokeWidth: 1.5, title: rowTitle }),
            Plot.dot(kindRows, { y: 'configuration', x: 'even', stroke: EVEN_SHARE_COLOUR, fill: 'white', strokeWidth: 1.5, r: 4, title: rowTitle }),
            Plot.dot(kindRows, { y: 'configuration', x: 'share', fill: 'zone', r: 3.5, title: rowTitle }),
          ];
    return {
      title,
      plot: {
        height: configurations.length * 20 + (last ? 50 : 30),
        marginLeft,
        marginRight: 20,
        marginTop: 8,
        marginBottom: last ? 40 : 22,
        x: { domain: [0, ticks[ticks.length - 1]!], ticks, label: last ? 'share of requests →' : null, tickFormat: tickPercent, grid: true },
        y: { domain: configurations, label: null, tickFormat: (c: string) => fitText(c, FONT_SIZE, 240), padding: 0.3, axis: null },
        color: fill,
        marks: [Plot.axisY({ tickFormat: (c: string) => fitText(c, FONT_SIZE, 240), title: (c: string) => c, tickSize: 0 }), ...marks, Plot.ruleX([0], { ariaDescription: 'baseline' })],
      },
    };
  };

  const panels: Panel[] = strip
    ? [
        stripPanel('pod', namespace !== null ? `Per pod (namespace ${namespace}): one dot per pod; dashed tick: the even share` : 'Per pod: one dot per pod; dashed tick: the even share', false),
        stripPanel('node', 'Per node: dot where the node is, ring where its pods would put it if every pod got the same', true),
      ]
    : [...barPanel('pod', namespace !== null ? `Per pod (namespace ${namespace})` : 'Per pod'), ...barPanel('node', 'Per node')];
  const legend: LegendItem[] = [
    ...zones.map((z, i): LegendItem => ({ label: z === '' ? 'no zone' : `zone ${z}`, colour: ZONE_PALETTE[i % ZONE_PALETTE.length]!, mark: 'square' })),
    { label: groupedPods ? 'even share: pod 1/n of its Service’s pods; node: its pods’ shares' : 'even share: pod 1/n; node: pods on it / pods', colour: EVEN_SHARE_COLOUR, mark: 'dash' },
  ];
  const notes: string[] = [];
  if (data.situation) notes.push(data.situation);
  if (data.excludedPods > 0) {
    notes.push(`${data.excludedPods} pod(s) that back no Service requests went to (e.g. client pods) are left out.`);
  }
  const empty = [...new Set(rows.filter((r) => r.kind === 'node' && r.pods === 0).map((r) => r.name))];
  if (empty.length > 0) notes.push(`Nodes without a serving pod are shown at 0 (their even share is 0 too): ${empty.join(', ')}.`);
  const evenText = data.even.map((e) => `${e.n} ${e.kind}${e.n === 1 ? '' : 's'}${groupedPods && e.group !== '' ? ` of ${e.group}` : ''}: ${formatPercent(e.share)} each`);
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
      'replications pooled; coloured by zone. The red dashed marks are the even shares: a pod’s is 1/n ' +
      `(${[...new Set(evenText)].join(', ')}); a node’s is the share its pods would serve if every pod got the same ` +
      '(pods on the node / pods), so a node with 3 of 4 pods is balanced at 75 %. Far from it means imbalance, as with ' +
      'externalTrafficPolicy: Local (each node splits its traffic over its own pods only) or keep-alive ' +
      'connections (kube-proxy balances connections, not requests).',
    notes,
    ...(data.situation ? { caption: data.situation } : {}),
    legend,
    panels,
    data: {
      header: ['configuration', 'kind', 'name', 'zone', 'requests', 'share', 'even_share', 'pods_on_node', 'entry_requests', 'services'],
      rows: data.rows.map((r) => [r.configuration, r.kind, r.name, r.zone, r.requests, r.share, round(r.even), r.pods, r.entryRequests, r.group]),
    },
    table: {
      header: ['configuration', 'pods', 'busiest pod (even)', 'quietest pod (even)', 'nodes', 'node furthest from even'],
      rows: configurations.map((c) => {
        const pods = data.rows.filter((r) => r.configuration === c && r.kind === 'pod');
        const nodes = data.rows.filter((r) => r.configuration === c && r.kind === 'node');
        const pick = (xs: readonly ShareRow[], better: (a: ShareRow, b: ShareRow) => boolean): ShareRow | null => xs.reduce<ShareRow | null>((m, r) => (m === null || better(r, m) ? r : m), null);
        const busiest = pick(pods, (a, b) => a.share > b.share);
        const quietest = pick(pods, (a, b) => a.share < b.share);
        const furthest = pick(nodes, (a, b) => Math.abs(a.share - a.even) > Math.abs(b.share - b.even));
        const cell = (r: ShareRow | null, name = false): string => (r === null ? '–' : `${name ? `${r.name} ` : ''}${formatPercent(r.share)} (${formatPercent(r.even)})`);
        return [c, formatCount(pods.length), cell(busiest), cell(quietest), formatCount(nodes.length), cell(furthest, true)];
      }),
    },
  };
}
