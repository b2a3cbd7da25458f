/** `netsim completion bash|zsh|fish`: print a shell completion script (see ../completion.ts). */
import { Argument, Command } from 'commander';
import { completionScript, SHELLS, type Shell } from '../completion.js';
import { EXIT, type CliContext } from '../context.js';
import { DESCRIBE_TABLES } from './describe.js';

export function completionCommand(ctx: CliContext): Command {
  return new Command('completion')
    .description('print a shell completion script for bash, zsh or fish')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .addHelpText(
      'after',
      `
Examples:
  $ source <(netsim completion bash)             # this shell; add the line to ~/.bashrc to keep it
  $ netsim completion zsh > "\${fpath[1]}/_netsim"  # zsh, then restart it
  $ netsim completion fish > ~/.config/fish/completions/netsim.fish`,
    )
    .action((shell: Shell, _opts: unknown, cmd: Command) => {
      const program = cmd.parent ?? cmd;
      ctx.stdout.write(completionScript(shell, program, program.name(), { describe: [...DESCRIBE_TABLES, 'all'] }));
      ctx.exitCode = EXIT.ok;
    });
}
