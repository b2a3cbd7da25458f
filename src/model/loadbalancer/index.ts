/** Load balancers in front of a Service: which node (or pod) a new connection is sent to. */
export { createLoadBalancer, loadBalancerZones } from './create-load-balancer.js';
export { ZonalLoadBalancer } from './zonal-balancer.js';
export { MetalLbL2, announcingNode } from './metallb-l2.js';
export {
  EXCLUDE_FROM_LB_LABEL,
  healthyNodes,
  instanceTargets,
  ipTargets,
  readyEndpointsPerNode,
  type TargetSet,
} from './targets.js';
