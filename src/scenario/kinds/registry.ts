/**
 * Which objects the simulator reads, which it lists as ignored, and which are mistakes. Objects of other
 * API groups (ConfigMap, a Knative Service...) are ignored, never errors: a scenario is often
 * a real application's manifests, and they hold much the simulator has no use for.
 */

export const SUPPORTED_KINDS: Readonly<Record<string, readonly string[]>> = {
  v1: ['Pod', 'Service', 'Node', 'ReplicationController', 'Namespace'],
  'apps/v1': ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'],
  'discovery.k8s.io/v1': ['EndpointSlice'],
  // Istio's networking kinds, under every apiVersion Istio serves them (kinds/mesh.ts).
  'networking.istio.io/v1': ['DestinationRule', 'VirtualService'],
  'networking.istio.io/v1beta1': ['DestinationRule', 'VirtualService'],
  'networking.istio.io/v1alpha3': ['DestinationRule', 'VirtualService'],
  'networking.k8s.io/v1': ['Ingress', 'IngressClass'],
  // The NGINX Ingress Controller's and Kong's resources (kinds/virtual-server.ts, kinds/kong.ts).
  'k8s.nginx.org/v1': ['VirtualServer', 'VirtualServerRoute'],
  'configuration.konghq.com/v1beta1': ['KongUpstreamPolicy'],
  // Gateway API (kinds/gateway.ts; v1beta1 has the same fields) and Envoy Gateway's policy.
  'gateway.networking.k8s.io/v1': ['GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute'],
  'gateway.networking.k8s.io/v1beta1': ['GatewayClass', 'Gateway', 'HTTPRoute'],
  'gateway.envoyproxy.io/v1alpha1': ['BackendTrafficPolicy'],
  'policy/v1': ['PodDisruptionBudget'],
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
  'autoscaling/v1': ['HorizontalPodAutoscaler'],
  'netsim/v1': ['Cluster', 'Workload', 'Simulation'],
};

/** apiVersions Kubernetes served Ingress under before networking.k8s.io/v1 (removed in 1.22). */
const RETIRED_INGRESS_APIS = ['extensions/v1beta1', 'networking.k8s.io/v1beta1'];

/** Every kind of the core and apps groups, so that a misspelt one (`Servise`) is caught, not ignored. */
const CORE_V1_KINDS = [
  'Binding', 'ComponentStatus', 'ConfigMap', 'Endpoints', 'Event', 'LimitRange', 'Namespace', 'Node',
  'PersistentVolume', 'PersistentVolumeClaim', 'Pod', 'PodTemplate', 'ReplicationController',
  'ResourceQuota', 'Secret', 'Service', 'ServiceAccount',
];
const APPS_V1_KINDS = ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'];
/** apiVersions Kubernetes used to serve these kinds under (removed in 1.16). */
const RETIRED_APIS = ['extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2'];

export type KindVerdict =
  | { readonly status: 'supported' }
  | { readonly status: 'ignored'; readonly reason?: string }
  | {
      readonly status: 'error';
      readonly field: 'apiVersion' | 'kind';
      readonly expected: string;
      readonly message?: string;
      /** Names to suggest a correction from. */
      readonly suggestions?: readonly string[];
    };

function kindsOf(apiVersion: string): readonly string[] | undefined {
  return Object.hasOwn(SUPPORTED_KINDS, apiVersion) ? SUPPORTED_KINDS[apiVersion] : undefined;
}

function apiVersionOf(kind: string): string | undefined {
  return Object.entries(SUPPORTED_KINDS).find(([, kinds]) => kinds.includes(kind))?.[0];
}

export function classifyKind(apiVersion: string, kind: string): KindVerdict {
  if (kindsOf(apiVersion)?.includes(kind)) return { status: 'supported' };

  if (apiVersion.startsWith('netsim/')) {
    if (apiVersion !== 'netsim/v1') {
      return { status: 'error', field: 'apiVersion', expected: 'netsim/v1', message: 'netsim/v1 is the only version of the simulator\'s kinds' };
    }
    return { status: 'error', field: 'kind', expected: 'Cluster, Workload or Simulation (the netsim/v1 kinds)', suggestions: SUPPORTED_KINDS['netsim/v1']! };
  }
  if (apiVersion === 'v1' && !CORE_V1_KINDS.includes(kind) && !kind.endsWith('List')) {
    return { status: 'error', field: 'kind', expected: 'a kind of the core v1 API (Pod, Service, ConfigMap...)', suggestions: CORE_V1_KINDS };
  }
  if (apiVersion === 'apps/v1' && !APPS_V1_KINDS.includes(kind)) {
    return { status: 'error', field: 'kind', expected: 'a kind of apps/v1 (Deployment, StatefulSet, ReplicaSet, DaemonSet)', suggestions: APPS_V1_KINDS };
  }
  if (kind === 'PodDisruptionBudget' && apiVersion === 'policy/v1beta1') {
    // Old manifests still carry it; only drains read a budget, so the rest of the scenario stands.
    return {
      status: 'ignored',
      reason: 'Kubernetes stopped serving policy/v1beta1 in 1.25; write apiVersion: policy/v1 for drains to honour it (in v1, an empty selector selects every pod of the namespace)',
    };
  }
  if (kind === 'HorizontalPodAutoscaler' && (apiVersion === 'autoscaling/v2beta1' || apiVersion === 'autoscaling/v2beta2')) {
    return {
      status: 'error',
      field: 'apiVersion',
      expected: 'autoscaling/v2',
      message: `Kubernetes stopped serving HorizontalPodAutoscaler as ${apiVersion} in ${apiVersion === 'autoscaling/v2beta1' ? '1.25' : '1.26'} (v2 has the same fields as v2beta2)`,
    };
  }
  if (kind === 'Ingress' && RETIRED_INGRESS_APIS.includes(apiVersion)) {
    return {
      status: 'error',
      field: 'apiVersion',
      expected: 'networking.k8s.io/v1',
      message: `Kubernetes stopped serving Ingress as ${apiVersion} in 1.22 (v1 needs pathType, and backend.service.name/port)`,
    };
  }
  if (apiVersion.startsWith('gateway.networking.k8s.io/') && SUPPORTED_KINDS['gateway.networking.k8s.io/v1']!.includes(kind)) {
    return { status: 'error', field: 'apiVersion', expected: 'gateway.networking.k8s.io/v1', message: `${kind} is read as gateway.networking.k8s.io/v1 (the simulator follows v1's fields)` };
  }
  const home = apiVersionOf(kind);
  if (home && home !== 'netsim/v1') {
    if (RETIRED_APIS.includes(apiVersion)) {
      return { status: 'error', field: 'apiVersion', expected: home, message: `Kubernetes stopped serving ${kind} as ${apiVersion} in 1.16` };
    }
    if (!apiVersion.includes('/')) {
      return { status: 'error', field: 'apiVersion', expected: home };
    }
  }
  if (home === 'netsim/v1' && !apiVersion.includes('/')) {
    return { status: 'error', field: 'apiVersion', expected: 'netsim/v1' };
  }
  return { status: 'ignored' };
}
