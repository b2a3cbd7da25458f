/**
 * What the simulator read and did not use, and why: kinds it does not model (ConfigMap, Job, RBAC...) and
 * objects of kinds it does model that end up unused (a ReplicaSet whose pods come from the dump, a pod that
 * has finished). `validate`, `describe` and `run` list them, so nothing in the input is dropped silently.
 */
import type { Resource } from './resource.js';

/** An object read but not simulated, with the reason. */
export interface IgnoredResource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string | undefined;
  /** Absent for cluster-scoped objects and objects that name none (the default namespace). */
  readonly namespace?: string;
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

const CONFIG = 'configuration is not simulated';
const ACCESS = 'access control is not simulated';
const STORAGE = 'storage is not simulated';
const ADMISSION = 'admission control is not simulated';

/** Why a kind the simulator does not model is left out, by kind (any API group). */
const REASONS: Readonly<Record<string, string>> = {
  ConfigMap: CONFIG,
  Secret: CONFIG,
  ServiceAccount: ACCESS,
  Role: ACCESS,
  ClusterRole: ACCESS,
  RoleBinding: ACCESS,
  ClusterRoleBinding: ACCESS,
  Namespace: "namespaces come from each object's metadata.namespace",
  Job: 'batch work is not simulated (it serves no Service)',
  CronJob: 'batch work is not simulated (it serves no Service)',
  IngressClass: "ingress controllers are described by the Cluster's spec.ingressControllers",
  ValidatingWebhookConfiguration: ADMISSION,
  MutatingWebhookConfiguration: ADMISSION,
  ValidatingAdmissionPolicy: ADMISSION,
  ValidatingAdmissionPolicyBinding: ADMISSION,
  Endpoints: 'endpoints are derived from the pods (EndpointSlices, when given, are checked against them)',
  NetworkPolicy: 'network policies are not simulated: every pod may reach every pod',
  PersistentVolumeClaim: STORAGE,
  PersistentVolume: STORAGE,
  StorageClass: STORAGE,
  VolumeAttachment: STORAGE,
  CSIDriver: STORAGE,
  CSINode: STORAGE,
  ControllerRevision: 'revision history is not simulated',
  PodTemplate: 'revision history is not simulated',
  LimitRange: 'quotas and limit ranges are not simulated',
  ResourceQuota: 'quotas and limit ranges are not simulated',
  PriorityClass: 'pod priority and preemption are not simulated',
  Event: 'events are not simulated',
  Lease: 'leader election and node heartbeats are not simulated',
  CustomResourceDefinition: 'custom resources are not simulated',
  APIService: 'API aggregation is not simulated',
  CertificateSigningRequest: 'certificates are not simulated',
  ComponentStatus: 'control-plane health is not simulated',
  RuntimeClass: 'container runtimes are not simulated',
  VerticalPodAutoscaler: 'vertical autoscaling is not simulated',
};

/** The reason an object of a kind the simulator does not model is listed as ignored. */
export function reasonForKind(apiVersion: string, kind: string): string {
  return Object.hasOwn(REASONS, kind) ? REASONS[kind]! : `${kind} (${apiVersion}) is not simulated`;
}

/** An entry for an object of a modelled kind that the scenario ends up not using. */
export function unusedResource(res: Resource, reason: string): IgnoredResource {
  const ns = res.metadata?.['namespace'];
  return {
    apiVersion: res.apiVersion,
    kind: res.kind,
    name: res.name,
    ...(typeof ns === 'string' && ns !== '' ? { namespace: ns } : {}),
    file: res.source.file,
    line: res.locate([]).line,
    reason,
  };
}

/** `shop/settings`, `settings` (default namespace or cluster-scoped), `(no name)`. */
export function ignoredName(i: IgnoredResource): string {
  const name = i.name ?? '(no name)';
  return i.namespace !== undefined && i.namespace !== 'default' ? `${i.namespace}/${name}` : name;
}

/**
 * Lines for the terminal, one per kind and reason, in the order kinds first appear:
 *   `ConfigMap shop/settings: configuration is not simulated`
 *   `ServiceAccount ×3 (frontend, cart, ad): access control is not simulated`
 * At most `maxNames` names per line; the JSON form lists every object.
 */
export function formatIgnored(list: readonly IgnoredResource[], maxNames = 6): string[] {
  const groups = new Map<string, { kind: string; reason: string; names: string[] }>();
  for (const i of list) {
    const key = `${i.kind}\u0000${i.reason}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { kind: i.kind, reason: i.reason, names: [] }));
    g.names.push(ignoredName(i));
  }
  const lines: string[] = [];
  for (const g of groups.values()) {
    const shown = g.names.slice(0, maxNames).join(', ') + (g.names.length > maxNames ? `, ... (${g.names.length - maxNames} more)` : '');
    lines.push(g.names.length === 1 ? `${g.kind} ${shown}: ${g.reason}` : `${g.kind} ×${g.names.length} (${shown}): ${g.reason}`);
  }
  return lines;
}

/** The heading above those lines: `not simulated (3 objects):`. */
export function ignoredHeading(list: readonly IgnoredResource[]): string {
  return `read but not simulated (${list.length} object${list.length === 1 ? '' : 's'}):`;
}
