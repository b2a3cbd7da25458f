/**
 * The `search:` section of an experiment (`netsim plan`), as stored in the plan (JSON-safe). See
 * docs/experiments.md, "Plans: the smallest value that meets an objective".
 */

/** One term of an objective: `latency.p99 <= 50ms`. */
export interface ObjectiveTerm {
  /** As written, trimmed: `latency.p99 <= 50ms`. */
  readonly text: string;
  /** The metric as written (`latency.p99`, `dropped`). */
  readonly metric: string;
  /**
   * The metric read off the runs: a latency percentile is read with dropped requests counted at +∞
   * (`latency.p99` -> `latencyWithDrops.p99`), `dropped` is `dropFraction`; otherwise the metric itself.
   */
  readonly evaluate: string;
  /** `<=` (the metric must stay at or below the bound) or `>=`. `<` and `>` are read as these. */
  readonly op: '<=' | '>=';
  readonly bound: number;
  /** The bound as written (`50ms`, `0.1%`). */
  readonly boundText: string;
  /** The metric's unit (`s`, `fraction`, ...). */
  readonly unit: string;
}

export type SearchMode = 'bisect' | 'grid';
export type Headroom = 'none' | 'node' | 'zone';

export interface SearchSpec {
  /** `bisect`: the smallest (or largest) level of one parameter; `grid`: the cheapest point of the grid. */
  readonly mode: SearchMode;
  /** The searched parameter (bisect); null for the grid. */
  readonly parameter: string | null;
  /** Bisect: the smallest level that meets the objective, or the largest. */
  readonly find: 'smallest' | 'largest';
  /** Every term must hold. */
  readonly objective: readonly ObjectiveTerm[];
  /** Replications a point may have at most; runs are added `step` at a time until the CI decides. */
  readonly maxReplications: number;
  readonly step: number;
  /** Grid: one answer per combination of these parameters (bisect: every other parameter). */
  readonly per: readonly string[];
  /** Grid: what "cheapest" minimises (a metric; default cost.perHour). */
  readonly cost: string;
  /** No new level or point is started in a search once it has used this many runs; null: no limit. */
  readonly maxRuns: number | null;
  /** Also check each candidate with the node (or zone) that holds the most pods failed. */
  readonly headroom: Headroom;
  /** Headroom: how long after the failure the settle probe runs at most (seconds). */
  readonly settleWithin: number;
}
