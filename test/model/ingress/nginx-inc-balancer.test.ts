/**
 * The NGINX Ingress Controller's upstream methods, rule by rule, as nginx defines them
 * (`src/http/ngx_http_upstream_round_robin.c` `ngx_http_upstream_get_peer`,
 * `modules/ngx_http_upstream_{least_conn,random,hash,ip_hash}_module.c`): smooth weighted round robin
 * (weights 1: each usable peer's current weight grows by 1, the largest, the first on ties, is taken and
 * lowered by the total), least_conn with ties by that round robin, random and `random two` (the second
 * unless it is strictly busier), ip_hash's `hash = (hash·113 + octet) mod 6271` from 89 over three octets,
 * and `max_fails` / `fail_timeout` (a peer is out while now − failed ≤ fail_timeout). Expected picks are
 * worked out by hand.
 */
import { describe, expect, test } from 'vitest';
import { mix32 } from '../../../src/model/hash.js';
import { Affinity, HashBy, HashRing, NODE_ADDRESS } from '../../../src/model/ingress/balancer.js';
import { NginxIncBalancer } from '../../../src/model/ingress/nginx-inc.js';
import type { IngressAlgorithm } from '../../../src/model/spec.js';
import { always, balancerConfig, draws, endpointIds } from './balancer-fixtures.js';

const none = draws();
const balancer = (n: number, algorithm: IngressAlgorithm, extra: Parameters<typeof balancerConfig>[1] = {}) => new NginxIncBalancer(balancerConfig(n, { algorithm, ...extra }));
const picks = (b: NginxIncBalancer, count: number, now = 0, avoid = -1, k = 0) => Array.from({ length: count }, () => b.pick(k, 0, none, now, avoid, 0, 0, 0));

describe('round_robin: smooth weighted round robin, shared by the workers of a pod', () => {
  test('3 peers of weight 1: 0, 1, 2, 0, 1, 2 (the first pick is the first peer)', () => {
    expect(picks(balancer(3, 'round_robin'), 6)).toEqual([0, 1, 2, 0, 1, 2]);
  });

  test('the rotation is per controller pod and not per worker', () => {
    const b = balancer(3, 'round_robin', { controllers: 2, workers: 2 });
    expect([b.pick(0, 0, none, 0, -1, 0, 0, 0), b.pick(0, 1, none, 0, -1, 0, 0, 0), b.pick(1, 1, none, 0, -1, 0, 0, 0), b.pick(0, 0, none, 0, -1, 0, 0, 0)]).toEqual([0, 1, 0, 2]);
  });

  test('a retry skips the peer just tried: avoiding 1 from the start, current weights go [1, ·, 1] → 0, then [0, 1, 2] → 2', () => {
    const b = balancer(3, 'round_robin');
    expect(b.pick(0, 0, none, 0, 1, 0, 0, 0)).toBe(0); // currents 1, (1 skipped), 1: the first → 0 drops to −1
    expect(b.pick(0, 0, none, 0, -1, 0, 0, 0)).toBe(2); // 0, 1, 2 → 2 drops to −1
    expect(b.pick(0, 0, none, 0, -1, 0, 0, 0)).toBe(1); // 1, 2, 0 → 1
  });

  test('no peers: −1, whatever the method', () => {
    expect(balancer(0, 'round_robin').pick(0, 0, none, 0, -1, 0, 0, 0)).toBe(-1);
    expect(balancer(0, 'random').pick(0, 0, always(0.5), 0, -1, 0, 0, 0)).toBe(-1);
  });

  test('each pod keeps its own current weights: pod 1 starts its own rotation', () => {
    const b = balancer(3, 'round_robin', { controllers: 2 });
    expect([b.pick(0, 0, none, 0, -1, 0, 0, 0), b.pick(1, 0, none, 0, -1, 0, 0, 0), b.pick(1, 0, none, 0, -1, 0, 0, 0), b.pick(1, 0, none, 0, -1, 0, 0, 0)]).toEqual([0, 0, 1, 2]);
  });
});

describe('max_fails 1, fail_timeout 10 s', () => {
  test('a refusal at t = 1 takes the peer out while now − 1 ≤ 10: out at t = 11, back just after', () => {
    const b = balancer(2, 'round_robin', { maxFails: 1, failTimeout: 10 });
    b.sent(0, 0);
    b.done(0, 0, 1, -1);
    expect(picks(b, 3, 5)).toEqual([1, 1, 1]);
    expect(picks(b, 3, 11)).toEqual([1, 1, 1]);
    expect(picks(b, 2, 11.001)).toContain(0);
  });

  test('a success clears the failure at once; max_fails 0 never takes a peer out', () => {
    const b = balancer(2, 'round_robin', { maxFails: 1, failTimeout: 10 });
    b.done(0, 0, 1, -1);
    b.done(0, 0, 2, 0.01);
    expect(picks(b, 2, 3)).toContain(0);
    const off = balancer(2, 'round_robin', { maxFails: 0, failTimeout: 10 });
    off.done(0, 0, 1, -1);
    expect(picks(off, 2, 2)).toEqual([0, 1]);
  });

  test('an answer of 0 s is a success, not a failure', () => {
    const b = balancer(2, 'round_robin', { maxFails: 1, failTimeout: 10 });
    b.done(0, 0, 1, 0);
    expect(picks(b, 2, 2)).toEqual([0, 1]);
  });

  test('failures are per controller pod; every peer out: no live upstreams (−1)', () => {
    const b = balancer(2, 'round_robin', { controllers: 2, maxFails: 1, failTimeout: 10 });
    b.done(1, 0, 1, -1);
    expect(b.pick(1, 0, none, 2, -1, 0, 0, 0)).toBe(1);
    expect(b.pick(1, 0, none, 2, -1, 0, 0, 0)).toBe(1);
    b.done(1, 1, 1, -1);
    expect(b.pick(1, 0, none, 2, -1, 0, 0, 0)).toBe(-1);
    expect(b.pick(0, 0, none, 2, -1, 0, 0, 0)).toBe(0);
  });
});

describe('least_conn: fewest requests in flight, ties by the smooth round robin among the tied', () => {
  test('0 busy: 1 and 2 tie → 1; then only 2 is idle → 2; then all tie → the round robin', () => {
    const b = balancer(3, 'least_conn');
    b.sent(0, 0);
    expect(b.pick(0, 0, none, 0, -1, 0, 0, 0)).toBe(1); // currents of the tied: [·, 1, 1] → 1 drops to −1
    b.sent(0, 1);
    expect(b.pick(0, 0, none, 0, -1, 0, 0, 0)).toBe(2); // a single least: no round-robin step
    b.sent(0, 2);
    // All tie at 1: currents [0, −1, 1] + 1 = [1, 0, 2] → 2 drops to −1 (the earlier tie steps count).
    expect(b.pick(0, 0, none, 0, -1, 0, 0, 0)).toBe(2);
    expect(b.pick(0, 0, none, 0, -1, 0, 0, 0)).toBe(0); // [2, 1, 0] → 0
    expect(b.pick(0, 0, none, 0, -1, 0, 0, 0)).toBe(1); // [0, 2, 1] → 1
  });

  test('a finished request lowers the count again, never below zero', () => {
    const b = balancer(2, 'least_conn');
    b.sent(0, 0);
    b.sent(0, 0);
    b.done(0, 0, 1, 0.01);
    expect(b.pick(0, 0, none, 1, -1, 0, 0, 0)).toBe(1); // 0 still has one in flight
    b.done(0, 0, 1, 0.01);
    b.done(0, 0, 1, 0.01); // a stray completion: stays at 0, not −1
    b.sent(0, 0);
    expect(b.pick(0, 0, none, 1, -1, 0, 0, 0)).toBe(1); // 0 has 1 in flight, 1 none
  });

  test('a retry leaves out the peer tried even when it is the least busy; counts are per controller pod', () => {
    const b = balancer(3, 'least_conn', { controllers: 2 });
    b.sent(0, 1);
    b.sent(0, 2);
    b.sent(0, 2);
    expect(b.pick(0, 0, none, 0, 0, 0, 0, 0)).toBe(1);
    expect(b.pick(1, 0, none, 0, -1, 0, 0, 0)).toBe(0); // controller 1 has nothing in flight: the first
    expect(b.pick(0, 0, none, 0, -1, 0, 0, 0)).toBe(0);
    b.sent(1, 0);
    b.sent(1, 1);
    expect(b.pick(1, 0, none, 0, -1, 0, 0, 0)).toBe(2);
  });

  test('the least among the usable: the peer tried does not count, whatever its load', () => {
    const b = balancer(3, 'least_conn');
    b.sent(0, 1);
    b.sent(0, 2);
    b.sent(0, 2);
    b.sent(0, 0);
    b.sent(0, 0);
    b.sent(0, 0);
    expect(b.pick(0, 0, none, 0, 1, 0, 0, 0)).toBe(2);
    b.done(0, 0, 0, 0.01);
    b.done(0, 0, 0, 0.01);
    expect(b.pick(0, 0, none, 0, 2, 0, 0, 0)).toBe(0); // 0 and 1 both at 1: the round robin's first
    b.done(0, 2, 0, 0.01);
    expect(b.pick(0, 0, none, 0, 0, 0, 0, 0)).toBe(1); // 1 and 2 both at 1: 1 is ahead in the round robin
    b.sent(0, 2);
    expect(b.pick(0, 0, none, 0, 0, 0, 0, 0)).toBe(1); // 0 (tried) and 1 at 1, 2 at 2: the single least usable is 1
  });

  test('every peer out (max_fails): −1', () => {
    const b = balancer(2, 'least_conn', { maxFails: 1, failTimeout: 10 });
    b.done(0, 0, 1, -1);
    b.done(0, 1, 1, -1);
    expect(b.pick(0, 0, none, 2, -1, 0, 0, 0)).toBe(-1);
  });
});

describe('least_time (NGINX Plus, simplified): the fewest (in flight + 1) × average response time', () => {
  test('0.125 s against 0.375 s: 0, until 0 has 3 in flight ((3 + 1)·0.125 = 0.5 > 0.375)', () => {
    const b = balancer(2, 'least_time');
    b.done(0, 0, 1, 0.125);
    b.done(0, 1, 1, 0.375);
    expect(b.pick(0, 0, none, 1, -1, 0, 0, 0)).toBe(0);
    b.sent(0, 0);
    b.sent(0, 0);
    expect(b.pick(0, 0, none, 1, -1, 0, 0, 0)).toBe(0); // 3 × 0.125 = 0.375: a tie, the round robin's first
    b.sent(0, 0);
    expect(b.pick(0, 0, none, 1, -1, 0, 0, 0)).toBe(1);
  });

  test('the average decays (τ = 10 s) and the first response sets it exactly', () => {
    const b = balancer(2, 'least_time');
    b.done(0, 0, 0, 0.1); // at t = 20 it reads 0.1·e^(−2) = 0.0135
    b.done(0, 1, 20, 0.05);
    expect(b.pick(0, 0, none, 20, -1, 0, 0, 0)).toBe(0);
    // An answer of 1 s at t = 20 weighs 1 − e^(−2) = 0.865: 0.1·0.135 + 1·0.865 = 0.878 > 0.05.
    b.done(0, 0, 20, 1);
    expect(b.pick(0, 0, none, 20, -1, 0, 0, 0)).toBe(1);
  });
});

describe('random: a peer at random, redrawn while it is not usable (20 draws), then round robin', () => {
  test('4 peers: ⌊0.6·4⌋ = 2; avoiding 2 the draw 0.6 is redrawn: 0.1 → 0', () => {
    expect(balancer(4, 'random').pick(0, 0, draws(0.6), 0, -1, 0, 0, 0)).toBe(2);
    expect(balancer(4, 'random').pick(0, 0, draws(0.6, 0.1), 0, 2, 0, 0, 0)).toBe(0);
  });

  test('20 draws on the peer tried: the round robin over the others (no 21st draw)', () => {
    const twenty = Array.from({ length: 20 }, () => 0.6);
    expect(balancer(4, 'random').pick(0, 0, draws(...twenty), 0, 2, 0, 0, 0)).toBe(0);
    expect(balancer(4, 'random').pick(0, 0, draws(...twenty.slice(0, 19), 0.99), 0, 2, 0, 0, 0)).toBe(3);
  });
});

describe('random two least_conn (get_random2_peer): two distinct usable peers, the second unless strictly busier', () => {
  test('draws 0.1 and 0.6 are peers 0 and 2: both idle → 2; 2 busier → 0; 0 busier → 2', () => {
    expect(balancer(4, 'random_two').pick(0, 0, draws(0.1, 0.6), 0, -1, 0, 0, 0)).toBe(2);
    const b = balancer(4, 'random_two');
    b.sent(0, 2);
    expect(b.pick(0, 0, draws(0.1, 0.6), 0, -1, 0, 0, 0)).toBe(0);
    b.sent(0, 0);
    b.sent(0, 0);
    expect(b.pick(0, 0, draws(0.1, 0.6), 0, -1, 0, 0, 0)).toBe(2);
  });

  test('two peers: both drawn, the second on a tie', () => {
    expect(balancer(2, 'random_two').pick(0, 0, draws(0.1, 0.9), 0, -1, 0, 0, 0)).toBe(1);
    expect(balancer(2, 'random_two').pick(0, 0, draws(0.9, 0.1), 0, -1, 0, 0, 0)).toBe(0);
  });

  test('a repeated draw and the peer tried are drawn again', () => {
    expect(balancer(4, 'random_two').pick(0, 0, draws(0.1, 0.1, 0.9), 0, -1, 0, 0, 0)).toBe(3);
    expect(balancer(4, 'random_two').pick(0, 0, draws(0.6, 0.1, 0.3), 0, 2, 0, 0, 0)).toBe(1);
  });

  test('one peer: it, unless it was just tried; 20 draws without a pair: round robin', () => {
    expect(balancer(1, 'random_two').pick(0, 0, none, 0, -1, 0, 0, 0)).toBe(0);
    expect(balancer(1, 'random_two').pick(0, 0, none, 0, 0, 0, 0, 0)).toBe(-1);
    const same = Array.from({ length: 20 }, () => 0.4);
    expect(balancer(3, 'random_two').pick(0, 0, draws(...same), 0, -1, 0, 0, 0)).toBe(0);
  });

  test('random two least_time compares (in flight + 1) × average response time', () => {
    const b = balancer(3, 'random_two_least_time');
    b.done(0, 0, 1, 0.1);
    b.done(0, 1, 1, 0.2);
    b.done(0, 2, 1, 0.3);
    expect(b.pick(0, 0, draws(0.1, 0.9), 1, -1, 0, 0, 0)).toBe(0); // 0.3 > 0.1: keep the first
    expect(b.pick(0, 0, draws(0.9, 0.1), 1, -1, 0, 0, 0)).toBe(0);
    expect(b.pick(0, 0, draws(0.4, 0.9), 1, -1, 0, 0, 0)).toBe(1); // 1 and 2: 0.3 > 0.2, keep 1
    expect(b.pick(0, 0, draws(0.9, 0.4), 1, -1, 0, 0, 0)).toBe(1); // 2 and 1: the second is not busier
  });
});

describe('ip_hash: the first three octets of the address, (h·113 + octet) mod 6271 from 89', () => {
  const net = (a: number, b: number, c: number) => (a << 16) | (b << 8) | c;
  // 10.0.1: 89 → 3796 → 2520 → 2566; 192.168.7: → 160.
  test('a node at 10.0.1.x hashes to 2566: peer 2566 mod 3 = 1, mod 4 = 2', () => {
    const nodeNet24 = Int32Array.from([net(192, 168, 7), net(10, 0, 1)]);
    expect(balancer(3, 'ip_hash', { nodeNet24 }).pick(0, 0, none, 0, -1, 0, NODE_ADDRESS + 1, 0)).toBe(1);
    expect(balancer(4, 'ip_hash', { nodeNet24 }).pick(0, 0, none, 0, -1, 0, NODE_ADDRESS + 1, 0)).toBe(2);
    // 192.168.7.x: 160 mod 3 = 1, mod 4 = 0.
    expect(balancer(4, 'ip_hash', { nodeNet24 }).pick(0, 0, none, 0, -1, 0, NODE_ADDRESS, 0)).toBe(0);
  });

  test('a client address below NODE_ADDRESS is its own /24: the low 24 bits of mix32(address + 1)', () => {
    const nodeNet24 = new Int32Array(1);
    for (const addr of [0, 5, 77]) {
      const n24 = mix32(addr + 1) & 0xffffff;
      let h = 89;
      for (const octet of [(n24 >>> 16) & 255, (n24 >>> 8) & 255, n24 & 255]) h = (h * 113 + octet) % 6271;
      expect(balancer(7, 'ip_hash', { nodeNet24 }).pick(0, 0, none, 0, -1, 0, addr, 0), `address ${addr}`).toBe(h % 7);
    }
  });
});

describe('hash $key (mod the weight) and hash $key consistent (ketama)', () => {
  test('hash: key mod 3; a retry rehashes (mix32(key + 1)) until another peer', () => {
    const b = balancer(3, 'round_robin', { hashBy: HashBy.Uri });
    expect(b.pick(0, 0, none, 0, -1, 7, 0, 0)).toBe(1);
    expect(b.pick(0, 0, none, 0, 1, 7, 0, 0)).toBe(mix32(8) % 3 === 1 ? mix32(mix32(8) + 2) % 3 : mix32(8) % 3);
  });

  test('hash: a peer out rehashes up to 20 times, then round robin', () => {
    const b = balancer(1, 'round_robin', { hashBy: HashBy.Uri });
    expect(b.pick(0, 0, none, 0, 0, 7, 0, 0)).toBe(-1);
    // 4 peers, 3 just tried and 0 out (max_fails): key 1897140 and its first 19 rehashes all land on 0 or
    // 3 (checked here), so after 20 tries the round robin takes the first usable peer, 1. The 21st rehash
    // would have given 2.
    let h = 1897140;
    for (let t = 0; t < 20; t++) {
      expect([0, 3]).toContain(h % 4);
      h = mix32(h + t + 1);
    }
    expect(h % 4).toBe(2);
    const four = balancer(4, 'round_robin', { hashBy: HashBy.Uri, maxFails: 1, failTimeout: 10 });
    four.done(0, 0, 0, -1);
    expect(four.pick(0, 0, none, 1, 3, 1897140, 0, 0)).toBe(1);
  });

  test('consistent: the ring owner of the key; a retry takes the next point of another peer', () => {
    const ring = new HashRing(endpointIds(4));
    const b = balancer(4, 'round_robin', { hashBy: HashBy.Uri, hashConsistent: true });
    for (const key of [3, 99999, 0xabcdef01]) {
      const owner = ring.find(key);
      expect(b.pick(0, 0, none, 0, -1, key, 0, 0)).toBe(owner);
      const retry = b.pick(0, 0, none, 0, owner, key, 0, 0);
      expect(retry).not.toBe(owner);
      expect(retry).toBe(ring.findExcept(key, owner));
    }
  });

  test('consistent: the owner out (max_fails) falls back to round robin', () => {
    const ring = new HashRing(endpointIds(3));
    const b = balancer(3, 'round_robin', { hashBy: HashBy.Uri, hashConsistent: true, maxFails: 1, failTimeout: 10 });
    const owner = ring.find(42);
    b.done(0, owner, 1, -1);
    expect(b.pick(0, 0, none, 2, -1, 42, 0, 0)).toBe(owner === 0 ? 1 : 0);
  });
});

describe('sticky cookie (NGINX Plus): a session returns to its peer while it is usable', () => {
  test('the first request takes the method\'s pick, the next ones follow it; a failed peer is replaced', () => {
    const b = balancer(3, 'round_robin', { affinity: Affinity.Persistent, sessions: 2, maxFails: 1, failTimeout: 10 });
    expect(b.pick(0, 0, none, 0, -1, 0, 0, 0)).toBe(0);
    expect(b.pick(0, 0, none, 0, -1, 0, 0, 1)).toBe(1);
    expect(b.pick(0, 0, none, 0, -1, 0, 0, 0)).toBe(0);
    expect(b.pick(0, 0, none, 0, -1, 0, 0, 1)).toBe(1);
    expect(b.pick(0, 0, none, 0, 0, 0, 0, 0)).toBe(2); // the retry of session 0 after 0 failed: round robin
    expect(b.pick(0, 0, none, 0, -1, 0, 0, 0)).toBe(2); // ...and the session now follows 2
    b.done(0, 2, 1, -1);
    expect(b.pick(0, 0, none, 2, -1, 0, 0, 0)).not.toBe(2);
    // No peer at all: the session keeps no cookie.
    const out = balancer(1, 'round_robin', { affinity: Affinity.Persistent, sessions: 1, maxFails: 1, failTimeout: 10 });
    out.done(0, 0, 0, -1);
    expect(out.pick(0, 0, none, 1, -1, 0, 0, 0)).toBe(-1);
    expect(out.pick(0, 0, none, 20, -1, 0, 0, 0)).toBe(0);
  });
});
