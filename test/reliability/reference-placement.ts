/**
 * The placement algorithm as it was before it was indexed (issue 15 item 7): the straightforward scan of
 * every node for every pod. Kept as the reference the indexed placement must agree with exactly.
 */
import { matchesMap, matchesRequirement, matchesSelector, type LabelSelector } from '../../src/scenario/kinds/meta.js';
import type { Taint } from '../../src/scenario/kinds/cluster.js';
import type { NodeSelectorTerm, Toleration, TopologySpreadConstraint } from '../../src/scenario/kinds/pod.js';
import type { Placement, PlacementNode, PlacementPod } from '../../src/scenario/placement.js';

/** The constraint's selector with `In [pod's value]` added for each of its matchLabelKeys the pod has. */
function selectorWithKeys(c: TopologySpreadConstraint, pod: PlacementPod): LabelSelector | undefined {
  if (c.labelSelector === undefined) return undefined;
  const extra = (c.matchLabelKeys ?? []).filter((k) => Object.hasOwn(pod.labels, k)).map((key) => ({ key, operator: 'In' as const, values: [pod.labels[key]!] }));
  return extra.length === 0 ? c.labelSelector : { ...c.labelSelector, matchExpressions: [...(c.labelSelector.matchExpressions ?? []), ...extra] };
}

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
function tolerates(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
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

export function referencePlacePods(nodes: readonly PlacementNode[], pods: readonly PlacementPod[]): Placement[] {
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
  const placed: Placed[] = [];
  const out: Placement[] = [];

  /** Per owner: its pods per node and per zone (the scheduler's default spreading). */
  const ownerCounts = new Map<string, { nodes: Int32Array; zones: Map<string, number> }>();
  const bind = (pod: PlacementPod, node: number): Placement => {
    podsOnNode[node]!++;
    cpuUsed[node]! += pod.requests?.cpu ?? 0;
    memUsed[node]! += pod.requests?.memory ?? 0;
    placed.push({ pod, node });
    if (pod.owner !== undefined) {
      let o = ownerCounts.get(pod.owner);
      if (!o) ownerCounts.set(pod.owner, (o = { nodes: new Int32Array(nodes.length), zones: new Map() }));
      o.nodes[node]!++;
      const zone = nodes[node]!.zone;
      o.zones.set(zone, (o.zones.get(zone) ?? 0) + 1);
    }
    return { node: nodes[node]!.name };
  };

  /** Whether node n counts for constraint c of `all`: every key of `all`, and c's node inclusion policies. */
  const included = (n: PlacementNode, all: readonly TopologySpreadConstraint[], c: TopologySpreadConstraint, pod: PlacementPod): boolean =>
    all.every((k) => labelOf(n.labels, k.topologyKey) !== undefined) &&
    (c.nodeAffinityPolicy === 'Ignore' || nodeFits(n, pod)) &&
    (c.nodeTaintsPolicy !== 'Honor' || blockingTaint(n, pod) === undefined);

  /** Pods already placed that a spread constraint of `pod` counts. */
  const counted = (pod: PlacementPod, sel: LabelSelector | undefined) =>
    placed.filter((p) => p.pod.namespace === pod.namespace && (sel ? matchesSelector(p.pod.labels, sel) : false));

  for (const pod of pods) {
    if (pod.nodeName !== undefined) {
      const i = nodeIndex.get(pod.nodeName);
      out.push(i === undefined ? { node: null, reason: `spec.nodeName names node "${pod.nodeName}", which is not in the cluster` } : bind(pod, i));
      continue;
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
        const text = `{${t.key}: ${t.value ?? ''}}`;
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
    // Hard constraints filter: domains over every node with all the hard keys that passes the inclusion
    // policies, counted node by node; the pod counts itself only when its selector matches it.
    const hard = constraints.filter((k) => k.whenUnsatisfiable === 'DoNotSchedule');
    for (const c of hard) {
      const domainOf = (i: number): string | undefined => labelOf(nodes[i]!.labels, c.topologyKey);
      const eligible = candidates.filter((i) => domainOf(i) !== undefined);
      const sel = selectorWithKeys(c, pod);
      const domains = new Map<string, number>();
      for (let i = 0; i < nodes.length; i++) {
        if (!included(nodes[i]!, hard, c, pod)) continue;
        const here = counted(pod, sel).filter((p) => p.node === i).length;
        domains.set(domainOf(i)!, (domains.get(domainOf(i)!) ?? 0) + here);
      }
      const min = domains.size < (c.minDomains ?? 1) ? 0 : Math.min(...domains.values());
      const self = sel !== undefined && matchesSelector(pod.labels, sel) ? 1 : 0;
      const next = eligible.filter((i) => (domains.get(domainOf(i)!) ?? 0) + self - min <= c.maxSkew);
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
      for (const p of counted(pod, selectorWithKeys(c, pod))) {
        if (!included(nodes[p.node]!, soft, c, pod)) continue;
        const d = nodes[p.node]!.labels[c.topologyKey]!;
        counts.set(d, (counts.get(d) ?? 0) + 1);
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
          sum += d === undefined ? Infinity : (counts.get(d) ?? 0);
        }
        s.push(sum);
      }
      if (constraints.length === 0 && pod.owner !== undefined) {
        s.push(own?.zones.get(nodes[i]!.zone) ?? 0);
        s.push(own?.nodes[i] ?? 0);
      }
      s.push((nodes[i]!.taints ?? []).filter((t) => t.effect === 'PreferNoSchedule' && !tolerates(pod.tolerations, t)).length);
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
