/**
 * The conntrack race against glibc's resolver (resolv/res_send.c, `send_dg`; issue 17, item 6): after a
 * timeout with one answer in, glibc sets RES_SNGLKUP and resends the two queries one after the other in the
 * same attempt, on the same socket (same CoreDNS pod, no race). So a raced step costs one 5 s stall and
 * never an attempt: with p = 30 % the old model (an attempt per race, p² failures) failed 9 % of lookups.
 */
import { describe, expect, test } from 'vitest';
import { appPods, clusterIpService, dnsSpec } from '../beyond-fixtures.js';
import { behaviour, client, dist, modelSpec, node } from '../fixtures.js';
import { FREE_PROXY, expectWithin, run } from '../datapath-helpers.js';

function raceSpec(p: number, name = 'web') {
  return {
    ...modelSpec({
      nodes: [node('node-1', 'zone-a'), node('node-2', 'zone-a')],
      pods: appPods('web', ['node-1', 'node-2'], () => ({ behaviour: behaviour({ concurrency: 8, queueCapacity: 1e6, serviceTime: dist('const(1ms)') }) })),
      services: [clusterIpService('web')],
      clients: [
        client({
          name: 'app',
          location: { kind: 'pod', node: 'node-1' },
          target: { service: 'default/web', port: 80, via: 'clusterIP', nodes: [] },
          arrival: { kind: 'open', interarrival: dist('exp(mean=20ms)') },
          connection: { kind: 'per-request' },
          resolve: { name, namespace: 'default', cache: { kind: 'none' }, pick: 'first' },
        }),
      ],
      kubeProxy: FREE_PROXY,
      network: { sameNode: dist('const(50us)'), sameZone: dist('const(100us)') },
    }),
    dns: dnsSpec({ servers: [{ name: 'kube-system/coredns-0', node: 'node-2' }, { name: 'kube-system/coredns-1', node: 'node-1' }], conntrackRace: p }),
  };
}

describe('glibc after a lost reply in the conntrack race', () => {
  test('p = 30 %: one 5 s stall per raced lookup, no failed lookup (the old model failed p² = 9 %)', () => {
    const p = 0.3;
    const r = run(raceSpec(p), { duration: 100 });
    const d = r.dns!;
    const n = d.lookups;
    expect(n).toBeGreaterThan(4000);
    expect(d.failures).toBe(0);
    expectWithin(d.timeouts / n, p, 0.08, 'stalls per lookup');
    // A raced lookup takes 5 s plus two sequential round trips, not 10 s.
    expect(r.latencyByStage!.dns.max!).toBeLessThan(5.1);
    expect(r.latency.p90!).toBeGreaterThan(4.9);
  });

  test('the flags stay for the rest of the lookup: a search walk races at most once', () => {
    // api.example.com with ndots 5: 4 steps (3 search domains, then the name). At p = 50 % the old model
    // stalled every raced step (2 stalls per lookup on average); glibc stalls at most once.
    const r = run(raceSpec(0.5, 'api.example.com'), { duration: 100 });
    const d = r.dns!;
    expect(d.timeouts / d.lookups).toBeLessThanOrEqual(1);
    // P(at least one race in 4 steps) = 1 - 0.5^4 = 0.9375 stalls per lookup.
    expectWithin(d.timeouts / d.lookups, 1 - 0.5 ** 4, 0.06, 'stalls per lookup');
  });
});
