/**
 * A service mesh on the data path (src/model/mesh/): sidecars balance every request, so long-lived
 * connections no longer pin a client to the pods kube-proxy chose for them; Linkerd's Peak EWMA keeps away
 * from a slow pod exactly as the decay arithmetic says; each proxy adds its hop latency, exactly.
 */
import { describe, expect, it } from 'vitest';
import { ISTIO_POLICY, LINKERD_POLICY } from '../../../src/model/mesh/defaults.js';
import type { MeshKind, MeshPolicySpec, MeshSpec } from '../../../src/model/mesh/spec.js';
import type { ClientSpec, ModelSpec } from '../../../src/model/spec.js';
import { clusterSpec, dist, FREE_PROXY, run } from '../datapath-helpers.js';
import { behaviour, client } from '../fixtures.js';
import { binomialTolerance } from '../statistics.js';

/** A client in a pod on node-1, calling the Service's cluster IP. */
function podClient(overrides: Partial<ClientSpec> = {}): ClientSpec {
  return client({
    name: 'grpc',
    location: { kind: 'pod', node: 'node-1' },
    target: { service: 'default/web', port: 80, via: 'clusterIP', nodes: [] },
    ...overrides,
  });
}

function meshOf(kind: MeshKind, policy: MeshPolicySpec, hop = 'const(0)', podKeys: readonly string[] = []): MeshSpec {
  return {
    hopLatency: { istio: dist(kind === 'istio' ? hop : 'const(0)'), linkerd: dist(kind === 'linkerd' ? hop : 'const(0)') },
    clients: [{ client: 'grpc', mesh: kind, policy }],
    pods: podKeys.map((pod) => ({ pod, mesh: kind })),
  };
}

function withMesh(spec: ModelSpec, mesh: MeshSpec): ModelSpec {
  return { ...spec, mesh };
}

describe('a mesh over long-lived connections', () => {
  const N = 40_000;
  // 8 pods on 4 nodes, the client on a fifth (every pod equally far); a gRPC-like client with 2 multiplexed
  // connections at 30 % load.
  const spec = clusterSpec({
    podsPerNode: [0, 2, 2, 2, 2],
    kubeProxy: FREE_PROXY,
    network: { sameNode: dist('const(50us)'), sameZone: dist('const(200us)') },
    pod: () => ({ behaviour: behaviour({ serviceTime: dist('exp(mean=2ms)'), concurrency: 4, queueCapacity: 1e6 }) }),
    clients: [podClient({ arrival: { kind: 'open', interarrival: dist('exp(rate=4800/s)') }, connection: { kind: 'pool', connections: 2 } })],
  });

  it('kube-proxy pins the two connections: at most two pods see any request', () => {
    const r = run(spec, { requests: N });
    const busy = r.pods.filter((p) => p.requests > 0);
    expect(busy.length).toBeLessThanOrEqual(2);
    expect(busy.reduce((a, p) => a + p.requests, 0)).toBe(N);
  });

  it.each([
    ['istio', ISTIO_POLICY],
    ['linkerd', LINKERD_POLICY],
  ] as const)('%s: every pod gets 1/8 of the requests, within binomial bounds', (kind, policy) => {
    const r = run(withMesh(spec, meshOf(kind, policy)), { requests: N });
    expect(r.accounting.total.completed).toBe(N);
    // Least request and P2C are more even than independent draws: the binomial band (z = 3.89) is a bound.
    for (const p of r.pods) expect(Math.abs(p.requests - N / 8), `${p.pod}: ${p.requests}`).toBeLessThan(binomialTolerance(N, 1 / 8));
    // No kube-proxy on the way: no conntrack entry, no second hop, pods see the client's address.
    expect(r.paths.secondHop).toBe(0);
    for (const n of r.nodes) expect(n.conntrackPeak).toBe(0);
    for (const p of r.pods) expect(p.sources.clientIp).toBe(p.requests);
  });

  it('keep-alive clients too (one request per connection at a time, connections reused)', () => {
    const ka = { ...spec, clients: [podClient({ arrival: { kind: 'open', interarrival: dist('exp(rate=2000/s)') }, connection: { kind: 'keep-alive', requestsPerConnection: 1e9 } })] };
    const pinned = run(ka, { requests: N });
    const meshed = run(withMesh(ka, meshOf('istio', ISTIO_POLICY)), { requests: N });
    for (const p of meshed.pods) expect(Math.abs(p.requests - N / 8)).toBeLessThan(binomialTolerance(N, 1 / 8));
    // Under kube-proxy the few connections the client keeps open decide: the spread is far wider.
    const spread = (r: typeof pinned) => Math.max(...r.pods.map((p) => p.requests)) - Math.min(...r.pods.map((p) => p.requests));
    expect(spread(pinned)).toBeGreaterThan(4 * spread(meshed));
  });
});

describe('Linkerd Peak EWMA with one slow pod', () => {
  /*
   * Hand computation. Two pods, service const 1 ms (fast) and const 10 ms (slow); no network, no hop
   * latency; one closed-loop user thinking const 10 ms, so at every pick nothing is pending and the cost is
   * the RTT estimate alone. P2C over two pods compares both. After each fast response the fast estimate is
   * its RTT, 1 ms (a peak), and by the next pick (10 ms later) it has decayed to e^(−0.01/τ) ms, τ = 10 s.
   * After a slow response the slow estimate is 10 ms and decays as 10·e^(−t/τ) ms. The slow pod wins again
   * at the first pick with 10·e^(−t/τ) ≤ e^(−0.01/τ), i.e. t ≥ τ·ln 10 + 0.01 = 23.036 s after its
   * response; picks come every 11 ms, so a slow cycle (its pick to the next) lasts 23.046-23.057 s.
   * The default RTT is set to the fast pod's 1 ms here, so the start has no transient (with linkerd2-proxy's
   * 30 ms, both estimates decay from 30 ms together and the slow pod is tried every second or so until the
   * fast estimate comes down to its RTT, τ·ln 30 = 34 s later): the slow pod is picked first or second
   * (at 10 or 31 ms), then every slow cycle: 9 times in 200 s (the 9th near 184.4 s, a 10th would need
   * 207 s). A share of 1 in ≈ 2,000 (one 10 ms request per ≈ 2,094 fast ones).
   */
  it('the slow pod gets one request per τ·ln(10) of time, as the decay arithmetic says', () => {
    const spec = clusterSpec({
      podsPerNode: [2],
      kubeProxy: FREE_PROXY,
      pod: (k) => ({ behaviour: behaviour({ serviceTime: dist(k === 0 ? 'const(1ms)' : 'const(10ms)'), concurrency: 1 }) }),
      clients: [podClient({ arrival: { kind: 'closed', users: 1, thinkTime: dist('const(10ms)') }, connection: { kind: 'pool', connections: 1 } })],
    });
    const r = run(withMesh(spec, meshOf('linkerd', { ...LINKERD_POLICY, defaultRtt: 1e-3 })), { duration: 200 });
    const slow = r.pods[1]!.requests;
    expect(slow).toBe(9);
    // The fast pod takes the rest: 200 s of 11 ms cycles, less the slow cycles' 20 ms each.
    expect(Math.abs(r.pods[0]!.requests - (200 - 0.02 * slow) / 0.011)).toBeLessThan(2);
    // Round robin would have given it half; least request (pending only), about half too.
    const lr = run(withMesh(spec, meshOf('istio', { ...ISTIO_POLICY, retries: 0 })), { duration: 200 });
    expect(Math.abs(lr.pods[1]!.requests / lr.accounting.total.completed - 0.5)).toBeLessThan(0.02);
  });

  it('under open load over four pods, the slow pod falls far below its quarter', () => {
    const spec = clusterSpec({
      podsPerNode: [2, 2],
      kubeProxy: FREE_PROXY,
      pod: (k) => ({ behaviour: behaviour({ serviceTime: dist(k === 3 ? 'exp(mean=20ms)' : 'exp(mean=2ms)'), concurrency: 4, queueCapacity: 1e6 }) }),
      clients: [podClient({ arrival: { kind: 'open', interarrival: dist('exp(rate=1000/s)') }, connection: { kind: 'pool', connections: 2 } })],
    });
    const r = run(withMesh(spec, meshOf('linkerd', LINKERD_POLICY)), { duration: 60 });
    const n = r.accounting.total.completed;
    expect(r.pods[3]!.requests / n).toBeLessThan(0.05);
  });
});

describe('the proxies add their hop latency', () => {
  // Constant links and service: every request's latency is the same number, with or without the mesh.
  const base = clusterSpec({
    podsPerNode: [0, 1],
    kubeProxy: FREE_PROXY,
    network: { sameNode: dist('const(30us)'), sameZone: dist('const(250us)') },
    pod: () => ({ behaviour: behaviour({ serviceTime: dist('const(1ms)'), concurrency: 1000 }) }),
    clients: [podClient({ arrival: { kind: 'open', interarrival: dist('const(10ms)') }, connection: { kind: 'keep-alive', requestsPerConnection: 100 } })],
  });
  const direct = run(base, { requests: 200 });
  const plain = 2 * (2 * 30e-6 + 250e-6) + 1e-3;

  it('without a mesh: two pod legs and a node-to-node link each way, plus service', () => {
    expect(direct.latency.min).toBeCloseTo(plain, 12);
    expect(direct.latency.max).toBeCloseTo(plain, 12);
  });

  it('a client sidecar adds one hop; a server sidecar another', () => {
    const one = run(withMesh(base, meshOf('istio', ISTIO_POLICY, 'const(700us)')), { requests: 200 });
    expect(one.latency.min).toBeCloseTo(plain + 700e-6, 12);
    expect(one.latency.max).toBeCloseTo(plain + 700e-6, 12);
    const two = run(withMesh(base, meshOf('linkerd', LINKERD_POLICY, 'const(300us)', ['default/web-0'])), { requests: 200 });
    expect(two.latency.min).toBeCloseTo(plain + 600e-6, 12);
    expect(two.latency.max).toBeCloseTo(plain + 600e-6, 12);
  });
});
