import { describe, expect, it } from 'vitest';
import { allocateZoneHints, computeEndpoints, computeHints } from '../../../src/model/endpoints/index.js';
import { buildTopology } from '../../../src/model/proxy/index.js';
import { cluster, type ClusterOptions } from '../fixtures.js';

function autoHints(options: ClusterOptions): number[] | null {
  const { index, service } = cluster({ ...options, service: { topologyModeAuto: true, ...options.service } });
  const hints = allocateZoneHints(computeEndpoints(service, service.ports[0]!, index), index);
  return hints === null ? null : [...hints];
}

describe('topology-mode Auto (proportional allocation by zone CPU)', () => {
  it('keeps every endpoint in its own zone when zones already hold their share', () => {
    expect(autoHints({ podsPerNode: [2, 2, 2], zones: ['a', 'b', 'c'] })).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('moves whole endpoints from over-served zones to under-served ones, in endpoint order', () => {
    // Equal CPU, endpoints 4/1/1: each zone should have 2; zone a gives its first two to b, then c.
    expect(autoHints({ podsPerNode: [4, 1, 1], zones: ['a', 'b', 'c'] })).toEqual([1, 2, 0, 0, 1, 2]);
  });

  it('allocates in proportion to allocatable CPU', () => {
    // CPU 8/4/4 -> shares 1/2, 1/4, 1/4 of 8 endpoints, all running in zone b.
    const hints = autoHints({
      podsPerNode: [0, 8, 0],
      zones: ['a', 'b', 'c'],
      node: (i) => ({ cpu: i === 0 ? 8 : 4 }),
    });
    expect(hints).toEqual([0, 0, 0, 0, 2, 2, 1, 1]);
  });

  it('writes no hints with fewer endpoints than zones, one zone, or a missing CPU figure', () => {
    expect(autoHints({ podsPerNode: [1, 1, 0], zones: ['a', 'b', 'c'] })).toBeNull();
    expect(autoHints({ podsPerNode: [3, 3], zones: ['a'] })).toBeNull();
    expect(autoHints({ podsPerNode: [2, 2, 2], zones: ['a', 'b', 'c'], node: (i) => ({ cpu: i === 2 ? 0 : 4 }) })).toBeNull();
  });

  it('writes no hints when the minimum allocations break the overload threshold', () => {
    // 4 endpoints over 3 equal zones: desired 1.33, minimum ceil(1.33 / 1.2) = 2 per zone > 4 in total.
    expect(autoHints({ podsPerNode: [2, 1, 1], zones: ['a', 'b', 'c'] })).toBeNull();
  });

  it('leaves control-plane nodes out of the CPU shares', () => {
    const hints = autoHints({
      podsPerNode: [2, 2, 0],
      zones: ['a', 'b', 'c'],
      node: (i) => (i === 2 ? { labels: { 'node-role.kubernetes.io/control-plane': '' } } : {}),
    });
    expect(hints).toEqual([0, 0, 1, 1]); // two zones count, not three
  });

  it('takes precedence over trafficDistribution, even when it writes no hints', () => {
    const { index, service } = cluster({
      podsPerNode: [1, 1, 0],
      zones: ['a', 'b', 'c'],
      service: { topologyModeAuto: true, trafficDistribution: 'PreferSameZone' },
    });
    const hints = computeHints(service, computeEndpoints(service, service.ports[0]!, index), index);
    expect([...hints.forZone]).toEqual([-1, -1]);
  });

  it('routes each node to the endpoints allocated to its zone', () => {
    const { index, service } = cluster({
      podsPerNode: [4, 1, 1],
      zones: ['a', 'b', 'c'],
      service: { topologyModeAuto: true },
    });
    const topo = buildTopology(service, service.ports[0]!, index);
    expect([0, 1, 2].map((n) => [...topo.candidates(n, 'internal')])).toEqual([
      [2, 3],
      [0, 4],
      [1, 5],
    ]);
  });
});
