/**
 * The design we did not choose, kept to measure against: a binary heap of one object per event, the
 * shape most JavaScript DES libraries use. bench/engine.bench.ts runs the same hold model on it.
 */
interface ObjectEvent {
  time: number;
  seq: number;
  handler: (arg: number) => void;
  arg: number;
}

export class ObjectHeap {
  private items: ObjectEvent[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(time: number, handler: (arg: number) => void, arg: number): void {
    const e: ObjectEvent = { time, seq: this.seq++, handler, arg };
    const a = this.items;
    let i = a.length;
    a.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pe = a[p]!;
      if (pe.time < time || (pe.time === time && pe.seq < e.seq)) break;
      a[i] = pe;
      i = p;
    }
    a[i] = e;
  }

  pop(): ObjectEvent | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    const n = a.length;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && (a[r]!.time < a[c]!.time || (a[r]!.time === a[c]!.time && a[r]!.seq < a[c]!.seq))) c = r;
      const ce = a[c]!;
      if (last.time < ce.time || (last.time === ce.time && last.seq < ce.seq)) break;
      a[i] = ce;
      i = c;
    }
    a[i] = last;
    return top;
  }
}
