/**
 * models/daily-load.yaml: a day compressed into 10 minutes. It loads cleanly (models.test.ts checks every
 * model for that too), its clients follow a sine, and when simulated the requests per 10 s window follow
 * the sine: the night windows well below the peak ones, and each window within Poisson bounds of ∫λ.
 *
 * A request counts in the window where it completed (or was given up), a few milliseconds after it was
 * sent, so each window's count is compared with ∫λ over the window with a little slack for those crossing
 * a window's edge (1 % of the window's requests; the Poisson bound 4√m is 4-9 % here).
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/experiment/run-scenario.js';
import type { RateProfile } from '../../src/engine/rate-profile.js';
import type { ModelSpec } from '../../src/model/spec.js';

const FILE = new URL('../../models/daily-load.yaml', import.meta.url).pathname;

function profiles(spec: ModelSpec): RateProfile[] {
  return spec.clients.map((c) => {
    if (c.arrival.kind !== 'open' || !c.arrival.rate) throw new Error(`client ${c.name} has no rate profile`);
    return c.arrival.rate;
  });
}

describe('models/daily-load.yaml', () => {
  const outcome = runScenario({ files: [FILE] });
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('\n'));
  const { result, spec, warnings } = outcome;
  const ts = result.timeSeries;
  const total = (t0: number, t1: number): number => profiles(spec).reduce((sum, p) => sum + p.integral(t0, t1), 0);
  const sent = ts.completed.map((c, k) => c + ts.dropped[k]!);

  it('loads without a warning: four clients on one day (sine, period 10m, peak at 350 s)', () => {
    expect(warnings).toEqual([]);
    expect(profiles(spec).map((p) => p.spec)).toEqual([
      { kind: 'sine', period: 600, min: 50, max: 500, peakAt: 350 },
      { kind: 'sine', period: 600, min: 50, max: 500, peakAt: 350 },
      { kind: 'sine', period: 600, min: 50, max: 500, peakAt: 350 },
      { kind: 'sine', period: 600, min: 20, max: 200, peakAt: 350 },
    ]);
    expect(spec.simulation).toMatchObject({ duration: 600, warmup: 0, window: 10 });
  });

  it('reports 60 windows of 10 s', () => {
    expect(ts.window).toBe(10);
    expect(ts.start).toHaveLength(60);
  });

  it('the night is quieter than the peak: the windows around 50 s carry under a quarter of those around 350 s', () => {
    const around = (t: number): number => {
      const ks = ts.start.map((s, k) => (Math.abs(s + 5 - t) <= 30 ? k : -1)).filter((k) => k >= 0);
      return ks.reduce((sum, k) => sum + sent[k]!, 0) / ks.length;
    };
    const night = around(50);
    const peak = around(350);
    expect(night).toBeGreaterThan(0);
    expect(night / peak).toBeLessThan(0.25);
    // The busiest window is near the peak, the quietest near the trough.
    const busiest = ts.start[sent.indexOf(Math.max(...sent))]!;
    const quietest = ts.start[sent.indexOf(Math.min(...sent))]!;
    expect(Math.abs(busiest + 5 - 350)).toBeLessThanOrEqual(60);
    expect(Math.abs(quietest + 5 - 50)).toBeLessThanOrEqual(60);
  });

  it('every window carries ∫λ over it, within Poisson bounds', () => {
    ts.start.forEach((start, k) => {
      const m = total(start, start + ts.window);
      expect(Math.abs(sent[k]! - m), `window at ${start} s: ${sent[k]} requests, ∫λ = ${m.toFixed(1)}`).toBeLessThanOrEqual(4 * Math.sqrt(m) + 0.01 * m);
    });
    // In all: ∫λ over the day (Λ(600 s) = 3 × 275/s × 600 s + 110/s × 600 s = 561,000).
    expect(total(0, 600)).toBeCloseTo(561_000, 6);
    expect(Math.abs(result.accounting.total.generated - 561_000)).toBeLessThanOrEqual(4 * Math.sqrt(561_000));
  });
});
