/**
 * Behaviour carried by annotations, so that one file can be applied to a real cluster and simulated:
 *
 * Pod (or pod template) annotations:
 *   netsim/service-time: "lognormal(median=3ms, p99=40ms)"   distribution of one request's service time
 *   netsim/concurrency: "8"                                    requests served at once
 *   netsim/queue-capacity: "1024"                              requests that may wait beyond those
 *   netsim/speed: "1.5"                                        service times are divided by this
 *   netsim/ready: "false"                                      not ready (not an endpoint, unless published)
 *   netsim/weight: "2"                                         weight for an ingress controller's round robin
 *   netsim/startup-time: "lognormal(median=2s, p99=5s)"        creation to containers started (timelines)
 *   netsim/prestop: "15s"                                      how long the preStop hook takes (over the spec's)
 *   netsim/shutdown: graceful | immediate                      what the app does on SIGTERM
 *   netsim/cpu-per-request: "30%" | "0.3" | "2ms"              CPU a request uses (HPA): a share of its
 *                                                              service time, or a mean CPU time (default 100 %)
 *   netsim/error-rate: "100%" | "0.05"                         share of requests the pod answers with a 500
 *
 * Service annotations (the load balancer in front of a LoadBalancer Service):
 *   netsim/load-balancer: instance | ip | metallb-l2
 *   netsim/load-balancer-zones: "us-east-1a,us-east-1b"
 *   service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip | instance
 *   service.beta.kubernetes.io/aws-load-balancer-type: nlb-ip (ip targets) | external | nlb
 *   service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled: "true" | "false"
 *   service.beta.kubernetes.io/aws-load-balancer-attributes: load_balancing.cross_zone.enabled=true
 *   service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval / -healthy-threshold / -unhealthy-threshold
 *   service.kubernetes.io/topology-mode: Auto   (and the older topology-aware-hints: auto)
 *
 * Values are strings in Kubernetes; a bare number in YAML is read but earns a warning, since the API
 * server would refuse it.
 */
import type { Distribution } from '../engine/distributions/index.js';
import { parseDistribution } from '../engine/distributions/index.js';
import { parseDuration } from '../engine/units.js';
import type { LoadBalancerClientRouting, LoadBalancerKind } from '../model/spec.js';
import { suggest } from './near-miss.js';
import type { Problems } from './problems.js';
import type { Resource } from './resource.js';
import type { FieldPath } from './source-map.js';
import type { ValueEnv } from './values.js';

export const POD_ANNOTATIONS = {
  serviceTime: 'netsim/service-time',
  concurrency: 'netsim/concurrency',
  queueCapacity: 'netsim/queue-capacity',
  speed: 'netsim/speed',
  ready: 'netsim/ready',
  weight: 'netsim/weight',
  startupTime: 'netsim/startup-time',
  preStop: 'netsim/prestop',
  shutdown: 'netsim/shutdown',
  cpuPerRequest: 'netsim/cpu-per-request',
  errorRate: 'netsim/error-rate',
} as const;

export const SERVICE_ANNOTATIONS = {
  loadBalancer: 'netsim/load-balancer',
  loadBalancerZones: 'netsim/load-balancer-zones',
  awsTargetType: 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type',
  awsType: 'service.beta.kubernetes.io/aws-load-balancer-type',
  awsCrossZone: 'service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled',
  awsAttributes: 'service.beta.kubernetes.io/aws-load-balancer-attributes',
  awsHealthInterval: 'service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval',
  awsHealthy: 'service.beta.kubernetes.io/aws-load-balancer-healthcheck-healthy-threshold',
  awsUnhealthy: 'service.beta.kubernetes.io/aws-load-balancer-healthcheck-unhealthy-threshold',
  topologyMode: 'service.kubernetes.io/topology-mode',
  topologyHints: 'service.kubernetes.io/topology-aware-hints',
} as const;

export interface BehaviourAnnotations {
  serviceTime?: Distribution;
  concurrency?: number;
  queueCapacity?: number;
  speed?: number;
  ready?: boolean;
  weight?: number;
  startupTime?: Distribution;
  preStop?: number;
  shutdown?: 'graceful' | 'immediate';
  /** `netsim/cpu-per-request`: a share of the service time, or a mean CPU time per request (seconds). */
  cpuPerRequest?: { readonly kind: 'share' | 'time'; readonly value: number };
  /** `netsim/error-rate`: the share of requests answered with a 500 (0..1). */
  errorRate?: number;
}

export interface ServiceAnnotations {
  loadBalancerKind?: LoadBalancerKind;
  crossZone?: boolean;
  /** `dns_record.client_routing_policy` of the NLB's attributes. */
  clientRouting?: LoadBalancerClientRouting;
  zones?: string[];
  healthCheckInterval?: number;
  healthyThreshold?: number;
  unhealthyThreshold?: number;
  topologyModeAuto: boolean;
}

/** Reads annotation values at `path` (the annotations mapping) of `res`, reporting problems in place. */
class AnnotationReader {
  constructor(
    private readonly res: Resource,
    private readonly path: FieldPath,
    private readonly problems: Problems,
    readonly values: Readonly<Record<string, string>>,
  ) {}

  at(key: string): FieldPath {
    return [...this.path, key];
  }

  /** Warns about non-string YAML values (the API server only takes strings). */
  checkStrings(raw: unknown): void {
    if (!raw || typeof raw !== 'object') return;
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof v !== 'string' && (k.startsWith('netsim/') || k.startsWith('service.'))) {
        this.problems.warn(this.res, this.at(k), {
          expected: 'a string',
          found: String(v),
          message: `Kubernetes annotation values are strings; quote it: "${String(v)}"`,
        });
      }
    }
  }

  int(key: string, min: number): number | undefined {
    const v = this.values[key];
    if (v === undefined) return undefined;
    const t = v.trim();
    if (!/^\d+$/.test(t) || Number(t) < min) {
      this.problems.error(this.res, this.at(key), { expected: `a whole number >= ${min}, such as "${Math.max(min, 8)}"`, found: JSON.stringify(v) });
      return undefined;
    }
    return Number(t);
  }

  positive(key: string): number | undefined {
    const v = this.values[key];
    if (v === undefined) return undefined;
    const n = Number(v.trim());
    if (v.trim() === '' || !Number.isFinite(n) || n <= 0) {
      this.problems.error(this.res, this.at(key), { expected: 'a number above zero, such as "1.5"', found: JSON.stringify(v) });
      return undefined;
    }
    return n;
  }

  bool(key: string): boolean | undefined {
    const v = this.values[key];
    if (v === undefined) return undefined;
    const t = v.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
    this.problems.error(this.res, this.at(key), { expected: '"true" or "false"', found: JSON.stringify(v) });
    return undefined;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const v = this.values[key];
    if (v === undefined) return undefined;
    if ((allowed as readonly string[]).includes(v.trim())) return v.trim() as T;
    const hint = suggest(v.trim(), allowed);
    this.problems.error(this.res, this.at(key), {
      expected: allowed.map((a) => `"${a}"`).join(' or '),
      found: JSON.stringify(v),
      ...(hint ? { message: `did you mean "${hint}"?` } : {}),
    });
    return undefined;
  }

  distribution(key: string, env: ValueEnv): Distribution | undefined {
    const v = this.values[key];
    if (v === undefined) return undefined;
    return this.problems.parse(this.res, this.at(key), v, (text) =>
      parseDistribution(text, { expect: 'duration', ...(env.readFile ? { readFile: env.readFile } : {}) }),
    );
  }

  /** A share (`0.3`, `30%`) or a duration (`2ms`): what a request uses of CPU. */
  cpuPerRequest(key: string): { kind: 'share' | 'time'; value: number } | undefined {
    const v = this.values[key];
    if (v === undefined) return undefined;
    const t = v.trim();
    const pct = /^(\d+(?:\.\d*)?|\.\d+)\s*%$/.exec(t);
    const share = pct ? Number(pct[1]) / 100 : /^(\d+(?:\.\d*)?|\.\d+)$/.test(t) ? Number(t) : NaN;
    if (share === share) {
      if (share > 0) return { kind: 'share', value: share };
    } else {
      const d = this.problems.parse(this.res, this.at(key), v, parseDuration);
      if (d === undefined) return undefined;
      if (d > 0) return { kind: 'time', value: d };
    }
    this.problems.error(this.res, this.at(key), { expected: 'a share of the service time such as "30%" or "0.3", or a CPU time such as "2ms", above zero', found: JSON.stringify(v) });
    return undefined;
  }

  /** A share in [0, 1]: `0.05` or `5%`. */
  share(key: string): number | undefined {
    const v = this.values[key];
    if (v === undefined) return undefined;
    const t = v.trim();
    const pct = /^(\d+(?:\.\d*)?|\.\d+)\s*%$/.exec(t);
    const share = pct ? Number(pct[1]) / 100 : /^(\d+(?:\.\d*)?|\.\d+)$/.test(t) ? Number(t) : NaN;
    if (share >= 0 && share <= 1) return share;
    this.problems.error(this.res, this.at(key), { expected: 'a share from 0 to 1, such as "0.05" or "5%"', found: JSON.stringify(v) });
    return undefined;
  }

  duration(key: string): number | undefined {
    const v = this.values[key];
    if (v === undefined) return undefined;
    return this.problems.parse(this.res, this.at(key), v, parseDuration);
  }

  /** Warns about `netsim/...` keys that are not ours: almost always a typo. */
  unknownNetsimKeys(known: readonly string[]): void {
    for (const k of Object.keys(this.values)) {
      if (!k.startsWith('netsim/') || known.includes(k)) continue;
      const hint = suggest(k, known);
      this.problems.warn(this.res, this.at(k), `unknown annotation "${k}" is ignored${hint ? ` (did you mean "${hint}"?)` : ''}`, { key: true });
    }
  }
}

export function readPodAnnotations(
  res: Resource,
  path: FieldPath,
  annotations: Readonly<Record<string, string>> | undefined,
  raw: unknown,
  problems: Problems,
  env: ValueEnv,
): BehaviourAnnotations {
  if (!annotations) return {};
  const r = new AnnotationReader(res, path, problems, annotations);
  r.checkStrings(raw);
  r.unknownNetsimKeys([...Object.values(POD_ANNOTATIONS), ...Object.values(SERVICE_ANNOTATIONS).filter((k) => k.startsWith('netsim/'))]);
  const out: BehaviourAnnotations = {};
  const serviceTime = r.distribution(POD_ANNOTATIONS.serviceTime, env);
  if (serviceTime) out.serviceTime = serviceTime;
  const concurrency = r.int(POD_ANNOTATIONS.concurrency, 1);
  if (concurrency !== undefined) out.concurrency = concurrency;
  const queue = r.int(POD_ANNOTATIONS.queueCapacity, 0);
  if (queue !== undefined) out.queueCapacity = queue;
  const speed = r.positive(POD_ANNOTATIONS.speed);
  if (speed !== undefined) out.speed = speed;
  const ready = r.bool(POD_ANNOTATIONS.ready);
  if (ready !== undefined) out.ready = ready;
  const weight = r.positive(POD_ANNOTATIONS.weight);
  if (weight !== undefined) out.weight = weight;
  const startup = r.distribution(POD_ANNOTATIONS.startupTime, env);
  if (startup) out.startupTime = startup;
  const preStop = r.duration(POD_ANNOTATIONS.preStop);
  if (preStop !== undefined) out.preStop = preStop;
  const shutdown = r.oneOf(POD_ANNOTATIONS.shutdown, ['graceful', 'immediate'] as const);
  if (shutdown) out.shutdown = shutdown;
  const cpu = r.cpuPerRequest(POD_ANNOTATIONS.cpuPerRequest);
  if (cpu) out.cpuPerRequest = cpu;
  const errorRate = r.share(POD_ANNOTATIONS.errorRate);
  if (errorRate !== undefined) out.errorRate = errorRate;
  return out;
}

export function readServiceAnnotations(
  res: Resource,
  path: FieldPath,
  annotations: Readonly<Record<string, string>> | undefined,
  raw: unknown,
  problems: Problems,
): ServiceAnnotations {
  const out: ServiceAnnotations = { topologyModeAuto: false };
  if (!annotations) return out;
  const A = SERVICE_ANNOTATIONS;
  const r = new AnnotationReader(res, path, problems, annotations);
  r.checkStrings(raw);
  r.unknownNetsimKeys([...Object.values(A).filter((k) => k.startsWith('netsim/')), ...Object.values(POD_ANNOTATIONS)]);

  // Target type: the AWS annotations first, then netsim's own, which wins.
  const awsType = annotations[A.awsType]?.trim();
  if (awsType === 'nlb-ip') out.loadBalancerKind = 'ip';
  else if (awsType === 'external' || awsType === 'nlb') out.loadBalancerKind = 'instance';
  const target = r.oneOf(A.awsTargetType, ['ip', 'instance'] as const);
  if (target) out.loadBalancerKind = target;
  const kind = r.oneOf(A.loadBalancer, ['instance', 'ip', 'metallb-l2'] as const);
  if (kind) out.loadBalancerKind = kind;

  const cross = r.bool(A.awsCrossZone);
  if (cross !== undefined) out.crossZone = cross;
  const attrs = annotations[A.awsAttributes];
  if (attrs !== undefined) {
    for (const item of attrs.split(',')) {
      const [k, v] = item.split('=').map((s) => s.trim());
      if (k === 'load_balancing.cross_zone.enabled') {
        if (v === 'true' || v === 'false') out.crossZone = v === 'true';
        else problems.error(res, r.at(A.awsAttributes), { expected: 'load_balancing.cross_zone.enabled=true or =false', found: JSON.stringify(item.trim()) });
      } else if (k === 'dns_record.client_routing_policy') {
        const policy = { any_availability_zone: 'any-zone', availability_zone_affinity: 'zonal-affinity', partial_availability_zone_affinity: 'partial-zonal-affinity' } as const;
        if (v !== undefined && Object.hasOwn(policy, v)) out.clientRouting = policy[v as keyof typeof policy];
        else problems.error(res, r.at(A.awsAttributes), { expected: 'dns_record.client_routing_policy=any_availability_zone, availability_zone_affinity or partial_availability_zone_affinity', found: JSON.stringify(item.trim()) });
      }
    }
  }
  const zones = annotations[A.loadBalancerZones];
  if (zones !== undefined) out.zones = zones.split(',').map((z) => z.trim()).filter((z) => z !== '');

  const interval = r.int(A.awsHealthInterval, 1);
  if (interval !== undefined) out.healthCheckInterval = interval;
  const healthy = r.int(A.awsHealthy, 1);
  if (healthy !== undefined) out.healthyThreshold = healthy;
  const unhealthy = r.int(A.awsUnhealthy, 1);
  if (unhealthy !== undefined) out.unhealthyThreshold = unhealthy;

  const mode = annotations[A.topologyMode] ?? annotations[A.topologyHints];
  if (mode !== undefined) out.topologyModeAuto = mode.trim().toLowerCase() === 'auto';
  return out;
}
