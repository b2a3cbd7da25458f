/**
 * The model's typed input: everything a simulation run needs, already validated and resolved.
 *
 * The scenario layer produces this from YAML (placing pods, allocating IPs and node ports, applying
 * defaults); tests build it directly. Nothing here is optional in the "maybe the model guesses" sense:
 * where Kubernetes has a default, the scenario layer writes it in, so the model never has to know YAML
 * conventions. Field names follow the Kubernetes API where one exists.
 */
import type { Distribution } from '../engine/distributions/index.js';
import type { Bytes, Seconds } from '../engine/time.js';

export type NodeName = string;
export type ZoneName = string;
/** `namespace/name`, unique across the scenario. */
export type PodKey = string;
/** `namespace/name`, unique across the scenario. */
export type ServiceKey = string;
export type IPv4 = string;

export interface NodeSpec {
  readonly name: NodeName;
  /** `topology.kubernetes.io/zone`. */
  readonly zone: ZoneName;
  readonly ip: IPv4;
  readonly labels: Readonly<Record<string, string>>;
  /** Allocatable CPU cores; used by `topology-mode: Auto` to apportion endpoints to zones. */
  readonly cpu: number;
}

/**
 * One-way latencies between places, each a distribution drawn per traversal. "Node to node" is the
 * underlay plus CNI cost between two hosts; pods on the same host pay `sameNode`.
 */
export interface NetworkSpec {
  /** Pod <-> pod or host <-> pod on one node (veth/bridge). */
  readonly sameNode: Distribution;
  /** Node <-> node within a zone. */
  readonly sameZone: Distribution;
  /** Node <-> node across zones. */
  readonly crossZone: Distribution;
  /** External client <-> the cluster edge (load balancer, or a node for NodePort/externalIP entry). */
  readonly external: Distribution;
  /** Load balancer <-> node or pod (same zone as the LB node). Cross-zone LB traffic adds `crossZone`. */
  readonly loadBalancerToBackend: Distribution;
  /** Extra cost at a node that forwards a packet to another node (NAT and forwarding): second hop. */
  readonly forwarding: Distribution;
  /** Price of a gigabyte crossing zones (both directions counted), for cost reporting. */
  readonly crossZoneCostPerGB: number;
}

export type ProxyMode = 'iptables' | 'ipvs' | 'nftables';
export type IpvsScheduler = 'rr' | 'wrr' | 'lc' | 'wlc' | 'sh' | 'dh' | 'sed' | 'nq';

export interface KubeProxySpec {
  readonly mode: ProxyMode;
  /** Used when mode is `ipvs`. */
  readonly ipvsScheduler: IpvsScheduler;
  /**
   * Service ports programmed on every node (all Services of the real cluster, not only the simulated
   * ones): drives the iptables per-connection rule walk (KUBERNETES.md §2).
   */
  readonly servicePorts: number;
  /**
   * Per-new-connection datapath cost on the node that makes the choice. When absent the model derives it
   * from mode and servicePorts (see docs/model.md).
   */
  readonly connectionCost?: Distribution;
  /** `nf_conntrack_max` per node; new flows beyond it are dropped. */
  readonly conntrackMax: number;
}

/**
 * instance: the LB targets nodes' NodePorts (kube-proxy chooses the pod).
 * ip: the LB targets ready pods directly (no kube-proxy hop, no SNAT by kube-proxy).
 * metallb-l2: all traffic for the VIP goes to one node, chosen by a stable hash among eligible nodes.
 */
export type LoadBalancerKind = 'instance' | 'ip' | 'metallb-l2';

export interface LoadBalancerSpec {
  readonly kind: LoadBalancerKind;
  /** Cross-zone balancing. AWS NLB default: off (each LB node sends only to targets in its zone). */
  readonly crossZone: boolean;
  /** Zones in which the LB has a node (a client reaches the LB node of its zone, else any). Empty = all node zones. */
  readonly zones: readonly ZoneName[];
  /** The LB's own processing time per new connection. */
  readonly processing: Distribution;
  /** Health check: interval and thresholds (seconds to mark a target down = interval × unhealthyThreshold). */
  readonly healthCheck: {
    readonly interval: Seconds;
    readonly healthyThreshold: number;
    readonly unhealthyThreshold: number;
  };
}

export interface ContainerPortSpec {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** How a pod serves requests: a multi-server queue. */
export interface PodBehaviour {
  /** Requests served at once (worker threads/processes). */
  readonly concurrency: number;
  /** Requests that may wait beyond those in service; more are refused (connection refused / 503). */
  readonly queueCapacity: number;
  readonly serviceTime: Distribution;
  /** Service times are divided by this (a faster node or a bigger CPU limit). */
  readonly speed: number;
}

export interface PodSpec {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Null when no node fits (the pod stays Pending and is never an endpoint). */
  readonly nodeName: NodeName | null;
  readonly ip: IPv4;
  /** Readiness as the EndpointSlice controller sees it. */
  readonly ready: boolean;
  /** Being deleted (deletionTimestamp set); may still be serving. */
  readonly terminating: boolean;
  readonly ports: readonly ContainerPortSpec[];
  readonly behaviour: PodBehaviour;
}

export interface ServicePortSpec {
  readonly name?: string;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly port: number;
  /** A container port number, or the name of a container port (resolved per pod). */
  readonly targetPort: number | string;
  /** Set for NodePort and LoadBalancer services (allocated by the scenario layer when not given). */
  readonly nodePort?: number;
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
export type TrafficPolicy = 'Cluster' | 'Local';
export type TrafficDistribution = 'PreferSameZone' | 'PreferSameNode' | 'PreferClose';

export interface ServiceSpec {
  readonly name: string;
  readonly namespace: string;
  readonly type: ServiceType;
  /** Null for headless services (`clusterIP: None`) and ExternalName. */
  readonly clusterIP: IPv4 | null;
  /** Null when the Service has no selector (endpoints are managed elsewhere: none in the simulation). */
  readonly selector: Readonly<Record<string, string>> | null;
  readonly ports: readonly ServicePortSpec[];
  readonly externalTrafficPolicy: TrafficPolicy;
  readonly internalTrafficPolicy: TrafficPolicy;
  readonly sessionAffinity: 'None' | 'ClientIP';
  /** `sessionAffinityConfig.clientIP.timeoutSeconds`, default 10800. */
  readonly sessionAffinityTimeout: Seconds;
  readonly trafficDistribution: TrafficDistribution | null;
  /** `service.kubernetes.io/topology-mode: Auto` (takes precedence over trafficDistribution). */
  readonly topologyModeAuto: boolean;
  readonly externalIPs: readonly IPv4[];
  /** The LB's address (status.loadBalancer.ingress[0].ip), for LoadBalancer services. */
  readonly loadBalancerIP: IPv4 | null;
  /** For ExternalName services. */
  readonly externalName: string | null;
  readonly publishNotReadyAddresses: boolean;
  /** The load balancer in front of this Service (cluster default with the Service's annotations applied). */
  readonly loadBalancer: LoadBalancerSpec;
}

/** Where a client runs. */
export type ClientLocation =
  | { readonly kind: 'external'; readonly zone: ZoneName | null }
  | { readonly kind: 'pod'; readonly node: NodeName }
  | { readonly kind: 'node'; readonly node: NodeName };

/** How a client reaches the Service. */
export type EntryPoint = 'loadBalancer' | 'nodePort' | 'clusterIP' | 'externalIP';

export interface ClientTarget {
  readonly service: ServiceKey;
  /** The service port's number or name. */
  readonly port: number | string;
  readonly via: EntryPoint;
  /** For nodePort and externalIP: the nodes the client addresses (round robin per connection). Empty = all nodes. */
  readonly nodes: readonly NodeName[];
}

export type ArrivalSpec =
  /** Open loop: requests arrive whatever the responses do (no coordinated omission). */
  | { readonly kind: 'open'; readonly interarrival: Distribution }
  /** Closed loop: `users` each send, wait for the response, think, send again. */
  | { readonly kind: 'closed'; readonly users: number; readonly thinkTime: Distribution };

export type ConnectionSpec =
  /** A new TCP connection for every request (kube-proxy balances every request). */
  | { readonly kind: 'per-request' }
  /** HTTP/1.1 keep-alive: idle connections are reused, each for at most N requests, one request at a time. */
  | { readonly kind: 'keep-alive'; readonly requestsPerConnection: number }
  /** A fixed pool of long-lived multiplexed connections (HTTP/2, gRPC): requests round-robin over them. */
  | { readonly kind: 'pool'; readonly connections: number };

export interface ClientSpec {
  readonly name: string;
  readonly location: ClientLocation;
  readonly target: ClientTarget;
  readonly arrival: ArrivalSpec;
  readonly connection: ConnectionSpec;
  /** Distinct source IPs the client's connections come from (affinity and flow hashing see these). */
  readonly sourceIPs: number;
  readonly requestBytes: Bytes;
  readonly responseBytes: Bytes;
  /** Give up on a request after this long (null: never). */
  readonly timeout: Seconds | null;
  /** Retries after a failure or timeout. */
  readonly retries: number;
}

export interface SimulationSpec {
  readonly seed: number | string;
  /** Stop generating requests after this much simulated time... */
  readonly duration: Seconds | null;
  /** ...or after this many requests (whichever comes first; at least one must be set). */
  readonly requests: number | null;
  /** Statistics ignore requests sent before this time; 'auto' detects it with MSER-5. */
  readonly warmup: Seconds | 'auto';
}

export interface ModelSpec {
  readonly name: string;
  readonly nodes: readonly NodeSpec[];
  readonly network: NetworkSpec;
  readonly kubeProxy: KubeProxySpec;
  readonly pods: readonly PodSpec[];
  readonly services: readonly ServiceSpec[];
  readonly clients: readonly ClientSpec[];
  readonly simulation: SimulationSpec;
}
