/**
 * Envoy's outlier detection (passive health checking), consecutive-5xx part, one detector per Envoy
 * instance (a gateway pod, a sidecar) and cluster, as envoyproxy/envoy
 * `source/common/upstream/outlier_detection_impl.cc` does it:
 *
 * - `putHttpResponseCode`: a 5xx (or a local-origin failure mapped to 503: refused, reset) increments the
 *   host's consecutive-5xx counter, anything else resets it; reaching `consecutive5xx` asks for an ejection.
 * - `ejectHost`: allowed when 100 × (ejected + 1) / hosts ≤ `maxEjectionPercent` (or, with
 *   `alwaysEjectOneHost`, when nothing is ejected). With the default 10 % and fewer than 10 hosts nothing is
 *   ever ejected. An ejection sets the host's ejection time and raises its back-off multiplier (while
 *   multiplier × base < max ejection time + base); the counter is reset either way.
 * - `onIntervalTimer`, every `interval`: an ejected host whose min(base × multiplier, maxEjectionTime) has
 *   passed since its ejection is returned (counters reset); then every host not ejected, unejected at least
 *   one interval ago, has its multiplier lowered by one. So a host failing every request is ejected after
 *   `consecutive5xx` errors, comes back at the first tick ≥ base × n after its n-th ejection, and is ejected
 *   again after `consecutive5xx` more.
 *
 * The interval timer is evaluated lazily: `advance(k, now)` runs every tick up to `now` before anything
 * else reads or writes instance k's state, which gives the same states as a timer would (state changes only
 * at ticks and on results). Jitter (`max_ejection_time_jitter`, default 0), success-rate and
 * failure-percentage ejection are not modelled. Nothing here allocates after construction.
 */
import type { Seconds } from '../../engine/time.js';

export interface OutlierConfig {
  /** `consecutive_5xx` (Envoy 5; Envoy Gateway `consecutive5XxErrors` 5). 0 disables. */
  readonly consecutive5xx: number;
  /** `interval` (Envoy 10 s; Envoy Gateway 3 s). */
  readonly interval: Seconds;
  /** `base_ejection_time` (30 s in both). */
  readonly baseEjectionTime: Seconds;
  /** `max_ejection_percent` (10 in both). */
  readonly maxEjectionPercent: number;
  /** `max_ejection_time` (Envoy 300 s, or the base when larger). */
  readonly maxEjectionTime?: Seconds;
  /** `always_eject_one_host` (Envoy default false). */
  readonly alwaysEjectOneHost?: boolean;
}

/** Envoy's own defaults (outlier_detection.proto). */
export const ENVOY_OUTLIER_DEFAULTS: OutlierConfig = { consecutive5xx: 5, interval: 10, baseEjectionTime: 30, maxEjectionPercent: 10 };
/** Envoy Gateway's `passiveHealthCheck` defaults (api/v1alpha1/healthcheck_types.go). */
export const ENVOY_GATEWAY_PASSIVE_DEFAULTS: OutlierConfig = { consecutive5xx: 5, interval: 3, baseEjectionTime: 30, maxEjectionPercent: 10 };
const DEFAULT_MAX_EJECTION_TIME: Seconds = 300;

export class OutlierDetector {
  readonly n: number;
  private readonly c5xx: Int32Array;
  private readonly ejectedFlag: Uint8Array;
  private readonly backoff: Int32Array;
  private readonly ejectedAt: Float64Array;
  private readonly unejectedAt: Float64Array;
  private readonly nextTick: Float64Array;
  /** Hosts ejected now, per instance. */
  readonly active: Int32Array;
  /** Ejections so far, per instance (all hosts). */
  readonly ejections: Int32Array;
  /** Ejections refused by the max-ejection-percent rule, per instance. */
  readonly overflows: Int32Array;
  private readonly maxEjectionTime: Seconds;
  /** Bumped on every ejection or return, per instance: balancers that cache the healthy set compare it. */
  readonly version: Int32Array;

  constructor(
    readonly config: OutlierConfig,
    hosts: number,
    instances: number,
  ) {
    if (!(config.interval > 0)) throw new RangeError(`outlier detection interval must be > 0, got ${config.interval}`);
    const n = (this.n = hosts);
    this.c5xx = new Int32Array(instances * n);
    this.ejectedFlag = new Uint8Array(instances * n);
    this.backoff = new Int32Array(instances * n);
    this.ejectedAt = new Float64Array(instances * n);
    this.unejectedAt = new Float64Array(instances * n).fill(NaN);
    this.nextTick = new Float64Array(instances).fill(config.interval);
    this.active = new Int32Array(instances);
    this.ejections = new Int32Array(instances);
    this.overflows = new Int32Array(instances);
    this.version = new Int32Array(instances);
    this.maxEjectionTime = config.maxEjectionTime ?? Math.max(DEFAULT_MAX_EJECTION_TIME, config.baseEjectionTime);
  }

  /** Runs instance k's interval timer for every tick up to `now`. */
  advance(k: number, now: Seconds): void {
    const interval = this.config.interval;
    let tick = this.nextTick[k]!;
    if (tick > now) return;
    const n = this.n;
    const base = k * n;
    while (tick <= now) {
      if (this.active[k] === 0 && this.idle(base)) {
        // Nothing ejected, no back-off left: every later tick is a no-op until the next result.
        tick += Math.floor((now - tick) / interval + 1) * interval;
        break;
      }
      for (let e = 0; e < n; e++) {
        const i = base + e;
        if (this.ejectedFlag[i] === 1 && Math.min(this.config.baseEjectionTime * this.backoff[i]!, this.maxEjectionTime) <= tick - this.ejectedAt[i]!) {
          this.ejectedFlag[i] = 0;
          this.active[k]!--;
          this.version[k]!++;
          this.c5xx[i] = 0;
          this.unejectedAt[i] = tick;
        }
      }
      for (let e = 0; e < n; e++) {
        const i = base + e;
        if (this.ejectedFlag[i] === 0 && tick - this.unejectedAt[i]! >= interval && this.backoff[i]! > 0) this.backoff[i]!--;
      }
      tick += interval;
    }
    this.nextTick[k] = tick;
  }

  private idle(base: number): boolean {
    for (let e = 0; e < this.n; e++) if (this.backoff[base + e]! > 0) return false;
    return true;
  }

  /** Whether host e is ejected at instance k (call `advance` first). */
  ejected(k: number, e: number): boolean {
    return this.ejectedFlag[k * this.n + e] === 1;
  }

  /** A response (or local failure) from host e at instance k: `failed` for a 5xx, a refusal or a reset. */
  result(k: number, e: number, now: Seconds, failed: boolean): void {
    this.advance(k, now);
    const i = k * this.n + e;
    if (!failed) {
      this.c5xx[i] = 0;
      return;
    }
    const threshold = this.config.consecutive5xx;
    if (threshold <= 0 || ++this.c5xx[i]! !== threshold) return;
    // onConsecutiveErrorWorker: an ejected host is left alone; the counter is reset whatever happens.
    if (this.ejectedFlag[i] === 0) this.eject(k, i, now);
    this.c5xx[i] = 0;
  }

  private eject(k: number, i: number, now: Seconds): void {
    const percent = (100 * (this.active[k]! + 1)) / this.n;
    const allowed = percent <= Math.min(100, this.config.maxEjectionPercent) || ((this.config.alwaysEjectOneHost ?? false) && this.active[k] === 0);
    if (!allowed) {
      this.overflows[k]!++;
      return;
    }
    this.ejectedFlag[i] = 1;
    this.active[k]!++;
    this.ejections[k]!++;
    this.version[k]!++;
    this.ejectedAt[i] = now;
    const base = this.config.baseEjectionTime;
    if (this.backoff[i]! * base < this.maxEjectionTime + base) this.backoff[i]!++;
  }

  /** The ejection-time multiplier of host e at instance k (its ejection lasts base × this, capped). */
  multiplier(k: number, e: number): number {
    return this.backoff[k * this.n + e]!;
  }
}
