/**
 * HorizontalPodAutoscaler, autoscaling/v2 (and v1's `targetCPUUtilizationPercentage`): what it scales
 * (`scaleTargetRef`), between which counts, on which metrics, and how fast (`behavior`). Checked as the API
 * server checks it (k/k `pkg/apis/autoscaling/validation`: minReplicas ≥ 1, maxReplicas ≥ minReplicas,
 * policies with a value above 0 and a period of 1 to 1800 s, windows of 0 to 3600 s). Which metrics the
 * model can compute is decided when the scenario is built (build-time.ts).
 */
import { z } from 'zod';
import { parseQuantity } from '../quantity.js';
import { fail, kindSchema, positiveInt } from '../values.js';
import { objectMeta } from './meta.js';

/** A Quantity of zero or more (`0.05`, `50m`): per-direction tolerances (KEP-4951). */
const tolerance = () =>
  z.unknown().transform((v, ctx): number => {
    const q = typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) : NaN;
    if (!(q >= 0)) return fail(ctx, v, { expected: 'a quantity of zero or more such as 0.05 or 50m' });
    return q;
  });

const scalingPolicy = () =>
  z.object({
    type: z.enum(['Pods', 'Percent']),
    value: positiveInt(),
    periodSeconds: z.int().min(1).max(1800),
  });

const scalingRules = () =>
  z.object({
    stabilizationWindowSeconds: z.int().min(0).max(3600).optional(),
    selectPolicy: z.enum(['Max', 'Min', 'Disabled']).optional(),
    policies: z.array(scalingPolicy()).min(1, { error: 'must specify at least one Policy' }).optional(),
    tolerance: tolerance().optional(),
  });

const metricTarget = () =>
  z.object({
    type: z.enum(['Utilization', 'Value', 'AverageValue']),
    averageUtilization: positiveInt().optional(),
    averageValue: z.unknown().optional(),
    value: z.unknown().optional(),
  });

const metricSpec = () =>
  z.object({
    type: z.enum(['Resource', 'ContainerResource', 'Pods', 'Object', 'External']),
    resource: z.object({ name: z.string().min(1), target: metricTarget() }).optional(),
    containerResource: z.object({ name: z.string().min(1), container: z.string().min(1), target: metricTarget() }).optional(),
    pods: z.unknown().optional(),
    object: z.unknown().optional(),
    external: z.unknown().optional(),
  });

export const autoscalerSchema = kindSchema(() => z.object({
  apiVersion: z.enum(['autoscaling/v2', 'autoscaling/v1']),
  kind: z.literal('HorizontalPodAutoscaler'),
  metadata: objectMeta(),
  spec: z
    .object({
      scaleTargetRef: z.object({
        apiVersion: z.string().optional(),
        kind: z.string().min(1),
        name: z.string().min(1),
      }),
      /** Default 1; 0 only with the HPAScaleToZero feature gate (alpha), which the model does not take. */
      minReplicas: positiveInt().optional(),
      maxReplicas: positiveInt(),
      /** autoscaling/v2. */
      metrics: z.array(metricSpec()).optional(),
      behavior: z.object({ scaleUp: scalingRules().optional(), scaleDown: scalingRules().optional() }).optional(),
      /** autoscaling/v1. */
      targetCPUUtilizationPercentage: positiveInt().optional(),
    })
    .superRefine((s, ctx) => {
      const min = s.minReplicas ?? 1;
      if (s.maxReplicas < min) {
        ctx.addIssue({ code: 'custom', path: ['maxReplicas'], input: s.maxReplicas, message: 'must be greater than or equal to `minReplicas`', params: { expected: `at least minReplicas (${min})`, found: String(s.maxReplicas) } });
      }
    }),
}));

export type AutoscalerObject = z.output<typeof autoscalerSchema>;
export type MetricSpecObject = NonNullable<AutoscalerObject['spec']['metrics']>[number];
export type ScalingRulesObject = NonNullable<NonNullable<AutoscalerObject['spec']['behavior']>['scaleUp']>;
