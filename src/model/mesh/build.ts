/**
 * ModelSpec.mesh → the run's MeshPath: one sidecar per meshed client, over the endpoints of the Service port
 * the client addresses. Called by simulation.ts once, before the data path exists.
 */
import type { RandomStreams } from '../../engine/random.js';
import type { Simulator } from '../../engine/simulator.js';
import type { ClusterIndex } from '../cluster-index.js';
import type { DataPlaneView } from '../control/views.js';
import { Via, type ClientWiring, type ServiceTarget } from '../datapath.js';
import type { Links } from '../links.js';
import type { Metrics } from '../metrics.js';
import type { PodStations } from '../pods.js';
import type { RequestTable } from '../requests.js';
import type { ModelSpec } from '../spec.js';
import { MeshPath, type SidecarConfig } from './mesh-path.js';

export interface MeshParts {
  readonly sim: Simulator;
  readonly links: Links;
  readonly reqs: RequestTable;
  readonly pods: PodStations;
  readonly metrics: Metrics;
  readonly view: DataPlaneView;
  readonly index: ClusterIndex;
  readonly streams: RandomStreams;
  readonly targets: readonly ServiceTarget[];
  /** A timeline runs: endpoints come and go with their pods' states (else: ready endpoints only). */
  readonly dynamic: boolean;
}

/**
 * The mesh of the run (null when no client is meshed), and the wiring with each meshed client's attempt
 * timeout bounded by its sidecar's request timeout (the sidecar answers 504 then; see docs/model.md).
 */
export function buildMesh(spec: ModelSpec, wiring: readonly ClientWiring[], parts: MeshParts): { mesh: MeshPath | null; wiring: readonly ClientWiring[] } {
  const m = spec.mesh;
  if (m == null || m.clients.length === 0) return { mesh: null, wiring };
  const { index, streams, targets } = parts;
  const byName = new Map(spec.clients.map((c, i) => [c.name, i]));
  const sidecars: SidecarConfig[] = [];
  const out = wiring.slice();
  for (const mc of m.clients) {
    const c = byName.get(mc.client);
    if (c === undefined) throw new Error(`mesh: no client '${mc.client}'`);
    const w = wiring[c]!;
    if (w.via !== Via.ClusterIP || !w.inPod || w.http) {
      throw new Error(`mesh: client '${mc.client}' must run in a pod and address a Service's cluster IP to have a sidecar balance it`);
    }
    const endpoints = targets[w.target]!.endpoints;
    sidecars.push({
      client: c,
      mesh: mc.mesh,
      policy: mc.policy,
      endpointPods: endpoints.map((e) => e.pod),
      initial: (e) => parts.dynamic || (endpoints[e]!.ready && index.podNode[endpoints[e]!.pod]! >= 0),
      rng: streams.stream(`mesh/${mc.client}/balancer`),
      latencyRng: streams.stream(`mesh/${mc.client}/latency`),
    });
    const t = mc.policy.timeout;
    if (t !== null && (w.timeout < 0 || t < w.timeout)) out[c] = { ...w, timeout: t };
  }
  const podMesh = new Map(m.pods.map((p) => [p.pod, p.mesh]));
  const mesh = new MeshPath(parts.sim, parts.links, parts.reqs, parts.pods, parts.metrics, parts.view, index.nodeZone, index.podNode, {
    clients: spec.clients.length,
    sidecars,
    hopLatency: m.hopLatency,
    podMesh: index.podKeys.map((k) => podMesh.get(k) ?? null),
    clientNode: Int32Array.from(wiring, (w) => w.node),
    networkRng: wiring.map((w) => w.networkRng),
    requestBytes: Float64Array.from(wiring, (w) => w.requestBytes),
    responseBytes: Float64Array.from(wiring, (w) => w.responseBytes),
  });
  return { mesh, wiring: out };
}
