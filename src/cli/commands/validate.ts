/** `netsim validate FILE...`: load and check a scenario without simulating it. */
import { Command, Option } from 'commander';
import type { CliContext } from '../context.js';
import { collect, OUTPUT_FORMATS, type OutputFormat } from '../options.js';

export interface ValidateOptions {
  set?: string[];
  output?: OutputFormat;
  placement?: 'as-is' | 'reschedule';
}

export function validateCommand(ctx: CliContext): Command {
  return new Command('validate')
    .description('check a scenario without simulating it: every problem at once, as file:line:col')
    .argument('<file...>', 'scenario files (YAML)')
    .option('--set <path=value>', 'override a field before validation (repeatable)', collect)
    .addOption(new Option('--placement <mode>', "a dump's live pods: as-is (on their nodes, the default) or reschedule (placed by the scheduler model)").choices(['as-is', 'reschedule']))
    .addOption(new Option('-o, --output <format>', `${OUTPUT_FORMATS.join('|')}: json or yaml on stdout (schemas/validate.schema.json); wide adds what was built and what was not used`).choices(OUTPUT_FORMATS))
    .addHelpText(
      'after',
      `
Prints warnings and "ok: N pods, M services, K clients on J nodes" (exit 0), or every problem with its
source line and a caret (exit 2). With -o json|yaml the same verdict, counts, problems and ignored objects
go to stdout as one document (exit codes unchanged; the problems are still printed on stderr).

Examples:
  $ netsim validate models/nodeport-local-pinned.yaml
  $ netsim validate base.yaml overrides.yaml --set 'Workload.spec.clients[0].rate=5k/s'
  $ netsim validate models/production-3zones.yaml -o json | jq .counts`,
    )
    .action(async (files: string[], opts: ValidateOptions) => {
      const { validate } = await import('../actions/validate.js');
      ctx.exitCode = validate(ctx, files, opts);
    });
}
