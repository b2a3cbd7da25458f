/**
 * A Workload client's `rate` that varies over time: the forms (steps, ramp, sine, trace), what they
 * build, their errors at file:line:col, `--set` on them, and that a constant rate is read exactly as
 * before.
 */
import { describe, expect, test } from 'vitest';
import { RateProfile } from '../../src/engine/rate-profile.js';
import type { ClientSpec } from '../../src/model/spec.js';
import { failed, load, ok, yaml } from './helpers.js';

const BASE = yaml(
  /*  1 */ 'apiVersion: netsim/v1',
  /*  2 */ 'kind: Cluster',
  /*  3 */ 'spec: {zones: [{name: a, nodes: 2}]}',
  /*  4 */ '---',
  /*  5 */ 'apiVersion: apps/v1',
  /*  6 */ 'kind: Deployment',
  /*  7 */ 'metadata: {name: web}',
  /*  8 */ 'spec:',
  /*  9 */ '  replicas: 2',
  /* 10 */ '  selector: {matchLabels: {app: web}}',
  /* 11 */ '  template:',
  /* 12 */ '    metadata: {labels: {app: web}}',
  /* 13 */ '    spec: {containers: [{name: web}]}',
  /* 14 */ '---',
  /* 15 */ 'apiVersion: v1',
  /* 16 */ 'kind: Service',
  /* 17 */ 'metadata: {name: web}',
  /* 18 */ 'spec:',
  /* 19 */ '  type: NodePort',
  /* 20 */ '  selector: {app: web}',
  /* 21 */ '  ports: [{port: 80}]',
  /* 22 */ '---',
  /* 23 */ 'apiVersion: netsim/v1',
  /* 24 */ 'kind: Workload',
  /* 25 */ 'spec:',
  /* 26 */ '  clients:',
  /* 27 */ '    - name: users',
  /* 28 */ '      target: {service: web}',
);

/** The scenario with the client's rate written as these lines (from line 29 on). */
const withRate = (...lines: string[]): string => BASE + yaml(...lines);

const profileOf = (c: ClientSpec): RateProfile => {
  if (c.arrival.kind !== 'open' || !c.arrival.rate) expect.fail('expected an open client with a rate profile');
  return c.arrival.rate;
};

/** A reader of an in-memory file system, as the loader's readFile option takes it. */
function reader(files: Record<string, string>): (p: string) => string {
  return (p) => {
    if (!Object.hasOwn(files, p)) throw new Error(`ENOENT: no such file or directory, open '${p}'`);
    return files[p]!;
  };
}

describe('rate forms', () => {
  test('a constant rate is read as before: exponential inter-arrivals, no profile', () => {
    const { spec } = ok(load({ 's.yaml': withRate('      rate: 3k/s') }));
    const a = spec.clients[0]!.arrival;
    expect(a.kind === 'open' && a.rate).toBeFalsy();
    expect(a.kind === 'open' && a.interarrival.toString()).toBe('exp(rate=3k/s)');
  });

  test('steps: each rate holds until the next step', () => {
    const { spec } = ok(load({ 's.yaml': withRate('      rate: {steps: [{at: 0s, rate: 1k/s}, {at: 60s, rate: 3k/s}, {at: 120s, rate: 1k/s}]}') }));
    const p = profileOf(spec.clients[0]!);
    expect(p.spec).toEqual({ kind: 'steps', steps: [{ at: 0, rate: 1000 }, { at: 60, rate: 3000 }, { at: 120, rate: 1000 }] });
    expect([p.rate(30), p.rate(90), p.rate(150)]).toEqual([1000, 3000, 1000]);
    // The summary inter-arrival: exponential at the mean over [0, 120 s].
    const a = spec.clients[0]!.arrival;
    expect(a.kind === 'open' && 1 / a.interarrival.mean).toBeCloseTo(2000, 9);
  });

  test('ramp: from before start (default 0), linear, to after end', () => {
    const { spec } = ok(load({ 's.yaml': withRate('      rate:', '        ramp: {from: 1k/s, to: 5k/s, start: 30s, end: 90s}') }));
    expect(profileOf(spec.clients[0]!).spec).toEqual({ kind: 'ramp', from: 1000, to: 5000, start: 30, end: 90 });
    const noStart = ok(load({ 's.yaml': withRate('      rate: {ramp: {from: 0, to: 2k/s, end: 1m}}') })).spec;
    expect(profileOf(noStart.clients[0]!).spec).toEqual({ kind: 'ramp', from: 0, to: 2000, start: 0, end: 60 });
  });

  test('sine: peakAt defaults to a quarter period', () => {
    const { spec } = ok(load({ 's.yaml': withRate('      rate: {sine: {period: 24h, min: 200/s, max: 2k/s, peakAt: 14h}}') }));
    const p = profileOf(spec.clients[0]!);
    expect(p.spec).toEqual({ kind: 'sine', period: 86400, min: 200, max: 2000, peakAt: 50400 });
    expect(p.rate(14 * 3600)).toBeCloseTo(2000, 9);
    const dflt = ok(load({ 's.yaml': withRate('      rate: {sine: {period: 10m, min: 0, max: 1k/s}}') })).spec;
    expect(profileOf(dflt.clients[0]!).spec).toMatchObject({ peakAt: 150 });
  });

  test('trace: read relative to the scenario file, linear by default, step on request', () => {
    const readFile = reader({ '/m/load.csv': 'time,rate\n0s,100/s\n10s,300/s\n20s,0\n', '/m/s.yaml': '' });
    const lin = ok(load({ '/m/s.yaml': withRate('      rate: {trace: load.csv}') }, { readFile })).spec;
    const p = profileOf(lin.clients[0]!);
    expect(p.spec).toEqual({ kind: 'trace', points: [{ at: 0, rate: 100 }, { at: 10, rate: 300 }, { at: 20, rate: 0 }], interpolate: 'linear', source: 'load.csv' });
    expect(p.rate(5)).toBeCloseTo(200, 9);
    const step = ok(load({ '/m/s.yaml': withRate('      rate: {trace: load.csv, interpolate: step}') }, { readFile })).spec;
    expect(profileOf(step.clients[0]!).rate(5)).toBe(100);
  });

  test('two profiles are the same spec exactly when they are written the same (sweep fingerprints)', () => {
    const a = ok(load({ 's.yaml': withRate('      rate: {sine: {period: 10m, min: 0, max: 1k/s}}') })).spec;
    const b = ok(load({ 's.yaml': withRate('      rate: {sine: {period: 10m, min: 0, max: 2k/s}}') })).spec;
    expect(JSON.stringify(a.clients[0]!.arrival)).toContain('"kind":"sine"');
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
  });
});

describe('rate errors, at file:line:col', () => {
  const errorsOf = (...lines: string[]): string[] => failed(load({ 's.yaml': withRate(...lines) })).errors;

  test('a bad constant rate keeps its message', () => {
    expect(errorsOf('      rate: 5x/s')).toEqual([
      "s.yaml:29:14: error: Workload.spec.clients[0].rate: expected a rate such as 3000/s, 5k/s or 120/m, found '5x/s' (unknown unit 'x/s')",
    ]);
    expect(errorsOf('      rate: 0')).toEqual(['s.yaml:29:13: error: Workload.spec.clients[0].rate: expected a rate above zero, found 0']);
  });

  test('steps not ascending', () => {
    expect(errorsOf('      rate: {steps: [{at: 0s, rate: 1k/s}, {at: 60s, rate: 3k/s}, {at: 30s, rate: 1k/s}]}')).toEqual([
      "s.yaml:29:72: error: Workload.spec.clients[0].rate.steps[2].at: expected a time after the previous step's (60s): steps ascend, found 30s",
    ]);
  });

  test('a negative rate, and a rate without a unit', () => {
    expect(errorsOf('      rate:', '        steps:', '          - {at: 0s, rate: -5/s}', '          - {at: 1m, rate: 100}')).toEqual([
      "s.yaml:31:28: error: Workload.spec.clients[0].rate.steps[0].rate: expected a rate such as 3000/s, 5k/s or 120/m, found '-5/s' (cannot be negative)",
      "s.yaml:32:28: error: Workload.spec.clients[0].rate.steps[1].rate: expected a rate such as 3000/s, 5k/s or 120/m, found '100' (a number without a unit)",
    ]);
  });

  test('steps that are all 0', () => {
    expect(errorsOf('      rate: {steps: [{at: 0s, rate: 0}]}')).toEqual([
      's.yaml:29:21: error: Workload.spec.clients[0].rate.steps: expected some step with a rate above 0, found only zeros',
    ]);
  });

  test('a ramp whose end is not after its start', () => {
    expect(errorsOf('      rate:', '        ramp: {from: 1k/s, to: 5k/s, start: 90s, end: 30s}')).toEqual([
      's.yaml:30:55: error: Workload.spec.clients[0].rate.ramp.end: expected an end after start (90s), found 30s',
    ]);
  });

  test('a sine with min above max, a sine of period 0, a missing field', () => {
    expect(errorsOf('      rate: {sine: {period: 1h, min: 3k/s, max: 2k/s}}')).toEqual([
      's.yaml:29:38: error: Workload.spec.clients[0].rate.sine.min: expected a min at most max (2k/s), found 3k/s',
    ]);
    expect(errorsOf('      rate: {sine: {period: 0, min: 0, max: 2k/s}}')).toEqual([
      's.yaml:29:29: error: Workload.spec.clients[0].rate.sine.period: expected a period above 0, found 0',
    ]);
    expect(errorsOf('      rate: {sine: {period: 1h, max: 2k/s}}')).toEqual([
      's.yaml:29:14: error: Workload.spec.clients[0].rate.sine.min: expected a rate such as 3000/s, 5k/s or 120/m, found nothing; this field is required',
    ]);
  });

  test('no form, two forms, an unknown field, interpolate without a trace', () => {
    expect(errorsOf('      rate: {}')).toEqual([
      's.yaml:29:13: error: Workload.spec.clients[0].rate: expected one of steps, ramp, sine or trace, found none of them',
    ]);
    expect(errorsOf('      rate: {ramp: {from: 1/s, to: 2/s, end: 1s}, sine: {period: 1h, min: 0, max: 1/s}}')).toEqual([
      's.yaml:29:57: error: Workload.spec.clients[0].rate.sine: give only one of steps, ramp, sine and trace (found ramp and sine)',
    ]);
    expect(errorsOf('      rate: {stpes: [{at: 0s, rate: 1/s}]}')).toEqual([
      's.yaml:29:14: error: Workload.spec.clients[0].rate.stpes: unknown field "stpes" (did you mean "steps"?); the fields here are steps, ramp, sine, trace, interpolate',
    ]);
    expect(errorsOf('      rate: {ramp: {from: 1/s, to: 2/s, end: 1s, strat: 0s}}')).toEqual([
      's.yaml:29:50: error: Workload.spec.clients[0].rate.ramp.strat: unknown field "strat" (did you mean "start"?); the fields here are from, to, start, end',
    ]);
    expect(errorsOf('      rate: {sine: {period: 1h, min: 0, max: 1/s}, interpolate: step}')).toEqual([
      's.yaml:29:65: error: Workload.spec.clients[0].rate.interpolate: interpolate applies to a trace only',
    ]);
    expect(errorsOf('      rate: [1k/s]')).toEqual([
      's.yaml:29:13: error: Workload.spec.clients[0].rate: expected a rate such as 3k/s, or a profile: {steps: [...]}, {ramp: {...}}, {sine: {...}} or {trace: file.csv}, found a list',
    ]);
  });

  test('a trace that cannot be read, and a bad row with its file:line', () => {
    const readFile = reader({ '/m/load.csv': 'time,rate\n0s,100/s\n10s,3OO/s\n', '/m/s.yaml': '' });
    const missing = failed(load({ '/m/s.yaml': withRate('      rate: {trace: data/nope.csv}') }, { readFile })).errors;
    expect(missing).toEqual([
      "/m/s.yaml:29:21: error: Workload.spec.clients[0].rate.trace: expected a readable trace file, found that 'data/nope.csv' cannot be read: ENOENT: no such file or directory, open '/m/data/nope.csv'",
    ]);
    const badRow = failed(load({ '/m/s.yaml': withRate('      rate: {trace: load.csv, interpolate: step}') }, { readFile })).errors;
    expect(badRow).toEqual([
      "/m/s.yaml:29:21: error: Workload.spec.clients[0].rate.trace: load.csv:3: expected a rate such as 1k/s, 120/m or 250 (per second), found '3OO/s' (unknown unit 'OO/s')",
    ]);
    const badMode = failed(load({ '/m/s.yaml': withRate('      rate: {trace: load.csv, interpolate: cubic}') }, { readFile })).errors;
    expect(badMode).toEqual(['/m/s.yaml:29:44: error: Workload.spec.clients[0].rate.interpolate: expected one of "linear" or "step", found "cubic"']);
  });
});

describe('--set on rates', () => {
  const SCENARIO = withRate('      rate: 1k/s');

  test('a constant rate is still overridden as before', () => {
    const { spec } = ok(load({ 's.yaml': SCENARIO }, { set: ['Workload.spec.clients[0].rate=5k/s'] }));
    const a = spec.clients[0]!.arrival;
    expect(a.kind === 'open' && a.interarrival.mean).toBeCloseTo(1 / 5000, 12);
    expect(a.kind === 'open' && a.rate).toBeFalsy();
  });

  test('a profile can be set whole, and one of its fields on its own', () => {
    const whole = ok(load({ 's.yaml': SCENARIO }, { set: ['Workload.spec.clients[0].rate={sine: {period: 1h, min: 100/s, max: 1k/s}}'] })).spec;
    expect(profileOf(whole.clients[0]!).spec).toEqual({ kind: 'sine', period: 3600, min: 100, max: 1000, peakAt: 900 });
    const sine = withRate('      rate: {sine: {period: 1h, min: 100/s, max: 1k/s}}');
    const field = ok(load({ 's.yaml': sine }, { set: ['Workload.spec.clients[0].rate.sine.max=3k/s'] })).spec;
    expect(profileOf(field.clients[0]!).spec).toMatchObject({ max: 3000 });
  });

  test('an overridden profile is checked like a written one, its errors at the --set', () => {
    const sine = withRate('      rate: {sine: {period: 1h, min: 100/s, max: 1k/s}}');
    expect(failed(load({ 's.yaml': sine }, { set: ['Workload.spec.clients[0].rate.sine.min=2k/s'] })).errors).toEqual([
      '--set:1:40: error: Workload.spec.clients[0].rate.sine.min: expected a min at most max (1k/s), found 2k/s',
    ]);
  });
});
