/**
 * Kong's KongUpstreamPolicies, attached to Services with `konghq.com/upstream-policy: <name>` (same
 * namespace), -> the per-Service policies Kong's upstreams use (model/ingress/kong.ts). Docs:
 * developer.konghq.com/kubernetes-ingress-controller/ "Configure load balancing with KongUpstreamPolicy"
 * and "Manage sticky sessions with KongUpstreamPolicy"; the CRD: Kong/kubernetes-ingress-controller
 * `kong_upstream_policy_types.go`.
 *
 * Honoured: `algorithm` (round-robin, least-connections, latency, consistent-hashing, sticky-sessions),
 * `slots`, `hashOn` / `hashOnFallback` with input ip, consumer (the session stands for the consumer), path,
 * header, cookie, queryArg. Warned about, not simulated: `hashOn.uriCapture` (read as absent: the fallback
 * applies), `hashOn.cookiePath` and `stickySessions.cookiePath` (one path: every request carries the
 * cookie), and `healthchecks` (Kong's active and passive checks are not modelled).
 */
import type { KongHashInput, KongUpstreamPolicySpec, ServiceKey } from '../model/spec.js';
import { UPSTREAM_POLICY_ANNOTATION, type KongUpstreamPolicyObject } from './kinds/kong.js';
import type { ServiceObject } from './kinds/service.js';
import type { Problems } from './problems.js';
import type { FieldPath } from './source-map.js';
import type { Valid } from './validate.js';

/** Kong Gateway's default `slots` for an upstream. */
const DEFAULT_SLOTS = 10000;

type HashObject = NonNullable<NonNullable<KongUpstreamPolicyObject['spec']>['hashOn']>;

function hashInput(h: HashObject | undefined, p: Valid<KongUpstreamPolicyObject>, at: FieldPath, problems: Problems): KongHashInput | null {
  if (h === undefined) return null;
  if (h.input !== undefined) return { kind: h.input };
  if (h.header !== undefined) return { kind: 'header', name: h.header };
  if (h.cookie !== undefined) return { kind: 'cookie', name: h.cookie };
  if (h.queryArg !== undefined) return { kind: 'query', name: h.queryArg };
  if (h.uriCapture !== undefined) {
    problems.warn(p.res, [...at, 'uriCapture'], 'is not simulated (routes capture no URI groups here): the value is absent, so hashOnFallback applies');
  }
  return null;
}

/** The policy of each Service that names one, by the Service's `namespace/name`. */
export function buildKongPolicies(
  policies: readonly Valid<KongUpstreamPolicyObject>[],
  services: readonly Valid<ServiceObject>[],
  problems: Problems,
): Record<ServiceKey, KongUpstreamPolicySpec> {
  const byKey = new Map<string, Valid<KongUpstreamPolicyObject>>();
  for (const p of policies) byKey.set(`${p.obj.metadata.namespace ?? 'default'}/${p.obj.metadata.name}`, p);
  const built = new Map<Valid<KongUpstreamPolicyObject>, KongUpstreamPolicySpec>();
  const used = new Set<Valid<KongUpstreamPolicyObject>>();
  const out: Record<ServiceKey, KongUpstreamPolicySpec> = {};
  for (const s of services) {
    const name = s.obj.metadata.annotations?.[UPSTREAM_POLICY_ANNOTATION];
    if (name === undefined) continue;
    const namespace = s.obj.metadata.namespace ?? 'default';
    const p = byKey.get(`${namespace}/${name.trim()}`);
    if (p === undefined) {
      const known = policies.filter((x) => (x.obj.metadata.namespace ?? 'default') === namespace).map((x) => x.obj.metadata.name);
      problems.warn(s.res, ['metadata', 'annotations', UPSTREAM_POLICY_ANNOTATION], `no KongUpstreamPolicy "${name}" in namespace ${namespace}${known.length ? ` (there are: ${known.join(', ')})` : ''}: Kong balances this Service with the controller's default`);
      continue;
    }
    used.add(p);
    let spec = built.get(p);
    if (spec === undefined) {
      const ps = p.obj.spec ?? {};
      const at: FieldPath = ['spec'];
      if (ps.healthchecks !== undefined) problems.warn(p.res, [...at, 'healthchecks'], 'are not simulated: Kong sends to every target as if healthy');
      if (ps.hashOn?.cookiePath !== undefined) problems.warn(p.res, [...at, 'hashOn', 'cookiePath'], 'is not simulated: every request carries the cookie');
      if (ps.stickySessions?.cookiePath !== undefined) problems.warn(p.res, [...at, 'stickySessions', 'cookiePath'], 'is not simulated: every request carries the cookie');
      const algorithm = ps.algorithm ?? 'round-robin';
      const hashOn = hashInput(ps.hashOn, p, [...at, 'hashOn'], problems);
      const hashOnFallback = hashInput(ps.hashOnFallback, p, [...at, 'hashOnFallback'], problems);
      if (algorithm === 'consistent-hashing' && ps.hashOn === undefined) {
        problems.warn(p.res, [...at, 'algorithm'], 'consistent-hashing without hashOn hashes nothing (Kong\'s hash_on "none"): set hashOn');
      }
      if (ps.slots !== undefined && algorithm !== 'consistent-hashing') problems.warn(p.res, [...at, 'slots'], `has no effect with ${algorithm}: only consistent-hashing uses the slots`);
      spec = {
        algorithm: algorithm === 'round-robin' ? 'round_robin' : algorithm === 'least-connections' ? 'least_conn' : algorithm === 'consistent-hashing' ? 'consistent_hashing' : algorithm === 'sticky-sessions' ? 'sticky_sessions' : 'latency',
        hashOn,
        hashOnFallback,
        slots: ps.slots ?? DEFAULT_SLOTS,
      };
      built.set(p, spec);
    }
    out[`${namespace}/${s.obj.metadata.name}`] = spec;
  }
  for (const p of policies) {
    if (!used.has(p)) problems.warn(p.res, ['metadata', 'name'], `no Service names this policy (annotation ${UPSTREAM_POLICY_ANNOTATION}): it has no effect`);
  }
  return out;
}
