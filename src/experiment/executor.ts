/**
 * Where runs execute: a pool of worker threads (piscina), or the calling thread (`workers: 0`, for
 * debugging and for tests that inject faults).
 *
 * piscina, not `worker-threads-pool`: piscina keeps its threads alive between tasks (a thread costs tens of
 * milliseconds to start and each one loads the scenario layer again), queues tasks itself, supports abort
 * and is maintained; worker-threads-pool starts a new thread per task, has no abort, and has not been
 * updated since 2018.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { defaultWorkers, MAX_WORKERS } from './worker-count.js';
import { executeRun, type RunReply, type RunTask } from './run-task.js';
import type { runScenario } from './run-scenario.js';

export interface Executor {
  /** Runs that may be in flight at once. */
  readonly concurrency: number;
  /** Never rejects: a crash of the worker comes back as a failed reply. */
  run(task: RunTask): Promise<RunReply>;
  close(): Promise<void>;
}

export { defaultWorkers, MAX_WORKERS };

/**
 * The threads a pool actually starts for `requested` workers: never more than the CPUs
 * (os.availableParallelism()) nor than the runs there are to make (`runs`, when known). 0 stays 0 (in this
 * thread). Each thread holds its own copy of the model (tens of MB): 64 threads for 4 runs took 1.8 GB,
 * 1000 aborted V8.
 */
export function capWorkers(requested: number, runs?: number): number {
  if (!Number.isFinite(requested) || requested <= 0) return 0;
  let n = Math.min(Math.floor(requested), defaultWorkers());
  if (runs !== undefined) n = Math.min(n, Math.max(1, Math.floor(runs)));
  return Math.max(1, n);
}

/**
 * The compiled worker module. Next to this module when running from `dist/src/`; from the CLI bundle
 * (`dist/cli/`, scripts/bundle-cli.mjs), the one in `dist/src/`; when this module runs from the TypeScript
 * sources (vitest), the compiled copy in `dist/` (`npm test` builds first).
 */
export function resolveWorkerFile(): string {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  const candidates = here.endsWith('.js')
    ? [join(dir, 'worker.js'), resolve(dir, '../src/experiment/worker.js')]
    : [resolve(dir, '../../dist/src/experiment/worker.js'), join(dir, 'worker.js')];
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error(`the sweep worker is missing (looked for ${candidates.join(', ')}): run npm run build`);
}

function crashReply(task: RunTask, e: unknown, start: number): RunReply {
  const text = e instanceof Error ? e.message : String(e);
  return { runId: task.runId, status: 'failed', error: `worker crashed: ${text}`, metrics: {}, wallSeconds: (performance.now() - start) / 1000 };
}

/** Runs tasks one at a time in this thread. `run` replaces the pipeline (fault injection in tests). */
export function inlineExecutor(run?: typeof runScenario): Executor {
  return {
    concurrency: 1,
    async run(task) {
      await new Promise<void>((r) => setImmediate(r)); // let progress output and I/O through
      return run ? executeRun(task, run) : executeRun(task);
    },
    async close() {},
  };
}

/** A piscina pool of `requested` threads (capped at the CPUs, see {@link capWorkers}), one simulation per task. */
export function poolExecutor(requested: number, workerFile: string = resolveWorkerFile()): Executor {
  const workers = capWorkers(Math.max(1, requested));
  const pool = new Piscina<RunTask, RunReply>({
    filename: workerFile,
    minThreads: workers,
    maxThreads: workers,
    // Threads live as long as the sweep: the pool is closed at the end.
    idleTimeout: 60_000,
    concurrentTasksPerWorker: 1,
    // Runs start in the order they were submitted, longest first (see run-cost.ts). Without this, piscina
    // puts a task it could not hand to a busy worker back at the tail of its queue: with one worker,
    // 12 tasks ran as 0 2 4 6 8 10 1 5 9 3 11 7.
    stricterFIFO: true,
  });
  return {
    concurrency: workers,
    async run(task) {
      const start = performance.now();
      try {
        return await pool.run(task);
      } catch (e) {
        return crashReply(task, e, start);
      }
    },
    async close() {
      await pool.destroy();
    },
  };
}
