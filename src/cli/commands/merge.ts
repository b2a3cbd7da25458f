/** `netsim merge DIR... --out DIR`: join sweep shard outputs into one; see docs/distributed.md. */
import { Command } from 'commander';
import { mergeSweeps } from '../../experiment/index.js';
import { renderSweepSummary } from '../../report/text/sweep-summary.js';
import { EXIT, type CliContext } from '../context.js';
import { printable } from '../input.js';

interface MergeCliOptions {
  out: string;
  quiet?: boolean;
}

export function mergeCommand(ctx: CliContext): Command {
  return new Command('merge')
    .description('join the outputs of sweep shards (--shard k/n) into one output, as if run in one go')
    .argument('<dir...>', 'sweep output directories (each with manifest.json and results.jsonl)')
    .requiredOption('--out <dir>', 'the merged output directory')
    .option('-q, --quiet', 'print nothing but errors')
    .addHelpText(
      'after',
      `
Refuses (exit 2, saying why) outputs of different experiments (their manifest hashes differ), a run found
in two outputs, and missing runs (a shard not collected or not finished: finish it with sweep --resume).
Shards are untrusted: a file that does not validate, a result path that is not runs/<run>.json inside its
shard, or a symbolic link refuses the merge (docs/reliability.md).
Writes manifest.json, results.jsonl, runs/, summary.json, summary.csv and differences.csv.

Example:
  $ for k in 1 2 3 4; do netsim sweep experiments/kube-proxy-modes.yaml --shard $k/4 --out out/kp-$k; done
  $ netsim merge out/kp-1 out/kp-2 out/kp-3 out/kp-4 --out out/kp

Exit codes: 0 ok, 1 some runs had failed (they are kept as failed), 2 refused.`,
    )
    .action((dirs: string[], opts: MergeCliOptions) => {
      ctx.exitCode = merge(ctx, dirs, opts);
    });
}

function merge(ctx: CliContext, dirs: string[], opts: MergeCliOptions): number {
  const outcome = mergeSweeps(dirs, opts.out);
  if (outcome.kind === 'refused') {
    for (const p of outcome.problems) ctx.err(`error: ${printable(p)}`);
    ctx.err('nothing was merged');
    return EXIT.badInput;
  }
  for (const w of outcome.warnings) ctx.err(`warning: ${printable(w)}`);
  for (const f of outcome.failures.slice(0, 10)) ctx.err(`run ${printable(f.run)} had failed: ${printable(f.error)}`);
  if (!opts.quiet) {
    ctx.out(renderSweepSummary(outcome.summary));
    ctx.out(`\nmerged ${outcome.runs} runs from ${dirs.length} output${dirs.length === 1 ? '' : 's'} into ${outcome.out}/`);
  }
  return outcome.failed > 0 ? EXIT.failed : EXIT.ok;
}
