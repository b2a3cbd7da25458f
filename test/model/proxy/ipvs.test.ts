import { describe, expect, it } from 'vitest';
import { createIpvsScheduler, createServiceProxy } from '../../../src/model/proxy/index.js';
import type { ServiceProxy } from '../../../src/model/routing.js';
import type { IpvsScheduler } from '../../../src/model/spec.js';
import { cluster, streams, type ClusterOptions } from '../fixtures.js';
import { histogram } from '../statistics.js';

function ipvs(scheduler: IpvsScheduler, options: Partial<ClusterOptions> = {}): ServiceProxy {
  const { index, service } = cluster({
    podsPerNode: [1, 1, 1],
    zones: ['a', 'b', 'c'],
    ...options,
    kubeProxy: { mode: 'ipvs', ipvsScheduler: scheduler },
  });
  return createServiceProxy(service, service.ports[0]!, index, streams(1));
}

const pick = (proxy: ServiceProxy, node: number, n: number, client = (i: number) => i): number[] =>
  Array.from({ length: n }, (_, i) => proxy.choose(node, 'internal', client(i), 0));

describe('IPVS schedulers, per node and per virtual service', () => {
  it("rr cycles through the endpoints in the node's own list order, independently on each node", () => {
    const proxy = ipvs('rr');
    const first = pick(proxy, 0, 4);
    expect(new Set(first.slice(0, 3)).size).toBe(3); // every endpoint once per round
    expect(first[3]).toBe(first[0]);
    const other = pick(proxy, 1, 3);
    expect(new Set(other).size).toBe(3); // node-2 has its own list and position: no shared state
    expect(pick(proxy, 0, 2)).toEqual([first[1], first[2]]);
    expect(new Set(pick(proxy, 0, 3)).size).toBe(3);
  });

  it('wrr with kube-proxy weights (all 1) is rr; with weights 4/3/2 it interleaves as the kernel does', () => {
    const w = pick(ipvs('wrr'), 0, 6);
    expect(new Set(w.slice(0, 3)).size).toBe(3);
    expect(w.slice(3)).toEqual(w.slice(0, 3));
    const wrr = createIpvsScheduler('wrr', {
      destinations: Int32Array.of(0, 1, 2),
      weights: [4, 3, 2],
      endpointCount: 3,
      address: 0,
    });
    expect(Array.from({ length: 18 }, () => wrr.schedule(0))).toEqual([
      0, 0, 1, 0, 1, 2, 0, 1, 2, 0, 0, 1, 0, 1, 2, 0, 1, 2,
    ]);
  });

  it('lc picks the endpoint with the fewest active connections on this node, the first in its list on ties', () => {
    const proxy = ipvs('lc');
    const open = (node: number) => {
      const e = proxy.choose(node, 'internal', 1, 0);
      proxy.connectionOpened(node, 'internal', e);
      return e;
    };
    const [a, b, c] = [open(0), open(0), open(0)];
    expect(new Set([a, b, c]).size).toBe(3); // one each: the list order breaks the ties
    proxy.connectionClosed(0, 'internal', b!); // closed without a time: forgotten at once
    expect(open(0)).toBe(b);
    proxy.connectionClosed(0, 'internal', c!);
    proxy.connectionClosed(0, 'internal', a!);
    expect(open(0)).toBe(a); // a and c idle: a is first in the list
    const onNode2 = open(1);
    expect(onNode2).toBeGreaterThanOrEqual(0); // node-2 saw none of node-1's connections: its own list head
    expect(proxy.choose(1, 'internal', 1, 0)).not.toBe(onNode2);
  });

  it('wlc and sed weigh connections by weight; nq takes an idle server first', () => {
    const vs = { destinations: Int32Array.of(0, 1), weights: [1, 3], endpointCount: 2, address: 0 };
    const run = (name: IpvsScheduler, active: [number, number]): number => {
      const s = createIpvsScheduler(name, vs);
      for (let e = 0; e < 2; e++) for (let k = 0; k < active[e]!; k++) s.opened(e);
      return s.schedule(0);
    };
    expect(run('lc', [1, 2])).toBe(0); // 1 < 2
    expect(run('wlc', [1, 2])).toBe(1); // 1/1 > 2/3
    expect(run('sed', [0, 2])).toBe(0); // (0+1)/1 < (2+1)/3 is false: 1 = 1, first wins
    expect(run('sed', [1, 2])).toBe(1); // 2/1 > 3/3
    expect(run('nq', [1, 0])).toBe(1); // idle
    expect(run('nq', [0, 5])).toBe(0);
  });

  it('sh sends a client to the same endpoint on a node, and spreads clients over endpoints', () => {
    const proxy = ipvs('sh');
    const clients = Array.from({ length: 3000 }, (_, i) => i * 7 + 3);
    const onNode1 = clients.map((c) => proxy.choose(0, 'internal', c, 0));
    expect(clients.map((c) => proxy.choose(0, 'internal', c, 5))).toEqual(onNode1);
    for (const count of histogram(onNode1, 3)) expect(count).toBeGreaterThan(800);
  });

  it('dh sends every connection of a virtual service to one endpoint (it hashes the service IP)', () => {
    const proxy = ipvs('dh');
    expect(new Set(pick(proxy, 0, 100)).size).toBe(1);
  });
});
