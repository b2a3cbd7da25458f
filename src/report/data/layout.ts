/**
 * How configurations are laid out on every chart of a report: by the experiment's factors, never by plan
 * order, so every configuration is drawn and looks the same wherever it appears.
 *
 * - **Single panel** (a run, a few configurations, or one factor): one colour per configuration, eight
 *   distinct colours and, beyond them, the same colours again with distinct dashes.
 * - **By factors** (more than eight configurations over two or more factors): one factor is the colour (the
 *   one with the fewest levels, the last of equals in plan order: usually the treatment, such as the traffic
 *   policy), the others make small multiples (facets) that share their scales, one per combination of their
 *   levels, in plan order (`replicas=3`).
 *
 * Factors with a single level (constant over the sweep) are neither colour nor facet. Pure: a function of
 * the input only, so the colours are the same on every chart and every report of the same results.
 */
import type { LegendItem } from '../charts/chart.js';
import type { ReportInput } from '../inputs.js';
import { fitText, textWidth } from '../render/text-width.js';
import { PALETTE } from '../render/theme.js';

/** Dash patterns of lines past each cycle of the palette: solid, then these. */
export const DASHES: readonly (string | null)[] = [null, '6,3', '2,2.5', '9,3,2,3'];
/** Configurations drawn in one panel at most before the layout goes by factors. */
export const MAX_SINGLE_PANEL = PALETTE.length;

export interface LayoutFactor {
  readonly name: string;
  /** Distinct values as text, in plan order. */
  readonly levels: readonly string[];
}

export interface ConfigurationStyle {
  readonly configuration: string;
  readonly colour: string;
  /** Stroke dash pattern (SVG `stroke-dasharray`), or null for a solid line. */
  readonly dash: string | null;
  /** What the colour stands for: the configuration (single panel) or `factor=level`. */
  readonly colourLabel: string;
  /** The facet (small multiple) the configuration is drawn in: `replicas=3`; '' for a single panel. */
  readonly facet: string;
}

export interface Layout {
  readonly mode: 'single' | 'factors';
  /** Configuration factors with more than one level, in plan order (empty for runs). */
  readonly factors: readonly LayoutFactor[];
  readonly colourFactor: string | null;
  readonly facetFactors: readonly string[];
  /** Facets in order (`['']` for a single panel). */
  readonly facets: readonly string[];
  /** Colour labels in legend order, with their colours and dashes. */
  readonly colourKeys: readonly { readonly label: string; readonly colour: string; readonly dash: string | null }[];
  /** Configurations in layout order: by facet, then by colour. */
  readonly configurations: readonly string[];
  style(configuration: string): ConfigurationStyle;
}

function text(value: unknown): string {
  return String(value);
}

/** The configuration factors of an input: the points' parameters except the load, in plan order. */
export function configurationFactors(input: Pick<ReportInput, 'points' | 'loadParameter'>): LayoutFactor[] {
  const names: string[] = [];
  const levels = new Map<string, string[]>();
  for (const point of input.points) {
    for (const p of point.parameters) {
      if (p.name === input.loadParameter) continue;
      if (!levels.has(p.name)) {
        names.push(p.name);
        levels.set(p.name, []);
      }
      const list = levels.get(p.name)!;
      if (!list.includes(text(p.value))) list.push(text(p.value));
    }
  }
  return names.map((name) => ({ name, levels: levels.get(name)! }));
}

function styleAt(i: number): { colour: string; dash: string | null } {
  return { colour: PALETTE[i % PALETTE.length]!, dash: DASHES[Math.floor(i / PALETTE.length) % DASHES.length]! };
}

/** The layout of an input's configurations (see the module comment). */
export function layoutOf(input: Pick<ReportInput, 'points' | 'loadParameter' | 'configurations'>): Layout {
  const all = configurationFactors(input).filter((f) => f.levels.length > 1);
  const valuesOf = new Map<string, Map<string, string>>();
  for (const point of input.points) {
    if (valuesOf.has(point.configuration)) continue;
    valuesOf.set(point.configuration, new Map(point.parameters.map((p) => [p.name, text(p.value)])));
  }
  const byFactors = input.configurations.length > MAX_SINGLE_PANEL && all.length >= 2 && input.configurations.every((c) => valuesOf.has(c));
  if (!byFactors) {
    const styles = new Map<string, ConfigurationStyle>();
    input.configurations.forEach((c, i) => styles.set(c, { configuration: c, ...styleAt(i), colourLabel: c, facet: '' }));
    return {
      mode: 'single',
      factors: all,
      colourFactor: null,
      facetFactors: [],
      facets: [''],
      colourKeys: input.configurations.map((c) => ({ label: c, colour: styles.get(c)!.colour, dash: styles.get(c)!.dash })),
      configurations: [...input.configurations],
      style: (c) => styles.get(c) ?? { configuration: c, colour: '#888888', dash: null, colourLabel: c, facet: '' },
    };
  }
  // Colour: the factor with the fewest levels; the last of equals (the treatment usually comes last).
  let colourFactor = all[0]!;
  for (const f of all) if (f.levels.length <= colourFactor.levels.length) colourFactor = f;
  const facetFactors = all.filter((f) => f !== colourFactor);
  const colourKeys = colourFactor.levels.map((level, i) => ({ label: `${colourFactor.name}=${level}`, ...styleAt(i) }));
  const facetOf = (values: ReadonlyMap<string, string>): string => facetFactors.map((f) => `${f.name}=${values.get(f.name) ?? ''}`).join(', ');
  const rank = (values: ReadonlyMap<string, string>): number[] => [
    ...facetFactors.map((f) => f.levels.indexOf(values.get(f.name) ?? '')),
    colourFactor.levels.indexOf(values.get(colourFactor.name) ?? ''),
  ];
  const ordered = [...input.configurations].sort((a, b) => {
    const ra = rank(valuesOf.get(a)!);
    const rb = rank(valuesOf.get(b)!);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
    return 0;
  });
  const styles = new Map<string, ConfigurationStyle>();
  for (const c of ordered) {
    const values = valuesOf.get(c)!;
    const level = colourFactor.levels.indexOf(values.get(colourFactor.name) ?? '');
    styles.set(c, { configuration: c, ...styleAt(level), colourLabel: `${colourFactor.name}=${values.get(colourFactor.name)}`, facet: facetOf(values) });
  }
  const facets = [...new Set(ordered.map((c) => styles.get(c)!.facet))];
  return {
    mode: 'factors',
    factors: all,
    colourFactor: colourFactor.name,
    facetFactors: facetFactors.map((f) => f.name),
    facets,
    colourKeys,
    configurations: ordered,
    style: (c) => styles.get(c) ?? { configuration: c, colour: '#888888', dash: null, colourLabel: c, facet: '' },
  };
}

/** The colour legend: one entry per colour (a configuration, or a level of the colour factor). */
export function layoutLegend(layout: Layout, shown?: ReadonlySet<string>): LegendItem[] {
  const keys = shown ? layout.colourKeys.filter((k) => layout.configurations.some((c) => shown.has(c) && layout.style(c).colourLabel === k.label)) : layout.colourKeys;
  return keys.map((k) => ({ label: k.label, colour: k.colour, mark: k.dash ? 'dash' : 'line', ...(k.dash ? { dash: k.dash } : {}) }));
}

/** Plot's colour scale for a chart whose `stroke`/`fill` channel is the colour label. */
export function colourScale(layout: Layout): { domain: string[]; range: string[] } {
  return { domain: layout.colourKeys.map((k) => k.label), range: layout.colourKeys.map((k) => k.colour) };
}

/** A wrapped grid of facets: `columns` per row, in order. */
export interface FacetGrid {
  readonly columns: number;
  readonly rows: readonly (readonly string[])[];
}

/** Facets in rows of at most `maxColumns` (fewer when the facets are few). */
export function facetGrid(facets: readonly string[], maxColumns: number): FacetGrid {
  const columns = Math.max(1, Math.min(maxColumns, facets.length));
  const rows: string[][] = [];
  for (let i = 0; i < facets.length; i += columns) rows.push(facets.slice(i, i + columns));
  return { columns, rows };
}

/**
 * A facet's title in the space a facet has: the full text when it fits, else one line per factor
 * (`replicas=3` / `etp=Cluster`), each shortened with an ellipsis when still too wide. The full text goes
 * into the SVG `<title>` of the label (hover), so nothing is lost.
 */
export function facetTitleLines(label: string, width: number, fontSize: number): string[] {
  if (textWidth(label, fontSize) <= width) return [label];
  return label.split(', ').map((part) => fitText(part, fontSize, width));
}
