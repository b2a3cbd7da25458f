/**
 * Names and answers, computed once at set-up: the query names a pod's resolver tries for a name (the
 * search list and `ndots`, as glibc's `res_search` walks it), and what cluster DNS answers for each.
 *
 * The walk (docs/references.md#dns). A pod's resolv.conf has `search <ns>.svc.<domain> svc.<domain> <domain>
 * [node domains]` and `options ndots:5`:
 * - a name ending in `.` is absolute: only itself is tried;
 * - a name with at least `ndots` dots is tried as it is first, then with each search domain;
 * - any other name is tried with each search domain first, then as it is.
 * Each try is one *step*: an A and an AAAA query sent together; the walk stops at the first step whose name
 * exists. So `web` (a Service in the client's namespace) costs 2 queries, `api.example.com` 8 (3 cluster
 * domains + itself; 10 with one node domain), and `web.shop.svc.cluster.local` (4 dots < 5) also 8.
 *
 * Records (the CoreDNS kubernetes plugin, k/website `dns-pod-service.md`):
 * - `<svc>.<ns>.svc.<domain>`: a Service with a cluster IP answers its cluster IP; a headless Service its
 *   ready pods' addresses (all of them with `publishNotReadyAddresses`), NXDOMAIN when there are none; an
 *   ExternalName a CNAME to its `externalName`, which CoreDNS chases upstream and returns with the target's
 *   address in the same answer (a target in the cluster's own domain is chased inside the cluster: the
 *   answer is that Service's; a loop answers nothing);
 * - anything else in the cluster domain: NXDOMAIN, answered by the plugin;
 * - names outside it go to the upstream resolver: a declared external host answers its address, anything
 *   else NXDOMAIN. AAAA queries of names that exist get an empty (NODATA) answer: the cluster is IPv4 only.
 * Not modelled: pod records (`1-2-3-4.ns.pod`), StatefulSet hostnames (`web-0.web.ns.svc`), SRV records.
 */
import type { ServiceSpec } from '../spec.js';

/** Lower case, without a trailing dot. */
export function canonicalName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

export interface SearchConfig {
  readonly namespace: string;
  readonly clusterDomain: string;
  readonly ndots: number;
  /** Search domains after the cluster's (the node's own). */
  readonly search: readonly string[];
}

/** The names the resolver tries for `name`, in order (absolute, without trailing dots). */
export function searchNames(name: string, cfg: SearchConfig): string[] {
  const n = name.toLowerCase();
  if (n.endsWith('.')) return [n.slice(0, -1)];
  const domain = canonicalName(cfg.clusterDomain);
  const list = [`${cfg.namespace}.svc.${domain}`, `svc.${domain}`, domain, ...cfg.search.map(canonicalName)];
  const dots = (n.match(/\./g) ?? []).length;
  const searched = list.map((d) => `${n}.${d}`);
  return dots >= cfg.ndots ? [n, ...searched] : [...searched, n];
}

/** What DNS answers for one name (A query). */
export type DnsRecord =
  | { readonly kind: 'nxdomain'; readonly inCluster: boolean }
  | { readonly kind: 'cluster-ip'; readonly service: ServiceSpec }
  | { readonly kind: 'headless'; readonly service: ServiceSpec }
  /** ExternalName: CNAME to `target`; `host` is the declared external host behind it, or -1 when unknown. */
  | { readonly kind: 'cname'; readonly service: ServiceSpec; readonly target: string; readonly host: number }
  | { readonly kind: 'external'; readonly host: number };

export interface RecordContext {
  readonly clusterDomain: string;
  readonly services: readonly ServiceSpec[];
  /** Declared external host names (canonical). */
  readonly externalHosts: readonly string[];
  /** Whether a headless Service has an address to answer (a ready endpoint, or any with publishNotReadyAddresses). */
  readonly headlessHasAddresses: (service: ServiceSpec) => boolean;
}

export function isInClusterDomain(name: string, clusterDomain: string): boolean {
  const d = canonicalName(clusterDomain);
  return name === d || name.endsWith(`.${d}`);
}

const serviceMaps = new WeakMap<readonly ServiceSpec[], Map<string, ServiceSpec>>();

/** The first Service of the list with this namespace and name, through a map built once per list (not a scan per name). */
function serviceNamed(services: readonly ServiceSpec[], namespace: string, name: string): ServiceSpec | undefined {
  let map = serviceMaps.get(services);
  if (map === undefined) {
    map = new Map();
    for (const s of services) {
      const key = `${s.namespace}/${s.name}`;
      if (!map.has(key)) map.set(key, s);
    }
    serviceMaps.set(services, map);
  }
  return map.get(`${namespace}/${name}`);
}

/** CoreDNS follows at most this many CNAMEs in its own zone (`len(previousRecords) > 7`). */
const MAX_CNAME_CHAIN = 8;

export function lookupRecord(name: string, ctx: RecordContext): DnsRecord {
  return lookupChasing(name, ctx, []);
}

/**
 * An ExternalName whose target is in the cluster's zone is chased by CoreDNS itself (coredns/coredns
 * `plugin/backend_lookup.go`, `A`): the answer is then the target's, and a loop or a chain of more than 8
 * CNAMEs answers no address. `chain`: the names already followed.
 */
function lookupChasing(name: string, ctx: RecordContext, chain: string[]): DnsRecord {
  const n = canonicalName(name);
  const domain = canonicalName(ctx.clusterDomain);
  if (!isInClusterDomain(n, domain)) {
    const host = ctx.externalHosts.indexOf(n);
    return host >= 0 ? { kind: 'external', host } : { kind: 'nxdomain', inCluster: false };
  }
  const labels = n.slice(0, n.length - domain.length - 1).split('.');
  // <svc>.<ns>.svc
  if (labels.length !== 3 || labels[2] !== 'svc') return { kind: 'nxdomain', inCluster: true };
  const [svcName, ns] = labels as [string, string, string];
  const service = serviceNamed(ctx.services, ns, svcName);
  if (service === undefined) return { kind: 'nxdomain', inCluster: true };
  if (service.type === 'ExternalName') {
    const target = canonicalName(service.externalName ?? '');
    if (isInClusterDomain(target, domain)) {
      if (chain.includes(target) || target === n || chain.length >= MAX_CNAME_CHAIN) return { kind: 'nxdomain', inCluster: true };
      return lookupChasing(target, ctx, [...chain, n]);
    }
    return { kind: 'cname', service, target, host: ctx.externalHosts.indexOf(target) };
  }
  if (service.clusterIP !== null) return { kind: 'cluster-ip', service };
  return ctx.headlessHasAddresses(service) ? { kind: 'headless', service } : { kind: 'nxdomain', inCluster: true };
}

/** Whether an answer names something the client can connect to. */
export function resolves(r: DnsRecord): boolean {
  return r.kind === 'cluster-ip' || r.kind === 'headless' || r.kind === 'external' || (r.kind === 'cname' && r.host >= 0);
}

export interface LookupPlan {
  /** The names tried, in order, each one step (A + AAAA). */
  readonly steps: readonly { readonly name: string; readonly record: DnsRecord }[];
  /** Index of the step that answers (the last step), or -1 when no step resolves (the lookup fails). */
  readonly answerStep: number;
  /** Queries a lookup sends when nothing is lost (2 per step). */
  readonly queries: number;
}

/** The walk for `name`: every step up to and including the first that resolves. */
export function planLookup(name: string, cfg: SearchConfig, ctx: RecordContext): LookupPlan {
  const steps: { name: string; record: DnsRecord }[] = [];
  for (const n of searchNames(name, cfg)) {
    const record = lookupRecord(n, ctx);
    steps.push({ name: n, record });
    if (resolves(record)) return { steps, answerStep: steps.length - 1, queries: 2 * steps.length };
  }
  return { steps, answerStep: -1, queries: 2 * steps.length };
}
