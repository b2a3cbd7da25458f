/** `netsim plan EXPERIMENT`: run an experiment's search (the smallest value, or the cheapest point, that meets an objective); see docs/experiments.md "Plans". */
import { Command, Option } from 'commander';
import { defaultWorkers } from '../../experiment/worker-count.js';
import type { CliContext } from '../context.js';
import { parseWorkers } from '../options.js';

export interface PlanCliOptions {
  workers?: number;
  out?: string;
  report?: boolean;
  quiet?: boolean;
}

export function planCommand(ctx: CliContext): Command {
  return new Command('plan')
    .description("run an experiment's search: the smallest value of a parameter (or the cheapest point) that meets an objective, with confidence")
    .argument('<experiment>', 'experiment file with a search section (kind: Experiment, see experiments/replicas-for-slo.yaml)')
    .addOption(new Option('--workers <n>', `worker threads (default: os.availableParallelism(), here ${defaultWorkers()})`).argParser(parseWorkers))
    .option('--out <dir>', 'output directory (default: out/<experiment-name>-plan)')
    .option('--report', 'also write an HTML report of the plan to <dir>/report/ (as netsim report <dir> would)')
    .option('-q, --quiet', 'print nothing but errors')
    .addHelpText(
      'after',
      `
Prints one sentence per search first (e.g. "6 replicas meet p99 ≤ 100ms: 59.7 ms ± 2.1 (95 % CI, 4
replications); 5 replicas fail: 141 ms ± 12"), then every level evaluated, then the runs used against the
whole grid's. Writes <dir>/plan.json (the answer), summary.json, results.jsonl, runs/ (see docs/experiments.md).
The same experiment gives the same answer, byte for byte, with any number of workers.

Examples:
  $ netsim plan experiments/replicas-for-slo.yaml
  $ netsim plan experiments/replicas-for-slo.yaml --workers 4 --out out/slo-plan --report

Exit codes: 0 ok (whatever the answer: "none", "undecided" and "not monotone" are answers), 1 some runs
failed (recorded; the search went on without them), 2 bad input.`,
    )
    .action(async (experiment: string, opts: PlanCliOptions) => {
      const { plan } = await import('../actions/plan.js');
      ctx.exitCode = await plan(ctx, experiment, opts);
    });
}

