/**
 * Reproducibility: the same spec and seed give the same RunResult (wall-clock figures aside); another seed
 * gives another; and, because every entity draws from its own named stream, adding a client that uses
 * other pods changes nothing for the first client's pods (common random numbers).
 */
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src/model/spec.js';
import { deterministicPart, dist, run } from './datapath-helpers.js';
import { behaviour, client, loadBalancer, modelSpec, node, pod, service } from './fixtures.js';

/** Two Services (a, b) on three nodes in two zones, two pods each, with random links and service times. */
function twoServices(withB: boolean): ModelSpec {
  const nodes = [node('node-1', 'zone-a'), node('node-2', 'zone-b'), node('node-3', 'zone-a')];
  const podsOf = (app: string) =>
    [0, 1].map((k) =>
      pod(`${app}-${k}`, nodes[k + (app === 'a' ? 0 : 1)]!.name, {
        labels: { app },
        behaviour: behaviour({ serviceTime: dist('lognormal(median=1ms, p99=8ms)'), concurrency: 2 }),
      }),
    );
  const svc = (name: string, nodePort: number) =>
    service({
      name,
      clusterIP: `10.96.0.${nodePort - 30000}`,
      selector: { app: name },
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, nodePort }],
      loadBalancer: loadBalancer({ processing: dist('exp(mean=20us)'), crossZone: true }),
    });
  const clientOf = (name: string, target: string) =>
    client({
      name,
      target: { service: target, port: 80, via: 'loadBalancer', nodes: [] },
      arrival: { kind: 'open', interarrival: dist('exp(rate=800/s)') },
      connection: { kind: 'keep-alive', requestsPerConnection: 20 },
      sourceIPs: 4,
      timeout: 0.05,
      retries: 1,
    });
  return modelSpec({
    nodes,
    pods: [...podsOf('a'), ...podsOf('b')],
    services: [svc('a', 30001), svc('b', 30002)],
    clients: withB ? [clientOf('x', 'default/a'), clientOf('y', 'default/b')] : [clientOf('x', 'default/a')],
    network: {
      sameNode: dist('exp(mean=20us)'),
      sameZone: dist('uniform(80us, 160us)'),
      crossZone: dist('lognormal(median=700us, p99=3ms)'),
      external: dist('exp(mean=1ms)'),
      loadBalancerToBackend: dist('const(50us)'),
      forwarding: dist('const(10us)'),
    },
  });
}

describe('determinism', () => {
  it('same spec and seed: identical results (wall clock aside); another seed: different', () => {
    const a = run(twoServices(true), { duration: 10, warmup: 'auto', seed: 42 });
    const b = run(twoServices(true), { duration: 10, warmup: 'auto', seed: 42 });
    const c = run(twoServices(true), { duration: 10, warmup: 'auto', seed: 43 });
    expect(JSON.stringify(deterministicPart(a))).toBe(JSON.stringify(deterministicPart(b)));
    expect(a.latency.mean).not.toBe(c.latency.mean);
    expect(a.accounting.total.generated).not.toBe(c.accounting.total.generated);
  });

  it('adding a client of other pods changes nothing for the first client and its pods (common random numbers)', () => {
    const alone = run(twoServices(false), { duration: 10, seed: 7 });
    const both = run(twoServices(true), { duration: 10, seed: 7 });
    expect(both.clients[1]!.generated).toBeGreaterThan(5000);
    expect(both.clients[0]).toEqual(alone.clients[0]);
    // Everything but the share, which is relative to all pods' requests.
    for (const k of [0, 1]) expect({ ...both.pods[k], share: 0 }).toEqual({ ...alone.pods[k], share: 0 });
    expect(both.pods[0]!.utilisation).toBeGreaterThan(0.2);
  });
});
