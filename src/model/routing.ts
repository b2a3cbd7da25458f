/**
 * The contract between the L4 decision makers (endpoints, kube-proxy, load balancers) and the event-driven
 * data path that calls them. Decisions are synchronous and allocation-free: they return an integer (an
 * index, or a negative drop code) so the data path can store it in a typed array.
 */
import type { Seconds } from '../engine/time.js';
import type { NodeIndex, PodIndex, ZoneIndex } from './cluster-index.js';

/** Why a connection or request did not reach a pod. Negative so they share a return slot with indices. */
export const Drop = {
  /** Service has no usable endpoint at all: kube-proxy REJECTs (client fails fast). */
  NoEndpoints: -1,
  /** Traffic policy Local (external or internal) and no local endpoint on the receiving node: DROP. */
  NoLocalEndpoint: -2,
  /** Load balancer has no healthy target (in the client's zone, when cross-zone is off). */
  NoHealthyTarget: -3,
  /** conntrack table full on the node: new flow dropped. */
  ConntrackFull: -4,
  /** Pod accept queue full: connection refused. */
  QueueFull: -5,
  /** Client gave up (timeout) after its last retry. */
  Timeout: -6,
  /** The target cannot be proxied (headless or ExternalName Service addressed through a VIP/NodePort). */
  NotProxied: -7,
  /** The client's name lookup failed (every try timed out, or the name does not exist). */
  DnsFailure: -8,
  /** No Ingress rule and no default backend matched the request: the controller answered 404. */
  NoRoute: -9,
  /** The pod is shutting down (SIGTERM) and refuses new connections: RST, the client fails fast. */
  ConnectionRefused: -10,
  /** The connection's pod has gone (killed, or exited): the node answers with a reset. */
  PodGone: -11,
  /** The pod was killed (grace period over, or `immediate` shutdown) while it held the request. */
  PodKilled: -12,
  /** The node on the way, or the pod's node, is down: packets vanish (the client learns by its timeout). */
  NodeDown: -13,
  /** The pod answered with a 5xx (`netsim/error-rate`), and no proxy on the way retried it. */
  ServerError: -14,
  /** A Gateway's route timeout (`timeouts.request` / `backendRequest`) passed: it answered 504. */
  GatewayTimeout: -15,
} as const;
export type DropCode = (typeof Drop)[keyof typeof Drop];

export const DROP_REASONS: Readonly<Record<DropCode, string>> = {
  [-1]: 'no-endpoints',
  [-2]: 'no-local-endpoint',
  [-3]: 'no-healthy-lb-target',
  [-4]: 'conntrack-full',
  [-5]: 'queue-full',
  [-6]: 'timeout',
  [-7]: 'not-proxied',
  [-8]: 'dns-failure',
  [-9]: 'no-route',
  [-10]: 'connection-refused',
  [-11]: 'pod-gone',
  [-12]: 'pod-killed',
  [-13]: 'node-down',
  [-14]: 'server-error',
  [-15]: 'gateway-timeout',
};

/** One endpoint of one Service port: a pod and the resolved target port. */
export interface Endpoint {
  readonly pod: PodIndex;
  readonly port: number;
  readonly node: NodeIndex;
  readonly zone: ZoneIndex;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
}

/** How a connection reached kube-proxy on a node: decides which policy applies and whether to SNAT. */
export type TrafficOrigin =
  /** NodePort, LoadBalancer (instance target) or externalIP traffic: externalTrafficPolicy applies. */
  | 'external'
  /** ClusterIP traffic from a pod or host on this node: internalTrafficPolicy applies. */
  | 'internal';

/** kube-proxy's choice for one Service port, with its per-node state (IPVS counters, affinity tables). */
export interface ServiceProxy {
  readonly endpoints: readonly Endpoint[];
  /**
   * Chooses the endpoint for a NEW connection arriving at `node`. `clientIp` is the source address kube-proxy
   * sees (an index; affinity and source hashing key on it). Returns an index into `endpoints`, or a Drop code.
   */
  choose(node: NodeIndex, origin: TrafficOrigin, clientIp: number, now: Seconds): number;
  /**
   * The datapath cost (rule walk, DNAT, conntrack insert) that this new connection pays on `node`. Depends
   * on the origin: in iptables mode NodePort traffic walks the whole KUBE-SERVICES chain first.
   */
  connectionCost(node: NodeIndex, origin: TrafficOrigin): Seconds;
  /** Whether packets of this connection are SNATed to the node IP (response returns via `node`). */
  masquerades(node: NodeIndex, origin: TrafficOrigin, endpoint: number): boolean;
  /**
   * Connection accounting for least-connection schedulers. IPVS keeps it per virtual service, so per node
   * and per origin (clusterIP and NodePort are distinct virtual services); pass what `choose` was given.
   */
  connectionOpened(node: NodeIndex, origin: TrafficOrigin, endpoint: number): void;
  /** `now`: when it closed (IPVS keeps a closed connection as inactive for its TIME_WAIT). */
  connectionClosed(node: NodeIndex, origin: TrafficOrigin, endpoint: number, now?: Seconds): void;
  /** This node's candidate lists were rewritten (a kube-proxy sync during a timeline). */
  viewChanged(node: NodeIndex): void;
  /**
   * Whether a new connection of this origin takes a conntrack entry on the choosing node; absent: yes.
   * Cilium's socket-level balancing does not (proxy/cilium-proxy.ts).
   */
  keepsConntrack?(origin: TrafficOrigin): boolean;
  /** Whether the reply leaves from the endpoint's node straight to the client (DSR); absent: never. */
  repliesDirect?(node: NodeIndex, origin: TrafficOrigin, endpoint: number): boolean;
}

/** What a load balancer sends a new connection to. */
export interface LoadBalancerChoice {
  /** True: `choose` returns an endpoint index (IP targets). False: a node index (instance, MetalLB). */
  readonly targetsPods: boolean;
  /**
   * Chooses a target for a new connection from a client in `clientZone` (-1 unknown/outside) with flow hash
   * `flow` (stable per connection). Returns a node index, an endpoint index or a Drop code.
   */
  choose(clientZone: ZoneIndex, flow: number): number;
  /** The zone of the LB node that handled the connection (for cross-zone accounting), from the last choose. */
  readonly lastLbZone: ZoneIndex;
}
