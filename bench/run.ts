/**
 * `npm run bench`: runs every benchmark, each in its own process so that peak memory is its own and one
 * benchmark's garbage does not slow the next. `node dist/bench/run.js NAME` runs one.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { peakRssMiB } from './measure.js';

type Bench = () => Promise<string[]>;
const BENCHES: Record<string, () => Promise<Bench>> = {
  engine: async () => (await import('./engine.bench.js')).run,
  random: async () => (await import('./random.bench.js')).run,
  stats: async () => (await import('./stats.bench.js')).run,
  datapath: async () => (await import('./datapath.bench.js')).run,
  gateway: async () => (await import('./gateway.bench.js')).run,
  sweep: async () => (await import('./sweep.bench.js')).run,
  scale: async () => (await import('./scale.bench.js')).run,
  startup: async () => (await import('./startup.bench.js')).run,
};

async function runOne(name: string): Promise<void> {
  const load = BENCHES[name];
  if (load === undefined) {
    console.error(`unknown benchmark '${name}'; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  const lines = await (await load())();
  for (const line of lines) console.log(`  ${line}`);
  console.log(`  peak RSS ${peakRssMiB().toFixed(0)} MiB`);
}

async function main(): Promise<void> {
  const only = process.argv[2];
  if (only !== undefined) return runOne(only);
  console.log(`kube-netsim benchmarks — node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
  let failed = false;
  for (const name of Object.keys(BENCHES)) {
    console.log(`\n[${name}]`);
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), name], { stdio: 'inherit' });
    if (r.status !== 0) failed = true;
  }
  if (failed) process.exit(1);
}

await main();
