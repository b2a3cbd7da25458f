/** `netsim run FILE...`: simulate once, print a summary, write result.json and CSV tables. */
import { Command, Option } from 'commander';
import { DEFAULT_MAX_EVENTS } from '../../model/limits.js';
import type { CliContext } from '../context.js';
import { collect, parseMaxEvents, parseSeed } from '../options.js';

export interface RunOptions {
  seed?: number | string;
  out?: string;
  set?: string[];
  json?: boolean;
  quiet?: boolean;
  report?: boolean;
  force?: boolean;
  maxEvents?: number;
  placement?: 'as-is' | 'reschedule';
}

export function runCommand(ctx: CliContext): Command {
  return new Command('run')
    .description('simulate a scenario once: print a summary, write result.json and CSV tables')
    .argument('<file...>', 'scenario files (YAML; later files add to earlier ones)')
    .addOption(new Option('--seed <n>', "master seed (overrides the scenario's Simulation.spec.seed)").argParser(parseSeed))
    .option('--out <dir>', 'output directory (default: out/<scenario-name>)')
    .option('--force', 'replace the results an earlier run left in the output directory (refused without it)')
    .option('--set <path=value>', 'override a field before validation, e.g. Simulation.spec.duration=10s (repeatable)', collect)
    .addOption(new Option('--placement <mode>', "a dump's live pods: as-is (on their nodes, the default) or reschedule (placed by the scheduler model)").choices(['as-is', 'reschedule']))
    .option('--json', 'print result.json to stdout instead of the summary table')
    .option('-q, --quiet', 'print nothing but errors (no progress bar, warnings or summary)')
    .option('--report', 'also write an HTML report of the run to <dir>/report/ (as netsim report <dir> would)')
    .addOption(new Option('--max-events <n>', `stop the run with exit 1 past this many events (default ${DEFAULT_MAX_EVENTS.toExponential()})`).argParser(parseMaxEvents))
    .addHelpText(
      'after',
      `
Output: <dir>/result.json (schema netsim.result/v1, see docs/results.md) and summary.csv, pods.csv,
nodes.csv, zones.csv, clients.csv, latency-histogram.csv. A directory that holds earlier results is
refused (exit 2) unless --force replaces them. A progress bar is drawn on stderr when it is a terminal
and the run takes more than a moment. The summary is coloured on a terminal (NO_COLOR, FORCE_COLOR).

Examples:
  $ netsim run models/production-3zones.yaml
  $ netsim run models/production-3zones.yaml --seed 7 --out out/prod-seed7
  $ netsim run models/production-3zones.yaml --report --force  # + out/production-3zones/report/index.html
  $ netsim run models/nodeport-web.yaml --set 'Service/web-service-nodeport.spec.externalTrafficPolicy=Local'
  $ netsim run models/nodeport-web.yaml --set Simulation.spec.duration=10s --json | jq .latency.p99

Exit codes: 0 ok, 1 the simulation failed, 2 bad input (every problem listed as file:line:col).`,
    )
    .action(async (files: string[], opts: RunOptions) => {
      const { run } = await import('../actions/run.js');
      ctx.exitCode = await run(ctx, files, opts);
    });
}
