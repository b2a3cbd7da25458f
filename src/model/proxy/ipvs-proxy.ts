/**
 * IPVS mode: each node holds one virtual service per address (the clusterIP, and its own IP for the
 * NodePort), each with its own real-server list, scheduler state and connection counters. The model keys
 * them by (node, origin). Nothing is shared between nodes (docs/references.md#ipvs-nftables).
 *
 * The real-server list of each virtual service is in the kernel's order: kube-proxy adds the servers in a
 * Go set's (random) order and the kernel inserts each at the head (ipvs-schedulers.ts), so the order is a
 * random permutation per virtual service, drawn from the node's choice stream when the virtual service is
 * first used. When kube-proxy rewrites the list (a sync during a timeline), servers that stay keep their
 * order, new ones go to the head in a random order, and `rr` keeps its place when its last server stays.
 *
 * `internalTrafficPolicy: Local` with no local endpoint: the IPVS proxier falls back to the cluster-wide
 * endpoints (`syncService`, "Allow access from local PODs even if no local endpoints exist",
 * kubernetes/kubernetes#97081) where iptables and nftables drop; the topology is built with that option
 * (create-service-proxy.ts). External traffic under `externalTrafficPolicy: Local` also gets the cluster
 * endpoints there, but the reply carries the pod's address and is discarded by the client: the model
 * keeps it a silent drop (the client's outcome), without the pod's wasted work.
 *
 * `sessionAffinity: ClientIP` becomes IPVS persistence with `timeoutSeconds`: a client with a live
 * template goes to the same real server without consulting the scheduler.
 */
import type { Rng } from '../../engine/random.js';
import type { Seconds } from '../../engine/time.js';
import type { NodeIndex } from '../cluster-index.js';
import { originSlot } from '../endpoints/topology.js';
import { addressKey } from '../hash.js';
import type { TrafficOrigin } from '../routing.js';
import type { IpvsScheduler } from '../spec.js';
import { BaseServiceProxy, type ProxyInputs } from './base-proxy.js';
import { createIpvsScheduler, resumeRoundRobin, roundRobinPosition, type IpvsSchedulerState } from './ipvs-schedulers.js';
import { AffinityTable } from './session-affinity.js';

/** A random permutation of `list` (Fisher-Yates with one draw per position). */
function shuffled(list: ArrayLike<number>, rng: Rng): Int32Array {
  const out = Int32Array.from(list);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

export class IpvsServiceProxy extends BaseServiceProxy {
  /** Scheduler of each virtual service, at `node * 2 + originSlot`, created on first use. */
  private readonly schedulers: (IpvsSchedulerState | undefined)[];
  /** The kernel's real-server list of each virtual service (endpoint indices in list order). */
  private readonly order: (Int32Array | undefined)[];
  private readonly persistence: (AffinityTable | undefined)[] | null;
  /** kube-proxy registers every real server with weight 1. */
  private readonly weights: Int32Array;

  constructor(inputs: ProxyInputs, readonly scheduler: IpvsScheduler) {
    super(inputs);
    const slots = inputs.index.nodeCount * 2;
    // Stryker disable next-line ArrayDeclaration: a JS array grows on write; the length only pre-sizes it
    this.schedulers = new Array<IpvsSchedulerState | undefined>(slots);
    // Stryker disable next-line ArrayDeclaration: a JS array grows on write; the length only pre-sizes it
    this.order = new Array<Int32Array | undefined>(slots);
    this.persistence = this.affinityTables(slots);
    this.weights = new Int32Array(this.endpoints.length).fill(1);
  }

  choose(node: NodeIndex, origin: TrafficOrigin, clientIp: number, now: Seconds): number {
    const candidates = this.topology.candidates(node, origin);
    if (candidates.length === 0) return this.topology.dropWhenEmpty(node, origin);
    const slot = node * 2 + originSlot(origin);
    const scheduler = this.schedulers[slot] ?? this.makeScheduler(node, origin);
    if (this.persistence === null) return scheduler.schedule(clientIp, now);
    const table = this.persistence[slot] ?? this.makeTable(slot);
    let endpoint = table.lookup(clientIp, now);
    if (endpoint < 0) endpoint = scheduler.schedule(clientIp, now);
    table.record(clientIp, endpoint, now);
    return endpoint;
  }

  override connectionOpened(node: NodeIndex, origin: TrafficOrigin, endpoint: number): void {
    (this.schedulers[node * 2 + originSlot(origin)] ?? this.makeScheduler(node, origin)).opened(endpoint);
  }

  override connectionClosed(node: NodeIndex, origin: TrafficOrigin, endpoint: number, now?: Seconds): void {
    this.schedulers[node * 2 + originSlot(origin)]?.closed(endpoint, now);
  }

  /**
   * kube-proxy rewrote this node's real-server lists (a sync during a timeline): each virtual service gets
   * a scheduler over the new list, keeping its connection counters. Servers that stay keep their order;
   * new ones are added at the head in a random order; rr resumes after its last server if that one stays
   * (the kernel keeps its place unless that server was removed, then it restarts at the head).
   */
  override viewChanged(node: NodeIndex): void {
    for (const origin of ['internal', 'external'] as const) {
      const slot = node * 2 + originSlot(origin);
      const old = this.schedulers[slot];
      if (old === undefined) continue;
      const before = this.order[slot]!;
      const now = this.topology.candidates(node, origin);
      const keep = new Set(now);
      const added = now.filter((e) => !before.includes(e));
      const list = Int32Array.from([...shuffled(added, this.choiceRng(node)), ...before.filter((e) => keep.has(e))]);
      this.order[slot] = list;
      const last = roundRobinPosition(old);
      const next = this.build(node, origin, list, old);
      // Stryker disable next-line LogicalOperator: resuming ignores a negative place, and resuming after a server no longer listed starts at the head, as not resuming does
      if (last >= 0 && keep.has(last)) resumeRoundRobin(next, last);
      this.schedulers[slot] = next;
    }
  }

  private makeScheduler(node: NodeIndex, origin: TrafficOrigin): IpvsSchedulerState {
    const slot = node * 2 + originSlot(origin);
    const list = shuffled(this.topology.candidates(node, origin), this.choiceRng(node));
    this.order[slot] = list;
    const scheduler = this.build(node, origin, list, undefined);
    this.schedulers[slot] = scheduler;
    return scheduler;
  }

  private build(node: NodeIndex, origin: TrafficOrigin, list: Int32Array, previous: IpvsSchedulerState | undefined): IpvsSchedulerState {
    const address = origin === 'internal' ? this.service.clusterIP! : this.index.spec.nodes[node]!.ip;
    return createIpvsScheduler(
      this.scheduler,
      { destinations: list, weights: this.weights, endpointCount: this.endpoints.length, address: addressKey(address) },
      previous?.counts,
    );
  }

  private makeTable(slot: number): AffinityTable {
    const table = new AffinityTable(this.endpoints.length, this.service.sessionAffinityTimeout, Infinity);
    this.persistence![slot] = table;
    return table;
  }
}
