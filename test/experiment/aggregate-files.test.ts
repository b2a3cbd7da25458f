/**
 * What summary.json, summary.csv and differences.csv hold besides the statistics: the experiment's
 * identity, the factors and metrics, the file format (one trailing newline, two-space JSON), and which
 * columns a row fills.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { differencesCsv, serializeSummary, summarize, summaryCsv, SUMMARY_SCHEMA } from '../../src/experiment/aggregate.js';
import { readExperiment } from '../../src/experiment/experiment-file.js';
import type { PlanData } from '../../src/experiment/plan.js';
import type { ResultLine } from '../../src/experiment/store.js';
import { TINY_SCENARIO, workspace, yaml } from './helpers.js';

const ws = workspace({ 'tiny.yaml': TINY_SCENARIO });
afterAll(() => ws.cleanup());

function plan(...specLines: string[]): PlanData {
  const file = ws.write('e.yaml', yaml('apiVersion: netsim/v1', 'kind: Experiment', 'metadata: {name: files}', 'spec:', '  scenario: tiny.yaml', ...specLines));
  const r = readExperiment(file);
  if (!r.ok) expect.fail(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('\n'));
  return r.experiment.plan;
}

const TWO_FACTORS = plan(
  '  parameters:',
  '    - {name: mode, path: Service/web.spec.externalTrafficPolicy, values: [Cluster, Local]}',
  '    - {name: replicas, path: Deployment/web-a.spec.replicas, values: [1, 2]}',
  '  replications: 2',
  '  seed: 42',
  '  confidence: 0.9',
  '  metrics: [latency.mean, paths.crossZoneFraction]',
);

function line(point: number, replication: number, metrics: Record<string, number | null>): ResultLine {
  return { run: `p${point}-r${replication}`, index: point * 2 + replication, point, params: {}, replication, seed: replication, status: 'ok', metrics, result: null, wallSeconds: 0 };
}

const LINES = [0, 1, 2, 3].flatMap((point) => [0, 1].map((r) => line(point, r, { 'latency.mean': point + r / 10, 'paths.crossZoneFraction': 0.5, ...(r === 0 ? { 'cost.perHour': 2 } : {}) })));

describe('summary.json', () => {
  test('names the experiment, its factors (with their levels) and metrics (with their units)', () => {
    const s = summarize(TWO_FACTORS, 'abc123', LINES);
    expect(s.schema).toBe(SUMMARY_SCHEMA);
    expect(SUMMARY_SCHEMA).toBe('netsim.sweep-summary/v1');
    expect(s.experiment).toEqual({ name: 'files', hash: 'abc123', scenario: TWO_FACTORS.scenario, masterSeed: 42, confidence: 0.9, replications: 2, precision: null });
    expect(s.factors).toEqual([
      { name: 'mode', paths: ['Service/web.spec.externalTrafficPolicy'], levels: ['Cluster', 'Local'] },
      { name: 'replicas', paths: ['Deployment/web-a.spec.replicas'], levels: [1, 2] },
    ]);
    expect(s.metrics).toEqual([
      { name: 'latency.mean', unit: 's' },
      { name: 'paths.crossZoneFraction', unit: 'fraction' },
    ]);
    expect(s.points.map((p) => p.params)).toEqual([
      { mode: 'Cluster', replicas: 1 },
      { mode: 'Cluster', replicas: 2 },
      { mode: 'Local', replicas: 1 },
      { mode: 'Local', replicas: 2 },
    ]);
  });

  test('cost from the runs that report it only (one of two here)', () => {
    const cost = summarize(TWO_FACTORS, 'h', LINES).points[0]!.cost!;
    expect(cost.perHour).toMatchObject({ n: 1, mean: 2, missing: 1 });
  });

  test('serialized as two-space JSON with one trailing newline', () => {
    const s = summarize(TWO_FACTORS, 'h', LINES);
    const text = serializeSummary(s);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false);
    expect(text.split('\n')[1]).toBe(`  "schema": "${SUMMARY_SCHEMA}",`);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(s)));
  });
});

describe('the CSV files', () => {
  test('end with exactly one newline', () => {
    const s = summarize(TWO_FACTORS, 'h', LINES);
    for (const text of [summaryCsv(s), differencesCsv(s)]) {
      expect(text.endsWith('\n')).toBe(true);
      expect(text.endsWith('\n\n')).toBe(false);
    }
  });

  test('summary.csv: each row carries its point\'s parameters, cost rows included', () => {
    const rows = summaryCsv(summarize(TWO_FACTORS, 'h', LINES)).trimEnd().split('\n').map((r) => r.split(','));
    expect(rows[0]!.slice(0, 5)).toEqual(['point', 'mode', 'replicas', 'metric', 'unit']);
    expect(rows.filter((r) => r[0] === '3').map((r) => r.slice(0, 5))).toEqual([
      ['3', 'Local', '2', 'latency.mean', 's'],
      ['3', 'Local', '2', 'paths.crossZoneFraction', 'fraction'],
      ['3', 'Local', '2', 'cost.perHour', 'cost'],
      ['3', 'Local', '2', 'cost.perMonth', 'cost'],
    ]);
  });

  test('differences.csv: the varying parameter\'s column is empty, the fixed one holds its level', () => {
    const rows = differencesCsv(summarize(TWO_FACTORS, 'h', LINES)).trimEnd().split('\n').map((r) => r.split(','));
    expect(rows[0]!.slice(0, 8)).toEqual(['factor', 'from', 'to', 'fromPoint', 'toPoint', 'mode', 'replicas', 'metric']);
    expect(rows.slice(1).map((r) => r.slice(0, 8))).toEqual([
      ['mode', 'Cluster', 'Local', '0', '2', '', '1', 'latency.mean'],
      ['mode', 'Cluster', 'Local', '0', '2', '', '1', 'paths.crossZoneFraction'],
      ['mode', 'Cluster', 'Local', '1', '3', '', '2', 'latency.mean'],
      ['mode', 'Cluster', 'Local', '1', '3', '', '2', 'paths.crossZoneFraction'],
      ['replicas', '1', '2', '0', '1', 'Cluster', '', 'latency.mean'],
      ['replicas', '1', '2', '0', '1', 'Cluster', '', 'paths.crossZoneFraction'],
      ['replicas', '1', '2', '2', '3', 'Local', '', 'latency.mean'],
      ['replicas', '1', '2', '2', '3', 'Local', '', 'paths.crossZoneFraction'],
    ]);
  });
});
