/**
 * Lines per configuration, shared by the charts that draw series. Colours cycle after the palette's 10;
 * configurations of the second and later cycles are drawn dashed (and shown dashed in the legend), so two
 * lines never look the same.
 */
import * as Plot from '@observablehq/plot';
import { PALETTE } from '../render/theme.js';
import type { LegendItem } from './chart.js';

/** Configurations drawn dashed: those past the first cycle of the palette. */
export function dashedConfigurations(configurations: readonly string[]): Set<string> {
  return new Set(configurations.filter((_, i) => i >= PALETTE.length));
}

/** One legend entry per configuration: its colour, a line (dashed past the first colour cycle). */
export function seriesLegend(configurations: readonly string[], colours: ReadonlyMap<string, string>): LegendItem[] {
  const dashed = dashedConfigurations(configurations);
  return configurations.map((c) => ({ label: c, colour: colours.get(c) ?? '#888888', mark: dashed.has(c) ? 'dash' : 'line' }));
}

/** `Plot.line` of the rows, split into a solid and a dashed mark by configuration. */
export function seriesLines<T extends { readonly configuration: string }>(
  rows: readonly T[],
  options: Plot.LineOptions,
  configurations: readonly string[],
): Plot.Markish[] {
  const dashed = dashedConfigurations(configurations);
  const solid = rows.filter((r) => !dashed.has(r.configuration));
  const dash = rows.filter((r) => dashed.has(r.configuration));
  const marks: Plot.Markish[] = [Plot.line(solid, options)];
  if (dash.length > 0) marks.push(Plot.line(dash, { ...options, strokeDasharray: '6,3' }));
  return marks;
}
