import { describe, expect, it } from 'vitest';
import type { ServiceSpec } from '../../../src/model/spec.js';
import { Drop, type TrafficOrigin } from '../../../src/model/routing.js';
import { buildTopology } from '../../../src/model/proxy/index.js';
import { cluster, type ClusterOptions } from '../fixtures.js';

/** Candidate endpoint indices of every node for one origin (drop code when empty). */
function candidatesByNode(options: ClusterOptions, origin: TrafficOrigin): (number[] | number)[] {
  const { index, service } = cluster(options);
  const topo = buildTopology(service, service.ports[0]!, index);
  return index.nodeNames.map((_, n) => {
    const list = [...topo.candidates(n, origin)];
    return list.length > 0 ? list : topo.dropWhenEmpty(n, origin);
  });
}

// Zones a, b, c, a, b: node-1 (a) 1 pod, node-2 (b) 1 pod, node-3 (c) none, node-4 (a) 1 pod, node-5 (b) none.
const FIVE_NODES = { podsPerNode: [1, 1, 0, 1, 0], zones: ['a', 'b', 'c'] } as const;
const withService = (service: Partial<ServiceSpec>, extra: Partial<ClusterOptions> = {}): ClusterOptions => ({
  ...FIVE_NODES,
  service,
  ...extra,
});

describe('kube-proxy topology (CategorizeEndpoints)', () => {
  it('without hints every node may use every ready endpoint, and all nodes share one list', () => {
    const { index, service } = cluster(withService({}));
    const topo = buildTopology(service, service.ports[0]!, index);
    for (let n = 0; n < index.nodeCount; n++) expect([...topo.candidates(n, 'internal')]).toEqual([0, 1, 2]);
    expect(topo.distinctLists).toBe(1);
  });

  it('PreferSameZone keeps traffic in the zone and falls back to the cluster where the zone has no endpoint', () => {
    expect(candidatesByNode(withService({ trafficDistribution: 'PreferSameZone' }), 'internal')).toEqual([
      [0, 2],
      [1],
      [0, 1, 2], // zone c has no endpoint: cluster-wide
      [0, 2],
      [1],
    ]);
  });

  it('PreferClose is an alias of PreferSameZone', () => {
    expect(candidatesByNode(withService({ trafficDistribution: 'PreferClose' }), 'internal')).toEqual(
      candidatesByNode(withService({ trafficDistribution: 'PreferSameZone' }), 'internal'),
    );
  });

  it('PreferSameNode falls back node -> zone -> cluster', () => {
    expect(candidatesByNode(withService({ trafficDistribution: 'PreferSameNode' }), 'internal')).toEqual([
      [0], // own node
      [1],
      [0, 1, 2], // no endpoint in zone c
      [2],
      [1], // node-5 has none, its zone b does
    ]);
  });

  it('hints apply to external traffic under externalTrafficPolicy Cluster too', () => {
    expect(candidatesByNode(withService({ trafficDistribution: 'PreferSameZone' }), 'external')[1]).toEqual([1]);
  });

  it('a not-ready endpoint (no hint) neither blocks hints nor becomes a candidate', () => {
    const options = withService(
      { trafficDistribution: 'PreferSameZone' },
      { podsPerNode: [1, 1, 1, 1, 0], pod: (k) => ({ ready: k !== 2 }) }, // web-2 on node-3 (zone c) not ready
    );
    expect(candidatesByNode(options, 'internal')).toEqual([[0, 3], [1], [0, 1, 3], [0, 3], [1]]);
  });

  it('internalTrafficPolicy Local uses only node-local endpoints and drops without one', () => {
    expect(candidatesByNode(withService({ internalTrafficPolicy: 'Local' }), 'internal')).toEqual([
      [0],
      [1],
      Drop.NoLocalEndpoint,
      [2],
      Drop.NoLocalEndpoint,
    ]);
  });

  it('externalTrafficPolicy Local applies to external traffic only', () => {
    const options = withService({ externalTrafficPolicy: 'Local' });
    expect(candidatesByNode(options, 'external')).toEqual([[0], [1], Drop.NoLocalEndpoint, [2], Drop.NoLocalEndpoint]);
    expect(candidatesByNode(options, 'internal')[2]).toEqual([0, 1, 2]);
  });

  it('a Local policy overrides trafficDistribution', () => {
    const options = withService({ internalTrafficPolicy: 'Local', trafficDistribution: 'PreferSameZone' });
    expect(candidatesByNode(options, 'internal')).toEqual([[0], [1], Drop.NoLocalEndpoint, [2], Drop.NoLocalEndpoint]);
  });

  it('REJECTs (NoEndpoints) rather than DROPs when no endpoint is usable anywhere', () => {
    const options = withService({ internalTrafficPolicy: 'Local' }, { pod: () => ({ ready: false }) });
    expect(candidatesByNode(options, 'internal')).toEqual(Array(5).fill(Drop.NoEndpoints));
    expect(candidatesByNode(withService({}, { podsPerNode: [0, 0, 0, 0, 0] }), 'external')).toEqual(
      Array(5).fill(Drop.NoEndpoints),
    );
  });

  it('falls back to serving terminating endpoints when no endpoint is ready, ignoring topology', () => {
    // web-0 terminating but still Ready (serving), web-1 terminating and not serving, web-2 not ready.
    const pods = [
      { ready: true, terminating: true },
      { ready: false, terminating: true },
      { ready: false, terminating: false },
    ];
    const options = withService({ trafficDistribution: 'PreferSameZone' }, { pod: (k) => pods[k]! });
    expect(candidatesByNode(options, 'internal')).toEqual(Array(5).fill([0]));
  });

  it('prefers ready endpoints to serving terminating ones, in the cluster and the local set separately', () => {
    // node-1: web-0 ready, web-1 terminating-serving. node-2: web-2 terminating-serving only.
    const options: ClusterOptions = {
      podsPerNode: [2, 1],
      service: { internalTrafficPolicy: 'Local' },
      pod: (k) => (k === 0 ? {} : { ready: true, terminating: true }),
    };
    expect(candidatesByNode(options, 'internal')).toEqual([[0], [2]]);
    expect(candidatesByNode({ ...options, service: {} }, 'internal')).toEqual([[0], [0]]);
  });
});
