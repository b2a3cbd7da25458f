/**
 * Envoy Gateway's BackendTrafficPolicy (gateway.envoyproxy.io/v1alpha1), the parts the simulator models
 * (envoyproxy/gateway `api/v1alpha1/backendtrafficpolicy_types.go`, `loadbalancer_types.go`,
 * `retry_types.go`, `healthcheck_types.go`): `targetRefs` (or the older `targetRef`) to a Gateway, HTTPRoute
 * or GRPCRoute; `loadBalancer` (RoundRobin, Random, LeastRequest, ConsistentHash with SourceIP, Header or
 * Cookie and `tableSize`); `retry` (numRetries, retryOn triggers and status codes, perRetry back-off);
 * `healthCheck.passive` (outlier detection). Other fields (rate limits, circuit breakers, active health
 * checks, slow start...) are ignored.
 */
import { z } from 'zod';
import { fail, kindSchema } from '../values.js';
import { objectMeta } from './meta.js';
import { parseGatewayDuration } from './gateway.js';

/** Envoy Gateway durations: Gateway API's format (retry, passive health check use metav1.Duration: `30s`, `1m`). */
const egDuration = () =>
  z.unknown().transform((v, ctx): number => {
    const d = typeof v === 'string' ? parseGatewayDuration(v.trim()) : null;
    if (d === null) return fail(ctx, v, { expected: 'a duration such as 30s, 500ms or 1m' });
    return d;
  });

const targetRef = () =>
  z.object({
    group: z.string().optional(),
    kind: z.enum(['Gateway', 'HTTPRoute', 'GRPCRoute']),
    name: z.string().min(1),
    sectionName: z.string().optional(),
  });

const TRIGGERS = ['5xx', 'gateway-error', 'reset', 'connect-failure', 'retriable-4xx', 'refused-stream', 'retriable-status-codes', 'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable'] as const;

export const backendTrafficPolicySchema = kindSchema(() => z.object({
  apiVersion: z.literal('gateway.envoyproxy.io/v1alpha1'),
  kind: z.literal('BackendTrafficPolicy'),
  metadata: objectMeta(),
  spec: z
    .object({
      targetRef: targetRef().optional(),
      targetRefs: z.array(targetRef()).min(1).optional(),
      loadBalancer: z
        .object({
          type: z.enum(['ConsistentHash', 'LeastRequest', 'Random', 'RoundRobin']),
          consistentHash: z
            .object({
              type: z.enum(['SourceIP', 'Header', 'Cookie']),
              header: z.object({ name: z.string().min(1) }).optional(),
              cookie: z.object({ name: z.string().min(1) }).optional(),
              tableSize: z.int().min(2).max(5000011).optional(),
            })
            .optional(),
        })
        .superRefine((lb, ctx) => {
          if ((lb.type === 'ConsistentHash') !== (lb.consistentHash !== undefined)) {
            ctx.addIssue({ code: 'custom', path: ['consistentHash'], input: lb, message: 'If LoadBalancer type is consistentHash, consistentHash field needs to be set.', params: { expected: lb.type === 'ConsistentHash' ? 'consistentHash' : 'no consistentHash', found: lb.type } });
          }
        })
        .optional(),
      retry: z
        .object({
          numRetries: z.int().min(0).optional(),
          retryOn: z.object({ triggers: z.array(z.enum(TRIGGERS)).optional(), httpStatusCodes: z.array(z.int().min(100).max(600)).optional() }).optional(),
          perRetry: z
            .object({
              timeout: egDuration().optional(),
              backOff: z.object({ baseInterval: egDuration().optional(), maxInterval: egDuration().optional() }).optional(),
            })
            .optional(),
        })
        .optional(),
      healthCheck: z
        .object({
          passive: z
            .object({
              interval: egDuration().optional(),
              consecutive5XxErrors: z.int().min(0).optional(),
              baseEjectionTime: egDuration().optional(),
              maxEjectionPercent: z.int().min(0).max(100).optional(),
              splitExternalLocalOriginErrors: z.boolean().optional(),
              consecutiveGatewayErrors: z.int().min(0).optional(),
              consecutiveLocalOriginFailures: z.int().min(0).optional(),
            })
            .optional(),
        })
        .optional(),
    })
    .superRefine((s, ctx) => {
      if (s.targetRef === undefined && s.targetRefs === undefined) {
        ctx.addIssue({ code: 'custom', path: ['targetRefs'], input: s, message: 'either targetRef or targetRefs must be used', params: { expected: 'targetRefs', found: 'nothing' } });
      }
    }),
}));

export type BackendTrafficPolicyObject = z.output<typeof backendTrafficPolicySchema>;
