/**
 * What a configuration costs, per hour and per month, from the prices the scenario gives and what the run
 * measured (docs/results.md, "cost"):
 *
 *     nodesPerHour               Σ pricePerHour of the nodes up at the start; a node group counts its mean
 *                                size over the time-series windows × its price (the autoscaler's nodes)
 *     loadBalancersPerHour       Services of type LoadBalancer × loadBalancer.pricePerHour
 *     crossZonePerHour           paths.crossZoneBytes / 1e9 × crossZoneCostPerGB × 3600 / measuredSeconds
 *     loadBalancerTrafficPerHour bytes through a load balancer / 1e9 × loadBalancer.pricePerGB × 3600 / measuredSeconds
 *     perHour                    the sum;  perMonth = perHour × 730
 *
 * Bytes through a load balancer: for each client that sends via one, its measured requests × request
 * bytes + its completed requests × response bytes. Pure bookkeeping on the spec and the result: nothing is
 * simulated here, so the figures are exact functions of what the run reports (checked by hand in
 * test/experiment/cost.test.ts).
 */
import type { CostResult, RunResult } from '../model/result.js';
import type { ModelSpec } from '../model/spec.js';

export const HOURS_PER_MONTH = 730;

/** The part of the cost that does not depend on the run: nodes up at the start and load balancers, per hour. */
export function fixedCostPerHour(spec: Pick<ModelSpec, 'nodes' | 'services' | 'network'>): number {
  let nodes = 0;
  for (const n of spec.nodes) if (!n.absent) nodes += n.pricePerHour ?? 0;
  return nodes + loadBalancerCount(spec) * (spec.network.loadBalancerCostPerHour ?? 0);
}

function loadBalancerCount(spec: Pick<ModelSpec, 'services'>): number {
  return spec.services.filter((s) => s.type === 'LoadBalancer').length;
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Nodes and their price per hour: single nodes as at the start, a node group by its mean size over the windows. */
function nodeCost(spec: Pick<ModelSpec, 'nodes'>, result: Pick<RunResult, 'timeSeries'>): { count: number; perHour: number } {
  let count = 0;
  let perHour = 0;
  const groups = new Map<string, { price: number; atStart: number }>();
  for (const n of spec.nodes) {
    if (n.group !== undefined) {
      const g = groups.get(n.group) ?? { price: 0, atStart: 0 };
      g.price = Math.max(g.price, n.pricePerHour ?? 0);
      if (!n.absent) g.atStart++;
      groups.set(n.group, g);
      continue;
    }
    if (n.absent) continue;
    count++;
    perHour += n.pricePerHour ?? 0;
  }
  const series = result.timeSeries.nodeGroups ?? [];
  for (const [name, g] of groups) {
    const size = mean(series.find((s) => s.name === name)?.values ?? []) ?? g.atStart;
    count += size;
    perHour += size * g.price;
  }
  return { count, perHour };
}

function perHourOf(amount: number, seconds: number): number {
  return seconds > 0 ? (amount * 3600) / seconds : 0;
}

export function costOf(spec: Pick<ModelSpec, 'nodes' | 'services' | 'network' | 'clients'>, result: Pick<RunResult, 'paths' | 'clients' | 'measuredSeconds' | 'timeSeries'>): CostResult {
  const nodes = nodeCost(spec, result);
  const loadBalancers = loadBalancerCount(spec);
  const loadBalancersPerHour = loadBalancers * (spec.network.loadBalancerCostPerHour ?? 0);
  const seconds = result.measuredSeconds;
  const crossZonePerHour = perHourOf((result.paths.crossZoneBytes / 1e9) * spec.network.crossZoneCostPerGB, seconds);
  let lbBytes = 0;
  for (const c of spec.clients) {
    if (c.target.via !== 'loadBalancer') continue;
    const r = result.clients.find((x) => x.client === c.name);
    if (r) lbBytes += r.generated * c.requestBytes + r.completed * c.responseBytes;
  }
  const loadBalancerTrafficPerHour = perHourOf((lbBytes / 1e9) * (spec.network.loadBalancerCostPerGB ?? 0), seconds);
  const perHour = nodes.perHour + loadBalancersPerHour + crossZonePerHour + loadBalancerTrafficPerHour;
  return {
    nodes: nodes.count,
    loadBalancers,
    nodesPerHour: nodes.perHour,
    loadBalancersPerHour,
    crossZonePerHour,
    loadBalancerTrafficPerHour,
    perHour,
    perMonth: perHour * HOURS_PER_MONTH,
    hoursPerMonth: HOURS_PER_MONTH,
  };
}

/** The result with its cost, `cost` placed after `paths` (the order of result.json). */
export function withCost(result: RunResult, spec: ModelSpec): RunResult {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(result)) {
    if (k === 'cost') continue;
    out[k] = v;
    if (k === 'paths') out['cost'] = costOf(spec, result);
  }
  return out as unknown as RunResult;
}

/** Metrics every sweep and plan run reports besides the experiment's own, for the summaries' cost. */
export const COST_METRICS = ['cost.perHour', 'cost.perMonth'] as const;

/** The experiment's metrics plus the cost metrics it does not name already. */
export function withCostMetrics(metrics: readonly string[]): string[] {
  return [...metrics, ...COST_METRICS.filter((m) => !metrics.includes(m))];
}
