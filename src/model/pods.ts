/**
 * Pods as multi-server FIFO queues (G/G/c/K stations).
 *
 * A pod has `concurrency` servers (worker threads or processes) and room for `queueCapacity` requests
 * waiting beyond those in service; a request arriving to a full pod is refused (Drop.QueueFull: connection
 * refused or 503). Service time is a draw from the pod's distribution divided by its `speed`. Every pod
 * draws from its own random stream, so its k-th service time is the same whatever else changes in the
 * scenario (common random numbers).
 *
 * Busy servers and queue length are tracked as time-weighted values: utilisation is the time-average of
 * busy servers over `concurrency`, and the mean queue length is the time-average of waiting requests.
 */
import type { Distribution } from '../engine/distributions/distribution.js';
import { Fifo } from '../engine/fifo.js';
import type { Rng } from '../engine/random.js';
import type { Handler, Lane, Simulator } from '../engine/simulator.js';
import { TimeWeighted } from '../engine/stats/time-weighted.js';
import type { Seconds } from '../engine/time.js';
import { constantValue } from './links.js';
import type { RequestTable } from './requests.js';
import type { PodBehaviour } from './spec.js';

export class PodStations {
  readonly concurrency: Int32Array;
  readonly queueCapacity: Float64Array;
  readonly busy: Int32Array;
  readonly busyTime: TimeWeighted[] = [];
  readonly queueTime: TimeWeighted[] = [];
  private readonly queues: Fifo[] = [];
  private readonly dists: Distribution[] = [];
  private readonly speed: Float64Array;
  private readonly rngs: readonly Rng[];
  private readonly lanes: (Lane | null)[] = [];

  /** Runs with the request id when its service ends (set once by the data path, see `bind`). */
  private onServiceDone: Handler = unbound;

  /** @param rngs one stream per pod (`pod/<ns>/<name>/service`) */
  constructor(
    private readonly sim: Simulator,
    behaviours: readonly PodBehaviour[],
    rngs: readonly Rng[],
    private readonly requests: RequestTable,
  ) {
    const n = behaviours.length;
    this.concurrency = new Int32Array(n);
    this.queueCapacity = new Float64Array(n);
    this.busy = new Int32Array(n);
    this.speed = new Float64Array(n);
    this.rngs = rngs;
    for (let p = 0; p < n; p++) {
      const b = behaviours[p]!;
      if (!(Number.isInteger(b.concurrency) && b.concurrency >= 1)) {
        throw new RangeError(`pod ${p}: concurrency must be an integer >= 1, got ${b.concurrency}`);
      }
      if (!(b.queueCapacity >= 0)) throw new RangeError(`pod ${p}: queueCapacity must be >= 0, got ${b.queueCapacity}`);
      if (!(b.speed > 0 && Number.isFinite(b.speed))) throw new RangeError(`pod ${p}: speed must be > 0, got ${b.speed}`);
      this.concurrency[p] = b.concurrency;
      this.queueCapacity[p] = b.queueCapacity;
      this.speed[p] = b.speed;
      this.dists.push(b.serviceTime);
      this.queues.push(new Fifo(16));
      this.busyTime.push(new TimeWeighted(0, 0));
      this.queueTime.push(new TimeWeighted(0, 0));
      const c = constantValue(b.serviceTime);
      this.lanes.push(c === c ? sim.lane(c / b.speed) : null);
    }
  }

  /** Sets the handler that runs when a service ends (the data path's, created once). */
  bind(onServiceDone: Handler): void {
    this.onServiceDone = onServiceDone;
  }

  get count(): number {
    return this.busy.length;
  }

  /** Requests waiting (not in service) at pod `p`. */
  waiting(p: number): number {
    return this.queues[p]!.size;
  }

  /** Requests at the pod: in service plus waiting (what least-connection schedulers would like to know). */
  load(p: number): number {
    return this.busy[p]! + this.queues[p]!.size;
  }

  /**
   * A request arrives at pod `p`: served at once when a server is free, queued when there is room, else
   * refused. Returns false when refused.
   */
  admit(p: number, req: number): boolean {
    const now = this.sim.now;
    if (this.busy[p]! < this.concurrency[p]!) {
      this.start(p, req, now);
      return true;
    }
    const q = this.queues[p]!;
    if (q.size >= this.queueCapacity[p]!) return false;
    q.push(req);
    this.queueTime[p]!.update(now, q.size);
    return true;
  }

  /** The request in service at `p` has finished: frees its server and starts the next waiting one. */
  complete(p: number): void {
    const now = this.sim.now;
    const q = this.queues[p]!;
    if (q.size > 0) {
      const next = q.shift();
      this.queueTime[p]!.update(now, q.size);
      // The server goes straight to the next request: busy count unchanged.
      this.busy[p]!--;
      this.start(p, next, now);
    } else {
      this.busy[p]!--;
      this.busyTime[p]!.update(now, this.busy[p]!);
    }
  }

  /** Empties pod `p`'s queue (the pod was killed) and returns the requests that were waiting, in order. */
  clearQueue(p: number): number[] {
    const q = this.queues[p]!;
    const out: number[] = [];
    while (q.size > 0) out.push(q.shift());
    if (out.length > 0) this.queueTime[p]!.update(this.sim.now, 0);
    return out;
  }

  /** Integrals of busy servers and queue length up to `now`, for warm-up truncation snapshots. */
  busyIntegral(p: number, now: Seconds): number {
    return this.busyTime[p]!.integral(now);
  }

  queueIntegral(p: number, now: Seconds): number {
    return this.queueTime[p]!.integral(now);
  }

  private start(p: number, req: number, now: Seconds): void {
    const busy = ++this.busy[p]!;
    this.busyTime[p]!.update(now, busy);
    const reqs = this.requests;
    reqs.serviceStart[req] = now;
    const lane = this.lanes[p]!;
    if (lane !== null) lane.schedule(this.onServiceDone, req);
    else this.sim.schedule(this.dists[p]!.sample(this.rngs[p]!) / this.speed[p]!, this.onServiceDone, req);
  }
}

function unbound(): void {
  throw new Error('PodStations: no service-end handler bound');
}
