/**
 * Kong's balancers (kong/runloop/balancer/*.lua), rule by rule, per (controller pod, worker): the
 * round-robin wheel (weight/gcd points per target, Fisher-Yates shuffled, walked by a pointer),
 * least-connections (binaryheap minUnique keyed by (connections + 1) / weight), latency (the lowest
 * EWMA / weight over every target; new targets start at 0 touched at creation), consistent-hashing (a
 * continuum of `slots`, 160 entries per target of equal weight, a key walking down to the first entry),
 * sticky-sessions, and the KongUpstreamPolicy hash inputs. Expected picks are worked out by hand.
 */
import { describe, expect, test } from 'vitest';
import { fnv1a32, mix32 } from '../../../src/model/hash.js';
import { requestClass } from '../../../src/model/http/request.js';
import { Affinity, HashBy } from '../../../src/model/ingress/balancer.js';
import { KONG_SLOTS, KongBalancer, kongClassKey } from '../../../src/model/ingress/kong.js';
import type { KongUpstreamPolicySpec } from '../../../src/model/spec.js';
import { always, balancerConfig, draws } from './balancer-fixtures.js';

const none = draws();
const kong = (n: number, extra: Parameters<typeof balancerConfig>[1] = {}) => new KongBalancer(balancerConfig(n, extra));
const pick = (b: KongBalancer, opts: { k?: number; w?: number; now?: number; avoid?: number; key?: number; session?: number; mode?: number } = {}) =>
  b.pick(opts.k ?? 0, opts.w ?? 0, none, opts.now ?? 0, opts.avoid ?? -1, opts.key ?? 0, 0, opts.session ?? 0, opts.mode ?? 0);

describe('round-robin: a shuffled wheel of weight/gcd points per target', () => {
  test('weights 1, 1, 2: 1, 1 and 2 points; unshuffled (draws 0.99) the pointer walks 1, 2, 2, 0, 1', () => {
    // Fisher-Yates swaps a with ⌊0.99·(a + 1)⌋ = a: no change. The pointer moves before it reads.
    const b = kong(3, { weights: [1, 1, 2], rngs: [always(0.99)] });
    expect(Array.from({ length: 5 }, () => pick(b))).toEqual([1, 2, 2, 0, 1]);
  });

  test('draws 0: the wheel [0, 1, 2, 2] becomes [1, 2, 2, 0] (swaps 3↔0, 2↔0, 1↔0): picks 2, 2, 0, 1', () => {
    const b = kong(3, { weights: [1, 1, 2], rngs: [always(0)] });
    expect(Array.from({ length: 4 }, () => pick(b))).toEqual([2, 2, 0, 1]);
  });

  test('weights 0.5 and 1.5 (50 and 150 in hundredths, gcd 50): 1 and 3 points', () => {
    const b = kong(2, { weights: [0.5, 1.5], rngs: [always(0.99)] });
    expect(Array.from({ length: 8 }, () => pick(b))).toEqual([1, 1, 1, 0, 1, 1, 1, 0]);
  });

  test('every worker of every pod has its own wheel and pointer', () => {
    // Controller 0: worker 0 unshuffled [0, 1, 2], worker 1 shuffled by 0s to [1, 2, 0].
    const b = kong(3, { controllers: 2, workers: 2, rngs: [draws(0.99, 0.99, 0, 0), always(0.99)] });
    expect([pick(b, { w: 1 }), pick(b, { w: 1 }), pick(b), pick(b, { k: 1, w: 1 }), pick(b, { w: 1 })]).toEqual([2, 0, 1, 1, 1]);
  });

  test('a second worker\'s wheel is shuffled in its own place: draws 0.5, 0.5 swap points 2 and 1', () => {
    const b = kong(3, { workers: 2, rngs: [draws(0.99, 0.99, 0.5, 0.5)] });
    expect([pick(b, { w: 1 }), pick(b, { w: 1 }), pick(b, { w: 1 }), pick(b)]).toEqual([2, 1, 0, 1]);
  });

  test('no targets: −1 whatever the algorithm', () => {
    for (const extra of [{}, { algorithm: 'least_conn' as const }, { algorithm: 'latency' as const }, { hashBy: HashBy.Uri }, { affinity: Affinity.Persistent, sessions: 1 }]) {
      expect(pick(kong(0, extra))).toBe(-1);
    }
  });

  test('only round-robin and sticky-sessions shuffle a wheel: the other algorithms draw nothing at set-up', () => {
    for (const extra of [{ algorithm: 'least_conn' as const }, { algorithm: 'latency' as const }, { hashBy: HashBy.Uri }]) {
      expect(() => kong(3, { ...extra, rngs: [none] })).not.toThrow();
    }
    expect(() => kong(3, { rngs: [none] })).toThrow();
  });

  test('a retry takes the next point, whatever failed; no targets: −1', () => {
    const b = kong(2, { rngs: [always(0.99)] });
    expect([pick(b), pick(b, { avoid: 1 }), pick(b, { avoid: 0 })]).toEqual([1, 0, 1]);
    expect(pick(kong(0))).toBe(-1);
  });
});

describe('least-connections: the heap root, keyed by (connections + 1) / weight', () => {
  test('4 targets: 0, 1, 3, 2 (each busy target sinks below the smaller child), then the root stays on ties', () => {
    const b = kong(4, { algorithm: 'least_conn' });
    const order: number[] = [];
    for (let i = 0; i < 4; i++) {
      const e = pick(b);
      order.push(e);
      b.sent(0, e, 0);
    }
    // Heap after the four sends: [2, 1, 3, 0], all at 2 in flight... the root 2 stays while tied.
    expect(order).toEqual([0, 1, 3, 2]);
    expect(pick(b)).toBe(2);
    b.sent(0, 2, 0); // 2 at 3: it sinks below 1 (the left child on a tie)
    expect(pick(b)).toBe(1);
    b.done(0, 3, 1, 0.01, 0); // 3 back at 1 in flight (value 1): it rises to the root
    expect(pick(b)).toBe(3);
  });

  test('every (pod, worker) heap works alike: the same sequence on the second worker of the second pod', () => {
    const b = kong(4, { algorithm: 'least_conn', controllers: 2, workers: 2 });
    const order: number[] = [];
    for (let i = 0; i < 4; i++) {
      const e = pick(b, { k: 1, w: 1 });
      order.push(e);
      b.sent(1, e, 1);
    }
    expect(order).toEqual([0, 1, 3, 2]);
    expect(pick(b, { k: 1, w: 1 })).toBe(2);
    b.sent(1, 2, 1);
    expect(pick(b, { k: 1, w: 1 })).toBe(1);
    b.done(1, 3, 1, 0.01, 1);
    expect(pick(b, { k: 1, w: 1 })).toBe(3);
    expect(pick(b, { k: 1, w: 1, avoid: 3 })).toBe(0); // children 0 and 1 both at 2: the left
    // The other heaps were not touched.
    expect([pick(b, { k: 0, w: 0 }), pick(b, { k: 0, w: 1 }), pick(b, { k: 1, w: 0 })]).toEqual([0, 0, 0]);
  });

  test('a retry skips the root: a right child that is target 0 and strictly less busy is taken', () => {
    // Weights 1, 1, 2 start at 1, 1, 0.5: inserting 2 lifts it to the root, so the heap is [2, 1, 0].
    const b = kong(3, { algorithm: 'least_conn', weights: [1, 1, 2] });
    b.sent(0, 1, 0); // 1 at 2: the left child, no children to sink to
    expect(pick(b, { avoid: 2 })).toBe(0);
  });

  test('a retry skips the root: the smaller of its children, the left on a tie', () => {
    const b = kong(3, { algorithm: 'least_conn' });
    expect(pick(b, { avoid: 0 })).toBe(1); // children 1 and 2 tie: the left
    b.sent(0, 1, 0); // heap [0, 1, 2] → 1 sinks: [0, 1, 2] has 1 at value 2 under 0 at 1: no change at the root
    expect(pick(b, { avoid: 0 })).toBe(2); // now the right child is strictly smaller
    expect(pick(kong(1, { algorithm: 'least_conn' }), { avoid: 0 })).toBe(0);
    expect(pick(kong(2, { algorithm: 'least_conn' }), { avoid: 0 })).toBe(1);
    // Two targets: the root has one child, whatever lies next to this worker's heap.
    const two = kong(2, { algorithm: 'least_conn', workers: 2 });
    two.sent(0, 1, 0);
    expect(pick(two, { avoid: 0 })).toBe(1);
  });

  test('weights divide: weights 1 and 2 start at 1 and 0.5, so 1 takes two requests before 0 gets one', () => {
    const b = kong(2, { algorithm: 'least_conn', weights: [1, 2] });
    const order: number[] = [];
    for (let i = 0; i < 4; i++) {
      const e = pick(b);
      order.push(e);
      b.sent(0, e, 0);
    }
    // 1 (0.5 → 1), 1 (tie 1 vs 1: the root stays; → 1.5), 0 (1 → 2), 1 (1.5 → 2).
    expect(order).toEqual([1, 1, 0, 1]);
  });

  test('counts are per (pod, worker); a done never takes a count below zero; sent and done use the last worker when none is named', () => {
    const b = kong(2, { algorithm: 'least_conn', controllers: 2, workers: 2 });
    b.sent(1, 0, 1);
    expect(pick(b, { k: 1, w: 1 })).toBe(1);
    expect(pick(b, { k: 1, w: 0 })).toBe(0);
    expect(pick(b, { k: 0, w: 1 })).toBe(0);
    b.done(0, 1, 1, 0.01, 0); // nothing in flight there: stays 0
    b.sent(0, 1, 0);
    expect(pick(b, { k: 0, w: 0 })).toBe(0);
    // Without a worker, the worker of the last pick (0, 1): 0 there gets busy.
    pick(b, { k: 0, w: 1 });
    b.sent(0, 0);
    expect(pick(b, { k: 0, w: 1 })).toBe(1);
    b.done(0, 0, 1, 0.01); // 0 back to none in flight at (0, 1): a tie with 1, whose root stays
    b.sent(0, 1, 1); // 1 gets busy: 0 rises
    expect(pick(b, { k: 0, w: 1 })).toBe(0);
  });
});

describe('latency: the lowest decayed EWMA / weight of every target', () => {
  test('the lowest wins, the first on ties; a retry leaves out the target tried', () => {
    const b = kong(3, { algorithm: 'latency' });
    expect(pick(b, { now: 1 })).toBe(0); // all 0: the first
    expect(pick(b, { now: 1, avoid: 0 })).toBe(1);
    b.done(0, 0, 1, 0.05, 0);
    b.done(0, 1, 1, 0.01, 0);
    b.done(0, 2, 1, 0.03, 0);
    expect(pick(b, { now: 1 })).toBe(1);
    expect(pick(b, { now: 1, avoid: 1 })).toBe(2);
    expect(pick(kong(1, { algorithm: 'latency' }), { avoid: 0 })).toBe(0);
  });

  test('a new target starts at 0 touched at creation: its first answer only weighs 1 − e^(−t/10)', () => {
    // Target 1 answered 2 s at t = 0.1: 2·(1 − e^(−0.01))·e^(−0.99) = 0.0074 at t = 10. Target 0 answered
    // 0.5 s at t = 10: 0.5·(1 − e^(−1)) = 0.316. Were a first answer taken whole, 1 would read 0.74 > 0.5.
    const b = kong(2, { algorithm: 'latency' });
    b.done(0, 1, 0.1, 2, 0);
    b.done(0, 0, 10, 0.5, 0);
    expect(pick(b, { now: 10 })).toBe(1);
    // A refusal (rtt < 0) leaves the score alone (counted as −1 s it would make 0 the lowest).
    b.done(0, 0, 10, -1, 0);
    expect(pick(b, { now: 10 })).toBe(1);
  });

  test('an answer of 0 s counts: 0 at t = 5 then 1 s at t = 10 reads 1 − e^(−0.5) = 0.39, not 1 − e^(−1) = 0.63', () => {
    const b = kong(2, { algorithm: 'latency' });
    b.done(0, 0, 5, 0, 0);
    b.done(0, 0, 10, 1, 0);
    b.done(0, 1, 10, 0.8, 0); // 0.8·(1 − e^(−1)) = 0.51
    expect(pick(b, { now: 10 })).toBe(0);
  });

  test('divided by the weight: 0.03 at weight 4 (0.0075) beats 0.01 at weight 1', () => {
    const b = kong(2, { algorithm: 'latency', weights: [1, 4] });
    b.done(0, 0, 5, 0.01, 0);
    b.done(0, 1, 5, 0.03, 0);
    expect(pick(b, { now: 5 })).toBe(1);
  });

  test('per (pod, worker)', () => {
    const b = kong(2, { algorithm: 'latency', workers: 2, controllers: 2 });
    b.done(0, 0, 5, 0.5, 1);
    expect(pick(b, { now: 5, w: 1 })).toBe(1);
    expect(pick(b, { now: 5, w: 0 })).toBe(0);
    b.done(1, 0, 5, 0.5, 0);
    expect(pick(b, { now: 5, k: 1, w: 0 })).toBe(1);
    expect(pick(b, { now: 5, k: 1, w: 1 })).toBe(0);
  });
});

describe('consistent-hashing: a continuum of slots, a key walks down to the first entry', () => {
  /**
   * The continuum as Kong fills it: targets in address order, entry i of a target at hash(`id i`) mod
   * slots, a position already taken moving the target on to one more entry ("move the problem forward").
   */
  function continuum(targetIds: string[], entries: number, slots: number): Map<number, number> {
    const owner = new Map<number, number>();
    targetIds.forEach((id, e) => {
      let want = entries;
      for (let i = 1; i <= want && i <= slots; i++) {
        const p = mix32(fnv1a32(`${id} ${i}`)) % slots;
        if (owner.has(p)) want++;
        else owner.set(p, e);
      }
    });
    return owner;
  }
  const positions = (id: string, entries: number, slots: number) => Array.from({ length: entries }, (_, i) => mix32(fnv1a32(`${id} ${i + 1}`)) % slots);
  const ids = ['10.244.0.2:8080', '10.244.1.2:8080'];

  test('a key at a target\'s entry picks it; a key between entries walks down to the one below; keys wrap mod slots', () => {
    const b = kong(2, { hashBy: HashBy.Uri });
    const all = [...continuum(ids, 160, KONG_SLOTS)].map(([p, e]) => ({ p, e })).sort((a, b) => a.p - b.p);
    expect(all).toHaveLength(320); // 160 entries each, collisions moved on
    for (const { p, e } of all) {
      expect(pick(b, { key: p })).toBe(e);
      expect(pick(b, { key: p + KONG_SLOTS })).toBe(e);
    }
    for (let i = 1; i < all.length; i++) {
      if (all[i]!.p - all[i - 1]!.p > 1) expect(pick(b, { key: all[i]!.p - 1 })).toBe(all[i - 1]!.e);
    }
    // Below the lowest entry the walk wraps to the top of the continuum: the highest entry's target.
    expect(pick(b, { key: all[0]!.p - 1 < 0 ? KONG_SLOTS - 1 : all[0]!.p - 1 })).toBe(all[0]!.p === 0 ? all[0]!.e : all[all.length - 1]!.e);
  });

  test('10 targets listed in reverse address order: every key of the continuum lands as Kong places them', () => {
    const addresses = Array.from({ length: 10 }, (_, e) => `10.244.${e}.2:8080`); // in address order
    const listed = [...addresses].reverse();
    const b = kong(10, { hashBy: HashBy.Uri, ids: listed });
    const byAddress = continuum(addresses, 160, KONG_SLOTS); // position → index in address order
    expect(byAddress.size).toBe(1600);
    const owner = new Int32Array(KONG_SLOTS).fill(-1);
    for (const [p, a] of byAddress) owner[p] = listed.indexOf(addresses[a]!);
    let last = -1;
    for (let p = KONG_SLOTS - 1; p >= 0 && last < 0; p--) last = owner[p]!;
    let current = last; // below the lowest entry: the highest one's target
    for (let key = 0; key < KONG_SLOTS; key++) {
      if (owner[key]! >= 0) current = owner[key]!;
      expect(pick(b, { key })).toBe(current);
    }
  });

  test('a continuum of 10 slots: a target tries at most 10 positions', () => {
    const small = continuum(ids, 160, 10);
    const b = kong(2, { hashBy: HashBy.Uri, slots: 10 });
    for (const [p, e] of small) expect(pick(b, { key: p })).toBe(e);
  });

  test('a retry keeps the hash (the same target); the session and address keys need no URI', () => {
    const b = kong(4, { hashBy: HashBy.Session });
    for (const s of [1, 2, 3]) {
      const first = pick(b, { session: s, key: 5 });
      expect(pick(b, { session: s, key: 999, avoid: first })).toBe(first);
    }
  });

  test('weights 1 and 3: 80 and 240 entries, so about a quarter and three quarters of the keys (within 10 points)', () => {
    const b = kong(2, { hashBy: HashBy.Uri, weights: [1, 3] });
    let zero = 0;
    for (let key = 0; key < KONG_SLOTS; key++) if (pick(b, { key }) === 0) zero++;
    expect(Math.abs(zero / KONG_SLOTS - 0.25)).toBeLessThan(0.1);
    const even = kong(2, { hashBy: HashBy.Uri });
    let evenZero = 0;
    for (let key = 0; key < KONG_SLOTS; key++) if (pick(even, { key }) === 0) evenZero++;
    expect(Math.abs(evenZero / KONG_SLOTS - 0.5)).toBeLessThan(0.1);
  });

  test('targets are placed in address order: listing them the other way round changes nothing', () => {
    const a = kong(2, { hashBy: HashBy.Uri });
    const b = kong(2, { hashBy: HashBy.Uri, ids: [...ids].reverse() });
    for (let key = 0; key < 2000; key += 7) expect(pick(b, { key })).toBe(1 - pick(a, { key }));
  });

  test('a continuum of 10 slots for 2 targets: every key lands on a target', () => {
    const b = kong(2, { hashBy: HashBy.Uri, slots: 10 });
    const seen = new Set(Array.from({ length: 10 }, (_, key) => pick(b, { key })));
    expect([...seen].every((e) => e === 0 || e === 1)).toBe(true);
    // The first target (in address order) takes the slots its 10 tries reach; the second the rest, if any.
    const first = new Set(positions(ids[0]!, 10, 10));
    for (const p of first) expect(pick(b, { key: p })).toBe(0);
  });

  test('a target whose share rounds to no entry still gets one', () => {
    // Weights 1 and 0.001: ⌊(0.001 / 1.001)·2·160⌋ = 0 → 1 entry, at hash(`id 1`) mod 10,000.
    const b = kong(2, { hashBy: HashBy.Uri, weights: [1, 0.001] });
    const heavy = continuum([ids[0]!], 319, KONG_SLOTS);
    const light = mix32(fnv1a32(`${ids[1]} 1`)) % KONG_SLOTS;
    expect(heavy.has(light)).toBe(false);
    expect(pick(b, { key: light })).toBe(1);
    let count = 0;
    for (let key = 0; key < KONG_SLOTS; key++) if (pick(b, { key }) === 1) count++;
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(200);
  });

  test('HashBy.Class: each request class says what to hash (its value, the address or the session)', () => {
    const b = kong(5, { hashBy: HashBy.Class });
    const byValue = kong(5, { hashBy: HashBy.Uri });
    const bySession = kong(5, { hashBy: HashBy.Session });
    for (const key of [11, 222, 3333]) expect(pick(b, { key, mode: HashBy.Uri })).toBe(pick(byValue, { key }));
    for (const session of [1, 2, 3, 4]) expect(pick(b, { key: 7, session, mode: HashBy.Session })).toBe(pick(bySession, { key: 8, session }));
  });
});

describe('sticky-sessions: the wheel\'s next target pins the session', () => {
  test('first requests take the wheel in turn; later ones follow the pin; a retry after a failure re-pins', () => {
    const b = kong(3, { affinity: Affinity.Persistent, sessions: 3, rngs: [always(0.99)] }); // wheel [0, 1, 2]
    expect(pick(b, { session: 0 })).toBe(1);
    expect(pick(b, { session: 1 })).toBe(2);
    expect(pick(b, { session: 0 })).toBe(1);
    expect(pick(b, { session: 0, avoid: 1 })).toBe(0); // the wheel's next is 0
    expect(pick(b, { session: 0 })).toBe(0);
    // The wheel's next would be the failed target: skipped.
    expect(pick(b, { session: 2, avoid: 1 })).toBe(2);
    expect(pick(b, { session: 1, avoid: 2 })).toBe(0);
  });

  test('one target: a retry stays on it', () => {
    const b = kong(1, { affinity: Affinity.Persistent, sessions: 1 });
    expect(pick(b)).toBe(0);
    expect(pick(b, { avoid: 0 })).toBe(0);
  });
});

describe('KongUpstreamPolicy hash inputs of a request class', () => {
  const policy = (hashOn: KongUpstreamPolicySpec['hashOn'], hashOnFallback: KongUpstreamPolicySpec['hashOnFallback'] = null): KongUpstreamPolicySpec => ({
    algorithm: 'consistent_hashing',
    hashOn,
    hashOnFallback,
    slots: KONG_SLOTS,
  });
  const h = (text: string) => mix32(fnv1a32(text));
  const r = requestClass({ path: '/cart?id=42', headers: { 'X-User': 'alice' }, cookies: { sid: 'abc' } });

  test('a header, cookie or query argument present: its value\'s hash; the path: the path\'s hash', () => {
    expect(kongClassKey(policy({ kind: 'header', name: 'x-user' }), r)).toEqual({ mode: HashBy.Uri, hash: h('alice') });
    expect(kongClassKey(policy({ kind: 'cookie', name: 'sid' }), r)).toEqual({ mode: HashBy.Uri, hash: h('abc') });
    expect(kongClassKey(policy({ kind: 'query', name: 'id' }), r)).toEqual({ mode: HashBy.Uri, hash: h('42') });
    expect(kongClassKey(policy({ kind: 'path' }), r)).toEqual({ mode: HashBy.Uri, hash: h('/cart') });
  });

  test('ip and consumer: the address and the session', () => {
    expect(kongClassKey(policy({ kind: 'ip' }), r)).toEqual({ mode: HashBy.RemoteAddr, hash: 0 });
    expect(kongClassKey(policy({ kind: 'consumer' }), r)).toEqual({ mode: HashBy.Session, hash: 0 });
  });

  test('an absent cookie is the one Kong sets (the session); an absent header or argument falls back', () => {
    expect(kongClassKey(policy({ kind: 'cookie', name: 'other' }), r)).toEqual({ mode: HashBy.Session, hash: 0 });
    expect(kongClassKey(policy({ kind: 'header', name: 'x-none' }, { kind: 'ip' }), r)).toEqual({ mode: HashBy.RemoteAddr, hash: 0 });
    expect(kongClassKey(policy({ kind: 'query', name: 'none' }, { kind: 'header', name: 'x-user' }), r)).toEqual({ mode: HashBy.Uri, hash: h('alice') });
    // The fallback is not read when the first input is there.
    expect(kongClassKey(policy({ kind: 'header', name: 'x-user' }, { kind: 'ip' }), r)).toEqual({ mode: HashBy.Uri, hash: h('alice') });
  });

  test('nothing to hash: every such request shares one key, the hash of "nil"', () => {
    expect(kongClassKey(policy({ kind: 'header', name: 'x-none' }), r)).toEqual({ mode: HashBy.Uri, hash: h('nil') });
    expect(kongClassKey(policy({ kind: 'header', name: 'x-none' }, { kind: 'query', name: 'none' }), r)).toEqual({ mode: HashBy.Uri, hash: h('nil') });
    expect(kongClassKey(policy(null), r)).toEqual({ mode: HashBy.Uri, hash: h('nil') });
  });
});
