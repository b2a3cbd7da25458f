/**
 * MetalLB in layer-2 mode: "all traffic for a service IP goes to one node" (docs/references.md#load-balancers). Every speaker
 * sorts the eligible nodes by SHA-256 of `<node name>#<IP>` and the first one answers ARP for the VIP
 * (metallb `speaker/layer2_controller.go`, `ShouldAnnounce`). Eligible: nodes running a speaker (all nodes
 * but those labelled to be excluded from external LBs); with `externalTrafficPolicy: Local` only nodes
 * with a ready local endpoint. No node announces while the Service has no ready endpoint at all.
 *
 * Failover timing (memberlist, gratuitous ARP) is not modelled: this is the steady state.
 */
import { createHash } from 'node:crypto';
import type { ClusterIndex, NodeIndex, ZoneIndex } from '../cluster-index.js';
import { Drop, type Endpoint, type LoadBalancerChoice } from '../routing.js';
import type { ServiceSpec } from '../spec.js';
import { healthyNodes } from './targets.js';

/** The node that announces `vip` among `candidates` (names), or null when there is none. */
export function announcingNode(candidates: readonly string[], vip: string): string | null {
  let best: string | null = null;
  let bestHash: Buffer | null = null;
  for (const name of candidates) {
    const hash = createHash('sha256').update(`${name}#${vip}`).digest();
    if (bestHash === null || Buffer.compare(hash, bestHash) < 0) {
      best = name;
      bestHash = hash;
    }
  }
  return best;
}

export class MetalLbL2 implements LoadBalancerChoice {
  readonly targetsPods = false;
  readonly lastLbZone: ZoneIndex;
  /** The announcing node, or a Drop code. */
  readonly node: NodeIndex;

  constructor(service: ServiceSpec, endpoints: readonly Endpoint[], index: ClusterIndex) {
    const vip = service.loadBalancerIP ?? `${service.namespace}/${service.name}`;
    const anyReady = endpoints.some((ep) => ep.ready);
    const eligible = anyReady ? healthyNodes(service, endpoints, index).map((n) => index.nodeNames[n]!) : [];
    const chosen = announcingNode(eligible, vip);
    this.node = chosen === null ? Drop.NoHealthyTarget : index.node(chosen);
    this.lastLbZone = this.node < 0 ? -1 : index.nodeZone[this.node]!;
  }

  choose(_clientZone: ZoneIndex, _flow: number): number {
    return this.node;
  }
}
