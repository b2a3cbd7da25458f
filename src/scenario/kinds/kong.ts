/**
 * Kong's configuration.konghq.com/v1beta1 KongUpstreamPolicy (Kong/kubernetes-ingress-controller
 * `pkg/apis/configuration/v1beta1/kong_upstream_policy_types.go`, with its CRD validation rules): an
 * algorithm, `slots` (10..65536), `hashOn` / `hashOnFallback` (one of input ip|consumer|path, header,
 * cookie + cookiePath, queryArg, uriCapture), `stickySessions` (Kong Gateway 3.11) and `healthchecks`.
 * Attached to a Service with the annotation `konghq.com/upstream-policy: <name>` (same namespace).
 */
import { z } from 'zod';
import { kindSchema } from '../values.js';
import { objectMeta } from './meta.js';

export const UPSTREAM_POLICY_ANNOTATION = 'konghq.com/upstream-policy';

const hash = (fallback: boolean) =>
  z
    .object({
      input: z.enum(['ip', 'consumer', 'path']).optional(),
      header: z.string().min(1).optional(),
      cookie: z.string().min(1).optional(),
      cookiePath: z.string().min(1).optional(),
      queryArg: z.string().min(1).optional(),
      uriCapture: z.string().min(1).optional(),
    })
    .superRefine((h, ctx) => {
      const keys = fallback ? ['input', 'header', 'queryArg', 'uriCapture'] : ['input', 'cookie', 'header', 'uriCapture', 'queryArg'];
      const given = keys.filter((k) => h[k as keyof typeof h] !== undefined);
      if (given.length > 1) ctx.addIssue({ code: 'custom', path: [given[1]!], input: h, message: `only one of ${keys.join(', ')} can be set (found ${given.join(' and ')})` });
      if (fallback && (h.cookie !== undefined || h.cookiePath !== undefined)) {
        ctx.addIssue({ code: 'custom', path: [h.cookie !== undefined ? 'cookie' : 'cookiePath'], input: h, message: 'hashOnFallback cannot hash on a cookie' });
      }
      if (!fallback && (h.cookie === undefined) !== (h.cookiePath === undefined)) {
        ctx.addIssue({ code: 'custom', path: [h.cookie === undefined ? 'cookiePath' : 'cookie'], input: h, message: 'cookie and cookiePath go together' });
      }
    });

export const kongUpstreamPolicySchema = kindSchema(() => z.object({
  apiVersion: z.literal('configuration.konghq.com/v1beta1'),
  kind: z.literal('KongUpstreamPolicy'),
  metadata: objectMeta(),
  spec: z
    .object({
      algorithm: z.enum(['round-robin', 'consistent-hashing', 'least-connections', 'latency', 'sticky-sessions']).optional(),
      slots: z.int().min(10).max(65536).optional(),
      hashOn: hash(false).optional(),
      hashOnFallback: hash(true).optional(),
      stickySessions: z.object({ cookie: z.string().min(1), cookiePath: z.string().optional() }).optional(),
      healthchecks: z.record(z.string(), z.unknown()).optional(),
    })
    .superRefine((s, ctx) => {
      for (const key of ['hashOn', 'hashOnFallback'] as const) {
        if (s[key] !== undefined && s.algorithm !== 'consistent-hashing') {
          ctx.addIssue({ code: 'custom', path: [key], input: s[key], message: `spec.algorithm must be set to "consistent-hashing" when spec.${key} is set` });
        }
      }
      if (s.hashOn?.cookie !== undefined && s.hashOnFallback !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['hashOnFallback'], input: s.hashOnFallback, message: 'spec.hashOnFallback must not be set when spec.hashOn.cookie is set' });
      }
      if ((s.algorithm === 'sticky-sessions') !== (s.stickySessions !== undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: s.stickySessions !== undefined ? ['stickySessions'] : ['algorithm'],
          input: s,
          message: s.stickySessions !== undefined ? 'stickySessions applies to algorithm "sticky-sessions" only' : 'algorithm "sticky-sessions" needs stickySessions.cookie',
        });
      }
    })
    .optional(),
}));

export type KongUpstreamPolicyObject = z.output<typeof kongUpstreamPolicySchema>;
