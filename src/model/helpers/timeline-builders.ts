/**
 * Builders for timeline specs in code (model tests, benchmarks): a Deployment owning a cluster's pods, and
 * its timeline, with Kubernetes' defaults for everything not given.
 */
import { DEFAULT_CONTROL_PLANE, DEFAULT_LIFECYCLE } from '../control/defaults.js';
import type { AutoscalerSpec, ControlPlaneSpec, DeploymentSpec, DisruptionBudgetSpec, PodLifecycleSpec, TimelineEvent } from '../control/spec.js';
import type { ModelSpec } from '../spec.js';

export interface TimelineParts {
  readonly events: readonly TimelineEvent[];
  /** The Deployment that owns every pod labelled `app: web` (default name `web`, namespace `default`). */
  readonly deployment?: Partial<Omit<DeploymentSpec, 'template'>>;
  readonly lifecycle?: Partial<PodLifecycleSpec>;
  readonly controlPlane?: Partial<ControlPlaneSpec>;
  readonly budgets?: readonly DisruptionBudgetSpec[];
  /** HorizontalPodAutoscalers (control/hpa.ts `autoscaler()` fills Kubernetes' defaults). */
  readonly autoscalers?: readonly AutoscalerSpec[];
}

/** `spec` with its `app: web` pods owned by one Deployment (RollingUpdate 25 %/25 %) and the given timeline. */
export function withTimeline(spec: ModelSpec, parts: TimelineParts): ModelSpec {
  const name = parts.deployment?.name ?? 'web';
  const namespace = parts.deployment?.namespace ?? 'default';
  const key = `${namespace}/${name}`;
  const lifecycle: PodLifecycleSpec = { ...DEFAULT_LIFECYCLE, ...parts.lifecycle };
  const owned = spec.pods.filter((p) => p.namespace === namespace && p.labels['app'] === 'web');
  const first = owned[0];
  if (first === undefined) throw new Error('withTimeline: no pod labelled app: web');
  const deployment: DeploymentSpec = {
    name,
    namespace,
    replicas: owned.length,
    strategy: {
      kind: 'RollingUpdate',
      maxSurge: { kind: 'percent', value: 25 },
      maxUnavailable: { kind: 'percent', value: 25 },
    },
    minReadySeconds: 0,
    selector: { app: 'web' },
    ...parts.deployment,
    template: {
      labels: first.labels,
      ports: first.ports,
      behaviour: first.behaviour,
      lifecycle,
      ...(first.requests !== undefined ? { requests: first.requests } : {}),
    },
  };
  return {
    ...spec,
    pods: spec.pods.map((p) => (owned.includes(p) ? { ...p, owner: key, lifecycle } : p)),
    time: {
      deployments: [deployment],
      disruptionBudgets: parts.budgets ?? [],
      controlPlane: { ...DEFAULT_CONTROL_PLANE, ...parts.controlPlane },
      timeline: [...parts.events].sort((a, b) => a.at - b.at),
      ...(parts.autoscalers !== undefined ? { autoscalers: parts.autoscalers } : {}),
    },
  };
}
