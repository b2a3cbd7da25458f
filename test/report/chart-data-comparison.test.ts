/**
 * The comparison chart's data: the sweep's paired differences in display units, one row per pair and
 * metric, with the two configurations compared found by their parameters. Hand-built differences.
 */
import { describe, expect, test } from 'vitest';
import { isChart } from '../../src/report/charts/chart.js';
import { comparisonChart, comparisonData, displayUnit } from '../../src/report/charts/comparison.js';
import { renderFigure } from '../../src/report/render/svg.js';
import type { PairedDifference, ReportInput, ReportPoint } from '../../src/report/inputs.js';

const point = (id: string, configuration: string, policy: string, load: string): ReportPoint => ({
  id,
  configuration,
  parameters: [
    { name: 'policy', value: policy },
    { name: 'load', value: load },
  ],
  runs: [],
});

function diff(d: Partial<PairedDifference>): PairedDifference {
  return { metric: 'latency.p99', unit: 's', factor: 'policy', from: 'Cluster', to: 'Local', fixed: [{ name: 'load', value: '2k/s' }], mean: 0.004, lower: 0.001, upper: 0.007, n: 5, significant: true, ...d };
}

function input(differences: readonly PairedDifference[], confidenceLevel: number | null = 0.9): ReportInput {
  return {
    kind: 'sweep',
    name: 'cmp',
    provenance: { confidenceLevel } as ReportInput['provenance'],
    configurations: ['policy=Cluster', 'policy=Local'],
    loadParameter: 'load',
    points: [point('p0', 'policy=Cluster', 'Cluster', '1k/s'), point('p1', 'policy=Local', 'Local', '1k/s'), point('p2', 'policy=Cluster', 'Cluster', '2k/s'), point('p3', 'policy=Local', 'Local', '2k/s')],
    differences,
  };
}

describe('display units', () => {
  test('seconds in ms, fractions in percentage points, the others as they are', () => {
    expect(displayUnit('s')).toEqual({ factor: 1000, label: 'ms' });
    expect(displayUnit('fraction')).toEqual({ factor: 100, label: 'percentage points' });
    expect(displayUnit('/s')).toEqual({ factor: 1, label: 'req/s' });
    expect(displayUnit('bytes')).toEqual({ factor: 1, label: 'bytes' });
    expect(displayUnit('cost')).toEqual({ factor: 1, label: 'cost' });
    expect(displayUnit('count')).toEqual({ factor: 1, label: 'count' });
    expect(displayUnit('ratio')).toEqual({ factor: 1, label: 'ratio' });
    expect(displayUnit('furlongs')).toEqual({ factor: 1, label: 'furlongs' });
  });
});

describe('comparison rows', () => {
  test('a difference in seconds: ms, labelled `factor: to − from · context`, the two configurations found', () => {
    const data = comparisonData(input([diff({})]));
    expect(data.rows).toEqual([
      {
        metric: 'latency.p99',
        unit: 'ms',
        metricUnit: 's',
        factor: 'policy',
        comparison: 'policy: Local − Cluster',
        context: 'load=2k/s',
        label: 'policy: Local − Cluster · load=2k/s',
        fromConfiguration: 'policy=Cluster',
        toConfiguration: 'policy=Local',
        mean: 4,
        lower: 1,
        upper: 7,
        n: 5,
        significant: true,
      },
    ]);
    expect(data.metrics).toEqual(['latency.p99']);
    expect(data.level).toBe(0.9);
  });

  test('the configurations are the points at both the factor’s level and every fixed value', () => {
    // At load=1k/s the first two points, not the 2k/s ones (same policy values, other load).
    const [row] = comparisonData(input([diff({ fixed: [{ name: 'load', value: '1k/s' }] })])).rows;
    expect([row!.fromConfiguration, row!.toConfiguration]).toEqual(['policy=Cluster', 'policy=Local']);
    // A level no point has: '' (never another point's configuration).
    const [missing] = comparisonData(input([diff({ to: 'Nowhere' })])).rows;
    expect(missing!.toConfiguration).toBe('');
    expect(missing!.fromConfiguration).toBe('policy=Cluster');
    // A fixed value no point has: neither side is found.
    const [other] = comparisonData(input([diff({ fixed: [{ name: 'load', value: '3k/s' }] })])).rows;
    expect([other!.fromConfiguration, other!.toConfiguration]).toEqual(['', '']);
  });

  test('configurations are told apart by their parameters, not by their position', () => {
    const i = input([diff({ fixed: [{ name: 'load', value: '2k/s' }] })]);
    const named: ReportInput = { ...i, points: i.points.map((p) => ({ ...p, configuration: `${p.configuration}@${p.id}` })) };
    const [row] = comparisonData(named).rows;
    expect([row!.fromConfiguration, row!.toConfiguration]).toEqual(['policy=Cluster@p2', 'policy=Local@p3']);
  });

  test('without fixed parameters the label is the comparison alone, and several fixed ones are comma-joined', () => {
    const [bare] = comparisonData(input([diff({ fixed: [] })])).rows;
    expect(bare!.context).toBe('');
    expect(bare!.label).toBe('policy: Local − Cluster');
    const [two] = comparisonData(input([diff({ fixed: [{ name: 'load', value: '2k/s' }, { name: 'replicas', value: 3 }] })])).rows;
    expect(two!.context).toBe('load=2k/s, replicas=3');
    expect(two!.label).toBe('policy: Local − Cluster · load=2k/s, replicas=3');
  });

  test('a fraction in percentage points; a difference without a mean is left out; an unbounded interval is null', () => {
    const data = comparisonData(
      input([
        diff({ metric: 'dropped', unit: 'fraction', mean: -0.025, lower: -0.04, upper: -0.01, significant: true }),
        diff({ metric: 'skipped', mean: null, lower: null, upper: null }),
        diff({ metric: 'throughput', unit: '/s', mean: 12.5, lower: -Infinity, upper: null, significant: false, n: 2 }),
      ]),
    );
    expect(data.rows.map((r) => [r.metric, r.unit, r.mean, r.lower, r.upper, r.n, r.significant])).toEqual([
      ['dropped', 'percentage points', -2.5, -4, -1, 5, true],
      ['throughput', 'req/s', 12.5, null, null, 2, false],
    ]);
    expect(data.metrics).toEqual(['dropped', 'throughput']);
  });

  test('metrics are listed once each, in first-seen order; rounded to 6 significant digits', () => {
    const data = comparisonData(
      input([
        diff({ metric: 'b', mean: 1 / 3, lower: 0.1, upper: 2 / 3 }),
        diff({ metric: 'a' }),
        diff({ metric: 'b', from: 'Local', to: 'Cluster' }),
      ]),
    );
    expect(data.metrics).toEqual(['b', 'a']);
    expect(data.rows[0]).toMatchObject({ mean: 333.333, lower: 100, upper: 666.667 });
  });

  test('a run (no confidence level): intervals at 95 %', () => {
    expect(comparisonData(input([], null))).toEqual({ rows: [], metrics: [], level: 0.95 });
  });
});

describe('finding the configurations compared', () => {
  // The factor is not the points' first parameter, a point lacks it, and a pair holds two parameters fixed.
  const p = (id: string, configuration: string, params: Record<string, string>): ReportPoint => ({ id, configuration, parameters: Object.entries(params).map(([name, value]) => ({ name, value })), runs: [] });
  const points = [
    p('p0', 'bare', { load: '1k/s' }),
    p('p1', 'c-1k-2', { load: '1k/s', replicas: '2', policy: 'Cluster' }),
    p('p2', 'l-1k-3', { load: '1k/s', replicas: '3', policy: 'Local' }),
    p('p3', 'l-1k-2', { load: '1k/s', replicas: '2', policy: 'Local' }),
  ];
  const of = (fixed: PairedDifference['fixed']) => {
    const i: ReportInput = { ...input([diff({ fixed })]), points };
    const [row] = comparisonData(i).rows;
    return [row!.fromConfiguration, row!.toConfiguration];
  };

  test('the point whose factor has the level and whose every fixed parameter matches', () => {
    expect(
      of([
        { name: 'load', value: '1k/s' },
        { name: 'replicas', value: '2' },
      ]),
    ).toEqual(['c-1k-2', 'l-1k-2']);
    expect(
      of([
        { name: 'load', value: '1k/s' },
        { name: 'replicas', value: '3' },
      ]),
    ).toEqual(['', 'l-1k-3']);
  });
});

describe('differences as text in the chart', () => {
  test('in the display unit, signed, with the interval: +4 ms (95 % CI +1 ms to +7 ms)', () => {
    const c = comparisonChart(comparisonData(input([diff({ fixed: [] })])), { kind: 'sweep' });
    if (!isChart(c)) throw new Error(c.reason);
    const svg = renderFigure(c);
    expect(svg).toContain('latency.p99, policy: Local − Cluster (policy=Local − policy=Cluster): +4&#160;ms (90&#160;% CI +1&#160;ms to +7&#160;ms, 5 pairs), a real difference');
  });
});
