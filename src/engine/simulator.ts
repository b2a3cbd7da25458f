import { EventHeap } from './event-heap.js';
import { LaneBuffer } from './lane.js';
import type { Seconds } from './time.js';

/**
 * What an event runs. A handler is created once per entity (a bound method, say), never per event: the
 * per-event payload travels in `arg`, typically the integer id of a request in a struct-of-arrays table.
 * That keeps the hot path free of closures and of garbage.
 */
export type Handler = (arg: number) => void;

/** Opaque handle of a scheduled event, for `cancel`. Stale handles are harmless. */
export type EventId = number;

/** Why `run` returned. */
export type StopReason = 'empty' | 'until' | 'max-events' | 'stopped';

export interface RunLimits {
  /** Run events with time <= until, then set the clock to `until`. */
  until?: Seconds;
  /** Run at most this many events (cancelled events do not count). */
  maxEvents?: number;
}

// An EventId packs (generation, slot): a cancelled or fired slot is reused with a new generation, so an
// old handle can never cancel a newer event that happens to sit in the same slot.
const SLOT_BITS = 2 ** 25;
const GEN_MASK = 2 ** 27 - 1;

function checkDelay(delay: Seconds): void {
  if (!(delay >= 0) || delay === Infinity) throw new RangeError(`delay must be a finite number >= 0, got ${delay}`);
}

/**
 * The discrete-event kernel: a clock, a pending-event set and a loop.
 *
 * Events at equal times run in the order they were scheduled (a global sequence number breaks ties),
 * whether they wait in the heap or in a FIFO lane; that ordering is what makes a run reproducible.
 *
 * Pending events live in a slot pool (handler + argument) referenced from a typed-array heap or from
 * constant-delay lanes; in steady state scheduling allocates nothing.
 */
export class Simulator {
  /** The current simulated time. */
  now: Seconds = 0;
  /** Events run so far (over all calls to `run`). */
  eventsProcessed = 0;

  private readonly heap: EventHeap;
  private readonly lanes: LaneBuffer[] = [];
  private readonly laneByDelay = new Map<number, Lane>();
  private handlers: (Handler | null)[] = [];
  private args: Float64Array;
  private gens: Uint32Array;
  private free: Int32Array;
  private freeCount = 0;
  private slotCount = 0;
  private nextSeq = 0;
  private cancelledPending = 0;
  private stopRequested = false;

  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity);
    this.heap = new EventHeap(cap);
    this.args = new Float64Array(cap);
    this.gens = new Uint32Array(cap);
    this.free = new Int32Array(cap);
  }

  /** Number of events waiting to run (cancelled ones excluded). */
  get pending(): number {
    let n = this.heap.size - this.cancelledPending;
    for (const lane of this.lanes) n += lane.size;
    return n;
  }

  /**
   * Schedules `handler(arg)` to run `delay` seconds from now.
   *
   * Returns nothing, on purpose: an event id is a double beyond V8's small-integer range, and wherever V8
   * does not inline this call it would allocate one per event for a value hardly anyone keeps (measured on
   * the M/M/1 bench: faster without it in 22 of 30 alternating runs, by 5–14 % on average). Use
   * {@link timer} for an event you may cancel.
   */
  schedule(delay: Seconds, handler: Handler, arg = 0): void {
    checkDelay(delay);
    this.push(this.now + delay, handler, arg);
  }

  /** Schedules `handler(arg)` at absolute time `time` (not in the past). */
  scheduleAt(time: Seconds, handler: Handler, arg = 0): void {
    this.checkTime(time);
    this.push(time, handler, arg);
  }

  /** As {@link schedule}, and returns the event's id for {@link cancel} (timeouts). */
  timer(delay: Seconds, handler: Handler, arg = 0): EventId {
    checkDelay(delay);
    return this.idOf(this.push(this.now + delay, handler, arg));
  }

  /** As {@link scheduleAt}, and returns the event's id for {@link cancel}. */
  timerAt(time: Seconds, handler: Handler, arg = 0): EventId {
    this.checkTime(time);
    return this.idOf(this.push(time, handler, arg));
  }

  /**
   * Cancels a pending event scheduled with {@link timer}, {@link timerAt} or {@link Lane.timer}. Returns
   * false when the event already ran, was cancelled, or never existed. The entry stays in its queue and is
   * skipped when it comes up (lazy deletion).
   */
  cancel(id: EventId): boolean {
    const slot = id % SLOT_BITS;
    const gen = Math.floor(id / SLOT_BITS);
    if (slot >= this.slotCount || this.gens[slot] !== gen || this.handlers[slot] === null) return false;
    this.handlers[slot] = null;
    this.cancelledPending++;
    return true;
  }

  /**
   * The FIFO lane for a constant `delay` (one per distinct delay, created on first use). Scheduling on a
   * lane is equivalent to `schedule(delay, ...)` but skips the heap.
   */
  lane(delay: Seconds): Lane {
    if (!(delay >= 0) || delay === Infinity) throw new RangeError(`lane delay must be finite and >= 0, got ${delay}`);
    let lane = this.laneByDelay.get(delay);
    if (lane === undefined) {
      const buffer = new LaneBuffer(delay);
      this.lanes.push(buffer);
      lane = new Lane(this, buffer);
      this.laneByDelay.set(delay, lane);
    }
    return lane;
  }

  /** Asks `run` to return after the current event. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Time of the next pending event, or Infinity when there is none. */
  peekTime(): Seconds {
    this.dropCancelledHeads();
    let t = this.heap.size > 0 ? this.heap.topTime : Infinity;
    for (const lane of this.lanes) if (lane.size > 0 && lane.headTime < t) t = lane.headTime;
    return t;
  }

  /**
   * Runs events in (time, sequence) order until the queue is empty, the time limit is passed, the event
   * budget is spent or `stop()` is called. With `until`, the clock ends at exactly `until` (unless stopped
   * earlier), so back-to-back calls advance time in windows.
   */
  run(limits: RunLimits = {}): StopReason {
    const until = limits.until ?? Infinity;
    const budget = limits.maxEvents ?? Infinity;
    if (until < this.now) throw new RangeError(`until (${until}) is before now (${this.now})`);
    this.stopRequested = false;
    const heap = this.heap;
    const lanes = this.lanes;
    const handlers = this.handlers;
    let done = 0;
    for (;;) {
      // Pick the earliest of the heap top and the lane heads.
      let t = Infinity;
      let s = Infinity;
      let source = -2; // -2 none, -1 heap, i >= 0 lane i
      if (heap.size > 0) {
        t = heap.topTime;
        s = heap.topSeq;
        source = -1;
      }
      for (let i = 0; i < lanes.length; i++) {
        const lane = lanes[i]!;
        if (lane.size === 0) continue;
        const lt = lane.headTime;
        if (lt < t || (lt === t && lane.headSeq < s)) {
          t = lt;
          s = lane.headSeq;
          source = i;
        }
      }
      if (source === -2) {
        if (until !== Infinity) this.now = until;
        this.eventsProcessed += done;
        return 'empty';
      }
      if (t > until) {
        this.now = until;
        this.eventsProcessed += done;
        return 'until';
      }
      if (done >= budget) {
        this.eventsProcessed += done;
        return 'max-events';
      }
      let slot: number;
      if (source === -1) {
        slot = heap.topSlot;
        heap.pop();
      } else {
        const lane = lanes[source]!;
        slot = lane.headSlot;
        lane.shift();
      }
      const handler = handlers[slot];
      const arg = this.args[slot]!;
      this.release(slot);
      if (handler === null) {
        this.cancelledPending--;
        continue;
      }
      this.now = t;
      done++;
      handler(arg);
      if (this.stopRequested) {
        this.eventsProcessed += done;
        return 'stopped';
      }
    }
  }

  /** @internal Used by Lane. */
  allocate(handler: Handler, arg: number): number {
    const slot = this.freeCount > 0 ? this.free[--this.freeCount]! : this.newSlot();
    this.handlers[slot] = handler;
    this.args[slot] = arg;
    return slot;
  }

  /** @internal Used by Lane: the next global sequence number. */
  takeSeq(): number {
    return this.nextSeq++;
  }

  /** @internal */
  idOf(slot: number): EventId {
    return this.gens[slot]! * SLOT_BITS + slot;
  }

  /** Puts an event on the heap; returns its slot. */
  private push(time: number, handler: Handler, arg: number): number {
    const slot = this.allocate(handler, arg);
    this.heap.push(time, this.nextSeq++, slot);
    return slot;
  }

  private checkTime(time: number): void {
    if (!(time >= this.now) || time === Infinity) {
      throw new RangeError(`time must be finite and >= now (${this.now}), got ${time}`);
    }
  }

  private release(slot: number): void {
    this.handlers[slot] = null;
    this.gens[slot] = (this.gens[slot]! + 1) & GEN_MASK;
    this.free[this.freeCount++] = slot;
  }

  private dropCancelledHeads(): void {
    const heap = this.heap;
    while (heap.size > 0 && this.handlers[heap.topSlot] === null) {
      this.release(heap.topSlot);
      heap.pop();
      this.cancelledPending--;
    }
    for (const lane of this.lanes) {
      while (lane.size > 0 && this.handlers[lane.headSlot] === null) {
        this.release(lane.headSlot);
        lane.shift();
        this.cancelledPending--;
      }
    }
  }

  // Out of line: the path that schedules an event stays small enough for V8 to inline into handlers.
  private newSlot(): number {
    if (this.slotCount === this.args.length) this.growSlots();
    return this.slotCount++;
  }

  private growSlots(): void {
    const cap = this.args.length * 2;
    if (cap > SLOT_BITS) throw new RangeError(`more than ${SLOT_BITS} pending events`);
    const args = new Float64Array(cap);
    const gens = new Uint32Array(cap);
    const free = new Int32Array(cap);
    args.set(this.args);
    gens.set(this.gens);
    free.set(this.free);
    this.args = args;
    this.gens = gens;
    this.free = free;
  }
}

/** A handle for scheduling on one constant-delay FIFO lane (see `Simulator.lane`). */
export class Lane {
  constructor(
    private readonly sim: Simulator,
    private readonly buffer: LaneBuffer,
  ) {}

  get delay(): Seconds {
    return this.buffer.delay;
  }

  /** Schedules `handler(arg)` to run `delay` seconds from now (returns nothing: see `Simulator.schedule`). */
  schedule(handler: Handler, arg = 0): void {
    this.push(handler, arg);
  }

  /** As {@link schedule}, and returns the event's id for `Simulator.cancel`. */
  timer(handler: Handler, arg = 0): EventId {
    return this.sim.idOf(this.push(handler, arg));
  }

  private push(handler: Handler, arg: number): number {
    const sim = this.sim;
    const slot = sim.allocate(handler, arg);
    this.buffer.push(sim.now + this.buffer.delay, sim.takeSeq(), slot);
    return slot;
  }
}
