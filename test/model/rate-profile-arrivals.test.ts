/**
 * A client whose rate varies (a rate profile), run end to end through simulate().
 *
 * Every latency is 0 (the spec builders' default) and service takes no time on pods that serve 1000
 * requests at once, so a request completes at the instant it arrives: the time series' completions per
 * window are the arrivals per window, which must match ∫λ over the window as a Poisson count does
 * (|N − m| ≤ 4√m in every window; the dispersion Σ(N − m)²/m over K windows within K ± 5√(2K)).
 */
import { describe, expect, it } from 'vitest';
import { RateProfile, type RatePoint } from '../../src/engine/rate-profile.js';
import type { ClientSpec } from '../../src/model/spec.js';
import { clusterSpec, deterministicPart, dist, run } from './datapath-helpers.js';
import { behaviour, client } from './fixtures.js';

function profiledClient(profile: RateProfile, name = 'load'): ClientSpec {
  return client({
    name,
    arrival: { kind: 'open', interarrival: dist(`exp(rate=${profile.nominalRate()}/s)`), rate: profile },
    target: { service: 'default/web', port: 80, via: 'nodePort', nodes: [] },
  });
}

function specWith(clients: ClientSpec[]) {
  return clusterSpec({
    podsPerNode: [1, 1],
    zones: ['zone-a'],
    pod: () => ({ behaviour: behaviour({ serviceTime: dist('const(0)'), concurrency: 1000, queueCapacity: 1e9 }) }),
    clients,
  });
}

const steps = (...pairs: [number, number][]): RateProfile =>
  new RateProfile({ kind: 'steps', steps: pairs.map(([at, rate]): RatePoint => ({ at, rate })) });

describe('a client with a steps profile, through simulate()', () => {
  // 300/s for 5 s, 1200/s for 4 s, nothing for 3 s, 600/s to the end (20 s): ~14,700 requests.
  const profile = steps([0, 300], [5, 1200], [9, 0], [12, 600]);
  const result = run(specWith([profiledClient(profile)]), { duration: 20, window: 0.5, seed: 3 });
  const ts = result.timeSeries;

  it('reports 40 windows of 0.5 s, and nothing is lost', () => {
    expect(ts.window).toBe(0.5);
    expect(ts.start).toHaveLength(40);
    expect(result.accounting.total.droppedTotal).toBe(0);
    expect(ts.completed.reduce((a, b) => a + b, 0)).toBe(result.accounting.measured.completed);
  });

  it('the requests sent in each window match ∫λ over it', () => {
    let chi2 = 0;
    let used = 0;
    ts.start.forEach((start, k) => {
      const m = profile.integral(start, start + ts.window);
      const n = ts.completed[k]!;
      if (m === 0) {
        expect(n, `window at ${start} s: rate 0`).toBe(0);
        return;
      }
      expect(Math.abs(n - m), `window at ${start} s: ${n} requests, ∫λ = ${m}`).toBeLessThanOrEqual(4 * Math.sqrt(m));
      chi2 += (n - m) ** 2 / m;
      used++;
    });
    expect(used).toBe(34);
    expect(chi2).toBeGreaterThan(used - 5 * Math.sqrt(2 * used));
    expect(chi2).toBeLessThan(used + 5 * Math.sqrt(2 * used));
  });

  it('generates ∫λ over the run in all', () => {
    const m = profile.cumulative(20);
    expect(m).toBe(1500 + 4800 + 0 + 4800);
    expect(Math.abs(result.accounting.total.generated - m)).toBeLessThanOrEqual(4 * Math.sqrt(m));
  });

  it('is reproducible: the same seed gives the same result', () => {
    const again = run(specWith([profiledClient(profile)]), { duration: 20, window: 0.5, seed: 3 });
    expect(deterministicPart(again)).toEqual(deterministicPart(result));
  });
});

describe('a profile that ends', () => {
  it('a rate of 0 for ever after 4 s ends the client; the run still lasts its duration', () => {
    const r = run(specWith([profiledClient(steps([0, 500], [4, 0]))]), { duration: 10, window: 1, seed: 9 });
    expect(r.timeSeries.completed.slice(4)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(r.timeSeries.completed.slice(0, 4).every((n) => n > 400 && n < 600)).toBe(true);
    expect(r.stop.generationEnd).toBe(10);
  });

  it('alongside a constant client, whose arrivals it does not change (own stream)', () => {
    const constant = client({ name: 'steady', arrival: { kind: 'open', interarrival: dist('exp(rate=200/s)') }, target: { service: 'default/web', port: 80, via: 'nodePort', nodes: [] } });
    const alone = run(specWith([constant]), { duration: 5, window: 1, seed: 4 });
    const both = run(specWith([constant, profiledClient(steps([0, 0], [2, 300]), 'burst')]), { duration: 5, window: 1, seed: 4 });
    const generated = (r: typeof alone, name: string): number => r.clients.find((c) => c.client === name)!.generated;
    expect(generated(both, 'steady')).toBe(generated(alone, 'steady'));
    expect(generated(both, 'burst')).toBeGreaterThan(0);
    expect(both.timeSeries.completed[0]).toBe(alone.timeSeries.completed[0]); // the burst has not started
    expect(both.timeSeries.completed[1]).toBe(alone.timeSeries.completed[1]);
  });
});
