/**
 * EndpointTopology's tables (topology.ts) and TopologyViews (topology-views.ts): what each node's
 * kube-proxy may use after its own syncs during a timeline, policy changes, and how candidate lists are
 * shared (one list per distinct content, and none that no node uses).
 */
import { describe, expect, it } from 'vitest';
import { computeEndpoints, computeHints, EndpointTopology, noHints } from '../../../src/model/endpoints/index.js';
import { TopologyViews } from '../../../src/model/endpoints/topology-views.js';
import { Drop, type Endpoint } from '../../../src/model/routing.js';
import { cluster, type ClusterOptions } from '../fixtures.js';

function topology(options: ClusterOptions, ipvs?: boolean): { topo: EndpointTopology; endpoints: Endpoint[] } {
  const { index, service } = cluster(options);
  const endpoints = computeEndpoints(service, service.ports[0]!, index);
  const hints = computeHints(service, endpoints, index);
  const topo = ipvs === undefined ? new EndpointTopology(service, endpoints, hints, index) : new EndpointTopology(service, endpoints, hints, index, ipvs);
  return { topo, endpoints };
}

const notReady = (endpoints: readonly Endpoint[], which: readonly number[]): Endpoint[] =>
  endpoints.map((ep, i) => (which.includes(i) ? { ...ep, ready: false, serving: false } : ep));

describe('EndpointTopology', () => {
  it('internalTrafficPolicy Local without a local endpoint DROPs unless told it is IPVS', () => {
    // node-1 has web-0, node-2 none.
    const options: ClusterOptions = { podsPerNode: [1, 0], service: { internalTrafficPolicy: 'Local' } };
    const iptables = topology(options).topo; // the default: iptables / nftables behaviour
    expect([...iptables.candidates(1, 'internal')]).toEqual([]);
    expect(iptables.dropWhenEmpty(1, 'internal')).toBe(Drop.NoLocalEndpoint);
    expect([...topology(options, true).topo.candidates(1, 'internal')]).toEqual([0]);
  });

  it('each sync rewrites only its own node; other nodes keep what they last saw', () => {
    // Three nodes, one endpoint each. node-1 sees web-0 go unready, then node-2 sees web-1 go unready.
    const { topo, endpoints } = topology({ podsPerNode: [1, 1, 1] });
    topo.applyView(0, notReady(endpoints, [0]), noHints(3));
    topo.applyView(1, notReady(endpoints, [1]), noHints(3));
    expect([0, 1, 2].map((n) => [...topo.candidates(n, 'internal')])).toEqual([
      [1, 2],
      [0, 2],
      [0, 1, 2], // not synced yet: the lists it was built with
    ]);
    expect([0, 1, 2].map((n) => topo.contains(n, 'external', 0))).toEqual([false, true, true]);
  });

  it('a sync that leaves a node nothing usable anywhere REJECTs there', () => {
    const { topo, endpoints } = topology({ podsPerNode: [1, 1] });
    topo.applyView(1, notReady(endpoints, [0, 1]), noHints(2));
    expect([...topo.candidates(1, 'external')]).toEqual([]);
    expect(topo.dropWhenEmpty(1, 'external')).toBe(Drop.NoEndpoints);
    expect([...topo.candidates(0, 'external')]).toEqual([0, 1]);
  });

  it('a policy change reaches a node at its next sync', () => {
    // node-1 has web-0, node-2 none. externalTrafficPolicy goes Cluster -> Local.
    const { topo, endpoints } = topology({ podsPerNode: [1, 0] });
    expect(topo.externalLocal).toBe(false);
    topo.setPolicies(false, true);
    expect(topo.externalLocal).toBe(true);
    expect([...topo.candidates(1, 'external')]).toEqual([0]); // not synced yet
    topo.applyView(1, endpoints, noHints(1));
    expect([...topo.candidates(1, 'external')]).toEqual([]);
    expect(topo.dropWhenEmpty(1, 'external')).toBe(Drop.NoLocalEndpoint);
    expect([...topo.candidates(1, 'internal')]).toEqual([0]);
    topo.setPolicies(true, false);
    topo.applyView(1, endpoints, noHints(1));
    expect(topo.dropWhenEmpty(1, 'internal')).toBe(Drop.NoLocalEndpoint);
    expect([...topo.candidates(1, 'external')]).toEqual([0]);
  });

  it('lists with the same endpoints are one list, whichever way they were found', () => {
    // Zones a and b, one endpoint each, PreferSameZone, internalTrafficPolicy Local: node-1's local list
    // [0] and its zone list [0] are the same list; likewise [1] on node-2. Two lists in all.
    const { topo } = topology({ podsPerNode: [1, 1], zones: ['a', 'b'], service: { trafficDistribution: 'PreferSameZone', internalTrafficPolicy: 'Local' } });
    expect(topo.distinctLists).toBe(2);
  });

  it('no list is made for a zone whose every node has lists of its own', () => {
    // externalTrafficPolicy Local, one endpoint on each of the two nodes: the cluster list [0, 1] and the
    // local lists [0] and [1]. No node has an empty local list, so no empty list exists.
    const { topo } = topology({ podsPerNode: [1, 1], zones: ['a', 'b'], service: { externalTrafficPolicy: 'Local' } });
    expect(topo.distinctLists).toBe(3);
  });

  it('lists are told apart by their endpoints, not by their digits run together', () => {
    // 24 endpoints on node-1; node-1 syncs seeing only 1 and 23 ready, node-2 seeing only 1, 2 and 3.
    const { topo, endpoints } = topology({ podsPerNode: [24, 0] });
    const others = (keep: number[]) => endpoints.map((_, i) => i).filter((i) => !keep.includes(i));
    topo.applyView(0, notReady(endpoints, others([1, 23])), noHints(24));
    topo.applyView(1, notReady(endpoints, others([1, 2, 3])), noHints(24));
    expect([...topo.candidates(0, 'internal')]).toEqual([1, 23]);
    expect([...topo.candidates(1, 'internal')]).toEqual([1, 2, 3]);
  });
});

describe('TopologyViews.specialNodes', () => {
  it('lists, ascending and below the node count, the nodes with an endpoint or named by a node hint', () => {
    const ep = (node: number, ready: boolean, terminating = false): Endpoint => ({ pod: 0, port: 80, node, zone: 0, ready, serving: ready || terminating, terminating });
    // Nodes 4 and 5 are past the node count (4), -1 is no node: none of them is listed.
    const endpoints = [ep(2, true), ep(0, true), ep(1, false, true), ep(4, true), ep(5, true), ep(-1, true), ep(2, true)];
    // Node hints: the last endpoint is hinted for node 3 (the others have none).
    const hints = { forZone: Int32Array.from([-1, -1, -1, -1, -1, -1, -1]), forNode: Int32Array.from([-1, -1, -1, -1, -1, -1, 3]) };
    expect(new TopologyViews(endpoints, hints).specialNodes(4)).toEqual([0, 1, 2, 3]);
  });
});
