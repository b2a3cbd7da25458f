/**
 * A binary min-heap of pending events, ordered by (time, sequence), stored as parallel typed arrays.
 *
 * Why struct-of-arrays: an object per event makes the heap a pointer chase and feeds the garbage collector
 * one object per event. Measured on this machine (docs/benchmarks.md), an object heap falls from ~3.5 M to
 * ~0.3 M ops/s as the queue grows to 1 M entries; keeping keys in Float64Arrays keeps it above 1.5 M/s.
 *
 * Each entry carries a `slot`: the index of the event's record (handler and argument) in the simulator's
 * slot pool. The heap itself knows nothing of handlers.
 *
 * The sequence number breaks ties, so events at equal times leave in the order they were scheduled: that
 * is what makes runs deterministic.
 */
export class EventHeap {
  private time: Float64Array;
  private seq: Float64Array;
  private slot: Int32Array;
  private n = 0;

  constructor(initialCapacity = 1024) {
    // Stryker disable next-line MethodExpression: a smaller first array only means an earlier grow(); the order is the same
    const cap = Math.max(16, initialCapacity);
    this.time = new Float64Array(cap);
    this.seq = new Float64Array(cap);
    this.slot = new Int32Array(cap);
  }

  get size(): number {
    return this.n;
  }

  /** Time of the earliest entry; only meaningful when size > 0. */
  get topTime(): number {
    return this.time[0]!;
  }

  get topSeq(): number {
    return this.seq[0]!;
  }

  get topSlot(): number {
    return this.slot[0]!;
  }

  push(t: number, s: number, slot: number): void {
    if (this.n === this.time.length) this.grow();
    const time = this.time;
    const seq = this.seq;
    const slots = this.slot;
    // Sift up: move parents down until the hole is where the new entry belongs.
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = time[p]!;
      if (pt < t || (pt === t && seq[p]! < s)) break;
      time[i] = pt;
      seq[i] = seq[p]!;
      slots[i] = slots[p]!;
      i = p;
    }
    time[i] = t;
    seq[i] = s;
    slots[i] = slot;
  }

  /** Removes the earliest entry. Read topTime/topSeq/topSlot before calling. */
  pop(): void {
    const last = --this.n;
    if (last === 0) return;
    const time = this.time;
    const seq = this.seq;
    const slots = this.slot;
    const t = time[last]!;
    const s = seq[last]!;
    const sl = slots[last]!;
    // Sift down the former last entry from the root.
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      let ct = time[c]!;
      let cs = seq[c]!;
      const r = c + 1;
      if (r < last) {
        const rt = time[r]!;
        const rs = seq[r]!;
        if (rt < ct || (rt === ct && rs < cs)) {
          c = r;
          ct = rt;
          cs = rs;
        }
      }
      if (t < ct || (t === ct && s < cs)) break;
      time[i] = ct;
      seq[i] = cs;
      slots[i] = slots[c]!;
      i = c;
    }
    time[i] = t;
    seq[i] = s;
    slots[i] = sl;
  }

  clear(): void {
    this.n = 0;
  }

  private grow(): void {
    const cap = this.time.length * 2;
    const time = new Float64Array(cap);
    const seq = new Float64Array(cap);
    const slot = new Int32Array(cap);
    time.set(this.time);
    seq.set(this.seq);
    slot.set(this.slot);
    this.time = time;
    this.seq = seq;
    this.slot = slot;
  }
}
