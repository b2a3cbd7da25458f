/**
 * The NGINX Ingress Controller's k8s.nginx.org/v1 VirtualServer and VirtualServerRoute, with the checks
 * its validation makes (nginx/kubernetes-ingress `pkg/apis/configuration/validation/virtualserver.go`;
 * docs `virtualserver-and-virtualserverroute-resources.md`): a route has exactly one of action, splits or
 * route; splits are at least two and their weights add up to 100; a match has conditions and exactly one
 * of action or splits; a condition names exactly one of header, cookie, argument or variable; an action
 * has exactly one of pass, redirect, return or proxy. Fields the simulator does not read are dropped
 * (Kubernetes kinds are tolerant). References between fields (upstream names, VirtualServerRoutes) are
 * checked when the resources are built (build-virtual-servers.ts).
 */
import { z } from 'zod';
import { CONDITION_VARIABLES } from '../../model/ingress/virtual-server.js';
import { kindSchema, nonNegativeInt, port } from '../values.js';
import { objectMeta } from './meta.js';

const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const exactlyOne = (o: Record<string, unknown>, keys: readonly string[], ctx: z.RefinementCtx, what: string): void => {
  const given = keys.filter((k) => o[k] !== undefined);
  if (given.length !== 1) {
    const list = `${keys.slice(0, -1).join(', ')} or ${keys[keys.length - 1]}`;
    ctx.addIssue({
      code: 'custom',
      path: given.length > 1 ? [given[1]!] : [],
      input: o,
      message: `${what} must include exactly one of ${list} (found ${given.length === 0 ? 'none of them' : given.join(' and ')})`,
    });
  }
};

const action = () =>
  z
    .object({
      pass: z.string().min(1).optional(),
      redirect: z.object({ url: z.string().min(1) }).optional(),
      return: z.object({ body: z.string().optional() }).optional(),
      proxy: z.object({ upstream: z.string().min(1) }).optional(),
    })
    .superRefine((a, ctx) => exactlyOne(a, ['pass', 'redirect', 'return', 'proxy'], ctx, 'an action'));

const splits = () =>
  z
    .array(z.object({ weight: z.int().min(0).max(100), action: action() }))
    .min(2, { error: 'splits must include at least 2 splits' })
    .superRefine((s, ctx) => {
      const total = s.reduce((a, x) => a + x.weight, 0);
      if (total !== 100) ctx.addIssue({ code: 'custom', input: s, message: `the sum of the weights of all splits must be equal to 100 (found ${total})` });
    });

const condition = () =>
  z
    .object({
      header: z.string().regex(/^[A-Za-z0-9-]+$/, { error: 'a header name: letters, digits and -' }).optional(),
      cookie: z.string().regex(/^[A-Za-z0-9_]+$/, { error: 'a cookie name: letters, digits and _' }).optional(),
      argument: z.string().regex(/^[A-Za-z0-9_]+$/, { error: 'an argument name: letters, digits and _' }).optional(),
      variable: z.enum(CONDITION_VARIABLES as [string, ...string[]], { error: `one of ${CONDITION_VARIABLES.join(', ')}` }).optional(),
      value: z.string(),
    })
    .superRefine((c, ctx) => exactlyOne(c, ['header', 'cookie', 'argument', 'variable'], ctx, 'a condition'));

const match = () =>
  z
    .object({ conditions: z.array(condition()).min(1), action: action().optional(), splits: splits().optional() })
    .superRefine((m, ctx) => exactlyOne(m, ['action', 'splits'], ctx, 'a match'));

const routePath = () =>
  z
    .string()
    .min(1)
    .superRefine((p, ctx) => {
      if (p.startsWith('~')) return; // a regex (checked when compiled)
      const plain = p.startsWith('=') ? p.slice(1) : p;
      if (!plain.startsWith('/') || /[\s{};]/.test(plain)) {
        ctx.addIssue({ code: 'custom', input: p, message: 'a path: /prefix, =/exact, ~regex or ~*regex (no whitespace, {, } or ;)', params: { expected: 'a path such as /tea, =/green/tea or ~^/decaf/.*\\.jpg$', found: JSON.stringify(p) } });
      }
    });

const route = (subroute: boolean) =>
  z
    .object({
      path: routePath(),
      action: action().optional(),
      splits: splits().optional(),
      matches: z.array(match()).optional(),
      route: z.string().min(1).optional(),
    })
    .superRefine((r, ctx) => {
      exactlyOne(r, subroute ? ['action', 'splits'] : ['action', 'splits', 'route'], ctx, subroute ? 'a subroute' : 'a route');
      if (r.matches !== undefined && r.route !== undefined) ctx.addIssue({ code: 'custom', path: ['matches'], input: r.matches, message: 'matches need the default action or splits, not route' });
    });

const upstream = () =>
  z.object({
    name: z.string().regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, { error: 'a DNS label (RFC 1035) such as tea or upstream-1' }),
    service: z.string().min(1),
    port: port(),
    subselector: z.record(z.string(), z.string()).optional(),
    'lb-method': z.string().min(1).optional(),
    'next-upstream': z.string().optional(),
    'next-upstream-tries': nonNegativeInt().optional(),
    'use-cluster-ip': z.boolean().optional(),
    'max-fails': nonNegativeInt().optional(),
    'fail-timeout': z.string().optional(),
    keepalive: nonNegativeInt().optional(),
  });

const host = () => z.string().regex(HOST, { error: 'a host such as cafe.example.com or *.example.com' });

export const virtualServerSchema = kindSchema(() => z.object({
  apiVersion: z.literal('k8s.nginx.org/v1'),
  kind: z.literal('VirtualServer'),
  metadata: objectMeta(),
  spec: z.object({
    host: host(),
    ingressClassName: z.string().min(1).optional(),
    upstreams: z.array(upstream()).optional(),
    routes: z.array(route(false)).optional(),
  }),
}));

export const virtualServerRouteSchema = kindSchema(() => z.object({
  apiVersion: z.literal('k8s.nginx.org/v1'),
  kind: z.literal('VirtualServerRoute'),
  metadata: objectMeta(),
  spec: z.object({
    host: host(),
    ingressClassName: z.string().min(1).optional(),
    upstreams: z.array(upstream()).optional(),
    subroutes: z.array(route(true)).optional(),
  }),
}));

export type VirtualServerObject = z.output<typeof virtualServerSchema>;
export type VirtualServerRouteObject = z.output<typeof virtualServerRouteSchema>;
export type VsUpstreamObject = NonNullable<VirtualServerObject['spec']['upstreams']>[number];
export type VsRouteObject = NonNullable<VirtualServerObject['spec']['routes']>[number];
export type VsActionObject = NonNullable<VsRouteObject['action']>;
