/**
 * Multi-server FIFO queues for jobs that are not requests (DNS queries at CoreDNS pods): like PodStations,
 * but the caller decides each job's service time when its service starts (a cache hit or a miss), through
 * a hook bound once. Job ids belong to the caller's table.
 *
 * `StationGroup` is what the metrics need of any set of stations to report utilisation over a window:
 * PodStations is one too.
 */
import { Fifo } from '../engine/fifo.js';
import type { Handler, Simulator } from '../engine/simulator.js';
import { TimeWeighted } from '../engine/stats/time-weighted.js';
import type { Seconds } from '../engine/time.js';

/** Time integrals of busy servers and waiting jobs per station (utilisation over any window). */
export interface StationGroup {
  readonly count: number;
  readonly concurrency: Int32Array;
  busyIntegral(station: number, now: Seconds): number;
  queueIntegral(station: number, now: Seconds): number;
}

export class JobStations implements StationGroup {
  readonly concurrency: Int32Array;
  readonly busy: Int32Array;
  private readonly capacity: Float64Array;
  private readonly queues: Fifo[] = [];
  private readonly busyTime: TimeWeighted[] = [];
  private readonly queueTime: TimeWeighted[] = [];

  /**
   * @param serviceTime the service time of `job` at `station`, called when its service starts
   * @param onDone      runs with the job id when its service ends (call `complete(station)` from it)
   */
  constructor(
    private readonly sim: Simulator,
    concurrency: readonly number[],
    queueCapacity: readonly number[],
    private readonly serviceTime: (station: number, job: number) => Seconds,
    private readonly onDone: Handler,
  ) {
    const n = concurrency.length;
    this.concurrency = Int32Array.from(concurrency);
    this.capacity = Float64Array.from(queueCapacity);
    this.busy = new Int32Array(n);
    for (let s = 0; s < n; s++) {
      if (!(Number.isInteger(concurrency[s]) && concurrency[s]! >= 1)) {
        throw new RangeError(`station ${s}: concurrency must be an integer >= 1, got ${concurrency[s]}`);
      }
      this.queues.push(new Fifo(16));
      this.busyTime.push(new TimeWeighted(0, 0));
      this.queueTime.push(new TimeWeighted(0, 0));
    }
  }

  get count(): number {
    return this.busy.length;
  }

  /** A job arrives: served at once, queued, or refused (returns false) when the queue is full. */
  admit(s: number, job: number): boolean {
    const now = this.sim.now;
    if (this.busy[s]! < this.concurrency[s]!) {
      this.start(s, job, now);
      return true;
    }
    const q = this.queues[s]!;
    if (q.size >= this.capacity[s]!) return false;
    q.push(job);
    this.queueTime[s]!.update(now, q.size);
    return true;
  }

  /** The job in service at `s` ended: the server takes the next waiting one. */
  complete(s: number): void {
    const now = this.sim.now;
    const q = this.queues[s]!;
    this.busy[s]!--;
    if (q.size > 0) {
      const next = q.shift();
      this.queueTime[s]!.update(now, q.size);
      this.start(s, next, now);
    } else {
      this.busyTime[s]!.update(now, this.busy[s]!);
    }
  }

  busyIntegral(s: number, now: Seconds): number {
    return this.busyTime[s]!.integral(now);
  }

  queueIntegral(s: number, now: Seconds): number {
    return this.queueTime[s]!.integral(now);
  }

  private start(s: number, job: number, now: Seconds): void {
    const busy = ++this.busy[s]!;
    this.busyTime[s]!.update(now, busy);
    this.sim.schedule(this.serviceTime(s, job), this.onDone, job);
  }
}
