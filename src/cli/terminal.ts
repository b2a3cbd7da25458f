/**
 * How text output looks on the stream it goes to: colour, and the width tables must fit.
 *
 * Colour follows the conventions users' other tools follow (Node itself, kubectl plugins, npm):
 * `FORCE_COLOR` (any value but `0`/`false`) turns it on even through a pipe and wins over `NO_COLOR`, as in
 * Node; `NO_COLOR` (any non-empty value, https://no-color.org) turns it off; otherwise colour is on only
 * when the stream is a terminal and `TERM` is not `dumb`.
 *
 * Width: a terminal's own width (tables wrap their widest cells to fit it); `COLUMNS` when set (so a
 * script can ask for a width); otherwise, through a pipe or into a file, no limit: every row stays on
 * one line, so `grep` and `awk` see whole rows.
 */
import { PLAIN, type Paint } from '../report/text/paint.js';
import type { OutputStream } from './context.js';

export { PLAIN, type Paint };

const sgr = (open: number, close: number) => (text: string): string => (text === '' ? text : `\u001b[${open}m${text}\u001b[${close}m`);

export const ANSI: Paint = { enabled: true, bad: sgr(31, 39), warn: sgr(33, 39), good: sgr(32, 39), bold: sgr(1, 22) };

type Env = Readonly<Record<string, string | undefined>>;

/** Whether to colour text written to `stream`. */
export function colourWanted(stream: OutputStream, env: Env): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return !['0', 'false'].includes(force.trim().toLowerCase());
  const no = env['NO_COLOR'];
  if (no !== undefined && no !== '') return false;
  return stream.isTTY === true && env['TERM'] !== 'dumb';
}

export function paintFor(stream: OutputStream, env: Env): Paint {
  return colourWanted(stream, env) ? ANSI : PLAIN;
}

/** The narrowest width a table is fitted to; narrower terminals get tables wider than themselves. */
export const MIN_WIDTH = 40;

/** The width tables written to `stream` must fit, or undefined for none (a pipe, a file). */
export function widthFor(stream: OutputStream, env: Env): number | undefined {
  const columns = env['COLUMNS'];
  if (columns !== undefined && /^\s*\d+\s*$/.test(columns)) return Math.max(MIN_WIDTH, Number(columns));
  if (stream.isTTY !== true) return undefined;
  return Math.max(MIN_WIDTH, stream.columns ?? 80);
}

/** Removes colour codes (tests, and widths measured on painted text). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
