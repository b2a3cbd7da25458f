/**
 * The report's files: a self-contained HTML page, escaped user text, CSV per chart, PNG through resvg with
 * the shipped font, and the same bytes every time.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseHTML } from 'linkedom';
import { isChart, type Chart } from '../../src/report/charts/chart.js';
import type { ReportInput } from '../../src/report/inputs.js';
import { loadReportInput } from '../../src/report/load-input.js';
import { buildReport, imageContext, REPORT_PAGE, writeReport, type Report } from '../../src/report/report.js';
import { fontFiles, rasterize, svgToPng } from '../../src/report/render/png.js';
import { renderFigure, renumberIds } from '../../src/report/render/svg.js';
import { netsim } from '../cli/helpers.js';
import { LOCAL, ROOT, SHORT, tempDir, writeRun, writeSweep } from './fixtures.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let tmp: { dir: string; cleanup: () => void };
let sweepDir: string;
let sweep: ReportInput;
let report: Report;

beforeAll(async () => {
  tmp = tempDir();
  sweepDir = await writeSweep(join(tmp.dir, 'sweep'));
  sweep = loadReportInput(sweepDir);
  report = buildReport(sweep, { png: true });
});

afterAll(() => tmp.cleanup());

const html = (r: Report): string => r.files.find((f) => f.name === REPORT_PAGE)!.content as string;
const file = (r: Report, name: string): string | Buffer => {
  const f = r.files.find((x) => x.name === name);
  if (!f) throw new Error(`no ${name} in ${r.files.map((x) => x.name).join(', ')}`);
  return f.content;
};

describe('files', () => {
  test('index.html first, then a CSV and a PNG per drawn chart', () => {
    const drawn = report.charts.filter(isChart).map((c) => c.id);
    // A sweep over load: latency and drops against load first, then the distribution, the paired comparison, ...
    expect(drawn).toEqual(['percentiles-vs-load', 'latency-cdf', 'comparison', 'load-distribution', 'stage-breakdown', 'path-latency', 'over-time']);
    expect(report.files.map((f) => f.name)).toEqual([REPORT_PAGE, ...drawn.flatMap((id) => [`${id}.csv`, `${id}.png`])]);
  });

  test('without --png, no PNG', () => {
    const plain = buildReport(sweep);
    expect(plain.files.some((f) => f.name.endsWith('.png'))).toBe(false);
    expect(html(plain)).not.toMatch(/\.png/);
  });

  test('every chart’s data as CSV, with a header naming units', () => {
    const cdf = (file(report, 'latency-cdf.csv') as string).trimEnd().split('\n');
    expect(cdf[0]).toBe('configuration,latency_ms,cumulative_fraction,exceedance_fraction');
    for (const configuration of sweep.configurations) {
      const last = cdf.filter((l) => l.startsWith(`${configuration},`)).pop()!;
      expect(last.split(',')[2]).toBe('1');
    }
    expect((file(report, 'percentiles-vs-load.csv') as string).split('\n')[0]).toBe(
      'configuration,percentile,offered_load_per_s,measured_load_per_s,mean_ms,ci_lower_ms,ci_upper_ms,replications,not_reached_in,dropped_fraction',
    );
    expect((file(report, 'load-distribution.csv') as string).split('\n')[0]).toMatch(/^configuration,kind,name,zone,requests,share,even_share/);
  });

  test('writeReport puts the files in the directory', () => {
    const out = join(tmp.dir, 'written');
    const paths = writeReport(out, report);
    expect(paths).toHaveLength(report.files.length);
    for (const f of report.files) expect(readFileSync(join(out, f.name)).equals(Buffer.from(f.content))).toBe(true);
  });
});

describe('index.html', () => {
  test('self-contained: no script, no external resource, no URL at all', () => {
    const page = html(report);
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/\ssrc\s*=/i);
    expect(page).not.toMatch(/<link\b/i);
    expect(page).not.toMatch(/@import|url\(/i);
    expect(page).not.toMatch(/https?:\/\//i);
    // Links only to the files beside the page and to anchors within it.
    for (const [, href] of page.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^(#[a-z-]+|[a-z-]+\.(csv|png))$/);
  });

  test('each chart inline as SVG with its text, notes and file links; skipped charts listed with a reason', () => {
    const page = html(report);
    expect(page.match(/<figure><svg /g)).toHaveLength(7);
    for (const chart of report.charts.filter(isChart)) {
      expect(page).toContain(`<section id="${chart.id}">`);
      expect(page).toContain(`<a href="${chart.id}.csv">`);
      expect(page).toContain(`<a href="${chart.id}.png">`);
      expect(chart.description.length).toBeGreaterThan(80);
    }
    expect(page).toMatch(/cut into the stages a request goes through/);
    expect(page).not.toMatch(/Not drawn yet/);
  });

  test('provenance: scenario, experiment, seeds, replications, confidence level, tool version', () => {
    const page = html(report);
    const provenance = page.slice(page.indexOf('<section id="provenance">'), page.indexOf('</section>', page.indexOf('<section id="provenance">')));
    expect(provenance).toContain('<code>production-3zones</code>');
    expect(provenance).toContain('<code>etp-load</code>');
    for (const seed of sweep.provenance.seeds) expect(provenance).toContain(`<code>${seed}</code>`);
    expect(provenance).toContain('<dt>Replications</dt><dd>3 per point</dd>');
    expect(provenance).toContain('<dt>Confidence level</dt><dd>95\u00a0%</dd>');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(provenance).toContain(`<dt>Tool</dt><dd>kube-netsim ${pkg.version}</dd>`);
    expect(provenance).toContain('Simulation.spec.duration=2s');
  });

  test('the story first: the experiment as the title, then "What this shows" computed from the results', () => {
    const page = html(report);
    expect(page).toContain('<title>etp-load: kube-netsim report</title>');
    const story = page.indexOf('<section id="summary" class="story"><h2>What this shows</h2>');
    expect(story).toBeGreaterThan(page.indexOf('<h1>'));
    expect(story).toBeLessThan(page.indexOf('<section id="provenance">'));
    const text = page.slice(story, page.indexOf('</section>', story));
    expect(text).toMatch(/At 2400\/s, /);
    expect(text).toMatch(/p99 is [\d.]+\u00a0ms/);
  });

  test('every mark of every chart carries an SVG <title> (hover shows the exact values, no script)', () => {
    const AXES = /axis|grid|frame|facet titles/;
    for (const chart of report.charts.filter(isChart)) {
      const { document } = parseHTML(`<!DOCTYPE html><html><body>${renderFigure(chart)}</body></html>`);
      let marks = 0;
      for (const g of document.querySelectorAll('svg svg g[aria-label]')) {
        const label = g.getAttribute('aria-label') ?? '';
        // Axes, grids, frames and the zero line are not data (the description says so).
        if (AXES.test(label) || g.getAttribute('aria-description') === 'baseline') continue;
        for (const el of g.querySelectorAll('path, rect, circle, line, text')) {
          marks++;
          // The element's own <title>, or its group's (Plot titles a line, an area or a facet group once).
          let titled = false;
          for (let at: typeof el | null = el; at && !titled; at = at === g ? null : at.parentElement) {
            titled = [...at.children].some((c) => c.tagName.toLowerCase() === 'title');
          }
          expect(titled, `${chart.id}: a ${label} mark without <title>: ${el.outerHTML.slice(0, 120)}`).toBe(true);
        }
      }
      expect(marks, chart.id).toBeGreaterThan(2);
    }
  });

  test('each PNG says what it shows: title, experiment, replications and seeds, and the load of the situation', () => {
    const chart = report.charts.find((c) => c.id === 'latency-cdf' && isChart(c)) as Chart;
    const svg = renderFigure(chart, { title: true, context: imageContext(sweep) });
    const caption = [...svg.matchAll(/<text[^>]*class="caption"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).join(' ');
    expect(caption).toContain('experiment etp-load (scenario production-3zones)');
    expect(caption).toContain('3 replications per point (3 seeds)');
    expect(caption).toContain('load=2400/s');
    expect(svg).toContain('>Latency distribution</text>');
  });

  test('axes carry units and legends name the configurations', () => {
    const page = html(report);
    expect(page).toContain('latency (ms, log scale)');
    expect(page).toContain('offered load (req/s)');
    for (const c of sweep.configurations) expect(page).toContain(`>${c}</text>`);
  });

  test('the same results give the same bytes, HTML and PNG alike', () => {
    const again = buildReport(loadReportInput(sweepDir), { png: true });
    expect(again.files.map((f) => f.name)).toEqual(report.files.map((f) => f.name));
    for (let i = 0; i < report.files.length; i++) {
      expect(Buffer.from(again.files[i]!.content).equals(Buffer.from(report.files[i]!.content)), report.files[i]!.name).toBe(true);
    }
  });

  test('Plot’s process-wide ids are renumbered per chart', () => {
    expect(renumberIds('<clipPath id="plot-clip-17"/><g clip-path="url(#plot-clip-17)"/><g id="plot-clip-3"/>', 'c')).toBe(
      '<clipPath id="c-clip-1"/><g clip-path="url(#c-clip-1)"/><g id="c-clip-2"/>',
    );
  });
});

describe('user text is escaped', () => {
  test('a scenario named <script> and a configuration named <img onerror> show as text', () => {
    const dir = join(tmp.dir, 'hostile');
    const evil = '<script>alert(1)</script>';
    const evilDir = '<img src=x onerror=alert(2)>';
    writeRun(join(dir, 'cluster'), 'production-3zones.yaml', [...SHORT, `Simulation.metadata.name=${evil}`]);
    writeRun(join(dir, evilDir), 'production-3zones.yaml', [...SHORT, LOCAL, `Simulation.metadata.name=${evil}`]);
    const input = loadReportInput(dir);
    expect(input.provenance.scenarios).toEqual([evil]);
    expect(input.configurations).toContain(evilDir);
    const made = buildReport(input, { png: true });
    const page = html(made);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=alert(2)&gt;');
    // Also inside the SVG drawn by Plot (legend and facet labels).
    const cdf = renderFigure(made.charts.find((c) => c.id === 'load-distribution' && isChart(c)) as never);
    expect(cdf).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(cdf).not.toMatch(/<img/i);
    // The PNG is still drawn (resvg parses the escaped SVG).
    expect((file(made, 'latency-cdf.png') as Buffer).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });
});

describe('PNG', () => {
  test('PNG bytes, with a non-trivial size', () => {
    for (const chart of report.charts.filter(isChart)) {
      const png = file(report, `${chart.id}.png`) as Buffer;
      expect(png.subarray(0, 8).equals(PNG_SIGNATURE), chart.id).toBe(true);
      expect(png.length, chart.id).toBeGreaterThan(20_000);
    }
  });

  test('the shipped DejaVu font is found and text is drawn', () => {
    expect(fontFiles().every((f) => existsSync(f) && f.includes('dejavu-fonts-ttf'))).toBe(true);
    const chart = report.charts.find(isChart)!;
    const svg = renderFigure(chart, { title: true });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const withText = rasterize(svg, 1);
    const withoutText = rasterize(svg.replace(/<text\b[^>]*>[^<]*<\/text>/g, ''), 1);
    expect(withText.width).toBe(withoutText.width);
    const differing = countDiffering(withText.pixels, withoutText.pixels);
    expect(differing).toBeGreaterThan(2000);
    // A lone word renders dark pixels: the font is there.
    const word = rasterize(
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="10" y="28" font-size="20" font-family="system-ui, sans-serif">Latency</text></svg>',
      1,
    );
    expect(countDark(word.pixels)).toBeGreaterThan(100);
  });

  test('rendering twice gives identical bytes', () => {
    const chart = report.charts.find((c) => c.id === 'comparison' && isChart(c));
    const svg = renderFigure(chart as never, { title: true });
    expect(svgToPng(svg).equals(svgToPng(svg))).toBe(true);
  });
});

describe('netsim report', () => {
  test('writes the page, the CSVs and the PNGs, and says what it skipped', async () => {
    const out = join(tmp.dir, 'cli-out');
    const r = await netsim(['report', sweepDir, '--out', out, '--png', '--title', 'ETP <sweep>']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${join(out, 'index.html')}: 7 charts (with PNG)`);
    expect(existsSync(join(out, 'comparison.png'))).toBe(true);
    const page = readFileSync(join(out, 'index.html'), 'utf8');
    expect(page).toContain('<title>ETP &lt;sweep&gt;</title>');
  });

  test('a single run directory', async () => {
    const run = join(tmp.dir, 'one-run');
    writeRun(run, 'nodeport-local-pinned.yaml', ['Simulation.spec.duration=5s']);
    const out = join(tmp.dir, 'one-run-report');
    const r = await netsim(['report', run, '--out', out, '-q']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const page = readFileSync(join(out, 'index.html'), 'utf8');
    expect(page).toContain('<h1>nodeport-local-pinned: kube-netsim report</h1>');
    expect(page).toContain('<section id="latency-cdf">');
    expect(page).toContain('<section id="load-distribution">');
  });

  test('a directory without results: exit 2, one line', async () => {
    const empty = join(tmp.dir, 'empty');
    mkdirSync(empty, { recursive: true });
    const r = await netsim(['report', empty, '--out', join(tmp.dir, 'nothing')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: .*no results found/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const missing = await netsim(['report', join(tmp.dir, 'missing')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such directory/);
  });
});

function countDiffering(a: Buffer, b: Buffer): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 4) if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) n++;
  return n;
}

function countDark(rgba: Buffer): number {
  let n = 0;
  for (let i = 0; i < rgba.length; i += 4) if (rgba[i + 3]! > 0 && rgba[i]! < 128) n++;
  return n;
}
