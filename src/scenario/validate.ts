/**
 * Resources -> typed objects, one schema per kind. Kubernetes kinds are tolerant (fields the simulator
 * does not read are dropped, but likely typos of fields it reads earn a warning); netsim kinds are strict.
 */
import { dirname, isAbsolute, join } from 'node:path';
import type { z } from 'zod';
import { clusterSchema, type ClusterObject } from './kinds/cluster.js';
import {
  daemonSetSchema,
  deploymentSchema,
  replicaSetSchema,
  replicationControllerSchema,
  statefulSetSchema,
  type ControllerObject,
  type DaemonSetObject,
} from './kinds/controllers.js';
import { autoscalerSchema, type AutoscalerObject } from './kinds/autoscaler.js';
import { disruptionBudgetSchema, type DisruptionBudgetObject } from './kinds/disruption-budget.js';
import { endpointSliceSchema, type EndpointSliceObject } from './kinds/endpoint-slice.js';
import { ingressClassSchema, ingressSchema, type IngressClassObject, type IngressObject } from './kinds/ingress.js';
import { kongUpstreamPolicySchema, type KongUpstreamPolicyObject } from './kinds/kong.js';
import { backendTrafficPolicySchema, type BackendTrafficPolicyObject } from './kinds/backend-traffic-policy.js';
import { gatewayClassSchema, gatewaySchema, grpcRouteSchema, httpRouteSchema, type GatewayClassObject, type GatewayObject, type GrpcRouteObject, type HttpRouteObject } from './kinds/gateway.js';
import { virtualServerRouteSchema, virtualServerSchema, type VirtualServerObject, type VirtualServerRouteObject } from './kinds/virtual-server.js';
import { destinationRuleSchema, namespaceSchema, virtualServiceSchema, type DestinationRuleObject, type NamespaceObject, type VirtualServiceObject } from './kinds/mesh.js';
import { nodeSchema, type NodeObject } from './kinds/node.js';
import { podSchema, type PodObject } from './kinds/pod.js';
import { serviceSchema, type ServiceObject } from './kinds/service.js';
import { simulationSchema, timelineEventSchema, type SimulationObject } from './kinds/simulation.js';
import { clientSchema, workloadSchema, type WorkloadObject } from './kinds/workload.js';
import { checkValidated } from './checks/index.js';
import { findNearMisses } from './near-miss.js';
import type { Problems } from './problems.js';
import type { Resource } from './resource.js';
import { withValueEnv, type ValueEnv } from './values.js';
import { reportIssues } from './zod-issues.js';

export interface Valid<T> {
  readonly res: Resource;
  readonly obj: T;
}

export interface ValidatedScenario {
  readonly clusters: Valid<ClusterObject>[];
  /** `clientIndex` maps clients to their index in the file when only some were valid. */
  readonly workloads: (Valid<WorkloadObject> & { readonly clientIndex?: readonly number[] })[];
  /** `timelineIndex` maps timeline events to their index in the file when only some were valid. */
  readonly simulations: (Valid<SimulationObject> & { readonly timelineIndex?: readonly number[] })[];
  readonly pods: Valid<PodObject>[];
  readonly controllers: Valid<ControllerObject>[];
  readonly daemonSets: Valid<DaemonSetObject>[];
  readonly services: Valid<ServiceObject>[];
  readonly ingresses: Valid<IngressObject>[];
  /** IngressClasses; the NGINX Ingress Controller's VirtualServers and VirtualServerRoutes; Kong's KongUpstreamPolicies. */
  readonly ingressClasses: Valid<IngressClassObject>[];
  readonly nginxVirtualServers: Valid<VirtualServerObject>[];
  readonly nginxVirtualServerRoutes: Valid<VirtualServerRouteObject>[];
  readonly kongUpstreamPolicies: Valid<KongUpstreamPolicyObject>[];
  /** Gateway API objects and Envoy Gateway's BackendTrafficPolicies (build-gateway.ts). */
  readonly gatewayApi: {
    readonly classes: Valid<GatewayClassObject>[];
    readonly gateways: Valid<GatewayObject>[];
    readonly routes: Valid<HttpRouteObject | GrpcRouteObject>[];
    readonly policies: Valid<BackendTrafficPolicyObject>[];
  };
  readonly disruptionBudgets: Valid<DisruptionBudgetObject>[];
  readonly autoscalers: Valid<AutoscalerObject>[];
  /** Namespaces (their labels and annotations enable mesh sidecars), Istio DestinationRules and VirtualServices. */
  readonly namespaces: Valid<NamespaceObject>[];
  readonly destinationRules: Valid<DestinationRuleObject>[];
  readonly virtualServices: Valid<VirtualServiceObject>[];
  /** v1 Nodes of a dump: the cluster's nodes (build-cluster.ts). */
  readonly nodes: Valid<NodeObject>[];
  /** EndpointSlices of a dump: checked against the endpoints derived from the pods. */
  readonly endpointSlices: Valid<EndpointSliceObject>[];
  /** `Kind/namespace/name` of objects that failed validation: references to them are not reported again. */
  readonly failed: ReadonlySet<string>;
}

export function failedKey(kind: string, namespace: string, name: string | undefined): string {
  return `${kind}/${namespace}/${name ?? ''}`;
}

export interface ValidateOptions {
  /** Reads a file (for `empirical(...)` distributions); paths arrive resolved against the scenario file. */
  readonly readFile?: (path: string) => string;
}

/** A ValueEnv whose readFile resolves paths relative to the file the resource came from. */
export function envFor(res: Resource, opts: ValidateOptions): ValueEnv {
  const read = opts.readFile;
  if (!read) return {};
  const dir = dirname(res.source.file);
  return { readFile: (p: string) => read(isAbsolute(p) ? p : join(dir, p)) };
}

/** Each kind's schema; write a new one as `kindSchema(() => ...)` (values.ts) so it is built only when used. */
const SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  Pod: podSchema,
  Service: serviceSchema,
  Ingress: ingressSchema,
  IngressClass: ingressClassSchema,
  VirtualServer: virtualServerSchema,
  VirtualServerRoute: virtualServerRouteSchema,
  KongUpstreamPolicy: kongUpstreamPolicySchema,
  GatewayClass: gatewayClassSchema,
  Gateway: gatewaySchema,
  HTTPRoute: httpRouteSchema,
  GRPCRoute: grpcRouteSchema,
  BackendTrafficPolicy: backendTrafficPolicySchema,
  Namespace: namespaceSchema,
  DestinationRule: destinationRuleSchema,
  VirtualService: virtualServiceSchema,
  PodDisruptionBudget: disruptionBudgetSchema,
  HorizontalPodAutoscaler: autoscalerSchema,
  Deployment: deploymentSchema,
  ReplicaSet: replicaSetSchema,
  StatefulSet: statefulSetSchema,
  DaemonSet: daemonSetSchema,
  ReplicationController: replicationControllerSchema,
  Node: nodeSchema,
  EndpointSlice: endpointSliceSchema,
  Cluster: clusterSchema,
  Workload: workloadSchema,
  Simulation: simulationSchema,
};

/** A Simulation whose only invalid parts are timeline events: kept with its valid events. */
function partialSimulation(res: Resource): { obj: SimulationObject; timelineIndex: number[] } | undefined {
  const spec = res.value['spec'];
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return undefined;
  const timeline = (spec as { timeline?: unknown }).timeline;
  if (!Array.isArray(timeline)) return undefined;
  const event = timelineEventSchema();
  const indices = timeline.map((_, i) => i).filter((i) => event.safeParse(timeline[i]).success);
  if (indices.length === timeline.length) return undefined; // the problem is elsewhere
  const value = { ...res.value, spec: { ...spec, timeline: indices.map((i) => timeline[i]) } };
  const r = simulationSchema.safeParse(value);
  return r.success ? { obj: r.data, timelineIndex: indices } : undefined;
}

function partialWorkload(res: Resource): { obj: WorkloadObject; clientIndex: number[] } | undefined {
  const clients = (res.value['spec'] as { clients?: unknown } | undefined)?.clients;
  if (!Array.isArray(clients)) return undefined;
  const schema = clientSchema;
  const valid: WorkloadObject['spec']['clients'] = [];
  const indices: number[] = [];
  clients.forEach((c, i) => {
    const r = schema.safeParse(c);
    if (r.success) {
      valid.push(r.data);
      indices.push(i);
    }
  });
  if (valid.length === 0) return undefined;
  return { obj: { apiVersion: 'netsim/v1', kind: 'Workload', spec: { clients: valid } }, clientIndex: indices };
}

export function validateResources(resources: readonly Resource[], problems: Problems, opts: ValidateOptions = {}): ValidatedScenario {
  const out: ValidatedScenario = {
    clusters: [],
    workloads: [],
    simulations: [],
    pods: [],
    controllers: [],
    daemonSets: [],
    services: [],
    ingresses: [],
    ingressClasses: [],
    nginxVirtualServers: [],
    nginxVirtualServerRoutes: [],
    kongUpstreamPolicies: [],
    gatewayApi: { classes: [], gateways: [], routes: [], policies: [] },
    disruptionBudgets: [],
    autoscalers: [],
    namespaces: [],
    destinationRules: [],
    virtualServices: [],
    nodes: [],
    endpointSlices: [],
    failed: new Set<string>(),
  };
  for (const res of resources) {
    const schema = Object.hasOwn(SCHEMAS, res.kind) ? SCHEMAS[res.kind] : undefined;
    if (!schema) continue;
    const env = envFor(res, opts);
    // jitless: zod's compiled fast path costs more to generate than it saves here, even for thousands
    // of resources (docs/benchmarks.md, "Start-up"); the result is the same.
    const result = withValueEnv(env, () => schema.safeParse(res.value, { reportInput: true, jitless: true }));
    if (!result.success) {
      reportIssues(problems, res, result.error.issues, schema);
      (out.failed as Set<string>).add(failedKey(res.kind, res.namespace, res.name));
      if (res.kind === 'Workload') {
        // Keep the clients that are valid on their own, so their references are checked too (the
        // scenario is already invalid: this only lets one run report every problem).
        const partial = withValueEnv(env, () => partialWorkload(res));
        if (partial) out.workloads.push({ res, ...partial });
      }
      if (res.kind === 'Simulation') {
        // Likewise the valid events of a timeline, so that their references are checked too.
        const partial = withValueEnv(env, () => partialSimulation(res));
        if (partial) out.simulations.push({ res, ...partial });
      }
      continue;
    }
    if (res.apiVersion !== 'netsim/v1') {
      for (const miss of findNearMisses(schema, res.value)) {
        problems.warn(res, [...miss.path, miss.key], `unknown field "${miss.key}" is ignored (did you mean "${miss.suggestion}"?)`, { key: true });
      }
    }
    const obj = result.data as never;
    switch (res.kind) {
      case 'Cluster':
        out.clusters.push({ res, obj });
        break;
      case 'Workload':
        out.workloads.push({ res, obj });
        break;
      case 'Simulation':
        out.simulations.push({ res, obj });
        break;
      case 'Pod':
        out.pods.push({ res, obj });
        break;
      case 'Service':
        out.services.push({ res, obj });
        break;
      case 'Ingress':
        out.ingresses.push({ res, obj });
        break;
      case 'IngressClass':
        out.ingressClasses.push({ res, obj });
        break;
      case 'VirtualServer':
        out.nginxVirtualServers.push({ res, obj });
        break;
      case 'VirtualServerRoute':
        out.nginxVirtualServerRoutes.push({ res, obj });
        break;
      case 'KongUpstreamPolicy':
        out.kongUpstreamPolicies.push({ res, obj });
        break;
      case 'GatewayClass':
        out.gatewayApi.classes.push({ res, obj });
        break;
      case 'Gateway':
        out.gatewayApi.gateways.push({ res, obj });
        break;
      case 'HTTPRoute':
      case 'GRPCRoute':
        out.gatewayApi.routes.push({ res, obj });
        break;
      case 'BackendTrafficPolicy':
        out.gatewayApi.policies.push({ res, obj });
        break;
      case 'DaemonSet':
        out.daemonSets.push({ res, obj });
        break;
      case 'PodDisruptionBudget':
        out.disruptionBudgets.push({ res, obj });
        break;
      case 'HorizontalPodAutoscaler':
        out.autoscalers.push({ res, obj });
        break;
      case 'Namespace':
        out.namespaces.push({ res, obj });
        break;
      case 'DestinationRule':
        out.destinationRules.push({ res, obj });
        break;
      case 'VirtualService':
        out.virtualServices.push({ res, obj });
        break;
      case 'Node':
        out.nodes.push({ res, obj });
        break;
      case 'EndpointSlice':
        out.endpointSlices.push({ res, obj });
        break;
      default:
        out.controllers.push({ res, obj });
    }
  }
  // Checks across objects, and of values the schemas accept but the model would get wrong (checks/).
  checkValidated(out, resources, problems);
  return out;
}
