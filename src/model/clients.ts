/**
 * Clients: when requests are sent, and on which connection.
 *
 * Arrivals
 * - open loop: requests arrive with independent inter-arrival draws whatever the responses do (no
 *   coordinated omission); the first arrives one draw after time 0;
 * - open loop with a rate profile (load that varies): a non-homogeneous Poisson process drawn by inversion,
 *   one unit exponential per arrival from the same stream: the next arrival after t is the t' with
 *   Λ(t') − Λ(t) = e (engine/rate-profile.ts); a profile that is 0 for ever ends the client's arrivals;
 * - closed loop: `users` each send, wait for the outcome (response or final failure), think, send again;
 *   each user starts after one think-time draw.
 *
 * Connections
 * - per-request: a new connection for every attempt, closed when it ends (kube-proxy balances every request);
 * - keep-alive: an idle connection is reused when there is one (most recently used first, as Go's and most
 *   HTTP/1.1 pools do), else a new one is opened; one request at a time; closed after N requests;
 * - pool: a fixed set of multiplexed connections (HTTP/2, gRPC) used round-robin, any number of requests at
 *   once; a slot whose connection failed or was closed is reopened on its next turn.
 * Idle connections never time out (no idle timer is modelled).
 *
 * Each new connection takes the next of the client's `sourceIPs` (round-robin) and, for NodePort or
 * externalIP entry, the next target node (round-robin over `target.nodes`, all nodes when empty).
 *
 * Arrival handlers are created once; the event argument is the client (open loop) or the user (closed).
 */
import type { Distribution } from '../engine/distributions/distribution.js';
import type { Rng } from '../engine/random.js';
import type { RateProfile } from '../engine/rate-profile.js';
import type { Simulator } from '../engine/simulator.js';
import { ConnState, type ConnectionTable } from './connections.js';

export const ConnMode = { PerRequest: 0, KeepAlive: 1, Pool: 2 } as const;

/** What a client needs from the data path. */
export interface RequestSink {
  /** Whether new requests may still be generated. */
  readonly generating: boolean;
  /** A client (and for closed loops, one of its users) sends a new logical request now. */
  generate(client: number, user: number): void;
}

export interface ClientConfig {
  readonly name: string;
  readonly open: boolean;
  /** Inter-arrival (open) or think time (closed). */
  readonly gap: Distribution;
  readonly users: number;
  readonly mode: number;
  /** Requests per keep-alive connection, or pool size. */
  readonly modeParam: number;
  readonly sourceIPs: number;
  readonly arrivalRng: Rng;
  /** Open loop: a rate that varies over time (then `gap` is not used for arrivals). */
  readonly profile?: RateProfile | null;
}

export class Clients {
  readonly count: number;
  readonly names: readonly string[];
  /** Closed-loop users: client of each global user index. */
  readonly userClient: Int32Array;
  /** First global source-IP index of each client. */
  readonly ipBase: Int32Array;
  /** Connections opened per client. */
  readonly opened: Float64Array;
  readonly mode: Uint8Array;
  private readonly modeParam: Float64Array;
  private readonly sourceIPs: Int32Array;
  private readonly ipCursor: Int32Array;
  private readonly gaps: Distribution[];
  private readonly rngs: Rng[];
  private readonly isOpen: Uint8Array;
  /** Open clients' rate profiles (null: inter-arrival draws), and the time of each one's last arrival. */
  private readonly profiles: (RateProfile | null)[];
  private readonly lastArrival: Float64Array;
  /** Keep-alive idle connections per client (stack, most recent on top). */
  private readonly idle: number[][] = [];
  /** Pool slots per client (conn id or −1) and round-robin cursor. */
  private readonly pools: Int32Array[] = [];
  private readonly poolCursor: Int32Array;
  /** Set by `acquire`: whether the connection it returned is new. */
  acquiredNew = false;

  constructor(
    private readonly sim: Simulator,
    configs: readonly ClientConfig[],
    private readonly conns: ConnectionTable,
  ) {
    const n = (this.count = configs.length);
    this.names = configs.map((c) => c.name);
    this.ipBase = new Int32Array(n);
    this.opened = new Float64Array(n);
    this.mode = new Uint8Array(n);
    this.modeParam = new Float64Array(n);
    this.sourceIPs = new Int32Array(n);
    this.ipCursor = new Int32Array(n);
    this.isOpen = new Uint8Array(n);
    this.poolCursor = new Int32Array(n);
    this.gaps = configs.map((c) => c.gap);
    this.rngs = configs.map((c) => c.arrivalRng);
    this.profiles = configs.map((c) => (c.open && c.profile ? c.profile : null));
    this.lastArrival = new Float64Array(n);
    let ips = 0;
    let users = 0;
    configs.forEach((c, i) => {
      if (!(Number.isInteger(c.sourceIPs) && c.sourceIPs >= 1)) {
        throw new RangeError(`client '${c.name}': sourceIPs must be an integer >= 1, got ${c.sourceIPs}`);
      }
      if (!(Number.isInteger(c.modeParam) && c.modeParam >= 1)) {
        throw new RangeError(`client '${c.name}': connection parameter must be an integer >= 1, got ${c.modeParam}`);
      }
      this.ipBase[i] = ips;
      ips += c.sourceIPs;
      this.sourceIPs[i] = c.sourceIPs;
      this.mode[i] = c.mode;
      this.modeParam[i] = c.modeParam;
      this.isOpen[i] = c.open ? 1 : 0;
      this.idle.push([]);
      this.pools.push(new Int32Array(c.mode === ConnMode.Pool ? c.modeParam : 0).fill(-1));
      if (!c.open) users += c.users;
    });
    this.userClient = new Int32Array(users);
    let u = 0;
    configs.forEach((c, i) => {
      if (!c.open) for (let k = 0; k < c.users; k++) this.userClient[u++] = i;
    });
  }

  /** Schedules every client's first arrival (open) or every user's first send (closed). */
  start(sink: RequestSink): void {
    this.sink = sink;
    for (let c = 0; c < this.count; c++) {
      if (this.isOpen[c] !== 1) continue;
      if (this.profiles[c] !== null) this.scheduleProfiled(c, 0);
      else this.sim.schedule(this.gaps[c]!.sample(this.rngs[c]!), this.onArrival, c);
    }
    for (let u = 0; u < this.userClient.length; u++) {
      const c = this.userClient[u]!;
      this.sim.schedule(this.gaps[c]!.sample(this.rngs[c]!), this.onUserSend, u);
    }
  }

  /** A closed-loop user's request ended (completed or given up): think, then send again. */
  userDone(user: number): void {
    if (!this.sink.generating) return;
    const c = this.userClient[user]!;
    this.sim.schedule(this.gaps[c]!.sample(this.rngs[c]!), this.onUserSend, user);
  }

  private sink: RequestSink = { generating: false, generate: () => undefined };

  private readonly onArrival = (c: number): void => {
    const sink = this.sink;
    if (!sink.generating) return;
    sink.generate(c, -1);
    if (sink.generating) this.sim.schedule(this.gaps[c]!.sample(this.rngs[c]!), this.onArrival, c);
  };

  /** A client with a rate profile: Λ(t') − Λ(t) = one unit exponential draw; nothing when Λ runs out. */
  private scheduleProfiled(c: number, t: number): void {
    // 1 − u lies in (0, 1], so the draw is finite (as in Exponential).
    const e = -Math.log(1 - this.rngs[c]!());
    const next = this.profiles[c]!.nextArrival(t, e);
    if (!(next < Infinity)) return;
    this.lastArrival[c] = next;
    this.sim.scheduleAt(next, this.onProfiledArrival, c);
  }

  private readonly onProfiledArrival = (c: number): void => {
    const sink = this.sink;
    if (!sink.generating) return;
    sink.generate(c, -1);
    if (sink.generating) this.scheduleProfiled(c, this.lastArrival[c]!);
  };

  private readonly onUserSend = (u: number): void => {
    if (!this.sink.generating) return;
    this.sink.generate(this.userClient[u]!, u);
  };

  /**
   * The connection for client `c`'s next attempt: reused or newly allocated (then `acquiredNew` is true and
   * the caller initialises its way in).
   */
  acquire(c: number, now: number): number {
    const conns = this.conns;
    const mode = this.mode[c]!;
    if (mode === ConnMode.KeepAlive) {
      const stack = this.idle[c]!;
      if (stack.length > 0) {
        this.acquiredNew = false;
        return stack.pop()!;
      }
    } else if (mode === ConnMode.Pool) {
      const pool = this.pools[c]!;
      const slot = this.poolCursor[c]!;
      this.poolCursor[c] = slot + 1 === pool.length ? 0 : slot + 1;
      const id = pool[slot]!;
      if (id >= 0 && conns.state[id] !== ConnState.Closed) {
        this.acquiredNew = false;
        return id;
      }
      const fresh = this.open(c, now);
      pool[slot] = fresh;
      conns.poolSlot[fresh] = slot;
      return fresh;
    }
    return this.open(c, now);
  }

  /**
   * An attempt on an established connection ended (response, or refusal by a full pod). Returns true when
   * the connection should now be closed.
   */
  attemptEnded(c: number, conn: number): boolean {
    const mode = this.mode[c]!;
    if (mode === ConnMode.PerRequest) return true;
    if (mode === ConnMode.KeepAlive) {
      if (this.conns.served[conn]! >= this.modeParam[c]!) return true;
      this.idle[c]!.push(conn);
    }
    return false;
  }

  /** Takes an idle keep-alive connection out of the client's idle stack (its server closed it). */
  forgetIdle(c: number, conn: number): void {
    const idle = this.idle[c]!;
    const i = idle.lastIndexOf(conn);
    if (i >= 0) idle.splice(i, 1);
  }

  /** Forgets a closed connection (pool slot). */
  closed(c: number, conn: number): void {
    const slot = this.conns.poolSlot[conn]!;
    if (slot >= 0) {
      const pool = this.pools[c]!;
      if (pool[slot] === conn) pool[slot] = -1;
      this.conns.poolSlot[conn] = -1;
    }
  }

  /** Whether a timed-out request's connection is abandoned with it (HTTP/1.x) rather than kept (HTTP/2). */
  closesOnTimeout(c: number): boolean {
    return this.mode[c] !== ConnMode.Pool;
  }

  isOpenLoop(c: number): boolean {
    return this.isOpen[c] === 1;
  }

  private open(c: number, now: number): number {
    const k = this.ipCursor[c]!;
    this.ipCursor[c] = k + 1 === this.sourceIPs[c]! ? 0 : k + 1;
    this.opened[c]!++;
    this.acquiredNew = true;
    return this.conns.allocate(c, this.ipBase[c]! + k, now);
  }
}
