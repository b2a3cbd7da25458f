import { describe, expect, test } from 'vitest';
import { estimatedRequests } from '../../src/experiment/run-cost.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { TINY_SCENARIO } from './helpers.js';

function specWith(set: string[], text = TINY_SCENARIO) {
  const r = loadScenarioText(text, { set });
  if (!r.ok) expect.fail(r.diagnostics.map((d) => d.message).join('\n'));
  return r.spec;
}

describe('estimated requests of a run (orders a sweep: longest first)', () => {
  test('open loop: rate × duration', () => {
    expect(estimatedRequests(specWith([]))).toBeCloseTo(150, 6);
    expect(estimatedRequests(specWith(['Workload.spec.clients[0].rate=3k/s', 'Simulation.spec.duration=2s']))).toBeCloseTo(6000, 6);
  });

  test('a request cap bounds it, and alone sets it', () => {
    expect(estimatedRequests(specWith(['Simulation.spec.requests=40']))).toBe(40);
  });

  test('closed loop: users / (think time + an assumed 5 ms response)', () => {
    const closed = TINY_SCENARIO.replace('      rate: 150/s\n', '      users: 10\n      thinkTime: const(95ms)\n');
    expect(closed).not.toBe(TINY_SCENARIO);
    const spec = specWith([], closed);
    expect(estimatedRequests(spec)).toBeCloseTo(100, 6);
  });
});
