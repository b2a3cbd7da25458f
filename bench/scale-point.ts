/**
 * One point of the scale benchmark, in a process of its own (so its peak memory is its own): generates the
 * scenario (scale-model.ts), reads it, validates and resolves it, and builds the simulation (a run of one
 * request, so that set-up is all it does). Prints one line of JSON: CPU and wall seconds per phase, peak RSS.
 *
 *   node dist/bench/scale-point.js NODES PODS SERVICES CLIENTS [mesh]
 *
 * `mesh`: the meshed variant of the scenario (Istio in every namespace; scale-model.ts).
 */
import { performance } from 'node:perf_hooks';
import { simulate } from '../src/model/simulation.js';
import { prepareScenario } from '../src/scenario/load.js';
import { peakRssMiB } from './measure.js';
import { scalePodCount, scaleScenario } from './scale-model.js';

function cpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

const [nodes, pods, services, clients] = process.argv.slice(2, 6).map(Number) as [number, number, number, number];
const mesh = process.argv[6] === 'mesh';
const text = scaleScenario({ nodes, pods, services, clients }, { mesh });

const c0 = cpu();
const w0 = performance.now();
const prepared = prepareScenario([{ path: 'scale.yaml', text }]);
const c1 = cpu();
const w1 = performance.now();
const loaded = prepared.load();
if (!loaded.ok) {
  console.error(loaded.diagnostics.slice(0, 5).map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('\n'));
  process.exit(1);
}
const c2 = cpu();
const spec = loaded.spec;
const result = simulate({ ...spec, simulation: { ...spec.simulation, duration: null, requests: 1 } });
const c3 = cpu();
const w3 = performance.now();
const expectedPods = scalePodCount({ nodes, pods, services, clients }, { mesh });
if (result.pods.length !== expectedPods) throw new Error(`expected ${expectedPods} pods, the run has ${result.pods.length}`);
if (mesh && spec.mesh?.clients.length !== clients) throw new Error(`expected ${clients} meshed clients, the scenario has ${spec.mesh?.clients.length ?? 0}`);

console.log(
  JSON.stringify({
    nodes,
    pods,
    services,
    clients,
    mesh,
    bytes: text.length,
    readCpu: c1 - c0,
    resolveCpu: c2 - c1,
    buildCpu: c3 - c2,
    wall: (w3 - w0) / 1000,
    readWall: (w1 - w0) / 1000,
    setupWall: (w3 - w1) / 1000,
    peakRssMiB: peakRssMiB(),
  }),
);
