/** What `netsim plan` does (its options are in ../commands/plan.ts). */
import { progressFor, silentProgress } from '../../experiment/progress.js';
import { runPlan } from '../../experiment/search/run-plan.js';
import { formatSeconds } from '../../report/text/format.js';
import { renderPlan } from '../../report/text/plan-answer.js';
import type { PlanCliOptions } from '../commands/plan.js';
import { CliError, EXIT, type CliContext } from '../context.js';
import { printDiagnostics, printRunFailures, reportBadInput } from '../input.js';
import { writeReportAfter } from '../report-after.js';

export async function plan(ctx: CliContext, file: string, opts: PlanCliOptions): Promise<number> {
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
    ...(ctx.runScenario ? { runScenario: ctx.runScenario } : {}),
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
