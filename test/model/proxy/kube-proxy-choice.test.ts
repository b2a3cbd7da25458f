/**
 * iptables and nftables endpoint choice with scripted draws, the per-node streams every mode shares, SNAT,
 * and which proxy each mode builds (pkg/proxy/iptables/proxier.go, pkg/proxy/nftables/proxier.go).
 *
 * iptables writes `--probability 1/(n-i)` rules and nftables `numgen random mod n`: a uniform pick, which
 * the model draws as candidates[floor(u x n)]. With five candidates: u = 0 -> 0, 0.2 -> 1, 0.5 -> 2,
 * 0.79 -> 3, 0.99 -> 4.
 */
import { describe, expect, it } from 'vitest';
import {
  createServiceProxy,
  IpvsServiceProxy,
  masqueradesTraffic,
  NotProxiedServiceProxy,
  proxyStreamName,
  RandomServiceProxy,
} from '../../../src/model/proxy/index.js';
import { Drop, type ServiceProxy } from '../../../src/model/routing.js';
import type { KubeProxySpec, ServiceSpec } from '../../../src/model/spec.js';
import { cilium, cluster, dist, service as serviceSpec } from '../fixtures.js';
import { scripted, ScriptedStreams } from './scripted-streams.js';

function proxyFor(streams: ScriptedStreams, kubeProxy: Partial<KubeProxySpec> = {}, service: Partial<ServiceSpec> = {}, podsPerNode = [2, 2, 1]): ServiceProxy {
  const { index, service: svc } = cluster({ podsPerNode, service, kubeProxy });
  return createServiceProxy(svc, svc.ports[0]!, index, streams);
}

const CHOICE = (node: number): string => `kube-proxy/node-${node}/default/web:80/TCP/choice`;
const COST = (node: number): string => `kube-proxy/node-${node}/default/web:80/TCP/cost`;

describe('iptables / nftables: candidates[floor(u x n)] from the node\'s own stream', () => {
  it.each(['iptables', 'nftables'] as const)('%s: each draw maps to its endpoint', (mode) => {
    const proxy = proxyFor(scripted(0, 0.2, 0.5, 0.79, 0.99, 0.3999), { mode });
    expect(Array.from({ length: 6 }, (_, i) => proxy.choose(0, 'internal', i, 0))).toEqual([0, 1, 2, 3, 4, 1]);
  });

  it('under externalTrafficPolicy Local the draw picks among the node-local endpoints only', () => {
    // Node 2 holds endpoints 2 and 3: u = 0.4 -> floor(0.8) = 0 -> 2; u = 0.6 -> 1 -> 3.
    const proxy = proxyFor(scripted(0.4, 0.6), {}, { externalTrafficPolicy: 'Local' });
    expect([proxy.choose(1, 'external', 1, 0), proxy.choose(1, 'external', 1, 0)]).toEqual([2, 3]);
  });

  it('asks for one choice stream per node that chooses, named node / namespace / name:port / protocol / choice', () => {
    const streams = scripted(0.5);
    const proxy = proxyFor(streams);
    for (let i = 0; i < 3; i++) proxy.choose(0, 'internal', i, 0);
    proxy.choose(2, 'external', 1, 0);
    proxy.choose(0, 'external', 1, 0);
    expect(streams.asked).toEqual([CHOICE(1), CHOICE(3)]);
  });

  it('the connection cost has its own per-node stream, apart from the choices', () => {
    const streams = scripted(0.5);
    const proxy = proxyFor(streams);
    proxy.connectionCost(1, 'internal');
    proxy.connectionCost(1, 'external');
    proxy.choose(1, 'internal', 1, 0);
    proxy.choose(1, 'internal', 1, 0);
    proxy.connectionCost(1, 'internal');
    expect(streams.asked).toEqual([COST(2), CHOICE(2)]);
  });

  it('a stream continues from draw to draw (it is kept, not asked for again)', () => {
    const proxy = proxyFor(new ScriptedStreams((name) => (name.endsWith('choice') ? [0, 0.99] : [0.5])));
    expect([0, 1, 2, 3].map((c) => proxy.choose(0, 'internal', c, 0))).toEqual([0, 4, 0, 4]);
  });

  it('the stream name follows the node, namespace, name, port and protocol', () => {
    const svc = serviceSpec({ namespace: 'dns', name: 'kube-dns' });
    expect(proxyStreamName(svc, { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 }, 'node-7', 'cost')).toBe('kube-proxy/node-7/dns/kube-dns:53/UDP/cost');
    expect(proxyStreamName(svc, svc.ports[0]!, 'n', 'choice')).toBe('kube-proxy/n/dns/kube-dns:80/TCP/choice');
  });
});

describe('sessionAffinity ClientIP on iptables / nftables', () => {
  const affinity = { sessionAffinity: 'ClientIP' as const, sessionAffinityTimeout: 10 };

  it('the --rcheck comes first: a client fresh in a list skips the draw; every new connection refreshes it', () => {
    const proxy = proxyFor(scripted(0, 0.5, 0.99), {}, affinity);
    expect(proxy.choose(0, 'internal', 1, 0)).toBe(0); // draw 0
    expect(proxy.choose(0, 'internal', 1, 5)).toBe(0); // pinned, no draw
    expect(proxy.choose(0, 'internal', 2, 5)).toBe(2); // draw 0.5
    expect(proxy.choose(0, 'internal', 1, 14.5)).toBe(0); // 9.5 s after its last connection
    expect(proxy.choose(0, 'internal', 1, 24.5)).toBe(4); // 10 s after: a fresh draw (0.99)
    expect(proxy.choose(1, 'internal', 1, 25)).toBe(0); // another node: its own lists and stream
  });

  it('without affinity every connection draws, the same client or not', () => {
    const proxy = proxyFor(scripted(0, 0.5, 0.99));
    expect([0, 1, 2].map((t) => proxy.choose(0, 'internal', 1, t))).toEqual([0, 2, 4]);
  });

  it('the lists are per endpoint and shared by clusterIP and NodePort traffic; a pin that is no candidate is redrawn', () => {
    const proxy = proxyFor(scripted(0.99), {}, { ...affinity, externalTrafficPolicy: 'Local' }, [1, 1]);
    expect(proxy.choose(0, 'internal', 5, 0)).toBe(1);
    expect(proxy.choose(0, 'external', 5, 1)).toBe(0); // endpoint 1 is not local to node 1: drawn among [0]
    expect(proxy.choose(0, 'internal', 5, 2)).toBe(0); // the NodePort connection re-set the client's entry
  });

  it('iptables remembers 100 clients per endpoint (xt_recent ip_list_tot), nftables 65,535 (the set size)', () => {
    // Draws 0 (endpoint 0) for clients 0..100, then 0.99 (endpoint 1).
    const script = [...Array<number>(101).fill(0), 0.99];
    for (const [mode, pinned] of [['iptables', 1], ['nftables', 0]] as const) {
      const proxy = proxyFor(scripted(...script), { mode }, affinity, [2]);
      for (let c = 0; c <= 100; c++) expect(proxy.choose(0, 'internal', c, 0)).toBe(0);
      expect(proxy.choose(0, 'internal', 0, 1)).toBe(pinned); // iptables evicted client 0, the least recently set
      expect(proxy.choose(0, 'internal', 1, 1)).toBe(0); // client 1 stays in endpoint 0's list either way
    }
  });
});

describe('connection cost: the clusterIP model for internal traffic, the NodePort model for external', () => {
  it('iptables at 1,000 Service ports: (12 µs + walk x 16 ns) x noise, the walk u x 1000 or the whole chain', () => {
    // u = 0.5 for the walk and the noise; the noise at u = 0.5 is 1 to 1e-6 (halfway between e^(-0.3z) and e^(0.3z), z = 0.0012).
    const proxy = proxyFor(scripted(0.5), { mode: 'iptables', servicePorts: 1000 });
    expect(proxy.connectionCost(0, 'internal') / 20e-6).toBeCloseTo(1, 3); // 12 + 500 x 0.016 = 20 µs
    expect(proxy.connectionCost(0, 'external') / 28e-6).toBeCloseTo(1, 3); // 12 + 1000 x 0.016 = 28 µs
  });

  it('nftables and IPVS: 12 µs whatever the origin; kubeProxy.connectionCost replaces both', () => {
    for (const mode of ['nftables', 'ipvs'] as const) {
      const proxy = proxyFor(scripted(0.5), { mode, servicePorts: 30_000 });
      expect(proxy.connectionCost(0, 'internal') / 12e-6).toBeCloseTo(1, 3);
      expect(proxy.connectionCost(2, 'external') / 12e-6).toBeCloseTo(1, 3);
    }
    const fixed = proxyFor(scripted(0.5), { mode: 'iptables', servicePorts: 30_000, connectionCost: dist('const(7us)') });
    expect([fixed.connectionCost(0, 'internal'), fixed.connectionCost(0, 'external')]).toEqual([7e-6, 7e-6]);
  });

  it('Cilium: 1 µs at connect() for east-west, 4 µs at the entry node for north-south', () => {
    const proxy = proxyFor(scripted(0.5), { cilium: cilium() });
    expect(proxy.connectionCost(0, 'internal') / 1e-6).toBeCloseTo(1, 3);
    expect(proxy.connectionCost(0, 'external') / 4e-6).toBeCloseTo(1, 3);
    const fixed = proxyFor(scripted(0.5), { cilium: cilium({ connectionCost: dist('const(2us)') }) });
    expect([fixed.connectionCost(0, 'internal'), fixed.connectionCost(0, 'external')]).toEqual([2e-6, 2e-6]);
  });
});

describe('SNAT', () => {
  it('kube-proxy masquerades external traffic under externalTrafficPolicy Cluster only', () => {
    const c = serviceSpec();
    const l = serviceSpec({ externalTrafficPolicy: 'Local' });
    expect([masqueradesTraffic(c, 'external'), masqueradesTraffic(c, 'internal')]).toEqual([true, false]);
    expect([masqueradesTraffic(l, 'external'), masqueradesTraffic(l, 'internal')]).toEqual([false, false]);
    for (const mode of ['iptables', 'ipvs'] as const) {
      expect(proxyFor(scripted(0.5), { mode }).masquerades(0, 'external', 3)).toBe(true);
      expect(proxyFor(scripted(0.5), { mode }).masquerades(0, 'internal', 3)).toBe(false);
      expect(proxyFor(scripted(0.5), { mode }, { externalTrafficPolicy: 'Local' }).masquerades(0, 'external', 0)).toBe(false);
    }
  });
});

describe('which proxy each mode builds', () => {
  it('iptables and nftables choose at random, IPVS with its scheduler', () => {
    expect(proxyFor(scripted(0.5), { mode: 'iptables' })).toBeInstanceOf(RandomServiceProxy);
    expect(proxyFor(scripted(0.5), { mode: 'nftables' })).toBeInstanceOf(RandomServiceProxy);
    const ipvs = proxyFor(scripted(0.5), { mode: 'ipvs', ipvsScheduler: 'sh' });
    expect(ipvs).toBeInstanceOf(IpvsServiceProxy);
    expect((ipvs as IpvsServiceProxy).scheduler).toBe('sh');
  });

  it('only kube-proxy in IPVS mode sends iTP Local traffic without a local endpoint to the cluster; Cilium drops it', () => {
    const local = { internalTrafficPolicy: 'Local' as const };
    expect(proxyFor(scripted(0.5), { mode: 'ipvs' }, local, [1, 0]).choose(1, 'internal', 1, 0)).toBe(0);
    expect(proxyFor(scripted(0.5), { mode: 'nftables' }, local, [1, 0]).choose(1, 'internal', 1, 0)).toBe(Drop.NoLocalEndpoint);
    expect(proxyFor(scripted(0.5), { mode: 'ipvs', cilium: cilium() }, local, [1, 0]).choose(1, 'internal', 1, 0)).toBe(Drop.NoLocalEndpoint);
  });

  it('a Service kube-proxy does not program: no endpoints, no cost, no SNAT, every connection NotProxied', () => {
    for (const svc of [{ clusterIP: null }, { type: 'ExternalName' as const, clusterIP: null }]) {
      const proxy = proxyFor(scripted(0.5), {}, svc);
      expect(proxy).toBeInstanceOf(NotProxiedServiceProxy);
      expect(proxy.endpoints).toEqual([]);
      expect(proxy.choose(0, 'external', 1, 0)).toBe(Drop.NotProxied);
      expect(proxy.connectionCost(0, 'external')).toBe(0);
      expect(proxy.masquerades(0, 'external', 0)).toBe(false);
    }
  });
});
