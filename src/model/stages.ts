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
 *   network             the rest: every link both ways, the load balancer's processing, kube-proxy's
 *                       per-connection costs
 *
 * Recorded per statistics segment (sums, counts, and a coarse histogram per stage: ±3 % on percentiles), so
 * the warm-up cut applies. Only kept when the scenario has something beyond L4 (a lookup, an Ingress or an
 * external host): for plain scenarios the breakdown is podQueue + podService + network, and the hot path
 * does not pay for it.
 */
import { LatencyHistogram } from '../engine/stats/latency-histogram.js';
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
  Network: 7,
} as const;
export const STAGES = 8;
export const STAGE_NAMES = ['dns', 'retries', 'ingressQueue', 'ingressProcessing', 'podQueue', 'podService', 'external', 'network'] as const;

export class StageStats {
  /** Scratch the data path fills before `record`: each stage's time, and whether the request went through it. */
  readonly value = new Float64Array(STAGES);
  readonly on = new Uint8Array(STAGES);
  private readonly sums: Float64Array;
  private readonly counts: Float64Array;
  private readonly totals: Float64Array;
  /** Zero times are counted apart: the histogram's lowest bucket would report them as ~1 us. */
  private readonly zeros: Float64Array;
  private readonly histograms: (LatencyHistogram | null)[];

  constructor(private readonly segments: number) {
    this.sums = new Float64Array(segments * STAGES);
    this.counts = new Float64Array(segments * STAGES);
    this.totals = new Float64Array(segments);
    this.zeros = new Float64Array(segments * STAGES);
    this.histograms = new Array<LatencyHistogram | null>(segments * STAGES).fill(null);
  }

  /** Records the scratch for a request of segment `seg` whose latency was `total`. */
  record(seg: number, total: number): void {
    this.totals[seg]! += total;
    for (let k = 0; k < STAGES; k++) {
      if (this.on[k] === 0) continue;
      const v = this.value[k]!;
      const i = seg * STAGES + k;
      this.counts[i]!++;
      if (v <= 0) {
        this.zeros[i]!++;
        continue;
      }
      this.sums[i]! += v;
      let h = this.histograms[i]!;
      if (h === null) h = this.histograms[i] = new LatencyHistogram(COARSE_LAYOUT);
      h.record(v);
    }
  }

  result(first: number): LatencyByStage {
    let total = 0;
    for (let s = first; s < this.segments; s++) total += this.totals[s]!;
    const out: Record<string, StageSummary> = {};
    STAGE_NAMES.forEach((name, k) => {
      const h = new LatencyHistogram(COARSE_LAYOUT);
      let sum = 0;
      let count = 0;
      let zeros = 0;
      for (let s = first; s < this.segments; s++) {
        const i = s * STAGES + k;
        sum += this.sums[i]!;
        count += this.counts[i]!;
        zeros += this.zeros[i]!;
        const hs = this.histograms[i];
        if (hs) h.merge(hs);
      }
      const empty = count === 0;
      // Nearest rank over zeros and the histogram's values together.
      const q = (p: number): number => {
        const rank = Math.max(1, Math.ceil(p * count));
        return rank <= zeros ? 0 : h.quantile((rank - zeros) / h.count);
      };
      out[name] = {
        requests: count,
        mean: empty ? null : sum / count,
        p50: empty ? null : q(0.5),
        p90: empty ? null : q(0.9),
        p99: empty ? null : q(0.99),
        max: empty ? null : h.count > 0 ? h.max : 0,
        share: total > 0 ? sum / total : null,
      };
    });
    return out as unknown as LatencyByStage;
  }
}
