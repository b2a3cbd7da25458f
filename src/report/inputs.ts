/**
 * What a report is made from: the small, read-only view of stored results that the charts need. The loader
 * (load-input.ts) fills it from a results directory: one run (`result.json`) or a sweep (`results.jsonl`
 * plus `summary.json`). Charts never read files and never see the model: only these types.
 *
 * Vocabulary:
 * - a **run** is one simulation (one `result.json`, or one line of `results.jsonl`);
 * - a **point** is one combination of parameter values, simulated once per replication;
 * - a **configuration** is what the reader compares: the point's parameters without the load parameter
 *   (a sweep over `rate` × `externalTrafficPolicy` has two configurations, each at several loads).
 */
import type { PlanFile } from '../experiment/search/plan-file.js';
import type { EventResult, LatencyByStage, RunResult, TimeSeries as ModelTimeSeries } from '../model/result.js';

/** The parts of a run's result that the charts read (a `result.json` has all of them). */
export type RunView = Pick<
  RunResult,
  'scenario' | 'seed' | 'warmup' | 'measuredSeconds' | 'accounting' | 'latency' | 'latencyByPath' | 'paths' | 'pods' | 'nodes' | 'zones'
> & {
  /** Windowed series (see {@link TimeSeries}); absent from results written before the field existed. */
  readonly timeSeries?: TimeSeries;
  /** Latency cut into stages; absent from results written before the field existed. */
  readonly latencyByStage?: LatencyByStage;
  /** Timeline events with their cost, in time order; present when the scenario has a timeline. */
  readonly events?: readonly EventResult[];
};

/**
 * Windowed figures over simulated time, for the "over time" chart: the part of `result.json`'s
 * `timeSeries` the chart reads (parallel arrays, one entry per window of `window` seconds starting at
 * `start[i]`; the timeline fields as in the model's `TimeSeries`). The chart is drawn only when at least
 * one run carries a series. `dropped` is optional for results written before it existed.
 */
export type TimeSeries = Pick<
  ModelTimeSeries,
  'window' | 'start' | 'completed' | 'p99' | 'offered' | 'droppedByReason' | 'readyEndpoints' | 'nodeEndpoints' | 'healthyTargets' | 'replicas'
> & { readonly dropped?: ModelTimeSeries['dropped'] };

export interface RunSample {
  /** 0-based replication number within its point (0 for a single run). */
  readonly replication: number;
  readonly seed: number | string;
  /** The full result; null when the sweep did not keep it (`runs/` not written), so only `metrics` remain. */
  readonly result: RunView | null;
  /** The sweep's metrics of interest for this run (`latency.p99`, ...), as results.jsonl holds them. */
  readonly metrics: Readonly<Record<string, number | null>>;
}

export interface ParameterValue {
  /** The swept path as the sweep names it (e.g. `Service/web.spec.externalTrafficPolicy`). */
  readonly name: string;
  readonly value: string | number | boolean | null;
}

export interface ReportPoint {
  /** Stable identity of the point within the input (index or the sweep's point id). */
  readonly id: string;
  /** Label of the configuration this point belongs to (parameters minus the load parameter). */
  readonly configuration: string;
  /** Every parameter of the point, load included, in the sweep's order. */
  readonly parameters: readonly ParameterValue[];
  /** Replications, in replication order. */
  readonly runs: readonly RunSample[];
}

/**
 * A paired difference `to − from` of one metric between two points that differ in one parameter (common
 * random numbers: replication r of both ran with the same seed), as the sweep's summary.json gives it.
 */
export interface PairedDifference {
  readonly metric: string;
  /** The metric's unit as the sweep names it: `s`, `fraction`, `count`, `bytes`, `cost`, `/s`, `ratio`. */
  readonly unit: string;
  /** The parameter that differs, and its two values. */
  readonly factor: string;
  readonly from: string;
  readonly to: string;
  /** The other parameters' values, shared by both points (`load=2k/s`), in the sweep's order. */
  readonly fixed: readonly ParameterValue[];
  /** Null when no replication has the metric at both points. */
  readonly mean: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  /** Pairs the interval is built on. */
  readonly n: number;
  /** The interval excludes zero. */
  readonly significant: boolean;
}

export interface Provenance {
  /** Scenario name(s) as the results give them. */
  readonly scenarios: readonly string[];
  /** The sweep's experiment name; null for runs. */
  readonly experiment: string | null;
  /** Scenario files and their SHA-256, as the first run lists them. */
  readonly files: readonly { readonly path: string; readonly sha256: string }[];
  /** `--set` overrides common to every run. */
  readonly overrides: readonly string[];
  /** Master seeds of the runs (distinct, in first-seen order). */
  readonly seeds: readonly (number | string)[];
  /** Replications per point (the largest count when points differ). */
  readonly replications: number;
  /** Confidence level of intervals (e.g. 0.95); null for a single run. */
  readonly confidenceLevel: number | null;
  /** `name version` of the tool that wrote the results, or null when they do not say. */
  readonly tool: string | null;
  /** Parameters the sweep varied, as `name: path` (empty for runs). */
  readonly parameters: readonly string[];
  /** Things the reader should know about the input (failed runs, a cut results file). */
  readonly warnings: readonly string[];
}

export interface ReportInput {
  readonly kind: 'run' | 'sweep';
  /** Default report name: the results directory's base name. */
  readonly name: string;
  readonly provenance: Provenance;
  /** Configuration labels in display order (colours are assigned in this order). */
  readonly configurations: readonly string[];
  /**
   * The parameter that sets the offered load (e.g. a client's `rate`), or null when none varies. Points
   * of different configurations with equal values of it are compared with each other.
   */
  readonly loadParameter: string | null;
  readonly points: readonly ReportPoint[];
  /** Paired differences from the sweep's summary (empty for runs: one replication cannot give an interval). */
  readonly differences: readonly PairedDifference[];
  /** A plan's answers (`plan.json` of `netsim plan`), when the directory holds one. */
  readonly plan?: PlanFile | null;
}
