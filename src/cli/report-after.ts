/** `--report` on `run` and `sweep`: write the HTML report of a results directory into `<dir>/report/`. */
import { join } from 'node:path';
import { loadReportInput } from '../report/load-input.js';
import { buildReport, REPORT_PAGE, writeReport } from '../report/report.js';
import { CliError, EXIT, type CliContext } from './context.js';

export function writeReportAfter(ctx: CliContext, resultsDir: string, quiet: boolean): void {
  const dir = join(resultsDir, 'report');
  try {
    writeReport(dir, buildReport(loadReportInput(resultsDir)));
  } catch (e) {
    throw new CliError(`cannot write the report to ${dir}: ${e instanceof Error ? e.message : String(e)}`, EXIT.failed);
  }
  if (!quiet) ctx.out(`report: ${join(dir, REPORT_PAGE)}`);
}
