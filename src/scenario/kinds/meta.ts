/**
 * Pieces shared by the Kubernetes kinds: object metadata, label selectors, name rules. Kubernetes kinds
 * are tolerant (`z.object` drops fields the simulator does not read); netsim kinds are strict.
 */
import { z } from 'zod';
import { shared, stringMap } from '../values.js';

/** RFC 1123 subdomain: Pods, Deployments, StatefulSets... */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** RFC 1035 label: Services (their name becomes a DNS label). */
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/*
 * The API server's rules for names, label keys and values and port names: k8s.io/apimachinery
 * `pkg/util/validation/validation.go` (`IsDNS1123Label`, `IsQualifiedName`, `IsValidLabelValue`,
 * `IsValidPortName`). Each `...Problem` returns what is wrong, or undefined.
 */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** `IsDNS1123Label`: namespaces, Service port names. */
export function dns1123LabelProblem(value: string): string | undefined {
  if (value.length > 63) return 'a DNS-1123 label has at most 63 characters';
  if (!DNS1123_LABEL.test(value)) return "a DNS-1123 label is lowercase letters, digits and '-', starting and ending with a letter or digit";
  return undefined;
}

/** `IsQualifiedName`: label keys (`app`, `app.kubernetes.io/name`). */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return "a label key has at most one '/' (an optional DNS subdomain prefix, then a name)";
  const name = parts[parts.length - 1]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '' || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) return "the prefix of a label key (before '/') is a lowercase DNS subdomain such as example.com";
  }
  if (name === '') return "a label key's name part is not empty";
  if (name.length > 63) return "a label key's name part has at most 63 characters";
  if (!QUALIFIED_NAME_PART.test(name)) return "a label key's name part is letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
  return undefined;
}

/** `IsValidLabelValue`: label values, zone names (they are the value of topology.kubernetes.io/zone). */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return 'a label value has at most 63 characters';
  if (!LABEL_VALUE.test(value)) return "a label value is empty, or letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
  return undefined;
}

/** `IsValidPortName` (IANA_SVC_NAME): container port names, and a targetPort given by name. */
export function portNameProblem(name: string): string | undefined {
  if (name.length > 15) return 'a port name has at most 15 characters';
  if (!/^[-a-z0-9]+$/.test(name)) return "a port name is lowercase letters, digits and '-'";
  if (!/[a-z]/.test(name)) return 'a port name has at least one letter';
  if (name.includes('--')) return "a port name has no '--'";
  if (name.startsWith('-') || name.endsWith('-')) return "a port name does not begin or end with '-'";
  return undefined;
}

/** A namespace: a DNS-1123 label (a digit may come first, unlike a Service name). */
export const namespaceName = shared(() =>
  z.string().superRefine((s, ctx) => {
    const problem = dns1123LabelProblem(s);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', input: s, message: problem, params: { expected: 'a namespace name (a DNS-1123 label: lowercase letters, digits and \'-\', at most 63 characters)', found: JSON.stringify(s) } });
  }),
);

export const subdomainName = shared(() =>
  z
    .string()
    .min(1)
    .max(253)
    .regex(DNS_SUBDOMAIN, {
      error: "a lowercase RFC 1123 subdomain (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit)",
    }),
);

export const labelName = shared(() =>
  z
    .string()
    .min(1)
    .max(63)
    .regex(DNS_LABEL, {
      error: "a lowercase RFC 1035 label (lowercase letters, digits and '-', starting with a letter, at most 63 characters)",
    }),
);

function buildObjectMeta(name: z.ZodType<string>) {
  return z.object({
    name,
    namespace: namespaceName().optional(),
    labels: stringMap().optional(),
    annotations: stringMap().optional(),
    /** Set on an object being deleted: its pods are terminating. */
    deletionTimestamp: z.unknown().optional(),
  });
}
/** One metadata schema per naming rule (the rules are `shared` schemas, so this holds a handful). */
const objectMetas = new Map<z.ZodType<string>, ReturnType<typeof buildObjectMeta>>();

/** `metadata` of a Kubernetes object; `name` checked against the kind's naming rule. */
export function objectMeta(name: z.ZodType<string> = subdomainName()): ReturnType<typeof buildObjectMeta> {
  let schema = objectMetas.get(name);
  if (!schema) objectMetas.set(name, (schema = buildObjectMeta(name)));
  return schema;
}

/** `metadata` of a pod template: no name. */
export const templateMeta = shared(() =>
  z.object({
    labels: stringMap().optional(),
    annotations: stringMap().optional(),
  }),
);

export const labelSelectorRequirement = shared(() =>
  z.object({
    key: z.string().min(1),
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
    values: z.array(z.string()).optional(),
  }),
);

export const labelSelector = shared(() =>
  z.object({
    matchLabels: stringMap().optional(),
    matchExpressions: z.array(labelSelectorRequirement()).optional(),
  }),
);

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
export const netsimMeta = shared(() =>
  z.strictObject({
    name: z.string().min(1).optional(),
    labels: stringMap().optional(),
    annotations: stringMap().optional(),
  }),
);
