/**
 * The HorizontalPodAutoscaler controller (kube-controller-manager) and the metrics-server it reads, for
 * HPAs with a CPU `Utilization` target on a Deployment. A port of k/k `pkg/controller/podautoscaler`
 * (docs/model.md "HorizontalPodAutoscaler" cites the function behind each rule):
 *
 * metrics-server (kubernetes-sigs/metrics-server `pkg/storage/pod.go`): every `metricResolution` it scrapes
 *   each running container's cumulative CPU time and keeps the last two points; a pod's usage is the
 *   difference over the time between them. A container that started 10 s to one resolution before a scrape
 *   gets its start as the earlier point (with 0 CPU); a restarted one starts over; a pod whose node is down
 *   is not scraped (its points are dropped). Cumulative CPU = the pod's busy-server time (the data path's
 *   `PodStations.busyTime`, kept anyway) × its `cpuShare`: nothing is added per request.
 *
 * The controller, every `syncPeriod` (`reconcileAutoscaler`):
 *   - the first sync records the current replicas as a recommendation (`recordInitialRecommendation`);
 *   - replicas 0 with minReplicas > 0: autoscaling is off; above maxReplicas or below minReplicas: straight
 *     to the bound;
 *   - else `GetResourceReplicas`: pods grouped (`groupPods`) into ignored (being deleted), unready (Pending;
 *     for CPU, also within `cpuInitializationPeriod` of its start a pod not Ready or whose metric does not
 *     cover a whole window since it became Ready, and after it one not Ready that never was Ready beyond
 *     `initialReadinessDelay`), missing (no metric) and ready; utilisation = Σ usage / Σ requests of the
 *     ready pods with metrics, in whole percent (`GetResourceUtilizationRatio`); ratio = utilisation /
 *     target; within the tolerance no change; else ceil(ratio × ready); with missing pods, or unready ones
 *     on a scale-up, the ratio is computed again with missing pods at 100 % of their request (scale-down)
 *     or 0 (scale-up) and unready ones at 0, and nothing changes if it falls within tolerance or changes
 *     direction; else ceil(new ratio × pods counted);
 *   - without `behavior` (`normalizeDesiredReplicas`): the highest recommendation of the last
 *     `downscaleStabilization` (`stabilizeRecommendation`), then at most max(2 × current, 4) and within
 *     [min, max] (`convertDesiredReplicasWithRules`);
 *   - with `behavior` (`normalizeDesiredReplicasWithBehaviors`): the current count moved toward the
 *     recommendation no further than the lowest one of the scale-up window and the highest one of the
 *     scale-down window (`stabilizeRecommendationWithBehaviors`), then the policies' limits over their
 *     periods, from the scale events kept (`calculateScaleUpLimitWithScalingRules`,
 *     `calculateScaleDownLimitWithBehaviors`, `storeScaleEvent`), and [min, max];
 *   - a change is written to the Deployment's scale (`DeploymentController.scale`): new pods go through
 *     the scheduler, start-up and readiness like any other.
 *
 * Cost: one event per scrape and per sync, each O(pods of the Deployment); O(1) per pod change (the
 * listener that notes start and readiness times); nothing per request.
 */
import type { Rng, RandomStreams } from '../../engine/random.js';
import type { Simulator } from '../../engine/simulator.js';
import type { Seconds } from '../../engine/time.js';
import type { PodStations } from '../pods.js';
import type { AutoscalerResult } from '../result.js';
import type { ModelSpec } from '../spec.js';
import { ClusterState, Phase } from './cluster-state.js';
import type { DeploymentController } from './deployment-controller.js';
import type { AutoscalerSpec, ScalingRulesSpec } from './spec.js';
import { StepSeries } from './window-samples.js';

/** kube-controller-manager's and metrics-server's defaults (docs/references.md#hpa). [DEF] */
export const HPA_DEFAULTS = {
  /** `autoscaling.DefaultCPUUtilization`: the target of an HPA written without metrics. */
  targetCPUUtilization: 80,
  minReplicas: 1,
  tolerance: 0.1,
  downscaleStabilization: 300,
  syncPeriod: 15,
  /** metrics-server's release manifest (`--metric-resolution=15s`; the binary's own default is 60 s). */
  metricResolution: 15,
  cpuInitializationPeriod: 300,
  initialReadinessDelay: 30,
} as const;

/** `defaultHPAScaleUpRules`: no stabilization, max(4 pods, 100 %) per 15 s. */
export const DEFAULT_SCALE_UP: ScalingRulesSpec = {
  stabilizationWindow: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, period: 15 },
    { type: 'Percent', value: 100, period: 15 },
  ],
  tolerance: null,
};

/** `defaultHPAScaleDownRules`: the controller's window (null), 100 % per 15 s. */
export const DEFAULT_SCALE_DOWN: ScalingRulesSpec = {
  stabilizationWindow: null,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, period: 15 }],
  tolerance: null,
};

/** An AutoscalerSpec with Kubernetes' defaults for everything not given (specs built in code). */
export function autoscaler(
  a: Pick<AutoscalerSpec, 'deployment' | 'maxReplicas'> & Partial<AutoscalerSpec>,
): AutoscalerSpec {
  const [namespace, name] = a.deployment.split('/') as [string, string];
  return {
    name: a.name ?? name,
    namespace: a.namespace ?? namespace,
    minReplicas: HPA_DEFAULTS.minReplicas,
    targetCPUUtilization: HPA_DEFAULTS.targetCPUUtilization,
    behavior: null,
    tolerance: HPA_DEFAULTS.tolerance,
    downscaleStabilization: HPA_DEFAULTS.downscaleStabilization,
    syncPeriod: HPA_DEFAULTS.syncPeriod,
    metricResolution: HPA_DEFAULTS.metricResolution,
    cpuInitializationPeriod: HPA_DEFAULTS.cpuInitializationPeriod,
    initialReadinessDelay: HPA_DEFAULTS.initialReadinessDelay,
    ...a,
  };
}

/** metrics-server's `freshContainerMinMetricsResolution`. */
const FRESH_CONTAINER_MIN = 10;
/** A start long before the run (pods of the manifests): beyond every initialization period. */
const LONG_AGO = -1e9;

/** A pod's CPU usage as the Metrics API reports it. */
export interface PodMetric {
  /** Millicores (`Quantity.MilliValue()` of metrics-server's nanocores: rounded up). */
  readonly milli: number;
  /** The later scrape. */
  readonly timestamp: Seconds;
  /** Time between the two scrapes. */
  readonly window: Seconds;
}

/**
 * What metrics-server keeps of each pod the autoscalers look at: the last two points (time, cumulative CPU
 * core-seconds) of its running container.
 */
export class MetricsServer {
  private readonly lastT: Float64Array;
  private readonly lastCum: Float64Array;
  private readonly prevT: Float64Array;
  private readonly prevCum: Float64Array;
  /** Busy-server integral at the container's start (the cumulative counter's zero). */
  private readonly base: Float64Array;
  private readonly share: Float64Array;
  private readonly tracked: number[];
  /** The first scrape of the run. */
  private readonly first: Seconds;

  constructor(
    private readonly sim: Simulator,
    spec: ModelSpec,
    private readonly state: ClusterState,
    private readonly stations: PodStations,
    private readonly times: PodTimes,
    /** Pods to scrape (those of autoscaled Deployments). */
    tracked: readonly number[],
    private readonly resolution: Seconds,
    phase: Seconds,
  ) {
    const n = spec.pods.length;
    this.lastT = new Float64Array(n).fill(NaN);
    this.lastCum = new Float64Array(n);
    this.prevT = new Float64Array(n).fill(NaN);
    this.prevCum = new Float64Array(n);
    this.base = new Float64Array(n);
    this.share = Float64Array.from(spec.pods, (p) => p.behaviour.cpuShare ?? 1);
    this.tracked = [...tracked];
    const first = (this.first = ((phase % resolution) + resolution) % resolution);
    // metrics-server has been running: its scrape before the run saw the pods that were running, idle.
    for (const p of this.tracked) {
      if (state.phase[p] === Phase.Running && state.podNode[p]! >= 0) {
        this.lastT[p] = first - resolution;
        this.lastCum[p] = 0;
      }
    }
    times.onContainerStart = (p) => {
      this.base[p] = this.stations.busyIntegral(p, this.sim.now);
    };
    sim.scheduleAt(first, this.onScrape, 0);
  }

  /** The Metrics API's answer for pod p now (null: no metric: not scraped twice since its start). */
  metric(p: number): PodMetric | null {
    const t1 = this.lastT[p]!;
    const t0 = this.prevT[p]!;
    if (!(t1 === t1) || !(t0 === t0) || !(t1 > t0)) return null;
    const cores = (this.lastCum[p]! - this.prevCum[p]!) / (t1 - t0);
    // metrics-server reports whole nanocores (truncated); the HPA reads MilliValue(), which rounds up.
    const nano = Math.floor(cores * 1e9);
    return { milli: Math.ceil(nano / 1e6), timestamp: t1, window: t1 - t0 };
  }

  private readonly onScrape = (k: number): void => {
    const now = this.sim.now;
    const st = this.state;
    for (const p of this.tracked) {
      const node = st.podNode[p]!;
      // Only running containers on nodes that answer are scraped; the others' points are dropped.
      if (st.phase[p] !== Phase.Running || node < 0 || st.nodeDown[node] === 1) {
        this.lastT[p] = NaN;
        this.prevT[p] = NaN;
        continue;
      }
      const cum = (this.stations.busyIntegral(p, now) - this.base[p]!) * this.share[p]!;
      const start = this.times.containerStart[p]!;
      const age = now - start;
      const last = this.lastT[p]!;
      if (start < now && age < this.resolution && age >= FRESH_CONTAINER_MIN) {
        // A fresh container: its start is the earlier point, with no CPU used.
        this.prevT[p] = start;
        this.prevCum[p] = 0;
      } else if (last === last && start < last && now > last) {
        this.prevT[p] = last;
        this.prevCum[p] = this.lastCum[p]!;
      } else {
        this.prevT[p] = NaN;
      }
      this.lastT[p] = now;
      this.lastCum[p] = cum;
    }
    // Times from the phase (not accumulated), so that a hand computation meets them exactly.
    this.sim.scheduleAt(this.first + (k + 1) * this.resolution, this.onScrape, k + 1);
  };
}

/**
 * When each pod started (`status.startTime`: placed on its node), when its container started, and when its
 * Ready condition last changed: what `groupPods` and metrics-server read. Kept by a pod listener, O(1) per
 * change.
 */
export class PodTimes {
  readonly podStart: Float64Array;
  readonly containerStart: Float64Array;
  readonly readyTransition: Float64Array;
  private readonly lastPhase: Uint8Array;
  private readonly lastReady: Uint8Array;
  private readonly placed: Uint8Array;
  onContainerStart: (pod: number) => void = () => {};

  constructor(
    private readonly sim: Simulator,
    private readonly state: ClusterState,
    firstSlot: number,
  ) {
    const n = state.phase.length;
    this.podStart = new Float64Array(n).fill(NaN);
    this.containerStart = new Float64Array(n).fill(NaN);
    this.readyTransition = new Float64Array(n).fill(NaN);
    this.lastPhase = Uint8Array.from(state.phase);
    this.lastReady = Uint8Array.from(state.ready);
    this.placed = new Uint8Array(n);
    for (let p = 0; p < firstSlot; p++) {
      if (state.podNode[p]! < 0) continue;
      this.placed[p] = 1;
      this.podStart[p] = LONG_AGO;
      this.readyTransition[p] = LONG_AGO;
      if (state.phase[p] === Phase.Running) this.containerStart[p] = LONG_AGO;
    }
    state.onPod(this.changed);
  }

  private readonly changed = (p: number): void => {
    const st = this.state;
    const now = this.sim.now;
    const phase = st.phase[p]!;
    const before = this.lastPhase[p]!;
    if (phase !== before) {
      if (before === Phase.Slot || before === Phase.Gone) {
        // A new pod in this slot (created, or a recycled slot): nothing of the old one carries over.
        this.placed[p] = 0;
        this.podStart[p] = NaN;
        this.containerStart[p] = NaN;
        this.readyTransition[p] = NaN;
      }
      if (phase === Phase.Running) {
        this.containerStart[p] = now;
        this.onContainerStart(p);
      }
      this.lastPhase[p] = phase;
    }
    if (this.placed[p] === 0 && st.podNode[p]! >= 0 && phase !== Phase.Slot && phase !== Phase.Gone) {
      // The kubelet acknowledges the pod: status.startTime; its conditions are written then too.
      this.placed[p] = 1;
      this.podStart[p] = now;
      this.readyTransition[p] = now;
    }
    const ready = st.ready[p]!;
    if (ready !== this.lastReady[p]) {
      this.lastReady[p] = ready;
      this.readyTransition[p] = now;
    }
  };
}

interface Recommendation {
  r: number;
  t: Seconds;
}

interface ScaleEvent {
  change: number;
  t: Seconds;
  outdated: boolean;
}

/** What one sync saw and decided (the result's series; `syncLog` for tests). */
export interface SyncRecord {
  readonly at: Seconds;
  readonly current: number;
  /** The CPU utilisation computed (percent of requests), before the missing/unready adjustments; null: none. */
  readonly utilisation: number | null;
  /** The recommendation from the metric, before stabilization and limits (null: no metric). */
  readonly proposed: number | null;
  readonly desired: number;
}

/** Outcome of `GetResourceReplicas`. */
interface Computed {
  readonly replicas: number;
  readonly utilisation: number;
}

type Tolerances = { readonly down: number; readonly up: number };

function isWithin(t: Tolerances, ratio: number): boolean {
  return 1.0 - t.down <= ratio && ratio <= 1.0 + t.up;
}

/** One HPA: its recommendations and scale events (the controller's per-key maps). */
export class HorizontalPodAutoscaler {
  private recommendations: Recommendation[] | null = null;
  private readonly upEvents: ScaleEvent[] = [];
  private readonly downEvents: ScaleEvent[] = [];
  private readonly tolerances: Tolerances;
  readonly utilisationSeries: StepSeries;
  readonly desiredSeries: StepSeries;
  readonly log: SyncRecord[] = [];
  private readonly first: Seconds;

  constructor(
    private readonly sim: Simulator,
    readonly spec: AutoscalerSpec,
    private readonly d: number,
    private readonly state: ClusterState,
    private readonly deployments: DeploymentController,
    private readonly deploymentOf: Int32Array,
    private readonly requests: Float64Array,
    private readonly metrics: MetricsServer,
    private readonly times: PodTimes,
    rng: Rng,
  ) {
    const b = spec.behavior;
    this.tolerances = {
      down: b?.scaleDown.tolerance ?? spec.tolerance,
      up: b?.scaleUp.tolerance ?? spec.tolerance,
    };
    const name = `${spec.namespace}/${spec.name}`;
    this.utilisationSeries = new StepSeries(name, NaN);
    this.desiredSeries = new StepSeries(name, deployments.replicasOf(d));
    this.first = spec.syncPhase !== undefined && spec.syncPhase !== null ? spec.syncPhase : rng() * spec.syncPeriod;
    sim.scheduleAt(this.first, this.onSync, 0);
  }

  private readonly onSync = (k: number): void => {
    this.reconcile();
    this.sim.scheduleAt(this.first + (k + 1) * this.spec.syncPeriod, this.onSync, k + 1);
  };

  /** `reconcileAutoscaler`, for a CPU Utilization metric. */
  private reconcile(): void {
    const s = this.spec;
    const now = this.sim.now;
    const current = this.deployments.replicasOf(this.d);
    // recordInitialRecommendation
    if (this.recommendations === null) this.recommendations = [{ r: current, t: now }];
    const min = s.minReplicas;
    let desired: number;
    let utilisation: number | null = null;
    let proposed: number | null = null;
    if (current === 0 && min !== 0) {
      desired = current; // scaling is disabled while the target has no replicas
    } else if (current > s.maxReplicas) {
      desired = s.maxReplicas;
    } else if (current < min) {
      desired = min;
    } else {
      const c = this.resourceReplicas(current);
      if (c === null) {
        // No metric: the controller returns an error and changes nothing.
        this.record(now, current, null, null, current);
        return;
      }
      utilisation = c.utilisation;
      proposed = c.replicas;
      desired = s.behavior === null ? this.normalize(current, c.replicas) : this.normalizeWithBehaviors(current, c.replicas);
    }
    if (desired !== current) {
      this.deployments.scale(this.d, desired);
      this.storeScaleEvent(current, desired);
    }
    this.record(now, current, utilisation, proposed, desired);
  }

  private record(at: Seconds, current: number, utilisation: number | null, proposed: number | null, desired: number): void {
    this.utilisationSeries.record(at, utilisation ?? NaN);
    this.desiredSeries.record(at, desired);
    this.log.push({ at, current, utilisation, proposed, desired });
  }

  /** `GetResourceReplicas` with `groupPods` and `GetResourceUtilizationRatio`; null: an error (no metrics). */
  private resourceReplicas(current: number): Computed | null {
    const s = this.spec;
    const st = this.state;
    const now = this.sim.now;
    const times = this.times;
    // The pods the selector lists: every pod of the Deployment that exists.
    const ready: number[] = [];
    const unready: number[] = [];
    const missing: number[] = [];
    const usage = new Map<number, number>();
    let listed = 0;
    for (let p = 0; p < this.deploymentOf.length; p++) {
      if (this.deploymentOf[p] !== this.d) continue;
      const phase = st.phase[p]!;
      if (phase === Phase.Slot || phase === Phase.Gone) continue;
      listed++;
      if (st.terminating[p] === 1) continue; // ignored
      if (phase === Phase.Starting) {
        unready.push(p); // Pending
        continue;
      }
      const m = this.metrics.metric(p);
      if (m === null) {
        missing.push(p);
        continue;
      }
      let isUnready: boolean;
      const start = times.podStart[p]!;
      const transition = times.readyTransition[p]!;
      const isReady = st.ready[p] === 1;
      if (start + s.cpuInitializationPeriod > now) {
        // Still initialising: unready, or its metric does not cover a whole window since it became Ready.
        isUnready = !isReady || m.timestamp < transition + m.window;
      } else {
        // Unready and never Ready since its start (beyond the initial readiness delay).
        isUnready = !isReady && start + s.initialReadinessDelay > transition;
      }
      if (isUnready) {
        unready.push(p);
        continue;
      }
      ready.push(p);
      usage.set(p, m.milli);
    }
    if (listed === 0 || usage.size === 0) return null;
    for (const p of [...ready, ...unready, ...missing]) if (!(this.requests[p]! > 0)) return null; // a pod without a CPU request
    const ratioOf = (): { ratio: number; utilisation: number } => {
      let metricsTotal = 0;
      let requestsTotal = 0;
      for (const [p, v] of usage) {
        metricsTotal += v;
        requestsTotal += this.requests[p]!;
      }
      const utilisation = Math.trunc((metricsTotal * 100) / requestsTotal);
      return { ratio: utilisation / s.targetCPUUtilization, utilisation };
    };
    const { ratio, utilisation } = ratioOf();
    const scaleUpWithUnready = unready.length > 0 && ratio > 1.0;
    if (!scaleUpWithUnready && missing.length === 0) {
      if (isWithin(this.tolerances, ratio)) return { replicas: current, utilisation };
      return { replicas: Math.ceil(ratio * ready.length), utilisation };
    }
    if (missing.length > 0) {
      if (ratio < 1.0) {
        // On a scale-down, missing pods use their request (or the target, when it is above 100 %).
        const fallback = Math.max(100, s.targetCPUUtilization);
        for (const p of missing) usage.set(p, Math.trunc((this.requests[p]! * fallback) / 100));
      } else if (ratio > 1.0) {
        for (const p of missing) usage.set(p, 0);
      }
    }
    if (scaleUpWithUnready) for (const p of unready) usage.set(p, 0);
    const again = ratioOf().ratio;
    if (isWithin(this.tolerances, again) || (ratio < 1.0 && again > 1.0) || (ratio > 1.0 && again < 1.0)) {
      return { replicas: current, utilisation };
    }
    const replicas = Math.ceil(again * usage.size);
    if ((again < 1.0 && replicas > current) || (again > 1.0 && replicas < current)) return { replicas: current, utilisation };
    return { replicas, utilisation };
  }

  /** `normalizeDesiredReplicas`: no behavior written. */
  private normalize(current: number, proposed: number): number {
    const s = this.spec;
    const now = this.sim.now;
    // stabilizeRecommendation: the highest recommendation of the window, the proposal included.
    const recs = this.recommendations!;
    const cutoff = now - s.downscaleStabilization;
    let max = proposed;
    let old = -1;
    recs.forEach((rec, i) => {
      if (rec.t < cutoff) old = i;
      else if (rec.r > max) max = rec.r;
    });
    if (old >= 0) recs[old] = { r: proposed, t: now };
    else recs.push({ r: proposed, t: now });
    // convertDesiredReplicasWithRules
    const scaleUpLimit = Math.max(2 * current, 4);
    const maximum = s.maxReplicas > scaleUpLimit ? scaleUpLimit : s.maxReplicas;
    if (max < s.minReplicas) return s.minReplicas;
    if (max > maximum) return maximum;
    return max;
  }

  /** `normalizeDesiredReplicasWithBehaviors`. */
  private normalizeWithBehaviors(current: number, proposed: number): number {
    const s = this.spec;
    const b = s.behavior!;
    const now = this.sim.now;
    // stabilizeRecommendationWithBehaviors
    const upCutoff = now - (b.scaleUp.stabilizationWindow ?? 0);
    const downCutoff = now - (b.scaleDown.stabilizationWindow ?? s.downscaleStabilization);
    let up = proposed;
    let down = proposed;
    let old = -1;
    const recs = this.recommendations!;
    recs.forEach((rec, i) => {
      if (rec.t > upCutoff) up = Math.min(rec.r, up);
      if (rec.t > downCutoff) down = Math.max(rec.r, down);
      if (rec.t < upCutoff && rec.t < downCutoff) old = i;
    });
    let stabilized = current;
    if (stabilized < up) stabilized = up;
    if (stabilized > down) stabilized = down;
    if (old >= 0) recs[old] = { r: proposed, t: now };
    else recs.push({ r: proposed, t: now });
    // convertDesiredReplicasWithBehaviorRate
    if (stabilized > current) {
      let limit = this.scaleUpLimit(current, b.scaleUp);
      if (limit < current) limit = current;
      const maximum = s.maxReplicas > limit ? limit : s.maxReplicas;
      if (stabilized > maximum) return maximum;
    } else if (stabilized < current) {
      let limit = this.scaleDownLimit(current, b.scaleDown);
      if (limit > current) limit = current;
      const minimum = s.minReplicas < limit ? limit : s.minReplicas;
      if (stabilized < minimum) return minimum;
    }
    return stabilized;
  }

  /** `getReplicasChangePerPeriod`: changes of the events after now − period. */
  private changeIn(period: Seconds, events: readonly ScaleEvent[]): number {
    const cutoff = this.sim.now - period;
    let n = 0;
    for (const e of events) if (e.t > cutoff) n += e.change;
    return n;
  }

  /** `calculateScaleUpLimitWithScalingRules`. */
  private scaleUpLimit(current: number, rules: ScalingRulesSpec): number {
    if (rules.selectPolicy === 'Disabled') return current;
    const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
    let result = rules.selectPolicy === 'Min' ? Infinity : -Infinity;
    for (const p of rules.policies) {
      const start = current - this.changeIn(p.period, this.upEvents) + this.changeIn(p.period, this.downEvents);
      const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
      result = pick(result, proposed);
    }
    return result;
  }

  /** `calculateScaleDownLimitWithBehaviors`. */
  private scaleDownLimit(current: number, rules: ScalingRulesSpec): number {
    if (rules.selectPolicy === 'Disabled') return current;
    const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
    let result = rules.selectPolicy === 'Min' ? -Infinity : Infinity;
    for (const p of rules.policies) {
      const start = current - this.changeIn(p.period, this.upEvents) + this.changeIn(p.period, this.downEvents);
      const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
      result = pick(result, proposed);
    }
    return result;
  }

  /** `storeScaleEvent`: kept only with a behavior; an event older than the direction's longest period is reused. */
  private storeScaleEvent(before: number, after: number): void {
    const b = this.spec.behavior;
    if (b === null) return;
    const up = after > before;
    const rules = up ? b.scaleUp : b.scaleDown;
    const events = up ? this.upEvents : this.downEvents;
    const longest = rules.policies.reduce((m, p) => Math.max(m, p.period), 0);
    const cutoff = this.sim.now - longest;
    let old = -1;
    events.forEach((e, i) => {
      if (e.t < cutoff) e.outdated = true;
      if (e.outdated) old = i;
    });
    const event: ScaleEvent = { change: up ? after - before : before - after, t: this.sim.now, outdated: false };
    if (old >= 0) events[old] = event;
    else events.push(event);
  }

  /** The per-window figures for the result. */
  result(start: readonly Seconds[], window: Seconds): AutoscalerResult {
    const s = this.spec;
    return {
      name: `${s.namespace}/${s.name}`,
      deployment: s.deployment,
      utilisation: start.map((t) => {
        const v = this.utilisationSeries.at(t + window);
        return v === v ? v : null;
      }),
      desired: start.map((t) => this.desiredSeries.at(t + window)),
    };
  }
}

/** Every autoscaler of the spec, with the metrics-server they share. */
export class Autoscalers {
  readonly list: HorizontalPodAutoscaler[] = [];

  constructor(
    sim: Simulator,
    spec: ModelSpec,
    state: ClusterState,
    stations: PodStations,
    deployments: DeploymentController,
    deploymentOf: Int32Array,
    firstSlot: number,
    specs: readonly AutoscalerSpec[],
    deploymentIndex: ReadonlyMap<string, number>,
    streams: RandomStreams,
  ) {
    if (specs.length === 0) return;
    const targets = specs.map((a) => {
      const d = deploymentIndex.get(a.deployment);
      if (d === undefined) throw new Error(`HorizontalPodAutoscaler ${a.namespace}/${a.name}${a.source ? ` (${a.source})` : ''}: no Deployment '${a.deployment}'`);
      return d;
    });
    const tracked: number[] = [];
    for (let p = 0; p < deploymentOf.length; p++) if (targets.includes(deploymentOf[p]!)) tracked.push(p);
    // CPU requests in millicores, as the controller reads them (`calculateRequests`: MilliValue, rounded up).
    const requests = Float64Array.from(spec.pods, (p) => Math.ceil((p.requests?.cpu ?? 0) * 1000 - 1e-9));
    const times = new PodTimes(sim, state, firstSlot);
    const first = specs[0]!;
    const rng = streams.stream('control/hpa');
    const phase = first.metricPhase !== undefined && first.metricPhase !== null ? first.metricPhase : rng() * first.metricResolution;
    const metrics = new MetricsServer(sim, spec, state, stations, times, tracked, first.metricResolution, phase);
    specs.forEach((a, i) => {
      this.list.push(new HorizontalPodAutoscaler(sim, a, targets[i]!, state, deployments, deploymentOf, requests, metrics, times, rng));
    });
  }

  results(start: readonly Seconds[], window: Seconds): AutoscalerResult[] {
    return this.list.map((h) => h.result(start, window));
  }
}
