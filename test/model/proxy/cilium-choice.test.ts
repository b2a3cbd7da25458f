/**
 * Cilium's kube-proxy replacement with scripted draws: when the client's ephemeral port is drawn, which
 * stream each choice uses, the Maglev table's turn order, affinity under Maglev, and what survives a
 * backend change (bpf/bpf_sock.c, bpf/lib/lb.h, pkg/maglev/maglev.go).
 */
import { describe, expect, it } from 'vitest';
import { noHints } from '../../../src/model/endpoints/hints.js';
import { maglevPermutation } from '../../../src/model/maglev.js';
import { CILIUM_AFFINITY_MAX, CILIUM_CT_TCP_MAX, CiliumServiceProxy, createServiceProxy, NODEPORT_LB_COST, SOCKET_LB_COST } from '../../../src/model/proxy/index.js';
import type { Endpoint } from '../../../src/model/routing.js';
import type { CiliumSpec, ServiceSpec } from '../../../src/model/spec.js';
import { cilium, cluster, type ClusterOptions } from '../fixtures.js';
import { scripted, ScriptedStreams } from './scripted-streams.js';

function ciliumProxy(streams: ScriptedStreams, spec: Partial<CiliumSpec> = {}, options: Partial<ClusterOptions> = {}): CiliumServiceProxy {
  const { index, service } = cluster({ podsPerNode: [2, 2, 1], ...options, kubeProxy: { cilium: cilium(spec) } });
  return createServiceProxy(service, service.ports[0]!, index, streams) as CiliumServiceProxy;
}

const CHOICE = 'kube-proxy/node-1/default/web:80/TCP/choice';
const clients = Array.from({ length: 200 }, (_, i) => i * 13 + 5);

/** The paper's population (Maglev, NSDI '16, §3.4, Pseudocode 1): backends take turns in `order`. */
function paperTable(addresses: string[], order: number[], m: number): number[] {
  const perm = addresses.map((a) => maglevPermutation(a, m));
  const next = addresses.map(() => 0);
  const entry: number[] = Array(m).fill(-1);
  let filled = 0;
  for (;;) {
    for (const i of order) {
      const at = (j: number): number => (perm[i]!.offset + j * perm[i]!.skip) % m;
      while (entry[at(next[i]!)]! >= 0) next[i]!++;
      entry[at(next[i]!)] = i;
      next[i]!++;
      if (++filled === m) return entry;
    }
  }
}

describe('the constants of the Cilium data path', () => {
  it('socket-LB 1 µs, north-south 4 µs; CT map 512 Ki entries, affinity map 64 Ki', () => {
    expect([SOCKET_LB_COST, NODEPORT_LB_COST, CILIUM_CT_TCP_MAX, CILIUM_AFFINITY_MAX]).toEqual([1e-6, 4e-6, 524288, 65536]);
  });
});

describe('the client port of a north-south Maglev flow', () => {
  it('is drawn from the ephemeral range 32768..60999 as 32768 + floor(u x 28232): u = 0.5 gives 46884', () => {
    const proxy = ciliumProxy(scripted(0.5), { algorithm: 'maglev', maglevTableSize: 251 });
    for (const c of clients) expect(proxy.choose(0, 'external', c, 0)).toBe(proxy.chooseFlow(0, 'external', c, 46884, 0));
    const low = ciliumProxy(scripted(0), { algorithm: 'maglev', maglevTableSize: 251 });
    for (const c of clients) expect(low.choose(0, 'external', c, 0)).toBe(low.chooseFlow(0, 'external', c, 32768, 0));
  });

  it('is not drawn with session affinity (Cilium hashes port 0), nor for random selection, nor east-west', () => {
    const streams = scripted(0.5);
    const sticky = ciliumProxy(streams, { algorithm: 'maglev', maglevTableSize: 251 }, { service: { sessionAffinity: 'ClientIP', sessionAffinityTimeout: 10 } });
    for (const c of clients) expect(sticky.choose(0, 'external', c, 0)).toBe(sticky.chooseFlow(2, 'external', c, 0, 0));
    expect(streams.asked).toEqual([]);
    // Random: the draws are the pick's only. 0.5 then 0.99 over five backends: 2, then 4.
    const random = ciliumProxy(scripted(0.5, 0.99));
    expect([random.choose(0, 'external', 1, 0), random.choose(0, 'external', 1, 0)]).toEqual([2, 4]);
    // East-west with Maglev configured: uniform at connect(), no port drawn first.
    const eastWest = ciliumProxy(scripted(0.5, 0.99), { algorithm: 'maglev', maglevTableSize: 251 });
    expect([eastWest.choose(0, 'internal', 1, 0), eastWest.choose(0, 'internal', 1, 0)]).toEqual([2, 4]);
  });

  it("east-west and random north-south picks draw from the client node's choice stream", () => {
    const streams = scripted(0.5);
    const proxy = ciliumProxy(streams);
    proxy.choose(0, 'internal', 1, 0);
    proxy.choose(0, 'external', 1, 0);
    expect(streams.asked).toEqual([CHOICE]);
  });
});

describe("the Maglev table: backends take turns in their addresses' text order", () => {
  it('12 backends 10.244.0.1 .. .12 (text order of ip:port: .10, .11, .12, .1, .2, ..; \':\' sorts after digits): the paper\'s table, M = 251', () => {
    const proxy = ciliumProxy(scripted(0.5), { algorithm: 'maglev', maglevTableSize: 251 }, { podsPerNode: [12] });
    const addresses = Array.from({ length: 12 }, (_, e) => `10.244.0.${e + 1}:8080`);
    const textOrder = [9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 8];
    expect([...addresses.keys()].sort((a, b) => (addresses[a]! < addresses[b]! ? -1 : 1))).toEqual(textOrder);
    expect(Array.from(proxy.maglevTable(0))).toEqual(paperTable(addresses, textOrder, 251));
  });

  it('100 backends: the turn order is the text order of all 100 addresses (a sort that merges runs)', () => {
    const proxy = ciliumProxy(scripted(0.5), { algorithm: 'maglev', maglevTableSize: 251 }, { podsPerNode: [100] });
    const addresses = Array.from({ length: 100 }, (_, e) => `10.244.0.${e + 1}:8080`);
    const textOrder = [...addresses].sort().map((a) => addresses.indexOf(a)); // default sort: UTF-16 text order
    expect(textOrder.slice(0, 4)).toEqual([99, 9, 10, 11]); // .100, .10, .11, .12 (':' sorts after '0')
    expect(Array.from(proxy.maglevTable(0))).toEqual(paperTable(addresses, textOrder, 251));
  });

  it('the same backends listed in another order build the same table (every node agrees)', () => {
    const options = (reverse: boolean): ClusterOptions => ({ podsPerNode: [5], pod: (k) => ({ ip: `10.244.0.${reverse ? 5 - k : k + 1}` }) });
    const ips = (reverse: boolean): string[] => {
      const proxy = ciliumProxy(scripted(0.5), { algorithm: 'maglev', maglevTableSize: 251 }, options(reverse));
      const { spec } = cluster({ ...options(reverse), kubeProxy: { cilium: cilium() } });
      return Array.from(proxy.maglevTable(0), (e) => spec.pods[proxy.endpoints[e]!.pod]!.ip);
    };
    const forward = ips(false);
    expect(ips(true)).toEqual(forward);
    expect(new Set(forward).size).toBe(5);
  });

  it('is built once per distinct backend list, shared by nodes with the same list, kept across a sync that changes nothing', () => {
    const proxy = ciliumProxy(scripted(0.5), { algorithm: 'maglev', maglevTableSize: 251 });
    const t0 = proxy.maglevTable(0);
    expect(proxy.maglevTable(1)).toBe(t0);
    expect(proxy.maglevTable(2)).toBe(t0);
    expect(proxy.tablesBuilt).toBe(1);
    proxy.viewChanged(0);
    expect(proxy.maglevTable(0)).toBe(t0);
    expect(proxy.tablesBuilt).toBe(1);
  });

  it("a node's table follows its backends when they change, and comes back when they return", () => {
    const proxy = ciliumProxy(scripted(0.5), { algorithm: 'maglev', maglevTableSize: 251 });
    const full = proxy.maglevTable(0);
    const set = (ready: number[]): void => {
      const view: Endpoint[] = proxy.endpoints.map((ep, e) => (ready.includes(e) ? ep : { ...ep, ready: false, serving: false }));
      proxy.topology.applyView(0, view, noHints(view.length));
      proxy.viewChanged(0);
    };
    set([0, 1, 3, 4]);
    const without2 = proxy.maglevTable(0);
    expect(new Set(without2)).toEqual(new Set([0, 1, 3, 4]));
    expect(proxy.chooseFlow(0, 'external', 3, 40000, 0)).not.toBe(2);
    expect(proxy.maglevTable(1)).toBe(full); // node 2's agent has not heard yet
    set([0, 1, 2, 3, 4]);
    expect(proxy.maglevTable(0)).toBe(full);
    expect(proxy.tablesBuilt).toBe(2);
  });
});

describe('session affinity under Cilium', () => {
  const affinity: Partial<ServiceSpec> = { sessionAffinity: 'ClientIP', sessionAffinityTimeout: 10 };

  it('per node and frontend: a pinned client skips the draw until timeoutSeconds after its last connection', () => {
    const proxy = ciliumProxy(scripted(0, 0.5, 0.99), {}, { service: affinity });
    expect(proxy.choose(0, 'internal', 4, 0)).toBe(0); // draw 0
    expect(proxy.choose(0, 'internal', 4, 9.5)).toBe(0); // pinned
    expect(proxy.choose(0, 'external', 4, 9.5)).toBe(2); // the NodePort frontend has its own map: draw 0.5
    expect(proxy.choose(0, 'internal', 4, 19.5)).toBe(4); // 10 s after: draw 0.99
    expect(proxy.choose(0, 'external', 4, 10)).toBe(2);
  });

  it('each (node, frontend) has its own map: node 3 east-west does not see node 1 north-south', () => {
    const proxy = ciliumProxy(new ScriptedStreams((name) => (name.includes('node-1') ? [0] : [0.99])), {}, { service: affinity });
    expect(proxy.choose(0, 'external', 4, 0)).toBe(0);
    expect(proxy.choose(2, 'internal', 4, 0)).toBe(4);
    expect(proxy.choose(1, 'internal', 4, 0)).toBe(4);
    expect(proxy.choose(0, 'internal', 4, 0)).toBe(0);
  });

  it('a pin to a backend that is no longer a candidate is replaced', () => {
    const proxy = ciliumProxy(scripted(0.99), {}, { podsPerNode: [1, 1], service: affinity });
    const view = (ready: number[]): void => {
      const v: Endpoint[] = proxy.endpoints.map((ep, e) => (ready.includes(e) ? ep : { ...ep, ready: false, serving: false }));
      proxy.topology.applyView(0, v, noHints(v.length));
      proxy.viewChanged(0);
    };
    expect(proxy.choose(0, 'internal', 4, 0)).toBe(1); // floor(0.99 x 2)
    view([0]);
    expect(proxy.choose(0, 'internal', 4, 1)).toBe(0); // 1 is gone: drawn among [0]
    view([0, 1]);
    expect(proxy.choose(0, 'internal', 4, 2)).toBe(0); // pinned to 0 since the last connection
  });

  it('with Maglev the hash leaves the port out: a client maps to the table slot of (address, port 0) on every node', () => {
    const proxy = ciliumProxy(scripted(0.5), { algorithm: 'maglev', maglevTableSize: 251 }, { service: affinity });
    const plain = ciliumProxy(scripted(0.5), { algorithm: 'maglev', maglevTableSize: 251 });
    for (const c of clients) expect(proxy.choose(1, 'external', c, 0)).toBe(plain.chooseFlow(0, 'external', c, 0, 0));
  });
});

describe('SNAT and DSR per backend', () => {
  it('snat masquerades north-south traffic to a backend on another node only; east-west never', () => {
    const proxy = ciliumProxy(scripted(0.5));
    // Endpoints 0, 1 on node 1; 2, 3 on node 2; 4 on node 3.
    expect([0, 1, 2, 3, 4].map((e) => proxy.masquerades(1, 'external', e))).toEqual([true, true, false, false, true]);
    expect([0, 1, 2, 3, 4].map((e) => proxy.masquerades(1, 'internal', e))).toEqual([false, false, false, false, false]);
    expect([0, 1, 2, 3, 4].map((e) => proxy.repliesDirect(1, 'external', e))).toEqual([false, false, false, false, false]);
  });

  it('dsr: the reply of a remote backend goes straight back; a local one has nothing to bypass', () => {
    const proxy = ciliumProxy(scripted(0.5), { mode: 'dsr' });
    expect([0, 1, 2, 3, 4].map((e) => proxy.repliesDirect(1, 'external', e))).toEqual([true, true, false, false, true]);
    expect([0, 1, 2, 3, 4].map((e) => proxy.repliesDirect(1, 'internal', e))).toEqual([false, false, false, false, false]);
    expect([0, 1, 2, 3, 4].map((e) => proxy.masquerades(1, 'external', e))).toEqual([false, false, false, false, false]);
  });
});
