/** `netsim sweep EXPERIMENT`: run a parameter sweep in worker threads; see docs/experiments.md. */
import { Command, Option } from 'commander';
import type { Shard } from '../../experiment/plan.js';
import { defaultWorkers } from '../../experiment/worker-count.js';
import type { CliContext } from '../context.js';
import { parseShardOption, parseWorkers } from '../options.js';

export interface SweepCliOptions {
  workers?: number;
  out?: string;
  resume?: boolean;
  force?: boolean;
  shard?: Shard;
  report?: boolean;
  json?: boolean;
  quiet?: boolean;
}

export function sweepCommand(ctx: CliContext): Command {
  return new Command('sweep')
    .description('run an experiment: a parameter sweep with replications, in worker threads')
    .argument('<experiment>', 'experiment file (kind: Experiment, see experiments/)')
    .addOption(new Option('--workers <n>', `worker threads (default: os.availableParallelism(), here ${defaultWorkers()})`).argParser(parseWorkers))
    .option('--out <dir>', 'output directory (default: out/<experiment-name>, or out/<experiment-name>-shard-K-of-N)')
    .addOption(new Option('--resume', 'keep the runs already in <dir>/results.jsonl and run only the missing ones').conflicts('force'))
    .option('--force', 'replace the results of an earlier sweep in the output directory (refused without it)')
    .addOption(new Option('--shard <k/n>', 'run shard k of n only (1-based); join the shard outputs with netsim merge').argParser(parseShardOption))
    .option('--report', 'also write an HTML report of the sweep to <dir>/report/ (as netsim report <dir> would)')
    .option('--json', 'print summary.json to stdout instead of the summary table (progress and timing stay on stderr)')
    .option('-q, --quiet', 'print nothing but errors (no progress, no summary table)')
    .addHelpText(
      'after',
      `
Output: <dir>/manifest.json, results.jsonl (one line per run, appended as runs finish), runs/<id>.json
(each run's result.json), summary.json, summary.csv and differences.csv (see docs/experiments.md);
with --report, report/index.html and the charts' CSV (see docs/reports.md). A directory that holds an
earlier sweep is refused unless --resume finishes that sweep or --force replaces it.
Replication r of every point uses the same seed (common random numbers), so differences between points
are reported as paired differences with their own confidence intervals.

Examples:
  $ netsim sweep experiments/etp-cluster-vs-local.yaml
  $ netsim sweep experiments/replicas-for-slo.yaml --workers 4 --out out/slo
  $ netsim sweep experiments/kube-proxy-modes.yaml --out out/kp --resume        # after a kill
  $ netsim sweep experiments/kube-proxy-modes.yaml --shard 2/4 --out out/kp-2    # then: netsim merge
  $ netsim sweep experiments/etp-cluster-vs-local.yaml --json | jq '.points[0].metrics'

Exit codes: 0 ok, 1 some runs failed (recorded in results.jsonl; the others ran), 2 bad input.`,
    )
    .action(async (experiment: string, opts: SweepCliOptions) => {
      const { sweep } = await import('../actions/sweep.js');
      ctx.exitCode = await sweep(ctx, experiment, opts);
    });
}
