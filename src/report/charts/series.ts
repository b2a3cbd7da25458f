/**
 * Lines per configuration, shared by the charts that draw series: the colour and dash of each
 * configuration come from the report's layout (data/layout.ts), so a configuration looks the same on every
 * chart. Lines of different dash patterns are separate marks (a mark has one `strokeDasharray`).
 */
import * as Plot from '@observablehq/plot';
import type { Layout } from '../data/layout.js';

/**
 * `Plot.line` of the rows, one line per configuration (`z`), split into one mark per dash pattern. The
 * caller's `stroke` should map a row to its colour label (`layout.style(c).colourLabel`).
 */
export function styledLines<T extends { readonly configuration: string }>(rows: readonly T[], layout: Layout, options: Plot.LineOptions): Plot.Markish[] {
  const byDash = new Map<string, T[]>();
  for (const r of rows) {
    const dash = layout.style(r.configuration).dash ?? '';
    let list = byDash.get(dash);
    if (!list) byDash.set(dash, (list = []));
    list.push(r);
  }
  return [...byDash].map(([dash, list]) => Plot.line(list, { z: 'configuration', ...options, ...(dash ? { strokeDasharray: dash } : {}) }));
}
