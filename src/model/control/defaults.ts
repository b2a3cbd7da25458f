/**
 * Defaults for time, for specs built in code (tests, benchmarks) that leave them out. The Kubernetes
 * defaults ([DEF]) are the same as the scenario layer's (src/scenario/defaults.ts, docs/scenarios.md); the
 * two estimates ([EST]: start-up, watch delivery) are constants here, at the scenario defaults' medians, so
 * that a test can work its times out by hand. Sources in docs/references.md#time.
 */
import { Constant } from '../../engine/distributions/constant.js';
import type { ControlPlaneSpec, PodLifecycleSpec, ProbeSpec } from './spec.js';

/** k/k `SetDefaults_Probe`: period 10 s, success 1, failure 3, no initial delay. [DEF] */
export const DEFAULT_PROBE: ProbeSpec = { initialDelay: 0, period: 10, successThreshold: 1, failureThreshold: 3 };

/**
 * No readiness probe (Ready once started), no preStop, a 30 s grace period (`terminationGracePeriodSeconds`
 * [DEF]), a graceful app, and a start-up of 2 s [EST]: scheduling and a container start with the image
 * cached (the SIG Scalability start-up SLO is p99 ≤ 5 s without image pulls, docs/references.md#pod-startup).
 */
export const DEFAULT_LIFECYCLE: PodLifecycleSpec = {
  startup: new Constant(2, 'duration'),
  readiness: null,
  preStop: 0,
  terminationGracePeriod: 30,
  shutdown: 'graceful',
};

/**
 * kube-proxy `minSyncPeriod` 1 s; node-monitor grace 50 s (v1.32+) and period 5 s; the 300 s default
 * not-ready/unreachable toleration [DEF]. Watch delivery of an EndpointSlice change to a node: 100 ms
 * [EST] (small clusters: "pod Ready -> rules on every node ≈ 1-2 s" is mostly the 1 s minSyncPeriod).
 */
export const DEFAULT_CONTROL_PLANE: ControlPlaneSpec = {
  endpointPropagation: new Constant(0.1, 'duration'),
  minSyncPeriod: 1,
  syncTime: null,
  nodeMonitorGracePeriod: 50,
  nodeMonitorPeriod: 5,
  podEvictionTimeout: 300,
};
