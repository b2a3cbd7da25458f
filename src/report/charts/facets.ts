/**
 * Small multiples laid out by the experiment's factors: a wrapped grid of facets, each row of the grid one
 * Plot figure of the same width, margins and scales (so the columns line up and every facet reads on the
 * same axes), each facet a column (`fx` = its index in the row) titled above its frame. Facet titles never
 * overlap: a title wider than its facet goes on one line per factor, each shortened to fit, and the full
 * text is the label's SVG `<title>`.
 */
import * as Plot from '@observablehq/plot';
import { facetGrid, facetTitleLines } from '../data/layout.js';
import { FIGURE_WIDTH, FONT_SIZE } from '../render/theme.js';
import type { Panel } from './chart.js';

/** Line height of facet titles, px. */
export const FACET_LINE = 14;
/** Plot's padding between facets (a fraction of a facet's band). */
const FACET_PADDING = 0.2;

export interface FacetRow {
  /** The facets of this row of the grid, in order. */
  readonly facets: readonly string[];
  /** The column of a facet in this row (the `fx` value of its marks); -1 when not in this row. */
  readonly column: (facet: string) => number;
  readonly first: boolean;
  readonly last: boolean;
}

export interface FacetPanelOptions {
  readonly marginLeft: number;
  readonly marginRight: number;
  /** Space above the titles (e.g. for a panel-level note); default 4. */
  readonly marginTop?: number;
  /** The panel title of the first row. */
  readonly title?: string;
  /**
   * One row's plot: its marks must carry `fx: (d) => row.column(facetOf(d))` and only the row's data. Its
   * `height` does not count the facet titles: their room is added above.
   */
  readonly build: (row: FacetRow) => Panel['plot'];
}

/** Width of one facet's frame in a grid of `columns`, px (approximately Plot's band minus padding). */
export function facetWidth(columns: number, marginLeft: number, marginRight: number): number {
  const inner = FIGURE_WIDTH - marginLeft - marginRight;
  const step = inner / (columns + FACET_PADDING * 2 - FACET_PADDING);
  return step * (1 - FACET_PADDING);
}

/** Columns for a number of facets: all in one row up to `max`, else rows as even as possible. */
export function columnsFor(facets: number, max: number): number {
  if (facets <= max) return facets;
  const rows = Math.ceil(facets / max);
  return Math.ceil(facets / rows);
}

/** The panels of a grid of facets (see the module comment). */
export function facetPanels(facets: readonly string[], maxColumns: number, options: FacetPanelOptions): Panel[] {
  const grid = facetGrid(facets, columnsFor(facets.length, maxColumns));
  const width = facetWidth(grid.columns, options.marginLeft, options.marginRight) - 2;
  return grid.rows.map((facetsOfRow, r) => {
    const titles = facetsOfRow.map((f) => facetTitleLines(f, width, FONT_SIZE));
    const lines = Math.max(1, ...titles.map((t) => t.length));
    const row: FacetRow = {
      facets: facetsOfRow,
      column: (facet) => facetsOfRow.indexOf(facet),
      first: r === 0,
      last: r === grid.rows.length - 1,
    };
    const plot = options.build(row);
    const labels = Plot.text(
      facetsOfRow.map((f, i) => ({ fx: i, text: titles[i]!.join('\n'), title: f })),
      {
        fx: 'fx',
        text: 'text',
        title: 'title',
        frameAnchor: 'top-left',
        textAnchor: 'start',
        lineAnchor: 'bottom',
        lineHeight: FACET_LINE / FONT_SIZE,
        dy: -5,
        fontWeight: 'bold',
        ariaDescription: 'facet titles',
      },
    );
    const marks = [...((plot.marks ?? []) as Plot.Markish[]), labels];
    const top = (options.marginTop ?? 4) + lines * FACET_LINE + 6;
    return {
      ...(r === 0 && options.title ? { title: options.title } : {}),
      plot: {
        ...plot,
        height: (plot.height ?? 0) + top,
        marginLeft: options.marginLeft,
        marginRight: options.marginRight,
        marginTop: top,
        fx: { domain: Array.from({ length: grid.columns }, (_, i) => i), axis: null, padding: FACET_PADDING },
        marks,
      },
    };
  });
}
