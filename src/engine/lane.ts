/**
 * A FIFO lane: pending events that all share one constant delay.
 *
 * Events scheduled with the same fixed delay become due in the order they were scheduled (the clock never
 * goes back), so they need no heap: a ring buffer already holds them sorted by (time, sequence). The
 * simulator compares lane heads with the heap top when it picks the next event. Measured gain on a
 * network model with constant link latencies: see docs/benchmarks.md.
 */
export class LaneBuffer {
  private time: Float64Array;
  private seq: Float64Array;
  private slot: Int32Array;
  private head = 0;
  private n = 0;
  private mask: number;

  constructor(readonly delay: number) {
    const cap = 64;
    this.time = new Float64Array(cap);
    this.seq = new Float64Array(cap);
    this.slot = new Int32Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.n;
  }

  get headTime(): number {
    return this.time[this.head]!;
  }

  get headSeq(): number {
    return this.seq[this.head]!;
  }

  get headSlot(): number {
    return this.slot[this.head]!;
  }

  push(t: number, s: number, slot: number): void {
    if (this.n === this.time.length) this.grow();
    const i = (this.head + this.n) & this.mask;
    this.time[i] = t;
    this.seq[i] = s;
    this.slot[i] = slot;
    this.n++;
  }

  shift(): void {
    this.head = (this.head + 1) & this.mask;
    this.n--;
  }

  private grow(): void {
    const cap = this.time.length * 2;
    const time = new Float64Array(cap);
    const seq = new Float64Array(cap);
    const slot = new Int32Array(cap);
    for (let k = 0; k < this.n; k++) {
      const i = (this.head + k) & this.mask;
      time[k] = this.time[i]!;
      seq[k] = this.seq[i]!;
      slot[k] = this.slot[i]!;
    }
    this.time = time;
    this.seq = seq;
    this.slot = slot;
    this.head = 0;
    this.mask = cap - 1;
  }
}
