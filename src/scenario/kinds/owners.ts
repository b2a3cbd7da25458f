/**
 * What `kubectl get -o yaml` says about who owns an object: `metadata.ownerReferences` (a Pod -> its
 * ReplicaSet, StatefulSet or DaemonSet; a ReplicaSet -> its Deployment) and `metadata.uid`, which the
 * references point at. Read so that a dump's live pods are taken as their controller's replicas.
 */
import { z } from 'zod';
import { objectMeta } from './meta.js';

/** metav1.OwnerReference. The API server refuses more than one with `controller: true`. */
export const ownerReference = () =>
  z.object({
    apiVersion: z.string().min(1),
    kind: z.string().min(1),
    name: z.string().min(1),
    uid: z.string().optional(),
    controller: z.boolean().optional(),
    blockOwnerDeletion: z.boolean().optional(),
  });

export type OwnerReference = z.output<ReturnType<typeof ownerReference>>;

/** Object metadata with the fields a live object carries: uid, owners, creation time. */
export const liveMeta = (name?: z.ZodType<string>) =>
  (name ? objectMeta(name) : objectMeta()).extend({
    uid: z.string().optional(),
    ownerReferences: z.array(ownerReference()).optional(),
    /** RFC 3339 text (`kubectl` prints it quoted); `null` in templates. */
    creationTimestamp: z.unknown().optional(),
  });

/**
 * The controller reference: the one with `controller: true` (k/k `metav1.GetControllerOf`). An object
 * written by hand often leaves the flag out; a single reference to a workload kind is then taken as it.
 */
export function controllerOf(refs: readonly OwnerReference[] | undefined): { ref: OwnerReference; index: number } | undefined {
  if (!refs || refs.length === 0) return undefined;
  const flagged = refs.findIndex((r) => r.controller === true);
  if (flagged >= 0) return { ref: refs[flagged]!, index: flagged };
  if (refs.length === 1 && refs[0]!.controller === undefined) return { ref: refs[0]!, index: 0 };
  return undefined;
}
