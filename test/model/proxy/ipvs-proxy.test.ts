/**
 * kube-proxy's IPVS mode on each node (pkg/proxy/ipvs/proxier.go): one virtual service per address (the
 * clusterIP, and the node's own IP for the NodePort), each with its own real-server list, scheduler and
 * counters. The list order is kube-proxy's Go-set order reversed by the kernel's head insertion, which the
 * model draws as a Fisher-Yates shuffle (one draw per position, from the last down to 1) from the node's
 * choice stream. The streams here are scripted, so every list order and choice is worked out by hand.
 *
 * Fisher-Yates on [0, 1, 2] with draw u at i = 2, then at i = 1, swapping i with j = floor(u x (i + 1)):
 *   u = 0.99, 0.99: j = 2, 1 -> [0, 1, 2]     u = 0, 0: j = 0, 0 -> [2, 1, 0] -> [1, 2, 0]
 *   u = 0.5, 0.5:   j = 1, 1 -> [0, 2, 1]
 */
import { describe, expect, it } from 'vitest';
import { noHints } from '../../../src/model/endpoints/hints.js';
import { createServiceProxy, IpvsServiceProxy } from '../../../src/model/proxy/index.js';
import { Drop, type Endpoint, type ServiceProxy } from '../../../src/model/routing.js';
import type { IpvsScheduler, ServiceSpec } from '../../../src/model/spec.js';
import { cluster } from '../fixtures.js';
import { scripted, type ScriptedStreams } from './scripted-streams.js';

function ipvs(scheduler: IpvsScheduler, streams: ScriptedStreams, service: Partial<ServiceSpec> = {}, podsPerNode = [1, 1, 1]): IpvsServiceProxy {
  const { index, service: svc } = cluster({ podsPerNode, service, kubeProxy: { mode: 'ipvs', ipvsScheduler: scheduler } });
  const proxy = createServiceProxy(svc, svc.ports[0]!, index, streams);
  expect(proxy).toBeInstanceOf(IpvsServiceProxy);
  return proxy as IpvsServiceProxy;
}

const picks = (p: ServiceProxy, node: number, n: number, origin: 'internal' | 'external' = 'internal'): number[] =>
  Array.from({ length: n }, () => p.choose(node, origin, 1, 0));

/** Node `node`'s kube-proxy now sees only the endpoints in `ready` (a sync during a timeline). */
function sync(p: ServiceProxy & { topology: IpvsServiceProxy['topology'] }, node: number, ready: number[]): void {
  const view: Endpoint[] = p.endpoints.map((ep, e) => (ready.includes(e) ? ep : { ...ep, ready: false, serving: false }));
  p.topology.applyView(node, view, noHints(view.length));
  p.viewChanged(node);
}

describe("the real-server list is a shuffle drawn from the node's choice stream", () => {
  it('rr goes round the drawn list from its head', () => {
    expect(picks(ipvs('rr', scripted(0.99)), 0, 4)).toEqual([0, 1, 2, 0]);
    expect(picks(ipvs('rr', scripted(0)), 0, 4)).toEqual([1, 2, 0, 1]);
    expect(picks(ipvs('rr', scripted(0.5)), 0, 4)).toEqual([0, 2, 1, 0]);
  });

  it("draws the list once per virtual service, from the stream named after the node, Service port and 'choice'", () => {
    const streams = scripted(0.99);
    const proxy = ipvs('rr', streams);
    picks(proxy, 0, 5);
    picks(proxy, 0, 5, 'external');
    expect(streams.asked).toEqual(['kube-proxy/node-1/default/web:80/TCP/choice']);
    picks(proxy, 2, 2);
    expect(streams.asked).toEqual(['kube-proxy/node-1/default/web:80/TCP/choice', 'kube-proxy/node-3/default/web:80/TCP/choice']);
  });

  it('the clusterIP and NodePort services of a node take n - 1 draws each, in turn, from the one stream', () => {
    // Draws 0.5, 0.99 make the clusterIP list [0, 2, 1]; the next two, 0 and 0.5, the NodePort list [2, 1, 0].
    const proxy = ipvs('rr', scripted(0.5, 0.99, 0, 0.5));
    expect(picks(proxy, 0, 3)).toEqual([0, 2, 1]);
    expect(picks(proxy, 0, 3, 'external')).toEqual([2, 1, 0]);
    expect(picks(proxy, 0, 1)).toEqual([0]); // the clusterIP service kept its own place
  });

  it('each node has its own virtual services: node 3 keeps no state of node 1', () => {
    const proxy = ipvs('rr', scripted(0.99));
    expect(picks(proxy, 0, 2)).toEqual([0, 1]);
    expect(picks(proxy, 2, 2, 'external')).toEqual([0, 1]);
    expect(picks(proxy, 1, 1)).toEqual([0]);
    expect(picks(proxy, 0, 1, 'external')).toEqual([0]);
    expect(picks(proxy, 2, 1)).toEqual([0]);
    expect(picks(proxy, 0, 1)).toEqual([2]);
  });
});

describe('no candidate', () => {
  it('NodePort traffic under externalTrafficPolicy Local on a node without a local pod is dropped, not scheduled', () => {
    const proxy = ipvs('rr', scripted(0.99), { externalTrafficPolicy: 'Local' }, [1, 0]);
    expect(proxy.choose(1, 'external', 1, 0)).toBe(Drop.NoLocalEndpoint);
    expect(proxy.choose(0, 'external', 1, 0)).toBe(0);
    expect(ipvs('rr', scripted(0.99), {}, [0, 0]).choose(0, 'internal', 1, 0)).toBe(Drop.NoEndpoints);
  });
});

describe('dh hashes the virtual address: the clusterIP, or the NodePort node IP', () => {
  it('clusterIP 10.96.0.10 (bucket 242) takes list entry 2; node IPs 10.0.0.1, .2, .3 (39, 137, 235) take 0, 2, 1', () => {
    const proxy = ipvs('dh', scripted(0.99)); // lists [0, 1, 2]
    expect(picks(proxy, 0, 3)).toEqual([2, 2, 2]);
    expect(picks(proxy, 0, 2, 'external')).toEqual([0, 0]);
    expect(picks(proxy, 1, 1, 'external')).toEqual([2]);
    expect(picks(proxy, 2, 1, 'external')).toEqual([1]);
  });
});

describe('connection counts per virtual service (lc)', () => {
  it('a connection opened before any choice creates the virtual service and counts', () => {
    const proxy = ipvs('lc', scripted(0.99)); // list [0, 1, 2]
    proxy.connectionOpened(0, 'internal', 0);
    expect(proxy.choose(0, 'internal', 1, 0)).toBe(1);
    proxy.connectionOpened(0, 'internal', 1);
    expect(proxy.choose(0, 'internal', 1, 0)).toBe(2);
    proxy.connectionClosed(0, 'internal', 0); // closed without a time: forgotten
    expect(proxy.choose(0, 'internal', 1, 0)).toBe(0);
    expect(proxy.choose(0, 'external', 1, 0)).toBe(0); // the NodePort service counted none of them
  });

  it("opening and closing on node 3's clusterIP service leave node 1's NodePort service alone", () => {
    const proxy = ipvs('lc', scripted(0.99)); // every list [0, 1, 2]
    expect(proxy.choose(0, 'external', 1, 0)).toBe(0);
    proxy.connectionOpened(2, 'internal', 0);
    expect(proxy.choose(0, 'external', 1, 0)).toBe(0);
    expect(proxy.choose(2, 'internal', 1, 0)).toBe(1);
    proxy.connectionOpened(0, 'external', 1);
    proxy.connectionClosed(2, 'internal', 0, 5); // node 3: 0 inactive; node 1's NodePort service: 1 active
    expect(proxy.choose(0, 'external', 1, 5)).toBe(0);
    expect(proxy.choose(2, 'internal', 1, 5)).toBe(1);
  });

  it('connections opened on an existing NodePort service add up there (the service is not made again)', () => {
    const proxy = ipvs('lc', scripted(0.99)); // [0, 1, 2]
    expect(proxy.choose(0, 'external', 1, 0)).toBe(0);
    proxy.connectionOpened(0, 'external', 0);
    proxy.connectionOpened(0, 'external', 0);
    proxy.connectionOpened(0, 'external', 1);
    expect(proxy.choose(0, 'external', 1, 0)).toBe(2); // active 2, 1, 0
    proxy.connectionOpened(0, 'external', 2);
    proxy.connectionOpened(0, 'external', 2);
    expect(proxy.choose(0, 'external', 1, 0)).toBe(1); // active 2, 1, 2
  });

  it('closing on a node whose virtual service does not exist yet changes nothing', () => {
    const proxy = ipvs('lc', scripted(0.99));
    proxy.connectionClosed(1, 'internal', 0, 5);
    expect(proxy.choose(1, 'internal', 1, 5)).toBe(0);
  });

  it('a closed connection stays inactive for 120 s on its own virtual service', () => {
    const proxy = ipvs('lc', scripted(0.99));
    proxy.connectionOpened(0, 'external', 0);
    proxy.connectionClosed(0, 'external', 0, 10);
    expect(proxy.choose(0, 'external', 1, 129)).toBe(1); // 0 has 1 inactive
    expect(proxy.choose(0, 'external', 1, 130)).toBe(0); // gone at 130
    expect(proxy.choose(2, 'internal', 1, 11)).toBe(0);
  });
});

describe('sessionAffinity ClientIP: IPVS persistence, per virtual service', () => {
  it('a client with a live template skips the scheduler; the template lasts timeoutSeconds after its last connection', () => {
    const proxy = ipvs('rr', scripted(0.99), { sessionAffinity: 'ClientIP', sessionAffinityTimeout: 10 }); // rr over [0, 1, 2]
    expect(proxy.choose(0, 'internal', 7, 0)).toBe(0);
    expect(proxy.choose(0, 'internal', 8, 0)).toBe(1);
    expect(proxy.choose(0, 'internal', 7, 5)).toBe(0); // persistent: rr not advanced
    expect(proxy.choose(0, 'internal', 9, 5)).toBe(2);
    expect(proxy.choose(0, 'internal', 7, 14.9)).toBe(0); // 9.9 s after its last connection
    expect(proxy.choose(0, 'internal', 8, 10)).toBe(0); // 10 s after: expired, rr goes on after 2
    expect(proxy.choose(0, 'external', 7, 15)).toBe(0); // the NodePort service has its own templates and rr
    expect(proxy.choose(0, 'external', 9, 15)).toBe(1);
    expect(proxy.choose(1, 'internal', 9, 15)).toBe(0); // another node: its own templates
  });
});

describe('kube-proxy rewrites a node\'s real-server lists (a sync)', () => {
  it('servers that stay keep their order; rr resumes after its last server if it stays', () => {
    const proxy = ipvs('rr', scripted(0.5)); // [0, 2, 1]
    expect(picks(proxy, 0, 1)).toEqual([0]);
    sync(proxy, 0, [0, 2]); // endpoint 1 gone: [0, 2]
    expect(picks(proxy, 0, 3)).toEqual([2, 0, 2]);
  });

  it('new servers go to the head in a drawn order, and rr keeps its place', () => {
    const zero = ipvs('rr', scripted(0));
    sync(zero, 0, [0]);
    expect(picks(zero, 0, 2)).toEqual([0, 0]);
    sync(zero, 0, [0, 1, 2]); // added [1, 2] shuffled with u = 0: [2, 1]; list [2, 1, 0]
    expect(picks(zero, 0, 4)).toEqual([2, 1, 0, 2]); // after 0, the last of the list: the head
    const half = ipvs('rr', scripted(0.5));
    sync(half, 0, [2]);
    expect(picks(half, 0, 1)).toEqual([2]);
    sync(half, 0, [0, 1, 2]); // added [0, 1] with u = 0.5: j = 1, [0, 1]; list [0, 1, 2]
    expect(picks(half, 0, 4)).toEqual([0, 1, 2, 0]); // 2 was last: the head comes next
  });

  it('rr restarts at the head when its last server was removed; a node with no virtual service yet is untouched', () => {
    const proxy = ipvs('rr', scripted(0.99)); // [0, 1, 2]
    expect(picks(proxy, 0, 2)).toEqual([0, 1]);
    sync(proxy, 0, [0, 2]);
    expect(picks(proxy, 0, 3)).toEqual([0, 2, 0]);
    sync(proxy, 1, [2]); // node 2 has no virtual service yet: its first list is drawn from the new view
    expect(picks(proxy, 1, 2)).toEqual([2, 2]);
  });

  it("a sync of node 3 leaves node 1's virtual services as they were", () => {
    const proxy = ipvs('rr', scripted(0.99));
    expect(picks(proxy, 0, 1, 'external')).toEqual([0]);
    expect(picks(proxy, 1, 1)).toEqual([0]);
    expect(picks(proxy, 2, 1)).toEqual([0]);
    sync(proxy, 2, [2]);
    expect(picks(proxy, 0, 2, 'external')).toEqual([1, 2]);
    expect(picks(proxy, 1, 2)).toEqual([1, 2]);
    expect(picks(proxy, 2, 2)).toEqual([2, 2]);
  });

  it('both virtual services of the node are rewritten; their connection counts carry over', () => {
    const proxy = ipvs('lc', scripted(0.99)); // [0, 1, 2] for both
    proxy.connectionOpened(0, 'internal', 0);
    proxy.connectionOpened(0, 'external', 1);
    sync(proxy, 0, [0, 1]);
    expect(proxy.choose(0, 'internal', 1, 0)).toBe(1);
    expect(proxy.choose(0, 'external', 1, 0)).toBe(0);
    sync(proxy, 0, [1, 2]);
    expect(proxy.choose(0, 'internal', 1, 0)).toBe(2); // added 2 at the head, the list [2, 1]: both idle
    expect(proxy.choose(0, 'external', 1, 0)).toBe(2);
  });
});
