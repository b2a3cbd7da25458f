/**
 * Sweep progress on stderr: a cli-progress bar (runs done, failed, ETA) when stderr is a terminal, plain
 * lines every few seconds otherwise (CI logs, `kubectl logs` of a shard).
 */
import cliProgress from 'cli-progress';

export interface ProgressStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface Progress {
  start(total: number): void;
  /** `total` may grow (a precision target adds replications). */
  update(done: number, failed: number, total: number): void;
  stop(): void;
}

export const silentProgress: Progress = { start() {}, update() {}, stop() {} };

function seconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Plain lines: at most one per `intervalMs`, plus the first and the last. */
export function lineProgress(stream: ProgressStream, label: string, intervalMs = 5000, now: () => number = () => performance.now()): Progress {
  let started = 0;
  let last = -Infinity;
  let lastText = '';
  const line = (done: number, failed: number, total: number): string => {
    const elapsed = (now() - started) / 1000;
    const eta = done > 0 && total > done ? (elapsed / done) * (total - done) : done >= total ? 0 : NaN;
    const pct = total > 0 ? Math.floor((100 * done) / total) : 100;
    return `${label}: ${done}/${total} runs (${pct}%), ${failed} failed, ${seconds(elapsed)} elapsed, ETA ${seconds(eta)}\n`;
  };
  let state = { done: 0, failed: 0, total: 0 };
  return {
    start(total) {
      started = now();
      state = { done: 0, failed: 0, total };
      stream.write(`${label}: ${total} run${total === 1 ? '' : 's'} to go\n`);
      last = started;
    },
    update(done, failed, total) {
      state = { done, failed, total };
      const t = now();
      if (t - last >= intervalMs) {
        last = t;
        lastText = line(done, failed, total);
        stream.write(lastText);
      }
    },
    stop() {
      const text = line(state.done, state.failed, state.total);
      if (text !== lastText) stream.write(text);
    },
  };
}

/** A cli-progress bar on a terminal. */
export function barProgress(stream: ProgressStream, label: string): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as unknown as NodeJS.WritableStream,
      format: `${label} {bar} {value}/{total} runs | {failed} failed | {duration_formatted} elapsed | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
      fps: 5,
      // The caller decides whether stderr is a terminal (progressFor); draw on the stream given.
      noTTYOutput: true,
      gracefulExit: false,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start(total) {
      bar.start(total, 0, { failed: 0 });
    },
    update(done, failed, total) {
      if (total !== bar.getTotal()) bar.setTotal(total);
      bar.update(done, { failed });
    },
    stop() {
      bar.stop();
    },
  };
}

export function progressFor(stream: ProgressStream, tty: boolean, label: string): Progress {
  return tty ? barProgress(stream, label) : lineProgress(stream, label);
}
