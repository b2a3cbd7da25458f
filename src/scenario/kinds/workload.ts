/**
 * netsim/v1 Workload: who sends requests to which Service, how (entry point, connections) and how often;
 * and, optionally, how pods serve them (`podBehaviour`, the alternative to `netsim/*` pod annotations).
 * Strict, like every netsim kind.
 */
import { z } from 'zod';
import { describeValue } from '../diagnostics.js';
import { suggest } from '../near-miss.js';
import {
  bytes,
  distribution,
  durationOrNone,
  fail,
  nonNegativeInt,
  port,
  positiveInt,
  rate,
  stringMap,
} from '../values.js';
import { netsimMeta } from './meta.js';

export type From =
  | { readonly kind: 'external'; readonly zone: string | null }
  | { readonly kind: 'pod'; readonly name: string }
  | { readonly kind: 'node'; readonly name: string };

const FROM_EXPECTED = 'external, {zone: <zone>}, {pod: <pod or node>} or {node: <node>}';
const FROM_KEYS = ['zone', 'pod', 'node'] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `external` | `{zone: a}` (external, entering in zone a) | `{pod: name}` | `{node: name}`. */
const fromSchema = () =>
  z.unknown().transform((v, ctx): From => {
    if (v === 'external') return { kind: 'external', zone: null };
    if (!isObject(v)) {
      const hint = typeof v === 'string' ? suggest(v, ['external']) : undefined;
      return fail(ctx, v, { expected: FROM_EXPECTED, ...(hint ? { hint: 'did you mean "external"?' } : {}) });
    }
    const keys = Object.keys(v);
    const unknown = keys.filter((k) => !(FROM_KEYS as readonly string[]).includes(k));
    for (const k of unknown) {
      const hint = suggest(k, FROM_KEYS);
      ctx.addIssue({ code: 'custom', path: [k], input: v[k], message: `unknown field ${JSON.stringify(k)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}`, params: { key: true } });
    }
    const known = keys.filter((k) => !unknown.includes(k));
    if (unknown.length > 0) return z.NEVER;
    if (known.length !== 1) return fail(ctx, v, { expected: `exactly one of zone, pod or node`, found: known.length ? known.join(' and ') : 'an empty mapping' });
    const k = known[0] as (typeof FROM_KEYS)[number];
    const name = v[k];
    if (typeof name !== 'string' || name === '') {
      ctx.addIssue({ code: 'custom', path: [k], input: name, message: `expected a ${k} name, found ${describeValue(name)}`, params: { expected: `a ${k} name`, found: describeValue(name) } });
      return z.NEVER;
    }
    return k === 'zone' ? { kind: 'external', zone: name } : { kind: k, name };
  });

export type ConnectionInput =
  | { readonly kind: 'per-request' }
  | { readonly kind: 'keep-alive'; readonly requestsPerConnection: number | undefined }
  | { readonly kind: 'pool'; readonly connections: number | undefined };

const CONNECTION_EXPECTED = 'perRequest, keepAlive, {keepAlive: {requestsPerConnection: N}} or {pool: {connections: N}}';

/** `perRequest` | `keepAlive` | `{keepAlive: {requestsPerConnection}}` | `{pool: {connections}}`. */
const connectionSchema = () =>
  z.union(
    [
      z.literal('perRequest').transform((): ConnectionInput => ({ kind: 'per-request' })),
      z.literal('keepAlive').transform((): ConnectionInput => ({ kind: 'keep-alive', requestsPerConnection: undefined })),
      z.strictObject({ perRequest: z.null().or(z.strictObject({})) }).transform((): ConnectionInput => ({ kind: 'per-request' })),
      z
        .strictObject({ keepAlive: z.strictObject({ requestsPerConnection: positiveInt().optional() }).nullable() })
        .transform((o): ConnectionInput => ({ kind: 'keep-alive', requestsPerConnection: o.keepAlive?.requestsPerConnection })),
      z
        .strictObject({ pool: z.strictObject({ connections: positiveInt().optional() }).nullable() })
        .transform((o): ConnectionInput => ({ kind: 'pool', connections: o.pool?.connections })),
    ],
    { error: CONNECTION_EXPECTED },
  );

const targetSchema = () =>
  z.strictObject({
    /** `name` or `namespace/name`. */
    service: z.string().min(1),
    /** The Service port's number or name; may be left out when the Service has one port. */
    port: z.union([port(), z.string().min(1)], { error: 'a service port number or name' }).optional(),
    via: z.enum(['loadBalancer', 'nodePort', 'clusterIP', 'externalIP']).optional(),
    nodes: z.array(z.string().min(1)).optional(),
  });

export const clientSchema = z
    .strictObject({
      name: z.string().min(1),
      /** Where the client runs; default external. */
      from: fromSchema().optional(),
      target: targetSchema(),
      rate: rate().optional(),
      interarrival: distribution().optional(),
      users: positiveInt().optional(),
      thinkTime: distribution().optional(),
      connection: connectionSchema().optional(),
      sourceIPs: positiveInt().optional(),
      requestSize: bytes().optional(),
      responseSize: bytes().optional(),
      timeout: durationOrNone().optional(),
      retries: nonNegativeInt().optional(),
    })
    .superRefine((c, ctx) => {
      const given = (['rate', 'interarrival', 'users'] as const).filter((k) => c[k] !== undefined);
      if (given.length === 0) {
        ctx.addIssue({ code: 'custom', path: [], input: c, message: 'a client needs a load: rate (open loop), interarrival (open loop) or users (closed loop)', params: { expected: 'one of rate, interarrival or users', found: 'none of them' } });
      } else if (given.length > 1) {
        ctx.addIssue({ code: 'custom', path: [given[1]!], input: c[given[1]!], message: `give only one of rate, interarrival and users (found ${given.join(' and ')})` });
      }
      if (c.thinkTime !== undefined && c.users === undefined) {
        ctx.addIssue({ code: 'custom', path: ['thinkTime'], input: undefined, message: 'thinkTime applies to closed-loop clients only (set users)' });
      }
      if (c.rate === 0) {
        ctx.addIssue({ code: 'custom', path: ['rate'], input: 0, message: 'expected a rate above zero, found 0', params: { expected: 'a rate above zero', found: '0' } });
      }
    });

const podBehaviourSchema = z.strictObject({
    /** Pods whose labels include all of these (same namespace as given, any when absent). */
    selector: stringMap(),
    namespace: z.string().min(1).optional(),
    serviceTime: distribution().optional(),
    concurrency: positiveInt().optional(),
    queueCapacity: nonNegativeInt().optional(),
    speed: z.number().positive().optional(),
  });

export const workloadSchema = z.strictObject({
    apiVersion: z.literal('netsim/v1'),
    kind: z.literal('Workload'),
    metadata: netsimMeta().optional(),
    spec: z.strictObject({
      clients: z.array(clientSchema).min(1),
      podBehaviour: z.array(podBehaviourSchema).optional(),
    }),
  });

export type WorkloadObject = z.output<typeof workloadSchema>;
export type ClientObject = WorkloadObject['spec']['clients'][number];
export type PodBehaviourObject = NonNullable<WorkloadObject['spec']['podBehaviour']>[number];
