/** kube-proxy: per-connection endpoint choice, cost and SNAT for one Service port. */
export { createServiceProxy, buildTopology } from './create-service-proxy.js';
export { BaseServiceProxy, masqueradesTraffic, proxyStreamName } from './base-proxy.js';
export { RandomServiceProxy } from './random-proxy.js';
export { IpvsServiceProxy } from './ipvs-proxy.js';
export { NotProxiedServiceProxy } from './not-proxied.js';
export {
  CiliumServiceProxy,
  ciliumConnectionCosts,
  CILIUM_AFFINITY_MAX,
  CILIUM_CT_TCP_MAX,
  NODEPORT_LB_COST,
  SOCKET_LB_COST,
} from './cilium-proxy.js';
export {
  connectionCosts,
  RuleWalkCost,
  BASE_CONNECTION_COST,
  COST_NOISE_SIGMA,
  IPTABLES_RULE_COST,
  type ConnectionCosts,
  type CostModel,
} from './connection-cost.js';
export { createIpvsScheduler, type IpvsSchedulerState, type VirtualService } from './ipvs-schedulers.js';
export { AffinityTable, NFT_SET_SIZE, XT_RECENT_LIST_SIZE } from './session-affinity.js';
