/** `netsim run FILE...`: simulate once, print a summary, write result.json and CSV tables. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { parseAllDocuments } from 'yaml';
import { toResultFile, serializeResultFile } from '../../experiment/result-file.js';
import { safeDirName, writeRunOutputs } from '../../experiment/write-run.js';
import { renderSummary } from '../../report/text/summary.js';
import { CliError, EXIT, SimulationFailed, type CliContext } from '../context.js';
import { checkFiles, collect, parseMaxEvents, parseSeed, printDiagnostics, reportBadInput } from '../input.js';
import { DEFAULT_MAX_EVENTS } from '../../model/simulation.js';
import { createProgress } from '../progress.js';
import { writeReportAfter } from '../report-after.js';

interface RunOptions {
  seed?: number | string;
  out?: string;
  set?: string[];
  json?: boolean;
  quiet?: boolean;
  report?: boolean;
  maxEvents?: number;
}

export function runCommand(ctx: CliContext): Command {
  return new Command('run')
    .description('simulate a scenario once: print a summary, write result.json and CSV tables')
    .argument('<file...>', 'scenario files (YAML; later files add to earlier ones)')
    .addOption(new Option('--seed <n>', "master seed (overrides the scenario's Simulation.spec.seed)").argParser(parseSeed))
    .option('--out <dir>', 'output directory (default: out/<scenario-name>)')
    .option('--set <path=value>', 'override a field before validation, e.g. Simulation.spec.duration=10s (repeatable)', collect)
    .option('--json', 'print result.json to stdout instead of the summary table')
    .option('-q, --quiet', 'print nothing but errors (no progress bar, warnings or summary)')
    .option('--report', 'also write an HTML report of the run to <dir>/report/ (as netsim report <dir> would)')
    .addOption(new Option('--max-events <n>', `stop the run with exit 1 past this many events (default ${DEFAULT_MAX_EVENTS.toExponential()})`).argParser(parseMaxEvents))
    .addHelpText(
      'after',
      `
Output: <dir>/result.json (schema netsim.result/v1, see docs/results.md) and summary.csv, pods.csv,
nodes.csv, zones.csv, clients.csv, latency-histogram.csv. A progress bar is drawn on stderr when it is
a terminal and the run takes more than a moment.

Examples:
  $ netsim run models/production-3zones.yaml
  $ netsim run models/production-3zones.yaml --seed 7 --out out/prod-seed7
  $ netsim run models/production-3zones.yaml --report          # + out/production-3zones/report/index.html
  $ netsim run models/nodeport-web.yaml --set 'Service/web-service-nodeport.spec.externalTrafficPolicy=Local'
  $ netsim run models/nodeport-web.yaml --set Simulation.spec.duration=10s --json | jq .latency.p99

Exit codes: 0 ok, 1 the simulation failed, 2 bad input (every problem listed as file:line:col).`,
    )
    .action((files: string[], opts: RunOptions) => {
      ctx.exitCode = run(ctx, files, opts);
    });
}

function run(ctx: CliContext, files: string[], opts: RunOptions): number {
  checkFiles(files);
  const experiment = files.find(isExperimentFile);
  if (experiment !== undefined) {
    throw new CliError(`${experiment}: this is an experiment: run it with \`netsim sweep ${experiment}\``, EXIT.badInput);
  }
  const set = opts.set ?? [];
  const quiet = opts.quiet === true;
  const progress = createProgress(ctx, !quiet);
  let outcome;
  try {
    outcome = ctx.runScenario({
      files,
      set,
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      ...(opts.maxEvents !== undefined ? { maxEvents: opts.maxEvents } : {}),
      onProgress: progress.onProgress,
    });
  } catch (e) {
    progress.stop();
    throw new SimulationFailed(e);
  }
  progress.stop();
  if (!outcome.ok) return reportBadInput(ctx, outcome.diagnostics, outcome.sources, set);

  if (!quiet) printDiagnostics(ctx, outcome.warnings, new Map(), set);
  const file = toResultFile(outcome.result, { files: outcome.files, overrides: set });
  const outDir = opts.out ?? join('out', safeDirName(file.scenario));
  let written: string[];
  try {
    written = writeRunOutputs(outDir, file);
  } catch (e) {
    throw new CliError(`cannot write the results to ${outDir}: ${e instanceof Error ? e.message : String(e)}`, EXIT.failed);
  }
  if (opts.json) {
    ctx.stdout.write(serializeResultFile(file));
  } else if (!quiet) {
    ctx.out(renderSummary(file, { outDir }));
    ctx.out(`\nwrote ${written.length} files to ${outDir}/: ${written.map((p) => p.slice(outDir.length).replace(/^[\\/]/, '')).join(', ')}`);
  }
  if (opts.report) writeReportAfter(ctx, outDir, quiet || opts.json === true);
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
