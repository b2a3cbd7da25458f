/** netsim/v1 Simulation: how long to run, what to ignore at the start, and the seed. Strict. */
import { z } from 'zod';
import { duration, durationOrAuto, positiveInt } from '../values.js';
import { netsimMeta } from './meta.js';

export const simulationSchema = z.strictObject({
  apiVersion: z.literal('netsim/v1'),
  kind: z.literal('Simulation'),
  metadata: netsimMeta().optional(),
  spec: z
    .strictObject({
      /** The run's name in results and reports (default: metadata.name, else the first file's name). */
      name: z.string().min(1).optional(),
      /** Stop generating requests after this much simulated time... */
      duration: duration().optional(),
      /** ...or after this many requests, whichever comes first. */
      requests: positiveInt().optional(),
      /** Requests sent before this time are left out of the statistics; `auto` detects it (MSER-5). */
      warmup: durationOrAuto().optional(),
      /** Length of the result's time-series windows (default: the measured time / 60, rounded to 1, 2 or 5 × 10^n). */
      window: duration().optional(),
      seed: z.union([z.int().min(0), z.string().min(1)], { error: 'a whole number or a string' }).optional(),
    })
    .default({}),
});

export type SimulationObject = z.output<typeof simulationSchema>;
