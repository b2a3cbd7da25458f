/**
 * Which Istio object (DestinationRule, VirtualService) names a Service by host, found through an index
 * rather than a scan of every object per meshed client (issue 15, item 7: clients × DestinationRules was
 * quadratic). The index answers what the scan answered: the first object, in list order, with a host that
 * names the Service.
 */
import type { ServiceSpec } from '../model/spec.js';

/** A host as written, compared the way the scan compares it: lower case, one trailing dot dropped. */
function normalise(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

/** Whether an Istio `host` (short, `name.ns`, or the FQDN) written in namespace `ns` names Service `s`. */
export function namesService(host: string, ns: string, s: ServiceSpec): boolean {
  const h = normalise(host);
  if (h === s.name) return ns === s.namespace;
  const fq = `${s.name}.${s.namespace}`;
  return h === fq || h === `${fq}.svc` || h.startsWith(`${fq}.svc.`);
}

/**
 * The index keys under which a host written in `ns` is found. A short host `h` names Service `h` in `ns`
 * (key `\0ns\0h`); otherwise `h` names `name.namespace` when it is that, that plus `.svc`, or starts with
 * that plus `.svc.`: every such `name.namespace` prefix of `h` is a key (`\x01fq`). (A short host cannot
 * also be an FQDN form of the same Service: those contain a dot the Service's name lacks.)
 */
function hostKeys(host: string, ns: string): string[] {
  const h = normalise(host);
  const keys = [`\0${ns}\0${h}`, `\x01${h}`];
  if (h.endsWith('.svc')) keys.push(`\x01${h.slice(0, -'.svc'.length)}`);
  for (let i = h.indexOf('.svc.'); i >= 0; i = h.indexOf('.svc.', i + 1)) keys.push(`\x01${h.slice(0, i)}`);
  return keys;
}

export interface HostIndex<T> {
  /** The first item, in list order, with a host that names `s` (the scan `items.find(...)`). */
  first(s: ServiceSpec): T | undefined;
}

/** Indexes `items` by the hosts each writes (`hostsOf`) in its namespace (`nsOf`). */
export function indexHosts<T>(items: readonly T[], hostsOf: (item: T) => readonly string[], nsOf: (item: T) => string): HostIndex<T> {
  const positions = new Map<string, number[]>();
  items.forEach((item, i) => {
    const ns = nsOf(item);
    for (const host of hostsOf(item)) {
      for (const key of hostKeys(host, ns)) {
        const bucket = positions.get(key);
        if (bucket === undefined) positions.set(key, [i]);
        else if (bucket[bucket.length - 1] !== i) bucket.push(i);
      }
    }
  });
  return {
    first(s) {
      // Each bucket is in list order: the answer is the smaller of the two buckets' first positions.
      const short = positions.get(`\0${s.namespace}\0${s.name}`)?.[0];
      const long = positions.get(`\x01${s.name}.${s.namespace}`)?.[0];
      const at = short === undefined ? long : long === undefined ? short : Math.min(short, long);
      return at === undefined ? undefined : items[at];
    },
  };
}
