/** `netsim plan EXPERIMENT`: run an experiment's search (the smallest value, or the cheapest point, that meets an objective); see docs/experiments.md "Plans". */
import { Command, Option } from 'commander';
import { defaultWorkers } from '../../experiment/executor.js';
import { progressFor, silentProgress } from '../../experiment/progress.js';
import { runPlan } from '../../experiment/search/run-plan.js';
import { renderPlan } from '../../report/text/plan-answer.js';
import { CliError, EXIT, type CliContext } from '../context.js';
import { parseWorkers, printDiagnostics, printRunFailures, reportBadInput } from '../input.js';
import { writeReportAfter } from '../report-after.js';
import { formatSeconds } from '../../report/text/format.js';

interface PlanCliOptions {
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
      ctx.exitCode = await plan(ctx, experiment, opts);
    });
}

async function plan(ctx: CliContext, file: string, opts: PlanCliOptions): Promise<number> {
  const release = ctx.onInterrupt(() =>
    `a plan is not resumed: the runs made so far are in ${opts.out ?? 'out/<experiment>-plan'}/results.jsonl; run the plan again with another --out (or remove that directory)`,
  );
  try {
    return await planInner(ctx, file, opts);
  } finally {
    release();
  }
}

async function planInner(ctx: CliContext, file: string, opts: PlanCliOptions): Promise<number> {
  const quiet = opts.quiet === true;
  const outcome = await runPlan({
    experimentFile: file,
    ...(opts.out !== undefined ? { out: opts.out } : {}),
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    runScenario: ctx.runScenario,
    progress: (experiment) => (quiet ? silentProgress : progressFor(ctx.stderr, ctx.stderrIsTTY, `plan ${experiment.plan.name}`)),
  });
  if (outcome.kind === 'invalid') return reportBadInput(ctx, outcome.diagnostics, outcome.sources, [], 'nothing was run');
  if (outcome.kind === 'refused') throw new CliError(outcome.message);
  if (!quiet) printDiagnostics(ctx, outcome.warnings, outcome.sources, []);
  printRunFailures(ctx, outcome.failures, outcome.out);
  if (!quiet) {
    ctx.out(renderPlan(outcome.plan));
    ctx.out(`wrote ${outcome.out}/: plan.json, summary.json, summary.csv, results.jsonl${outcome.plan.runs.headroom > 0 ? ', headroom.jsonl' : ''}, manifest.json, runs/`);
    ctx.err(`${outcome.ran} run${outcome.ran === 1 ? '' : 's'} on ${outcome.workers} worker${outcome.workers === 1 ? '' : 's'} in ${formatSeconds(outcome.wallSeconds)}`);
  }
  if (opts.report) writeReportAfter(ctx, outcome.out, quiet);
  return outcome.failed > 0 ? EXIT.failed : EXIT.ok;
}
