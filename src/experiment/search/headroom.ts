/**
 * Failure headroom (`search.headroom: node | zone`): each candidate is also run with one node (N+1) or one
 * zone (zone-redundant) failed, through the timeline's `fail` / `failZone` events, and the objective is
 * measured once the failure has settled.
 *
 * - What fails: the node (zone) that holds the most serving pods at the start (pods some Service
 *   selects), ties to the first in the cluster's order: the worst single loss, chosen per point.
 * - When: at the base scenario's fixed warm-up (at least 1 s), so the steady state comes first.
 * - Settled: a probe run (replication 0's seed, the failure, `settleWithin` more seconds) gives the
 *   event's `end` (replacements Ready, every kube-proxy and load balancer caught up). The headroom runs
 *   then start their measurement (their warm-up) at that end plus a margin (a quarter of the time it
 *   took, at least 2 s: other seeds settle a little later), and measure as long as the base scenario
 *   does. A run whose own `end` comes later than its warm-up is counted as not settled, and reported. A
 *   failure that has not settled `settleWithin` after it (replacements that stay Pending: no room left)
 *   is measured from then on: the degraded state the cluster stays in.
 */
import type { ModelSpec } from '../../model/spec.js';
import type { Headroom } from './types.js';

export interface HeadroomTarget {
  readonly kind: 'node' | 'zone';
  readonly name: string;
  /** Serving pods on it at the start. */
  readonly pods: number;
}

function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

/** The node or zone whose loss costs the most serving pods (ties: the first in the cluster's order). */
export function headroomTarget(spec: Pick<ModelSpec, 'nodes' | 'pods' | 'services'>, kind: Exclude<Headroom, 'none'>): HeadroomTarget | null {
  const selectors = spec.services.flatMap((s) => (s.selector ? [{ ns: s.namespace, sel: s.selector }] : []));
  const count = new Map<string, number>();
  for (const p of spec.pods) {
    if (p.nodeName === null) continue;
    if (!selectors.some((s) => s.ns === p.namespace && selects(s.sel, p.labels))) continue;
    const node = spec.nodes.find((n) => n.name === p.nodeName);
    const key = kind === 'node' ? p.nodeName : node?.zone;
    if (key !== undefined) count.set(key, (count.get(key) ?? 0) + 1);
  }
  const order = kind === 'node' ? spec.nodes.filter((n) => !n.absent).map((n) => n.name) : [...new Set(spec.nodes.filter((n) => !n.absent).map((n) => n.zone))];
  let best: HeadroomTarget | null = null;
  for (const name of order) {
    const pods = count.get(name) ?? 0;
    if (best === null || pods > best.pods) best = { kind, name, pods };
  }
  return best;
}

/** Why a scenario cannot take a headroom check, or null. */
export function headroomProblem(spec: Pick<ModelSpec, 'simulation' | 'time'>): string | null {
  if (spec.simulation.duration === null) return 'a headroom check needs a run with a duration (Simulation.spec.duration): the failure is a timeline event';
  if ((spec.time?.timeline.length ?? 0) > 0) return 'the scenario has a timeline of its own; a headroom check adds a failure event to a steady scenario (remove the timeline, or check without headroom)';
  return null;
}

/** When the failure happens: the base's fixed warm-up, at least 1 s. */
export function failureTime(spec: Pick<ModelSpec, 'simulation'>): number {
  const w = spec.simulation.warmup;
  return Math.max(1, typeof w === 'number' ? w : 0);
}

/** How long the base scenario measures: duration − warm-up (− the failure time when the warm-up is auto). */
export function measuredLength(spec: Pick<ModelSpec, 'simulation'>): number {
  const { duration, warmup } = spec.simulation;
  return Math.max(1, (duration ?? 0) - (typeof warmup === 'number' ? warmup : failureTime(spec)));
}

function seconds(x: number): string {
  return `${Number(x.toPrecision(12))}s`;
}

function event(target: HeadroomTarget, at: number): string {
  return target.kind === 'node' ? `[{at: ${seconds(at)}, fail: ${target.name}}]` : `[{at: ${seconds(at)}, failZone: ${target.name}}]`;
}

/** Overrides of the probe run: the failure, then `settleWithin` seconds. */
export function probeOverrides(target: HeadroomTarget, at: number, settleWithin: number): string[] {
  return [`Simulation.spec.timeline=${event(target, at)}`, `Simulation.spec.duration=${seconds(at + settleWithin)}`];
}

/** The warm-up of the headroom runs: the settle time plus a margin, rounded up to the millisecond. */
export function settledWarmup(at: number, end: number): number {
  const margin = Math.max(2, 0.25 * (end - at));
  return Math.ceil((end + margin) * 1000) / 1000;
}

/** Overrides of a headroom run: the failure, the measurement from `warmup` on for `measured` seconds. */
export function headroomOverrides(target: HeadroomTarget, at: number, warmup: number, measured: number): string[] {
  return [
    `Simulation.spec.timeline=${event(target, at)}`,
    `Simulation.spec.warmup=${seconds(warmup)}`,
    `Simulation.spec.duration=${seconds(warmup + measured)}`,
  ];
}

export function describeTarget(t: HeadroomTarget): string {
  return `${t.kind} ${t.name}`;
}
