/** Every chart of a report, in page order. Each takes the input and the configuration colours. */
import type { ReportInput } from '../inputs.js';
import type { ChartOutcome } from './chart.js';
import { comparisonChart, comparisonData } from './comparison.js';
import { latencyCdfChart, latencyCdfData } from './latency-cdf.js';
import { loadDistributionChart, loadDistributionData } from './load-distribution.js';
import { overTimeChart, overTimeData } from './over-time.js';
import { pathLatencyChart, pathLatencyData } from './path-latency.js';
import { percentilesLoadChart, percentilesLoadData } from './percentiles-load.js';
import { planChart, planData } from './plan-chart.js';
import { planTimeChart, planTimeData } from './plan-over-time.js';
import { stageBreakdownChart, stageBreakdownData } from './stage-breakdown.js';

/** Null: the chart does not apply to this kind of input at all (not listed as "not shown"). */
export type ChartBuilder = (input: ReportInput, colours: ReadonlyMap<string, string>) => ChartOutcome | null;

export const CHARTS: readonly ChartBuilder[] = [
  // A plan's answer first (only for a plan's directory); over time only for runs with replicas over time.
  (input) => (input.plan ? planChart(planData(input)) : null),
  (input) => (input.plan ? (planTimeData(input) ? planTimeChart(planTimeData(input)) : null) : null),
  (input, colours) => latencyCdfChart(latencyCdfData(input), colours),
  (input, colours) => percentilesLoadChart(percentilesLoadData(input), colours),
  (input) => loadDistributionChart(loadDistributionData(input)),
  (input) => stageBreakdownChart(stageBreakdownData(input)),
  (input) => pathLatencyChart(pathLatencyData(input)),
  (input, colours) => overTimeChart(overTimeData(input), colours),
  (input) => comparisonChart(comparisonData(input), input),
];
