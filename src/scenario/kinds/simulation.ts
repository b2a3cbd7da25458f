/** netsim/v1 Simulation: how long to run, what to ignore at the start, the seed, and the timeline. Strict. */
import { z } from 'zod';
import { duration, durationOrAuto, kindSchema, nonNegativeInt, positiveInt, stringMap } from '../values.js';
import { MAX_REPLICAS } from './controllers.js';
import { netsimMeta } from './meta.js';

/** Where a dump's live pods run: where they are, or where the scheduler model would put them (dump-pods.ts). */
export const PLACEMENT_MODES = ['as-is', 'reschedule'] as const;
export type PlacementMode = (typeof PLACEMENT_MODES)[number];

/** The verbs of a timeline event, as written; each event has exactly one. */
export const TIMELINE_VERBS = ['rollout', 'scale', 'delete', 'cordon', 'uncordon', 'drain', 'fail', 'recover', 'failZone', 'recoverZone', 'set'] as const;
export type TimelineVerb = (typeof TIMELINE_VERBS)[number];

/** Keys that only go with one verb. */
const COMPANIONS: Readonly<Record<string, TimelineVerb>> = { template: 'rollout', replicas: 'scale' };

/** An annotation or label value in a template change: `null` removes it (as in a merge patch). */
const patchValue = () => z.union([z.string(), z.number(), z.boolean(), z.null()]);

/**
 * Changes to a Deployment's pod template, merged into it as `kubectl patch` would (mappings merge, `null`
 * removes a key, containers merge by name, other lists are replaced); the result is checked like a
 * written template.
 */
const templateChange = () =>
  z.strictObject({
    metadata: z
      .strictObject({
        labels: z.record(z.string(), patchValue()).optional(),
        annotations: z.record(z.string(), patchValue()).optional(),
      })
      .optional(),
    spec: z.record(z.string(), z.unknown()).optional(),
  });

const target = () => z.string().min(1);

export const timelineEventSchema = () =>
  z
    .strictObject({
      /** Simulated time from the run's start. */
      at: duration(),
      /** `Deployment/web`, `Deployment/shop/web`, `web` or `shop/web`: a new revision. */
      rollout: target().optional(),
      template: templateChange().optional(),
      scale: target().optional(),
      replicas: nonNegativeInt().max(MAX_REPLICAS).optional(),
      /** `Pod/name`, `Pod/namespace/name`, or a pod name. */
      delete: target().optional(),
      cordon: target().optional(),
      uncordon: target().optional(),
      drain: target().optional(),
      fail: target().optional(),
      recover: target().optional(),
      failZone: target().optional(),
      recoverZone: target().optional(),
      /** `{Service/web.spec.externalTrafficPolicy: Local}`: traffic policies only. */
      set: stringMap().optional(),
    })
    .superRefine((e, ctx) => {
      const verbs = TIMELINE_VERBS.filter((v) => e[v] !== undefined);
      // A misspelt verb is reported as an unknown field: "no verb" would say the same thing twice.
      const misspelt = ctx.issues.some((i) => i.code === 'unrecognized_keys');
      if (verbs.length === 0 && !misspelt) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          input: e,
          message: `an event needs one of ${TIMELINE_VERBS.join(', ')}`,
        });
      } else if (verbs.length > 1) {
        ctx.addIssue({
          code: 'custom',
          path: [verbs[1]!],
          input: e[verbs[1]!],
          message: `an event does one thing: give only one of ${verbs.join(' and ')} (write two events with the same at)`,
          params: { key: true },
        });
      }
      for (const [key, verb] of Object.entries(COMPANIONS)) {
        if (e[key as keyof typeof e] !== undefined && e[verb] === undefined) {
          ctx.addIssue({ code: 'custom', path: [key], input: e[key as keyof typeof e], message: `${key} goes with ${verb}`, params: { key: true } });
        }
      }
      if (e.scale !== undefined && e.replicas === undefined) {
        ctx.addIssue({ code: 'custom', path: ['replicas'], input: undefined, message: 'scale needs replicas: the new spec.replicas', params: { expected: 'replicas (a whole number >= 0)', found: 'nothing' } });
      }
      if (e.set !== undefined && Object.keys(e.set).length === 0) {
        ctx.addIssue({ code: 'custom', path: ['set'], input: e.set, message: 'set needs at least one PATH: VALUE, such as Service/web.spec.externalTrafficPolicy: Local', params: { expected: 'PATH: VALUE, such as Service/web.spec.externalTrafficPolicy: Local', found: 'an empty mapping' } });
      }
    });

export const simulationSchema = kindSchema(() => z.strictObject({
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
      /** Scripted events (rollouts, scaling, drains, node failures, policy changes), at simulated times. */
      timeline: z.array(timelineEventSchema()).optional(),
      /**
       * A dump's live pods: where they run (`as-is`, the default), or placed again by the scheduler model
       * (`reschedule`), for what-if questions (docs/scenarios.md, "Your cluster as it is").
       */
      placement: z.enum(PLACEMENT_MODES).optional(),
    })
    .default({}),
}));

export type SimulationObject = z.output<typeof simulationSchema>;
export type TimelineEventObject = NonNullable<SimulationObject['spec']['timeline']>[number];
