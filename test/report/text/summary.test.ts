import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { toResultFile, type ResultFile } from '../../../src/experiment/result-file.js';
import { runScenario } from '../../../src/experiment/run-scenario.js';
import { renderSummary } from '../../../src/report/text/summary.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

let base: ResultFile;
beforeAll(() => {
  const outcome = runScenario({ files: [join(ROOT, 'test/cli/fixtures/services.yaml')] });
  if (!outcome.ok) throw new Error('fixture does not load');
  base = toResultFile(outcome.result, { files: outcome.files, overrides: ['Simulation.spec.duration=5s'] });
});

const lineOf = (text: string, start: string): string => {
  const line = text.split('\n').find((l) => l.trimStart().startsWith(start));
  if (line === undefined) throw new Error(`no line "${start}" in\n${text}`);
  return line;
};

describe('renderSummary', () => {
  it('shows the accounting so the identity can be checked on screen', () => {
    const text = renderSummary(base);
    const m = base.accounting.measured;
    const num = (s: string): number => Number(s.replace(/,/g, ''));
    const cells = (label: string): number[] => lineOf(text, label).trim().split(/\s{2,}/).slice(1).map(num);
    expect(cells('generated')[0]).toBe(m.generated);
    expect(cells('completed')[0]).toBe(m.completed);
    expect(cells('dropped')[0]).toBe(m.droppedTotal);
    expect(cells('in flight')[0]).toBe(m.inFlight);
    expect(cells('generated')[2]).toBe(base.accounting.total.generated);
  });

  it('has every section and the run provenance', () => {
    const text = renderSummary(base);
    expect(text.split('\n')[0]).toBe('cli-fixture  seed 3');
    expect(text).toContain('overrides: Simulation.spec.duration=5s');
    expect(text).toContain('no warm-up');
    for (const s of ['Latency', 'p50', 'p90', 'p99', 'p99.9', 'max', 'mean', 'Paths', 'second hop', 'cross zone', 'cross-zone traffic', 'cost', 'Pods', 'Nodes', 'Zones', 'Clients', 'Engine']) {
      expect(text).toContain(s);
    }
    expect(lineOf(text, 'all')).toContain(String(base.latency.count));
  });

  it('lists drop reasons that occurred, and prints missing values as -', () => {
    const dropped = { ...base.accounting.measured.dropped, timeout: 7 };
    const counts = { ...base.accounting.measured, dropped, droppedTotal: 7, generated: base.accounting.measured.generated + 7 };
    const file: ResultFile = {
      ...base,
      accounting: { ...base.accounting, measured: counts, total: { ...counts } },
      latencyByPath: { ...base.latencyByPath, crossZone: { count: 0, mean: null, min: null, p50: null, p90: null, p99: null, p999: null, max: null } },
    };
    const text = renderSummary(file);
    expect(lineOf(text, 'timeout').trim().split(/\s+/)[1]).toBe('7');
    expect(text).not.toMatch(/^\s+queue-full/m);
    expect(lineOf(text, 'cross zone').trim().split(/\s+/).slice(2)).toEqual(['0', '-', '-', '-', '-', '-', '-']);
  });

  it('the drop rate beside the latency; with drops, percentiles counting them ("not reached" among them)', () => {
    const clean = renderSummary(base);
    expect(lineOf(clean, 'Latency')).toMatch(/^Latency\s+count\s+dropped\s+mean\s+p50/);
    expect(lineOf(clean, 'all').trim().split(/\s{2,}/)[2]).toBe('0 %');
    expect(clean).not.toContain('counting drops');
    // 2 % of the requests dropped: p50 and p90 are still reached, p99 and p99.9 are not.
    const m = base.accounting.measured;
    const lost = Math.ceil(base.latency.count * 0.0205);
    const dropped = { ...m.dropped, timeout: lost };
    const counts = { ...m, dropped, droppedTotal: lost, generated: m.generated + lost };
    const text = renderSummary({ ...base, accounting: { ...base.accounting, measured: counts, total: counts } });
    const share = lineOf(text, 'all').trim().split(/\s{2,}/)[2]!;
    expect(share).toMatch(/^2(\.\d+)? %$/);
    const withDrops = lineOf(text, 'counting drops').trim().split(/\s{2,}/);
    expect(withDrops.slice(-3)).toEqual(['not reached', 'not reached', 'not reached']);
    expect(withDrops[2]).toMatch(/ms|µs/);
    expect(text).toContain('"not reached": the percentile falls among them');
  });

  it('the cross-zone cost with its currency and period', () => {
    expect(renderSummary(base)).toMatch(/cost \$[\d.]+ \(over the measured 5 s, in the currency of crossZoneCostPerGB\)|cost \$0 \(over the measured 5 s/);
  });

  it('cuts long tables and says where the rest is', () => {
    const pods = Array.from({ length: 50 }, (_, i) => ({ ...base.pods[0]!, pod: `default/p-${i}` }));
    const text = renderSummary({ ...base, pods }, { maxRows: 10, outDir: 'out/x' });
    expect(text).toContain('default/p-9');
    expect(text).not.toContain('default/p-10');
    expect(text).toContain('… 40 more pods in out/x/pods.csv');
  });

  it('notes an automatic warm-up and a drain cut', () => {
    const file: ResultFile = {
      ...base,
      warmup: { ...base.warmup, mode: 'auto', end: 1.5, note: null },
      stop: { ...base.stop, drainCut: true },
    };
    const text = renderSummary(file);
    expect(text).toContain('warm-up auto (MSER-5): first 1.5 s left out');
    expect(text).toContain('the drain limit (60 s) cut the run');
  });

  it('"Where the time goes": the stages with time, with mean, p99 and share, in path order', () => {
    const text = renderSummary(base);
    const lines = text.split('\n');
    const head = lines.findIndex((l) => /^Where the time goes +requests +mean +p99 +share$/.test(l));
    expect(head).toBeGreaterThan(0);
    const block = lines.slice(head + 1, lines.indexOf('', head)).filter((l) => /^ {2}\S/.test(l) && !l.startsWith('  mean and p99'));
    const st = base.latencyByStage;
    const shown = (['network', 'proxy', 'podService'] as const).filter((k) => (st[k].share ?? 0) > 0);
    expect(shown.length).toBeGreaterThan(0);
    expect(block.map((l) => l.trim().split(/\s{2,}/)[0])).toEqual(
      [['network', 'network (links)'], ['proxy', 'LB, kube-proxy, forwarding'], ['podQueue', 'pod queue'], ['podService', 'pod service']]
        .filter(([k]) => (st[k as keyof typeof st].share ?? 0) > 0)
        .map(([, label]) => label),
    );
    // No stage without time (this fixture has no DNS, Ingress or external host, and no retries).
    expect(text).not.toMatch(/DNS lookup|ingress queue|external host|earlier attempts/);
    const service = lineOf(text, 'pod service').trim().split(/\s{2,}/);
    expect(service[1]!.replace(/,/g, '')).toBe(String(st.podService.requests));
    expect(service[4]).toMatch(/%$/);
  });

  it('no stage block for results without latencyByStage', () => {
    const old = { ...base, latencyByStage: undefined } as unknown as ResultFile;
    expect(renderSummary(old)).not.toContain('Where the time goes');
  });
});
