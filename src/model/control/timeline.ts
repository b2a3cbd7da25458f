/**
 * The scenario's events, played on the control plane at their times. Each event is also handed to the
 * event tracker with what "over" means for it: its own work done (the drain has emptied the node, the
 * deleted pod has gone) and the cluster settled again (control-plane.ts `settled`).
 */
import type { Simulator } from '../../engine/simulator.js';
import type { Seconds } from '../../engine/time.js';
import type { ClusterIndex } from '../cluster-index.js';
import type { ModelSpec } from '../spec.js';
import { ClusterState, Phase } from './cluster-state.js';
import type { DeploymentController } from './deployment-controller.js';
import type { Drainer } from './drain.js';
import type { EventTracker } from './event-costs.js';
import type { NodeLifecycle } from './node-lifecycle.js';
import type { PodLifecycle } from './pod-lifecycle.js';
import { deploymentKey, type SlotPlan } from './pod-slots.js';
import type { TimelineEvent, TimeSpec } from './spec.js';

export interface TimelineActors {
  readonly deployments: DeploymentController;
  readonly lifecycle: PodLifecycle;
  readonly drainer: Drainer;
  readonly nodes: NodeLifecycle;
  readonly tracker: EventTracker;
  settled(): boolean;
  /**
   * A Service's traffic policies are set (the API write): every node's lists are rewritten at once
   * (simplification: kube-proxy would follow at each node's next sync, within a second or so).
   */
  setPolicy(service: string, external: 'Cluster' | 'Local', internal: 'Cluster' | 'Local'): void;
}

const NO_NOTES: readonly string[] = [];

export class Timeline {
  private readonly deploymentIndex: Map<string, number>;
  private readonly policies = new Map<string, { external: 'Cluster' | 'Local'; internal: 'Cluster' | 'Local' }>();

  constructor(
    private readonly sim: Simulator,
    private readonly spec: ModelSpec,
    private readonly index: ClusterIndex,
    private readonly time: TimeSpec,
    _plan: SlotPlan,
    private readonly state: ClusterState,
    private readonly actors: TimelineActors,
  ) {
    this.deploymentIndex = new Map(time.deployments.map((d, i) => [deploymentKey(d), i]));
  }

  /** Schedules every event before `end` (events at or after it would change nothing measured). */
  schedule(end: Seconds): void {
    this.time.timeline.forEach((e, i) => {
      if (e.at < end) this.sim.scheduleAt(e.at, this.onEvent, i);
    });
  }

  private readonly onEvent = (i: number): void => {
    const e = this.time.timeline[i]!;
    const a = this.actors;
    const settled = (): boolean => a.settled();
    switch (e.kind) {
      case 'rollout':
      case 'scale': {
        const d = this.deployment(e.deployment, e);
        if (e.kind === 'rollout') a.deployments.rollout(d);
        else a.deployments.scale(d, e.replicas);
        return a.tracker.start(e.kind, `Deployment ${e.deployment}`, settled, () => NO_NOTES);
      }
      case 'delete-pod': {
        const p = this.index.pod(e.pod);
        a.lifecycle.delete(p);
        return a.tracker.start(e.kind, `Pod ${e.pod}`, () => this.state.phase[p] === Phase.Gone && settled(), () => NO_NOTES);
      }
      case 'cordon':
      case 'uncordon': {
        a.drainer.cordon(this.index.node(e.node), e.kind === 'cordon');
        return a.tracker.start(e.kind, `node ${e.node}`, settled, () => NO_NOTES);
      }
      case 'drain': {
        const n = this.index.node(e.node);
        a.drainer.drain(n);
        return a.tracker.start(e.kind, `node ${e.node}`, () => a.drainer.drained(n) && settled(), () => a.drainer.notes.get(n) ?? NO_NOTES);
      }
      case 'fail-node':
      case 'recover-node': {
        const n = this.index.node(e.node);
        if (e.kind === 'fail-node') a.nodes.fail(n);
        else a.nodes.recover(n);
        return a.tracker.start(e.kind, `node ${e.node}`, settled, () => NO_NOTES);
      }
      case 'fail-zone':
      case 'recover-zone': {
        const z = this.index.zone(e.zone);
        for (let n = 0; n < this.index.nodeCount; n++) {
          if (this.index.nodeZone[n] !== z) continue;
          if (e.kind === 'fail-zone') a.nodes.fail(n);
          else a.nodes.recover(n);
        }
        return a.tracker.start(e.kind, `zone ${e.zone}`, settled, () => NO_NOTES);
      }
      case 'set-policy': {
        const s = this.spec.services.find((x) => `${x.namespace}/${x.name}` === e.service);
        if (s === undefined) throw new Error(`timeline${where(e)}: unknown Service '${e.service}'`);
        const now = (this.policies.get(e.service) ?? { external: s.externalTrafficPolicy, internal: s.internalTrafficPolicy });
        const next = { external: e.externalTrafficPolicy ?? now.external, internal: e.internalTrafficPolicy ?? now.internal };
        this.policies.set(e.service, next);
        a.setPolicy(e.service, next.external, next.internal);
        return a.tracker.start(e.kind, `Service ${e.service}`, settled, () => NO_NOTES);
      }
    }
  };

  private deployment(key: string, e: TimelineEvent): number {
    const d = this.deploymentIndex.get(key);
    if (d === undefined) throw new Error(`timeline${where(e)}: unknown Deployment '${key}'`);
    return d;
  }
}

function where(e: TimelineEvent): string {
  return e.source !== undefined ? ` (${e.source})` : '';
}
