/**
 * Cilium's eBPF kube-proxy replacement for one Service port (docs/model.md, "Cilium"; the Cilium guide
 * "Kubernetes Without kube-proxy", Documentation/network/kubernetes/kubeproxy-free.rst).
 *
 * East-west (a pod or host connecting to a clusterIP, an LB address, or through the socket-LB's wildcard
 * lookup to any node's NodePort): socket-level balancing. The cgroup `connect()` hook (bpf/bpf_sock.c)
 * picks a backend on the client's node before any packet exists and connects the socket to it, so there is
 * no per-packet NAT and no connection-tracking entry for the Service, whatever the connection's length.
 * The choice is uniform (`__sock4_xlate_fwd`: `sock_select_slot() % count`); Maglev never applies here ("Maglev hashing is applied
 * only to external (N-S) traffic"). internalTrafficPolicy narrows the candidates as for kube-proxy.
 *
 * North-south (NodePort, LB instance targets, externalIPs arriving at a node): the tc/XDP program on the
 * entry node looks the flow up in its own BPF conntrack map (`lb4_local`), and a new flow gets a backend
 * by `loadBalancer.algorithm`: `random` (`lb4_select_backend_id_random`, uniform) or `maglev`
 * (`table[hash(client address, client port, protocol) % M]`, maglev.ts): the same backend on every node
 * that has the same backends, without sharing state. Then `loadBalancer.mode`:
 *   snat   a remote backend is reached through SNAT to the node's address; the reply comes back through
 *          the entry node for the reverse translation. A local backend needs no SNAT: the client's address
 *          is kept (unlike kube-proxy, which masquerades all external traffic under eTP Cluster).
 *   dsr    the request carries the service address to the backend's node (IP option or Geneve), the
 *          backend replies with the service address as source, straight to the client: no SNAT, no way
 *          back through the entry node (datapath.ts builds the reply's shorter route).
 *   hybrid DSR for TCP, SNAT for UDP.
 * externalTrafficPolicy Local keeps north-south traffic on node-local backends (each node's Maglev table
 * is then built from its own backends); from inside the cluster every backend is reachable.
 *
 * `sessionAffinity: ClientIP` (on by default in Cilium): an affinity map per node and frontend, keyed by the
 * client's address (its network-namespace cookie for socket-LB, one per pod: the same key in the model),
 * refreshed by each new connection, timeout `sessionAffinityConfig` (default 3 h), at most 64 k clients
 * per node (the map's size). With Maglev the hash then leaves the client's port out, so a client maps to one
 * backend even before the map has an entry.
 *
 * Topology hints and trafficDistribution count only with `loadBalancer.serviceTopology: true` (the
 * topology is built without them otherwise: create-service-proxy.ts, endpoints/hints.ts).
 */
import type { Seconds } from '../../engine/time.js';
import type { NodeIndex } from '../cluster-index.js';
import { originSlot } from '../endpoints/topology.js';
import type { TrafficOrigin } from '../routing.js';
import type { CiliumSpec } from '../spec.js';
import { BaseServiceProxy, type ProxyInputs } from './base-proxy.js';
import { RuleWalkCost, type ConnectionCosts } from './connection-cost.js';
import { IP_PROTOCOL, maglevFlowHash, maglevPermutation, maglevSlot, populateMaglev } from '../maglev.js';
import { AffinityTable } from './session-affinity.js';

/**
 * Cost of the socket-LB's translation at `connect()`: two BPF hash-map lookups and a socket address rewrite
 * in the caller's syscall [EST: no published per-connect figure; well under the ~12 µs kube-proxy's
 * conntrack insert and DNAT cost, connection-cost.ts].
 */
export const SOCKET_LB_COST: Seconds = 1e-6;
/** Cost of a new north-south flow at the entry node: service lookup, BPF conntrack create, NAT entry [EST]. */
export const NODEPORT_LB_COST: Seconds = 4e-6;
/** Cilium's BPF connection-tracking map for TCP, entries per node (Documentation/network/ebpf/maps.rst: 512k). */
export const CILIUM_CT_TCP_MAX = 524288;
/** Cilium's session-affinity map, entries per node (maps.rst: "Max 64k affinities from different clients"). */
export const CILIUM_AFFINITY_MAX = 65536;
/** Linux's default `ip_local_port_range` (32768-60999): the client ports a 5-tuple hash sees. */
export const EPHEMERAL_PORT_MIN = 32768;
export const EPHEMERAL_PORTS = 28232;

/** Both paths' per-connection costs: flat, whatever the number of Services (BPF hash maps, no rule walk). */
export function ciliumConnectionCosts(cilium: CiliumSpec): ConnectionCosts {
  if (cilium.connectionCost !== undefined) return { internal: cilium.connectionCost, external: cilium.connectionCost };
  return {
    internal: new RuleWalkCost(SOCKET_LB_COST, 0, 0, true),
    external: new RuleWalkCost(NODEPORT_LB_COST, 0, 0, true),
  };
}

export class CiliumServiceProxy extends BaseServiceProxy {
  /** Whether north-south replies of this port go straight from the backend's node (dsr, or hybrid and TCP). */
  private readonly dsr: boolean;
  private readonly maglev: boolean;
  private readonly tableSize: number;
  private readonly protocol: number;
  /** Per endpoint: Maglev permutation parameters, and its rank in address order (the turn order). */
  private readonly offsets: Uint32Array;
  private readonly skips: Uint32Array;
  private readonly rank: Int32Array;
  /** Per node: the candidate list its Maglev table was built from, and the table (rebuilt when the list changes). */
  private readonly builtFrom: (Int32Array | undefined)[];
  private readonly tableOf: (Int32Array | undefined)[];
  /** Tables by candidate list: nodes with the same backends share one (the lists are interned by the topology). */
  private readonly tables = new Map<Int32Array, Int32Array>();
  /** Affinity map per (node, frontend) at `node * 2 + originSlot`, or null without session affinity. */
  private readonly affinity: (AffinityTable | undefined)[] | null;
  /** Maglev tables built so far (tests; a table is built once per distinct candidate list). */
  tablesBuilt = 0;

  constructor(inputs: ProxyInputs, readonly cilium: CiliumSpec) {
    super(inputs);
    const { port, index } = inputs;
    this.dsr = cilium.mode === 'dsr' || (cilium.mode === 'hybrid' && port.protocol === 'TCP');
    this.maglev = cilium.algorithm === 'maglev';
    this.tableSize = cilium.maglevTableSize;
    this.protocol = IP_PROTOCOL[port.protocol];
    const count = this.endpoints.length;
    this.offsets = new Uint32Array(count);
    this.skips = new Uint32Array(count);
    this.rank = new Int32Array(count);
    if (this.maglev) {
      const addresses = this.endpoints.map((ep) => `${index.spec.pods[ep.pod]!.ip}:${ep.port}`);
      addresses.forEach((a, e) => {
        const p = maglevPermutation(a, this.tableSize);
        this.offsets[e] = p.offset;
        this.skips[e] = p.skip;
      });
      // Stryker disable next-line ArithmeticOperator: the tie-break `a - b` needs two endpoints with the same ip:port, which a Service port never has
      const byAddress = addresses.map((_, e) => e).sort((a, b) => (addresses[a]! < addresses[b]! ? -1 : addresses[a]! > addresses[b]! ? 1 : a - b));
      byAddress.forEach((e, r) => (this.rank[e] = r));
    }
    // Stryker disable next-line ArrayDeclaration: a JS array grows on write; the length only pre-sizes it
    this.builtFrom = new Array<Int32Array | undefined>(index.nodeCount);
    // Stryker disable next-line ArrayDeclaration: a JS array grows on write; the length only pre-sizes it
    this.tableOf = new Array<Int32Array | undefined>(index.nodeCount);
    this.affinity = this.affinityTables(index.nodeCount * 2);
  }

  choose(node: NodeIndex, origin: TrafficOrigin, clientIp: number, now: Seconds): number {
    // The client's ephemeral port enters the Maglev hash (not with affinity: Cilium hashes port 0 then).
    // The model draws it where the flow is first seen; its distribution is the client's.
    const port =
      origin === 'external' && this.maglev && this.affinity === null
        ? EPHEMERAL_PORT_MIN + ((this.choiceRng(node)() * EPHEMERAL_PORTS) | 0)
        : 0;
    return this.chooseFlow(node, origin, clientIp, port, now);
  }

  /** The choice for a flow from `clientIp`:`clientPort` on `node` (`choose` with the port given: tests). */
  chooseFlow(node: NodeIndex, origin: TrafficOrigin, clientIp: number, clientPort: number, now: Seconds): number {
    const candidates = this.topology.candidates(node, origin);
    if (candidates.length === 0) return this.topology.dropWhenEmpty(node, origin);
    if (this.affinity === null) return this.pick(node, origin, candidates, clientIp, clientPort);
    const slot = node * 2 + originSlot(origin);
    const table = this.affinity[slot] ?? this.makeAffinity(slot);
    let endpoint = table.lookup(clientIp, now);
    if (endpoint < 0 || !this.topology.contains(node, origin, endpoint)) endpoint = this.pick(node, origin, candidates, clientIp, 0);
    table.record(clientIp, endpoint, now);
    return endpoint;
  }

  /** A local backend is reached without SNAT; a remote one with SNAT unless the reply returns directly. */
  override masquerades(node: NodeIndex, origin: TrafficOrigin, endpoint: number): boolean {
    return origin === 'external' && !this.dsr && this.endpoints[endpoint]!.node !== node;
  }

  /** DSR: the reply of a north-south connection to a remote backend leaves from the backend's node. */
  repliesDirect(node: NodeIndex, origin: TrafficOrigin, endpoint: number): boolean {
    return origin === 'external' && this.dsr && this.endpoints[endpoint]!.node !== node;
  }

  /** Socket-level balancing keeps no conntrack entry; north-south flows take one in Cilium's BPF map. */
  keepsConntrack(origin: TrafficOrigin): boolean {
    return origin === 'external';
  }

  /** The node's backends changed (an agent update during a timeline): its table follows its new list. */
  // Stryker disable next-line BlockStatement: a changed list is a different interned array, so `builtFrom[node] === candidates` already fails; this only drops the reference early
  override viewChanged(node: NodeIndex): void {
    this.builtFrom[node] = undefined;
  }

  /** The Maglev table node `node` uses now (built on its first north-south flow, and after a change). */
  maglevTable(node: NodeIndex): Int32Array {
    // Stryker disable next-line StringLiteral: `originSlot` reads every origin but 'internal' as external
    const candidates = this.topology.candidates(node, 'external');
    return this.builtFrom[node] === candidates ? this.tableOf[node]! : this.tableFor(node, candidates);
  }

  private pick(node: NodeIndex, origin: TrafficOrigin, candidates: Int32Array, clientIp: number, clientPort: number): number {
    if (origin === 'external' && this.maglev) {
      const table = this.builtFrom[node] === candidates ? this.tableOf[node]! : this.tableFor(node, candidates);
      return table[maglevSlot(maglevFlowHash(clientIp, clientPort, this.protocol), this.tableSize)]!;
    }
    return candidates[(this.choiceRng(node)() * candidates.length) | 0]!;
  }

  /** Once per node and change of its backends: never per connection. */
  private tableFor(node: NodeIndex, candidates: Int32Array): Int32Array {
    let table = this.tables.get(candidates);
    if (table === undefined) {
      const order = Int32Array.from(candidates).sort((a, b) => this.rank[a]! - this.rank[b]!);
      table = new Int32Array(this.tableSize);
      populateMaglev(
        Uint32Array.from(order, (e) => this.offsets[e]!),
        Uint32Array.from(order, (e) => this.skips[e]!),
        order,
        table,
      );
      this.tables.set(candidates, table);
      this.tablesBuilt++;
    }
    this.builtFrom[node] = candidates;
    this.tableOf[node] = table;
    return table;
  }

  private makeAffinity(slot: number): AffinityTable {
    const table = new AffinityTable(this.endpoints.length, this.service.sessionAffinityTimeout, CILIUM_AFFINITY_MAX);
    this.affinity![slot] = table;
    return table;
  }
}
