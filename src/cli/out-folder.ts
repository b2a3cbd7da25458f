/**
 * The output-folder rule of `run`, `sweep` and `report` on the command line (docs/cli.md "Output
 * folders"): earlier results are refused (exit 2) unless `--force` replaces them. The files are removed
 * through src/experiment/out-dir.ts, which touches only what netsim writes.
 */
import { clearReport, clearResults, earlierResults, holdsReport } from '../experiment/out-dir.js';
import { CliError } from './context.js';

/** Before a run writes into `dir`: refuse earlier results, or (with force) remove them. */
export function claimResultsFolder(dir: string, force: boolean): void {
  const earlier = earlierResults(dir);
  if (earlier.length === 0) return;
  if (!force) throw new CliError(`${dir} holds earlier results (${earlier.join(', ')}): add --force to replace them, or choose another --out`);
  clearResults(dir);
}

/** Before `netsim report` writes into `dir`: never into a results folder; an earlier report only with force. */
export function claimReportFolder(dir: string, force: boolean): void {
  const earlier = earlierResults(dir);
  if (earlier.length > 0) {
    throw new CliError(`${dir} holds results (${earlier.join(', ')}), not a report: a report goes into its report/ folder (the default) or another --out`);
  }
  if (!holdsReport(dir)) return;
  if (!force) throw new CliError(`${dir} holds an earlier report (index.html): add --force to replace it, or choose another --out`);
  clearReport(dir);
}
