/**
 * Parsers of option values, shared by the command definitions. This module loads nothing heavy (commander
 * and two tiny modules): every command's definition imports it, and `netsim --version` pays for it.
 */
import { InvalidArgumentError } from 'commander';
import { parseShard, type Shard } from '../experiment/plan.js';
import { MAX_WORKERS } from '../experiment/worker-count.js';

/** Commander argument parser for repeatable options (`--set A=1 --set B=2`). */
export function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * `--workers`: a whole number from 0 (runs in this thread) to {@link MAX_WORKERS}. The pool starts no more
 * threads than there are CPUs or runs (see capWorkers); anything else (negative, a fraction, absurd) is bad
 * input, exit 2.
 */
export function parseWorkers(text: string): number {
  const t = text.trim();
  if (!/^\d+$/.test(t)) throw new InvalidArgumentError(`expected a whole number of worker threads from 0 to ${MAX_WORKERS} (0 runs in the main thread).`);
  const n = Number(t);
  if (!Number.isSafeInteger(n) || n > MAX_WORKERS) {
    throw new InvalidArgumentError(`${t} worker threads is more than the ${MAX_WORKERS} allowed (the pool never starts more threads than CPUs or runs anyway).`);
  }
  return n;
}

/** `--max-events`: a whole number of events above 0, written plainly or as `1e9`, at most 1e15. */
export function parseMaxEvents(text: string): number {
  const t = text.trim();
  const n = Number(t);
  if (!/^\d+(\.\d+)?(e\+?\d+)?$/i.test(t) || !Number.isInteger(n) || n < 1 || n > 1e15) {
    throw new InvalidArgumentError('expected a whole number of events from 1 to 1e15, such as 50000000 or 1e9.');
  }
  return n;
}

/**
 * `--seed`: a whole number (`42`) or any other non-empty text (a string seed, as `Simulation.spec.seed`
 * allows). `42` and `"42"` are the same master seed anyway; the number form keeps result.json tidy.
 */
export function parseSeed(text: string): number | string {
  const t = text.trim();
  if (t === '') throw new InvalidArgumentError('expected a whole number or a non-empty string.');
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (Number.isSafeInteger(n)) return n;
  }
  return t;
}

/** `--shard k/n`. */
export function parseShardOption(text: string): Shard {
  try {
    return parseShard(text);
  } catch (e) {
    throw new InvalidArgumentError(`${(e as Error).message}.`);
  }
}

/** What `-o` accepts on `validate` and `describe` (kubectl's names). */
export const OUTPUT_FORMATS = ['json', 'yaml', 'wide'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
