/**
 * The event heap hands entries back in (time, sequence) order: earliest time first, and at equal times the
 * one scheduled first. Checked against a sorted list on interleaved pushes and pops, through growth.
 */
import { describe, expect, test } from 'vitest';
import { EventHeap } from '../../src/engine/event-heap.js';

interface Entry {
  readonly t: number;
  readonly s: number;
  readonly slot: number;
}

function popAll(h: EventHeap): Entry[] {
  const out: Entry[] = [];
  while (h.size > 0) {
    out.push({ t: h.topTime, s: h.topSeq, slot: h.topSlot });
    h.pop();
  }
  return out;
}

const byTimeThenSeq = (a: Entry, b: Entry): number => a.t - b.t || a.s - b.s;

/** A small deterministic generator (LCG) so the test needs no engine code besides the heap. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 4294967296;
  };
}

describe('EventHeap', () => {
  test('pops in time order, carrying each entry\'s slot', () => {
    const h = new EventHeap();
    const times = [5, 1, 4, 2, 3];
    times.forEach((t, i) => h.push(t, i, 100 + i));
    expect(h.size).toBe(5);
    expect(popAll(h)).toEqual([
      { t: 1, s: 1, slot: 101 },
      { t: 2, s: 3, slot: 103 },
      { t: 3, s: 4, slot: 104 },
      { t: 4, s: 2, slot: 102 },
      { t: 5, s: 0, slot: 100 },
    ]);
  });

  test('equal times leave in sequence order, whatever order they were pushed in', () => {
    const h = new EventHeap();
    for (const s of [7, 3, 9, 1, 5, 2, 8, 0, 6, 4]) h.push(1, s, s);
    expect(popAll(h).map((e) => e.s)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('interleaved pushes and pops through several doublings match a sorted list', () => {
    const rnd = lcg(42);
    const h = new EventHeap(16);
    let reference: Entry[] = [];
    const popped: Entry[] = [];
    const expected: Entry[] = [];
    let seq = 0;
    for (let step = 0; step < 5000; step++) {
      if (h.size === 0 || rnd() < 0.6) {
        // Coarse times so that ties are frequent.
        const e = { t: Math.floor(rnd() * 50), s: seq++, slot: step };
        h.push(e.t, e.s, e.slot);
        reference.push(e);
      } else {
        reference.sort(byTimeThenSeq);
        expected.push(reference[0]!);
        reference = reference.slice(1);
        popped.push({ t: h.topTime, s: h.topSeq, slot: h.topSlot });
        h.pop();
      }
      expect(h.size).toBe(reference.length);
    }
    expect(popped).toEqual(expected);
    expect(popAll(h)).toEqual(reference.sort(byTimeThenSeq));
    expect(seq).toBeGreaterThan(16 * 32); // the heap grew past its initial 16 entries several times
  });

  test('a heap of one pops to empty; clear empties it and it fills again', () => {
    const h = new EventHeap(1);
    h.push(3, 0, 7);
    expect([h.topTime, h.topSeq, h.topSlot]).toEqual([3, 0, 7]);
    h.pop();
    expect(h.size).toBe(0);
    for (let i = 0; i < 40; i++) h.push(40 - i, i, i);
    h.clear();
    expect(h.size).toBe(0);
    h.push(2, 1, 1);
    h.push(1, 2, 2);
    expect(popAll(h).map((e) => e.slot)).toEqual([2, 1]);
  });

  test('sift-down compares both children: the smaller right child rises', () => {
    // After popping 0, the root's children are 2 (left) and 1 (right): 1 must come out next.
    const h = new EventHeap();
    for (const [t, s] of [
      [0, 0],
      [2, 1],
      [1, 2],
      [3, 3],
      [4, 4],
    ]) h.push(t!, s!, s!);
    expect(popAll(h).map((e) => e.t)).toEqual([0, 1, 2, 3, 4]);
    // Right child tied in time with the left: the lower sequence wins.
    const g = new EventHeap();
    for (const [t, s] of [
      [0, 0],
      [1, 2],
      [1, 1],
      [2, 3],
    ]) g.push(t!, s!, s!);
    expect(popAll(g).map((e) => e.s)).toEqual([0, 1, 2, 3]);
  });
});
