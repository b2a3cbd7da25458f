/** What `netsim sweep` does (its options are in ../commands/sweep.ts). */
import { serializeSummary } from '../../experiment/aggregate.js';
import { runSweep } from '../../experiment/index.js';
import { progressFor, silentProgress } from '../../experiment/progress.js';
import { defaultSweepOut } from '../../experiment/sweep.js';
import { formatSeconds } from '../../report/text/format.js';
import { renderSweepSummary } from '../../report/text/sweep-summary.js';
import type { SweepCliOptions } from '../commands/sweep.js';
import { CliError, EXIT, type CliContext } from '../context.js';
import { printDiagnostics, printRunFailures, reportBadInput } from '../input.js';
import { keptRunsNote } from '../interrupt.js';
import { writeReportAfter } from '../report-after.js';
import { paintFor } from '../terminal.js';

export async function sweep(ctx: CliContext, file: string, opts: SweepCliOptions): Promise<number> {
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
  const json = opts.json === true;
  const outcome = await runSweep({
    experimentFile: file,
    ...(opts.out !== undefined ? { out: opts.out } : {}),
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    resume: opts.resume === true,
    force: opts.force === true,
    shard: opts.shard ?? null,
    // Used with --workers 0 only (runs in this thread); worker threads load the real pipeline.
    ...(ctx.runScenario ? { runScenario: ctx.runScenario } : {}),
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
  const resumed = outcome.skipped > 0 ? `, ${outcome.skipped} already done` : '';
  const how = `${outcome.ran} run${outcome.ran === 1 ? '' : 's'} (${outcome.failed} failed${resumed}) on ${outcome.workers} worker${outcome.workers === 1 ? '' : 's'} in ${formatSeconds(outcome.wallSeconds)}`;
  if (json) {
    // Machine output on stdout, the same bytes as summary.json; what was done goes to stderr.
    if (outcome.summary) ctx.stdout.write(serializeSummary(outcome.summary));
    else ctx.err(`warning: --json prints nothing for a shard (it has no summary): merge the shards, then read the merged summary.json`);
    if (!quiet) ctx.err(`${how}; wrote ${outcome.out}/`);
  } else if (!quiet) {
    if (outcome.summary) {
      ctx.out(renderSweepSummary(outcome.summary, { paint: paintFor(ctx.stdout, ctx.env) }));
      ctx.out(`\n${how}; wrote ${outcome.out}/: summary.json, summary.csv, differences.csv, results.jsonl, manifest.json, runs/`);
    } else {
      ctx.out(`${how}; wrote ${outcome.out}/results.jsonl (shard ${opts.shard!.index}/${opts.shard!.count}); join the shards with: netsim merge DIR... --out DIR`);
    }
  }
  if (opts.report) {
    if (!outcome.summary) {
      ctx.err('warning: --report ignored for a shard: merge the shards, then run netsim report on the merged output');
    } else {
      writeReportAfter(ctx, outcome.out, quiet || json);
    }
  }
  return outcome.failed > 0 ? EXIT.failed : EXIT.ok;
}
