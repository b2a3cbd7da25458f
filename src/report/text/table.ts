/**
 * A small column formatter for terminal tables, in the style of `kubectl get`: a header row, columns
 * padded to their widest cell, separated by spaces, no borders, no trailing spaces.
 */

export type Align = 'left' | 'right';

export interface Column {
  readonly header: string;
  /** Default `left`. Numbers read best right-aligned. */
  readonly align?: Align;
}

export interface TableOptions {
  /** Prefix of every line. Default none. */
  readonly indent?: string;
  /** Spaces between columns. Default 3 (as kubectl). */
  readonly gap?: number;
  /** Print the header row. Default true. */
  readonly header?: boolean;
}

/** Display width of a cell (code points; the tables hold no wide characters). */
function width(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function pad(s: string, w: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'right' ? fill + s : s + fill;
}

/** Renders rows under columns; rows shorter than the columns are padded with empty cells. No final newline. */
export function renderTable(
  columns: readonly (Column | string)[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const cols: Column[] = columns.map((c) => (typeof c === 'string' ? { header: c } : c));
  const indent = options.indent ?? '';
  const gap = ' '.repeat(options.gap ?? 3);
  const all = options.header === false ? rows : [cols.map((c) => c.header), ...rows];
  const widths = cols.map((_, i) => Math.max(0, ...all.map((r) => width(r[i] ?? ''))));
  return all
    .map((row) => (indent + cols.map((c, i) => pad(row[i] ?? '', widths[i]!, c.align ?? 'left')).join(gap)).trimEnd())
    .join('\n');
}
