/**
 * A growable first-in first-out queue of numbers on a Float64Array ring buffer.
 *
 * The model keeps requests as integer ids into struct-of-arrays tables, so a queue of waiting requests is
 * a queue of numbers; a ring buffer of them costs no allocation per push once it has grown to size.
 */
export class Fifo {
  private buf: Float64Array;
  private head = 0;
  private n = 0;
  private mask: number;

  constructor(initialCapacity = 16) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.buf = new Float64Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.n;
  }

  push(value: number): void {
    if (this.n === this.buf.length) this.grow();
    this.buf[(this.head + this.n) & this.mask] = value;
    this.n++;
  }

  /** Removes and returns the oldest value; returns NaN when empty (callers check `size` first). */
  shift(): number {
    if (this.n === 0) return NaN;
    const v = this.buf[this.head]!;
    this.head = (this.head + 1) & this.mask;
    this.n--;
    return v;
  }

  /** The oldest value without removing it; NaN when empty. */
  peek(): number {
    return this.n === 0 ? NaN : this.buf[this.head]!;
  }

  /** The i-th oldest value (0 = head). */
  at(i: number): number {
    return this.buf[(this.head + i) & this.mask]!;
  }

  clear(): void {
    this.head = 0;
    this.n = 0;
  }

  private grow(): void {
    const old = this.buf;
    const cap = old.length * 2;
    const buf = new Float64Array(cap);
    for (let i = 0; i < this.n; i++) buf[i] = old[(this.head + i) & this.mask]!;
    this.buf = buf;
    this.head = 0;
    this.mask = cap - 1;
  }
}
