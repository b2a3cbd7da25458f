/** `netsim merge DIR... --out DIR`: join sweep shard outputs into one; see docs/distributed.md. */
import { Command } from 'commander';
import type { CliContext } from '../context.js';

export interface MergeCliOptions {
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
    .action(async (dirs: string[], opts: MergeCliOptions) => {
      const { merge } = await import('../actions/merge.js');
      ctx.exitCode = merge(ctx, dirs, opts);
    });
}
