/**
 * Result directories for report tests, made by the real pipeline (scenario files from `models/` with
 * `--set`-style overrides for short runs; `runSweep` in this thread for sweeps), never hand-written numbers.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toResultFile, type ResultFile } from '../../src/experiment/result-file.js';
import { runScenario } from '../../src/experiment/run-scenario.js';
import { runSweep } from '../../src/experiment/sweep.js';
import { writeRunOutputs } from '../../src/experiment/write-run.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const model = (name: string): string => join(ROOT, 'models', name);
/** Git-ignored folder for artefacts worth looking at after a test run (screenshots). */
export const TEST_OUTPUT = join(ROOT, 'test-output');

/** The 3-zone production example, shortened: 2 s of traffic, no warm-up. */
export const SHORT = ['Simulation.spec.duration=2s', 'Simulation.spec.warmup=0'];
export const LOCAL = 'Service/web.spec.externalTrafficPolicy=Local';

export function tempDir(prefix = 'netsim-report-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The uneven placement of experiments/etp-cluster-vs-local.yaml: 3 pods on node-1, 1 on node-2, none on node-3. */
export const UNEVEN = join(ROOT, 'experiments/base/uneven-lb.yaml');

/** Simulates `models/<file>` (or an absolute path) with overrides and writes result.json + CSVs into `dir` (as `netsim run --out`). */
export function writeRun(dir: string, file: string, set: readonly string[], seed?: number): ResultFile {
  const outcome = runScenario({ files: [file.startsWith('/') ? file : model(file)], set, ...(seed !== undefined ? { seed } : {}) });
  if (!outcome.ok) throw new Error(`fixture ${file} did not load: ${outcome.diagnostics.map((d) => d.message).join('; ')}`);
  const result = toResultFile(outcome.result, { files: outcome.files, overrides: set });
  writeRunOutputs(dir, result);
  return result;
}

/**
 * A sweep of the 3-zone example: load (3 levels, the three user clients' rates zipped) × externalTrafficPolicy
 * (Cluster, Local), 3 replications of 2 s, pods with 2 workers each so queueing shows at the top load.
 */
export const SWEEP_EXPERIMENT = (scenario: string): string => `apiVersion: netsim/v1
kind: Experiment
metadata: {name: etp-load}
spec:
  scenario: ${JSON.stringify(scenario)}
  set:
    - Simulation.spec.duration=2s
    - Simulation.spec.warmup=0
    - Deployment/web.spec.template.metadata.annotations.netsim/concurrency="2"
    # Clients keep to their own zone's LB node (the comparison's point: Local keeps that traffic in the zone).
    - Cluster.spec.loadBalancer.clientRouting=zonal-affinity
  parameters:
    - name: load
      labels: [900/s, 1800/s, 2400/s]
      zip:
        - {path: "Workload.spec.clients[0].rate", values: [300/s, 600/s, 800/s]}
        - {path: "Workload.spec.clients[1].rate", values: [300/s, 600/s, 800/s]}
        - {path: "Workload.spec.clients[2].rate", values: [300/s, 600/s, 800/s]}
    - {name: policy, path: Service/web.spec.externalTrafficPolicy, values: [Cluster, Local]}
  replications: 3
  seed: 7
  metrics: [latency.p50, latency.p99, podShare.max, paths.crossZoneFraction]
  confidence: 0.95
`;

/** Runs the sweep above into `dir/out` (in this thread) and returns the output directory. */
export async function writeSweep(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const experimentFile = join(dir, 'etp-load.yaml');
  writeFileSync(experimentFile, SWEEP_EXPERIMENT(model('production-3zones.yaml')));
  const out = join(dir, 'out');
  const outcome = await runSweep({ experimentFile, out, workers: 0 });
  if (outcome.kind !== 'done') throw new Error(`fixture sweep failed: ${JSON.stringify(outcome).slice(0, 500)}`);
  return out;
}
