/** What `sweep` prints when it is interrupted (SIGINT): the runs kept, and the command that resumes. */
import { join } from 'node:path';
import type { Shard } from '../experiment/plan.js';
import { readResults, RESULTS_FILE } from '../experiment/store.js';

function quote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * `out`: the output directory, undefined while the experiment is still being checked (nothing written yet).
 */
export function keptRunsNote(command: 'sweep', file: string, out: string | undefined, shard: Shard | null): string {
  if (out === undefined) return 'nothing was run yet (the experiment was being checked); nothing to resume';
  let kept = 0;
  try {
    kept = readResults(out).lines.length;
  } catch {
    // counted as none
  }
  const shardArg = shard && shard.count > 1 ? ` --shard ${shard.index}/${shard.count}` : '';
  return (
    `${kept} finished run${kept === 1 ? ' is' : 's are'} kept in ${join(out, RESULTS_FILE)} (runs in flight are lost); ` +
    `resume with: netsim ${command} ${quote(file)}${shardArg} --out ${quote(out)} --resume`
  );
}
