/** Every chart of a report, in page order. Each takes the input and the configuration colours. */
import type { ReportInput } from '../inputs.js';
import type { ChartOutcome } from './chart.js';
import { latencyCdfChart, latencyCdfData } from './latency-cdf.js';
import { percentilesLoadChart, percentilesLoadData } from './percentiles-load.js';

export type ChartBuilder = (input: ReportInput, colours: ReadonlyMap<string, string>) => ChartOutcome;

export const CHARTS: readonly ChartBuilder[] = [
  (input, colours) => latencyCdfChart(latencyCdfData(input), colours),
  (input, colours) => percentilesLoadChart(percentilesLoadData(input), colours),
];
