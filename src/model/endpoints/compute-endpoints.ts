/**
 * The EndpointSlice controller, at steady state: which pods back one Service port, and with which
 * conditions (k/k `pkg/controller/endpointslice`, `podToEndpoint`):
 *
 * - pods in the Service's namespace whose labels match the selector, placed on a node (a Pending pod has no
 *   IP and is never an endpoint), with the target port resolved (see target-port.ts);
 * - `serving` = the pod is Ready; `terminating` = it is being deleted;
 * - `ready` = `publishNotReadyAddresses || (serving && !terminating)`: a terminating pod that is still Ready
 *   is serving but not ready, which is what lets kube-proxy's terminating fallback find it.
 *
 * Order is the pods' order in the spec: deterministic, and the order IPVS round robin cycles in.
 */
import type { ClusterIndex } from '../cluster-index.js';
import type { Endpoint } from '../routing.js';
import type { ModelSpec, PodSpec, ServicePortSpec, ServiceSpec } from '../spec.js';
import { podsMatching } from './pod-selection.js';
import { resolveTargetPort } from './target-port.js';

/**
 * Whether kube-proxy programs a virtual IP for this Service at all. Headless (`clusterIP: None`) and
 * ExternalName Services are resolved by DNS only: traffic addressed through kube-proxy finds nothing.
 */
export function isProxied(service: ServiceSpec): boolean {
  return service.type !== 'ExternalName' && service.clusterIP !== null;
}

/**
 * Whether the controller manages endpoints for this Service. No selector (or an empty one, which the API
 * server stores as none) means endpoints are managed by hand: none exist in the simulation.
 */
export function hasSelector(service: ServiceSpec): boolean {
  return service.selector !== null && Object.keys(service.selector).length > 0;
}

export function matchesSelector(pod: PodSpec, selector: Readonly<Record<string, string>>): boolean {
  for (const key of Object.keys(selector)) {
    if (pod.labels[key] !== selector[key]) return false;
  }
  return true;
}

export function computeEndpoints(
  service: ServiceSpec,
  servicePort: ServicePortSpec,
  index: ClusterIndex,
): Endpoint[] {
  if (service.type === 'ExternalName' || !hasSelector(service)) return [];
  const selector = service.selector!;
  const endpoints: Endpoint[] = [];
  const pods = index.spec.pods;
  // During a timeline, pods not placed yet (the slots of pods to come) are listed too, not ready, so that
  // every endpoint a run can have has its index from the start (control/pod-slots.ts).
  const withPending = hasTimeline(index.spec);
  // The pods the selector matches, from a label index (a scan of every pod per Service is O(Services × pods)).
  for (const pod of podsMatching(pods, service.namespace, selector)) {
    const spec = pods[pod]!;
    const node = index.podNode[pod]!;
    if (node < 0 && !withPending) continue;
    const port = resolveTargetPort(spec, servicePort);
    if (port < 0) continue;
    const placed = node >= 0;
    const serving = placed && spec.ready;
    const terminating = placed && spec.terminating;
    endpoints.push({
      pod,
      port,
      node,
      zone: placed ? index.nodeZone[node]! : -1,
      ready: placed && (service.publishNotReadyAddresses || (serving && !terminating)),
      serving,
      terminating,
    });
  }
  return endpoints;
}

/**
 * Whether the cluster changes during the run (timeline events, autoscalers, node groups): then the control
 * plane runs beside the data path.
 */
export function hasTimeline(spec: ModelSpec): boolean {
  const t = spec.time;
  if (t === undefined || t === null) return false;
  return t.timeline.length > 0 || (t.autoscalers?.length ?? 0) > 0 || (t.nodeGroups?.length ?? 0) > 0;
}
