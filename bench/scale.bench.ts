/**
 * Set-up at scale (issue 15, item 7): time and peak memory to read a scenario, validate and resolve it, and
 * build its simulation, over a grid of sizes in each dimension (nodes, pods, Services, clients: one doubled
 * at a time from a base), each point in a process of its own; then the growth exponent of each dimension,
 * fitted by least squares on log(CPU seconds) against log(size), and the target size (3,000 nodes, 30,000
 * pods, 10,000 Services with one client each).
 *
 * Two figures per point: *read* (YAML parsing and the source maps that give every diagnostic its
 * file:line:col) and *set-up* (validation, placement, addresses, endpoints, clients, and building the
 * simulation). CPU seconds, not wall: the machine is shared, and CPU time moves much less with the load.
 *
 * Meshed (src/scenario/build-mesh.ts: Istio in every namespace, each client in a pod with a sidecar, a
 * DestinationRule and a VirtualService per Service): Services and clients doubled together from the base,
 * with its fitted exponent, and (full grid) the mesh point of issue 15's profile, 2,000 nodes and 6,000
 * Services and clients.
 *
 * Run through `npm run bench` or alone: `npm run bench -- scale` (`node dist/bench/run.js scale`);
 * `node dist/bench/run.js scale quick` runs a smaller grid.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ScaleSize } from './scale-model.js';

interface Point extends ScaleSize {
  readonly readCpu: number;
  readonly resolveCpu: number;
  readonly buildCpu: number;
  readonly wall: number;
  readonly peakRssMiB: number;
}

const BASE: ScaleSize = { nodes: 750, pods: 15000, services: 2500, clients: 2500 };
const FACTORS = [0.25, 0.5, 1, 2];
const TARGET: ScaleSize = { nodes: 3000, pods: 30000, services: 10000, clients: 10000 };
const DIMENSIONS = ['nodes', 'pods', 'services', 'clients'] as const;

const MESH_TARGET: ScaleSize = { nodes: 2000, pods: 15000, services: 6000, clients: 6000 };

function measurePoint(size: ScaleSize, mesh = false): Point {
  const script = fileURLToPath(new URL('./scale-point.js', import.meta.url));
  const args = [script, String(size.nodes), String(size.pods), String(size.services), String(size.clients), ...(mesh ? ['mesh'] : [])];
  const r = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`scale point ${JSON.stringify(size)} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Point;
}

/** Least-squares slope of log(y) on log(x): y grows as x to this power. */
export function fittedExponent(xs: readonly number[], ys: readonly number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  lx.forEach((x, i) => {
    num += (x - mx) * (ly[i]! - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

const s = (x: number): string => x.toFixed(2);

export async function run(): Promise<string[]> {
  const quick = process.argv.includes('quick');
  const base: ScaleSize = quick ? { nodes: 150, pods: 3000, services: 500, clients: 500 } : BASE;
  const lines: string[] = [`load average at start ${loadavg()[0]!.toFixed(1)}; base ${JSON.stringify(base)}; CPU seconds`];
  for (const dim of DIMENSIONS) {
    const points = FACTORS.map((f) => measurePoint({ ...base, [dim]: Math.round(base[dim] * f) }));
    for (const p of points) {
      lines.push(
        `${dim.padEnd(8)} ${String(p[dim]).padStart(6)}: read ${s(p.readCpu)} s, set-up ${s(p.resolveCpu + p.buildCpu)} s (resolve ${s(p.resolveCpu)}, build ${s(p.buildCpu)}), wall ${s(p.wall)} s, peak RSS ${p.peakRssMiB.toFixed(0)} MiB`,
      );
    }
    const xs = points.map((p) => p[dim]);
    const setup = fittedExponent(xs, points.map((p) => p.resolveCpu + p.buildCpu));
    const total = fittedExponent(xs, points.map((p) => p.readCpu + p.resolveCpu + p.buildCpu));
    lines.push(`${dim}: fitted exponent of set-up ${setup.toFixed(2)}, of read + set-up ${total.toFixed(2)} (n log n over ×8 fits about 1.1-1.2)`);
  }
  const meshed = FACTORS.map((f) => measurePoint({ ...base, services: Math.round(base.services * f), clients: Math.round(base.clients * f) }, true));
  for (const p of meshed) {
    lines.push(`meshed   ${String(p.services).padStart(6)}: read ${s(p.readCpu)} s, set-up ${s(p.resolveCpu + p.buildCpu)} s (resolve ${s(p.resolveCpu)}, build ${s(p.buildCpu)}), wall ${s(p.wall)} s, peak RSS ${p.peakRssMiB.toFixed(0)} MiB`);
  }
  const meshedSetup = fittedExponent(meshed.map((p) => p.services), meshed.map((p) => p.resolveCpu + p.buildCpu));
  lines.push(`meshed (Services and clients together): fitted exponent of set-up ${meshedSetup.toFixed(2)}`);
  if (!quick) {
    const m = measurePoint(MESH_TARGET, true);
    lines.push(`meshed ${JSON.stringify(MESH_TARGET)}: read ${s(m.readCpu)} s, set-up ${s(m.resolveCpu + m.buildCpu)} s CPU (resolve ${s(m.resolveCpu)}, build ${s(m.buildCpu)}); wall ${s(m.wall)} s; peak RSS ${m.peakRssMiB.toFixed(0)} MiB`);
    const t = measurePoint(TARGET);
    lines.push(
      `target ${JSON.stringify(TARGET)}: read ${s(t.readCpu)} s, set-up ${s(t.resolveCpu + t.buildCpu)} s CPU (resolve ${s(t.resolveCpu)}, build ${s(t.buildCpu)}); wall ${s(t.wall)} s; peak RSS ${t.peakRssMiB.toFixed(0)} MiB`,
    );
  }
  lines.push(`load average at end ${loadavg()[0]!.toFixed(1)}`);
  return lines;
}
