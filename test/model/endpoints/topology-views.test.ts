/**
 * Every node's lists computed at once (topology-views.ts) equal `categorizeEndpoints` run node by node, on
 * random endpoints (ready, serving, terminating, pending) and random zone and node hints.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { ClusterIndex } from '../../../src/model/cluster-index.js';
import { categorizeEndpoints, EndpointTopology } from '../../../src/model/endpoints/topology.js';
import { Drop } from '../../../src/model/routing.js';
import type { ServiceSpec } from '../../../src/model/spec.js';
import { TopologyViews } from '../../../src/model/endpoints/topology-views.js';
import type { Endpoint } from '../../../src/model/routing.js';

const NODES = 6;
const zoneOf = (n: number): number => n % 3;

const endpointArb = fc.record({
  node: fc.integer({ min: -1, max: NODES - 1 }),
  ready: fc.boolean(),
  serving: fc.boolean(),
  terminating: fc.boolean(),
  zoneHint: fc.integer({ min: -1, max: 2 }),
  nodeHint: fc.integer({ min: -1, max: NODES - 1 }),
});

describe('TopologyViews', () => {
  test('equals categorizeEndpoints on every node', () => {
    fc.assert(
      fc.property(fc.array(endpointArb, { maxLength: 12 }), fc.boolean(), fc.boolean(), (raw, allZone, allNode) => {
        const endpoints: Endpoint[] = raw.map((e, i) => ({ pod: i, port: 80, node: e.node, zone: e.node < 0 ? -1 : zoneOf(e.node), ready: e.ready, serving: e.serving, terminating: e.terminating }));
        // Often every endpoint has a hint (else hints are ignored, and the interesting branches never run).
        const hints = {
          forZone: Int32Array.from(raw, (e) => (allZone ? Math.max(0, e.zoneHint) : e.zoneHint)),
          forNode: Int32Array.from(raw, (e) => (allNode ? Math.max(0, e.nodeHint) : e.nodeHint)),
        };
        const views = new TopologyViews(endpoints, hints);
        for (let node = 0; node < NODES; node++) {
          const want = categorizeEndpoints(endpoints, hints, node, zoneOf(node));
          expect([...views.cluster(node, zoneOf(node))]).toEqual(want.cluster);
          expect([...views.local(node)]).toEqual(want.local);
          expect(views.hasAnyEndpoints).toBe(want.hasAnyEndpoints);
        }
      }),
      { numRuns: 500, seed: 15 },
    );
  });

  test('EndpointTopology (zone lists + special nodes, then a table per node after a sync) answers as categorizeEndpoints', () => {
    // Only what EndpointTopology reads of the index.
    const index = { nodeCount: NODES, zoneCount: 3, nodeZone: Int32Array.from({ length: NODES }, (_, n) => zoneOf(n)) } as unknown as ClusterIndex;
    fc.assert(
      fc.property(fc.array(endpointArb, { maxLength: 10 }), fc.boolean(), fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: NODES - 1 }), (raw, itpLocal, etpLocal, ipvs, synced) => {
        const endpoints: Endpoint[] = raw.map((e, i) => ({ pod: i, port: 80, node: e.node, zone: e.node < 0 ? -1 : zoneOf(e.node), ready: e.ready, serving: e.serving, terminating: e.terminating }));
        const hints = { forZone: Int32Array.from(raw, (e) => e.zoneHint), forNode: Int32Array.from(raw, (e) => e.nodeHint) };
        const service = { internalTrafficPolicy: itpLocal ? 'Local' : 'Cluster', externalTrafficPolicy: etpLocal ? 'Local' : 'Cluster' } as ServiceSpec;
        const topo = new EndpointTopology(service, endpoints, hints, index, ipvs);
        const check = (): void => {
          for (let node = 0; node < NODES; node++) {
            const c = categorizeEndpoints(endpoints, hints, node, zoneOf(node));
            for (const origin of ['internal', 'external'] as const) {
              let local = origin === 'internal' ? itpLocal : etpLocal;
              if (local && origin === 'internal' && ipvs && c.local.length === 0) local = false;
              const want = local ? c.local : c.cluster;
              expect([...topo.candidates(node, origin)]).toEqual(want);
              expect(topo.dropWhenEmpty(node, origin)).toBe(local && c.hasAnyEndpoints ? Drop.NoLocalEndpoint : Drop.NoEndpoints);
              for (let e = 0; e < endpoints.length; e++) expect(topo.contains(node, origin, e)).toBe(want.includes(e));
            }
          }
        };
        check();
        // A sync with the same view changes nothing, on that node or any other.
        topo.applyView(synced, endpoints, hints);
        check();
      }),
      { numRuns: 300, seed: 15 },
    );
  });
});
