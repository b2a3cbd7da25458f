/**
 * Resolves a Service port's `targetPort` for one pod, as the EndpointSlice controller does
 * (`podutil.FindPort`): a number is used as is (the pod need not declare it); a name is looked up among the
 * pod's container ports with the same protocol. A pod without that named port is not an endpoint.
 */
import type { PodSpec, ServicePortSpec } from '../spec.js';

/** The resolved port number, or -1 when the named port does not exist on this pod. */
export function resolveTargetPort(pod: PodSpec, servicePort: ServicePortSpec): number {
  const target = servicePort.targetPort;
  if (typeof target === 'number') return target;
  for (const port of pod.ports) {
    if (port.name === target && port.protocol === servicePort.protocol) return port.containerPort;
  }
  return -1;
}
