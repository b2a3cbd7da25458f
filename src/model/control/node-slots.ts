/**
 * Room for the nodes a cluster autoscaler may add. Like pods (pod-slots.ts), nodes are laid out before
 * the run: every node group gets `maxSize` nodes. The group's nodes already in the spec (the scenario
 * layer lists those present at the start, with their `group`) come first; if there are none, the first
 * `initialSize` laid out here are present. The others are *absent* (not in the cluster: no kube-proxy,
 * no LB registration, nothing scheduled there) until the autoscaler provisions them. Names are
 * `<group>-<k>`, addresses from 10.255.0.0/16, labels as a kubelet sets them.
 */
import type { ModelSpec, NodeSpec } from '../spec.js';
import type { NodeGroupSpec } from './spec.js';

export function planNodes(spec: ModelSpec, groups: readonly NodeGroupSpec[]): ModelSpec {
  if (groups.length === 0) return spec;
  const nodes: NodeSpec[] = [...spec.nodes];
  const names = new Set(nodes.map((n) => n.name));
  let address = 0;
  for (const g of groups) {
    const listed = spec.nodes.filter((n) => n.group === g.name).length;
    const present = listed > 0 ? listed : g.initialSize;
    for (let k = listed; k < g.maxSize; k++) {
      const name = `${g.name}-${k}`;
      if (names.has(name)) throw new Error(`node group '${g.name}': a node named '${name}' exists already`);
      names.add(name);
      address++;
      nodes.push({
        name,
        zone: g.zone,
        ip: `10.255.${Math.floor(address / 250)}.${(address % 250) + 1}`,
        labels: { ...g.labels, 'topology.kubernetes.io/zone': g.zone, 'kubernetes.io/hostname': name },
        cpu: g.cpu,
        memory: g.memory,
        group: g.name,
        ...(k >= present ? { absent: true } : {}),
      });
    }
  }
  return { ...spec, nodes };
}

/** Whether node `n` of the spec is in the cluster at the start. */
export function presentAtStart(spec: ModelSpec, n: number): boolean {
  return spec.nodes[n]!.absent !== true;
}
