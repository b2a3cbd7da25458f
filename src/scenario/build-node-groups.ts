/**
 * The Cluster's `nodeGroups` and `clusterAutoscaler` -> the model's node groups and the autoscaler's
 * settings (defaults: defaults.ts `clusterAutoscaler`). The groups' nodes at the start are listed with the
 * cluster's nodes by build-cluster.ts; the model lays out the rest (control/node-slots.ts).
 */
import type { ClusterAutoscalerSpec, NodeGroupSpec } from '../model/control/spec.js';
import { DEFAULTS } from './defaults.js';
import type { ClusterObject } from './kinds/cluster.js';
import type { Problems } from './problems.js';
import type { Valid } from './validate.js';
import { builtinDistribution } from './values.js';

export interface NodeGroups {
  readonly nodeGroups: NodeGroupSpec[];
  readonly clusterAutoscaler: ClusterAutoscalerSpec;
}

/** Memory of a group's node when the Cluster says none: not a constraint. */
const UNBOUNDED_MEMORY = Number.MAX_SAFE_INTEGER;

export function buildNodeGroups(cluster: Valid<ClusterObject> | undefined, problems: Problems): NodeGroups {
  const spec = cluster?.obj.spec;
  const D = DEFAULTS.clusterAutoscaler;
  const ca = spec?.clusterAutoscaler;
  const nodeGroups: NodeGroupSpec[] = [];
  const zones = new Set([...(spec?.zones ?? []).map((z) => z.name), ...(spec?.nodes ?? []).flatMap((n) => (n.zone ? [n.zone] : []))]);
  const names = new Set<string>();
  (spec?.nodeGroups ?? []).forEach((g, gi) => {
    const at = ['spec', 'nodeGroups', gi];
    const size = g.size ?? g.minSize;
    if (names.has(g.name)) problems.error(cluster!.res, [...at, 'name'], `duplicate node group "${g.name}"`);
    names.add(g.name);
    if (g.maxSize < g.minSize) {
      problems.error(cluster!.res, [...at, 'maxSize'], { expected: `at least minSize (${g.minSize})`, found: String(g.maxSize) });
    }
    if (size < g.minSize || size > g.maxSize) {
      problems.error(cluster!.res, [...at, 'size'], { expected: `from minSize (${g.minSize}) to maxSize (${g.maxSize})`, found: String(size) });
    }
    if (zones.size > 0 && !zones.has(g.zone)) {
      problems.warn(cluster!.res, [...at, 'zone'], `a zone no other node is in ("${g.zone}"): a new zone for the cluster`);
    }
    nodeGroups.push({
      name: g.name,
      zone: g.zone,
      minSize: g.minSize,
      maxSize: Math.max(g.maxSize, g.minSize),
      initialSize: size,
      cpu: g.cpu ?? DEFAULTS.cluster.cpu,
      memory: g.memory ?? UNBOUNDED_MEMORY,
      labels: g.labels ?? {},
      provisionTime: g.provisionTime ?? builtinDistribution(D.provisionTime),
    });
  });
  return {
    nodeGroups,
    clusterAutoscaler: {
      scanInterval: ca?.scanInterval ?? D.scanInterval,
      scaleDownUnneededTime: ca?.scaleDownUnneededTime ?? D.scaleDownUnneededTime,
      scaleDownDelayAfterAdd: ca?.scaleDownDelayAfterAdd ?? D.scaleDownDelayAfterAdd,
      scaleDownUtilizationThreshold: ca?.scaleDownUtilizationThreshold ?? D.scaleDownUtilizationThreshold,
    },
  };
}
