/**
 * Room for the pods a timeline will create. The data path's tables (pods as queues, endpoints, metrics)
 * are sized once, so the pods that rollouts, scale-ups and replacements create are laid out before the run
 * as *slots*: Pending pods with no node, not yet endpoints, each with the template of the revision that
 * will use it. The deployment controller takes a slot when it creates a pod; the scheduler gives it a node.
 *
 * The number of slots is an upper bound worked out from the timeline: a revision may need its largest
 * replica count, once, plus as many again after every event that can take pods away (delete, drain, node
 * or zone failure, scale), plus one spare set. Slots never used are left out of the results.
 */
import { mix32 } from '../hash.js';
import type { ModelSpec, PodSpec } from '../spec.js';
import { DEFAULT_LIFECYCLE } from './defaults.js';
import type { DeploymentSpec, PodTemplateSpec, TimeSpec } from './spec.js';

export interface SlotPlan {
  /** The spec with every slot appended to `pods` (slots are Pending: `nodeName` null). */
  readonly spec: ModelSpec;
  /** Index of the first slot in `spec.pods`: pods below it existed at time 0. */
  readonly firstSlot: number;
  /** Per deployment, per revision (0 = the template at time 0), the slots not yet taken, in order. */
  readonly free: number[][][];
  /** Per deployment, its revisions' templates (revision 0 first). */
  readonly templates: PodTemplateSpec[][];
  /** Per pod: its deployment (−1: none) and revision. */
  readonly deploymentOf: Int32Array;
  readonly revisionOf: Int32Array;
}

const DISRUPTIVE = new Set(['delete-pod', 'drain', 'fail-node', 'fail-zone', 'scale']);

export function deploymentKey(d: { readonly namespace: string; readonly name: string }): string {
  return `${d.namespace}/${d.name}`;
}

/** A pod-template-hash look-alike for revision `r` of a Deployment: stable, 10 characters. */
function templateHash(key: string, r: number): string {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = mix32(h ^ key.charCodeAt(i));
  const a = mix32(h ^ (r + 1)).toString(36);
  const b = mix32(h + 0x9e3779b9 * (r + 1)).toString(36);
  return (a + b).replace(/[^a-z0-9]/g, '').padEnd(10, 'x').slice(0, 10);
}

export function planSlots(spec: ModelSpec, time: TimeSpec): SlotPlan {
  const deployments = time.deployments;
  const byKey = new Map(deployments.map((d, i) => [deploymentKey(d), i]));
  const templates: PodTemplateSpec[][] = deployments.map((d) => [d.template]);
  const maxReplicas = deployments.map((d) => d.replicas);
  // Per deployment and revision: the disruptive events from the revision's start on.
  const disruptionsFrom: number[][] = deployments.map(() => [0]);
  const current = deployments.map((d) => d.replicas);
  for (const event of time.timeline) {
    if (event.kind === 'rollout') {
      const d = byKey.get(event.deployment);
      if (d === undefined) throw new Error(`timeline: rollout of unknown Deployment '${event.deployment}'`);
      templates[d]!.push(event.template);
      disruptionsFrom[d]!.push(0);
    } else if (event.kind === 'scale') {
      const d = byKey.get(event.deployment);
      if (d === undefined) throw new Error(`timeline: scale of unknown Deployment '${event.deployment}'`);
      current[d] = event.replicas;
      maxReplicas[d] = Math.max(maxReplicas[d]!, event.replicas);
    }
    if (DISRUPTIVE.has(event.kind)) for (const list of disruptionsFrom) for (let r = 0; r < list.length; r++) list[r]!++;
  }
  // An HPA may take its Deployment up to maxReplicas (its churn beyond that reuses gone pods' slots).
  for (const a of time.autoscalers ?? []) {
    const d = byKey.get(a.deployment);
    if (d !== undefined) maxReplicas[d] = Math.max(maxReplicas[d]!, a.maxReplicas);
  }

  const pods: PodSpec[] = [...spec.pods];
  const firstSlot = pods.length;
  const names = new Set(pods.map((p) => `${p.namespace}/${p.name}`));
  const free: number[][][] = [];
  deployments.forEach((d: DeploymentSpec, di) => {
    const key = deploymentKey(d);
    const existing = spec.pods.filter((p) => p.owner === key).length;
    free.push(
      templates[di]!.map((template, r) => {
        const m = maxReplicas[di]!;
        const bound = m * (1 + disruptionsFrom[di]![r]!) + m - (r === 0 ? existing : 0);
        const hash = templateHash(key, r);
        const slots: number[] = [];
        for (let k = 0; slots.length < Math.max(0, bound); k++) {
          const suffix = mix32(k * 2654435761 + r).toString(36).padStart(5, '0').slice(-5);
          const name = `${d.name}-${hash}-${suffix}`;
          if (names.has(`${d.namespace}/${name}`)) continue;
          names.add(`${d.namespace}/${name}`);
          slots.push(pods.length);
          pods.push(slotPod(d, key, name, template));
        }
        return slots;
      }),
    );
  });

  const deploymentOf = new Int32Array(pods.length).fill(-1);
  const revisionOf = new Int32Array(pods.length);
  spec.pods.forEach((p, i) => {
    if (p.owner !== undefined) deploymentOf[i] = byKey.get(p.owner) ?? -1;
  });
  free.forEach((revisions, di) =>
    revisions.forEach((slots, r) => {
      for (const p of slots) {
        deploymentOf[p] = di;
        revisionOf[p] = r;
      }
    }),
  );
  return { spec: { ...spec, pods }, firstSlot, free, templates, deploymentOf, revisionOf };
}

function slotPod(d: DeploymentSpec, owner: string, name: string, t: PodTemplateSpec): PodSpec {
  return {
    name,
    namespace: d.namespace,
    labels: t.labels,
    nodeName: null,
    ip: '',
    ready: false,
    terminating: false,
    ports: t.ports,
    behaviour: t.behaviour,
    ...(t.weight !== undefined ? { weight: t.weight } : {}),
    ...(t.requests !== undefined ? { requests: t.requests } : {}),
    owner,
    lifecycle: t.lifecycle ?? DEFAULT_LIFECYCLE,
  };
}
