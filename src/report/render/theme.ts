/**
 * The look shared by every chart: one width, one font, one palette. PNGs are drawn with the DejaVu Sans
 * font shipped in `dejavu-fonts-ttf`, so the HTML names it first; a browser without it falls back to its
 * own sans-serif.
 */

/** Width of every figure, in CSS pixels (fits a design document's column). */
export const FIGURE_WIDTH = 720;
export const FONT_SIZE = 12;
export const TITLE_FONT_SIZE = 15;
export const FONT_FAMILY = "'DejaVu Sans', system-ui, sans-serif";

/**
 * Colours of configurations, in display order: eight of Observable's categorical scheme, distinct enough
 * to tell apart (its light blue and grey are left out); past eight, lines repeat them with dashes
 * (data/layout.ts).
 */
export const PALETTE: readonly string[] = ['#4269d0', '#efb118', '#ff725c', '#6cc5b0', '#3ca951', '#ff8ab7', '#a463f2', '#9c6b4e'];

export const INK = '#222222';
export const MUTED = '#666666';
export const EVEN_SHARE_COLOUR = '#d62728';

/** `configuration label -> colour`, by position in the list. */
export function coloursFor(configurations: readonly string[]): Map<string, string> {
  return new Map(configurations.map((c, i) => [c, PALETTE[i % PALETTE.length]!]));
}
