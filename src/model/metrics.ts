/**
 * The metrics collector: counters, latency histograms and time averages, recorded per *segment* so the
 * warm-up can be cut after the fact.
 *
 * Every logical request belongs to one segment, fixed when it is first sent: with a fixed warm-up there are
 * two (before / after the warm-up time); with `warmup: auto` the run is split into 64 equal slices of the
 * duration (or of the request count when only `requests` is set), and MSER-5 decides afterwards how many
 * leading slices to drop. Everything a request contributes (latency, pod share, node and zone counts,
 * bytes) goes to its segment; the result merges the kept segments. Time averages (pod utilisation, queue
 * length) are integrals, snapshot when each segment begins, so any window [segment start, generation end]
 * can be computed at the end.
 *
 * Recording is allocation-free: typed-array counters indexed `segment × entities + entity`.
 */
import { LatencyHistogram } from '../engine/stats/latency-histogram.js';
import { mser } from '../engine/stats/mser.js';
import type { Seconds } from '../engine/time.js';
import { DROP_REASONS, type DropCode } from './routing.js';
import type {
  Accounting,
  ClientResult,
  DropReason,
  LatencyByPath,
  LatencyResult,
  LatencySummary,
  PathResult,
  PodResult,
  RequestCounts,
  WarmupResult,
  ZoneResult,
} from './result.js';
import type { PodStations } from './pods.js';
import type { StationGroup } from './stations.js';

/** Number of drop reasons: codes −1..−15 map to slots 0..14. */
export const DROP_SLOTS = 15;
/** Reasons always listed in the accounting; the others only when the scenario can produce them. */
export const BASE_DROP_SLOTS = 7;
/** Segments used for `warmup: auto`: the truncation point is rounded up to 1/64 of the run. */
export const AUTO_SEGMENTS = 64;
/** Most points kept in the MSER series; beyond, neighbours are averaged pairwise. */
export const MSER_MAX_POINTS = 1 << 20;

export const PathKind = { Local: 0, SecondHop: 1, CrossZone: 2 } as const;
const PATH_KINDS = 3;

const DROP_NAMES: readonly DropReason[] = Array.from({ length: DROP_SLOTS }, (_, i) => DROP_REASONS[(-i - 1) as DropCode] as DropReason);

export type Segmentation =
  | { readonly kind: 'none' }
  | { readonly kind: 'fixed'; readonly warmup: Seconds }
  | { readonly kind: 'auto-time'; readonly width: Seconds }
  | { readonly kind: 'auto-count'; readonly perSegment: number };

export interface MetricsShape {
  readonly pods: number;
  readonly nodes: number;
  readonly zones: number;
  readonly clients: number;
  /** Zone of each pod (−1 Pending). */
  readonly podZone: Int32Array;
  /** Drop reasons beyond the base seven that this scenario can produce (listed in the accounting). */
  readonly extraDropReasons?: readonly DropReason[];
  /** Ingress upstreams and external hosts counted per segment. */
  readonly upstreams?: number;
  readonly externalHosts?: number;
}

/** Number of statistics segments a segmentation uses. */
export function segmentCount(segmentation: Segmentation): number {
  return segmentation.kind === 'none' ? 1 : segmentation.kind === 'fixed' ? 2 : AUTO_SEGMENTS;
}

export class Metrics {
  readonly segments: number;
  private readonly P: number;
  private readonly N: number;
  private readonly Z: number;
  private readonly C: number;
  private readonly U: number;
  private readonly H: number;
  private readonly podZone: Int32Array;
  private readonly dropNames: readonly DropReason[];
  // Ingress and external hosts.
  private readonly ingressReq: Float64Array;
  private readonly noRoute: Float64Array;
  private readonly upRetries: Float64Array;
  private readonly upReq: Float64Array;
  private readonly upRetry: Float64Array;
  private readonly extReq: Float64Array;
  private readonly extServed: Float64Array;
  private readonly extRefused: Float64Array;
  // Other station groups (CoreDNS pods, external hosts): integrals at segment starts and at the end.
  private readonly groupAt: Float64Array[];
  private readonly groupQueueAt: Float64Array[];
  private readonly groupEnd: Float64Array[];
  private readonly groupQueueEnd: Float64Array[];

  // Accounting, per segment.
  private readonly gen: Float64Array;
  private readonly done: Float64Array;
  private readonly retried: Float64Array;
  private readonly drops: Float64Array;
  // Clients.
  private readonly clientGen: Float64Array;
  private readonly clientDone: Float64Array;
  private readonly clientDrop: Float64Array;
  private readonly clientLatency: Float64Array;
  // Pods.
  private readonly podRequests: Float64Array;
  private readonly podServed: Float64Array;
  private readonly podRefused: Float64Array;
  private readonly podConns: Float64Array;
  private readonly podSrc: Float64Array; // × 3 (SourceSeen)
  // Nodes.
  private readonly nodeEntry: Float64Array;
  private readonly nodeForwarded: Float64Array;
  private readonly nodeDropped: Float64Array;
  private readonly nodeConns: Float64Array;
  // Zones.
  private readonly zoneServed: Float64Array;
  private readonly zoneBytes: Float64Array;
  // Paths.
  private readonly pathRequests: Float64Array;
  private readonly pathSecondHop: Float64Array;
  private readonly pathCrossZone: Float64Array;
  private readonly histograms: LatencyHistogram[] = [];

  // Segment starts and time-average snapshots.
  private readonly segStart: Float64Array;
  private readonly busyAt: Float64Array;
  private readonly queueAt: Float64Array;
  private endTime = NaN;
  private readonly busyEnd: Float64Array;
  private readonly queueEnd: Float64Array;

  // MSER series (auto only).
  private readonly auto: boolean;
  private series: Float64Array;
  private seriesSeg: Int32Array;
  private points = 0;
  private pointSize = 1;
  private pendSum = 0;
  private pendCount = 0;
  private pendSeg = 0;

  constructor(
    shape: MetricsShape,
    readonly segmentation: Segmentation,
    private readonly pods: PodStations,
    private readonly groups: readonly StationGroup[] = [],
  ) {
    this.P = shape.pods;
    this.N = shape.nodes;
    this.Z = shape.zones;
    this.C = shape.clients;
    this.U = shape.upstreams ?? 0;
    this.H = shape.externalHosts ?? 0;
    this.podZone = shape.podZone;
    const extra = new Set(shape.extraDropReasons ?? []);
    this.dropNames = DROP_NAMES.filter((n, i) => i < BASE_DROP_SLOTS || extra.has(n));
    const S = (this.segments =
      segmentation.kind === 'none' ? 1 : segmentation.kind === 'fixed' ? 2 : AUTO_SEGMENTS);
    this.auto = segmentation.kind === 'auto-time' || segmentation.kind === 'auto-count';
    const f = (n: number): Float64Array => new Float64Array(S * n);
    this.gen = f(1);
    this.done = f(1);
    this.retried = f(1);
    this.drops = f(DROP_SLOTS);
    this.clientGen = f(this.C);
    this.clientDone = f(this.C);
    this.clientDrop = f(this.C);
    this.clientLatency = f(this.C);
    this.podRequests = f(this.P);
    this.podServed = f(this.P);
    this.podRefused = f(this.P);
    this.podConns = f(this.P);
    this.podSrc = f(this.P * 3);
    this.nodeEntry = f(this.N);
    this.nodeForwarded = f(this.N);
    this.nodeDropped = f(this.N);
    this.nodeConns = f(this.N);
    this.zoneServed = f(this.Z);
    this.zoneBytes = f(this.Z);
    this.pathRequests = f(1);
    this.pathSecondHop = f(1);
    this.pathCrossZone = f(1);
    this.ingressReq = f(1);
    this.noRoute = f(1);
    this.upRetries = f(1);
    this.upReq = f(this.U);
    this.upRetry = f(this.U);
    this.extReq = f(this.H);
    this.extServed = f(this.H);
    this.extRefused = f(this.H);
    this.groupAt = groups.map((g) => f(g.count));
    this.groupQueueAt = groups.map((g) => f(g.count));
    this.groupEnd = groups.map((g) => new Float64Array(g.count));
    this.groupQueueEnd = groups.map((g) => new Float64Array(g.count));
    for (let i = 0; i < S * PATH_KINDS; i++) this.histograms.push(new LatencyHistogram());
    this.segStart = new Float64Array(S).fill(NaN);
    this.busyAt = f(this.P);
    this.queueAt = f(this.P);
    this.busyEnd = new Float64Array(this.P);
    this.queueEnd = new Float64Array(this.P);
    this.series = new Float64Array(this.auto ? 1024 : 0);
    this.seriesSeg = new Int32Array(this.auto ? 1024 : 0);
    this.beginSegment(0, 0);
  }

  // ---------------------------------------------------------------- segments

  /** Segment of a logical request first sent at `now` as the `ordinal`-th request (0-based). */
  segmentOf(now: Seconds, ordinal: number): number {
    const sg = this.segmentation;
    let s: number;
    switch (sg.kind) {
      case 'none':
        return 0;
      case 'fixed':
        s = now < sg.warmup ? 0 : 1;
        break;
      case 'auto-time':
        s = Math.min(AUTO_SEGMENTS - 1, Math.floor(now / sg.width));
        break;
      case 'auto-count':
        s = Math.min(AUTO_SEGMENTS - 1, Math.floor(ordinal / sg.perSegment));
        break;
    }
    if (this.segStart[s]! !== this.segStart[s]!) this.beginSegment(s, now);
    return s;
  }

  /** Opens segment `s` (and any skipped before it) at `now`: snapshots the time-average integrals. */
  beginSegment(s: number, now: Seconds): void {
    for (let k = 0; k <= s; k++) {
      if (this.segStart[k]! === this.segStart[k]!) continue;
      this.segStart[k] = now;
      for (let p = 0; p < this.P; p++) {
        this.busyAt[k * this.P + p] = this.pods.busyIntegral(p, now);
        this.queueAt[k * this.P + p] = this.pods.queueIntegral(p, now);
      }
      this.groups.forEach((g, gi) => {
        for (let p = 0; p < g.count; p++) {
          this.groupAt[gi]![k * g.count + p] = g.busyIntegral(p, now);
          this.groupQueueAt[gi]![k * g.count + p] = g.queueIntegral(p, now);
        }
      });
    }
  }

  /** Closes the measurement window (generation stopped): snapshots the integrals. */
  end(now: Seconds): void {
    if (this.endTime === this.endTime) return;
    this.endTime = now;
    for (let p = 0; p < this.P; p++) {
      this.busyEnd[p] = this.pods.busyIntegral(p, now);
      this.queueEnd[p] = this.pods.queueIntegral(p, now);
    }
    this.groups.forEach((g, gi) => {
      for (let p = 0; p < g.count; p++) {
        this.groupEnd[gi]![p] = g.busyIntegral(p, now);
        this.groupQueueEnd[gi]![p] = g.queueIntegral(p, now);
      }
    });
  }

  // ---------------------------------------------------------------- hot path

  generated(seg: number, client: number): void {
    this.gen[seg]!++;
    this.clientGen[seg * this.C + client]!++;
  }

  retry(seg: number): void {
    this.retried[seg]!++;
  }

  completed(seg: number, client: number, latency: Seconds, kind: number): void {
    this.done[seg]!++;
    this.clientDone[seg * this.C + client]!++;
    this.clientLatency[seg * this.C + client]! += latency;
    this.histograms[seg * PATH_KINDS + kind]!.record(latency);
    if (this.auto) this.observe(latency, seg);
  }

  dropped(seg: number, client: number, code: number): void {
    this.drops[seg * DROP_SLOTS - code - 1]!++;
    this.clientDrop[seg * this.C + client]!++;
  }

  /** A request reached pod `pod` having entered at `entryNode` (−1: IP-target LB). */
  atPod(seg: number, pod: number, entryNode: number, secondHop: boolean, crossZone: boolean, source: number): void {
    this.podRequests[seg * this.P + pod]!++;
    this.podSrc[(seg * this.P + pod) * 3 + source]!++;
    this.pathRequests[seg]!++;
    if (entryNode >= 0) {
      this.nodeEntry[seg * this.N + entryNode]!++;
      if (secondHop) this.nodeForwarded[seg * this.N + entryNode]!++;
    }
    if (secondHop) this.pathSecondHop[seg]!++;
    if (crossZone) this.pathCrossZone[seg]!++;
  }

  refused(seg: number, pod: number): void {
    this.podRefused[seg * this.P + pod]!++;
  }

  served(seg: number, pod: number): void {
    this.podServed[seg * this.P + pod]!++;
    const z = this.podZone[pod]!;
    if (z >= 0) this.zoneServed[seg * this.Z + z]!++;
  }

  /** kube-proxy or conntrack on `node` dropped or rejected a request. */
  nodeDrop(seg: number, node: number): void {
    this.nodeEntry[seg * this.N + node]!++;
    this.nodeDropped[seg * this.N + node]!++;
  }

  /** A new connection was given endpoint `pod` (by kube-proxy on `node`, or −1 for an LB). */
  connection(seg: number, pod: number, node: number): void {
    this.podConns[seg * this.P + pod]!++;
    if (node >= 0) this.nodeConns[seg * this.N + node]!++;
  }

  crossZoneBytes(seg: number, fromZone: number, bytes: number): void {
    this.zoneBytes[seg * this.Z + fromZone]! += bytes;
  }

  /** An ingress controller processed a request routed to upstream `u` (−1: no route, a 404). */
  ingressRouted(seg: number, u: number): void {
    this.ingressReq[seg]!++;
    if (u < 0) this.noRoute[seg]!++;
    else this.upReq[seg * this.U + u]!++;
  }

  /** The controller tried upstream `u` again (proxy-next-upstream). */
  upstreamRetry(seg: number, u: number): void {
    this.upRetries[seg]!++;
    this.upRetry[seg * this.U + u]!++;
  }

  /** A request reached external host `h` (accepted or refused). */
  atExternal(seg: number, h: number, refused: boolean): void {
    this.extReq[seg * this.H + h]!++;
    if (refused) this.extRefused[seg * this.H + h]!++;
  }

  externalServed(seg: number, h: number): void {
    this.extServed[seg * this.H + h]!++;
  }

  private observe(latency: number, seg: number): void {
    this.pendSum += latency;
    if (seg > this.pendSeg) this.pendSeg = seg;
    if (++this.pendCount < this.pointSize) return;
    if (this.points === this.series.length) {
      if (this.points < MSER_MAX_POINTS) {
        const s = new Float64Array(this.points * 2);
        s.set(this.series);
        this.series = s;
        const g = new Int32Array(this.points * 2);
        g.set(this.seriesSeg);
        this.seriesSeg = g;
      } else {
        // Full: average neighbours, halving the series; later points hold twice as many requests.
        const half = this.points >> 1;
        for (let i = 0; i < half; i++) {
          this.series[i] = (this.series[2 * i]! + this.series[2 * i + 1]!) / 2;
          this.seriesSeg[i] = Math.max(this.seriesSeg[2 * i]!, this.seriesSeg[2 * i + 1]!);
        }
        this.points = half;
        this.pointSize *= 2;
      }
    }
    this.series[this.points] = this.pendSum / this.pendCount;
    this.seriesSeg[this.points] = this.pendSeg;
    this.points++;
    this.pendSum = 0;
    this.pendCount = 0;
    this.pendSeg = 0;
  }

  // ---------------------------------------------------------------- results

  /** Decides the first measured segment (MSER-5 for auto) and describes the warm-up. */
  warmup(): WarmupResult {
    const sg = this.segmentation;
    if (sg.kind === 'none') {
      return { mode: 'none', end: 0, segments: 1, firstMeasuredSegment: 0, mser: null, note: null };
    }
    if (sg.kind === 'fixed') {
      return { mode: 'fixed', end: sg.warmup, segments: 2, firstMeasuredSegment: 1, mser: null, note: null };
    }
    if (this.points < 10) {
      return {
        mode: 'auto',
        end: 0,
        segments: this.segments,
        firstMeasuredSegment: 0,
        mser: null,
        note: `too few completed requests for MSER-5 (${this.points * this.pointSize}); nothing truncated`,
      };
    }
    const r = mser(this.series.subarray(0, this.points), 5);
    let first = 0;
    for (let i = 0; i < r.truncateObservations; i++) first = Math.max(first, this.seriesSeg[i]! + 1);
    first = Math.min(first, this.segments - 1);
    // A segment that never began (no request was sent in it) starts where the next begun one does.
    let end = this.segStart[first]!;
    if (end !== end) end = this.endTime === this.endTime ? this.endTime : 0;
    return {
      mode: 'auto',
      end,
      segments: this.segments,
      firstMeasuredSegment: first,
      mser: {
        truncateObservations: r.truncateObservations * this.pointSize,
        observations: this.points * this.pointSize,
        pointSize: this.pointSize,
        hitSearchLimit: r.hitSearchLimit,
      },
      note: r.hitSearchLimit ? 'MSER minimum at its search limit: the run may be too short to leave the transient' : null,
    };
  }

  /**
   * Request accounting; `inFlightBySegment` counts live requests per segment at the end of the run.
   */
  accounting(first: number, inFlightBySegment: Float64Array): Accounting {
    const counts = (from: number, to: number): RequestCounts => {
      let generated = 0;
      let completed = 0;
      let retries = 0;
      let inFlight = 0;
      const dropped: Record<string, number> = {};
      for (const name of this.dropNames) dropped[name] = 0;
      let droppedTotal = 0;
      for (let s = from; s < to; s++) {
        generated += this.gen[s]!;
        completed += this.done[s]!;
        retries += this.retried[s]!;
        inFlight += inFlightBySegment[s]!;
        for (let r = 0; r < DROP_SLOTS; r++) {
          const n = this.drops[s * DROP_SLOTS + r]!;
          if (n === 0) continue;
          dropped[DROP_NAMES[r]!] = (dropped[DROP_NAMES[r]!] ?? 0) + n;
          droppedTotal += n;
        }
      }
      return {
        generated,
        completed,
        dropped: dropped as Record<DropReason, number>,
        droppedTotal,
        inFlight,
        retries,
      };
    };
    return {
      total: counts(0, this.segments),
      warmup: counts(0, first),
      measured: counts(first, this.segments),
    };
  }

  /** Latency over kept segments: overall (with histogram) and per path kind. */
  latency(first: number): { latency: LatencyResult; byPath: LatencyByPath } {
    const kinds = [new LatencyHistogram(), new LatencyHistogram(), new LatencyHistogram()];
    for (let s = first; s < this.segments; s++) {
      for (let k = 0; k < PATH_KINDS; k++) kinds[k]!.merge(this.histograms[s * PATH_KINDS + k]!);
    }
    const all = new LatencyHistogram();
    for (const h of kinds) all.merge(h);
    return {
      latency: { ...summarize(all), histogram: all.toJSON() },
      byPath: { local: summarize(kinds[0]!), secondHop: summarize(kinds[1]!), crossZone: summarize(kinds[2]!) },
    };
  }

  /** Sum over kept segments of `arr[s × width + i]`. */
  private sum(arr: Float64Array, width: number, i: number, first: number): number {
    let t = 0;
    for (let s = first; s < this.segments; s++) t += arr[s * width + i]!;
    return t;
  }

  paths(first: number, crossZoneCostPerGB: number): PathResult {
    const requests = this.sum(this.pathRequests, 1, 0, first);
    const secondHop = this.sum(this.pathSecondHop, 1, 0, first);
    const crossZone = this.sum(this.pathCrossZone, 1, 0, first);
    let bytes = 0;
    for (let z = 0; z < this.Z; z++) bytes += this.sum(this.zoneBytes, this.Z, z, first);
    return {
      requests,
      secondHop,
      secondHopFraction: requests > 0 ? secondHop / requests : null,
      crossZone,
      crossZoneFraction: requests > 0 ? crossZone / requests : null,
      crossZoneBytes: bytes,
      crossZoneCost: (bytes / 1e9) * crossZoneCostPerGB,
    };
  }

  /** Per-pod figures; names and placement come from the caller. */
  podResults(
    first: number,
    names: readonly { pod: string; node: string | null; zone: string | null; services?: readonly string[] }[],
    concurrency: Int32Array,
  ): PodResult[] {
    // Shares are within the pods that back the same Services: behind an Ingress a request reaches a
    // controller pod and then a backend pod, and the tiers' shares must not be mixed.
    const groupOf = (p: number): string => (names[p]!.services ?? []).join(',');
    const totals = new Map<string, number>();
    for (let p = 0; p < this.P; p++) totals.set(groupOf(p), (totals.get(groupOf(p)) ?? 0) + this.sum(this.podRequests, this.P, p, first));
    const start = this.segStart[first]!;
    const window = start === start && this.endTime === this.endTime ? this.endTime - start : NaN;
    const out: PodResult[] = [];
    for (let p = 0; p < this.P; p++) {
      const requests = this.sum(this.podRequests, this.P, p, first);
      const src = (k: number): number => {
        let t = 0;
        for (let s = first; s < this.segments; s++) t += this.podSrc[(s * this.P + p) * 3 + k]!;
        return t;
      };
      let meanBusy: number | null = null;
      let meanQueue: number | null = null;
      if (window > 0) {
        meanBusy = (this.busyEnd[p]! - this.busyAt[first * this.P + p]!) / window;
        meanQueue = (this.queueEnd[p]! - this.queueAt[first * this.P + p]!) / window;
      }
      out.push({
        pod: names[p]!.pod,
        node: names[p]!.node,
        zone: names[p]!.zone,
        requests,
        served: this.sum(this.podServed, this.P, p, first),
        refused: this.sum(this.podRefused, this.P, p, first),
        connections: this.sum(this.podConns, this.P, p, first),
        share: totals.get(groupOf(p))! > 0 ? requests / totals.get(groupOf(p))! : null,
        // Busy servers never exceed the concurrency; the integral's rounding can put the ratio a hair above 1.
        utilisation: meanBusy === null ? null : Math.min(1, meanBusy / concurrency[p]!),
        meanBusyServers: meanBusy,
        meanQueueLength: meanQueue,
        sources: { clientIp: src(0), nodeIp: src(1), loadBalancer: src(2) },
        services: [...(names[p]!.services ?? [])],
      });
    }
    return out;
  }

  nodeCounts(first: number, node: number): { entryRequests: number; forwarded: number; dropped: number; newConnections: number } {
    return {
      entryRequests: this.sum(this.nodeEntry, this.N, node, first),
      forwarded: this.sum(this.nodeForwarded, this.N, node, first),
      dropped: this.sum(this.nodeDropped, this.N, node, first),
      newConnections: this.sum(this.nodeConns, this.N, node, first),
    };
  }

  zoneResults(first: number, names: readonly string[]): ZoneResult[] {
    return names.map((zone, z) => ({
      zone,
      requestsServed: this.sum(this.zoneServed, this.Z, z, first),
      crossZoneBytesSent: this.sum(this.zoneBytes, this.Z, z, first),
    }));
  }

  clientResults(first: number, names: readonly string[], opened: Float64Array): ClientResult[] {
    return names.map((client, c) => {
      const completed = this.sum(this.clientDone, this.C, c, first);
      const latency = this.sum(this.clientLatency, this.C, c, first);
      return {
        client,
        generated: this.sum(this.clientGen, this.C, c, first),
        completed,
        dropped: this.sum(this.clientDrop, this.C, c, first),
        meanLatency: completed > 0 ? latency / completed : null,
        connectionsOpened: opened[c]!,
      };
    });
  }

  /** Ingress counts over kept segments: processed requests, 404s, retries, and per upstream. */
  ingressCounts(first: number): { requests: number; noRoute: number; retries: number; upstream: (u: number) => { requests: number; retries: number } } {
    return {
      requests: this.sum(this.ingressReq, 1, 0, first),
      noRoute: this.sum(this.noRoute, 1, 0, first),
      retries: this.sum(this.upRetries, 1, 0, first),
      upstream: (u) => ({ requests: this.sum(this.upReq, this.U, u, first), retries: this.sum(this.upRetry, this.U, u, first) }),
    };
  }

  externalCounts(first: number, h: number): { requests: number; served: number; refused: number } {
    return {
      requests: this.sum(this.extReq, this.H, h, first),
      served: this.sum(this.extServed, this.H, h, first),
      refused: this.sum(this.extRefused, this.H, h, first),
    };
  }

  /** Utilisation and mean queue length of station `p` of group `g` over the measurement window. */
  groupWindow(g: number, p: number, first: number): { utilisation: number | null; meanQueueLength: number | null } {
    const group = this.groups[g]!;
    const start = this.segStart[first]!;
    const window = start === start && this.endTime === this.endTime ? this.endTime - start : NaN;
    if (!(window > 0)) return { utilisation: null, meanQueueLength: null };
    const busy = (this.groupEnd[g]![p]! - this.groupAt[g]![first * group.count + p]!) / window;
    const queue = (this.groupQueueEnd[g]![p]! - this.groupQueueAt[g]![first * group.count + p]!) / window;
    return { utilisation: busy / group.concurrency[p]!, meanQueueLength: queue };
  }

  /** Start time of a segment (NaN when it never began). */
  segmentStart(s: number): Seconds {
    return this.segStart[s]!;
  }

  get windowEnd(): Seconds {
    return this.endTime;
  }
}

function orNull(x: number): number | null {
  return x === x ? x : null;
}

export function summarize(h: LatencyHistogram): LatencySummary {
  const empty = h.count === 0;
  return {
    count: h.count,
    mean: orNull(h.mean),
    min: orNull(h.min),
    p50: empty ? null : h.quantile(0.5),
    p90: empty ? null : h.quantile(0.9),
    p99: empty ? null : h.quantile(0.99),
    p999: empty ? null : h.quantile(0.999),
    max: orNull(h.max),
  };
}
