/** Route keys (src/model/links.ts): a count of traversals per kind of link, one base-4 digit each. */
import { describe, expect, test } from 'vitest';
import { Link, linkCount, podToPodKey } from '../../src/model/links.js';

describe('pod-to-pod route key', () => {
  test('same node: out of one pod and into the other, no node-to-node link', () => {
    const key = podToPodKey(3, 3, 0, 0);
    expect(linkCount(key, Link.SameNode)).toBe(2);
    expect(linkCount(key, Link.SameZone)).toBe(0);
    expect(linkCount(key, Link.CrossZone)).toBe(0);
  });

  test('another node in the zone: one same-zone link; in another zone: one cross-zone link', () => {
    const near = podToPodKey(1, 2, 0, 0);
    expect([linkCount(near, Link.SameNode), linkCount(near, Link.SameZone), linkCount(near, Link.CrossZone)]).toEqual([2, 1, 0]);
    const far = podToPodKey(1, 2, 0, 1);
    expect([linkCount(far, Link.SameNode), linkCount(far, Link.SameZone), linkCount(far, Link.CrossZone)]).toEqual([2, 0, 1]);
  });
});
