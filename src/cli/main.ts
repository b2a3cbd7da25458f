/**
 * The `netsim` command line. Thin: parses arguments (commander), calls the experiment layer, prints.
 *
 * `main` never calls `process.exit`: it returns the exit code (bin/netsim.js sets `process.exitCode`), and
 * writes only to the streams it is given, so tests run it in-process:
 *
 *     const code = await main(['node', 'netsim', 'validate', 'models/nodeport-web.yaml'], { stdout, stderr });
 *
 * Exit codes: 0 ok; 1 the simulation failed (an exception inside it: one line, the stack trace only with
 * NETSIM_DEBUG=1); 2 bad input (scenario diagnostics, unknown command or option, missing file).
 *
 * Adding a command: write `src/cli/commands/<name>.ts` exporting `<name>Command(ctx: CliContext): Command`
 * (set `ctx.exitCode` in the action, throw `CliError` for a one-line user error) and list it in COMMANDS.
 * Inherited settings (output streams, exit override, help after errors) are applied to it here.
 *
 * Start-up time: `netsim --version`, `--help` and `completion` load commander and the definitions only.
 * A definition imports nothing heavy (options.ts, a few constants); its action is in `actions/<name>.ts`,
 * imported when the command runs, so `validate` loads the scenario layer and nothing else (no worker
 * pool, no schema tooling, no charts). bin/netsim.js runs this module from a bundle (dist/cli/, made by
 * scripts/bundle-cli.mjs in `npm run build`) in which each action stays its own chunk; keep actions behind
 * `await import(...)` for that reason too. `npm run bench` measures it (bench/startup.bench.ts).
 */
import { Command, CommanderError } from 'commander';
import { UnsafePathError } from '../experiment/safe-io.js';
import { StoredFileError } from '../experiment/stored-error.js';
import { toolInfo } from '../experiment/tool-info.js';
import { completionCommand } from './commands/completion.js';
import { describeCommand } from './commands/describe.js';
import { mergeCommand } from './commands/merge.js';
import { planCommand } from './commands/plan.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { sweepCommand } from './commands/sweep.js';
import { validateCommand } from './commands/validate.js';
import { CliError, createContext, EXIT, SimulationFailed, type CliContext, type CliIO } from './context.js';

export type { CliContext, CliIO, OutputStream } from './context.js';
export { CliError, EXIT, SimulationFailed } from './context.js';

/** Every subcommand, in the order `netsim --help` lists them. */
const COMMANDS: ReadonlyArray<(ctx: CliContext) => Command> = [
  runCommand,
  validateCommand,
  describeCommand,
  sweepCommand,
  planCommand,
  mergeCommand,
  reportCommand,
  completionCommand,
];

const HELP_AFTER = `
Examples:
  $ netsim validate models/production-3zones.yaml
  $ netsim describe models/production-3zones.yaml pods
  $ netsim run models/production-3zones.yaml --seed 7 --out out/prod
  $ netsim run models/nodeport-web.yaml --set 'Service/web-service-nodeport.spec.externalTrafficPolicy=Local'
  $ netsim sweep experiments/kube-proxy-modes.yaml --workers 4
  $ netsim plan experiments/replicas-for-slo.yaml
  $ source <(netsim completion bash)
  $ kubectl netsim run models/production-3zones.yaml     # installed as a kubectl plugin (kubectl-netsim)

Exit codes:
  0  ok
  1  the simulation failed (an exception inside it; set NETSIM_DEBUG=1 for the stack trace)
  2  bad input: every problem is listed as file:line:col with the field, what was expected and found

Environment: NO_COLOR / FORCE_COLOR (colour of summaries), COLUMNS (table width), NETSIM_DEBUG=1.

Documentation: docs/cli.md (commands), docs/scenarios.md (input), docs/results.md (output),
docs/experiments.md (sweeps and plans).`;

function applyInherited(parent: Command, cmd: Command): void {
  cmd.copyInheritedSettings(parent);
  for (const sub of cmd.commands) applyInherited(cmd, sub);
}

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('netsim')
    .description('Discrete-event simulator of the Kubernetes Service data path')
    .version(toolInfo().version, '-V, --version', 'print the version')
    .configureOutput({
      writeOut: (s) => void ctx.stdout.write(s),
      writeErr: (s) => void ctx.stderr.write(s),
    })
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError(true)
    .addHelpText('after', HELP_AFTER);
  for (const make of COMMANDS) {
    const cmd = make(ctx);
    applyInherited(program, cmd);
    program.addCommand(cmd);
  }
  return program;
}

function debugEnabled(ctx: CliContext): boolean {
  const v = ctx.env['NETSIM_DEBUG'];
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

function oneLine(text: string): string {
  return text.split(/\r?\n/).join(' ').trim();
}

/** Turns anything thrown out of a command into output and an exit code. Never a stack trace for user errors. */
function handleError(ctx: CliContext, e: unknown): number {
  if (e instanceof CommanderError) {
    // Commander has printed its message (or the help/version) already.
    return e.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  }
  if (e instanceof CliError) {
    ctx.err(`error: ${e.message}`);
    return e.code;
  }
  if (e instanceof StoredFileError || e instanceof UnsafePathError) {
    // A stored file of the wrong shape, a link where a file goes, a directory that cannot be made: bad input.
    ctx.err(`error: ${oneLine(e.message)}`);
    return EXIT.badInput;
  }
  const debug = debugEnabled(ctx);
  const reason = e instanceof SimulationFailed ? e.reason : e;
  const message = e instanceof SimulationFailed ? e.message : `internal error: ${e instanceof Error ? e.message : String(e)}`;
  ctx.err(`error: ${oneLine(message)}`);
  if (debug && reason instanceof Error && reason.stack) ctx.err(reason.stack);
  else ctx.err('(set NETSIM_DEBUG=1 to see the stack trace)');
  return EXIT.failed;
}

let epipeGuard = false;

function processIO(): CliIO {
  if (!epipeGuard) {
    // `netsim run --json | head`: the reader went away; stop quietly instead of crashing with a stack trace.
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
    epipeGuard = true;
  }
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, signals: true };
}

/**
 * Runs the command line `argv` (as `process.argv`: node, script, then the arguments) and returns the exit
 * code. Output goes to `io` (default: the process's streams).
 */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const ctx = createContext(io);
  try {
    const program = buildProgram(ctx);
    await program.parseAsync([...argv], { from: 'node' });
    return ctx.exitCode;
  } catch (e) {
    return handleError(ctx, e);
  }
}
