/**
 * iptables and nftables modes: a uniform random endpoint per NEW connection, drawn independently on each
 * node from that node's own stream (docs/references.md#kube-proxy-iptables, docs/references.md#ipvs-nftables).
 *
 * iptables writes n rules, rule i matching with probability 1/(n-i) and the last unconditionally; the
 * chance of reaching rule i and taking it is prod_{j<i}(1 - 1/(n-j)) x 1/(n-i) = 1/n for every i. nftables
 * writes `numgen random mod n`. Both are a uniform pick, which the model draws as floor(u x n) from one
 * uniform (the same distribution with one draw instead of up to n-1; the 10-decimal rounding of the
 * printed iptables probabilities is ignored).
 *
 * With `sessionAffinity: ClientIP` the affinity check comes first (the per-endpoint `--rcheck` rules sit
 * before the random ones) and every new connection refreshes the client's entry (`--set` in the SEP chain).
 */
import type { Seconds } from '../../engine/time.js';
import type { NodeIndex } from '../cluster-index.js';
import type { TrafficOrigin } from '../routing.js';
import { BaseServiceProxy, type ProxyInputs } from './base-proxy.js';
import { AffinityTable } from './session-affinity.js';

export class RandomServiceProxy extends BaseServiceProxy {
  /** Per node, shared by both origins: the recent lists are named after the endpoint (KUBE-SEP-x). */
  private readonly affinity: (AffinityTable | undefined)[] | null;

  constructor(
    inputs: ProxyInputs,
    /** Clients remembered per endpoint: xt_recent's 100 for iptables, a set's 65,535 for nftables. */
    private readonly affinityLimit: number,
  ) {
    super(inputs);
    this.affinity = this.affinityTables(inputs.index.nodeCount);
  }

  choose(node: NodeIndex, origin: TrafficOrigin, clientIp: number, now: Seconds): number {
    const candidates = this.topology.candidates(node, origin);
    const k = candidates.length;
    if (k === 0) return this.topology.dropWhenEmpty(node, origin);
    if (this.affinity === null) return candidates[(this.choiceRng(node)() * k) | 0]!;
    const table = this.affinity[node] ?? this.makeTable(node);
    let endpoint = table.lookup(clientIp, now);
    if (endpoint < 0 || !this.topology.contains(node, origin, endpoint)) {
      endpoint = candidates[(this.choiceRng(node)() * k) | 0]!;
    }
    table.record(clientIp, endpoint, now);
    return endpoint;
  }

  private makeTable(node: NodeIndex): AffinityTable {
    const table = new AffinityTable(this.endpoints.length, this.service.sessionAffinityTimeout, this.affinityLimit);
    this.affinity![node] = table;
    return table;
  }
}
