/**
 * Deadlines: one timer for a client's constant timeout. Expiries must happen at exactly send + timeout,
 * only for attempts still armed and still owning their row, and a re-arm from inside an expiry must not
 * delay an older pending deadline.
 */
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/simulator.js';
import { RequestFlag, RequestTable } from '../../src/model/requests.js';
import { Deadlines } from '../../src/model/timeouts.js';

function setup(timeout: number) {
  const sim = new Simulator();
  const reqs = new RequestTable(16);
  const expired: [number, number][] = [];
  let onExpire = (id: number): void => {
    expired.push([id, sim.now]);
  };
  const deadlines = new Deadlines(sim, timeout, reqs, (id) => onExpire(id));
  const send = (at: number): number => {
    let id = -1;
    sim.scheduleAt(at, () => {
      id = reqs.allocate(0, -1, sim.now, sim.now, 0, 0);
      deadlines.arm(id);
    });
    sim.run({ until: at });
    return id;
  };
  return { sim, reqs, expired, deadlines, send, setExpire: (f: (id: number) => void) => (onExpire = f) };
}

describe('Deadlines', () => {
  it('expires armed attempts at send + timeout, skips disarmed ones, uses one timer event per wake-up', () => {
    const { sim, reqs, expired, send } = setup(1);
    const a = send(0);
    const b = send(0.25);
    const c = send(0.5);
    reqs.flags[b]! &= ~RequestFlag.Armed; // b's response arrived
    sim.run();
    expect(expired).toEqual([
      [a, 1],
      [c, 1.5],
    ]);
    expect(reqs.flags[a]! & RequestFlag.Armed).toBe(0);
    // 3 sends + timer at 1 (a expires, disarmed b is dropped) + timer at 1.5 (c).
    expect(sim.eventsProcessed).toBe(5);
  });

  it('ignores a row reused by another attempt', () => {
    const { sim, reqs, expired, send } = setup(1);
    const a = send(0);
    reqs.release(a);
    const b = send(0.5); // reuses the row, new serial
    expect(b).toBe(a);
    sim.run();
    expect(expired).toEqual([[b, 1.5]]);
  });

  it('a retry armed while expiring does not delay older deadlines', () => {
    const { sim, reqs, expired, deadlines, send, setExpire } = setup(1);
    setExpire((id) => {
      expired.push([id, sim.now]);
      if (reqs.attempt[id] === 0) {
        const retry = reqs.allocate(0, -1, reqs.firstSend[id]!, sim.now, 0, 1);
        deadlines.arm(retry);
      }
    });
    const a = send(0);
    const b = send(0.5);
    sim.run();
    expect(expired.map(([, t]) => t)).toEqual([1, 1.5, 2, 2.5]);
    expect(expired[0]![0]).toBe(a);
    expect(expired[1]![0]).toBe(b);
  });
});
