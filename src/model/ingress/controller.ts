/**
 * Ingress controllers at run time: which pods are controllers, the upstreams (Ingress backends) they send
 * to with their balancers, the routes of each client's request mix, and the upstream keep-alive pools that
 * `service-upstream` uses. The data path (datapath.ts) moves requests; this file decides.
 *
 * Upstreams. By default a backend's upstream is the list of its Service's *ready* endpoints (EndpointSlices,
 * not-ready skipped), balanced per request (balancer.ts); no kube-proxy on the way. With
 * `service-upstream: "true"` the upstream is the Service's cluster IP: each worker keeps a pool of idle
 * keep-alive connections per upstream (LIFO, as nginx's `keepalive` cache), a request takes the most
 * recently idle one or opens one, and kube-proxy on the controller's node picks the endpoint per *new*
 * upstream connection (with its per-connection cost); a connection is closed after
 * `upstream-keepalive-requests` requests. That is L4 balancing behind an L7 proxy: with few, long-lived
 * upstream connections, few pods take the load. Sticky sessions, hashing and retries do not apply then.
 *
 * Two Ingresses naming the same Service are two upstreams here, each with its own annotations
 * (ingress-nginx would merge them into one upstream named after the Service).
 */
import type { Rng } from '../../engine/random.js';
import type { RandomStreams } from '../../engine/random.js';
import type { Seconds } from '../../engine/time.js';
import { serviceKey, type ClusterIndex } from '../cluster-index.js';
import { computeEndpoints } from '../endpoints/compute-endpoints.js';
import { fnv1a32, mix32 } from '../hash.js';
import { requestUri } from '../http/request.js';
import { createServiceProxy } from '../proxy/index.js';
import type { Endpoint, ServiceProxy } from '../routing.js';
import type {
  ClientSpec,
  IngressBalancing,
  IngressControllerKind,
  IngressControllerSpec,
  KongUpstreamPolicySpec,
  ModelSpec,
  ServicePortSpec,
  ServiceSpec,
  UpstreamHashKey,
  VirtualServerAction,
} from '../spec.js';
import { Affinity, HashBy, type BalancerConfig, type UpstreamBalancer } from './balancer.js';
import { IngressNginxBalancer } from './ingress-nginx.js';
import { KongBalancer, KONG_SLOTS, kongClassKey } from './kong.js';
import { NginxIncBalancer } from './nginx-inc.js';
import { ControllerRouter } from './router.js';
import { GatewayUpstreams, gatewayFronts, gatewaySlotPods } from '../gateway/upstreams.js';

/** NGINX Ingress Controller `max-fails` and `fail-timeout` defaults (ConfigMap: 1 and 10s). */
export const NGINX_MAX_FAILS = 1;
export const NGINX_FAIL_TIMEOUT: Seconds = 10;

/** The balancer of one upstream, by the controller's implementation. */
export function createUpstreamBalancer(kind: IngressControllerKind, config: BalancerConfig): UpstreamBalancer {
  switch (kind) {
    case 'ingress-nginx':
      return new IngressNginxBalancer(config);
    case 'nginx-inc':
      return new NginxIncBalancer(config);
    case 'kong':
      return new KongBalancer(config);
  }
}

/** The /24 of an IPv4 address as a 24-bit number (0 for anything else). */
function net24(ip: string): number {
  const parts = ip.split('.').map(Number);
  return parts.length === 4 ? ((parts[0]! << 16) | (parts[1]! << 8) | parts[2]!) >>> 0 : 0;
}

/** One upstream: an Ingress backend (Ingress, Service, port). */
export interface Upstream {
  /** `namespace/name` of the Ingress, the Service, and the Service port as written. */
  readonly ingress: string;
  readonly service: string;
  readonly port: number | string;
  readonly algorithm: string;
  readonly endpoints: readonly Endpoint[];
  readonly balancer: UpstreamBalancer;
  /** kube-proxy's chooser for the Service (service-upstream), else null. */
  readonly proxy: ServiceProxy | null;
  /** Tries per request, the first included (proxy-next-upstream-tries; 1 with service-upstream). */
  readonly tries: number;
  /** Kong consistent hashing on a request attribute: each class's key is in `HttpClient.uriHash` / `hashMode`. */
  readonly hashByClass: boolean;
}

/** A client's request mix (its request classes), resolved against the routes at set-up. */
export interface HttpClient {
  /** Cumulative class weights (last = 1). */
  readonly cumulative: Float64Array;
  /**
   * Route of each class: the upstream (≥ 0); −1 when nothing matches (404) or the action is not a proxy
   * (a VirtualServer `return` or `redirect`); ≤ −2 the weighted split group `−2 − route` (`splits`).
   */
  readonly routes: Int32Array;
  /**
   * Hash key of each class for its upstream: the request URI's hash (`$request_uri`), or for a Kong
   * upstream hashing per class (KongUpstreamPolicy header, cookie, query argument) that value's hash.
   */
  readonly uriHash: Uint32Array;
  /** Per class, what a `HashBy.Class` balancer hashes: `HashBy.Uri` (the key above), `RemoteAddr` or `Session`. */
  readonly hashMode: Uint8Array;
  readonly sessions: number;
  /** First global session index of the client (sessions are numbered across clients). */
  readonly sessionBase: number;
  readonly rng: Rng;
  /** Draws among split upstreams (a stream of its own, so that splits leave the other draws alone). */
  readonly splitRng: Rng;
}

/** Weighted splits of a route: cumulative weights and their upstreams (−1: not proxied). */
interface SplitGroup {
  readonly cumulative: Float64Array;
  readonly upstreams: Int32Array;
}

export class IngressRuntime {
  /** Controller slot of each pod, −1 for pods that are not ingress controller pods. */
  readonly podCtrl: Int32Array;
  readonly ctrlPod: Int32Array;
  /** Node of each controller pod; the data path refreshes it as a request arrives (a timeline places pods later). */
  readonly ctrlNode: Int32Array;
  readonly ctrlWorkers: Int32Array;
  readonly ctrlRng: Rng[];
  /** Source address index kube-proxy sees for a controller pod's upstream connections. */
  readonly ctrlSourceIp: Int32Array;
  readonly upstreams: Upstream[] = [];
  readonly clients: (HttpClient | null)[];
  /** Gateway API upstreams (gateway/upstreams.ts): their retry policies and deadlines; null without Gateways. */
  readonly gateway: GatewayUpstreams | null;
  private readonly splits: SplitGroup[] = [];
  private readonly keepaliveRequests: Int32Array;
  private readonly workersMax: number;

  // service-upstream keep-alive connections: endpoint and requests served, in pools per (upstream, controller, worker).
  private upEp: Int32Array = new Int32Array(64);
  private upServed: Int32Array = new Int32Array(64);
  private upFree: number[] = [];
  private upUsed = 0;
  private readonly pools = new Map<number, number[]>();
  /** Set by `acquire`: whether it opened a new upstream connection. */
  // Stryker disable next-line BooleanLiteral: acquire sets it before anyone reads it
  opened = false;
  /** Set by `release`: whether it closed the connection. */
  // Stryker disable next-line BooleanLiteral: release sets it before anyone reads it
  closed = false;

  constructor(spec: ModelSpec, index: ClusterIndex, streams: RandomStreams, sourceIpBase: number) {
    const controllers = spec.ingressControllers ?? [];
    // Stryker disable next-line ArrayDeclaration: a stray string has no className, so no controller class takes it
    const ingresses = spec.ingresses ?? [];
    this.podCtrl = new Int32Array(index.podCount).fill(-1);
    const pods: number[] = [];
    const workers: number[] = [];
    const keepalive: number[] = [];
    // Gateways' pods are L7 proxies too: they take controller slots after the ingress controllers'.
    for (const ctrl of [...controllers, ...gatewayFronts(spec)]) {
      const svc = spec.services.find((s) => serviceKey(s.namespace, s.name) === ctrl.service);
      if (svc === undefined) throw new Error(`ingress controller '${ctrl.className}': unknown service '${ctrl.service}'`);
      for (const port of svc.ports.slice(0, 1)) {
        for (const ep of computeEndpoints(svc, port, index)) {
          if (this.podCtrl[ep.pod]! >= 0) continue;
          this.podCtrl[ep.pod] = pods.length;
          pods.push(ep.pod);
          workers.push(ctrl.workers);
          keepalive.push(ctrl.upstreamKeepaliveRequests);
        }
      }
    }
    // A timeline's future Gateway pods (Pending slots) are proxies too, from the moment they accept.
    for (const g of gatewaySlotPods(spec, index)) {
      if (this.podCtrl[g.pod]! >= 0) continue;
      this.podCtrl[g.pod] = pods.length;
      pods.push(g.pod);
      workers.push(g.workers);
      keepalive.push(1);
    }
    this.ctrlPod = Int32Array.from(pods);
    this.ctrlNode = Int32Array.from(pods, (p) => index.podNode[p]!);
    this.ctrlWorkers = Int32Array.from(workers);
    this.keepaliveRequests = Int32Array.from(keepalive);
    this.ctrlRng = pods.map((p) => streams.stream(`ingress/${index.podKeys[p]}/balancer`));
    this.ctrlSourceIp = Int32Array.from(pods, (_, k) => sourceIpBase + k);
    this.workersMax = Math.max(1, ...workers);
    const K = pods.length;

    // Sessions are numbered across the HTTP clients.
    const sessionBase: number[] = [];
    let sessions = 0;
    for (const c of spec.clients) {
      sessionBase.push(sessions);
      if (c.http) sessions += c.http.sessions;
    }

    const upstreamIndex = new Map<string, number>();
    const policies = spec.kongUpstreamPolicies ?? {};
    /** The upstream of a backend: `owner` names the resource (`Ingress ns/name`), `key` makes it unique. */
    const upstreamFor = (key: string, owner: { namespace: string; name: string }, ref: { service: string; port: number | string }, bal: IngressBalancing, ctrl: IngressControllerSpec): number => {
      const known = upstreamIndex.get(key);
      if (known !== undefined) return known;
      const svc = spec.services.find((s) => s.namespace === owner.namespace && s.name === ref.service);
      const port = svc ? findPort(svc, ref.port) : undefined;
      const kind = ctrl.implementation ?? 'ingress-nginx';
      const policy: KongUpstreamPolicySpec | undefined = kind === 'kong' ? policies[serviceKey(owner.namespace, ref.service)] : undefined;
      const serviceUpstream = bal.serviceUpstream;
      const endpoints = svc && port ? computeEndpoints(svc, port, index).filter((e) => e.ready) : [];
      let algorithm = bal.loadBalance ?? ctrl.loadBalance;
      // ingress-nginx has round_robin and ewma only; any other name falls back to round_robin (balancer.lua).
      if (kind === 'ingress-nginx' && algorithm !== 'ewma') algorithm = 'round_robin';
      // Kong: the Service's KongUpstreamPolicy, when it has one, replaces the controller-wide algorithm.
      if (policy !== undefined) algorithm = policy.algorithm === 'least_conn' || policy.algorithm === 'latency' ? policy.algorithm : 'round_robin';
      const hashKeyOf = (h: UpstreamHashKey | null | undefined): number =>
        h === null || h === undefined ? HashBy.None : h.kind === 'uri' ? HashBy.Uri : h.kind === 'remote-addr' ? HashBy.RemoteAddr : HashBy.Session;
      const hashBy = serviceUpstream
        ? HashBy.None
        : kind === 'kong'
          ? policy === undefined
            ? hashKeyOf(ctrl.hashOn)
            : policy.algorithm === 'consistent_hashing' && policy.hashOn !== null
              ? HashBy.Class
              : HashBy.None
          : hashKeyOf(bal.upstreamHashBy);
      const sticky = policy?.algorithm === 'sticky_sessions';
      const affinity = serviceUpstream ? Affinity.None : bal.affinity === null ? (sticky ? Affinity.Persistent : Affinity.None) : bal.affinity === 'balanced' ? Affinity.Balanced : Affinity.Persistent;
      const ids = endpoints.map((e) => `${spec.pods[e.pod]!.ip}:${e.port}`);
      // ingress-nginx (`util.get_nodes`) and the NGINX Ingress Controller write weight 1 for every endpoint;
      // Kong targets carry weights (100 each from the controller; `netsim/weight` stands for hand-set ones).
      const weights = endpoints.map((e) => (kind === 'kong' ? spec.pods[e.pod]!.weight ?? 1 : 1));
      const tries = serviceUpstream ? 1 : bal.nextUpstreamTries > 0 ? bal.nextUpstreamTries : Math.max(1, endpoints.length);
      const config: BalancerConfig = {
        ids,
        weights,
        algorithm,
        hashBy,
        hashConsistent: bal.hashConsistent ?? false,
        affinity,
        controllers: K,
        workers: this.workersMax,
        sessions,
        rngs: this.ctrlRng,
        nodeNet24: Int32Array.from(spec.nodes, (n) => net24(n.ip)),
        maxFails: bal.maxFails ?? ctrl.maxFails ?? NGINX_MAX_FAILS,
        failTimeout: bal.failTimeout ?? ctrl.failTimeout ?? NGINX_FAIL_TIMEOUT,
        slots: policy?.slots ?? KONG_SLOTS,
      };
      const u: Upstream = {
        ingress: `${owner.namespace}/${owner.name}`,
        service: `${owner.namespace}/${ref.service}`,
        port: ref.port,
        algorithm: sticky
          ? 'sticky-sessions'
          : affinity !== Affinity.None
          ? `cookie-${bal.affinity}`
          : hashBy !== HashBy.None
            ? kind === 'nginx-inc' && !(bal.hashConsistent ?? false) ? 'hash' : 'chash'
            : serviceUpstream ? 'service-upstream' : algorithm,
        endpoints,
        balancer: createUpstreamBalancer(kind, config),
        proxy: serviceUpstream && svc && port ? createServiceProxy(svc, port, index, streams) : null,
        tries,
        hashByClass: hashBy === HashBy.Class,
      };
      this.upstreams.push(u);
      upstreamIndex.set(key, this.upstreams.length - 1);
      return this.upstreams.length - 1;
    };

    // Stryker disable next-line ArrayDeclaration: a stray string has no className, so no controller class takes it
    const servers = spec.virtualServers ?? [];
    /** A VirtualServer action's upstream: −1 when it does not proxy. */
    const vsUpstream = (vsIdx: number, name: string | null, ctrl: IngressControllerSpec): number => {
      const vs = servers[vsIdx]!;
      const up = name === null ? undefined : vs.upstreams.find((x) => x.name === name);
      if (up === undefined) return -1;
      return upstreamFor(`vs${vsIdx}|${up.name}`, { namespace: up.namespace, name: vs.name }, { service: up.service, port: up.port }, up.balancing, ctrl);
    };
    const vsRoute = (vsIdx: number, action: VirtualServerAction, ctrl: IngressControllerSpec): number => {
      if (action.kind === 'none') return -1;
      if (action.kind === 'pass') return vsUpstream(vsIdx, action.upstream, ctrl);
      const total = action.splits.reduce((a, x) => a + x.weight, 0);
      let acc = 0;
      const cumulative = Float64Array.from(action.splits, (x) => (acc += total > 0 ? x.weight / total : 0));
      // Stryker disable next-line ArithmeticOperator: upstreamOf's loop stops before the last entry, so its value cannot change a draw
      cumulative[cumulative.length - 1] = 1;
      this.splits.push({ cumulative, upstreams: Int32Array.from(action.splits, (x) => vsUpstream(vsIdx, x.upstream, ctrl)) });
      return -1 - this.splits.length;
    };

    const gateway = (this.gateway =
      (spec.gateways ?? []).length > 0
        ? new GatewayUpstreams(spec, index, streams, K, this.workersMax, this.ctrlRng, {
            upstream: (u) => this.upstreams.push(u) - 1,
            split: (cumulative, upstreams) => -1 - this.splits.push({ cumulative, upstreams }),
          })
        : null);

    this.clients = spec.clients.map((c, ci) => {
      const http = c.http;
      if (!http) return null;
      const ctrl = http.gateway !== undefined ? undefined : controllers.find((k) => k.className === http.ingressClass);
      if (ctrl === undefined && http.gateway === undefined) throw new Error(`client '${c.name}': no ingress controller of class '${http.ingressClass}'`);
      const router = ctrl === undefined ? null : new ControllerRouter(ingresses, servers, ctrl.className, ctrl.isDefaultClass);
      const classes = http.requests;
      const total = classes.reduce((a, p) => a + p.weight, 0);
      if (!(total > 0)) throw new RangeError(`client '${c.name}': request weights must add up to more than 0`);
      let acc = 0;
      const cumulative = Float64Array.from(classes, (p) => (acc += p.weight / total));
      // Stryker disable next-line ArithmeticOperator: drawPath's loop stops before the last entry, so its value cannot change a draw
      cumulative[cumulative.length - 1] = 1;
      const routes =
        router === null || ctrl === undefined
          ? gateway!.routes(http)
          : Int32Array.from(classes, (p) => {
              const r = router.route(http.host, p);
              if (r === null) return -1;
              if (r.kind === 'vs') return vsRoute(r.vs, r.action, ctrl);
              const ing = ingresses[r.ingress]!;
              return upstreamFor(`${r.ingress}|${r.backend.service}|${r.backend.port}`, ing, r.backend, ing.balancing, ctrl);
            });
      const uriHash = Uint32Array.from(classes, (p) => mix32(fnv1a32(requestUri(p))));
      const hashMode = new Uint8Array(classes.length);
      classes.forEach((p, i) => {
        const u = routes[i]!;
        const up = u >= 0 ? this.upstreams[u]! : undefined;
        const policy = up !== undefined && up.hashByClass ? policies[up.service] : undefined;
        if (policy === undefined) return;
        const key = kongClassKey(policy, p);
        hashMode[i] = key.mode;
        if (key.mode === HashBy.Uri) uriHash[i] = key.hash;
      });
      return {
        cumulative,
        routes,
        uriHash,
        hashMode,
        sessions: http.sessions,
        sessionBase: sessionBase[ci]!,
        rng: streams.stream(`client/${c.name}/http`),
        splitRng: streams.stream(`client/${c.name}/http-splits`),
      };
    });
    gateway?.finish(this.upstreams.length);
  }

  /** The upstream of a request of class `cls`: its route, or for a split route a weighted draw (−1: none). */
  upstreamOf(h: HttpClient, cls: number): number {
    const r = h.routes[cls]!;
    if (r >= -1) return r;
    const g = this.splits[-2 - r]!;
    const u = h.splitRng();
    const cum = g.cumulative;
    let i = 0;
    // Stryker disable next-line ArithmeticOperator: the last cumulative is 1 and a draw is below 1, so the loop stops there with or without the bound
    while (i < cum.length - 1 && u >= cum[i]!) i++;
    return g.upstreams[i]!;
  }

  get controllerCount(): number {
    return this.ctrlPod.length;
  }

  /** A request class index for a request of client `c` (by the mix's weights). */
  drawPath(h: HttpClient): number {
    const u = h.rng();
    const cum = h.cumulative;
    let i = 0;
    // Stryker disable next-line ArithmeticOperator: the last cumulative is 1 and a draw is below 1, so the loop stops there with or without the bound
    while (i < cum.length - 1 && u >= cum[i]!) i++;
    return i;
  }

  drawSession(h: HttpClient): number {
    return h.sessionBase + Math.floor(h.rng() * h.sessions);
  }

  /**
   * service-upstream: an upstream connection for upstream `u` at controller `k`, worker `w`: the most
   * recently idle one, or a new one whose endpoint kube-proxy on `node` chooses (`opened` is then set).
   * Returns the connection id, or a negative Drop code when kube-proxy has no endpoint.
   */
  acquire(u: number, k: number, w: number, now: Seconds): number {
    this.opened = false;
    const pool = this.pool(u, k, w);
    if (pool.length > 0) return pool.pop()!;
    const e = this.upstreams[u]!.proxy!.choose(this.ctrlNode[k]!, 'internal', this.ctrlSourceIp[k]!, now);
    if (e < 0) return e;
    this.upstreams[u]!.proxy!.connectionOpened(this.ctrlNode[k]!, 'internal', e);
    let id: number;
    if (this.upFree.length > 0) id = this.upFree.pop()!;
    else {
      if (this.upUsed === this.upEp.length) {
        const a = new Int32Array(this.upEp.length * 2);
        a.set(this.upEp);
        this.upEp = a;
        const b = new Int32Array(this.upServed.length * 2);
        b.set(this.upServed);
        this.upServed = b;
      }
      id = this.upUsed++;
    }
    this.upEp[id] = e;
    this.upServed[id] = 0;
    this.opened = true;
    return id;
  }

  /** Endpoint (index into the Service's proxy endpoints) of upstream connection `id`. */
  connectionEndpoint(id: number): number {
    return this.upEp[id]!;
  }

  /** The request on upstream connection `id` is done: back to its pool, or closed after its last request. */
  release(id: number, u: number, k: number, w: number, now?: Seconds): void {
    this.closed = false;
    const served = ++this.upServed[id]!;
    if (served >= this.keepaliveRequests[k]!) {
      this.upstreams[u]!.proxy!.connectionClosed(this.ctrlNode[k]!, 'internal', this.upEp[id]!, now);
      this.upFree.push(id);
      this.closed = true;
      return;
    }
    this.pool(u, k, w).push(id);
  }

  private pool(u: number, k: number, w: number): number[] {
    const key = (u * this.controllerCount + k) * this.workersMax + w;
    let p = this.pools.get(key);
    if (p === undefined) this.pools.set(key, (p = []));
    return p;
  }
}

function findPort(svc: ServiceSpec, port: number | string): ServicePortSpec | undefined {
  return svc.ports.find((p) => (typeof port === 'number' ? p.port === port : p.name === port));
}

/** Whether a client sends through an ingress controller. */
export function isHttpClient(c: ClientSpec): boolean {
  return c.http !== undefined && c.http !== null;
}
