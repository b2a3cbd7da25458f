/**
 * A chart as data: what the report shows (title, text, legend, one or more Observable Plot panels) and
 * the table behind it (written as CSV). Each chart file has two halves, as Plot does it: a data transform
 * (results -> rows, pure and unit-tested) and a mark spec (rows -> Plot options). Rendering (render/) turns
 * a Chart into SVG, PNG and HTML; charts know nothing of files or the DOM.
 */
import type { PlotOptions } from '@observablehq/plot';

export type Cell = string | number | boolean | null | undefined;

export interface Table {
  readonly header: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

export interface LegendItem {
  readonly label: string;
  readonly colour: string;
  /**
   * How the swatch is drawn: a line (series), a filled square (bars), a dot, an outlined diamond, a dashed
   * or dotted line, or a short vertical rule (an event).
   */
  readonly mark: 'line' | 'square' | 'dot' | 'diamond' | 'dash' | 'dotted' | 'rule' | 'ring' | 'band';
  /** Dash pattern of a `dash` swatch (SVG `stroke-dasharray`); default `4,3`. */
  readonly dash?: string;
}

/**
 * One Plot figure. `plot` holds everything except what the renderer sets for every chart: `document`,
 * `width`, the font and the class name.
 */
export interface Panel {
  /** Short heading drawn above the panel (e.g. "Tail"). */
  readonly title?: string;
  readonly plot: Omit<PlotOptions, 'document' | 'width' | 'className'>;
}

export interface Chart {
  /** File stem of the chart's CSV and PNG (e.g. `latency-cdf`), and its anchor in the HTML. */
  readonly id: string;
  readonly title: string;
  /** What the chart shows and how to read it: a few plain-text sentences (escaped when written). */
  readonly description: string;
  /** Caveats (plain text), e.g. "no confidence band: one replication per point". */
  readonly notes: readonly string[];
  /**
   * What situation the chart shows when it is not the whole input (`At the highest load of the sweep,
   * load=3k/s.`): written into the PNG under the title, so an image on its own still says it.
   */
  readonly caption?: string;
  readonly legend: readonly LegendItem[];
  readonly panels: readonly Panel[];
  /** The data drawn, written as `<id>.csv`. */
  readonly data: Table;
  /** More tables of the chart's data, each written as `<id>.csv` (e.g. the over-time chart's drops). */
  readonly moreData?: readonly { readonly id: string; readonly table: Table }[];
  /** A small table shown under the chart in the HTML (already formatted values), if any. */
  readonly table?: Table;
}

/** A chart that the input cannot support (no sweep, no time series): listed in the report with the reason. */
export interface SkippedChart {
  readonly id: string;
  readonly title: string;
  readonly reason: string;
}

export type ChartOutcome = Chart | SkippedChart;

/**
 * A table with a section of its own (no figure), e.g. the timeline's events: shown in the page after the
 * chart `after` (or after every chart), its data written as `<id>.csv`.
 */
export interface TableSection {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly notes: readonly string[];
  /** Shown in the page (already formatted values). */
  readonly table: Table;
  /** Text alignment per column of the shown table (default: the first column left, the others right). */
  readonly align?: readonly ('left' | 'right')[];
  /** Written as `<id>.csv` (raw numbers, units in the column names). */
  readonly data: Table;
  /** Id of the chart the section follows in the page. */
  readonly after?: string;
}

export function isChart(outcome: ChartOutcome): outcome is Chart {
  return 'panels' in outcome;
}
