/**
 * The affinity table's rules at their edges: `--rcheck --seconds T` holds while now - lastSet < T (so not at
 * exactly T), the per-endpoint list limit evicts the least recently set, and each `--set` reaps up to two
 * stale entries from the head of its endpoint's list, so that tables shrink after a burst.
 */
import { describe, expect, it } from 'vitest';
import { AffinityTable } from '../../../src/model/proxy/index.js';
import { NFT_SET_SIZE, XT_RECENT_LIST_SIZE } from '../../../src/model/proxy/session-affinity.js';

describe('AffinityTable timeout', () => {
  it('a client is pinned while now - lastSet < timeout, and not at exactly the timeout', () => {
    const t = new AffinityTable(3, 10, 100);
    t.record(1, 2, 5);
    expect(t.lookup(1, 5)).toBe(2);
    expect(t.lookup(1, 14.75)).toBe(2);
    expect(t.size).toBe(1);
    expect(t.lookup(1, 15)).toBe(-1);
    expect(t.size).toBe(0); // the stale entry found by the lookup is removed
    expect(t.clientsOf(2)).toBe(0);
    expect(t.lookup(1, 15)).toBe(-1);
    expect(t.lookup(99, 0)).toBe(-1); // never seen
  });

  it('a second record restarts the timer and may move the client to another endpoint', () => {
    const t = new AffinityTable(3, 10, 100);
    t.record(1, 0, 0);
    t.record(1, 0, 8);
    expect(t.lookup(1, 17.5)).toBe(0);
    t.record(1, 2, 17.5);
    expect([t.clientsOf(0), t.clientsOf(2), t.size]).toEqual([0, 1, 1]);
    expect(t.lookup(1, 27)).toBe(2);
  });
});

describe('AffinityTable list limit', () => {
  it('xt_recent keeps 100 addresses per list, nftables sets 65,535', () => {
    expect([XT_RECENT_LIST_SIZE, NFT_SET_SIZE]).toEqual([100, 65535]);
  });

  it('limit 2: a third client on one endpoint evicts the least recently set; other endpoints keep theirs', () => {
    const t = new AffinityTable(2, 10, 2);
    t.record(1, 0, 0);
    t.record(2, 0, 1);
    t.record(9, 1, 1);
    t.record(1, 0, 2); // 1 refreshed: 2 is now the oldest on endpoint 0
    t.record(3, 0, 3);
    expect([t.lookup(1, 4), t.lookup(2, 4), t.lookup(3, 4), t.lookup(9, 4)]).toEqual([0, -1, 0, 1]);
    expect([t.clientsOf(0), t.clientsOf(1), t.size]).toEqual([2, 1, 3]);
  });

  it('limit 1: every new client replaces the last one', () => {
    const t = new AffinityTable(1, 10, 1);
    for (let c = 0; c < 5; c++) t.record(c, 0, c);
    expect([0, 1, 2, 3, 4].map((c) => t.lookup(c, 5))).toEqual([-1, -1, -1, -1, 0]);
    expect(t.size).toBe(1);
  });
});

describe('AffinityTable reaping: each record removes up to two stale entries from its endpoint list', () => {
  it('five stale clients on endpoint 0 go two per record there, none per record elsewhere', () => {
    const t = new AffinityTable(2, 10, Infinity);
    for (let c = 1; c <= 5; c++) t.record(c, 0, 0);
    t.record(10, 0, 10); // 10 s after the five: all five stale
    expect([t.clientsOf(0), t.size]).toEqual([4, 4]); // 1 and 2 reaped; 3, 4, 5, 10 left
    t.record(11, 1, 10); // endpoint 1's list has nothing stale
    expect([t.clientsOf(0), t.clientsOf(1), t.size]).toEqual([4, 1, 5]);
    t.record(12, 0, 10); // 3 and 4 reaped
    expect([t.clientsOf(0), t.size]).toEqual([3, 4]);
    t.record(13, 0, 10); // 5 reaped, then 10 is fresh: stop
    expect([t.clientsOf(0), t.size]).toEqual([3, 4]);
    expect([10, 12, 13, 11].map((c) => t.lookup(c, 19.5))).toEqual([0, 0, 0, 1]);
  });

  it('an entry exactly timeout old is stale; one just younger is kept', () => {
    const t = new AffinityTable(1, 10, Infinity);
    t.record(1, 0, 0.5);
    t.record(2, 0, 1);
    t.record(3, 0, 10.75); // 1 is 10.25 s old, 2 is 9.75 s old: only 1 goes
    expect(t.size).toBe(2);
    t.record(4, 0, 11); // 2 is exactly 10 s old: stale
    expect(t.size).toBe(2);
    expect([t.lookup(2, 11), t.lookup(3, 11), t.lookup(4, 11)]).toEqual([-1, 0, 0]);
  });
});

describe('AffinityTable storage', () => {
  it('grows from a capacity of 1 and keeps every client through growth, removal and reuse', () => {
    const t = new AffinityTable(4, 100, Infinity, 1);
    for (let c = 0; c < 300; c++) t.record(c * 7919, c % 4, 0);
    expect(t.size).toBe(300);
    for (let c = 0; c < 300; c++) expect(t.lookup(c * 7919, 1)).toBe(c % 4);
    expect([0, 1, 2, 3].map((e) => t.clientsOf(e))).toEqual([75, 75, 75, 75]);
    for (let c = 0; c < 300; c += 2) expect(t.lookup(c * 7919, 150)).toBe(-1); // stale: removed one by one
    expect(t.size).toBe(150);
    for (let c = 1000; c < 1150; c++) t.record(c, 0, 150); // reuses the freed entries
    for (let c = 1; c < 300; c += 2) expect(t.lookup(c * 7919, 150)).toBe(-1);
    for (let c = 1000; c < 1150; c++) expect(t.lookup(c, 160)).toBe(0);
    expect(t.size).toBe(150);
  });
});
