/**
 * ingress-nginx's Lua balancers, rule by rule (kubernetes/ingress-nginx `rootfs/etc/nginx/lua/balancer/`):
 * round_robin.lua (lua-resty-balancer's roundrobin: one instance per worker, from a random node), ewma.lua
 * (`pick_and_score`: two distinct endpoints, the lower decayed score, the first drawn on ties; stats per
 * controller pod), chash.lua (the same endpoint for a key, retries included), sticky_balanced.lua (a random
 * key on the ring, up to `MAX_UPSTREAM_CHECKS_COUNT` = 20 keys to avoid a failed endpoint) and
 * sticky_persistent.lua (`random_except`). Random draws are scripted; the expected picks are worked out
 * by hand from the draws (the model draws a as ⌊u·m⌋ and b as ⌊u·(m − 1)⌋, skipping a, over the m
 * endpoints not tried).
 */
import { describe, expect, test } from 'vitest';
import { Affinity, HashBy, HashRing, mixSession } from '../../../src/model/ingress/balancer.js';
import { IngressNginxBalancer } from '../../../src/model/ingress/ingress-nginx.js';
import { always, balancerConfig, draws, endpointIds } from './balancer-fixtures.js';

const none = draws();

describe('round_robin: a rotation per worker, from a random start', () => {
  test('4 endpoints, start ⌊0.5·4⌋ = 2: the picks are 3, 0, 1, 2, 3 (a retry is just the next pick)', () => {
    const b = new IngressNginxBalancer(balancerConfig(4, { rngs: [always(0.5)] }));
    const picks = [b.pick(0, 0, none, 0, -1, 0, 0, 0), b.pick(0, 0, none, 0, -1, 0, 0, 0), b.pick(0, 0, none, 0, 3, 0, 0, 0)];
    picks.push(b.pick(0, 0, none, 0, -1, 0, 0, 0), b.pick(0, 0, none, 0, -1, 0, 0, 0));
    expect(picks).toEqual([3, 0, 1, 2, 3]);
  });

  test('each (controller, worker) has its own rotation and start: starts 0, 1, 2, 3 give first picks 1, 2, 3, 0', () => {
    // Controller 0 draws the starts of its workers 0 and 1, then controller 1 of its own.
    const b = new IngressNginxBalancer(balancerConfig(4, { controllers: 2, workers: 2, rngs: [draws(0, 0.25), draws(0.5, 0.75)] }));
    expect(b.pick(1, 1, none, 0, -1, 0, 0, 0)).toBe(0);
    expect(b.pick(0, 1, none, 0, -1, 0, 0, 0)).toBe(2);
    expect(b.pick(1, 0, none, 0, -1, 0, 0, 0)).toBe(3);
    expect(b.pick(0, 0, none, 0, -1, 0, 0, 0)).toBe(1);
    // The second round moves each rotation on by one, independently.
    expect([b.pick(0, 0, none, 0, -1, 0, 0, 0), b.pick(0, 1, none, 0, -1, 0, 0, 0), b.pick(1, 0, none, 0, -1, 0, 0, 0), b.pick(1, 1, none, 0, -1, 0, 0, 0)]).toEqual([2, 3, 0, 1]);
  });

  test('response times do not move a rotation (round_robin keeps no stats)', () => {
    const b = new IngressNginxBalancer(balancerConfig(3, { rngs: [always(0)] }));
    b.done(0, 1, 1, 5);
    b.done(0, 2, 1, 0.001);
    expect([0, 1, 2].map(() => b.pick(0, 0, none, 2, -1, 0, 0, 0))).toEqual([1, 2, 0]);
  });

  test('no endpoints: no pick (−1), and no draw at set-up', () => {
    for (const algorithm of ['round_robin', 'ewma'] as const) {
      const b = new IngressNginxBalancer(balancerConfig(0, { algorithm, rngs: [none] }));
      expect(b.n).toBe(0);
      expect(b.pick(0, 0, none, 0, -1, 0, 0, 0)).toBe(-1);
    }
    const sticky = new IngressNginxBalancer(balancerConfig(0, { affinity: Affinity.Persistent, sessions: 2, rngs: [none] }));
    expect(sticky.pick(0, 0, none, 0, -1, 0, 0, 1)).toBe(-1);
  });
});

describe('ewma: two distinct endpoints at random, the lower score, the first drawn on ties', () => {
  /** Endpoint e's first response sets its score to exactly `scores[e]` (state starts at the epoch). */
  function scored(scores: number[], controllers = 1) {
    const b = new IngressNginxBalancer(balancerConfig(scores.length, { algorithm: 'ewma', controllers, rngs: Array.from({ length: controllers }, () => always(0)) }));
    scores.forEach((s, e) => b.done(0, e, 1, s));
    return b;
  }

  test('3 endpoints scoring 0.3, 0.2, 0.1 s: draws (0, 0) are endpoints 0 and 1 → 1; (0.5, 0.5) are 1 and 2 → 2', () => {
    expect(scored([0.3, 0.2, 0.1]).pick(0, 0, draws(0, 0), 1, -1, 0, 0, 0)).toBe(1);
    expect(scored([0.3, 0.2, 0.1]).pick(0, 0, draws(0.5, 0.5), 1, -1, 0, 0, 0)).toBe(2);
    // (0.99, 0.99): a = 2, b = ⌊1.98⌋ = 1 → endpoints 2 and 1 → 2.
    expect(scored([0.3, 0.2, 0.1]).pick(0, 0, draws(0.99, 0.99), 1, -1, 0, 0, 0)).toBe(2);
  });

  test('the second draw is over the m − 1 others: 4 endpoints, draws (0.25, 0.99) are endpoints 1 and 3', () => {
    // a = ⌊0.25·4⌋ = 1, b = ⌊0.99·3⌋ = 2 → 3 (skipping a). Scores make 3 the winner of that pair only.
    expect(scored([0.05, 0.4, 0.01, 0.2]).pick(0, 0, draws(0.25, 0.99), 1, -1, 0, 0, 0)).toBe(3);
    // (0.75, 0.5): a = 3, b = ⌊1.5⌋ = 1 → endpoints 3 and 1 → 3.
    expect(scored([0.05, 0.4, 0.01, 0.2]).pick(0, 0, draws(0.75, 0.5), 1, -1, 0, 0, 0)).toBe(3);
  });

  test('equal scores: the first drawn wins (pick_and_score replaces only on a strictly lower score)', () => {
    expect(scored([0.2, 0.2, 0.2]).pick(0, 0, draws(0.5, 0), 1, -1, 0, 0, 0)).toBe(1); // endpoints 1, 0
    expect(scored([0.2, 0.2, 0.2]).pick(0, 0, draws(0, 0.9), 1, -1, 0, 0, 0)).toBe(0); // endpoints 0, 2
    // Never measured: both read 0, the first drawn.
    const fresh = new IngressNginxBalancer(balancerConfig(2, { algorithm: 'ewma' }));
    expect(fresh.pick(0, 0, draws(0.7, 0.3), 1, -1, 0, 0, 0)).toBe(1);
  });

  test('a retry draws among the endpoints not tried: 3 endpoints, the one tried left out', () => {
    // avoid 0: m = 2; draws (0, 0): a = 0, b = 1, shifted past 0 → endpoints 1 and 2.
    expect(scored([0, 0.2, 0.1]).pick(0, 0, draws(0, 0), 1, 0, 0, 0, 0)).toBe(2);
    expect(scored([0, 0.1, 0.2]).pick(0, 0, draws(0, 0), 1, 0, 0, 0, 0)).toBe(1);
    // avoid 2: draws (0.5, 0): a = 1, b = 0 (both below 2, unshifted) → endpoints 1 and 0; a tie → 1.
    expect(scored([0.1, 0.1, 0]).pick(0, 0, draws(0.5, 0), 1, 2, 0, 0, 0)).toBe(1);
    // avoid 1: draws (0.9, 0.9): a = 1 → 2, b = 0 → endpoints 2 and 0 → the lower, 0.
    expect(scored([0.1, 0, 0.2]).pick(0, 0, draws(0.9, 0.9), 1, 1, 0, 0, 0)).toBe(0);
    // avoid 1: draws (0, 0): a = 0, b = 0 → 1 (past a), then past the tried 1 → 2: endpoints 0 and 2, never 1.
    expect(scored([0.2, 0, 0.1]).pick(0, 0, draws(0, 0), 1, 1, 0, 0, 0)).toBe(2);
  });

  test('two endpoints, one tried: the other, without a draw; one endpoint: that one', () => {
    const two = scored([0.5, 0.9]);
    expect(two.pick(0, 0, none, 1, 0, 0, 0, 0)).toBe(1);
    expect(two.pick(0, 0, none, 1, 1, 0, 0, 0)).toBe(0);
    // Two endpoints, a first try: both drawn, (0.7, 0.3) → endpoints 1 and 0 → 0 scores lower.
    expect(two.pick(0, 0, draws(0.7, 0.3), 1, -1, 0, 0, 0)).toBe(0);
    expect(scored([0.5]).pick(0, 0, none, 1, -1, 0, 0, 0)).toBe(0);
    expect(scored([0.5]).pick(0, 0, none, 1, 0, 0, 0, 0)).toBe(0);
  });

  test('an answer of 0 s counts: it sets a first score of 0, so a later 1 s answer weighs only 1 − e^(−Δt/10)', () => {
    // Endpoint 0: 0 s at t = 1, then 1 s at t = 2: 1·(1 − e^(−0.1)) = 0.095 < 0.5, endpoint 1's score.
    const b = scored([0, 0.5]);
    b.done(0, 0, 2, 1);
    expect(b.pick(0, 0, draws(0.7, 0), 2, -1, 0, 0, 0)).toBe(0);
  });

  test('stats are per controller pod: a slow answer at controller 1 leaves controller 0 with equal scores', () => {
    const b = new IngressNginxBalancer(balancerConfig(2, { algorithm: 'ewma', controllers: 2 }));
    b.done(1, 0, 1, 5);
    expect(b.pick(0, 0, draws(0, 0), 1, -1, 0, 0, 0)).toBe(0); // a tie at controller 0: the first drawn
    expect(b.pick(1, 0, draws(0, 0), 1, -1, 0, 0, 0)).toBe(1); // controller 1 knows endpoint 0 is slow
    b.done(0, 1, 1, 9); // slower than controller 1's endpoint 0: a score read from the wrong controller would show
    expect(b.pick(0, 0, draws(0.6, 0), 1, -1, 0, 0, 0)).toBe(0);
    // Controller 1 still has endpoint 1 unmeasured (0): it beats 0 there, whichever is drawn first.
    expect(b.pick(1, 0, draws(0.6, 0), 1, -1, 0, 0, 0)).toBe(1);
    expect(b.pick(1, 0, draws(0, 0), 1, -1, 0, 0, 0)).toBe(1);
  });
});

describe('chash (upstream-hash-by): the key\'s point on the ring, every try', () => {
  test('the URI key: the ring owner of the key, at every controller and worker, retries included', () => {
    const ids = endpointIds(5);
    const ring = new HashRing(ids);
    const b = new IngressNginxBalancer(balancerConfig(5, { hashBy: HashBy.Uri, controllers: 2, workers: 2, rngs: [always(0.3), always(0.6)] }));
    for (const key of [0, 12345, 0x7fffffff, 0xfffffff0]) {
      const owner = ring.find(key);
      expect(b.pick(0, 0, none, 0, -1, key, 7, 3)).toBe(owner);
      expect(b.pick(1, 1, none, 0, owner, key, 9, 4)).toBe(owner);
    }
  });

  test('the session key ignores the URI and the address; the address key ignores the URI and the session', () => {
    const ring = new HashRing(endpointIds(5));
    const bySession = new IngressNginxBalancer(balancerConfig(5, { hashBy: HashBy.Session }));
    const byAddr = new IngressNginxBalancer(balancerConfig(5, { hashBy: HashBy.RemoteAddr }));
    for (const s of [0, 1, 2, 3, 40]) {
      expect(bySession.pick(0, 0, none, 0, -1, 111 * s, 5 * s, s)).toBe(ring.find(mixSession(s)));
      expect(byAddr.pick(0, 0, none, 0, -1, 111 * s, s, 7 * s)).toBe(ring.find(mixSession(s ^ 0x5bd1e995)));
    }
  });
});

describe('cookie affinity', () => {
  test('persistent: a new session draws uniformly (⌊u·n⌋), then sticks, retries included once its cookie is set', () => {
    const b = new IngressNginxBalancer(balancerConfig(4, { affinity: Affinity.Persistent, sessions: 3 }));
    expect(b.pick(0, 0, draws(0.6), 0, -1, 0, 0, 1)).toBe(2); // ⌊2.4⌋
    expect(b.pick(0, 0, none, 1, -1, 0, 0, 1)).toBe(2); // the next request carries the cookie
    expect(b.pick(0, 0, none, 1, 2, 0, 0, 1)).toBe(2); // a retry goes back to it (cookie-change-on-failure is off)
    expect(b.pick(0, 0, draws(0.99), 0, -1, 0, 0, 0)).toBe(3); // another session, its own draw
    expect(b.pick(0, 0, draws(0), 0, -1, 0, 0, 2)).toBe(0);
    expect(b.pick(0, 0, none, 1, -1, 0, 0, 2)).toBe(0); // a cookie naming endpoint 0 counts too
  });

  test('persistent: a first request that chose endpoint 0 and failed there chooses again (⌊0·3⌋ = 0, past 0 → 1)', () => {
    const b = new IngressNginxBalancer(balancerConfig(4, { affinity: Affinity.Persistent, sessions: 1 }));
    expect(b.pick(0, 0, draws(0.1), 0, -1, 0, 0, 0)).toBe(0);
    expect(b.pick(0, 0, draws(0), 0, 0, 0, 0, 0)).toBe(1);
    expect(b.pick(0, 0, none, 1, -1, 0, 0, 0)).toBe(1);
  });

  test('persistent: a retry of the request that chose the endpoint chooses again among the others (random_except)', () => {
    const b = new IngressNginxBalancer(balancerConfig(4, { affinity: Affinity.Persistent, sessions: 1 }));
    expect(b.pick(0, 0, draws(0.6), 0, -1, 0, 0, 0)).toBe(2);
    // Among the 3 others: ⌊0.7·3⌋ = 2, at or past the failed 2 → 3.
    expect(b.pick(0, 0, draws(0.7), 0, 2, 0, 0, 0)).toBe(3);
    // Still the same request (no cookie yet): again, avoiding 3: ⌊0.5·3⌋ = 1, below 3 → 1.
    expect(b.pick(0, 0, draws(0.5), 0, 3, 0, 0, 0)).toBe(1);
    // ⌊0.4·3⌋ = 1, at the failed 1 → 2.
    expect(b.pick(0, 0, draws(0.4), 0, 1, 0, 0, 0)).toBe(2);
    // The next request has the cookie: 2 from now on.
    expect(b.pick(0, 0, none, 1, -1, 0, 0, 0)).toBe(2);
    expect(b.pick(0, 0, none, 1, 2, 0, 0, 0)).toBe(2);
  });

  test('persistent with one endpoint: a retry stays on it', () => {
    const b = new IngressNginxBalancer(balancerConfig(1, { affinity: Affinity.Persistent, sessions: 1 }));
    expect(b.pick(0, 0, draws(0.3), 0, -1, 0, 0, 0)).toBe(0);
    expect(b.pick(0, 0, draws(0.9), 0, 0, 0, 0, 0)).toBe(0);
  });

  test('balanced: a new session is the ring owner of its key; a retry draws random keys until another endpoint', () => {
    const ids = endpointIds(3);
    const ring = new HashRing(ids);
    const b = new IngressNginxBalancer(balancerConfig(3, { affinity: Affinity.Balanced, sessions: 5 }));
    const first = ring.find(mixSession(4));
    expect(b.pick(0, 0, none, 0, -1, 0, 0, 4)).toBe(first);
    expect(b.pick(0, 0, none, 1, -1, 0, 0, 4)).toBe(first);
    // A fresh session whose first key lands on the endpoint that failed: random keys (u·2³²) until another
    // owner. The keys drawn here sit exactly on ring points: one of the failed endpoint, then one of an
    // endpoint that is neither the failed one nor the owner of the ring's first point.
    const session = [0, 1, 2, 3].find((s) => ring.find(mixSession(s)) === first)!;
    expect(session).toBeDefined();
    const onFirst = ring.points[ring.owners.indexOf(first)]! / 4294967296;
    const target = [0, 1, 2].find((e) => e !== first && e !== ring.owners[0])!;
    const onTarget = ring.points[ring.owners.indexOf(target)]! / 4294967296;
    const b2 = new IngressNginxBalancer(balancerConfig(3, { affinity: Affinity.Balanced, sessions: 5 }));
    expect(b2.pick(0, 0, draws(onFirst, onTarget), 0, first, 0, 0, session)).toBe(target);
    expect(b2.pick(0, 0, none, 1, -1, 0, 0, session)).toBe(target);
  });

  test('balanced: at most 20 keys (MAX_UPSTREAM_CHECKS_COUNT): the session\'s key and 19 random ones', () => {
    const ring = new HashRing(endpointIds(2));
    const session = [0, 1, 2, 3, 4, 5].find((s) => ring.find(mixSession(s)) === 0)!;
    const onZero = ring.points[ring.owners.indexOf(0)]! / 4294967296;
    const b = new IngressNginxBalancer(balancerConfig(2, { affinity: Affinity.Balanced, sessions: 6 }));
    // Every random key lands on the failed endpoint too: after 19 draws it gives up (a 20th would throw).
    expect(b.pick(0, 0, draws(...Array.from({ length: 19 }, () => onZero)), 0, 0, 0, 0, session)).toBe(0);
  });

  test('balanced with one endpoint: no random keys, the one endpoint', () => {
    const b = new IngressNginxBalancer(balancerConfig(1, { affinity: Affinity.Balanced, sessions: 1 }));
    expect(b.pick(0, 0, none, 0, 0, 0, 0, 0)).toBe(0);
  });
});
