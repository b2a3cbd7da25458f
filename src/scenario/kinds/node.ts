/**
 * v1 Node, as `kubectl get nodes -o yaml` prints it: what the cluster's nodes and zones are read from when
 * a scenario is a dump. Tolerant like every Kubernetes kind (kubelet's status holds much the simulator
 * does not use: images, nodeInfo, capacity...). Read: the name, labels (zone, region, instance type),
 * taints, `unschedulable`, `status.allocatable` cpu and memory, the InternalIP address and the Ready
 * condition.
 */
import { z } from 'zod';
import { parseIPv4 } from '../ipv4.js';
import { parseQuantity } from '../quantity.js';
import { kindSchema, stringMap } from '../values.js';
import type { Taint } from './cluster.js';
import { liveMeta } from './owners.js';

const taint = () =>
  z.object({
    key: z.string().min(1),
    value: z.string().optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
    timeAdded: z.unknown().optional(),
  });

const condition = () => z.object({ type: z.string(), status: z.string() });

export const nodeSchema = kindSchema(() => z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Node'),
  metadata: liveMeta(),
  spec: z
    .object({
      taints: z.array(taint()).optional(),
      unschedulable: z.boolean().optional(),
      podCIDR: z.string().optional(),
      podCIDRs: z.array(z.string()).optional(),
      providerID: z.string().optional(),
    })
    .default({}),
  status: z
    .object({
      /** What pods may request (capacity less the kubelet's reservations): `3920m`, `12700100Ki`. */
      allocatable: stringMap().optional(),
      capacity: stringMap().optional(),
      conditions: z.array(condition()).optional(),
      addresses: z.array(z.object({ type: z.string(), address: z.string() })).optional(),
    })
    .optional(),
}));

export type NodeObject = z.output<typeof nodeSchema>;

/** The well-known labels the scenario reads from a Node (kubernetes.io docs, "Well-Known Labels"). */
export const NODE_LABELS = {
  zone: 'topology.kubernetes.io/zone',
  region: 'topology.kubernetes.io/region',
  instanceType: 'node.kubernetes.io/instance-type',
  /** Deprecated since 1.17 (zone) and 1.17 (instance type); still on nodes of older clusters. */
  legacyZone: 'failure-domain.beta.kubernetes.io/zone',
} as const;

/** What the cluster model takes from a Node. */
export interface NodeFacts {
  readonly name: string;
  readonly zone: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  /** Allocatable cores and bytes; undefined when the status does not say. */
  readonly cpu: number | undefined;
  readonly memory: number | undefined;
  readonly ip: string | undefined;
  readonly taints: readonly Taint[];
  /** Ready condition True (absent: ready). */
  readonly ready: boolean;
}

/**
 * A Node's facts. `unschedulable` and a Ready condition other than True become the taints the node
 * lifecycle controller adds for them (`node.kubernetes.io/unschedulable`, `not-ready`, `unreachable`, all
 * NoSchedule), unless the dump already lists them, so the scheduler model keeps new pods off the node.
 */
export function nodeFacts(obj: NodeObject): NodeFacts {
  const labels = obj.metadata.labels ?? {};
  const alloc = obj.status?.allocatable ?? {};
  const quantity = (k: string): number | undefined => {
    const v = alloc[k];
    if (v === undefined) return undefined;
    const q = parseQuantity(v);
    return q > 0 ? q : undefined;
  };
  const taints: Taint[] = (obj.spec.taints ?? []).map((t) => ({ key: t.key, effect: t.effect, ...(t.value !== undefined && t.value !== '' ? { value: t.value } : {}) }));
  const add = (key: string): void => {
    if (!taints.some((t) => t.key === key && t.effect === 'NoSchedule')) taints.push({ key, effect: 'NoSchedule' });
  };
  const readyCondition = obj.status?.conditions?.find((c) => c.type === 'Ready');
  const ready = readyCondition === undefined || readyCondition.status === 'True';
  if (obj.spec.unschedulable) add('node.kubernetes.io/unschedulable');
  if (readyCondition?.status === 'False') add('node.kubernetes.io/not-ready');
  if (readyCondition !== undefined && readyCondition.status !== 'True' && readyCondition.status !== 'False') add('node.kubernetes.io/unreachable');
  const internal = obj.status?.addresses?.find((a) => a.type === 'InternalIP' && parseIPv4(a.address) !== undefined)?.address;
  return {
    name: obj.metadata.name,
    zone: labels[NODE_LABELS.zone] ?? labels[NODE_LABELS.legacyZone],
    labels,
    cpu: quantity('cpu'),
    memory: quantity('memory'),
    ip: internal,
    taints,
    ready,
  };
}
