/**
 * M/M/1 as a hand-written next-event loop with no kernel: two pending times (next arrival, next
 * departure) and a ring of arrival times. Same random streams, distributions and per-customer statistics
 * (histogram, running stats, time-weighted busy) as the kernel's station, so the difference between the two
 * is the general scheduler's overhead.
 */
import type { Distribution } from '../../src/engine/distributions/index.js';
import { Fifo } from '../../src/engine/fifo.js';
import type { Rng } from '../../src/engine/random.js';
import { LatencyHistogram } from '../../src/engine/stats/latency-histogram.js';
import { RunningStats } from '../../src/engine/stats/running-stats.js';
import { TimeWeighted } from '../../src/engine/stats/time-weighted.js';

export function mm1Loop(interarrival: Distribution, service: Distribution, customers: number, ra: Rng, rs: Rng): { events: number; meanSojourn: number } {
  const queue = new Fifo(1024);
  let nextArrival = interarrival.sample(ra);
  let nextDeparture = Infinity;
  let arrivals = 0;
  let departures = 0;
  const histogram = new LatencyHistogram();
  const sojourn = new RunningStats();
  const wait = new RunningStats();
  const busy = new TimeWeighted();
  while (departures < customers) {
    if (nextArrival <= nextDeparture) {
      const now = nextArrival;
      queue.push(now);
      if (queue.size === 1) {
        wait.add(0);
        busy.update(now, 1);
        nextDeparture = now + service.sample(rs);
      }
      arrivals++;
      nextArrival = arrivals < customers ? now + interarrival.sample(ra) : Infinity;
    } else {
      const now = nextDeparture;
      const s = now - queue.shift();
      sojourn.add(s);
      histogram.record(s);
      departures++;
      if (queue.size > 0) {
        wait.add(now - queue.peek());
        nextDeparture = now + service.sample(rs);
      } else {
        busy.update(now, 0);
        nextDeparture = Infinity;
      }
    }
  }
  return { events: arrivals + departures, meanSojourn: sojourn.mean };
}
