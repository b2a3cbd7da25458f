/**
 * A report from a {@link ReportInput}: the charts, the HTML page, each chart's CSV and, on request, PNG.
 * Building is pure (input -> file contents); writing is a separate step, so tests can check bytes.
 */
import { join } from 'node:path';
import { toCsv } from '../experiment/result-csv.js';
import { ensureDir, refuseLink, writeAtomic } from '../experiment/safe-io.js';
import { toolInfo } from '../experiment/result-file.js';
import { isChart, type ChartOutcome, type TableSection } from './charts/chart.js';
import { chartsFor } from './charts/index.js';
import { TABLES } from './charts/tables.js';
import type { ReportInput } from './inputs.js';
import { reportHtml } from './render/html.js';
import { svgToPng } from './render/png.js';
import { renderFigure, renderPanels } from './render/svg.js';
import { layoutOf } from './data/layout.js';
import { storyOf } from './story.js';

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
  /** Tables with a section of their own (the timeline's events); empty when the input has none. */
  readonly tables: readonly TableSection[];
  /** `index.html` first, then per chart its CSV(s) (and PNG), then each table's CSV. */
  readonly files: readonly ReportFile[];
}

/** The page title: a sweep's experiment, else the scenario (or the directory when runs differ). */
export function defaultTitle(input: ReportInput): string {
  const scenarios = input.provenance.scenarios;
  const subject = input.provenance.experiment ?? (scenarios.length === 1 ? scenarios[0]! : input.name);
  return `${subject}: kube-netsim report`;
}

export function buildReport(input: ReportInput, options: ReportOptions = {}): Report {
  const layout = layoutOf(input);
  const charts = chartsFor(input)
    .map((build) => build(input, layout))
    .filter((c): c is ChartOutcome => c !== null);
  const svgs = new Map<string, string>();
  const files: ReportFile[] = [];
  for (const chart of charts) {
    if (!isChart(chart)) continue;
    const panels = renderPanels(chart);
    svgs.set(chart.id, renderFigure(chart, {}, panels));
    files.push({ name: `${chart.id}.csv`, content: toCsv(chart.data.header, chart.data.rows) });
    for (const more of chart.moreData ?? []) files.push({ name: `${more.id}.csv`, content: toCsv(more.table.header, more.table.rows) });
    if (options.png) files.push({ name: `${chart.id}.png`, content: svgToPng(renderFigure(chart, { title: true, context: imageContext(input) }, panels)) });
  }
  const tables = TABLES.map((build) => build(input)).filter((t): t is TableSection => t !== null);
  for (const table of tables) files.push({ name: `${table.id}.csv`, content: toCsv(table.data.header, table.data.rows) });
  const tool = toolInfo();
  const html = reportHtml(
    input,
    charts,
    svgs,
    {
      title: options.title ?? defaultTitle(input),
      generator: `${tool.name} ${tool.version}`,
      png: options.png === true,
      story: storyOf(input),
    },
    tables,
  );
  return { charts, tables, files: [{ name: REPORT_PAGE, content: html }, ...files] };
}

/** Writes the report's files into `dir` (created when missing) and returns their paths. */
export function writeReport(dir: string, report: Report): string[] {
  ensureDir(dir);
  // Atomic writes that refuse a symbolic link where a file goes (docs/reliability.md); all checked first.
  for (const f of report.files) refuseLink(join(dir, f.name));
  return report.files.map((f) => {
    const path = join(dir, f.name);
    writeAtomic(path, f.content);
    return path;
  });
}

/**
 * What a PNG must say about itself, since it travels without the page: the experiment (or scenario), the
 * replications and seeds. The chart's own caption adds which load it shows.
 */
export function imageContext(input: ReportInput): string {
  const p = input.provenance;
  const subject = p.experiment !== null ? `experiment ${p.experiment} (scenario ${p.scenarios.join(', ')})` : `scenario ${p.scenarios.join(', ')}`;
  const seeds = p.seeds.length === 1 ? `seed ${String(p.seeds[0])}` : `${p.seeds.length} seeds`;
  const reps = p.replications > 1 ? `${p.replications} replications per point (${seeds})` : `one run per configuration (${seeds})`;
  const confs = input.configurations.length > 1 ? `, ${input.configurations.length} configurations` : '';
  return `${subject}${confs}; ${reps}`;
}
