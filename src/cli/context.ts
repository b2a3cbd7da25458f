/**
 * What a command needs from the outside world, injectable so tests can call `main()` in-process and read
 * what it printed: the two output streams, whether stderr is a terminal (progress bars), the environment
 * (NETSIM_DEBUG) and the run pipeline itself.
 *
 * Commands never call `process.exit` and never write to `process.stdout` directly; they set
 * `ctx.exitCode` (or throw a {@link CliError}) and `main` returns the code.
 */
import type { runScenario } from '../experiment/run-scenario.js';

/** The part of a writable stream the CLI uses. `isTTY`/`columns` as on `process.stderr`. */
export interface OutputStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface CliIO {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** Default `process.env`. `NETSIM_DEBUG=1` prints stack traces of internal errors. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default `stderr.isTTY`: whether a progress bar may be drawn on stderr. */
  readonly stderrIsTTY?: boolean;
  /** The run pipeline (tests substitute one that throws). Default {@link runScenario}, loaded when used. */
  readonly runScenario?: typeof runScenario;
  /**
   * Whether commands may handle SIGINT (print what was kept and how to resume, then exit 130). Set for the
   * real process only (bin/netsim.js), never for in-process tests.
   */
  readonly signals?: boolean;
}

/** Exit codes, as documented in docs/cli.md. */
export const EXIT = {
  ok: 0,
  /** An exception inside the simulation (or writing its output). */
  failed: 1,
  /** Bad input: scenario diagnostics, a bad option, an unknown command, a missing file. */
  badInput: 2,
} as const;

export interface CliContext {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stderrIsTTY: boolean;
  /** The run pipeline given by the IO (tests); undefined for the real one, which commands load when they run. */
  readonly runScenario: typeof runScenario | undefined;
  /** Set by the command that ran; `main` returns it. */
  exitCode: number;
  /** Writes a line (a trailing newline is added) to stdout. */
  out(text: string): void;
  /** Writes a line (a trailing newline is added) to stderr. */
  err(text: string): void;
  /**
   * While a long command runs (asynchronously): on SIGINT, print `interrupted: <note()>` on stderr and exit
   * 130. Returns the function that removes the handler. A no-op unless the IO allows signals.
   */
  onInterrupt(note: () => string): () => void;
}

/** Exit code of a command stopped by SIGINT (128 + 2), as shells report it. */
export const EXIT_INTERRUPTED = 130;

export function createContext(io: CliIO): CliContext {
  const env = io.env ?? process.env;
  return {
    stdout: io.stdout,
    stderr: io.stderr,
    env,
    stderrIsTTY: io.stderrIsTTY ?? io.stderr.isTTY === true,
    runScenario: io.runScenario,
    exitCode: EXIT.ok,
    out(text: string) {
      io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    err(text: string) {
      io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    onInterrupt(note: () => string) {
      if (io.signals !== true) return () => {};
      const handler = (): void => {
        let text: string;
        try {
          text = note();
        } catch (e) {
          text = `(could not tell what was kept: ${e instanceof Error ? e.message : String(e)})`;
        }
        io.stderr.write(`\ninterrupted: ${text}\n`);
        process.exit(EXIT_INTERRUPTED);
      };
      process.once('SIGINT', handler);
      return () => void process.removeListener('SIGINT', handler);
    },
  };
}

/**
 * A user-facing failure: printed as one line (`error: <message>`), no stack trace, exit `code`.
 * Commands throw it for problems they detect themselves (a missing file, a bad `--seed`).
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: number = EXIT.badInput,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * An exception thrown inside the simulation: `main` prints `error: simulation failed: <message>` and exits
 * 1; the stack trace only with NETSIM_DEBUG=1.
 */
export class SimulationFailed extends Error {
  constructor(readonly reason: unknown) {
    super(`simulation failed: ${reason instanceof Error ? reason.message : String(reason)}`);
    this.name = 'SimulationFailed';
  }
}
