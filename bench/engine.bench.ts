/**
 * Engine speed: M/M/1 written the way the model uses the kernel, and the classic hold model (a queue kept
 * at N pending events, each pop followed by one push) at 1,000 / 100,000 / 1,000,000 pending, on the
 * typed-array heap and on an object-per-event heap for comparison; FIFO lanes against the heap.
 */
import { parseDistribution } from '../src/engine/distributions/index.js';
import { RandomStreams } from '../src/engine/random.js';
import { runStation } from '../src/engine/reference/queue-station.js';
import { Simulator } from '../src/engine/simulator.js';
import { mm1Loop } from './baselines/mm1-loop.js';
import { ObjectHeap } from './baselines/object-heap.js';
import { fmtRate, measure } from './measure.js';

function station(customers: number): ReturnType<typeof runStation> {
  const streams = new RandomStreams(1);
  return runStation({
    interarrival: parseDistribution('exp(mean=1.25s)'),
    service: parseDistribution('exp(mean=1s)'),
    servers: 1,
    capacity: Infinity,
    customers,
    warmupCustomers: 0,
    arrivalRng: streams.stream('a'),
    serviceRng: streams.stream('s'),
  });
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Nine timed rounds: on this shared 2-core VM whole seconds run up to 40 % slow, so report the median and
 * the best, by wall clock and per CPU-second (which leaves out time the hypervisor gave to others).
 */
async function mm1(customers: number, rounds = 9): Promise<string> {
  const wall: number[] = [];
  const cpu: number[] = [];
  let gcs = 0;
  for (let r = 0; r < rounds; r++) {
    const m = await measure(() => station(customers));
    wall.push(m.value.events / m.seconds);
    cpu.push(m.value.events / m.cpuSeconds);
    gcs += m.minorGCs;
  }
  return `M/M/1 (ρ=0.8, ${customers.toLocaleString('en-US')} customers, 2 events each, histogram + running stats + time-weighted busy per customer), ${rounds} rounds: median ${fmtRate(median(wall))} events/s, best ${fmtRate(Math.max(...wall))}; per CPU-second median ${fmtRate(median(cpu))}; minor GCs per round ${(gcs / rounds).toFixed(0)}`;
}

async function mm1HandWritten(customers: number): Promise<string> {
  const streams = new RandomStreams(1);
  const m = await measure(() =>
    mm1Loop(parseDistribution('exp(mean=1.25s)'), parseDistribution('exp(mean=1s)'), customers, streams.stream('a'), streams.stream('s')),
  );
  return `M/M/1 hand-written loop without the kernel (baseline), same RNG: ${fmtRate(m.value.events / m.seconds)} events/s, ${m.seconds.toFixed(3)} s wall, minor GCs ${m.minorGCs}`;
}

/** The kernel alone: one event schedules the next (schedule + heap + dispatch per event, no model work). */
async function chain(events: number): Promise<string> {
  const sim = new Simulator();
  let left = events;
  const tick = (): void => {
    if (--left > 0) sim.schedule(1, tick, 7);
  };
  sim.schedule(1, tick, 7);
  const m = await measure(() => sim.run());
  return `event chain, kernel only (schedule + dispatch, no model work), ${events.toLocaleString('en-US')} events: ${fmtRate(events / m.seconds)} events/s, minor GCs ${m.minorGCs}`;
}

/** Exponential increments from a fast inline generator, so the measurement is the queue, not the RNG. */
function makeIncrement(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return -Math.log(1 - ((t ^ (t >>> 14)) >>> 0) / 4294967296);
  };
}

async function holdTyped(pending: number, ops: number): Promise<string> {
  const sim = new Simulator(pending);
  const inc = makeIncrement(pending);
  let left = ops;
  const hold = (): void => {
    if (--left > 0) sim.schedule(inc(), hold);
  };
  for (let i = 0; i < pending; i++) sim.schedule(inc(), hold);
  const m = await measure(() => sim.run({ maxEvents: ops }));
  return `hold model, typed-array heap, ${pending.toLocaleString('en-US')} pending: ${fmtRate(ops / m.seconds)} ops/s (${fmtRate(ops / m.cpuSeconds)} per CPU-second), ${m.seconds.toFixed(3)} s, minor GCs ${m.minorGCs}`;
}

async function holdObject(pending: number, ops: number): Promise<string> {
  const heap = new ObjectHeap();
  const inc = makeIncrement(pending);
  let now = 0;
  const noop = (): void => {};
  for (let i = 0; i < pending; i++) heap.push(inc(), noop, 0);
  const m = await measure(() => {
    for (let i = 0; i < ops; i++) {
      const e = heap.pop()!;
      now = e.time;
      e.handler(e.arg);
      heap.push(now + inc(), noop, 0);
    }
  });
  return `hold model, object-per-event heap (baseline), ${pending.toLocaleString('en-US')} pending: ${fmtRate(ops / m.seconds)} ops/s, ${m.seconds.toFixed(3)} s, minor GCs ${m.minorGCs}`;
}

/** A pipeline of constant-delay hops (a network with fixed link latencies), on lanes and on the heap. */
async function pipeline(useLanes: boolean, flows: number, events: number): Promise<string> {
  const sim = new Simulator(flows * 2);
  const delays = [0.0001, 0.0002, 0.0005];
  const lanes = delays.map((d) => sim.lane(d));
  let remaining = events;
  const hop = (step: number): void => {
    if (--remaining <= 0) return;
    const k = (step + 1) % delays.length;
    if (useLanes) lanes[k]!.schedule(hop, step + 1);
    else sim.schedule(delays[k]!, hop, step + 1);
  };
  const inc = makeIncrement(3);
  for (let i = 0; i < flows; i++) sim.schedule(inc() * 0.001, hop, 0);
  const m = await measure(() => sim.run());
  return `constant-delay pipeline, ${flows.toLocaleString('en-US')} flows in flight, ${useLanes ? 'FIFO lanes' : 'heap only '}: ${fmtRate(sim.eventsProcessed / m.seconds)} events/s, ${m.seconds.toFixed(3)} s`;
}

export async function run(): Promise<string[]> {
  const lines: string[] = [];
  await chain(1_000_000); // warm the JIT
  lines.push(await chain(8_000_000));
  station(100_000);
  lines.push(await mm1(1_000_000));
  await mm1HandWritten(100_000);
  lines.push(await mm1HandWritten(1_000_000));
  for (const pending of [1_000, 100_000, 1_000_000]) {
    const ops = 3_000_000;
    await holdTyped(pending, 200_000);
    lines.push(await holdTyped(pending, ops));
    lines.push(await holdObject(pending, ops));
  }
  await pipeline(true, 1000, 100_000);
  lines.push(await pipeline(false, 10_000, 3_000_000));
  lines.push(await pipeline(true, 10_000, 3_000_000));
  return lines;
}
