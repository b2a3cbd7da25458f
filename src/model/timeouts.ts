/**
 * Client timeouts without one event per request.
 *
 * A client's timeout is a constant, so its attempts' deadlines fall in the order the attempts were sent. A
 * `Deadlines` queue keeps (request, attempt serial, deadline) in a ring buffer and holds at most one timer
 * event. When it fires it pops heads in order: a disarmed one (answered, or its row reused by another
 * attempt: another serial) leaves whatever its deadline; an armed one expires if due, else it is where the
 * timer is set next. Responses therefore cost nothing here, and the timer fires about once per timeout
 * period plus once per real expiry, instead of once per request (a scheduled-then-cancelled event per
 * request would add a fifth kernel event to the four of a request on a kept-alive connection). Expiry
 * times are exact: an attempt expires at its send time + timeout.
 */
import type { Handler, Simulator } from '../engine/simulator.js';
import type { Seconds } from '../engine/time.js';
import { RequestFlag, type RequestTable } from './requests.js';

export class Deadlines {
  private ids: Int32Array;
  private serials: Float64Array;
  private due: Float64Array;
  private head = 0;
  private n = 0;
  private mask: number;
  private timerSet = false;

  constructor(
    private readonly sim: Simulator,
    readonly timeout: Seconds,
    private readonly reqs: RequestTable,
    /** Runs for each request whose deadline passed while armed (after disarming it). */
    private readonly onExpire: Handler,
    /** The flag bit that says "armed" (the client's `Armed`; a Gateway route's deadline uses `GatewayArmed`). */
    private readonly bit: number = RequestFlag.Armed,
  ) {
    if (!(timeout >= 0 && Number.isFinite(timeout))) throw new RangeError(`timeout must be finite and >= 0, got ${timeout}`);
    const cap = 64;
    this.ids = new Int32Array(cap);
    this.serials = new Float64Array(cap);
    this.due = new Float64Array(cap);
    this.mask = cap - 1;
  }

  /** Arms the timeout of attempt `req`, sent now. */
  arm(req: number): void {
    const reqs = this.reqs;
    reqs.flags[req]! |= this.bit;
    if (this.n === this.ids.length) this.grow();
    const i = (this.head + this.n) & this.mask;
    const due = this.sim.now + this.timeout;
    this.ids[i] = req;
    this.serials[i] = reqs.serial[req]!;
    this.due[i] = due;
    this.n++;
    if (!this.timerSet) {
      this.timerSet = true;
      this.sim.scheduleAt(due, this.onTimer, 0);
    }
  }

  private readonly onTimer = (): void => {
    // `timerSet` stays true while expiring, so a retry armed from `onExpire` does not set a second timer
    // (possibly later than the next head's deadline); the timer is set once, below.
    const reqs = this.reqs;
    const now = this.sim.now;
    while (this.n > 0) {
      const h = this.head;
      const id = this.ids[h]!;
      const live = reqs.serial[id] === this.serials[h]! && (reqs.flags[id]! & this.bit) !== 0;
      // Disarmed entries (answered, or rows reused) leave whatever their deadline: the next wake-up is
      // then set at the oldest attempt still waiting, not at every request's deadline in turn.
      if (live && this.due[h]! > now) break;
      this.head = (h + 1) & this.mask;
      this.n--;
      if (live) {
        reqs.flags[id]! &= ~this.bit;
        this.onExpire(id);
      }
    }
    if (this.n > 0) this.sim.scheduleAt(this.due[this.head]!, this.onTimer, 0);
    else this.timerSet = false;
  };

  private grow(): void {
    const cap = this.ids.length * 2;
    const ids = new Int32Array(cap);
    const serials = new Float64Array(cap);
    const due = new Float64Array(cap);
    for (let k = 0; k < this.n; k++) {
      const i = (this.head + k) & this.mask;
      ids[k] = this.ids[i]!;
      serials[k] = this.serials[i]!;
      due[k] = this.due[i]!;
    }
    this.ids = ids;
    this.serials = serials;
    this.due = due;
    this.head = 0;
    this.mask = cap - 1;
  }
}
