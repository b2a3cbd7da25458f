/**
 * M/M/1 as a hand-written next-event loop with no kernel: two pending times (next arrival, next
 * departure) and a ring of arrival times. Same random streams and distributions as the kernel's station,
 * so the difference between the two is the general scheduler's overhead.
 */
import type { Distribution } from '../../src/engine/distributions/index.js';
import { Fifo } from '../../src/engine/fifo.js';
import type { Rng } from '../../src/engine/random.js';

export function mm1Loop(interarrival: Distribution, service: Distribution, customers: number, ra: Rng, rs: Rng): { events: number; meanSojourn: number } {
  const queue = new Fifo(1024);
  let nextArrival = interarrival.sample(ra);
  let nextDeparture = Infinity;
  let arrivals = 0;
  let departures = 0;
  let sum = 0;
  while (departures < customers) {
    if (nextArrival <= nextDeparture) {
      const now = nextArrival;
      queue.push(now);
      if (queue.size === 1) nextDeparture = now + service.sample(rs);
      arrivals++;
      nextArrival = arrivals < customers ? now + interarrival.sample(ra) : Infinity;
    } else {
      const now = nextDeparture;
      sum += now - queue.shift();
      departures++;
      nextDeparture = queue.size > 0 ? now + service.sample(rs) : Infinity;
    }
  }
  return { events: arrivals + departures, meanSojourn: sum / departures };
}
