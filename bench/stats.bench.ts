/**
 * Micro-benchmarks of the engine's statistics collectors. `LatencyHistogram.record` runs once per
 * simulated request, so its cost bounds simulator throughput; hdr-histogram-js (default JS build) is the
 * reference point. Run through `npm run bench`, or directly: `node dist/bench/stats.bench.js`.
 */
import { pathToFileURL } from 'node:url';
import * as hdr from 'hdr-histogram-js';
import { LatencyHistogram } from '../src/engine/stats/latency-histogram.js';
import { RunningStats } from '../src/engine/stats/running-stats.js';
import { TimeWeighted } from '../src/engine/stats/time-weighted.js';
import { measure } from './measure.js';

const VALUES = 1 << 20;
const ROUNDS = 15;

/** mulberry32: tiny deterministic PRNG so every run records the same values. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Latency-like values in seconds: log-uniform over 10 µs..10 s, so every octave the simulator typically
 * sees is hit and the branch predictor gets no easy pattern.
 */
function latencies(n: number, seed: number): Float64Array {
  const rnd = mulberry32(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = 1e-5 * 10 ** (6 * rnd());
  return out;
}

interface Timing {
  /** Median over rounds: the headline figure. */
  readonly median: number;
  /** Fastest round: closest to the intrinsic cost on a shared, noisy machine. */
  readonly best: number;
}

/** ns per value of `pass`, which processes all `n` values once. */
function nsPerValue(n: number, pass: () => void): Timing {
  for (let r = 0; r < 3; r++) pass(); // warm-up: let the JIT optimise
  const samples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    pass();
    samples.push(Number(process.hrtime.bigint() - t0) / n);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[samples.length >> 1]!, best: samples[0]! };
}

function fmt(label: string, t: Timing, extra = ''): string {
  return `${label.padEnd(50)} ${t.median.toFixed(2).padStart(7)} ns/value (best ${t.best.toFixed(2)})${extra}`;
}

export async function run(): Promise<string[]> {
  const seconds = latencies(VALUES, 42);
  const nanos = new Float64Array(VALUES);
  for (let i = 0; i < VALUES; i++) nanos[i] = Math.round(seconds[i]! * 1e9);

  let sink = 0;
  const loop = nsPerValue(VALUES, () => {
    let s = 0;
    for (let i = 0; i < VALUES; i++) s += seconds[i]!;
    sink += s;
  });

  const mine = new LatencyHistogram();
  const recordAll = (): void => {
    mine.reset();
    for (let i = 0; i < VALUES; i++) mine.record(seconds[i]!);
  };
  const ours = nsPerValue(VALUES, recordAll);
  // Zero GCs over ten million records is the evidence that `record` does not allocate (a boxed double
  // per call would be 160 MB: dozens of scavenges). A first empty measurement absorbs the observer's own
  // set-up garbage.
  await measure(() => undefined);
  const { minorGCs, majorGCs } = await measure(() => {
    for (let r = 0; r < 10; r++) recordAll();
  });

  const hdrDefault = hdr.build();
  const theirs = nsPerValue(VALUES, () => {
    hdrDefault.reset();
    for (let i = 0; i < VALUES; i++) hdrDefault.recordValue(nanos[i]!);
  });

  const hdr2 = hdr.build({ numberOfSignificantValueDigits: 2 });
  const theirs2 = nsPerValue(VALUES, () => {
    hdr2.reset();
    for (let i = 0; i < VALUES; i++) hdr2.recordValue(nanos[i]!);
  });

  const rs = new RunningStats();
  const running = nsPerValue(VALUES, () => {
    rs.reset();
    for (let i = 0; i < VALUES; i++) rs.add(seconds[i]!);
  });

  const tw = new TimeWeighted(0, 0);
  let now = 0;
  const timeWeighted = nsPerValue(VALUES, () => {
    let t = now; // a local, not the captured variable: measure the collector, not closure access
    tw.reset(t);
    for (let i = 0; i < VALUES; i++) {
      t += seconds[i]!;
      tw.update(t, i & 15);
    }
    now = t;
  });

  // Accuracy of both at the same time, on the same data (p99, relative to the exact order statistic).
  const sorted = Float64Array.from(seconds).sort();
  const exactP99 = sorted[Math.ceil(0.99 * VALUES) - 1]!;
  const relErr = (x: number): string => `${((Math.abs(x - exactP99) / exactP99) * 100).toFixed(3)} %`;
  const mineP99 = mine.quantile(0.99);
  const hdrP99 = hdrDefault.getValueAtPercentile(99) / 1e9;

  const lines = [
    `stats: ${VALUES} log-uniform latencies (10 µs..10 s), median of ${ROUNDS} rounds`,
    fmt('loop baseline (sum of the values)', loop),
    fmt('LatencyHistogram.record', ours, `  p99 error ${relErr(mineP99)}, ${mine.layout.bucketCount} buckets`),
    `${''.padEnd(50)} GCs during ${10 * VALUES} records: ${minorGCs} minor, ${majorGCs} major`,
    fmt('hdr-histogram-js build() recordValue (ns ints)', theirs, `  p99 error ${relErr(hdrP99)}`),
    fmt('hdr-histogram-js 2 significant digits recordValue', theirs2),
    fmt('RunningStats.add', running),
    fmt('TimeWeighted.update', timeWeighted),
  ];
  if (sink === -1) lines.push(''); // keep the baseline loop observable
  hdrDefault.destroy();
  hdr2.destroy();
  return lines;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await run()) console.log(line);
}
