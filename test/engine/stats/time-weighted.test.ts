import { describe, expect, it } from 'vitest';
import { TimeWeighted } from '../../../src/engine/stats/time-weighted.js';

describe('TimeWeighted', () => {
  /**
   * Queue length: 0 on [0,2), 1 on [2,3), 3 on [3,7), 2 on [7,8), 0 from 8.
   * Area by hand: 0·2 + 1·1 + 3·4 + 2·1 + 0·2 = 15 over [0, 10] → mean 1.5.
   */
  function queue(): TimeWeighted {
    const q = new TimeWeighted(0, 0);
    q.update(2, 1);
    q.add(3, +1);
    q.add(3, +1); // two arrivals at the same instant: no area, but the peak is 3
    q.update(7, 2);
    q.add(8, -2);
    return q;
  }

  it('integrates a hand-computed step function', () => {
    const q = queue();
    expect(q.integral(10)).toBe(15);
    expect(q.mean(10)).toBe(1.5);
    expect(q.mean(8)).toBe(15 / 8);
    expect(q.value).toBe(0);
    expect(q.max).toBe(3);
    expect(q.min).toBe(0);
  });

  it('holds the current value until now when asked mid-step', () => {
    const q = new TimeWeighted(0, 4);
    expect(q.mean(2)).toBe(4);
    q.update(2, 0);
    expect(q.mean(4)).toBe(2);
  });

  it('reset(now) truncates the warm-up but keeps the current value', () => {
    const q = queue();
    q.update(9, 5);
    q.reset(9); // drop [0, 9)
    expect(q.since).toBe(9);
    expect(q.max).toBe(5);
    expect(q.min).toBe(5);
    q.update(10, 1);
    // 5 on [9,10), 1 on [10,12): area 7 over 3
    expect(q.mean(12)).toBeCloseTo(7 / 3, 15);
    expect(q.max).toBe(5);
    expect(q.min).toBe(1);
  });

  it('is NaN over an empty window and refuses time travel', () => {
    const q = new TimeWeighted(5, 2);
    expect(q.mean(5)).toBeNaN();
    q.update(6, 1);
    expect(() => q.update(5.5, 0)).toThrow(RangeError);
    expect(() => q.mean(5.9)).toThrow(RangeError);
    expect(() => q.reset(5)).toThrow(RangeError);
    expect(() => q.update(7, NaN)).toThrow(RangeError);
    expect(() => q.update(NaN, 1)).toThrow(/time must be a number, found NaN/);
    expect(() => q.update(7, Infinity)).toThrow(/must be finite/);
  });
});

describe('TimeWeighted (exact edges)', () => {
  it('min and max move only outward', () => {
    const q = new TimeWeighted(0, 2);
    q.update(1, 1);
    q.update(2, 5);
    q.update(3, 3);
    expect(q.min).toBe(1);
    expect(q.max).toBe(5);
    expect(q.integral(4)).toBe(2 + 1 + 5 + 3);
  });

  it('says which rule an update broke', () => {
    const q = new TimeWeighted(0, 1);
    q.update(6, 1);
    expect(() => q.update(5.5, 0)).toThrow('time went backwards: 5.5 < 6');
    expect(() => q.update(6, NaN)).toThrow('time-weighted value must be finite, found NaN'); // same instant is fine
    expect(() => q.update(5, NaN)).toThrow('time went backwards: 5 < 6'); // time is checked first
    expect(() => q.integral(1)).toThrow('time went backwards: 1 < 6');
    expect(q.value).toBe(1);
  });

  it('refuses a non-finite start or initial value', () => {
    expect(() => new TimeWeighted(NaN)).toThrow('start time must be finite, found NaN');
    expect(() => new TimeWeighted(Infinity)).toThrow('start time must be finite, found Infinity');
    expect(() => new TimeWeighted(0, Infinity)).toThrow('time-weighted value must be finite, found Infinity');
    expect(new TimeWeighted(3, 2).since).toBe(3);
  });
});
