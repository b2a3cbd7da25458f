/**
 * Experiments: sweep plans over override paths, common-random-number seeds, a worker-thread pool,
 * shards and merge, results.jsonl and aggregation with confidence intervals. See docs/experiments.md.
 */
export { runSweep, type SweepOptions, type SweepOutcome } from './sweep.js';
export { mergeSweeps, type MergeOutcome } from './merge.js';
export { prepareExperiment, type PreparedExperiment, type PrepareResult } from './prepare.js';
export { readExperiment, type Experiment } from './experiment-file.js';
export { expandPoints, parseShard, replicationSeed, runId, inShard, type PlanData, type Point, type Shard } from './plan.js';
export { parseMetric, evaluateMetric, metricNames, type MetricSpec } from './metrics.js';
export { summarize, serializeSummary, type Summary } from './aggregate.js';
export { progressFor, lineProgress, barProgress, silentProgress, type Progress } from './progress.js';
export { defaultWorkers } from './executor.js';
export { runPlan, type PlanOptions, type PlanOutcome } from './search/run-plan.js';
export { costOf, fixedCostPerHour, HOURS_PER_MONTH } from './cost.js';
