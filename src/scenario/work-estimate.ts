/**
 * Before a run: how much work the scenario asks for (events, memory), so that validation refuses what
 * cannot finish, naming what the run would need and the field to change (docs/reliability.md).
 *
 * The estimate is rough on purpose (a few events per request, a few hundred bytes per closed-loop user);
 * it refuses only inputs off by orders of magnitude: a rate of 1e12/s, an interarrival of const(0), a
 * duration of 1e308 s, a billion users, a billion retries of a zero timeout. A run also stops at its event
 * ceiling (`--max-events`, see simulation.ts) whatever the estimate said.
 */
import { DEFAULT_MAX_EVENTS } from '../model/limits.js';
import { getHeapStatistics } from 'node:v8';
import type { ModelSpec } from '../model/spec.js';
import type { Problems } from './problems.js';
import type { Resource } from './resource.js';

/** Events a request costs, roughly (arrival, connection, proxy, queue, service, response). */
export const EVENTS_PER_REQUEST = 4;
/** Refused at validation: at a few million events per second this is most of a day, or far more. */
export const MAX_ESTIMATED_EVENTS = 1e11;
/** Retries per request, at most. */
export const MAX_RETRIES = 1000;
/** Bytes a closed-loop user holds while the run goes on (its state and its request), roughly. */
export const BYTES_PER_USER = 256;
/** Bytes per time-series window (per window, a few counters and a small histogram per series). */
export const BYTES_PER_WINDOW = 1024;

/** The memory a run may plan for: half the V8 heap limit (the rest: the model, results, the runtime). */
export function memoryBudget(): number {
  return getHeapStatistics().heap_size_limit / 2;
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return 'unboundedly many';
  if (n >= 1e4) return n.toExponential(1).replace('e+', 'e');
  return String(Math.round(n * 100) / 100);
}

function bytes(n: number): string {
  if (!Number.isFinite(n)) return 'without limit';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === units.length - 1 && v >= 1024 ? `${fmt(n / 1024 ** (units.length - 1))} ${units[i]}` : `${Math.round(v * 10) / 10} ${units[i]}`;
}

/** Where a client of the spec was written: its Workload and index (by name, the names are unique). */
export interface ClientSource {
  readonly res: Resource;
  readonly index: number;
  /** Fields written for the client (`rate`, `interarrival`, `users`...). */
  readonly fields: readonly string[];
}

export interface WorkSources {
  readonly simulation: Resource | undefined;
  readonly client: (name: string) => ClientSource | undefined;
}

interface Top {
  readonly src: ClientSource | undefined;
  readonly name: string;
  readonly field: string;
  readonly rate: number;
  readonly events: number;
}

export interface WorkEstimate {
  readonly requests: number;
  readonly events: number;
  readonly bytes: number;
}

/**
 * Estimates the work of `spec` and adds an error to `problems` for each client or setting that makes it
 * impossible; a warning when it is possible but above the default event ceiling.
 */
export function checkWork(spec: ModelSpec, problems: Problems, sources: WorkSources): WorkEstimate {
  const { duration, requests: requestCap, window } = spec.simulation;
  const sim = sources.simulation;
  const budget = memoryBudget();
  let requests = 0;
  let events = 0;
  let top = null as Top | null;
  let memory = 0;
  let refused = false;

  spec.clients.forEach((c) => {
    const src = sources.client(c.name);
    const at = (field: string): readonly (string | number)[] => ['spec', 'clients', src?.index ?? 0, field];
    const err = (field: string, message: string): void => {
      refused = true;
      if (src) problems.error(src.res, at(field), message);
      else problems.add({ severity: 'error', file: 'scenario', line: 1, col: 1, path: `Workload.spec.clients[${c.name}].${field}`, message });
    };
    const a = c.arrival;
    let rate: number;
    if (a.kind === 'open') {
      const rateField = src?.fields.includes('rate') || a.rate ? 'rate' : 'interarrival';
      if (a.rate) rate = duration !== null && duration > 0 && Number.isFinite(duration) ? a.rate.meanRate(0, duration) : a.rate.maxRate;
      else rate = a.interarrival.mean > 0 ? 1 / a.interarrival.mean : Infinity;
      if (!Number.isFinite(rate) || Number.isNaN(rate)) {
        err(rateField, `client ${c.name} would send infinitely many requests (an interarrival time of mean 0, or a rate without limit): give a rate such as 100/s or an interarrival with a mean above 0`);
        return;
      }
    } else {
      rate = a.users / (Math.max(0, a.thinkTime.mean) + 0.005);
      const need = a.users * BYTES_PER_USER;
      memory += need;
      if (need > budget) {
        err('users', `${fmt(a.users)} users would need about ${bytes(need)} of memory, more than the ${bytes(budget)} a run may use: lower users`);
        return;
      }
    }
    if (c.retries > MAX_RETRIES) {
      err('retries', `${fmt(c.retries)} retries: at most ${MAX_RETRIES} retries per request (each retry is a request again)`);
      return;
    }
    const attempts = c.timeout !== null && c.timeout <= 0 ? 1 + c.retries : 1;
    const byTime = duration === null ? Infinity : rate * duration;
    const n = Math.min(byTime, requestCap ?? Infinity);
    requests += n;
    events += n * attempts * EVENTS_PER_REQUEST;
    const mine = n * attempts * EVENTS_PER_REQUEST;
    const field = a.kind === 'closed' ? 'users' : src?.fields.includes('rate') ? 'rate' : src?.fields.includes('interarrival') ? 'interarrival' : 'rate';
    if (!top || mine > top.events) top = { src, name: c.name, field, rate, events: mine };
    if (attempts > 1 && n * attempts * EVENTS_PER_REQUEST > MAX_ESTIMATED_EVENTS) {
      err('timeout', `a timeout of 0 with ${fmt(c.retries)} retries makes every request fail and be retried ${fmt(c.retries)} times: about ${fmt(n * attempts * EVENTS_PER_REQUEST)} events; give a timeout above 0 or fewer retries`);
    }
  });

  // Periodic work beside the requests: the control plane of a timeline (probes, syncs) ticks about once a
  // second per pod and node.
  if (spec.time && duration !== null) events += duration * (spec.pods.length + spec.nodes.length);
  if (window && duration !== null) {
    const windows = duration / window;
    memory += windows * BYTES_PER_WINDOW;
    if (windows * BYTES_PER_WINDOW > budget && sim) {
      refused = true;
      problems.error(sim, ['spec', 'window'], `a window of ${fmt(window)} s over ${fmt(duration)} s is ${fmt(windows)} windows, about ${bytes(windows * BYTES_PER_WINDOW)} of memory, more than the ${bytes(budget)} a run may use: widen the window or shorten the duration`);
    }
  }

  if (!refused && (events > MAX_ESTIMATED_EVENTS || Number.isNaN(events))) {
    // The field to change: the duration when it is absurd (or no client dominates), else the busiest client's rate.
    const durationAbsurd = duration !== null && duration > 1e7;
    const need =
      `this run would need about ${fmt(events)} events (${fmt(requests)} requests over ${duration === null ? 'no time limit' : `${fmt(duration)} s`}), ` +
      `more than the ${fmt(MAX_ESTIMATED_EVENTS)} a run can finish at a few million events per second`;
    if (top && top.src && !durationAbsurd) {
      problems.error(top.src.res, ['spec', 'clients', top.src.index, top.field], `${need}: client ${top.name} sends about ${fmt(top.rate)} requests/s; lower its ${top.field}, or shorten Simulation.spec.duration`);
    } else {
      const field = duration === null ? 'requests' : 'duration';
      const message = `${need}: shorten Simulation.spec.${field}${duration === null ? '' : ' (at most a few days of simulated time at these rates)'}, or lower the clients' rates`;
      if (sim) problems.error(sim, ['spec', field], message);
      else problems.add({ severity: 'error', file: 'scenario', line: 1, col: 1, path: `Simulation.spec.${field}`, message });
    }
  } else if (!refused && events > DEFAULT_MAX_EVENTS && sim) {
    problems.warn(sim, ['spec', duration === null ? 'requests' : 'duration'], `this run would need about ${fmt(events)} events, more than the default ceiling of ${fmt(DEFAULT_MAX_EVENTS)}: it will stop there with exit 1 unless run with a higher --max-events`);
  }
  return { requests, events, bytes: memory };
}
