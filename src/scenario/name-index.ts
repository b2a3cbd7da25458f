/**
 * Lookups by name for resolving references (clients to Services, pods and nodes), built once per list
 * rather than a scan of the list per reference (issue 15, item 7: clients × Services was quadratic). Each
 * answers what the scan answered, in list order. The lists must not change once asked about.
 */
import type { PodSpec, ServiceSpec } from '../model/spec.js';

function indexBy<T>(cache: WeakMap<readonly T[], Map<string, T[]>>, list: readonly T[], keys: (item: T) => readonly string[]): Map<string, T[]> {
  let map = cache.get(list);
  if (map === undefined) {
    map = new Map();
    for (const item of list) {
      for (const key of keys(item)) {
        let bucket = map.get(key);
        if (bucket === undefined) map.set(key, (bucket = []));
        bucket.push(item);
      }
    }
    cache.set(list, map);
  }
  return map;
}

const podMaps = new WeakMap<readonly PodSpec[], Map<string, PodSpec[]>>();
const serviceMaps = new WeakMap<readonly ServiceSpec[], Map<string, ServiceSpec[]>>();
const nodeMaps = new WeakMap<readonly { readonly name: string }[], Map<string, { readonly name: string }[]>>();

/** Pods whose name, or `namespace/name`, is `ref`. */
export function podsNamed(pods: readonly PodSpec[], ref: string): readonly PodSpec[] {
  return indexBy(podMaps, pods, (p) => [p.name, `${p.namespace}/${p.name}`]).get(ref) ?? [];
}

/** Services by name, and by `\0namespace/name` (a key no name can be). */
const serviceKeys = (s: ServiceSpec): readonly string[] => [s.name, `\0${s.namespace}/${s.name}`];

/** Services named `name`, in any namespace. */
export function servicesNamed(services: readonly ServiceSpec[], name: string): readonly ServiceSpec[] {
  return indexBy(serviceMaps, services, serviceKeys).get(name) ?? [];
}

/** The first Service `namespace/name`. */
export function serviceByKey(services: readonly ServiceSpec[], key: string): ServiceSpec | undefined {
  return indexBy(serviceMaps, services, serviceKeys).get(`\0${key}`)?.[0];
}

export function hasNodeNamed(nodes: readonly { readonly name: string }[], name: string): boolean {
  return indexBy(nodeMaps, nodes, (n) => [n.name]).has(name);
}
