// Mutation testing of the core mechanisms (docs/testing.md). `npm run mutate` runs it; it is not part of CI.
//
//   npm run mutate                                   every folder below, one report
//   MUTATE=src/engine/stats npm run mutate           only the entries under that prefix, with their own
//                                                    incremental file and report, so folder runs do not
//                                                    overwrite each other's results
//
// Incremental mode: the results are kept in reports/mutation/ (git-ignored) and a re-run mutates only the
// code (and re-runs only the tests) that changed since; `npm run mutate -- --force` starts afresh.
import { readFileSync } from 'node:fs';

/** The chart files whose data functions are mutated: everything above the first `export function …Chart(`. */
const CHART_DATA_FILES = [
  'comparison',
  'events-table',
  'latency-cdf',
  'load-distribution',
  'over-time',
  'path-latency',
  'percentiles-load',
  'plan-chart',
  'plan-over-time',
  'stage-breakdown',
  'timeline-data',
];

/**
 * The chart-data part of a chart file as a Stryker line range. The drawing code (Observable Plot marks,
 * colours, margins) that follows is checked by looking at the report, not by mutation; `eventsTable` turns
 * rows into cells and counts as drawing too. Computed at start-up so the range follows edits to the file.
 */
function chartDataRange(name) {
  const file = `src/report/charts/${name}.ts`;
  const lines = readFileSync(new URL(file, import.meta.url), 'utf8').split('\n');
  let drawing = lines.findIndex((line) => /^export function \w+(Chart|Table)\(/.test(line));
  // plan-chart.ts: planData comes first and the panels' helpers follow it.
  const data = lines.findIndex((line) => /^export function planData\(/.test(line));
  if (data >= 0) drawing = lines.findIndex((line, i) => i > data && line === '}') + 1;
  return drawing <= 0 ? file : `${file}:1-${drawing}`;
}

/**
 * What is mutated, and the specification tests that must catch it. Each mechanism is held to its own tests
 * (Stryker's `testFiles`): a mutant killed only by an end-to-end run of the whole simulator says little
 * about which test specifies the behaviour, and running those for every mutant would take days on two cores.
 */
const GROUPS = [
  { mutate: ['src/engine/stats/**/*.ts'], tests: ['test/engine/stats/**/*.test.ts'] },
  { mutate: ['src/engine/distributions/**/*.ts'], tests: ['test/engine/distributions*.test.ts', 'test/engine/distributions/**/*.test.ts'] },
  { mutate: ['src/engine/event-heap.ts'], tests: ['test/engine/event-heap*.test.ts'] },
  { mutate: ['src/model/proxy/**/*.ts'], tests: ['test/model/proxy/**/*.test.ts', 'test/model/fidelity/ipvs-fidelity.test.ts'] },
  { mutate: ['src/model/endpoints/**/*.ts'], tests: ['test/model/endpoints/**/*.test.ts', 'test/model/fidelity/topology-auto-fidelity.test.ts'] },
  { mutate: ['src/model/loadbalancer/**/*.ts'], tests: ['test/model/loadbalancer/**/*.test.ts', 'test/model/fidelity/lb-zones-fidelity.test.ts'] },
  {
    mutate: ['src/model/ingress/**/*.ts'],
    tests: [
      'test/model/ingress/**/*.test.ts',
      'test/model/ingress-routing.test.ts',
      // Not datapath-ingress.test.ts: it simulates in describe bodies, which makes 42 % of the mutants static
      // (every test re-run for each: ~7.5 hours on one core); test/model/ingress/ states its rules per unit.
      'test/model/fidelity/controllers-fidelity.test.ts',
      'test/model/fidelity/ingress-nginx-fidelity.test.ts',
    ],
  },
  { mutate: ['src/scenario/allocation.ts'], tests: ['test/scenario/allocation*.test.ts'] },
  { mutate: ['src/scenario/placement.ts'], tests: ['test/scenario/placement*.test.ts'] },
  { mutate: ['src/experiment/aggregate.ts', 'src/experiment/plan.ts'], tests: ['test/experiment/aggregate*.test.ts', 'test/experiment/plan.test.ts', 'test/experiment/run-ids-and-shards.test.ts'] },
  {
    mutate: CHART_DATA_FILES.map(chartDataRange),
    // Not chart-data.test.ts: it simulates models and a sweep in beforeAll, which every mutant would re-run.
    tests: ['test/report/chart-data-*.test.ts', 'test/report/timeline.test.ts', 'test/report/plan-chart.test.ts'],
  },
];

// Re-export barrels hold no behaviour.
const EXCLUDED = ['!**/index.ts'];

const only = process.env.MUTATE?.replace(/\/+$/, '');
const chosen = GROUPS.map((g) => ({ ...g, mutate: g.mutate.filter((p) => !only || p.startsWith(only)) })).filter((g) => g.mutate.length > 0);
if (chosen.length === 0) {
  throw new Error(`MUTATE=${only}: no entry of stryker.config.mjs starts with it; the entries are:\n  ${GROUPS.flatMap((g) => g.mutate).join('\n  ')}`);
}
const slug = only ? only.replace(/[^A-Za-z0-9]+/g, '-') : 'all';
const mutate = [...chosen.flatMap((g) => g.mutate), ...EXCLUDED];
const testFiles = [...new Set(chosen.flatMap((g) => g.tests))];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.config.ts', related: true },
  // Each mutant runs only the tests that executed its code in the initial run.
  coverageAnalysis: 'perTest',
  mutate,
  testFiles,
  // Not needed by the tests. dist/ is copied: the worker-pool and CLI tests run the compiled code (npm ci builds it).
  ignorePatterns: ['out', 'reports', 'test-output', '.vitest', 'deploy', '.stryker-tmp*'],
  incremental: true,
  incrementalFile: `reports/mutation/${slug}.incremental.json`,
  reporters: ['html', 'clear-text', 'progress'],
  htmlReporter: { fileName: `reports/mutation/${slug}.html` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  // Two cores shared with everything else; `npm run mutate -- --concurrency 2` on a free machine.
  concurrency: 1,
  timeoutMS: 10_000,
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
