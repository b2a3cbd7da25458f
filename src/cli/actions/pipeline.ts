/** The run pipeline: the one tests substitute through the IO, else the real one, loaded on first use. */
import type { runScenario } from '../../experiment/run-scenario.js';
import type { CliContext } from '../context.js';

export async function pipeline(ctx: CliContext): Promise<typeof runScenario> {
  return ctx.runScenario ?? (await import('../../experiment/run-scenario.js')).runScenario;
}
