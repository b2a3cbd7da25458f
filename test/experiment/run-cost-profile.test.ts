/**
 * A sweep's run-cost estimate (longest runs first) for a client whose rate varies: the profile's mean
 * rate over the run, ∫λ/duration, times the duration, i.e. ∫λ over the run; still capped by `requests`.
 */
import { describe, expect, test } from 'vitest';
import { estimatedRequests } from '../../src/experiment/run-cost.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { TINY_SCENARIO } from './helpers.js';

function specWith(set: string[]) {
  const r = loadScenarioText(TINY_SCENARIO, { set });
  if (!r.ok) expect.fail(r.diagnostics.map((d) => d.message).join('\n'));
  return r.spec;
}

describe('estimated requests with a rate that varies', () => {
  test('steps: ∫λ over the duration, not the rate at any one time', () => {
    const rate = 'Workload.spec.clients[0].rate={steps: [{at: 0s, rate: 100/s}, {at: 10s, rate: 1k/s}, {at: 20s, rate: 0}]}';
    // 10 s at 100/s + 10 s at 1000/s + 10 s at 0.
    expect(estimatedRequests(specWith([rate, 'Simulation.spec.duration=30s']))).toBeCloseTo(11_000, 6);
    expect(estimatedRequests(specWith([rate, 'Simulation.spec.duration=15s']))).toBeCloseTo(6_000, 6);
  });

  test('a ramp and a sine', () => {
    const ramp = 'Workload.spec.clients[0].rate={ramp: {from: 0, to: 2k/s, end: 10s}}';
    expect(estimatedRequests(specWith([ramp, 'Simulation.spec.duration=20s']))).toBeCloseTo(10_000 + 20_000, 6);
    const sine = 'Workload.spec.clients[0].rate={sine: {period: 1m, min: 100/s, max: 300/s}}';
    expect(estimatedRequests(specWith([sine, 'Simulation.spec.duration=2m']))).toBeCloseTo(200 * 120, 6);
  });

  test('a request cap still bounds it', () => {
    const rate = 'Workload.spec.clients[0].rate={steps: [{at: 0s, rate: 1k/s}]}';
    expect(estimatedRequests(specWith([rate, 'Simulation.spec.duration=10s', 'Simulation.spec.requests=40']))).toBe(40);
  });
});
