/**
 * One-way network latency between places, sampled per traversal.
 *
 * The spec gives six cluster-wide link distributions (`NetworkSpec`). A request's way from the client to
 * its pod is a multiset of traversals of those links: e.g. an external client through an instance-target
 * load balancer to a pod on another node crosses `external`, `loadBalancerToBackend`, `forwarding`,
 * `sameZone` and `sameNode` once each. Links are pure delays (no bandwidth, no queueing), so a stretch of
 * traversals with no decision in between can be one event whose delay is the sum of independently sampled
 * legs: statistically identical to one event per leg, with a fraction of the events.
 *
 * A stretch is encoded as a *route key*: the count of traversals of each link kind, base 4 (at most 3 of
 * each). 6 kinds → 4096 keys, so per-key facts (constant sum, FIFO lane) live in dense arrays.
 *
 * When every link of a key is `const(...)`, its delay is a constant and the event goes on the simulator's
 * FIFO lane for that constant instead of the heap.
 */
import type { Distribution } from '../engine/distributions/distribution.js';
import { Constant } from '../engine/distributions/constant.js';
import type { Rng } from '../engine/random.js';
import type { Handler, Lane, Simulator } from '../engine/simulator.js';
import type { Seconds } from '../engine/time.js';
import type { NetworkSpec } from './spec.js';

export const Link = {
  /** Into or out of a pod's network namespace on its host (veth + bridge). */
  SameNode: 0,
  /** Host to host within a zone (underlay + CNI). */
  SameZone: 1,
  /** Host to host across zones. */
  CrossZone: 2,
  /** External client to the cluster edge (load balancer or node), and in-cluster clients to an LB. */
  External: 3,
  /** Load balancer to a node or pod. */
  LbBackend: 4,
  /** NAT + forwarding at a node that sends external traffic on to another node (second hop). */
  Forwarding: 5,
} as const;
export type LinkKind = (typeof Link)[keyof typeof Link];

export const LINK_KINDS = 6;
const DIGIT = 4;
export const ROUTE_KEYS = DIGIT ** LINK_KINDS;
/** Weight of one traversal of each kind in a route key. */
export const LINK_UNIT: readonly number[] = [1, 4, 16, 64, 256, 1024];

/** Number of traversals of `kind` in a route key. */
export function linkCount(key: number, kind: LinkKind): number {
  return Math.floor(key / LINK_UNIT[kind]!) % DIGIT;
}

/** The node-to-node link between two zones. */
export function hostLink(zoneA: number, zoneB: number): LinkKind {
  return zoneA === zoneB ? Link.SameZone : Link.CrossZone;
}

/**
 * Route key from a pod on node `from` to a pod on node `to` (zones `fromZone`, `toZone`), no NAT on the way:
 * out of the one pod and into the other (two same-node traversals), plus the node-to-node link when the
 * nodes differ.
 */
export function podToPodKey(from: number, to: number, fromZone: number, toZone: number): number {
  const pods = 2 * LINK_UNIT[Link.SameNode]!;
  return from === to ? pods : pods + LINK_UNIT[hostLink(fromZone, toZone)]!;
}

export class Links {
  private readonly dists: Distribution[];
  /** Value of each kind when its distribution is `const(...)`, else NaN. */
  private readonly constValue: Float64Array;
  /** Per key: 1 once `constSum` is known, 2 once `lanes` is too. */
  private readonly resolved = new Uint8Array(ROUTE_KEYS);
  /** Per key: the constant total delay, or NaN when some link on it is random. */
  private readonly constSum = new Float64Array(ROUTE_KEYS);
  private readonly lanes: (Lane | null)[] = new Array<Lane | null>(ROUTE_KEYS).fill(null);
  /**
   * The `forwarding` traversals' share of the last random sample of a route that has some (set only when
   * the forwarding link is random; read it right after `schedule`/`scheduleOnce`/`sample`).
   */
  lastForwarding = 0;
  /** The delay drawn by the last `draw` (private use; a field, so that no number is boxed per draw). */
  private drawn = 0;

  constructor(
    private readonly sim: Simulator,
    network: NetworkSpec,
  ) {
    this.dists = [
      network.sameNode,
      network.sameZone,
      network.crossZone,
      network.external,
      network.loadBalancerToBackend,
      network.forwarding,
    ];
    this.constValue = new Float64Array(LINK_KINDS);
    for (let k = 0; k < LINK_KINDS; k++) this.constValue[k] = constantValue(this.dists[k]!);
  }

  /** Mean one-way delay of a route (for reports and tests). */
  meanDelay(key: number): Seconds {
    let s = 0;
    for (let k = 0; k < LINK_KINDS; k++) s += linkCount(key, k as LinkKind) * this.dists[k]!.mean;
    return s;
  }

  /** The forwarding link's value when it is `const(...)`, else NaN. */
  get forwardingConstant(): Seconds {
    return this.constValue[Link.Forwarding]!;
  }

  /** Whether every link on the route is constant. */
  isConstant(key: number): boolean {
    if (this.resolved[key] === 0) this.resolve(key);
    return this.constSum[key] === this.constSum[key];
  }

  /** One sample of the route's total one-way delay: each traversal drawn independently from `rng`. */
  sample(key: number, rng: Rng): Seconds {
    this.draw(key, rng);
    return this.drawn;
  }

  /**
   * Draws a sample of the route's delay into {@link drawn}. The hot paths use this instead of `sample`: a
   * double returned from a call V8 does not inline is boxed in a fresh heap number, and this runs several
   * times per request (measured: over half of the model's allocation before it was written this way).
   */
  private draw(key: number, rng: Rng): void {
    if (this.resolved[key] === 0) this.resolve(key);
    const c = this.constSum[key]!;
    if (c === c) {
      this.drawn = c;
      return;
    }
    let total = 0;
    let rest = key;
    for (let k = 0; k < LINK_KINDS && rest > 0; k++) {
      let n = rest % DIGIT;
      rest = (rest - n) / DIGIT;
      const v = this.constValue[k]!;
      if (v === v) total += n * v;
      else if (k === Link.Forwarding) {
        const d = this.dists[k]!;
        let f = 0;
        while (n-- > 0) {
          const x = d.sample(rng);
          total += x;
          f += x;
        }
        this.lastForwarding = f;
      } else {
        const d = this.dists[k]!;
        while (n-- > 0) total += d.sample(rng);
      }
    }
    this.drawn = total;
  }

  /**
   * Schedules `handler(arg)` after one traversal of the route: the hot path of requests on established
   * connections. A constant route goes on its FIFO lane.
   */
  schedule(key: number, rng: Rng, handler: Handler, arg: number): void {
    if (this.resolved[key] !== 2) this.resolveLane(key);
    const lane = this.lanes[key]!;
    if (lane !== null) lane.schedule(handler, arg);
    else {
      this.draw(key, rng);
      this.sim.schedule(this.drawn, handler, arg);
    }
  }

  /**
   * Schedules `handler(arg)` after one traversal of a stretch between decision points plus `extra` seconds
   * (a per-connection cost the caller sampled). These run once per connection, so they use the heap: a lane
   * per rarely used constant would only lengthen the kernel's scan of lane heads on every event.
   */
  scheduleOnce(key: number, extra: Seconds, rng: Rng, handler: Handler, arg: number): void {
    this.draw(key, rng);
    this.sim.schedule(this.drawn + extra, handler, arg);
  }

  private resolve(key: number): void {
    let total = 0;
    let rest = key;
    for (let k = 0; k < LINK_KINDS; k++) {
      const n = rest % DIGIT;
      rest = (rest - n) / DIGIT;
      if (n > 0) total += n * this.constValue[k]!; // NaN propagates: a random link makes the key random
    }
    this.constSum[key] = total;
    this.resolved[key] = 1;
  }

  /** Lanes only for keys scheduled through `schedule`: the kernel scans every lane head on every event. */
  private resolveLane(key: number): void {
    if (this.resolved[key] === 0) this.resolve(key);
    const total = this.constSum[key]!;
    this.lanes[key] = total === total ? this.sim.lane(total) : null;
    this.resolved[key] = 2;
  }
}

/** The value of a `const(...)` distribution, NaN for anything random. */
export function constantValue(d: Distribution): number {
  return d instanceof Constant ? d.value : NaN;
}
