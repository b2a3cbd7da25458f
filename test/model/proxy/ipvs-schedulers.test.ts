/**
 * The IPVS schedulers as the kernel defines them (net/netfilter/ipvs/ip_vs_{rr,wrr,lc,wlc,sed,nq,sh,dh}.c),
 * one virtual service at a time, with the real-server list, weights and connection counts written out so
 * that every choice below is worked out by hand from the kernel's rule.
 */
import { describe, expect, it } from 'vitest';
import {
  ConnectionCounts,
  createIpvsScheduler,
  INACTIVE_TIMEOUT,
  resumeRoundRobin,
  roundRobinPosition,
  type IpvsSchedulerState,
  type VirtualService,
} from '../../../src/model/proxy/ipvs-schedulers.js';
import type { IpvsScheduler } from '../../../src/model/spec.js';

/** `hash_32(val, bits)` of include/linux/hash.h, written with BigInt: (val x 0x61C88647 mod 2^32) >> (32 - bits). */
const hash32 = (value: number, bits: number): number => Number(((BigInt(value) * 0x61c88647n) % 2n ** 32n) >> BigInt(32 - bits));

function vs(destinations: number[], weights: number[], address = 0): VirtualService {
  return { destinations: Int32Array.from(destinations), weights, endpointCount: weights.length, address };
}

const picks = (s: IpvsSchedulerState, n: number, client = 0): number[] => Array.from({ length: n }, () => s.schedule(client));

/** Counters with `active[e]` open connections and `inactive[e]` closed at `closedAt` (TIME_WAIT). */
function counted(active: number[], inactive: number[] = [], closedAt = 0): ConnectionCounts {
  const c = new ConnectionCounts(active.length);
  active.forEach((n, e) => {
    for (let k = 0; k < n + (inactive[e] ?? 0); k++) c.opened(e);
  });
  inactive.forEach((n, e) => {
    for (let k = 0; k < n; k++) c.closed(e, closedAt);
  });
  return c;
}

describe('hash_32 as the kernel computes it (the bucket of sh and dh)', () => {
  it('multiplies by GOLDEN_RATIO_32 and keeps the top 8 bits', () => {
    // 1 x 0x61C88647 = 0x61C88647: top byte 0x61 = 97; 2 x = 0xC3910C8E: 0xC3 = 195; 3 x = 0x1_2559 92D5 mod 2^32: 0x25 = 37.
    expect([0, 1, 2, 3].map((v) => hash32(v, 8))).toEqual([0, 97, 195, 37]);
  });
});

describe('ConnectionCounts: active, and inactive (TIME_WAIT) for 120 s after a close', () => {
  it('the TIME_WAIT is the TCP FIN_WAIT/TIME_WAIT timeout of ip_vs_proto_tcp.c: 2 minutes', () => {
    expect(INACTIVE_TIMEOUT).toBe(120);
  });

  it('a close moves one connection from active to inactive until close + 120 s, inclusive', () => {
    const c = new ConnectionCounts(2);
    c.opened(1);
    c.opened(1);
    c.closed(1, 10);
    expect([c.active[1], c.inactive[1]]).toEqual([1, 1]);
    c.expire(129.999);
    expect(c.inactive[1]).toBe(1);
    c.expire(130); // expiry 10 + 120 = 130 is over at 130
    expect(c.inactive[1]).toBe(0);
    expect([c.active[0], c.inactive[0]]).toEqual([0, 0]);
  });

  it('a close without a time is forgotten at once; a close with nothing active never goes below zero', () => {
    const c = new ConnectionCounts(1);
    c.opened(0);
    c.closed(0, undefined);
    expect([c.active[0], c.inactive[0]]).toEqual([0, 0]);
    c.closed(0, 5); // nothing was active: active stays 0, the close still waits in TIME_WAIT
    expect([c.active[0], c.inactive[0]]).toEqual([0, 1]);
    c.opened(0);
    expect(c.active[0]).toBe(1);
  });

  it('expires in close order across the ring wrapping round and growing past 16 waiting closes', () => {
    const c = new ConnectionCounts(3);
    for (let k = 0; k < 10; k++) c.closed(0, 0); // 10 waiting, expiring at 120
    c.expire(120);
    expect(c.inactive[0]).toBe(0); // the ring's head is now at 10 of 16
    // 20 closes at t = 1 + k to endpoint k mod 3: the ring wraps after 6 and doubles at 16.
    for (let k = 0; k < 20; k++) c.closed(k % 3, 1 + k);
    expect(Array.from(c.inactive)).toEqual([7, 7, 6]); // k = 0,3,..,18 | 1,4,..,19 | 2,5,..,17
    c.expire(126); // expiries 121 + k <= 126: k = 0..5 gone
    expect(Array.from(c.inactive)).toEqual([5, 5, 4]);
    c.expire(138.5); // k = 0..17 gone: 18 (endpoint 0) and 19 (endpoint 1) left
    expect(Array.from(c.inactive)).toEqual([1, 1, 0]);
    for (let k = 0; k < 40; k++) c.closed(2, 200); // a second growth, from a head in the middle
    c.expire(140);
    expect(Array.from(c.inactive)).toEqual([0, 0, 40]);
    c.expire(320);
    expect(Array.from(c.inactive)).toEqual([0, 0, 0]);
  });

  it('wraps round the ring of 16 without growing: 12 expired, then 10 more (positions 12..15, 0..5)', () => {
    const c = new ConnectionCounts(2);
    for (let k = 0; k < 12; k++) c.closed(0, 0);
    c.expire(120);
    for (let k = 0; k < 10; k++) c.closed(1, 1 + k); // expire at 121 .. 130
    c.expire(124); // the four at positions 12..15 go; the head wraps to 0
    expect(Array.from(c.inactive)).toEqual([0, 6]);
    c.expire(129);
    expect(Array.from(c.inactive)).toEqual([0, 1]);
    c.expire(130);
    expect(Array.from(c.inactive)).toEqual([0, 0]);
  });

  it('a scheduler given counters shares them (kube-proxy rewrote the list; the kernel keeps the counts)', () => {
    const counts = new ConnectionCounts(2);
    const lc = createIpvsScheduler('lc', vs([0, 1], [1, 1]), counts);
    counts.opened(0);
    expect(lc.counts).toBe(counts);
    expect(lc.active).toBe(counts.active);
    expect(lc.schedule(0)).toBe(1);
    lc.opened(1);
    lc.opened(1);
    expect(Array.from(counts.active)).toEqual([1, 2]);
    lc.closed(1, 0);
    expect([counts.active[1], counts.inactive[1]]).toEqual([1, 1]);
    const fresh = createIpvsScheduler('rr', vs([0, 1], [1, 1]));
    expect(fresh.counts).not.toBe(counts);
    expect(fresh.active.length).toBe(2);
  });
});

describe('rr (ip_vs_rr.c): the next destination with weight after the last one chosen', () => {
  it('starts at the head of the list and follows the list order, not endpoint order', () => {
    expect(picks(createIpvsScheduler('rr', vs([2, 0, 1], [1, 1, 1])), 7)).toEqual([2, 0, 1, 2, 0, 1, 2]);
  });

  it('skips a destination of weight 0; with none of weight > 0, or an empty list, it has no destination', () => {
    expect(picks(createIpvsScheduler('rr', vs([2, 0, 1], [0, 1, 1])), 4)).toEqual([2, 1, 2, 1]);
    expect(picks(createIpvsScheduler('rr', vs([1, 0], [0, 0])), 2)).toEqual([-1, -1]);
    expect(createIpvsScheduler('rr', vs([], [])).schedule(0)).toBe(-1);
  });

  it('reports its place (the endpoint last chosen), and resumes after an endpoint of a rewritten list', () => {
    const rr = createIpvsScheduler('rr', vs([2, 0, 1], [1, 1, 1]));
    expect(roundRobinPosition(rr)).toBe(-1); // nothing chosen yet
    rr.schedule(0);
    expect(roundRobinPosition(rr)).toBe(2); // the head, at list position 0
    rr.schedule(0);
    expect(roundRobinPosition(rr)).toBe(0);
    const next = createIpvsScheduler('rr', vs([1, 2, 0], [1, 1, 1]));
    resumeRoundRobin(next, 2);
    expect(picks(next, 3)).toEqual([0, 1, 2]);
    const unmoved = createIpvsScheduler('rr', vs([1, 2, 0], [1, 1, 1]));
    resumeRoundRobin(unmoved, -1); // no place to keep: starts at the head
    expect(picks(unmoved, 2)).toEqual([1, 2]);
  });

  it('other schedulers have no rr place, and resuming one changes nothing', () => {
    const lc = createIpvsScheduler('lc', vs([1, 0], [1, 1]));
    expect(roundRobinPosition(lc)).toBe(-1);
    resumeRoundRobin(lc, 1);
    expect(lc.schedule(0)).toBe(1); // still the first in list order
  });
});

describe('wrr (ip_vs_wrr.c): current weight cw from mw = max - (gcd - 1), lowered by the gcd per pass', () => {
  it('weights 4 and 6 (gcd 2, mw 5): B A B A B per cycle, 2 : 3', () => {
    // cw 5: only B (6). cw 3: A, B. cw 1: A, B. cw -1 -> back to 5.
    const wrr = createIpvsScheduler('wrr', vs([0, 1], [4, 6]));
    expect(picks(wrr, 10)).toEqual([1, 0, 1, 0, 1, 1, 0, 1, 0, 1]);
  });

  it('weights 3 and 6 (gcd 3, mw 4): B A B, the passes at cw 4 and 1', () => {
    expect(picks(createIpvsScheduler('wrr', vs([0, 1], [3, 6])), 6)).toEqual([1, 0, 1, 1, 0, 1]);
  });

  it('a destination of weight 0 is never taken and does not enter the gcd', () => {
    // Weights 2, 0, 1: gcd 1, mw 2. cw 2: A. cw 1: A, C. Then cw 0 -> 2.
    expect(picks(createIpvsScheduler('wrr', vs([0, 1, 2], [2, 0, 1])), 6)).toEqual([0, 0, 2, 0, 0, 2]);
    // Weight 0 first: the gcd is still that of 4 and 6.
    expect(picks(createIpvsScheduler('wrr', vs([2, 0, 1], [4, 6, 0])), 5)).toEqual([1, 0, 1, 0, 1]);
  });

  it('with every weight 0 (or no destination) there is nothing to schedule', () => {
    expect(createIpvsScheduler('wrr', vs([0, 1], [0, 0])).schedule(0)).toBe(-1);
    expect(createIpvsScheduler('wrr', vs([], [])).schedule(0)).toBe(-1);
  });

  it('equal weights follow the list order, as rr does', () => {
    expect(picks(createIpvsScheduler('wrr', vs([1, 2, 0], [2, 2, 2])), 6)).toEqual([1, 2, 0, 1, 2, 0]);
  });
});

describe('lc and wlc: overhead (active << 8) + inactive (ip_vs_dest_conn_overhead)', () => {
  const lc = (active: number[], inactive: number[], order = [0, 1], weights = [1, 1], name: IpvsScheduler = 'lc') =>
    createIpvsScheduler(name, vs(order, weights), counted(active, inactive)).schedule(0);

  it('one active connection weighs as much as 256 inactive ones', () => {
    expect(lc([1, 0], [0, 255])).toBe(1); // 256 > 255
    expect(lc([1, 0], [0, 256])).toBe(0); // 256 = 256: the first in the list
    expect(lc([1, 0], [0, 257])).toBe(0);
    expect(lc([2, 1], [0, 255])).toBe(1); // 512 > 256 + 255
    expect(lc([2, 1], [0, 256])).toBe(0); // 512 = 512
  });

  it('ties go to the first in list order, not endpoint order', () => {
    expect(lc([0, 0], [0, 0], [1, 0])).toBe(1);
    expect(lc([1, 1], [3, 3], [1, 0])).toBe(1);
    expect(lc([1, 1], [4, 3], [1, 0])).toBe(1);
    expect(lc([1, 1], [3, 4], [1, 0])).toBe(0);
  });

  it('lc ignores weights except to skip weight 0', () => {
    expect(lc([1, 2], [0, 0], [0, 1], [1, 3])).toBe(0); // 256 < 512, whatever the weights
    expect(lc([0, 5], [0, 0], [0, 1], [0, 1])).toBe(1); // the idle one has weight 0
    expect(lc([0, 0], [0, 0], [0, 1], [0, 0])).toBe(-1);
  });

  it('wlc minimises overhead / weight, compared as loh x w > doh x lw', () => {
    expect(lc([1, 2], [0, 0], [0, 1], [1, 3], 'wlc')).toBe(1); // 256/1 > 512/3
    expect(lc([1, 3], [0, 0], [0, 1], [1, 3], 'wlc')).toBe(0); // 256/1 = 768/3: first
    expect(lc([1, 4], [0, 0], [0, 1], [1, 3], 'wlc')).toBe(0); // 256 < 1024/3
    expect(lc([0, 0], [3, 8], [0, 1], [1, 3], 'wlc')).toBe(1); // 3/1 > 8/3: inactive ones count too
    expect(lc([0, 0], [3, 9], [0, 1], [1, 3], 'wlc')).toBe(0); // 3 = 9/3
    expect(lc([0, 0], [0, 0], [0, 1], [0, 2], 'wlc')).toBe(1); // weight 0 skipped
    // The list head has weight 3: 512/3 < 256/1, so it stays the least.
    expect(lc([1, 2], [0, 0], [1, 0], [1, 3], 'wlc')).toBe(1);
    expect(lc([1, 3], [0, 0], [1, 0], [1, 3], 'wlc')).toBe(1); // 768/3 = 256/1: the head
    expect(lc([1, 4], [0, 0], [1, 0], [1, 3], 'wlc')).toBe(0); // 1024/3 > 256/1
  });

  it('inactive connections leave the count 120 s after their close, at the next schedule', () => {
    const counts = counted([0, 0], [2, 0], 5); // two closes on 0 at t = 5: expire at 125
    counts.opened(1);
    const s = createIpvsScheduler('lc', vs([0, 1], [1, 1]), counts);
    expect(s.schedule(0, 124)).toBe(0); // 2 < 256
    counts.closed(1, 124); // 1: 0 active, 1 inactive
    expect(s.schedule(0, 124.5)).toBe(1); // 2 > 1
    expect(s.schedule(0)).toBe(1); // without a time nothing expires
    expect(s.schedule(0, 125)).toBe(0); // 0's two are gone: 0 < 1
  });
});

describe('sed and nq: overhead active + 1, inactive ignored (ip_vs_sed_dest_overhead)', () => {
  const run = (name: IpvsScheduler, active: number[], inactive: number[], weights: number[], order = [0, 1]) =>
    createIpvsScheduler(name, vs(order, weights), counted(active, inactive)).schedule(0);

  it('sed minimises (active + 1) / weight; ties to the first in the list', () => {
    expect(run('sed', [0, 2], [0, 0], [1, 3])).toBe(0); // 1/1 = 3/3
    expect(run('sed', [1, 2], [0, 0], [1, 3])).toBe(1); // 2/1 > 3/3
    expect(run('sed', [0, 3], [0, 0], [1, 3])).toBe(0); // 1/1 < 4/3
    expect(run('sed', [1, 1], [0, 500], [1, 1])).toBe(0); // 500 inactive on 1 do not count: tie
    expect(run('sed', [1, 1], [500, 0], [1, 1], [0, 1])).toBe(0);
    expect(run('lc', [1, 1], [500, 0], [1, 1], [0, 1])).toBe(1); // lc would count them
    expect(run('sed', [2, 1], [0, 0], [1, 1])).toBe(1); // 3 > 2
  });

  it('nq takes the first idle destination (no active connection) at once, else decides as sed', () => {
    expect(run('nq', [1, 0], [0, 400], [3, 1])).toBe(1); // idle, though sed would pick 0 (2/3 < 1/1)
    expect(run('sed', [1, 0], [0, 400], [3, 1])).toBe(0);
    expect(run('nq', [0, 0], [0, 0], [1, 5], [1, 0])).toBe(1); // both idle: first in list
    expect(run('nq', [2, 1], [0, 0], [1, 1])).toBe(1);
    expect(run('nq', [1, 1], [500, 0], [1, 1])).toBe(0); // no idle one: 2 = 2, inactive ignored as in sed
    expect(run('nq', [0, 1], [0, 0], [0, 1])).toBe(1); // an idle destination of weight 0 is skipped
  });
});

describe('sh (ip_vs_sh.c): 256 buckets, destination i repeated weight times, bucket hash_32(client, 8)', () => {
  it('with weight 1 each, bucket b holds list entry b mod n', () => {
    const sh = createIpvsScheduler('sh', vs([2, 0, 1], [1, 1, 1]));
    // Buckets: client 0 -> 0, 1 -> 97, 2 -> 195, 3 -> 37, 6 -> 74, 10 -> 209.
    expect([0, 1, 2, 3, 6, 10].map((c) => hash32(c, 8) % 3)).toEqual([0, 1, 0, 1, 2, 2]);
    expect([0, 1, 2, 3, 6, 10].map((c) => sh.schedule(c))).toEqual([2, 0, 2, 0, 1, 1]);
    expect(sh.schedule(1, 500)).toBe(0); // stateless: the same client, the same destination
  });

  it('weights 2 and 1 fill the buckets A A B A A B ...', () => {
    const sh = createIpvsScheduler('sh', vs([0, 1], [2, 1]));
    // 97 mod 3 = 1 -> A; 74 mod 3 = 2 -> B; 195 mod 3 = 0 -> A; 209 mod 3 = 2 -> B; 255 mod 3 = 0 -> A.
    expect([1, 6, 2, 10].map((c) => sh.schedule(c))).toEqual([0, 1, 0, 1]);
    const last = [...Array(4096).keys()].find((c) => hash32(c, 8) === 255)!;
    expect(sh.schedule(last)).toBe(0);
    const b254 = [...Array(4096).keys()].find((c) => hash32(c, 8) === 254)!;
    expect(sh.schedule(b254)).toBe(1); // 254 mod 3 = 2
  });

  it('shares out all 256 buckets by weight: 3 destinations of weight 1 get 86, 85, 85', () => {
    const sh = createIpvsScheduler('sh', vs([1, 2, 0], [1, 1, 1]));
    const byBucket = new Map<number, number>();
    for (let c = 0; byBucket.size < 256; c++) byBucket.set(hash32(c, 8), sh.schedule(c));
    const share = [0, 0, 0];
    for (const e of byBucket.values()) share[e]!++;
    expect(share).toEqual([85, 86, 85]); // list head (1) takes buckets 0, 3, .., 255
  });

  it('an empty list leaves every bucket without a destination', () => {
    expect(createIpvsScheduler('sh', vs([], [])).schedule(1)).toBe(-1);
  });
});

describe('dh (ip_vs_dh.c): the bucket of the destination (virtual) address, the same for every client', () => {
  it('10.96.0.10 hashes to bucket 242: list entry 242 mod 3 = 2 for every client', () => {
    const address = 10 * 2 ** 24 + 96 * 2 ** 16 + 10; // 10.96.0.10
    expect(hash32(address, 8)).toBe(242);
    const dh = createIpvsScheduler('dh', vs([5, 3, 4], [1, 1, 1, 1, 1, 1], address));
    expect([1, 2, 3, 1000].map((c) => dh.schedule(c))).toEqual([4, 4, 4, 4]);
    // Two destinations: 242 mod 2 = 0, the head.
    expect(createIpvsScheduler('dh', vs([1, 0], [1, 1], address)).schedule(9)).toBe(1);
  });

  it('10.0.0.2 (bucket 137) picks list entry 137 mod 3 = 2; with no destination, none', () => {
    const address = 10 * 2 ** 24 + 2;
    expect(hash32(address, 8)).toBe(137);
    expect(createIpvsScheduler('dh', vs([0, 1, 2], [1, 1, 1], address)).schedule(1)).toBe(2);
    expect(createIpvsScheduler('dh', vs([], [], address)).schedule(1)).toBe(-1);
  });
});
