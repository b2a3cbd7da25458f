/**
 * A report from a {@link ReportInput}: the charts, the HTML page, each chart's CSV and, on request, PNG.
 * Building is pure (input -> file contents); writing is a separate step, so tests can check bytes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toCsv } from '../experiment/result-csv.js';
import { toolInfo } from '../experiment/result-file.js';
import { isChart, type ChartOutcome } from './charts/chart.js';
import { CHARTS } from './charts/index.js';
import type { ReportInput } from './inputs.js';
import { reportHtml } from './render/html.js';
import { svgToPng } from './render/png.js';
import { renderFigure } from './render/svg.js';
import { coloursFor } from './render/theme.js';

export const REPORT_PAGE = 'index.html';

export interface ReportOptions {
  /** Page title; default `<scenario> — kube-netsim report`. */
  readonly title?: string;
  /** Also render each chart as `<id>.png`. */
  readonly png?: boolean;
}

export interface ReportFile {
  readonly name: string;
  readonly content: string | Buffer;
}

export interface Report {
  readonly charts: readonly ChartOutcome[];
  /** `index.html` first, then per chart its CSV (and PNG). */
  readonly files: readonly ReportFile[];
}

export function defaultTitle(input: ReportInput): string {
  const scenarios = input.provenance.scenarios;
  const subject = scenarios.length === 1 ? scenarios[0]! : input.name;
  return `${subject}: kube-netsim report`;
}

export function buildReport(input: ReportInput, options: ReportOptions = {}): Report {
  const colours = coloursFor(input.configurations);
  const charts = CHARTS.map((build) => build(input, colours));
  const svgs = new Map<string, string>();
  const files: ReportFile[] = [];
  for (const chart of charts) {
    if (!isChart(chart)) continue;
    svgs.set(chart.id, renderFigure(chart));
    files.push({ name: `${chart.id}.csv`, content: toCsv(chart.data.header, chart.data.rows) });
    if (options.png) files.push({ name: `${chart.id}.png`, content: svgToPng(renderFigure(chart, { title: true })) });
  }
  const tool = toolInfo();
  const html = reportHtml(input, charts, svgs, {
    title: options.title ?? defaultTitle(input),
    generator: `${tool.name} ${tool.version}`,
    png: options.png === true,
  });
  return { charts, files: [{ name: REPORT_PAGE, content: html }, ...files] };
}

/** Writes the report's files into `dir` (created when missing) and returns their paths. */
export function writeReport(dir: string, report: Report): string[] {
  mkdirSync(dir, { recursive: true });
  return report.files.map((f) => {
    const path = join(dir, f.name);
    writeFileSync(path, f.content);
    return path;
  });
}
