/**
 * netsim/v1 Cluster: what Kubernetes manifests do not say — nodes and zones, link latencies, kube-proxy,
 * the load balancer in front of LoadBalancer Services, and address ranges. Strict: an unknown field is an
 * error (it is almost always a typo). Every field is optional; defaults.ts says what an absent one means.
 */
import { z } from 'zod';
import { parseCidr } from '../ipv4.js';
import { distribution, duration, durationOrNone, fail, ipv4, kindSchema, nonNegativeInt, positiveInt, stringMap, quantity } from '../values.js';
import { MAGLEV_TABLE_SIZES } from '../../model/maglev.js';
import { netsimMeta } from './meta.js';

const cidr = () =>
  z.string().transform((s, ctx): string => {
    const c = parseCidr(s);
    if (!c) return fail(ctx, s, { expected: 'a CIDR block such as 10.96.0.0/12' });
    return c.text;
  });

const portRange = () =>
  z.string().transform((s, ctx): { min: number; max: number } => {
    const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(s);
    const min = m ? Number(m[1]) : NaN;
    const max = m ? Number(m[2]) : NaN;
    if (!m || min < 1 || max > 65535 || min > max) return fail(ctx, s, { expected: 'a port range such as 30000-32767' });
    return { min, max };
  });

export const taintSchema = () =>
  z.strictObject({
    key: z.string().min(1),
    value: z.string().optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
  });

const nodeSchema = () =>
  z.strictObject({
    name: z.string().min(1),
    zone: z.string().min(1).optional(),
    ip: ipv4().optional(),
    /** Allocatable CPU cores. */
    cpu: z.number().positive().optional(),
    /** Allocatable memory (`16Gi`); absent: not a constraint when pods are fitted. */
    memory: quantity('a memory size such as 16Gi').optional(),
    /** What the node costs per hour (cost reporting only; default 0). */
    pricePerHour: z.number().min(0).optional(),
    labels: stringMap().optional(),
    /** e.g. a kubeadm control-plane node: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}] */
    taints: z.array(taintSchema()).optional(),
  });

const zoneSchema = () =>
  z.strictObject({
    name: z.string().min(1),
    /** How many nodes to generate in this zone: `<zone>-node-1`, `<zone>-node-2`, ... */
    nodes: positiveInt().max(5000), // Kubernetes' largest supported cluster
    cpu: z.number().positive().optional(),
    memory: quantity('a memory size such as 16Gi').optional(),
    /** What each node of the zone costs per hour (cost reporting only; default 0). */
    pricePerHour: z.number().min(0).optional(),
    labels: stringMap().optional(),
    taints: z.array(taintSchema()).optional(),
  });

/** A cluster autoscaler node group: alike nodes in one zone, from minSize to maxSize. */
const nodeGroupSchema = () =>
  z.strictObject({
    name: z.string().min(1),
    zone: z.string().min(1),
    minSize: nonNegativeInt().max(5000),
    maxSize: positiveInt().max(5000),
    /** Nodes at the start (default: minSize). */
    size: nonNegativeInt().max(5000).optional(),
    cpu: z.number().positive().optional(),
    memory: quantity('a memory size such as 16Gi').optional(),
    /** What each node of the group costs per hour while it is in the cluster (cost reporting only; default 0). */
    pricePerHour: z.number().min(0).optional(),
    labels: stringMap().optional(),
    /** From the autoscaler's decision to the node Ready: VM boot and join (a distribution). */
    provisionTime: dist(),
  });

const dist = () => distribution().optional();

/** A Maglev table size Cilium accepts (`maglev.tableSize`: one of its listed primes). */
const maglevTableSize = () =>
  z.int().transform((n, ctx): number => {
    if (!(MAGLEV_TABLE_SIZES as readonly number[]).includes(n)) {
      return fail(ctx, n, { expected: `one of Cilium's Maglev table sizes (${MAGLEV_TABLE_SIZES.join(', ')})` });
    }
    return n;
  });

/**
 * Cilium's eBPF kube-proxy replacement (with `dataPlane: cilium`), in the words of its Helm values
 * (`--set loadBalancer.algorithm=maglev` is `cilium: {loadBalancer: {algorithm: maglev}}` here).
 */
const ciliumSchema = () =>
  z.strictObject({
    loadBalancer: z
      .strictObject({
        /** Backend choice for north-south traffic: random (default) or maglev. */
        algorithm: z.enum(['random', 'maglev']).optional(),
        /** snat (default), dsr, or hybrid (DSR for TCP, SNAT for UDP). */
        mode: z.enum(['snat', 'dsr', 'hybrid']).optional(),
        /** Honour topology hints and trafficDistribution (default false). */
        serviceTopology: z.boolean().optional(),
      })
      .optional(),
    maglev: z.strictObject({ tableSize: maglevTableSize().optional() }).optional(),
    /** The BPF connection-tracking map's size per node (default 524288). */
    bpf: z.strictObject({ ctTcpMax: positiveInt().optional() }).optional(),
    /** netsim's own: the per-new-connection cost, replacing the model's estimates. */
    connectionCost: dist(),
  });

/** Load balancer presets (defaults.ts `loadBalancerProviders`). */
export const LOAD_BALANCER_PROVIDERS = ['aws-lbc', 'aws-nlb', 'aws-clb', 'gcp', 'azure', 'generic'] as const;
export type LoadBalancerProvider = (typeof LOAD_BALANCER_PROVIDERS)[number];

/** Cluster DNS: CoreDNS (kube-system/coredns behind kube-dns), its Corefile, and the pods' resolv.conf. */
const dnsSchema = () =>
  z.strictObject({
    replicas: positiveInt().max(100).optional(),
    /** Where CoreDNS may run (the scheduler spreads the replicas over the nodes that match). */
    nodeSelector: stringMap().optional(),
    /** Queries a CoreDNS pod works on at once, and queries that may wait (its UDP buffer). */
    concurrency: positiveInt().optional(),
    queueCapacity: nonNegativeInt().optional(),
    /** CPU per query: answered from the cache / not. */
    hitTime: dist(),
    missTime: dist(),
    /** Round trip to the upstream resolver (names outside the cluster domain). */
    upstream: dist(),
    clusterDomain: z.string().min(1).optional(),
    /** The kubernetes plugin's `ttl` (plugin default 5s, kubeadm 30s). */
    ttl: duration().optional(),
    /** `cache N` (0: no cache plugin), and whether it keeps the cluster domain. */
    cache: duration().optional(),
    cacheClusterDomain: z.boolean().optional(),
    loadbalance: z.boolean().optional(),
    /** resolv.conf of pods. */
    ndots: nonNegativeInt().max(15).optional(),
    search: z.array(z.string().min(1)).optional(),
    timeout: duration().optional(),
    attempts: positiveInt().max(5).optional(),
    /** Chance that a step's A/AAAA pair loses the conntrack race (0 to 1). */
    conntrackRace: z.number().min(0).max(1).optional(),
  });

/** The ingress controllers the simulator implements, by short name or by their IngressClass's `spec.controller`. */
export const INGRESS_CONTROLLER_NAMES = [
  'ingress-nginx',
  'nginx-inc',
  'kong',
  'k8s.io/ingress-nginx',
  'nginx.org/ingress-controller',
  'ingress-controllers.konghq.com/kong',
] as const;

/** An ingress controller: generated as a Deployment and a Service in its namespace. */
const ingressControllerSchema = () =>
  z.strictObject({
    /**
     * Which controller implements the class (its IngressClass's `spec.controller`): ingress-nginx (the
     * default), nginx-inc (the NGINX Ingress Controller) or kong (the Kong Ingress Controller).
     */
    controller: z.enum(INGRESS_CONTROLLER_NAMES).optional(),
    /** NGINX Ingress Controller with NGINX Plus (least_time, sticky cookies). */
    plus: z.boolean().optional(),
    className: z.string().min(1).optional(),
    /**
     * Handles Ingresses that name no class (default: true when it is the only controller). Only without
     * IngressClass objects: with them, the `is-default-class` annotation decides.
     */
    default: z.boolean().optional(),
    name: z.string().min(1).optional(),
    namespace: z.string().min(1).optional(),
    replicas: positiveInt().max(1000).optional(),
    /** Worker processes per pod (`worker-processes`). */
    workers: positiveInt().max(256).optional(),
    /** Per-request processing in a worker. */
    processing: dist(),
    queueCapacity: nonNegativeInt().optional(),
    nodeSelector: stringMap().optional(),
    service: z
      .strictObject({
        type: z.enum(['LoadBalancer', 'NodePort', 'ClusterIP']).optional(),
        externalTrafficPolicy: z.enum(['Cluster', 'Local']).optional(),
        annotations: stringMap().optional(),
      })
      .optional(),
    /**
     * The controller-wide balancing method, in the controller's own words: ingress-nginx's ConfigMap
     * `load-balance` (round_robin, ewma), the NGINX Ingress Controller's `lb-method` (round_robin,
     * least_conn, ip_hash, random, "random two least_conn", "hash $request_uri consistent"...), Kong's
     * upstream `algorithm` (round-robin, least-connections, latency, consistent-hashing).
     */
    loadBalance: z.string().min(1).optional(),
    upstreamKeepaliveRequests: positiveInt().optional(),
    proxyNextUpstreamTries: nonNegativeInt().optional(),
    /** NGINX Ingress Controller ConfigMap `max-fails` (0: off) and `fail-timeout`. */
    maxFails: nonNegativeInt().optional(),
    failTimeout: duration().optional(),
    /** Kong: the upstream policy's `hashOn` for consistent-hashing, and the Service's `retries`. */
    hashOn: z.enum(['none', 'ip', 'header', 'cookie', 'consumer', 'path', 'query_arg', 'uri_capture']).optional(),
    retries: nonNegativeInt().optional(),
  });

export const clusterSchema = kindSchema(() => z.strictObject({
    apiVersion: z.literal('netsim/v1'),
    kind: z.literal('Cluster'),
    metadata: netsimMeta().optional(),
    spec: z
      .strictObject({
        /** Region label (`topology.kubernetes.io/region`) on every node. */
        region: z.string().min(1).optional(),
        zones: z.array(zoneSchema()).optional(),
        nodes: z.array(nodeSchema()).optional(),
        serviceCIDR: cidr().optional(),
        podCIDR: cidr().optional(),
        nodeCIDR: cidr().optional(),
        loadBalancerCIDR: cidr().optional(),
        nodePortRange: portRange().optional(),
        network: z
          .strictObject({
            sameNode: dist(),
            sameZone: dist(),
            crossZone: dist(),
            external: dist(),
            loadBalancerToBackend: dist(),
            forwarding: dist(),
            crossZoneCostPerGB: z.number().min(0).optional(),
          })
          .optional(),
        kubeProxy: z
          .strictObject({
            mode: z.enum(['iptables', 'ipvs', 'nftables']).optional(),
            ipvsScheduler: z.enum(['rr', 'wrr', 'lc', 'wlc', 'sh', 'dh', 'sed', 'nq']).optional(),
            servicePorts: nonNegativeInt().optional(),
            connectionCost: dist(),
            conntrackMax: positiveInt().optional(),
          })
          .optional(),
        /**
         * What implements Services on the nodes: kube-proxy (default; `kubeProxy.mode` says how) or
         * Cilium's eBPF kube-proxy replacement (`cilium` says how).
         */
        dataPlane: z.enum(['kube-proxy', 'cilium']).optional(),
        cilium: ciliumSchema().optional(),
        /**
         * Service meshes' sidecars (enabled per namespace or pod by their own labels and annotations): what one
         * proxy adds to a request (`hopLatency`), per mesh. Default: from the projects' published figures.
         */
        mesh: z
          .strictObject({
            istio: z.strictObject({ hopLatency: dist() }).optional(),
            linkerd: z.strictObject({ hopLatency: dist() }).optional(),
          })
          .optional(),
        loadBalancer: z
          .strictObject({
            /** Whose health-check and draining defaults apply (defaults.ts, docs/references.md#lb-health-checks). */
            provider: z.enum(LOAD_BALANCER_PROVIDERS).optional(),
            kind: z.enum(['instance', 'ip', 'metallb-l2']).optional(),
            crossZone: z.boolean().optional(),
            zones: z.array(z.string().min(1)).optional(),
            /**
             * Which LB node a client reaches: any-zone (AWS NLB's default DNS client routing policy),
             * zonal-affinity, partial-zonal-affinity (85 %), or passthrough (GCP's passthrough NLB: no LB
             * node, zones ignored; the default for provider gcp).
             */
            clientRouting: z.enum(['any-zone', 'zonal-affinity', 'partial-zonal-affinity', 'passthrough']).optional(),
            processing: dist(),
            healthCheck: z
              .strictObject({
                interval: duration().optional(),
                healthyThreshold: positiveInt().optional(),
                unhealthyThreshold: positiveInt().optional(),
                /** What the check asks under externalTrafficPolicy Cluster: kube-proxy's /healthz or the node port. */
                clusterProbe: z.enum(['kube-proxy', 'node-port']).optional(),
              })
              .optional(),
            /** How long a target taken out of service keeps its connections; `none`: they carry on. */
            deregistrationDelay: durationOrNone().optional(),
            /** What each LoadBalancer Service's load balancer costs per hour, and per GB it processes (cost reporting only; default 0). */
            pricePerHour: z.number().min(0).optional(),
            pricePerGB: z.number().min(0).optional(),
          })
          .optional(),
        /** The control plane's delays, for timelines (docs/references.md#endpoint-propagation, docs/references.md#node-failure). */
        controlPlane: z
          .strictObject({
            /** EndpointSlice write -> a node's kube-proxy has it, drawn per node and change. */
            endpointPropagation: dist(),
            /** kube-proxy `minSyncPeriod`. */
            minSyncPeriod: duration().optional(),
            /** How long one kube-proxy sync takes; absent: the model derives it from the mode and rule count. */
            syncTime: dist(),
            /** kube-controller-manager `--node-monitor-grace-period` and `--node-monitor-period`. */
            nodeMonitorGracePeriod: duration().optional(),
            nodeMonitorPeriod: duration().optional(),
            /** The default not-ready/unreachable toleration (`--default-unreachable-toleration-seconds`). */
            podEvictionTimeout: duration().optional(),
            /**
             * The HPA controller's kube-controller-manager flags (`--horizontal-pod-autoscaler-*`) and
             * metrics-server's `--metric-resolution`.
             */
            horizontalPodAutoscaler: z
              .strictObject({
                syncPeriod: duration().optional(),
                tolerance: z.number().min(0).optional(),
                downscaleStabilization: duration().optional(),
                cpuInitializationPeriod: duration().optional(),
                initialReadinessDelay: duration().optional(),
                metricResolution: duration().optional(),
              })
              .optional(),
          })
          .optional(),
        dns: dnsSchema().optional(),
        ingressControllers: z.array(ingressControllerSchema()).optional(),
        /** Node groups the cluster autoscaler grows and shrinks (their nodes join the cluster's). */
        nodeGroups: z.array(nodeGroupSchema()).optional(),
        /** The cluster autoscaler's settings (kubernetes/autoscaler FAQ names, camelCase). */
        clusterAutoscaler: z
          .strictObject({
            scanInterval: duration().optional(),
            scaleDownUnneededTime: duration().optional(),
            scaleDownDelayAfterAdd: duration().optional(),
            scaleDownUtilizationThreshold: z.number().gt(0).max(1).optional(),
          })
          .optional(),
      })
      .default({}),
}));

export type ClusterObject = z.output<typeof clusterSchema>;
export type ClusterSpecObject = ClusterObject['spec'];
export type Taint = z.output<ReturnType<typeof taintSchema>>;
export type DnsObject = NonNullable<ClusterSpecObject['dns']>;
export type IngressControllerObject = NonNullable<ClusterSpecObject['ingressControllers']>[number];
export type ControlPlaneObject = NonNullable<ClusterSpecObject['controlPlane']>;
export type CiliumObject = NonNullable<ClusterSpecObject['cilium']>;
