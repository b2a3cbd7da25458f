/**
 * A cloud L4 load balancer with one LB node per zone (AWS NLB semantics, KUBERNETES.md §6).
 *
 * - Which LB node: a client in a zone where the LB has a node that is published in DNS uses that node;
 *   any other client (outside the cluster's zones, or its zone's LB IP withdrawn) lands on one of the
 *   published LB nodes, spread evenly by flow hash (clients picking among the DNS answers).
 * - Cross-zone off (the NLB default): an LB node sends only to healthy targets in its own zone, and an LB
 *   node whose zone has none is withdrawn from DNS. Cross-zone on: every LB node sends to every target.
 * - Which target: evenly across the LB node's targets, whatever the number of pods behind each (cloud LBs
 *   "balance equally across all target nodes, disregarding the number of pods on each node").
 *
 * Choices are a hash of the connection's flow number, salted per LB, as the NLB hashes the 5-tuple: the
 * same flow always gets the same target, and a run with another master seed gets another salt. With all
 * targets unhealthy the model drops (`Drop.NoHealthyTarget`); the NLB's fail-open mode is not modelled.
 */
import type { ZoneIndex } from '../cluster-index.js';
import { mix32 } from '../hash.js';
import { Drop, type LoadBalancerChoice } from '../routing.js';
import type { TargetSet } from './targets.js';

/** Decorrelates the second hash (target) from the first (LB node). */
const TARGET_HASH_OFFSET = 0x9e3779b9;

export class ZonalLoadBalancer implements LoadBalancerChoice {
  lastLbZone: ZoneIndex = -1;
  /** Targets of each LB node. */
  private slotTargets: Int32Array[] = [];
  /** LB nodes published in DNS (with at least one target). */
  private published = new Int32Array(0);
  /** Published LB node of each cluster zone, or -1. */
  private readonly slotOfZone: Int32Array;

  constructor(
    readonly targetsPods: boolean,
    targets: TargetSet,
    /** Zone of each LB node (-1: a zone with no cluster node). */
    private readonly lbZones: Int32Array,
    readonly crossZone: boolean,
    zoneCount: number,
    private readonly salt: number,
  ) {
    this.slotOfZone = new Int32Array(zoneCount);
    this.setTargets(targets);
  }

  /**
   * The healthy targets changed (a timeline's health checker): each LB node's list, and which LB nodes
   * DNS publishes, follow at once. Established flows keep their target (the flow table, not the hash).
   */
  setTargets(targets: TargetSet): void {
    const crossZone = this.crossZone;
    this.slotTargets = Array.from(this.lbZones, (zone) => {
      if (crossZone) return targets.ids;
      if (zone < 0) return new Int32Array(0);
      return targets.ids.filter((_, i) => targets.zones[i] === zone);
    });
    this.published = Int32Array.from(this.slotTargets.flatMap((t, slot) => (t.length > 0 ? [slot] : [])));
    this.slotOfZone.fill(-1);
    for (const slot of this.published) {
      const zone = this.lbZones[slot]!;
      if (zone >= 0 && this.slotOfZone[zone] === -1) this.slotOfZone[zone] = slot;
    }
  }

  choose(clientZone: ZoneIndex, flow: number): number {
    const h = mix32(flow ^ this.salt);
    let slot = clientZone >= 0 ? this.slotOfZone[clientZone]! : -1;
    if (slot < 0) {
      const n = this.published.length;
      if (n === 0) {
        this.lastLbZone = -1;
        return Drop.NoHealthyTarget;
      }
      slot = this.published[h % n]!;
    }
    this.lastLbZone = this.lbZones[slot]!;
    const targets = this.slotTargets[slot]!;
    return targets[mix32(h + TARGET_HASH_OFFSET) % targets.length]!;
  }
}
