/**
 * Service mesh enablement and policy, read the way the meshes read them (docs/scenarios.md, "Service mesh"):
 *
 * - Istio injects a sidecar into a pod whose namespace has the label `istio-injection: enabled` (or an
 *   `istio.io/rev` revision label), unless the pod says `sidecar.istio.io/inject: "false"`; a pod label
 *   `sidecar.istio.io/inject: "true"` injects it whatever its namespace says (unless the namespace says
 *   `istio-injection: disabled`).
 * - Linkerd injects a pod whose template, or else its namespace, has the annotation `linkerd.io/inject:
 *   enabled` (`ingress` too); `disabled` on the pod turns it off.
 *
 * A meshed client (a Workload client running in a meshed pod, or a client pod named by its node in a meshed
 * `default` namespace) that calls a Service's cluster IP gets its sidecar's per-request balancing. The
 * destination's policy: Istio's DestinationRule (`loadBalancer.simple`, `outlierDetection`) and the first
 * HTTP route of its VirtualService (`retries`, `timeout`); Linkerd's Service annotations
 * (`balancer.linkerd.io/failure-accrual*`, `retry.linkerd.io/http`/`limit`, `timeout.linkerd.io/request`).
 */
import { parseDuration } from '../engine/units.js';
import { FAILURE_ACCRUAL_DEFAULTS, DEFAULT_HOP_LATENCY, OUTLIER_DEFAULTS, defaultPolicy } from '../model/mesh/defaults.js';
import type { MeshBalancing, MeshClientSpec, MeshKind, MeshPolicySpec, MeshSpec } from '../model/mesh/spec.js';
import type { ClientSpec, PodSpec, ServiceSpec } from '../model/spec.js';
import { indexHosts, type HostIndex } from './istio-hosts.js';
import { matchesMap } from './kinds/meta.js';
import { podsNamed, serviceByKey } from './name-index.js';
import type { Problems } from './problems.js';
import type { FieldPath } from './source-map.js';
import type { ValidatedScenario } from './validate.js';
import { builtinDistribution } from './values.js';

type Meta = { readonly labels: Readonly<Record<string, string>>; readonly annotations: Readonly<Record<string, string>> };
const NONE: Meta = { labels: {}, annotations: {} };

const BALANCING: Readonly<Record<string, MeshBalancing | null>> = {
  UNSPECIFIED: 'least-request',
  LEAST_REQUEST: 'least-request',
  LEAST_CONN: 'least-request', // the deprecated name of LEAST_REQUEST
  ROUND_ROBIN: 'round-robin',
  RANDOM: 'random',
  PASSTHROUGH: null,
};

/** Which mesh injects a pod with this metadata into this namespace, or null. */
export function injectedBy(pod: Meta, ns: Meta): MeshKind | null {
  const podIstio = pod.labels['sidecar.istio.io/inject'] ?? pod.annotations['sidecar.istio.io/inject'];
  const nsIstio = ns.labels['istio-injection'];
  let istio = nsIstio === 'enabled' || (nsIstio === undefined && ns.labels['istio.io/rev'] !== undefined);
  if (podIstio === 'false') istio = false;
  else if (podIstio === 'true' && nsIstio !== 'disabled') istio = true;
  const podLinkerd = pod.annotations['linkerd.io/inject'];
  const linkerdOn = (v: string | undefined) => v === 'enabled' || v === 'ingress';
  const linkerd = podLinkerd !== undefined ? linkerdOn(podLinkerd) : linkerdOn(ns.annotations['linkerd.io/inject']);
  if (istio) return 'istio';
  return linkerd ? 'linkerd' : null;
}

export interface MeshInputs {
  readonly pods: readonly PodSpec[];
  readonly services: readonly ServiceSpec[];
  readonly clients: readonly ClientSpec[];
}

export function buildMeshSpec(v: ValidatedScenario, inputs: MeshInputs, problems: Problems): MeshSpec | null {
  const namespaces = new Map<string, Meta>(
    v.namespaces.map(({ obj }) => [obj.metadata.name, { labels: obj.metadata.labels ?? {}, annotations: obj.metadata.annotations ?? {} }]),
  );
  const nsMeta = (ns: string): Meta => namespaces.get(ns) ?? NONE;
  const metaOf = podMetaReader(v);
  const podMesh = new Map<string, MeshKind>();
  for (const p of inputs.pods) {
    const kind = injectedBy(metaOf(p), nsMeta(p.namespace));
    if (kind !== null) podMesh.set(`${p.namespace}/${p.name}`, kind);
  }

  // Every lookup below is by name through a map built once (issue 15, item 7): each answers what a scan
  // of the list (`find`, the first in list order) answered.
  const clientByName = firstByKey(inputs.clients, (c) => c.name);
  const policies = policyLookups(v);
  const clients: MeshClientSpec[] = [];
  for (const { res, obj, clientIndex } of v.workloads) {
    obj.spec.clients.forEach((c, k) => {
      const spec = clientByName.get(c.name);
      if (spec === undefined || c.from?.kind !== 'pod') return;
      const from = c.from.name;
      const pod = podsNamed(inputs.pods, from)[0];
      // A client pod named by its node runs in `default`, with no labels of its own.
      const kind = pod !== undefined ? (podMesh.get(`${pod.namespace}/${pod.name}`) ?? null) : injectedBy(NONE, nsMeta('default'));
      if (kind === null) return;
      const path: FieldPath = ['spec', 'clients', clientIndex?.[k] ?? k];
      if (spec.target.via !== 'clusterIP' || spec.http) {
        problems.warn(res, [...path, 'target'], `the client runs in a pod with a${kind === 'istio' ? 'n Istio' : ' Linkerd'} sidecar, but only calls to a Service's cluster IP are balanced by it in the model: this one goes ${spec.http ? 'through an ingress controller' : `via ${spec.target.via}`} as without a mesh`);
        return;
      }
      const svc = serviceByKey(inputs.services, spec.target.service);
      if (svc === undefined) return;
      const policy = kind === 'istio' ? istioPolicy(policies, svc, problems) : linkerdPolicy(policies, svc, problems);
      clients.push({ client: spec.name, mesh: kind, policy });
    });
  }
  if (clients.length === 0) return null;

  const cluster = v.clusters[0]?.obj.spec?.mesh;
  return {
    hopLatency: {
      istio: cluster?.istio?.hopLatency ?? builtinDistribution(DEFAULT_HOP_LATENCY.istio),
      linkerd: cluster?.linkerd?.hopLatency ?? builtinDistribution(DEFAULT_HOP_LATENCY.linkerd),
    },
    clients,
    pods: [...podMesh].map(([pod, mesh]) => ({ pod, mesh })),
  };
}

/** The first item of `items` under each key: what `items.find((x) => key(x) === k)` gives for every k. */
function firstByKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    if (!map.has(k)) map.set(k, item);
  }
  return map;
}

type Named = { readonly obj: { readonly metadata: { readonly name: string; readonly namespace?: string | undefined } } };
const nsOf = ({ obj }: Named): string => obj.metadata.namespace ?? 'default';
const keyOf = (item: Named): string => `${nsOf(item)}/${item.obj.metadata.name}`;

/**
 * Labels and annotations of a pod as written: its own object's, or its controller's template's (the first
 * controller, in the order of `[...controllers, ...daemonSets]`, in the pod's namespace that owns it or
 * whose name, and a dash, begins the pod's name and whose template labels the pod has).
 */
function podMetaReader(v: ValidatedScenario): (p: PodSpec) => Meta {
  const own = firstByKey(v.pods, keyOf);
  // Controllers by `namespace/name`, with their position in the list the scan went through.
  const owners = [...v.controllers, ...v.daemonSets];
  const byKey = new Map<string, number[]>();
  owners.forEach((o, i) => {
    const k = keyOf(o);
    const bucket = byKey.get(k);
    if (bucket === undefined) byKey.set(k, [i]);
    else bucket.push(i);
  });
  return (p) => {
    const mine = own.get(`${p.namespace}/${p.name}`);
    if (mine) return { labels: p.labels, annotations: mine.obj.metadata.annotations ?? {} };
    let best = -1;
    const consider = (i: number, byName: boolean): void => {
      if (best >= 0 && i >= best) return;
      const o = owners[i]!;
      if (nsOf(o) !== p.namespace) return;
      if (byName && !(p.name.startsWith(`${o.obj.metadata.name}-`) && matchesMap(p.labels, o.obj.spec.template.metadata?.labels ?? {}))) return;
      best = i;
    };
    if (p.owner !== undefined) for (const i of byKey.get(p.owner) ?? []) consider(i, false);
    // A controller whose name and a dash begin the pod's name: the name is the part before one of its dashes.
    for (let d = p.name.indexOf('-'); d >= 0; d = p.name.indexOf('-', d + 1)) {
      for (const i of byKey.get(`${p.namespace}/${p.name.slice(0, d)}`) ?? []) consider(i, true);
    }
    if (best < 0) return { labels: p.labels, annotations: {} };
    return { labels: p.labels, annotations: owners[best]!.obj.spec.template.metadata?.annotations ?? {} };
  };
}

/** The lookups the policies need: Istio objects by the hosts they name, Services by `namespace/name`. */
interface PolicyLookups {
  readonly destinationRules: HostIndex<ValidatedScenario['destinationRules'][number]>;
  readonly virtualServices: HostIndex<ValidatedScenario['virtualServices'][number]>;
  readonly services: Map<string, ValidatedScenario['services'][number]>;
}

function policyLookups(v: ValidatedScenario): PolicyLookups {
  return {
    destinationRules: indexHosts(v.destinationRules, ({ obj }) => [obj.spec.host], nsOf),
    virtualServices: indexHosts(v.virtualServices, ({ obj }) => obj.spec.hosts ?? [], nsOf),
    services: firstByKey(v.services, keyOf),
  };
}

function istioPolicy(v: PolicyLookups, svc: ServiceSpec, problems: Problems): MeshPolicySpec {
  let policy: MeshPolicySpec = defaultPolicy('istio');
  const dr = v.destinationRules.first(svc);
  if (dr) {
    const tp = dr.obj.spec.trafficPolicy;
    const lb = tp?.loadBalancer;
    if (lb?.consistentHash !== undefined) {
      problems.warn(dr.res, ['spec', 'trafficPolicy', 'loadBalancer', 'consistentHash'], 'consistent hashing is not modelled for sidecars: LEAST_REQUEST is used');
    } else if (lb?.simple !== undefined) {
      const balancing = BALANCING[lb.simple];
      if (balancing === null || balancing === undefined) {
        problems.error(dr.res, ['spec', 'trafficPolicy', 'loadBalancer', 'simple'], { expected: 'LEAST_REQUEST, ROUND_ROBIN or RANDOM (PASSTHROUGH leaves the choice to kube-proxy, not modelled with a sidecar)', found: lb.simple });
      } else policy = { ...policy, balancing };
    }
    const od = tp?.outlierDetection;
    if (od !== undefined) {
      const errors = od.consecutive5xxErrors ?? od.consecutiveGatewayErrors ?? od.consecutiveErrors ?? OUTLIER_DEFAULTS.consecutiveErrors;
      policy = {
        ...policy,
        outlier:
          errors === 0
            ? null
            : {
                consecutiveErrors: errors,
                interval: od.interval ?? OUTLIER_DEFAULTS.interval,
                baseEjectionTime: od.baseEjectionTime ?? OUTLIER_DEFAULTS.baseEjectionTime,
                maxEjectionPercent: od.maxEjectionPercent ?? OUTLIER_DEFAULTS.maxEjectionPercent,
              },
      };
    }
  }
  const vs = v.virtualServices.first(svc);
  const route = vs?.obj.spec.http?.[0];
  if (vs && route) {
    if (route.retries !== undefined) {
      policy = { ...policy, retries: route.retries.attempts ?? policy.retries };
      if (route.retries.perTryTimeout !== undefined) problems.warn(vs.res, ['spec', 'http', 0, 'retries', 'perTryTimeout'], 'perTryTimeout is not modelled: only the route timeout bounds a request');
    }
    if (route.timeout !== undefined) policy = { ...policy, timeout: route.timeout > 0 ? route.timeout : null };
  }
  return policy;
}

function linkerdPolicy(v: PolicyLookups, svc: ServiceSpec, problems: Problems): MeshPolicySpec {
  let policy: MeshPolicySpec = defaultPolicy('linkerd');
  const found = v.services.get(`${svc.namespace}/${svc.name}`);
  if (!found) return policy;
  const a = found.obj.metadata.annotations ?? {};
  const res = found.res;
  const at = (key: string): FieldPath => ['metadata', 'annotations', key];
  const num = (key: string, fallback: number, integer: boolean): number => {
    const text = a[key];
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
      problems.error(res, at(key), { expected: integer ? 'a whole number' : 'a number', found: JSON.stringify(text) });
      return fallback;
    }
    return n;
  };
  const dur = (key: string, fallback: number): number => {
    const text = a[key];
    if (text === undefined) return fallback;
    try {
      const d = parseDuration(text);
      if (d > 0) return d;
    } catch {
      // reported below
    }
    problems.error(res, at(key), { expected: 'a duration above zero such as 500ms, 10s or 1m', found: JSON.stringify(text) });
    return fallback;
  };
  const accrual = a['balancer.linkerd.io/failure-accrual'];
  if (accrual !== undefined) {
    if (accrual !== 'consecutive') {
      problems.error(res, at('balancer.linkerd.io/failure-accrual'), { expected: '"consecutive" (the only failure accrual policy Linkerd has)', found: JSON.stringify(accrual) });
    } else {
      const d = FAILURE_ACCRUAL_DEFAULTS;
      const prefix = 'balancer.linkerd.io/failure-accrual-consecutive-';
      const minPenalty = dur(`${prefix}min-penalty`, d.minPenalty);
      const maxPenalty = dur(`${prefix}max-penalty`, d.maxPenalty);
      if (minPenalty > maxPenalty) problems.error(res, at(`${prefix}min-penalty`), { expected: `a min-penalty at most the max-penalty (${maxPenalty} s)`, found: `${minPenalty} s` });
      const jitterRatio = num(`${prefix}jitter-ratio`, d.jitterRatio, false);
      if (jitterRatio > 100) problems.error(res, at(`${prefix}jitter-ratio`), { expected: 'a jitter ratio from 0 to 100', found: String(jitterRatio) });
      policy = {
        ...policy,
        failureAccrual: { maxFailures: Math.max(1, num(`${prefix}max-failures`, d.maxFailures, true)), minPenalty, maxPenalty, jitterRatio },
      };
    }
  }
  // Linkerd 2.16+: retries when `retry.linkerd.io/http` names what to retry (5xx covers refusals here).
  if (a['retry.linkerd.io/http'] !== undefined) policy = { ...policy, retries: num('retry.linkerd.io/limit', 1, true) };
  if (a['timeout.linkerd.io/request'] !== undefined) policy = { ...policy, timeout: dur('timeout.linkerd.io/request', 0) || null };
  return policy;
}
