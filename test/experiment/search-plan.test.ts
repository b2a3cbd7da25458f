/**
 * `netsim plan` end to end, with fixed seeds: an M/M/c setup whose answer the closed form gives (Erlang C),
 * early stopping, a non-monotone and a noisy case that the plan names as such, the grid mode, failure
 * headroom, and byte-identical output with any number of workers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { mmcMeanWait } from '../../src/engine/reference/queueing-theory.js';
import type { PlanFile } from '../../src/experiment/search/plan-file.js';
import { answerSentence, renderPlan } from '../../src/report/text/plan-answer.js';
import { runPlan, type PlanOptions, type PlanOutcome } from '../../src/experiment/search/run-plan.js';
import { workspace, yaml } from './helpers.js';

const LAMBDA = 3000;
const MU = 1000; // exp(mean=1ms)

/** One pod whose concurrency is the number of servers c: M/M/c with λ = 3000/s, μ = 1000/s per server. */
const MMC = yaml(
  'apiVersion: netsim/v1',
  'kind: Cluster',
  'metadata: {name: mmc}',
  'spec:',
  '  zones: [{name: a, nodes: 1, pricePerHour: 0.1}]',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: {name: web}',
  'spec:',
  '  replicas: 1',
  '  selector: {matchLabels: {app: web}}',
  '  template:',
  '    metadata:',
  '      labels: {app: web}',
  '      annotations: {netsim/service-time: "exp(mean=1ms)", netsim/concurrency: "4", netsim/queue-capacity: "1000000"}',
  '    spec: {containers: [{name: web}]}',
  '---',
  'apiVersion: v1',
  'kind: Service',
  'metadata: {name: web}',
  'spec: {type: NodePort, selector: {app: web}, ports: [{port: 80}]}',
  '---',
  'apiVersion: netsim/v1',
  'kind: Workload',
  'metadata: {name: load}',
  'spec:',
  '  clients:',
  `    - {name: users, target: {service: web, via: nodePort}, rate: ${LAMBDA}/s, connection: perRequest}`,
  '---',
  'apiVersion: netsim/v1',
  'kind: Simulation',
  'metadata: {name: mmc}',
  'spec: {duration: 4s, warmup: 500ms, seed: 1}',
);

const SERVERS_PATH = 'Deployment/web.spec.template.metadata.annotations.netsim/concurrency';

function experiment(name: string, values: readonly string[], objective: string, more: string[] = []): string {
  return yaml(
    'apiVersion: netsim/v1',
    'kind: Experiment',
    `metadata: {name: ${name}}`,
    'spec:',
    '  scenario: mmc.yaml',
    '  parameters:',
    '    - name: servers',
    `      path: ${SERVERS_PATH}`,
    `      values: [${values.map((v) => `"${v}"`).join(', ')}]`,
    '  replications: 3',
    '  seed: 5',
    '  metrics: [latency.mean]',
    '  search:',
    '    parameter: servers',
    `    objective: ${objective}`,
    '    maxReplications: 9',
    '    step: 3',
    ...more,
  );
}

const ws = workspace({ 'mmc.yaml': MMC });
afterAll(() => ws.cleanup());

type Done = Extract<PlanOutcome, { kind: 'done' }>;
let outs = 0;

async function plan(file: string, text: string, opts: Partial<PlanOptions> = {}): Promise<Done> {
  ws.write(file, text);
  const r = await runPlan({ experimentFile: ws.path(file), out: ws.path(`out-${++outs}`), workers: 0, ...opts });
  if (r.kind === 'invalid') expect.fail(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('\n'));
  if (r.kind === 'refused') expect.fail(r.message);
  return r;
}

const SERVERS = ['4', '5', '6', '7', '8', '9', '10'];
const BOUND_MS = 0.2;

describe('M/M/c: the plan finds the c that Erlang C gives', () => {
  // Mean wait in queue, Erlang C: c = 4: 0.51 ms, 5: 0.118 ms, 6: 0.033 ms... The fewest servers with
  // W_q <= 0.2 ms is 5.
  const closedForm = SERVERS.map(Number).find((c) => mmcMeanWait(LAMBDA, MU, c) <= BOUND_MS / 1000)!;

  test('the same c as the closed form, stopping at the first replications where the CI is clear', async () => {
    expect(closedForm).toBe(5);
    const r = await plan('mmc-e.yaml', experiment('mmc', SERVERS, `latencyByStage.podQueue.mean <= ${BOUND_MS}ms`));
    const [a] = r.plan.answers;
    expect(a!.kind).toBe('decided');
    expect(Number(a!.answer!.level)).toBe(closedForm);
    expect(Number(a!.below!.level)).toBe(closedForm - 1);
    // Every level decided by its first 3 replications: far from the bound, the interval is clear at once.
    for (const l of a!.levels) expect(l.replications).toBe(3);
    expect(r.plan.runs.used).toBe(3 * a!.levels.length);
    expect(r.plan.runs.used).toBeLessThan(r.plan.runs.grid.runs);
    expect(a!.levels.length).toBeLessThanOrEqual(4);
    // The simulated waits are those of the closed form, within their intervals' reach.
    for (const l of a!.levels) {
      const exact = mmcMeanWait(LAMBDA, MU, Number(l.level));
      expect(Math.abs(l.terms[0]!.mean! - exact)).toBeLessThan(Math.max(3 * l.terms[0]!.halfWidth!, 0.15 * exact));
    }
    expect(answerSentence(r.plan, a!)).toMatch(/^5 servers meet latencyByStage\.podQueue\.mean ≤ 0\.2ms: \d+(\.\d+)? µs ± \d+(\.\d+)? µs \(95 % CI, 3 replications\); 4 servers fail: \d+(\.\d+)? µs ± \d+(\.\d+)? µs/);
    expect(renderPlan(r.plan).split('\n')[0]).toBe(answerSentence(r.plan, a!));
    expect(renderPlan(r.plan)).toContain(`${r.plan.runs.used} runs (`);
  });

  test('noisy: a bound at the true value leaves the level undecided after maxReplications, and the plan says so', async () => {
    const exact = mmcMeanWait(LAMBDA, MU, 5) * 1000;
    const r = await plan('mmc-noisy.yaml', experiment('mmc-noisy', SERVERS, `latencyByStage.podQueue.mean <= ${exact.toFixed(4)}ms`));
    const [a] = r.plan.answers;
    expect(a!.kind).toBe('undecided');
    expect(Number(a!.answer!.level)).toBe(6);
    expect(a!.undecided.map((u) => u.level)).toEqual(['5']);
    const five = a!.levels.find((l) => l.level === '5')!;
    expect(five.decision).toBe('undecided');
    expect(five.replications).toBe(9); // the cap
    expect(answerSentence(r.plan, a!)).toContain('5 servers undecided');
    expect(answerSentence(r.plan, a!)).toContain('after 9 replications (the CI straddles the bound)');
  });

  test('not monotone: a level that meets below one that fails is named, and no answer is given', async () => {
    // Written out of order, so that the search order is not monotone: 3 fails, 5 meets, 4 fails, 6 meets.
    const r = await plan('mmc-nm.yaml', experiment('mmc-nm', ['3', '5', '4', '6'], `latencyByStage.podQueue.mean <= ${BOUND_MS}ms`));
    const [a] = r.plan.answers;
    expect(a!.kind).toBe('not-monotone');
    expect(a!.answer).toBeNull();
    expect(a!.contradiction).toMatchObject({ meets: { level: '5' }, fails: { level: '4' } });
    expect(answerSentence(r.plan, a!)).toMatch(/^Not monotone in servers: 5 servers meet .* but 4 servers fail .*use the grid mode/);
  });

  test('nothing meets: the top fails, and the plan says so', async () => {
    const r = await plan('mmc-none.yaml', experiment('mmc-none', ['4', '5'], 'latencyByStage.podQueue.mean <= 1us'));
    expect(r.plan.answers[0]!.kind).toBe('none');
    expect(answerSentence(r.plan, r.plan.answers[0]!)).toMatch(/^Even 5 servers fail .*No servers value searched meets it/);
  });
});

describe('dropped requests count against a latency objective', () => {
  test('a p99 objective fails when more than 1 % of requests are dropped, whatever the completed ones took', async () => {
    // A queue of 4 at c = 4: at 3000/s some requests are refused (queue-full). The completed ones are
    // quick (they waited at most 4 places), but a dropped request met no bound.
    const scenario = MMC.replace('netsim/queue-capacity: "1000000"', 'netsim/queue-capacity: "4"');
    ws.write('mmc-drop.yaml', scenario);
    const r = await plan(
      'drop.yaml',
      experiment('drop', ['4', '8'], 'latency.p99 <= 50ms').replace('scenario: mmc.yaml', 'scenario: mmc-drop.yaml').replace('metrics: [latency.mean]', 'metrics: [latency.mean, dropFraction]'),
    );
    const four = r.plan.answers[0]!.levels.find((l) => l.level === '4')!;
    expect(four.decision).toBe('fails');
    expect(four.terms[0]!.unbounded).toBeGreaterThan(0);
    const lines = readFileSync(join(r.out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { point: number; metrics: Record<string, number | null> });
    const dropping = lines.filter((l) => l.point === 0 && l.metrics['dropFraction']! > 0.01);
    expect(dropping.length).toBe(four.terms[0]!.unbounded);
    for (const l of dropping) {
      expect(l.metrics['latency.p99']!).toBeLessThan(0.05); // completed requests alone would meet it
      expect(l.metrics['latencyWithDrops.p99']).toBeNull(); // +∞, written as null in results.jsonl
    }
    expect(r.plan.answers[0]!.answer!.level).toBe('8');
  });
});

describe('grid mode: the cheapest configuration that meets the objective', () => {
  test('tries points cheapest first and prunes the ones that cannot be cheaper', async () => {
    // nodes × size: size sets each pod's servers and the node's price; one pod per node. Servers and
    // price per hour: (1, small) 2 $0.1, (1, medium) 4 $0.2, (1, large) 8 $0.4, (2, small) 4 $0.2,
    // (2, medium) 8 $0.4, ... Only 8 or more servers (in one pod, or 4 in each of two) meet 0.2 ms; the
    // cheapest is $0.4 an hour, (1, large) first in plan order among the two at that price.
    const text = yaml(
      'apiVersion: netsim/v1',
      'kind: Experiment',
      'metadata: {name: grid}',
      'spec:',
      '  scenario: mmc.yaml',
      '  parameters:',
      '    - name: nodes',
      '      zip:',
      '        - {path: "Cluster.spec.zones[0].nodes", values: [1, 2, 3]}',
      '        - {path: Deployment/web.spec.replicas, values: [1, 2, 3]}',
      '      labels: [1, 2, 3]',
      '    - name: size',
      '      zip:',
      `        - {path: ${SERVERS_PATH}, values: ["2", "4", "8"]}`,
      '        - {path: "Cluster.spec.zones[0].pricePerHour", values: [0.1, 0.2, 0.4]}',
      '      labels: [small, medium, large]',
      '  replications: 3',
      '  seed: 5',
      '  metrics: [latency.mean]',
      '  search:',
      `    objective: latencyByStage.podQueue.mean <= ${BOUND_MS}ms`,
      '    maxReplications: 6',
    );
    const r = await plan('grid.yaml', text);
    const [a] = r.plan.answers;
    expect(a!.kind).toBe('decided');
    expect(a!.answer!.params).toEqual({ nodes: 1, size: 'large' });
    // Tried in order of price: 6 points; the three at $0.6 an hour and more were never run.
    expect(a!.pruned).toBe(3);
    expect(a!.levels.map((l) => l.params)).toEqual([
      { nodes: 1, size: 'small' },
      { nodes: 1, size: 'medium' },
      { nodes: 2, size: 'small' },
      { nodes: 3, size: 'small' },
      { nodes: 1, size: 'large' },
      { nodes: 2, size: 'medium' },
    ]);
    expect(a!.levels.find((l) => l.params['size'] === 'large')!.cost.perHour).toBeCloseTo(0.4, 9);
    expect(r.plan.runs.used).toBeLessThan(r.plan.runs.grid.runs);
    expect(answerSentence(r.plan, a!)).toMatch(/^Cheapest that meets latencyByStage\.podQueue\.mean ≤ 0\.2ms: nodes=1, size=large at \$0\.4\/h \(\$292\.00\/month\): \d+(\.\d+)? µs ± \d+(\.\d+)? µs \(95 % CI, \d+ replications\)\.$/);
  });
});

describe('failure headroom', () => {
  test('each candidate is checked with the node holding most pods failed, measured once it has settled', async () => {
    // Three nodes, one pod each; a node's loss leaves two pods until its pod is replaced. The control plane
    // is quick here (grace 2 s, eviction after 2 s) so that the failure settles within seconds.
    const scenario = MMC.replace('nodes: 1, pricePerHour: 0.1}]', 'nodes: 3, pricePerHour: 0.1}]\n  controlPlane: {nodeMonitorGracePeriod: 2s, podEvictionTimeout: 2s}')
      .replace('  replicas: 1\n', '  replicas: 3\n')
      .replace(`rate: ${LAMBDA}/s`, 'rate: 1500/s');
    ws.write('three.yaml', scenario);
    const text = yaml(
      'apiVersion: netsim/v1',
      'kind: Experiment',
      'metadata: {name: headroom}',
      'spec:',
      '  scenario: three.yaml',
      '  parameters:',
      `    - {name: servers, path: ${SERVERS_PATH}, values: ["1", "2", "3", "4"]}`,
      '  replications: 2',
      '  seed: 5',
      '  metrics: [latency.mean]',
      '  search:',
      '    parameter: servers',
      '    objective: latencyByStage.podQueue.mean <= 0.5ms',
      '    maxReplications: 4',
      '    headroom: node',
      '    settleWithin: 60s',
    );
    const r = await plan('headroom.yaml', text);
    const [a] = r.plan.answers;
    const withFailure = a!.levels.filter((l) => l.headroom !== null);
    expect(withFailure.length).toBeGreaterThan(0);
    for (const l of withFailure) {
      const h = l.headroom!;
      expect(h.target).toBe('node a-node-1'); // one pod on each: the first node
      expect(h.settledAt).not.toBeNull();
      expect(h.warmup!).toBeGreaterThan(h.settledAt!);
      expect(h.unsettledRuns).toBe(0);
    }
    // The answer with a failure is at least the answer without one, and the sentence says which is which.
    expect(a!.withoutHeadroom).not.toBeNull();
    expect(Number(a!.answer!.level)).toBeGreaterThanOrEqual(Number(a!.withoutHeadroom!.answer!.level));
    expect(answerSentence(r.plan, a!)).toContain('with node a-node-1 failed (N+1)');
    expect(r.plan.runs.headroom).toBeGreaterThan(0);
    expect(readFileSync(join(r.out, 'headroom.jsonl'), 'utf8')).toContain('"run":"p');
  });
});

describe('determinism', () => {
  test('the same plan.json, summary.json and text with the main thread, 1 worker and 2 workers', async () => {
    const text = experiment('det', SERVERS, `latencyByStage.podQueue.mean <= ${BOUND_MS}ms and dropped <= 0.1%`);
    const runs = [await plan('det.yaml', text, { workers: 0 }), await plan('det.yaml', text, { workers: 1 }), await plan('det.yaml', text, { workers: 2 })];
    const files = (r: Done) => ['plan.json', 'summary.json', 'summary.csv'].map((f) => readFileSync(join(r.out, f), 'utf8'));
    const reference = files(runs[0]!);
    for (const r of runs.slice(1)) {
      expect(files(r)).toEqual(reference);
      expect(renderPlan(r.plan)).toBe(renderPlan(runs[0]!.plan));
    }
    expect((JSON.parse(reference[0]!) as PlanFile).answers[0]!.answer!.level).toBe('5');
  });
});
