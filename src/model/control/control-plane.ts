/**
 * The control plane of a timeline run, wired on the data path's engine: the kubelet's pod lifecycle, the
 * scheduler, the deployment/ReplicaSet controllers, EndpointSlice propagation and kube-proxy syncs per
 * node, cloud LB health checks, the node lifecycle controller and drains. It writes the data path's views
 * (`DataPlaneView`, each Service's per-node lists, each balancer's targets); the data path never calls it.
 * `timeline.ts` plays the scenario's events on it; `results()` gives the events' costs and the counts
 * sampled per window.
 */
import type { RandomStreams } from '../../engine/random.js';
import type { Simulator } from '../../engine/simulator.js';
import type { Seconds } from '../../engine/time.js';
import type { ClusterIndex } from '../cluster-index.js';
import { ZonalLoadBalancer } from '../loadbalancer/zonal-balancer.js';
import type { PodStations } from '../pods.js';
import { BaseServiceProxy } from '../proxy/base-proxy.js';
import type { EventResult, TimeSeries } from '../result.js';
import type { ServiceProxy, LoadBalancerChoice } from '../routing.js';
import type { ModelSpec } from '../spec.js';
import { ClusterState, Phase } from './cluster-state.js';
import { DeploymentController } from './deployment-controller.js';
import { Drainer } from './drain.js';
import { ClusterAutoscaler, DEFAULT_CLUSTER_AUTOSCALER } from './cluster-autoscaler.js';
import { Cond, EndpointPropagation, type ProgrammedService } from './endpoint-propagation.js';
import { EventTracker } from './event-costs.js';
import { Autoscalers } from './hpa.js';
import { LoadBalancerHealth, type CheckedBalancer } from './lb-health.js';
import { NodeLifecycle } from './node-lifecycle.js';
import { PodLifecycle } from './pod-lifecycle.js';
import { deploymentKey, type SlotPlan } from './pod-slots.js';
import { Scheduler } from './scheduler.js';
import type { TimeSpec } from './spec.js';
import { Timeline } from './timeline.js';
import type { DataPathHooks, DataPlaneView } from './views.js';
import { sampleAtWindowEnds, StepSeries } from './window-samples.js';

/** A Service port as the data path reaches it (simulation.ts's targets). */
export interface ControlTarget {
  readonly proxy: ServiceProxy;
  readonly lb: LoadBalancerChoice | null;
}

/** What a timeline adds to the result. */
export interface ControlResults {
  readonly events: EventResult[];
  readonly series: Pick<TimeSeries, 'readyEndpoints' | 'nodeEndpoints' | 'healthyTargets' | 'replicas' | 'pending' | 'nodeGroups' | 'autoscalers'>;
}

export class ControlPlane {
  readonly state: ClusterState;
  readonly tracker: EventTracker;
  private readonly deployments: DeploymentController;
  private readonly propagation: EndpointPropagation;
  private readonly health: LoadBalancerHealth;
  private readonly timeline: Timeline;
  private readonly readySeries: StepSeries[];
  private readonly nodeSeries: StepSeries[];
  private readonly healthySeries: StepSeries[];
  private readonly replicaSeries: StepSeries[];
  private readonly pendingSeries: StepSeries[];
  private readonly groupSeries: StepSeries[];
  private readonly autoscaler: ClusterAutoscaler | null;
  private readonly everJoined = new Set<number>();
  /** The HorizontalPodAutoscalers (hpa.ts). */
  private readonly hpas: Autoscalers;

  constructor(
    sim: Simulator,
    private readonly spec: ModelSpec,
    index: ClusterIndex,
    private readonly plan: SlotPlan,
    time: TimeSpec,
    view: DataPlaneView,
    stations: PodStations,
    aborter: DataPathHooks,
    targets: readonly ControlTarget[],
    streams: RandomStreams,
  ) {
    const state = (this.state = new ClusterState(spec, index, plan.firstSlot));
    const lifecycle = new PodLifecycle(sim, spec, state, view, stations, aborter, streams);
    const scheduler = new Scheduler(state, plan.deploymentOf);
    this.deployments = new DeploymentController(sim, state, time.deployments, plan.free, plan.deploymentOf, plan.revisionOf, lifecycle, scheduler);

    const programmed: ProgrammedService[] = [];
    const balancers: CheckedBalancer[] = [];
    targets.forEach((t, ti) => {
      if (!(t.proxy instanceof BaseServiceProxy) || programmed.some((p) => p.proxy === t.proxy)) return;
      programmed.push({ service: t.proxy.service, port: t.proxy.port.port, proxy: t.proxy, topology: t.proxy.topology });
      if (t.lb instanceof ZonalLoadBalancer) {
        const lb = { target: ti, service: programmed.length - 1, spec: t.proxy.service, balancer: t.lb };
        balancers.push({ ...lb, endpoints: t.proxy.endpoints, topology: t.proxy.topology });
      }
    });
    this.propagation = new EndpointPropagation(sim, state, programmed, time.controlPlane, spec.kubeProxy, streams);
    this.health = new LoadBalancerHealth(sim, state, view, this.propagation, balancers, streams, (t, node, pod) =>
      aborter.resetLoadBalancerFlows(t, node, pod),
    );
    const nodes = new NodeLifecycle(sim, state, view, lifecycle, this.propagation, time.controlPlane, streams);
    const drainer = new Drainer(sim, spec, state, lifecycle, time.disruptionBudgets, (p) => {
      const d = plan.deploymentOf[p]!;
      return d >= 0 ? this.deployments.replicasOf(d) : -1;
    });
    lifecycle.startExisting(plan.firstSlot);
    this.tracker = new EventTracker(sim);
    // A node group's room to grow is out of the cluster: down for anything that would reach it.
    state.nodeAbsent.forEach((absent, n) => {
      if (absent === 0) return;
      view.nodeDown[n] = 1;
      view.downNodes++;
    });
    const groups = time.nodeGroups ?? [];
    this.autoscaler =
      groups.length > 0
        ? new ClusterAutoscaler(sim, spec, state, view, this.propagation, drainer, groups, time.clusterAutoscaler ?? DEFAULT_CLUSTER_AUTOSCALER, streams)
        : null;
    this.autoscaler?.start();
    const deploymentIndex = new Map(time.deployments.map((d, i) => [deploymentKey(d), i]));
    this.hpas = new Autoscalers(sim, spec, state, stations, this.deployments, plan.deploymentOf, plan.firstSlot, time.autoscalers ?? [], deploymentIndex, streams);

    // Counts per window: step functions, kept by the changes (each costs O(1)).
    const ready = (si: number, e: number): boolean => (this.propagation.truthOf(si, e) & Cond.Ready) !== 0;
    const multiPort = (si: number): boolean => programmed.filter((p) => p.service === programmed[si]!.service).length > 1;
    const perNode = new Int32Array(index.nodeCount);
    this.readySeries = programmed.map((p, si) => {
      let n = 0;
      p.proxy.endpoints.forEach((ep, e) => {
        if (!ready(si, e)) return;
        n++;
        perNode[ep.node]!++;
      });
      const name = `${p.service.namespace}/${p.service.name}`;
      return new StepSeries(multiPort(si) ? `${name}:${p.port}` : name, n);
    });
    this.nodeSeries = index.nodeNames.map((name, n) => new StepSeries(name, perNode[n]!));
    this.healthySeries = balancers.map((_, b) => new StepSeries(this.health.name(b), this.health.healthyTargets(b)));
    this.replicaSeries = time.deployments.map((d, di) => new StepSeries(`${d.namespace}/${d.name}`, this.deployments.activePods(di)));
    this.propagation.changed.push((si, e, before, after) => {
      const delta = ((after & Cond.Ready) !== 0 ? 1 : 0) - ((before & Cond.Ready) !== 0 ? 1 : 0);
      if (delta === 0) return;
      this.readySeries[si]!.add(sim.now, delta);
      this.nodeSeries[programmed[si]!.proxy.endpoints[e]!.node]!.add(sim.now, delta);
    });
    this.health.changed.push((b) => this.healthySeries[b]!.record(sim.now, this.health.healthyTargets(b)));
    this.pendingSeries = time.deployments.map((d, di) => new StepSeries(`${d.namespace}/${d.name}`, this.deployments.pendingOf(di)));
    state.onPod((p) => {
      const d = plan.deploymentOf[p]!;
      if (d < 0) return;
      this.replicaSeries[d]!.record(sim.now, this.deployments.activePods(d));
      this.pendingSeries[d]!.record(sim.now, this.deployments.pendingOf(d));
    });
    const ca = this.autoscaler;
    ca?.changed.push((n) => this.everJoined.add(n));
    this.groupSeries = groups.map((g, gi) => new StepSeries(g.name, ca!.present(gi)));
    ca?.changed.push(() => groups.forEach((_, gi) => this.groupSeries[gi]!.record(sim.now, ca.present(gi))));

    this.timeline = new Timeline(sim, spec, index, time, plan, state, {
      deployments: this.deployments,
      lifecycle,
      drainer,
      nodes,
      tracker: this.tracker,
      settled: () => this.settled(),
      setPolicy: (service, external, internal) => {
        programmed.forEach((p, si) => {
          if (`${p.service.namespace}/${p.service.name}` !== service) return;
          p.topology.setPolicies(internal === 'Local', external === 'Local');
          this.propagation.reprogram(si);
        });
      },
    });
  }

  /** Schedules the timeline's events (those before `end`). */
  start(end: Seconds): void {
    this.timeline.schedule(end);
  }

  /**
   * The cluster has converged: no pod believed Ready on a node that is down, every Deployment complete with
   * all its replicas available, nothing Pending, every live node's kube-proxy caught up, every balancer's
   * health states as probes would say.
   */
  settled(): boolean {
    const st = this.state;
    // A pod the API still believes Ready on a node that is down: the node controller has not caught up.
    for (let p = 0; p < st.phase.length; p++) if (st.ready[p] === 1 && st.podNode[p]! >= 0 && st.nodeDown[st.podNode[p]!] === 1) return false;
    for (let d = 0; d < this.spec.time!.deployments.length; d++) if (!this.deployments.settled(d)) return false;
    return this.deployments.pendingPods === 0 && (this.autoscaler?.idle ?? true) && this.propagation.caughtUp && this.health.settled;
  }

  /** Whether node n was in the cluster at some point (a node group's room to grow may never be). */
  nodeExisted(n: number): boolean {
    return this.spec.nodes[n]!.absent !== true || this.everJoined.has(n);
  }

  /** Whether pod p ever existed (slots never taken are left out of the results). */
  existed(p: number): boolean {
    return p < this.plan.firstSlot || this.state.phase[p] !== Phase.Slot;
  }

  results(runEnd: Seconds, series: TimeSeries): ControlResults {
    const windows = (list: StepSeries[]) => sampleAtWindowEnds(list, series.start, series.window);
    return {
      events: this.tracker.results(runEnd, series),
      series: {
        readyEndpoints: windows(this.readySeries),
        nodeEndpoints: windows(this.nodeSeries),
        healthyTargets: windows(this.healthySeries),
        replicas: windows(this.replicaSeries),
        pending: windows(this.pendingSeries),
        ...(this.groupSeries.length > 0 ? { nodeGroups: windows(this.groupSeries) } : {}),
        ...(this.hpas.list.length > 0 ? { autoscalers: this.hpas.results(series.start, series.window) } : {}),
      },
    };
  }
}
