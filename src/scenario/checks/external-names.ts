/**
 * ExternalName Services whose CNAME points back into the cluster (issue 15, item 6). CoreDNS answers an
 * ExternalName with a CNAME and, when the target is in the cluster's zone, chases it itself: the answer
 * is the CNAME plus whatever the target answers (coredns/coredns `plugin/backend_lookup.go`, `A`: a target
 * that `dns.IsSubDomain(zone, ...)` is looked up again in the zone; `x CNAME x`, a CNAME already in the
 * chain and chains of more than 8 are dropped, so a loop answers no address). A target outside the zone,
 * a single label such as `web` included (it is made absolute, `web.`, never searched), goes upstream.
 *
 * So: a loop is an error, with the cycle; a chain longer than CoreDNS follows is an error; a target in the
 * zone naming no Service is a warning (the name has no address); a single-label target that is the name of
 * a Service is a warning (it does not reach that Service). The chase itself is modelled in
 * `src/model/dns/names.ts` (`lookupRecord`).
 */
import { DEFAULTS } from '../defaults.js';
import type { Problems } from '../problems.js';
import type { ServiceObject } from '../kinds/service.js';
import type { Valid, ValidatedScenario } from '../validate.js';

/** CoreDNS adds a CNAME only while fewer than 8 precede it (`len(previousRecords) > 7`). */
export const MAX_CNAME_CHAIN = 8;

const canonical = (name: string): string => name.toLowerCase().replace(/\.$/, '');

export function checkExternalNames(v: ValidatedScenario, problems: Problems): void {
  const domain = canonical(v.clusters[0]?.obj.spec.dns?.clusterDomain ?? DEFAULTS.dns.clusterDomain);
  const byFqdn = new Map<string, Valid<ServiceObject>>();
  const names = new Set<string>();
  for (const s of v.services) {
    const ns = s.obj.metadata.namespace ?? 'default';
    const fqdn = `${s.obj.metadata.name}.${ns}.svc.${domain}`;
    if (!byFqdn.has(fqdn)) byFqdn.set(fqdn, s);
    names.add(s.obj.metadata.name);
  }
  const inZone = (name: string): boolean => name === domain || name.endsWith(`.${domain}`);

  for (const s of v.services) {
    if (s.obj.spec.type !== 'ExternalName' || !s.obj.spec.externalName) continue;
    const at = ['spec', 'externalName'];
    const ns = s.obj.metadata.namespace ?? 'default';
    const self = `${s.obj.metadata.name}.${ns}.svc.${domain}`;
    const target = canonical(s.obj.spec.externalName);
    if (!target.includes('.') && names.has(target)) {
      problems.warn(s.res, at, `"${s.obj.spec.externalName}" is a single label: CoreDNS looks the CNAME target up as it is ("${target}."), without the search domains, so it does not reach Service ${target}; write ${target}.<namespace>.svc.${domain}`);
      continue;
    }
    if (!inZone(target)) continue;
    // Follow the chain as CoreDNS does.
    const chain = [self];
    let next = target;
    for (;;) {
      if (chain.includes(next)) {
        problems.error(s.res, at, `ExternalName loop: ${[...chain, next].join(' -> ')}; CoreDNS drops a CNAME that comes back to a name of its chain, so ${self} would have no address`);
        break;
      }
      if (chain.length > MAX_CNAME_CHAIN) {
        problems.error(s.res, at, `a chain of more than ${MAX_CNAME_CHAIN} CNAMEs (${chain.join(' -> ')} -> ...): CoreDNS stops following after ${MAX_CNAME_CHAIN}, so ${self} would have no address`);
        break;
      }
      chain.push(next);
      const svc = byFqdn.get(next);
      if (svc === undefined) {
        if (next === target) problems.warn(s.res, at, `${next} is in the cluster's domain but names no Service of the scenario: CoreDNS answers it with no address, so clients of ${self} fail to resolve it`);
        break;
      }
      if (svc.obj.spec.type !== 'ExternalName' || !svc.obj.spec.externalName) break;
      next = canonical(svc.obj.spec.externalName);
      if (!inZone(next)) break;
    }
  }
}
