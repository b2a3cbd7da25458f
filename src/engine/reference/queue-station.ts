/**
 * A G/G/c/K queueing station built on the kernel: the smallest complete simulation, used to prove the
 * engine against queueing theory (test/engine/reference) and to measure its speed (bench/).
 *
 * It is written the way the model uses the engine: handlers bound once, the per-event payload in `arg` is
 * a small integer (a customer's slot in a typed array), a ring buffer for the queue. Integers matter: V8
 * passes a small integer unboxed, while a double argument is boxed in a fresh heap number per event.
 */
import type { Distribution } from '../distributions/index.js';
import { Fifo } from '../fifo.js';
import type { Rng } from '../random.js';
import { Simulator } from '../simulator.js';
import { LatencyHistogram } from '../stats/latency-histogram.js';
import { RunningStats } from '../stats/running-stats.js';
import { TimeWeighted } from '../stats/time-weighted.js';
import type { Seconds } from '../time.js';

export interface StationConfig {
  readonly interarrival: Distribution;
  readonly service: Distribution;
  /** Servers (c). */
  readonly servers: number;
  /** Most customers in the system, in service plus waiting (K); Infinity for none. */
  readonly capacity: number;
  /** Arrivals to generate; the run ends when all have left or been blocked. */
  readonly customers: number;
  /** Arrivals excluded from statistics while the station fills from empty. */
  readonly warmupCustomers: number;
  readonly arrivalRng: Rng;
  readonly serviceRng: Rng;
}

export interface StationResult {
  readonly arrivals: number;
  readonly blocked: number;
  /** Among counted arrivals (after warm-up). */
  readonly blockingProbability: number;
  /** Fraction of counted, admitted customers that had to wait. */
  readonly waitProbability: number;
  readonly wait: RunningStats;
  readonly sojourn: RunningStats;
  readonly sojournHistogram: LatencyHistogram;
  /** Time-average number of busy servers over the counted period. */
  readonly meanBusy: number;
  readonly events: number;
  readonly simulatedTime: Seconds;
}

/** Runs one station to completion on a fresh simulator. */
export function runStation(config: StationConfig): StationResult {
  return new Station(config).run();
}

class Station {
  private readonly sim = new Simulator();
  /** Customers waiting, by slot. */
  private readonly waiting = new Fifo(1024);
  /** Arrival time of the customer in each slot; slots are recycled through `freeSlots`. */
  private arrivedAt = new Float64Array(1024);
  private readonly freeSlots = new Fifo(1024);
  private slotsUsed = 0;
  private readonly wait = new RunningStats();
  private readonly sojourn = new RunningStats();
  private readonly histogram = new LatencyHistogram();
  private readonly busyTime = new TimeWeighted();
  private busy = 0;
  private arrivals = 0;
  private blocked = 0;
  private counted = 0;
  private countedBlocked = 0;
  private waited = 0;
  private countFrom = Infinity;
  // Bound once: the kernel calls them with the customer's slot as the argument.
  private readonly onArrival = (): void => this.arrive();
  private readonly onDeparture = (slot: number): void => this.depart(slot);

  constructor(private readonly config: StationConfig) {
    if (!(config.servers >= 1)) throw new RangeError('a station needs at least one server');
  }

  run(): StationResult {
    const { config, sim } = this;
    if (config.warmupCustomers === 0) this.startCounting();
    sim.schedule(config.interarrival.sample(config.arrivalRng), this.onArrival);
    sim.run();
    const blockedBase = this.counted;
    return {
      arrivals: this.arrivals,
      blocked: this.blocked,
      blockingProbability: blockedBase > 0 ? this.countedBlocked / blockedBase : NaN,
      waitProbability: this.wait.count > 0 ? this.waited / this.wait.count : NaN,
      wait: this.wait,
      sojourn: this.sojourn,
      sojournHistogram: this.histogram,
      meanBusy: this.busyTime.mean(sim.now),
      events: sim.eventsProcessed,
      simulatedTime: sim.now,
    };
  }

  private startCounting(): void {
    this.countFrom = this.sim.now;
    this.busyTime.reset(this.sim.now);
    this.busyTime.update(this.sim.now, this.busy);
  }

  private arrive(): void {
    const { config, sim } = this;
    const now = sim.now;
    this.arrivals++;
    if (this.arrivals === config.warmupCustomers + 1) this.startCounting();
    const counting = now >= this.countFrom;
    if (counting) this.counted++;
    if (this.busy + this.waiting.size >= config.capacity) {
      this.blocked++;
      if (counting) this.countedBlocked++;
    } else {
      const slot = this.takeSlot(now);
      if (this.busy < config.servers) {
        this.setBusy(now, this.busy + 1);
        this.startService(slot, now);
      } else this.waiting.push(slot);
    }
    if (this.arrivals < config.customers) sim.schedule(config.interarrival.sample(config.arrivalRng), this.onArrival);
  }

  private takeSlot(now: number): number {
    let slot: number;
    if (this.freeSlots.size > 0) slot = this.freeSlots.shift();
    else {
      if (this.slotsUsed === this.arrivedAt.length) {
        const grown = new Float64Array(this.arrivedAt.length * 2);
        grown.set(this.arrivedAt);
        this.arrivedAt = grown;
      }
      slot = this.slotsUsed++;
    }
    this.arrivedAt[slot] = now;
    return slot;
  }

  /** A server takes the customer in `slot`; the caller has counted the server busy. */
  private startService(slot: number, now: number): void {
    const arrivedAt = this.arrivedAt[slot]!;
    if (arrivedAt >= this.countFrom) {
      const w = now - arrivedAt;
      this.wait.add(w);
      if (w > 0) this.waited++;
    }
    this.sim.schedule(this.config.service.sample(this.config.serviceRng), this.onDeparture, slot);
  }

  private depart(slot: number): void {
    const now = this.sim.now;
    const arrivedAt = this.arrivedAt[slot]!;
    this.freeSlots.push(slot);
    if (arrivedAt >= this.countFrom) {
      const s = now - arrivedAt;
      this.sojourn.add(s);
      this.histogram.record(s);
    }
    // The server goes straight on to the next customer when one waits: the busy count does not change,
    // so there is nothing to add to its time average.
    if (this.waiting.size > 0) this.startService(this.waiting.shift(), now);
    else this.setBusy(now, this.busy - 1);
  }

  private setBusy(now: number, busy: number): void {
    this.busy = busy;
    if (now >= this.countFrom) this.busyTime.update(now, busy);
  }
}
