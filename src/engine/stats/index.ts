/**
 * Output analysis for simulation runs: streaming collectors (histogram, running and time-weighted
 * statistics), confidence intervals across replications, and warm-up / single-run analysis.
 */
export { HistogramLayout, type HistogramLayoutJSON, type HistogramLayoutSpec } from './histogram-layout.js';
export { LatencyHistogram, type HistogramBucket } from './latency-histogram.js';
export { type LatencyHistogramJSON } from './latency-histogram-json.js';
export { quantileRank } from './quantile-rank.js';
export { RunningStats, type RunningStatsJSON } from './running-stats.js';
export { TimeWeighted } from './time-weighted.js';
export {
  relativePrecision,
  tCritical,
  type ConfidenceInterval,
  type StudentTInterval,
} from './confidence-interval.js';
export { studentT, studentTFromSummary, summarize, type SampleSummary } from './student-t.js';
export { pairedDifference } from './paired-difference.js';
export { welchDifference, type WelchInterval } from './welch-difference.js';
export { mser, mser5, type MserResult } from './mser.js';
export { batchMeans, type BatchMeansInterval, type BatchSpec } from './batch-means.js';
