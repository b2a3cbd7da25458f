/** What `netsim merge` does (its options are in ../commands/merge.ts). */
import { mergeSweeps } from '../../experiment/index.js';
import { renderSweepSummary } from '../../report/text/sweep-summary.js';
import type { MergeCliOptions } from '../commands/merge.js';
import { EXIT, type CliContext } from '../context.js';
import { printable } from '../input.js';
import { paintFor } from '../terminal.js';

export function merge(ctx: CliContext, dirs: string[], opts: MergeCliOptions): number {
  const outcome = mergeSweeps(dirs, opts.out);
  if (outcome.kind === 'refused') {
    for (const p of outcome.problems) ctx.err(`error: ${printable(p)}`);
    ctx.err('nothing was merged');
    return EXIT.badInput;
  }
  for (const w of outcome.warnings) ctx.err(`warning: ${printable(w)}`);
  for (const f of outcome.failures.slice(0, 10)) ctx.err(`run ${printable(f.run)} had failed: ${printable(f.error)}`);
  if (!opts.quiet) {
    ctx.out(renderSweepSummary(outcome.summary, { paint: paintFor(ctx.stdout, ctx.env) }));
    ctx.out(`\nmerged ${outcome.runs} runs from ${dirs.length} output${dirs.length === 1 ? '' : 's'} into ${outcome.out}/`);
  }
  return outcome.failed > 0 ? EXIT.failed : EXIT.ok;
}
