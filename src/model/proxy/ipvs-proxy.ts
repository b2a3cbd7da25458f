/**
 * IPVS mode: each node holds one virtual service per address (the clusterIP, and its own IP for the
 * NodePort), each with its own real-server list, scheduler state and connection counters. The model keys
 * them by (node, origin). Nothing is shared between nodes (KUBERNETES.md §2).
 *
 * `sessionAffinity: ClientIP` becomes IPVS persistence with `timeoutSeconds`: a client with a live
 * template goes to the same real server without consulting the scheduler.
 */
import type { RandomStreams } from '../../engine/random.js';
import type { Seconds } from '../../engine/time.js';
import type { ClusterIndex, NodeIndex } from '../cluster-index.js';
import { originSlot, type EndpointTopology } from '../endpoints/topology.js';
import { addressKey } from '../hash.js';
import type { TrafficOrigin } from '../routing.js';
import type { IpvsScheduler, ServicePortSpec, ServiceSpec } from '../spec.js';
import { BaseServiceProxy } from './base-proxy.js';
import type { ConnectionCosts } from './connection-cost.js';
import { createIpvsScheduler, type IpvsSchedulerState } from './ipvs-schedulers.js';
import { AffinityTable } from './session-affinity.js';

export class IpvsServiceProxy extends BaseServiceProxy {
  /** Scheduler of each virtual service, at `node * 2 + originSlot`, created on first use. */
  private readonly schedulers: (IpvsSchedulerState | undefined)[];
  private readonly persistence: (AffinityTable | undefined)[] | null;
  /** kube-proxy registers every real server with weight 1. */
  private readonly weights: Int32Array;

  constructor(
    service: ServiceSpec,
    port: ServicePortSpec,
    topology: EndpointTopology,
    index: ClusterIndex,
    streams: RandomStreams,
    costs: ConnectionCosts,
    readonly scheduler: IpvsScheduler,
  ) {
    super(service, port, topology, index, streams, costs);
    const slots = index.nodeCount * 2;
    this.schedulers = new Array<IpvsSchedulerState | undefined>(slots);
    this.persistence = service.sessionAffinity === 'ClientIP' ? new Array<AffinityTable | undefined>(slots) : null;
    this.weights = new Int32Array(this.endpoints.length).fill(1);
  }

  choose(node: NodeIndex, origin: TrafficOrigin, clientIp: number, now: Seconds): number {
    const candidates = this.topology.candidates(node, origin);
    if (candidates.length === 0) return this.topology.dropWhenEmpty(node, origin);
    const slot = node * 2 + originSlot(origin);
    const scheduler = this.schedulers[slot] ?? this.makeScheduler(node, origin);
    if (this.persistence === null) return scheduler.schedule(clientIp);
    const table = this.persistence[slot] ?? this.makeTable(slot);
    let endpoint = table.lookup(clientIp, now);
    if (endpoint < 0) endpoint = scheduler.schedule(clientIp);
    table.record(clientIp, endpoint, now);
    return endpoint;
  }

  override connectionOpened(node: NodeIndex, origin: TrafficOrigin, endpoint: number): void {
    (this.schedulers[node * 2 + originSlot(origin)] ?? this.makeScheduler(node, origin)).opened(endpoint);
  }

  override connectionClosed(node: NodeIndex, origin: TrafficOrigin, endpoint: number): void {
    this.schedulers[node * 2 + originSlot(origin)]?.closed(endpoint);
  }

  /**
   * kube-proxy rewrote this node's real-server lists (a sync during a timeline): each virtual service gets
   * a scheduler over the new list, keeping its connection counters. Simplification: the round-robin
   * position restarts at the list's head (the kernel keeps its place unless that server was removed).
   */
  override viewChanged(node: NodeIndex): void {
    for (const origin of ['internal', 'external'] as const) {
      const slot = node * 2 + originSlot(origin);
      const old = this.schedulers[slot];
      if (old === undefined) continue;
      this.schedulers[slot] = undefined;
      this.makeScheduler(node, origin).active.set(old.active);
    }
  }

  private makeScheduler(node: NodeIndex, origin: TrafficOrigin): IpvsSchedulerState {
    const address = origin === 'internal' ? this.service.clusterIP! : this.index.spec.nodes[node]!.ip;
    const scheduler = createIpvsScheduler(this.scheduler, {
      destinations: this.topology.candidates(node, origin),
      weights: this.weights,
      endpointCount: this.endpoints.length,
      address: addressKey(address),
    });
    this.schedulers[node * 2 + originSlot(origin)] = scheduler;
    return scheduler;
  }

  private makeTable(slot: number): AffinityTable {
    const table = new AffinityTable(this.endpoints.length, this.service.sessionAffinityTimeout, Infinity);
    this.persistence![slot] = table;
    return table;
  }
}
