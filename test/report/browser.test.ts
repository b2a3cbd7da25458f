/**
 * A generated report opened in a real browser (Debian's headless Chromium driven by playwright-core) over
 * file://: every chart draws marks with a real size, nothing logs an error, nothing is fetched. A
 * screenshot is saved to test-output/ (git-ignored) for a person to look at.
 *
 * Skipped only when /usr/bin/chromium is missing AND the CI variable is unset: on CI (.ci/run installs
 * the `chromium` package) the test must run.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isChart } from '../../src/report/charts/chart.js';
import { loadReportInput } from '../../src/report/load-input.js';
import { buildReport, REPORT_PAGE, writeReport } from '../../src/report/report.js';
import { TEST_OUTPUT, tempDir, writeSweep } from './fixtures.js';

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

interface ChartMarks {
  readonly id: string;
  /** Data marks (Plot's line, area, bar, dot, rule and text groups) whose bounding box has a width and a height. */
  readonly sized: number;
  readonly width: number;
  readonly height: number;
}

describe.skipIf(skip)(`report in a real browser (${CHROMIUM})`, () => {
  let tmp: { dir: string; cleanup: () => void };
  let page: string;
  let charts: string[];

  beforeAll(async () => {
    tmp = tempDir();
    const sweep = await writeSweep(join(tmp.dir, 'sweep'));
    const report = buildReport(loadReportInput(sweep), { png: false });
    charts = report.charts.filter(isChart).map((c) => c.id);
    writeReport(join(tmp.dir, 'report'), report);
    page = join(tmp.dir, 'report', REPORT_PAGE);
  });

  afterAll(() => tmp?.cleanup());

  test('every chart renders marks with a real size, without console errors or requests', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    try {
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

      const measured = await tab.evaluate(`(() => {
        const MARKS = new Set(['line', 'area', 'bar', 'dot', 'rule', 'text']);
        return [...document.querySelectorAll('section[id] > figure > svg')].map((svg) => {
          const box = svg.getBoundingClientRect();
          let sized = 0;
          for (const g of svg.querySelectorAll('svg svg g[aria-label]')) {
            if (!MARKS.has(g.getAttribute('aria-label'))) continue;
            for (const el of g.querySelectorAll('path, rect, circle, line, text')) {
              const b = el.getBBox();
              if (b.width > 0 && b.height > 0) sized++;
            }
          }
          return { id: svg.closest('section').id, sized, width: box.width, height: box.height };
        });
      })()`);
      const marks = measured as ChartMarks[];
      expect(marks.map((m) => m.id)).toEqual(charts);
      for (const m of marks) {
        expect(m.sized, `${m.id}: marks drawn`).toBeGreaterThan(2);
        expect(m.width, `${m.id}: width`).toBeGreaterThan(500);
        expect(m.height, `${m.id}: height`).toBeGreaterThan(150);
      }
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);

      mkdirSync(TEST_OUTPUT, { recursive: true });
      const shot = join(TEST_OUTPUT, 'report-browser.png');
      await tab.screenshot({ path: shot, fullPage: true });
      expect(existsSync(shot)).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
