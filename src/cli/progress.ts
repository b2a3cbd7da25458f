/**
 * A progress bar on stderr for runs that take more than a moment. The simulation runs synchronously and
 * reports progress between slices of events, so the bar is drawn from those callbacks (cli-progress's
 * synchronous updates), not from a timer. It appears only once a run has lasted `delayMs`, only when
 * stderr is a terminal, and is erased when the run ends so the summary starts on a clean line.
 */
import cliProgress from 'cli-progress';
import type { CliContext } from './context.js';

export interface Progress {
  /** Pass to runScenario's `onProgress`; `fraction` in [0, 1]. */
  readonly onProgress: (fraction: number) => void;
  /** Removes the bar (if it was drawn). Safe to call twice. */
  stop(): void;
}

const TICKS = 1000;

export function createProgress(ctx: CliContext, enabled: boolean, label = 'simulating', delayMs = 400): Progress {
  if (!enabled || !ctx.stderrIsTTY) return { onProgress: () => {}, stop: () => {} };
  const started = Date.now();
  let bar: cliProgress.SingleBar | undefined;
  let stopped = false;
  return {
    onProgress(fraction: number) {
      if (stopped) return;
      const value = Math.round(Math.min(1, Math.max(0, fraction)) * TICKS);
      if (!bar) {
        if (Date.now() - started < delayMs || value >= TICKS) return;
        bar = new cliProgress.SingleBar(
          {
            stream: ctx.stderr as unknown as NodeJS.WritableStream,
            format: `${label} {bar} {percentage}% | ETA {eta_formatted}`,
            barsize: 30,
            hideCursor: false,
            clearOnComplete: true,
            // We decide about TTY-ness (ctx.stderrIsTTY); let the bar draw on the stream it is given.
            noTTYOutput: true,
            synchronousUpdate: true,
            gracefulExit: false,
            fps: 10,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(TICKS, value);
        return;
      }
      bar.update(value);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar?.stop();
    },
  };
}
