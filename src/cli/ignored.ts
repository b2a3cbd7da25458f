/** Prints what the scenario read but does not simulate, grouped by kind with the reason, on stderr. */
import { formatIgnored, ignoredHeading, type IgnoredResource } from '../scenario/index.js';
import type { CliContext } from './context.js';

export function printIgnored(ctx: CliContext, ignored: readonly IgnoredResource[] | undefined): void {
  if (ignored === undefined || ignored.length === 0) return; // a substituted pipeline (tests) may give none
  ctx.err(ignoredHeading(ignored));
  for (const line of formatIgnored(ignored)) ctx.err(`  ${line}`);
}
