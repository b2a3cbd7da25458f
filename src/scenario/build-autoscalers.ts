/**
 * HorizontalPodAutoscalers -> `TimeSpec.autoscalers`. An HPA must scale a Deployment of the scenario and
 * have a CPU `Utilization` metric (autoscaling/v1's `targetCPUUtilizationPercentage` is one; no metric at
 * all defaults to cpu at 80 %, as the API server does); other metrics are kept out with a warning (the
 * model cannot compute them), and an HPA left with none is an error. Its Deployment's containers must all
 * request CPU: Kubernetes' HPA cannot compute a utilisation without it either. `behavior` is defaulted as
 * the API server does (k/k `pkg/apis/autoscaling/v2/defaults.go`); the controller's flags come from the
 * Cluster's `controlPlane.horizontalPodAutoscaler`, else Kubernetes' defaults.
 */
import { DEFAULT_SCALE_DOWN, DEFAULT_SCALE_UP, HPA_DEFAULTS } from '../model/control/hpa.js';
import type { AutoscalerSpec, ScalingRulesSpec } from '../model/control/spec.js';
import type { AutoscalerObject, MetricSpecObject, ScalingRulesObject } from './kinds/autoscaler.js';
import type { ClusterObject } from './kinds/cluster.js';
import type { DeploymentObject } from './kinds/controllers.js';
import { suggest } from './near-miss.js';
import type { Problems } from './problems.js';
import type { Resource } from './resource.js';
import { failedKey, type Valid, type ValidatedScenario } from './validate.js';

/** What the builder needs of a Deployment. */
export interface AutoscaledDeployment {
  readonly key: string;
  readonly res: Resource;
  readonly obj: DeploymentObject;
}

function rules(r: ScalingRulesObject | undefined, d: ScalingRulesSpec): ScalingRulesSpec {
  return {
    stabilizationWindow: r?.stabilizationWindowSeconds ?? d.stabilizationWindow,
    selectPolicy: r?.selectPolicy ?? d.selectPolicy,
    policies: r?.policies?.map((p) => ({ type: p.type, value: p.value, period: p.periodSeconds })) ?? d.policies,
    tolerance: r?.tolerance ?? d.tolerance,
  };
}

function describeMetric(m: MetricSpecObject): string {
  if (m.type === 'Resource' && m.resource) return `the ${m.resource.name} ${m.resource.target.type} metric`;
  if (m.type === 'ContainerResource' && m.containerResource) return `the ${m.containerResource.name} metric of container ${m.containerResource.container}`;
  return `a ${m.type} metric`;
}

/** The CPU utilisation target (percent), or undefined when the HPA has none the model can compute. */
function cpuTarget(res: Resource, obj: AutoscalerObject, problems: Problems): number | undefined {
  const spec = obj.spec;
  if (obj.apiVersion === 'autoscaling/v1') {
    for (const k of ['metrics', 'behavior'] as const) {
      if (spec[k] !== undefined) problems.warn(res, ['spec', k], `is not a field of autoscaling/v1 and is ignored (write apiVersion: autoscaling/v2)`, { key: true });
    }
    return spec.targetCPUUtilizationPercentage ?? HPA_DEFAULTS.targetCPUUtilization;
  }
  if (spec.targetCPUUtilizationPercentage !== undefined) {
    problems.warn(res, ['spec', 'targetCPUUtilizationPercentage'], 'is a field of autoscaling/v1 and is ignored in v2 (write metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: N}}}])', { key: true });
  }
  const metrics = spec.metrics ?? [];
  if (metrics.length === 0) return HPA_DEFAULTS.targetCPUUtilization;
  let target: number | undefined;
  metrics.forEach((m, i) => {
    const r = m.resource;
    if (m.type === 'Resource' && r?.name === 'cpu' && r.target.type === 'Utilization' && r.target.averageUtilization !== undefined) {
      if (target === undefined) target = r.target.averageUtilization;
      else problems.warn(res, ['spec', 'metrics', i], 'a second cpu Utilization metric: the model reads the first');
      return;
    }
    problems.warn(res, ['spec', 'metrics', i], `the model cannot compute ${describeMetric(m)}: this HPA scales on its cpu Utilization metric only (Kubernetes would also scale on this one, taking the largest proposal)`);
  });
  if (target === undefined) {
    problems.error(res, ['spec', 'metrics'], {
      expected: 'a metric the model computes: {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: N}}}',
      found: metrics.map(describeMetric).join(', '),
      message: 'this HPA has no metric the model can compute (CPU utilisation is the only one)',
    });
  }
  return target;
}

/**
 * Why an HPA is left out of the simulation (listed as not used, not an error), or undefined when it is
 * read: it scales a kind the model does not autoscale (a StatefulSet in a dump), or a Deployment that is not
 * in the scenario and whose name is no typo of one that is (Kubernetes itself accepts such an HPA and
 * reports FailedGetScale).
 */
export function autoscalerSkipReason(obj: AutoscalerObject, deployments: ReadonlySet<string>): string | undefined {
  const namespace = obj.metadata.namespace ?? 'default';
  const ref = obj.spec.scaleTargetRef;
  if (ref.kind !== 'Deployment') {
    return `it scales ${ref.kind} ${namespace}/${ref.name}: the model autoscales Deployments only (the ${ref.kind} keeps its replicas)`;
  }
  const key = `${namespace}/${ref.name}`;
  if (deployments.has(key)) return undefined;
  const names = [...deployments].filter((k) => k.startsWith(`${namespace}/`)).map((k) => k.slice(namespace.length + 1));
  if (suggest(ref.name, names) !== undefined) return undefined; // a typo: an error
  return `its target, Deployment ${key}, is not in the scenario`;
}

export function buildAutoscalers(
  v: ValidatedScenario,
  deployments: ReadonlyMap<string, AutoscaledDeployment>,
  cluster: Valid<ClusterObject> | undefined,
  problems: Problems,
): AutoscalerSpec[] {
  const out: AutoscalerSpec[] = [];
  const flags = cluster?.obj.spec.controlPlane?.horizontalPodAutoscaler;
  const byDeployment = new Map<string, Resource>();
  const deploymentKeys = new Set(deployments.keys());
  for (const { res, obj } of v.autoscalers) {
    if (autoscalerSkipReason(obj, deploymentKeys) !== undefined && !v.failed.has(failedKey('Deployment', obj.metadata.namespace ?? 'default', obj.spec.scaleTargetRef.name))) continue;
    const namespace = obj.metadata.namespace ?? 'default';
    const ref = obj.spec.scaleTargetRef;
    const refPath = ['spec', 'scaleTargetRef'];
    if (ref.kind !== 'Deployment' || (ref.apiVersion !== undefined && ref.apiVersion !== 'apps/v1')) {
      problems.error(res, [...refPath, ref.kind !== 'Deployment' ? 'kind' : 'apiVersion'], {
        expected: 'a Deployment (apiVersion apps/v1, kind Deployment)',
        found: ref.kind !== 'Deployment' ? JSON.stringify(ref.kind) : JSON.stringify(ref.apiVersion),
        message: 'the model autoscales Deployments only',
      });
      continue;
    }
    const key = `${namespace}/${ref.name}`;
    const d = deployments.get(key);
    if (!d) {
      if (v.failed.has(failedKey('Deployment', namespace, ref.name))) continue; // reported where it is
      const names = [...deployments.values()].filter((x) => x.key.startsWith(`${namespace}/`)).map((x) => x.obj.metadata.name);
      const hint = suggest(ref.name, names);
      problems.error(res, [...refPath, 'name'], {
        expected: names.length ? `a Deployment of namespace ${namespace} (${names.slice(0, 6).join(', ')})` : `a Deployment of namespace ${namespace} (there is none)`,
        found: JSON.stringify(ref.name),
        message: hint ? `no Deployment "${key}" (did you mean "${hint}"?)` : `no Deployment "${key}"`,
      });
      continue;
    }
    const other = byDeployment.get(key);
    if (other) {
      problems.error(res, [...refPath, 'name'], `Deployment ${key} already has an HPA (${other.ref}): Kubernetes' controller refuses to act on a target two HPAs share (AmbiguousSelector)`);
      continue;
    }
    byDeployment.set(key, res);
    const target = cpuTarget(res, obj, problems);
    if (target === undefined) continue;
    // calculateRequests: every container must request CPU, or the HPA has no utilisation to compute.
    const containers = d.obj.spec.template.spec.containers;
    const without = containers.filter((c) => c.resources?.requests?.cpu === undefined).map((c) => c.name);
    if (without.length > 0) {
      const at = d.res.locate(['spec', 'template', 'spec', 'containers']);
      problems.error(res, [...refPath, 'name'], {
        expected: 'a Deployment whose containers all set resources.requests.cpu',
        found: `container${without.length === 1 ? '' : 's'} ${without.join(', ')} without one (${at.file}:${at.line})`,
        message: `Deployment ${key} does not request CPU for container${without.length === 1 ? '' : 's'} ${without.join(', ')}: a CPU utilisation is usage over request, so the HPA cannot compute it (Kubernetes reports "missing request for cpu")`,
      });
      continue;
    }
    const b = obj.apiVersion === 'autoscaling/v2' ? obj.spec.behavior : undefined;
    const loc = res.locate([]);
    out.push({
      name: obj.metadata.name,
      namespace,
      deployment: key,
      minReplicas: obj.spec.minReplicas ?? HPA_DEFAULTS.minReplicas,
      maxReplicas: obj.spec.maxReplicas,
      targetCPUUtilization: target,
      behavior: b === undefined ? null : { scaleUp: rules(b.scaleUp, DEFAULT_SCALE_UP), scaleDown: rules(b.scaleDown, DEFAULT_SCALE_DOWN) },
      tolerance: flags?.tolerance ?? HPA_DEFAULTS.tolerance,
      downscaleStabilization: flags?.downscaleStabilization ?? HPA_DEFAULTS.downscaleStabilization,
      syncPeriod: flags?.syncPeriod ?? HPA_DEFAULTS.syncPeriod,
      metricResolution: flags?.metricResolution ?? HPA_DEFAULTS.metricResolution,
      cpuInitializationPeriod: flags?.cpuInitializationPeriod ?? HPA_DEFAULTS.cpuInitializationPeriod,
      initialReadinessDelay: flags?.initialReadinessDelay ?? HPA_DEFAULTS.initialReadinessDelay,
      source: `${loc.file}:${loc.line}:${loc.col}`,
    });
  }
  return out;
}
