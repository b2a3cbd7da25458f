/**
 * Reports opened in a real browser (Debian's headless Chromium driven by playwright-core) over file://,
 * made from sweeps the way a user makes them: the bundled experiments/etp-cluster-vs-local.yaml (load ×
 * policy, with drops at 3k/s) and a replicas × policy sweep (test/report/fixtures/replicas-policy.yaml: 20
 * configurations, some saturated). For every chart:
 *
 * - marks are drawn with a real size; nothing logs an error; nothing is fetched but the page;
 * - no two texts of a figure overlap: each label's box (`getBBox`, through its screen transform) is
 *   compared with every other's in the same figure;
 * - every configuration of the plan is in the chart (named in a mark's `<title>` or a label), or a note
 *   under the chart names it.
 *
 * Screenshots of each page and each figure go to test-output/report-browser/ (git-ignored), for a person
 * to look at. Skipped only when /usr/bin/chromium is missing AND the CI variable is unset: on CI (.ci/run
 * installs the `chromium` package) the test must run.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runSweep } from '../../src/experiment/sweep.js';
import { isChart } from '../../src/report/charts/chart.js';
import type { ReportInput } from '../../src/report/inputs.js';
import { loadReportInput } from '../../src/report/load-input.js';
import { buildReport, REPORT_PAGE, writeReport } from '../../src/report/report.js';
import { ROOT, TEST_OUTPUT, tempDir } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const skip = !available && !process.env['CI'];
if (skip) {
  console.warn(`report browser test skipped: ${CHROMIUM} not found (apt-get install chromium; with CI=1 the test runs and fails instead)`);
}

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const SWEEPS = [
  { name: 'etp-cluster-vs-local', file: join(ROOT, 'experiments/etp-cluster-vs-local.yaml') },
  { name: 'replicas-policy', file: join(ROOT, 'test/report/fixtures/replicas-policy.yaml') },
] as const;

interface FigureFacts {
  readonly id: string;
  /** Data marks (Plot's line, area, bar, dot, rule, text, link and tick groups) whose box has a width and a height. */
  readonly sized: number;
  readonly width: number;
  readonly height: number;
  /** Pairs of texts whose boxes overlap by more than a pixel each way. */
  readonly overlaps: readonly string[];
  /** Every `<title>` of the figure, and every visible text. */
  readonly titles: readonly string[];
  readonly texts: readonly string[];
  /** The notes under the chart. */
  readonly notes: readonly string[];
}

/** Runs in the page: the facts of every figure (see the module comment). */
const MEASURE = `(() => {
  const MARKS = new Set(['line', 'area', 'bar', 'dot', 'rule', 'text', 'link', 'tick']);
  /** The box of an element on the screen, from its getBBox through its screen transform. */
  const screenBox = (el) => {
    const b = el.getBBox();
    const m = el.getScreenCTM();
    const xs = [], ys = [];
    for (const [x, y] of [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]]) {
      xs.push(m.a * x + m.c * y + m.e);
      ys.push(m.b * x + m.d * y + m.f);
    }
    return { x: Math.min(...xs), y: Math.min(...ys), w: Math.max(...xs) - Math.min(...xs), h: Math.max(...ys) - Math.min(...ys) };
  };
  const ownText = (t) => [...t.childNodes].filter((n) => n.nodeType === 3 || n.nodeName.toLowerCase() === 'tspan').map((n) => n.textContent).join(' ').trim();
  return [...document.querySelectorAll('section[id] > figure > svg')].map((svg) => {
    const section = svg.closest('section');
    const box = svg.getBoundingClientRect();
    let sized = 0;
    for (const g of svg.querySelectorAll('svg svg g[aria-label]')) {
      if (!MARKS.has(g.getAttribute('aria-label'))) continue;
      for (const el of g.querySelectorAll('path, rect, circle, line, text')) {
        const b = el.getBBox();
        if (b.width > 0 && b.height > 0) sized++;
      }
    }
    const texts = [];
    for (const t of svg.querySelectorAll('text')) {
      const text = ownText(t);
      if (text === '') continue;
      const b = screenBox(t);
      if (b.w === 0 || b.h === 0) continue;
      texts.push({ text, ...b });
    }
    const overlaps = [];
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i], b = texts[j];
        const ix = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
        const iy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
        if (ix > 1 && iy > 1) overlaps.push(JSON.stringify(a.text) + ' over ' + JSON.stringify(b.text) + ' (' + ix.toFixed(1) + ' x ' + iy.toFixed(1) + ' px)');
      }
    }
    return {
      id: section.id,
      sized,
      width: box.width,
      height: box.height,
      overlaps,
      titles: [...svg.querySelectorAll('title')].map((t) => t.textContent),
      texts: texts.map((t) => t.text),
      notes: [...section.querySelectorAll('p.note')].map((p) => p.textContent),
    };
  });
})()`;

describe.skipIf(skip)(`reports in a real browser (${CHROMIUM})`, () => {
  let tmp: { dir: string; cleanup: () => void };
  let browser: Browser;
  const made = new Map<string, { input: ReportInput; page: string; charts: string[] }>();

  beforeAll(async () => {
    tmp = tempDir();
    for (const sweep of SWEEPS) {
      const out = join(tmp.dir, sweep.name);
      const outcome = await runSweep({ experimentFile: sweep.file, out, workers: 0 });
      if (outcome.kind !== 'done') throw new Error(`sweep ${sweep.name} failed: ${JSON.stringify(outcome).slice(0, 500)}`);
      const input = loadReportInput(out);
      const report = buildReport(input, { png: false });
      writeReport(join(tmp.dir, `${sweep.name}-report`), report);
      made.set(sweep.name, { input, page: join(tmp.dir, `${sweep.name}-report`, REPORT_PAGE), charts: report.charts.filter(isChart).map((c) => c.id) });
    }
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    tmp?.cleanup();
  });

  for (const sweep of SWEEPS) {
    test(`${sweep.name}: every chart drawn, no overlapping text, every configuration present, no errors or requests`, async () => {
      const { input, page, charts } = made.get(sweep.name)!;
      const context = await browser.newContext({ viewport: { width: 820, height: 1000 } });
      const tab = await context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      tab.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      tab.on('pageerror', (e) => errors.push(String(e)));
      tab.on('request', (r) => requests.push(r.url()));
      const url = pathToFileURL(page).href;
      await tab.goto(url, { waitUntil: 'load' });

      const figures = (await tab.evaluate(MEASURE)) as FigureFacts[];
      expect(figures.map((f) => f.id)).toEqual(charts);
      expect(charts.length).toBeGreaterThanOrEqual(6);
      for (const f of figures) {
        expect(f.sized, `${f.id}: marks drawn`).toBeGreaterThan(2);
        expect(f.width, `${f.id}: width`).toBeGreaterThan(500);
        expect(f.height, `${f.id}: height`).toBeGreaterThan(150);
        expect(f.overlaps, `${f.id}: overlapping texts`).toEqual([]);
        const missing = input.configurations.filter(
          (c) => !f.titles.some((t) => t.includes(c)) && !f.texts.some((t) => t.includes(c)) && !f.notes.some((n) => n.includes(c)),
        );
        expect(missing, `${f.id}: configurations neither drawn nor named in a note`).toEqual([]);
      }
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);

      // For a person to look at: the whole page, and each figure on its own.
      const dir = join(TEST_OUTPUT, 'report-browser', sweep.name);
      mkdirSync(dir, { recursive: true });
      await tab.screenshot({ path: join(dir, 'page.png'), fullPage: true });
      for (const id of charts) await tab.locator(`section#${id} > figure > svg`).screenshot({ path: join(dir, `${id}.png`) });
      expect(existsSync(join(dir, 'page.png'))).toBe(true);
      await context.close();
    });
  }
});
