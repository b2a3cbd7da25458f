/** Every chart of a report, in page order. Each takes the input and the configuration colours. */
import type { ReportInput } from '../inputs.js';
import type { ChartOutcome } from './chart.js';
import { comparisonChart, comparisonData } from './comparison.js';
import { latencyCdfChart, latencyCdfData } from './latency-cdf.js';
import { loadDistributionChart, loadDistributionData } from './load-distribution.js';
import { overTimeChart, overTimeData } from './over-time.js';
import { pathLatencyChart, pathLatencyData } from './path-latency.js';
import { percentilesLoadChart, percentilesLoadData } from './percentiles-load.js';
import { stageBreakdownChart, stageBreakdownData } from './stage-breakdown.js';

export type ChartBuilder = (input: ReportInput, colours: ReadonlyMap<string, string>) => ChartOutcome;

export const CHARTS: readonly ChartBuilder[] = [
  (input, colours) => latencyCdfChart(latencyCdfData(input), colours),
  (input, colours) => percentilesLoadChart(percentilesLoadData(input), colours),
  (input) => loadDistributionChart(loadDistributionData(input)),
  (input) => stageBreakdownChart(stageBreakdownData(input)),
  (input) => pathLatencyChart(pathLatencyData(input)),
  (input, colours) => overTimeChart(overTimeData(input), colours),
  (input) => comparisonChart(comparisonData(input), input),
];
