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
export const STAGE_NAMES = ['dns', 'retries', 'ingressQueue', 'ingressProcessing', 'podQueue', 'podService', 'external', 'proxy', 'network'] as const;

const LAYOUT = HistogramLayout.fromSpec(COARSE_LAYOUT);
const BUCKETS = LAYOUT.bucketCount;
const SHIFT = LAYOUT.shift;
const BASE = LAYOUT.base;
const F64 = new Float64Array(1);
const I32 = new Int32Array(F64.buffer);
/** Index of a double's high word in I32 (1 on little-endian machines). */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

export class StageStats {
  /** Scratch the data path fills before `record`: each stage's time, and whether the request went through it. */
  readonly value = new Float64Array(STAGES);
  readonly on = new Uint8Array(STAGES);
  private readonly sums: Float64Array;
  private readonly counts: Float64Array;
  private readonly totals: Float64Array;
  private readonly maxes: Float64Array;
  /** Zero times are counted apart: the histogram's lowest bucket would report them as ~1 us. */
  private readonly zeros: Float64Array;
  /** Coarse bucket counts per segment × stage (COARSE_LAYOUT), created on first use. */
  private readonly histograms: (Float64Array | null)[];

  constructor(private readonly segments: number) {
    this.sums = new Float64Array(segments * STAGES);
    this.counts = new Float64Array(segments * STAGES);
    this.totals = new Float64Array(segments);
    this.maxes = new Float64Array(segments * STAGES);
    this.zeros = new Float64Array(segments * STAGES);
    this.histograms = new Array<Float64Array | null>(segments * STAGES).fill(null);
  }

  /** Records the scratch for a request of segment `seg` whose latency was `total`. */
  record(seg: number, total: number): void {
    this.totals[seg]! += total;
    const on = this.on;
    const value = this.value;
    const base = seg * STAGES;
    for (let k = 0; k < STAGES; k++) if (on[k] !== 0) this.add(base + k, value[k]!);
  }

  private add(i: number, v: number): void {
    this.counts[i]!++;
    if (v <= 0) {
      this.zeros[i]!++;
      return;
    }
    this.sums[i]! += v;
    if (v > this.maxes[i]!) this.maxes[i] = v;
    let h = this.histograms[i]!;
    if (h === null) h = this.histograms[i] = new Float64Array(BUCKETS);
    F64[0] = v;
    let b = (I32[HI]! >>> SHIFT) - BASE;
    if (b < 0) b = 0;
    else if (b >= BUCKETS) b = BUCKETS - 1;
    h[b]!++;
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
        const i = s * STAGES + k;
        sum += this.sums[i]!;
        count += this.counts[i]!;
        zeros += this.zeros[i]!;
        if (this.maxes[i]! > max) max = this.maxes[i]!;
        const hs = this.histograms[i];
        if (hs) for (let b = 0; b < BUCKETS; b++) merged[b]! += hs[b]!;
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
