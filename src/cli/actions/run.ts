/** What `netsim run` does (its options are in ../commands/run.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { toResultFile, serializeResultFile } from '../../experiment/result-file.js';
import { UnsafePathError } from '../../experiment/safe-io.js';
import { safeDirName, writeRunOutputs } from '../../experiment/write-run.js';
import { renderSummary } from '../../report/text/summary.js';
import type { RunOptions } from '../commands/run.js';
import { CliError, EXIT, SimulationFailed, type CliContext } from '../context.js';
import { printIgnored } from '../ignored.js';
import { checkFiles, printDiagnostics, reportBadInput } from '../input.js';
import { claimResultsFolder } from '../out-folder.js';
import { createProgress } from '../progress.js';
import { writeReportAfter } from '../report-after.js';
import { paintFor, widthFor } from '../terminal.js';
import { pipeline } from './pipeline.js';

export async function run(ctx: CliContext, files: string[], opts: RunOptions): Promise<number> {
  checkFiles(files);
  const experiment = files.find(isExperimentFile);
  if (experiment !== undefined) {
    throw new CliError(`${experiment}: this is an experiment: run it with \`netsim sweep ${experiment}\``, EXIT.badInput);
  }
  const set = opts.set ?? [];
  const quiet = opts.quiet === true;
  const runScenario = await pipeline(ctx);
  let outDir = opts.out;
  // An explicit folder is checked before the scenario is even read; the default one once its name is known.
  if (outDir !== undefined) claimResultsFolder(outDir, opts.force === true);
  const progress = createProgress(ctx, !quiet);
  let outcome;
  try {
    outcome = runScenario({
      files,
      set,
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      ...(opts.placement !== undefined ? { placement: opts.placement } : {}),
      ...(opts.maxEvents !== undefined ? { maxEvents: opts.maxEvents } : {}),
      onProgress: progress.onProgress,
      beforeSimulate: (spec) => {
        if (outDir === undefined) {
          outDir = join('out', safeDirName(spec.name));
          claimResultsFolder(outDir, opts.force === true);
        }
      },
    });
  } catch (e) {
    progress.stop();
    if (e instanceof CliError || e instanceof UnsafePathError) throw e;
    throw new SimulationFailed(e);
  }
  progress.stop();
  if (!outcome.ok) return reportBadInput(ctx, outcome.diagnostics, outcome.sources, set);

  if (!quiet) printDiagnostics(ctx, outcome.warnings, new Map(), set);
  if (!quiet) printIgnored(ctx, outcome.ignored);
  const file = toResultFile(outcome.result, { files: outcome.files, overrides: set });
  // Set by beforeSimulate unless a substituted pipeline (tests) skipped it.
  const dir = outDir ?? join('out', safeDirName(file.scenario));
  let written: string[];
  try {
    written = writeRunOutputs(dir, file);
  } catch (e) {
    throw new CliError(`cannot write the results to ${dir}: ${e instanceof Error ? e.message : String(e)}`, EXIT.failed);
  }
  if (opts.json) {
    ctx.stdout.write(serializeResultFile(file));
  } else if (!quiet) {
    const width = widthFor(ctx.stdout, ctx.env);
    ctx.out(renderSummary(file, { outDir: dir, paint: paintFor(ctx.stdout, ctx.env), ...(width !== undefined ? { width } : {}) }));
    ctx.out(`\nwrote ${written.length} files to ${dir}/: ${written.map((p) => p.slice(dir.length).replace(/^[\\/]/, '')).join(', ')}`);
  }
  if (opts.report) writeReportAfter(ctx, dir, quiet || opts.json === true);
  return EXIT.ok;
}

/** Whether a file holds a `kind: Experiment` document (a sweep's input, not a scenario). */
function isExperimentFile(file: string): boolean {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false; // reported by the scenario loader
  }
  if (!/^kind:\s*Experiment\b/m.test(text)) return false;
  try {
    return parseAllDocuments(text).some((d) => {
      if (!('contents' in d)) return false;
      const js: unknown = d.toJS();
      return typeof js === 'object' && js !== null && (js as { kind?: unknown }).kind === 'Experiment';
    });
  } catch {
    return false;
  }
}
