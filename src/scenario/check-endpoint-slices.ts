/**
 * A dump's EndpointSlices, checked against the endpoints the simulator derives from the pods and the
 * Services' selectors (as the EndpointSlice controller does, k/k `pkg/controller/endpointslice`): a pod is
 * an endpoint once scheduled, ready when it is Ready and not terminating (or when the Service publishes
 * not-ready addresses). Slices and pods from one `kubectl get` agree; when they do not (a dump taken across
 * a rollout, files from two times), the warning names the Service and the pods that differ.
 *
 * Pods are compared by name (`targetRef`): the simulator gives pods addresses of its own. When no pod of a
 * Service comes from the dump (the pods are made from templates), only the number of ready endpoints is
 * compared. Slices that cannot be compared are listed as not used, with the reason.
 */
import type { PodSpec, ServiceSpec } from '../model/spec.js';
import { unusedResource, type IgnoredResource } from './ignored.js';
import { SERVICE_NAME_LABEL, type EndpointSliceObject } from './kinds/endpoint-slice.js';
import { matchesMap } from './kinds/meta.js';
import type { ServiceObject } from './kinds/service.js';
import type { Problems } from './problems.js';
import type { Valid } from './validate.js';

/**
 * Pods of the dump: `namespace/name` of those built that the dump shows scheduled, and of those read but
 * not built (finished, scaled away).
 */
export interface DumpedPodNames {
  readonly built: ReadonlySet<string>;
  readonly dropped: ReadonlySet<string>;
}

function list(names: readonly string[], max = 5): string {
  return names.slice(0, max).join(', ') + (names.length > max ? `, ... (${names.length - max} more)` : '');
}

export function checkEndpointSlices(
  slices: readonly Valid<EndpointSliceObject>[],
  written: readonly Valid<ServiceObject>[],
  services: readonly ServiceSpec[],
  pods: readonly PodSpec[],
  dumped: DumpedPodNames,
  problems: Problems,
): IgnoredResource[] {
  const unused: IgnoredResource[] = [];
  const byService = new Map<string, Valid<EndpointSliceObject>[]>();
  for (const s of slices) {
    const ns = s.obj.metadata.namespace ?? 'default';
    const svcName = s.obj.metadata.labels?.[SERVICE_NAME_LABEL];
    if (svcName === undefined) {
      unused.push(unusedResource(s.res, `it names no Service (no ${SERVICE_NAME_LABEL} label), so there is nothing to check it against`));
      continue;
    }
    const key = `${ns}/${svcName}`;
    const svc = services.find((x) => `${x.namespace}/${x.name}` === key);
    if (!svc) {
      const failed = written.some((w) => `${w.obj.metadata.namespace ?? 'default'}/${w.obj.metadata.name}` === key);
      if (!failed) unused.push(unusedResource(s.res, `its Service ${key} is not in the scenario`));
      continue;
    }
    if (svc.selector === null || Object.keys(svc.selector).length === 0) {
      unused.push(unusedResource(s.res, `Service ${key} has no selector: endpoints kept by hand (or by another controller) are not simulated, the Service has none`));
      continue;
    }
    if (s.obj.addressType === 'FQDN') {
      unused.push(unusedResource(s.res, 'FQDN endpoints are not simulated'));
      continue;
    }
    const group = byService.get(key) ?? [];
    group.push(s);
    byService.set(key, group);
  }

  for (const [key, group] of byService) {
    const svc = services.find((x) => `${x.namespace}/${x.name}` === key)!;
    // What the simulator derives: scheduled pods the selector matches, with their readiness.
    const derived = new Map<string, boolean>();
    for (const p of pods) {
      if (p.namespace !== svc.namespace || p.nodeName === null || !matchesMap(p.labels, svc.selector!)) continue;
      derived.set(p.name, svc.publishNotReadyAddresses || (p.ready && !p.terminating));
    }
    // What the slices say (a dual-stack Service has a slice per family, naming the same pods).
    const said = new Map<string, boolean>();
    for (const s of group) {
      for (const e of s.obj.endpoints ?? []) {
        const name = e.targetRef?.name ?? `address ${(e.addresses ?? []).join(',')}`;
        // A nil condition means ready (discovery.k8s.io/v1 EndpointConditions).
        const ready = e.conditions?.ready ?? true;
        said.set(name, (said.get(name) ?? false) || ready);
      }
    }
    const first = group[0]!;
    const at = first.obj.endpoints ? ['endpoints'] : [];
    const slicesText = group.length === 1 ? `EndpointSlice ${first.obj.metadata.name}` : `the ${group.length} EndpointSlices (${group.map((g) => g.obj.metadata.name).join(', ')})`;
    const ours = [...derived.keys()].filter((n) => dumped.built.has(`${svc.namespace}/${n}`));
    if (ours.length === 0) {
      const readySaid = [...said.values()].filter(Boolean).length;
      const readyDerived = [...derived.values()].filter(Boolean).length;
      if (readySaid !== readyDerived) {
        problems.warn(first.res, at, `${slicesText} of Service ${key} list${group.length === 1 ? 's' : ''} ${readySaid} ready endpoint(s); the simulator derives ${readyDerived} from the pods it builds`);
      }
      continue;
    }
    const onlySaid = [...said.keys()].filter((n) => !derived.has(n) && !dumped.dropped.has(`${svc.namespace}/${n}`));
    const onlyDerived = ours.filter((n) => !said.has(n));
    const readiness = ours.filter((n) => said.has(n) && said.get(n) !== derived.get(n));
    if (onlySaid.length + onlyDerived.length + readiness.length === 0) continue;
    const parts: string[] = [];
    if (onlySaid.length > 0) parts.push(`in the slices only: ${list(onlySaid)}`);
    if (onlyDerived.length > 0) parts.push(`derived only: ${list(onlyDerived)}`);
    if (readiness.length > 0) parts.push(`ready in one, not the other: ${list(readiness.map((n) => `${n} (slice ${said.get(n) ? 'ready' : 'not ready'})`))}`);
    problems.warn(first.res, at, `${slicesText} and the pods disagree on the endpoints of Service ${key}: ${parts.join('; ')}`);
  }
  return unused;
}
