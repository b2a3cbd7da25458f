/**
 * The model's input for time: how pods start and stop, the Deployments that own them, PodDisruptionBudgets,
 * the control plane's delays and the scenario's timeline of events. Like `spec.ts`, everything here is
 * already validated and defaulted by the scenario layer (which writes Kubernetes' defaults in), so the
 * control plane never guesses.
 *
 * A spec without a `timeline` (or with an empty one) describes a steady state: the control plane is not
 * built and the data path runs exactly as before.
 */
import type { Distribution } from '../../engine/distributions/distribution.js';
import type { Seconds } from '../../engine/time.js';
import type { ContainerPortSpec, NodeName, PodBehaviour, PodKey, ResourceRequests, ServiceKey, ZoneName } from '../spec.js';

/** A Kubernetes `IntOrString`: a count, or a percentage of a total. */
export type IntOrPercent = { readonly kind: 'count'; readonly value: number } | { readonly kind: 'percent'; readonly value: number };

/**
 * A readiness probe (k/k `SetDefaults_Probe`: period 10 s, success 1, failure 3, initial delay 0). The app
 * answers the probe as soon as it has started and until it is killed; the model does not make an app hang.
 */
export interface ProbeSpec {
  readonly initialDelay: Seconds;
  readonly period: Seconds;
  readonly successThreshold: number;
  readonly failureThreshold: number;
}

/** How a pod starts and stops (docs/references.md#probes-termination, docs/references.md#pod-startup). */
export interface PodLifecycleSpec {
  /**
   * Creation (the ReplicaSet controller's write) to containers started: scheduling, image pull, container
   * start, app init (`netsim/startup-time`).
   */
  readonly startup: Distribution;
  /** The readiness probe; null: Ready as soon as the containers have started. */
  readonly readiness: ProbeSpec | null;
  /** The preStop hook's length (`exec: sleep N`, `sleep.seconds`, or `netsim/prestop`); 0 without one. */
  readonly preStop: Seconds;
  /** `terminationGracePeriodSeconds` (default 30 s): from the deletion to SIGKILL, preStop included. */
  readonly terminationGracePeriod: Seconds;
  /**
   * What the app does on SIGTERM (`netsim/shutdown`): `graceful` stops accepting new connections and
   * finishes the requests it has (then exits); `immediate` exits at once, failing what it holds.
   */
  readonly shutdown: 'graceful' | 'immediate';
}

/** What a Deployment's pods are made from: one revision of its pod template. */
export interface PodTemplateSpec {
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly ContainerPortSpec[];
  readonly behaviour: PodBehaviour;
  readonly lifecycle: PodLifecycleSpec;
  readonly weight?: number;
  /** `resources.requests` of the template's containers, summed. */
  readonly requests?: ResourceRequests;
}

export type DeploymentStrategy =
  | { readonly kind: 'RollingUpdate'; readonly maxSurge: IntOrPercent; readonly maxUnavailable: IntOrPercent }
  | { readonly kind: 'Recreate' };

/** An apps/v1 Deployment (or a ReplicaSet / StatefulSet treated as one), as the deployment controller sees it. */
export interface DeploymentSpec {
  readonly name: string;
  readonly namespace: string;
  /** `spec.replicas` at time 0. */
  readonly replicas: number;
  readonly strategy: DeploymentStrategy;
  readonly minReadySeconds: Seconds;
  /** The label selector (`matchLabels`). */
  readonly selector: Readonly<Record<string, string>>;
  /** The template of the pods that exist at time 0 (revision 1). */
  readonly template: PodTemplateSpec;
}

/** A policy/v1 PodDisruptionBudget: exactly one of the two limits is set. */
export interface DisruptionBudgetSpec {
  readonly name: string;
  readonly namespace: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly minAvailable: IntOrPercent | null;
  readonly maxUnavailable: IntOrPercent | null;
}

/**
 * The control plane's delays. Defaults (written by the scenario layer) follow docs/references.md#endpoint-propagation, docs/references.md#node-failure:
 * kube-proxy `minSyncPeriod` 1 s, node-monitor grace period 50 s (v1.32+), monitor period 5 s, the
 * not-ready/unreachable toleration 300 s.
 */
export interface ControlPlaneSpec {
  /** EndpointSlice write to the moment a node's kube-proxy has it (watch delivery), drawn per node and change. */
  readonly endpointPropagation: Distribution;
  /** kube-proxy's `minSyncPeriod`: a sync starts at most this often (start to start). */
  readonly minSyncPeriod: Seconds;
  /** How long one kube-proxy sync takes to write the rules (null: from the mode and rule count, docs/model.md). */
  readonly syncTime: Distribution | null;
  /** `--node-monitor-grace-period`: a silent node is marked NotReady (Unknown) after this. */
  readonly nodeMonitorGracePeriod: Seconds;
  /** `--node-monitor-period`: how often the node lifecycle controller looks. */
  readonly nodeMonitorPeriod: Seconds;
  /** The default not-ready/unreachable toleration: pods on a NotReady node are evicted after this. */
  readonly podEvictionTimeout: Seconds;
}

/** Where an event came from, for messages (`file:line:col`). */
export interface EventOrigin {
  readonly source?: string;
}

/** One scripted event of the scenario's timeline. Times are simulated seconds from the run's start. */
export type TimelineEvent = EventOrigin & { readonly at: Seconds } & (
    | {
        /** Roll the Deployment to a new pod template (a changed template, or `kubectl rollout restart`). */
        readonly kind: 'rollout';
        readonly deployment: ServiceKey;
        readonly template: PodTemplateSpec;
      }
    | { readonly kind: 'scale'; readonly deployment: ServiceKey; readonly replicas: number }
    /** `kubectl delete pod` (graceful, no PodDisruptionBudget check). */
    | { readonly kind: 'delete-pod'; readonly pod: PodKey }
    | { readonly kind: 'cordon' | 'uncordon' | 'drain'; readonly node: NodeName }
    /** The node stops at once (power, kernel panic): its pods and kube-proxy stop answering. */
    | { readonly kind: 'fail-node' | 'recover-node'; readonly node: NodeName }
    | { readonly kind: 'fail-zone' | 'recover-zone'; readonly zone: ZoneName }
    /** A Service's traffic policy changes (the API write; kube-proxy and the LB catch up as for endpoints). */
    | {
        readonly kind: 'set-policy';
        readonly service: ServiceKey;
        readonly externalTrafficPolicy?: 'Cluster' | 'Local';
        readonly internalTrafficPolicy?: 'Cluster' | 'Local';
      }
  );

export type TimelineEventKind = TimelineEvent['kind'];

/** Everything about time that a `ModelSpec` may carry. */
export interface TimeSpec {
  readonly deployments: readonly DeploymentSpec[];
  readonly disruptionBudgets: readonly DisruptionBudgetSpec[];
  readonly controlPlane: ControlPlaneSpec;
  /** In time order (ties in the order written). */
  readonly timeline: readonly TimelineEvent[];
  /**
   * HorizontalPodAutoscalers (autoscaling/v2) acting on the Deployments; absent or empty: none. A spec
   * with autoscalers runs the control plane even without timeline events.
   */
  readonly autoscalers?: readonly AutoscalerSpec[];
  /** Node groups of a cluster autoscaler; absent or empty: the node set is fixed (beyond failures). */
  readonly nodeGroups?: readonly NodeGroupSpec[];
  /** The cluster autoscaler's settings (when there are node groups); absent: its defaults. */
  readonly clusterAutoscaler?: ClusterAutoscalerSpec;
}

/**
 * One scaling policy of an HPA's `behavior` (autoscaling/v2 `HPAScalingPolicy`): at most `value` pods, or
 * `value` % of the replicas at the period's start, added (or removed) per `period` seconds.
 */
export interface ScalingPolicySpec {
  readonly type: 'Pods' | 'Percent';
  readonly value: number;
  readonly period: Seconds;
}

/** `behavior.scaleUp` / `behavior.scaleDown` (`HPAScalingRules`), with the API server's defaults filled in. */
export interface ScalingRulesSpec {
  /**
   * `stabilizationWindowSeconds`. Null only for scale-down when not written: the controller then uses its
   * `--horizontal-pod-autoscaler-downscale-stabilization` (`AutoscalerSpec.downscaleStabilization`).
   */
  readonly stabilizationWindow: Seconds | null;
  /** `selectPolicy`: the policy that allows the most change (Max), the least (Min), or none (Disabled). */
  readonly selectPolicy: 'Max' | 'Min' | 'Disabled';
  readonly policies: readonly ScalingPolicySpec[];
  /** `tolerance` (KEP-4951, beta in v1.35); null: the controller's `--horizontal-pod-autoscaler-tolerance`. */
  readonly tolerance: number | null;
}

/**
 * A HorizontalPodAutoscaler (autoscaling/v2, or v1's `targetCPUUtilizationPercentage`) on a Deployment,
 * with a CPU `Utilization` target, and the kube-controller-manager and metrics-server settings it runs
 * under (control/hpa.ts, docs/model.md). Defaults (`HPA_DEFAULTS` in control/hpa.ts) are Kubernetes'.
 */
export interface AutoscalerSpec {
  readonly name: string;
  readonly namespace: string;
  /** The Deployment it scales (`namespace/name`). */
  readonly deployment: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** `metrics[].resource` cpu `target.averageUtilization`: percent of the pods' CPU requests. */
  readonly targetCPUUtilization: number;
  /**
   * `spec.behavior` with every unset field defaulted (k/k `pkg/apis/autoscaling/v2/defaults.go`); null when
   * the HPA has none: the controller then runs its older path (`normalizeDesiredReplicas`).
   */
  readonly behavior: { readonly scaleUp: ScalingRulesSpec; readonly scaleDown: ScalingRulesSpec } | null;
  /** `--horizontal-pod-autoscaler-tolerance` (0.1). */
  readonly tolerance: number;
  /** `--horizontal-pod-autoscaler-downscale-stabilization` (300 s). */
  readonly downscaleStabilization: Seconds;
  /** `--horizontal-pod-autoscaler-sync-period` (15 s). */
  readonly syncPeriod: Seconds;
  /** metrics-server `--metric-resolution` (15 s in its release manifest): its scrape period. */
  readonly metricResolution: Seconds;
  /** `--horizontal-pod-autoscaler-cpu-initialization-period` (300 s). */
  readonly cpuInitializationPeriod: Seconds;
  /** `--horizontal-pod-autoscaler-initial-readiness-delay` (30 s). */
  readonly initialReadinessDelay: Seconds;
  /** Time of the HPA's first sync (absent or null: a uniform draw in [0, syncPeriod)). */
  readonly syncPhase?: Seconds | null;
  /** Time of metrics-server's first scrape, modulo the resolution (absent or null: a uniform draw). */
  readonly metricPhase?: Seconds | null;
  /** Where it was written, for messages (`file:line:col`). */
  readonly source?: string;
}

/**
 * A node group of the cluster autoscaler (one per zone, as an AWS ASG or a GKE node pool per zone): its
 * nodes are alike, from `minSize` to `maxSize`, `initialSize` of them at the start.
 */
export interface NodeGroupSpec {
  readonly name: string;
  readonly zone: ZoneName;
  readonly minSize: number;
  readonly maxSize: number;
  readonly initialSize: number;
  /** Allocatable CPU cores and memory (bytes) of each node. */
  readonly cpu: number;
  readonly memory: number;
  readonly labels: Readonly<Record<string, string>>;
  /** From the autoscaler's decision to the node Ready (VM boot, join): a draw per node. */
  readonly provisionTime: Distribution;
}

/** The cluster autoscaler's settings (kubernetes/autoscaler FAQ parameter table, docs/references.md#cluster-autoscaler). */
export interface ClusterAutoscalerSpec {
  /** `scan-interval`, default 10 s. */
  readonly scanInterval: Seconds;
  /** `scale-down-unneeded-time`, default 10 min. */
  readonly scaleDownUnneededTime: Seconds;
  /** `scale-down-delay-after-add`, default 10 min. */
  readonly scaleDownDelayAfterAdd: Seconds;
  /** `scale-down-utilization-threshold` (requests / allocatable), default 0.5. */
  readonly scaleDownUtilizationThreshold: number;
}
