/**
 * A dump's live pods are their controllers' replicas. `kubectl get deploy,rs,pods -o yaml` holds a
 * Deployment, its ReplicaSet(s) and the pods those made; expanding the Deployment as well would build every
 * replica twice. So, before any controller is expanded:
 *
 * - each pod's controller reference (`metadata.ownerReferences`, k/k `metav1.GetControllerOf`) is followed
 *   to the top controller of the scenario: Pod -> ReplicaSet -> Deployment, or StatefulSet, DaemonSet,
 *   ReplicationController. A ReplicaSet missing from the dump is recognised by its name,
 *   `<deployment>-<pod-template-hash>`, as the Deployment controller names it;
 * - a controller with live pods is not expanded: those pods are its replicas, with their node, readiness
 *   and terminating state (placement `as-is`), or with their node forgotten (placement `reschedule`: the
 *   scheduler model places them again, for what-if questions);
 * - a ReplicaSet owned by a Deployment of the scenario is never expanded on its own (the Deployment's
 *   pods are its pods): it is listed as not used;
 * - when `spec.replicas` differs from the live pods (a `--set` on replicas, a hand edit), the controller
 *   scales as it would: missing replicas are created and placed by the scheduler model around the live
 *   ones; surplus ones are removed in the ReplicaSet controller's order (`deletionRank`) or, for a
 *   StatefulSet, from the highest ordinal. A Deployment caught mid-rollout
 *   (pods of two ReplicaSets) keeps its pods when it has more than `spec.replicas`.
 *
 * Errors: two controller references on one pod; an owner whose uid differs from the reference's (objects
 * from two different clusters or times); a pod whose labels its owner's selector does not match.
 */
import type { IgnoredResource } from './ignored.js';
import { unusedResource } from './ignored.js';
import type { ControllerObject, DaemonSetObject } from './kinds/controllers.js';
import { matchesSelector, type LabelSelector } from './kinds/meta.js';
import { controllerOf, type OwnerReference } from './kinds/owners.js';
import { readyFromStatus, type PodObject } from './kinds/pod.js';
import type { Problems } from './problems.js';
import type { Resource } from './resource.js';
import type { PlacementMode } from './kinds/simulation.js';
import type { Valid } from './validate.js';

export { PLACEMENT_MODES, type PlacementMode } from './kinds/simulation.js';

type Controller = Valid<ControllerObject> | Valid<DaemonSetObject>;

/** What the dump says about one pod. */
export interface DumpPod {
  /** The top controller (`Deployment/shop/web`), for default spreading and `describe`. */
  readonly owner?: string;
  /** The Deployment (`shop/web`) whose replica the pod is. */
  readonly deployment?: string;
  /** The node to bind the pod to (undefined: the scheduler model places it). */
  readonly nodeName: string | undefined;
  readonly ready: boolean;
  readonly terminating: boolean;
  /** Not built: finished, or removed by a scale-down (the reason is in `unused`). */
  readonly dropped: boolean;
}

/** A replica to create for a controller whose live pods are fewer than its `spec.replicas`. */
export interface ExtraReplica {
  readonly name: string;
  readonly extraLabels: Readonly<Record<string, string>>;
}

export interface DumpModel {
  readonly pods: ReadonlyMap<Resource, DumpPod>;
  /** Controllers whose replicas are live pods of the dump (not expanded), with the replicas to add. */
  readonly fromDump: ReadonlyMap<Resource, { readonly extra: readonly ExtraReplica[]; readonly order: number }>;
  /** Controllers not expanded at all (a ReplicaSet of a Deployment of the scenario). */
  readonly skipped: ReadonlySet<Resource>;
  readonly unused: IgnoredResource[];
}

/** Owners whose pods the scheduler places (a DaemonSet's pods are bound to their node). */
const RESCHEDULED_OWNERS: ReadonlySet<string> = new Set(['ReplicaSet', 'Deployment', 'StatefulSet', 'ReplicationController']);

const key = (kind: string, namespace: string, name: string): string => `${kind}/${namespace}/${name}`;
const nsOf = (meta: { namespace?: string | undefined }): string => meta.namespace ?? 'default';

function selectorOf(c: Controller): LabelSelector {
  return c.obj.spec.selector;
}

/** A pod the API server has: it names its owners, or has a uid or a status (a hand-written pod has none). */
export function isLivePod(obj: PodObject): boolean {
  return (obj.metadata.ownerReferences?.length ?? 0) > 0 || obj.metadata.uid !== undefined || obj.status?.phase !== undefined;
}

/** Pending < Unknown < Running, as the ReplicaSet controller orders phases for deletion. */
const PHASE_ORDER: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * k/k `controller.ActivePodsWithRanks.Less` (pkg/controller/controller_utils.go), first deleted first:
 * unassigned, then by phase, not ready, lower `controller.kubernetes.io/pod-deletion-cost`, more replicas
 * on the same node, then newer. Not read: how long a pod has been ready and its restart count (the
 * creation time stands in for the first).
 */
function deletionRank(a: RankedPod, b: RankedPod): number {
  if ((a.nodeName === undefined) !== (b.nodeName === undefined)) return a.nodeName === undefined ? -1 : 1;
  if (a.phase !== b.phase) return a.phase - b.phase;
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  if (a.cost !== b.cost) return a.cost - b.cost;
  if (a.crowd !== b.crowd) return b.crowd - a.crowd;
  if (a.created !== b.created) return a.created > b.created ? -1 : 1;
  return a.name < b.name ? 1 : a.name > b.name ? -1 : 0;
}

interface RankedPod {
  readonly res: Resource;
  readonly name: string;
  readonly nodeName: string | undefined;
  readonly ready: boolean;
  readonly phase: number;
  readonly cost: number;
  crowd: number;
  readonly created: string;
}

/** `<base>-<suffix>` names for new replicas, avoiding the live ones. */
function newReplicaNames(base: string, count: number, taken: ReadonlySet<string>, suffix: (seed: string) => string): string[] {
  const out: string[] = [];
  for (let attempt = 0; out.length < count; attempt++) {
    const name = `${base}-${suffix(`${base}/dump/${attempt}`)}`;
    if (!taken.has(name) && !out.includes(name)) out.push(name);
  }
  return out;
}

export function resolveDump(
  pods: readonly Valid<PodObject>[],
  controllers: readonly Controller[],
  order: ReadonlyMap<Resource, number>,
  mode: PlacementMode,
  problems: Problems,
  opts: { readonly podSuffix: (seed: string) => string; readonly templateHash: (obj: ControllerObject) => string },
): DumpModel {
  const byKey = new Map<string, Controller>();
  for (const c of controllers) {
    const k = key(c.obj.kind, nsOf(c.obj.metadata), c.obj.metadata.name);
    if (!byKey.has(k)) byKey.set(k, c);
  }
  const unused: IgnoredResource[] = [];
  const skipped = new Set<Resource>();

  /** An owner reference's uid against the owner's own: different objects with one name. */
  const uidConflict = (ref: OwnerReference, owner: Controller): boolean =>
    ref.uid !== undefined && owner.obj.metadata.uid !== undefined && ref.uid !== owner.obj.metadata.uid;
  const uidError = (res: Resource, path: (string | number)[], ref: OwnerReference, owner: Controller): void => {
    const at = owner.res.locate(['metadata', 'uid']);
    problems.error(res, [...path, 'uid'], {
      expected: `the uid of ${owner.obj.kind} ${nsOf(owner.obj.metadata)}/${owner.obj.metadata.name} (${owner.obj.metadata.uid}, ${at.file}:${at.line})`,
      found: JSON.stringify(ref.uid),
      message: 'conflicting owners: the reference and the owner are two different objects of one name (dumps of two clusters, or of two times?)',
    });
  };

  // ReplicaSets owned by a Deployment of the scenario.
  const parent = new Map<Resource, Controller>();
  for (const c of controllers) {
    const refs = c.obj.metadata.ownerReferences;
    const ctrl = controllerOf(refs);
    if (!ctrl || ctrl.ref.kind !== 'Deployment' || c.obj.kind !== 'ReplicaSet') continue;
    const owner = byKey.get(key('Deployment', nsOf(c.obj.metadata), ctrl.ref.name));
    if (!owner) continue;
    if (uidConflict(ctrl.ref, owner)) {
      uidError(c.res, ['metadata', 'ownerReferences', ctrl.index], ctrl.ref, owner);
      continue;
    }
    parent.set(c.res, owner);
  }
  const top = (c: Controller): Controller => parent.get(c.res) ?? c;

  // Each live pod's top controller.
  const live = new Map<Resource, Valid<PodObject>[]>();
  const podInfo = new Map<Resource, DumpPod>();
  for (const p of pods) {
    const meta = p.obj.metadata;
    const ns = nsOf(meta);
    const refs = meta.ownerReferences ?? [];
    const phase = p.obj.status?.phase;
    const base = { nodeName: p.obj.spec.nodeName, ready: readyFromStatus(p.obj.status), terminating: meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null };
    if (phase === 'Succeeded' || phase === 'Failed') {
      unused.push(unusedResource(p.res, `the pod has finished (phase ${phase}): it runs no container and is no endpoint`));
      podInfo.set(p.res, { ...base, dropped: true });
      continue;
    }
    const flagged = refs.map((r, i) => ({ r, i })).filter((x) => x.r.controller === true);
    if (flagged.length > 1) {
      const first = flagged[0]!.r;
      problems.error(p.res, ['metadata', 'ownerReferences', flagged[1]!.i, 'controller'], {
        expected: 'one owner reference with controller: true',
        found: `${flagged.length} (${flagged.map((x) => `${x.r.kind} ${x.r.name}`).join(', ')})`,
        message: `conflicting owners: a pod has one controller, and ownerReferences[${flagged[0]!.i}] already names ${first.kind} ${first.name}`,
      });
      podInfo.set(p.res, { ...base, dropped: false });
      continue;
    }
    const ctrl = controllerOf(refs);
    let owner: Controller | undefined;
    if (ctrl) {
      owner = byKey.get(key(ctrl.ref.kind, ns, ctrl.ref.name));
      if (!owner && ctrl.ref.kind === 'ReplicaSet') {
        // The ReplicaSet is not in the dump: its Deployment is, under the name the Deployment controller gives it.
        const hash = meta.labels?.['pod-template-hash'];
        owner = controllers.find(
          (c) => c.obj.kind === 'Deployment' && nsOf(c.obj.metadata) === ns && hash !== undefined && ctrl.ref.name === `${c.obj.metadata.name}-${hash}`,
        );
      } else if (owner && uidConflict(ctrl.ref, owner)) {
        uidError(p.res, ['metadata', 'ownerReferences', ctrl.index], ctrl.ref, owner);
        owner = undefined;
      }
      if (owner && !matchesSelector(meta.labels ?? {}, selectorOf(owner))) {
        problems.error(p.res, ['metadata', 'labels'], {
          expected: `labels that ${owner.obj.kind} ${nsOf(owner.obj.metadata)}/${owner.obj.metadata.name}'s selector matches`,
          found: JSON.stringify(meta.labels ?? {}),
          message: `conflicting owners: ownerReferences[${ctrl.index}] names ${ctrl.ref.kind} ${ctrl.ref.name}, whose selector does not select this pod`,
        });
        owner = undefined;
      }
    }
    if (!owner) {
      // An owner outside the scenario: the pod stands on its own. Under `reschedule`, one that a controller
      // of the scheduler's would recreate anywhere is placed again (a DaemonSet's, a Job's or a static pod stays).
      const movable = ctrl !== undefined && RESCHEDULED_OWNERS.has(ctrl.ref.kind);
      podInfo.set(p.res, {
        ...base,
        ...(mode === 'reschedule' && movable && !base.terminating ? { nodeName: undefined } : {}),
        ...(ctrl ? { owner: key(ctrl.ref.kind, ns, ctrl.ref.name) } : {}),
        dropped: false,
      });
      continue;
    }
    const t = top(owner);
    const list = live.get(t.res) ?? [];
    list.push(p);
    live.set(t.res, list);
  }

  // Controllers whose replicas are live pods, scaled to spec.replicas.
  const fromDump = new Map<Resource, { extra: ExtraReplica[]; order: number }>();
  for (const c of controllers) {
    const t = top(c);
    if (t !== c) {
      skipped.add(c.res);
      const livePods = live.has(t.res);
      unused.push(unusedResource(c.res, `its pods are Deployment ${nsOf(t.obj.metadata)}/${t.obj.metadata.name}'s (${livePods ? 'taken from the dump' : 'made from its template'})`));
      continue;
    }
    const mine = live.get(c.res);
    if (!mine) continue;
    const ns = nsOf(c.obj.metadata);
    const ownerKey = key(c.obj.kind, ns, c.obj.metadata.name);
    const deployment = c.obj.kind === 'Deployment' ? `${ns}/${c.obj.metadata.name}` : undefined;
    const bound = (p: Valid<PodObject>): string | undefined => {
      const terminating = p.obj.metadata.deletionTimestamp !== undefined && p.obj.metadata.deletionTimestamp !== null;
      // DaemonSet pods belong to their node; terminating pods stay where they are until they are gone.
      if (mode === 'reschedule' && c.obj.kind !== 'DaemonSet' && !terminating) return undefined;
      return p.obj.spec.nodeName;
    };
    for (const p of mine) {
      podInfo.set(p.res, {
        owner: ownerKey,
        ...(deployment ? { deployment } : {}),
        nodeName: bound(p),
        ready: readyFromStatus(p.obj.status),
        terminating: p.obj.metadata.deletionTimestamp !== undefined && p.obj.metadata.deletionTimestamp !== null,
        dropped: false,
      });
    }
    const lastOrder = Math.max(order.get(c.res) ?? 0, ...mine.map((p) => order.get(p.res) ?? 0));
    const extra: ExtraReplica[] = [];
    fromDump.set(c.res, { extra, order: lastOrder });
    if (c.obj.kind === 'DaemonSet') continue; // one pod per node: build-pods.ts adds the nodes that have none
    const obj = c.obj;
    const active = mine.filter((p) => !podInfo.get(p.res)!.terminating);
    const wanted = obj.spec.replicas;
    if (active.length < wanted) {
      const names = new Set(mine.map((p) => p.obj.metadata.name));
      if (obj.kind === 'StatefulSet') {
        for (let i = 0; i < wanted && extra.length < wanted - active.length; i++) {
          const name = `${obj.metadata.name}-${i}`;
          if (!names.has(name)) extra.push({ name, extraLabels: { 'statefulset.kubernetes.io/pod-name': name, 'apps.kubernetes.io/pod-index': String(i) } });
        }
      } else {
        // New replicas join the ReplicaSet the live pods share (their pod-template-hash), else a new one.
        const hashes = new Set(active.map((p) => p.obj.metadata.labels?.['pod-template-hash']).filter((h) => h !== undefined));
        const hash = obj.kind === 'Deployment' ? (hashes.size === 1 ? [...hashes][0]! : opts.templateHash(obj)) : undefined;
        const base = hash !== undefined ? `${obj.metadata.name}-${hash}` : obj.metadata.name;
        for (const name of newReplicaNames(base, wanted - active.length, names, opts.podSuffix)) {
          extra.push({ name, extraLabels: hash !== undefined ? { 'pod-template-hash': hash } : {} });
        }
      }
    } else if (active.length > wanted) {
      const hashes = new Set(active.map((p) => p.obj.metadata.labels?.['pod-template-hash'] ?? ''));
      if (obj.kind === 'Deployment' && hashes.size > 1) continue; // a rollout in progress: its surge stays
      let doomed: Valid<PodObject>[];
      if (obj.kind === 'StatefulSet') {
        const ordinal = (p: Valid<PodObject>): number => Number(/-(\d+)$/.exec(p.obj.metadata.name)?.[1] ?? -1);
        doomed = [...active].sort((a, b) => ordinal(b) - ordinal(a)).slice(0, active.length - wanted);
      } else {
        const ranked: RankedPod[] = active.map((p) => ({
          res: p.res,
          name: p.obj.metadata.name,
          nodeName: p.obj.spec.nodeName,
          ready: readyFromStatus(p.obj.status),
          phase: PHASE_ORDER[p.obj.status?.phase ?? 'Running'] ?? 2,
          cost: Number.parseInt(p.obj.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost'] ?? '0', 10) || 0,
          crowd: 0,
          created: typeof p.obj.metadata.creationTimestamp === 'string' ? p.obj.metadata.creationTimestamp : '',
        }));
        for (const r of ranked) r.crowd = ranked.filter((x) => x.nodeName !== undefined && x.nodeName === r.nodeName).length;
        const gone = new Set(ranked.sort(deletionRank).slice(0, active.length - wanted).map((r) => r.res));
        doomed = active.filter((p) => gone.has(p.res));
      }
      for (const p of doomed) {
        podInfo.set(p.res, { ...podInfo.get(p.res)!, dropped: true });
        unused.push(unusedResource(p.res, `${obj.kind} ${ns}/${obj.metadata.name} has spec.replicas ${wanted}, ${active.length} pods run: its controller would delete this one`));
      }
    }
  }
  return { pods: podInfo, fromDump, skipped, unused };
}
