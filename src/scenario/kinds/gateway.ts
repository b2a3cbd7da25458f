/**
 * Gateway API kinds (gateway.networking.k8s.io/v1; Gateway, GatewayClass and HTTPRoute also as v1beta1,
 * which has the same fields): GatewayClass, Gateway, HTTPRoute, GRPCRoute. Only the fields the simulator
 * reads are checked, with the API server's own rules where they matter to routing (kubernetes-sigs/
 * gateway-api `apis/v1/*_types.go` kubebuilder markers): path values absolute for Exact and PathPrefix, at
 * most 16 backendRefs and 64 rules per route, weights 0..1,000,000, durations in the GEP-2257 format
 * (`1h30m`, `500ms`), a retry's codes 400..599. Other fields (filters, TLS, addresses...) are ignored.
 */
import { z } from 'zod';
import { fail, kindSchema, port, stringMap } from '../values.js';
import { objectMeta } from './meta.js';

/** GEP-2257 Duration: 1 to 4 parts of up to 5 digits with h, m, s or ms (`1h`, `1h30m`, `500ms`, `0s`). */
export function parseGatewayDuration(text: string): number | null {
  if (!/^([0-9]{1,5}(h|m|s|ms)){1,4}$/.test(text)) return null;
  let total = 0;
  for (const m of text.matchAll(/([0-9]{1,5})(ms|h|m|s)/g)) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3600 : m[2] === 'm' ? n * 60 : m[2] === 's' ? n : n / 1000;
  }
  return total;
}

const gatewayDuration = () =>
  z.unknown().transform((v, ctx): number => {
    const d = typeof v === 'string' ? parseGatewayDuration(v.trim()) : null;
    if (d === null) return fail(ctx, v, { expected: 'a Gateway API duration such as 10s, 500ms or 1h30m (GEP-2257: digits with h, m, s or ms)' });
    return d;
  });

/** `metadata` with the creation time, which breaks ties between routes. */
const routeMeta = () => objectMeta().extend({ creationTimestamp: z.union([z.string(), z.date()]).optional() });

export const GATEWAY_API_VERSIONS = ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1'] as const;

export const gatewayClassSchema = kindSchema(() => z.object({
  apiVersion: z.enum(GATEWAY_API_VERSIONS),
  kind: z.literal('GatewayClass'),
  metadata: objectMeta(),
  spec: z.object({ controllerName: z.string().min(1) }),
}));

const listener = () =>
  z.object({
    name: z.string().min(1),
    hostname: z.string().min(1).optional(),
    port: port(),
    protocol: z.string().min(1),
  });

export const gatewaySchema = kindSchema(() => z.object({
  apiVersion: z.enum(GATEWAY_API_VERSIONS),
  kind: z.literal('Gateway'),
  metadata: objectMeta(),
  spec: z.object({
    gatewayClassName: z.string().min(1),
    listeners: z.array(listener()).min(1).max(64),
    /** Labels and annotations the implementation puts on the resources it creates (its Service). */
    infrastructure: z.object({ labels: stringMap().optional(), annotations: stringMap().optional() }).optional(),
  }),
}));

const parentRef = () =>
  z.object({
    group: z.string().optional(),
    kind: z.string().optional(),
    namespace: z.string().min(1).optional(),
    name: z.string().min(1),
    sectionName: z.string().min(1).optional(),
    port: port().optional(),
  });

const backendRef = () =>
  z.object({
    group: z.string().optional(),
    kind: z.string().optional(),
    name: z.string().min(1),
    namespace: z.string().min(1).optional(),
    port: port().optional(),
    weight: z.int().min(0).max(1_000_000).optional(),
  });

const stringMatch = () =>
  z.object({
    type: z.enum(['Exact', 'RegularExpression']).optional(),
    name: z.string().min(1),
    value: z.string(),
  });

const httpMatch = () =>
  z.object({
    path: z
      .object({ type: z.enum(['Exact', 'PathPrefix', 'RegularExpression']).optional(), value: z.string().max(1024).optional() })
      .superRefine((p, ctx) => {
        const type = p.type ?? 'PathPrefix';
        const value = p.value ?? '/';
        if (type !== 'RegularExpression' && !value.startsWith('/')) {
          ctx.addIssue({ code: 'custom', path: ['value'], input: value, message: "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']", params: { expected: 'a path starting with /', found: JSON.stringify(value) } });
        } else if (type !== 'RegularExpression' && value.includes('//')) {
          ctx.addIssue({ code: 'custom', path: ['value'], input: value, message: "must not contain '//' when type one of ['Exact', 'PathPrefix']", params: { expected: 'a path without //', found: JSON.stringify(value) } });
        }
      })
      .optional(),
    headers: z.array(stringMatch()).max(16).optional(),
    queryParams: z.array(stringMatch()).max(16).optional(),
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']).optional(),
  });

const httpRule = () =>
  z.object({
    name: z.string().optional(),
    matches: z.array(httpMatch()).max(64).optional(),
    backendRefs: z.array(backendRef()).max(16).optional(),
    timeouts: z.object({ request: gatewayDuration().optional(), backendRequest: gatewayDuration().optional() }).optional(),
    retry: z
      .object({
        codes: z.array(z.int().min(400).max(599)).optional(),
        attempts: z.int().min(0).optional(),
        backoff: gatewayDuration().optional(),
      })
      .optional(),
  });

const routeSpec = <R extends z.ZodType>(rule: R) =>
  z.object({
    parentRefs: z.array(parentRef()).min(1).max(32),
    hostnames: z.array(z.string().min(1)).max(16).optional(),
    rules: z.array(rule).max(16).optional(),
  });

export const httpRouteSchema = kindSchema(() => z.object({
  apiVersion: z.enum(GATEWAY_API_VERSIONS),
  kind: z.literal('HTTPRoute'),
  metadata: routeMeta(),
  spec: routeSpec(httpRule()).extend({ rules: z.array(httpRule()).max(64).optional() }),
}));

const grpcMatch = () =>
  z.object({
    method: z
      .object({ type: z.enum(['Exact', 'RegularExpression']).optional(), service: z.string().min(1).optional(), method: z.string().min(1).optional() })
      .superRefine((m, ctx) => {
        if (m.service === undefined && m.method === undefined) {
          ctx.addIssue({ code: 'custom', path: [], input: m, message: 'one or both of `service` or `method` must be specified', params: { expected: 'service or method', found: 'neither' } });
        }
      })
      .optional(),
    headers: z.array(stringMatch()).max(16).optional(),
  });

const grpcRule = () =>
  z.object({
    name: z.string().optional(),
    matches: z.array(grpcMatch()).max(64).optional(),
    backendRefs: z.array(backendRef()).max(16).optional(),
  });

export const grpcRouteSchema = kindSchema(() => z.object({
  apiVersion: z.literal('gateway.networking.k8s.io/v1'),
  kind: z.literal('GRPCRoute'),
  metadata: routeMeta(),
  spec: routeSpec(grpcRule()),
}));

export type GatewayClassObject = z.output<typeof gatewayClassSchema>;
export type GatewayObject = z.output<typeof gatewaySchema>;
export type HttpRouteObject = z.output<typeof httpRouteSchema>;
export type GrpcRouteObject = z.output<typeof grpcRouteSchema>;
export type BackendRefObject = z.output<ReturnType<typeof backendRef>>;
