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
  // Stryker disable next-line ArrayDeclaration: a string has no key, and every taint has one, so it tolerates nothing
  return (tolerations ?? []).some((t) => {
    if (t.effect !== undefined && t.effect !== taint.effect) return false;
    // Stryker disable next-line StringLiteral: only 'Exists' is looked for; any other default takes the Equal branch
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

/**
 * The pods a constraint counts: its `labelSelector`, narrowed by `matchLabelKeys` to the incoming pod's values
 * of those labels (keys the pod lacks are ignored). No selector counts no pod (a nil selector matches nothing).
 */
function selectorFor(c: TopologySpreadConstraint, pod: PlacementPod): LabelSelector | undefined {
  const keys = (c.matchLabelKeys ?? []).filter((k) => Object.hasOwn(pod.labels, k));
  if (c.labelSelector === undefined || keys.length === 0) return c.labelSelector;
  const extra = keys.map((key) => ({ key, operator: 'In' as const, values: [pod.labels[key]!] }));
  return { ...c.labelSelector, matchExpressions: [...(c.labelSelector.matchExpressions ?? []), ...extra] };
}

/** PreferNoSchedule taints the pod does not tolerate: a node with fewer scores better. */
function preferTaints(node: PlacementNode, pod: PlacementPod): number {
  // Stryker disable next-line ArrayDeclaration: a string has no effect, so it is not counted as a PreferNoSchedule taint
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

  /**
   * Per constraint, its domains (values of its key) and the placed pods its selector matches in each, over
   * the nodes that carry every key of `cs` and pass the constraint's node inclusion policies
   * (`calPreFilterState`/`initPreScoreState` in kube-scheduler's podtopologyspread).
   */
  /** For the pod being placed: 1 where its node selector and affinity match (the scan's `matching`), and where the node also has no taint it does not tolerate. */
  const fits = new Uint8Array(nodes.length);
  const fitsUntainted = new Uint8Array(nodes.length);
  const tallyDomains = (cs: readonly TopologySpreadConstraint[], pod: PlacementPod): Map<string, number>[] => {
    // Stryker disable next-line ArrayDeclaration,ConditionalExpression: a shortcut; with no constraint the map below returns [] as well
    if (cs.length === 0) return [];
    const labelled = order.filter((i) => cs.every((c) => labelOf(nodes[i]!.labels, c.topologyKey) !== undefined));
    return cs.map((c) => {
      const included = new Uint8Array(nodes.length);
      const domains = new Map<string, number>();
      for (const i of labelled) {
        if (c.nodeAffinityPolicy !== 'Ignore' && fits[i] === 0) continue;
        // Taints were checked for the matching nodes only; the others count only under nodeAffinityPolicy: Ignore.
        if (c.nodeTaintsPolicy === 'Honor' && (fits[i] === 1 ? fitsUntainted[i] === 0 : blockingTaint(nodes[i]!, pod) !== undefined)) continue;
        included[i] = 1;
        domains.set(nodes[i]!.labels[c.topologyKey]!, 0);
      }
      const sel = selectorFor(c, pod);
      // Stryker disable next-line ArrayDeclaration: a string has no node, so it is never counted
      for (const p of sel ? placedPods.matching(pod.namespace, sel) : []) {
        if (included[p.node] === 1) {
          const d = nodes[p.node]!.labels[c.topologyKey]!;
          domains.set(d, domains.get(d)! + 1);
        }
      }
      return domains;
    });
  };

  for (const pod of pods) {
    if (pod.nodeName !== undefined) {
      const i = nodeIndex.get(pod.nodeName);
      out.push(i === undefined ? { node: null, reason: `spec.nodeName names node "${pod.nodeName}", which is not in the cluster` } : bind(pod, i));
      continue;
    }
    // Stryker disable next-line ArrayDeclaration,BlockStatement: the index only finds sooner the node the scan below picks (placement-index.test.ts checks they agree)
    if ((pod.topologySpreadConstraints ?? []).length === 0 && index.usable) {
      // The same pick as the scan below, through the index; a pod that fits nowhere takes the scan for its reason.
      const signature = JSON.stringify([pod.nodeSelector ?? null, pod.requiredNodeAffinity ?? null, pod.tolerations ?? null]);
      // Stryker disable next-line BlockStatement: no pool sends the pod to the scan; the index only finds sooner the node the scan below picks (placement-index.test.ts checks they agree)
      const pool = index.pool(signature, () => {
        // Stryker disable next-line ArrowFunction: an empty pool sends the pod to the scan; the index only finds sooner the node the scan below picks (placement-index.test.ts checks they agree)
        const fit = order.filter((i) => nodeFits(nodes[i]!, pod) && blockingTaint(nodes[i]!, pod) === undefined);
        return { nodes: fit, prefer: fit.map((i) => preferTaints(nodes[i]!, pod)) };
      });
      // Stryker disable next-line BlockStatement: the index only finds sooner the node the scan below picks (placement-index.test.ts checks they agree)
      if (pool !== undefined) {
        const own = pod.owner !== undefined ? ownerCounts.get(pod.owner) : undefined;
        // Stryker disable next-line ArrowFunction: no node found sends the pod to the scan; the index only finds sooner the node the scan below picks (placement-index.test.ts checks they agree)
        const best = index.best(pool, own, (i) => short(pod, i) === null);
        // Stryker disable next-line BlockStatement: the index only finds sooner the node the scan below picks (placement-index.test.ts checks they agree)
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
        const text = `{${t.key}: ${t.value ?? ''}}`; // tainttoleration's `{%s: %s}` of key and value
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
    // Hard constraints filter (podtopologyspread/filtering.go): a node passes when the pods its constraint
    // counts in its domain, plus the pod itself if the selector matches it, exceed the smallest domain's count
    // by at most maxSkew. The domains and their counts come from every node that has all the constraints'
    // keys and passes the node inclusion policies, not only from the nodes the pod fits: a full or tainted
    // node's domain still sets the minimum (nodeTaintsPolicy defaults to Ignore), so a pod can stay Pending.
    if (constraints.length > 0) {
      fits.fill(0);
      fitsUntainted.fill(0);
      for (const i of matching) fits[i] = 1;
      for (const i of untainted) fitsUntainted[i] = 1;
    }
    const hard = constraints.filter((k) => k.whenUnsatisfiable === 'DoNotSchedule');
    const hardTally = tallyDomains(hard, pod);
    for (let h = 0; h < hard.length; h++) {
      const c = hard[h]!;
      const domainOf = (i: number): string | undefined => labelOf(nodes[i]!.labels, c.topologyKey);
      const eligible = candidates.filter((i) => domainOf(i) !== undefined);
      const domains = hardTally[h]!;
      const min = domains.size < (c.minDomains ?? 1) ? 0 : Math.min(...domains.values());
      // The pod adds itself to a domain's count only if the selector matches its own labels (kube-scheduler's
      // selfMatchNum); without a selector no pod is counted, so it never matters.
      const sel = selectorFor(c, pod);
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
    // ScheduleAnyway (podtopologyspread/scoring.go): the pods counted in the node's domains, over the nodes
    // that have every soft key and pass the inclusion policies; a node without one of the keys scores worst.
    const soft = constraints.filter((k) => k.whenUnsatisfiable === 'ScheduleAnyway');
    const softTally = tallyDomains(soft, pod);
    const own = constraints.length === 0 && pod.owner !== undefined ? ownerCounts.get(pod.owner) : undefined;
    const score = (i: number): number[] => {
      // Stryker disable next-line ArrayDeclaration: the same string leads every node's score, so it decides no comparison
      const s: number[] = [];
      if (soft.length > 0) {
        let sum = 0;
        for (let k = 0; k < soft.length; k++) {
          const d = labelOf(nodes[i]!.labels, soft[k]!.topologyKey);
          sum += d === undefined ? Infinity : (softTally[k]!.get(d) ?? 0);
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
    // Stryker disable next-line MethodExpression: the first candidate compared with itself is not better
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
