/**
 * Cluster DNS at run time: lookups made by clients before they connect, as queries travelling to CoreDNS
 * pods, queueing there, answered from each pod's cache or not, and coming back. See docs/model.md ("DNS").
 *
 * A *lookup* resolves one client's name for one connection. It walks its plan (names.ts) step by step; a
 * step sends the A and the AAAA query together to one CoreDNS pod, chosen uniformly (kube-proxy's random
 * choice for the kube-dns ClusterIP; both queries share a socket, hence a flow and a pod), and completes when
 * both answers are back. A step whose name does not exist moves the lookup to the next; the answering step
 * ends it. A query can be lost: the A/AAAA pair races in conntrack with probability `conntrackRace` and one
 * of the two is dropped (docs/references.md#conntrack), or the CoreDNS pod's queue is full.
 *
 * What the resolver does then is glibc's `send_dg` (resolv/res_send.c). It waits `timeout` (5 s) from the
 * round's send. If one answer came back (the race's usual outcome), it does not spend an attempt: it sets
 * RES_SNGLKUP and sends the two queries again *one after the other* on the same socket (the same conntrack
 * entry, so the same CoreDNS pod, and no race), within the same attempt; a second such timeout sets
 * RES_SNGLKUPREOP and retries with a new socket per query (a new pod choice), and a third returns the
 * answer it has. The flags stay in the resolver state for the rest of the lookup (its later search steps
 * send sequentially too). If nothing came back, the attempt is over: the next goes out on the same socket
 * (same pod), at most `attempts` in all; after that the lookup fails (glibc gives up the whole search on a
 * timeout). Simplification: the flags are not kept across lookups (glibc keeps them in the thread's
 * resolver state, so a long-lived single-threaded process stops racing after its first loss).
 *
 * At a CoreDNS pod a query takes `hitTime` of CPU when its cache holds the answer, else `missTime`; names
 * outside the cluster domain (and ExternalName CNAME targets) also wait `upstream` for the upstream
 * resolver, without holding a worker. Each pod has its own cache, keyed by (name, type): an answer is kept
 * min(cacheTTL, max(5 s, its TTL)) (the cache plugin's cap and its minimum TTL), when the Corefile caches
 * that domain. Answers served from the cache carry the remaining TTL.
 *
 * Client-side caching (DnsCachePolicy) and the choice among several addresses (AddressPick) are per client;
 * the cached answer is a snapshot (see `answerOf`), so a client keeps using it for its whole cache time.
 *
 * Everything is typed arrays indexed by lookup or query ids with free lists; handlers are bound once.
 */
import type { Distribution } from '../../engine/distributions/distribution.js';
import type { Rng } from '../../engine/random.js';
import type { EventId, Simulator } from '../../engine/simulator.js';
import { LatencyHistogram } from '../../engine/stats/latency-histogram.js';
import type { Seconds } from '../../engine/time.js';
import { LINK_UNIT, Link, hostLink, type Links } from '../links.js';
import { growF64, growI32 } from '../requests.js';
import type { DnsResult } from '../result.js';
import { JobStations } from '../stations.js';
import type { AddressPick, DnsCachePolicy, DnsSpec } from '../spec.js';

/** The cache plugin never keeps an answer for less than this (its MINTTL default). */
export const CACHE_MIN_TTL: Seconds = 5;
/** The JVM's caches without a security manager: answers 30 s, failures 10 s (docs/references.md#dns). */
export const JVM_POSITIVE_TTL: Seconds = 30;
export const JVM_NEGATIVE_TTL: Seconds = 10;
/** Layout of the coarse histograms kept per segment for resolution times and stages (±3 %). */
export const COARSE_LAYOUT = { subBucketBits: 4 } as const;

/** One distinct query name, with what answering it involves. */
export interface DnsName {
  readonly name: string;
  /** Whether the name exists (an A answer with addresses); else NXDOMAIN. */
  readonly exists: boolean;
  /** Inside the cluster domain (answered by the kubernetes plugin). */
  readonly inCluster: boolean;
  /** Answering it on a cache miss needs the upstream resolver (outside the cluster domain, or a CNAME chase). */
  readonly upstream: boolean;
  /** TTL of the answer (of the NXDOMAIN for names that do not exist). */
  readonly ttl: Seconds;
}

export interface DnsClient {
  /** Name ids of the steps, in order; the last step answers when `resolves`. */
  readonly steps: Int32Array;
  readonly resolves: boolean;
  /** Node of the client, and whether it runs in a pod (pays `sameNode` to leave it). */
  readonly node: number;
  readonly inPod: boolean;
  readonly cache: DnsCachePolicy;
  readonly pick: AddressPick;
  /** Addresses in the answer (pods of a headless Service; 1 otherwise). */
  readonly addresses: number;
  readonly rng: Rng;
}

/** Called when a lookup ends: `ok`, for connection `conn` of client `client`. */
export type ResolvedHandler = (conn: number, ok: boolean) => void;

/** Counters per statistics segment. */
const enum C {
  Lookups,
  ClientHits,
  Queries,
  Nxdomain,
  ServerHits,
  ServerMisses,
  Upstream,
  Timeouts,
  Failures,
  Lost,
}
const COUNTERS = 10;

/** The resolver's sending mode (glibc's RES_SNGLKUP / RES_SNGLKUPREOP, set by send_dg after a timeout). */
const enum Mode {
  Parallel,
  Single,
  SingleReopen,
}

/** The counters of a DNS result (documented there). */
export type DnsCounts = Pick<
  DnsResult,
  | 'lookups'
  | 'clientCacheHits'
  | 'queries'
  | 'nxdomain'
  | 'serverCacheHits'
  | 'serverCacheMisses'
  | 'upstreamQueries'
  | 'timeouts'
  | 'failures'
  | 'lostQueries'
>;

export class ClusterDns {
  readonly servers: JobStations;
  readonly serverCount: number;
  private readonly names: readonly DnsName[];
  private readonly clients: readonly (DnsClient | null)[];
  private readonly serverNode: Int32Array;
  private readonly cacheable: Uint8Array;
  private readonly lifetime: Float64Array;
  /** Expiry per (server, name, type). */
  private readonly expiry: Float64Array;
  private readonly hitTime: Distribution;
  private readonly missTime: Distribution;
  private readonly upstreamTime: Distribution;
  private readonly serverRngs: Rng[];
  private readonly timeout: Seconds;
  private readonly attempts: number;
  private readonly race: number;
  private readonly loadbalance: boolean;

  // Client-side cache, per client.
  private readonly cachedUntil: Float64Array;
  private readonly failedUntil: Float64Array;
  private readonly rotation: Int32Array;
  private readonly cursor: Int32Array;

  // Lookups.
  private lkConn: Int32Array = new Int32Array(16);
  private lkClient: Int32Array = new Int32Array(16);
  private lkStep: Int32Array = new Int32Array(16);
  private lkPending: Int32Array = new Int32Array(16);
  private lkAttempt: Int32Array = new Int32Array(16);
  private lkSerial: Float64Array = new Float64Array(16);
  private lkStart: Float64Array = new Float64Array(16);
  private lkStepSent: Float64Array = new Float64Array(16);
  /** The step's CoreDNS pod (its socket's conntrack entry), the resolver's mode, answers of this round. */
  private lkServer: Int32Array = new Int32Array(16);
  private lkMode: Uint8Array = new Uint8Array(16);
  private lkGot: Int32Array = new Int32Array(16);
  private lkSeg: Int32Array = new Int32Array(16);
  private lkTtl: Float64Array = new Float64Array(16);
  private lkTimer: EventId[] = [];
  private lkTimerSet: Uint8Array = new Uint8Array(16);
  private lkFree: Int32Array = new Int32Array(16);
  private lkFreeCount = 0;
  private lkUsed = 0;

  // Queries.
  private qLookup: Int32Array = new Int32Array(64);
  private qType: Uint8Array = new Uint8Array(64);
  private qServer: Int32Array = new Int32Array(64);
  private qSerial: Float64Array = new Float64Array(64);
  private qHit: Uint8Array = new Uint8Array(64);
  private qName: Int32Array = new Int32Array(64);
  private qClient: Int32Array = new Int32Array(64);
  private qFree: Int32Array = new Int32Array(64);
  private qFreeCount = 0;
  private qUsed = 0;
  private serials = 0;

  // Statistics.
  private readonly counts: Float64Array;
  private readonly serverQueries: Float64Array;
  private readonly serverHits: Float64Array;
  private readonly durations: (LatencyHistogram | null)[];

  /** Runs when a lookup ends (set once by the data path). */
  private onResolved: ResolvedHandler = () => {
    throw new Error('ClusterDns: no resolved handler bound');
  };

  constructor(
    private readonly sim: Simulator,
    private readonly links: Links,
    spec: DnsSpec,
    serverNode: Int32Array,
    private readonly nodeZone: Int32Array,
    names: readonly DnsName[],
    clients: readonly (DnsClient | null)[],
    serverRngs: Rng[],
    private readonly segments: number,
  ) {
    if (serverNode.length === 0) throw new RangeError('cluster DNS needs at least one CoreDNS pod');
    this.names = names;
    this.clients = clients;
    this.serverNode = serverNode;
    this.serverCount = serverNode.length;
    this.hitTime = spec.hitTime;
    this.missTime = spec.missTime;
    this.upstreamTime = spec.upstream;
    this.serverRngs = serverRngs;
    this.timeout = spec.timeout;
    this.attempts = Math.max(1, spec.attempts);
    this.race = spec.conntrackRace;
    this.loadbalance = spec.loadbalance;
    const N = names.length;
    this.cacheable = Uint8Array.from(names, (n) => (spec.cacheTTL > 0 && (!n.inCluster || spec.cacheClusterDomain) ? 1 : 0));
    this.lifetime = Float64Array.from(names, (n) => Math.min(spec.cacheTTL, Math.max(CACHE_MIN_TTL, n.ttl)));
    this.expiry = new Float64Array(this.serverCount * N * 2).fill(-1);
    const S = this.serverCount;
    this.servers = new JobStations(
      sim,
      new Array<number>(S).fill(spec.concurrency),
      new Array<number>(S).fill(spec.queueCapacity),
      this.serviceTime,
      this.onQueryServed,
    );
    const n = clients.length;
    this.cachedUntil = new Float64Array(n).fill(-1);
    this.failedUntil = new Float64Array(n).fill(-1);
    this.rotation = new Int32Array(n);
    this.cursor = new Int32Array(n);
    this.counts = new Float64Array(segments * COUNTERS);
    this.serverQueries = new Float64Array(segments * S);
    this.serverHits = new Float64Array(segments * S);
    this.durations = new Array<LatencyHistogram | null>(segments).fill(null);
  }

  /** Sets the handler called when a lookup ends (the data path's, created once). */
  bind(onResolved: ResolvedHandler): void {
    this.onResolved = onResolved;
  }

  // ---------------------------------------------------------------- client side

  /**
   * A new connection of client `c` needs an address. Returns 1 when the client's cache answers (no wait),
   * −1 when its cache holds a failure (the connection fails at once), 0 when a lookup has started
   * (`onResolved(conn, ok)` will follow).
   */
  resolve(c: number, conn: number, seg: number): number {
    const now = this.sim.now;
    this.counts[seg * COUNTERS + C.Lookups]!++;
    if (this.cachedUntil[c]! > now) {
      this.counts[seg * COUNTERS + C.ClientHits]!++;
      return 1;
    }
    if (this.failedUntil[c]! > now) {
      this.counts[seg * COUNTERS + C.ClientHits]!++;
      this.counts[seg * COUNTERS + C.Failures]!++;
      return -1;
    }
    const lk = this.allocLookup();
    this.lkConn[lk] = conn;
    this.lkClient[lk] = c;
    this.lkStep[lk] = 0;
    this.lkAttempt[lk] = 0;
    this.lkStart[lk] = now;
    this.lkSeg[lk] = seg;
    this.lkTtl[lk] = Infinity;
    this.lkMode[lk] = Mode.Parallel;
    this.startStep(lk);
    return 0;
  }

  /**
   * The address client `c` connects to, from its current answer: an index among the answer's addresses
   * (always 0 but for headless Services). The answer is a snapshot taken when it arrived: the client
   * keeps using it for its cache time whatever happens to the pods since (stale answers, for dynamics).
   */
  answerOf(c: number): number {
    const cl = this.clients[c]!;
    const n = cl.addresses;
    if (n <= 1) return 0;
    switch (cl.pick) {
      case 'first':
        return this.rotation[c]!;
      case 'random':
        return Math.floor(cl.rng() * n);
      case 'round-robin': {
        const k = this.cursor[c]!;
        this.cursor[c] = k + 1 === n ? 0 : k + 1;
        return (this.rotation[c]! + k) % n;
      }
    }
  }

  // ---------------------------------------------------------------- the walk

  /** A new step of the walk: a new socket (a new flow, so kube-proxy picks a CoreDNS pod), attempt 1. */
  private startStep(lk: number): void {
    const cl = this.clients[this.lkClient[lk]!]!;
    this.lkServer[lk] = this.pickServer(cl);
    this.lkAttempt[lk] = 0;
    this.sendAttempt(lk);
  }

  private pickServer(cl: DnsClient): number {
    return this.serverCount === 1 ? 0 : Math.floor(cl.rng() * this.serverCount);
  }

  /** A new attempt of the step (res_send's retry loop): same socket, same pod. */
  private sendAttempt(lk: number): void {
    this.lkAttempt[lk]!++;
    this.sendRound(lk);
  }

  /**
   * One round of `send_dg`: both queries at once (they may race), or, once RES_SNGLKUP is set, the A query
   * alone, the AAAA following its answer (`onQueryBack`).
   */
  private sendRound(lk: number): void {
    const c = this.lkClient[lk]!;
    const cl = this.clients[c]!;
    const now = this.sim.now;
    const serial = ++this.serials;
    this.lkSerial[lk] = serial;
    this.lkStepSent[lk] = now;
    this.lkGot[lk] = 0;
    if (this.lkMode[lk] !== Mode.Parallel) {
      this.lkPending[lk] = 2;
      this.sendQuery(lk, 0);
      return;
    }
    this.lkPending[lk] = 2;
    const raced = this.race > 0 && cl.rng() < this.race;
    // A, then AAAA (lost to the conntrack race when it is raced).
    this.sendQuery(lk, 0);
    if (!raced) {
      this.sendQuery(lk, 1);
      return;
    }
    const seg = this.lkSeg[lk]!;
    this.counts[seg * COUNTERS + C.Queries]!++; // sent, then dropped at the DNAT insert
    this.counts[seg * COUNTERS + C.Lost]!++;
    this.armTimer(lk);
  }

  private sendQuery(lk: number, type: number): void {
    const c = this.lkClient[lk]!;
    const cl = this.clients[c]!;
    const server = this.lkServer[lk]!;
    const seg = this.lkSeg[lk]!;
    const q = this.allocQuery();
    this.qLookup[q] = lk;
    this.qType[q] = type;
    this.qServer[q] = server;
    this.qSerial[q] = this.lkSerial[lk]!;
    this.qName[q] = cl.steps[this.lkStep[lk]!]!;
    this.qClient[q] = c;
    this.counts[seg * COUNTERS + C.Queries]!++;
    this.serverQueries[seg * this.serverCount + server]!++;
    this.links.schedule(this.routeKey(cl, server), cl.rng, this.onQueryArrive, q);
  }

  private routeKey(cl: DnsClient, server: number): number {
    const from = cl.node;
    const to = this.serverNode[server]!;
    const out = cl.inPod ? LINK_UNIT[Link.SameNode]! : 0;
    if (from === to) return out + LINK_UNIT[Link.SameNode]!;
    return out + LINK_UNIT[hostLink(this.nodeZone[from]!, this.nodeZone[to]!)]! + LINK_UNIT[Link.SameNode]!;
  }

  /** A query of the step was lost: the resolver times out `timeout` after the step was sent. */
  private armTimer(lk: number): void {
    if (this.lkTimerSet[lk] === 1) return;
    this.lkTimerSet[lk] = 1;
    this.lkTimer[lk] = this.sim.timerAt(this.lkStepSent[lk]! + this.timeout, this.onStepTimeout, lk);
  }

  private readonly onStepTimeout = (lk: number): void => {
    this.lkTimerSet[lk] = 0;
    this.counts[this.lkSeg[lk]! * COUNTERS + C.Timeouts]!++;
    if (this.lkGot[lk]! > 0) {
      // One answer is in: glibc retries within the same attempt, sequentially (send_dg's `goto retry`).
      const mode = this.lkMode[lk]!;
      if (mode === Mode.Parallel) {
        this.lkMode[lk] = Mode.Single;
        this.sendRound(lk);
        return;
      }
      if (mode === Mode.Single) {
        this.lkMode[lk] = Mode.SingleReopen; // a new socket: kube-proxy picks a pod again
        this.lkServer[lk] = this.pickServer(this.clients[this.lkClient[lk]!]!);
        this.sendRound(lk);
        return;
      }
      // A third time: send_dg returns the answer it has.
      this.stepDone(lk);
      return;
    }
    if (this.lkAttempt[lk]! >= this.attempts) {
      this.finish(lk, false);
      return;
    }
    this.sendAttempt(lk);
  };

  private readonly onQueryArrive = (q: number): void => {
    const server = this.qServer[q]!;
    if (this.servers.admit(server, q)) return;
    // Full queue: the datagram is dropped.
    const lk = this.qLookup[q]!;
    const live = this.qSerial[q] === this.lkSerial[lk];
    if (live) {
      this.counts[this.lkSeg[lk]! * COUNTERS + C.Lost]!++;
      this.armTimer(lk);
    }
    this.freeQuery(q);
  };

  /** Service time of query `q` at `server`: decides hit or miss when its service starts. */
  private readonly serviceTime = (server: number, q: number): Seconds => {
    const name = this.qName[q]!;
    const key = (server * this.names.length + name) * 2 + this.qType[q]!;
    const rng = this.serverRngs[server]!;
    if (this.cacheable[name] === 1 && this.expiry[key]! > this.sim.now) {
      this.qHit[q] = 1;
      return this.hitTime.sample(rng);
    }
    this.qHit[q] = 0;
    return this.missTime.sample(rng);
  };

  private readonly onQueryServed = (q: number): void => {
    const server = this.qServer[q]!;
    this.servers.complete(server);
    const name = this.qName[q]!;
    const info = this.names[name]!;
    const lk = this.qLookup[q]!;
    const live = this.qSerial[q] === this.lkSerial[lk];
    const seg = live ? this.lkSeg[lk]! : -1;
    const now = this.sim.now;
    const key = (server * this.names.length + name) * 2 + this.qType[q]!;
    let wait = 0;
    let ttl: number;
    if (this.qHit[q] === 1) {
      ttl = this.expiry[key]! - now;
      if (seg >= 0) {
        this.counts[seg * COUNTERS + C.ServerHits]!++;
        this.serverHits[seg * this.serverCount + server]!++;
      }
    } else {
      if (info.upstream) {
        wait = this.upstreamTime.sample(this.serverRngs[server]!);
        if (seg >= 0) this.counts[seg * COUNTERS + C.Upstream]!++;
      }
      if (this.cacheable[name] === 1) this.expiry[key] = now + wait + this.lifetime[name]!;
      ttl = info.ttl;
      if (seg >= 0) this.counts[seg * COUNTERS + C.ServerMisses]!++;
    }
    if (seg >= 0 && !info.exists) this.counts[seg * COUNTERS + C.Nxdomain]!++;
    const cl = this.clients[this.qClient[q]!]!;
    // The answer's TTL (for clients that cache by TTL): the A record of the answering step.
    if (live && this.qType[q] === 0 && this.lkStep[lk] === cl.steps.length - 1 && ttl < this.lkTtl[lk]!) this.lkTtl[lk] = ttl;
    if (wait > 0) this.sim.schedule(wait + this.links.sample(this.routeKey(cl, server), cl.rng), this.onQueryBack, q);
    else this.links.schedule(this.routeKey(cl, server), cl.rng, this.onQueryBack, q);
  };

  private readonly onQueryBack = (q: number): void => {
    const lk = this.qLookup[q]!;
    const live = this.qSerial[q] === this.lkSerial[lk];
    const type = this.qType[q]!;
    this.freeQuery(q);
    if (!live) return; // an answer to a round the resolver has given up on
    this.lkGot[lk]!++;
    if (--this.lkPending[lk]! > 0) {
      // Sequential mode: the AAAA query goes out once the A answer is in (a new socket with REOPEN).
      if (this.lkMode[lk] !== Mode.Parallel && type === 0) {
        if (this.lkMode[lk] === Mode.SingleReopen) this.lkServer[lk] = this.pickServer(this.clients[this.lkClient[lk]!]!);
        this.sendQuery(lk, 1);
      }
      return;
    }
    this.stepDone(lk);
  };

  /** Both answers are in (or send_dg settled for one): the next step, or the end of the walk. */
  private stepDone(lk: number): void {
    if (this.lkTimerSet[lk] === 1) {
      this.sim.cancel(this.lkTimer[lk]!);
      this.lkTimerSet[lk] = 0;
    }
    const c = this.lkClient[lk]!;
    const cl = this.clients[c]!;
    const step = this.lkStep[lk]!;
    if (step === cl.steps.length - 1) {
      this.finish(lk, cl.resolves);
      return;
    }
    this.lkStep[lk] = step + 1;
    this.startStep(lk);
  }

  private finish(lk: number, ok: boolean): void {
    const now = this.sim.now;
    const c = this.lkClient[lk]!;
    const cl = this.clients[c]!;
    const seg = this.lkSeg[lk]!;
    if (this.lkTimerSet[lk] === 1) {
      this.sim.cancel(this.lkTimer[lk]!);
      this.lkTimerSet[lk] = 0;
    }
    let h = this.durations[seg]!;
    if (h === null) h = this.durations[seg] = new LatencyHistogram(COARSE_LAYOUT);
    h.record(now - this.lkStart[lk]!);
    if (ok) {
      this.rotation[c] = this.loadbalance && cl.addresses > 1 ? Math.floor(cl.rng() * cl.addresses) : 0;
      this.cursor[c] = 0;
      const keep = cacheTime(cl.cache, this.lkTtl[lk]!, true);
      if (keep > 0) this.cachedUntil[c] = now + keep;
    } else {
      this.counts[seg * COUNTERS + C.Failures]!++;
      const keep = cacheTime(cl.cache, 0, false);
      if (keep > 0) this.failedUntil[c] = now + keep;
    }
    const conn = this.lkConn[lk]!;
    this.lkSerial[lk] = -1;
    this.lkFree[this.lkFreeCount++] = lk;
    this.onResolved(conn, ok);
  }

  // ---------------------------------------------------------------- tables

  private allocLookup(): number {
    if (this.lkFreeCount > 0) return this.lkFree[--this.lkFreeCount]!;
    if (this.lkUsed === this.lkConn.length) {
      const cap = this.lkConn.length * 2;
      this.lkConn = growI32(this.lkConn, cap);
      this.lkClient = growI32(this.lkClient, cap);
      this.lkStep = growI32(this.lkStep, cap);
      this.lkPending = growI32(this.lkPending, cap);
      this.lkAttempt = growI32(this.lkAttempt, cap);
      this.lkSerial = growF64(this.lkSerial, cap);
      this.lkStart = growF64(this.lkStart, cap);
      this.lkStepSent = growF64(this.lkStepSent, cap);
      this.lkSeg = growI32(this.lkSeg, cap);
      this.lkTtl = growF64(this.lkTtl, cap);
      this.lkServer = growI32(this.lkServer, cap);
      this.lkGot = growI32(this.lkGot, cap);
      const m = new Uint8Array(cap);
      m.set(this.lkMode);
      this.lkMode = m;
      const t = new Uint8Array(cap);
      t.set(this.lkTimerSet);
      this.lkTimerSet = t;
      this.lkFree = growI32(this.lkFree, cap);
    }
    return this.lkUsed++;
  }

  private allocQuery(): number {
    if (this.qFreeCount > 0) return this.qFree[--this.qFreeCount]!;
    if (this.qUsed === this.qLookup.length) {
      const cap = this.qLookup.length * 2;
      this.qLookup = growI32(this.qLookup, cap);
      const t = new Uint8Array(cap);
      t.set(this.qType);
      this.qType = t;
      this.qServer = growI32(this.qServer, cap);
      this.qSerial = growF64(this.qSerial, cap);
      const h = new Uint8Array(cap);
      h.set(this.qHit);
      this.qHit = h;
      this.qName = growI32(this.qName, cap);
      this.qClient = growI32(this.qClient, cap);
      this.qFree = growI32(this.qFree, cap);
    }
    return this.qUsed++;
  }

  private freeQuery(q: number): void {
    this.qFree[this.qFreeCount++] = q;
  }

  // ---------------------------------------------------------------- results

  totals(first: number): DnsCounts {
    const sum = (k: C): number => {
      let t = 0;
      for (let s = first; s < this.segments; s++) t += this.counts[s * COUNTERS + k]!;
      return t;
    };
    return {
      lookups: sum(C.Lookups),
      clientCacheHits: sum(C.ClientHits),
      queries: sum(C.Queries),
      nxdomain: sum(C.Nxdomain),
      serverCacheHits: sum(C.ServerHits),
      serverCacheMisses: sum(C.ServerMisses),
      upstreamQueries: sum(C.Upstream),
      timeouts: sum(C.Timeouts),
      failures: sum(C.Failures),
      lostQueries: sum(C.Lost),
    };
  }

  /** Durations of the lookups that queried (client-cache answers excluded), over the kept segments. */
  resolutionTimes(first: number): LatencyHistogram {
    const h = new LatencyHistogram(COARSE_LAYOUT);
    for (let s = first; s < this.segments; s++) {
      const d = this.durations[s];
      if (d) h.merge(d);
    }
    return h;
  }

  serverCounts(first: number, server: number): { queries: number; cacheHits: number } {
    let queries = 0;
    let cacheHits = 0;
    for (let s = first; s < this.segments; s++) {
      queries += this.serverQueries[s * this.serverCount + server]!;
      cacheHits += this.serverHits[s * this.serverCount + server]!;
    }
    return { queries, cacheHits };
  }
}

/** How long a client keeps an answer (ok) or a failure, by its cache policy. */
export function cacheTime(policy: DnsCachePolicy, ttl: Seconds, ok: boolean): Seconds {
  switch (policy.kind) {
    case 'none':
      return 0;
    case 'jvm':
      return ok ? JVM_POSITIVE_TTL : JVM_NEGATIVE_TTL;
    case 'fixed':
      return ok ? policy.ttl : 0;
    case 'ttl':
      return ok ? ttl : 0;
  }
}
