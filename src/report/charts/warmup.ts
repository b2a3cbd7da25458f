/** The warm-up on time axes: a shaded band, never a line that an axis could hide. */
import * as Plot from '@observablehq/plot';
import { formatDuration } from '../format.js';

export const WARMUP_COLOUR = '#999999';

/**
 * The warm-up as a shaded band from the start of the run to the end of the warm-up (the latest of the
 * configurations'), labelled, so it is never mistaken for (or hidden by) an axis.
 */
export function warmupMarks(warmupEnds: readonly { readonly configuration: string; readonly time: number }[], labelled: boolean, fx?: (c: string) => number, from = 0): Plot.Markish[] {
  if (warmupEnds.length === 0) return [];
  const end = Math.max(...warmupEnds.map((w) => w.time));
  if (!(end > from)) return [];
  const title = `warm-up: the first ${formatDuration(end)} are not measured`;
  const band = fx ? [...new Set(warmupEnds.map((w) => fx(w.configuration)))].map((i) => ({ fx: i })) : [{}];
  return [
    Plot.rectX(band, { ...(fx ? { fx: 'fx' } : {}), x1: () => from, x2: () => end, fill: WARMUP_COLOUR, fillOpacity: 0.16, title: () => title, ariaDescription: 'warm-up' }),
    ...(labelled
      ? [Plot.text(band, { ...(fx ? { fx: 'fx' } : {}), x: () => (from + end) / 2, frameAnchor: 'top', dy: 4, lineAnchor: 'top', text: () => 'warm-up', fill: '#555555', fontSize: 10, title: () => title, ariaDescription: 'warm-up label' })]
      : []),
  ];
}

