/** `netsim sweep EXPERIMENT`: run a parameter sweep in worker threads; see docs/experiments.md. */
import { InvalidArgumentError, Command, Option } from 'commander';
import { parseShard, type Shard } from '../../experiment/plan.js';
import { progressFor, silentProgress } from '../../experiment/progress.js';
import { renderSweepSummary } from '../../report/text/sweep-summary.js';
import { defaultWorkers, runSweep } from '../../experiment/index.js';
import { defaultSweepOut } from '../../experiment/sweep.js';
import { CliError, EXIT, type CliContext } from '../context.js';
import { parseWorkers, printDiagnostics, printRunFailures, reportBadInput } from '../input.js';
import { keptRunsNote } from '../interrupt.js';
import { writeReportAfter } from '../report-after.js';
import { formatSeconds } from '../../report/text/format.js';

interface SweepCliOptions {
  workers?: number;
  out?: string;
  resume?: boolean;
  shard?: Shard;
  report?: boolean;
  quiet?: boolean;
}


function parseShardOption(text: string): Shard {
  try {
    return parseShard(text);
  } catch (e) {
    throw new InvalidArgumentError(`${(e as Error).message}.`);
  }
}

export function sweepCommand(ctx: CliContext): Command {
  return new Command('sweep')
    .description('run an experiment: a parameter sweep with replications, in worker threads')
    .argument('<experiment>', 'experiment file (kind: Experiment, see experiments/)')
    .addOption(new Option('--workers <n>', `worker threads (default: os.availableParallelism(), here ${defaultWorkers()})`).argParser(parseWorkers))
    .option('--out <dir>', 'output directory (default: out/<experiment-name>, or out/<experiment-name>-shard-K-of-N)')
    .option('--resume', 'keep the runs already in <dir>/results.jsonl and run only the missing ones')
    .addOption(new Option('--shard <k/n>', 'run shard k of n only (1-based); join the shard outputs with netsim merge').argParser(parseShardOption))
    .option('--report', 'also write an HTML report of the sweep to <dir>/report/ (as netsim report <dir> would)')
    .option('-q, --quiet', 'print nothing but errors (no progress, no summary table)')
    .addHelpText(
      'after',
      `
Output: <dir>/manifest.json, results.jsonl (one line per run, appended as runs finish), runs/<id>.json
(each run's result.json), summary.json, summary.csv and differences.csv (see docs/experiments.md);
with --report, report/index.html and the charts' CSV (see docs/reports.md).
Replication r of every point uses the same seed (common random numbers), so differences between points
are reported as paired differences with their own confidence intervals.

Examples:
  $ netsim sweep experiments/etp-cluster-vs-local.yaml
  $ netsim sweep experiments/replicas-for-slo.yaml --workers 4 --out out/slo
  $ netsim sweep experiments/kube-proxy-modes.yaml --out out/kp --resume        # after a kill
  $ netsim sweep experiments/kube-proxy-modes.yaml --shard 2/4 --out out/kp-2    # then: netsim merge
  $ netsim sweep experiments/etp-cluster-vs-local.yaml --report                  # + out/.../report/index.html

Exit codes: 0 ok, 1 some runs failed (recorded in results.jsonl; the others ran), 2 bad input.`,
    )
    .action(async (experiment: string, opts: SweepCliOptions) => {
      ctx.exitCode = await sweep(ctx, experiment, opts);
    });
}

async function sweep(ctx: CliContext, file: string, opts: SweepCliOptions): Promise<number> {
  const quiet = opts.quiet === true;
  let out: string | undefined = opts.out;
  const release = ctx.onInterrupt(() => keptRunsNote('sweep', file, out, opts.shard ?? null));
  try {
    return await sweepInner(ctx, file, opts, quiet, (o) => (out = o));
  } finally {
    release();
  }
}

async function sweepInner(ctx: CliContext, file: string, opts: SweepCliOptions, quiet: boolean, setOut: (out: string) => void): Promise<number> {
  const outcome = await runSweep({
    experimentFile: file,
    ...(opts.out !== undefined ? { out: opts.out } : {}),
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    resume: opts.resume === true,
    shard: opts.shard ?? null,
    // Used with --workers 0 only (runs in this thread); worker threads load the real pipeline.
    runScenario: ctx.runScenario,
    progress: (experiment) => {
      setOut(opts.out ?? defaultSweepOut(experiment.plan.name, opts.shard ?? null));
      if (quiet) return silentProgress;
      const shard = opts.shard && opts.shard.count > 1 ? ` ${opts.shard.index}/${opts.shard.count}` : '';
      return progressFor(ctx.stderr, ctx.stderrIsTTY, `sweep ${experiment.plan.name}${shard}`);
    },
  });
  if (outcome.kind === 'invalid') return reportBadInput(ctx, outcome.diagnostics, outcome.sources, [], 'nothing was run');
  if (outcome.kind === 'refused') throw new CliError(outcome.message);
  for (const w of outcome.resumeWarnings) ctx.err(`warning: ${w}`);
  if (!quiet) printDiagnostics(ctx, outcome.warnings, outcome.sources, []);
  printRunFailures(ctx, outcome.failures, outcome.out);
  if (!quiet) {
    const resumed = outcome.skipped > 0 ? `, ${outcome.skipped} already done` : '';
    const how = `${outcome.ran} run${outcome.ran === 1 ? '' : 's'} (${outcome.failed} failed${resumed}) on ${outcome.workers} worker${outcome.workers === 1 ? '' : 's'} in ${formatSeconds(outcome.wallSeconds)}`;
    if (outcome.summary) {
      ctx.out(renderSweepSummary(outcome.summary));
      ctx.out(`\n${how}; wrote ${outcome.out}/: summary.json, summary.csv, differences.csv, results.jsonl, manifest.json, runs/`);
    } else {
      ctx.out(`${how}; wrote ${outcome.out}/results.jsonl (shard ${opts.shard!.index}/${opts.shard!.count}); join the shards with: netsim merge DIR... --out DIR`);
    }
  }
  if (opts.report) {
    if (!outcome.summary) {
      ctx.err('warning: --report ignored for a shard: merge the shards, then run netsim report on the merged output');
    } else {
      writeReportAfter(ctx, outcome.out, quiet);
    }
  }
  return outcome.failed > 0 ? EXIT.failed : EXIT.ok;
}
