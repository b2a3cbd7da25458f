/**
 * Every default the scenario layer writes into a ModelSpec, in one place, each with its reason.
 * [DEF] a shipped Kubernetes/cloud default, [MEAS] a published measurement, [EST] our estimate: an
 * assumption exposed as a parameter. The facts behind them, with their upstream sources, are in
 * docs/references.md (linked by anchor below).
 *
 * Distributions are written as text, exactly as a user would write them in a Cluster, so `describe`
 * prints what was assumed in the form that overrides it.
 */
import { CILIUM_CT_TCP_MAX } from '../model/proxy/cilium-proxy.js';
import { DEFAULT_MAGLEV_TABLE_SIZE } from '../model/maglev.js';

export const DEFAULTS = {
  cluster: {
    /** When the scenario has no Cluster: a small single-zone cluster, enough to place a demo. [EST] */
    nodes: 3,
    nodeNamePrefix: 'node-',
    /** Zone of a node that names none (and of the default cluster). */
    zone: 'default',
    /** Allocatable cores of a node: a common 4-vCPU worker (m5.xlarge, n2-standard-4). [EST] */
    cpu: 4,
    /** Labels the kubelet puts on every node (well-known labels). [DEF] */
    os: 'linux',
    arch: 'amd64',
  },

  addresses: {
    /** kube-apiserver `--service-cluster-ip-range` as kubeadm sets it. [DEF] */
    serviceCIDR: '10.96.0.0/12',
    /** kubeadm docs / flannel's default pod network; each node gets a /24 (node-cidr-mask-size 24). [DEF] */
    podCIDR: '10.244.0.0/16',
    podCIDRPerNodePrefix: 24,
    /** Node addresses: a private VPC-like range, hosts numbered from .10. [EST] */
    nodeCIDR: '10.0.0.0/16',
    nodeHostOffset: 10,
    /** Load balancer VIPs: TEST-NET-3 (RFC 5737), obviously not a real address. [EST] */
    loadBalancerCIDR: '203.0.113.0/24',
    /** kube-apiserver `--service-node-port-range`. [DEF] */
    nodePortMin: 30000,
    nodePortMax: 32767,
  },

  /** One-way latencies (docs/references.md#calibration). */
  network: {
    /** Pod <-> pod on one node: sockperf same-node ½ RTT 17.3 us (Calico). [MEAS] */
    sameNode: 'const(20us)',
    /** Same-AZ EC2 RTT 0.26-0.41 ms average, min 0.20: one way ≈ 0.15 ms, tail a few times that. [MEAS]/[EST] */
    sameZone: 'lognormal(median=150us, p99=400us)',
    /** Cross-AZ RTT 0.82-1.13 ms average with spikes: one way ≈ 0.5 ms. [MEAS]/[EST] */
    crossZone: 'lognormal(median=500us, p99=1.5ms)',
    /** A client in the same region reaching the cluster edge. [EST] */
    external: 'lognormal(median=1ms, p99=5ms)',
    /** LB node -> target in its zone: one more same-zone hop. [EST] */
    loadBalancerToBackend: 'lognormal(median=150us, p99=400us)',
    /** NAT and forwarding at a node that sends a packet on (second hop): 10-50 us. [EST] */
    forwarding: 'uniform(10us, 50us)',
    /** AWS: $0.01/GB out + $0.01/GB in per cross-AZ gigabyte. [PRICE] */
    crossZoneCostPerGB: 0.02,
  },

  kubeProxy: {
    /** Still the default mode (docs/references.md#kube-proxy-iptables). [DEF] */
    mode: 'iptables' as const,
    /** IPVS default scheduler (docs/references.md#ipvs-nftables). [DEF] */
    ipvsScheduler: 'rr' as const,
    /**
     * Service ports of the real cluster beyond the scenario's own: none unless told. The model uses
     * max(this, the scenario's service ports), since the scenario's Services are part of the cluster.
     */
    servicePorts: 0,
    /** nf_conntrack_max = max(32768 × CPUs, 131072), capped at 1,048,576 (docs/references.md#conntrack). [DEF] */
    conntrackPerCpu: 32768,
    conntrackMin: 131072,
    conntrackCap: 1048576,
  },

  /** Cilium's kube-proxy replacement (`dataPlane: cilium`): its Helm chart's defaults. [DEF] */
  cilium: {
    algorithm: 'random' as const,
    mode: 'snat' as const,
    maglevTableSize: DEFAULT_MAGLEV_TABLE_SIZE,
    serviceTopology: false,
    /** Documentation/network/ebpf/maps.rst: connection tracking 512k TCP per node. */
    ctTcpMax: CILIUM_CT_TCP_MAX,
    /** The agent writes each service change as it comes: no kube-proxy-like minimum period. [EST] */
    minSyncPeriod: 0,
  },

  loadBalancer: {
    /**
     * Whose health-check and draining defaults apply: the AWS Load Balancer Controller's, the shape every
     * other LB default here describes (`loadBalancerProviders` below). [DEF]
     */
    provider: 'aws-lbc' as const,
    /** An AWS LB Controller NLB with instance targets (NodePorts): the in-tree default shape (docs/references.md#load-balancers). [DEF] */
    kind: 'instance' as const,
    /** NLB cross-zone load balancing is off by default (docs/references.md#load-balancers). [DEF] */
    crossZone: false,
    /** The LB's own per-connection processing. [EST] */
    processing: 'lognormal(median=50us, p99=200us)',
    /* The health check and draining come from the provider's preset (loadBalancerProviders). */
  },

  /**
   * Health checks and draining per load balancer implementation (Cluster `loadBalancer.provider`), from the
   * table of docs/references.md#lb-health-checks. `cluster`/`local`: the check under each externalTrafficPolicy (interval
   * in seconds, healthy and unhealthy thresholds); `clusterProbe`: what the Cluster-policy check asks;
   * `deregistrationDelay`: seconds a target taken out of service keeps its connections (null: they carry on).
   * An explicit `healthCheck` field, then the Service's annotations, win over these.
   */
  loadBalancerProviders: {
    /** AWS Load Balancer Controller NLB: TCP 10 s 3/3 (Cluster), HTTP 10 s 3/3 (Local) (docs/references.md#traffic-policies, docs/references.md#lb-health-checks) [DEF]; target group `deregistration_delay.timeout_seconds` 300 s (docs/references.md#lb-health-checks) [DEF]. */
    'aws-lbc': {
      cluster: { interval: 10, healthyThreshold: 3, unhealthyThreshold: 3 },
      local: { interval: 10, healthyThreshold: 3, unhealthyThreshold: 3 },
      clusterProbe: 'node-port' as const,
      deregistrationDelay: 300 as number | null,
    },
    /** cloud-provider-aws NLB (`aws-load-balancer-type: nlb`): TCP to the NodePort 30 s 3/3; Local HTTP 10 s 2/2 (docs/references.md#lb-health-checks) [DEF]; deregistration 300 s [DEF]. */
    'aws-nlb': {
      cluster: { interval: 30, healthyThreshold: 3, unhealthyThreshold: 3 },
      local: { interval: 10, healthyThreshold: 2, unhealthyThreshold: 2 },
      clusterProbe: 'node-port' as const,
      deregistrationDelay: 300 as number | null,
    },
    /** cloud-provider-aws Classic LB (its default type): 10 s, healthy 2, unhealthy 6 (docs/references.md#lb-health-checks) [DEF]; connection draining off: connections are cut at once (0) [DEF]/[EST]. */
    'aws-clb': {
      cluster: { interval: 10, healthyThreshold: 2, unhealthyThreshold: 6 },
      local: { interval: 10, healthyThreshold: 2, unhealthyThreshold: 6 },
      clusterProbe: 'node-port' as const,
      deregistrationDelay: 0 as number | null,
    },
    /** GCP L4 (ingress-gce): shared check on kube-proxy :10256 8 s, healthy 1, unhealthy 3; Local 3 s, 1/2; connection draining 30 s (docs/references.md#lb-health-checks) [DEF]. */
    gcp: {
      cluster: { interval: 8, healthyThreshold: 1, unhealthyThreshold: 3 },
      local: { interval: 3, healthyThreshold: 1, unhealthyThreshold: 2 },
      clusterProbe: 'kube-proxy' as const,
      deregistrationDelay: 30 as number | null,
    },
    /** Azure Standard LB (cloud-provider-azure): probe every 5 s, threshold 2 (down and back up) for both policies; a probed-down backend keeps its flows (docs/references.md#lb-health-checks) [DEF]/[BEH]. */
    azure: {
      cluster: { interval: 5, healthyThreshold: 2, unhealthyThreshold: 2 },
      local: { interval: 5, healthyThreshold: 2, unhealthyThreshold: 2 },
      clusterProbe: 'node-port' as const,
      deregistrationDelay: null as number | null,
    },
    /** No particular cloud: the AWS LB Controller's check (10 s, 3/3), the node port, connections carry on. [EST] */
    generic: {
      cluster: { interval: 10, healthyThreshold: 3, unhealthyThreshold: 3 },
      local: { interval: 10, healthyThreshold: 3, unhealthyThreshold: 3 },
      clusterProbe: 'node-port' as const,
      deregistrationDelay: null as number | null,
    },
  },

  /** How pods start and stop (docs/references.md#probes-termination, docs/references.md#pod-startup): the container spec, then `netsim/*` annotations, override these. */
  lifecycle: {
    /**
     * Creation to containers started (`netsim/startup-time`). [EST] from docs/references.md#pod-startup: the SIG Scalability SLO puts
     * pod start-up (scheduling + container start, image pulls excluded) at p99 <= 5 s; scheduling takes ms to
     * 1 s and container start ~1 s, so a median of 2 s with the p99 at the SLO's 5 s. The image is assumed
     * cached (a rollout of a new image that must be pulled takes longer: set the annotation).
     */
    startupTime: 'lognormal(median=2s, p99=5s)',
    /** `SetDefaults_Probe` (docs/references.md#probes-termination): initialDelaySeconds 0, periodSeconds 10, successThreshold 1, failureThreshold 3. [DEF] */
    probeInitialDelay: 0,
    probePeriod: 10,
    probeSuccessThreshold: 1,
    probeFailureThreshold: 3,
    /** `terminationGracePeriodSeconds` (docs/references.md#probes-termination). [DEF] */
    terminationGracePeriod: 30,
    /** No preStop hook: SIGTERM at once. [DEF] */
    preStop: 0,
    /** `netsim/shutdown`: the app stops accepting and finishes what it holds on SIGTERM (what most servers do). [EST] */
    shutdown: 'graceful' as const,
  },

  /** apps/v1 Deployment (docs/references.md#rolling-update, k/k `pkg/apis/apps/v1/defaults.go`). [DEF] */
  deployment: {
    strategy: 'RollingUpdate' as const,
    maxSurge: { kind: 'percent' as const, value: 25 },
    maxUnavailable: { kind: 'percent' as const, value: 25 },
    minReadySeconds: 0,
  },

  /** The control plane's delays, for timelines (Cluster `controlPlane`). */
  controlPlane: {
    /**
     * EndpointSlice write -> a node's kube-proxy has it (the watch's delivery), drawn per node and change.
     * [EST] from docs/references.md#endpoint-propagation: the EndpointSlice controller handles pod changes at once (batch period 0) and a watch
     * event reaches a node in tens to hundreds of ms in a healthy cluster; "pod Ready -> rules on every node
     * ≈ 1-2 s" in a small cluster, of which up to 1 s is minSyncPeriod and some is the sync itself, leaves a
     * propagation of ~100 ms typical, with a tail to ~1 s under API-server load.
     */
    endpointPropagation: 'lognormal(median=100ms, p99=1s)',
    /** kube-proxy `minSyncPeriod` 1 s since v1.19 (docs/references.md#endpoint-propagation). [DEF] */
    minSyncPeriod: 1,
    /** null: the model derives a sync's length from the proxy mode and the rule count (docs/model.md). */
    syncTime: null,
    /** KCM `--node-monitor-grace-period` 50 s since v1.32 (40 s before) (docs/references.md#node-failure). [DEF] */
    nodeMonitorGracePeriod: 50,
    /** KCM `--node-monitor-period` 5 s (docs/references.md#node-failure). [DEF] */
    nodeMonitorPeriod: 5,
    /** DefaultTolerationSeconds: not-ready/unreachable tolerations of 300 s (docs/references.md#node-failure). [DEF] */
    podEvictionTimeout: 300,
  },

  clusterAutoscaler: {
    /** kubernetes/autoscaler FAQ parameter table (docs/references.md#cluster-autoscaler). [DEF] */
    scanInterval: 10,
    scaleDownUnneededTime: 600,
    scaleDownDelayAfterAdd: 600,
    scaleDownUtilizationThreshold: 0.5,
    /**
     * A node group's node from the decision to Ready: VM boot and join. [EST] from docs/references.md#cluster-autoscaler: EC2 boot 23-26 s,
     * EKS node start -> Ready 45-65 s; a scale-up decision adds 5-15 s on small clusters.
     */
    provisionTime: 'lognormal(median=60s, p99=120s)',
  },

  pod: {
    /** Requests in service at once: a small worker pool (nginx workers, a thread pool). [EST] */
    concurrency: 8,
    /** Waiting requests beyond those in service (a listen backlog of the order of somaxconn). [EST] */
    queueCapacity: 1024,
    /** Memoryless service, mean 5 ms: a light API call. [EST] */
    serviceTime: 'exp(mean=5ms)',
    speed: 1,
  },

  service: {
    /** sessionAffinityConfig.clientIP.timeoutSeconds (docs/references.md#session-affinity). [DEF] */
    sessionAffinityTimeout: 10800,
  },

  client: {
    /** keep-alive: nginx `keepalive_requests` 1000 closes a client connection after 1000 requests (docs/references.md#ingress-nginx). [DEF] */
    requestsPerConnection: 1000,
    /** pool: one long-lived HTTP/2 or gRPC channel per client. [DEF of gRPC clients] */
    poolConnections: 1,
    /** An external client stands for many users; a pod or a host has one address. [EST] */
    externalSourceIPs: 1000,
    internalSourceIPs: 1,
    /** 1 KB request and response: the size of the TCP_RR measurements the latencies come from (docs/references.md#calibration). */
    requestSize: 1024,
    responseSize: 1024,
    /** No client timeout unless given (curl and Go's http.Client have none by default). [DEF] */
    timeout: null,
    retries: 0,
    /** Closed-loop users send again at once unless a thinkTime is given. */
    thinkTime: 'const(0)',
    /** HTTP through an Ingress: distinct users (cookies, hashed headers). [EST] */
    sessions: 1000,
    /** Resolving clients: glibc keeps no cache and takes the first address of an answer (docs/references.md#dns). [DEF] */
    dnsCache: 'none' as const,
    dnsPick: 'first' as const,
  },

  /** Cluster DNS: kubeadm's CoreDNS Deployment and Corefile, and kubelet's resolv.conf for pods (docs/references.md#dns). */
  dns: {
    /** kubeadm runs 2 CoreDNS replicas. [DEF] */
    replicas: 2,
    /** Queries a CoreDNS pod works on at once: its CPU (a 2-core limit's worth). [EST] */
    concurrency: 2,
    /** Queries that may wait: the UDP receive buffer holds about a thousand. [EST] */
    queueCapacity: 1000,
    /** CPU per query answered from the cache: ~50 us. [EST] */
    hitTime: 'const(50us)',
    /** CPU per query the kubernetes plugin answers or forward sends on. [EST] */
    missTime: 'lognormal(median=100us, p99=400us)',
    /** Round trip to the node's upstream resolver (the VPC resolver). [EST] */
    upstream: 'lognormal(median=1ms, p99=10ms)',
    clusterDomain: 'cluster.local',
    /** kubeadm's Corefile: `kubernetes ... { ttl 30 }` (the plugin's own default is 5 s). [DEF] */
    ttl: 30,
    /** kubeadm's Corefile: `cache 30`, keeping cluster names too (newer kubeadm disables that). [DEF] */
    cache: 30,
    cacheClusterDomain: true,
    /** kubeadm's Corefile has `loadbalance`. [DEF] */
    loadbalance: true,
    /** kubelet's resolv.conf: ndots:5, glibc's timeout:5 and attempts:2. [DEF] */
    ndots: 5,
    timeout: 5,
    attempts: 2,
    /** The conntrack insert race is off unless a probability is given. [EST] */
    conntrackRace: 0,
    namespace: 'kube-system',
    name: 'coredns',
  },

  /** An ingress-nginx controller as its Helm chart installs it (docs/references.md#ingress-nginx). */
  ingressController: {
    className: 'nginx',
    namespace: 'ingress-nginx',
    name: 'ingress-nginx-controller',
    /** The chart's replicaCount. [DEF] */
    replicas: 1,
    /** `worker-processes: auto` is the number of CPUs: a 4-vCPU node. [DEF]/[EST] */
    workers: 4,
    /** Per-request work of a worker (parsing, routing, proxying): ~100 us. [EST] */
    processing: 'lognormal(median=100us, p99=1ms)',
    /** Requests waiting for a worker (the accept queues). [EST] */
    queueCapacity: 4096,
    /** The chart's `controller.service.type`. [DEF] */
    serviceType: 'LoadBalancer' as const,
    /** ConfigMap defaults: load-balance, upstream-keepalive-requests, proxy-next-upstream-tries (docs/references.md#ingress-nginx). [DEF] */
    loadBalance: 'round_robin' as const,
    upstreamKeepaliveRequests: 10000,
    proxyNextUpstreamTries: 3,
  },

  /** A host outside the cluster not described in Workload.spec.externalHosts: an in-region SaaS API. [EST] */
  externalHost: {
    latency: 'lognormal(median=5ms, p99=20ms)',
    serviceTime: 'lognormal(median=20ms, p99=200ms)',
    concurrency: 100,
    queueCapacity: 10000,
    ttl: 60,
  },

  simulation: {
    /** When neither duration nor requests is given. [EST] */
    duration: 60,
    warmup: 'auto' as const,
    seed: 1,
  },
} as const;

/** nf_conntrack_max for a node with `cpus` cores, as kube-proxy sets it. */
export function conntrackMaxFor(cpus: number): number {
  const k = DEFAULTS.kubeProxy;
  return Math.min(k.conntrackCap, Math.max(k.conntrackPerCpu * Math.ceil(cpus), k.conntrackMin));
}
