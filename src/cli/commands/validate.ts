/** `netsim validate FILE...`: load and check a scenario without simulating it. */
import { Command } from 'commander';
import { loadScenario } from '../../scenario/index.js';
import { EXIT, type CliContext } from '../context.js';
import { checkFiles, collect, countDiagnostics, printDiagnostics, reportBadInput } from '../input.js';

interface ValidateOptions {
  set?: string[];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function validateCommand(ctx: CliContext): Command {
  return new Command('validate')
    .description('check a scenario without simulating it: every problem at once, as file:line:col')
    .argument('<file...>', 'scenario files (YAML)')
    .option('--set <path=value>', 'override a field before validation (repeatable)', collect)
    .addHelpText(
      'after',
      `
Prints warnings and "ok: N pods, M services, K clients" (exit 0), or every problem with its source line
and a caret (exit 2).

Examples:
  $ netsim validate models/nodeport-local-pinned.yaml
  $ netsim validate base.yaml overrides.yaml --set 'Workload.spec.clients[0].rate=5k/s'`,
    )
    .action((files: string[], opts: ValidateOptions) => {
      checkFiles(files);
      const set = opts.set ?? [];
      const loaded = loadScenario(files, { set });
      if (!loaded.ok) {
        ctx.exitCode = reportBadInput(ctx, loaded.diagnostics, loaded.sources, set, 'the scenario is not valid');
        return;
      }
      if (loaded.warnings.length > 0) {
        printDiagnostics(ctx, loaded.warnings, loaded.sources, set);
        ctx.err(countDiagnostics(loaded.warnings).replace(/^0 errors, /, ''));
      }
      const { spec } = loaded;
      const pending = spec.pods.filter((p) => p.nodeName === null).length;
      ctx.out(
        `ok: ${plural(spec.pods.length, 'pod')}${pending > 0 ? ` (${pending} pending)` : ''}, ` +
          `${plural(spec.services.length, 'service')}, ${plural(spec.clients.length, 'client')} ` +
          `on ${plural(spec.nodes.length, 'node')}`,
      );
      ctx.exitCode = EXIT.ok;
    });
}
