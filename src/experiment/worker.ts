/**
 * The piscina worker: one simulation per task. Compiled to dist/src/experiment/worker.js, which is the file
 * the pool loads (see executor.ts).
 */
import { executeRun, type RunReply, type RunTask } from './run-task.js';

export default function runTask(task: RunTask): RunReply {
  return executeRun(task);
}
