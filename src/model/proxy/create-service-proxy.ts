/**
 * Builds kube-proxy's decision maker for one Service port, in the cluster's proxy mode (or Cilium's, when the
 * cluster's data plane is Cilium): endpoints
 * (EndpointSlice controller), hints (hint controller / topology-mode Auto), per-node candidate lists
 * (kube-proxy topology), then the mode's chooser.
 *
 * A Service with a clusterIP but no selector is programmed with no endpoints, so it REJECTs
 * (`Drop.NoEndpoints`), as in Kubernetes; headless and ExternalName Services get `Drop.NotProxied`.
 */
import type { RandomStreams } from '../../engine/random.js';
import type { ClusterIndex } from '../cluster-index.js';
import { computeEndpoints, isProxied } from '../endpoints/compute-endpoints.js';
import { computeHints } from '../endpoints/hints.js';
import { EndpointTopology } from '../endpoints/topology.js';
import type { ServiceProxy } from '../routing.js';
import type { ServicePortSpec, ServiceSpec } from '../spec.js';
import type { ProxyInputs } from './base-proxy.js';
import { CiliumServiceProxy, ciliumConnectionCosts } from './cilium-proxy.js';
import { connectionCosts } from './connection-cost.js';
import { IpvsServiceProxy } from './ipvs-proxy.js';
import { NotProxiedServiceProxy } from './not-proxied.js';
import { RandomServiceProxy } from './random-proxy.js';
import { NFT_SET_SIZE, XT_RECENT_LIST_SIZE } from './session-affinity.js';

/** The endpoints and per-node candidates of one Service port, without a proxy mode. */
export function buildTopology(service: ServiceSpec, port: ServicePortSpec, index: ClusterIndex): EndpointTopology {
  const endpoints = computeEndpoints(service, port, index);
  // The IPVS proxier sends internal traffic of an internalTrafficPolicy: Local Service with no local
  // endpoint to the cluster-wide endpoints (topology.ts); iptables and nftables drop it.
  const ipvs = index.spec.kubeProxy.mode === 'ipvs' && !index.spec.kubeProxy.cilium;
  return new EndpointTopology(service, endpoints, computeHints(service, endpoints, index), index, ipvs);
}

export function createServiceProxy(
  service: ServiceSpec,
  port: ServicePortSpec,
  index: ClusterIndex,
  streams: RandomStreams,
): ServiceProxy {
  if (!isProxied(service)) return new NotProxiedServiceProxy();
  const topology = buildTopology(service, port, index);
  const kubeProxy = index.spec.kubeProxy;
  if (kubeProxy.cilium) {
    return new CiliumServiceProxy({ service, port, topology, index, streams, costs: ciliumConnectionCosts(kubeProxy.cilium) }, kubeProxy.cilium);
  }
  const inputs: ProxyInputs = { service, port, topology, index, streams, costs: connectionCosts(kubeProxy) };
  switch (kubeProxy.mode) {
    case 'iptables':
      return new RandomServiceProxy(inputs, XT_RECENT_LIST_SIZE);
    case 'nftables':
      return new RandomServiceProxy(inputs, NFT_SET_SIZE);
    case 'ipvs':
      return new IpvsServiceProxy(inputs, kubeProxy.ipvsScheduler);
  }
}
