/**
 * Names end to end: cluster DNS caches and TTLs, the ndots walk's query counts, the conntrack race, headless
 * Services balanced by the client, ExternalName to an external host. Fixed seeds; tolerances per test.
 */
import { describe, expect, test } from 'vitest';
import type { RunResult } from '../../src/model/result.js';
import type { AddressPick, ClientSpec, DnsCachePolicy, DnsSpec, ModelSpec, ServiceSpec } from '../../src/model/spec.js';
import { appPods, clusterIpService, dnsSpec, externalHost } from './beyond-fixtures.js';
import { behaviour, client, dist, modelSpec, node } from './fixtures.js';
import { FREE_PROXY, expectWithin, run } from './datapath-helpers.js';

interface Options {
  readonly name?: string;
  readonly cache?: DnsCachePolicy;
  readonly pick?: AddressPick;
  readonly dns?: Partial<DnsSpec>;
  readonly interarrival?: string;
  readonly connection?: ClientSpec['connection'];
  readonly service?: Partial<ServiceSpec>;
  readonly network?: Partial<ModelSpec['network']>;
  readonly pods?: number;
}

/** Two nodes; `web` (4 pods) with a cluster IP or headless; CoreDNS on node-2; a client pod on node-1 resolving a name. */
function dnsScenario(o: Options = {}): ModelSpec {
  const web = clusterIpService('web', o.service ?? {});
  const headless = web.clusterIP === null;
  const ext = clusterIpService('my-externalname-service', {
    type: 'ExternalName',
    clusterIP: null,
    selector: null,
    ports: [],
    externalName: 'my-external-service.example.com',
  });
  const name = o.name ?? 'web';
  const external = name.startsWith('my-external');
  const c = client({
    name: 'app',
    location: { kind: 'pod', node: 'node-1' },
    target: external
      ? { service: 'default/my-externalname-service', port: 80, via: 'external', nodes: [] }
      : { service: 'default/web', port: 80, via: headless ? 'podIP' : 'clusterIP', nodes: [] },
    arrival: { kind: 'open', interarrival: dist(o.interarrival ?? 'const(100ms)') },
    connection: o.connection ?? { kind: 'per-request' },
    resolve: { name, namespace: 'default', cache: o.cache ?? { kind: 'none' }, pick: o.pick ?? 'first' },
  });
  return {
    ...modelSpec({
      nodes: [node('node-1', 'zone-a'), node('node-2', 'zone-a')],
      pods: appPods('web', Array.from({ length: o.pods ?? 4 }, (_, k) => (k % 2 ? 'node-2' : 'node-1')), () => ({
        behaviour: behaviour({ concurrency: 8, queueCapacity: 1e6, serviceTime: dist('const(1ms)') }),
      })),
      services: [web, ext],
      clients: [c],
      kubeProxy: FREE_PROXY,
      network: o.network ?? {},
    }),
    dns: dnsSpec({ servers: [{ name: 'kube-system/coredns-0', node: 'node-2' }], ...o.dns }),
    externalHosts: [externalHost('my-external-service.example.com')],
  };
}

/** The arrival times of a `const(dt)` open-loop client before `duration`, as the simulator sums them. */
function arrivals(dt: number, duration: number): number[] {
  const out: number[] = [];
  for (let t = dt; t < duration; t += dt) out.push(t);
  return out;
}

describe('CoreDNS cache and TTL', () => {
  test('a cluster name is cached for its TTL (5 s), then missed once: misses every 5.1 s at 10 lookups/s', () => {
    const r = run(dnsScenario({ dns: { recordTTL: 5, cacheTTL: 30, missTime: dist('const(100us)') } }), { duration: 30 });
    const dns = r.dns!;
    // Reference: the A and AAAA answers are cached at the miss's service end (+100 us) for 5 s.
    let expiry = -1;
    let misses = 0;
    const times = arrivals(0.1, 30);
    for (const t of times) {
      if (t >= expiry) {
        misses++;
        expiry = t + 100e-6 + 5;
      }
    }
    expect(dns.lookups).toBe(times.length);
    expect(dns.serverCacheMisses).toBe(2 * misses);
    expect(dns.serverCacheHits).toBe(2 * (times.length - misses));
    expect(misses).toBe(6); // 0.1, 5.2, 10.3, 15.4, 20.5, 25.6
    expect(dns.queries).toBe(2 * times.length);
    expect(dns.nxdomain).toBe(0);
    expect(dns.servers[0]).toMatchObject({ pod: 'kube-system/coredns-0', node: 'node-2', queries: dns.queries, cacheHits: dns.serverCacheHits });
  });

  test('kubeadm\'s newer Corefile (no caching of the cluster domain): every query is a miss', () => {
    const r = run(dnsScenario({ dns: { cacheClusterDomain: false } }), { duration: 10 });
    expect(r.dns!.serverCacheHits).toBe(0);
    expect(r.dns!.serverCacheMisses).toBe(r.dns!.queries);
  });

  test('a JVM client caches the answer 30 s whatever the TTL: one lookup queries per 30 s', () => {
    const r = run(dnsScenario({ cache: { kind: 'jvm' }, dns: { recordTTL: 5 } }), { duration: 65 });
    const n = arrivals(0.1, 65).length;
    expect(r.dns!.lookups).toBe(n);
    expect(r.dns!.clientCacheHits).toBe(n - 3); // lookups at 0.1, ~30.1, ~60.1
    expect(r.dns!.queries).toBe(6);
    // A client cache honouring the TTL (5 s): a lookup every 5 s.
    const ttl = run(dnsScenario({ cache: { kind: 'ttl' }, dns: { recordTTL: 5 } }), { duration: 30 });
    expect(ttl.dns!.queries).toBe(2 * 6);
  });

  test('a client caching by TTL keeps the answer\'s TTL (60 s), not the search list\'s NXDOMAINs\' (5 s)', () => {
    const r = run(dnsScenario({ name: 'my-external-service.example.com', cache: { kind: 'ttl' }, dns: { recordTTL: 5, cacheTTL: 0 } }), { duration: 30 });
    expect(r.dns!.queries).toBe(8);
    expect(r.dns!.clientCacheHits).toBe(r.dns!.lookups - 1);
  });

  test('keep-alive connections resolve once per connection, not per request', () => {
    const r = run(dnsScenario({ connection: { kind: 'keep-alive', requestsPerConnection: 100 } }), { duration: 30 });
    expect(r.dns!.lookups).toBe(Math.ceil(arrivals(0.1, 30).length / 100));
    expect(r.latencyByStage!.dns.requests).toBe(r.latency.count);
  });
});

describe('the search walk, end to end', () => {
  test.each([
    ['web', 2, 0],
    ['web.default', 4, 2],
    ['web.default.svc.cluster.local', 8, 6],
    ['web.default.svc.cluster.local.', 2, 0],
  ])('%s: %i queries and %i NXDOMAIN per lookup', (name, queries, nx) => {
    const r = run(dnsScenario({ name, dns: { cacheTTL: 0 } }), { duration: 5 });
    const n = r.dns!.lookups;
    expect(n).toBe(arrivals(0.1, 5).length);
    expect(r.dns!.queries).toBe(queries * n);
    expect(r.dns!.nxdomain).toBe(nx * n);
    expect(r.accounting.measured.completed).toBe(n);
  });

  test('an ExternalName: CNAME plus the target chased upstream; the request leaves the cluster directly', () => {
    const r = run(
      dnsScenario({
        name: 'my-externalname-service',
        network: { sameNode: dist('const(20us)'), sameZone: dist('const(100us)') },
        dns: { cacheTTL: 0, upstream: dist('const(2ms)'), missTime: dist('const(100us)') },
      }),
      { duration: 10 },
    );
    const st = r.latencyByStage!;
    // DNS: pod -> CoreDNS on node-2 (20 + 100 + 20 us) each way + 100 us CPU + 2 ms upstream.
    expect(st.dns.mean!).toBeCloseTo(2 * 140e-6 + 100e-6 + 2e-3, 9);
    // The external call: 10 ms at the host; 5 ms + 20 us each way on the network; no pod.
    expect(st.external.mean!).toBeCloseTo(10e-3, 9);
    expect(st.network.mean!).toBeCloseTo(2 * (5e-3 + 20e-6), 9);
    expect(st.podService.requests).toBe(0);
    expect(r.latency.mean!).toBeCloseTo(st.dns.mean! + 10e-3 + 2 * (5e-3 + 20e-6), 9);
    expect(r.externalHosts![0]).toMatchObject({ host: 'my-external-service.example.com', requests: r.latency.count, served: r.latency.count, refused: 0 });
    expect(r.dns!.upstreamQueries).toBe(r.dns!.queries);
    expect(r.pods.every((p) => p.requests === 0)).toBe(true);
  });
});

describe('the conntrack race', () => {
  test('p = 5 %: a step stalls 5 s with probability p, then glibc resends sequentially in the same attempt: no failure', () => {
    const p = 0.05;
    const r = run(dnsScenario({ dns: { conntrackRace: p }, interarrival: 'exp(mean=10ms)' }), { duration: 200 });
    const d = r.dns!;
    const n = d.lookups;
    expect(n).toBeGreaterThan(18000);
    expectWithin(d.timeouts / n, p, 0.1, 'timeouts per lookup');
    expect(d.failures).toBe(0);
    expect(r.accounting.measured.dropped['dns-failure'] ?? 0).toBe(d.failures);
    // The stall shows in the DNS stage and in the request latency: p99 at 5 s.
    expect(r.latencyByStage!.dns.p99!).toBeGreaterThan(4.9);
    expect(r.latency.p99!).toBeGreaterThan(4.9);
    expect(r.latency.p90!).toBeLessThan(0.01);
  });
});

describe('headless Services: the client balances', () => {
  const headless = { clusterIP: null } as const;
  const shares = (r: RunResult) => {
    const pods = r.pods.filter((x) => x.pod.startsWith('default/web-'));
    const total = pods.reduce((n, x) => n + x.requests, 0);
    return pods.map((x) => x.requests / total);
  };

  test('no kube-proxy: the pod\'s own address, no entry node, no second hop', () => {
    const r = run(dnsScenario({ service: headless }), { duration: 20 });
    expect(r.nodes.every((n) => n.entryRequests === 0 && n.newConnections === 0)).toBe(true);
    expect(r.paths.secondHop).toBe(0);
    expect(r.dns!.servers[0]!.queries).toBe(2 * r.dns!.lookups);
  });

  test('glibc (no cache), first address, loadbalance shuffling: each connection a random pod (±3 % of 1/4)', () => {
    const r = run(dnsScenario({ service: headless, interarrival: 'const(10ms)' }), { duration: 200 });
    for (const s of shares(r)) expect(Math.abs(s - 0.25)).toBeLessThan(0.03);
  });

  test('without the loadbalance plugin every client takes the first address: one pod gets everything', () => {
    const r = run(dnsScenario({ service: headless, dns: { loadbalance: false } }), { duration: 20 });
    expect(shares(r)).toEqual([1, 0, 0, 0]);
  });

  test('a JVM client with "first": one pod for the whole 30 s cache time', () => {
    const r = run(dnsScenario({ service: headless, cache: { kind: 'jvm' } }), { duration: 25 });
    expect(shares(r).filter((s) => s > 0)).toEqual([1]);
  });

  test('a caching client with round-robin over the cached set: an exact rotation', () => {
    const r = run(dnsScenario({ service: headless, cache: { kind: 'jvm' }, pick: 'round-robin' }), { duration: 25 });
    const counts = r.pods.filter((x) => x.pod.startsWith('default/web-')).map((x) => x.requests);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  test('a caching client picking at random: even within ±4 %', () => {
    const r = run(dnsScenario({ service: headless, cache: { kind: 'jvm' }, pick: 'random', interarrival: 'const(10ms)' }), { duration: 100 });
    for (const s of shares(r)) expect(Math.abs(s - 0.25)).toBeLessThan(0.04);
  });

  test('not-ready pods are not in the answer', () => {
    const spec = dnsScenario({ service: headless });
    const pods = spec.pods.map((p, k) => (k >= 2 ? { ...p, ready: false } : p));
    const r = run({ ...spec, pods }, { duration: 20 });
    expect(shares(r).slice(2)).toEqual([0, 0]);
  });
});

describe('CoreDNS as a queue', () => {
  test('a slow CoreDNS with one worker queues queries: the DNS stage grows, the utilisation shows it', () => {
    const r = run(
      dnsScenario({ interarrival: 'exp(mean=2ms)', dns: { concurrency: 1, cacheClusterDomain: false, missTime: dist('exp(mean=0.8ms)') } }),
      { duration: 60, warmup: 5 },
    );
    // 1000 queries/s × 0.8 ms = 0.8 busy; the pair of a lookup is served one after the other.
    expectWithin(r.dns!.servers[0]!.utilisation, 0.8, 0.03, 'CoreDNS utilisation');
    expect(r.latencyByStage!.dns.mean!).toBeGreaterThan(3e-3);
  });
});
