/**
 * Pods that fail requests (`netsim/error-rate`): after serving a request, a pod answers it with a 500 with
 * its error rate's probability. The response travels back like any other; an Envoy on the way counts it
 * for outlier detection and may retry it (envoy/retry.ts), and a client that gets it counts the attempt as
 * failed (`server-error`) and retries it if it has retries. Ingress controllers pass a 500 through (nginx's
 * `proxy_next_upstream` default "error timeout" does not include http_500).
 *
 * Each failing pod draws from its own stream (`pod/<namespace>/<name>/errors`), made only for pods with a
 * rate above zero, so other scenarios' draws are unchanged. No allocation per request.
 */
import type { RandomStreams, Rng } from '../engine/random.js';
import type { PodSpec } from './spec.js';

export class PodErrors {
  private readonly rate: Float64Array;
  private readonly rngs: (Rng | null)[];

  private constructor(pods: readonly PodSpec[], streams: RandomStreams) {
    this.rate = Float64Array.from(pods, (p) => p.behaviour.errorRate ?? 0);
    this.rngs = pods.map((p) => ((p.behaviour.errorRate ?? 0) > 0 ? streams.stream(`pod/${p.namespace}/${p.name}/errors`) : null));
  }

  /** The failing pods' draws, or null when no pod fails (the data path then skips the check). */
  static of(pods: readonly PodSpec[], streams: RandomStreams): PodErrors | null {
    return pods.some((p) => (p.behaviour.errorRate ?? 0) > 0) ? new PodErrors(pods, streams) : null;
  }

  /** Whether pod `pod` answers the request it just served with a 500. */
  fails(pod: number): boolean {
    const r = this.rate[pod]!;
    if (r <= 0) return false;
    return r >= 1 || this.rngs[pod]!() < r;
  }
}
