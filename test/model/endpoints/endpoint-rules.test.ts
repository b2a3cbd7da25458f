/**
 * Edge rules of the EndpointSlice controller's endpoints and hints (k/k
 * `staging/src/k8s.io/endpointslice`: `podToEndpoint`, `FindPort`; `trafficdist/trafficdist.go`: hints on
 * ready endpoints only) and of the label index behind the selector (pod-selection.ts).
 */
import { describe, expect, it } from 'vitest';
import type { TimeSpec } from '../../../src/model/control/spec.js';
import { ClusterIndex } from '../../../src/model/cluster-index.js';
import { computeEndpoints, computeHints, isProxied, matchesSelector } from '../../../src/model/endpoints/index.js';
import { hasTimeline } from '../../../src/model/endpoints/compute-endpoints.js';
import { podsMatching } from '../../../src/model/endpoints/pod-selection.js';
import { cilium, cluster, modelSpec, node, pod, service } from '../fixtures.js';

/** A TimeSpec with only the fields `hasTimeline` reads (the rest play no part here). */
function time(parts: { timeline?: number; autoscalers?: number; nodeGroups?: number }): TimeSpec {
  const many = (n: number | undefined): unknown[] | undefined => (n === undefined ? undefined : Array.from({ length: n }, () => ({})));
  return { timeline: many(parts.timeline ?? 0), autoscalers: many(parts.autoscalers), nodeGroups: many(parts.nodeGroups) } as unknown as TimeSpec;
}

describe('which pods are endpoints', () => {
  it('matchesSelector: every key of the selector with the same value; other labels do not matter', () => {
    const p = pod('web-0', 'node-1', { labels: { app: 'web', tier: 'front' } });
    expect(matchesSelector(p, { app: 'web' })).toBe(true);
    expect(matchesSelector(p, { app: 'web', tier: 'front' })).toBe(true);
    expect(matchesSelector(p, { app: 'web', tier: 'back' })).toBe(false);
    expect(matchesSelector(p, { app: 'web', version: 'v1' })).toBe(false);
    expect(matchesSelector(p, {})).toBe(true);
  });

  it('podsMatching: a pod must carry every pair of the selector, not only the rarest one', () => {
    // tier=front is the rarest pair (2 pods), but web-api has app=api: it is a candidate, not a match.
    const pods = [
      pod('web-0', 'node-1', { labels: { app: 'web' } }),
      pod('web-1', 'node-1', { labels: { app: 'web', tier: 'front' } }),
      pod('api-0', 'node-1', { labels: { app: 'api', tier: 'front' } }),
      pod('web-2', 'node-1', { labels: { app: 'web' } }),
      pod('web-3', 'node-1', { labels: { app: 'web', tier: 'back' } }),
    ];
    expect(podsMatching(pods, 'default', { app: 'web', tier: 'front' })).toEqual([1]);
    expect(podsMatching(pods, 'default', { tier: 'front', app: 'web' })).toEqual([1]);
    expect(podsMatching(pods, 'default', { app: 'web' })).toEqual([0, 1, 3, 4]);
    expect(podsMatching(pods, 'default', {})).toEqual([0, 1, 2, 3, 4]);
    expect(podsMatching(pods, 'default', { app: 'db' })).toEqual([]);
    expect(podsMatching(pods, 'prod', { app: 'web' })).toEqual([]);
    expect(podsMatching(pods, 'prod', {})).toEqual([]);
  });

  it('an ExternalName Service is never proxied, even with a cluster IP written', () => {
    expect(isProxied(service({ type: 'ExternalName' }))).toBe(false);
    expect(isProxied(service({ type: 'ClusterIP' }))).toBe(true);
  });

  it('during a timeline, pods not placed yet are listed too: no node, no zone, neither ready nor serving', () => {
    const nodes = [node('node-1', 'a'), node('node-2', 'b')];
    const pods = [pod('web-0', 'node-2'), pod('web-1', null, { ready: true, terminating: true })];
    const svc = service({ publishNotReadyAddresses: true });
    const spec = { ...modelSpec({ nodes, pods, services: [svc] }), time: time({ timeline: 1 }) };
    const eps = computeEndpoints(svc, svc.ports[0]!, new ClusterIndex(spec));
    expect(eps).toEqual([
      { pod: 0, port: 8080, node: 1, zone: 1, ready: true, serving: true, terminating: false },
      { pod: 1, port: 8080, node: -1, zone: -1, ready: false, serving: false, terminating: false },
    ]);
  });

  it('hasTimeline: timeline events, autoscalers or node groups make the cluster change', () => {
    const spec = (t: TimeSpec | null | undefined) => ({ ...modelSpec({ nodes: [node('node-1', 'a')] }), time: t });
    expect(hasTimeline(spec(undefined))).toBe(false);
    expect(hasTimeline(spec(null))).toBe(false);
    expect(hasTimeline(spec(time({})))).toBe(false);
    expect(hasTimeline(spec(time({ autoscalers: 0, nodeGroups: 0 })))).toBe(false);
    expect(hasTimeline(spec(time({ timeline: 1 })))).toBe(true);
    expect(hasTimeline(spec(time({ autoscalers: 1 })))).toBe(true);
    expect(hasTimeline(spec(time({ nodeGroups: 1 })))).toBe(true);
  });
});

describe('trafficDistribution hints', () => {
  // node-1 (a): web-0 ready, web-1 not ready; node-2 (b): web-2 ready.
  const options = { podsPerNode: [2, 1], zones: ['a', 'b'], pod: (k: number) => ({ ready: k !== 1 }) };
  const hintsOf = (kubeProxy: object = {}) => {
    const { index, service: svc } = cluster({ ...options, kubeProxy, service: { trafficDistribution: 'PreferSameNode' } });
    const h = computeHints(svc, computeEndpoints(svc, svc.ports[0]!, index), index);
    return { zone: [...h.forZone], node: [...h.forNode] };
  };

  it('only ready endpoints get hints (trafficdist: update skips endpoints that are not ready)', () => {
    expect(hintsOf()).toEqual({ zone: [0, -1, 1], node: [0, -1, 1] });
  });

  it('Cilium writes none without loadBalancer.serviceTopology, and the same as kube-proxy with it', () => {
    expect(hintsOf({ cilium: cilium() })).toEqual({ zone: [-1, -1, -1], node: [-1, -1, -1] });
    expect(hintsOf({ cilium: cilium({ serviceTopology: true }) })).toEqual({ zone: [0, -1, 1], node: [0, -1, 1] });
  });
});
