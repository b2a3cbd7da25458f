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
import { intOrPercent, kindSchema, nonNegativeInt, shared, type IntOrPercentInput } from '../values.js';
import { labelSelector, matchesMap, matchesSelector, templateMeta, type LabelSelector } from './meta.js';
import { liveMeta } from './owners.js';
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

/**
 * The part of a template that revision 1's pod-template-hash is computed from: the fields read before
 * timelines (the readiness probe, the preStop hook and the grace period are left out), so that reading
 * them did not rename any pod of an existing scenario.
 */
export function revisionOneHashInput(template: PodTemplateObject): unknown {
  // Fields accepted later for dumps (hostname, subdomain, inter-pod affinity) are left out for the same reason.
  const { terminationGracePeriodSeconds: _grace, containers, hostname: _h, subdomain: _s, affinity, ...spec } = template.spec;
  const nodeAffinity = affinity?.nodeAffinity;
  return {
    ...template,
    spec: {
      ...spec,
      ...(affinity !== undefined ? { affinity: nodeAffinity !== undefined ? { nodeAffinity } : {} } : {}),
      containers: containers.map(({ readinessProbe: _probe, lifecycle: _lifecycle, ...c }) => c),
    },
  };
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

export const podTemplate = shared(() => z.object({ metadata: templateMeta().optional(), spec: podSpec() }));

export type PodTemplateObject = z.output<ReturnType<typeof podTemplate>>;

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

/** The most replicas a controller may have: a typo (`replicas: 30000`) is an error, not a very long load. */
export const MAX_REPLICAS = 10000;

const controllerFields = () => ({
  replicas: nonNegativeInt().max(MAX_REPLICAS).default(1),
  selector: labelSelector(),
  template: podTemplate(),
  serviceName: z.string().optional(),
});

const controllerSpec = () => z.object(controllerFields()).superRefine(checkSelector);

/** The percentage of an IntOrPercent, or its count (what k/k's validation compares with 0 and 100%). */
function amount(v: IntOrPercentInput | undefined): number | undefined {
  return v?.value;
}

/**
 * `spec.strategy` (k/k `ValidateDeploymentStrategy`, `ValidateRollingUpdateDeployment`): Recreate takes no
 * rollingUpdate; maxUnavailable is at most 100%; maxSurge and maxUnavailable are not both 0.
 */
const strategy = () =>
  z
    .object({
      type: z.enum(['RollingUpdate', 'Recreate']).default('RollingUpdate'),
      rollingUpdate: z.object({ maxSurge: intOrPercent().optional(), maxUnavailable: intOrPercent().optional() }).optional(),
    })
    .superRefine((s, ctx) => {
      if (s.type === 'Recreate' && s.rollingUpdate !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['rollingUpdate'], input: s.rollingUpdate, message: "Forbidden: may not be specified when strategy `type` is 'Recreate'" });
        return;
      }
      const ru = s.rollingUpdate;
      if (ru?.maxUnavailable?.kind === 'percent' && ru.maxUnavailable.value > 100) {
        ctx.addIssue({ code: 'custom', path: ['rollingUpdate', 'maxUnavailable'], input: `${ru.maxUnavailable.value}%`, message: 'Invalid value: must not be greater than 100%', params: { expected: 'at most 100%', found: `"${ru.maxUnavailable.value}%"` } });
      }
      // Only what is written is checked (the defaults are 25%/25%): both written as 0 is refused.
      if (ru && amount(ru.maxSurge) === 0 && amount(ru.maxUnavailable) === 0) {
        ctx.addIssue({ code: 'custom', path: ['rollingUpdate', 'maxUnavailable'], input: 0, message: 'Invalid value: 0: may not be 0 when `maxSurge` is 0' });
      }
    });

export const deploymentSchema = kindSchema(() => z.object({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('Deployment'),
  metadata: liveMeta(),
  spec: z
    .object({
      ...controllerFields(),
      /** RollingUpdate (maxSurge, maxUnavailable: default 25% each) or Recreate. */
      strategy: strategy().optional(),
      /** Seconds a new pod must be Ready before it counts as available (default 0). */
      minReadySeconds: nonNegativeInt().optional(),
    })
    .superRefine(checkSelector),
}));

export type DeploymentObject = z.output<typeof deploymentSchema>;

export const replicaSetSchema = kindSchema(() => z.object({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('ReplicaSet'),
  metadata: liveMeta(),
  spec: controllerSpec(),
}));

export const statefulSetSchema = kindSchema(() => z.object({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('StatefulSet'),
  metadata: liveMeta(),
  spec: controllerSpec(),
}));

/** One pod per eligible node, named `<name>-<5 characters>` and bound to its node. */
export const daemonSetSchema = kindSchema(() => z.object({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('DaemonSet'),
  metadata: liveMeta(),
  spec: z.object({ selector: labelSelector(), template: podTemplate() }).superRefine(checkSelector),
}));

export type DaemonSetObject = z.output<typeof daemonSetSchema>;

/**
 * v1 ReplicationController, the ReplicaSet's predecessor (still served): its selector is a plain map and,
 * when left out, defaults to the template's labels (k/k `SetDefaults_ReplicationController`). Read as a
 * ReplicaSet with that selector.
 */
export const replicationControllerSchema = kindSchema(() => z
  .object({
    apiVersion: z.literal('v1'),
    kind: z.literal('ReplicationController'),
    metadata: liveMeta(),
    spec: z.object({
      replicas: nonNegativeInt().max(MAX_REPLICAS).default(1),
      selector: z.record(z.string(), z.string()).optional(),
      template: podTemplate(),
    }),
  })
  .superRefine((rc, ctx) => {
    const labels = rc.spec.template.metadata?.labels ?? {};
    if (rc.spec.selector !== undefined && !matchesMap(labels, rc.spec.selector)) {
      ctx.addIssue({ code: 'custom', path: ['spec', 'template', 'metadata', 'labels'], input: labels, message: 'Invalid value: `selector` does not match template `labels`' });
    } else if (rc.spec.selector === undefined && Object.keys(labels).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['spec', 'template', 'metadata', 'labels'], input: labels, message: 'Required value: a ReplicationController without a selector selects its template\'s labels, and the template has none', params: { expected: 'labels on the template (or spec.selector)', found: 'none' } });
    }
  })
  .transform((rc) => ({
    ...rc,
    spec: { ...rc.spec, selector: { matchLabels: rc.spec.selector ?? { ...(rc.spec.template.metadata?.labels ?? {}) } } as LabelSelector },
  })));

export type ControllerObject =
  | z.output<typeof deploymentSchema>
  | z.output<typeof replicaSetSchema>
  | z.output<typeof statefulSetSchema>
  | z.output<typeof replicationControllerSchema>;

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
    const hash = podTemplateHash(revisionOneHashInput(obj.spec.template));
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
