import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulator } from '../../src/engine/simulator.js';

describe('Simulator', () => {
  it('runs events in time order and advances the clock to each', () => {
    const sim = new Simulator();
    const seen: [number, number][] = [];
    const h = (arg: number) => seen.push([sim.now, arg]);
    sim.schedule(3, h, 3);
    sim.schedule(1, h, 1);
    sim.schedule(2, h, 2);
    expect(sim.run()).toBe('empty');
    expect(seen).toEqual([[1, 1], [2, 2], [3, 3]]);
    expect(sim.eventsProcessed).toBe(3);
  });

  it('runs events at equal times in the order they were scheduled', () => {
    const sim = new Simulator();
    const seen: number[] = [];
    const h = (arg: number) => seen.push(arg);
    for (let i = 0; i < 100; i++) sim.scheduleAt(5, h, i);
    sim.run();
    expect(seen).toEqual([...Array(100).keys()]);
  });

  it('orders equal-time events across the heap and lanes by scheduling order', () => {
    const sim = new Simulator();
    const seen: string[] = [];
    const lane = sim.lane(1);
    sim.schedule(1, () => seen.push('heap-a'));
    lane.schedule(() => seen.push('lane-b'));
    sim.schedule(1, () => seen.push('heap-c'));
    lane.schedule(() => seen.push('lane-d'));
    sim.run();
    expect(seen).toEqual(['heap-a', 'lane-b', 'heap-c', 'lane-d']);
  });

  it('lets handlers schedule further events, including at the current time', () => {
    const sim = new Simulator();
    const seen: number[] = [];
    const h = (arg: number) => {
      seen.push(arg);
      if (arg < 5) sim.schedule(0, h, arg + 1);
    };
    sim.schedule(0.5, h, 0);
    sim.run();
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    expect(sim.now).toBe(0.5);
  });

  it('cancels a pending event and ignores stale or repeated cancels', () => {
    const sim = new Simulator();
    const seen: number[] = [];
    const h = (arg: number) => seen.push(arg);
    const a = sim.timer(1, h, 1);
    const b = sim.timerAt(2, h, 2);
    const viaLane = sim.lane(1.5).timer(h, 15);
    expect(sim.pending).toBe(3);
    expect(sim.cancel(b)).toBe(true);
    expect(sim.cancel(b)).toBe(false);
    expect(sim.cancel(viaLane)).toBe(true);
    expect(sim.pending).toBe(1);
    sim.run();
    expect(seen).toEqual([1]);
    // `a` has run; its slot is reused by the next event, which the stale handle must not cancel.
    const c = sim.timer(1, h, 3);
    expect(sim.cancel(a)).toBe(false);
    sim.run();
    expect(seen).toEqual([1, 3]);
    expect(sim.cancel(c)).toBe(false);
    expect(sim.pending).toBe(0);
  });

  it('stops at `until` with the clock exactly there and resumes later', () => {
    const sim = new Simulator();
    const seen: number[] = [];
    const h = (arg: number) => seen.push(arg);
    sim.schedule(1, h, 1);
    sim.schedule(2, h, 2);
    sim.schedule(3, h, 3);
    expect(sim.run({ until: 2 })).toBe('until');
    expect(seen).toEqual([1, 2]);
    expect(sim.now).toBe(2);
    expect(sim.run({ until: 10 })).toBe('empty');
    expect(seen).toEqual([1, 2, 3]);
    expect(sim.now).toBe(10);
  });

  it('stops after an event budget, and on request', () => {
    const sim = new Simulator();
    let count = 0;
    const tick = () => {
      count++;
      sim.schedule(1, tick);
      if (count === 50) sim.stop();
    };
    sim.schedule(0, tick);
    expect(sim.run({ maxEvents: 10 })).toBe('max-events');
    expect(count).toBe(10);
    expect(sim.run()).toBe('stopped');
    expect(count).toBe(50);
    expect(sim.eventsProcessed).toBe(50);
  });

  it('rejects negative, NaN and infinite delays and times in the past', () => {
    const sim = new Simulator();
    const h = () => {};
    expect(() => sim.schedule(-1, h)).toThrow(RangeError);
    expect(() => sim.schedule(NaN, h)).toThrow(RangeError);
    expect(() => sim.schedule(Infinity, h)).toThrow(RangeError);
    expect(() => sim.timer(-1, h)).toThrow(RangeError);
    expect(() => sim.timer(NaN, h)).toThrow(RangeError);
    sim.schedule(5, h);
    sim.run();
    expect(() => sim.scheduleAt(4, h)).toThrow(RangeError);
    expect(() => sim.timerAt(4, h)).toThrow(RangeError);
    expect(() => sim.timerAt(Infinity, h)).toThrow(RangeError);
    expect(() => sim.lane(-1)).toThrow(RangeError);
  });

  it('returns the same lane for the same delay', () => {
    const sim = new Simulator();
    expect(sim.lane(0.001)).toBe(sim.lane(0.001));
    expect(sim.lane(0.001)).not.toBe(sim.lane(0.002));
  });

  it('reports the next event time, skipping cancelled ones', () => {
    const sim = new Simulator();
    const h = () => {};
    const a = sim.timer(1, h);
    sim.schedule(2, h);
    const l = sim.lane(0.5).timer(h);
    expect(sim.peekTime()).toBe(0.5);
    sim.cancel(l);
    sim.cancel(a);
    expect(sim.peekTime()).toBe(2);
  });

  it('pops any mix of scheduled, cancelled and lane events in (time, sequence) order', () => {
    // Property: whatever is scheduled, the fired sequence equals a stable sort of the surviving events.
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            delay: fc.oneof(fc.integer({ min: 0, max: 20 }).map((x) => x / 4), fc.double({ min: 0, max: 5, noNaN: true })),
            lane: fc.constantFrom(-1, -1, 0, 1),
            cancel: fc.boolean(),
          }),
          { maxLength: 300 },
        ),
        (specs) => {
          const sim = new Simulator(16);
          const fired: number[] = [];
          const h = (arg: number) => fired.push(arg);
          const laneDelays = [0.25, 1];
          // Events to cancel get an id (timer); the others go through schedule, which returns none.
          const ids = specs.map((e, i) => {
            const lane = e.lane < 0 ? null : sim.lane(laneDelays[e.lane]!);
            if (!e.cancel) return lane ? lane.schedule(h, i) : sim.schedule(e.delay, h, i);
            return lane ? lane.timer(h, i) : sim.timer(e.delay, h, i);
          });
          specs.forEach((e, i) => e.cancel && expect(sim.cancel(ids[i]!)).toBe(true));
          sim.run();
          const expected = specs
            .map((e, i) => ({ t: e.lane < 0 ? e.delay : laneDelays[e.lane]!, i, keep: !e.cancel }))
            .filter((x) => x.keep)
            .sort((x, y) => x.t - y.t || x.i - y.i)
            .map((x) => x.i);
          expect(fired).toEqual(expected);
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });

  it('keeps order through heap growth with a million interleaved operations', () => {
    const sim = new Simulator(16);
    let last = -1;
    let ok = true;
    let x = 12345;
    const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
    const h = () => {
      if (sim.now < last) ok = false;
      last = sim.now;
    };
    for (let i = 0; i < 100_000; i++) sim.schedule(rnd() * 100, h);
    const churn = () => {
      h();
      if (sim.eventsProcessed < 1_000_000) sim.schedule(rnd() * 100, churn);
    };
    sim.schedule(0, churn);
    sim.run({ maxEvents: 1_000_000 });
    expect(ok).toBe(true);
  });
});
