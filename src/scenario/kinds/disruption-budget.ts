/**
 * policy/v1 PodDisruptionBudget: which pods (a label selector, in the budget's namespace) and how many may
 * be down at once through the Eviction API (kubectl drain). Exactly one of minAvailable and maxUnavailable,
 * each a count or a percentage (k/k `ValidatePodDisruptionBudgetSpec`; policy/v1 sets neither by default).
 */
import { z } from 'zod';
import { intOrPercent, kindSchema } from '../values.js';
import { labelSelector, objectMeta } from './meta.js';

export const disruptionBudgetSchema = kindSchema(() => z.object({
  apiVersion: z.literal('policy/v1'),
  kind: z.literal('PodDisruptionBudget'),
  metadata: objectMeta(),
  spec: z
    .object({
      minAvailable: intOrPercent().optional(),
      maxUnavailable: intOrPercent().optional(),
      /** Absent: the budget selects no pod; empty (`{}`): every pod of the namespace. */
      selector: labelSelector().optional(),
      unhealthyPodEvictionPolicy: z.enum(['IfHealthyBudget', 'AlwaysAllow']).optional(),
    })
    .superRefine((s, ctx) => {
      const given = (['minAvailable', 'maxUnavailable'] as const).filter((k) => s[k] !== undefined);
      if (given.length === 2) {
        ctx.addIssue({ code: 'custom', path: ['maxUnavailable'], input: s.maxUnavailable, message: 'minAvailable and maxUnavailable cannot be both set', params: { expected: 'one of minAvailable and maxUnavailable', found: 'both' } });
      } else if (given.length === 0) {
        ctx.addIssue({ code: 'custom', path: [], input: s, message: 'a PodDisruptionBudget needs minAvailable or maxUnavailable', params: { expected: 'minAvailable or maxUnavailable (a count, or a percentage such as "50%")', found: 'neither' } });
      }
      for (const k of given) {
        const v = s[k]!;
        if (v.kind === 'percent' && v.value > 100) {
          ctx.addIssue({ code: 'custom', path: [k], input: `${v.value}%`, message: 'must not be greater than 100%', params: { expected: 'at most 100%', found: `"${v.value}%"` } });
        }
      }
    }),
}));

export type DisruptionBudgetObject = z.output<typeof disruptionBudgetSchema>;
