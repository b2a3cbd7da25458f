/** v1 Pod, and the pod spec shared with controllers' templates: what placement and endpoints need. */
import { z } from 'zod';
import { port, positiveInt, stringMap } from '../values.js';
import { labelSelector, labelSelectorRequirement, objectMeta } from './meta.js';

export const containerPort = () =>
  z.object({
    name: z.string().min(1).max(15).optional(),
    containerPort: port(),
    protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP'),
  });

export const container = () =>
  z.object({
    name: z.string().min(1),
    image: z.string().optional(),
    ports: z.array(containerPort()).optional(),
  });

export const nodeSelectorTerm = () =>
  z.object({
    matchExpressions: z.array(labelSelectorRequirement()).optional(),
    matchFields: z.array(labelSelectorRequirement()).optional(),
  });

export const topologySpreadConstraint = () =>
  z.object({
    maxSkew: positiveInt(),
    topologyKey: z.string().min(1),
    whenUnsatisfiable: z.enum(['DoNotSchedule', 'ScheduleAnyway']),
    labelSelector: labelSelector().optional(),
  });

export const toleration = () =>
  z.object({
    key: z.string().optional(),
    operator: z.enum(['Exists', 'Equal']).optional(),
    value: z.string().optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  });

export const podSpec = () =>
  z.object({
    nodeName: z.string().min(1).optional(),
    nodeSelector: stringMap().optional(),
    affinity: z
      .object({
        nodeAffinity: z
          .object({
            requiredDuringSchedulingIgnoredDuringExecution: z
              .object({ nodeSelectorTerms: z.array(nodeSelectorTerm()).min(1) })
              .optional(),
          })
          .optional(),
      })
      .optional(),
    topologySpreadConstraints: z.array(topologySpreadConstraint()).optional(),
    tolerations: z.array(toleration()).optional(),
    hostNetwork: z.boolean().optional(),
    containers: z.array(container()).min(1),
  });

export type PodSpecInput = z.output<ReturnType<typeof podSpec>>;
export type TopologySpreadConstraint = z.output<ReturnType<typeof topologySpreadConstraint>>;
export type Toleration = z.output<ReturnType<typeof toleration>>;
export type NodeSelectorTerm = z.output<ReturnType<typeof nodeSelectorTerm>>;

const condition = () => z.object({ type: z.string(), status: z.string() });

export const podSchema = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Pod'),
  metadata: objectMeta(),
  spec: podSpec(),
  /** As printed by `kubectl get -o yaml`: a Ready=False condition makes the pod not ready. */
  status: z.object({ conditions: z.array(condition()).optional() }).optional(),
});

export type PodObject = z.output<typeof podSchema>;

/** Readiness from a dumped status (absent: ready, as a running pod would be). */
export function readyFromStatus(status: PodObject['status']): boolean {
  const ready = status?.conditions?.find((c) => c.type === 'Ready');
  return ready === undefined || ready.status === 'True';
}
