/**
 * Every chart of a report, in the order of importance for the question the results ask: a plan's answer
 * first; with a timeline, what happened over time; a sweep over load, latency (and drops) against load;
 * then the latency distribution, the paired comparison, where load and time go. Each builder takes the
 * input and the report's layout (colours, dashes and facets by the experiment's factors).
 */
import type { Layout } from '../data/layout.js';
import { inputHasTimeline } from '../data/events.js';
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
export type ChartBuilder = (input: ReportInput, layout: Layout) => ChartOutcome | null;

const plan: ChartBuilder = (input) => (input.plan ? planChart(planData(input)) : null);
const planTime: ChartBuilder = (input) => (input.plan ? (planTimeData(input) ? planTimeChart(planTimeData(input)) : null) : null);
const cdf: ChartBuilder = (input, layout) => latencyCdfChart(latencyCdfData(input), layout);
const percentiles: ChartBuilder = (input, layout) => percentilesLoadChart(percentilesLoadData(input), layout);
const load: ChartBuilder = (input, layout) => loadDistributionChart(loadDistributionData(input), layout);
const stages: ChartBuilder = (input, layout) => stageBreakdownChart(stageBreakdownData(input), layout);
const paths: ChartBuilder = (input, layout) => pathLatencyChart(pathLatencyData(input), layout);
const overTime: ChartBuilder = (input, layout) => overTimeChart(overTimeData(input), layout);
const comparison: ChartBuilder = (input, layout) => comparisonChart(comparisonData(input), input, layout);

/** The charts for an input, in page order (see the module comment). */
export function chartsFor(input: ReportInput): readonly ChartBuilder[] {
  const head = [plan, planTime];
  if (inputHasTimeline(input)) return [...head, overTime, cdf, percentiles, comparison, load, stages, paths];
  if (input.kind === 'sweep' && input.loadParameter !== null) return [...head, percentiles, cdf, comparison, load, stages, paths, overTime];
  return [...head, cdf, comparison, load, stages, paths, overTime, percentiles];
}

/** Every chart builder (in the order of a run's page). */
export const CHARTS: readonly ChartBuilder[] = [plan, planTime, cdf, comparison, load, stages, paths, overTime, percentiles];
