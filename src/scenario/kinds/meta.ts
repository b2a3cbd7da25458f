/**
 * Pieces shared by the Kubernetes kinds: object metadata, label selectors, name rules. Kubernetes kinds
 * are tolerant (`z.object` drops fields the simulator does not read); netsim kinds are strict.
 */
import { z } from 'zod';
import { stringMap } from '../values.js';

/** RFC 1123 subdomain: Pods, Deployments, StatefulSets... */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** RFC 1035 label: Services (their name becomes a DNS label). */
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export const subdomainName = () =>
  z
    .string()
    .min(1)
    .max(253)
    .regex(DNS_SUBDOMAIN, {
      error: "a lowercase RFC 1123 subdomain (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit)",
    });

export const labelName = () =>
  z
    .string()
    .min(1)
    .max(63)
    .regex(DNS_LABEL, {
      error: "a lowercase RFC 1035 label (lowercase letters, digits and '-', starting with a letter, at most 63 characters)",
    });

/** `metadata` of a Kubernetes object; `name` checked against the kind's naming rule. */
export const objectMeta = (name: z.ZodType<string> = subdomainName()) =>
  z.object({
    name,
    namespace: labelName().optional(),
    labels: stringMap().optional(),
    annotations: stringMap().optional(),
    /** Set on an object being deleted: its pods are terminating. */
    deletionTimestamp: z.unknown().optional(),
  });

/** `metadata` of a pod template: no name. */
export const templateMeta = () =>
  z.object({
    labels: stringMap().optional(),
    annotations: stringMap().optional(),
  });

export const labelSelectorRequirement = () =>
  z.object({
    key: z.string().min(1),
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
    values: z.array(z.string()).optional(),
  });

export const labelSelector = () =>
  z.object({
    matchLabels: stringMap().optional(),
    matchExpressions: z.array(labelSelectorRequirement()).optional(),
  });

export type LabelSelector = z.output<ReturnType<typeof labelSelector>>;
export type SelectorRequirement = z.output<ReturnType<typeof labelSelectorRequirement>>;

export function matchesRequirement(labels: Readonly<Record<string, string>>, r: SelectorRequirement): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.operator) {
    case 'In':
      return has && (r.values ?? []).includes(labels[r.key]!);
    case 'NotIn':
      return !has || !(r.values ?? []).includes(labels[r.key]!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

/** Whether labels satisfy a selector (an empty selector matches everything, as in Kubernetes). */
export function matchesSelector(labels: Readonly<Record<string, string>>, selector: LabelSelector | undefined): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (!Object.hasOwn(labels, k) || labels[k] !== v) return false;
  return (selector.matchExpressions ?? []).every((r) => matchesRequirement(labels, r));
}

/** Whether labels include every key=value of a plain map selector (Service `spec.selector`, nodeSelector). */
export function matchesMap(labels: Readonly<Record<string, string>>, selector: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v);
}

export function formatSelector(selector: Readonly<Record<string, string>>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Metadata of a netsim kind: strict, name optional. */
export const netsimMeta = () =>
  z.strictObject({
    name: z.string().min(1).optional(),
    labels: stringMap().optional(),
    annotations: stringMap().optional(),
  });
