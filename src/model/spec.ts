/**
 * The model's typed input: everything a simulation run needs, already validated and resolved.
 *
 * The scenario layer produces this from YAML (placing pods, allocating IPs and node ports, applying
 * defaults); tests build it directly. Nothing here is optional in the "maybe the model guesses" sense:
 * where Kubernetes has a default, the scenario layer writes it in, so the model never has to know YAML
 * conventions. Field names follow the Kubernetes API where one exists.
 */
import type { Distribution } from '../engine/distributions/index.js';
import type { RateProfile } from '../engine/rate-profile.js';
import type { Bytes, Seconds } from '../engine/time.js';
import type { PodLifecycleSpec, TimeSpec } from './control/spec.js';
import type { GatewayRouteSpec, GatewaySpec } from './gateway/spec.js';
import type { HttpRequestClass } from './http/request.js';
import type { MeshSpec } from './mesh/spec.js';

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
  /** Allocatable CPU cores; used by `topology-mode: Auto` to apportion endpoints to zones, and to fit pods. */
  readonly cpu: number;
  /** Allocatable memory, bytes (absent: not a constraint when fitting pods). */
  readonly memory?: number;
  /**
   * Whether the scheduler may place a timeline's new pods here (false: a NoSchedule/NoExecute taint that
   * workloads do not tolerate, e.g. a control-plane node). Absent: true.
   */
  readonly schedulable?: boolean;
  /** The cluster autoscaler's node group it belongs to (control/node-slots.ts); absent: a node of its own. */
  readonly group?: string;
  /** Not in the cluster at the start (a node group's room to grow). */
  readonly absent?: boolean;
  /** What the node costs per hour, for cost reporting only (absent: 0). */
  readonly pricePerHour?: number;
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
  /** Price of one cloud load balancer per hour, and per gigabyte it processes, for cost reporting (absent: 0). */
  readonly loadBalancerCostPerHour?: number;
  readonly loadBalancerCostPerGB?: number;
}

export type ProxyMode = 'iptables' | 'ipvs' | 'nftables';
export type IpvsScheduler = 'rr' | 'wrr' | 'lc' | 'wlc' | 'sh' | 'dh' | 'sed' | 'nq';

export interface KubeProxySpec {
  readonly mode: ProxyMode;
  /** Used when mode is `ipvs`. */
  readonly ipvsScheduler: IpvsScheduler;
  /**
   * Service ports programmed on every node (all Services of the real cluster, not only the simulated
   * ones): drives the iptables per-connection rule walk (docs/references.md#ipvs-nftables).
   */
  readonly servicePorts: number;
  /**
   * Per-new-connection datapath cost on the node that makes the choice. When absent the model derives it
   * from mode and servicePorts (see docs/model.md).
   */
  readonly connectionCost?: Distribution;
  /**
   * `nf_conntrack_max` per node; new flows beyond it are dropped. Under Cilium: its BPF connection-tracking
   * map's size (`bpf.ctTcpMax`), which only north-south flows fill (socket-level balancing keeps no entry).
   */
  readonly conntrackMax: number;
  /** Cilium's eBPF kube-proxy replacement instead of kube-proxy (proxy/cilium-proxy.ts); absent: kube-proxy. */
  readonly cilium?: CiliumSpec | null;
}

/** Cilium's kube-proxy replacement, in its Helm values' words (docs/model.md, "Cilium"). */
export interface CiliumSpec {
  /** `loadBalancer.algorithm`: the backend choice for north-south traffic (default random). */
  readonly algorithm: 'random' | 'maglev';
  /** `loadBalancer.mode`: snat (default), dsr, or hybrid (DSR for TCP, SNAT for UDP). */
  readonly mode: 'snat' | 'dsr' | 'hybrid';
  /** `maglev.tableSize` (M): a prime from maglev.ts `MAGLEV_TABLE_SIZES`, default 16381. */
  readonly maglevTableSize: number;
  /** `loadBalancer.serviceTopology`: honour topology hints and trafficDistribution (default false). */
  readonly serviceTopology: boolean;
  /** Per-new-connection cost at connect() and at the entry node; absent: the model's estimates. */
  readonly connectionCost?: Distribution;
}

/**
 * instance: the LB targets nodes' NodePorts (kube-proxy chooses the pod).
 * ip: the LB targets ready pods directly (no kube-proxy hop, no SNAT by kube-proxy).
 * metallb-l2: all traffic for the VIP goes to one node, chosen by a stable hash among eligible nodes.
 */
export type LoadBalancerKind = 'instance' | 'ip' | 'metallb-l2';

/**
 * Which LB node a client reaches (loadbalancer/zonal-balancer.ts). `any-zone`: AWS NLB's default DNS client
 * routing policy (`any_availability_zone`): every published LB node evenly, whatever the client's zone;
 * `zonal-affinity` / `partial-zonal-affinity`: `availability_zone_affinity` (own zone) and
 * `partial_availability_zone_affinity` (85 % own zone); `passthrough`: GCP's passthrough Network Load
 * Balancer (no LB node; every healthy target in any zone evenly).
 */
export type LoadBalancerClientRouting = 'any-zone' | 'zonal-affinity' | 'partial-zonal-affinity' | 'passthrough';

export interface LoadBalancerSpec {
  readonly kind: LoadBalancerKind;
  /** Cross-zone balancing. AWS NLB default: off (each LB node sends only to targets in its zone). */
  readonly crossZone: boolean;
  /** Zones in which the LB has a node. Empty = all node zones. */
  readonly zones: readonly ZoneName[];
  /** Which LB node a client reaches (absent: `any-zone`, the AWS NLB default). */
  readonly clientRouting?: LoadBalancerClientRouting;
  /** The LB's own processing time per new connection. */
  readonly processing: Distribution;
  /** Health check: interval and thresholds (seconds to mark a target down = interval × unhealthyThreshold). */
  readonly healthCheck: {
    readonly interval: Seconds;
    readonly healthyThreshold: number;
    readonly unhealthyThreshold: number;
    /**
     * What an instance target's check asks under `externalTrafficPolicy: Cluster`: kube-proxy's `/healthz`
     * (:10256; fails when kube-proxy or the node is down, or the node is being deleted: GKE, AWS/AKS
     * `Shared` mode) or the Service's node port (a TCP connect: fails only when the node is down). Default
     * `node-port`. Under `Local` the check is always the Service's `healthCheckNodePort`.
     */
    readonly clusterProbe?: 'kube-proxy' | 'node-port';
    /** When each target's first probe comes (seconds from the start); absent or null: a uniform draw per target. */
    readonly phase?: Seconds | null;
  };
  /**
   * Seconds a target taken out of service (unhealthy or deregistered) keeps its established connections
   * (AWS `deregistration_delay`, GCP connection draining); 0 resets them at once. Default: connections
   * carry on (Azure's behaviour, and AWS NLB's with connection termination off).
   */
  readonly deregistrationDelay?: Seconds | null;
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
  /**
   * CPU cores a request keeps busy while in service, i.e. its CPU time over its service time
   * (`netsim/cpu-per-request`); absent: 1 (a busy server is one core). Only the HPA's CPU metric reads it.
   */
  readonly cpuShare?: number;
  /**
   * Share of requests the pod answers with a 500 after serving them (`netsim/error-rate`); absent: none.
   * A failing pod as outlier detection and retries see it (pod-errors.ts).
   */
  readonly errorRate?: number;
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
  /**
   * Weight as a Kong target (`netsim/weight`; Kong's balancers are weighted); default 1. ingress-nginx and the
   * NGINX Ingress Controller write weight 1 for every endpoint and ignore it.
   */
  readonly weight?: number;
  /** The Deployment (`namespace/name`) whose replica this pod is; absent for a pod of its own. */
  readonly owner?: string;
  /** The sum of its containers' `resources.requests` (absent: none, as a BestEffort pod). */
  readonly requests?: ResourceRequests;
  /** How the pod starts and stops, for timelines (absent: Kubernetes' defaults, control/defaults.ts). */
  readonly lifecycle?: PodLifecycleSpec;
}

/** `resources.requests` summed over a pod's containers: CPU in cores, memory in bytes. */
export interface ResourceRequests {
  readonly cpu: number;
  readonly memory: number;
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

/**
 * How a client reaches the Service. `podIP`: a pod's own address, from a headless Service's DNS answer (no
 * kube-proxy); `external`: an address outside the cluster, from DNS (an ExternalName's CNAME, or any
 * external name), reached straight from the client's node (no proxy).
 */
export type EntryPoint = 'loadBalancer' | 'nodePort' | 'clusterIP' | 'externalIP' | 'podIP' | 'external';

export interface ClientTarget {
  /** The Service (`namespace/name`); for a name that resolves outside the cluster, the ExternalName Service or ''. */
  readonly service: ServiceKey;
  /** The service port's number or name. */
  readonly port: number | string;
  readonly via: EntryPoint;
  /** For nodePort and externalIP: the nodes the client addresses (round robin per connection). Empty = all nodes. */
  readonly nodes: readonly NodeName[];
}

export type ArrivalSpec =
  /**
   * Open loop: requests arrive whatever the responses do (no coordinated omission). With `rate` (a rate
   * that varies over time) arrivals are a non-homogeneous Poisson process and `interarrival` is only a
   * summary (exponential at the profile's mean rate over its defined span), not used to draw.
   */
  | { readonly kind: 'open'; readonly interarrival: Distribution; readonly rate?: RateProfile | null }
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
  /** The client addresses its target by a DNS name and resolves it before each new connection. */
  readonly resolve?: ClientResolve | null;
  /** The client sends HTTP requests through an ingress controller (its target is the controller's Service). */
  readonly http?: HttpRequestMix | null;
}

// ---------------------------------------------------------------------------------------------------- DNS

/**
 * A client-side DNS cache. `none`: glibc (every lookup queries); `jvm`: the JVM's 30 s for answers and 10 s
 * for failures, whatever the TTL; `fixed`: answers kept `ttl` seconds; `ttl`: answers kept as long as their
 * TTL says (nscd, systemd-resolved).
 */
export type DnsCachePolicy =
  | { readonly kind: 'none' }
  | { readonly kind: 'jvm' }
  | { readonly kind: 'fixed'; readonly ttl: Seconds }
  | { readonly kind: 'ttl' };

/** How a client picks among the addresses of an answer with several (a headless Service). */
export type AddressPick = 'first' | 'random' | 'round-robin';

export interface ClientResolve {
  /** The name as the application writes it (`web`, `web.shop`, `api.example.com`, `x.y.svc.cluster.local.`). */
  readonly name: string;
  /** The namespace of the client's pod: the first search domain is `<namespace>.svc.<clusterDomain>`. */
  readonly namespace: string;
  readonly cache: DnsCachePolicy;
  readonly pick: AddressPick;
  /** The pod's `options ndots` when its dnsConfig overrides the cluster's. */
  readonly ndots?: number;
}

/** A CoreDNS pod: it runs on `node` and serves queries for kube-dns. */
export interface DnsServerSpec {
  /** `namespace/name`. */
  readonly name: PodKey;
  readonly node: NodeName;
}

/** Cluster DNS: CoreDNS behind the kube-dns Service, its Corefile, and the pods' resolv.conf. */
export interface DnsSpec {
  readonly servers: readonly DnsServerSpec[];
  /** Queries a CoreDNS pod works on at once (its CPU), and queries that may wait beyond those. */
  readonly concurrency: number;
  readonly queueCapacity: number;
  /** CPU time of a query answered from the cache plugin. */
  readonly hitTime: Distribution;
  /** CPU time of a query the cache could not answer (the kubernetes plugin answers, or forward sends it on). */
  readonly missTime: Distribution;
  /** Round trip to the upstream resolver for names outside the cluster domain (a wait, not CPU). */
  readonly upstream: Distribution;
  readonly clusterDomain: string;
  /** The kubernetes plugin's `ttl`: TTL of cluster records and of its NXDOMAIN answers. */
  readonly recordTTL: Seconds;
  /** `cache N`: the cache plugin's largest TTL; 0 when the Corefile has no cache plugin. */
  readonly cacheTTL: Seconds;
  /** Whether the cache keeps answers for the cluster domain (newer kubeadm Corefiles disable it). */
  readonly cacheClusterDomain: boolean;
  /** The loadbalance plugin: A records of an answer come in a random order. */
  readonly loadbalance: boolean;
  /** resolv.conf of pods: `options ndots`, search domains after the cluster's, `timeout`, `attempts`. */
  readonly ndots: number;
  readonly search: readonly string[];
  readonly timeout: Seconds;
  readonly attempts: number;
  /** Chance that the A and AAAA queries of one step race in conntrack and one is dropped (docs/references.md#conntrack). */
  readonly conntrackRace: number;
}

/** A host outside the cluster (behind an ExternalName, or called by name): a multi-server queue. */
export interface ExternalHostSpec {
  /** Its DNS name, lower case, without the trailing dot. */
  readonly host: string;
  /** One-way latency from a node to the host. */
  readonly latency: Distribution;
  readonly behaviour: PodBehaviour;
  /** TTL of its A record. */
  readonly ttl: Seconds;
}

// ------------------------------------------------------------------------------------------------ Ingress

/** What the HTTP requests of a client through an ingress controller look like. */
export interface HttpRequestMix {
  /** The controller's class (`ingressClassName`). */
  readonly ingressClass: string;
  /** Through a Gateway instead (`namespace/name`, Gateway API): its routes decide, not Ingresses. */
  readonly gateway?: string;
  /** The Gateway listener's port the client connects to (several listeners). */
  readonly gatewayPort?: number;
  /** The Host header (lower case). */
  readonly host: string;
  /** Request classes (path, method, headers, query, cookies) and their weights (normalised); model/http/. */
  readonly requests: readonly HttpRequestClass[];
  /** Distinct users (cookies, hashed headers): each request belongs to one, uniformly. */
  readonly sessions: number;
}

/** Which ingress controller implements a class (its IngressClass's `spec.controller`). */
export type IngressControllerKind =
  /** kubernetes/ingress-nginx (`k8s.io/ingress-nginx`). */
  | 'ingress-nginx'
  /** The NGINX Ingress Controller of F5/NGINX (`nginx.org/ingress-controller`), NGINX or NGINX Plus. */
  | 'nginx-inc'
  /** The Kong Ingress Controller with Kong Gateway (`ingress-controllers.konghq.com/kong`). */
  | 'kong';

/**
 * Balancing methods (hashing is `upstreamHashBy`, affinity `affinity`). Which controller has which:
 * ingress-nginx round_robin, ewma (anything else falls back to round_robin); the NGINX Ingress Controller
 * round_robin, least_conn, ip_hash, random, random_two (`random two [least_conn]`), and with NGINX Plus
 * least_time, random_two_least_time; Kong round_robin (`round-robin`), least_conn (`least-connections`),
 * latency.
 */
export type IngressAlgorithm =
  | 'round_robin'
  | 'ewma'
  | 'least_conn'
  | 'random'
  | 'random_two'
  | 'ip_hash'
  | 'least_time'
  | 'random_two_least_time'
  | 'latency';

/** `upstream-hash-by`: what the consistent hash keys on. */
export type UpstreamHashKey =
  | { readonly kind: 'uri' }
  | { readonly kind: 'remote-addr' }
  /** A header, a cookie or anything else per user: the request's session. */
  | { readonly kind: 'session'; readonly text: string };

/** The ingress-nginx annotations of one Ingress that decide how its backends are balanced. */
export interface IngressBalancing {
  /** `load-balance`; null: the controller's default. */
  readonly loadBalance: IngressAlgorithm | null;
  readonly upstreamHashBy: UpstreamHashKey | null;
  /** `affinity: cookie`, with `affinity-mode` balanced or persistent. */
  readonly affinity: 'balanced' | 'persistent' | null;
  /** `service-upstream: "true"`: to the ClusterIP (kube-proxy chooses per upstream connection). */
  readonly serviceUpstream: boolean;
  /** `proxy-next-upstream-tries` (0: unlimited, i.e. every endpoint once). */
  readonly nextUpstreamTries: number;
  /** NGINX Ingress Controller `hash $key consistent` (ketama) rather than `hash $key` (mod the weight). */
  readonly hashConsistent?: boolean;
  /** NGINX Ingress Controller VirtualServer upstream `max-fails` / `fail-timeout`; absent: the controller's. */
  readonly maxFails?: number;
  readonly failTimeout?: Seconds;
}

export interface IngressBackendRef {
  /** A Service in the Ingress's namespace. */
  readonly service: string;
  readonly port: number | string;
}

export type PathType = 'Prefix' | 'Exact' | 'ImplementationSpecific';

export interface IngressPathSpec {
  readonly path: string;
  readonly pathType: PathType;
  readonly backend: IngressBackendRef;
}

export interface IngressRuleSpec {
  /** Exact (`foo.com`) or wildcard (`*.foo.com`, one label); null: any host. */
  readonly host: string | null;
  readonly paths: readonly IngressPathSpec[];
}

/** A networking.k8s.io/v1 Ingress, as written. */
export interface IngressSpec {
  readonly name: string;
  readonly namespace: string;
  /** `spec.ingressClassName` (or the old `kubernetes.io/ingress.class` annotation); null: the default class. */
  readonly className: string | null;
  readonly defaultBackend: IngressBackendRef | null;
  readonly rules: readonly IngressRuleSpec[];
  readonly balancing: IngressBalancing;
}

/** An ingress controller: its pods are the endpoints of `service`. */
export interface IngressControllerSpec {
  readonly className: string;
  /** The implementation (absent: ingress-nginx). */
  readonly implementation?: IngressControllerKind;
  /** Handles Ingresses that name no class. */
  readonly isDefaultClass: boolean;
  /** The controller's Service (`namespace/name`); clients reach the controller pods through it. */
  readonly service: ServiceKey;
  /** Worker processes per pod: the pods' concurrency, and the round-robin state kept per worker. */
  readonly workers: number;
  /** The ConfigMap's `load-balance`. */
  readonly loadBalance: IngressAlgorithm;
  /** `upstream-keepalive-requests`: requests per upstream keep-alive connection (service-upstream). */
  readonly upstreamKeepaliveRequests: number;
  /** The ConfigMap's `proxy-next-upstream-tries` (Kong: the Service's `retries` + 1). */
  readonly nextUpstreamTries: number;
  /** NGINX Ingress Controller passive health checks: `max-fails` (0: off; default 1) and `fail-timeout` (10 s). */
  readonly maxFails?: number;
  readonly failTimeout?: Seconds;
  /** Kong: what consistent hashing keys on (the upstream policy's `hashOn`); absent or null: no hashing. */
  readonly hashOn?: UpstreamHashKey | null;
}

/**
 * Kong: what a consistent hash reads (a KongUpstreamPolicy's `hashOn` / `hashOnFallback`). `consumer`
 * stands for the request's session (the model has no authentication plugin); header, cookie and query
 * values are the request class's.
 */
export type KongHashInput =
  | { readonly kind: 'ip' }
  | { readonly kind: 'consumer' }
  | { readonly kind: 'path' }
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'cookie'; readonly name: string }
  | { readonly kind: 'query'; readonly name: string };

/** A KongUpstreamPolicy (configuration.konghq.com/v1beta1) attached to a Service (`konghq.com/upstream-policy`). */
export interface KongUpstreamPolicySpec {
  readonly algorithm: 'round_robin' | 'least_conn' | 'latency' | 'consistent_hashing' | 'sticky_sessions';
  readonly hashOn: KongHashInput | null;
  readonly hashOnFallback: KongHashInput | null;
  /** Consistent-hashing continuum size (10..65536; Kong's default 10,000). */
  readonly slots: number;
}

/** A condition of a VirtualServer match (k8s.nginx.org/v1), read by nginx `map`s. */
export interface VirtualServerCondition {
  /** What is compared: a header, a cookie, a query argument, or a variable (`$request_method`...). */
  readonly source: 'header' | 'cookie' | 'argument' | 'variable';
  readonly name: string;
  /** As written: `john`, `!john`, `~^yes`, `~*no$`, `!~^yes`. */
  readonly value: string;
}

/** Where a VirtualServer route (or match) sends requests: one upstream, weighted splits, or nowhere (return, redirect). */
export type VirtualServerAction =
  | { readonly kind: 'pass'; readonly upstream: string }
  | { readonly kind: 'splits'; readonly splits: readonly { readonly weight: number; readonly upstream: string | null }[] }
  | { readonly kind: 'none' };

export interface VirtualServerRouteSpec {
  /** nginx location: `/prefix`, `=/exact`, `~regex`, `~*regex`. */
  readonly path: string;
  readonly matches: readonly { readonly conditions: readonly VirtualServerCondition[]; readonly action: VirtualServerAction }[];
  readonly action: VirtualServerAction;
}

export interface VirtualServerUpstreamSpec {
  readonly name: string;
  /** Namespace of the Service (the resource's). */
  readonly namespace: string;
  readonly service: string;
  readonly port: number;
  readonly balancing: IngressBalancing;
}

/** The NGINX Ingress Controller's VirtualServer (with its VirtualServerRoutes' subroutes merged in). */
export interface VirtualServerSpec {
  readonly name: string;
  readonly namespace: string;
  /** `spec.ingressClassName`; null: the default class. */
  readonly className: string | null;
  readonly host: string;
  readonly upstreams: readonly VirtualServerUpstreamSpec[];
  readonly routes: readonly VirtualServerRouteSpec[];
}

export interface SimulationSpec {
  readonly seed: number | string;
  /** Stop generating requests after this much simulated time... */
  readonly duration: Seconds | null;
  /** ...or after this many requests (whichever comes first; at least one must be set). */
  readonly requests: number | null;
  /** Statistics ignore requests sent before this time; 'auto' detects it with MSER-5. */
  readonly warmup: Seconds | 'auto';
  /** Length of the result's time-series windows; absent or null: measured time / 60, rounded. */
  readonly window?: Seconds | null;
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
  /** Cluster DNS; needed when a client resolves a name. */
  readonly dns?: DnsSpec | null;
  /** Hosts outside the cluster that clients reach by name. */
  readonly externalHosts?: readonly ExternalHostSpec[];
  readonly ingressControllers?: readonly IngressControllerSpec[];
  readonly ingresses?: readonly IngressSpec[];
  /** NGINX Ingress Controller VirtualServers; absent: none. */
  readonly virtualServers?: readonly VirtualServerSpec[];
  /** Kong: KongUpstreamPolicies by the `namespace/name` of the Service they are attached to. */
  readonly kongUpstreamPolicies?: Readonly<Record<ServiceKey, KongUpstreamPolicySpec>>;
  /** Gateway API Gateways and the HTTPRoutes/GRPCRoutes attached to them (gateway/spec.ts); absent: none. */
  readonly gateways?: readonly GatewaySpec[];
  readonly gatewayRoutes?: readonly GatewayRouteSpec[];
  /** Deployments, disruption budgets, control-plane delays and the timeline of events; absent: a steady state. */
  readonly time?: TimeSpec | null;
  /** Sidecars that balance meshed clients' requests per request (mesh/spec.ts); absent: no mesh. */
  readonly mesh?: MeshSpec | null;
}
