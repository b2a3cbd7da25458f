/**
 * One sidecar's view of its destination's endpoints: which it may pick (not ejected by outlier detection,
 * not in a failure-accrual penalty, its pod accepting), and how many requests it has in flight to each
 * (Envoy's `rq_active`, tower's pending count: what least request and Peak EWMA weigh).
 *
 * The pickable endpoints are kept in a dense list (swap-remove), so a uniform draw among them is O(1). A
 * pod's state (a timeline's rollouts and deletions) is read from the data plane's view when a draw lands on
 * it: a pod that no longer accepts is passed over (the sidecar's EDS / destination watch drops it), by a
 * few redraws and then a scan, so nothing here allocates per request.
 */
import type { Rng } from '../../engine/random.js';
import { PodState } from '../control/views.js';

/** Redraws before a pick scans the list for a pod that accepts (only a timeline's dying pods cause them). */
const REDRAWS = 4;

export class MeshHosts {
  /** Endpoints (index into the destination's endpoint list). */
  readonly size: number;
  /** Pod of each endpoint. */
  readonly pod: Int32Array;
  /** Requests sent to each endpoint and not yet answered (or refused). */
  readonly pending: Int32Array;
  /** Pickable endpoints, dense; `slot[e]` is e's place there, −1 when taken out. */
  private readonly list: Int32Array;
  private readonly slot: Int32Array;
  private count: number;

  constructor(
    pods: ArrayLike<number>,
    /** The data plane's pod states (control/views.ts). */
    private readonly podState: Uint8Array,
    /** Whether each endpoint starts pickable (ready, placed). */
    initial: (e: number) => boolean,
  ) {
    const n = (this.size = pods.length);
    this.pod = Int32Array.from(pods);
    this.pending = new Int32Array(n);
    this.list = new Int32Array(n);
    this.slot = new Int32Array(n).fill(-1);
    this.count = 0;
    for (let e = 0; e < n; e++) if (initial(e)) this.add(e);
  }

  /** Endpoints that are pickable as far as ejection and penalties go. */
  get pickable(): number {
    return this.count;
  }

  isIn(e: number): boolean {
    return this.slot[e]! >= 0;
  }

  /** Whether `e` may take a request now: pickable and its pod accepting. */
  usable(e: number): boolean {
    return this.slot[e]! >= 0 && this.podState[this.pod[e]!] === PodState.Accepting;
  }

  /** Takes `e` out of the pickable list (ejected, in penalty). */
  remove(e: number): void {
    const i = this.slot[e]!;
    if (i < 0) return;
    const last = this.list[--this.count]!;
    this.list[i] = last;
    this.slot[last] = i;
    this.slot[e] = -1;
  }

  /** Puts `e` back. */
  add(e: number): void {
    if (this.slot[e]! >= 0) return;
    this.list[this.count] = e;
    this.slot[e] = this.count++;
  }

  /** A uniformly random usable endpoint (as `rng() * n` draws), −1 when there is none. */
  draw(rng: Rng): number {
    const n = this.count;
    if (n === 0) return -1;
    for (let k = 0; k < REDRAWS; k++) {
      const e = this.list[Math.floor(rng() * n)]!;
      if (this.podState[this.pod[e]!] === PodState.Accepting) return e;
    }
    return this.scan(rng, -1);
  }

  /**
   * A usable endpoint other than `other`, uniformly among them (as linkerd's `gen_pair`: the second index is
   * drawn among n − 1 and shifted past the first); −1 when there is none.
   */
  drawOther(rng: Rng, other: number): number {
    const n = this.count;
    const at = other >= 0 ? this.slot[other]! : -1;
    if (at < 0) return this.draw(rng);
    if (n < 2) return -1;
    for (let k = 0; k < REDRAWS; k++) {
      let i = Math.floor(rng() * (n - 1));
      if (i >= at) i++;
      const e = this.list[i]!;
      if (this.podState[this.pod[e]!] === PodState.Accepting) return e;
    }
    return this.scan(rng, other);
  }

  /** The slow way (pods going away): the k-th usable endpoint other than `other`, k uniform. */
  private scan(rng: Rng, other: number): number {
    let usable = 0;
    for (let i = 0; i < this.count; i++) {
      const e = this.list[i]!;
      if (e !== other && this.podState[this.pod[e]!] === PodState.Accepting) usable++;
    }
    if (usable === 0) return -1;
    let k = Math.floor(rng() * usable);
    for (let i = 0; i < this.count; i++) {
      const e = this.list[i]!;
      if (e !== other && this.podState[this.pod[e]!] === PodState.Accepting && k-- === 0) return e;
    }
    return -1;
  }
}
