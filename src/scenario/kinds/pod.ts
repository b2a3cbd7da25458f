/**
 * v1 Pod, and the pod spec shared with controllers' templates: what placement and endpoints need, and what
 * timelines need of a pod's life (readiness probe, preStop hook, termination grace period).
 */
import { z } from 'zod';
import { parseQuantity } from '../quantity.js';
import { fail, kindSchema, nonNegativeInt, port, positiveInt, shared, stringMap } from '../values.js';
import { labelSelector, labelSelectorRequirement } from './meta.js';
import { liveMeta } from './owners.js';

export const containerPort = () =>
  z.object({
    name: z.string().min(1).max(15).optional(),
    containerPort: port(),
    protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP'),
  });

/**
 * A probe (k/k `SetDefaults_Probe`: a field left out, or 0, takes its default: period 10 s, success 1,
 * failure 3). The handler (httpGet, tcpSocket, exec, grpc) and timeoutSeconds are read but not used: the
 * model's app answers its probe as soon as it has started.
 */
export const probe = () =>
  z.object({
    initialDelaySeconds: nonNegativeInt().optional(),
    periodSeconds: nonNegativeInt().optional(),
    successThreshold: nonNegativeInt().optional(),
    failureThreshold: nonNegativeInt().optional(),
    timeoutSeconds: nonNegativeInt().optional(),
  });

/** A command word: the API wants strings, a bare YAML number (`[sleep, 15]`) is read as written. */
const commandWord = () => z.union([z.string(), z.number()]).transform((v) => String(v));

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;

/** A lifecycle hook handler: exactly what decides how long `preStop` takes. One handler type (k/k validation). */
export const lifecycleHandler = () =>
  z
    .object({
      exec: z.object({ command: z.array(commandWord()).optional() }).optional(),
      /** KEP-3960 (GA v1.34): `sleep: {seconds: N}`. */
      sleep: z.object({ seconds: nonNegativeInt() }).optional(),
      httpGet: z.unknown().optional(),
      tcpSocket: z.unknown().optional(),
    })
    .superRefine((h, ctx) => {
      const given = HANDLERS.filter((k) => h[k] !== undefined);
      if (given.length > 1) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          input: h,
          message: `Forbidden: may not specify more than 1 handler type (found ${given.join(' and ')}); a rollout's template change merges into the hook it changes: set the old handler to null`,
        });
      }
    });

/** A resource quantity of zero or more (`500m`, `0.5`, `128Mi`), as a number (cores or bytes). */
const requestQuantity = (expected: string) =>
  z.unknown().transform((v, ctx): number => {
    const q = typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) : NaN;
    if (!(q >= 0)) return fail(ctx, v, { expected });
    return q;
  });

/**
 * `resources`: the requests are read (cpu and memory: placement, the HPA's utilisation, the cluster
 * autoscaler); limits and other resources are accepted and not used.
 */
export const resources = () =>
  z.object({
    requests: z
      .object({
        cpu: requestQuantity('a CPU quantity such as 500m or 0.5').optional(),
        memory: requestQuantity('a memory quantity such as 128Mi or 1Gi').optional(),
      })
      .catchall(z.unknown())
      .optional(),
    limits: z.record(z.string(), z.unknown()).optional(),
  });

export const container = () =>
  z.object({
    name: z.string().min(1),
    image: z.string().optional(),
    ports: z.array(containerPort()).optional(),
    readinessProbe: probe().optional(),
    lifecycle: z.object({ preStop: lifecycleHandler().optional() }).optional(),
    resources: resources().optional(),
  });

export const nodeSelectorTerm = () =>
  z.object({
    matchExpressions: z.array(labelSelectorRequirement()).optional(),
    matchFields: z.array(labelSelectorRequirement()).optional(),
  });

/**
 * A topology spread constraint, with the fields kube-scheduler's PodTopologySpread reads: `minDomains`
 * (DoNotSchedule only, as the API server requires), the node inclusion policies (defaults: `nodeAffinityPolicy:
 * Honor`, `nodeTaintsPolicy: Ignore`) and `matchLabelKeys` (the incoming pod's values of those labels are
 * added to the selector).
 */
export const topologySpreadConstraint = () =>
  z
    .object({
      maxSkew: positiveInt(),
      topologyKey: z.string().min(1),
      whenUnsatisfiable: z.enum(['DoNotSchedule', 'ScheduleAnyway']),
      labelSelector: labelSelector().optional(),
      minDomains: positiveInt().optional(),
      nodeAffinityPolicy: z.enum(['Honor', 'Ignore']).optional(),
      nodeTaintsPolicy: z.enum(['Honor', 'Ignore']).optional(),
      matchLabelKeys: z.array(z.string().min(1)).optional(),
    })
    .superRefine((c, ctx) => {
      if (c.matchLabelKeys !== undefined && c.matchLabelKeys.length > 0 && c.labelSelector === undefined) {
        ctx.addIssue({ code: 'custom', path: ['matchLabelKeys'], input: c.matchLabelKeys, message: 'must not be specified when `labelSelector` is not set', params: { expected: 'a labelSelector with matchLabelKeys', found: 'no labelSelector' } });
      }
      if (c.minDomains !== undefined && c.whenUnsatisfiable !== 'DoNotSchedule') {
        ctx.addIssue({ code: 'custom', path: ['minDomains'], input: c.minDomains, message: 'can only be used with `whenUnsatisfiable: DoNotSchedule`', params: { expected: 'no minDomains with ScheduleAnyway', found: String(c.minDomains) } });
      }
    });

export const toleration = () =>
  z.object({
    key: z.string().optional(),
    operator: z.enum(['Exists', 'Equal']).optional(),
    value: z.string().optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  });

export const podSpec = shared(() =>
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
        /** Accepted, not read: inter-pod (anti-)affinity is not part of the scheduler model (docs/model.md). */
        podAffinity: z.unknown().optional(),
        podAntiAffinity: z.unknown().optional(),
      })
      .optional(),
    topologySpreadConstraints: z.array(topologySpreadConstraint()).optional(),
    tolerations: z.array(toleration()).optional(),
    hostNetwork: z.boolean().optional(),
    /** A StatefulSet pod's DNS name parts: accepted, not read (`kubectl get -o yaml` prints them). */
    hostname: z.string().optional(),
    subdomain: z.string().optional(),
    /** From the deletion to SIGKILL, preStop included (default 30 s). */
    terminationGracePeriodSeconds: nonNegativeInt().optional(),
    containers: z.array(container()).min(1),
  }));

export type PodSpecInput = z.output<ReturnType<typeof podSpec>>;
export type TopologySpreadConstraint = z.output<ReturnType<typeof topologySpreadConstraint>>;
export type Toleration = z.output<ReturnType<typeof toleration>>;
export type NodeSelectorTerm = z.output<ReturnType<typeof nodeSelectorTerm>>;
export type ContainerInput = z.output<ReturnType<typeof container>>;
export type ProbeInput = z.output<ReturnType<typeof probe>>;
export type LifecycleHandlerInput = z.output<ReturnType<typeof lifecycleHandler>>;

/**
 * `resources.requests` summed over the containers (k/k `PodRequests`, without init containers: their
 * requests matter only while they run); undefined when no container requests anything.
 */
export function podRequests(spec: PodSpecInput): { cpu: number; memory: number } | undefined {
  let any = false;
  let cpu = 0;
  let memory = 0;
  for (const c of spec.containers) {
    const r = c.resources?.requests;
    if (r?.cpu !== undefined) {
      any = true;
      cpu += r.cpu;
    }
    if (r?.memory !== undefined) {
      any = true;
      memory += r.memory;
    }
  }
  return any ? { cpu, memory } : undefined;
}

const condition = () => z.object({ type: z.string(), status: z.string() });

export const podSchema = kindSchema(() => z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Pod'),
  /** `ownerReferences` make a dumped pod its controller's replica (dump-pods.ts). */
  metadata: liveMeta(),
  spec: podSpec(),
  /**
   * As printed by `kubectl get -o yaml`: a Ready=False condition makes the pod not ready; a pod whose
   * phase is Succeeded or Failed runs no more (listed as not used).
   */
  status: z
    .object({
      phase: z.string().optional(),
      conditions: z.array(condition()).optional(),
      podIP: z.string().optional(),
      hostIP: z.string().optional(),
      podIPs: z.array(z.unknown()).optional(),
      hostIPs: z.array(z.unknown()).optional(),
    })
    .optional(),
}));

export type PodObject = z.output<typeof podSchema>;

/**
 * Readiness from a dumped status (absent: ready, as a running pod would be). A pod in phase Pending has
 * not started its containers: not ready, whatever node the model gives it.
 */
export function readyFromStatus(status: PodObject['status']): boolean {
  if (status?.phase === 'Pending') return false;
  const ready = status?.conditions?.find((c) => c.type === 'Ready');
  return ready === undefined || ready.status === 'True';
}
