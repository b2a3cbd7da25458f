/** `netsim report RESULTS_DIR`: charts from stored results (a run or a sweep) as one HTML page, CSV and PNG. */
import { Command } from 'commander';
import type { CliContext } from '../context.js';

export interface ReportOptions {
  out?: string;
  png?: boolean;
  title?: string;
  force?: boolean;
  quiet?: boolean;
}

export function reportCommand(ctx: CliContext): Command {
  return new Command('report')
    .description('charts from stored results: one self-contained HTML page, each chart\'s data as CSV, optionally PNG')
    .argument('<results-dir>', 'a run directory (result.json), a sweep directory (manifest.json, results.jsonl), or a directory of run directories')
    .option('--out <dir>', 'output directory (default: <results-dir>/report, next to the results)')
    .option('--force', 'replace an earlier report in the output directory (refused without it)')
    .option('--png', 'also write each chart as PNG (drawn with the bundled DejaVu Sans font)')
    .option('--title <text>', 'page title (default: "<scenario>: kube-netsim report")')
    .option('-q, --quiet', 'print nothing but errors')
    .addHelpText(
      'after',
      `
Output: <dir>/index.html (opens offline: inline SVG, no script, nothing fetched), <chart>.csv for every
chart, and <chart>.png with --png. Nothing is simulated: the report is made from the result files only,
and the same results give the same bytes. A directory that holds an earlier report is refused unless
--force replaces it. See docs/reports.md for what each chart shows.

Examples:
  $ netsim run models/production-3zones.yaml --out out/prod && netsim report out/prod   # -> out/prod/report/
  $ netsim sweep experiments/etp.yaml --out out/etp && netsim report out/etp --png
  $ netsim report out --title 'Cluster vs Local' --out out/compare   # out/<a>/result.json, out/<b>/result.json, ...

Exit codes: 0 ok, 1 writing failed, 2 the directory holds no readable results, or an earlier report.`,
    )
    .action(async (dir: string, opts: ReportOptions) => {
      const { report } = await import('../actions/report.js');
      ctx.exitCode = report(ctx, dir, opts);
    });
}
