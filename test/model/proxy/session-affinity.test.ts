import { describe, expect, it } from 'vitest';
import { AffinityTable, createServiceProxy, XT_RECENT_LIST_SIZE } from '../../../src/model/proxy/index.js';
import type { ServiceProxy } from '../../../src/model/routing.js';
import type { KubeProxySpec } from '../../../src/model/spec.js';
import { cluster, streams, type ClusterOptions } from '../fixtures.js';

const TIMEOUT = 10;

function affinityProxy(options: Partial<ClusterOptions> = {}, kubeProxy: Partial<KubeProxySpec> = {}): ServiceProxy {
  const { index, service } = cluster({
    podsPerNode: [2, 2, 1],
    ...options,
    service: { sessionAffinity: 'ClientIP', sessionAffinityTimeout: TIMEOUT, ...options.service },
    kubeProxy,
  });
  return createServiceProxy(service, service.ports[0]!, index, streams(3));
}

describe('sessionAffinity ClientIP (iptables)', () => {
  it('pins a client to one endpoint while its new connections keep coming within the timeout', () => {
    const proxy = affinityProxy();
    const first = proxy.choose(0, 'internal', 42, 0);
    // Each new connection restarts the timer, so t = 95 s is still pinned though far past 10 s after the first.
    for (let t = 5; t <= 95; t += 9.5) expect(proxy.choose(0, 'internal', 42, t)).toBe(first);
  });

  it('lets the choice change once the timeout has passed without a new connection', () => {
    const proxy = affinityProxy();
    let changed = 0;
    for (let client = 0; client < 500; client++) {
      const before = proxy.choose(0, 'internal', client, 0);
      expect(proxy.choose(0, 'internal', client, TIMEOUT - 1e-6)).toBe(before);
      if (proxy.choose(0, 'internal', client, 2 * TIMEOUT) !== before) changed++;
    }
    // A fresh uniform pick over 5 endpoints keeps the old one 1 time in 5: 400 +- 4 sigma (~36).
    expect(changed).toBeGreaterThan(364);
    expect(changed).toBeLessThan(436);
  });

  it('keeps separate tables on each node', () => {
    const proxy = affinityProxy();
    let same = 0;
    for (let client = 0; client < 500; client++) {
      if (proxy.choose(0, 'internal', client, 0) === proxy.choose(1, 'internal', client, 0)) same++;
    }
    expect(same).toBeGreaterThan(64); // ~100 = 500 / 5, not 500
    expect(same).toBeLessThan(136);
  });

  it('ignores a pinned endpoint that is not a candidate for this traffic (eTP Local)', () => {
    const proxy = affinityProxy({ podsPerNode: [1, 1], service: { externalTrafficPolicy: 'Local' } });
    for (let client = 0; client < 50; client++) {
      proxy.choose(0, 'internal', client, 0);
      expect(proxy.choose(0, 'external', client, 1)).toBe(0);
    }
  });
});

describe('sessionAffinity ClientIP (IPVS persistence)', () => {
  it('sends a persistent client back to its real server and schedules others as usual', () => {
    const proxy = affinityProxy({ podsPerNode: [1, 1, 1] }, { mode: 'ipvs', ipvsScheduler: 'rr' });
    // The node's real-server list is in its own (random) order: a, b, c.
    const a = proxy.choose(0, 'internal', 1, 0);
    const b = proxy.choose(0, 'internal', 2, 0);
    expect(proxy.choose(0, 'internal', 1, 5)).toBe(a);
    const c = proxy.choose(0, 'internal', 3, 5);
    expect(new Set([a, b, c]).size).toBe(3);
    expect(proxy.choose(0, 'internal', 1, 5 + TIMEOUT)).toBe(a); // template expired: rr goes on from c to a
    expect(proxy.choose(0, 'internal', 2, 5 + TIMEOUT)).toBe(b);
  });
});

describe('AffinityTable', () => {
  it('remembers at most 100 clients per endpoint, evicting the least recently set (xt_recent ip_list_tot)', () => {
    const table = new AffinityTable(2, TIMEOUT, XT_RECENT_LIST_SIZE);
    for (let c = 0; c < 100; c++) table.record(c, 0, 0);
    table.record(0, 0, 1); // client 0 refreshed: client 1 is now the oldest
    table.record(100, 0, 2);
    expect(table.clientsOf(0)).toBe(100);
    expect(table.lookup(0, 3)).toBe(0);
    expect(table.lookup(1, 3)).toBe(-1);
    expect(table.lookup(2, 3)).toBe(0);
    table.record(500, 1, 3); // another endpoint's list is separate
    expect(table.lookup(3, 3)).toBe(0);
  });

  it('moves a client between endpoint lists and expires entries after the timeout', () => {
    const table = new AffinityTable(2, TIMEOUT, XT_RECENT_LIST_SIZE);
    table.record(7, 0, 0);
    table.record(7, 1, 1);
    expect([table.clientsOf(0), table.clientsOf(1), table.lookup(7, 2)]).toEqual([0, 1, 1]);
    expect(table.lookup(7, 1 + TIMEOUT)).toBe(-1);
    expect(table.size).toBe(0);
  });

  it('stays bounded when clients come and go over time', () => {
    const table = new AffinityTable(4, TIMEOUT, Infinity);
    for (let i = 0; i < 200_000; i++) table.record(i, i % 4, i * 0.01); // 100 new clients per second
    expect(table.size).toBeLessThan(2 * 100 * TIMEOUT + 10);
  });

  it.each([
    [4, 60],
    [Infinity, 3000], // grows the hash and the entry pool
  ])('agrees exactly with a naive per-endpoint LRU model (limit %s, %s clients)', (limit, clients) => {
    const table = new AffinityTable(3, 5, limit);
    const lists: number[][] = [[], [], []]; // clients per endpoint, least recently set first
    const stamp = new Map<number, number>();
    let seed = 12345;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let step = 0; step < 20_000; step++) {
      const now = step * 0.01;
      const client = Math.floor(rnd() * clients);
      const ep = lists.findIndex((l) => l.includes(client)); // O(n), fine for a test
      const expected = ep >= 0 && now - stamp.get(client)! < 5 ? ep : -1;
      expect(table.lookup(client, now)).toBe(expected);
      const chosen = expected >= 0 ? expected : Math.floor(rnd() * 3);
      table.record(client, chosen, now);
      if (ep >= 0) lists[ep]!.splice(lists[ep]!.indexOf(client), 1);
      lists[chosen]!.push(client);
      stamp.set(client, now);
      if (lists[chosen]!.length > limit) lists[chosen]!.shift();
    }
  });
});
