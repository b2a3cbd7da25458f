/**
 * Where pods run, decided like kube-scheduler would for the cases manifests commonly express, and
 * deterministically:
 *
 * 1. `spec.nodeName` binds the pod directly (the scheduler is bypassed).
 * 2. Filter: `nodeSelector` (including `kubernetes.io/hostname`), required node affinity, and
 *    `topologySpreadConstraints` with `whenUnsatisfiable: DoNotSchedule` (maxSkew over any node label,
 *    typically zone or hostname).
 * 3. Score: constraints with `ScheduleAnyway` prefer the emptier domains; a pod with no constraints of its
 *    own gets the scheduler's default spreading (the default PodTopologySpread constraints, zone then
 *    hostname: https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/#internal-default-constraints)
 *    over the pods of the same owner; then the node with the fewest pods; then name order.
 *
 * A pod that fits no node stays Pending (node null) with the scheduler's kind of explanation.
 *
 * Cost: pods without spread constraints are placed through an index (placement-index.ts) that picks the
 * same node without scoring every node; pods with spread constraints score every node they fit, counting
 * the pods their selectors match from per-selector tallies kept up to date (not a scan of every pod placed).
 */
import { matchesMap, matchesRequirement, matchesSelector, type LabelSelector } from './kinds/meta.js';
import type { Taint } from './kinds/cluster.js';
import type { NodeSelectorTerm, Toleration, TopologySpreadConstraint } from './kinds/pod.js';
import { PlacementIndex, type OwnerCounts } from './placement-index.js';

export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

export interface PlacementNode {
  readonly name: string;
  readonly zone: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints?: readonly Taint[] | undefined;
  /** Allocatable CPU cores and memory bytes (absent: no limit): pods' requests must fit (NodeResourcesFit). */
  readonly cpu?: number | undefined;
  readonly memory?: number | undefined;
}

export interface PlacementPod {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly nodeName?: string | undefined;
  readonly nodeSelector?: Readonly<Record<string, string>> | undefined;
  readonly requiredNodeAffinity?: readonly NodeSelectorTerm[] | undefined;
  readonly topologySpreadConstraints?: readonly TopologySpreadConstraint[] | undefined;
  readonly tolerations?: readonly Toleration[] | undefined;
  /** The controller that owns the pod (`Deployment/web`), for default spreading; none for bare pods. */
  readonly owner?: string | undefined;
  /** Resource requests (CPU cores, memory bytes), summed over containers; absent: none. */
  readonly requests?: { readonly cpu: number; readonly memory: number } | undefined;
}

export type Placement = { readonly node: string } | { readonly node: null; readonly reason: string };

interface Placed {
  readonly pod: PlacementPod;
  readonly node: number;
}

/** A node's label value, if it has that label (never an Object.prototype member). */
function labelOf(labels: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(labels, key) ? labels[key] : undefined;
}

const byName = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

function termMatches(node: PlacementNode, term: NodeSelectorTerm): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false; // an empty term matches nothing
  return exprs.every((r) => matchesRequirement(node.labels, r)) && fields.every((r) => matchesRequirement({ 'metadata.name': node.name }, r));
}

/** Kubernetes' toleration matching: same effect (or any), Exists (any value, or any key when key is empty) or Equal. */
export function tolerates(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect !== undefined && t.effect !== taint.effect) return false;
    const op = t.operator ?? 'Equal';
    if (op === 'Exists') return t.key === undefined || t.key === '' || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/** Taints with NoSchedule/NoExecute the pod does not tolerate: they keep it off the node. */
function blockingTaint(node: PlacementNode, pod: PlacementPod): Taint | undefined {
  return (node.taints ?? []).find((t) => t.effect !== 'PreferNoSchedule' && !tolerates(pod.tolerations, t));
}

function nodeFits(node: PlacementNode, pod: PlacementPod): boolean {
  if (pod.nodeSelector && !matchesMap(node.labels, pod.nodeSelector)) return false;
  const terms = pod.requiredNodeAffinity;
  if (terms && terms.length > 0 && !terms.some((t) => termMatches(node, t))) return false;
  return true;
}

function selectorOf(c: TopologySpreadConstraint): LabelSelector | undefined {
  return c.labelSelector;
}

/** PreferNoSchedule taints the pod does not tolerate: a node with fewer scores better. */
function preferTaints(node: PlacementNode, pod: PlacementPod): number {
  return (node.taints ?? []).filter((t) => t.effect === 'PreferNoSchedule' && !tolerates(pod.tolerations, t)).length;
}

/**
 * Pods placed so far, and per (namespace, selector) the ones a selector matches, brought up to date when
 * asked: each placed pod is tested once per selector, and only against the pods that share the selector's
 * first `matchLabels` pair (or its namespace, for a selector with none).
 */
class PlacedPods {
  /** Placed pods by `namespace` and by `namespace\0key=value` of each of their labels. */
  private readonly postings = new Map<string, Placed[]>();
  private readonly tallies = new Map<string, { readonly source: Placed[]; cursor: number; readonly matched: Placed[] }>();

  add(p: Placed): void {
    this.post(p.pod.namespace, p);
    for (const [k, v] of Object.entries(p.pod.labels)) this.post(`${p.pod.namespace}\0${k}=${v}`, p);
  }

  private post(key: string, p: Placed): void {
    let list = this.postings.get(key);
    if (list === undefined) this.postings.set(key, (list = []));
    list.push(p);
  }

  /** Placed pods of `namespace` that `selector` matches. */
  matching(namespace: string, selector: LabelSelector): readonly Placed[] {
    const key = `${namespace}\0${JSON.stringify(selector)}`;
    let t = this.tallies.get(key);
    if (t === undefined) {
      const first = Object.entries(selector.matchLabels ?? {})[0];
      const postingKey = first === undefined ? namespace : `${namespace}\0${first[0]}=${first[1]}`;
      let source = this.postings.get(postingKey);
      if (source === undefined) this.postings.set(postingKey, (source = []));
      t = { source, cursor: 0, matched: [] };
      this.tallies.set(key, t);
    }
    for (; t.cursor < t.source.length; t.cursor++) {
      const p = t.source[t.cursor]!;
      if (matchesSelector(p.pod.labels, selector)) t.matched.push(p);
    }
    return t.matched;
  }
}

export function placePods(nodes: readonly PlacementNode[], pods: readonly PlacementPod[]): Placement[] {
  const order = nodes.map((_, i) => i).sort((a, b) => byName(nodes[a]!.name, nodes[b]!.name));
  const nodeIndex = new Map(nodes.map((n, i) => [n.name, i]));
  const podsOnNode = new Array<number>(nodes.length).fill(0);
  const cpuUsed = new Float64Array(nodes.length);
  const memUsed = new Float64Array(nodes.length);
  /** Which resource keeps `pod` off node i, or null when its requests fit. */
  const short = (pod: PlacementPod, i: number): 'cpu' | 'memory' | null => {
    const r = pod.requests;
    if (r === undefined) return null;
    const n = nodes[i]!;
    if (n.cpu !== undefined && cpuUsed[i]! + r.cpu > n.cpu + 1e-9) return 'cpu';
    if (n.memory !== undefined && memUsed[i]! + r.memory > n.memory) return 'memory';
    return null;
  };
  const out: Placement[] = [];
  const index = new PlacementIndex(nodes, order, podsOnNode, pods.length);
  const placedPods = new PlacedPods();

  /** Per owner: its pods per node and per zone (the scheduler's default spreading). */
  const ownerCounts = new Map<string, OwnerCounts>();
  const bind = (pod: PlacementPod, node: number): Placement => {
    podsOnNode[node]!++;
    cpuUsed[node]! += pod.requests?.cpu ?? 0;
    memUsed[node]! += pod.requests?.memory ?? 0;
    placedPods.add({ pod, node });
    index.bound(node);
    if (pod.owner !== undefined) {
      let o = ownerCounts.get(pod.owner);
      if (!o) ownerCounts.set(pod.owner, (o = { nodes: new Map(), zones: new Map() }));
      o.nodes.set(node, (o.nodes.get(node) ?? 0) + 1);
      const zone = nodes[node]!.zone;
      o.zones.set(zone, (o.zones.get(zone) ?? 0) + 1);
    }
    return { node: nodes[node]!.name };
  };

  /** Pods already placed that a spread constraint of `pod` counts. */
  const counted = (pod: PlacementPod, sel: LabelSelector | undefined): readonly Placed[] => (sel ? placedPods.matching(pod.namespace, sel) : []);

  for (const pod of pods) {
    if (pod.nodeName !== undefined) {
      const i = nodeIndex.get(pod.nodeName);
      out.push(i === undefined ? { node: null, reason: `spec.nodeName names node "${pod.nodeName}", which is not in the cluster` } : bind(pod, i));
      continue;
    }
    if ((pod.topologySpreadConstraints ?? []).length === 0 && index.usable) {
      // The same pick as the scan below, through the index; a pod that fits nowhere takes the scan for its reason.
      const signature = JSON.stringify([pod.nodeSelector ?? null, pod.requiredNodeAffinity ?? null, pod.tolerations ?? null]);
      const pool = index.pool(signature, () => {
        const fit = order.filter((i) => nodeFits(nodes[i]!, pod) && blockingTaint(nodes[i]!, pod) === undefined);
        return { nodes: fit, prefer: fit.map((i) => preferTaints(nodes[i]!, pod)) };
      });
      if (pool !== undefined) {
        const own = pod.owner !== undefined ? ownerCounts.get(pod.owner) : undefined;
        const best = index.best(pool, own, (i) => short(pod, i) === null);
        if (best >= 0) {
          out.push(bind(pod, best));
          continue;
        }
      }
    }
    const matching = order.filter((i) => nodeFits(nodes[i]!, pod));
    const untainted = matching.filter((i) => blockingTaint(nodes[i]!, pod) === undefined);
    let candidates = untainted.filter((i) => short(pod, i) === null);
    if (candidates.length === 0) {
      const parts: string[] = [];
      const unmatched = nodes.length - matching.length;
      if (unmatched > 0) parts.push(`${unmatched} node(s) didn't match Pod's node affinity/selector`);
      const taints = new Map<string, number>();
      for (const i of matching) {
        const t = blockingTaint(nodes[i]!, pod);
        if (t === undefined) continue;
        const text = `{${t.key}${t.value ? `: ${t.value}` : ''}}`;
        taints.set(text, (taints.get(text) ?? 0) + 1);
      }
      for (const [t, n] of taints) parts.push(`${n} node(s) had untolerated taint ${t}`);
      for (const resource of ['cpu', 'memory'] as const) {
        const n = untainted.filter((i) => short(pod, i) === resource).length;
        if (n > 0) parts.push(`${n} Insufficient ${resource}`);
      }
      out.push({ node: null, reason: `0/${nodes.length} nodes are available: ${parts.join(', ')}` });
      continue;
    }
    const constraints = pod.topologySpreadConstraints ?? [];
    // Hard constraints filter.
    for (const c of constraints.filter((k) => k.whenUnsatisfiable === 'DoNotSchedule')) {
      const domainOf = (i: number): string | undefined => labelOf(nodes[i]!.labels, c.topologyKey);
      const eligible = candidates.filter((i) => domainOf(i) !== undefined);
      const domains = new Map<string, number>();
      for (const i of eligible) domains.set(domainOf(i)!, 0);
      for (const p of counted(pod, selectorOf(c))) {
        const d = labelOf(nodes[p.node]!.labels, c.topologyKey);
        if (d !== undefined && domains.has(d)) domains.set(d, domains.get(d)! + 1);
      }
      const min = Math.min(...domains.values());
      const next = eligible.filter((i) => domains.get(domainOf(i)!)! + 1 - min <= c.maxSkew);
      if (next.length === 0) {
        const reason = eligible.length === 0
          ? `0/${nodes.length} nodes are available: no node has the label ${c.topologyKey} of a topology spread constraint`
          : `0/${nodes.length} nodes are available: ${candidates.length} node(s) didn't match pod topology spread constraints (maxSkew ${c.maxSkew} over ${c.topologyKey})`;
        candidates = [];
        out.push({ node: null, reason });
        break;
      }
      candidates = next;
    }
    if (candidates.length === 0) continue;

    // Score: lower is better, compared element by element; `order` already breaks ties by name.
    const soft = constraints.filter((k) => k.whenUnsatisfiable === 'ScheduleAnyway');
    const softCounts = soft.map((c) => {
      const counts = new Map<string, number>();
      for (const p of counted(pod, selectorOf(c))) {
        const d = labelOf(nodes[p.node]!.labels, c.topologyKey);
        if (d !== undefined) counts.set(d, (counts.get(d) ?? 0) + 1);
      }
      return { key: c.topologyKey, counts };
    });
    const own = constraints.length === 0 && pod.owner !== undefined ? ownerCounts.get(pod.owner) : undefined;
    const score = (i: number): number[] => {
      const s: number[] = [];
      if (soft.length > 0) {
        let sum = 0;
        for (const { key, counts } of softCounts) {
          const d = labelOf(nodes[i]!.labels, key);
          if (d !== undefined) sum += counts.get(d) ?? 0;
        }
        s.push(sum);
      }
      if (constraints.length === 0 && pod.owner !== undefined) {
        s.push(own?.zones.get(nodes[i]!.zone) ?? 0);
        s.push(own?.nodes.get(i) ?? 0);
      }
      s.push(preferTaints(nodes[i]!, pod));
      s.push(podsOnNode[i]!);
      return s;
    };
    let best = candidates[0]!;
    let bestScore = score(best);
    for (const i of candidates.slice(1)) {
      const sc = score(i);
      let better = false;
      for (let k = 0; k < sc.length; k++) {
        if (sc[k]! !== bestScore[k]!) {
          better = sc[k]! < bestScore[k]!;
          break;
        }
      }
      if (better) {
        best = i;
        bestScore = sc;
      }
    }
    out.push(bind(pod, best));
  }
  return out;
}
