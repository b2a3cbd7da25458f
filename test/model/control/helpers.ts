/**
 * Shared set-ups for the timeline specifications: a small cluster behind a cloud LB whose pods belong to
 * one Deployment, with constant (hand-computable) start-up and probe timing.
 */
import type { PodLifecycleSpec, TimelineEvent } from '../../../src/model/control/spec.js';
import { withTimeline, type TimelineParts } from '../../../src/model/helpers/timeline-builders.js';
import type { EventResult, RunResult } from '../../../src/model/result.js';
import type { ClientSpec, LoadBalancerSpec, ModelSpec, ServiceSpec } from '../../../src/model/spec.js';
import { behaviour, client, cluster, dist, loadBalancer } from '../fixtures.js';
import { run } from '../datapath-helpers.js';

export interface LbClusterOptions {
  readonly podsPerNode: readonly number[];
  readonly rate: number;
  readonly policy?: 'Cluster' | 'Local';
  readonly healthCheck?: Partial<LoadBalancerSpec['healthCheck']>;
  readonly lbKind?: LoadBalancerSpec['kind'];
  readonly service?: Partial<ServiceSpec>;
  readonly client?: Partial<ClientSpec>;
}

/** One zone, an instance-target LB with cross-zone on, open-loop per-request clients from outside. */
export function lbCluster(o: LbClusterOptions): ModelSpec {
  return cluster({
    podsPerNode: o.podsPerNode,
    service: {
      externalTrafficPolicy: o.policy ?? 'Cluster',
      loadBalancer: loadBalancer({
        kind: o.lbKind ?? 'instance',
        crossZone: true,
        healthCheck: { interval: 2, healthyThreshold: 1, unhealthyThreshold: 2, ...o.healthCheck },
      }),
      ...o.service,
    },
    pod: () => ({ behaviour: behaviour({ serviceTime: dist('const(1ms)'), concurrency: 64, queueCapacity: 1000 }) }),
    clients: [
      client({
        arrival: { kind: 'open', interarrival: dist(`exp(rate=${o.rate}/s)`) },
        timeout: 1,
        retries: 0,
        ...o.client,
      }),
    ],
  }).spec;
}

/** Runs `spec` with its `app: web` pods owned by Deployment default/web and the given events. */
export function runTimeline(
  spec: ModelSpec,
  events: readonly TimelineEvent[],
  duration: number,
  parts: Omit<TimelineParts, 'events'> = {},
  seed: number | string = 1,
  window = 0.5,
): RunResult {
  return run(withTimeline(spec, { events, ...parts }), { seed, duration, window });
}

/** A rollout of default/web to the same template (`kubectl rollout restart`). */
export function restart(spec: ModelSpec, at: number, lifecycle: Partial<PodLifecycleSpec> = {}): TimelineEvent {
  const t = withTimeline(spec, { events: [], lifecycle }).time!.deployments[0]!.template;
  return { at, kind: 'rollout', deployment: 'default/web', template: t };
}

export function onlyEvent(r: RunResult): EventResult {
  const events = r.events ?? [];
  if (events.length !== 1) throw new Error(`expected one event, got ${events.length}`);
  return events[0]!;
}

/** |observed − mean| within `z` Poisson standard deviations. */
export function withinPoisson(observed: number, mean: number, z = 4): boolean {
  return Math.abs(observed - mean) <= z * Math.sqrt(Math.max(mean, 1));
}
