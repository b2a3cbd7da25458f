/**
 * Sweep throughput: the same 16-run sweep with 1 worker thread and with 2, each timed end to end
 * (experiment check, pool start, runs, summary). The sweep: experiments/base/uneven-lb.yaml, load 2k/s and
 * 3k/s × externalTrafficPolicy Cluster and Local × 4 replications, with runs of 120 simulated seconds
 * (240-360k requests, about 0.6 s each) and of 240 s (about 1.2 s each): each worker thread compiles the
 * model for itself in its first runs, which weighs more on the shorter runs.
 *
 * Reports per round the wall time, the time per run inside the workers (it grows when other work on the
 * machine competes for the cores) and how busy the workers were; then the speed-up of each round and of
 * the best walls. The summaries of the two sweeps must be byte-identical.
 *
 * Run through `npm run bench` or `node dist/bench/run.js sweep`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSweep } from '../src/experiment/sweep.js';
import { readResults } from '../src/experiment/store.js';

const ROUNDS = 3;

function repoRoot(): string {
  // dist/bench/sweep.bench.js or bench/sweep.bench.ts: the folder with experiments/.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      readFileSync(join(dir, 'experiments/base/uneven-lb.yaml'));
      return dir;
    } catch {
      dir = resolve(dir, '..');
    }
  }
  throw new Error('cannot find experiments/base/uneven-lb.yaml');
}

const EXPERIMENT = (base: string, duration: string): string => `apiVersion: netsim/v1
kind: Experiment
metadata: {name: bench-sweep}
spec:
  scenario: ${base}
  set: [Simulation.spec.duration=${duration}]
  parameters:
    - {name: load, path: "Workload.spec.clients[0].rate", values: [2k/s, 3k/s]}
    - {name: etp, path: Service/web.spec.externalTrafficPolicy, values: [Cluster, Local]}
  replications: 4
  seed: 1
  metrics: [latency.p99, podShare.max]
`;

async function timed(file: string, out: string, workers: number): Promise<{ wall: number; runs: number; inWorkers: number; summary: string }> {
  rmSync(out, { recursive: true, force: true });
  const t0 = performance.now();
  const r = await runSweep({ experimentFile: file, out, workers });
  const wall = (performance.now() - t0) / 1000;
  if (r.kind !== 'done') throw new Error(`bench sweep did not run: ${r.kind}`);
  if (r.failed > 0) throw new Error(`${r.failed} runs failed`);
  const inWorkers = readResults(out).lines.reduce((s, l) => s + l.wallSeconds, 0);
  return { wall, runs: r.ran, inWorkers, summary: readFileSync(join(out, 'summary.json'), 'utf8') };
}

/** Rounds of the same sweep with 1 worker and with 2; lines for each round and the best. */
async function compare(dir: string, duration: string, rounds: number, lines: string[]): Promise<void> {
  const file = join(dir, `bench-${duration}.yaml`);
  writeFileSync(file, EXPERIMENT(join(repoRoot(), 'experiments/base/uneven-lb.yaml'), duration));
  lines.push(`runs of ${duration} simulated:`);
  const best = { 1: Infinity, 2: Infinity } as Record<1 | 2, number>;
  let summary1 = '';
  const speedups: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const wall: Record<number, number> = {};
    for (const workers of [1, 2] as const) {
      const t = await timed(file, join(dir, `out-${duration}-${workers}`), workers);
      if (workers === 1) summary1 = t.summary;
      else if (t.summary !== summary1) throw new Error('summary.json differs between 1 and 2 workers');
      best[workers] = Math.min(best[workers], t.wall);
      wall[workers] = t.wall;
      // Busy: the share of the workers' wall time spent in runs (the rest: checking the experiment,
      // starting threads, the tail where one worker waits for the other's last run).
      const busy = t.inWorkers / (workers * t.wall);
      lines.push(`  round ${round}: ${workers} worker${workers === 1 ? ' ' : 's'}  ${t.runs} runs  ${t.wall.toFixed(2)} s wall  ${(t.inWorkers / t.runs).toFixed(3)} s per run  workers busy ${(busy * 100).toFixed(0)}%`);
    }
    speedups.push(wall[1]! / wall[2]!);
    lines.push(`  round ${round}: speed-up ${speedups[speedups.length - 1]!.toFixed(2)}x`);
  }
  lines.push(`  best: 1 worker ${best[1].toFixed(2)} s, 2 workers ${best[2].toFixed(2)} s, speed-up ${(best[1] / best[2]).toFixed(2)}x; rounds ${speedups.map((x) => x.toFixed(2)).join(', ')} (target >= 1.8 on 2 idle cores); summaries identical`);
}

export async function run(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'netsim-bench-sweep-'));
  try {
    const lines: string[] = [`cores ${availableParallelism()}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} (other work on the machine slows both)`];
    // Each worker thread warms up V8's compiler on its own first runs (~0.3 s of extra time measured per
    // thread), so short runs cap the speed-up; longer runs show the steady state.
    await compare(dir, '120s', ROUNDS, lines);
    await compare(dir, '240s', 2, lines);
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
