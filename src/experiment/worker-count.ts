/**
 * How many worker threads: the default and the most `--workers` accepts. In its own module (node:os only)
 * so that the command line can describe its options without loading the worker pool.
 */
import { availableParallelism } from 'node:os';

export function defaultWorkers(): number {
  return availableParallelism();
}

/** The most worker threads `--workers` accepts (more is bad input: exit 2). */
export const MAX_WORKERS = 1024;
