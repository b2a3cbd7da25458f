/** `netsim report RESULTS_DIR`: charts from stored results (a run or a sweep) as one HTML page, CSV and PNG. */
import { basename, join, resolve } from 'node:path';
import { Command } from 'commander';
import { UnsafePathError } from '../../experiment/safe-io.js';
import { StoredFileError } from '../../experiment/stored-schema.js';
import { isChart } from '../../report/charts/chart.js';
import { loadReportInput, ReportInputError } from '../../report/load-input.js';
import { buildReport, REPORT_PAGE, writeReport } from '../../report/report.js';
import { CliError, EXIT, type CliContext } from '../context.js';

interface ReportOptions {
  out?: string;
  png?: boolean;
  title?: string;
  quiet?: boolean;
}

export function reportCommand(ctx: CliContext): Command {
  return new Command('report')
    .description('charts from stored results: one self-contained HTML page, each chart\'s data as CSV, optionally PNG')
    .argument('<results-dir>', 'a run directory (result.json), a sweep directory (manifest.json, results.jsonl), or a directory of run directories')
    .option('--out <dir>', 'output directory (default: reports/<name of results-dir>)')
    .option('--png', 'also write each chart as PNG (drawn with the bundled DejaVu Sans font)')
    .option('--title <text>', 'page title (default: "<scenario>: kube-netsim report")')
    .option('-q, --quiet', 'print nothing but errors')
    .addHelpText(
      'after',
      `
Output: <dir>/index.html (opens offline: inline SVG, no script, nothing fetched), <chart>.csv for every
chart, and <chart>.png with --png. Nothing is simulated: the report is made from the result files only,
and the same results give the same bytes. See docs/reports.md for what each chart shows.

Examples:
  $ netsim run models/production-3zones.yaml --out out/prod && netsim report out/prod
  $ netsim sweep experiments/etp.yaml --out out/etp && netsim report out/etp --png
  $ netsim report out --title 'Cluster vs Local'          # out/<a>/result.json, out/<b>/result.json, ...

Exit codes: 0 ok, 1 writing failed, 2 the directory holds no readable results.`,
    )
    .action((dir: string, opts: ReportOptions) => {
      ctx.exitCode = report(ctx, dir, opts);
    });
}

function report(ctx: CliContext, dir: string, opts: ReportOptions): number {
  let input;
  try {
    input = loadReportInput(dir);
  } catch (e) {
    if (e instanceof ReportInputError || e instanceof StoredFileError || e instanceof UnsafePathError) throw new CliError(e.message, EXIT.badInput);
    throw e;
  }
  const out = opts.out ?? join('reports', basename(resolve(dir)));
  const made = buildReport(input, { png: opts.png === true, ...(opts.title !== undefined ? { title: opts.title } : {}) });
  try {
    writeReport(out, made);
  } catch (e) {
    throw new CliError(`cannot write the report to ${out}: ${e instanceof Error ? e.message : String(e)}`, EXIT.failed);
  }
  if (opts.quiet !== true) {
    for (const w of input.provenance.warnings) ctx.err(`warning: ${w}`);
    const drawn = made.charts.filter(isChart).length;
    const skipped = made.charts.filter((c) => !isChart(c));
    ctx.out(`${join(out, REPORT_PAGE)}: ${drawn} chart${drawn === 1 ? '' : 's'}${opts.png ? ' (with PNG)' : ''}`);
    for (const s of skipped) if (!isChart(s)) ctx.out(`  not shown: ${s.title}: ${s.reason}`);
  }
  return EXIT.ok;
}
