/**
 * apps/v1 Deployment, ReplicaSet and StatefulSet: validated, then expanded into the pods their
 * controllers would create, named the way the controllers name them:
 *
 * - StatefulSet `web`: `web-0`, `web-1`, ...
 * - ReplicaSet `web-5b8c666f54`: `web-5b8c666f54-<5 characters>`
 * - Deployment `web`: through a ReplicaSet named `web-<pod-template-hash>`, so `web-5b8c666f54-bnmvr`.
 *
 * Kubernetes draws the 5-character suffixes at random; here they come from a hash of the owner's name
 * and the replica's index, so the same file always yields the same names. The pod-template-hash is
 * computed the way the Deployment controller does it (an FNV-1a hash of the template, its decimal digits
 * mapped through the "safe" alphabet), from our own serialization of the template.
 */
import { z } from 'zod';
import { fnv1a } from '../ipv4.js';
import { nonNegativeInt } from '../values.js';
import { labelSelector, matchesSelector, objectMeta, templateMeta, type LabelSelector } from './meta.js';
import { podSpec } from './pod.js';

/** k8s.io/apimachinery/pkg/util/rand: consonants and digits that cannot spell bad words. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `rand.SafeEncodeString`: each character mapped into the safe alphabet. */
export function safeEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += SAFE_ALPHABET[text.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** pod-template-hash of a template (deterministic in the template's content). */
export function podTemplateHash(template: unknown): string {
  return safeEncode(String(fnv1a(JSON.stringify(template))));
}

/** A 5-character suffix like those `utilrand.String(5)` draws, from a hash instead of a random source. */
export function podSuffix(seed: string): string {
  let h = fnv1a(seed);
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += SAFE_ALPHABET[h % SAFE_ALPHABET.length];
    h = Math.floor(h / SAFE_ALPHABET.length);
  }
  return out;
}

const podTemplate = () => z.object({ metadata: templateMeta().optional(), spec: podSpec() });

/** apps/v1 requires the selector to match the template's labels ("selector does not match template labels"). */
function checkSelector(spec: { selector: LabelSelector; template: { metadata?: { labels?: Record<string, string> } | undefined } }, ctx: z.core.$RefinementCtx<unknown>): void {
  const labels = spec.template.metadata?.labels ?? {};
  const empty = !spec.selector.matchLabels && !spec.selector.matchExpressions;
  if (empty) {
    ctx.addIssue({ code: 'custom', path: ['selector'], input: spec.selector, message: 'empty selector is invalid for apps/v1', params: { expected: 'matchLabels or matchExpressions', found: 'an empty selector' } });
  } else if (!matchesSelector(labels, spec.selector)) {
    ctx.addIssue({ code: 'custom', path: ['template', 'metadata', 'labels'], input: labels, message: 'Invalid value: `selector` does not match template `labels`' });
  }
}

const controllerSpec = () =>
  z
    .object({
      /** Capped so a typo (`replicas: 30000`) is an error, not a very long load. */
      replicas: nonNegativeInt().max(10000).default(1),
      selector: labelSelector(),
      template: podTemplate(),
      serviceName: z.string().optional(),
    })
    .superRefine(checkSelector);

export const deploymentSchema = z.object({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('Deployment'),
  metadata: objectMeta(),
  spec: controllerSpec(),
});

export const replicaSetSchema = z.object({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('ReplicaSet'),
  metadata: objectMeta(),
  spec: controllerSpec(),
});

export const statefulSetSchema = z.object({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('StatefulSet'),
  metadata: objectMeta(),
  spec: controllerSpec(),
});

/** One pod per eligible node, named `<name>-<5 characters>` and bound to its node. */
export const daemonSetSchema = z.object({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('DaemonSet'),
  metadata: objectMeta(),
  spec: z.object({ selector: labelSelector(), template: podTemplate() }).superRefine(checkSelector),
});

export type DaemonSetObject = z.output<typeof daemonSetSchema>;

export type ControllerObject =
  | z.output<typeof deploymentSchema>
  | z.output<typeof replicaSetSchema>
  | z.output<typeof statefulSetSchema>;

export interface ReplicaIdentity {
  readonly name: string;
  /** Labels the controller adds to the template's (pod-template-hash, statefulset pod name...). */
  readonly extraLabels: Readonly<Record<string, string>>;
}

/** Names (and controller-added labels) of the pods a controller creates, in ordinal order. */
export function replicaIdentities(obj: ControllerObject): ReplicaIdentity[] {
  const name = obj.metadata.name;
  const n = obj.spec.replicas;
  const out: ReplicaIdentity[] = [];
  if (obj.kind === 'StatefulSet') {
    for (let i = 0; i < n; i++) {
      out.push({
        name: `${name}-${i}`,
        extraLabels: { 'statefulset.kubernetes.io/pod-name': `${name}-${i}`, 'apps.kubernetes.io/pod-index': String(i) },
      });
    }
    return out;
  }
  let owner = name;
  let extra: Record<string, string> = {};
  if (obj.kind === 'Deployment') {
    const hash = podTemplateHash(obj.spec.template);
    owner = `${name}-${hash}`;
    extra = { 'pod-template-hash': hash };
  }
  const used = new Set<string>();
  for (let i = 0; i < n; i++) {
    let attempt = 0;
    let pod: string;
    do pod = `${owner}-${podSuffix(`${owner}/${i}/${attempt++}`)}`;
    while (used.has(pod));
    used.add(pod);
    out.push({ name: pod, extraLabels: extra });
  }
  return out;
}
