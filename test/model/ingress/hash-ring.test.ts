/**
 * What the three controllers' balancers share (src/model/ingress/balancer.ts): the ketama-like ring of
 * resty.chash / nginx `hash … consistent` (160 points per endpoint, the first point at or after the key,
 * wrapping), the request's hashing key by what an upstream hashes on, and the EWMA's clamp of a negative
 * Δt to 0 (ewma.lua `decay_ewma`: `td = (td > 0) and td or 0`).
 */
import { describe, expect, test } from 'vitest';
import { fnv1a32, mix32 } from '../../../src/model/hash.js';
import { CHASH_POINTS, HashBy, HashRing, decayed, hashKey, mixSession, updated } from '../../../src/model/ingress/balancer.js';
import { endpointIds } from './balancer-fixtures.js';

describe('the hash ring', () => {
  const ids = endpointIds(3);
  const ring = new HashRing(ids);

  test('160 points per endpoint, at the hashes of `id\\0j`, in ascending order', () => {
    expect(CHASH_POINTS).toBe(160);
    expect(ring.points).toHaveLength(480);
    for (let i = 1; i < ring.points.length; i++) expect(ring.points[i]!).toBeGreaterThanOrEqual(ring.points[i - 1]!);
    ids.forEach((id, e) => {
      const mine = new Set(Array.from({ length: 160 }, (_, j) => mix32(fnv1a32(`${id}\u0000${j}`))));
      const placed = Array.from(ring.points).filter((_, i) => ring.owners[i] === e);
      expect(placed.every((h) => mine.has(h))).toBe(true);
      expect(placed).toHaveLength(160);
    });
    expect(new HashRing(ids, 5).points).toHaveLength(15);
  });

  test('a key picks the owner of the first point at or after it; past the last point it wraps to the first', () => {
    const pts = ring.points;
    const last = pts.length - 1;
    for (const i of [0, 1, 17, 240, last]) {
      expect(ring.find(pts[i]!)).toBe(ring.owners[i]);
      if (i > 0 && pts[i - 1]! < pts[i]! - 1) expect(ring.find(pts[i]! - 1)).toBe(ring.owners[i]);
      if (i < last && pts[i + 1]! > pts[i]! + 1) expect(ring.find(pts[i]! + 1)).toBe(ring.owners[i + 1]);
    }
    expect(ring.find(0)).toBe(ring.owners[0]);
    expect(ring.find(pts[last]! + 1)).toBe(ring.owners[0]);
    expect(ring.find(0xffffffff)).toBe(pts[last] === 0xffffffff ? ring.owners[last] : ring.owners[0]);
    // Keys are read as unsigned 32-bit: −1 is 0xffffffff.
    expect(ring.find(-1)).toBe(ring.find(0xffffffff));
  });

  test('findExcept: the first owner at or after the key other than the one to avoid, wrapping', () => {
    const pts = ring.points;
    for (const i of [0, 5, 300, pts.length - 1]) {
      const owner = ring.owners[i]!;
      let j = i;
      while (ring.owners[j % pts.length] === owner) j++;
      expect(ring.findExcept(pts[i]!, owner)).toBe(ring.owners[j % pts.length]);
      expect(ring.findExcept(pts[i]!, -1)).toBe(owner);
    }
    // One endpoint: nothing else to take, so that one.
    const single = new HashRing(endpointIds(1));
    expect(single.findExcept(12345, 0)).toBe(0);
  });

  test('ties between equal hashes are ordered by endpoint: the same id twice gives each point to the first', () => {
    const twin = new HashRing(['a', 'a']);
    for (let i = 0; i < twin.points.length; i += 2) expect([twin.owners[i], twin.owners[i + 1]]).toEqual([0, 1]);
    expect(twin.find(twin.points[7]!)).toBe(0);
  });
});

describe('the hashing key of a request', () => {
  test('URI: the URI\'s hash as given; address and session: a well-spread hash of the number, salted apart', () => {
    expect(hashKey(HashBy.Uri, 4242, 7, 9)).toBe(4242);
    expect(hashKey(HashBy.RemoteAddr, 4242, 7, 9)).toBe(mixSession(7 ^ 0x5bd1e995));
    expect(hashKey(HashBy.RemoteAddr, 1, 7, 1)).toBe(hashKey(HashBy.RemoteAddr, 2, 7, 2));
    expect(hashKey(HashBy.Session, 4242, 7, 9)).toBe(mixSession(9));
    expect(hashKey(HashBy.Session, 1, 1, 9)).toBe(hashKey(HashBy.Session, 2, 2, 9));
    // Address 3 and session 3 are different keys.
    expect(hashKey(HashBy.RemoteAddr, 0, 3, 3)).not.toBe(hashKey(HashBy.Session, 0, 3, 3));
  });

  test('mixSession: MurmurHash3\'s finaliser of (key + 1)·0x9e3779b1 ^ 0x2545f491; distinct keys spread over 32 bits', () => {
    expect(mixSession(0)).toBe(mix32(0x9e3779b1 ^ 0x2545f491));
    expect(mixSession(1)).toBe(mix32(Math.imul(2, 0x9e3779b1) ^ 0x2545f491));
    const keys = Array.from({ length: 1000 }, (_, k) => mixSession(k));
    expect(new Set(keys).size).toBe(1000);
    expect(keys.every((h) => h >= 0 && h <= 0xffffffff)).toBe(true);
    // Spread: about half of them have the top bit set (binomial sd 16: within 80).
    expect(Math.abs(keys.filter((h) => h >= 0x80000000).length - 500)).toBeLessThan(80);
  });
});

describe('the EWMA clamps a negative Δt to 0', () => {
  test('touched after now (a later update already applied): the score reads as it is, an answer weighs nothing', () => {
    expect(decayed(0.2, 10, 9)).toBe(0.2);
    expect(updated(0.2, 10, 5, 9)).toBe(0.2);
  });
});
