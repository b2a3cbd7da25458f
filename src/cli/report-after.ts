/**
 * `--report` on `run`, `sweep` and `plan`: write the HTML report of a results directory into
 * `<dir>/report/`. The command has claimed the results folder already (a new one, `--force`, or a resumed
 * sweep), and the report belongs to those results: an earlier one there is replaced.
 */
import { join } from 'node:path';
import { clearReport, REPORT_DIR } from '../experiment/out-dir.js';
import { loadReportInput } from '../report/load-input.js';
import { buildReport, REPORT_PAGE, writeReport } from '../report/report.js';
import { CliError, EXIT, type CliContext } from './context.js';

export function writeReportAfter(ctx: CliContext, resultsDir: string, quiet: boolean): void {
  const dir = join(resultsDir, REPORT_DIR);
  try {
    const made = buildReport(loadReportInput(resultsDir));
    clearReport(dir);
    writeReport(dir, made);
  } catch (e) {
    throw new CliError(`cannot write the report to ${dir}: ${e instanceof Error ? e.message : String(e)}`, EXIT.failed);
  }
  if (!quiet) ctx.out(`report: ${join(dir, REPORT_PAGE)}`);
}
