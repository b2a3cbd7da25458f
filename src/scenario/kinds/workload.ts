/**
 * netsim/v1 Workload: who sends requests to which Service, how (entry point, connections) and how often;
 * and, optionally, how pods serve them (`podBehaviour`, the alternative to `netsim/*` pod annotations).
 * Strict, like every netsim kind.
 */
import { z } from 'zod';
import { describeValue } from '../diagnostics.js';
import { suggest } from '../near-miss.js';
import { RateProfile, RateTraceError, readRateTrace, type RatePoint, type RateProfileSpec } from '../../engine/rate-profile.js';
import { formatQuantity, parseDuration } from '../../engine/units.js';
import {
  bytes,
  currentValueReader,
  distribution,
  duration,
  durationOrNone,
  fail,
  kindSchema,
  nonNegativeInt,
  port,
  positiveInt,
  rate,
  stringMap,
} from '../values.js';
import { HTTP_METHODS } from '../../model/http/request.js';
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

/** A path weight: a positive number, or a percentage written `70%`. */
const weight = () =>
  z.unknown().transform((v, ctx): number => {
    if (typeof v === 'number' && v > 0 && Number.isFinite(v)) return v;
    if (typeof v === 'string') {
      const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v);
      if (m && Number(m[1]) > 0) return Number(m[1]) / 100;
    }
    return fail(ctx, v, { expected: 'a weight above zero, such as 0.7 or 70%' });
  });

const requestPath = () => z.string().regex(/^\//, { error: 'a request path starting with /' });

/** `/app1` | `[/app1, /app2]` (equal weights) | `{/app1: 70%, /app2: 30%}`. */
export type PathsInput = readonly { readonly path: string; readonly weight: number }[];
const pathsSchema = () =>
  z.union(
    [
      requestPath().transform((p): PathsInput => [{ path: p, weight: 1 }]),
      z.array(requestPath()).min(1).transform((ps): PathsInput => ps.map((p) => ({ path: p, weight: 1 }))),
      z
        .record(requestPath(), weight())
        .refine((r) => Object.keys(r).length > 0, { error: 'at least one path' })
        .transform((r): PathsInput => Object.entries(r).map(([path, w]) => ({ path, weight: w }))),
    ],
    { error: 'a path (/app1), a list of paths, or paths with weights ({/app1: 70%, /app2: 30%})' },
  );

/** An HTTP header name (RFC 9110 token). */
const headerName = () => z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { error: 'a header name (letters, digits and -)' });

/**
 * A request class: `{path: /coffee?size=large, method: POST, headers: {x-user: john}, cookies: {...},
 * query: {...}, weight: 20%}` (model/http/request.ts). All requests of the class carry these attributes.
 */
const requestClassSchema = () =>
  z.strictObject({
    path: z.string().regex(/^\//, { error: 'a request path starting with / (optionally with ?query)' }),
    method: z.enum(HTTP_METHODS).optional(),
    headers: z.record(headerName(), z.string()).optional(),
    query: stringMap().optional(),
    cookies: stringMap().optional(),
    weight: weight().optional(),
  });

const ingressTargetSchema = () =>
  z
    .strictObject({
      /** The controller's class (default: the cluster's default controller). */
      className: z.string().min(1).optional(),
      /** The Host header. */
      host: z.string().min(1),
      /** Request paths and their mix (default /): the short form of `requests`. */
      paths: pathsSchema().optional(),
      /** Request classes (path, method, headers, query, cookies) and their mix. */
      requests: z.array(requestClassSchema()).min(1).optional(),
      /** Distinct users (cookies, hashed headers); default 1000. */
      sessions: positiveInt().optional(),
    })
    .superRefine((t, ctx) => {
      if (t.paths !== undefined && t.requests !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['requests'], input: t.requests, message: 'give only one of paths and requests (paths is the short form: requests of method GET with only a path)' });
      }
    });

/**
 * HTTP through a Gateway (gateway.networking.k8s.io/v1): the Gateway by `name` or `namespace/name`, then the
 * request mix as for an ingress controller; `port`: the listener's port when the Gateway has several.
 */
const gatewayTargetSchema = () =>
  z
    .strictObject({
      name: z.string().min(1),
      host: z.string().min(1),
      paths: pathsSchema().optional(),
      requests: z.array(requestClassSchema()).min(1).optional(),
      sessions: positiveInt().optional(),
      port: port().optional(),
    })
    .superRefine((t, ctx) => {
      if (t.paths !== undefined && t.requests !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['requests'], input: t.requests, message: 'give only one of paths and requests (paths is the short form: requests of method GET with only a path)' });
      }
    });

const targetSchema = () =>
  z
    .strictObject({
      /** `name` or `namespace/name`: the Service's address (no DNS). */
      service: z.string().min(1).optional(),
      /** A DNS name the client resolves with cluster DNS before it connects (`web`, `web.shop`, `api.example.com`). */
      host: z.string().min(1).optional(),
      /** HTTP through an ingress controller. */
      ingress: ingressTargetSchema().optional(),
      /** HTTP through a Gateway (Gateway API). */
      gateway: gatewayTargetSchema().optional(),
      /** The Service port's number or name; may be left out when the Service has one port. */
      port: z.union([port(), z.string().min(1)], { error: 'a service port number or name' }).optional(),
      via: z.enum(['loadBalancer', 'nodePort', 'clusterIP', 'externalIP']).optional(),
      nodes: z.array(z.string().min(1)).optional(),
    })
    .superRefine((t, ctx) => {
      const given = (['service', 'host', 'ingress', 'gateway'] as const).filter((k) => t[k] !== undefined);
      if (given.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: given.length > 1 ? [given[1]!] : [],
          input: t,
          message: given.length === 0 ? 'a target needs one of service, host, ingress or gateway' : `give only one of service, host, ingress and gateway (found ${given.join(' and ')})`,
          params: { expected: 'one of service, host, ingress or gateway', found: given.length === 0 ? 'none of them' : given.join(' and ') },
        });
      }
    });

/** How the client resolves names: its own cache, and how it picks among several addresses. */
const dnsClientSchema = () =>
  z.strictObject({
    /** none (glibc), jvm (30 s), ttl (as the answer says), or a duration. */
    cache: z
      .unknown()
      .transform((v, ctx): DnsCacheInput => {
        if (v === 'none' || v === 'jvm' || v === 'ttl') return { kind: v };
        if (typeof v === 'string' || typeof v === 'number') {
          try {
            const d = parseDuration(String(v));
            return d === 0 ? { kind: 'none' } : { kind: 'fixed', ttl: d };
          } catch {
            // fall through
          }
        }
        return fail(ctx, v, { expected: 'none, jvm, ttl or a duration such as 30s' });
      })
      .optional(),
    pick: z.enum(['first', 'random', 'roundRobin']).optional(),
    /** The pod's dnsConfig `ndots`. */
    ndots: nonNegativeInt().max(15).optional(),
  });

export type DnsCacheInput = { readonly kind: 'none' | 'jvm' | 'ttl' } | { readonly kind: 'fixed'; readonly ttl: number };

/** The forms of a rate that varies, and the fields of each. */
const PROFILE_KEYS = ['steps', 'ramp', 'sine', 'trace', 'interpolate'] as const;
const PROFILE_FORMS = ['steps', 'ramp', 'sine', 'trace'] as const;
const STEP_KEYS = ['at', 'rate'] as const;
const RAMP_KEYS = ['from', 'to', 'start', 'end'] as const;
const SINE_KEYS = ['period', 'min', 'max', 'peakAt'] as const;
const RATE_EXPECTED = 'a rate such as 3k/s, or a profile: {steps: [...]}, {ramp: {...}}, {sine: {...}} or {trace: file.csv}';

/** The fields known at a path inside a profile mapping (for "unknown field" messages). */
function profileKeysAt(path: readonly PropertyKey[]): readonly string[] {
  if (path.length === 0) return PROFILE_KEYS;
  if (path[0] === 'steps') return STEP_KEYS;
  if (path[0] === 'ramp') return RAMP_KEYS;
  if (path[0] === 'sine') return SINE_KEYS;
  return [];
}

const fmtTime = (t: number): string => (t === 0 ? '0s' : formatQuantity(t, 'duration'));
const fmtRate = (r: number): string => formatQuantity(r, 'rate');

/** `{steps}`, `{ramp}`, `{sine}` or `{trace[, interpolate]}`: checked, then built into an engine RateProfile. */
const profileSchema = z
  .strictObject({
    /** `[{at: 0s, rate: 1k/s}, {at: 60s, rate: 3k/s}]`: each rate holds until the next step (0 before the first). */
    steps: z.array(z.strictObject({ at: duration(), rate: rate() })).min(1).optional(),
    /** `{from, to, start, end}`: `from` until start (default 0), linear to `to` at end, `to` afterwards. */
    ramp: z.strictObject({ from: rate(), to: rate(), start: duration().optional(), end: duration() }).optional(),
    /** `{period, min, max, peakAt}`: the peak at peakAt (default period/4), the trough half a period away. */
    sine: z.strictObject({ period: duration(), min: rate(), max: rate(), peakAt: duration().optional() }).optional(),
    /** A CSV of `time, rate` rows, relative to the scenario file. */
    trace: z.string().min(1).optional(),
    /** How a trace goes from one row to the next: linear (default) or step. */
    interpolate: z.enum(['linear', 'step']).optional(),
  })
  .transform((o, ctx): RateProfile => {
    const issue = (path: (string | number)[], input: unknown, message: string, params?: { expected: string; found: string }): typeof z.NEVER => {
      ctx.addIssue({ code: 'custom', path, input, message, ...(params ? { params } : {}) });
      return z.NEVER;
    };
    const forms = PROFILE_FORMS.filter((k) => o[k] !== undefined);
    if (forms.length === 0) {
      return issue([], o, 'expected one of steps, ramp, sine or trace, found none of them', { expected: 'one of steps, ramp, sine or trace', found: 'none of them' });
    }
    if (forms.length > 1) return issue([forms[1]!], o[forms[1]!], `give only one of steps, ramp, sine and trace (found ${forms.join(' and ')})`);
    if (o.interpolate !== undefined && o.trace === undefined) return issue(['interpolate'], o.interpolate, 'interpolate applies to a trace only');
    let spec: RateProfileSpec;
    if (o.steps !== undefined) {
      const steps = o.steps;
      for (let i = 1; i < steps.length; i++) {
        if (!(steps[i]!.at > steps[i - 1]!.at)) {
          const expected = `a time after the previous step's (${fmtTime(steps[i - 1]!.at)}): steps ascend`;
          return issue(['steps', i, 'at'], steps[i]!.at, `expected ${expected}, found ${fmtTime(steps[i]!.at)}`, { expected, found: fmtTime(steps[i]!.at) });
        }
      }
      if (!steps.some((p) => p.rate > 0)) {
        return issue(['steps'], steps, 'expected some step with a rate above 0, found only zeros', { expected: 'some step with a rate above 0', found: 'only zeros' });
      }
      spec = { kind: 'steps', steps: steps.map((p): RatePoint => ({ at: p.at, rate: p.rate })) };
    } else if (o.ramp !== undefined) {
      const r = o.ramp;
      const start = r.start ?? 0;
      if (!(r.end > start)) {
        const expected = `an end after start (${fmtTime(start)})`;
        return issue(['ramp', 'end'], r.end, `expected ${expected}, found ${fmtTime(r.end)}`, { expected, found: fmtTime(r.end) });
      }
      if (!(r.from > 0 || r.to > 0)) return issue(['ramp'], r, 'expected a rate above 0 in from or to, found both 0', { expected: 'a rate above 0 in from or to', found: 'both 0' });
      spec = { kind: 'ramp', from: r.from, to: r.to, start, end: r.end };
    } else if (o.sine !== undefined) {
      const s = o.sine;
      if (!(s.period > 0)) return issue(['sine', 'period'], s.period, 'expected a period above 0, found 0', { expected: 'a period above 0', found: '0' });
      if (s.min > s.max) {
        const expected = `a min at most max (${fmtRate(s.max)})`;
        return issue(['sine', 'min'], s.min, `expected ${expected}, found ${fmtRate(s.min)}`, { expected, found: fmtRate(s.min) });
      }
      if (!(s.max > 0)) return issue(['sine', 'max'], s.max, 'expected a max above 0, found 0', { expected: 'a max above 0', found: '0' });
      spec = { kind: 'sine', period: s.period, min: s.min, max: s.max, peakAt: s.peakAt ?? s.period / 4 };
    } else {
      const file = o.trace!;
      const read = currentValueReader();
      if (read === undefined) return issue(['trace'], file, `cannot read ${file}: no file reader (the scenario was given as text)`);
      let contents: string;
      try {
        contents = read(file);
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        const found = `that '${file}' cannot be read: ${reason}`;
        return issue(['trace'], file, `expected a readable trace file, found ${found}`, { expected: 'a readable trace file', found });
      }
      let points: RatePoint[];
      try {
        points = readRateTrace(contents);
      } catch (e) {
        if (!(e instanceof RateTraceError)) throw e;
        return issue(['trace'], file, `${e.line > 0 ? `${file}:${e.line}` : file}: ${e.message}`);
      }
      spec = { kind: 'trace', points, interpolate: o.interpolate ?? 'linear', source: file };
    }
    try {
      return new RateProfile(spec);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      return issue([], o, e.message);
    }
  });

const constantRate = rate();

/**
 * A client's `rate`: a constant (`3k/s`, read exactly as before: a number) or a profile of a rate that
 * varies (a RateProfile). Dispatched by shape so that each form keeps its own precise messages.
 */
const rateOrProfile = () =>
  z.unknown().transform((v, ctx): number | RateProfile => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const r = profileSchema.safeParse(v, { reportInput: true });
      if (r.success) return r.data;
      // zod still runs the checks after an unknown field: "found none of them" would only repeat it.
      const unknownKey = r.error.issues.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0);
      for (const i of r.error.issues) {
        if (unknownKey && i.code === 'custom' && i.path.length === 0) continue;
        if (i.code === 'unrecognized_keys') {
          const known = profileKeysAt(i.path);
          for (const key of i.keys) {
            const hint = suggest(key, known);
            const unknown = `unknown field ${JSON.stringify(key)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}`;
            ctx.addIssue({ code: 'custom', path: [...i.path, key], input: key, message: known.length ? `${unknown}; the fields here are ${known.join(', ')}` : unknown, params: { key: true } });
          }
        } else {
          ctx.addIssue({ ...i, path: [...i.path] } as never);
        }
      }
      return z.NEVER;
    }
    if (typeof v === 'string' || typeof v === 'number') {
      const r = constantRate.safeParse(v, { reportInput: true });
      if (r.success) return r.data;
      for (const i of r.error.issues) ctx.addIssue({ ...i, path: [...i.path] } as never);
      return z.NEVER;
    }
    return fail(ctx, v, { expected: RATE_EXPECTED });
  });

export const clientSchema = z
    .strictObject({
      name: z.string().min(1),
      /** Where the client runs; default external. */
      from: fromSchema().optional(),
      target: targetSchema(),
      /** Open loop, Poisson: a constant rate, or a rate that varies over time (rateOrProfile). */
      rate: rateOrProfile().optional(),
      interarrival: distribution().optional(),
      users: positiveInt().optional(),
      thinkTime: distribution().optional(),
      connection: connectionSchema().optional(),
      sourceIPs: positiveInt().optional(),
      requestSize: bytes().optional(),
      responseSize: bytes().optional(),
      timeout: durationOrNone().optional(),
      retries: nonNegativeInt().optional(),
      dns: dnsClientSchema().optional(),
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

/** A host outside the cluster that clients reach by name (directly, or behind an ExternalName Service). */
const externalHostSchema = z.strictObject({
  host: z.string().min(1),
  /** One-way latency from a node to the host. */
  latency: distribution().optional(),
  serviceTime: distribution().optional(),
  concurrency: positiveInt().optional(),
  queueCapacity: nonNegativeInt().optional(),
  /** TTL of its A record. */
  ttl: duration().optional(),
});

export const workloadSchema = kindSchema(() => z.strictObject({
    apiVersion: z.literal('netsim/v1'),
    kind: z.literal('Workload'),
    metadata: netsimMeta().optional(),
    spec: z.strictObject({
      clients: z.array(clientSchema).min(1),
      podBehaviour: z.array(podBehaviourSchema).optional(),
      externalHosts: z.array(externalHostSchema).optional(),
    }),
  }));

export type WorkloadObject = z.output<typeof workloadSchema>;
export type ClientObject = WorkloadObject['spec']['clients'][number];
export type PodBehaviourObject = NonNullable<WorkloadObject['spec']['podBehaviour']>[number];
export type ExternalHostObject = NonNullable<WorkloadObject['spec']['externalHosts']>[number];
