/**
 * Where the labels of event rules go: above the top panel, in rows, so that no two labels overlap. Events
 * closer than a few pixels share one label (`1,2 fail-node + drain`). Labels are placed greedily, left to
 * right, each in its longest form that fits in one of the first `maxRows` rows (right of its rule, else left
 * of it). When some label finds no room, the pass is repeated with less detail for all (kinds without
 * targets, then numbers alone), so a crowd of events is labelled evenly rather than the first ones in full
 * and the rest not at all. The numbers are those of the Events table: a label cut down to `3` still says
 * which event it is.
 */
import { textWidth } from '../render/text-width.js';

export const EVENT_LABEL_FONT_SIZE = 11;
/** Horizontal gap between the rule and its label, and the least space between two labels, pixels. */
export const LABEL_OFFSET = 3;
export const LABEL_GAP = 6;
/** Events whose rules are closer than this (pixels) to the first of a group share its label. */
export const SHARED_LABEL_PX = 8;
/** A label form wider than this (pixels) is not used: it would crowd out its neighbours. */
export const MAX_LABEL_PX = 240;

export interface LabelledEvent {
  readonly number: number;
  readonly at: number;
  readonly kind: string;
  readonly target: string;
}

export interface PlacedLabel {
  /** The events the label names (one, or several at nearly the same time). */
  readonly numbers: readonly number[];
  /** Data x of the rule the label belongs to (the first event's time). */
  readonly at: number;
  readonly text: string;
  /** `start`: the text begins right of the rule; `end`: it ends left of it. */
  readonly anchor: 'start' | 'end';
  /** 0 is the row nearest the panel. */
  readonly row: number;
  /** Pixel extent of the text along x (in the panel's coordinates). */
  readonly left: number;
  readonly right: number;
  /** 0 for the full label; higher for shorter forms. */
  readonly form: number;
}

export interface LabelLayout {
  readonly labels: readonly PlacedLabel[];
  readonly rows: number;
  /** Some label is shorter than its full form. */
  readonly shortened: boolean;
}

export interface XScale {
  /** Data domain [x0, x1]. */
  readonly domain: readonly [number, number];
  /** Pixel range [left, right] the domain maps to. */
  readonly range: readonly [number, number];
}

export function pixelOf(x: number, scale: XScale): number {
  const [d0, d1] = scale.domain;
  const [r0, r1] = scale.range;
  return d1 === d0 ? r0 : r0 + ((x - d0) / (d1 - d0)) * (r1 - r0);
}

/**
 * Label forms, longest first: the number with kind and target (one event; for several, as the next form),
 * the numbers with the kinds, the numbers alone (`1–3`, `4,6`). Always three, so form k means the same
 * level of detail for every label.
 */
export function labelForms(events: readonly LabelledEvent[]): [string, string, string] {
  const numbers = numberList(events.map((e) => e.number));
  const kinds = `${numbers} ${[...new Set(events.map((e) => e.kind))].join(' + ')}`;
  const full = events.length === 1 ? `${numbers} ${events[0]!.kind} ${shortTarget(events[0]!.target)}` : kinds;
  return [full, kinds, numbers];
}

/** `1,2,3,5` -> `1–3,5`: runs of three or more consecutive numbers as a range. */
export function numberList(numbers: readonly number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j - i >= 2 ? `${sorted[i]}–${sorted[j]}` : sorted.slice(i, j + 1).join(','));
    i = j + 1;
  }
  return parts.join(',');
}

/** `Deployment shop/web` -> `shop/web`; a target without a kind word stays as it is. */
export function shortTarget(target: string): string {
  const space = target.indexOf(' ');
  return space > 0 && /^[A-Za-z]+$/.test(target.slice(0, space)) ? target.slice(space + 1) : target;
}

/** Groups events (sorted by time) whose rules are closer than {@link SHARED_LABEL_PX}. */
function groups(events: readonly LabelledEvent[], scale: XScale): LabelledEvent[][] {
  const sorted = [...events].sort((a, b) => a.at - b.at || a.number - b.number);
  const out: LabelledEvent[][] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && pixelOf(e.at, scale) - pixelOf(last[0]!.at, scale) < SHARED_LABEL_PX) last.push(e);
    else out.push([e]);
  }
  return out;
}

/**
 * Lays out the labels of `events` over a panel whose x scale is `scale`; labels stay within `bounds`
 * (pixels; default the range). The richest level of detail with which every label finds room in the first
 * `maxRows` rows wins; with none, the numbers alone, in as many rows as they need.
 */
export function layoutEventLabels(
  events: readonly LabelledEvent[],
  scale: XScale,
  options: { readonly maxRows?: number; readonly fontSize?: number; readonly bounds?: readonly [number, number] } = {},
): LabelLayout {
  const maxRows = options.maxRows ?? 3;
  const labelGroups = groups(events, scale);
  let layout: { labels: PlacedLabel[]; rows: number; overflow: boolean } | null = null;
  for (let least = 0; least < 3; least++) {
    layout = place(labelGroups, scale, maxRows, least, options.fontSize ?? EVENT_LABEL_FONT_SIZE, options.bounds ?? scale.range);
    if (!layout.overflow) break;
  }
  return { labels: layout!.labels, rows: layout!.rows, shortened: layout!.labels.some((l) => l.form > 0) };
}

/** One greedy pass, left to right, each label in its longest form from `least` on that fits. */
function place(
  labelGroups: readonly LabelledEvent[][],
  scale: XScale,
  maxRows: number,
  least: number,
  fontSize: number,
  [minX, maxX]: readonly [number, number],
): { labels: PlacedLabel[]; rows: number; overflow: boolean } {
  const occupied: [number, number][][] = [];
  const free = (row: number, left: number, right: number): boolean =>
    (occupied[row] ?? []).every(([l, r]) => right + LABEL_GAP <= l || left >= r + LABEL_GAP);
  const labels: PlacedLabel[] = [];
  let overflow = false;
  for (const group of labelGroups) {
    const x = pixelOf(group[0]!.at, scale);
    const forms = labelForms(group);
    const extent = (text: string, anchor: 'start' | 'end'): [number, number] => {
      const w = textWidth(text, fontSize);
      return anchor === 'start' ? [x + LABEL_OFFSET, x + LABEL_OFFSET + w] : [x - LABEL_OFFSET - w, x - LABEL_OFFSET];
    };
    const fits = ([l, r]: [number, number]): boolean => l >= minX && r <= maxX;
    const make = (form: number, anchor: 'start' | 'end', row: number): PlacedLabel => {
      const [left, right] = extent(forms[form]!, anchor);
      // A group's full form is its kinds form: report the level of detail actually shown.
      const shown = forms.indexOf(forms[form]!);
      return { numbers: group.map((e) => e.number), at: group[0]!.at, text: forms[form]!, anchor, row, left, right, form: shown };
    };
    let placed: PlacedLabel | null = null;
    for (let form = least; form < forms.length && !placed; form++) {
      if (form < forms.length - 1 && textWidth(forms[form]!, fontSize) > MAX_LABEL_PX) continue;
      for (let row = 0; row < maxRows && !placed; row++) {
        for (const anchor of ['start', 'end'] as const) {
          const [left, right] = extent(forms[form]!, anchor);
          if (fits([left, right]) && free(row, left, right)) {
            placed = make(form, anchor, row);
            break;
          }
        }
      }
    }
    if (!placed) {
      // Nothing fits in the first rows: the numbers alone, in the first row with room (a new one at worst).
      overflow = true;
      const anchor: 'start' | 'end' = fits(extent(forms[2], 'start')) ? 'start' : 'end';
      const [left, right] = extent(forms[2], anchor);
      let row = 0;
      while (!free(row, left, right)) row++;
      placed = make(2, anchor, row);
    }
    (occupied[placed.row] ??= []).push([placed.left, placed.right]);
    labels.push(placed);
  }
  return { labels, rows: occupied.length, overflow };
}
