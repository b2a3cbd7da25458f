/**
 * A rough estimate of how long a run will take, so a sweep can start its longest runs first.
 *
 * Why: workers take runs from one queue. If the longest runs come last, one worker is still busy with one
 * of them while the others have nothing left to do; starting with the longest (the LPT rule) leaves only
 * short runs for that tail. With 16 runs on 2 workers where half the runs are 1.5× longer than the rest,
 * the idle tail is most of a long run in plan order and at most a short one in LPT order.
 *
 * The estimate is the number of requests the clients will send (with a rate that varies, ∫λ over the
 * run): a simulation's events are a few per request. It only orders the queue: a wrong estimate costs
 * speed, never a different result (what runs, with which seed, is fixed by the plan; see sweep.ts).
 */
import type { ClientSpec, ModelSpec } from '../model/spec.js';

/**
 * Closed-loop users wait for their response before they think again; the response time is not known
 * before the run, so it is taken as this much (a typical in-cluster request) when the think time is shorter.
 */
const ASSUMED_RESPONSE_SECONDS = 0.005;

/**
 * Requests per simulated second one client sends over a run of `duration` (null: no time limit). A rate
 * that varies counts with its mean over the run, ∫λ/duration (without a duration, its peak: the run then
 * ends by its request cap, which is the estimate whatever the rate).
 */
function clientRate(client: ClientSpec, duration: number | null): number {
  const a = client.arrival;
  if (a.kind === 'open' && a.rate) return duration !== null && duration > 0 ? a.rate.meanRate(0, duration) : a.rate.maxRate;
  if (a.kind === 'open') return a.interarrival.mean > 0 ? 1 / a.interarrival.mean : 0;
  return a.users / (Math.max(0, a.thinkTime.mean) + ASSUMED_RESPONSE_SECONDS);
}

/** Estimated requests of a run: the clients' rate times the duration, capped by `simulation.requests`. */
export function estimatedRequests(spec: ModelSpec): number {
  const { duration, requests } = spec.simulation;
  const rate = spec.clients.reduce((sum, c) => sum + clientRate(c, duration), 0);
  const byTime = duration === null ? Infinity : rate * duration;
  const estimate = Math.min(byTime, requests ?? Infinity);
  return Number.isFinite(estimate) ? estimate : 0;
}
