/**
 * A colour legend drawn in SVG (Plot's own swatch legends are HTML, which a PNG cannot carry): one swatch
 * and label per item, wrapped into rows that fit the figure's width.
 */
import type { LegendItem } from '../charts/chart.js';
import { escapeXml } from './escape.js';
import { fitText, textWidth } from './text-width.js';

const SWATCH = 18;
const GAP_AFTER_SWATCH = 6;
const GAP_BETWEEN = 18;
const ROW = 20;

export interface LegendLayout {
  /** SVG markup, positioned from (0, 0). */
  readonly markup: string;
  readonly width: number;
  readonly height: number;
}

/** Lays out `items` in rows no wider than `maxWidth` pixels. */
export function legendSvg(items: readonly LegendItem[], maxWidth: number, fontSize: number): LegendLayout {
  if (items.length === 0) return { markup: '', width: 0, height: 0 };
  const parts: string[] = [];
  let x = 0;
  let row = 0;
  let widest = 0;
  for (const item of items) {
    const label = fitText(item.label, fontSize, maxWidth - SWATCH - GAP_AFTER_SWATCH);
    const w = SWATCH + GAP_AFTER_SWATCH + textWidth(label, fontSize);
    if (x > 0 && x + w > maxWidth) {
      row++;
      x = 0;
    }
    const cy = row * ROW + ROW / 2;
    // Each entry is a group with the full label as its <title> (shown on hover; the label may be shortened).
    parts.push(
      `<g><title>${escapeXml(item.label)}</title>${swatch(item, x, cy)}` +
        `<text x="${fmt(x + SWATCH + GAP_AFTER_SWATCH)}" y="${fmt(cy)}" dy="0.35em" text-anchor="start">${escapeXml(label)}</text></g>`,
    );
    x += w;
    widest = Math.max(widest, x);
    x += GAP_BETWEEN;
  }
  return { markup: `<g class="legend">${parts.join('')}</g>`, width: widest, height: (row + 1) * ROW };
}

function swatch(item: LegendItem, x: number, cy: number): string {
  const c = escapeXml(item.colour);
  switch (item.mark) {
    case 'line':
      return `<line x1="${fmt(x)}" x2="${fmt(x + SWATCH)}" y1="${fmt(cy)}" y2="${fmt(cy)}" stroke="${c}" stroke-width="2.5"/>`;
    case 'dash':
      return `<line x1="${fmt(x)}" x2="${fmt(x + SWATCH)}" y1="${fmt(cy)}" y2="${fmt(cy)}" stroke="${c}" stroke-width="2" stroke-dasharray="${escapeXml(item.dash ?? '4,3')}"/>`;
    case 'ring':
      return `<circle cx="${fmt(x + SWATCH / 2)}" cy="${fmt(cy)}" r="4.5" fill="white" stroke="${c}" stroke-width="1.75"/>`;
    case 'band':
      return `<rect x="${fmt(x)}" y="${fmt(cy - 6)}" width="${SWATCH}" height="12" fill="${c}" fill-opacity="0.25"/>`;
    case 'dotted':
      return `<line x1="${fmt(x)}" x2="${fmt(x + SWATCH)}" y1="${fmt(cy)}" y2="${fmt(cy)}" stroke="${c}" stroke-width="2" stroke-dasharray="1.5,2.5"/>`;
    case 'rule':
      return `<line x1="${fmt(x + SWATCH / 2)}" x2="${fmt(x + SWATCH / 2)}" y1="${fmt(cy - 7)}" y2="${fmt(cy + 7)}" stroke="${c}" stroke-width="1.5"/>`;
    case 'dot':
      return `<circle cx="${fmt(x + SWATCH / 2)}" cy="${fmt(cy)}" r="4.5" fill="${c}"/>`;
    case 'diamond': {
      const cx = x + SWATCH / 2;
      const r = 5.5;
      return `<path d="M${fmt(cx)},${fmt(cy - r)}L${fmt(cx + r)},${fmt(cy)}L${fmt(cx)},${fmt(cy + r)}L${fmt(cx - r)},${fmt(cy)}Z" fill="none" stroke="${c}" stroke-width="2"/>`;
    }
    case 'square':
      return `<rect x="${fmt(x + 3)}" y="${fmt(cy - 6)}" width="12" height="12" fill="${c}"/>`;
  }
}

function fmt(n: number): string {
  return String(Math.round(n * 100) / 100);
}
