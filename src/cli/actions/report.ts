/** What `netsim report` does (its options are in ../commands/report.ts). */
import { join } from 'node:path';
import { REPORT_DIR } from '../../experiment/out-dir.js';
import { UnsafePathError } from '../../experiment/safe-io.js';
import { StoredFileError } from '../../experiment/stored-error.js';
import { isChart } from '../../report/charts/chart.js';
import { loadReportInput, ReportInputError } from '../../report/load-input.js';
import { buildReport, REPORT_PAGE, writeReport } from '../../report/report.js';
import type { ReportOptions } from '../commands/report.js';
import { CliError, EXIT, type CliContext } from '../context.js';
import { claimReportFolder } from '../out-folder.js';

export function report(ctx: CliContext, dir: string, opts: ReportOptions): number {
  let input;
  try {
    input = loadReportInput(dir);
  } catch (e) {
    if (e instanceof ReportInputError || e instanceof StoredFileError || e instanceof UnsafePathError) throw new CliError(e.message, EXIT.badInput);
    throw e;
  }
  // Next to the results it is made from, as `run --report` and `sweep --report` put it.
  const out = opts.out ?? join(dir, REPORT_DIR);
  claimReportFolder(out, opts.force === true);
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
