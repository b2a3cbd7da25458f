/**
 * Where each completed request's time went: its latency cut into stages that add up to it exactly.
 *
 *   dns                 waiting for the client's name lookup (this attempt and earlier ones)
 *   retries             earlier attempts (failed or timed out), and upstream tries the ingress controller
 *                       retried (proxy-next-upstream), DNS waits excluded
 *   ingressQueue        waiting for a worker of the ingress controller pod
 *   ingressProcessing   the controller's processing
 *   podQueue            waiting at the serving pod
 *   podService          the pod's service
 *   external            the external host's queue and service (ExternalName and external names)
 *   proxy               what the data path adds that is neither a link nor a pod: the cloud load
 *                       balancer's processing, kube-proxy's per-connection cost (its own and the ingress
 *                       controller's service-upstream connections), second-hop forwarding (the `forwarding`
 *                       link, both ways)
 *   network             the rest: every other link traversal both ways
 *
 * Recorded for every run, per statistics segment (sums, counts, and a coarse histogram per stage: ±3 % on
 * percentiles), so the warm-up cut applies. A stage no request went through reports `requests: 0`, null
 * figures and share 0.
 */
import { HistogramLayout } from '../engine/stats/histogram-layout.js';
import { COARSE_LAYOUT } from './dns/cluster-dns.js';
import type { LatencyByStage, StageSummary } from './result.js';

export const Stage = {
  Dns: 0,
  Retries: 1,
  IngressQueue: 2,
  IngressProcessing: 3,
  PodQueue: 4,
  PodService: 5,
  External: 6,
  Proxy: 7,
  Network: 8,
} as const;
export const STAGES = 9;
/** Slot of the request's whole latency in {@link StageStats.value}, after the stages. */
export const TOTAL = STAGES;
export const STAGE_NAMES = ['dns', 'retries', 'ingressQueue', 'ingressProcessing', 'podQueue', 'podService', 'external', 'proxy', 'network'] as const;

const LAYOUT = HistogramLayout.fromSpec(COARSE_LAYOUT);
const BUCKETS = LAYOUT.bucketCount;
const SHIFT = LAYOUT.shift;
const BASE = LAYOUT.base;
const F64 = new Float64Array(1);
const I32 = new Int32Array(F64.buffer);
/** Index of a double's high word in I32 (1 on little-endian machines). */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Fields of StageStats.acc per segment × stage. */
const COUNT = 0;
const ZEROS = 1;
const SUM = 2;
const MAX = 3;
const ACC = 4;

export class StageStats {
  /**
   * Scratch the data path fills before `record`: the latency (at TOTAL) and each stage's time. Doubles go
   * through it rather than as arguments, which V8 would box (allocate) when the call is not inlined.
   */
  readonly value = new Float64Array(STAGES + 1);
  /**
   * Per segment × stage, side by side (one cache line for what a request touches of a stage): its count,
   * its zero times (counted apart: the histogram's lowest bucket would report them as ~1 us), its sum and
   * its max.
   */
  private readonly acc: Float64Array;
  private readonly totals: Float64Array;
  /** Coarse bucket counts per segment (COARSE_LAYOUT), `stage × BUCKETS + bucket`, created on first use. */
  private readonly histograms: (Float64Array | null)[];
  /** The segment recorded last: its offset in `acc` (÷ ACC) and its histograms. */
  private base = 0;
  private hist: Float64Array;

  constructor(private readonly segments: number) {
    this.acc = new Float64Array(segments * STAGES * ACC);
    this.totals = new Float64Array(segments);
    this.histograms = new Array<Float64Array | null>(segments).fill(null);
    this.hist = this.segmentHistograms(0);
  }

  private segmentHistograms(seg: number): Float64Array {
    let h = this.histograms[seg]!;
    if (h === null) h = this.histograms[seg] = new Float64Array(STAGES * BUCKETS);
    return h;
  }

  /**
   * Records a request of segment `seg`: its latency is in `value[TOTAL]`, and each stage it went through
   * (bit `1 << stage` of `stages`; a stage it did not go through is left out) has its time in `value`.
   */
  record(seg: number, stages: number): void {
    const value = this.value;
    this.totals[seg]! += value[TOTAL]!;
    const base = seg * STAGES;
    if (base !== this.base) {
      this.base = base;
      this.hist = this.segmentHistograms(seg);
    }
    const acc = this.acc;
    const hist = this.hist;
    let rest = stages;
    while (rest !== 0) {
      const bit = rest & -rest;
      rest ^= bit;
      const k = 31 - Math.clz32(bit);
      const v = value[k]!;
      const i = (base + k) * ACC;
      acc[i + COUNT]!++;
      if (v <= 0) {
        acc[i + ZEROS]!++;
        continue;
      }
      acc[i + SUM]! += v;
      if (v > acc[i + MAX]!) acc[i + MAX] = v;
      F64[0] = v;
      let b = (I32[HI]! >>> SHIFT) - BASE;
      if (b < 0) b = 0;
      else if (b >= BUCKETS) b = BUCKETS - 1;
      hist[k * BUCKETS + b]!++;
    }
  }

  result(first: number): LatencyByStage {
    let total = 0;
    for (let s = first; s < this.segments; s++) total += this.totals[s]!;
    const out: Record<string, StageSummary> = {};
    const merged = new Float64Array(BUCKETS);
    STAGE_NAMES.forEach((name, k) => {
      merged.fill(0);
      let sum = 0;
      let count = 0;
      let zeros = 0;
      let max = 0;
      for (let s = first; s < this.segments; s++) {
        const i = (s * STAGES + k) * ACC;
        sum += this.acc[i + SUM]!;
        count += this.acc[i + COUNT]!;
        zeros += this.acc[i + ZEROS]!;
        if (this.acc[i + MAX]! > max) max = this.acc[i + MAX]!;
        const hs = this.histograms[s];
        if (hs) for (let b = 0, o = k * BUCKETS; b < BUCKETS; b++) merged[b]! += hs[o + b]!;
      }
      const empty = count === 0;
      // Nearest rank over zeros and the buckets together; a bucket reports its midpoint, at most the max.
      const q = (p: number): number => {
        const rank = Math.max(1, Math.ceil(p * count));
        if (rank <= zeros) return 0;
        if (rank === count) return max;
        let cumulative = zeros;
        for (let b = 0; b < BUCKETS; b++) {
          cumulative += merged[b]!;
          if (cumulative >= rank) return Math.min(LAYOUT.midpoint(b), max);
        }
        return max;
      };
      out[name] = {
        requests: count,
        mean: empty ? null : sum / count,
        p50: empty ? null : q(0.5),
        p90: empty ? null : q(0.9),
        p99: empty ? null : q(0.99),
        max: empty ? null : max,
        share: total > 0 ? sum / total : null,
      };
    });
    return out as unknown as LatencyByStage;
  }
}
