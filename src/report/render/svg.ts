/**
 * Chart -> one SVG document: optional title, legend, then each Plot panel as a nested `<svg>`, stacked
 * vertically on a white background. The same markup is inlined in the HTML and handed to resvg for PNG,
 * so it is a standalone SVG (with `xmlns`) that needs no CSS.
 *
 * Plot runs in Node on a linkedom document. Deterministic bytes: Plot numbers clip paths and markers with
 * process-wide counters, so ids are renamed per chart in order of appearance; Plot's class name is fixed.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { Chart, Panel } from '../charts/chart.js';
import { escapeXml } from './escape.js';
import { legendSvg } from './legend.js';
import { fitText, wrapText } from './text-width.js';
import { FIGURE_WIDTH, FONT_FAMILY, FONT_SIZE, INK, TITLE_FONT_SIZE } from './theme.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const PAD = 10;
const PANEL_TITLE_HEIGHT = 20;

/** linkedom's document (the project compiles without the DOM lib, so `Document` is not a global type). */
export type DomDocument = ReturnType<typeof parseHTML>['document'];
type DomElement = ReturnType<DomDocument['createElement']>;

/** A fresh DOM document for Plot to build elements in. */
export function createDocument(): DomDocument {
  return parseHTML('<!DOCTYPE html><html><head></head><body></body></html>').document;
}

/** One Plot panel rendered to its `<svg>` markup (Plot's inline `<style>` removed) and its height. */
export function renderPanel(panel: Panel, document: DomDocument, width = FIGURE_WIDTH): { markup: string; height: number } {
  const options: Plot.PlotOptions = {
    ...panel.plot,
    document: document as unknown as Plot.PlotOptions['document'],
    width,
    figure: false,
    className: 'netsim-plot',
    style: { fontSize: `${FONT_SIZE}px`, fontFamily: FONT_FAMILY, background: 'white', color: INK, overflow: 'visible' },
  };
  const element = Plot.plot(options) as unknown as DomElement;
  for (const style of [...element.querySelectorAll('style')]) style.remove();
  const height = Number(element.getAttribute('height'));
  return { markup: element.outerHTML, height: Number.isFinite(height) ? height : 0 };
}

export interface FigureOptions {
  /**
   * Draw the chart's title at the top, and under it `context` and the chart's caption (for PNGs, which
   * travel without the page around them: the image itself says what it shows).
   */
  readonly title?: boolean;
  /** With `title`: what the results are (experiment, scenario, replications and seeds). */
  readonly context?: string;
}

const CAPTION_SIZE = 12;
const CAPTION_LINE = 16;

/** Each panel of a chart rendered by Plot (the expensive part of a figure), to compose once or twice. */
export function renderPanels(chart: Chart): { markup: string; height: number }[] {
  const document = createDocument();
  return chart.panels.map((panel) => renderPanel(panel, document));
}

/**
 * The whole chart as one standalone SVG document. `panels`: the chart's panels already rendered (so the
 * page's figure and the PNG's, which adds a title and a caption, draw the panels once).
 */
export function renderFigure(chart: Chart, options: FigureOptions = {}, panels: readonly { markup: string; height: number }[] = renderPanels(chart)): string {
  const body: string[] = [];
  let y = PAD;
  if (options.title) {
    y += TITLE_FONT_SIZE;
    body.push(
      `<text x="${PAD}" y="${y}" font-size="${TITLE_FONT_SIZE}" font-weight="bold" text-anchor="start">${escapeXml(chart.title)}</text>`,
    );
    y += 8;
    const caption = [options.context, chart.caption].filter((t): t is string => typeof t === 'string' && t !== '').join('. ');
    for (const line of caption === '' ? [] : wrapText(caption.endsWith('.') ? caption : `${caption}.`, CAPTION_SIZE, FIGURE_WIDTH - 2 * PAD)) {
      y += CAPTION_LINE - 2;
      body.push(`<text x="${PAD}" y="${y}" font-size="${CAPTION_SIZE}" fill="#555555" text-anchor="start" class="caption">${escapeXml(line)}</text>`);
    }
    if (caption !== '') y += 8;
  }
  const legend = legendSvg(chart.legend, FIGURE_WIDTH - 2 * PAD, FONT_SIZE);
  if (legend.height > 0) {
    body.push(`<g transform="translate(${PAD},${y})">${legend.markup}</g>`);
    y += legend.height + 4;
  }
  for (const [i, panel] of chart.panels.entries()) {
    if (panel.title) {
      y += PANEL_TITLE_HEIGHT - 5;
      const shown = fitText(panel.title, FONT_SIZE, FIGURE_WIDTH - 2 * PAD);
      body.push(`<text x="${PAD}" y="${y}" font-weight="bold" text-anchor="start">${escapeXml(shown)}<title>${escapeXml(panel.title)}</title></text>`);
      y += 5;
    }
    const { markup, height } = panels[i]!;
    body.push(placeAt(markup, 0, y));
    y += height;
  }
  const height = Math.ceil(y + PAD / 2);
  const svg =
    `<svg xmlns="${SVG_NS}" width="${FIGURE_WIDTH}" height="${height}" viewBox="0 0 ${FIGURE_WIDTH} ${height}" ` +
    `font-family="${escapeXml(FONT_FAMILY)}" font-size="${FONT_SIZE}" fill="${INK}" role="img" aria-label="${escapeXml(chart.title)}">` +
    `<rect width="${FIGURE_WIDTH}" height="${height}" fill="white"/>${body.join('')}</svg>`;
  return renumberIds(svg, chart.id);
}

/** Positions a nested `<svg>` (Plot's root element) at (x, y) of the figure. */
function placeAt(svgMarkup: string, x: number, y: number): string {
  return svgMarkup.replace(/^<svg\b/, `<svg x="${x}" y="${y}"`);
}

/**
 * Renames Plot's process-wide numbered ids (`plot-clip-7`, `plot-marker-3`, `plot-pattern-1`) to
 * `<chart>-clip-1`, ... in order of first appearance, so a chart's bytes do not depend on what was drawn
 * before it and ids stay unique across the charts of one page.
 */
export function renumberIds(svg: string, prefix: string): string {
  const names = new Map<string, string>();
  let next = 0;
  return svg.replace(/plot-(clip|marker|pattern)-\d+/g, (id, kind: string) => {
    let renamed = names.get(id);
    if (renamed === undefined) {
      renamed = `${prefix}-${kind}-${++next}`;
      names.set(id, renamed);
    }
    return renamed;
  });
}
