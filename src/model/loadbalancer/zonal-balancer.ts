/**
 * A cloud L4 load balancer with one LB node per zone (AWS NLB semantics, docs/references.md#load-balancers), or a
 * zone-less passthrough balancer (GCP L4).
 *
 * - Which LB node (`clientRouting`, the NLB's `dns_record.client_routing_policy`; AWS ELBv2 docs, "Network
 *   Load Balancers", "DNS client routing policy"):
 *   - `any-zone` (the default, `any_availability_zone`): DNS answers with the LB nodes of every zone that
 *     has a healthy target and clients pick among them, so a client lands on each published LB node
 *     evenly whatever its own zone;
 *   - `zonal-affinity` (`availability_zone_affinity`): a client in a zone whose LB node is published uses
 *     it; others spread evenly;
 *   - `partial-zonal-affinity` (`partial_availability_zone_affinity`): 85 % of a zonal client's
 *     connections go to its own zone's LB node, the rest spread evenly over all published ones;
 *   - `passthrough` (GCP passthrough Network Load Balancer, backend service without zonal affinity): there
 *     is no LB node; every healthy target in every zone takes an even share, whatever `crossZone` says.
 * - Cross-zone off (the NLB default): an LB node sends only to healthy targets in its own zone, and an LB
 *   node whose zone has none is withdrawn from DNS. Cross-zone on: every LB node sends to every target.
 * - Which target: evenly across the LB node's targets, whatever the number of pods behind each (cloud LBs
 *   "balance equally across all target nodes, disregarding the number of pods on each node").
 *
 * `lastLbZone` is the zone the connection's bytes are booked from on the LB -> backend stretch (cross-zone
 * accounting and the stretch's crossZone link). It is the LB node's zone, except for a client with a zone
 * when the client -> LB-node leg is the one that crosses: with cross-zone off (targets are in the LB
 * node's zone) and with `passthrough` (no LB node) it is the client's zone, so the one crossing is booked
 * with its real zones and bytes. With cross-zone on and both legs crossing (client A -> LB node B ->
 * target C) only the LB -> target crossing is booked (simplification, docs/model.md).
 *
 * Choices are a hash of the connection's flow number, salted per LB, as the NLB hashes the 5-tuple: the
 * same flow always gets the same target, and a run with another master seed gets another salt. With all
 * targets unhealthy the model drops (`Drop.NoHealthyTarget`); the NLB's fail-open mode is not modelled.
 */
import type { ZoneIndex } from '../cluster-index.js';
import { mix32 } from '../hash.js';
import { Drop, type LoadBalancerChoice } from '../routing.js';
import type { LoadBalancerClientRouting } from '../spec.js';
import type { TargetSet } from './targets.js';

/** Decorrelates the second hash (target) from the first (LB node). */
const TARGET_HASH_OFFSET = 0x9e3779b9;
/** Decorrelates the partial-affinity draw from the LB node hash. */
const AFFINITY_HASH_OFFSET = 0x7f4a7c15;
/** `partial_availability_zone_affinity`: 85 % of a zone's clients resolve to their own zone's LB node. */
export const PARTIAL_ZONAL_AFFINITY = 0.85;

export class ZonalLoadBalancer implements LoadBalancerChoice {
  // Stryker disable next-line UnaryOperator: choose() sets it on every path before anyone reads it
  lastLbZone: ZoneIndex = -1;
  /** Targets of each LB node. */
  // Stryker disable next-line ArrayDeclaration: the constructor's setTargets() replaces it before any read
  private slotTargets: Int32Array[] = [];
  /** LB nodes published in DNS (with at least one target). */
  private published = new Int32Array(0);
  /** Published LB node of each cluster zone, or -1. */
  private readonly slotOfZone: Int32Array;
  /** Passthrough: every healthy target. */
  private all: Int32Array = new Int32Array(0);
  private readonly affinityCut: number;

  constructor(
    readonly targetsPods: boolean,
    targets: TargetSet,
    /** Zone of each LB node (-1: a zone with no cluster node). */
    private readonly lbZones: Int32Array,
    readonly crossZone: boolean,
    zoneCount: number,
    private readonly salt: number,
    readonly clientRouting: LoadBalancerClientRouting = 'any-zone',
  ) {
    this.slotOfZone = new Int32Array(zoneCount);
    this.affinityCut = clientRouting === 'zonal-affinity' ? 2 ** 32 : clientRouting === 'partial-zonal-affinity' ? Math.floor(PARTIAL_ZONAL_AFFINITY * 2 ** 32) : 0;
    this.setTargets(targets);
  }

  /**
   * The healthy targets changed (a timeline's health checker): each LB node's list, and which LB nodes
   * DNS publishes, follow at once. Established flows keep their target (the flow table, not the hash).
   */
  setTargets(targets: TargetSet): void {
    const crossZone = this.crossZone;
    this.all = targets.ids;
    this.slotTargets = Array.from(this.lbZones, (zone) => {
      if (crossZone) return targets.ids;
      if (zone < 0) return new Int32Array(0);
      return targets.ids.filter((_, i) => targets.zones[i] === zone);
    });
    this.published = Int32Array.from(this.slotTargets.flatMap((t, slot) => (t.length > 0 ? [slot] : [])));
    this.slotOfZone.fill(-1);
    for (const slot of this.published) {
      const zone = this.lbZones[slot]!;
      // Stryker disable next-line LogicalOperator: for zone −1, slotOfZone[−1] is undefined (not −1), so `||` writes nothing either
      if (zone >= 0 && this.slotOfZone[zone] === -1) this.slotOfZone[zone] = slot;
    }
  }

  choose(clientZone: ZoneIndex, flow: number): number {
    const h = mix32(flow ^ this.salt);
    if (this.clientRouting === 'passthrough') {
      const all = this.all;
      if (all.length === 0) {
        this.lastLbZone = -1;
        return Drop.NoHealthyTarget;
      }
      this.lastLbZone = clientZone;
      return all[mix32(h + TARGET_HASH_OFFSET) % all.length]!;
    }
    let slot = -1;
    // Stryker disable next-line ArithmeticOperator: any fixed offset decorrelates the affinity draw from the LB node hash; which one is arbitrary
    if (clientZone >= 0 && this.affinityCut > 0 && (this.affinityCut === 2 ** 32 || mix32(h + AFFINITY_HASH_OFFSET) < this.affinityCut)) {
      slot = this.slotOfZone[clientZone]!;
    }
    if (slot < 0) {
      const n = this.published.length;
      if (n === 0) {
        this.lastLbZone = -1;
        return Drop.NoHealthyTarget;
      }
      slot = this.published[h % n]!;
    }
    const lbZone = this.lbZones[slot]!;
    // Cross-zone off: the target is in the LB node's zone, so the only crossing is client -> LB node.
    this.lastLbZone = !this.crossZone && clientZone >= 0 && lbZone >= 0 ? clientZone : lbZone;
    const targets = this.slotTargets[slot]!;
    return targets[mix32(h + TARGET_HASH_OFFSET) % targets.length]!;
  }
}
