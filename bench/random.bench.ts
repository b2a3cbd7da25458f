/**
 * Random numbers: the speed of each seedrandom generator (the evidence for the choice in
 * src/engine/random.ts), the cost of creating a stream, and the cost per draw of each distribution family
 * with the garbage collections while drawing.
 *
 * Every measurement runs in a fresh worker thread (this module, re-entered with a job): timed one after
 * another in one isolate, the shared loop's call site turns polymorphic and later candidates look slower
 * than they are. That is also why the loops are warmed up before timing.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import seedrandom from 'seedrandom';
import { parseDistribution } from '../src/engine/distributions/index.js';
import { GENERATOR, RandomStreams, type Rng } from '../src/engine/random.js';
import { measure } from './measure.js';

const GENERATORS = ['alea', 'xor128', 'xorwow', 'xorshift7', 'xor4096', 'tychei', 'arc4'] as const;
type GeneratorName = (typeof GENERATORS)[number];
const DRAWS = 5_000_000;
const ROUNDS = 5;
const SAMPLES = 2_000_000;

const FAMILIES = [
  'const(1ms)',
  'uniform(1ms, 3ms)',
  'exp(mean=2ms)',
  'erlang(k=4, mean=2ms)',
  'erlang(k=20, mean=2ms)',
  'gamma(shape=2, mean=2ms)',
  'gamma(shape=0.5, mean=2ms)',
  'normal(mean=2ms, sd=0.5ms)',
  'lognormal(median=3ms, p99=40ms)',
  'pareto(scale=1ms, shape=2.5)',
  'weibull(shape=1.5, scale=2ms)',
  'mixture(0.95: exp(mean=2ms), 0.05: const(200ms))',
  'empirical(samples.csv)',
];

type Job = { readonly bench: 'random'; readonly generator: GeneratorName } | { readonly bench: 'random'; readonly family: string };
interface FamilyResult {
  readonly ns: number;
  readonly minorGCs: number;
  readonly majorGCs: number;
}

function makeGenerator(name: GeneratorName, seed: string): Rng {
  return name === 'arc4' ? seedrandom(seed) : seedrandom[name](seed);
}

function drawOne(rng: Rng, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += rng();
  return sum;
}

/** The simulator's pattern: many streams, each its own closure, drawn in turn. */
function drawMany(rngs: readonly Rng[], n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += rngs[i % rngs.length]();
  return sum;
}

interface GeneratorResult {
  /** ns/draw per round, one stream. */
  readonly one: number[];
  /** ns/draw per round, 100 streams round-robin. */
  readonly many: number[];
}

function rounds(draw: (n: number) => number): number[] {
  for (let k = 0; k < 5; k++) draw(1_000_000);
  const result: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    draw(DRAWS);
    result.push(((performance.now() - t0) * 1e6) / DRAWS);
  }
  return result;
}

function timeGenerator(name: GeneratorName): GeneratorResult {
  const one = makeGenerator(name, 'bench');
  const many = Array.from({ length: 100 }, (_, i) => makeGenerator(name, `bench/${i}`));
  return { one: rounds((n) => drawOne(one, n)), many: rounds((n) => drawMany(many, n)) };
}

async function timeFamily(text: string): Promise<FamilyResult> {
  const values = Array.from({ length: 1000 }, (_, i) => `${(50 + ((i * 7919) % 1000)) / 100}ms`);
  const distribution = parseDistribution(text, { readFile: () => values.join('\n') });
  const rng = new RandomStreams(7).stream(text);
  const loop = (n: number): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += distribution.sample(rng);
    return sum;
  };
  for (let k = 0; k < 10; k++) loop(200_000); // long enough for the optimizing compiler to finish, even on a busy box
  const m = await measure(() => loop(SAMPLES));
  return { ns: (m.seconds * 1e9) / SAMPLES, minorGCs: m.minorGCs, majorGCs: m.majorGCs };
}

function inWorker<T>(job: Job): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    worker.once('message', (result: T) => resolve(result));
    worker.once('error', reject);
  });
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function generators(): Promise<string[]> {
  const show = (xs: readonly number[]): string =>
    `${median(xs).toFixed(1).padStart(5)} [${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)}]`;
  const lines = [`generators, ns/draw: median [min-max] of ${ROUNDS} rounds of ${DRAWS / 1e6}M draws`];
  lines.push(`  ${''.padEnd(10)} ${'one stream'.padEnd(18)} 100 streams in turn`);
  for (const generator of GENERATORS) {
    const r = await inWorker<GeneratorResult>({ bench: 'random', generator });
    const chosen = generator === GENERATOR ? '  <- RandomStreams' : '';
    lines.push(`  ${generator.padEnd(10)} ${show(r.one).padEnd(18)} ${show(r.many)}${chosen}`);
  }
  return lines;
}

function streamCreation(): string {
  const streams = new RandomStreams('bench');
  const count = 20_000;
  let sum = 0;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) sum += streams.stream(`pod/web-${i}/service`)();
  const micros = ((performance.now() - t0) * 1000) / count;
  return `stream creation (SHA-256 of the name, alea seeding): ${micros.toFixed(1)} us/stream (checksum ${sum.toFixed(3)})`;
}

async function sampling(): Promise<string[]> {
  const lines = [
    `sampling, ns/draw over ${SAMPLES / 1e6}M draws (alea included), GCs while drawing`,
    '  (minor GCs where V8 did not inline sample() come from boxing its returned double, not from the sampler)',
  ];
  for (const family of FAMILIES) {
    const r = await inWorker<FamilyResult>({ bench: 'random', family });
    lines.push(`  ${family.padEnd(50)} ${r.ns.toFixed(1).padStart(6)} ns  minor GCs ${r.minorGCs}, major GCs ${r.majorGCs}`);
  }
  return lines;
}

export async function run(): Promise<string[]> {
  return [...(await generators()), streamCreation(), ...(await sampling())];
}

const job = workerData as Job | undefined;
if (!isMainThread && job?.bench === 'random' && parentPort !== null) {
  parentPort.postMessage('generator' in job ? timeGenerator(job.generator) : await timeFamily(job.family));
}
