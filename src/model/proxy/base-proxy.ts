/**
 * What every kube-proxy mode shares for one Service port: the candidate endpoints per node (topology.ts),
 * the per-connection cost, SNAT, and one pair of random streams per node, created on the node's first new
 * connection (a large cluster need not pay for streams on nodes that never see this Service).
 */
import type { Rng, RandomStreams } from '../../engine/random.js';
import type { Seconds } from '../../engine/time.js';
import type { ClusterIndex, NodeIndex } from '../cluster-index.js';
import type { EndpointTopology } from '../endpoints/topology.js';
import type { Endpoint, ServiceProxy, TrafficOrigin } from '../routing.js';
import type { ServicePortSpec, ServiceSpec } from '../spec.js';
import type { ConnectionCosts } from './connection-cost.js';
import type { AffinityTable } from './session-affinity.js';

/** `kube-proxy/<node>/<namespace>/<name>:<port>/<protocol>/<purpose>`: one stream per node and purpose. */
export function proxyStreamName(
  service: ServiceSpec,
  port: ServicePortSpec,
  nodeName: string,
  purpose: 'choice' | 'cost',
): string {
  return `kube-proxy/${nodeName}/${service.namespace}/${service.name}:${port.port}/${port.protocol}/${purpose}`;
}

/**
 * Whether kube-proxy SNATs the connection to the node IP (docs/references.md#kube-proxy-iptables): external traffic of an
 * `externalTrafficPolicy: Cluster` Service always is (the KUBE-EXT chain masquerades); external traffic
 * under `Local` and pod -> clusterIP traffic is not. Hairpin traffic (the endpoint is the client pod) is
 * also masqueraded by kube-proxy; the model ignores it, since the reply path is the same node either way.
 */
export function masqueradesTraffic(service: ServiceSpec, origin: TrafficOrigin): boolean {
  return origin === 'external' && service.externalTrafficPolicy === 'Cluster';
}

/** What each mode's proxy for one Service port is built from (create-service-proxy.ts). */
export interface ProxyInputs {
  readonly service: ServiceSpec;
  readonly port: ServicePortSpec;
  readonly topology: EndpointTopology;
  readonly index: ClusterIndex;
  readonly streams: RandomStreams;
  readonly costs: ConnectionCosts;
}

export abstract class BaseServiceProxy implements ServiceProxy {
  readonly service: ServiceSpec;
  readonly port: ServicePortSpec;
  readonly topology: EndpointTopology;
  protected readonly index: ClusterIndex;
  private readonly streams: RandomStreams;
  private readonly costs: ConnectionCosts;
  readonly endpoints: readonly Endpoint[];
  /** Per node, made at the first connection (10,000 Services × 3,000 nodes of empty slots add up). */
  private choiceRngs: (Rng | undefined)[] | null = null;
  private costRngs: (Rng | undefined)[] | null = null;

  constructor(inputs: ProxyInputs) {
    this.service = inputs.service;
    this.port = inputs.port;
    this.topology = inputs.topology;
    this.index = inputs.index;
    this.streams = inputs.streams;
    this.costs = inputs.costs;
    this.endpoints = inputs.topology.endpoints;
  }

  /** `slots` empty session-affinity tables (made on first use), or null without `sessionAffinity: ClientIP`. */
  protected affinityTables(slots: number): (AffinityTable | undefined)[] | null {
    // Stryker disable next-line ArrayDeclaration: a JS array grows on write; the length only pre-sizes it
    return this.service.sessionAffinity === 'ClientIP' ? new Array<AffinityTable | undefined>(slots) : null;
  }

  abstract choose(node: NodeIndex, origin: TrafficOrigin, clientIp: number, now: Seconds): number;

  connectionCost(node: NodeIndex, origin: TrafficOrigin): Seconds {
    const model = origin === 'internal' ? this.costs.internal : this.costs.external;
    return model.sample(this.costRngs?.[node] ?? this.makeRng(node, 'cost'));
  }

  masquerades(_node: NodeIndex, origin: TrafficOrigin, _endpoint: number): boolean {
    return origin === 'external' && !this.topology.externalLocal;
  }

  connectionOpened(_node: NodeIndex, _origin: TrafficOrigin, _endpoint: number): void {}

  connectionClosed(_node: NodeIndex, _origin: TrafficOrigin, _endpoint: number, _now?: Seconds): void {}

  viewChanged(_node: NodeIndex): void {}

  /** The node's stream for endpoint choices. */
  protected choiceRng(node: NodeIndex): Rng {
    return this.choiceRngs?.[node] ?? this.makeRng(node, 'choice');
  }

  private makeRng(node: NodeIndex, purpose: 'choice' | 'cost'): Rng {
    const rng = this.streams.stream(proxyStreamName(this.service, this.port, this.index.nodeNames[node]!, purpose));
    // Stryker disable next-line ArrayDeclaration: a JS array grows on write; the length only pre-sizes it
    if (purpose === 'choice') (this.choiceRngs ??= new Array<Rng | undefined>(this.index.nodeCount))[node] = rng;
    else {
      // Stryker disable next-line ArrayDeclaration: a JS array grows on write; the length only pre-sizes it
      (this.costRngs ??= new Array<Rng | undefined>(this.index.nodeCount))[node] = rng;
    }
    return rng;
  }
}
