/**
 * A cloud load balancer's health checks as a process (docs/references.md#traffic-policies, docs/references.md#lb-health-checks): every target is probed
 * every `interval` (each at its own phase, drawn once), and changes state after `healthyThreshold`
 * consecutive successes or `unhealthyThreshold` failures. New connections go only to healthy targets; the
 * balancer's lists change the moment a target's state does.
 *
 * What a probe asks:
 * - instance targets, `externalTrafficPolicy: Local`: the Service's `healthCheckNodePort`, answered by
 *   kube-proxy on the node from its own state: 200 iff the node's programmed rules have a ready local
 *   endpoint (`localEndpoints > 0`, updated at each of its syncs), else 503 (k/k
 *   `pkg/proxy/healthcheck/service_health.go`);
 * - instance targets, `Cluster`: kube-proxy's `/healthz` (`clusterProbe: kube-proxy`: fails only when the
 *   node or kube-proxy is down, since node deletion is not modelled) or a TCP connect to the node port
 *   (`node-port`: fails when the node is down or its rules have no usable endpoint, a REJECT);
 * - IP targets: the pod itself: it must be running and accepting connections. A pod is registered while its
 *   endpoint is ready and starts unhealthy ("initial"), so it needs `healthyThreshold` successes first.
 *
 * Nodes are never deregistered by the service controller for being NotReady (since v1.27,
 * `StableLoadBalancerNodeSet`): health checks alone steer traffic. Probe timeouts are not modelled (a
 * failed probe counts at its start).
 *
 * Established flows through a target that goes out of service carry on (Azure; AWS NLB with connection
 * termination off) unless the balancer has a `deregistrationDelay`: once it has run out, with the target
 * still out, they are reset (AWS `deregistration_delay.timeout_seconds`, GCP connection draining), and
 * clients reconnect to a healthy target.
 */
import type { Rng, RandomStreams } from '../../engine/random.js';
import type { Simulator } from '../../engine/simulator.js';
import type { ZonalLoadBalancer } from '../loadbalancer/zonal-balancer.js';
import { EXCLUDE_FROM_LB_LABEL } from '../loadbalancer/targets.js';
import type { EndpointTopology } from '../endpoints/topology.js';
import type { Endpoint } from '../routing.js';
import type { ServiceSpec } from '../spec.js';
import type { ClusterState } from './cluster-state.js';
import { Cond, type EndpointPropagation } from './endpoint-propagation.js';
import { PodState, type DataPlaneView } from './views.js';

/** One load balancer in front of a programmed Service (index `service` in EndpointPropagation). */
export interface CheckedBalancer {
  /** The data path's target (Service port) it fronts. */
  readonly target: number;
  readonly service: number;
  readonly spec: ServiceSpec;
  readonly balancer: ZonalLoadBalancer;
  readonly endpoints: readonly Endpoint[];
  /** The Service's per-node lists, which also say its traffic policy now. */
  readonly topology: EndpointTopology;
}

interface Checked {
  readonly lb: CheckedBalancer;
  readonly ip: boolean;
  /** Node indices (instance) or endpoint indices (IP). */
  readonly ids: Int32Array;
  readonly healthy: Uint8Array;
  readonly registered: Uint8Array;
  readonly successes: Int32Array;
  readonly failures: Int32Array;
  readonly rng: Rng;
  healthyCount: number;
}

const SHIFT = 2 ** 20;

export class LoadBalancerHealth {
  private readonly checked: Checked[];
  /** Called when a balancer's healthy targets change (samplers). */
  readonly changed: ((lb: number) => void)[] = [];

  constructor(
    private readonly sim: Simulator,
    private readonly state: ClusterState,
    private readonly view: DataPlaneView,
    private readonly endpoints: EndpointPropagation,
    balancers: readonly CheckedBalancer[],
    streams: RandomStreams,
    /** Resets the flows through one LB target: (data-path target, node or −1, pod or −1). */
    private readonly resetFlows: (target: number, node: number, pod: number) => void,
  ) {
    const nodes = state.index.spec.nodes;
    this.checked = balancers.map((lb) => {
      const ip = lb.balancer.targetsPods;
      const ids = ip
        ? Int32Array.from(lb.endpoints, (_, e) => e)
        : Int32Array.from(nodes.flatMap((n, i) => (EXCLUDE_FROM_LB_LABEL in n.labels ? [] : [i])));
      const rng = streams.stream(`load-balancer/${lb.spec.namespace}/${lb.spec.name}/health`);
      const c: Checked = {
        lb,
        ip,
        ids,
        healthy: new Uint8Array(ids.length),
        registered: new Uint8Array(ids.length),
        successes: new Int32Array(ids.length),
        failures: new Int32Array(ids.length),
        rng,
        healthyCount: 0,
      };
      // The steady state at time 0: what the checks would have settled on.
      ids.forEach((id, k) => {
        const ok = ip ? (endpoints.truthOf(lb.service, id) & Cond.Ready) !== 0 : this.probe(c, id);
        c.registered[k] = ok || !ip ? 1 : 0;
        c.healthy[k] = ok ? 1 : 0;
        if (ok) c.healthyCount++;
      });
      return c;
    });
    this.checked.forEach((c, ci) => {
      this.publish(ci);
      const hc = c.lb.spec.loadBalancer.healthCheck;
      for (let k = 0; k < c.ids.length; k++) {
        const first = hc.phase !== undefined && hc.phase !== null ? hc.phase : c.rng() * hc.interval;
        this.sim.schedule(first, this.onProbe, ci * SHIFT + k);
      }
    });
    if (this.checked.some((c) => c.ip)) endpoints.changed.push((si, e) => this.registration(si, e));
    state.onNode((n) => this.nodeLeft(n));
  }

  /** Healthy targets of balancer `lb` now. */
  healthyTargets(lb: number): number {
    return this.checked[lb]!.healthyCount;
  }

  get count(): number {
    return this.checked.length;
  }

  name(lb: number): string {
    const s = this.checked[lb]!.lb.spec;
    return `${s.namespace}/${s.name}`;
  }

  /** Every target's health state agrees with what a probe would say now (the LB has caught up). */
  get settled(): boolean {
    return this.checked.every((c) =>
      Array.from(c.ids).every((id, k) => (c.registered[k] === 1 && this.probe(c, id) ? 1 : 0) === c.healthy[k]),
    );
  }

  private probe(c: Checked, id: number): boolean {
    const st = this.state;
    if (c.ip) {
      const pod = c.lb.endpoints[id]!.pod;
      const node = st.podNode[pod]!;
      return node >= 0 && st.nodeDown[node] === 0 && this.view.podState[pod] === PodState.Accepting;
    }
    if (st.nodeDown[id] === 1) return false;
    const spec = c.lb.spec;
    const si = c.lb.service;
    const E = c.lb.endpoints.length;
    if (c.lb.topology.externalLocal) {
      for (let e = 0; e < E; e++) {
        if (c.lb.endpoints[e]!.node === id && (this.endpoints.viewOf(si, id, e) & Cond.Ready) !== 0) return true;
      }
      return false;
    }
    if ((spec.loadBalancer.healthCheck.clusterProbe ?? 'node-port') === 'kube-proxy') return true;
    for (let e = 0; e < E; e++) {
      const f = this.endpoints.viewOf(si, id, e);
      if ((f & Cond.Ready) !== 0 || ((f & Cond.Serving) !== 0 && (f & Cond.Terminating) !== 0)) return true;
    }
    return false;
  }

  private readonly onProbe = (arg: number): void => {
    const ci = Math.floor(arg / SHIFT);
    const k = arg - ci * SHIFT;
    const c = this.checked[ci]!;
    const hc = c.lb.spec.loadBalancer.healthCheck;
    this.sim.schedule(hc.interval, this.onProbe, arg);
    if (c.registered[k] === 0) return;
    if (this.probe(c, c.ids[k]!)) {
      c.failures[k] = 0;
      if (++c.successes[k]! >= hc.healthyThreshold && c.healthy[k] === 0) this.set(ci, k, true);
    } else {
      c.successes[k] = 0;
      if (++c.failures[k]! >= hc.unhealthyThreshold && c.healthy[k] === 1) this.set(ci, k, false);
    }
  };

  /**
   * The deregistration delay (AWS `deregistration_delay`, GCP connection draining) of a target taken out
   * of service has run out: if it is still out, its established flows are reset.
   */
  private readonly onDeregistered = (arg: number): void => {
    const ci = Math.floor(arg / SHIFT);
    const k = arg - ci * SHIFT;
    const c = this.checked[ci]!;
    if (c.healthy[k] === 1) return;
    const id = c.ids[k]!;
    if (c.ip) this.resetFlows(c.lb.target, -1, c.lb.endpoints[id]!.pod);
    else this.resetFlows(c.lb.target, id, -1);
  };

  /** A node removed from the cluster leaves every instance-target balancer at once (no probe needed). */
  private nodeLeft(node: number): void {
    if (this.state.nodeAbsent[node] === 0) return;
    this.checked.forEach((c, ci) => {
      if (c.ip) return;
      const k = c.ids.indexOf(node);
      if (k < 0) return;
      c.successes[k] = 0;
      c.failures[k] = 0;
      if (c.healthy[k] === 1) this.set(ci, k, false);
    });
  }

  /** IP targets follow their endpoints: registered while ready (new ones start unhealthy). */
  private registration(si: number, e: number): void {
    this.checked.forEach((c, ci) => {
      if (!c.ip || c.lb.service !== si) return;
      // An IP target's ids are its endpoint indices, in order.
      const k = e;
      const ready = (this.endpoints.truthOf(si, e) & Cond.Ready) !== 0 ? 1 : 0;
      if (ready === c.registered[k]) return;
      c.registered[k] = ready;
      c.successes[k] = 0;
      c.failures[k] = 0;
      if (ready === 0 && c.healthy[k] === 1) this.set(ci, k, false);
    });
  }

  private set(ci: number, k: number, healthy: boolean): void {
    const c = this.checked[ci]!;
    c.healthy[k] = healthy ? 1 : 0;
    c.healthyCount += healthy ? 1 : -1;
    this.publish(ci);
    const delay = c.lb.spec.loadBalancer.deregistrationDelay;
    if (!healthy && delay !== undefined && delay !== null) this.sim.schedule(delay, this.onDeregistered, ci * SHIFT + k);
    for (const l of this.changed) l(ci);
  }

  /** Hands the healthy targets to the balancer. */
  private publish(ci: number): void {
    const c = this.checked[ci]!;
    const ids = Int32Array.from(Array.from(c.ids).filter((_, j) => c.healthy[j] === 1));
    const zones = ids.map((id) => (c.ip ? c.lb.endpoints[id]!.zone : this.state.index.nodeZone[id]!));
    c.lb.balancer.setTargets({ ids, zones });
  }
}
