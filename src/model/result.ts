/**
 * What one simulation run returns: plain data (JSON- and structured-clone-safe), so it can cross worker
 * threads, be written as `result.json` and be read back by reports without the model.
 *
 * Determinism: for one spec and seed every field is identical from run to run except the wall-clock
 * figures, which are all in `engine` (`wallSeconds`, `eventsPerWallSecond`, `requestsPerWallSecond`).
 * Numbers that do not exist (a percentile of nothing, a share of zero requests) are `null`, never NaN.
 */
import type { LatencyHistogramJSON } from '../engine/stats/latency-histogram-json.js';
import type { Seconds } from '../engine/time.js';
import type { NodeName, PodKey, ZoneName } from './spec.js';

export const RESULT_SCHEMA = 'netsim.result/v1';

/** Drop reasons, named as in `DROP_REASONS` (routing.ts). */
export type DropReason =
  | 'no-endpoints'
  | 'no-local-endpoint'
  | 'no-healthy-lb-target'
  | 'conntrack-full'
  | 'queue-full'
  | 'timeout'
  | 'not-proxied'
  | 'dns-failure'
  | 'no-route'
  | 'connection-refused'
  | 'pod-gone'
  | 'pod-killed'
  | 'node-down'
  | 'server-error'
  | 'gateway-timeout';

/** Drop reasons that only a timeline produces (listed in the accounting when the scenario has one). */
export const TIMELINE_DROP_REASONS: readonly DropReason[] = ['connection-refused', 'pod-gone', 'pod-killed', 'node-down'];

/**
 * Logical requests (a retry is not a new request). Always `generated = completed + droppedTotal + inFlight`
 * exactly. `inFlight` counts requests neither completed nor given up when the run ended (after the drain).
 */
export interface RequestCounts {
  readonly generated: number;
  readonly completed: number;
  readonly dropped: Readonly<Record<DropReason, number>>;
  readonly droppedTotal: number;
  readonly inFlight: number;
  /** Retry attempts made (each failed or timed-out attempt that was tried again). */
  readonly retries: number;
}

/**
 * `total` covers every request; `warmup` the ones first sent before the measurement window opened and
 * `measured` the others (`total = warmup + measured`, field by field). Only `measured` requests feed the
 * latency, share, path and per-entity statistics.
 */
export interface Accounting {
  readonly total: RequestCounts;
  readonly warmup: RequestCounts;
  readonly measured: RequestCounts;
}

/** Latency of completed requests, client send (first attempt) to response received, in seconds. */
export interface LatencySummary {
  readonly count: number;
  readonly mean: Seconds | null;
  readonly min: Seconds | null;
  readonly p50: Seconds | null;
  readonly p90: Seconds | null;
  readonly p99: Seconds | null;
  readonly p999: Seconds | null;
  readonly max: Seconds | null;
}

export interface LatencyResult extends LatencySummary {
  readonly histogram: LatencyHistogramJSON;
}

/**
 * Path kinds: `crossZone` when any traversal inside the cluster (load balancer to backend included) crossed
 * zones; else `secondHop` when the pod ran on another node than the one the request entered (the node whose
 * kube-proxy chose; for ClusterIP the client's node); else `local`.
 */
export interface LatencyByPath {
  readonly local: LatencySummary;
  readonly secondHop: LatencySummary;
  readonly crossZone: LatencySummary;
}

export interface PodResult {
  readonly pod: PodKey;
  readonly node: NodeName | null;
  readonly zone: ZoneName | null;
  /** Requests that reached the pod (accepted or refused). Timed-out attempts still served are not counted. */
  readonly requests: number;
  /** Requests whose service ended. */
  readonly served: number;
  /** Requests refused because the queue was full. */
  readonly refused: number;
  /** Connections whose endpoint is this pod (opened in the window). */
  readonly connections: number;
  /**
   * requests / requests of all pods that back the same Services (the same `services`); null when no
   * request reached any of them. With one Service that is every serving pod; behind an Ingress the
   * controller pods share the requests among themselves, and so do each backend Service's pods.
   */
  readonly share: number | null;
  /** Time-average busy servers / concurrency over the measurement window. */
  readonly utilisation: number | null;
  readonly meanBusyServers: number | null;
  /** Time-average number of requests waiting (not in service). */
  readonly meanQueueLength: number | null;
  /** The source address the pod saw, counted per request. */
  readonly sources: { readonly clientIp: number; readonly nodeIp: number; readonly loadBalancer: number };
  /** Services (`namespace/name`) whose ready endpoints include the pod, sorted; empty for none. */
  readonly services: readonly string[];
}

export interface NodeResult {
  readonly node: NodeName;
  readonly zone: ZoneName;
  /** Requests that entered the cluster's data path at this node (kube-proxy on it handled them). */
  readonly entryRequests: number;
  /** Of those, requests forwarded to a pod on another node (second hop). */
  readonly forwarded: number;
  /** Requests dropped or rejected by kube-proxy/conntrack on this node. */
  readonly dropped: number;
  /** New connections kube-proxy on this node chose an endpoint for. */
  readonly newConnections: number;
  /** Largest number of tracked flows at once (whole run, warm-up included). */
  readonly conntrackPeak: number;
  readonly conntrackAtEnd: number;
}

export interface ZoneResult {
  readonly zone: ZoneName;
  /** Requests served by pods in the zone. */
  readonly requestsServed: number;
  /** Bytes this zone sent across a zone boundary (requests and responses). */
  readonly crossZoneBytesSent: number;
}

export interface PathResult {
  /** Requests that reached a pod (the denominator of the fractions). */
  readonly requests: number;
  readonly secondHop: number;
  readonly secondHopFraction: number | null;
  readonly crossZone: number;
  readonly crossZoneFraction: number | null;
  /** Request and response bytes over every zone crossing. */
  readonly crossZoneBytes: number;
  /** crossZoneBytes / 1e9 × network.crossZoneCostPerGB. */
  readonly crossZoneCost: number;
}

/**
 * What the configuration costs, from the prices the scenario gives (Cluster: nodes', zones' and node
 * groups' `pricePerHour`, `network.crossZoneCostPerGB`, `loadBalancer.pricePerHour` and `pricePerGB`),
 * in their currency. Traffic figures are the measurement window's, scaled to an hour. Filled by the run
 * pipeline (experiment/cost.ts), so a RunResult straight from `simulate()` has none. docs/results.md.
 */
export interface CostResult {
  /** Nodes counted: those up at the start (a node group's: its mean size over the windows). */
  readonly nodes: number;
  /** Services of type LoadBalancer: one cloud load balancer each. */
  readonly loadBalancers: number;
  /** Σ node price per hour (a node group: its mean size × its price). */
  readonly nodesPerHour: number;
  /** loadBalancers × loadBalancer.pricePerHour. */
  readonly loadBalancersPerHour: number;
  /** paths.crossZoneBytes / 1e9 × crossZoneCostPerGB, per hour of the measurement window. */
  readonly crossZonePerHour: number;
  /** Bytes through a load balancer (clients that send via one: requests sent, responses received) / 1e9 × pricePerGB, per hour. */
  readonly loadBalancerTrafficPerHour: number;
  /** The sum of the four. */
  readonly perHour: number;
  /** perHour × hoursPerMonth. */
  readonly perMonth: number;
  /** 730 (365 × 24 / 12, the clouds' convention). */
  readonly hoursPerMonth: number;
}

export interface ClientResult {
  readonly client: string;
  /** Measured requests only (see Accounting). */
  readonly generated: number;
  readonly completed: number;
  readonly dropped: number;
  readonly meanLatency: Seconds | null;
  /** Connections the client opened over the whole run. */
  readonly connectionsOpened: number;
}

export interface WarmupResult {
  /** `none` (warm-up 0), `fixed` (a time from the spec) or `auto` (MSER-5). */
  readonly mode: 'none' | 'fixed' | 'auto';
  /** Start of the measurement window: requests first sent before it are warm-up. */
  readonly end: Seconds;
  /** Number of statistics segments the run was split into, and the first one kept. */
  readonly segments: number;
  readonly firstMeasuredSegment: number;
  /** For `auto`: the MSER-5 analysis of per-request latency (completion order). */
  readonly mser: {
    /** Latency observations (completed requests) discarded by MSER, before rounding up to a segment. */
    readonly truncateObservations: number;
    readonly observations: number;
    /** Requests averaged per series point before MSER's own batches of 5 (grows to bound memory). */
    readonly pointSize: number;
    readonly hitSearchLimit: boolean;
  } | null;
  /** Why `auto` could not run (too few completions), else null. */
  readonly note: string | null;
}

export interface StopResult {
  /** What ended generation: the duration, the request count, or nothing left to run. */
  readonly reason: 'duration' | 'requests' | 'idle';
  /** When generation stopped: the end of the measurement window for time averages. */
  readonly generationEnd: Seconds;
  /** How long in-flight requests were allowed to finish after generation stopped. */
  readonly drainLimit: Seconds;
  /** True when the drain limit cut the run (the rest is `inFlight`). */
  readonly drainCut: boolean;
}

export interface EngineResult {
  readonly events: number;
  readonly simulatedSeconds: Seconds;
  readonly peakRequestsInFlight: number;
  readonly connectionsOpened: number;
  /** Wall-clock figures: the only fields that differ between identical runs. */
  readonly wallSeconds: number;
  readonly eventsPerWallSecond: number;
  readonly requestsPerWallSecond: number;
}

/**
 * One stage of the latency breakdown, over measured completed requests that went through it (docs/model.md
 * "Latency by stage"). Percentiles from a coarse histogram (within 3 %). A stage no request went through
 * (an Ingress stage without an Ingress) has `requests: 0`, null figures, and share 0 (null only when no
 * request completed at all).
 */
export interface StageSummary {
  /** Completed requests whose path includes the stage (a zero time counts: a DNS answer from the cache). */
  readonly requests: number;
  readonly mean: Seconds | null;
  readonly p50: Seconds | null;
  readonly p90: Seconds | null;
  readonly p99: Seconds | null;
  readonly max: Seconds | null;
  /** The stage's time over all measured completed requests' latency: the shares add up to 1. */
  readonly share: number | null;
}

export interface LatencyByStage {
  readonly dns: StageSummary;
  readonly retries: StageSummary;
  readonly ingressQueue: StageSummary;
  readonly ingressProcessing: StageSummary;
  readonly podQueue: StageSummary;
  readonly podService: StageSummary;
  readonly external: StageSummary;
  /** What the data path adds besides links and pods: cloud LB processing, kube-proxy's per-connection cost, second-hop forwarding. */
  readonly proxy: StageSummary;
  /** Link traversals (the rest). */
  readonly network: StageSummary;
}

/**
 * Windowed figures over simulated time (columnar: entry i is the window `[start[i], start[i] + window)`),
 * covering the measurement window in whole windows. Requests count in the window where they completed (or
 * were given up), whatever their segment. Percentiles per window from a coarse histogram (within 3 %).
 */
export interface TimeSeries {
  /** Window length in seconds. */
  readonly window: Seconds;
  /** Start of each window (simulated seconds since the run began). */
  readonly start: readonly Seconds[];
  /** Requests completed in each window. */
  readonly completed: readonly number[];
  /** completed / window. */
  readonly throughput: readonly number[];
  /** Logical requests given up in each window (any reason). */
  readonly dropped: readonly number[];
  /** Latency percentiles of the requests completed in each window; null when none completed. */
  readonly p50: readonly (Seconds | null)[];
  readonly p99: readonly (Seconds | null)[];
  /** With a timeline (or a varying load): logical requests generated in each window. */
  readonly offered?: readonly number[];
  /** With a timeline: `dropped` split by reason (only reasons that occur). */
  readonly droppedByReason?: Readonly<Partial<Record<DropReason, readonly number[]>>>;
  /** With a timeline: ready endpoints of each Service (as its EndpointSlices say) at each window's end. */
  readonly readyEndpoints?: readonly WindowSeries[];
  /** With a timeline: ready endpoints (any Service) on each node at each window's end. */
  readonly nodeEndpoints?: readonly WindowSeries[];
  /** With a timeline: healthy targets of each cloud load balancer at each window's end. */
  readonly healthyTargets?: readonly WindowSeries[];
  /** With a timeline: pods of each Deployment that exist and are not terminating, at each window's end. */
  readonly replicas?: readonly WindowSeries[];
  /** With a timeline: pods of each Deployment that no node takes (Pending), at each window's end. */
  readonly pending?: readonly WindowSeries[];
  /** With node groups: nodes of each group in the cluster, at each window's end. */
  readonly nodeGroups?: readonly WindowSeries[];
  /** With HorizontalPodAutoscalers: what each one saw and decided at its last sync up to each window's end. */
  readonly autoscalers?: readonly AutoscalerResult[];
}

/** One HorizontalPodAutoscaler's figures per window of the time series. */
export interface AutoscalerResult {
  /** The HPA (`namespace/name`). */
  readonly name: string;
  /** The Deployment it scales (`namespace/name`). */
  readonly deployment: string;
  /**
   * The CPU utilisation it computed (whole percent of the pods' CPU requests, as the controller truncates
   * it) at its last sync up to each window's end, before the adjustments for unready and missing pods;
   * null when that sync had no metric (or there was no sync yet).
   */
  readonly utilisation: readonly (number | null)[];
  /** The replicas it decided at that sync: what it wrote to the Deployment's scale, or the count it kept. */
  readonly desired: readonly number[];
}

/** One value per window of the time series, for one named thing (a Service, a node, a Deployment). */
export interface WindowSeries {
  readonly name: string;
  readonly values: readonly number[];
}

/** What one timeline event did, and what it cost. */
export interface EventResult {
  /** The event's kind, as in the scenario (`rollout`, `drain`, `fail-node`, ...). */
  readonly kind: string;
  /** What it acted on: `Deployment shop/web`, `node node-3`, `zone us-east-1a`, `Service shop/web`. */
  readonly target: string;
  /** When it happened (simulated seconds). */
  readonly at: Seconds;
  /**
   * When its effect was over: the rollout complete, the drain done, replacements Ready, and every node's
   * kube-proxy and every load balancer caught up. Null when that did not happen before the run ended.
   */
  readonly end: Seconds | null;
  /** Logical requests given up in [at, end] (or to the run's end), whatever the reason. */
  readonly requestsLost: number;
  readonly lostByReason: Readonly<Partial<Record<DropReason, number>>>;
  /** Longest time in [at, end] without a completed request (any client). */
  readonly longestGap: Seconds;
  /**
   * From `at` to the end of the first window after which p99 stays within 10 % of its level in the windows
   * before the event; null when it never came back, or there was no window before to compare with.
   */
  readonly recovery: Seconds | null;
  /** What the controllers reported, e.g. an eviction a PodDisruptionBudget held back. */
  readonly notes: readonly string[];
}

export interface DnsServerResult {
  /** The CoreDNS pod, `namespace/name`. */
  readonly pod: PodKey;
  readonly node: NodeName;
  readonly zone: ZoneName;
  /** Queries that reached it, and those answered from its cache. */
  readonly queries: number;
  readonly cacheHits: number;
  readonly utilisation: number | null;
  readonly meanQueueLength: number | null;
}

/** Cluster DNS, for lookups made by measured requests. */
export interface DnsResult {
  /** New connections that needed an address (a lookup or a client-cache answer). */
  readonly lookups: number;
  /** Of those, answered by the client's own cache (no query). */
  readonly clientCacheHits: number;
  /** Queries sent (A and AAAA each, retries and queries lost on the way included). */
  readonly queries: number;
  /** Queries answered NXDOMAIN (the search list's misses). */
  readonly nxdomain: number;
  /** Queries CoreDNS answered from its cache, and the others. */
  readonly serverCacheHits: number;
  readonly serverCacheMisses: number;
  /** Misses forwarded to the upstream resolver. */
  readonly upstreamQueries: number;
  /** Steps the resolver timed out on (a query lost: conntrack race, full CoreDNS queue) and sent again. */
  readonly timeouts: number;
  /** Lookups that failed (every try timed out), or failures answered from the client's cache. */
  readonly failures: number;
  /** Queries lost on the way (the conntrack race, a full CoreDNS queue). */
  readonly lostQueries: number;
  /** Duration of the lookups that queried (client-cache answers excluded), first send to answer. */
  readonly resolution: LatencySummary;
  readonly servers: readonly DnsServerResult[];
}

export interface IngressUpstreamResult {
  /** The Ingress (`namespace/name`), the backend Service and port as written. */
  readonly ingress: string;
  readonly service: string;
  readonly port: number | string;
  /** How requests are balanced: round_robin, ewma, least_conn, random_two, chash, cookie-balanced, cookie-persistent, service-upstream. */
  readonly algorithm: string;
  /** Endpoints in the upstream (ready pods). */
  readonly endpoints: number;
  /** Requests routed to it, and retries to another endpoint (proxy-next-upstream). */
  readonly requests: number;
  readonly retries: number;
}

export interface IngressResult {
  /** Requests an ingress controller processed (measured, reached a controller pod). */
  readonly requests: number;
  /** Answered 404: no rule and no default backend matched. */
  readonly noRoute: number;
  /** Upstream tries beyond the first. */
  readonly upstreamRetries: number;
  readonly upstreams: readonly IngressUpstreamResult[];
}

export interface ExternalHostResult {
  readonly host: string;
  /** Requests that reached the host, accepted or refused; served. */
  readonly requests: number;
  readonly served: number;
  readonly refused: number;
  readonly utilisation: number | null;
  readonly meanQueueLength: number | null;
}

export interface RunResult {
  readonly schema: typeof RESULT_SCHEMA;
  readonly scenario: string;
  readonly seed: number | string;
  readonly stop: StopResult;
  readonly warmup: WarmupResult;
  /** Length of the measurement window (warm-up end to generation end). */
  readonly measuredSeconds: Seconds;
  readonly accounting: Accounting;
  readonly latency: LatencyResult;
  readonly latencyByPath: LatencyByPath;
  readonly paths: PathResult;
  /** What the configuration costs per hour and per month (set by the run pipeline, not by `simulate()`). */
  readonly cost?: CostResult;
  readonly pods: readonly PodResult[];
  readonly nodes: readonly NodeResult[];
  readonly zones: readonly ZoneResult[];
  readonly clients: readonly ClientResult[];
  readonly engine: EngineResult;
  /** The latency of measured completed requests cut into stages that add up to it. */
  readonly latencyByStage: LatencyByStage;
  /** Throughput, drops and latency per time window over the measurement window. */
  readonly timeSeries: TimeSeries;
  /** Present when the scenario has a timeline: each event, in time order, with its cost. */
  readonly events?: readonly EventResult[];
  /** Present when some client resolves names. */
  readonly dns?: DnsResult;
  /** Present when some client sends through an ingress controller. */
  readonly ingress?: IngressResult;
  /** Present when some client calls a host outside the cluster. */
  readonly externalHosts?: readonly ExternalHostResult[];
}
