/**
 * How a pod starts and stops, from its spec (readiness probe, preStop hook, termination grace period) and
 * the `netsim/startup-time`, `netsim/prestop` and `netsim/shutdown` annotations (docs/references.md#probes-termination, docs/references.md#pod-startup).
 *
 * The length of a preStop hook is known when it is a sleep: `sleep: {seconds: N}` (KEP-3960), or an exec of
 * `sleep N` (directly or in `sh -c`). Any other hook (an HTTP call, a script) takes a time the model cannot
 * know: it counts as 0 s, with a warning that suggests `netsim/prestop`.
 */
import type { Distribution } from '../engine/distributions/index.js';
import { formatQuantity } from '../engine/units.js';
import type { PodLifecycleSpec, ProbeSpec } from '../model/control/spec.js';
import type { BehaviourAnnotations } from './annotations.js';
import { DEFAULTS } from './defaults.js';
import type { LifecycleHandlerInput, PodSpecInput, ProbeInput } from './kinds/pod.js';
import type { Problems } from './problems.js';
import type { Resource } from './resource.js';
import type { FieldPath } from './source-map.js';
import { builtinDistribution } from './values.js';

/** `15s`, `500ms`, `0s`: a duration as a message writes it (and a scenario reads it back). */
export function seconds(x: number): string {
  return x === 0 ? '0s' : formatQuantity(x, 'duration');
}

let defaultStartup: Distribution | undefined;

/** The default start-up distribution, parsed once (distributions keep no state: one object serves all pods). */
function startupDefault(): Distribution {
  defaultStartup ??= builtinDistribution(DEFAULTS.lifecycle.startupTime);
  return defaultStartup;
}

/** A probe with Kubernetes' defaults written in (a field left out, or 0, takes its default). */
export function readProbe(p: ProbeInput): ProbeSpec {
  const L = DEFAULTS.lifecycle;
  return {
    initialDelay: p.initialDelaySeconds ?? L.probeInitialDelay,
    period: p.periodSeconds || L.probePeriod,
    successThreshold: p.successThreshold || L.probeSuccessThreshold,
    failureThreshold: p.failureThreshold || L.probeFailureThreshold,
  };
}

/** GNU sleep's operands: numbers with an optional s, m, h or d suffix, summed. Undefined if not that. */
function sleepOperands(args: readonly string[]): number | undefined {
  if (args.length === 0) return undefined;
  let total = 0;
  for (const a of args) {
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a);
    if (!m) return undefined;
    total += Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]!]!;
  }
  return total;
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'busybox']);

function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

/** What an exec hook's command says about its length. */
export type ExecLength =
  | { readonly kind: 'sleep'; readonly seconds: number }
  /** A shell script with sleeps and other commands: the sleeps are known, the rest is not. */
  | { readonly kind: 'partial'; readonly seconds: number; readonly rest: string }
  | { readonly kind: 'unknown' };

/** `["sleep", "15"]`, `["/bin/sh", "-c", "sleep 15"]`, `["sh", "-c", "sleep 5 && nginx -s quit"]`... */
export function execLength(command: readonly string[]): ExecLength {
  if (command.length === 0) return { kind: 'unknown' };
  const head = basename(command[0]!);
  if (head === 'sleep') {
    const s = sleepOperands(command.slice(1));
    return s === undefined ? { kind: 'unknown' } : { kind: 'sleep', seconds: s };
  }
  if (!SHELLS.has(head)) return { kind: 'unknown' };
  // `sh -c SCRIPT` (also `sh -ec`, `busybox sh -c`).
  let i = 1;
  if (head === 'busybox' && command[1] === 'sh') i = 2;
  const flag = command[i];
  if (flag === undefined || !/^-[a-z]*c[a-z]*$/.test(flag) || command[i + 1] === undefined) return { kind: 'unknown' };
  const script = command[i + 1]!;
  const steps = script
    .split(/&&|\|\||;|\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'true' && s !== ':');
  let seconds = 0;
  let sleeps = 0;
  const rest: string[] = [];
  for (const step of steps) {
    const words = step.split(/\s+/);
    const s = basename(words[0]!) === 'sleep' ? sleepOperands(words.slice(1)) : undefined;
    if (s === undefined) rest.push(step);
    else {
      seconds += s;
      sleeps++;
    }
  }
  if (sleeps === 0) return { kind: 'unknown' };
  return rest.length === 0 ? { kind: 'sleep', seconds } : { kind: 'partial', seconds, rest: rest.join('; ') };
}

const ANNOTATION_ADVICE = 'give its length with the pod annotation netsim/prestop (e.g. "10s")';

/** One container's preStop hook length, warning where the model cannot know it. */
function hookLength(h: LifecycleHandlerInput, res: Resource, path: FieldPath, problems: Problems, warn: boolean): number {
  if (h.sleep !== undefined) return h.sleep.seconds;
  if (h.exec !== undefined) {
    const command = h.exec.command ?? [];
    const len = execLength(command);
    if (len.kind === 'sleep') return len.seconds;
    if (len.kind === 'partial') {
      if (warn) problems.warn(res, [...path, 'exec', 'command'], `the preStop hook sleeps ${seconds(len.seconds)}, and the model cannot know how long the rest takes (${len.rest}): counted as ${seconds(len.seconds)}; ${ANNOTATION_ADVICE}`);
      return len.seconds;
    }
    if (warn) problems.warn(res, [...path, 'exec', 'command'], `the model cannot know how long this preStop hook takes (it is not a sleep): counted as 0s; ${ANNOTATION_ADVICE}`);
    return 0;
  }
  const kind = h.httpGet !== undefined ? 'httpGet' : h.tcpSocket !== undefined ? 'tcpSocket' : undefined;
  if (kind && warn) {
    problems.warn(res, [...path, kind], `the model cannot know how long this ${kind} preStop hook takes: counted as 0s; ${ANNOTATION_ADVICE}`);
  }
  return 0;
}

/** Where the pieces of a pod's lifecycle are written, for diagnostics. */
export interface LifecycleSource {
  readonly res: Resource;
  /** The pod spec: `['spec']` or `['spec', 'template', 'spec']`. */
  readonly specPath: FieldPath;
  /** The pod's (or template's) annotations mapping. */
  readonly annotationsPath: FieldPath;
}

/**
 * A pod's lifecycle. `warn`: say where the model cannot know a hook's length, or the hook outlasts the grace
 * period; only worth saying when something happens in time (a timeline), so steady-state runs stay quiet.
 */
export function readLifecycle(spec: PodSpecInput, ann: BehaviourAnnotations, at: LifecycleSource, problems: Problems, warn: boolean): PodLifecycleSpec {
  const L = DEFAULTS.lifecycle;

  // Ready when every container is: the probe that takes longest to first pass decides.
  let readiness: ProbeSpec | null = null;
  for (const c of spec.containers) {
    if (!c.readinessProbe) continue;
    const p = readProbe(c.readinessProbe);
    if (!readiness || p.initialDelay + p.successThreshold * p.period > readiness.initialDelay + readiness.successThreshold * readiness.period) readiness = p;
  }

  // Containers run their hooks at once: the longest decides.
  let preStop: number = L.preStop;
  let preStopPath: FieldPath | undefined;
  if (ann.preStop !== undefined) {
    preStop = ann.preStop;
    preStopPath = [...at.annotationsPath, 'netsim/prestop'];
  } else {
    spec.containers.forEach((c, i) => {
      const h = c.lifecycle?.preStop;
      if (!h) return;
      const path: FieldPath = [...at.specPath, 'containers', i, 'lifecycle', 'preStop'];
      const s = hookLength(h, at.res, path, problems, warn);
      if (s > preStop) {
        preStop = s;
        preStopPath = path;
      }
    });
  }

  const grace = spec.terminationGracePeriodSeconds ?? L.terminationGracePeriod;
  if (warn && preStop > grace) {
    const path = spec.terminationGracePeriodSeconds !== undefined ? [...at.specPath, 'terminationGracePeriodSeconds'] : preStopPath!;
    problems.warn(at.res, path, `the preStop hook (${seconds(preStop)}) outlasts terminationGracePeriodSeconds (${grace}${spec.terminationGracePeriodSeconds === undefined ? ', the default' : ''}): the kubelet sends SIGTERM at the deadline and SIGKILL 2s later, leaving the app no time to finish its requests`);
  }

  return {
    startup: ann.startupTime ?? startupDefault(),
    readiness,
    preStop,
    terminationGracePeriod: grace,
    shutdown: ann.shutdown ?? L.shutdown,
  };
}
