/** Tiny scenarios and experiments in temporary directories, for fast sweep tests. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readExperiment } from '../../src/experiment/experiment-file.js';
import type { PlanData } from '../../src/experiment/plan.js';
import type { ResultLine } from '../../src/experiment/store.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`;

/**
 * Two nodes, 3 pods (2 on n1, 1 on n2), a NodePort Service, an external client on both nodes: ~150
 * requests in a 1 s run, so a run takes milliseconds.
 */
export const TINY_SCENARIO = yaml(
  'apiVersion: netsim/v1',
  'kind: Cluster',
  'metadata: {name: tiny}',
  'spec:',
  '  nodes: [{name: n1}, {name: n2}]',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: {name: web-a}',
  'spec:',
  '  replicas: 2',
  '  selector: {matchLabels: {app: web, part: a}}',
  '  template:',
  '    metadata:',
  '      labels: {app: web, part: a}',
  '      annotations: {netsim/service-time: "exp(mean=2ms)", netsim/concurrency: "1"}',
  '    spec: {nodeSelector: {kubernetes.io/hostname: n1}, containers: [{name: web}]}',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: {name: web-b}',
  'spec:',
  '  replicas: 1',
  '  selector: {matchLabels: {app: web, part: b}}',
  '  template:',
  '    metadata:',
  '      labels: {app: web, part: b}',
  '      annotations: {netsim/service-time: "exp(mean=2ms)", netsim/concurrency: "1"}',
  '    spec: {nodeSelector: {kubernetes.io/hostname: n2}, containers: [{name: web}]}',
  '---',
  'apiVersion: v1',
  'kind: Service',
  'metadata: {name: web}',
  'spec:',
  '  type: NodePort',
  '  selector: {app: web}',
  '  ports: [{port: 80}]',
  '---',
  'apiVersion: netsim/v1',
  'kind: Workload',
  'metadata: {name: load}',
  'spec:',
  '  clients:',
  '    - name: users',
  '      target: {service: web, via: nodePort, nodes: [n1, n2]}',
  '      rate: 150/s',
  '      connection: perRequest',
  '---',
  'apiVersion: netsim/v1',
  'kind: Simulation',
  'metadata: {name: tiny}',
  'spec: {duration: 1s, warmup: 0s, seed: 1}',
);

/** An experiment over TINY_SCENARIO: `rate` (3 values) × `etp` (Cluster, Local). */
export function tinyExperiment(opts: { replications?: number; seed?: number; extra?: string[]; metrics?: string[] } = {}): string {
  return yaml(
    'apiVersion: netsim/v1',
    'kind: Experiment',
    'metadata: {name: tiny}',
    'spec:',
    '  scenario: tiny.yaml',
    '  parameters:',
    '    - name: rate',
    '      path: Workload.spec.clients[0].rate',
    '      values: [100/s, 200/s, 300/s]',
    '    - name: etp',
    '      path: Service/web.spec.externalTrafficPolicy',
    '      values: [Cluster, Local]',
    `  replications: ${opts.replications ?? 3}`,
    `  seed: ${opts.seed ?? 7}`,
    `  metrics: [${(opts.metrics ?? ['latency.mean', 'latency.p99', 'paths.secondHopFraction', 'podShare.max']).join(', ')}]`,
    ...(opts.extra ?? []),
  );
}

export interface Workspace {
  readonly dir: string;
  /** Writes a file (relative to the workspace) and returns its path. */
  write(name: string, text: string): string;
  read(name: string): string;
  path(name: string): string;
  cleanup(): void;
}

export function workspace(files: Record<string, string> = {}): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'netsim-exp-'));
  const ws: Workspace = {
    dir,
    write(name, text) {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
    read(name) {
      return readFileSync(join(dir, name), 'utf8');
    },
    path(name) {
      return join(dir, name);
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  for (const [name, text] of Object.entries(files)) ws.write(name, text);
  return ws;
}

/**
 * An experiment over TINY_SCENARIO with the given `spec:` lines, read and checked, as its plan: for tests of
 * the statistics on hand-made result lines. Files go to `ws` (which must hold tiny.yaml).
 */
export function tinyPlan(ws: Workspace, ...specLines: string[]): PlanData {
  const file = ws.write(`plan-${planFiles++}.yaml`, yaml('apiVersion: netsim/v1', 'kind: Experiment', 'metadata: {name: plan}', 'spec:', '  scenario: tiny.yaml', ...specLines));
  const r = readExperiment(file);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('\n'));
  return r.experiment.plan;
}
let planFiles = 0;

/** Two configurations (eTP Cluster, Local), five replications, one metric. */
export const TWO_MODES = ['  parameters:', '    - {name: mode, path: Service/web.spec.externalTrafficPolicy, values: [Cluster, Local]}', '  replications: 5', '  metrics: [latency.mean]'];

/**
 * An ok result line of a TWO_MODES plan (five replications a point) whose one metric, latency.mean, is
 * `value`; point 0 is eTP Cluster, point 1 Local.
 */
export function twoModesLine(point: number, replication: number, value: number | null, run = `p${point}-r${replication}`): ResultLine {
  return {
    run,
    index: point * 5 + replication,
    point,
    params: { mode: point === 0 ? 'Cluster' : 'Local' },
    replication,
    seed: replication + 1,
    status: 'ok',
    metrics: { 'latency.mean': value },
    result: null,
    wallSeconds: 0,
  };
}

/** latency.mean of the five replications of point 0 (Cluster) and of point 1 (Local), and their lines. */
export const TWO_MODES_A = [10, 12, 9, 11, 13];
export const TWO_MODES_B = [8, 11, 7, 9, 10];
export const TWO_MODES_LINES: readonly ResultLine[] = [...TWO_MODES_A.map((v, r) => twoModesLine(0, r, v)), ...TWO_MODES_B.map((v, r) => twoModesLine(1, r, v))];
